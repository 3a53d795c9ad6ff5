// RFC 9457 problem details: the one shape of every error response the runtime produces.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "oasgen/http.hpp"

namespace oasgen {

/// Where in the request a value came from.
enum class Location { Path, Query, Header, Cookie, Body };

/// "path", "query", "header", "cookie" or "body".
std::string_view to_string(Location location);

/// One failed check: which value (location + JSON pointer into it), which keyword, and why.
struct FieldError {
  Location location = Location::Body;
  std::string pointer;  ///< RFC 6901 pointer; for parameters it starts with the parameter name
  std::string keyword;  ///< the JSON Schema keyword that failed ("minLength", "required", ...)
  std::string message;  ///< for people; not meant to be parsed
};

/// Problem type URIs used by the runtime.
inline constexpr std::string_view kProblemValidation = "urn:oasgen:problem:validation";
inline constexpr std::string_view kProblemMalformed = "urn:oasgen:problem:malformed-request";
/// 401: the operation needs credentials and none were presented.
inline constexpr std::string_view kProblemUnauthenticated = "urn:oasgen:problem:unauthenticated";
/// 401 (or 400 when malformed): a presented credential was not accepted.
inline constexpr std::string_view kProblemInvalidCredential = "urn:oasgen:problem:invalid-credential";
/// 403: the credential is good but lacks a scope the operation requires.
inline constexpr std::string_view kProblemInsufficientScope = "urn:oasgen:problem:insufficient-scope";

/// 503: too many connections or requests in flight, or the request waited past its deadline.
inline constexpr std::string_view kProblemOverloaded = "urn:oasgen:problem:overloaded";

/// An `application/problem+json` body. `type` defaults to about:blank, `title` to the status's reason
/// phrase; `errors` is an extension member listing every failed check.
struct Problem {
  int status = 500;
  std::string type = "about:blank";
  std::string title;
  std::string detail;
  std::vector<FieldError> errors;
};

void to_json(nlohmann::json& json, const FieldError& error);
void to_json(nlohmann::json& json, const Problem& problem);

/// A response carrying `problem` as `application/problem+json`.
Response problem_response(const Problem& problem);
/// Shorthand for a problem with just a status and a detail.
Response problem_response(int status, std::string detail = {});
/// 503 `kProblemOverloaded` with `Retry-After: <retry_after_seconds>` and `detail`.
Response overloaded_response(std::string detail, unsigned retry_after_seconds = 1);

}  // namespace oasgen
