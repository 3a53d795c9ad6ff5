// The test authenticators of specs/security.yaml: the credentials they recognise, their shared
// judgement, and an Authenticator for the spec's eight schemes in whichever namespace a test
// generates it: every scheme hands its secret to one judgement, and Basic also requires the user
// "alice".
#pragma once

#include <oasgen/security.hpp>

#include <string_view>
#include <utility>

namespace security_test {

using namespace oasgen;

// What `judge` recognises; anything else is rejected.
inline constexpr std::string_view kGood = "good-credential";          // every scope it is asked for
inline constexpr std::string_view kUnscoped = "unscoped-credential";  // no scope at all
inline constexpr std::string_view kBad = "bad-credential";

/// The subject is "alice" for every good credential.
inline AuthResult judge(std::string_view secret, const AuthCheck& check) {
  Identity identity;
  identity.subject = "alice";
  if (secret == kGood) {
    for (std::string_view scope : check.scopes) identity.scopes.emplace_back(scope);
    return AuthResult::admit(std::move(identity));
  }
  if (secret == kUnscoped) return admit_with_scopes(std::move(identity), check);
  return AuthResult::reject("unknown credential");
}

using Judgement = AuthResult (*)(std::string_view secret, const AuthCheck& check);

template <class Authenticator>
class SecretJudge : public Authenticator {
 public:
  explicit SecretJudge(Judgement judgement = judge) : judgement_(judgement) {}

  AuthResult basic(const BasicCredential& c, const AuthCheck& check) override {
    return c.username == "alice" ? judgement_(c.password, check) : AuthResult::reject("unknown user");
  }
  AuthResult bearer(const BearerCredential& c, const AuthCheck& check) override {
    return judgement_(c.token, check);
  }
  AuthResult header_key(const ApiKeyCredential& c, const AuthCheck& check) override {
    return judgement_(c.key, check);
  }
  AuthResult hoba(const HttpCredential& c, const AuthCheck& check) override {
    return judgement_(c.parameters, check);
  }
  AuthResult oauth(const BearerCredential& c, const AuthCheck& check) override {
    return judgement_(c.token, check);
  }
  AuthResult oidc(const BearerCredential& c, const AuthCheck& check) override {
    return judgement_(c.token, check);
  }
  AuthResult query_key(const ApiKeyCredential& c, const AuthCheck& check) override {
    return judgement_(c.key, check);
  }
  AuthResult session(const ApiKeyCredential& c, const AuthCheck& check) override {
    return judgement_(c.key, check);
  }

 private:
  Judgement judgement_;
};

}  // namespace security_test
