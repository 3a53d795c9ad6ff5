// The JWT verifier: every algorithm, and every way a token is refused. Each refusal is shown by a
// token that is good but for the one thing that check catches.
#include <doctest/doctest.h>

#include <oasgen/security/jwt.hpp>

#include <chrono>
#include <string>

#include "jws_signer.hpp"

using oasgen::security::JwtAlgorithm;
using oasgen::security::JwtError;
using oasgen::security::JwtKey;
using oasgen::security::JwtOptions;
using oasgen::security::JwtResult;
using oasgen::security::JwtVerifier;
using oasgen::security::VerifiedJwt;
using nlohmann::json;

namespace {

constexpr long long kNow = 1'700'000'000;
const std::string kSecret(64, 's');  // long enough for HS512

struct Keys {
  jws::KeyPair rsa = jws::KeyPair::generate("RSA");
  jws::KeyPair rsa2 = jws::KeyPair::generate("RSA");
  jws::KeyPair p256 = jws::KeyPair::generate("P-256");
  jws::KeyPair p384 = jws::KeyPair::generate("P-384");
  jws::KeyPair ed = jws::KeyPair::generate("Ed25519");
};
const Keys& keys() {
  static const Keys instance;
  return instance;
}

JwtOptions options(std::vector<JwtAlgorithm> algorithms) {
  JwtOptions o;
  o.algorithms = std::move(algorithms);
  o.issuers = {"https://issuer.example"};
  o.audiences = {"pets"};
  o.leeway = std::chrono::seconds(30);
  o.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(kNow)); };
  return o;
}

json claims() {
  return {{"iss", "https://issuer.example"}, {"aud", "pets"}, {"sub", "alice"},
          {"iat", kNow - 10}, {"exp", kNow + 600}, {"scope", "pets:read pets:write"}};
}

// A verifier of RS256 tokens by `keys().rsa` (kid "r1"), and a good token for it.
JwtVerifier rs256() {
  return JwtVerifier(options({JwtAlgorithm::RS256}),
                     {JwtKey::from_pem(keys().rsa.public_pem(), "r1")});
}
std::string rs256_token(const json& payload = claims(), json header = {{"alg", "RS256"}}) {
  if (!header.contains("kid")) header["kid"] = "r1";
  return jws::token(keys().rsa, header, payload);
}

JwtError error_of(const JwtResult& result) {
  if (const auto* error = std::get_if<JwtError>(&result)) return *error;
  FAIL("the token was accepted");
  return JwtError::Malformed;
}
VerifiedJwt accepted(const JwtResult& result) {
  if (const auto* error = std::get_if<JwtError>(&result)) {
    FAIL("refused: " << oasgen::security::to_string(*error));
  }
  return std::get<VerifiedJwt>(result);
}

}  // namespace

TEST_CASE("jwt: every algorithm verifies its own tokens, from PEM and from a JWK") {
  const Keys& k = keys();
  struct Case {
    const char* alg;
    const jws::KeyPair* key;
  } cases[] = {{"RS256", &k.rsa}, {"RS384", &k.rsa}, {"RS512", &k.rsa}, {"PS256", &k.rsa},
               {"ES256", &k.p256}, {"ES384", &k.p384}, {"EdDSA", &k.ed}};
  for (const Case& c : cases) {
    CAPTURE(c.alg);
    const auto alg = *oasgen::security::parse_jwt_algorithm(c.alg);
    const std::string token = jws::token(*c.key, {{"alg", c.alg}, {"kid", "k"}}, claims());
    const VerifiedJwt by_pem =
        accepted(JwtVerifier(options({alg}), {JwtKey::from_pem(c.key->public_pem())}).verify(token));
    CHECK(by_pem.algorithm == alg);
    CHECK(by_pem.subject == "alice");
    CHECK(accepted(JwtVerifier(options({alg}), {JwtKey::from_jwk(c.key->public_jwk("k", c.alg))})
                       .verify(token))
              .key_id == "k");
  }
  for (const char* alg : {"HS256", "HS384", "HS512"}) {
    CAPTURE(alg);
    const std::string token = jws::hmac_token(kSecret, {{"alg", alg}}, claims());
    accepted(JwtVerifier(options({*oasgen::security::parse_jwt_algorithm(alg)}),
                         {JwtKey::hmac(kSecret)})
                 .verify(token));
  }
}

