// JwtSigner: what it signs, the verifier accepts with the same secret, and with nothing else.
#include <doctest/doctest.h>

#include <oasgen/security/jwt.hpp>
#include <oasgen/security/jwt_signer.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <variant>

using oasgen::security::access_token_claims;
using oasgen::security::JwtAlgorithm;
using oasgen::security::JwtError;
using oasgen::security::JwtKey;
using oasgen::security::JwtOptions;
using oasgen::security::JwtSigner;
using oasgen::security::JwtVerifier;
using oasgen::security::TokenIssuer;
using oasgen::security::VerifiedJwt;

namespace {

constexpr long long kNow = 1'700'000'000;
const std::string kSecret(64, 'k');

std::chrono::system_clock::time_point now() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
}

JwtVerifier verifier(JwtAlgorithm algorithm, const std::string& secret) {
  JwtOptions options;
  options.algorithms = {algorithm};
  options.issuers = {"catalog"};
  options.audiences = {"catalog-api"};
  options.clock = now;
  return JwtVerifier(options, {JwtKey::hmac(secret, "k1")});
}

TokenIssuer issuer() { return {"catalog", "catalog-api", now}; }

}  // namespace

TEST_CASE("jwt_signer: HS256, HS384 and HS512 tokens verify with the same secret") {
  for (JwtAlgorithm algorithm : {JwtAlgorithm::HS256, JwtAlgorithm::HS384, JwtAlgorithm::HS512}) {
    CAPTURE(oasgen::security::to_string(algorithm));
    const JwtSigner signer(algorithm, kSecret, "k1");
    const std::string token = signer.sign(
        access_token_claims("user-7", {"orders", "admin"}, std::chrono::minutes(15), issuer()));
    const auto result = verifier(algorithm, kSecret).verify(token);
    REQUIRE(std::holds_alternative<VerifiedJwt>(result));
    const auto& verified = std::get<VerifiedJwt>(result);
    CHECK(verified.algorithm == algorithm);
    CHECK(verified.key_id == "k1");
    CHECK(verified.subject == "user-7");
    CHECK(verified.scopes == std::vector<std::string>{"orders", "admin"});
    CHECK(verified.claims["iat"] == kNow);
    CHECK(verified.claims["exp"] == kNow + 15 * 60);
    CHECK(verified.header["typ"] == "JWT");
  }
}

TEST_CASE("jwt_signer: another secret, another algorithm, an altered payload or an expired token fail") {
  const JwtSigner signer(JwtAlgorithm::HS256, kSecret, "k1");
  const std::string token =
      signer.sign(access_token_claims("user-7", {"orders"}, std::chrono::minutes(1), issuer()));
  CHECK(std::get<JwtError>(verifier(JwtAlgorithm::HS256, std::string(64, 'x')).verify(token)) ==
        JwtError::BadSignature);
  CHECK(std::get<JwtError>(verifier(JwtAlgorithm::HS512, kSecret).verify(token)) ==
        JwtError::AlgorithmRefused);

  // The payload swapped for one with more scopes, the signature kept.
  const JwtSigner other(JwtAlgorithm::HS256, kSecret, "k1");
  const std::string admin =
      other.sign(access_token_claims("user-7", {"admin"}, std::chrono::minutes(1), issuer()));
  const auto dot1 = token.find('.');
  const auto dot2 = token.rfind('.');
  const std::string forged =
      token.substr(0, dot1) + admin.substr(admin.find('.'), admin.rfind('.') - admin.find('.')) +
      token.substr(dot2);
  CHECK(std::get<JwtError>(verifier(JwtAlgorithm::HS256, kSecret).verify(forged)) ==
        JwtError::BadSignature);

  TokenIssuer old = issuer();
  old.clock = [] { return now() - std::chrono::hours(1); };
  const std::string expired =
      signer.sign(access_token_claims("user-7", {"orders"}, std::chrono::minutes(1), old));
  CHECK(std::get<JwtError>(verifier(JwtAlgorithm::HS256, kSecret).verify(expired)) ==
        JwtError::Expired);
}

TEST_CASE("jwt_signer: refuses short secrets, asymmetric algorithms and bad claims") {
  CHECK_THROWS_AS(JwtSigner(JwtAlgorithm::HS256, std::string(31, 'k')), std::invalid_argument);
  CHECK_THROWS_AS(JwtSigner(JwtAlgorithm::HS512, std::string(63, 'k')), std::invalid_argument);
  CHECK_THROWS_AS(JwtSigner(JwtAlgorithm::RS256, kSecret), std::invalid_argument);
  try {
    JwtSigner(JwtAlgorithm::HS384, "short-secret-value");
    FAIL("a short secret was accepted");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("short-secret-value") == std::string::npos);
  }
  const JwtSigner signer(JwtAlgorithm::HS256, kSecret);
  CHECK_THROWS_AS(signer.sign(nlohmann::json::array()), std::invalid_argument);
  CHECK_THROWS_AS(access_token_claims("u", {"a b"}, std::chrono::minutes(1)), std::invalid_argument);
  CHECK_THROWS_AS(access_token_claims("u", {""}, std::chrono::minutes(1)), std::invalid_argument);
  CHECK_THROWS_AS(access_token_claims("u", {}, std::chrono::seconds(0)), std::invalid_argument);
  // No kid, no issuer: neither appears.
  const auto claims = access_token_claims("u", {}, std::chrono::minutes(1));
  CHECK_FALSE(claims.contains("iss"));
  CHECK_FALSE(claims.contains("aud"));
  CHECK_FALSE(claims.contains("scope"));
}
