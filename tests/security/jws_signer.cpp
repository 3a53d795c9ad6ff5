#include "jws_signer.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/encoder.h>
#include <openssl/x509.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>
#include <vector>

namespace jws {

struct KeyPair::Impl {
  EVP_PKEY* key = nullptr;
  std::string family;
  ~Impl() { EVP_PKEY_free(key); }
};

namespace {

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return text;
}

std::string bn_bytes(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("no such parameter");
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

const char* digest(std::string_view alg) {
  if (alg == "EdDSA") return nullptr;
  if (alg.substr(2) == "384") return "SHA384";
  if (alg.substr(2) == "512") return "SHA512";
  return "SHA256";
}

}  // namespace

std::string b64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

KeyPair KeyPair::generate(std::string_view family) {
  KeyPair pair;
  pair.impl = std::make_shared<Impl>();
  pair.impl->family = std::string(family);
  if (family == "RSA1024") {
    pair.impl->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024));
    pair.impl->family = "RSA";
  } else if (family == "RSA") {
    pair.impl->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else if (family == "P-256") {
    pair.impl->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (family == "P-384") {
    pair.impl->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  } else if (family == "Ed25519") {
    pair.impl->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  }
  if (pair.impl->key == nullptr) throw std::runtime_error("key generation failed");
  return pair;
}

std::string KeyPair::public_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, impl->key);
  return bio_text(bio);
}

std::string KeyPair::rsa_public_pem() const {
  OSSL_ENCODER_CTX* encoder = OSSL_ENCODER_CTX_new_for_pkey(impl->key, EVP_PKEY_PUBLIC_KEY, "PEM",
                                                            "type-specific", nullptr);
  unsigned char* data = nullptr;
  std::size_t length = 0;
  if (encoder == nullptr || OSSL_ENCODER_to_data(encoder, &data, &length) != 1) {
    throw std::runtime_error("PKCS#1 encoding failed");
  }
  std::string text(reinterpret_cast<char*>(data), length);
  OPENSSL_free(data);
  OSSL_ENCODER_CTX_free(encoder);
  return text;
}

std::string KeyPair::certificate_pem() const {
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_set_pubkey(certificate, impl->key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("oasgen test"), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  const bool ed = impl->family == "Ed25519";
  if (X509_sign(certificate, impl->key, ed ? nullptr : EVP_sha256()) == 0) {
    throw std::runtime_error("certificate signing failed");
  }
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, certificate);
  X509_free(certificate);
  return bio_text(bio);
}

std::string KeyPair::private_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, impl->key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio);
}

nlohmann::json KeyPair::public_jwk(const std::string& kid, const std::string& alg) const {
  nlohmann::json jwk;
  const std::string& family = impl->family;
  if (family == "RSA") {
    jwk = {{"kty", "RSA"}, {"n", b64(bn_bytes(impl->key, OSSL_PKEY_PARAM_RSA_N))},
           {"e", b64(bn_bytes(impl->key, OSSL_PKEY_PARAM_RSA_E))}};
  } else if (family == "Ed25519") {
    std::string raw(32, '\0');
    std::size_t length = raw.size();
    EVP_PKEY_get_raw_public_key(impl->key, reinterpret_cast<unsigned char*>(raw.data()), &length);
    jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", b64(raw)}};
  } else {
    const std::size_t size = family == "P-256" ? 32 : 48;
    unsigned char point[1 + 2 * 48];
    std::size_t length = 0;
    EVP_PKEY_get_octet_string_param(impl->key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                    &length);
    if (length != 1 + 2 * size) throw std::runtime_error("unexpected point encoding");
    const std::string bytes(reinterpret_cast<char*>(point), length);
    jwk = {{"kty", "EC"}, {"crv", family}, {"x", b64(bytes.substr(1, size))},
           {"y", b64(bytes.substr(1 + size, size))}};
  }
  if (!kid.empty()) jwk["kid"] = kid;
  if (!alg.empty()) jwk["alg"] = alg;
  return jwk;
}

std::string KeyPair::sign(std::string_view alg, std::string_view input) const {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pkey_context = nullptr;
  if (EVP_DigestSignInit_ex(context, &pkey_context, digest(alg), nullptr, nullptr, impl->key,
                            nullptr) != 1) {
    throw std::runtime_error("sign init failed");
  }
  if (alg == "PS256") {
    EVP_PKEY_CTX_set_rsa_padding(pkey_context, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_context, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  EVP_DigestSign(context, nullptr, &length, data, input.size());
  std::string signature(length, '\0');
  if (EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     input.size()) != 1) {
    throw std::runtime_error("sign failed");
  }
  signature.resize(length);
  EVP_MD_CTX_free(context);
  if (alg == "ES256" || alg == "ES384") {
    const std::size_t half = alg == "ES256" ? 32 : 48;
    const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
    std::string raw(2 * half, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(half));
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + half,
                 static_cast<int>(half));
    ECDSA_SIG_free(sig);
    return raw;
  }
  return signature;
}

std::string hmac(std::string_view alg, std::string_view secret, std::string_view input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  EVP_Q_mac(nullptr, "HMAC", nullptr, digest(alg), nullptr, secret.data(), secret.size(),
            reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, sizeof mac,
            &length);
  return std::string(reinterpret_cast<char*>(mac), length);
}

std::string signing_input(const nlohmann::json& header, const nlohmann::json& payload) {
  return b64(header.dump()) + "." + b64(payload.dump());
}

std::string token(const KeyPair& key, const nlohmann::json& header, const nlohmann::json& payload) {
  const std::string input = signing_input(header, payload);
  return input + "." + b64(key.sign(header.at("alg").get<std::string>(), input));
}

std::string hmac_token(std::string_view secret, const nlohmann::json& header,
                       const nlohmann::json& payload) {
  const std::string input = signing_input(header, payload);
  return input + "." + b64(hmac(header.at("alg").get<std::string>(), secret, input));
}

}  // namespace jws
