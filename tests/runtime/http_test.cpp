#include "oasgen/http.hpp"

#include <doctest/doctest.h>

using oasgen::Headers;
using oasgen::percent_decode;

TEST_CASE("http: header names compare case-insensitively") {
  Headers headers;
  headers.add("Content-Type", "application/json");
  headers.add("X-Tag", "a");
  headers.add("x-tag", "b");
  CHECK(headers.get("content-type") == "application/json");
  CHECK(headers.contains("CONTENT-TYPE"));
  CHECK_FALSE(headers.contains("Content-Length"));
  CHECK(headers.get_all("X-TAG") == std::vector<std::string_view>{"a", "b"});
  CHECK(headers.get("x-tag") == "a");

  headers.set("X-TAG", "c");
  CHECK(headers.get_all("x-tag") == std::vector<std::string_view>{"c"});
  CHECK(headers.size() == 2);
  headers.remove("CONTENT-type");
  CHECK_FALSE(headers.contains("Content-Type"));
  CHECK(headers.size() == 1);
}

TEST_CASE("http: header fields keep their order, and a field copied from the list stays whole") {
  Headers headers;
  headers.add("A", "1");
  headers.add("Vary", "Origin");
  headers.add("B", std::string(300, 'x'));  // grows the list's text past its first reservation
  std::vector<std::pair<std::string, std::string>> seen;
  for (const auto& [name, value] : headers) seen.emplace_back(name, value);
  CHECK(seen == std::vector<std::pair<std::string, std::string>>{
                    {"A", "1"}, {"Vary", "Origin"}, {"B", std::string(300, 'x')}});
  CHECK(headers.begin()->first == "A");

  // Views into the list as arguments: the text may move while they are read.
  const auto [name, value] = *std::next(headers.begin());
  headers.add(name, value);
  headers.set("C", *headers.get("B"));
  CHECK(headers.get_all("vary") == std::vector<std::string_view>{"Origin", "Origin"});
  CHECK(headers.get("C") == std::string(300, 'x'));

  // A list set over and over keeps only what it holds.
  for (int i = 0; i < 1000; ++i) headers.set("B", std::string(100 + i % 7, 'y'));
  CHECK(headers.size() == 5);
  CHECK(headers.get("B")->size() == 100 + 999 % 7);
  CHECK(headers.get("C") == std::string(300, 'x'));
  CHECK(headers.get("A") == "1");
}

TEST_CASE("http: iequals folds ASCII case only") {
  CHECK(oasgen::iequals("Application/JSON", "application/json"));
  CHECK_FALSE(oasgen::iequals("json", "jsonx"));
  CHECK_FALSE(oasgen::iequals("\xC3\x84", "\xC3\xA4"));  // Ä and ä are different bytes
}

TEST_CASE("http: the target splits at the first '?'") {
  struct Case {
    std::string target, path, query;
  };
  for (const Case& c : std::vector<Case>{
           {"/pets/7?verbose=true", "/pets/7", "verbose=true"},
           {"/pets", "/pets", ""},
           {"/pets?", "/pets", ""},
           {"/a?b=?c", "/a", "b=?c"},
       }) {
    oasgen::Request request;
    request.target = c.target;
    CAPTURE(c.target);
    CHECK(request.path() == c.path);
    CHECK(request.query() == c.query);
  }
}

TEST_CASE("http: reason phrases of common status codes") {
  std::vector<std::pair<int, std::string_view>> cases = {
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {204, "No Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {304, "Not Modified"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {409, "Conflict"},
      {413, "Content Too Large"},
      {415, "Unsupported Media Type"},
      {422, "Unprocessable Content"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {503, "Service Unavailable"},
      {299, "Unknown Status"},
  };
  for (const auto& [status, phrase] : cases) {
    const int captured_status = status;  // C++17: a lambda (CAPTURE) cannot capture a binding
    CAPTURE(captured_status);
    CHECK(oasgen::reason_phrase(status) == phrase);
  }
}

TEST_CASE("http: percent_decode") {
  CHECK(percent_decode("a%20b%2Fc%2fd") == "a b/c/d");
  CHECK(percent_decode("a+b") == "a+b");
  CHECK(percent_decode("a+b%2B", true) == "a b+");
  CHECK(percent_decode("%E2%82%AC") == "\xE2\x82\xAC");
  CHECK(percent_decode("%00") == std::string(1, '\0'));
  CHECK(percent_decode("") == "");
  CHECK(percent_decode("%") == std::nullopt);
  CHECK(percent_decode("%2") == std::nullopt);
  CHECK(percent_decode("abc%2") == std::nullopt);
  CHECK(percent_decode("%G0") == std::nullopt);
  CHECK(percent_decode("%0g") == std::nullopt);
}

TEST_CASE("http: HexId holds its digits in place and reads as a string_view") {
  oasgen::HexId<16> id;
  CHECK(id.empty());
  CHECK(id == "");
  id = "00f067aa0ba902b7";
  CHECK(id.size() == 16);
  CHECK(id == "00f067aa0ba902b7");
  CHECK("00f067aa0ba902b7" == id);
  CHECK(id != "00f067aa0ba902b8");
  CHECK(id.str() == std::string("00f067aa0ba902b7"));
  const std::string_view view = id;
  CHECK(view == "00f067aa0ba902b7");
  CHECK_THROWS_AS(id = "00f067aa0ba902b71", std::length_error);
  CHECK(id == "00f067aa0ba902b7");  // unchanged by the refused assignment

  oasgen::HexId<32> a, b;
  a.randomize();
  b.randomize();
  CHECK(a.size() == 32);
  CHECK(a.view().find_first_not_of("0123456789abcdef") == std::string_view::npos);
  CHECK(a != b);
  b = a.view();
  CHECK(a == b);
  b.clear();
  CHECK(b.empty());

  oasgen::TraceContext trace;
  trace.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  trace.parent_id = "00f067aa0ba902b7";
  trace.flags = "01";
  CHECK(trace.traceparent() == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  trace.span_id = "b7ad6b7169203331";
  CHECK(trace.traceparent() == "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01");
}
