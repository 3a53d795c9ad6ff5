// GCRA arithmetic and the in-process store.
#include <algorithm>
#include <list>
#include <mutex>
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

struct MemoryRateLimitStore::Shard {
  struct Entry {
    std::int64_t tat = 0;
    std::list<std::string>::iterator order;
  };
  std::mutex mutex;
  std::list<std::string> order;  // most recently used first; the map's keys view these strings
  std::unordered_map<std::string_view, Entry> entries;
  std::int64_t last_sweep = 0;

  void erase(std::unordered_map<std::string_view, Entry>::iterator it) {
    const auto position = it->second.order;
    entries.erase(it);
    order.erase(position);
  }

  void sweep(std::int64_t now) {
    last_sweep = now;
    for (auto it = entries.begin(); it != entries.end();) {
      if (it->second.tat <= now) {
        const auto position = it->second.order;
        it = entries.erase(it);
        order.erase(position);
      } else {
        ++it;
      }
    }
  }
};

MemoryRateLimitStore::MemoryRateLimitStore(MemoryRateLimitStoreOptions options)
    : options_(std::move(options)) {
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
  Shard& shard = *shards_[std::hash<std::string>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mutex);
  const std::int64_t now = options_.clock();
  if (now - shard.last_sweep >= kSweepInterval) shard.sweep(now);

  auto it = shard.entries.find(key);
  const std::int64_t tat = it == shard.entries.end() ? now : std::max(it->second.tat, now);
  const std::int64_t next = tat + gcra.emission;
  const bool allowed = next - now <= gcra.capacity;
  if (it == shard.entries.end()) {
    if (!allowed) return gcra.decision(false, tat - now);
    while (shard.entries.size() >= shard_cap_) {
      auto oldest = shard.entries.find(shard.order.back());
      if (oldest->second.tat > now) ++evictions_;
      shard.erase(oldest);
    }
    shard.order.push_front(key);
    it = shard.entries.emplace(shard.order.front(), Shard::Entry{next, shard.order.begin()}).first;
    return gcra.decision(true, next - now);
  }
  // A refused caller is recent too: dropping its state first would hand it a fresh quota.
  shard.order.splice(shard.order.begin(), shard.order, it->second.order);
  if (!allowed) return gcra.decision(false, tat - now);
  it->second.tat = next;
  return gcra.decision(true, next - now);
}

}  // namespace oasgen
