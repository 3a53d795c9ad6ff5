#include "oasgen/rest/conditional.hpp"

#include <doctest/doctest.h>

#include "oasgen/router.hpp"

using oasgen::Precondition;
using oasgen::Request;
using oasgen::Response;

namespace {

Request request(std::string method, std::vector<std::pair<std::string, std::string>> fields) {
  Request out;
  out.method = std::move(method);
  out.target = "/products/1";
  for (auto& [name, value] : fields) out.headers.add(name, value);
  return out;
}

Precondition evaluate(std::string method, std::vector<std::pair<std::string, std::string>> fields,
                      std::optional<std::string_view> current = "\"v2\"") {
  return oasgen::evaluate_preconditions(request(std::move(method), std::move(fields)), current);
}

}  // namespace

TEST_CASE("entity tags: content digests and versions") {
  const std::string tag = oasgen::content_tag("{\"id\":1}");
  CHECK(tag.size() == 24);  // 16 bytes in base64url, quoted
  CHECK(tag.front() == '"');
  CHECK(tag.back() == '"');
  CHECK(tag == oasgen::content_tag("{\"id\":1}"));
  CHECK(tag != oasgen::content_tag("{\"id\":2}"));
  CHECK(oasgen::version_tag(42) == "\"v42\"");
  CHECK(oasgen::version_tag("r-7.a") == "\"r-7.a\"");
  CHECK_THROWS_AS(oasgen::version_tag("a\"b"), std::invalid_argument);
  CHECK_THROWS_AS(oasgen::version_tag("a b"), std::invalid_argument);
  CHECK_THROWS_AS(oasgen::version_tag("caf\xc3\xa9"), std::invalid_argument);
}

TEST_CASE("If-None-Match: the weak comparison, 304 for GET and HEAD, 412 otherwise") {
  CHECK(evaluate("GET", {}) == Precondition::kProceed);
  CHECK(evaluate("GET", {{"If-None-Match", "\"v2\""}}) == Precondition::kNotModified);
  CHECK(evaluate("HEAD", {{"If-None-Match", "\"v2\""}}) == Precondition::kNotModified);
  CHECK(evaluate("GET", {{"If-None-Match", "W/\"v2\""}}) == Precondition::kNotModified);
  CHECK(evaluate("GET", {{"If-None-Match", "\"v1\", W/\"v2\""}}) == Precondition::kNotModified);
  CHECK(evaluate("GET", {{"If-None-Match", "\"v1\""}, {"If-None-Match", "\"v2\""}}) ==
        Precondition::kNotModified);
  CHECK(evaluate("GET", {{"If-None-Match", "\"v1\""}}) == Precondition::kProceed);
  CHECK(evaluate("GET", {{"If-None-Match", "\"V2\""}}) == Precondition::kProceed);
  CHECK(evaluate("GET", {{"If-None-Match", "*"}}) == Precondition::kNotModified);
  CHECK(evaluate("GET", {{"If-None-Match", "*"}}, std::nullopt) == Precondition::kProceed);
  // PUT with If-None-Match: * is "create only if absent" (RFC 9110 §13.1.2).
  CHECK(evaluate("PUT", {{"If-None-Match", "*"}}) == Precondition::kFailed);
  CHECK(evaluate("PUT", {{"If-None-Match", "*"}}, std::nullopt) == Precondition::kProceed);
  // Malformed: ignored.
  CHECK(evaluate("GET", {{"If-None-Match", "v2"}}) == Precondition::kProceed);
  CHECK(evaluate("GET", {{"If-None-Match", "\"v2"}}) == Precondition::kProceed);
  CHECK(evaluate("GET", {{"If-None-Match", "*, \"v2\""}}) == Precondition::kProceed);
}

