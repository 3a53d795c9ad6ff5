#include "oasgen/dispatch.hpp"

#include <doctest/doctest.h>

#include <random>

using nlohmann::json;
using oasgen::Location;
using oasgen::Request;
using oasgen::RequestReader;

namespace {

Request json_request(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.target = "/pets";
  if (!content_type.empty()) request.headers.add("Content-Type", content_type);
  request.body = std::move(body);
  return request;
}

json problem_json(RequestReader& reader) {
  auto response = reader.problem();
  REQUIRE(response.has_value());
  CHECK(response->headers.get("Content-Type") == "application/problem+json");
  json problem = json::parse(response->body);
  CHECK(problem["status"] == response->status);
  return problem;
}

}  // namespace

TEST_CASE("dispatch: JSON media types are accepted with UTF-8 or no charset") {
  for (std::string type : {"application/json", "Application/JSON",
                           "application/json; charset=utf-8", "application/json;charset=\"UTF-8\"",
                           "application/merge-patch+json", "application/vnd.api+json ; q=1"}) {
    CAPTURE(type);
    Request request = json_request(R"({"a":1})", type);
    RequestReader reader(request);
    CHECK(reader.json_body(true) == json{{"a", 1}});
    CHECK(reader.problem() == std::nullopt);
  }
}

TEST_CASE("dispatch: other media types are 415") {
  struct Case {
    std::string content_type, detail;
  };
  for (const Case& c : std::vector<Case>{
           {"text/plain", "expected Content-Type application/json, got 'text/plain'"},
           {"application/json; charset=latin1",
            "expected Content-Type application/json, got 'application/json; charset=latin1'"},
           {"application/jsonx", "expected Content-Type application/json, got 'application/jsonx'"},
           {"application/+json", "expected Content-Type application/json, got 'application/+json'"},
           {"", "expected Content-Type application/json, got none"},
       }) {
    CAPTURE(c.content_type);
    Request request = json_request("{}", c.content_type);
    RequestReader reader(request);
    CHECK(reader.json_body(false) == std::nullopt);
    json problem = problem_json(reader);
    CHECK(problem == json{{"type", "about:blank"},
                          {"title", "Unsupported Media Type"},
                          {"status", 415},
                          {"detail", c.detail}});
  }
}

TEST_CASE("dispatch: an absent body") {
  Request request = json_request("", "");
  RequestReader optional_reader(request);
  CHECK(optional_reader.json_body(false) == std::nullopt);
  CHECK(optional_reader.problem() == std::nullopt);

  RequestReader required_reader(request);
  CHECK(required_reader.json_body(true) == std::nullopt);
  json problem = problem_json(required_reader);
  CHECK(problem["status"] == 400);
  CHECK(problem["errors"] == json::parse(R"([{"location":"body","pointer":"","keyword":"required",
                                               "message":"missing required request body"}])"));
}

TEST_CASE("dispatch: malformed JSON is 400 with the byte offset") {
  struct Case {
    std::string body, detail;
  };
  for (
      const Case& c : std::vector<Case>{
          {R"({"a":tru})",
           "invalid JSON at byte 9: syntax error while parsing value - invalid literal; last read: "
           "'\"a\":tru}'"},
          {"{\"a\":\"\xFF\"}",
           "invalid JSON at byte 7: syntax error while parsing value - invalid string: ill-formed "
           "UTF-8 byte; last read: '\"\xEF\xBF\xBD'"},
          {"[1] x",
           "invalid JSON at byte 5: syntax error while parsing value - invalid literal; last read: "
           "'1] x'; expected end of input"},
      }) {
    CAPTURE(c.body);
    Request request = json_request(c.body);
    RequestReader reader(request);
    CHECK(reader.json_body(true) == std::nullopt);
    json problem = problem_json(reader);
    CHECK(problem["status"] == 400);
    CHECK(problem["type"] == "urn:oasgen:problem:malformed-request");
    CHECK(problem["detail"] == c.detail);
  }
}