TEST_CASE("jwt: the claims give the subject, the scopes and the claims") {
  json payload = claims();
  payload["scp"] = {"admin"};
  payload["tenant"] = "t1";
  const VerifiedJwt jwt = accepted(rs256().verify(rs256_token(payload)));
  CHECK(jwt.scopes == std::vector<std::string>{"pets:read", "pets:write", "admin"});
  CHECK(jwt.claims["tenant"] == "t1");
  CHECK(jwt.header["kid"] == "r1");
  payload.erase("scope");
  payload["scp"] = "a  b";
  CHECK(accepted(rs256().verify(rs256_token(payload))).scopes ==
        std::vector<std::string>{"a", "b"});
}

TEST_CASE("jwt: a token over the size limit is refused before it is parsed") {
  JwtOptions o = options({JwtAlgorithm::RS256});
  const std::string token = rs256_token();
  o.max_token_bytes = token.size();
  JwtVerifier verifier(o, {JwtKey::from_pem(keys().rsa.public_pem(), "r1")});
  accepted(verifier.verify(token));
  CHECK(error_of(verifier.verify(token + "A")) == JwtError::Oversize);
  CHECK(error_of(verifier.verify(std::string(token.size() + 1, '!'))) == JwtError::Oversize);
  CHECK(error_of(rs256().verify(std::string(8 * 1024 + 1, 'a'))) == JwtError::Oversize);
}

TEST_CASE("jwt: malformed tokens") {
  const std::string good = rs256_token();
  const std::size_t dot = good.find('.');
  const std::string header = good.substr(0, dot);
  const std::string rest = good.substr(dot);
  const JwtVerifier verifier = rs256();
  const std::string cases[] = {
      "",
      "abc",
      header + rest.substr(0, rest.rfind('.')),      // two parts
      good + ".AAAA",                                // four parts
      header + "=" + rest,                           // padding
      "eyJhbGciOiJSUzI1NiJ9+" + rest,                // not base64url
      jws::b64("{\"alg\":\"RS256\"") + rest,         // not JSON
      jws::b64("[\"RS256\"]") + rest,                // not an object
      jws::b64("{\"alg\":256}") + rest,              // alg not a string
      jws::b64("{\"alg\":\"RS256\",\"kid\":1}") + rest,  // kid not a string
      jws::b64("{\"alg\":\"RS256\",\"x\":" + std::string(20, '[') + std::string(20, ']') + "}") +
          rest,  // too deep
  };
  for (const std::string& token : cases) {
    CAPTURE(token);
    CHECK(error_of(verifier.verify(token)) == JwtError::Malformed);
  }
  // Non-canonical base64url: a header whose last character differs only in its unused bits.
  {
    const std::string input = jws::signing_input({{"alg", "RS256"}, {"x", "a"}}, claims());
    const std::string token = input + "." + jws::b64(keys().rsa.sign("RS256", input));
    const std::size_t end = token.find('.');
    REQUIRE(end % 4 != 0);  // the header has unused bits
    accepted(JwtVerifier(options({JwtAlgorithm::RS256}), {JwtKey::from_pem(keys().rsa.public_pem())})
                 .verify(token));
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string changed = token;
    changed[end - 1] = alphabet[alphabet.find(token[end - 1]) + 1];
    CHECK(error_of(verifier.verify(changed)) == JwtError::Malformed);
  }
  // Signed, but the payload is not a JSON object, or too deep.
  for (const std::string& payload : {std::string("[1]"), std::string("{\"a\":") +
                                                             std::string(20, '[') +
                                                             std::string(20, ']') + "}"}) {
    const std::string input = header + "." + jws::b64(payload);
    const std::string token = input + "." + jws::b64(keys().rsa.sign("RS256", input));
    CHECK(error_of(verifier.verify(token)) == JwtError::Malformed);
  }
}

TEST_CASE("jwt: alg none and algorithms outside the configuration are refused") {
  const JwtVerifier verifier = rs256();
  for (const char* alg : {"none", "None", "NONE", "", "HS1", "RS1"}) {
    CAPTURE(alg);
    const std::string unsigned_token =
        jws::signing_input({{"alg", alg}, {"kid", "r1"}}, claims()) + ".";
    CHECK(error_of(verifier.verify(unsigned_token)) == JwtError::AlgorithmRefused);
  }
  // A token signed by a key the verifier holds, with an algorithm it was not configured for.
  JwtVerifier both(options({JwtAlgorithm::RS256}),
                   {JwtKey::from_pem(keys().rsa.public_pem()),
                    JwtKey::from_pem(keys().p256.public_pem())});
  CHECK(error_of(both.verify(jws::token(keys().p256, {{"alg", "ES256"}}, claims()))) ==
        JwtError::AlgorithmRefused);
  CHECK(error_of(both.verify(jws::token(keys().rsa, {{"alg", "PS256"}}, claims()))) ==
        JwtError::AlgorithmRefused);
}

