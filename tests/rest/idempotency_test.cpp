#include "oasgen/middleware/idempotency.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "oasgen/context.hpp"
#include "oasgen/operation.hpp"
#include "oasgen/router.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using oasgen::Request;
using oasgen::Response;

namespace {

const oasgen::OperationInfo kOperations[] = {
    {"createOrder", "POST", "/orders", nullptr, 0, "", "", "", ""},
    {"payOrder", "PUT", "/orders/{id}/payment", nullptr, 0, "", "", "",
     R"({"x-oasgen-idempotency":"required"})"},
    {"ping", "POST", "/ping", nullptr, 0, "", "", "", R"({"x-oasgen-idempotency":false})"},
};

// Sets the caller from an `X-User` header, as an authenticator would.
class FakeAuth : public oasgen::Middleware {
 public:
  std::optional<Response> after_routing(Request& request) override {
    if (auto user = request.headers.get("X-User")) {
      auto principal = std::make_shared<oasgen::Principal>();
      principal->identities.push_back({"bearer", std::string(*user), {}, json::object()});
      request.principal = std::move(principal);
    }
    return std::nullopt;
  }
};

struct Service {
  std::atomic<int> runs{0};
  std::atomic<int> status{201};
  std::chrono::milliseconds delay{0};
  std::shared_ptr<oasgen::MemoryIdempotencyStore> store =
      std::make_shared<oasgen::MemoryIdempotencyStore>();
  oasgen::Router router;

  explicit Service(oasgen::IdempotencyOptions options = {}) {
    auto handler = [this](const Request& request) {
      const int run = ++runs;
      std::this_thread::sleep_for(delay);
      Response response;
      response.status = status;
      response.headers.set("Content-Type", "application/json");
      response.body = json{{"run", run}, {"body", request.body}}.dump();
      return response;
    };
    for (const auto& operation : kOperations) router.add(operation, handler);
    router.use(std::make_shared<FakeAuth>());
    router.use(std::make_shared<oasgen::Idempotency>(kOperations, store, options));
  }

  Response send(std::string key, std::string body, std::string target = "/orders",
                std::string method = "POST", std::string user = {}) {
    Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.headers.set("Content-Type", "application/json");
    if (!key.empty()) request.headers.set("Idempotency-Key", key);
    if (!user.empty()) request.headers.set("X-User", user);
    return router.handle(std::move(request));
  }
};

std::string type_of(const Response& response) {
  return json::parse(response.body).value("type", "");
}

}  // namespace

