// Bundling: the loaded spec as one self-contained JSON document, for serving as /openapi.json and
// for reading what the model does not carry (examples, security) by a construct's origin.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "load/document.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::load {

/// The spec's first file with every reference to another file replaced by a reference to a copy
/// of its target under `x-oasgen-bundled` (references inside the first file stay as written).
class Bundle {
 public:
  /// The bundled document.
  const nlohmann::json& document() const { return owned_ ? *owned_ : *root_; }

  /// The value at `id`, an identity as `Document::id` gives it ("#/paths/~1pets/get",
  /// "common.yaml#/Pet"), inside the bundled document; null when it is not there.
  const nlohmann::json* find(std::string_view id) const;

 private:
  friend Bundle bundle(const Document&, Diagnostics&);
  const nlohmann::json* root_ = nullptr;   // the first file, when it needed no change
  std::optional<nlohmann::json> owned_;    // otherwise the rewritten copy
  std::map<std::string, std::string, std::less<>> moved_;  // other-file id -> pointer in document()
};

/// Bundles `document`. A reference that cannot be resolved stays as written (the model stage has
/// reported it already).
Bundle bundle(const Document& document, Diagnostics& diagnostics);

/// The value at a JSON pointer ("/a/b~1c", "" for the root) inside `root`; null when absent.
const nlohmann::json* find_pointer(const nlohmann::json& root, std::string_view pointer);

}  // namespace oasgen::load