TEST_CASE("jwt: a key verifies only the algorithms of its type") {
  // The classic confusion: HS256 with the RSA public key's PEM text as the HMAC secret.
  const std::string pem = keys().rsa.public_pem();
  const std::string forged = jws::hmac_token(pem, {{"alg", "HS256"}, {"kid", "r1"}}, claims());
  JwtVerifier verifier(options({JwtAlgorithm::RS256, JwtAlgorithm::HS256}),
                       {JwtKey::from_pem(pem, "r1")});
  CHECK(error_of(verifier.verify(forged)) == JwtError::UnknownKey);
  // Nor the JWK form's text, nor the modulus.
  JwtVerifier by_jwk(options({JwtAlgorithm::RS256, JwtAlgorithm::HS256}),
                     {JwtKey::from_jwk(keys().rsa.public_jwk("r1"))});
  CHECK(error_of(by_jwk.verify(jws::hmac_token(keys().rsa.public_jwk("r1").dump(),
                                               {{"alg", "HS256"}, {"kid", "r1"}}, claims()))) ==
        JwtError::UnknownKey);
  // A JWK bound to RS256 does not verify PS256 with the same key.
  JwtVerifier bound(options({JwtAlgorithm::RS256, JwtAlgorithm::PS256}),
                    {JwtKey::from_jwk(keys().rsa.public_jwk("r1", "RS256"))});
  accepted(bound.verify(rs256_token()));
  CHECK(error_of(bound.verify(jws::token(keys().rsa, {{"alg", "PS256"}, {"kid", "r1"}},
                                         claims()))) == JwtError::UnknownKey);
  // An ES384 token is never checked with a P-256 key.
  JwtVerifier curves(options({JwtAlgorithm::ES256, JwtAlgorithm::ES384}),
                     {JwtKey::from_pem(keys().p256.public_pem())});
  CHECK(error_of(curves.verify(jws::token(keys().p384, {{"alg", "ES384"}}, claims()))) ==
        JwtError::UnknownKey);
  // An HMAC secret shorter than the hash (RFC 7518 §3.2), and an RSA key under 2048 bits.
  const std::string short_secret(32, 'x');
  JwtVerifier hs512(options({JwtAlgorithm::HS512}), {JwtKey::hmac(short_secret)});
  CHECK(error_of(hs512.verify(jws::hmac_token(short_secret, {{"alg", "HS512"}}, claims()))) ==
        JwtError::UnknownKey);
  const auto weak = jws::KeyPair::generate("RSA1024");
  JwtVerifier small(options({JwtAlgorithm::RS256}), {JwtKey::from_pem(weak.public_pem())});
  CHECK(error_of(small.verify(jws::token(weak, {{"alg", "RS256"}}, claims()))) ==
        JwtError::UnknownKey);
}

TEST_CASE("jwt: crit and typ") {
  CHECK(error_of(rs256().verify(rs256_token(claims(), {{"alg", "RS256"}, {"crit", {"exp"}},
                                                        {"exp", 1}}))) ==
        JwtError::CriticalHeader);
  JwtOptions o = options({JwtAlgorithm::RS256});
  o.type = "at+jwt";
  JwtVerifier typed(o, {JwtKey::from_pem(keys().rsa.public_pem())});
  accepted(typed.verify(rs256_token(claims(), {{"alg", "RS256"}, {"typ", "AT+JWT"}})));
  CHECK(error_of(typed.verify(rs256_token(claims(), {{"alg", "RS256"}, {"typ", "JWT"}}))) ==
        JwtError::WrongType);
  CHECK(error_of(typed.verify(rs256_token())) == JwtError::WrongType);
}

TEST_CASE("jwt: the key is chosen by kid") {
  JwtVerifier verifier(options({JwtAlgorithm::RS256}),
                       {JwtKey::from_pem(keys().rsa.public_pem(), "r1"),
                        JwtKey::from_pem(keys().rsa2.public_pem(), "r2")});
  accepted(verifier.verify(rs256_token()));
  CHECK(accepted(verifier.verify(jws::token(keys().rsa2, {{"alg", "RS256"}, {"kid", "r2"}},
                                            claims())))
            .key_id == "r2");
  CHECK(error_of(verifier.verify(rs256_token(claims(), {{"alg", "RS256"}, {"kid", "r3"}}))) ==
        JwtError::UnknownKey);
  // r1's token labelled r2 is checked with r2 only.
  CHECK(error_of(verifier.verify(rs256_token(claims(), {{"alg", "RS256"}, {"kid", "r2"}}))) ==
        JwtError::BadSignature);
  // Without a kid, every key of the right type is tried.
  accepted(verifier.verify(jws::token(keys().rsa2, {{"alg", "RS256"}}, claims())));
}

