// The server's request path without a socket: raw bytes through Beast's request parser (the one
// and the limits Server uses), up to four pipelined requests, each into the generated routes of
// specs/petstore.yaml (the example's PetStore) and specs/features.yaml (the e2e tests' Echo).
// The server's own head checks (runtime/src/http_conformance.hpp) run between parser and router,
// as in Session::conform_head. Properties: no crash; no 5xx but 501 (the only exception the
// handlers throw); every error response is application/problem+json with the response's status
// (or an error the API declares); no header carries CR or LF; a head the checks accept reaches the
// router in origin-form or asterisk-form.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <oasgen/router.hpp>

#include "features_echo.hpp"
#include "fuzz_util.hpp"
#include "http_conformance.hpp"
#include "pet_store.hpp"

namespace {

namespace http = boost::beast::http;

struct Apis {
  Apis() {
    petstore::register_routes(petstore_router, store);
    features::register_routes(features_router, echo);
  }
  example::PetStore store;
  Echo echo;
  oasgen::Router petstore_router, features_router;
};

// `declared_errors`: the API declares error responses of its own (petstore's Error: {code,
// message} as application/json), which its handler returns as they are.
void check(const oasgen::Request& request, const oasgen::Response& response, bool declared_errors) {
  const std::string where = request.method + " " + request.target + " -> " +
                            std::to_string(response.status) + " " + response.body;
  OASGEN_FUZZ_CHECK(response.status >= 100 && response.status <= 599, "status out of range: " + where);
  OASGEN_FUZZ_CHECK(response.status < 500 || response.status == 501, "a 5xx no handler threw: " + where);
  for (const auto& [name, value] : response.headers) {
    OASGEN_FUZZ_CHECK(name.find_first_of("\r\n") == std::string::npos &&
                          value.find_first_of("\r\n") == std::string::npos,
                      "CR or LF in a response header: " + where);
  }
  if (response.status < 400 || request.method == "HEAD") return;
  const auto type = response.headers.get("Content-Type");
  const auto problem = nlohmann::json::parse(response.body, nullptr, false);
  if (declared_errors && type && *type == "application/json") {
    OASGEN_FUZZ_CHECK(problem.is_object() && problem.contains("code") &&
                          problem["code"] == response.status && problem.contains("message"),
                      "a declared error that is not the API's Error: " + where);
    return;
  }
  OASGEN_FUZZ_CHECK(type && *type == "application/problem+json", "an error that is not a problem: " + where);
  OASGEN_FUZZ_CHECK(problem.is_object() && problem.contains("status") &&
                        problem["status"] == response.status && problem.contains("title") &&
                        problem["title"].is_string(),
                    "a problem body that is not valid problem+json: " + where);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Apis apis;  // afresh for each input: the store's state stays out of the result
  std::string_view rest = oasgen::fuzz::text(data, size);
  for (int n = 0; n < 4 && !rest.empty(); ++n) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(1024 * 1024);
    // As the server reads: the header (async_read_header), the head checks, then the body
    // (async_read, which makes the parser eager).
    const auto feed = [&](auto done) {
      boost::beast::error_code ec;
      while (!ec && !done()) {
        const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
        rest.remove_prefix(used);
        // need_more, or 0 bytes and no error (a body that wants more than is left;
        // corpus/http/truncated_body.txt hung this loop): Beast's read loop reads more bytes
        // before it calls put again, and put must then see more than it had (called again on the
        // same bytes it asserts: corpus/http/final_chunk_bare_lf.txt). The input has no more, so
        // the connection ends here.
        if (ec == http::error::need_more || (!ec && used == 0)) {
          ec = {};
          parser.put_eof(ec);
          if (!ec && !done()) ec = http::error::partial_message;
        }
      }
      return !ec;  // false: the server answers 400/413/431 and closes, or times out
    };
    parser.eager(false);
    if (!feed([&] { return parser.is_header_done(); })) return 0;
    auto& message = parser.get();
    const auto view = [](boost::beast::string_view s) { return std::string_view(s.data(), s.size()); };
    std::vector<oasgen::detail::HeadField> fields;
    for (const auto& field : message) {
      fields.emplace_back(view(field.name_string()), view(field.value()));
    }
    const auto head = oasgen::detail::check_request_head(
        view(message.method_string()), view(message.target()), message.version(), fields);
    if (head.status != 0) {
      OASGEN_FUZZ_CHECK(head.status == 400 || head.status == 501, "head check status");
      return 0;  // the server answers it and closes
    }
    parser.eager(true);
    if (!feed([&] { return parser.is_done(); })) return 0;
    oasgen::Request request;
    request.method = std::string(message.method_string());
    request.target = head.target.empty() ? std::string(message.target()) : head.target;
    OASGEN_FUZZ_CHECK(request.target.front() == '/' || request.target == "*",
                      "the router gets a target in origin-form: " + request.target);
    for (const auto& field : message) {
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = "127.0.0.1:1";
    check(request, apis.petstore_router.handle(request), true);
    check(request, apis.features_router.handle(request), false);
    if (!message.keep_alive()) break;
  }
  return 0;
}
