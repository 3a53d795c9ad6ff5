#include "oasgen/service.hpp"

#include <doctest/doctest.h>

#include "oasgen/operation.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

oasgen::ServiceConfig::Lookup lookup(const Vars& vars) {
  return [&vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

oasgen::ServiceConfig parse(const Vars& vars) {
  return oasgen::ServiceConfig::from_vars(lookup(vars));
}

// The messages of the ConfigError that parsing `vars` throws.
std::vector<std::string> errors(const Vars& vars) {
  try {
    parse(vars);
  } catch (const oasgen::ConfigError& error) {
    return error.errors();
  }
  return {};
}

}  // namespace

TEST_CASE("config: the defaults") {
  const oasgen::ServiceConfig config = parse({});
  CHECK(config.server.address == "127.0.0.1");
  CHECK(config.server.port == 8080);
  CHECK(config.server.threads == 0);
  CHECK(config.server.max_connections == 0);
  CHECK(config.server.max_in_flight == 0);
  CHECK(config.server.handler_deadline.count() == 0);
  CHECK(config.request_ids);
  CHECK(config.health);
  CHECK(config.cors.origins.empty());
  CHECK_FALSE(config.rate_limit);
  CHECK_FALSE(config.metrics);
  CHECK(config.access_log.target == oasgen::AccessLogSetting::Target::Off);
  CHECK(config.drain_grace.count() == 10000);
}

TEST_CASE("config: every variable") {
  const oasgen::ServiceConfig config = parse({
      {"OASGEN_ADDRESS", "0.0.0.0"},
      {"OASGEN_PORT", "9090"},
      {"OASGEN_THREADS", "4"},
      {"OASGEN_HANDLER_THREADS", "8"},
      {"OASGEN_MAX_BODY_BYTES", "2048"},
      {"OASGEN_MAX_HEADER_BYTES", "4096"},
      {"OASGEN_READ_TIMEOUT_MS", "1500"},
      {"OASGEN_IDLE_TIMEOUT_MS", "2500"},
      {"OASGEN_MAX_CONNECTIONS", "100"},
      {"OASGEN_MAX_IN_FLIGHT", "50"},
      {"OASGEN_HANDLER_DEADLINE_MS", "250"},
      {"OASGEN_RETRY_AFTER_S", "3"},
      {"OASGEN_DRAIN_GRACE_MS", "4000"},
      {"OASGEN_DRAIN_DELAY_MS", "500"},
      {"OASGEN_REQUEST_IDS", "off"},
      {"OASGEN_HEALTH", "FALSE"},
      {"OASGEN_CORS_ORIGINS",
       " https://app.example.com , https://*.example.org,http://127.0.0.1:3000"},
      {"OASGEN_CORS_CREDENTIALS", "yes"},
      {"OASGEN_CORS_MAX_AGE_S", "60"},
      {"OASGEN_RATE_LIMIT", "100/60s"},
      {"OASGEN_REDIS_URL", "redis://127.0.0.1:6379/0"},
      {"OASGEN_METRICS", "on"},
      {"OASGEN_ACCESS_LOG", "/var/log/petstore/access.log"},
  });
  CHECK(config.server.address == "0.0.0.0");
  CHECK(config.server.port == 9090);
  CHECK(config.server.threads == 4);
  CHECK(config.server.handler_threads == 8);
  CHECK(config.server.max_body_bytes == 2048);
  CHECK(config.server.max_header_bytes == 4096);
  CHECK(config.server.read_timeout.count() == 1500);
  CHECK(config.server.idle_timeout.count() == 2500);
  CHECK(config.server.max_connections == 100);
  CHECK(config.server.max_in_flight == 50);
  CHECK(config.server.handler_deadline.count() == 250);
  CHECK(config.server.retry_after_seconds == 3);
  CHECK(config.drain_grace.count() == 4000);
  CHECK(config.drain_announce.count() == 500);
  CHECK_FALSE(config.request_ids);
  CHECK_FALSE(config.health);
  CHECK(config.cors.origins == std::vector<std::string>{"https://app.example.com",
                                                        "https://*.example.org",
                                                        "http://127.0.0.1:3000"});
  CHECK(config.cors.credentials);
  CHECK(config.cors.max_age.count() == 60);
  REQUIRE(config.rate_limit);
  CHECK(config.rate_limit->requests == 100);
  CHECK(config.rate_limit->period.count() == 60);
  CHECK(config.redis_url == "redis://127.0.0.1:6379/0");
  CHECK(config.metrics);
  CHECK(config.access_log.target == oasgen::AccessLogSetting::Target::File);
  CHECK(config.access_log.path == "/var/log/petstore/access.log");
}

TEST_CASE("config: rate limits, access log targets and empty values") {
  struct Case {
    std::string value;
    std::uint64_t requests;
    long long seconds;
  };
  for (const Case& c : {Case{"10/m", 10, 60}, Case{"5000/1h", 5000, 3600}, Case{"20/s", 20, 1},
                        Case{"3/90s", 3, 90}}) {
    CAPTURE(c.value);
    const auto config = parse({{"OASGEN_RATE_LIMIT", c.value}});
    REQUIRE(config.rate_limit);
    CHECK(config.rate_limit->requests == c.requests);
    CHECK(config.rate_limit->period.count() == c.seconds);
  }
  CHECK_FALSE(parse({{"OASGEN_RATE_LIMIT", "off"}}).rate_limit);
  CHECK(parse({{"OASGEN_ACCESS_LOG", "stderr"}}).access_log.target ==
        oasgen::AccessLogSetting::Target::Stderr);
  CHECK(parse({{"OASGEN_ACCESS_LOG", "access.log"}}).access_log.target ==
        oasgen::AccessLogSetting::Target::File);
  // An empty variable is an unset one.
  CHECK(parse({{"OASGEN_PORT", ""}, {"OASGEN_CORS_ORIGINS", ""}}).server.port == 8080);
}

TEST_CASE("config: malformed values name the variable and the value, all of them at once") {
  CHECK(errors({{"OASGEN_PORT", "80x"}}) ==
        std::vector<std::string>{"OASGEN_PORT=\"80x\": expected a whole number from 0 to 65535"});
  CHECK(errors({{"OASGEN_PORT", "65536"}, {"OASGEN_THREADS", "-1"}, {"OASGEN_HEALTH", "maybe"}}) ==
        std::vector<std::string>{
            "OASGEN_PORT=\"65536\": expected a whole number from 0 to 65535",
            "OASGEN_THREADS=\"-1\": expected a whole number from 0 to 1024",
            "OASGEN_HEALTH=\"maybe\": expected on or off (also 1/0, true/false, yes/no)"});
  CHECK(errors({{"OASGEN_HANDLER_DEADLINE_MS", "1.5"}}) ==
        std::vector<std::string>{"OASGEN_HANDLER_DEADLINE_MS=\"1.5\": expected a whole number of "
                                 "milliseconds, at most 86400000 (one day)"});
  CHECK(errors({{"OASGEN_MAX_IN_FLIGHT", "lots"}}) ==
        std::vector<std::string>{
            "OASGEN_MAX_IN_FLIGHT=\"lots\": expected a whole number (0: no limit)"});
  CHECK(errors({{"OASGEN_CORS_ORIGINS", "https://ok.example, app.example.com/path"}}) ==
        std::vector<std::string>{
            "OASGEN_CORS_ORIGINS=\"https://ok.example, app.example.com/path\": expected "
            "comma-separated origins such as https://app.example.com, http://127.0.0.1:3000 or "
            "https://*.example.com (no path), or *"});
  CHECK(errors({{"OASGEN_CORS_ORIGINS", "*"}, {"OASGEN_CORS_CREDENTIALS", "on"}}) ==
        std::vector<std::string>{
            "OASGEN_CORS_CREDENTIALS=on with OASGEN_CORS_ORIGINS=\"*\": browsers "
            "refuse credentials for any origin; list the origins instead"});
  for (const std::string& rate :
       std::vector<std::string>{"100", "100/", "0/60s", "100/60", "100/60d", "x/1s", "100/0s"}) {
    CAPTURE(rate);
    CHECK(errors({{"OASGEN_RATE_LIMIT", rate}}) ==
          std::vector<std::string>{"OASGEN_RATE_LIMIT=\"" + rate +
                                   "\": expected requests/period such as 100/60s, 10/m or 5000/1h "
                                   "(s, m or h), or off"});
  }
  // TLS to Redis is not offered: refused rather than sent in the clear.
  CHECK(errors({{"OASGEN_REDIS_URL", "rediss://cache.internal:6380"}}).size() == 1);
  CHECK(errors({{"OASGEN_REDIS_URL", "redis://:secret@cache.internal:6380/2"}}).empty());
  CHECK(errors({{"OASGEN_REDIS_URL", "127.0.0.1:6379"}}) ==
        std::vector<std::string>{
            "OASGEN_REDIS_URL=\"127.0.0.1:6379\": expected redis://[:password@]host[:port][/db] (no TLS)"});
  CHECK(
      errors({{"OASGEN_ACCESS_LOG", "syslog"}}) ==
      std::vector<std::string>{
          "OASGEN_ACCESS_LOG=\"syslog\": expected off, stderr or a file path (containing / or .)"});

  try {
    parse({{"OASGEN_PORT", "x"}, {"OASGEN_METRICS", "2"}});
    FAIL("no ConfigError");
  } catch (const oasgen::ConfigError& error) {
    CHECK(std::string(error.what()) ==
          "invalid configuration:\n"
          "  OASGEN_PORT=\"x\": expected a whole number from 0 to 65535\n"
          "  OASGEN_METRICS=\"2\": expected on or off (also 1/0, true/false, yes/no)");
  }
}

TEST_CASE("config: install adds request ids, health and CORS in that order") {
  oasgen::Router router;
  router.add("GET", "/pets", [](const oasgen::Request&) { return oasgen::Response{}; });
  oasgen::ServiceConfig config = parse({{"OASGEN_CORS_ORIGINS", "https://app.example.com"}});
  oasgen::Installed installed = oasgen::install(router, config);
  REQUIRE(installed.request_ids);
  REQUIRE(installed.health);
  REQUIRE(installed.cors);
  // /readyz from a browser: answered by Health, with the request id and CORS headers.
  oasgen::Request request;
  request.method = "GET";
  request.target = "/readyz";
  request.headers.add("Origin", "https://app.example.com");
  request.headers.add("X-Request-Id", "probe-1");
  oasgen::Response response = router.handle(request);
  CHECK(response.status == 200);
  CHECK(response.headers.get("X-Request-Id") == "probe-1");
  CHECK(response.headers.get("Access-Control-Allow-Origin") == "https://app.example.com");
  const oasgen::DrainOptions drain = config.drain_options(installed);
  CHECK(drain.health == installed.health);
  CHECK(drain.grace.count() == 10000);

  oasgen::Router bare;
  config = parse({{"OASGEN_REQUEST_IDS", "off"}, {"OASGEN_HEALTH", "off"}});
  installed = oasgen::install(bare, config);
  CHECK_FALSE(installed.request_ids);
  CHECK_FALSE(installed.health);
  CHECK_FALSE(installed.cors);
}

TEST_CASE("config: the README's table lists every variable from_env reads") {
  std::ifstream readme(std::string(OASGEN_SOURCE_DIR) + "/README.md");
  REQUIRE(readme);
  std::stringstream text;
  text << readme.rdbuf();
  for (const oasgen::EnvVariable& variable : oasgen::environment_variables()) {
    CAPTURE(variable.name);
    const std::string default_cell = variable.default_value.empty()
                                         ? std::string("(none)")
                                         : "`" + std::string(variable.default_value) + "`";
    CHECK(text.str().find("| `" + std::string(variable.name) + "` | " + default_cell + " |") !=
          std::string::npos);
  }
}

TEST_CASE("config: OASGEN_TRUSTED_PROXIES lists the proxies whose X-Forwarded-For rate limits believe") {
  CHECK(parse({}).trusted_proxies.empty());
  CHECK(parse({{"OASGEN_TRUSTED_PROXIES", " 10.0.0.0/8, 127.0.0.1 ,::1"}}).trusted_proxies ==
        std::vector<std::string>{"10.0.0.0/8", "127.0.0.1", "::1"});
  CHECK(parse({{"OASGEN_TRUSTED_PROXIES", ""}}).trusted_proxies.empty());
  for (const std::string& bad : std::vector<std::string>{"proxy.internal", "10.0.0.0/33", "127.0.0.1,,::1", ","}) {
    CAPTURE(bad);
    CHECK(errors({{"OASGEN_TRUSTED_PROXIES", bad}}) ==
          std::vector<std::string>{"OASGEN_TRUSTED_PROXIES=\"" + bad +
                                   "\": expected comma-separated IPv4 or IPv6 addresses or CIDR ranges, such "
                                   "as 10.0.0.0/8,127.0.0.1"});
  }
}

TEST_CASE("config: behind a trusted proxy, rate limits count the client it names") {
  oasgen::ServiceConfig config = parse({{"OASGEN_RATE_LIMIT", "2/60s"}, {"OASGEN_TRUSTED_PROXIES", "127.0.0.1"},
                                        {"OASGEN_REQUEST_IDS", "off"}, {"OASGEN_HEALTH", "off"}});
  oasgen::Router router;
  static const oasgen::OperationInfo kOperations[] = {[] {
    oasgen::OperationInfo operation{};
    operation.operation_id = "ping";
    operation.method = "GET";
    operation.path = "/ping";
    return operation;
  }()};
  router.add(kOperations[0], [](const oasgen::Request&) { return oasgen::Response{200, {}, "pong"}; });
  oasgen::install(router, config, kOperations);
  const auto from = [&](const std::string& client) {
    oasgen::Request request;
    request.method = "GET";
    request.target = "/ping";
    request.remote_address = "127.0.0.1:4000";
    request.headers.add("X-Forwarded-For", client);
    return router.handle(std::move(request)).status;
  };
  CHECK(from("192.0.2.1") == 200);
  CHECK(from("192.0.2.1") == 200);
  CHECK(from("192.0.2.1") == 429);
  CHECK(from("192.0.2.2") == 200);  // another client behind the same proxy has its own budget
}
