// OAuth 2.0 access tokens for generated clients, with the client credentials grant (RFC 6749
// §4.4): the client authenticates to the spec's `tokenUrl` with HTTP Basic (§2.3.1), gets a bearer
// token, caches it, and asks for a new one shortly before it expires.
//
//   oasgen::security::ClientCredentialsOptions oauth;
//   oauth.token_url = "https://auth.example.com/oauth/token";  // the spec's flows.clientCredentials
//   oauth.client_id = "reports";
//   oauth.client_secret = secret_from_vault;
//   oauth.scopes = {"pets:read"};
//   oasgen::ClientOptions options;
//   options.credentials.token_source =
//       std::make_shared<oasgen::security::ClientCredentials>(std::move(oauth));
//   petstore::Client client("https://api.example.com", options);
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "oasgen/client.hpp"

namespace oasgen::security {

struct ClientCredentialsOptions {
  std::string token_url;  ///< absolute; https unless `allow_http`
  std::string client_id;
  std::string client_secret;
  std::vector<std::string> scopes;  ///< sent as `scope` (space-separated) when not empty
  /// A token is replaced this long before it expires (at most half its lifetime before).
  std::chrono::seconds refresh_before{60};
  /// The lifetime assumed when the server sends no `expires_in` (RFC 6749 §5.1: "RECOMMENDED").
  std::chrono::seconds default_lifetime{300};
  /// After a failed request, the next waits this long (callers get nullopt meanwhile, or the old
  /// token while it is valid).
  std::chrono::seconds failure_cooldown{5};
  std::chrono::milliseconds timeout{10'000};
  /// RFC 6749 §4.4.2 / §3.2: "The client MUST use the TLS mechanism" for the token endpoint; plain
  /// http only when set (tests on 127.0.0.1).
  bool allow_http = false;
  std::string ca_file;  ///< https: PEM file of trusted CAs; empty: the system's
  /// Sends the token request instead of an HttpTransport for the URL's origin (tests, proxies).
  std::shared_ptr<Transport> transport;
  /// The current time; the steady clock when empty (set it in tests).
  std::function<std::chrono::steady_clock::time_point()> clock;
};

/// A `TokenSource` for the client credentials grant. Thread-safe: one request at a time, and
/// callers that need a token meanwhile wait for it.
class ClientCredentials final : public TokenSource {
 public:
  /// Throws std::invalid_argument for a token URL that cannot be used, or an empty client id.
  explicit ClientCredentials(ClientCredentialsOptions options);
  ~ClientCredentials() override;
  ClientCredentials(const ClientCredentials&) = delete;
  ClientCredentials& operator=(const ClientCredentials&) = delete;

  /// The cached token, or a new one when it is missing or about to expire; nullopt when none can
  /// be had.
  std::optional<std::string> token() override;
  /// Forgets the cached token (say, after the API answered 401 with it).
  void invalidate();
  /// Token requests sent so far.
  std::size_t requests() const;
  /// Why the last request failed ("" after a success), for logs: never a secret or a token.
  std::string last_error() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace oasgen::security
