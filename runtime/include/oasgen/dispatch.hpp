// What a generated operation wrapper uses to turn a `Request` into typed arguments: parameter and
// body decoding with every failure collected, then one problem response if anything failed.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/http.hpp"
#include "oasgen/json.hpp"
#include "oasgen/json_writer.hpp"
#include "oasgen/params.hpp"
#include "oasgen/problem.hpp"
#include "oasgen/validation.hpp"

namespace oasgen {

/// Limits applied while decoding a request body.
struct DecodeLimits {
  std::size_t max_json_depth = 64;
};

/// How a typed request body may arrive. Form and multipart bodies are decoded into a JSON object,
/// field by field as `fields` describe them (fields not listed stay strings), so that the same
/// generated validator checks every representation.
struct BodySpec {
  bool json = false;       ///< application/json, application/*+json
  bool form = false;       ///< application/x-www-form-urlencoded
  /// multipart/form-data. A part with a filename is a file: a string of its bytes, whose filename
  /// and media type `RequestReader::attach_files` restores once the body has its C++ type.
  bool multipart = false;
  const ParamSpec* fields = nullptr;
  std::size_t field_count = 0;
};

/// Reads one request for a generated operation wrapper.
class RequestReader {
 public:
  explicit RequestReader(const Request& request, DecodeLimits limits = {});

  Validator& validator() { return validator_; }
  const Request& request() const { return request_; }

  /// The decoded parameter (see `decode_param`); nullopt when absent or malformed.
  std::optional<nlohmann::json> param(const ParamSpec& spec);

  /// Decodes a JSON request body. Rejects (and returns nullopt) a Content-Type that is not JSON
  /// (415), text that is not JSON or nests too deep (400), or a missing body when `required`
  /// (400, "required"). Returns nullopt without rejecting when an optional body is absent.
  std::optional<nlohmann::json> json_body(bool required);

  /// Decodes a body that may arrive as any of `spec`'s representations. Rejects, as `json_body`,
  /// a Content-Type that is none of them (415) and a body that does not parse (400).
  std::optional<nlohmann::json> body(bool required, const BodySpec& spec);

  /// Takes the body as bytes when its Content-Type matches one of `media_types` (which may be
  /// wildcards such as `image/*` or `*/*`); 415 otherwise.
  std::optional<RawBody> raw_body(bool required, std::initializer_list<std::string_view> media_types);

  /// Gives each `File` in `value` (a file, or an optional or array of files: a member of the
  /// converted body) the filename and media type of the multipart part named `part` it came from.
  template <typename T>
  void attach_files(std::string_view part, T& value) const {
    std::size_t index = 0;
    for_each_file(value, [&](File& file) { describe_file(part, index++, file); });
  }

  /// A problem response if the request was rejected or any check failed: the first rejection
  /// (415/400) as is; otherwise 400 when a parameter failed, 422 when only the body failed, with
  /// every failure listed. nullopt when the request is good.
  std::optional<Response> problem();

 private:
  const Request& request_;
  DecodeLimits limits_;
  Validator validator_;
  std::optional<Response> rejection_;
  struct PartLabel {
    std::string name, filename, content_type;
  };
  std::vector<PartLabel> part_labels_;  ///< of each multipart part, in arrival order

  bool missing_body(bool required);
  void reject(int status, std::string_view type, std::string detail);
  std::optional<nlohmann::json> form_body(const BodySpec& spec);
  std::optional<nlohmann::json> multipart_body(std::string_view content_type, const BodySpec& spec);
  void describe_file(std::string_view part, std::size_t index, File& file) const;
};

/// The route of one generated operation, `handle(*handler, request)`: one type for every operation
/// of a `Handler`, so that the router's std::function is instantiated once per API rather than
/// once per operation, as a lambda each would be (about 19 ms per operation at -O0).
template <typename Handler>
struct OperationRoute {
  Handler* handler;
  Response (*handle)(Handler& handler, const Request& request);

  Response operator()(const Request& request) const { return handle(*handler, request); }
};

/// Serialises `body` as an `application/json` response.
Response json_response(int status, const nlohmann::json& body);

/// An `application/json` response whose body is already JSON text, such as a generated type's
/// `oasgen::to_json_text(value)`.
Response json_text_response(int status, std::string body);

/// Writes `body`, a generated type, as an `application/json` response without building a DOM.
template <typename T>
Response typed_json_response(int status, const T& body) {
  return json_text_response(status, to_json_text(body));
}

}  // namespace oasgen
