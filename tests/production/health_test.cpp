#include "oasgen/middleware/health.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "oasgen/router.hpp"

namespace {

oasgen::Response send(const oasgen::Router& router, std::string method, std::string target) {
  oasgen::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  return router.handle(std::move(request));
}

}  // namespace

TEST_CASE("health: /healthz and /readyz answer 200 before routing, never reaching a route") {
  oasgen::Router router;
  auto health = std::make_shared<oasgen::Health>();
  router.use(health);
  router.add("GET", "/healthz", [](const oasgen::Request&) -> oasgen::Response {
    throw std::runtime_error("must not be called");
  });
  for (const std::string& path :
       std::vector<std::string>{"/healthz", "/readyz", "/readyz?verbose=1"}) {
    CAPTURE(path);
    oasgen::Response response = send(router, "GET", path);
    CHECK(response.status == 200);
    CHECK(response.headers.get("Content-Type") == "application/json");
    CHECK(response.headers.get("Cache-Control") == "no-store");
    CHECK(response.body == R"({"status":"ok"})");
  }
  oasgen::Response head = send(router, "HEAD", "/readyz");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers.get("Content-Length") == "15");
}

TEST_CASE("health: not ready makes /readyz 503 and leaves /healthz 200") {
  oasgen::Router router;
  auto health = std::make_shared<oasgen::Health>();
  router.use(health);
  CHECK(health->ready());
  health->set_ready(false);
  CHECK_FALSE(health->ready());
  oasgen::Response ready = send(router, "GET", "/readyz");
  CHECK(ready.status == 503);
  CHECK(ready.headers.get("Content-Type") == "application/problem+json");
  CHECK(nlohmann::json::parse(ready.body)["detail"] == "not ready: starting or draining");
  CHECK(send(router, "GET", "/healthz").status == 200);
  health->set_ready(true);
  CHECK(send(router, "GET", "/readyz").status == 200);
}

TEST_CASE("health: other methods and paths pass on to the router; paths are configurable") {
  oasgen::Router router;
  oasgen::HealthOptions options;
  options.live_path = "/-/live";
  options.ready_path = "/-/ready";
  router.use(std::make_shared<oasgen::Health>(options));
  router.add("POST", "/-/live", [](const oasgen::Request&) {
    oasgen::Response response;
    response.status = 202;
    return response;
  });
  CHECK(send(router, "GET", "/-/live").status == 200);
  CHECK(send(router, "GET", "/-/ready").status == 200);
  CHECK(send(router, "POST", "/-/live").status == 202);
  CHECK(send(router, "GET", "/healthz").status == 404);
  CHECK(send(router, "GET", "/-/live/x").status == 404);
}
