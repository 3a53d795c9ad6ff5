// What a generated operation wrapper uses to turn a `Request` into typed arguments: parameter and
// body decoding with every failure collected, then one problem response if anything failed.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

#include "oasgen/http.hpp"
#include "oasgen/params.hpp"
#include "oasgen/problem.hpp"
#include "oasgen/validation.hpp"

namespace oasgen {

/// Limits applied while decoding a request body.
struct DecodeLimits {
  std::size_t max_json_depth = 64;
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

  /// A problem response if the request was rejected or any check failed: the first rejection
  /// (415/400) as is; otherwise 400 when a parameter failed, 422 when only the body failed, with
  /// every failure listed. nullopt when the request is good.
  std::optional<Response> problem();

 private:
  const Request& request_;
  DecodeLimits limits_;
  Validator validator_;
  std::optional<Response> rejection_;
};

/// Serialises `body` as an `application/json` response.
Response json_response(int status, const nlohmann::json& body);

}  // namespace oasgen
