// Safe retries of POST and PATCH with an `Idempotency-Key` header
// (draft-ietf-httpapi-idempotency-key-header-06): the first request with a key runs; a retry with
// the same key and the same request gets the first response again (`Idempotent-Replayed: true`)
// without running the handler; the same key with another request is 422; a retry while the first is
// still running waits up to `IdempotencyOptions::wait` for it, then gets 409 with `Retry-After`.
//
//   auto store = std::make_shared<oasgen::MemoryIdempotencyStore>();
//   router.use(std::make_shared<oasgen::Idempotency>(petstore::kOperations, store));
//
// Keys are scoped by operation and caller (the principal's subject), so that two clients choosing
// the same key never see each other's responses. Use it after `RequestIds` and `RateLimit`, so
// that replays get their own request id and count against the limit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "oasgen/http.hpp"
#include "oasgen/middleware.hpp"

namespace oasgen {

struct OperationInfo;

/// Where keys and the responses they produced are kept. Implementations are thread-safe.
class IdempotencyStore {
 public:
  enum class Claim {
    kFirst,       ///< the key is new: run the request, then `complete` or `release` it
    kReplay,      ///< the key has a response for the same fingerprint: `response`
    kMismatch,    ///< the key was used for a request with another fingerprint
    kInProgress,  ///< the key's first request is still running (after waiting up to `wait`)
  };
  struct Result {
    Claim claim = Claim::kFirst;
    std::optional<Response> response;
  };

  virtual ~IdempotencyStore() = default;
  /// Claims `key` for a request whose fingerprint is `fingerprint`; the claim and its response
  /// live for `ttl`. While another request holds the key, waits up to `wait` for its response.
  virtual Result claim(const std::string& key, const std::string& fingerprint,
                       std::chrono::seconds ttl, std::chrono::milliseconds wait) = 0;
  /// Keeps `response` as the key's answer, for replays.
  virtual void complete(const std::string& key, const Response& response) = 0;
  /// Forgets a claimed key whose request had no answer worth keeping (a 5xx), so that a retry runs.
  virtual void release(const std::string& key) = 0;
};

/// In one process's memory, at most `max_entries` keys (the soonest to expire are dropped first).
/// For several instances behind one load balancer, use a store they share.
class MemoryIdempotencyStore : public IdempotencyStore {
 public:
  explicit MemoryIdempotencyStore(std::size_t max_entries = 100'000) : max_entries_(max_entries) {}

  Result claim(const std::string& key, const std::string& fingerprint, std::chrono::seconds ttl,
               std::chrono::milliseconds wait) override;
  void complete(const std::string& key, const Response& response) override;
  void release(const std::string& key) override;
  std::size_t size() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string fingerprint;
    std::optional<Response> response;  ///< none while the first request runs
    std::multimap<Clock::time_point, std::string>::iterator expiry;
  };
  void make_room(Clock::time_point now);
  void erase(std::unordered_map<std::string, Entry>::iterator entry);

  const std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::condition_variable completed_;
  std::unordered_map<std::string, Entry> entries_;
  std::multimap<Clock::time_point, std::string> expiries_;
};

struct IdempotencyOptions {
  std::chrono::seconds ttl = std::chrono::hours(24);
  /// How long a retry waits for a first request that is still running before it gets 409.
  std::chrono::milliseconds wait = std::chrono::seconds(5);
  /// Every operation with one of these methods takes a key when the request sends one.
  std::vector<std::string> methods = {"POST", "PATCH"};
};

/// The middleware. An operation whose spec says `x-oasgen-idempotency: required` refuses a request
/// without a key (400); `x-oasgen-idempotency: false` turns keys off for it.
class Idempotency : public Middleware {
 public:
  Idempotency(const OperationInfo* operations, std::size_t count,
              std::shared_ptr<IdempotencyStore> store, IdempotencyOptions options = {});
  template <std::size_t N>
  Idempotency(const OperationInfo (&operations)[N], std::shared_ptr<IdempotencyStore> store,
              IdempotencyOptions options = {})
      : Idempotency(operations, N, std::move(store), std::move(options)) {}

  std::optional<Response> after_routing(Request& request) override;
  void on_response(const Request& request, Response& response) override;

 private:
  std::shared_ptr<IdempotencyStore> store_;
  IdempotencyOptions options_;
  std::unordered_set<const OperationInfo*> required_;
  std::unordered_set<const OperationInfo*> exempt_;
};

/// The key an `Idempotency-Key` field carries: an RFC 8941 sf-string (`"a1b2"`) or, leniently, a
/// bare token; 1 to 255 visible ASCII characters. nullopt when malformed.
std::optional<std::string> parse_idempotency_key(std::string_view field);

}  // namespace oasgen