TEST_CASE("jwt: bad signatures") {
  const JwtVerifier verifier = rs256();
  const std::string good = rs256_token();
  // Another key under the same kid.
  CHECK(error_of(verifier.verify(jws::token(keys().rsa2, {{"alg", "RS256"}, {"kid", "r1"}},
                                            claims()))) == JwtError::BadSignature);
  // A tampered payload with the original signature.
  json other = claims();
  other["sub"] = "mallory";
  const std::string tampered = rs256_token(other);
  const std::string spliced = tampered.substr(0, tampered.rfind('.')) + good.substr(good.rfind('.'));
  CHECK(error_of(verifier.verify(spliced)) == JwtError::BadSignature);
  // A truncated signature, cut to a whole number of base64 quanta (else it is malformed).
  const std::size_t signature_at = good.rfind('.') + 1;
  const std::size_t kept = (good.size() - signature_at) / 4 * 4 - 4;
  CHECK(error_of(verifier.verify(good.substr(0, signature_at + kept))) == JwtError::BadSignature);
  // A MAC with one byte changed, and a truncated MAC.
  JwtVerifier hs(options({JwtAlgorithm::HS256}), {JwtKey::hmac(kSecret)});
  const std::string input = jws::signing_input({{"alg", "HS256"}}, claims());
  std::string mac = jws::hmac("HS256", kSecret, input);
  accepted(hs.verify(input + "." + jws::b64(mac)));
  CHECK(error_of(hs.verify(input + "." + jws::b64(mac.substr(0, 16)))) == JwtError::BadSignature);
  mac[31] = static_cast<char>(mac[31] ^ 1);
  CHECK(error_of(hs.verify(input + "." + jws::b64(mac))) == JwtError::BadSignature);
}

TEST_CASE("jwt: ECDSA signatures of the wrong length are refused before conversion") {
  JwtVerifier verifier(options({JwtAlgorithm::ES256}), {JwtKey::from_pem(keys().p256.public_pem())});
  const std::string input = jws::signing_input({{"alg", "ES256"}}, claims());
  const std::string raw = keys().p256.sign("ES256", input);
  REQUIRE(raw.size() == 64);
  accepted(verifier.verify(input + "." + jws::b64(raw)));
  // R || S with a leading zero byte on R: the same numbers, 65 bytes.
  const std::string padded = std::string(1, '\0') + raw;
  CHECK(error_of(verifier.verify(input + "." + jws::b64(padded))) == JwtError::BadSignature);
  CHECK(error_of(verifier.verify(input + "." + jws::b64(raw.substr(0, 63)))) ==
        JwtError::BadSignature);
  // The DER form OpenSSL itself would take.
  const std::string der = std::string("\x30\x44\x02\x20", 4) + raw.substr(0, 32) + std::string("\x02\x20", 2) +
        raw.substr(32);
  CHECK(error_of(verifier.verify(input + "." + jws::b64(der))) == JwtError::BadSignature);
  // 96 bytes are ES384's length, not ES256's.
  CHECK(error_of(verifier.verify(input + "." + jws::b64(raw + raw.substr(0, 32)))) ==
        JwtError::BadSignature);
}

TEST_CASE("jwt: registered claims of the wrong type") {
  const std::pair<const char*, json> cases[] = {
      {"exp", "2030-01-01"}, {"nbf", true},  {"iat", json::array()}, {"iss", 7},
      {"aud", 7},            {"aud", {"pets", 7}}, {"sub", 1},       {"scope", {"a"}},
      {"scp", {{"a", 1}}},   {"scp", {1}}};
  for (const auto& [name, value] : cases) {
    // C++17: a lambda (CAPTURE) cannot capture a structured binding.
    const std::string captured_name = name, captured_value = value.dump();
    CAPTURE(captured_name);
    CAPTURE(captured_value);
    json payload = claims();
    payload[name] = value;
    CHECK(error_of(rs256().verify(rs256_token(payload))) == JwtError::BadClaims);
  }
}

