// GCRA arithmetic and the in-process store.
#include <algorithm>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "oasgen/middleware/rate_limit.hpp"

namespace oasgen {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
// How often a shard drops its idle keys: a full scan, so not on every request.
constexpr std::int64_t kSweepInterval = kMicrosPerSecond;

std::chrono::seconds ceil_seconds(std::int64_t micros) {
  if (micros <= 0) return std::chrono::seconds(0);
  return std::chrono::seconds((micros + kMicrosPerSecond - 1) / kMicrosPerSecond);
}

std::int64_t steady_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Gcra::Gcra(const RateLimitPolicy& policy) {
  if (policy.limit == 0 || policy.window.count() <= 0) {
    throw std::invalid_argument("rate limit policy '" + policy.name +
                                "': limit and window must be positive");
  }
  const auto window = static_cast<std::int64_t>(policy.window.count()) * kMicrosPerSecond;
  const auto limit =
      static_cast<std::int64_t>(std::min<std::uint64_t>(policy.limit, 1'000'000'000));
  // Rounding the interval up keeps the rate at or below limit/window, and a capacity of exactly
  // `limit` intervals admits exactly `limit` requests in a burst.
  emission = (window + limit - 1) / limit;
  capacity = emission * limit;
}

RateLimitDecision Gcra::decision(bool allowed, std::int64_t used) const {
  used = std::clamp<std::int64_t>(used, 0, capacity);
  RateLimitDecision out;
  out.allowed = allowed;
  const std::int64_t free = capacity - used;
  out.remaining = static_cast<std::uint64_t>(free / emission);  // 0 when refused
  if (free < capacity) {
    // The next whole interval to come free.
    const std::int64_t wait = (static_cast<std::int64_t>(out.remaining) + 1) * emission - free;
    out.reset = ceil_seconds(wait);
    if (!allowed) out.retry_after = std::max(std::chrono::seconds(1), out.reset);
  }
  return out;
}

namespace detail {

// A key's TAT, shared by the shard's table and the threads that asked for the key last. On a cache
// line of its own: two hot keys must not share one.
struct alignas(64) KeyState {
  // The key was dropped from its shard (idle, or evicted): a thread holding the state goes back
  // to the table, which has a new state for the key or none.
  static constexpr std::int64_t kDropped = std::numeric_limits<std::int64_t>::min();

  std::atomic<std::int64_t> tat{0};
  // Used without the lock since it last moved to the front of the LRU order.
  std::atomic<bool> touched{false};

  // The GCRA step on this key, or nullopt when it has been dropped.
  std::optional<RateLimitDecision> acquire(const Gcra& gcra, std::int64_t now) {
    std::int64_t old = tat.load(std::memory_order_relaxed);
    while (old != kDropped) {
      const std::int64_t at = std::max(old, now);
      const std::int64_t next = at + gcra.emission;
      if (next - now > gcra.capacity) return gcra.decision(false, at - now);
      if (tat.compare_exchange_weak(old, next, std::memory_order_relaxed))
        return gcra.decision(true, next - now);
    }
    return std::nullopt;
  }
};

}  // namespace detail

namespace {

using detail::KeyState;
std::atomic<std::uint64_t> next_store_id{1};

}  // namespace

struct MemoryRateLimitStore::Shard {
  struct Node {
    std::string key;
    std::shared_ptr<KeyState> state;
  };
  std::mutex mutex;
  std::list<Node> order;  // most recently used first; the map's keys view the nodes' keys
  std::unordered_map<std::string_view, std::list<Node>::iterator> entries;
  std::atomic<std::int64_t> last_sweep{0};  // read without the lock: when a sweep is due

  void erase(std::list<Node>::iterator node) {
    entries.erase(node->key);
    order.erase(node);
  }

  // `node` becomes the most recently used; the one it displaces from the front was used (by any
  // thread) before now, so its uses since it got there say nothing any more.
  void to_front(std::list<Node>::iterator node) {
    if (node != order.begin()) {
      order.front().state->touched.store(false, std::memory_order_relaxed);
      order.splice(order.begin(), order, node);
    }
    node->state->touched.store(false, std::memory_order_relaxed);
  }

  void sweep(std::int64_t now) {
    last_sweep.store(now, std::memory_order_relaxed);
    for (auto node = order.begin(); node != order.end();) {
      std::int64_t tat = node->state->tat.load(std::memory_order_relaxed);
      // A thread that counts a request meanwhile keeps the key.
      if (tat <= now && node->state->tat.compare_exchange_strong(tat, KeyState::kDropped,
                                                                 std::memory_order_relaxed)) {
        entries.erase(node->key);
        node = order.erase(node);
      } else {
        ++node;
      }
    }
  }
};

namespace {

// The key this thread asked a memory store for last, and its state.
struct LastKey {
  std::uint64_t store = 0;
  std::string key;
  const std::atomic<std::int64_t>* last_sweep = nullptr;
  std::shared_ptr<KeyState> state;
};
thread_local LastKey t_last_key;

}  // namespace

MemoryRateLimitStore::MemoryRateLimitStore(MemoryRateLimitStoreOptions options)
    : id_(next_store_id.fetch_add(1, std::memory_order_relaxed)), options_(std::move(options)) {
  if (options_.shards == 0) options_.shards = 1;
  if (options_.max_keys == 0) throw std::invalid_argument("MemoryRateLimitStore: max_keys is 0");
  options_.shards = std::min(options_.shards, options_.max_keys);
  shard_cap_ = options_.max_keys / options_.shards;
  if (!options_.clock) options_.clock = steady_micros;
  for (std::size_t i = 0; i < options_.shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

MemoryRateLimitStore::~MemoryRateLimitStore() = default;

std::size_t MemoryRateLimitStore::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    total += shard->entries.size();
  }
  return total;
}

RateLimitDecision MemoryRateLimitStore::acquire(const std::string& key,
                                                const RateLimitPolicy& policy) {
  const Gcra gcra(policy);
  // One caller asking again (a client on a keep-alive connection): one compare-and-swap, where
  // the shard's lock was a cache line the server's threads passed back and forth on each request.
  LastKey& last = t_last_key;
  if (last.store == id_ && last.key == key) {
    const std::int64_t now = options_.clock();
    if (now - last.last_sweep->load(std::memory_order_relaxed) < kSweepInterval) {
      if (auto decision = last.state->acquire(gcra, now)) {
        last.state->touched.store(true, std::memory_order_relaxed);
        return *decision;
      }
    }
  }
  return acquire_locked(key, gcra);
}

RateLimitDecision MemoryRateLimitStore::acquire_locked(const std::string& key, const Gcra& gcra) {
  Shard& shard = *shards_[std::hash<std::string>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mutex);
  const std::int64_t now = options_.clock();
  if (now - shard.last_sweep.load(std::memory_order_relaxed) >= kSweepInterval) shard.sweep(now);

  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) {
    const std::int64_t next = now + gcra.emission;
    if (next - now > gcra.capacity) return gcra.decision(false, 0);
    while (shard.entries.size() >= shard_cap_) {
      auto oldest = std::prev(shard.order.end());
      if (oldest->state->touched.load(std::memory_order_relaxed)) {
        shard.to_front(oldest);  // used since it last moved: spared once
        continue;
      }
      if (oldest->state->tat.exchange(KeyState::kDropped, std::memory_order_relaxed) > now)
        ++evictions_;
      shard.erase(oldest);
    }
    auto state = std::make_shared<KeyState>();
    state->tat.store(next, std::memory_order_relaxed);
    if (!shard.order.empty())
      shard.order.front().state->touched.store(false, std::memory_order_relaxed);
    shard.order.push_front(Shard::Node{key, state});
    shard.entries.emplace(shard.order.front().key, shard.order.begin());
    remember(shard, key, std::move(state));
    return gcra.decision(true, next - now);
  }
  // A refused caller is recent too: dropping its state first would hand it a fresh quota.
  shard.to_front(it->second);
  remember(shard, key, it->second->state);
  // Under the lock nobody drops the key, so the step succeeds.
  return *it->second->state->acquire(gcra, now);
}

void MemoryRateLimitStore::remember(Shard& shard, const std::string& key,
                                    std::shared_ptr<KeyState> state) const {
  LastKey& last = t_last_key;
  last.store = id_;
  last.key = key;  // no allocation once this thread's string has grown
  last.last_sweep = &shard.last_sweep;
  last.state = std::move(state);
}

}  // namespace oasgen
