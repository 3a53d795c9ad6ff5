// The naming stage: decides every C++ identifier and type for a model::Api.
#pragma once

#include <cstddef>
#include <optional>

#include "model/model.hpp"
#include "naming/cpp_api.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::naming {

/// `api` must outlive the result (it points into it). Part of the work runs on up to `threads`
/// threads; the result does not depend on how many.
std::optional<cpp::Api> build_cpp_api(const model::Api& api, const cpp::Options& options,
                                      Diagnostics& diagnostics, std::size_t threads = 1);

/// The C++ plan as JSON, for `oasgen dump cpp` and tests.
nlohmann::json dump(const cpp::Api& api);

}  // namespace oasgen::naming
