// specs/features.yaml over HTTP on 127.0.0.1: each parameter style reaches the handler with the right
// typed values, each oneOf form decodes to the right alternative and round-trips, and each request
// body media type is accepted as declared.
#include <doctest/doctest.h>

#include <oasgen/server.hpp>

#include <set>
#include <string>
#include <utility>

#include "features/server.hpp"
#include "features_echo.hpp"
#include "http_client.hpp"
#include "problem_checks.hpp"

namespace {

using nlohmann::json;
using oasgen::test::problem_of;

struct Fixture {
  Fixture() {
    features::register_routes(router, handler);
    port = server.start();
  }
  json get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto result = client().send("GET", target, "", headers);
    INFO(result.body);
    REQUIRE(result.status == 200);
    return json::parse(result.body);
  }
  oasgen::test::HttpResult send(const std::string& method, const std::string& target,
                                const std::string& content_type, const std::string& body) {
    return client().send(method, target, body, {{"Content-Type", content_type}});
  }
  oasgen::test::HttpClient& client() {
    if (!client_) client_.emplace("127.0.0.1", port);
    return *client_;
  }

  Echo handler;
  oasgen::Router router;
  oasgen::Server server{router, {}};
  unsigned short port = 0;
  std::optional<oasgen::test::HttpClient> client_;
};


// (pointer, keyword) of each error, sorted.
std::multiset<std::pair<std::string, std::string>> error_keys(const json& problem) {
  std::multiset<std::pair<std::string, std::string>> keys;
  for (const auto& e : problem.value("errors", json::array())) keys.emplace(e["pointer"], e["keyword"]);
  return keys;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "features: path parameters in simple, label and matrix styles") {
  CHECK(get("/styles/path/1,2,3/.a,b/;matrix=x;matrix=y/R=1,G=2") ==
        json::parse(R"({"simple": [1, 2, 3], "label": ["a", "b"], "matrix": ["x", "y"],
                        "exploded": {"R": 1, "G": 2}})"));
}

TEST_CASE_FIXTURE(Fixture, "features: query parameters in every style, with a default") {
  CHECK(get("/styles/query?form=1,2&repeated=true&repeated=false&spaced=a%20b&piped=1.5|2"
            "&deep[R]=1&deep[G]=2&flat=R,3,G,4") ==
        json::parse(R"({"form": [1, 2], "repeated": [true, false], "spaced": ["a", "b"],
                        "piped": [1.5, 2], "deep": {"R": 1, "G": 2}, "flat": {"R": 3, "G": 4},
                        "count": 3})"));
  CHECK(get("/styles/query?count=7")["count"] == 7);
  auto bad = client().send("GET", "/styles/query?form=1,x&deep[R]=a");
  CHECK(bad.status == 400);
  const auto problem = json::parse(bad.body);
  REQUIRE(problem["errors"].size() == 3);  // deep: R not an integer, G missing; form: /form/1
  CHECK(problem["errors"][0]["pointer"] == "/form/1");
}

TEST_CASE_FIXTURE(Fixture, "features: header and cookie parameters") {
  CHECK(get("/styles/header-cookie", {{"X-Ids", "1,2"}, {"X-Color", "R=5,G=6"}, {"Cookie", "session=abcd; tags=x,y"}}) ==
        json::parse(R"({"ids": [1, 2], "color": {"R": 5, "G": 6}, "session": "abcd", "tags": ["x", "y"]})"));
  auto missing = client().send("GET", "/styles/header-cookie", "", {{"X-Ids", "1"}});
  CHECK(missing.status == 400);
  CHECK(json::parse(missing.body)["errors"][0]["location"] == "cookie");
}

TEST_CASE_FIXTURE(Fixture, "features: oneOf with a discriminator mapping") {
  for (const auto& [body, index] : {std::pair{R"({"kind": "cat", "name": "Tom", "lives": 7})", 0},
                                    std::pair{R"({"kind": "dog", "name": "Rex", "good": true})", 1}}) {
    const std::string captured_body = body;  // C++17: CAPTURE cannot capture a binding
    CAPTURE(captured_body);
    auto result = send("POST", "/pets", "application/json", body);
    REQUIRE(result.status == 200);
    CHECK(json::parse(result.body) == json::parse(body));
    CHECK(handler.alternative == static_cast<std::size_t>(index));
  }
  CHECK(send("POST", "/pets", "application/json", R"({"kind": "cat", "name": "Tom", "lives": 12})").status == 422);
}

