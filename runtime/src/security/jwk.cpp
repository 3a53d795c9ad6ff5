// Keys for the JWT verifier: HMAC secrets, PEM public keys and certificates, JSON Web Keys.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "encoding.hpp"
#include "oasgen/security/jwk.hpp"

namespace oasgen::security {
namespace {

using detail::PkeyPtr;

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

// The type of an OpenSSL public key, or fail.
JwtKey::Type type_of(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      return JwtKey::Type::Rsa;
    case EVP_PKEY_ED25519:
      return JwtKey::Type::Ed25519;
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &length) != 1) {
        fail("the EC key has no named curve");
      }
      const std::string name(group, length);
      if (name == "prime256v1" || name == "P-256") return JwtKey::Type::EcP256;
      if (name == "secp384r1" || name == "P-384") return JwtKey::Type::EcP384;
      fail("the EC key's curve is not P-256 or P-384");
    }
    default:
      fail("the key is not an RSA, EC (P-256, P-384) or Ed25519 public key");
  }
}

std::shared_ptr<JwtKey::Material> asymmetric(PkeyPtr key, std::string kid,
                                            std::optional<JwtAlgorithm> algorithm) {
  auto material = std::make_shared<JwtKey::Material>();
  material->type = type_of(key.get());
  if (material->type == JwtKey::Type::Rsa) material->bits = EVP_PKEY_get_bits(key.get());
  material->pkey = std::move(key);
  material->id = std::move(kid);
  material->algorithm = algorithm;
  return material;
}

std::string string_member(const nlohmann::json& jwk, const char* name, bool required) {
  auto it = jwk.find(name);
  if (it == jwk.end()) {
    if (required) fail(std::string("the JWK has no \"") + name + "\"");
    return {};
  }
  if (!it->is_string()) fail(std::string("the JWK's \"") + name + "\" is not a string");
  return it->get<std::string>();
}

std::string bytes_member(const nlohmann::json& jwk, const char* name) {
  auto decoded = detail::base64url_decode(string_member(jwk, name, true));
  if (!decoded || decoded->empty()) fail(std::string("the JWK's \"") + name + "\" is not base64url");
  return *decoded;
}

BnPtr to_bn(const std::string& bytes) {
  BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                     static_cast<int>(bytes.size()), nullptr));
  if (!bn) fail("out of memory");
  return bn;
}

// Builds a public key of `type_name` ("RSA", "EC") from OpenSSL parameters.
PkeyPtr from_params(const char* type_name, OSSL_PARAM_BLD* builder) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
  EVP_PKEY_CTX* context = EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok = params != nullptr && context != nullptr && EVP_PKEY_fromdata_init(context) == 1 &&
                  EVP_PKEY_fromdata(context, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(context);
  OSSL_PARAM_free(params);
  PkeyPtr owned(key);
  if (!ok || !owned) fail(std::string("the JWK is not a valid ") + type_name + " public key");
  return owned;
}

PkeyPtr rsa_from_jwk(const nlohmann::json& jwk) {
  const BnPtr n = to_bn(bytes_member(jwk, "n"));
  const BnPtr e = to_bn(bytes_member(jwk, "e"));
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          OSSL_PARAM_BLD_free);
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    fail("out of memory");
  }
  return from_params("RSA", builder.get());
}

PkeyPtr ec_from_jwk(const nlohmann::json& jwk) {
  const std::string crv = string_member(jwk, "crv", true);
  std::size_t size = 0;
  const char* group = nullptr;
  if (crv == "P-256") {
    size = 32, group = "prime256v1";
  } else if (crv == "P-384") {
    size = 48, group = "secp384r1";
  } else {
    fail("the JWK's curve is not P-256 or P-384");
  }
  const std::string x = bytes_member(jwk, "x");
  const std::string y = bytes_member(jwk, "y");
  // RFC 7518 §6.2.1.2: "The length of this octet string MUST be the full size of a coordinate for
  // the curve specified in the "crv" parameter."
  if (x.size() != size || y.size() != size) fail("the JWK's coordinates have the wrong length");
  const std::string point = '\x04' + x + y;  // SEC 1 uncompressed point
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          OSSL_PARAM_BLD_free);
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    fail("out of memory");
  }
  PkeyPtr key = from_params("EC", builder.get());
  // The point must lie on the curve (an invalid-curve point is refused here, not at verification).
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr);
  const bool valid = check != nullptr && EVP_PKEY_public_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  if (!valid) fail("the JWK's point is not on its curve");
  return key;
}

