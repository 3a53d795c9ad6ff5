// RemoteJwks against an in-process HTTP server on 127.0.0.1 that counts what it serves.
#include <doctest/doctest.h>

#include <oasgen/router.hpp>
#include <oasgen/security/jwks.hpp>
#include <oasgen/security/jwt.hpp>
#include <oasgen/server.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "jws_signer.hpp"

using oasgen::security::JwtAlgorithm;
using oasgen::security::JwtError;
using oasgen::security::JwtResult;
using oasgen::security::JwtVerifier;
using oasgen::security::RemoteJwks;
using oasgen::security::RemoteJwksOptions;
using nlohmann::json;

namespace {

const jws::KeyPair& key(int i) {
  static const std::vector<jws::KeyPair> keys = {jws::KeyPair::generate("P-256"),
                                                 jws::KeyPair::generate("P-256"),
                                                 jws::KeyPair::generate("P-256")};
  return keys.at(static_cast<std::size_t>(i));
}

// An identity provider: a JWK Set at /jwks and a discovery document, both counted.
struct Issuer {
  std::mutex mutex;
  json jwks = {{"keys", {key(0).public_jwk("k0", "ES256")}}};
  std::string cache_control;
  int status = 200;
  std::atomic<int> jwks_served{0};
  std::atomic<int> discovery_served{0};
  oasgen::Router router;
  oasgen::Server server{router, {}};
  unsigned short port = 0;

  Issuer() {
    router.add("GET", "/jwks", [this](const oasgen::Request&) {
      ++jwks_served;
      std::lock_guard<std::mutex> lock(mutex);
      oasgen::Response response;
      response.status = status;
      response.headers.set("Content-Type", "application/jwk-set+json");
      if (!cache_control.empty()) response.headers.set("Cache-Control", cache_control);
      response.body = jwks.dump();
      return response;
    });
    router.add("GET", "/.well-known/openid-configuration", [this](const oasgen::Request&) {
      ++discovery_served;
      oasgen::Response response;
      response.headers.set("Content-Type", "application/json");
      response.body = json{{"issuer", origin()}, {"jwks_uri", origin() + "/jwks"}}.dump();
      return response;
    });
    router.add("GET", "/other/.well-known/openid-configuration", [this](const oasgen::Request&) {
      oasgen::Response response;
      response.body = json{{"issuer", origin()}, {"jwks_uri", origin() + "/jwks"}}.dump();
      return response;
    });
    port = server.start();
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port); }
  void publish(json keys) {
    std::lock_guard<std::mutex> lock(mutex);
    jwks = {{"keys", std::move(keys)}};
  }
};

struct FakeClock {
  std::shared_ptr<std::atomic<long long>> seconds = std::make_shared<std::atomic<long long>>(0);
  void advance(long long by) { *seconds += by; }
  std::function<std::chrono::steady_clock::time_point()> function() const {
    auto s = seconds;
    return [s] { return std::chrono::steady_clock::time_point(std::chrono::seconds(1'000'000 + *s)); };
  }
};

RemoteJwksOptions local(const FakeClock& clock) {
  RemoteJwksOptions options;
  options.allow_http = true;
  options.clock = clock.function();
  return options;
}

JwtVerifier verifier(std::shared_ptr<RemoteJwks> keys) {
  oasgen::security::JwtOptions options;
  options.algorithms = {JwtAlgorithm::ES256};
  return JwtVerifier(options, std::move(keys));
}

std::string token(int i, const std::string& kid) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return jws::token(key(i), {{"alg", "ES256"}, {"kid", kid}}, {{"sub", "s"}, {"exp", now + 600}});
}

bool ok(const JwtResult& result) { return std::holds_alternative<oasgen::security::VerifiedJwt>(result); }
JwtError error(const JwtResult& result) { return std::get<JwtError>(result); }

}  // namespace

TEST_CASE("jwks: fetched on first use, then served from the cache until it expires") {
  Issuer issuer;
  issuer.cache_control = "public, max-age=120";
  FakeClock clock;
  auto keys = RemoteJwks::from_url(issuer.origin() + "/jwks", local(clock));
  CHECK(issuer.jwks_served == 0);
  const JwtVerifier v = verifier(keys);
  for (int i = 0; i < 5; ++i) CHECK(ok(v.verify(token(0, "k0"))));
  CHECK(issuer.jwks_served == 1);
  clock.advance(119);
  CHECK(ok(v.verify(token(0, "k0"))));
  CHECK(issuer.jwks_served == 1);
  clock.advance(1);  // max-age passed
  CHECK(ok(v.verify(token(0, "k0"))));
  CHECK(issuer.jwks_served == 2);
  CHECK(keys->fetches() == 2);
}

TEST_CASE("jwks: max-age is held within bounds") {
  Issuer issuer;
  FakeClock clock;
  RemoteJwksOptions options = local(clock);
  options.min_ttl = std::chrono::seconds(60);
  options.max_ttl = std::chrono::seconds(3600);
  for (const auto& [header, kept] : std::vector<std::pair<std::string, long long>>{
           {"max-age=5", 60}, {"no-store", 60}, {"max-age=999999", 3600}, {"", 600},
           {"max-age=abc", 600}}) {
    const auto& captured_header = header;  // C++17: a lambda (CAPTURE) cannot capture a binding
    CAPTURE(captured_header);
    issuer.cache_control = header;
    auto keys = RemoteJwks::from_url(issuer.origin() + "/jwks", options);
    const int before = issuer.jwks_served;
    CHECK(ok(verifier(keys).verify(token(0, "k0"))));
    clock.advance(kept - 1);
    CHECK(ok(verifier(keys).verify(token(0, "k0"))));
    CHECK(issuer.jwks_served == before + 1);
    clock.advance(1);
    CHECK(ok(verifier(keys).verify(token(0, "k0"))));
    CHECK(issuer.jwks_served == before + 2);
  }
}

