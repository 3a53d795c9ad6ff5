// The RFC 9110/9112 request rules that Boost.Beast 1.74's parser leaves to the server: Host,
// Transfer-Encoding other than a lone `chunked`, the HTTP version, the request-target's form, and
// 414 versus 431. Plain values in and out (no Beast), so the rules are tested without sockets
// (tests/server/http_conformance_test.cpp) and end to end against a second parser
// (tests/http/conformance.py).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oasgen::detail {

/// One header field line as received: name and value (OWS trimmed by the parser).
using HeadField = std::pair<std::string_view, std::string_view>;

/// What the server does with a request whose start line and header section were parsed.
struct HeadCheck {
  int status = 0;      ///< 0: go on and read the body; else answer this status and close
  std::string detail;  ///< why, for the problem+json body
  std::string target;  ///< the request-target in origin-form (absolute-form rewritten), or empty: unchanged
};

/// Checks a request head; `version` is Beast's `10 * major + minor` (10 or 11).
HeadCheck check_request_head(std::string_view method, std::string_view target, unsigned version,
                             const std::vector<HeadField>& fields);

/// For a request-line Beast refused as `bad_version` (it parses HTTP/1.0 and HTTP/1.1 only), given
/// the bytes received: `status` 505 for another major version; `minor_at`, the offset of the minor
/// digit to rewrite to 1, for HTTP/1.x above 1.1; neither: the line is malformed (400).
struct VersionFix {
  int status = 0;
  std::size_t minor_at = std::string_view::npos;
};
VersionFix fix_version(std::string_view received);

/// 2 when `received` begins with an empty line (CRLF), which a server ignores before a
/// request-line; else 0.
std::size_t leading_empty_line(std::string_view received);

/// The status for a header section over the limit: 414 when the request-line itself did not end
/// within it, else 431.
int header_limit_status(bool request_line_complete);

}  // namespace oasgen::detail
