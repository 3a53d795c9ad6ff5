// Keys that verify JWS signatures (RFC 7515): HMAC secrets, PEM public keys and certificates,
// JSON Web Keys and JWK Sets (RFC 7517), and the `KeySource` a `JwtVerifier` asks for them.
//
//   auto set = oasgen::security::JwkSet::parse(jwks_document);
//   auto keys = std::make_shared<oasgen::security::StaticKeys>(set.keys);
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oasgen::security {

/// The JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) a verifier can accept.
enum class JwtAlgorithm { HS256, HS384, HS512, RS256, RS384, RS512, PS256, ES256, ES384, EdDSA };

/// "HS256", ...; "EdDSA".
std::string_view to_string(JwtAlgorithm algorithm);
/// The algorithm of a JWS `alg` value (case-sensitive); nullopt for "none" and anything else.
std::optional<JwtAlgorithm> parse_jwt_algorithm(std::string_view name);

/// A key that verifies signatures: an HMAC secret, or an RSA, EC (P-256, P-384) or Ed25519 public
/// key. Cheap to copy (the key material is shared and immutable).
class JwtKey {
 public:
  enum class Type { Hmac, Rsa, EcP256, EcP384, Ed25519 };

  /// An HMAC secret (for HS256/384/512). RFC 7518 §3.2: "A key of the same size as the hash
  /// output (for instance, 256 bits for "HS256") or larger MUST be used with this algorithm", so a
  /// secret verifies only the HS algorithms it is long enough for. Throws std::invalid_argument
  /// for an empty secret.
  static JwtKey hmac(std::string secret, std::string kid = {},
                     std::optional<JwtAlgorithm> algorithm = std::nullopt);
  /// A public key ("BEGIN PUBLIC KEY", "BEGIN RSA PUBLIC KEY") or a certificate's ("BEGIN
  /// CERTIFICATE") from PEM text. Private keys are refused. Throws std::invalid_argument (whose
  /// message never quotes the PEM) when it is not one of the supported types.
  static JwtKey from_pem(std::string_view pem, std::string kid = {},
                         std::optional<JwtAlgorithm> algorithm = std::nullopt);
  /// One JSON Web Key (RFC 7517): kty RSA, EC (crv P-256, P-384), OKP (crv Ed25519) or oct.
  /// Its `alg`, when present, binds the key to that algorithm; `use` must be "sig" and `key_ops`
  /// must include "verify" when present. Throws std::invalid_argument otherwise.
  static JwtKey from_jwk(const nlohmann::json& jwk);

  Type type() const;
  /// The key id (`kid`); empty for a key without one, which is tried for every token.
  const std::string& id() const;
  /// The algorithm the key is bound to, if it is bound to one.
  std::optional<JwtAlgorithm> algorithm() const;
  /// Whether this key may verify `algorithm`: of the key's type (and size), and its bound
  /// algorithm when it has one.
  bool can_verify(JwtAlgorithm algorithm) const;

  struct Material;  ///< the OpenSSL key or HMAC secret (internal)
  const Material& material() const { return *material_; }

 private:
  explicit JwtKey(std::shared_ptr<const Material> material) : material_(std::move(material)) {}
  std::shared_ptr<const Material> material_;
};

/// The keys of a JWK Set document (RFC 7517 §5). RFC 7517 §5: "Implementations SHOULD ignore JWKs
/// within a JWK Set that use "kty" (key type) values that are not understood by them, that are
/// missing required members, or for which values are out of the supported ranges", so such keys
/// are skipped (and counted). Throws std::invalid_argument when the document is not a JSON object
/// with a "keys" array.
struct JwkSet {
  std::vector<JwtKey> keys;
  std::size_t skipped = 0;  ///< keys that were ignored

  static JwkSet parse(std::string_view document);
  static JwkSet from_json(const nlohmann::json& document);
};

/// Where a verifier finds its keys. Implementations must be thread-safe.
class KeySource {
 public:
  virtual ~KeySource() = default;
  /// The keys that may have signed a token whose header names `kid` (nullopt when it names none).
  /// `unavailable` is set when the keys could not be had at all (a JWKS that cannot be fetched).
  struct Lookup {
    std::vector<JwtKey> keys;
    bool unavailable = false;
  };
  virtual Lookup find(const std::optional<std::string>& kid) const = 0;
};

/// A fixed list of keys: a token with a `kid` is verified by the keys with that id and by keys
/// without one; a token without a `kid`, by every key.
class StaticKeys final : public KeySource {
 public:
  explicit StaticKeys(std::vector<JwtKey> keys) : keys_(std::move(keys)) {}
  Lookup find(const std::optional<std::string>& kid) const override;

 private:
  std::vector<JwtKey> keys_;
};

}  // namespace oasgen::security
