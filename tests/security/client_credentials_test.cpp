// The OAuth2 client credentials token source against an in-process token endpoint on 127.0.0.1.
#include <doctest/doctest.h>

#include <oasgen/router.hpp>
#include <oasgen/security/client_credentials.hpp>
#include <oasgen/server.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using oasgen::security::ClientCredentials;
using oasgen::security::ClientCredentialsOptions;
using nlohmann::json;

namespace {

// A token endpoint: checks the client's Basic credentials and the form, and counts tokens issued.
struct TokenEndpoint {
  std::mutex mutex;
  int status = 200;
  json extra = json::object();   // merged into successful responses
  std::string last_body;
  std::string last_authorization;
  std::atomic<int> issued{0};
  oasgen::Router router;
  oasgen::Server server{router, {}};
  unsigned short port = 0;

  TokenEndpoint() {
    router.add("POST", "/oauth/token", [this](const oasgen::Request& request) {
      std::lock_guard<std::mutex> lock(mutex);
      last_body = request.body;
      last_authorization = std::string(request.headers.get("Authorization").value_or(""));
      oasgen::Response response;
      response.headers.set("Content-Type", "application/json");
      response.headers.set("Cache-Control", "no-store");
      // base64("my%20client:p%40ss%3Aword"): the id and secret form-encoded, then joined.
      if (last_authorization != "Basic bXklMjBjbGllbnQ6cCU0MHNzJTNBd29yZA==") {
        response.status = 401;
        response.body = R"({"error":"invalid_client"})";
        return response;
      }
      response.status = status;
      if (status != 200) {
        response.body = R"({"error":"temporarily_unavailable"})";
        return response;
      }
      json body = {{"access_token", "token-" + std::to_string(++issued)},
                   {"token_type", "Bearer"},
                   {"expires_in", 120}};
      body.update(extra);
      response.body = body.dump();
      return response;
    });
    router.add("GET", "/api/whoami", [](const oasgen::Request& request) {
      oasgen::Response response;
      response.body = std::string(request.headers.get("Authorization").value_or(""));
      return response;
    });
    port = server.start();
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port); }
};

struct FakeClock {
  std::shared_ptr<std::atomic<long long>> seconds = std::make_shared<std::atomic<long long>>(0);
  void advance(long long by) { *seconds += by; }
  std::function<std::chrono::steady_clock::time_point()> function() const {
    auto s = seconds;
    return [s] { return std::chrono::steady_clock::time_point(std::chrono::seconds(1'000'000 + *s)); };
  }
};

ClientCredentialsOptions options(const TokenEndpoint& endpoint, const FakeClock& clock) {
  ClientCredentialsOptions o;
  o.token_url = endpoint.origin() + "/oauth/token";
  o.client_id = "my client";
  o.client_secret = "p@ss:word";
  o.scopes = {"pets:read", "pets:write"};
  o.allow_http = true;
  o.clock = clock.function();
  return o;
}

}  // namespace

TEST_CASE("client credentials: a token is requested once, cached, and refreshed before expiry") {
  TokenEndpoint endpoint;
  FakeClock clock;
  ClientCredentials source(options(endpoint, clock));
  CHECK(source.requests() == 0);
  CHECK(source.token() == "token-1");
  CHECK(endpoint.last_body == "grant_type=client_credentials&scope=pets%3Aread%20pets%3Awrite");
  CHECK(source.token() == "token-1");
  CHECK(source.requests() == 1);
  clock.advance(59);  // expires_in 120, refreshed 60 s before
  CHECK(source.token() == "token-1");
  clock.advance(1);
  CHECK(source.token() == "token-2");
  CHECK(source.requests() == 2);
  source.invalidate();
  CHECK(source.token() == "token-3");
  CHECK(source.last_error().empty());
}

TEST_CASE("client credentials: a short-lived token is refreshed at half its lifetime") {
  TokenEndpoint endpoint;
  endpoint.extra = {{"expires_in", 40}};
  FakeClock clock;
  ClientCredentials source(options(endpoint, clock));
  CHECK(source.token() == "token-1");
  clock.advance(19);
  CHECK(source.token() == "token-1");
  clock.advance(1);
  CHECK(source.token() == "token-2");
}

