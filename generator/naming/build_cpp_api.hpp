// The naming stage: decides every C++ identifier and type for a model::Api.
#pragma once

#include <optional>

#include "model/model.hpp"
#include "naming/cpp_api.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::naming {

/// `api` must outlive the result (it points into it).
std::optional<cpp::Api> build_cpp_api(const model::Api& api, const cpp::Options& options,
                                      Diagnostics& diagnostics);

/// The C++ plan as JSON, for `oasgen dump cpp` and tests.
nlohmann::json dump(const cpp::Api& api);

}  // namespace oasgen::naming
