// Checks of problem+json responses shared by the e2e tests (header-only: it uses doctest's CHECKs).
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "http_client.hpp"

namespace oasgen::test {

/// The problem+json body of `result`, after checking its status, media type and `status` member.
inline nlohmann::json problem_of(const HttpResult& result, int status) {
  INFO(result.body);
  CHECK(result.status == status);
  CHECK(result.headers.get("Content-Type") == "application/problem+json");
  auto problem = nlohmann::json::parse(result.body);
  CHECK(problem["status"] == status);
  return problem;
}

}  // namespace oasgen::test
