#include "oasgen/service.hpp"

#include "oasgen/middleware/rate_limit_redis.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace oasgen {
namespace {

// Parses OASGEN_* values, collecting one message per malformed variable.
class Parser {
 public:
  explicit Parser(const ServiceConfig::Lookup& lookup) : lookup_(lookup) {}

  // The value of `name`; nullopt when unset or empty.
  std::optional<std::string> get(std::string_view name) {
    std::optional<std::string> value = lookup_(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  }

  void fail(std::string_view name, std::string_view value, std::string_view expected) {
    errors_.push_back(std::string(name) + "=\"" + std::string(value) + "\": expected " +
                      std::string(expected));
  }

  template <class Integer>
  void number(std::string_view name, Integer& out, std::uint64_t min, std::uint64_t max,
              std::string_view expected) {
    const auto text = get(name);
    if (!text) return;
    if (const auto parsed = whole_number(*text); parsed && *parsed >= min && *parsed <= max) {
      out = static_cast<Integer>(*parsed);
    } else {
      fail(name, *text, expected);
    }
  }

  void milliseconds(std::string_view name, std::chrono::milliseconds& out) {
    std::uint64_t count = 0;
    bool set = false;
    if (const auto text = get(name)) {
      set = true;
      const auto parsed = whole_number(*text);
      if (!parsed || *parsed > kMaxMilliseconds) {
        fail(name, *text, "a whole number of milliseconds, at most 86400000 (one day)");
        return;
      }
      count = *parsed;
    }
    if (set) out = std::chrono::milliseconds(count);
  }

  void boolean(std::string_view name, bool& out) {
    const auto text = get(name);
    if (!text) return;
    const std::string& value = *text;
    if (iequals(value, "1") || iequals(value, "true") || iequals(value, "on") ||
        iequals(value, "yes")) {
      out = true;
    } else if (iequals(value, "0") || iequals(value, "false") || iequals(value, "off") ||
               iequals(value, "no")) {
      out = false;
    } else {
      fail(name, value, "on or off (also 1/0, true/false, yes/no)");
    }
  }

  static std::optional<std::uint64_t> whole_number(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
  }

  std::vector<std::string>& errors() { return errors_; }

 private:
  static constexpr std::uint64_t kMaxMilliseconds = 86'400'000;
  const ServiceConfig::Lookup& lookup_;
  std::vector<std::string> errors_;
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "https://app.example.com", "http://127.0.0.1:3000", "https://*.example.com" or "*": a
// serialised origin (scheme://host[:port], no path), as browsers send it in `Origin`.
bool is_origin_pattern(std::string_view origin) {
  if (origin == "*") return true;
  const std::size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  const std::string_view host = origin.substr(scheme_end + 3);
  if (host.empty() || host.find_first_of("/?# ") != std::string_view::npos) return false;
  return origin.find('*') == origin.rfind('*');  // at most one `*`
}

// "100/60s", "10/1m", "5000/1h", "20/s": requests per period.
std::optional<RateLimitSetting> parse_rate(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto requests = Parser::whole_number(text.substr(0, slash));
  std::string_view period = text.substr(slash + 1);
  if (!requests || *requests == 0 || period.empty()) return std::nullopt;
  std::uint64_t unit = 0;
  switch (period.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    default:
      return std::nullopt;
  }
  period.remove_suffix(1);
  const auto count =
      period.empty() ? std::optional<std::uint64_t>(1) : Parser::whole_number(period);
  if (!count || *count == 0 || *count > 86'400 * 366) return std::nullopt;
  return RateLimitSetting{*requests, std::chrono::seconds(*count * unit)};
}

// redis://[:password@]host[:port][/db]. TLS (rediss://) is not offered: the store speaks plain
// Redis, so such a URL is refused rather than silently sent in the clear.
std::optional<RedisRateLimitOptions> redis_options(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme || url.find(' ') != std::string_view::npos) return std::nullopt;
  url.remove_prefix(kScheme.size());
  RedisRateLimitOptions options;
  if (const std::size_t at = url.rfind('@'); at != std::string_view::npos) {
    std::string_view user_info = url.substr(0, at);
    if (const std::size_t colon = user_info.find(':'); colon != std::string_view::npos) {
      options.password = std::string(user_info.substr(colon + 1));
    }
    url.remove_prefix(at + 1);
  }
  if (const std::size_t slash = url.find('/'); slash != std::string_view::npos) {
    const auto db = Parser::whole_number(url.substr(slash + 1));
    if (!db || *db > 15) return std::nullopt;
    options.database = static_cast<int>(*db);
    url = url.substr(0, slash);
  }
  if (const std::size_t colon = url.rfind(':'); colon != std::string_view::npos && url.find(']') == std::string_view::npos) {
    const auto port = Parser::whole_number(url.substr(colon + 1));
    if (!port || *port == 0 || *port > 65535) return std::nullopt;
    options.port = static_cast<int>(*port);
    url = url.substr(0, colon);
  }
  if (url.empty()) return std::nullopt;
  options.host = std::string(url);
  return options;
}

bool is_redis_url(std::string_view url) { return redis_options(url).has_value(); }

}  // namespace

ConfigError::ConfigError(std::vector<std::string> errors)
    : std::runtime_error([&] {
        std::string text = "invalid configuration:";
        for (const auto& error : errors) text += "\n  " + error;
        return text;
      }()),
      errors_(std::move(errors)) {}

const std::vector<EnvVariable>& environment_variables() {
  static const std::vector<EnvVariable> variables = {
      {"OASGEN_ADDRESS", "127.0.0.1", "address to listen on (0.0.0.0: every IPv4 interface)"},
      {"OASGEN_PORT", "8080", "port to listen on; 0 picks a free one"},
      {"OASGEN_THREADS", "0", "worker threads; 0: one per hardware thread"},
      {"OASGEN_HANDLER_THREADS", "0",
       "threads that run handlers apart from the I/O (for handlers that block); 0: none"},
      {"OASGEN_MAX_BODY_BYTES", "1048576", "larger request bodies get 413"},
      {"OASGEN_MAX_HEADER_BYTES", "16384", "larger request headers get 431"},
      {"OASGEN_READ_TIMEOUT_MS", "30000", "a request must arrive whole within this"},
      {"OASGEN_IDLE_TIMEOUT_MS", "60000", "idle keep-alive connections close after this"},
      {"OASGEN_MAX_CONNECTIONS", "0",
       "open connections at most (past it: 503, close); 0: no limit"},
      {"OASGEN_MAX_IN_FLIGHT", "0", "requests in flight at most (past it: 503); 0: no limit"},
      {"OASGEN_HANDLER_DEADLINE_MS", "0",
       "503 for a request whose handler has not started this long after its header was read; "
       "handlers see it as `Context::deadline()`; 0: none"},
      {"OASGEN_RETRY_AFTER_S", "1", "the `Retry-After` of those 503s, in seconds"},
      {"OASGEN_DRAIN_GRACE_MS", "10000",
       "on SIGTERM, how long requests in progress may take to finish"},
      {"OASGEN_DRAIN_DELAY_MS", "0",
       "on SIGTERM, how long /readyz fails before the listener closes"},
      {"OASGEN_REQUEST_IDS", "on", "`X-Request-Id` and W3C trace context"},
      {"OASGEN_HEALTH", "on", "/healthz and /readyz"},
      {"OASGEN_CORS_ORIGINS", "",
       "comma-separated allowed origins (`https://*.example.com`, `*`); "
       "empty: CORS off"},
      {"OASGEN_CORS_CREDENTIALS", "off",
       "allow credentials (cookies, Authorization); not with `*`"},
      {"OASGEN_CORS_MAX_AGE_S", "600", "how long browsers may cache a preflight, in seconds"},
      {"OASGEN_RATE_LIMIT", "",
       "default rate limit, requests/period (`100/60s`, `10/m`); "
       "empty: off"},
      {"OASGEN_REDIS_URL", "", "`redis://[:password@]host[:port][/db]`: rate limits shared by processes"},
      {"OASGEN_TRUSTED_PROXIES", "",
       "comma-separated proxy addresses or CIDR ranges (`10.0.0.0/8`) whose `X-Forwarded-For` names "
       "the client rate limits count; empty: the peer"},
      {"OASGEN_METRICS", "off", "Prometheus metrics at /metrics"},
      {"OASGEN_ACCESS_LOG", "off", "JSON access log: `off`, `stderr` or a file path"},
  };
  return variables;
}

ServerOptions ServiceConfig::default_server_options() {
  ServerOptions options;
  options.port = 8080;
  return options;
}

ServiceConfig ServiceConfig::from_env() { return from_env(ServiceConfig()); }

ServiceConfig ServiceConfig::from_vars(const Lookup& lookup) {
  return from_vars(lookup, ServiceConfig());
}

ServiceConfig ServiceConfig::from_env(ServiceConfig defaults) {
  return from_vars(
      [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      },
      std::move(defaults));
}

ServiceConfig ServiceConfig::from_vars(const Lookup& lookup, ServiceConfig config) {
  Parser parse(lookup);
  ServerOptions& server = config.server;
  if (auto address = parse.get("OASGEN_ADDRESS")) server.address = *address;
  parse.number("OASGEN_PORT", server.port, 0, 65535, "a whole number from 0 to 65535");
  parse.number("OASGEN_THREADS", server.threads, 0, 1024, "a whole number from 0 to 1024");
  parse.number("OASGEN_HANDLER_THREADS", server.handler_threads, 0, 1024,
               "a whole number from 0 to 1024");
  parse.number("OASGEN_MAX_BODY_BYTES", server.max_body_bytes, 0,
               std::numeric_limits<std::uint32_t>::max(), "a whole number of bytes");
  parse.number("OASGEN_MAX_HEADER_BYTES", server.max_header_bytes, 256,
               std::numeric_limits<std::uint32_t>::max(), "a whole number of bytes, at least 256");
  parse.milliseconds("OASGEN_READ_TIMEOUT_MS", server.read_timeout);
  parse.milliseconds("OASGEN_IDLE_TIMEOUT_MS", server.idle_timeout);
  parse.number("OASGEN_MAX_CONNECTIONS", server.max_connections, 0, 10'000'000,
               "a whole number (0: no limit)");
  parse.number("OASGEN_MAX_IN_FLIGHT", server.max_in_flight, 0, 10'000'000,
               "a whole number (0: no limit)");
  parse.milliseconds("OASGEN_HANDLER_DEADLINE_MS", server.handler_deadline);
  parse.number("OASGEN_RETRY_AFTER_S", server.retry_after_seconds, 0, 86'400,
               "a whole number of seconds, at most 86400");
  parse.milliseconds("OASGEN_DRAIN_GRACE_MS", config.drain_grace);
  parse.milliseconds("OASGEN_DRAIN_DELAY_MS", config.drain_announce);

  parse.boolean("OASGEN_REQUEST_IDS", config.request_ids);
  parse.boolean("OASGEN_HEALTH", config.health);

  if (const auto origins = parse.get("OASGEN_CORS_ORIGINS")) {
    std::vector<std::string> list;
    std::string_view rest = *origins;
    bool valid = true;
    while (valid) {
      const std::size_t comma = rest.find(',');
      const std::string_view origin = trim(rest.substr(0, comma));
      valid = is_origin_pattern(origin);
      list.emplace_back(origin);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (valid) {
      config.cors.origins = std::move(list);
    } else {
      parse.fail("OASGEN_CORS_ORIGINS", *origins,
                 "comma-separated origins such as https://app.example.com, "
                 "http://127.0.0.1:3000 or https://*.example.com (no path), or *");
    }
  }
  parse.boolean("OASGEN_CORS_CREDENTIALS", config.cors.credentials);
  std::uint64_t max_age = static_cast<std::uint64_t>(config.cors.max_age.count());
  parse.number("OASGEN_CORS_MAX_AGE_S", max_age, 0, 86'400,
               "a whole number of seconds, at most 86400");
  config.cors.max_age = std::chrono::seconds(max_age);
  const bool any = std::find(config.cors.origins.begin(), config.cors.origins.end(), "*") !=
                   config.cors.origins.end();
  if (any && config.cors.credentials) {
    parse.errors().push_back(
        "OASGEN_CORS_CREDENTIALS=on with OASGEN_CORS_ORIGINS=\"*\": browsers refuse credentials "
        "for any origin; list the origins instead");
  }

  if (const auto rate = parse.get("OASGEN_RATE_LIMIT")) {
    if (iequals(*rate, "off")) {
      config.rate_limit.reset();
    } else if (auto parsed = parse_rate(*rate)) {
      config.rate_limit = *parsed;
    } else {
      parse.fail("OASGEN_RATE_LIMIT", *rate,
                 "requests/period such as 100/60s, 10/m or 5000/1h (s, m or h), or off");
    }
  }
  if (const auto url = parse.get("OASGEN_REDIS_URL")) {
    if (is_redis_url(*url)) {
      config.redis_url = *url;
    } else {
      parse.fail("OASGEN_REDIS_URL", *url, "redis://[:password@]host[:port][/db] (no TLS)");
    }
  }
  if (const auto proxies = parse.get("OASGEN_TRUSTED_PROXIES")) {
    std::vector<std::string> list;
    std::string_view rest = *proxies;
    while (!trim(rest).empty()) {
      const std::size_t comma = rest.find(',');
      list.emplace_back(trim(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    try {
      AddressSet check(list);
      config.trusted_proxies = std::move(list);
    } catch (const std::invalid_argument&) {
      parse.fail("OASGEN_TRUSTED_PROXIES", *proxies,
                 "comma-separated IPv4 or IPv6 addresses or CIDR ranges, such as 10.0.0.0/8,127.0.0.1");
    }
  }
  parse.boolean("OASGEN_METRICS", config.metrics);
  if (const auto log = parse.get("OASGEN_ACCESS_LOG")) {
    if (iequals(*log, "off")) {
      config.access_log = {};
    } else if (iequals(*log, "stderr")) {
      config.access_log = {AccessLogSetting::Target::Stderr, {}};
    } else if (log->find('/') != std::string::npos || log->find('.') != std::string::npos) {
      config.access_log = {AccessLogSetting::Target::File, *log};
    } else {
      parse.fail("OASGEN_ACCESS_LOG", *log, "off, stderr or a file path (containing / or .)");
    }
  }
  if (!parse.errors().empty()) throw ConfigError(std::move(parse.errors()));
  return config;
}

DrainOptions ServiceConfig::drain_options(const Installed& installed) const {
  DrainOptions options;
  options.grace = drain_grace;
  options.announce = drain_announce;
  options.health = installed.health;
  return options;
}

Installed install(Router& router, const ServiceConfig& config, const OperationInfo* operations,
                  std::size_t count) {
  Installed installed;
  if (config.access_log.target != AccessLogSetting::Target::Off) {
    AccessLogOptions options;
    if (config.access_log.target == AccessLogSetting::Target::File) options.file = config.access_log.path;
    installed.access_log = std::make_shared<AccessLog>(options);
    router.use(installed.access_log);
  }
  if (config.metrics) {
    installed.metrics = std::make_shared<Metrics>();
    router.use(installed.metrics);
  }
  if (config.request_ids) {
    installed.request_ids = std::make_shared<RequestIds>();
    router.use(installed.request_ids);
  }
  if (config.health) {
    installed.health = std::make_shared<Health>(config.health_options);
    router.use(installed.health);
  }
  if (!config.cors.origins.empty()) {
    installed.cors = std::make_shared<Cors>(router, config.cors);
    router.use(installed.cors);
  }
  // After CORS, so that a 429 carries CORS headers and a preflight is never limited.
  if (config.rate_limit) {
    if (operations == nullptr) {
      throw std::invalid_argument("OASGEN_RATE_LIMIT needs the API's operations: install(router, config, "
                                  "<namespace>::kOperations)");
    }
    RateLimitOptions options;
    options.default_policy = RateLimitPolicy{"default", config.rate_limit->requests, config.rate_limit->period};
    options.trusted_proxies = config.trusted_proxies;
    if (!config.redis_url.empty()) {
      options.store = std::make_shared<RedisRateLimitStore>(*redis_options(config.redis_url));
    }
    installed.rate_limit = std::make_shared<RateLimit>(operations, count, std::move(options));
    router.use(installed.rate_limit);
  }
  return installed;
}

}  // namespace oasgen
