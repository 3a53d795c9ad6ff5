// Rate limiting with the generic cell rate algorithm (GCRA), per caller and per operation, with the
// IETF `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-10).
//
// A request is counted against one policy: its operation's (from configuration, else from the
// spec's `x-oasgen-rate-limit`), else the default one. It is counted under its caller: the
// authenticated principal ("scheme:subject" of its first identity), else the client address
// (`Forwarded`/`X-Forwarded-For` are believed only from `trusted_proxies`). Refused credentials
// are counted too: the check runs after authentication, whatever it decided.
//
//   oasgen::RateLimitOptions options;
//   options.default_policy = oasgen::RateLimitPolicy{"default", 100, std::chrono::seconds(60)};
//   options.operations["create_pet"] = {"writes", 10, std::chrono::seconds(60)};
//   options.trusted_proxies = {"10.0.0.0/8"};
//   router.use(std::make_shared<oasgen::RateLimit>(petstore::kOperations, std::move(options)));
//
// Over the limit: 429 `application/problem+json` (type `urn:oasgen:problem:rate-limited`) with
// `Retry-After`, `RateLimit-Policy` and `RateLimit`; admitted requests of limited operations carry
// the last two as well. Several processes share limits through `RedisRateLimitStore`
// (oasgen/middleware/rate_limit_redis.hpp).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "oasgen/middleware.hpp"

namespace oasgen {

struct OperationInfo;

/// 429: a rate limit was exceeded.
inline constexpr std::string_view kProblemRateLimited = "urn:oasgen:problem:rate-limited";
/// 503: the shared rate-limit store failed and the store fails closed.
inline constexpr std::string_view kProblemRateLimitUnavailable =
    "urn:oasgen:problem:rate-limit-unavailable";

/// `limit` requests per `window`, bursts of up to `limit` included.
struct RateLimitPolicy {
  /// The policy's identifier in the `RateLimit-Policy`/`RateLimit` fields: printable ASCII.
  /// Operations whose policies have the same name share one quota per caller.
  std::string name = "default";
  std::uint64_t limit = 0;  ///< requests per window, at least 1
  std::chrono::seconds window{60};
};

/// What the store decided for one request.
struct RateLimitDecision {
  bool allowed = true;
  /// False when the store could not decide (a failed shared store): no `RateLimit` field then.
  bool known = true;
  std::uint64_t remaining = 0;          ///< requests that would be admitted right now
  std::chrono::seconds reset{0};        ///< until one more request is available (0: quota is full)
  std::chrono::seconds retry_after{0};  ///< when refused: until the next request is admitted
};

/// The GCRA arithmetic, in microseconds. Each request costs `emission` (window / limit, rounded
/// up); a key's state is its theoretical arrival time (TAT); a request is admitted when the TAT it
/// would leave is at most `capacity` (= limit * emission) ahead of now. A TAT at or before now is a
/// full quota: such a key holds no information and can be forgotten.
struct Gcra {
  std::int64_t emission = 0;
  std::int64_t capacity = 0;

  explicit Gcra(const RateLimitPolicy& policy);
  /// The outcome for a key whose quota is `used` microseconds ahead of now after the decision
  /// (TAT - now, clamped at 0), and whether the request was admitted.
  RateLimitDecision decision(bool allowed, std::int64_t used) const;
};

namespace detail {
struct KeyState;  // rate_limit_memory.cpp
}  // namespace detail

/// Where GCRA state lives. Implementations must be thread-safe.
class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;
  /// Counts one request of `key` under `policy` (admitting or refusing it) in one atomic step.
  virtual RateLimitDecision acquire(const std::string& key, const RateLimitPolicy& policy) = 0;
};

struct MemoryRateLimitStoreOptions {
  /// Hard cap on the keys held; past it the least recently used key is dropped (its caller then
  /// starts over with a full quota). Idle keys (full quota) are dropped anyway.
  std::size_t max_keys = 100'000;
  std::size_t shards = 16;  ///< independently locked parts of the table
  /// Microseconds on a monotonic clock; tests inject their own. Default: std::chrono::steady_clock.
  std::function<std::int64_t()> clock;
};

/// The in-process store: one TAT per key, in sharded hash tables with an LRU order each. A thread
/// asking again for the key it asked for last updates that key's TAT with one compare-and-swap,
/// without the shard's lock; the LRU order then learns of the use when the key is next due for
/// eviction (it is spared once and moved to the front), so with several threads it is an
/// approximation of LRU, exact for one thread.
class MemoryRateLimitStore : public RateLimitStore {
 public:
  explicit MemoryRateLimitStore(MemoryRateLimitStoreOptions options = {});
  ~MemoryRateLimitStore() override;

  RateLimitDecision acquire(const std::string& key, const RateLimitPolicy& policy) override;

