// Request encoding for generated clients: parameters in every OpenAPI style and explode form (the
// inverse of `decode_param`), and JSON, form-urlencoded and multipart bodies.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/http.hpp"
#include "oasgen/json.hpp"
#include "oasgen/params.hpp"

namespace oasgen {

/// Percent-encodes every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`).
std::string percent_encode(std::string_view text);

/// A scalar as parameter text: strings as they are, numbers and booleans in JSON syntax, null as
/// "null".
std::string scalar_text(const nlohmann::json& value);

/// One part of a `multipart/form-data` body (RFC 7578).
struct MultipartPart {
  std::string name;
  std::string data;
  std::string content_type;  ///< empty: no Content-Type field (text/plain by default)
  std::optional<std::string> filename;  ///< set: a file (the server takes its bytes as they are)
};

/// The parts of an object sent as `multipart/form-data`, per OpenAPI's defaults: a scalar member is
/// a text part, an array of scalars one text part per item, anything else one `application/json`
/// part. Null members are left out.
std::vector<MultipartPart> multipart_parts(const nlohmann::json& object);

/// Gives the `index`th part named `part` the filename and media type of `file`.
void label_part(std::vector<MultipartPart>& parts, std::string_view part, std::size_t index, const File& file);

/// Gives the parts named `part` the filename and media type of the files in `value` (a `File`, or
/// an optional or array of files: a member of the body `parts` were made from), in order. A file
/// without a media type is sent as application/octet-stream.
template <typename T>
void attach_files(std::vector<MultipartPart>& parts, std::string_view part, const T& value) {
  std::size_t index = 0;
  for_each_file(value, [&](const File& file) { label_part(parts, part, index++, file); });
}

/// The body of a `multipart/form-data` request. `boundary` must not occur in any part.
std::string encode_multipart(const std::vector<MultipartPart>& parts, std::string_view boundary);

/// An object as an `application/x-www-form-urlencoded` body, per OpenAPI's defaults (style form,
/// explode): scalars as `name=value`, arrays of scalars as repeated names, objects of scalars as
/// their members; deeper values as JSON text. Null members are left out.
std::string encode_form(const nlohmann::json& object);

/// Builds the request of one operation from typed arguments, as generated client code does:
///
///   oasgen::RequestEncoder out("GET", "/pets/{petId}");
///   out.param(kGetPetParams[0], request.pet_id);
///   oasgen::Request request = std::move(out).finish();   // GET /pets/7
class RequestEncoder {
 public:
  RequestEncoder(std::string method, std::string path_template);

  /// Encodes `value` (a scalar, or an array or object of scalars, per `spec.shape`) in the spec's
  /// location, style and explode form. A null value is left out, as an absent optional is.
  /// Throws std::invalid_argument for a header or cookie value that cannot be sent (a control
  /// character) and for a path parameter the template does not contain.
  void param(const ParamSpec& spec, const nlohmann::json& value);

  /// Sets a header field.
  void header(std::string name, std::string value);
  void json_body(const nlohmann::json& body, std::string_view media_type = "application/json");
  /// A body that is JSON text already, such as a generated type's `oasgen::to_json_text(value)`.
  void json_text_body(std::string body, std::string_view media_type = "application/json");
  void form_body(const nlohmann::json& object);
  /// A multipart body with a boundary that occurs in no part.
  void multipart_body(const std::vector<MultipartPart>& parts);
  void text_body(std::string body, std::string_view media_type);

  /// The request: method, origin-form target (path and query), headers and body.
  Request finish() &&;

 private:
  void path_param(const ParamSpec& spec, const nlohmann::json& value);
  void query_param(const ParamSpec& spec, const nlohmann::json& value);
  void header_param(const ParamSpec& spec, const nlohmann::json& value);
  void cookie_param(const ParamSpec& spec, const nlohmann::json& value);

  Request request_;
  std::string path_;
  std::string query_;
  std::string cookie_;
};

}  // namespace oasgen