PkeyPtr okp_from_jwk(const nlohmann::json& jwk) {
  // RFC 8037 §2: "The parameter "crv" MUST be present and contain the subtype of the key".
  if (string_member(jwk, "crv", true) != "Ed25519") fail("the JWK's curve is not Ed25519");
  const std::string x = bytes_member(jwk, "x");
  if (x.size() != 32) fail("the JWK's public key has the wrong length");
  PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size()));
  if (!key) fail("the JWK is not a valid Ed25519 public key");
  return key;
}

std::size_t hash_bytes(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::HS384:
      return 48;
    case JwtAlgorithm::HS512:
      return 64;
    default:
      return 32;
  }
}

}  // namespace

JwtKey JwtKey::hmac(std::string secret, std::string kid, std::optional<JwtAlgorithm> algorithm) {
  if (secret.empty()) fail("an HMAC secret must not be empty");
  if (algorithm && *algorithm != JwtAlgorithm::HS256 && *algorithm != JwtAlgorithm::HS384 &&
      *algorithm != JwtAlgorithm::HS512) {
    fail("an HMAC secret can only be bound to HS256, HS384 or HS512");
  }
  auto material = std::make_shared<Material>();
  material->type = Type::Hmac;
  material->secret = std::move(secret);
  material->id = std::move(kid);
  material->algorithm = algorithm;
  return JwtKey(std::move(material));
}

JwtKey JwtKey::from_pem(std::string_view pem, std::string kid,
                        std::optional<JwtAlgorithm> algorithm) {
  auto read = [&](auto&& reader) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    if (!bio) fail("out of memory");
    return reader(bio.get());
  };
  // A verifier needs no private key, and one found here is a key in the wrong place.
  if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
    fail("the PEM text holds a private key: give the public key or a certificate");
  }
  PkeyPtr key(read([](BIO* bio) { return PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr); }));
  if (!key && pem.find("-----BEGIN RSA PUBLIC KEY-----") != std::string_view::npos) {
    // PKCS#1 RSAPublicKey, through the generic decoder (PEM_read_bio_RSAPublicKey is deprecated).
    EVP_PKEY* decoded = nullptr;
    OSSL_DECODER_CTX* decoder = OSSL_DECODER_CTX_new_for_pkey(
        &decoded, "PEM", "type-specific", "RSA", EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
    const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
    std::size_t length = pem.size();
    if (decoder != nullptr && OSSL_DECODER_from_data(decoder, &data, &length) == 1) {
      key.reset(decoded);
    }
    OSSL_DECODER_CTX_free(decoder);
  }
  if (!key) {
    X509* certificate = read([](BIO* bio) { return PEM_read_bio_X509(bio, nullptr, nullptr, nullptr); });
    if (certificate != nullptr) {
      key.reset(X509_get_pubkey(certificate));
      X509_free(certificate);
    }
  }
  if (!key) fail("the PEM text is not a public key or a certificate");
  JwtKey result(asymmetric(std::move(key), std::move(kid), algorithm));
  if (algorithm && !result.can_verify(*algorithm)) {
    fail("the key cannot verify the algorithm it is bound to");
  }
  return result;
}