  /// Keys held now.
  std::size_t size() const;
  /// Keys dropped by the cap (not counting idle ones).
  std::uint64_t evictions() const { return evictions_.load(); }

 private:
  struct Shard;
  RateLimitDecision acquire_locked(const std::string& key, const Gcra& gcra);
  void remember(Shard& shard, const std::string& key,
                std::shared_ptr<detail::KeyState> state) const;

  const std::uint64_t id_;  // never reused: a thread's last key of a destroyed store never matches
  MemoryRateLimitStoreOptions options_;
  std::size_t shard_cap_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<std::uint64_t> evictions_{0};
};

/// Addresses and CIDR ranges ("10.0.0.0/8", "2001:db8::/32", "127.0.0.1"), IPv4 or IPv6.
class AddressSet {
 public:
  AddressSet() = default;
  /// Throws std::invalid_argument naming the first entry that is not an address or range.
  explicit AddressSet(const std::vector<std::string>& entries);
  /// Whether `address` (without port or brackets) is in the set; false when it is not an address.
  bool contains(std::string_view address) const;
  bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    std::array<unsigned char, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    unsigned prefix = 128;
  };
  std::vector<Range> ranges_;
};

/// The client's address: the peer's (`Request::remote_address` without the port), or, when the
/// peer is a trusted proxy, the right-most address of `Forwarded` (RFC 7239 `for=`, when present)
/// or else `X-Forwarded-For` that is not a trusted proxy (the left-most when all are).
std::string client_address(const Request& request, const AddressSet& trusted_proxies);

struct RateLimitOptions {
  /// Applies to every routed request without a policy of its own; none: only those are limited.
  std::optional<RateLimitPolicy> default_policy;
  /// Policies by operationId; they win over the spec's `x-oasgen-rate-limit`.
  std::map<std::string, RateLimitPolicy> operations;
  /// OperationIds never limited, whatever the spec or the default say.
  std::set<std::string> exempt;
  /// Whose `Forwarded`/`X-Forwarded-For` is believed (see `client_address`).
  std::vector<std::string> trusted_proxies;
  /// Where the state lives; default: a `MemoryRateLimitStore` with default options.
  std::shared_ptr<RateLimitStore> store;
};

/// The rate-limiting middleware (see the top of this file). Policies are resolved once, here.
class RateLimit : public Middleware {
 public:
  /// Throws std::invalid_argument for an invalid `x-oasgen-rate-limit` (naming the operation), an
  /// invalid policy, a configured operationId the API does not have, or a bad trusted proxy.
  /// `operations` must outlive the middleware (a generated `kOperations` is a constant).
  RateLimit(const OperationInfo* operations, std::size_t count, RateLimitOptions options);
  /// From a generated `<ns>::kOperations`.
  template <std::size_t N>
  RateLimit(const OperationInfo (&operations)[N], RateLimitOptions options)
      : RateLimit(operations, N, std::move(options)) {}

  std::optional<Response> after_routing(Request& request) override;
  void on_response(const Request& request, Response& response) override;

  /// The policy counting requests of `operation_id` ("" for routes without an operation);
  /// nullptr when they are not limited.
  const RateLimitPolicy* policy(std::string_view operation_id) const;
  /// Who a request is counted as: "principal:<scheme>:<subject>" or "address:<client address>".
  std::string caller(const Request& request) const;
  /// Requests refused so far (429 and 503), for metrics.
  std::uint64_t rejected() const { return rejected_.load(); }

 private:
  std::vector<RateLimitPolicy> policies_;  // [0] is the default policy when there is one
  std::optional<std::size_t> default_;
  std::unordered_map<std::string_view, std::optional<std::size_t>> by_operation_;
  // The same by position in the constructor's array: a routed request points into it.
  const OperationInfo* operations_ = nullptr;
  std::vector<std::optional<std::size_t>> by_position_;
  std::vector<std::string> policy_fields_;  // `RateLimit-Policy` value per policy
  AddressSet trusted_proxies_;
  std::shared_ptr<RateLimitStore> store_;
  std::atomic<std::uint64_t> rejected_{0};
};

/// What an operation's `x-oasgen-rate-limit` says.
struct RateLimitExtension {
  bool exempt = false;  ///< `x-oasgen-rate-limit: false`: never limited
  RateLimitPolicy policy;
};

/// Reads `x-oasgen-rate-limit` from an operation's `x-` members as JSON text
/// (`OperationInfo::extensions`); nullopt when it has none. Accepts `false`, `{limit, window}` and
/// `{limit, window, name}` (window in seconds; name defaults to the operationId). Throws
/// std::invalid_argument naming the operation for anything else.
std::optional<RateLimitExtension> rate_limit_extension(std::string_view operation_id,
                                                       std::string_view extensions);

}  // namespace oasgen
