#include "oasgen/problem.hpp"

#include <doctest/doctest.h>

using nlohmann::json;

TEST_CASE("problem: to_json omits an empty detail and errors and defaults the title") {
  oasgen::Problem problem;
  problem.status = 404;
  CHECK(json(problem) == json::parse(R"({"type":"about:blank","title":"Not Found","status":404})"));
}

TEST_CASE("problem: to_json lists every error with its location") {
  oasgen::Problem problem;
  problem.status = 422;
  problem.type = std::string(oasgen::kProblemValidation);
  problem.title = "Invalid pet";
  problem.detail = "2 validation errors";
  problem.errors = {
      {oasgen::Location::Body, "/name", "minLength", "must be at least 1 character long"},
      {oasgen::Location::Query, "/limit", "maximum", "must be <= 100"}};
  CHECK(json(problem) == json::parse(R"({
    "type": "urn:oasgen:problem:validation", "title": "Invalid pet", "status": 422,
    "detail": "2 validation errors",
    "errors": [
      {"location": "body", "pointer": "/name", "keyword": "minLength",
       "message": "must be at least 1 character long"},
      {"location": "query", "pointer": "/limit", "keyword": "maximum", "message": "must be <= 100"}
    ]})"));
}

TEST_CASE("problem: locations spell as in OpenAPI") {
  CHECK(oasgen::to_string(oasgen::Location::Path) == "path");
  CHECK(oasgen::to_string(oasgen::Location::Query) == "query");
  CHECK(oasgen::to_string(oasgen::Location::Header) == "header");
  CHECK(oasgen::to_string(oasgen::Location::Cookie) == "cookie");
  CHECK(oasgen::to_string(oasgen::Location::Body) == "body");
}

TEST_CASE("problem: problem_response sets status and media type") {
  oasgen::Response response = oasgen::problem_response(409, "pet 7 exists");
  CHECK(response.status == 409);
  CHECK(response.headers.get("Content-Type") == "application/problem+json");
  CHECK(response.body ==
        R"({"detail":"pet 7 exists","status":409,"title":"Conflict","type":"about:blank"})");
}

TEST_CASE("problem: a detail with invalid UTF-8 is still serialised") {
  oasgen::Response response = oasgen::problem_response(400, "bad \xFF byte");
  CHECK(json::parse(response.body)["detail"] == "bad \xEF\xBF\xBD byte");
}
