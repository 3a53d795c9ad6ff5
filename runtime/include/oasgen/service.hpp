// A service's configuration from code and from OASGEN_* environment variables, and the middleware
// it turns on, installed in the right order.
//
//   oasgen::ServiceConfig config = oasgen::ServiceConfig::from_env();  // throws ConfigError
//   oasgen::Router router;
//   petstore::register_routes(router, store);
//   oasgen::Installed installed = oasgen::install(router, config);
//   oasgen::Server server(router, config.server);
//   server.start();
//   ... sigwait(SIGTERM) ...
//   server.drain(config.drain_options(installed));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/middleware/access_log.hpp"
#include "oasgen/middleware/cors.hpp"
#include "oasgen/middleware/health.hpp"
#include "oasgen/middleware/metrics.hpp"
#include "oasgen/middleware/rate_limit.hpp"
#include "oasgen/middleware/request_ids.hpp"
#include "oasgen/router.hpp"
#include "oasgen/server.hpp"

namespace oasgen {

/// Malformed configuration values: one message per variable, each naming the variable and the
/// value ("OASGEN_PORT=\"80x\": expected a whole number from 0 to 65535").
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

/// A rate: at most `requests` per `period` (OASGEN_RATE_LIMIT="100/60s").
struct RateLimitSetting {
  std::uint64_t requests = 0;
  std::chrono::seconds period{0};
};

/// Where the access log goes (OASGEN_ACCESS_LOG = "off", "stderr" or a file path).
struct AccessLogSetting {
  enum class Target { Off, Stderr, File };
  Target target = Target::Off;
  std::string path;  ///< for Target::File
};

/// One environment variable `from_env` reads: the README's table is this list.
struct EnvVariable {
  std::string_view name;
  std::string_view default_value;
  std::string_view meaning;
};

/// The variables `ServiceConfig::from_env` reads, in the README's order.
const std::vector<EnvVariable>& environment_variables();

struct Installed;

/// Everything a generated service can be told from outside. The defaults are the library's: a
/// server on 127.0.0.1:8080 with request ids and health probes on, and CORS, rate limits, metrics
/// and the access log off.
struct ServiceConfig {
  ServerOptions server = default_server_options();
  std::chrono::milliseconds drain_grace{10'000};  ///< `DrainOptions::grace`
  std::chrono::milliseconds drain_announce{0};    ///< `DrainOptions::announce`

  bool request_ids = true;  ///< the `RequestIds` middleware
  bool health = true;       ///< the `Health` middleware
  HealthOptions health_options;
  /// The `Cors` middleware when `cors.origins` is not empty.
  CorsPolicy cors;

  // ---- Extension points: parsed here, wired into `install` where their middleware lives. ----
  /// OASGEN_RATE_LIMIT: the default policy of the rate limiter; nullopt: no rate limiting.
  std::optional<RateLimitSetting> rate_limit;
  /// OASGEN_REDIS_URL ("redis://[:password@]host[:port][/db]"): the rate limiter's shared store;
  /// empty: in process.
  std::string redis_url;
  /// OASGEN_TRUSTED_PROXIES: addresses and CIDR ranges of the proxies (a load balancer) whose
  /// `Forwarded`/`X-Forwarded-For` name the client the rate limiter counts; empty: the peer.
  std::vector<std::string> trusted_proxies;
  /// OASGEN_METRICS: Prometheus metrics at /metrics (the `Metrics` middleware).
  bool metrics = false;
  /// OASGEN_ACCESS_LOG: the JSON `AccessLog` middleware, to stderr or a file.
  AccessLogSetting access_log;

  /// The `ServerOptions` defaults, with port 8080.
  static ServerOptions default_server_options();

  /// Reads a variable; nullopt when it is not set.
  using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

  /// `defaults` with every OASGEN_* variable that is set (see `environment_variables()`) applied.
  /// An empty value counts as not set. Throws ConfigError listing every malformed value.
  static ServiceConfig from_env(ServiceConfig defaults);
  static ServiceConfig from_env();  ///< over the library's defaults
  /// The same over any source of variables (tests, a file).
  static ServiceConfig from_vars(const Lookup& lookup, ServiceConfig defaults);
  static ServiceConfig from_vars(const Lookup& lookup);

  /// How `Server::drain` should run for this configuration, with the health middleware `install`
  /// added (if any).
  DrainOptions drain_options(const Installed& installed) const;
};

/// The middleware `install` added; null where the feature is off.
struct Installed {
  std::shared_ptr<AccessLog> access_log;
  std::shared_ptr<Metrics> metrics;
  std::shared_ptr<RequestIds> request_ids;
  std::shared_ptr<Health> health;
  std::shared_ptr<Cors> cors;
  std::shared_ptr<RateLimit> rate_limit;
};

/// Adds the middleware `config` turns on to `router`, in the order they must run: the access log
/// and metrics first (their `on_response` runs last, so they see the final response, and they
/// count what later middleware answers), then request ids (every later hook sees the id), health
/// probes (answered before anything can refuse them), then CORS (preflights before
/// authentication, headers on every response). Call after the routes are added and before serving. Throws std::invalid_argument for
/// a CORS policy with "*" and credentials.
/// Rate limits (OASGEN_RATE_LIMIT, with OASGEN_REDIS_URL for a shared store) come last and need
/// the API's operations (`<namespace>::kOperations`), for the per-operation policies of the spec.
Installed install(Router& router, const ServiceConfig& config, const OperationInfo* operations = nullptr,
                  std::size_t count = 0);
template <std::size_t N>
Installed install(Router& router, const ServiceConfig& config, const OperationInfo (&operations)[N]) {
  return install(router, config, operations, N);
}

}  // namespace oasgen
