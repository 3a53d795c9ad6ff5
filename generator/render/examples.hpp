// Example values for the docs, synthesised from the model's schemas where the spec gives none.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace oasgen::render {

/// Which way an example travels: readOnly properties are left out of requests, writeOnly ones out
/// of responses, as the generated validators require.
enum class ExampleUse { Request, Response };

/// Builds example values that pass the checks oasgen's generated validators make. Each value is
/// checked before it is returned, by an interpreter of the same keywords over the runtime's own
/// keyword checks (oasgen::Validator, oasgen::Regex), and tests/docs runs the generated validators
/// on every example the docs show. Where no valid value can be built (a pattern outside the
/// sampler's subset, contradictory constraints, a required recursion), the result is nullopt and
/// the docs say "example omitted".
class ExampleSynthesiser {
 public:
  explicit ExampleSynthesiser(const model::Api& api);
  ~ExampleSynthesiser();
  ExampleSynthesiser(const ExampleSynthesiser&) = delete;
  ExampleSynthesiser& operator=(const ExampleSynthesiser&) = delete;

  /// An example for `schema`, or nullopt when none can be built.
  std::optional<nlohmann::json> synthesise(model::SchemaId schema, ExampleUse use);

  /// As `synthesise`, but the synthesiser's own copy (valid while it lives), or null. Each schema
  /// and use is built once.
  const nlohmann::json* synthesise_ref(model::SchemaId schema, ExampleUse use);

  /// Whether `value` passes the checks of `schema` (the keywords of model::Schema).
  bool conforms(const nlohmann::json& value, model::SchemaId schema, ExampleUse use) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A string matching the ECMA-262 `pattern`, built from its structure (literals, classes, escapes,
/// groups, alternatives, quantifiers), with each quantifier repeated `extra` more times than its
/// minimum (up to its maximum). nullopt for constructs outside that subset (lookaround, back
/// references, word boundaries, Unicode properties). The caller checks the result with the real
/// regex engine.
std::optional<std::string> sample_pattern(std::string_view pattern, std::size_t extra);

}  // namespace oasgen::render