TEST_CASE("Idempotency-Key values: sf-strings and bare tokens") {
  using oasgen::parse_idempotency_key;
  CHECK(parse_idempotency_key("\"8e03978e-40d5\"") == "8e03978e-40d5");
  CHECK(parse_idempotency_key("  8e03978e ") == "8e03978e");
  CHECK(parse_idempotency_key(R"("a \"quoted\" \\ key")") == R"(a "quoted" \ key)");
  CHECK(parse_idempotency_key(std::string(255, 'k')) == std::string(255, 'k'));
  CHECK(!parse_idempotency_key(std::string(256, 'k')));
  CHECK(!parse_idempotency_key(""));
  CHECK(!parse_idempotency_key("\"\""));
  CHECK(!parse_idempotency_key("\"open"));
  CHECK(!parse_idempotency_key("\"a\"b"));
  CHECK(!parse_idempotency_key("\"a\\n\""));
  CHECK(!parse_idempotency_key("two words"));
  CHECK(!parse_idempotency_key("a,b"));
  CHECK(!parse_idempotency_key("caf\xc3\xa9"));
}

TEST_CASE("a retry with the same key and body replays the first response") {
  Service service;
  const Response first = service.send("\"k1\"", R"({"item":1})");
  CHECK(first.status == 201);
  CHECK(!first.headers.contains("Idempotent-Replayed"));
  const Response retry = service.send("\"k1\"", R"({"item":1})");
  CHECK(retry.status == 201);
  CHECK(retry.body == first.body);
  CHECK(retry.headers.get("Idempotent-Replayed") == "true");
  CHECK(service.runs == 1);
  // Another key runs again; no key runs every time.
  CHECK(service.send("\"k2\"", R"({"item":1})").body != first.body);
  service.send("", R"({"item":1})");
  service.send("", R"({"item":1})");
  CHECK(service.runs == 4);
}

TEST_CASE("the same key with another request is 422") {
  Service service;
  service.send("k", R"({"item":1})");
  const Response other = service.send("k", R"({"item":2})");
  CHECK(other.status == 422);
  CHECK(other.headers.get("Content-Type") == "application/problem+json");
  CHECK(type_of(other) == "urn:oasgen:problem:idempotency-key");
  // The target is part of the request too.
  CHECK(service.send("k", R"({"item":1})", "/orders?express=true").status == 422);
  CHECK(service.runs == 1);
}

TEST_CASE("keys are scoped by caller and operation") {
  Service service;
  const Response alice = service.send("k", "{}", "/orders", "POST", "alice");
  const Response bob = service.send("k", "{}", "/orders", "POST", "bob");
  CHECK(alice.body != bob.body);
  CHECK(service.send("k", "{}", "/orders", "POST", "alice").body == alice.body);
  CHECK(service.runs == 2);
  // The same key on another operation is another key.
  CHECK(service.send("k", "{}", "/orders/1/payment", "PUT", "alice").status == 201);
  CHECK(service.runs == 3);
}

TEST_CASE("x-oasgen-idempotency: required and false") {
  Service service;
  const Response missing = service.send("", "{}", "/orders/1/payment", "PUT");
  CHECK(missing.status == 400);
  CHECK(type_of(missing) == "urn:oasgen:problem:idempotency-key");
  CHECK(service.runs == 0);
  // PUT is not in the default methods, but the extension turns keys on for it.
  service.send("p", "{}", "/orders/1/payment", "PUT");
  service.send("p", "{}", "/orders/1/payment", "PUT");
  CHECK(service.runs == 1);
  // Exempt: the key is ignored.
  service.send("p", "{}", "/ping");
  service.send("p", "{}", "/ping");
  CHECK(service.runs == 3);
  // Malformed or repeated keys are refused before the handler.
  CHECK(service.send("\"open", "{}").status == 400);
  Request twice;
  twice.method = "POST";
  twice.target = "/orders";
  twice.headers.add("Idempotency-Key", "a");
  twice.headers.add("Idempotency-Key", "b");
  CHECK(service.router.handle(std::move(twice)).status == 400);
  CHECK(service.runs == 3);
}

TEST_CASE("a bad extension value is refused when the middleware is built") {
  const oasgen::OperationInfo bad[] = {
      {"op", "POST", "/x", nullptr, 0, "", "", "", R"({"x-oasgen-idempotency":"sometimes"})"}};
  CHECK_THROWS_WITH_AS(
      oasgen::Idempotency(bad, std::make_shared<oasgen::MemoryIdempotencyStore>()),
      doctest::Contains("must be \"required\", \"optional\" or false"), std::invalid_argument);
}

TEST_CASE("server errors and refusals are not kept: the retry runs") {
  Service service;
  service.status = 503;
  CHECK(service.send("k", "{}").status == 503);
  service.status = 401;
  CHECK(service.send("k", "{}").status == 401);
  service.status = 201;
  CHECK(service.send("k", "{}").status == 201);
  CHECK(service.send("k", "{}").headers.get("Idempotent-Replayed") == "true");
  CHECK(service.runs == 3);
  // A 4xx about the request itself is kept.
  service.status = 400;
  service.send("j", "{}");
  service.send("j", "{}");
  CHECK(service.runs == 4);
}

TEST_CASE("concurrent duplicates run once: waiters replay, or get 409 past the wait") {
  SUBCASE("waiting") {
    Service service;
    service.delay = 100ms;
    std::vector<std::thread> threads;
    std::vector<Response> responses(8);
    for (std::size_t i = 0; i < responses.size(); ++i) {
      threads.emplace_back([&, i] { responses[i] = service.send("same", R"({"n":1})"); });
    }
    for (auto& thread : threads) thread.join();
    CHECK(service.runs == 1);
    int replayed = 0;
    for (const auto& response : responses) {
      CHECK(response.status == 201);
      CHECK(response.body == responses[0].body);
      replayed += response.headers.contains("Idempotent-Replayed");
    }
    CHECK(replayed == 7);
  }
  SUBCASE("not waiting") {
    oasgen::IdempotencyOptions options;
    options.wait = 0ms;
    Service service(options);
    service.delay = 300ms;
    std::thread first([&] { service.send("same", "{}"); });
    std::this_thread::sleep_for(100ms);
    const Response busy = service.send("same", "{}");
    first.join();
    CHECK(busy.status == 409);
    CHECK(busy.headers.get("Retry-After") == "1");
    CHECK(service.runs == 1);
    CHECK(service.send("same", "{}").status == 201);
    CHECK(service.runs == 1);
  }
}

TEST_CASE("the memory store expires keys and stays within its bound") {
  oasgen::MemoryIdempotencyStore store(3);
  using Claim = oasgen::IdempotencyStore::Claim;
  CHECK(store.claim("a", "f", 0s, 0ms).claim == Claim::kFirst);
  store.complete("a", Response{});
  // Expired at once (ttl 0): claimed anew.
  CHECK(store.claim("a", "g", 0s, 0ms).claim == Claim::kFirst);
  for (std::string key : {"b", "c", "d", "e"}) {
    CHECK(store.claim(key, "f", 60s, 0ms).claim == Claim::kFirst);
    store.complete(key, Response{});
  }
  CHECK(store.size() <= 3);
  CHECK(store.claim("e", "f", 60s, 0ms).claim == Claim::kReplay);
  // A running request's claim is never dropped to make room.
  oasgen::MemoryIdempotencyStore small(1);
  CHECK(small.claim("run", "f", 60s, 0ms).claim == Claim::kFirst);
  CHECK(small.claim("next", "f", 60s, 0ms).claim == Claim::kFirst);
  CHECK(small.claim("run", "f", 60s, 0ms).claim == Claim::kInProgress);
}
