// Rate limiting over real HTTP on 127.0.0.1: tests/middleware/rate_limit.yaml's policies through
// the generated routes, the 429s with Retry-After and the draft's RateLimit-Policy and RateLimit
// fields, callers by principal and by address, refused credentials counted, trusted proxies.
#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <oasgen/middleware/rate_limit.hpp>
#include <oasgen/server.hpp>
#include <string>

#include "http_client.hpp"
#include "rate_limit_api.hpp"

namespace {

using oasgen::test::HttpClient;
using oasgen::test::HttpResult;

struct Served {
  rate_limit_test::Items items;
  rate_limit_test::Keys keys;
  oasgen::Router router;
  std::shared_ptr<oasgen::RateLimit> limit;
  std::unique_ptr<oasgen::Server> server;
  std::unique_ptr<HttpClient> client;

  explicit Served(oasgen::RateLimitOptions options) {
    ratelimited::register_routes(router, items, keys);
    limit = std::make_shared<oasgen::RateLimit>(ratelimited::kOperations, std::move(options));
    router.use(limit);
    oasgen::ServerOptions server_options;
    server_options.threads = 2;
    server = std::make_unique<oasgen::Server>(router, server_options);
    client = std::make_unique<HttpClient>("127.0.0.1", server->start());
  }

  HttpResult get(const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return client->send("GET", target, {}, headers);
  }
};

oasgen::RateLimitOptions with_default() {
  oasgen::RateLimitOptions options;
  options.default_policy = oasgen::RateLimitPolicy{"default", 5, std::chrono::seconds(60)};
  return options;
}

std::string header(const HttpResult& result, std::string_view name) {
  return std::string(result.headers.get(name).value_or("(none)"));
}

// `RateLimit: "<name>";r=<remaining>;t=<seconds>` with t in [low, high]: t counts down in real
// time, and a slow machine may cross a second boundary.
void check_ratelimit(const HttpResult& result, const std::string& name, int remaining, int low,
                     int high) {
  const std::string field = header(result, "RateLimit");
  CAPTURE(field);
  const std::string prefix = "\"" + name + "\";r=" + std::to_string(remaining) + ";t=";
  REQUIRE(field.rfind(prefix, 0) == 0);
  const int t = std::stoi(field.substr(prefix.size()));
  CHECK(t >= low);
  CHECK(t <= high);
}

}  // namespace

TEST_CASE(
    "rate limit over HTTP: a per-operation policy answers 429 with Retry-After and both fields") {
  Served served(with_default());
  for (int i = 0; i < 3; ++i) {
    const HttpResult ok = served.get("/items");
    CHECK(ok.status == 200);
    CHECK(header(ok, "RateLimit-Policy") == R"("list_items";q=3;w=60)");
    check_ratelimit(ok, "list_items", 2 - i, 19, 20);
    CHECK_FALSE(ok.headers.contains("Retry-After"));
  }
  const HttpResult limited = served.get("/items");
  CHECK(limited.status == 429);
  CHECK(header(limited, "Content-Type") == "application/problem+json");
  CHECK(header(limited, "RateLimit-Policy") == R"("list_items";q=3;w=60)");
  check_ratelimit(limited, "list_items", 0, 19, 20);
  const int retry_after = std::stoi(header(limited, "Retry-After"));
  CHECK(retry_after >= 19);
  CHECK(retry_after <= 20);
  const auto body = nlohmann::json::parse(limited.body);
  CHECK(body["type"] == "urn:oasgen:problem:rate-limited");
  CHECK(body["status"] == 429);
  CHECK(body["title"] == "Too Many Requests");
  CHECK(body["violated-policies"] == nlohmann::json::array({"list_items"}));
  MESSAGE("429 body: " << limited.body);
  CHECK(served.limit->rejected() == 1);

  // Other operations keep their own quota: the default policy here.
  const HttpResult other = served.get("/items/7");
  CHECK(other.status == 200);
  CHECK(header(other, "RateLimit-Policy") == R"("default";q=5;w=60)");
  check_ratelimit(other, "default", 4, 12, 12);

  // x-oasgen-rate-limit: false: never limited, no fields.
  for (int i = 0; i < 10; ++i) {
    const HttpResult ping = served.get("/ping");
    CHECK(ping.status == 200);
    CHECK_FALSE(ping.headers.contains("RateLimit"));
    CHECK_FALSE(ping.headers.contains("RateLimit-Policy"));
  }
  // Not routed: not counted.
  CHECK_FALSE(served.get("/nowhere").headers.contains("RateLimit"));
}

TEST_CASE("rate limit over HTTP: callers are principals, else addresses; refusals count") {
  Served served(with_default());
  // Refused keys are counted against the address...
  for (int i = 0; i < 2; ++i) {
    const HttpResult refused = served.get("/me", {{"X-API-Key", "bad"}});
    CHECK(refused.status == 401);
    check_ratelimit(refused, "account", 1 - i, 29, 30);
  }
  // ...so the address is limited now, with or without a (bad) key.
  CHECK(served.get("/me", {{"X-API-Key", "bad"}}).status == 429);
  CHECK(served.get("/me").status == 429);
  // An authenticated caller has a quota of its own, whatever its address.
  CHECK(served.get("/me", {{"X-API-Key", "good-alice"}}).status == 200);
  CHECK(served.get("/me", {{"X-API-Key", "good-alice"}}).status == 200);
  const HttpResult alice = served.get("/me", {{"X-API-Key", "good-alice"}});
  CHECK(alice.status == 429);
  CHECK(header(alice, "RateLimit-Policy") == R"("account";q=2;w=60)");
  CHECK(served.get("/me", {{"X-API-Key", "good-bob"}}).status == 200);
  CHECK(served.limit->rejected() == 3);
}

TEST_CASE("rate limit over HTTP: X-Forwarded-For counts only from a trusted proxy") {
  auto options = with_default();
  options.trusted_proxies = {"127.0.0.0/8"};
  Served behind_proxy(options);
  for (int i = 0; i < 3; ++i) {
    CHECK(behind_proxy.get("/items", {{"X-Forwarded-For", "203.0.113.7"}}).status == 200);
  }
  CHECK(behind_proxy.get("/items", {{"X-Forwarded-For", "203.0.113.7"}}).status == 429);
  CHECK(behind_proxy.get("/items", {{"X-Forwarded-For", "203.0.113.7, 127.0.0.2"}}).status == 429);
  CHECK(behind_proxy.get("/items", {{"X-Forwarded-For", "203.0.113.8"}}).status == 200);
  CHECK(behind_proxy.get("/items", {{"Forwarded", "for=203.0.113.9"}}).status == 200);

  Served direct(with_default());  // no trusted proxy: the header is the client's own claim
  for (int i = 0; i < 3; ++i) {
    const std::string forged = "198.51.100." + std::to_string(i);
    CHECK(direct.get("/items", {{"X-Forwarded-For", forged}}).status == 200);
  }
  CHECK(direct.get("/items", {{"X-Forwarded-For", "198.51.100.99"}}).status == 429);
}