TEST_CASE("If-Match: the strong comparison, 412 when stale, malformed never matches") {
  CHECK(evaluate("PATCH", {{"If-Match", "\"v2\""}}) == Precondition::kProceed);
  CHECK(evaluate("PATCH", {{"If-Match", " \"v1\" ,, \"v2\" "}}) == Precondition::kProceed);
  CHECK(evaluate("PATCH", {{"If-Match", "\"v1\""}}) == Precondition::kFailed);
  CHECK(evaluate("PATCH", {{"If-Match", "W/\"v2\""}}) == Precondition::kFailed);
  CHECK(evaluate("PATCH", {{"If-Match", "\"v2\""}}, "W/\"v2\"") == Precondition::kFailed);
  CHECK(evaluate("PATCH", {{"If-Match", "*"}}) == Precondition::kProceed);
  CHECK(evaluate("PATCH", {{"If-Match", "*"}}, std::nullopt) == Precondition::kFailed);
  CHECK(evaluate("PATCH", {{"If-Match", "\"v2\""}}, std::nullopt) == Precondition::kFailed);
  CHECK(evaluate("PATCH", {{"If-Match", "v2"}}) == Precondition::kFailed);
  CHECK(evaluate("PATCH", {{"If-Match", ""}}) == Precondition::kFailed);
  CHECK(evaluate("PATCH", {{"If-Match", "\"v\x01\""}}) == Precondition::kFailed);
  // If-Match is evaluated first (RFC 9110 §13.2.2 step 1): its failure wins over If-None-Match.
  CHECK(evaluate("GET", {{"If-Match", "\"v1\""}, {"If-None-Match", "\"v2\""}}) ==
        Precondition::kFailed);
}

TEST_CASE("check_preconditions throws the statuses a write handler answers with") {
  auto status_of = [](const Request& r, std::optional<std::string_view> current, bool require) {
    try {
      oasgen::check_preconditions(r, current, require);
      return 0;
    } catch (const oasgen::HttpError& error) {
      return error.status();
    }
  };
  CHECK(status_of(request("PUT", {{"If-Match", "\"v2\""}}), "\"v2\"", true) == 0);
  CHECK(status_of(request("PUT", {{"If-Match", "\"v1\""}}), "\"v2\"", false) == 412);
  CHECK(status_of(request("PUT", {}), "\"v2\"", false) == 0);
  CHECK(status_of(request("PUT", {}), "\"v2\"", true) == 428);
}

TEST_CASE("ConditionalGet tags GET answers and turns matches into 304") {
  oasgen::Router router;
  int calls = 0;
  router.add("GET", "/products/{id}", [&](const Request&) {
    ++calls;
    Response response;
    response.headers.set("Content-Type", "application/json");
    response.headers.set("Cache-Control", "max-age=60");
    response.headers.set("Vary", "Accept");
    response.body = "{\"id\":1}";
    return response;
  });
  router.add("GET", "/versioned", [](const Request&) {
    Response response;
    response.headers.set("ETag", "W/\"v9\"");
    response.body = "x";
    return response;
  });
  router.add("POST", "/products/{id}", [](const Request&) { return Response{}; });
  router.use(std::make_shared<oasgen::ConditionalGet>());

  Response first = router.handle(request("GET", {}));
  REQUIRE(first.status == 200);
  const std::string etag(*first.headers.get("ETag"));
  CHECK(etag == oasgen::content_tag(first.body));

  Response again = router.handle(request("GET", {{"If-None-Match", etag}}));
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.headers.get("ETag") == etag);
  CHECK(again.headers.get("Cache-Control") == "max-age=60");
  CHECK(again.headers.get("Vary") == "Accept");
  CHECK(!again.headers.contains("Content-Type"));

  CHECK(router.handle(request("GET", {{"If-None-Match", "\"other\""}})).status == 200);
  CHECK(router.handle(request("GET", {{"If-Match", "\"other\""}})).status == 412);
  CHECK(router.handle(request("HEAD", {{"If-None-Match", etag}})).status == 304);
  // The handler's own (weak) tag is kept and compared weakly.
  Request versioned = request("GET", {{"If-None-Match", "\"v9\""}});
  versioned.target = "/versioned";
  CHECK(router.handle(versioned).status == 304);
  // Other methods are left alone.
  Response posted = router.handle(request("POST", {{"If-None-Match", etag}}));
  CHECK(posted.status == 200);
  CHECK(!posted.headers.contains("ETag"));
  CHECK(calls == 5);
}
