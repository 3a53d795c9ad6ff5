// The server writes response heads itself (runtime/src/server_session.cpp, `serialize`); this
// compares them byte for byte with what Beast's serializer wrote for the same response before.
#include <doctest/doctest.h>

#include <boost/beast/http.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "oasgen/problem.hpp"
#include "server_session.hpp"

namespace http = boost::beast::http;

namespace {

// The adapter's former `to_beast`, kept as the reference.
http::response<http::string_body> beast_message(oasgen::Response response, unsigned version,
                                                bool& keep_alive, bool head) {
  bool valid = response.status >= 200 && response.status <= 999;
  for (const auto& [name, value] : response.headers) {
    valid = valid && !name.empty() && name.find_first_of(" \t\r\n:") == std::string::npos &&
            value.find_first_of("\r\n") == std::string::npos;
  }
  if (!valid) response = oasgen::problem_response(500, "the handler produced an invalid response");
  http::response<http::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  std::optional<std::string> content_length;
  bool has_server = false;
  for (const auto& field : response.headers) {
    const boost::beast::string_view name(field.first.data(), field.first.size());
    const boost::beast::string_view value(field.second.data(), field.second.size());
    if (boost::beast::iequals(name, "Content-Length")) {
      content_length = std::string(value);
    } else if (boost::beast::iequals(name, "Connection")) {
      if (boost::beast::iequals(value, "close")) keep_alive = false;
    } else if (!boost::beast::iequals(name, "Transfer-Encoding")) {
      has_server = has_server || boost::beast::iequals(name, "Server");
      out.insert(name, value);
    }
  }
  const int status = response.status;
  if (status == 204 || status == 304) {
    response.body.clear();
    if (status == 304 && content_length) out.set(http::field::content_length, *content_length);
  } else if (head) {
    out.set(http::field::content_length,
            content_length.value_or(std::to_string(response.body.size())));
    response.body.clear();
  } else {
    out.content_length(response.body.size());
  }
  if (!has_server) out.set(http::field::server, "oasgen");
  out.keep_alive(keep_alive);
  out.body() = std::move(response.body);
  return out;
}

oasgen::Response make(int status, std::vector<std::pair<std::string, std::string>> fields,
                      std::string body) {
  oasgen::Response out;
  out.status = status;
  for (auto& [name, value] : fields) out.headers.add(std::move(name), std::move(value));
  out.body = std::move(body);
  return out;
}

}  // namespace

TEST_CASE("response wire: the head and body Beast's serializer wrote, byte for byte") {
  const std::vector<oasgen::Response> responses = {
      make(200, {{"Content-Type", "application/json"}}, R"({"id":7})"),
      make(201, {{"Location", "/pets/8"}, {"X-Request-Id", "abc"}, {"Vary", "Origin"}}, "{}"),
      make(204, {{"Content-Length", "10"}}, "dropped"),
      make(304, {{"ETag", "\"x\""}, {"Content-Length", "99"}}, ""),
      make(304, {{"ETag", "\"x\""}}, ""),
      make(404, {{"Content-Type", "application/problem+json"}}, R"({"status":404})"),
      make(299, {}, "unknown status"),
      make(599, {}, ""),
      make(200, {{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}}, "abcdef"),
      make(200, {{"Connection", "close"}}, "x"),
      make(200, {{"connection", "keep-alive"}}, "x"),
      make(200, {{"Server", "mine"}, {"server", "also"}}, "x"),
      make(200, {{"X-Empty", ""}, {"set-cookie", "a=1"}, {"Set-Cookie", "b=2"}}, "x"),
      make(200, {{"Bad Name", "x"}}, "x"),
      make(200, {{"X-Split", "a\r\nInjected: 1"}}, "x"),
      make(200, {{"", "x"}}, "x"),
      make(100, {}, "x"),
      make(1000, {}, "x"),
  };
  int row = 0;
  for (const auto& response : responses) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {true, false}) {
        for (bool head : {false, true}) {
          CAPTURE(row);
          CAPTURE(version);
          CAPTURE(keep_alive);
          CAPTURE(head);
          bool beast_keep = keep_alive, our_keep = keep_alive;
          std::ostringstream expected;
          expected << beast_message(response, version, beast_keep, head);
          std::string head_text = "left over", body;
          int status = 0;
          oasgen::detail::serialize(response, version, our_keep, head, head_text, body, status);
          CHECK(head_text + body == expected.str());
          CHECK(our_keep == beast_keep);
          CHECK(status == (response.status >= 200 && response.status <= 999 &&
                                   row != 13 && row != 14 && row != 15
                               ? response.status
                               : 500));
        }
      }
    }
    ++row;
  }
}
