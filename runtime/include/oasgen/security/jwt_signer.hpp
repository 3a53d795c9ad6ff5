// Issuing JWTs (RFC 7519) as JWS compact serializations (RFC 7515) with an HMAC secret: HS256,
// HS384 or HS512. For a service that logs its own users in and verifies the tokens it issued with
// `JwtVerifier` (oasgen/security/jwt.hpp) and the same secret:
//
//   const std::string secret = load_secret();  // 32 bytes or more for HS256
//   oasgen::security::JwtSigner signer(oasgen::security::JwtAlgorithm::HS256, secret, "k1");
//   std::string token = signer.sign(oasgen::security::access_token_claims(
//       "user-42", {"orders"}, std::chrono::minutes(15), {"catalog", "catalog-api"}));
//   oasgen::security::JwtVerifier verifier(options, {oasgen::security::JwtKey::hmac(secret, "k1")});
//
// Tokens that other parties verify should be signed with an asymmetric key by an identity
// provider; an HMAC secret verifies and signs alike, so it must never leave the service.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/security/jwk.hpp"

namespace oasgen::security {

/// Signs claims with an HMAC secret. Thread-safe (`sign` is const and keeps no state).
class JwtSigner {
 public:
  /// `algorithm`: HS256, HS384 or HS512; `secret`: at least as long as the hash (RFC 7518 §3.2:
  /// 32, 48 or 64 bytes), so that `JwtKey::hmac(secret)` verifies what this signs. Throws
  /// std::invalid_argument otherwise (the message never quotes the secret). `kid`, when not empty,
  /// goes into the header.
  JwtSigner(JwtAlgorithm algorithm, std::string secret, std::string kid = {});

  /// `base64url(header) "." base64url(claims) "." base64url(HMAC)`, the header being
  /// `{"alg": ..., "typ": "JWT"}` (and `kid`). Throws std::invalid_argument when `claims` is not a
  /// JSON object.
  std::string sign(const nlohmann::json& claims) const;

  JwtAlgorithm algorithm() const { return algorithm_; }

 private:
  JwtAlgorithm algorithm_;
  std::string secret_;
  std::string kid_;
};

/// Who issues a token and for whom, and the clock that dates it.
struct TokenIssuer {
  std::string issuer;    ///< `iss`; omitted when empty
  std::string audience;  ///< `aud`; omitted when empty
  /// The current time; the system clock when empty (set it in tests).
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// The claims of an access token: `sub`, `scope` (space-separated, RFC 8693 §4.2), `iat`, `exp`
/// (`iat` + `lifetime`), and `iss`/`aud` when `issuer` names them. Throws std::invalid_argument
/// for a non-positive lifetime or a scope that is empty or contains a space.
nlohmann::json access_token_claims(std::string_view subject, const std::vector<std::string>& scopes,
                                   std::chrono::seconds lifetime, const TokenIssuer& issuer = {});

}  // namespace oasgen::security
