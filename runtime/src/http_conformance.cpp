// Each rule cites the sentence of RFC 9110 (HTTP semantics) or RFC 9112 (HTTP/1.1) it implements.
// Beast 1.74 already rejects (400): malformed start lines and field lines, whitespace before a
// field's colon, bare LF, Content-Length values that are not one non-negative decimal (or a list
// of identical ones), Content-Length together with a final `chunked`, and bad chunk framing.
#include "http_conformance.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace oasgen::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// RFC 3986: unreserved / sub-delims (pct-encoded is checked by the caller).
bool is_host_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u)) return true;
  switch (c) {
    case '-': case '.': case '_': case '~':                                    // unreserved
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*':     // sub-delims
    case '+': case ',': case ';': case '=':
      return true;
    default:
      return false;
  }
}

// RFC 9110 7.2: Host = uri-host [ ":" port ]; uri-host = IP-literal / IPv4address / reg-name
// (RFC 3986 3.2.2); port = *DIGIT. An empty value is allowed ("If the target URI's authority
// component is empty, the client MUST send a Host header field with an empty field value").
bool valid_host(std::string_view host) {
  std::size_t i = 0;
  if (!host.empty() && host[0] == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close < 2) return false;
    for (std::size_t k = 1; k < close; ++k) {
      if (!is_host_char(host[k]) && host[k] != ':') return false;
    }
    i = close + 1;
  } else {
    while (i < host.size() && host[i] != ':') {
      if (host[i] == '%') {
        if (i + 2 >= host.size() || !is_hex(host[i + 1]) || !is_hex(host[i + 2])) return false;
        i += 3;
      } else if (is_host_char(host[i])) {
        ++i;
      } else {
        return false;
      }
    }
  }
  if (i == host.size()) return true;
  if (host[i] != ':') return false;
  for (++i; i < host.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(host[i]))) return false;
  }
  return true;
}

HeadCheck reject(int status, std::string detail) {
  HeadCheck check;
  check.status = status;
  check.detail = std::move(detail);
  return check;
}

// The elements of a comma-separated list (RFC 9110 5.6.1), OWS trimmed, empty elements dropped
// ("a recipient MUST parse and ignore a reasonable number of empty list elements").
void split_list(std::string_view value, std::vector<std::string_view>& out) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    auto element = value.substr(0, comma);
    while (!element.empty() && (element.front() == ' ' || element.front() == '\t')) {
      element.remove_prefix(1);
    }
    while (!element.empty() && (element.back() == ' ' || element.back() == '\t')) {
      element.remove_suffix(1);
    }
    if (!element.empty()) out.push_back(element);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

