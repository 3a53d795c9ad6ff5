// The Redis store: GCRA in a Lua script, over a small pool of hiredis connections.
#include "oasgen/middleware/rate_limit_redis.hpp"

#include <hiredis/hiredis.h>
#include <openssl/evp.h>

#include <algorithm>
#include <mutex>
#include <string_view>
#include <vector>

namespace oasgen {
namespace {

// KEYS[1]: the caller's key. ARGV: emission interval and capacity in microseconds (see `Gcra`).
// Returns {admitted (0/1), microseconds the quota is used ahead of now after the decision}. Time
// is Redis's own, so that processes with skewed clocks still share one limit. The key expires
// when its quota is full again.
constexpr std::string_view kScript = R"lua(
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local emission = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local next_tat = tat + emission
if next_tat - now > capacity then
  return {0, tat - now}
end
local ttl = math.ceil((next_tat - now) / 1000)
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', ttl)
return {1, next_tat - now}
)lua";

std::string sha1_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval out{};
  out.tv_sec = static_cast<time_t>(duration.count() / 1000);
  out.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return out;
}

std::int64_t steady_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct FreeContext {
  void operator()(redisContext* context) const { redisFree(context); }
};
using Connection = std::unique_ptr<redisContext, FreeContext>;

struct FreeReply {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, FreeReply>;

Reply command(redisContext* context, const std::vector<std::string_view>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (std::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return Reply(static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
}

bool is_error(const Reply& reply) { return !reply || reply->type == REDIS_REPLY_ERROR; }

}  // namespace

struct RedisRateLimitStore::Impl {
  RedisRateLimitOptions options;
  std::string sha = sha1_hex(kScript);
  std::mutex mutex;
  std::vector<Connection> idle;
  std::atomic<std::uint64_t> failures{0};
  std::atomic<std::int64_t> down_until{0};  // steady microseconds

  Connection connect() {
    Connection connection(redisConnectWithTimeout(options.host.c_str(), options.port,
                                                  to_timeval(options.connect_timeout)));
    if (!connection || connection->err) return nullptr;
    if (redisSetTimeout(connection.get(), to_timeval(options.command_timeout)) != REDIS_OK)
      return nullptr;
    redisEnableKeepAlive(connection.get());
    if (!options.password.empty() &&
        is_error(command(connection.get(), {"AUTH", options.password}))) {
      return nullptr;
    }
    if (options.database != 0) {
      const std::string database = std::to_string(options.database);
      if (is_error(command(connection.get(), {"SELECT", database}))) return nullptr;
    }
    return connection;
  }

  Connection take() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        Connection connection = std::move(idle.back());
        idle.pop_back();
        return connection;
      }
    }
    return connect();
  }

  void give_back(Connection connection) {
    std::lock_guard lock(mutex);
    if (idle.size() < options.pool_size) idle.push_back(std::move(connection));
  }

  // After a connection-level failure: stop trying for a while, and drop the pool (those
  // connections went to the same broken server).
  void mark_down() {
    down_until = steady_micros() + options.retry_interval.count() * 1000;
    std::lock_guard lock(mutex);
    idle.clear();
  }

  RateLimitDecision failed() {
    ++failures;
    RateLimitDecision decision;
    decision.known = false;
    decision.allowed = options.fail_open;
    if (!decision.allowed) {
      const auto seconds = std::chrono::ceil<std::chrono::seconds>(options.retry_interval);
      decision.retry_after = std::max(std::chrono::seconds(1), seconds);
    }
    return decision;
  }
};

RedisRateLimitStore::RedisRateLimitStore(RedisRateLimitOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

RedisRateLimitStore::~RedisRateLimitStore() = default;

std::uint64_t RedisRateLimitStore::failures() const { return impl_->failures.load(); }

RateLimitDecision RedisRateLimitStore::acquire(const std::string& key,
                                               const RateLimitPolicy& policy) {
  const Gcra gcra(policy);
  if (steady_micros() < impl_->down_until.load()) return impl_->failed();
  Connection connection = impl_->take();
  if (!connection) {
    impl_->mark_down();
    return impl_->failed();
  }
  const std::string full_key = impl_->options.key_prefix + key;
  const std::string emission = std::to_string(gcra.emission);
  const std::string capacity = std::to_string(gcra.capacity);
  Reply reply =
      command(connection.get(), {"EVALSHA", impl_->sha, "1", full_key, emission, capacity});
  if (reply && reply->type == REDIS_REPLY_ERROR &&
      std::string_view(reply->str, reply->len).substr(0, 8) == "NOSCRIPT") {
    // EVAL runs the script and caches it: the next EVALSHA finds it.
    reply = command(connection.get(), {"EVAL", kScript, "1", full_key, emission, capacity});
  }
  if (!reply || connection->err) {  // I/O error or timeout: the connection is unusable
    impl_->mark_down();
    return impl_->failed();
  }
  const bool well_formed = reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
                           reply->element[0]->type == REDIS_REPLY_INTEGER &&
                           reply->element[1]->type == REDIS_REPLY_INTEGER;
  if (!well_formed) {  // an error reply (out of memory, read-only replica, ...): Redis is there
    impl_->give_back(std::move(connection));
    return impl_->failed();
  }
  const bool allowed = reply->element[0]->integer == 1;
  const std::int64_t used = reply->element[1]->integer;
  impl_->give_back(std::move(connection));
  return gcra.decision(allowed, used);
}

}  // namespace oasgen