TEST_CASE("jwt: exp, nbf and iat with the leeway") {
  const JwtVerifier verifier = rs256();
  auto with = [](const char* name, json value) {
    json payload = claims();
    if (value.is_null()) {
      payload.erase(name);
    } else {
      payload[name] = value;
    }
    return rs256_token(payload);
  };
  // exp: refused once now >= exp + leeway (30 s).
  accepted(verifier.verify(with("exp", kNow - 29)));
  accepted(verifier.verify(with("exp", kNow - 29.5)));
  CHECK(error_of(verifier.verify(with("exp", kNow - 30))) == JwtError::Expired);
  CHECK(error_of(verifier.verify(with("exp", kNow - 3600))) == JwtError::Expired);
  CHECK(error_of(verifier.verify(with("exp", nullptr))) == JwtError::MissingExpiry);
  JwtOptions lax = options({JwtAlgorithm::RS256});
  lax.require_expiry = false;
  accepted(JwtVerifier(lax, {JwtKey::from_pem(keys().rsa.public_pem())})
               .verify(with("exp", nullptr)));
  // nbf: refused while now + leeway < nbf.
  accepted(verifier.verify(with("nbf", kNow + 30)));
  CHECK(error_of(verifier.verify(with("nbf", kNow + 31))) == JwtError::NotYetValid);
  // iat: refused when later than now + leeway.
  accepted(verifier.verify(with("iat", kNow + 30)));
  CHECK(error_of(verifier.verify(with("iat", kNow + 31))) == JwtError::IssuedInFuture);
}

TEST_CASE("jwt: iss and aud") {
  const JwtVerifier verifier = rs256();
  json payload = claims();
  payload["iss"] = "https://evil.example";
  CHECK(error_of(verifier.verify(rs256_token(payload))) == JwtError::WrongIssuer);
  payload.erase("iss");
  CHECK(error_of(verifier.verify(rs256_token(payload))) == JwtError::WrongIssuer);

  payload = claims();
  payload["aud"] = {"other", "pets"};
  accepted(verifier.verify(rs256_token(payload)));
  payload["aud"] = {"other", "Pets"};
  CHECK(error_of(verifier.verify(rs256_token(payload))) == JwtError::WrongAudience);
  payload["aud"] = "other";
  CHECK(error_of(verifier.verify(rs256_token(payload))) == JwtError::WrongAudience);
  payload.erase("aud");
  CHECK(error_of(verifier.verify(rs256_token(payload))) == JwtError::WrongAudience);

  // Not configured: not checked.
  JwtOptions open = options({JwtAlgorithm::RS256});
  open.issuers.clear();
  open.audiences.clear();
  accepted(JwtVerifier(open, {JwtKey::from_pem(keys().rsa.public_pem())}).verify(rs256_token(payload)));
}

TEST_CASE("jwt: authenticate admits, rejects with a fixed description, or lacks scopes") {
  const JwtVerifier verifier = rs256();
  oasgen::SecurityScheme scheme;
  scheme.name = "bearerAuth";
  scheme.kind = oasgen::SecurityScheme::Kind::Http;
  scheme.scheme = "bearer";
  oasgen::Request request;
  const std::string_view read[] = {"pets:read"};
  const std::string_view admin[] = {"admin"};

  const oasgen::AuthCheck check{"getPet", scheme, {read, 1}, request};
  oasgen::AuthResult result = verifier.authenticate({rs256_token()}, check);
  REQUIRE(result.admitted());
  CHECK(result.identity().scheme == "bearerAuth");
  CHECK(result.identity().subject == "alice");
  CHECK(result.identity().claims["iss"] == "https://issuer.example");

  const oasgen::AuthCheck needs_admin{"deletePet", scheme, {admin, 1}, request};
  CHECK(verifier.authenticate({rs256_token()}, needs_admin).outcome() ==
        oasgen::AuthResult::Outcome::InsufficientScope);

  json payload = claims();
  payload["exp"] = kNow - 3600;
  const std::string expired = rs256_token(payload);
  result = verifier.authenticate({expired}, check);
  CHECK(result.outcome() == oasgen::AuthResult::Outcome::Rejected);
  CHECK(result.description() == "the token has expired");
}

TEST_CASE("jwt: configuration errors") {
  CHECK_THROWS_AS(JwtVerifier(options({}), {JwtKey::hmac(kSecret)}), std::invalid_argument);
  CHECK_THROWS_AS(JwtVerifier(options({JwtAlgorithm::HS256}),
                              std::shared_ptr<const oasgen::security::KeySource>()),
                  std::invalid_argument);
  for (JwtError error : {JwtError::Oversize, JwtError::BadSignature, JwtError::WrongAudience}) {
    CHECK(!oasgen::security::describe(error).empty());
  }
  CHECK(oasgen::security::describe(JwtError::Expired) == "the token has expired");
  CHECK(oasgen::security::to_string(JwtAlgorithm::EdDSA) == "EdDSA");
  CHECK(!oasgen::security::parse_jwt_algorithm("none"));
  CHECK(!oasgen::security::parse_jwt_algorithm("hs256"));
}
