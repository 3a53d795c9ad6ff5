// JWT verification: JWS compact serialization (RFC 7515 §7.1), the registered claims of RFC 7519
// §4.1, and the practices of RFC 8725.
#include "oasgen/security/jwt.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "encoding.hpp"

namespace oasgen::security {
namespace {

constexpr struct {
  JwtAlgorithm algorithm;
  std::string_view name;
} kAlgorithms[] = {
    {JwtAlgorithm::HS256, "HS256"}, {JwtAlgorithm::HS384, "HS384"}, {JwtAlgorithm::HS512, "HS512"},
    {JwtAlgorithm::RS256, "RS256"}, {JwtAlgorithm::RS384, "RS384"}, {JwtAlgorithm::RS512, "RS512"},
    {JwtAlgorithm::PS256, "PS256"}, {JwtAlgorithm::ES256, "ES256"}, {JwtAlgorithm::ES384, "ES384"},
    {JwtAlgorithm::EdDSA, "EdDSA"},
};

const char* digest_name(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::HS384:
    case JwtAlgorithm::RS384:
    case JwtAlgorithm::ES384:
      return "SHA384";
    case JwtAlgorithm::HS512:
    case JwtAlgorithm::RS512:
      return "SHA512";
    case JwtAlgorithm::EdDSA:
      return nullptr;  // Ed25519 hashes internally (RFC 8032 PureEdDSA)
    default:
      return "SHA256";
  }
}

bool verify_hmac(const JwtKey::Material& key, JwtAlgorithm algorithm, std::string_view input,
                 std::string_view signature) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, digest_name(algorithm), nullptr, key.secret.data(),
                key.secret.size(), reinterpret_cast<const unsigned char*>(input.data()),
                input.size(), mac, sizeof mac, &length) == nullptr) {
    return false;
  }
  // RFC 7518 §3.2: "The comparison of the computed HMAC value to the JWS Signature value MUST be
  // done in a constant-time manner to thwart timing attacks." The length is public (the
  // algorithm's), so only the bytes need the constant-time comparison.
  const bool same = signature.size() == length &&
                    CRYPTO_memcmp(mac, signature.data(), length) == 0;
  OPENSSL_cleanse(mac, sizeof mac);
  return same;
}

// RFC 7518 §3.4: the JWS signature is R || S, each "a 32-octet sequence" (P-256) or 48 (P-384);
// OpenSSL wants DER. "The JWS Signature value MUST be a 64-octet sequence" for ES256 — checked
// before any conversion.
std::optional<std::string> ecdsa_der(std::string_view raw, std::size_t half) {
  if (raw.size() != 2 * half) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + half, static_cast<int>(half), nullptr);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

bool verify_asymmetric(const JwtKey::Material& key, JwtAlgorithm algorithm,
                       std::string_view input, std::string_view signature) {
  std::string der;
  if (algorithm == JwtAlgorithm::ES256 || algorithm == JwtAlgorithm::ES384) {
    auto converted = ecdsa_der(signature, algorithm == JwtAlgorithm::ES256 ? 32 : 48);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  if (context == nullptr) return false;
  EVP_PKEY_CTX* pkey_context = nullptr;
  bool ok = EVP_DigestVerifyInit_ex(context, &pkey_context, digest_name(algorithm), nullptr,
                                    nullptr, key.pkey.get(), nullptr) == 1;
  if (ok && algorithm == JwtAlgorithm::PS256) {
    // RFC 7518 §3.5: "The size of the salt value is the same size as the hash function output",
    // with MGF1 over the same hash (OpenSSL's default MGF1 digest is the signature's).
    ok = EVP_PKEY_CTX_set_rsa_padding(pkey_context, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_context, RSA_PSS_SALTLEN_DIGEST) == 1;
  } else if (ok && key.type == JwtKey::Type::Rsa) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pkey_context, RSA_PKCS1_PADDING) == 1;
  }
  ok = ok && EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()),
                              signature.size(),
                              reinterpret_cast<const unsigned char*>(input.data()),
                              input.size()) == 1;
  EVP_MD_CTX_free(context);
  return ok;
}

