// JWT bearer tokens (RFC 7519) signed as a JWS in compact form (RFC 7515), verified on OpenSSL:
// HS256/384/512, RS256/384/512, PS256, ES256/384 and EdDSA (Ed25519). The algorithms a verifier
// accepts are configured, and each key verifies only the algorithms of its own type (an HMAC secret
// never verifies an RS256 token, an RSA public key is never used as an HMAC secret); `alg: none` is
// never accepted (RFC 8725 §3.1, §3.2).
//
//   oasgen::security::JwtOptions options;
//   options.algorithms = {oasgen::security::JwtAlgorithm::RS256};
//   options.issuers = {"https://issuer.example"};
//   options.audiences = {"pets-api"};
//   oasgen::security::JwtVerifier verifier(options, {oasgen::security::JwtKey::from_pem(pem)});
//
//   // in the application's authenticator (see oasgen/security.hpp):
//   oasgen::AuthResult bearer(const oasgen::BearerCredential& credential,
//                             const oasgen::AuthCheck& check) override {
//     return verifier.authenticate(credential, check);  // 401, 403 or the caller's identity
//   }
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "oasgen/security.hpp"
#include "oasgen/security/jwk.hpp"

namespace oasgen::security {

/// What a token must satisfy, beyond a good signature.
struct JwtOptions {
  /// The algorithms accepted (RFC 8725 §3.1: "libraries MUST enable the caller to specify a
  /// supported set of algorithms and MUST NOT use any other algorithms"). Must not be empty.
  std::vector<JwtAlgorithm> algorithms;
  /// Accepted `iss` values; empty: `iss` is not checked.
  std::vector<std::string> issuers;
  /// Accepted audiences; empty: `aud` is not checked. When set, a token without `aud` is refused.
  std::vector<std::string> audiences;
  /// Allowed clock skew for `exp`, `nbf` and `iat` (RFC 7519 §4.1.4: "Implementers MAY provide for
  /// some small leeway, usually no more than a few minutes, to account for clock skew").
  std::chrono::seconds leeway{60};
  bool require_expiry = true;  ///< refuse tokens without `exp`
  /// When set, the header's `typ` must equal it, case-insensitively (RFC 8725 §3.11), e.g. "at+jwt".
  std::optional<std::string> type;
  std::size_t max_token_bytes = 8 * 1024;  ///< longer tokens are refused before any parsing
  std::size_t max_json_depth = 16;         ///< nesting of the header's and the claims' JSON
  /// The current time; the system clock when empty (set it in tests).
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Why a token was refused.
enum class JwtError {
  Oversize,           ///< longer than `max_token_bytes`
  Malformed,          ///< not three base64url parts of JSON objects, or too deeply nested
  AlgorithmRefused,   ///< `alg` is "none", unknown, or not one of `algorithms`
  CriticalHeader,     ///< `crit` names extensions (none is understood)
  WrongType,          ///< `typ` is not `JwtOptions::type`
  UnknownKey,         ///< no configured key may verify the token (its `kid`, its algorithm)
  KeysUnavailable,    ///< the key set could not be fetched
  BadSignature,       ///< the signature does not verify
  BadClaims,          ///< a registered claim has the wrong JSON type
  Expired,            ///< `exp` has passed (beyond the leeway)
  MissingExpiry,      ///< no `exp`, and `require_expiry`
  NotYetValid,        ///< `nbf` is in the future (beyond the leeway)
  IssuedInFuture,     ///< `iat` is in the future (beyond the leeway)
  WrongIssuer,        ///< `iss` missing or not one of `issuers`
  WrongAudience,      ///< `aud` missing or names none of `audiences`
};

/// "oversize", "malformed", ...: a stable name for logs and tests.
std::string_view to_string(JwtError error);
/// A fixed sentence for the client ("the token has expired"); never quotes the token or a key.
std::string_view describe(JwtError error);

/// A verified token.
struct VerifiedJwt {
  JwtAlgorithm algorithm = JwtAlgorithm::HS256;
  std::string key_id;  ///< the id of the key that verified it ("" for a key without one)
  nlohmann::json header = nlohmann::json::object();
  nlohmann::json claims = nlohmann::json::object();
  std::string subject;               ///< `sub`, or ""
  std::vector<std::string> scopes;  ///< from `scope` (space-separated) or `scp` (array or string)
};

using JwtResult = std::variant<VerifiedJwt, JwtError>;

/// Verifies JWTs against configured keys and options. Thread-safe (`verify` is const and keeps no
/// state of its own).
class JwtVerifier {
 public:
  /// Throws std::invalid_argument when `options.algorithms` is empty or a source is null.
  JwtVerifier(JwtOptions options, std::vector<JwtKey> keys);
  JwtVerifier(JwtOptions options, std::shared_ptr<const KeySource> keys);

  /// Checks the token's size, form, algorithm, signature and claims, in that order.
  JwtResult verify(std::string_view token) const;

  /// For an authenticator method: verifies the token, then admits an identity (the check's scheme,
  /// `sub`, the scopes, the claims) when it holds every scope `check` requires
  /// (`admit_with_scopes`). A refused token is rejected with `describe(error)`.
  AuthResult authenticate(const BearerCredential& credential, const AuthCheck& check) const;

  const JwtOptions& options() const { return options_; }

 private:
  JwtOptions options_;
  std::shared_ptr<const KeySource> keys_;
};

}  // namespace oasgen::security