TEST_CASE("jwks: an unknown kid refreshes the set, at most once per cool-down") {
  Issuer issuer;
  FakeClock clock;
  auto keys = RemoteJwks::from_url(issuer.origin() + "/jwks", local(clock));
  const JwtVerifier v = verifier(keys);
  CHECK(ok(v.verify(token(0, "k0"))));
  CHECK(issuer.jwks_served == 1);
  // The issuer rotates in k1: the first token naming it fetches the set again.
  clock.advance(30);
  issuer.publish({key(0).public_jwk("k0"), key(1).public_jwk("k1")});
  CHECK(ok(v.verify(token(1, "k1"))));
  CHECK(issuer.jwks_served == 2);
  // Forged kids within the cool-down cost nothing more.
  for (int i = 0; i < 10; ++i) CHECK(error(v.verify(token(2, "forged" + std::to_string(i)))) == JwtError::UnknownKey);
  CHECK(issuer.jwks_served == 2);
  clock.advance(29);
  CHECK(error(v.verify(token(2, "forged"))) == JwtError::UnknownKey);
  CHECK(issuer.jwks_served == 2);
  clock.advance(1);
  CHECK(error(v.verify(token(2, "forged"))) == JwtError::UnknownKey);
  CHECK(issuer.jwks_served == 3);
}

TEST_CASE("jwks: an unreachable or failing set is unavailable, and retried after the cool-down") {
  Issuer issuer;
  issuer.status = 500;
  FakeClock clock;
  auto keys = RemoteJwks::from_url(issuer.origin() + "/jwks", local(clock));
  const JwtVerifier v = verifier(keys);
  CHECK(error(v.verify(token(0, "k0"))) == JwtError::KeysUnavailable);
  CHECK(error(v.verify(token(0, "k0"))) == JwtError::KeysUnavailable);
  CHECK(issuer.jwks_served == 1);
  issuer.status = 200;
  clock.advance(30);
  CHECK(ok(v.verify(token(0, "k0"))));
  CHECK(issuer.jwks_served == 2);
  // After expiry, a failed refetch leaves no keys: fail closed.
  issuer.cache_control = "max-age=60";
  clock.advance(600);
  issuer.status = 503;
  CHECK(error(v.verify(token(0, "k0"))) == JwtError::KeysUnavailable);
  CHECK(issuer.jwks_served == 3);
  // A body that is not a JWK Set is a failure too.
  issuer.status = 200;
  {
    std::lock_guard<std::mutex> lock(issuer.mutex);
    issuer.jwks = json::array();
  }
  clock.advance(30);
  CHECK(error(v.verify(token(0, "k0"))) == JwtError::KeysUnavailable);

  // Nothing listening.
  auto nowhere = RemoteJwks::from_url("http://127.0.0.1:1/jwks", local(clock));
  CHECK(error(verifier(nowhere).verify(token(0, "k0"))) == JwtError::KeysUnavailable);
}

TEST_CASE("jwks: found through the OpenID Connect discovery document") {
  Issuer issuer;
  FakeClock clock;
  auto keys = RemoteJwks::from_discovery(issuer.origin() + "/.well-known/openid-configuration",
                                         local(clock));
  CHECK(ok(verifier(keys).verify(token(0, "k0"))));
  CHECK(issuer.discovery_served == 1);
  CHECK(issuer.jwks_served == 1);
  CHECK(keys->issuer() == issuer.origin());
  clock.advance(600);
  CHECK(ok(verifier(keys).verify(token(0, "k0"))));
  CHECK(issuer.discovery_served == 1);  // jwks_uri is kept
  CHECK(issuer.jwks_served == 2);

  // The document's issuer must be the URL's prefix.
  auto mismatched = RemoteJwks::from_discovery(
      issuer.origin() + "/other/.well-known/openid-configuration", local(clock));
  CHECK(error(verifier(mismatched).verify(token(0, "k0"))) == JwtError::KeysUnavailable);
}

TEST_CASE("jwks: plain http only when allowed") {
  CHECK_THROWS_AS(RemoteJwks::from_url("http://127.0.0.1:1/jwks"), std::invalid_argument);
  CHECK_THROWS_AS(RemoteJwks::from_discovery("http://127.0.0.1:1/x"), std::invalid_argument);
  CHECK_THROWS_AS(RemoteJwks::from_url("/jwks"), std::invalid_argument);
  CHECK_NOTHROW(RemoteJwks::from_url("https://127.0.0.1:1/jwks?x=1"));
}

TEST_CASE("jwks: concurrent verifications share one fetch") {
  Issuer issuer;
  FakeClock clock;
  auto keys = RemoteJwks::from_url(issuer.origin() + "/jwks", local(clock));
  const JwtVerifier v = verifier(keys);
  const std::string good = token(0, "k0");
  const std::string forged = token(2, "forged");
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (ok(v.verify(t % 2 == 0 ? good : forged))) {
          ++accepted;
        } else {
          ++refused;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(accepted == 100);
  CHECK(refused == 100);
  CHECK(issuer.jwks_served <= 2);  // the first load, and at most one refresh for the forged kid
}