TEST_CASE("client credentials: failures give no token, say why without secrets, and back off") {
  TokenEndpoint endpoint;
  FakeClock clock;
  ClientCredentialsOptions wrong = options(endpoint, clock);
  wrong.client_secret = "not-the-secret";
  ClientCredentials refused(wrong);
  CHECK(refused.token() == std::nullopt);
  CHECK(refused.last_error() == "the token endpoint answered 401 (invalid_client)");
  CHECK(refused.token() == std::nullopt);
  CHECK(refused.requests() == 1);  // within the cool-down
  clock.advance(5);
  CHECK(refused.token() == std::nullopt);
  CHECK(refused.requests() == 2);

  // A token due for refresh is still used while the endpoint fails, until it expires.
  ClientCredentials source(options(endpoint, clock));
  CHECK(source.token() == "token-1");
  endpoint.status = 503;
  clock.advance(61);
  CHECK(source.token() == "token-1");
  CHECK(source.last_error() == "the token endpoint answered 503 (temporarily_unavailable)");
  clock.advance(59);
  CHECK(source.token() == std::nullopt);
  endpoint.status = 200;
  CHECK(source.token() == std::nullopt);  // within the cool-down
  clock.advance(5);
  CHECK(source.token() == "token-2");

  for (const json& bad : {json{{"token_type", "mac"}}, json{{"access_token", 7}},
                          json{{"expires_in", -1}}, json{{"token_type", nullptr}}}) {
    CAPTURE(bad.dump());
    endpoint.extra = bad;
    ClientCredentials odd(options(endpoint, clock));
    CHECK(odd.token() == std::nullopt);
    CHECK(!odd.last_error().empty());
  }
  ClientCredentialsOptions nowhere = options(endpoint, clock);
  nowhere.token_url = "http://127.0.0.1:1/oauth/token";
  nowhere.timeout = std::chrono::milliseconds(2000);
  ClientCredentials unreachable(nowhere);
  CHECK(unreachable.token() == std::nullopt);
  CHECK(unreachable.last_error().rfind("the token endpoint could not be reached", 0) == 0);
}

TEST_CASE("client credentials: https only unless allowed, and a client id is required") {
  ClientCredentialsOptions o;
  o.client_id = "c";
  o.token_url = "http://127.0.0.1:1/token";
  CHECK_THROWS_AS(ClientCredentials{o}, std::invalid_argument);
  o.token_url = "token";
  CHECK_THROWS_AS(ClientCredentials{o}, std::invalid_argument);
  o.token_url = "https://127.0.0.1:1/token";
  o.client_id.clear();
  CHECK_THROWS_AS(ClientCredentials{o}, std::invalid_argument);
}

TEST_CASE("client credentials: concurrent callers share one request") {
  TokenEndpoint endpoint;
  FakeClock clock;
  ClientCredentials source(options(endpoint, clock));
  std::atomic<int> got{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) got += source.token() == "token-1";
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(got == 160);
  CHECK(endpoint.issued == 1);
}

TEST_CASE("client credentials: the client sends the token for oauth2 schemes") {
  TokenEndpoint endpoint;
  FakeClock clock;
  auto source = std::make_shared<ClientCredentials>(options(endpoint, clock));
  oasgen::ClientOptions client_options;
  client_options.credentials.token_source = source;
  oasgen::ClientCore core(std::make_shared<oasgen::HttpTransport>(endpoint.origin()), client_options);

  oasgen::SecurityScheme oauth;
  oauth.name = "oauth";
  oauth.kind = oasgen::SecurityScheme::Kind::OAuth2;
  oasgen::SecurityScheme key;
  key.name = "key";
  key.kind = oasgen::SecurityScheme::Kind::ApiKey;
  key.parameter = "X-Key";
  const oasgen::SecurityUse uses[] = {{0, &key}, {1, &oauth}};

  oasgen::Request request;
  request.method = "GET";
  request.target = "/api/whoami";
  auto reader = core.send(request, uses, 2, {});
  REQUIRE(!reader.failed());
  CHECK(reader.text_body() == "Bearer token-1");

  // A fixed bearer token wins over the source.
  core.options().credentials.bearer_token = "fixed";
  CHECK(core.send(request, uses, 2, {}).text_body() == "Bearer fixed");
  CHECK(source->requests() == 1);

  // No token to be had: the alternative cannot be satisfied, and nothing is sent.
  core.options().credentials.bearer_token.reset();
  source->invalidate();
  endpoint.status = 503;
  CHECK(core.send(request, uses, 2, {}).text_body().empty());
}