TEST_CASE("dispatch: a body reads as json::parse reads it, errors included, on mutated documents") {
  const std::string seed =
      R"({"name":"Rex","tags":["a","\u00e9",""],"weightKg":12.5,"n":-7,"big":18446744073709551615,)"
      R"("nested":{"x":[true,false,null,{}],"y":1e300},"text":"caf\u00e9 \ud83d\udc36"})";
  std::mt19937 random(15);
  const std::string bytes = "{}[]\",:0123456789.-+eEtrufalsn \\\xc3\xa9\xff";
  for (int i = 0; i < 3000; ++i) {
    std::string body = seed;
    for (int edits = 1 + static_cast<int>(random() % 3); edits > 0; --edits) {
      const std::size_t at = random() % body.size();
      switch (random() % 3) {
        case 0:
          body[at] = bytes[random() % bytes.size()];
          break;
        case 1:
          body.erase(at, 1 + random() % 4);
          break;
        default:
          body.insert(at, 1, bytes[random() % bytes.size()]);
      }
      if (body.empty()) body = "x";
    }
    CAPTURE(body);
    Request request = json_request(body);
    RequestReader reader(request);
    const std::optional<json> read = reader.json_body(true);
    try {
      const json expected = json::parse(body);
      REQUIRE(read.has_value());
      CHECK(read->dump() == expected.dump());
    } catch (const json::parse_error& error) {
      CHECK_FALSE(read.has_value());
      const std::string what = error.what();
      const std::string detail = "invalid JSON at byte " + std::to_string(error.byte) + ": " +
                                 what.substr(what.find(": ") + 2);
      // The problem body carries the detail with invalid UTF-8 replaced.
      CHECK(problem_json(reader)["detail"].dump() ==
            json(detail).dump(-1, ' ', false, json::error_handler_t::replace));
    } catch (const json::out_of_range&) {
      // A number past double's range ("1e400"): 400, see the next case.
      CHECK_FALSE(read.has_value());
      CHECK(problem_json(reader)["status"] == 400);
    }
  }
}

TEST_CASE("dispatch: a number beyond double's range is 400, not an exception") {
  // nlohmann throws out_of_range (406), not parse_error, for these; it used to escape json_body
  // and the router answered 500 (found by fuzz_params: corpus/params/number_overflow.txt).
  for (const std::string body : {"1e999", R"({"a": 1e999})", R"({"weightKg": -1e400, "b": [1]})"}) {
    CAPTURE(body);
    Request request = json_request(body);
    RequestReader reader(request);
    CHECK(reader.json_body(true) == std::nullopt);
    json problem = problem_json(reader);
    CHECK(problem["status"] == 400);
    CHECK(problem["type"] == "urn:oasgen:problem:malformed-request");
    CHECK(problem["detail"].get<std::string>().rfind("invalid JSON: number overflow parsing '", 0) == 0);
  }
}

TEST_CASE("dispatch: JSON nested deeper than the limit is 400") {
  std::string ok = std::string(4, '[') + std::string(4, ']');
  std::string deep = std::string(5, '[') + std::string(5, ']');
  Request ok_request = json_request(ok);
  RequestReader ok_reader(ok_request, oasgen::DecodeLimits{4});
  CHECK(ok_reader.json_body(true).has_value());
  CHECK(ok_reader.problem() == std::nullopt);

  Request deep_request = json_request(deep);
  RequestReader deep_reader(deep_request, oasgen::DecodeLimits{4});
  CHECK(deep_reader.json_body(true) == std::nullopt);
  json problem = problem_json(deep_reader);
  CHECK(problem["status"] == 400);
  CHECK(problem["detail"] == "JSON nested deeper than 4 levels");

  // Far past the default limit, the parser stops early instead of building the whole tree.
  std::string hostile = std::string(1'000'000, '[');
  Request hostile_request = json_request(hostile);
  RequestReader hostile_reader(hostile_request);
  CHECK(hostile_reader.json_body(true) == std::nullopt);
  CHECK(problem_json(hostile_reader)["detail"] == "JSON nested deeper than 64 levels");
}

