// Issuing HMAC-signed JWTs; verified by jwt.cpp.
#include "oasgen/security/jwt_signer.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "encoding.hpp"

namespace oasgen::security {
namespace {

const char* hmac_digest(JwtAlgorithm algorithm, std::size_t& length) {
  switch (algorithm) {
    case JwtAlgorithm::HS256:
      length = 32;
      return "SHA256";
    case JwtAlgorithm::HS384:
      length = 48;
      return "SHA384";
    case JwtAlgorithm::HS512:
      length = 64;
      return "SHA512";
    default:
      throw std::invalid_argument("JwtSigner signs with HS256, HS384 or HS512 only");
  }
}

}  // namespace

JwtSigner::JwtSigner(JwtAlgorithm algorithm, std::string secret, std::string kid)
    : algorithm_(algorithm), secret_(std::move(secret)), kid_(std::move(kid)) {
  std::size_t hash_length = 0;
  hmac_digest(algorithm_, hash_length);
  if (secret_.size() < hash_length) {
    OPENSSL_cleanse(secret_.data(), secret_.size());
    throw std::invalid_argument("the HMAC secret of " + std::string(to_string(algorithm_)) +
                                " must be at least " + std::to_string(hash_length) + " bytes");
  }
}

std::string JwtSigner::sign(const nlohmann::json& claims) const {
  if (!claims.is_object()) throw std::invalid_argument("JWT claims must be a JSON object");
  nlohmann::json header = {{"alg", std::string(to_string(algorithm_))}, {"typ", "JWT"}};
  if (!kid_.empty()) header["kid"] = kid_;
  std::string input = detail::base64url_encode(header.dump()) + '.' +
                      detail::base64url_encode(claims.dump());
  std::size_t hash_length = 0;
  const char* digest = hmac_digest(algorithm_, hash_length);
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, secret_.data(), secret_.size(),
                reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
                sizeof mac, &length) == nullptr) {
    throw std::runtime_error("HMAC computation failed");
  }
  input += '.';
  input += detail::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), length));
  OPENSSL_cleanse(mac, sizeof mac);
  return input;
}

nlohmann::json access_token_claims(std::string_view subject, const std::vector<std::string>& scopes,
                                   std::chrono::seconds lifetime, const TokenIssuer& issuer) {
  if (lifetime.count() <= 0) throw std::invalid_argument("a token's lifetime must be positive");
  std::string scope;
  for (const std::string& one : scopes) {
    if (one.empty() || one.find(' ') != std::string::npos) {
      throw std::invalid_argument("a scope must be non-empty and contain no space");
    }
    if (!scope.empty()) scope += ' ';
    scope += one;
  }
  const auto now = issuer.clock ? issuer.clock() : std::chrono::system_clock::now();
  const auto issued_at =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  nlohmann::json claims = {{"sub", std::string(subject)},
                           {"iat", issued_at},
                           {"exp", issued_at + lifetime.count()}};
  if (!scope.empty()) claims["scope"] = scope;
  if (!issuer.issuer.empty()) claims["iss"] = issuer.issuer;
  if (!issuer.audience.empty()) claims["aud"] = issuer.audience;
  return claims;
}

}  // namespace oasgen::security
