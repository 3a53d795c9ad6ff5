// Test-only JWS signing on OpenSSL: keys for every algorithm, their PEM and JWK forms, and compact
// tokens with any header and payload (well-formed or not), for the verifier's unit tests.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace jws {

/// base64url without padding.
std::string b64(std::string_view bytes);

/// A key pair for one family: "RSA" (2048 bits), "RSA1024", "P-256", "P-384", "Ed25519".
class KeyPair {
 public:
  static KeyPair generate(std::string_view family);
  /// The public key as PEM ("BEGIN PUBLIC KEY").
  std::string public_pem() const;
  /// The public key as PKCS#1 PEM ("BEGIN RSA PUBLIC KEY"; RSA only).
  std::string rsa_public_pem() const;
  /// A self-signed certificate for the key, as PEM.
  std::string certificate_pem() const;
  /// The private key as PEM (PKCS#8).
  std::string private_pem() const;
  /// The public key as a JWK, with `kid` (and `alg` when not empty).
  nlohmann::json public_jwk(const std::string& kid, const std::string& alg = {}) const;
  /// The signature of `input` for `alg` (RS*/PS256/ES*/EdDSA), in JWS form (R||S for ECDSA).
  std::string sign(std::string_view alg, std::string_view input) const;

  struct Impl;
  std::shared_ptr<Impl> impl;
};

/// HMAC of `input` with `secret` for HS256/384/512.
std::string hmac(std::string_view alg, std::string_view secret, std::string_view input);

/// header.payload (base64url of the JSON texts), ready for a signature.
std::string signing_input(const nlohmann::json& header, const nlohmann::json& payload);
/// A compact token signed with `key` (or an HMAC `secret` for HS*).
std::string token(const KeyPair& key, const nlohmann::json& header, const nlohmann::json& payload);
std::string hmac_token(std::string_view secret, const nlohmann::json& header,
                       const nlohmann::json& payload);

}  // namespace jws
