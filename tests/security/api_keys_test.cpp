// API keys against stored SHA-256 digests.
#include <doctest/doctest.h>

#include <oasgen/security/api_keys.hpp>

using oasgen::security::ApiKeyStore;

namespace {
struct Check {
  oasgen::SecurityScheme scheme;
  oasgen::Request request;
  Check() {
    scheme.name = "apiKey";
    scheme.kind = oasgen::SecurityScheme::Kind::ApiKey;
    scheme.parameter = "X-API-Key";
  }
  oasgen::AuthCheck with(const std::string_view* scopes, std::size_t count) const {
    return {"listPets", scheme, {scopes, count}, request};
  }
};
}  // namespace

TEST_CASE("api keys: a digest of the key, in hex") {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  CHECK(ApiKeyStore::digest_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("api keys: known keys admit their owner, with the scopes checked") {
  ApiKeyStore store;
  store.add_key("key-one", {"billing", {"invoices:read"}});
  store.add_digest(ApiKeyStore::digest_hex("key-two"), {"reports", {}});
  store.add_digest("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", {"abc", {}});
  CHECK(store.size() == 3);
  CHECK(store.find("key-one")->subject == "billing");
  CHECK(store.find("key-two")->subject == "reports");
  CHECK(store.find("abc")->subject == "abc");
  CHECK_FALSE(store.find("key-three"));
  CHECK_FALSE(store.find("key-on"));
  CHECK_FALSE(store.find(""));
  CHECK_FALSE(store.find(std::string(5000, 'k')));

  Check check;
  const std::string_view read[] = {"invoices:read"};
  oasgen::AuthResult result = store.authenticate({"key-one"}, check.with(read, 1));
  REQUIRE(result.admitted());
  CHECK(result.identity().scheme == "apiKey");
  CHECK(result.identity().subject == "billing");
  CHECK(store.authenticate({"key-two"}, check.with(read, 1)).outcome() ==
        oasgen::AuthResult::Outcome::InsufficientScope);
  result = store.authenticate({"key-zero"}, check.with(nullptr, 0));
  CHECK(result.outcome() == oasgen::AuthResult::Outcome::Rejected);
  CHECK(result.description() == "the API key is not valid");
}

TEST_CASE("api keys: bad configuration is refused") {
  ApiKeyStore store;
  CHECK_THROWS_AS(store.add_key("", {"x", {}}), std::invalid_argument);
  CHECK_THROWS_AS(store.add_digest("abc", {"x", {}}), std::invalid_argument);
  CHECK_THROWS_AS(store.add_digest(std::string(64, 'g'), {"x", {}}), std::invalid_argument);
  CHECK(store.size() == 0);
}
