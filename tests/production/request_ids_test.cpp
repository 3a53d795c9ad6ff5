#include "oasgen/middleware/request_ids.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <nlohmann/json.hpp>
#include <string>

#include "oasgen/problem.hpp"
#include "oasgen/router.hpp"

namespace {

using oasgen::Request;
using oasgen::Response;

// A router with RequestIds, whose handler records the request it saw.
struct Fixture {
  Fixture() {
    router.use(std::make_shared<oasgen::RequestIds>());
    router.add("GET", "/ok", [this](const Request& request) {
      seen = request;
      Response response;
      response.headers.set("Content-Type", "application/json");
      response.body = R"({"status":"ok"})";
      return response;
    });
    router.add("GET", "/problem", [this](const Request& request) {
      seen = request;
      return oasgen::problem_response(409, "taken");
    });
    router.add("GET", "/problem-charset", [](const Request&) {
      Response response = oasgen::problem_response(409, "taken");
      response.headers.set("Content-Type", "Application/Problem+JSON; charset=utf-8");
      return response;
    });
  }

  Response get(const std::string& target,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request request;
    request.method = "GET";
    request.target = target;
    for (auto& [name, value] : headers) request.headers.add(name, value);
    return router.handle(std::move(request));
  }

  oasgen::Router router;
  Request seen;
};

bool is_hex(std::string_view text, std::size_t size) {
  return text.size() == size && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

TEST_CASE("request ids: a well-formed X-Request-Id is taken and echoed") {
  Fixture fixture;
  for (const std::string& id :
       std::vector<std::string>{"abc", "7f1c-9a:x.y_z", std::string(128, 'a')}) {
    CAPTURE(id);
    Response response = fixture.get("/ok", {{"X-Request-Id", id}});
    CHECK(response.headers.get("X-Request-Id") == id);
    CHECK(fixture.seen.request_id == id);
  }
}

TEST_CASE("request ids: a malformed X-Request-Id is replaced by a made one") {
  Fixture fixture;
  for (const std::string& id :
       {std::string(129, 'a'), std::string("a b"), std::string("a\"b"), std::string("caf\xc3\xa9"),
        std::string("a/b"), std::string("<x>")}) {
    CAPTURE(id);
    Response response = fixture.get("/ok", {{"X-Request-Id", id}});
    CHECK(is_hex(fixture.seen.request_id, 16));
    CHECK(response.headers.get("X-Request-Id") == fixture.seen.request_id);
  }
  fixture.get("/ok");
  CHECK(is_hex(fixture.seen.request_id, 16));
}

TEST_CASE("request ids: is_valid_request_id") {
  CHECK(oasgen::is_valid_request_id("a"));
  CHECK(oasgen::is_valid_request_id("A-Z_0.9:x"));
  CHECK_FALSE(oasgen::is_valid_request_id(""));
  CHECK_FALSE(oasgen::is_valid_request_id(std::string(129, '1')));
  CHECK_FALSE(oasgen::is_valid_request_id("a\r\nb"));
}

// The W3C Trace Context recommendation, section 3.2 (and its test suite's cases).
TEST_CASE("request ids: traceparent parsing") {
  const std::string trace = "4bf92f3577b34da6a3ce929d0e0e4736", parent = "00f067aa0ba902b7";
  struct Case {
    std::string value;
    bool valid;
  };
  const Case cases[] = {
      {"00-" + trace + "-" + parent + "-01", true},
      {"00-" + trace + "-" + parent + "-00", true},
      {"00-" + trace + "-" + parent + "-ff", true},  // unknown flags are kept
      {"01-" + trace + "-" + parent + "-01", true},  // a later version, same fields
      {"cc-" + trace + "-" + parent + "-01-what-the-future-holds", true},
      {"00-" + trace + "-" + parent + "-01-extra", false},  // version 00 has exactly 4 fields
      {"01-" + trace + "-" + parent + "-01x", false},       // later versions continue with '-'
      {"ff-" + trace + "-" + parent + "-01", false},        // version ff is invalid
      {"0g-" + trace + "-" + parent + "-01", false},
      {"0-" + trace + "-" + parent + "-01", false},
      {"00-4BF92F3577B34DA6A3CE929D0E0E4736-" + parent + "-01", false},  // upper case
      {"00-" + std::string(32, '0') + "-" + parent + "-01", false},      // all-zero trace id
      {"00-" + trace + "-" + std::string(16, '0') + "-01", false},       // all-zero parent id
      {"00-" + trace.substr(1) + "-" + parent + "-01", false},
      {"00-" + trace + "-" + parent + "-1", false},
      {"00-" + trace + "-" + parent + "-0x", false},
      {"00_" + trace + "_" + parent + "_01", false},
      {"", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    oasgen::TraceContext context;
    CHECK(oasgen::parse_traceparent(c.value, context) == c.valid);
    if (c.valid) {
      CHECK(context.trace_id == trace);
      CHECK(context.parent_id == parent);
      CHECK(context.flags == c.value.substr(53, 2));
    }
  }
}

TEST_CASE("request ids: a valid traceparent continues the trace with a new span") {
  Fixture fixture;
  const std::string incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  fixture.get("/ok", {{"traceparent", incoming},
                      {"tracestate", "congo=t61rcWkgMzE"},
                      {"tracestate", "rojo=00f067aa0ba902b7"}});
  const oasgen::TraceContext& trace = fixture.seen.trace;
  CHECK(trace.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(trace.parent_id == "00f067aa0ba902b7");
  CHECK(is_hex(trace.span_id, 16));
  CHECK(trace.span_id != trace.parent_id);
  CHECK(trace.flags == "01");
  CHECK(trace.state == "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  CHECK(trace.traceparent() == "00-4bf92f3577b34da6a3ce929d0e0e4736-" + trace.span_id.str() + "-01");
}

TEST_CASE("request ids: an invalid or repeated traceparent starts a new trace without tracestate") {
  Fixture fixture;
  const std::string valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const std::vector<std::vector<std::pair<std::string, std::string>>> requests = {
      {{"traceparent", "00-" + std::string(32, '0') + "-00f067aa0ba902b7-01"},
       {"tracestate", "a=b"}},
      {{"traceparent", valid}, {"traceparent", valid}, {"tracestate", "a=b"}},
      {{"tracestate", "a=b"}},
  };
  for (const auto& headers : requests) {
    fixture.get("/ok", headers);
    const oasgen::TraceContext& trace = fixture.seen.trace;
    CHECK(is_hex(trace.trace_id, 32));
    CHECK(trace.trace_id != "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(trace.parent_id.empty());
    CHECK(is_hex(trace.span_id, 16));
    CHECK(trace.flags == "00");
    CHECK(trace.state.empty());
  }
}

TEST_CASE("request ids: problem bodies name the request id and trace id") {
  Fixture fixture;
  Response response = fixture.get("/problem", {{"X-Request-Id", "req-1"}});
  const auto body = nlohmann::json::parse(response.body);
  CHECK(body["request_id"] == "req-1");
  CHECK(body["trace_id"] == fixture.seen.trace.trace_id);
  CHECK(body["status"] == 409);
  CHECK(body["detail"] == "taken");

  // The router's own problems too (404), and a problem media type with parameters.
  CHECK(nlohmann::json::parse(
            fixture.get("/nowhere", {{"X-Request-Id", "req-2"}}).body)["request_id"] == "req-2");
  CHECK(nlohmann::json::parse(
            fixture.get("/problem-charset", {{"X-Request-Id", "req-3"}}).body)["request_id"] ==
        "req-3");

  // Other bodies are left alone.
  CHECK(fixture.get("/ok", {{"X-Request-Id", "req-4"}}).body == R"({"status":"ok"})");
}

TEST_CASE("request ids: the members are added to any problem object, and replace their own") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{}", R"({"request_id":"req-5","trace_id":"T"})"},
      {" \n{ }", " \n{\"request_id\":\"req-5\",\"trace_id\":\"T\" }"},
      {R"({"a":{"request_id":1},"b":[{}]})",
       R"({"request_id":"req-5","trace_id":"T","a":{"request_id":1},"b":[{}]})"},
      {R"({"trace_id":"old","status":400})", R"({"request_id":"req-5","status":400,"trace_id":"T"})"},
      {"[1,2]", "[1,2]"},
      {R"({"unclosed":)", R"({"unclosed":)"},
  };
  for (const auto& entry : cases) {
    const auto& body = entry.first;
    const auto& expected = entry.second;
    oasgen::Router router;
    router.use(std::make_shared<oasgen::RequestIds>());
    router.add("GET", "/p", [body = body](const Request&) {
      Response response;
      response.status = 400;
      response.headers.set("Content-Type", "application/problem+json");
      response.body = body;
      return response;
    });
    Request request;
    request.method = "GET";
    request.target = "/p";
    request.headers.add("X-Request-Id", "req-5");
    Response response = router.handle(std::move(request));
    const auto trace_at = response.body.find("\"trace_id\":\"");
    std::string body_seen = response.body;
    if (trace_at != std::string::npos && expected.find("\"T\"") != std::string::npos) {
      const std::size_t start = trace_at + 12;
      body_seen.replace(start, body_seen.find('"', start) - start, "T");
    }
    CAPTURE(body);
    CHECK(body_seen == expected);
  }
}

// RequestIds reads problem bodies with a scanner of its own rather than nlohmann's parser (a 422's
// parse cost more than the rest of the request); nlohmann stays the judge: whatever it refuses
// or reads as something other than an object is left alone, every object gets our members.
TEST_CASE("request ids: problem bodies are judged as nlohmann's parser judges them") {
  const std::vector<std::string> seeds = {
      R"({"type":"about:blank","status":400,"detail":"x \"quoted\" \\ \/ \b\f\n\r\t"})",
      R"({"errors":[{"pointer":"/a/0","message":"must be > 0"},{"n":-0.5e-3}],"status":422})",
      "\xEF\xBB\xBF{\"bom\":true}",
      " \t\r\n{ \"a\" : [ 1 , 2.5 , -3e+2 , true , false , null , { } , [ ] ] } \n",
      u8R"({"text":"é€😀 \u00e9 \ud83d\ude00"})",
      R"({"request\u005fid":"escaped name","x":1})",
      R"({"a":{"request_id":1},"trace_id":"old"})",
      R"({"big":1e308,"huge":1e309,"tiny":1e-400,"long":123456789012345678901234567890})",
      R"({"deep":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
      "{\"ctl\":\"a\x01\"}",
      "{\"bad\":\"\xC0\xAF\"}",
      "{\"bad\":\"\xED\xA0\x80\"}",
      "{\"bad\":\"\xF4\x90\x80\x80\"}",
      "{\"ok\":\"\xF0\x90\x80\x80\xE0\xA0\x80\xC2\x80\"}",
      R"({"lone":"\udc00"})",
      R"({"pair":"\ud800x"})",
      R"({"hex":"\u12G4"})",
      R"({"a":01})",
      R"({"a":1.})",
      R"({"a":-})",
      R"({"a":1,})",
      R"({,"a":1})",
      R"({"a" 1})",
      R"({"a":1}{})",
      R"({"a":[1,]})",
      R"({"a":tru})",
      R"({"a":nul})",
      "{\"a\":1}\x00",
      "[{\"a\":1}]",
      "\"text\"",
      "",
      "   ",
      "{",
      "}",
  };
  oasgen::RequestIds ids;
  Request request;
  request.request_id = "req-9";
  request.trace.trace_id = std::string(32, 'a');
  std::mt19937 random(14);
  std::vector<std::string> bodies = seeds;
  // Bytes changed, dropped and added at random, from the bytes JSON is made of.
  const std::string alphabet = "{}[]:,\"\\ \nab01-.eE+u\x80\xC3\xA9\xFF\x1F";
  for (int i = 0; i < 8000; ++i) {
    std::string body = seeds[random() % seeds.size()];
    for (int edits = random() % 2 ? 1 : 1 + static_cast<int>(random() % 3); edits > 0; --edits) {
      const std::size_t at = body.empty() ? 0 : random() % body.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          if (!body.empty()) body[at] = c;
          break;
        case 1:
          if (!body.empty()) body.erase(at, 1);
          break;
        default:
          body.insert(at, 1, c);
      }
    }
    bodies.push_back(std::move(body));
  }
  int objects = 0;
  for (const std::string& body : bodies) {
    Response response;
    response.status = 400;
    response.headers.set("Content-Type", "application/problem+json");
    response.body = body;
    ids.on_response(request, response);
    CAPTURE(body);
    nlohmann::json expected = nlohmann::json::parse(body, nullptr, false);
    if (expected.is_discarded() || !expected.is_object()) {
      CHECK(response.body == body);
      continue;
    }
    ++objects;
    expected["request_id"] = "req-9";
    expected["trace_id"] = request.trace.trace_id;
    CHECK(nlohmann::json::parse(response.body, nullptr, false) == expected);
  }
  CHECK(objects > 500);  // the mutations keep enough bodies valid to matter
}
