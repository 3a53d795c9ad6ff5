// Decoding of path, query, header and cookie parameters into JSON values, per OpenAPI style and
// explode, so that parameters are validated by the same generated code as bodies.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "oasgen/http.hpp"
#include "oasgen/validation.hpp"

namespace oasgen {

enum class ParamStyle { Simple, Label, Matrix, Form, SpaceDelimited, PipeDelimited, DeepObject };

/// The shape of a parameter's schema: a scalar, an array of scalars, or an object of scalars.
enum class ParamShape { Scalar, Array, Object };

/// What generated code knows about a parameter; a constant per operation.
struct ParamSpec {
  std::string_view name;
  Location in = Location::Query;
  ParamStyle style = ParamStyle::Form;
  bool explode = true;
  bool required = false;
  ParamShape shape = ParamShape::Scalar;
  /// The scalar's type, or the item type of an array, or the value type of an object. Text is
  /// converted to it where it can be ("7" to 7 for Integer); text that does not convert stays a
  /// string, so that the validator's `type` check reports it with its pointer.
  JsonType scalar = JsonType::String;
};

/// Decodes the parameter from `request`. Returns nullopt when it is absent (reporting a `required`
/// failure on `validator` when it must be present) or malformed (reported as well).
std::optional<nlohmann::json> decode_param(const Request& request, const ParamSpec& spec,
                                           Validator& validator);

/// Text converted to `scalar` where it can be ("7" to 7 for Integer), else kept as a string.
nlohmann::json convert_text(std::string text, JsonType scalar);

/// `value` in the simple style, as response headers carry it: a scalar as text (strings unquoted),
/// an array's items joined by ','.
std::string to_simple_style(const nlohmann::json& value);

}  // namespace oasgen