bool verify_signature(const JwtKey& key, JwtAlgorithm algorithm, std::string_view input,
                      std::string_view signature) {
  // The key's type, not the token, decides how it is used (RFC 8725 §3.1: "each key MUST be used
  // with exactly one algorithm").
  if (!key.can_verify(algorithm)) return false;
  const JwtKey::Material& material = key.material();
  if (material.type == JwtKey::Type::Hmac) {
    return verify_hmac(material, algorithm, input, signature);
  }
  return verify_asymmetric(material, algorithm, input, signature);
}

// A NumericDate (RFC 7519 §2: "A JSON numeric value representing the number of seconds from
// 1970-01-01T00:00:00Z UTC"); absent: nullopt; anything else: BadClaims.
struct Date {
  bool present = false;
  bool valid = true;
  double seconds = 0;
};
Date numeric_date(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return {};
  if (!it->is_number() || !std::isfinite(it->get<double>())) return {true, false, 0};
  return {true, true, it->get<double>()};
}

void split_scopes(std::string_view text, std::vector<std::string>& out) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find(' ', begin);
    if (end == std::string_view::npos) end = text.size();
    if (end > begin) out.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
}

std::optional<JwtError> check_claims(const JwtOptions& options, VerifiedJwt& jwt) {
  const nlohmann::json& claims = jwt.claims;
  const double now = std::chrono::duration<double>(
                         (options.clock ? options.clock() : std::chrono::system_clock::now())
                             .time_since_epoch())
                         .count();
  const double leeway = static_cast<double>(options.leeway.count());

  const Date exp = numeric_date(claims, "exp");
  const Date nbf = numeric_date(claims, "nbf");
  const Date iat = numeric_date(claims, "iat");
  if (!exp.valid || !nbf.valid || !iat.valid) return JwtError::BadClaims;
  // RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time listed in the
  // "exp" claim."
  if (!exp.present && options.require_expiry) return JwtError::MissingExpiry;
  if (exp.present && now >= exp.seconds + leeway) return JwtError::Expired;
  // RFC 7519 §4.1.5: "the current date/time MUST be after or equal to the not-before date/time
  // listed in the "nbf" claim."
  if (nbf.present && now + leeway < nbf.seconds) return JwtError::NotYetValid;
  // RFC 7519 §4.1.6 gives "iat" as the time of issue: one in the future is not a real token.
  if (iat.present && iat.seconds > now + leeway) return JwtError::IssuedInFuture;

  // RFC 7519 §4.1.1: "The processing of this claim is generally application specific."; RFC 8725
  // §3.8: "the relying application MUST validate that the cryptographic keys used for the
  // cryptographic operations in the JWT belong to the issuer."
  auto iss = claims.find("iss");
  if (iss != claims.end() && !iss->is_string()) return JwtError::BadClaims;
  if (!options.issuers.empty()) {
    if (iss == claims.end() || std::find(options.issuers.begin(), options.issuers.end(),
                                         iss->get_ref<const std::string&>()) ==
                                   options.issuers.end()) {
      return JwtError::WrongIssuer;
    }
  }
  // RFC 7519 §4.1.3: "If the principal processing the claim does not identify itself with a value
  // in the "aud" claim when this claim is present, then the JWT MUST be rejected." "In the general
  // case, the "aud" value is an array of case-sensitive strings ... In the special case when the
  // JWT has one audience, the "aud" value MAY be a single case-sensitive string".
  auto aud = claims.find("aud");
  std::vector<std::string> audiences;
  if (aud != claims.end()) {
    if (aud->is_string()) {
      audiences.push_back(aud->get<std::string>());
    } else if (aud->is_array()) {
      for (const auto& item : *aud) {
        if (!item.is_string()) return JwtError::BadClaims;
        audiences.push_back(item.get<std::string>());
      }
    } else {
      return JwtError::BadClaims;
    }
  }
  if (!options.audiences.empty()) {
    const bool named = std::any_of(audiences.begin(), audiences.end(), [&](const std::string& a) {
      return std::find(options.audiences.begin(), options.audiences.end(), a) !=
             options.audiences.end();
    });
    if (!named) return JwtError::WrongAudience;
  }

  // RFC 7519 §4.1.2: "The "sub" value is a case-sensitive string".
  if (auto sub = claims.find("sub"); sub != claims.end()) {
    if (!sub->is_string()) return JwtError::BadClaims;
    jwt.subject = sub->get<std::string>();
  }
  // RFC 8693 §4.2: "The value of the "scope" claim is a JSON string containing a space-separated
  // list of scopes"; "scp" is the older array form (or a string) some issuers send.
  if (auto scope = claims.find("scope"); scope != claims.end()) {
    if (!scope->is_string()) return JwtError::BadClaims;
    split_scopes(scope->get_ref<const std::string&>(), jwt.scopes);
  }
  if (auto scp = claims.find("scp"); scp != claims.end()) {
    if (scp->is_string()) {
      split_scopes(scp->get_ref<const std::string&>(), jwt.scopes);
    } else if (scp->is_array()) {
      for (const auto& item : *scp) {
        if (!item.is_string()) return JwtError::BadClaims;
        jwt.scopes.push_back(item.get<std::string>());
      }
    } else {
      return JwtError::BadClaims;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(JwtAlgorithm algorithm) {
  for (const auto& entry : kAlgorithms) {
    if (entry.algorithm == algorithm) return entry.name;
  }
  return "?";
}

std::optional<JwtAlgorithm> parse_jwt_algorithm(std::string_view name) {
  for (const auto& entry : kAlgorithms) {
    if (entry.name == name) return entry.algorithm;
  }
  return std::nullopt;
}

std::string_view to_string(JwtError error) {
  switch (error) {
    case JwtError::Oversize: return "oversize";
    case JwtError::Malformed: return "malformed";
    case JwtError::AlgorithmRefused: return "algorithm_refused";
    case JwtError::CriticalHeader: return "critical_header";
    case JwtError::WrongType: return "wrong_type";
    case JwtError::UnknownKey: return "unknown_key";
    case JwtError::KeysUnavailable: return "keys_unavailable";
    case JwtError::BadSignature: return "bad_signature";
    case JwtError::BadClaims: return "bad_claims";
    case JwtError::Expired: return "expired";
    case JwtError::MissingExpiry: return "missing_expiry";
    case JwtError::NotYetValid: return "not_yet_valid";
    case JwtError::IssuedInFuture: return "issued_in_future";
    case JwtError::WrongIssuer: return "wrong_issuer";
    case JwtError::WrongAudience: return "wrong_audience";
  }
  return "?";
}

std::string_view describe(JwtError error) {
  switch (error) {
    case JwtError::Oversize: return "the token is too large";
    case JwtError::Malformed: return "the token is malformed";
    case JwtError::AlgorithmRefused: return "the token's signature algorithm is not accepted";
    case JwtError::CriticalHeader: return "the token requires an unsupported extension";
    case JwtError::WrongType: return "the token is not of the expected type";
    case JwtError::UnknownKey: return "the token's signing key is unknown";
    case JwtError::KeysUnavailable: return "the signing keys are unavailable";
    case JwtError::BadSignature: return "the token's signature is invalid";
    case JwtError::BadClaims: return "the token's claims are malformed";
    case JwtError::Expired: return "the token has expired";
    case JwtError::MissingExpiry: return "the token has no expiry";
    case JwtError::NotYetValid: return "the token is not valid yet";
    case JwtError::IssuedInFuture: return "the token is issued in the future";
    case JwtError::WrongIssuer: return "the token's issuer is not accepted";
    case JwtError::WrongAudience: return "the token is not meant for this audience";
  }
  return "the token is invalid";
}

JwtVerifier::JwtVerifier(JwtOptions options, std::vector<JwtKey> keys)
    : JwtVerifier(std::move(options), std::make_shared<const StaticKeys>(std::move(keys))) {}

JwtVerifier::JwtVerifier(JwtOptions options, std::shared_ptr<const KeySource> keys)
    : options_(std::move(options)), keys_(std::move(keys)) {
  if (options_.algorithms.empty()) {
    throw std::invalid_argument("a JWT verifier needs at least one accepted algorithm");
  }
  if (!keys_) throw std::invalid_argument("a JWT verifier needs a key source");
}

JwtResult JwtVerifier::verify(std::string_view token) const {
  if (token.size() > options_.max_token_bytes) return JwtError::Oversize;
  // RFC 7515 §7.1: BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload) || '.'
  // || BASE64URL(JWS Signature). Anything but three parts (a JWE has five) is refused.
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return JwtError::Malformed;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return JwtError::Malformed;
  }
  const std::string_view header_part = token.substr(0, first);
  const std::string_view payload_part = token.substr(first + 1, second - first - 1);
  const std::string_view signature_part = token.substr(second + 1);

  auto header_text = detail::base64url_decode(header_part);
  if (!header_text) return JwtError::Malformed;
  auto header = detail::parse_json_object(*header_text, options_.max_json_depth);
  if (!header) return JwtError::Malformed;

  // RFC 8725 §3.1: "Each key MUST be used with exactly one algorithm" and libraries "MUST NOT use
  // any other algorithms" than the caller's set; "none" is in no such set (RFC 7518 §3.6: an
  // Unsecured JWS "MUST NOT be accepted" unless the application wants it, and ours never does).
  auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string()) return JwtError::Malformed;
  const auto algorithm = parse_jwt_algorithm(alg->get_ref<const std::string&>());
  if (!algorithm || std::find(options_.algorithms.begin(), options_.algorithms.end(),
                              *algorithm) == options_.algorithms.end()) {
    return JwtError::AlgorithmRefused;
  }
  // RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood and
  // supported by the recipient, then the JWS is invalid." We understand none.
  if (header->contains("crit")) return JwtError::CriticalHeader;
  if (options_.type) {
    auto typ = header->find("typ");
    if (typ == header->end() || !typ->is_string() ||
        !iequals(typ->get_ref<const std::string&>(), *options_.type)) {
      return JwtError::WrongType;
    }
  }
  std::optional<std::string> kid;
  if (auto it = header->find("kid"); it != header->end()) {
    if (!it->is_string()) return JwtError::Malformed;
    kid = it->get<std::string>();
  }

  auto payload_text = detail::base64url_decode(payload_part);
  auto signature = detail::base64url_decode(signature_part);
  if (!payload_text || !signature) return JwtError::Malformed;

  KeySource::Lookup lookup = keys_->find(kid);
  if (lookup.unavailable) return JwtError::KeysUnavailable;
  const std::string_view signing_input = token.substr(0, second);
  bool candidate = false;
  const JwtKey* verified_by = nullptr;
  for (const JwtKey& key : lookup.keys) {
    if (!key.can_verify(*algorithm)) continue;
    candidate = true;
    if (verify_signature(key, *algorithm, signing_input, *signature)) {
      verified_by = &key;
      break;
    }
  }
  if (!candidate) return JwtError::UnknownKey;
  if (verified_by == nullptr) return JwtError::BadSignature;

  // Only a signed payload is parsed. RFC 7519 §7.2: "verify that the resulting octet sequence is
  // a UTF-8-encoded representation of a completely valid JSON object".
  auto claims = detail::parse_json_object(*payload_text, options_.max_json_depth);
  if (!claims) return JwtError::Malformed;

  VerifiedJwt jwt;
  jwt.algorithm = *algorithm;
  jwt.key_id = verified_by->id();
  jwt.header = std::move(*header);
  jwt.claims = std::move(*claims);
  if (auto error = check_claims(options_, jwt)) return *error;
  return jwt;
}

AuthResult JwtVerifier::authenticate(const BearerCredential& credential,
                                     const AuthCheck& check) const {
  JwtResult result = verify(credential.token);
  if (const JwtError* error = std::get_if<JwtError>(&result)) {
    return AuthResult::reject(std::string(describe(*error)));
  }
  VerifiedJwt& jwt = std::get<VerifiedJwt>(result);
  Identity identity;
  identity.scheme = std::string(check.scheme.name);
  identity.subject = std::move(jwt.subject);
  identity.scopes = std::move(jwt.scopes);
  identity.claims = std::move(jwt.claims);
  return admit_with_scopes(std::move(identity), check);
}

}  // namespace oasgen::security
