// Rate limiting on values: GCRA arithmetic on an injected clock, the memory store's bounds,
// policies from the generated operation table, client addresses behind proxies, and the Redis
// store's failure policy.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <memory>
#include <oasgen/middleware/rate_limit.hpp>
#include <oasgen/middleware/rate_limit_redis.hpp>
#include <oasgen/operation.hpp>
#include <string>
#include <thread>
#include <vector>

#include "ratelimited/api.hpp"

namespace {

using std::chrono::seconds;
constexpr std::int64_t kSecond = 1'000'000;

struct Clock {
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(1000 * kSecond);
  void advance(std::int64_t micros) { *now += micros; }
  std::function<std::int64_t()> function() const {
    return [now = now] { return *now; };
  }
};

oasgen::MemoryRateLimitStore store_with(const Clock& clock, std::size_t max_keys = 1000,
                                        std::size_t shards = 4) {
  oasgen::MemoryRateLimitStoreOptions options;
  options.clock = clock.function();
  options.max_keys = max_keys;
  options.shards = shards;
  return oasgen::MemoryRateLimitStore(options);
}

const oasgen::RateLimitPolicy kThreePerMinute{"p", 3, seconds(60)};

}  // namespace

TEST_CASE("rate limit: GCRA admits a burst of the limit, then one request per interval") {
  Clock clock;
  auto store = store_with(clock);
  struct Step {
    std::int64_t advance;  // microseconds before the request
    bool allowed;
    std::uint64_t remaining;
    long reset, retry_after;
  };
  // 3 per 60 s: one request every 20 s, bursts of 3.
  const Step steps[] = {
      {0, true, 2, 20, 0},             // used 20 s of 60
      {0, true, 1, 20, 0},             // 40 s
      {0, true, 0, 20, 0},             // 60 s: full
      {0, false, 0, 20, 20},           // refused; state unchanged
      {19 * kSecond, false, 0, 1, 1},  // 1 s to go
      {kSecond - 1, false, 0, 1, 1},   // 1 microsecond to go: rounds up
      {1, true, 0, 20, 0},             // one interval freed, taken
      {30 * kSecond, true, 0, 10, 0},  // 30 s later: 1.5 intervals free, 1 taken
      {60 * kSecond, true, 2, 20, 0},  // idle past the window: a full quota again
  };
  int index = 0;
  for (const Step& step : steps) {
    CAPTURE(index);
    clock.advance(step.advance);
    const auto decision = store.acquire("caller", kThreePerMinute);
    CHECK(decision.allowed == step.allowed);
    CHECK(decision.known);
    CHECK(decision.remaining == step.remaining);
    CHECK(decision.reset.count() == step.reset);
    CHECK(decision.retry_after.count() == step.retry_after);
    ++index;
  }
}

