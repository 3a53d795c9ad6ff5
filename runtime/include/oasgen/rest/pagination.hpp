// Cursor pagination for list operations: opaque, tamper-evident cursors, a bounded page size and
// the RFC 8288 `Link` header that points at the next page.
//
//   const oasgen::CursorCodec cursors(secret, "products");
//   std::int64_t after = 0;
//   if (request.cursor) {
//     auto position = cursors.decode(*request.cursor);
//     if (!position) throw oasgen::HttpError(400, "the cursor is not one this server issued");
//     after = position->at("after").get<std::int64_t>();
//   }
//   const std::size_t limit = oasgen::page_limit(request.limit, {20, 100});
//   ... SELECT ... WHERE id > :after ORDER BY id LIMIT :limit + 1 ...
//   if (more) context.response_headers().add("Link",
//       oasgen::link_header(context.request(), "cursor", cursors.encode({{"after", last_id}})));
//
// A keyset position (the last row's sort key) rather than an offset keeps pages stable while rows
// are inserted: no row is skipped or shown twice.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oasgen/http.hpp"

namespace oasgen {

/// Encodes a position in a listing as `base64url(JSON) "." base64url(HMAC-SHA-256)`, and decodes
/// only what it encoded. The position is readable by whoever holds the cursor (opaque by
/// convention, not encrypted): put sort keys in it, never secrets.
class CursorCodec {
 public:
  /// `secret`: at least 32 bytes, the same for every instance behind one load balancer
  /// (std::invalid_argument otherwise). `purpose` binds cursors to one listing, so that a cursor of
  /// /orders is refused by /products.
  explicit CursorCodec(std::string secret, std::string purpose = {});

  std::string encode(const nlohmann::json& position) const;
  /// nullopt for anything this codec (secret and purpose) did not encode: malformed, altered, or
  /// longer than 4 KiB.
  std::optional<nlohmann::json> decode(std::string_view cursor) const;

 private:
  std::string mac(std::string_view payload) const;

  std::string secret_;
  std::string purpose_;
};

struct PageLimits {
  std::size_t fallback = 20;  ///< when the client asks for no size
  std::size_t max = 100;      ///< larger requests get this many
};

/// The page size to serve: `requested` clamped to [1, limits.max], `limits.fallback` when absent.
/// The spec's own `minimum`/`maximum` on the parameter reject bad sizes with a 400 (a parameter
/// failed validation) before this.
std::size_t page_limit(std::optional<std::int64_t> requested, PageLimits limits = {});

/// `target` (origin-form, as `Request::target`) with query parameter `name` set to `value`
/// (percent-encoded), replacing every occurrence it had; other parameters keep their order. Bytes
/// of the target that a URI may not hold as they are (`<`, `>`, `"`, space, non-ASCII, ...) are
/// percent-encoded, so that the result is always a URI reference.
std::string with_query_parameter(std::string_view target, std::string_view name,
                                 std::string_view value);

/// An RFC 8288 link to the same listing with `cursor_parameter` set to `cursor`:
/// `</products?limit=10&cursor=...>; rel="next"`. The reference is relative, resolved against the
/// request's URI (RFC 8288 §3.1), so it stays right behind a proxy that keeps the path.
std::string link_header(const Request& request, std::string_view cursor_parameter,
                        std::string_view cursor, std::string_view relation = "next");

}  // namespace oasgen