HeadCheck check_request_head(std::string_view method, std::string_view target, unsigned version,
                             const std::vector<HeadField>& fields) {
  std::size_t hosts = 0;
  std::string_view host;
  bool content_length = false;
  std::vector<std::string_view> codings;
  bool transfer_encoding = false;
  for (const auto& [name, value] : fields) {
    if (iequals(name, "host")) {
      if (hosts++ == 0) host = value;
    } else if (iequals(name, "content-length")) {
      content_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      transfer_encoding = true;
      split_list(value, codings);
    }
  }

  // RFC 9112 3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
  // request message that lacks a Host header field and to any request message that contains more
  // than one Host header field line or a Host header field with an invalid field value."
  if (hosts == 0 && version >= 11) return reject(400, "an HTTP/1.1 request needs a Host header");
  if (hosts > 1) return reject(400, "the request has more than one Host header");
  if (hosts == 1 && !valid_host(host)) return reject(400, "the Host header is not a valid host");

  if (transfer_encoding) {
    // RFC 9112 6.1: "A server or client that receives an HTTP/1.0 message containing a
    // Transfer-Encoding header field MUST treat the message as if the framing is faulty, even if a
    // Content-Length is present, and close the connection after processing the message."
    if (version < 11) return reject(400, "an HTTP/1.0 request cannot use Transfer-Encoding");
    // RFC 9112 6.1: "A server MAY reject a request that contains both Content-Length and
    // Transfer-Encoding [...] Regardless, the server MUST close the connection after responding to
    // such a request". We reject: it is the shape of request smuggling.
    if (content_length) {
      return reject(400, "the request has both Content-Length and Transfer-Encoding");
    }
    // RFC 9112 6.3: "If a Transfer-Encoding header field is present in a request and the chunked
    // transfer coding is not the final encoding, the message body length cannot be determined
    // reliably; the server MUST respond with the 400 (Bad Request) status code and then close the
    // connection."
    if (codings.empty() || !iequals(codings.back(), "chunked")) {
      return reject(400, "the request's final transfer coding is not chunked");
    }
    // RFC 9112 7: "A sender MUST NOT apply the chunked transfer coding more than once to a
    // message body".
    for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
      if (iequals(codings[i], "chunked")) {
        return reject(400, "the request applies the chunked transfer coding more than once");
      }
    }
    // RFC 9112 6.1: "A server that receives a request message with a transfer coding it does not
    // understand SHOULD respond with 501 (Not Implemented)."
    if (codings.size() > 1) {
      return reject(501, "the transfer coding " + std::string(codings.front()) +
                             " is not implemented; only chunked is");
    }
  }

  // RFC 9110 9.1: "An origin server that receives a request method that is unrecognized or not
  // implemented SHOULD respond with the 501 (Not Implemented) status code." OpenAPI operations use
  // the methods of RFC 9110 9.3 and RFC 5789 only; anything else is unrecognized.
  static constexpr std::string_view kMethods[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                  "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) {
    return reject(501, "the method " + std::string(method) + " is not implemented");
  }

  HeadCheck check;

  if (!target.empty() && target.front() == '/') return check;  // origin-form
  // RFC 9112 3.2.4: "The asterisk-form of request-target is only used for a server-wide OPTIONS
  // request".
  if (target == "*") {
    if (method == "OPTIONS") return check;
    return reject(400, "the asterisk-form request-target is only for OPTIONS");
  }
  // RFC 9112 3.2.3: the authority-form "is only used for CONNECT requests"; RFC 9110 9.3.6: CONNECT
  // is for proxies, which this server is not (15.6.2: 501 "when the server does not recognize the
  // request method and is not capable of supporting it for any resource").
  if (method == "CONNECT") return reject(501, "CONNECT is not implemented: this is not a proxy");
  // RFC 9112 3.2.2: "A server MUST accept the absolute-form in requests" and "When an origin
  // server receives a request with an absolute-form of request-target, the origin server MUST
  // ignore the received Host header field (if any) and instead use the host information of the
  // request-target."
  std::string_view rest;
  if (target.size() > 7 && iequals(target.substr(0, 7), "http://")) {
    rest = target.substr(7);
  } else if (target.size() > 8 && iequals(target.substr(0, 8), "https://")) {
    rest = target.substr(8);
  } else {
    // RFC 9112 3.2: "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad
    // Request) error or a 301 (Moved Permanently) redirect with the request-target properly
    // encoded."
    return reject(400, "the request-target is not in origin-form, absolute-form (http or https) "
                       "or asterisk-form");
  }
  const auto path = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, path);
  // RFC 9110 4.2.1: "A sender MUST NOT generate an "http" URI with an empty host identifier. A
  // recipient that processes such a URI reference MUST reject it as invalid."; 4.2.4: a
  // recipient "SHOULD parse for userinfo and treat its presence as an error".
  if (authority.empty() || authority.front() == ':' || !valid_host(authority)) {
    return reject(400, "the absolute-form request-target has no valid host");
  }
  if (path == std::string_view::npos || rest[path] == '#') {
    check.target = "/";
  } else if (rest[path] == '?') {
    check.target = "/" + std::string(rest.substr(path));
  } else {
    check.target = std::string(rest.substr(path));
  }
  return check;
}

VersionFix fix_version(std::string_view received) {
  VersionFix fix;
  const auto end = received.find("\r\n");
  if (end == std::string_view::npos) return fix;
  const auto line = received.substr(0, end);
  // request-line = method SP request-target SP HTTP-version; HTTP-version = "HTTP/" DIGIT "." DIGIT
  constexpr std::size_t kLength = 8;
  if (line.size() < kLength + 4 || line[line.size() - kLength - 1] != ' ') return fix;
  const auto version = line.substr(line.size() - kLength);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (version.substr(0, 5) != "HTTP/" || !digit(version[5]) || version[6] != '.' ||
      !digit(version[7])) {
    return fix;
  }
  if (version[5] != '1') {
    // RFC 9110 15.6.6: 505 "indicates that the server does not support, or refuses to support,
    // the major version of HTTP that was used in the request message."
    fix.status = 505;
  } else if (version[7] > '1') {
    // RFC 9110 2.5: "A recipient that receives a message with a major version number that it
    // implements and a minor version number higher than what it implements SHOULD process the
    // message as if it were in the highest minor version within that major version to which the
    // recipient is conformant."
    fix.minor_at = line.size() - 1;
  }
  return fix;
}

std::size_t leading_empty_line(std::string_view received) {
  // RFC 9112 2.2: "In the interest of robustness, a server that is expecting to receive and parse
  // a request-line SHOULD ignore at least one empty line (CRLF) received prior to the
  // request-line."
  return received.substr(0, 2) == "\r\n" ? 2 : 0;
}

int header_limit_status(bool request_line_complete) {
  // RFC 9112 3: "A server that receives a request-target longer than any URI it wishes to parse
  // MUST respond with a 414 (URI Too Long) status code"; RFC 6585 5: 431 "indicates that the
  // server is unwilling to process the request because its header fields are too large".
  return request_line_complete ? 431 : 414;
}

}  // namespace oasgen::detail