TEST_CASE("dispatch: body validation failures are 422 with every error") {
  Request request = json_request(R"({"name": "", "age": "x"})");
  RequestReader reader(request);
  auto body = reader.json_body(true);
  REQUIRE(body.has_value());
  oasgen::Validator& v = reader.validator();
  {
    auto at = v.enter("name");
    v.min_length((*body)["name"], 1);
  }
  {
    auto at = v.enter("age");
    v.type((*body)["age"], oasgen::JsonType::Integer);
  }
  json problem = problem_json(reader);
  CHECK(problem == json::parse(R"({
    "type": "urn:oasgen:problem:validation", "title": "Unprocessable Content", "status": 422,
    "detail": "2 validation errors",
    "errors": [
      {"location": "body", "pointer": "/name", "keyword": "minLength",
       "message": "must be at least 1 character long"},
      {"location": "body", "pointer": "/age", "keyword": "type",
       "message": "expected integer, got string"}]})"));
}

TEST_CASE("dispatch: a failed parameter makes it 400") {
  Request request = json_request(R"({"name": ""})");
  request.target = "/pets?limit=abc";
  RequestReader reader(request);
  oasgen::ParamSpec limit_spec{"limit",
                               Location::Query,
                               oasgen::ParamStyle::Form,
                               true,
                               false,
                               oasgen::ParamShape::Scalar,
                               oasgen::JsonType::Integer};
  auto limit = reader.param(limit_spec);
  REQUIRE(limit.has_value());
  oasgen::Validator& v = reader.validator();
  {
    auto at = v.enter(Location::Query);
    auto name = v.enter("limit");
    v.type(*limit, oasgen::JsonType::Integer);
  }
  auto body = reader.json_body(true);
  {
    auto at = v.enter("name");
    v.min_length((*body)["name"], 1);
  }
  json problem = problem_json(reader);
  CHECK(problem["status"] == 400);
  CHECK(problem["title"] == "Bad Request");
  CHECK(problem["detail"] == "2 validation errors");
  CHECK(problem["errors"][0] == json::parse(R"({"location": "query", "pointer": "/limit",
        "keyword": "type", "message": "expected integer, got string"})"));
  CHECK(problem["errors"][1]["location"] == "body");
}

TEST_CASE("dispatch: the first rejection wins over collected errors") {
  Request request = json_request("{}", "text/plain");
  RequestReader reader(request);
  reader.validator().fail("type", "x");
  CHECK(reader.json_body(true) == std::nullopt);
  CHECK(reader.problem()->status == 415);
}

TEST_CASE("dispatch: json_response is compact and never throws on bad UTF-8") {
  oasgen::Response response = oasgen::json_response(201, json{{"id", 7}, {"name", "a\xFF"}});
  CHECK(response.status == 201);
  CHECK(response.headers.get("Content-Type") == "application/json");
  CHECK(response.body == "{\"id\":7,\"name\":\"a\xEF\xBF\xBD\"}");
}

TEST_CASE("dispatch: a body with text that is not valid UTF-8 is 400, wherever the text is") {
  for (std::string body : {
           std::string("{\"a\":\"\xC0\x80\"}"),          // overlong encoding of U+0000
           std::string("{\"a\":\"\xED\xA0\x80\"}"),      // a surrogate, encoded
           std::string("{\"a\":\"\xF4\x90\x80\x80\"}"),  // past U+10FFFF
           std::string("{\"a\":\"\xE2\x82\"}"),          // truncated sequence
           std::string("{\"\xFF\":1}"),                  // in a member name
           std::string("[\"\\ud800\"]"),                 // an unpaired surrogate escape
       }) {
    CAPTURE(body);
    Request request = json_request(body);
    RequestReader reader(request);
    CHECK(reader.json_body(true) == std::nullopt);
    json problem = problem_json(reader);
    CHECK(problem["status"] == 400);
    CHECK(problem["type"] == "urn:oasgen:problem:malformed-request");
  }
}