TEST_CASE_FIXTURE(Fixture, "features: oneOf told apart by required properties") {
  for (const auto& [body, index] : {std::pair{R"({"radius": 2.5})", 0}, std::pair{R"({"width": 1, "height": 2})", 1}}) {
    const std::string captured_body = body;  // C++17: CAPTURE cannot capture a binding
    CAPTURE(captured_body);
    auto result = send("POST", "/shapes", "application/json", body);
    REQUIRE(result.status == 200);
    CHECK(json::parse(result.body) == json::parse(body));
    CHECK(handler.alternative == static_cast<std::size_t>(index));
  }
  CHECK(send("POST", "/shapes", "application/json", R"({"radius": 1, "width": 1})").status == 422);
}

TEST_CASE_FIXTURE(Fixture, "features: oneOf told apart by JSON type") {
  for (const auto& [body, index] : {std::pair{R"("short")", 0}, std::pair{"42", 1},
                                    std::pair{R"(["a", "b"])", 2}, std::pair{R"({"R": 1, "G": 2})", 3}}) {
    const std::string captured_body = body;  // C++17: CAPTURE cannot capture a binding
    CAPTURE(captured_body);
    auto result = send("POST", "/values", "application/json", body);
    REQUIRE(result.status == 200);
    CHECK(json::parse(result.body) == json::parse(body));
    CHECK(handler.alternative == static_cast<std::size_t>(index));
  }
  CHECK(send("POST", "/values", "application/json", "true").status == 422);
}

TEST_CASE_FIXTURE(Fixture, "features: one typed body from JSON, a form or multipart") {
  const auto expected = json::parse(R"({"email": "a@b.co", "age": 20, "newsletter": true, "interests": ["x", "y"]})");
  auto form = send("POST", "/forms", "application/x-www-form-urlencoded",
                   "email=a%40b.co&age=20&newsletter=true&interests=x&interests=y");
  REQUIRE(form.status == 200);
  CHECK(json::parse(form.body) == expected);
  const std::string multipart =
      "--XyZ\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@b.co\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"age\"\r\n\r\n20\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"newsletter\"\r\n\r\ntrue\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"interests\"\r\n\r\nx\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"interests\"\r\n\r\ny\r\n--XyZ--\r\n";
  auto parts = send("POST", "/forms", "multipart/form-data; boundary=XyZ", multipart);
  REQUIRE(parts.status == 200);
  CHECK(json::parse(parts.body) == expected);
  // A file part: any bytes, with its filename and media type kept.
  const std::string with_file =
      multipart.substr(0, multipart.size() - 9) +
      "--XyZ\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--XyZ--\r\n";
  auto file = send("POST", "/forms", "multipart/form-data; boundary=XyZ", with_file);
  REQUIRE(file.status == 200);
  auto expected_file = expected;
  expected_file["avatar"] = {{"size", 8}, {"filename", "me.png"}, {"content_type", "image/png"}};
  CHECK(json::parse(file.body) == expected_file);
  auto json_body = send("POST", "/forms", "application/json", expected.dump());
  REQUIRE(json_body.status == 200);
  CHECK(json::parse(json_body.body) == expected);
  auto invalid = problem_of(send("POST", "/forms", "application/x-www-form-urlencoded", "email=nope&age=9"), 422);
  CHECK(error_keys(invalid) == std::multiset<std::pair<std::string, std::string>>{
                                   {"/email", "format"}, {"/age", "minimum"}});
  auto csv = problem_of(send("POST", "/forms", "text/csv", "a,b"), 415);
  CHECK(csv["detail"] ==
        "expected Content-Type application/json, application/x-www-form-urlencoded, "
        "multipart/form-data, got 'text/csv'");
}

TEST_CASE_FIXTURE(Fixture, "features: raw bodies keep their bytes and media type") {
  auto bytes = send("PUT", "/uploads", "application/octet-stream", std::string("\x01\x02zz", 4));
  REQUIRE(bytes.status == 200);
  CHECK(json::parse(bytes.body)["media_type"] == "application/octet-stream");
  CHECK(json::parse(bytes.body)["data"] == std::string("\x01\x02zz", 4));
  auto text = send("PUT", "/uploads", "text/plain; charset=utf-8", "hello");
  REQUIRE(text.status == 200);
  CHECK(json::parse(text.body)["media_type"] == "text/plain");
  auto png = problem_of(send("PUT", "/uploads", "image/png", "x"), 415);
  CHECK(png["detail"] == "expected Content-Type application/octet-stream, text/plain, got 'image/png'");
}
