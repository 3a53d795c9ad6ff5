// The request rules the server adds to Beast's parser (runtime/src/http_conformance.cpp), on values.
// End to end, with a second parser: tests/http/conformance.py.
#include "http_conformance.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using oasgen::detail::check_request_head;
using oasgen::detail::fix_version;
using oasgen::detail::HeadField;
using oasgen::detail::header_limit_status;
using oasgen::detail::leading_empty_line;

namespace {

struct Row {
  const char* name;
  std::string method;
  std::string target;
  unsigned version;
  std::vector<HeadField> fields;
  int status;          // 0: accepted
  std::string detail;  // or the rewritten target, when accepted
};

}  // namespace

TEST_CASE("http conformance: request heads, table") {
  const std::vector<Row> rows = {
      {"origin-form", "GET", "/pets?x=1", 11, {{"Host", "t"}}, 0, ""},
      {"HTTP/1.1 without Host", "GET", "/", 11, {}, 400,
       "an HTTP/1.1 request needs a Host header"},
      {"HTTP/1.0 without Host", "GET", "/", 10, {}, 0, ""},
      {"two Host lines", "GET", "/", 11, {{"Host", "a"}, {"host", "a"}}, 400,
       "the request has more than one Host header"},
      {"Host with a space", "GET", "/", 11, {{"Host", "a b"}}, 400,
       "the Host header is not a valid host"},
      {"Host with userinfo", "GET", "/", 11, {{"Host", "u@t"}}, 400,
       "the Host header is not a valid host"},
      {"Host with a bad port", "GET", "/", 11, {{"Host", "t:8x"}}, 400,
       "the Host header is not a valid host"},
      {"Host with a bad percent-escape", "GET", "/", 11, {{"Host", "a%4"}}, 400,
       "the Host header is not a valid host"},
      {"Host: an unclosed IP literal", "GET", "/", 11, {{"Host", "[::1"}}, 400,
       "the Host header is not a valid host"},
      {"Host: an IP literal and a port", "GET", "/", 11, {{"Host", "[::1]:8080"}}, 0, ""},
      {"Host: percent-escapes and sub-delims", "GET", "/", 11, {{"Host", "a%41b!$&'()*+,;=:"}}, 0,
       ""},
      {"empty Host", "GET", "/", 11, {{"Host", ""}}, 0, ""},
      {"Transfer-Encoding in HTTP/1.0", "POST", "/", 10, {{"Transfer-Encoding", "chunked"}}, 400,
       "an HTTP/1.0 request cannot use Transfer-Encoding"},
      {"Transfer-Encoding and Content-Length", "POST", "/", 11,
       {{"Host", "t"}, {"Transfer-Encoding", "gzip"}, {"Content-Length", "5"}}, 400,
       "the request has both Content-Length and Transfer-Encoding"},
      {"chunked not final", "POST", "/", 11, {{"Host", "t"}, {"Transfer-Encoding", "chunked, gzip"}},
       400, "the request's final transfer coding is not chunked"},
      {"empty Transfer-Encoding", "POST", "/", 11, {{"Host", "t"}, {"Transfer-Encoding", " , "}},
       400, "the request's final transfer coding is not chunked"},
      {"chunked twice, over two lines", "POST", "/", 11,
       {{"Host", "t"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}, 400,
       "the request applies the chunked transfer coding more than once"},
      {"an unknown coding before chunked", "POST", "/", 11,
       {{"Host", "t"}, {"Transfer-Encoding", "gzip, chunked"}}, 501,
       "the transfer coding gzip is not implemented; only chunked is"},
      {"chunked, any case, with OWS and empty elements", "POST", "/", 11,
       {{"Host", "t"}, {"transfer-encoding", " ,\tChunked ,"}}, 0, ""},
      {"an unknown method", "FOO", "/", 11, {{"Host", "t"}}, 501,
       "the method FOO is not implemented"},
      {"methods are case-sensitive", "get", "/", 11, {{"Host", "t"}}, 501,
       "the method get is not implemented"},
      {"PATCH", "PATCH", "/", 11, {{"Host", "t"}}, 0, ""},
      {"asterisk-form with OPTIONS", "OPTIONS", "*", 11, {{"Host", "t"}}, 0, ""},
      {"asterisk-form with GET", "GET", "*", 11, {{"Host", "t"}}, 400,
       "the asterisk-form request-target is only for OPTIONS"},
      {"CONNECT", "CONNECT", "t:443", 11, {{"Host", "t:443"}}, 501,
       "CONNECT is not implemented: this is not a proxy"},
      {"relative target", "GET", "pets", 11, {{"Host", "t"}}, 400,
       "the request-target is not in origin-form, absolute-form (http or https) or asterisk-form"},
      {"another scheme", "GET", "ftp://t/pets", 11, {{"Host", "t"}}, 400,
       "the request-target is not in origin-form, absolute-form (http or https) or asterisk-form"},
      {"absolute-form", "GET", "http://t/pets?x=1", 11, {{"Host", "other"}}, 0, "/pets?x=1"},
      {"absolute-form, scheme in capitals, port", "GET", "HTTPS://t:8443/a", 11, {{"Host", "t"}}, 0,
       "/a"},
      {"absolute-form without a path", "GET", "http://t", 11, {{"Host", "t"}}, 0, "/"},
      {"absolute-form with a query and no path", "GET", "http://t?q", 11, {{"Host", "t"}}, 0,
       "/?q"},
      {"absolute-form with an empty host", "GET", "http:///pets", 11, {{"Host", "t"}}, 400,
       "the absolute-form request-target has no valid host"},
      {"absolute-form with only a port", "GET", "http://:80/pets", 11, {{"Host", "t"}}, 400,
       "the absolute-form request-target has no valid host"},
      {"absolute-form with userinfo", "GET", "http://u@t/pets", 11, {{"Host", "t"}}, 400,
       "the absolute-form request-target has no valid host"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    const auto check = check_request_head(row.method, row.target, row.version, row.fields);
    CHECK(check.status == row.status);
    if (row.status != 0) {
      CHECK(check.detail == row.detail);
    } else {
      CHECK(check.target == row.detail);
    }
  }
}

TEST_CASE("http conformance: versions Beast refuses") {
  CHECK(fix_version("GET / HTTP/2.0\r\nHost: t\r\n\r\n").status == 505);
  CHECK(fix_version("GET / HTTP/0.9\r\n").status == 505);
  const auto minor = fix_version("GET / HTTP/1.2\r\n");
  CHECK(minor.status == 0);
  CHECK(minor.minor_at == 13);
  // Malformed or incomplete: neither (the server answers 400).
  for (const char* line : {"GET / http/1.1\r\n", "GET / HTTP/1.x\r\n", "GET / HTTP/12\r\n",
                           "GET / HTTP/2.0", "HTTP/2.0\r\n", "GET /HTTP/2.0\r\n"}) {
    CAPTURE(line);
    const auto fix = fix_version(line);
    CHECK(fix.status == 0);
    CHECK(fix.minor_at == std::string_view::npos);
  }
}

TEST_CASE("http conformance: a request line over the header limit is 414, a header 431") {
  CHECK(header_limit_status(false) == 414);
  CHECK(header_limit_status(true) == 431);
}

TEST_CASE("http conformance: one empty line before the request-line is skipped") {
  CHECK(leading_empty_line("\r\nGET / HTTP/1.1\r\n") == 2);
  CHECK(leading_empty_line("\r\n") == 2);
  CHECK(leading_empty_line("\r") == 0);
  CHECK(leading_empty_line("\nGET / HTTP/1.1\r\n") == 0);
  CHECK(leading_empty_line("GET / HTTP/1.1\r\n") == 0);
  CHECK(leading_empty_line("") == 0);
}