TEST_CASE("dispatch: a multipart part with a filename is a file, and keeps its labels") {
  static constexpr oasgen::ParamSpec kFields[] = {
      {"title", Location::Body, oasgen::ParamStyle::Form, true, false, oasgen::ParamShape::Scalar,
       oasgen::JsonType::String},
      {"avatar", Location::Body, oasgen::ParamStyle::Form, true, true, oasgen::ParamShape::Scalar,
       oasgen::JsonType::String},
      {"docs", Location::Body, oasgen::ParamStyle::Form, true, false, oasgen::ParamShape::Array,
       oasgen::JsonType::String},
  };
  // As curl and browsers write it: a quoted filename may hold ';' and '\"'; HTML forms send '"'
  // as %22. A JSON file is still a file: its bytes are not parsed.
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"me; \\\"1\\\".png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n"
      "--b\r\nContent-Disposition: form-data; name=docs; filename=\"a%22b.json\"\r\n"
      "Content-Type: application/json\r\n\r\n{\"not\": \"parsed\"}\r\n"
      "--b\r\nContent-Disposition: form-data; filename=\"\"; name=\"docs\"\r\n\r\n\r\n"
      "--b--\r\n";
  Request request = json_request(body, "multipart/form-data; boundary=\"b\"");
  RequestReader reader(request);
  const auto decoded = reader.body(true, oasgen::BodySpec{false, false, true, kFields, 3});
  REQUIRE(decoded.has_value());
  CHECK(*decoded == json{{"title", "Holiday"}, {"avatar", "\x89PNG"}, {"docs", {"{\"not\": \"parsed\"}", ""}}});
  CHECK(reader.problem() == std::nullopt);

  oasgen::File avatar = (*decoded)["avatar"].get<oasgen::File>();
  reader.attach_files("avatar", avatar);
  CHECK(avatar == oasgen::File{"\x89PNG", "me; \"1\".png", "image/png"});
  std::optional<std::vector<oasgen::File>> docs = (*decoded)["docs"].get<std::vector<oasgen::File>>();
  reader.attach_files("docs", docs);
  CHECK(docs->at(0) == oasgen::File{"{\"not\": \"parsed\"}", "a\"b.json", "application/json"});
  CHECK(docs->at(1) == oasgen::File{"", "", ""});
  oasgen::File missing;
  reader.attach_files("nothing", missing);
  CHECK(missing == oasgen::File{});
}

TEST_CASE("dispatch: raw bodies match wildcard media types, and default to application/octet-stream") {
  struct Case {
    std::string content_type;
    std::string accepted;
    std::string media_type;  // empty: 415
  };
  for (const Case& c : std::vector<Case>{
           {"image/png", "image/*", "image/png"},
           {"Image/PNG; q=1", "image/*", "image/png"},
           {"text/plain", "image/*", ""},
           {"imagex/png", "image/*", ""},
           {"application/pdf", "*/*", "application/pdf"},
           {"", "application/octet-stream", "application/octet-stream"},
           {"", "*/*", "application/octet-stream"},
           {"", "text/plain", ""},
       }) {
    CAPTURE(c.content_type);
    CAPTURE(c.accepted);
    Request request = json_request("\x01\x02", c.content_type);
    RequestReader reader(request);
    const auto body = reader.raw_body(true, {c.accepted});
    if (c.media_type.empty()) {
      CHECK_FALSE(body.has_value());
      const json problem = problem_json(reader);
      CHECK(problem["status"] == 415);
      CHECK(problem["detail"] == "expected Content-Type " + c.accepted + ", got " +
                                     (c.content_type.empty() ? "none" : "'" + c.content_type + "'"));
    } else {
      REQUIRE(body.has_value());
      CHECK(body->media_type == c.media_type);
      CHECK(body->data == "\x01\x02");
      CHECK(reader.problem() == std::nullopt);
    }
  }
}