TEST_CASE("rate limit: the interval rounds up, so a burst never exceeds the limit") {
  const oasgen::Gcra gcra(oasgen::RateLimitPolicy{"p", 3, seconds(1)});
  CHECK(gcra.emission == 333'334);
  CHECK(gcra.capacity == 1'000'002);
  Clock clock;
  auto store = store_with(clock);
  int admitted = 0;
  for (int i = 0; i < 10; ++i) admitted += store.acquire("k", {"p", 3, seconds(1)}).allowed;
  CHECK(admitted == 3);
  // 10 000 a second: 100 microseconds each.
  CHECK(oasgen::Gcra(oasgen::RateLimitPolicy{"p", 10'000, seconds(1)}).emission == 100);
}

TEST_CASE("rate limit: keys are counted separately") {
  Clock clock;
  auto store = store_with(clock);
  for (int i = 0; i < 3; ++i) CHECK(store.acquire("a", kThreePerMinute).allowed);
  CHECK_FALSE(store.acquire("a", kThreePerMinute).allowed);
  CHECK(store.acquire("b", kThreePerMinute).allowed);
}

TEST_CASE("rate limit: concurrent requests of one caller admit exactly the limit") {
  Clock clock;  // frozen: no quota comes back during the test
  auto store = store_with(clock, 1000, 16);
  const oasgen::RateLimitPolicy policy{"p", 100, seconds(60)};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        admitted += store.acquire("one", policy).allowed;
        store.acquire("other" + std::to_string(i % 50), policy);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(admitted == 100);
  CHECK(store.size() == 51);
}

TEST_CASE("rate limit: idle keys (a full quota) are dropped") {
  Clock clock;
  auto store = store_with(clock);
  for (int i = 0; i < 500; ++i) store.acquire("k" + std::to_string(i), kThreePerMinute);
  CHECK(store.size() == 500);
  clock.advance(20 * kSecond);  // each key used one interval: full again now
  for (int i = 0; i < 40; ++i) store.acquire("fresh" + std::to_string(i), kThreePerMinute);
  CHECK(store.size() == 40);  // every shard swept on its next request
  CHECK(store.evictions() == 0);
}

TEST_CASE("rate limit: the hard cap drops the least recently used key") {
  Clock clock;
  auto store = store_with(clock, 10, 1);
  for (int i = 0; i < 10; ++i) store.acquire("k" + std::to_string(i), kThreePerMinute);
  store.acquire("k0", kThreePerMinute);  // k0 is recent again; k1 is the oldest now
  store.acquire("k10", kThreePerMinute);
  CHECK(store.size() == 10);
  CHECK(store.evictions() == 1);
  CHECK(store.acquire("k0", kThreePerMinute).remaining == 0);  // kept: its third request
  CHECK(store.acquire("k1", kThreePerMinute).remaining == 2);  // dropped: starts over

  auto bounded = store_with(clock, 100, 16);
  for (int i = 0; i < 20'000; ++i) bounded.acquire(std::to_string(i), kThreePerMinute);
  CHECK(bounded.size() <= 100);
  CHECK(bounded.size() >= 96);  // 16 shards of 6
}

TEST_CASE("rate limit: a key asked for again without the lock is still ordered exactly") {
  Clock clock;
  auto store = store_with(clock, 3, 1);
  store.acquire("k0", kThreePerMinute);
  store.acquire("k0", kThreePerMinute);  // the same key again: this thread's last key
  store.acquire("k1", kThreePerMinute);
  store.acquire("k2", kThreePerMinute);
  store.acquire("k3", kThreePerMinute);  // k0 is the least recently used, for all its two uses
  CHECK(store.evictions() == 1);
  CHECK(store.acquire("k1", kThreePerMinute).remaining == 1);  // kept: its second request
  CHECK(store.acquire("k0", kThreePerMinute).remaining == 2);  // dropped: starts over

  // Repeated past the sweep interval, a key still has the idle keys of its shard swept.
  auto swept = store_with(clock, 1000, 1);
  swept.acquire("idle", kThreePerMinute);
  swept.acquire("hot", kThreePerMinute);
  clock.advance(20 * kSecond);
  swept.acquire("hot", kThreePerMinute);
  CHECK(swept.size() == 1);
  for (int i = 0; i < 2; ++i) CHECK(swept.acquire("hot", kThreePerMinute).allowed);  // 3 in all
  CHECK_FALSE(swept.acquire("hot", kThreePerMinute).allowed);
}

TEST_CASE("rate limit: x-oasgen-rate-limit") {
  auto policy =
      oasgen::rate_limit_extension("op", R"({"x-oasgen-rate-limit":{"limit":10,"window":60}})");
  REQUIRE(policy);
  CHECK_FALSE(policy->exempt);
  CHECK(policy->policy.name == "op");
  CHECK(policy->policy.limit == 10);
  CHECK(policy->policy.window == seconds(60));
  policy = oasgen::rate_limit_extension(
      "op", R"({"x-other":1,"x-oasgen-rate-limit":{"limit":1,"window":1,"name":"shared"}})");
  REQUIRE(policy);
  CHECK(policy->policy.name == "shared");
  CHECK(oasgen::rate_limit_extension("op", R"({"x-oasgen-rate-limit":false})")->exempt);
  CHECK_FALSE(oasgen::rate_limit_extension("op", ""));
  CHECK_FALSE(oasgen::rate_limit_extension("op", R"({"x-other":{}})"));

  const std::pair<const char*, const char*> bad[] = {
      {R"({"x-oasgen-rate-limit":true})",
       "operation 'op': x-oasgen-rate-limit must be false or an object {limit, window[, name]}, "
       "not true"},
      {R"({"x-oasgen-rate-limit":{"limit":10}})",
       "operation 'op': x-oasgen-rate-limit needs both 'limit' and 'window' (seconds)"},
      {R"({"x-oasgen-rate-limit":{"limit":"10","window":60}})",
       "operation 'op': x-oasgen-rate-limit: 'limit' must be an integer, not \"10\""},
      {R"({"x-oasgen-rate-limit":{"limit":0,"window":60}})",
       "operation 'op': x-oasgen-rate-limit: 'limit' must be positive"},
      {R"({"x-oasgen-rate-limit":{"limit":1,"window":1.5}})",
       "operation 'op': x-oasgen-rate-limit: 'window' must be an integer, not 1.5"},
      {R"({"x-oasgen-rate-limit":{"limit":1,"window":60,"burst":2}})",
       "operation 'op': x-oasgen-rate-limit: unknown member 'burst' (expected limit, window, "
       "name)"},
      {R"({"x-oasgen-rate-limit":{"limit":1,"window":60,"name":"a\"b"}})",
       "operation 'op': x-oasgen-rate-limit: policy name 'a\"b' must be 1 to 128 printable ASCII "
       "characters without '\"', '\\' or '|'"},
  };
  for (const auto& [extensions, message] : bad) {
    const auto& captured_extensions = extensions;  // C++17: CAPTURE cannot capture a binding
    CAPTURE(captured_extensions);
    CHECK_THROWS_WITH_AS(oasgen::rate_limit_extension("op", extensions), message,
                         std::invalid_argument);
  }
}

TEST_CASE("rate limit: policies from the generated operations and from configuration") {
  oasgen::RateLimitOptions options;
  options.default_policy = oasgen::RateLimitPolicy{"default", 5, seconds(60)};
  oasgen::RateLimit spec_only(ratelimited::kOperations, options);
  CHECK(spec_only.policy("list_items")->name == "list_items");
  CHECK(spec_only.policy("list_items")->limit == 3);
  CHECK(spec_only.policy("get_item")->name == "default");
  CHECK(spec_only.policy("whoami")->name == "account");
  CHECK(spec_only.policy("whoami")->limit == 2);
  CHECK(spec_only.policy("ping") == nullptr);
  CHECK(spec_only.policy("")->name == "default");  // routes without an operation

  options.operations["list_items"] = {"lists", 100, seconds(10)};
  options.exempt = {"get_item"};
  oasgen::RateLimit configured(ratelimited::kOperations, options);
  CHECK(configured.policy("list_items")->name == "lists");
  CHECK(configured.policy("list_items")->limit == 100);
  CHECK(configured.policy("get_item") == nullptr);

  oasgen::RateLimit no_default(ratelimited::kOperations, oasgen::RateLimitOptions{});
  CHECK(no_default.policy("get_item") == nullptr);
  CHECK(no_default.policy("list_items")->limit == 3);

  oasgen::RateLimitOptions unknown;
  unknown.operations["list_itemz"] = {"x", 1, seconds(1)};
  CHECK_THROWS_WITH_AS(
      oasgen::RateLimit(ratelimited::kOperations, unknown),
      "rate limit configured for operation 'list_itemz', which the API does not have",
      std::invalid_argument);
  oasgen::RateLimitOptions clash;
  clash.default_policy = oasgen::RateLimitPolicy{"account", 5, seconds(60)};
  CHECK_THROWS_WITH_AS(oasgen::RateLimit(ratelimited::kOperations, clash),
                       "operation 'whoami': x-oasgen-rate-limit: policy name 'account' is already "
                       "used for a different limit or window",
                       std::invalid_argument);

  const oasgen::OperationInfo bad_ops[] = {
      {"broken", "GET", "/b", nullptr, 0, "", "", "", R"({"x-oasgen-rate-limit":{"limit":-1}})"}};
  CHECK_THROWS_WITH_AS(oasgen::RateLimit(bad_ops, oasgen::RateLimitOptions{}),
                       "operation 'broken': x-oasgen-rate-limit: 'limit' must be positive",
                       std::invalid_argument);
}

TEST_CASE("rate limit: the client address behind trusted proxies") {
  const oasgen::AddressSet trusted({"10.0.0.0/8", "192.0.2.1", "2001:db8::/32"});
  struct Case {
    const char* remote;
    std::vector<std::pair<std::string, std::string>> headers;
    const char* client;
  };
  const Case cases[] = {
      {"203.0.113.9:5000", {{"X-Forwarded-For", "1.2.3.4"}}, "203.0.113.9"},  // untrusted peer
      {"10.1.2.3:5000", {}, "10.1.2.3"},
      {"10.1.2.3:5000", {{"X-Forwarded-For", "1.2.3.4"}}, "1.2.3.4"},
      {"10.1.2.3:5000", {{"X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.9.9.9"}}, "1.2.3.4"},
      {"10.1.2.3:5000",
       {{"X-Forwarded-For", "6.6.6.6"}, {"X-Forwarded-For", "1.2.3.4"}},
       "1.2.3.4"},
      {"10.1.2.3:5000", {{"X-Forwarded-For", "10.0.0.7, 192.0.2.1"}}, "10.0.0.7"},  // all trusted
      {"192.0.2.1:80",
       {{"Forwarded", R"(for="[2001:db9::1]:4711";proto=https, for=10.0.0.3)"}},
       "2001:db9::1"},
      {"192.0.2.1:80", {{"Forwarded", "for=1.1.1.1"}, {"X-Forwarded-For", "2.2.2.2"}}, "1.1.1.1"},
      {"192.0.2.1:80", {{"Forwarded", "For=\"_hidden\", for=192.0.2.1"}}, "_hidden"},
      {"192.0.2.1:80", {{"Forwarded", "proto=https"}}, "unknown"},
      {"[2001:db8::5]:443", {{"X-Forwarded-For", "::ffff:1.2.3.4"}}, "1.2.3.4"},
      {"[::1]:443", {{"X-Forwarded-For", "1.2.3.4"}}, "::1"},
      {"10.0.0.1:1", {{"X-Forwarded-For", "[2001:DB9::0001]:80"}}, "2001:db9::1"},
  };
  for (const Case& c : cases) {
    oasgen::Request request;
    request.remote_address = c.remote;
    for (const auto& [name, value] : c.headers) request.headers.add(name, value);
    CAPTURE(c.remote);
    CHECK(oasgen::client_address(request, trusted) == c.client);
  }
  oasgen::Request request;
  request.remote_address = "10.1.2.3:5000";
  request.headers.add("X-Forwarded-For", "1.2.3.4");
  CHECK(oasgen::client_address(request, oasgen::AddressSet{}) == "10.1.2.3");

  CHECK(trusted.contains("10.255.0.1"));
  CHECK_FALSE(trusted.contains("11.0.0.1"));
  CHECK(trusted.contains("::ffff:10.0.0.1"));
  CHECK_FALSE(trusted.contains("not an address"));
  CHECK(oasgen::AddressSet({"0.0.0.0/0"}).contains("8.8.8.8"));
  CHECK_FALSE(oasgen::AddressSet({"0.0.0.0/0"}).contains("2001:db8::1"));
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "localhost", "::1/129", "1.2.3.4/x"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(oasgen::AddressSet({bad}),
                         ("not an IP address or CIDR range: '" + std::string(bad) + "'").c_str(),
                         std::invalid_argument);
  }
}

namespace {

// A port on 127.0.0.1 where nothing listens (bound, then closed).
int closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("rate limit: a Redis store that cannot reach Redis fails open by default, and counts") {
  oasgen::RedisRateLimitOptions options;
  options.port = closed_port();
  oasgen::RedisRateLimitStore open(options);
  auto decision = open.acquire("k", kThreePerMinute);
  CHECK(decision.allowed);
  CHECK_FALSE(decision.known);
  CHECK(open.failures() == 1);
  // Within retry_interval the store does not try again: fast, and still counted.
  CHECK(open.acquire("k", kThreePerMinute).allowed);
  CHECK(open.failures() == 2);

  options.fail_open = false;
  oasgen::RedisRateLimitStore closed(options);
  decision = closed.acquire("k", kThreePerMinute);
  CHECK_FALSE(decision.allowed);
  CHECK_FALSE(decision.known);
  CHECK(decision.retry_after == seconds(1));
  CHECK(closed.failures() == 1);
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("rate limit: the generated docs show an operation's limit and its 429") {
  const std::string markdown = read_file(RATE_LIMIT_DOCS_DIR "/API.md");
  CHECK(markdown.find("Operation ID: list\\_items. Rate limit: 3 requests per 60 s per caller.") !=
        std::string::npos);
  CHECK(markdown.find("Operation ID: whoami. Security: key. Rate limit: 2 requests per 60 s per "
                      "caller.") != std::string::npos);
  CHECK(markdown.find("Over its rate limit (3 requests per 60 s) it answers 429 with `Retry-After` "
                      "(seconds)") != std::string::npos);
  CHECK(markdown.find("Operation ID: ping.\n") != std::string::npos);  // `false`: no limit shown
  const std::string page = read_file(RATE_LIMIT_DOCS_DIR "/index.html");
  CHECK(page.find(R"("id":"list_items")") != std::string::npos);
  CHECK(page.find(R"("rl":"3 requests per 60 s")") != std::string::npos);
  CHECK(page.find("Over its rate limit (") != std::string::npos);  // the script's note
}
