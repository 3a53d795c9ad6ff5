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
  // RequestIds trusts the flag to insert its members without reading the body: it must hold.
  CHECK(response.plain_problem);
  CHECK_FALSE(oasgen::Response{}.plain_problem);
}

TEST_CASE("problem: a detail with invalid UTF-8 is still serialised") {
  oasgen::Response response = oasgen::problem_response(400, "bad \xFF byte");
  CHECK(json::parse(response.body)["detail"] == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("problem: problem_response writes the text dump() of to_json would, byte for byte") {
  const auto dumped = [](const oasgen::Problem& problem) {
    return json(problem).dump(-1, ' ', false, json::error_handler_t::replace);
  };
  oasgen::Problem bare;
  bare.status = 404;
  oasgen::Problem full;
  full.status = 422;
  full.type = std::string(oasgen::kProblemValidation);
  full.title = "Tab\there, \"quoted\", back\\slash, caf\xc3\xa9, bad \xff byte, nul \x01";
  full.detail = "2 validation errors";
  full.errors = {
      {oasgen::Location::Body, "/name~1x", "pattern", "must match the pattern ^[A-Za-z0-9 -]+$"},
      {oasgen::Location::Query, "/tags/0", "minLength", "line\nbreak \xe2\x82\xac and \xc3"},
  };
  oasgen::Problem unknown_status;
  unknown_status.status = 599;
  unknown_status.detail = "/";
  for (const oasgen::Problem& problem : {bare, full, unknown_status}) {
    CHECK(oasgen::problem_response(problem).body == dumped(problem));
  }
}
