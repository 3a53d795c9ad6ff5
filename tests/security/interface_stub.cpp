// Until the lead's runtime/src/security.cpp (and context.cpp) land, the few definitions of
// oasgen/security.hpp and oasgen/context.hpp the authenticators call, so that their tests link.
// tests/security/CMakeLists.txt compiles this file only while runtime/src/security.cpp is absent.
#include <algorithm>

#include "oasgen/security.hpp"

namespace oasgen {

bool Identity::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

AuthResult AuthResult::admit(Identity identity) {
  AuthResult result;
  result.outcome_ = Outcome::Admitted;
  result.identity_ = std::move(identity);
  return result;
}

AuthResult AuthResult::reject(std::string description) {
  AuthResult result;
  result.outcome_ = Outcome::Rejected;
  result.description_ = std::move(description);
  return result;
}

AuthResult AuthResult::insufficient_scope(std::string description) {
  AuthResult result;
  result.outcome_ = Outcome::InsufficientScope;
  result.description_ = std::move(description);
  return result;
}

AuthResult admit_with_scopes(Identity identity, const AuthCheck& check) {
  for (std::string_view scope : check.scopes) {
    if (!identity.has_scope(scope)) return AuthResult::insufficient_scope("a scope is missing");
  }
  return AuthResult::admit(std::move(identity));
}

}  // namespace oasgen
