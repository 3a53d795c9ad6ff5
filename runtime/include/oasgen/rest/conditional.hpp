// Conditional requests (RFC 9110 §13) with entity tags: `ETag` on reads, `If-None-Match` giving 304,
// `If-Match` on writes giving 412 when the client's copy is stale.
//
// Reads need no handler code: the `ConditionalGet` middleware tags every 200 answer to a GET with
// a digest of its body and turns it into a 304 when the client already has that representation.
// Writes check the version they are about to change:
//
//   const Product current = repository.get(id);
//   oasgen::check_preconditions(context.request(), oasgen::version_tag(current.version));
//   repository.update(id, request.body, current.version);   // 412 already thrown when stale
//   context.response_headers().set("ETag", oasgen::version_tag(current.version + 1));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oasgen/http.hpp"
#include "oasgen/middleware.hpp"

namespace oasgen {

/// A strong entity tag naming these exact bytes: the first 128 bits of their SHA-256, base64url,
/// quoted (`"q1b2..."`).
std::string content_tag(std::string_view representation);

/// A strong entity tag for a version counter or revision string the application keeps: `"v42"`.
/// `revision` may hold only RFC 9110's etagc characters (visible ASCII but '"');
/// std::invalid_argument otherwise.
std::string version_tag(std::string_view revision);
std::string version_tag(std::uint64_t version);

/// What the preconditions of a request say about a resource whose current entity tag is
/// `current` (nullopt: the resource does not exist).
enum class Precondition {
  kProceed,      ///< perform the method
  kNotModified,  ///< GET/HEAD: answer 304 (If-None-Match matched)
  kFailed,       ///< answer 412 Precondition Failed
};

/// Evaluates `If-Match` then `If-None-Match` in the order of RFC 9110 §13.2.2. `If-Match` uses the
/// strong comparison (§13.1.1), `If-None-Match` the weak one (§13.1.2); `*` matches any current
/// representation. A malformed `If-Match` never matches (the safe reading for a write); a
/// malformed `If-None-Match` is ignored. The date preconditions are not evaluated: a server
/// that has entity tags need not (§13.2.2: "If-Unmodified-Since ... MUST be ignored if If-Match
/// is present"; If-Modified-Since likewise with If-None-Match), and this one offers no dates.
Precondition evaluate_preconditions(const Request& request, std::optional<std::string_view> current);

/// For handlers of writes: throws `HttpError` 412 when the preconditions fail, and, with
/// `require_if_match`, 428 Precondition Required (RFC 6585 §3) when the request has no `If-Match`,
/// so that no client can overwrite a change it has not seen.
void check_preconditions(const Request& request, std::optional<std::string_view> current,
                         bool require_if_match = false);

/// Middleware: an `ETag` (`content_tag` of the body) on every 200 answer to GET or HEAD that has
/// none; 304 Not Modified instead when `If-None-Match` names it (or the `ETag` the handler set),
/// and 412 when an `If-Match` does not.
/// The 304 keeps the fields RFC 9110 §15.4.5 lists (ETag, Vary, Cache-Control, Expires,
/// Content-Location, Date) and drops the body.
class ConditionalGet : public Middleware {
 public:
  void on_response(const Request& request, Response& response) override;
};

}  // namespace oasgen
