// The model stage: turns a loaded document into a model::Api.
#pragma once

#include <cstddef>
#include <optional>

#include "load/document.hpp"
#include "model/model.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::model {

struct BuildOptions {
  /// For `diff`, which compares documents it does not generate from: a few mistakes that stop
  /// `generate` are warnings (an undeclared path parameter becomes a string one; an http security
  /// scheme may lack its `scheme`).
  bool lenient = false;
  /// Threads for building the components' schemas (the model is the same on any number).
  std::size_t threads = 1;
};

/// Builds the model. Constructs that cannot be represented are reported (warnings for what falls
/// back to a looser type, errors for what cannot be generated at all).
std::optional<Api> build_model(const load::Document& document, Diagnostics& diagnostics,
                               const BuildOptions& options = {});

/// The model as JSON, for `oasgen dump model` and tests.
nlohmann::json dump(const Api& api);

}  // namespace oasgen::model
