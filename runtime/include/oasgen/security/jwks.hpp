// A JWK Set (RFC 7517 §5) fetched from a URL over the runtime's own HTTP client, or found through
// an OpenID Connect discovery document (the spec's `openIdConnectUrl` -> `jwks_uri`). Cached until
// it expires (Cache-Control max-age, within bounds); a token naming an unknown `kid` refreshes it,
// at most once per cool-down, so keys rotated at the issuer are picked up without letting every
// forged `kid` become a fetch.
//
//   auto keys = oasgen::security::RemoteJwks::from_discovery(
//       "https://login.example.com/.well-known/openid-configuration");
//   oasgen::security::JwtVerifier verifier({.algorithms = {JwtAlgorithm::RS256}}, keys);
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "oasgen/security/jwk.hpp"

namespace oasgen {
class Transport;  // oasgen/client.hpp
}

namespace oasgen::security {

struct RemoteJwksOptions {
  std::chrono::seconds default_ttl{600};  ///< how long a document without max-age is kept
  std::chrono::seconds min_ttl{60};       ///< max-age below this (or no-cache) counts as this
  std::chrono::seconds max_ttl{86'400};   ///< max-age above this counts as this
  /// Least time between two fetches caused by unknown `kid`s, or after a failed fetch.
  std::chrono::seconds refresh_cooldown{30};
  std::chrono::milliseconds timeout{5'000};  ///< one fetch, connect included
  std::size_t max_document_bytes = 512 * 1024;
  /// Fetch over plain http too. Off: only https URLs are used (RFC 7517 §9.3 / OpenID Connect
  /// Discovery §7: key sets must come over TLS); tests on 127.0.0.1 turn it on.
  bool allow_http = false;
  std::string ca_file;  ///< https: PEM file of trusted CAs; empty: the system's
  /// The current time for the cache; the steady clock when empty (set it in tests).
  std::function<std::chrono::steady_clock::time_point()> clock;
};

/// A `KeySource` backed by a JWK Set at a URL. Thread-safe: lookups of known keys take a short
/// lock, and one thread fetches at a time while the others wait for its result. When the set
/// cannot be had (never fetched, or expired and the refetch failed), lookups report `unavailable`
/// and tokens are refused (fail closed).
class RemoteJwks final : public KeySource {
 public:
  /// The JWK Set at `url` (an absolute http(s) URL). Nothing is fetched before the first lookup.
  /// Throws std::invalid_argument for a URL that cannot be used.
  static std::shared_ptr<RemoteJwks> from_url(const std::string& url,
                                              RemoteJwksOptions options = {});
  /// The JWK Set named by `jwks_uri` in the OpenID Connect discovery document at `url`. OpenID
  /// Connect Discovery 1.0 §4.3: "The issuer value returned MUST be identical to the Issuer URL
  /// that was used as the prefix to /.well-known/openid-configuration": a document that breaks it
  /// is refused.
  static std::shared_ptr<RemoteJwks> from_discovery(const std::string& url,
                                                    RemoteJwksOptions options = {});

  Lookup find(const std::optional<std::string>& kid) const override;

  /// Fetches now (ignoring the cool-down); false when the fetch failed (the old keys stay).
  bool refresh();
  /// Fetch attempts so far (discovery documents not counted).
  std::size_t fetches() const;
  /// The discovery document's `issuer` (after a successful fetch through discovery).
  std::optional<std::string> issuer() const;

  ~RemoteJwks() override;
  RemoteJwks(const RemoteJwks&) = delete;
  RemoteJwks& operator=(const RemoteJwks&) = delete;

  struct State;

 private:
  explicit RemoteJwks(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace oasgen::security
