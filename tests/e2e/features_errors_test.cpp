// specs/features.yaml over HTTP on 127.0.0.1: the request-body branches that end in a problem
// (malformed multipart, invalid JSON in a part, a missing required part, bad percent-encoding in a
// form) and a raw body without a Content-Type. Each case checks the problem's body, not only its
// status.
#include <doctest/doctest.h>

#include <oasgen/server.hpp>
#include <string>

#include "features/server.hpp"
#include "features_echo.hpp"
#include "http_client.hpp"
#include "problem_checks.hpp"

namespace {

using nlohmann::json;
using oasgen::test::problem_of;

struct Served {
  Served() {
    features::register_routes(router, handler);
    port = server.start();
  }
  oasgen::test::HttpResult send(const std::string& method, const std::string& target,
                                const std::string& content_type, const std::string& body) {
    oasgen::test::HttpClient client("127.0.0.1", port);
    std::vector<std::pair<std::string, std::string>> headers;
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return client.send(method, target, body, headers);
  }
  Echo handler;
  oasgen::Router router;
  oasgen::Server server{router, {}};
  unsigned short port = 0;
};

std::string part(const std::string& name, const std::string& value,
                 const std::string& content_type = "") {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n" +
         (content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n") + "\r\n" + value +
         "\r\n";
}

const std::string kMultipart = "multipart/form-data; boundary=XyZ";

}  // namespace

TEST_CASE_FIXTURE(Served, "features errors: a malformed multipart body is 400, malformed-request") {
  const std::string good = part("email", "a@b.co") + part("age", "20");
  const struct {
    const char* what;
    std::string content_type;
    std::string body;
  } cases[] = {
      {"no closing delimiter", kMultipart, good},
      {"no boundary parameter", "multipart/form-data", good + "--XyZ--\r\n"},
      {"another boundary", "multipart/form-data; boundary=Other", good + "--XyZ--\r\n"},
      {"a header line without a colon", kMultipart,
       "--XyZ\r\nContent-Disposition form-data\r\n\r\nx\r\n--XyZ--\r\n"},
      {"a part without the blank line after its headers", kMultipart,
       "--XyZ\r\nContent-Disposition: form-data; name=\"age\"\r\n20--XyZ--\r\n"},
      {"garbage after a delimiter", kMultipart, "--XyZjunk\r\n\r\n--XyZ--\r\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto problem = problem_of(send("POST", "/forms", c.content_type, c.body), 400);
    CHECK(problem["type"] == "urn:oasgen:problem:malformed-request");
    CHECK(problem["detail"] == "malformed multipart/form-data body");
  }
}

TEST_CASE_FIXTURE(Served, "features errors: invalid JSON in a JSON part is 400 naming the part") {
  const auto problem =
      problem_of(send("POST", "/forms", kMultipart,
                      part("email", "a@b.co") + part("age", "20") +
                          part("interests", "[\"x\",", "application/json") + "--XyZ--\r\n"),
                 400);
  CHECK(problem["type"] == "urn:oasgen:problem:malformed-request");
  CHECK(problem["detail"] == "invalid JSON in multipart part 'interests'");
  // A part with valid JSON is decoded as JSON.
  const auto ok =
      send("POST", "/forms", kMultipart,
           part("email", "a@b.co") + part("age", "20", "application/json") + "--XyZ--\r\n");
  REQUIRE(ok.status == 200);
  CHECK(json::parse(ok.body)["age"] == 20);
}

TEST_CASE_FIXTURE(Served, "features errors: a missing required part is reported at its pointer") {
  const auto problem =
      problem_of(send("POST", "/forms", kMultipart, part("age", "20") + "--XyZ--\r\n"), 422);
  CHECK(problem["type"] == "urn:oasgen:problem:validation");
  bool reported = false;
  for (const auto& error : problem["errors"]) {
    if (error["message"] == "missing required part 'email'") {
      reported = true;
      CHECK(error["location"] == "body");
      CHECK(error["pointer"] == "/email");
      CHECK(error["keyword"] == "required");
    }
  }
  CHECK(reported);
}

TEST_CASE_FIXTURE(Served, "features errors: bad percent-encoding in a form body is 400") {
  for (const char* body :
       {"email=a%ZZb.co&age=20", "email=a@b.co&age=20&x%2=1", "email=a@b.co&age=2%"}) {
    CAPTURE(body);
    const auto problem =
        problem_of(send("POST", "/forms", "application/x-www-form-urlencoded", body), 400);
    CHECK(problem["type"] == "urn:oasgen:problem:malformed-request");
    CHECK(problem["detail"] == "malformed percent-encoding in the form body");
  }
}

TEST_CASE_FIXTURE(
    Served, "features errors: a raw body without a Content-Type is application/octet-stream") {
  const auto result = send("PUT", "/uploads", "", "bytes");
  REQUIRE(result.status == 200);
  CHECK(json::parse(result.body)["media_type"] == "application/octet-stream");
  CHECK(json::parse(result.body)["data"] == "bytes");
}
