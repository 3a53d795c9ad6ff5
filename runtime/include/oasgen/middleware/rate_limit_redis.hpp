// A rate-limit store in Redis, so that several server processes share one limit: GCRA runs in one
// Lua script per request (atomic in Redis, on Redis's clock), sent with EVALSHA (EVAL when Redis
// does not have the script yet). Each key expires when its quota is full again, so Redis holds only
// callers that are being limited.
//
//   oasgen::RedisRateLimitOptions redis;
//   redis.host = "10.0.0.5";
//   oasgen::RateLimitOptions options;
//   options.default_policy = oasgen::RateLimitPolicy{"default", 100, std::chrono::seconds(60)};
//   options.store = std::make_shared<oasgen::RedisRateLimitStore>(redis);
//   router.use(std::make_shared<oasgen::RateLimit>(petstore::kOperations, std::move(options)));
//
// Failure policy: when Redis cannot be reached, times out or answers an error, the request is
// admitted (`fail_open`, the default: a limit is protection, not the service) or refused with 503
// and `Retry-After` (`fail_open = false`); either way `failures()` counts it, and for
// `retry_interval` the store does not try Redis again (so that a dead Redis costs no timeouts).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "oasgen/middleware/rate_limit.hpp"

namespace oasgen {

struct RedisRateLimitOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  ///< AUTH when not empty
  int database = 0;      ///< SELECT when not 0
  std::string key_prefix = "oasgen:rl:";
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds command_timeout{200};
  /// Connections kept open for reuse; more are opened while more requests run at once.
  std::size_t pool_size = 8;
  bool fail_open = true;
  std::chrono::milliseconds retry_interval{1000};
};

class RedisRateLimitStore : public RateLimitStore {
 public:
  /// Connects lazily: constructing never fails for want of Redis.
  explicit RedisRateLimitStore(RedisRateLimitOptions options = {});
  ~RedisRateLimitStore() override;
  RedisRateLimitStore(const RedisRateLimitStore&) = delete;
  RedisRateLimitStore& operator=(const RedisRateLimitStore&) = delete;

  RateLimitDecision acquire(const std::string& key, const RateLimitPolicy& policy) override;

  /// Requests decided by the failure policy because Redis failed.
  std::uint64_t failures() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oasgen
