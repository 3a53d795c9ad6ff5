// Keys: PEM public keys and certificates, JSON Web Keys and JWK Sets.
#include <doctest/doctest.h>

#include <oasgen/security/jwk.hpp>

#include <string>

#include "jws_signer.hpp"

using oasgen::security::JwkSet;
using oasgen::security::JwtAlgorithm;
using oasgen::security::JwtKey;
using nlohmann::json;

namespace {
const jws::KeyPair& rsa() {
  static const auto key = jws::KeyPair::generate("RSA");
  return key;
}
const jws::KeyPair& p256() {
  static const auto key = jws::KeyPair::generate("P-256");
  return key;
}
const jws::KeyPair& ed() {
  static const auto key = jws::KeyPair::generate("Ed25519");
  return key;
}
}  // namespace

TEST_CASE("jwk: PEM public keys, PKCS#1 RSA keys and certificates") {
  CHECK(JwtKey::from_pem(rsa().public_pem()).type() == JwtKey::Type::Rsa);
  CHECK(JwtKey::from_pem(rsa().rsa_public_pem()).type() == JwtKey::Type::Rsa);
  CHECK(JwtKey::from_pem(rsa().certificate_pem()).type() == JwtKey::Type::Rsa);
  CHECK(JwtKey::from_pem(p256().certificate_pem()).type() == JwtKey::Type::EcP256);
  CHECK(JwtKey::from_pem(ed().public_pem()).type() == JwtKey::Type::Ed25519);
  CHECK(JwtKey::from_pem(jws::KeyPair::generate("P-384").public_pem()).type() ==
        JwtKey::Type::EcP384);
  const JwtKey bound = JwtKey::from_pem(rsa().public_pem(), "k1", JwtAlgorithm::PS256);
  CHECK(bound.id() == "k1");
  CHECK(bound.can_verify(JwtAlgorithm::PS256));
  CHECK_FALSE(bound.can_verify(JwtAlgorithm::RS256));
}

TEST_CASE("jwk: PEM text that is not a public key is refused, without quoting it") {
  const std::string private_pem = rsa().private_pem();
  for (const std::string& pem : {private_pem, std::string("garbage"), std::string()}) {
    try {
      JwtKey::from_pem(pem);
      FAIL("accepted");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find("MII") == std::string::npos);
    }
  }
  CHECK_THROWS_AS(JwtKey::from_pem(rsa().public_pem(), "", JwtAlgorithm::ES256),
                  std::invalid_argument);
  CHECK_THROWS_AS(JwtKey::hmac(""), std::invalid_argument);
  CHECK_THROWS_AS(JwtKey::hmac("secret", "", JwtAlgorithm::RS256), std::invalid_argument);
}

TEST_CASE("jwk: each key type, and what it may verify") {
  const JwtKey r = JwtKey::from_jwk(rsa().public_jwk("r"));
  CHECK(r.type() == JwtKey::Type::Rsa);
  CHECK(r.id() == "r");
  CHECK(r.can_verify(JwtAlgorithm::RS512));
  CHECK(r.can_verify(JwtAlgorithm::PS256));
  CHECK_FALSE(r.can_verify(JwtAlgorithm::HS256));
  CHECK_FALSE(r.can_verify(JwtAlgorithm::ES256));
  const JwtKey e = JwtKey::from_jwk(p256().public_jwk("e", "ES256"));
  CHECK(e.algorithm() == JwtAlgorithm::ES256);
  CHECK_FALSE(e.can_verify(JwtAlgorithm::ES384));
  CHECK(JwtKey::from_jwk(ed().public_jwk("d")).can_verify(JwtAlgorithm::EdDSA));
  const JwtKey o = JwtKey::from_jwk({{"kty", "oct"}, {"k", jws::b64(std::string(48, 'k'))}});
  CHECK(o.can_verify(JwtAlgorithm::HS384));
  CHECK_FALSE(o.can_verify(JwtAlgorithm::HS512));  // 48 bytes < SHA-512's 64
  CHECK_FALSE(o.can_verify(JwtAlgorithm::RS256));
}

TEST_CASE("jwk: malformed and unsuitable JWKs are refused") {
  json bad_x = p256().public_jwk("e");
  bad_x["x"] = jws::b64(std::string(31, 'x'));
  json off_curve = p256().public_jwk("e");
  off_curve["y"] = jws::b64(std::string(32, '\x01'));
  json wrong_alg = rsa().public_jwk("r", "ES256");
  json encryption = rsa().public_jwk("r");
  encryption["use"] = "enc";
  json sign_only = rsa().public_jwk("r");
  sign_only["key_ops"] = {"sign"};
  json padded = rsa().public_jwk("r");
  padded["e"] = "AQAB=";
  json secp256k1 = p256().public_jwk("e");
  secp256k1["crv"] = "secp256k1";
  json x25519 = ed().public_jwk("d");
  x25519["crv"] = "X25519";
  const json cases[] = {json::array(), {{"kty", "RSA"}}, {{"kty", "oct"}, {"k", ""}},
                        {{"kty", "XYZ"}}, {{"kty", 1}}, bad_x, off_curve, wrong_alg, encryption,
                        sign_only, padded, secp256k1, x25519, {{"kty", "oct"}, {"k", "AA"}, {"alg", "none"}}};
  for (const json& jwk : cases) {
    CAPTURE(jwk.dump());
    CHECK_THROWS_AS(JwtKey::from_jwk(jwk), std::invalid_argument);
  }
  json ok = rsa().public_jwk("r");
  ok["use"] = "sig";
  ok["key_ops"] = {"verify"};
  CHECK_NOTHROW(JwtKey::from_jwk(ok));
}

TEST_CASE("jwk: a JWK Set keeps the keys it understands and skips the others") {
  json document = {{"keys",
                    {rsa().public_jwk("r"), {{"kty", "XYZ"}, {"kid", "x"}}, p256().public_jwk("e"),
                     {{"kty", "RSA"}, {"kid", "enc"}, {"use", "enc"}, {"n", "AQAB"}, {"e", "AQAB"}},
                     ed().public_jwk("d")}}};
  const JwkSet set = JwkSet::parse(document.dump());
  REQUIRE(set.keys.size() == 3);
  CHECK(set.skipped == 2);
  CHECK(set.keys[0].id() == "r");
  CHECK(set.keys[2].id() == "d");
  CHECK_THROWS_AS(JwkSet::parse("[]"), std::invalid_argument);
  CHECK_THROWS_AS(JwkSet::parse("{\"keys\": {}}"), std::invalid_argument);
  CHECK_THROWS_AS(JwkSet::parse("{"), std::invalid_argument);
  CHECK_THROWS_AS(JwkSet::parse("{\"keys\":" + std::string(40, '[') + std::string(40, ']') + "}"),
                  std::invalid_argument);
}