JwtKey JwtKey::from_jwk(const nlohmann::json& jwk) {
  if (!jwk.is_object()) fail("a JWK must be a JSON object");
  const std::string kty = string_member(jwk, "kty", true);
  std::string kid = string_member(jwk, "kid", false);
  std::optional<JwtAlgorithm> algorithm;
  if (jwk.contains("alg")) {
    algorithm = parse_jwt_algorithm(string_member(jwk, "alg", true));
    if (!algorithm) fail("the JWK's \"alg\" is not a supported signature algorithm");
  }
  // RFC 7517 §4.2: ""sig" (signature)"; a key for encryption does not verify signatures.
  if (jwk.contains("use") && string_member(jwk, "use", true) != "sig") {
    fail("the JWK's \"use\" is not \"sig\"");
  }
  // RFC 7517 §4.3: ""verify" (verify digital signature or MAC)".
  if (auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    bool verify = false;
    if (!ops->is_array()) fail("the JWK's \"key_ops\" is not an array");
    for (const auto& op : *ops) verify = verify || (op.is_string() && op == "verify");
    if (!verify) fail("the JWK's \"key_ops\" does not include \"verify\"");
  }
  std::optional<JwtKey> key;
  if (kty == "oct") {
    key = hmac(bytes_member(jwk, "k"), std::move(kid), algorithm);
  } else if (kty == "RSA") {
    key = JwtKey(asymmetric(rsa_from_jwk(jwk), std::move(kid), algorithm));
  } else if (kty == "EC") {
    key = JwtKey(asymmetric(ec_from_jwk(jwk), std::move(kid), algorithm));
  } else if (kty == "OKP") {
    key = JwtKey(asymmetric(okp_from_jwk(jwk), std::move(kid), algorithm));
  } else {
    fail("the JWK's \"kty\" is not RSA, EC, OKP or oct");
  }
  if (algorithm && !key->can_verify(*algorithm)) {
    fail("the JWK cannot verify the algorithm it names");
  }
  return *key;
}

JwtKey::Type JwtKey::type() const { return material_->type; }
const std::string& JwtKey::id() const { return material_->id; }
std::optional<JwtAlgorithm> JwtKey::algorithm() const { return material_->algorithm; }

bool JwtKey::can_verify(JwtAlgorithm algorithm) const {
  const Material& m = *material_;
  if (m.algorithm && *m.algorithm != algorithm) return false;
  switch (algorithm) {
    case JwtAlgorithm::HS256:
    case JwtAlgorithm::HS384:
    case JwtAlgorithm::HS512:
      return m.type == Type::Hmac && m.secret.size() >= hash_bytes(algorithm);
    case JwtAlgorithm::RS256:
    case JwtAlgorithm::RS384:
    case JwtAlgorithm::RS512:
    case JwtAlgorithm::PS256:
      // RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."
      return m.type == Type::Rsa && m.bits >= 2048;
    case JwtAlgorithm::ES256:
      // RFC 7518 §3.4: "ECDSA using P-256 and SHA-256".
      return m.type == Type::EcP256;
    case JwtAlgorithm::ES384:
      return m.type == Type::EcP384;
    case JwtAlgorithm::EdDSA:
      return m.type == Type::Ed25519;
  }
  return false;
}

JwkSet JwkSet::parse(std::string_view document) {
  auto parsed = detail::parse_json_object(document, 16);
  if (!parsed) fail("the JWK Set is not a JSON object");
  return from_json(*parsed);
}

JwkSet JwkSet::from_json(const nlohmann::json& document) {
  // RFC 7517 §5.1: "The value of the "keys" parameter is an array of JWK values."
  auto keys = document.is_object() ? document.find("keys") : document.end();
  if (!document.is_object() || keys == document.end() || !keys->is_array()) {
    fail("the JWK Set has no \"keys\" array");
  }
  JwkSet set;
  for (const auto& jwk : *keys) {
    try {
      set.keys.push_back(JwtKey::from_jwk(jwk));
    } catch (const std::invalid_argument&) {
      ++set.skipped;
    }
  }
  return set;
}

KeySource::Lookup StaticKeys::find(const std::optional<std::string>& kid) const {
  Lookup lookup;
  for (const JwtKey& key : keys_) {
    if (!kid || key.id().empty() || key.id() == *kid) lookup.keys.push_back(key);
  }
  return lookup;
}

}  // namespace oasgen::security
