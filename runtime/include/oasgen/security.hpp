// The spec's security requirements, as generated code describes them, and their enforcement:
// which credential a request presents for each scheme, what the application's authenticator says
// of it, and the 401/403 problem when no alternative admits the request.
//
// The rules (OpenAPI 3.1, "Security Requirement Object"): alternatives are OR, tried in the spec's
// order; the schemes of one alternative are AND; scopes belong to their alternative and are never
// merged. An empty alternative (`{}`) admits a request that presents none of the operation's
// credentials; a credential that is presented is still checked, and a bad one is refused.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "oasgen/context.hpp"
#include "oasgen/http.hpp"
#include "oasgen/problem.hpp"

namespace oasgen {

/// A security scheme of the spec (components/securitySchemes, or 2.0's securityDefinitions).
struct SecurityScheme {
  enum class Kind { ApiKey, Http, OAuth2, OpenIdConnect, MutualTls };
  std::string_view name;  ///< its key under components/securitySchemes
  Kind kind = Kind::Http;
  Location in = Location::Header;  ///< ApiKey: where the key goes
  std::string_view parameter;      ///< ApiKey: the header, query or cookie name
  std::string_view scheme;         ///< Http: "basic", "bearer", ... (lower case)
};

/// One scheme of one alternative of an operation's security requirement, with the scopes that
/// alternative requires of it. Alternatives are numbered from 0 in the spec's order, and the uses of
/// one alternative are adjacent. A null scheme is an empty alternative (no credential needed).
struct SecurityUse {
  std::size_t alternative = 0;
  const SecurityScheme* scheme = nullptr;
  const std::string_view* scopes = nullptr;
  std::size_t scope_count = 0;
};

// ---- credentials, one type per kind of scheme -----------------------------------------------------

/// apiKey: the key as sent (percent-decoded in a query or cookie).
struct ApiKeyCredential {
  std::string key;
};
/// http basic (RFC 7617): the user-id and password of `Authorization: Basic`.
struct BasicCredential {
  std::string username;
  std::string password;
};
/// http bearer (RFC 6750, any bearerFormat), oauth2 and openIdConnect: the token of
/// `Authorization: Bearer`.
struct BearerCredential {
  std::string token;
};
/// Any other http scheme: the `Authorization` header's scheme (as sent) and what follows it.
struct HttpCredential {
  std::string scheme;
  std::string parameters;
};
using Credential = std::variant<ApiKeyCredential, BasicCredential, BearerCredential, HttpCredential>;

/// The scopes an alternative requires of one scheme.
struct ScopeList {
  const std::string_view* data = nullptr;
  std::size_t size = 0;
  const std::string_view* begin() const { return data; }
  const std::string_view* end() const { return data + size; }
  bool empty() const { return size == 0; }
};

/// What an authenticator is asked about one credential.
struct AuthCheck {
  std::string_view operation;    ///< the operation's operationId
  const SecurityScheme& scheme;  ///< the scheme the credential is for
  ScopeList scopes;              ///< what this alternative requires of the scheme
  const Request& request;
};

/// An authenticator's answer.
class AuthResult {
 public:
  enum class Outcome { Admitted, Rejected, InsufficientScope };

  /// The credential is good and carries every required scope.
  static AuthResult admit(Identity identity);
  /// The credential is bad (unknown, expired, malformed, wrong signature): 401.
  /// `description` is sent to the client (RFC 6750's error_description): never put a credential
  /// or a secret in it.
  static AuthResult reject(std::string description = {});
  /// The credential is good but lacks a required scope: 403 (unless another alternative admits).
  static AuthResult insufficient_scope(std::string description = {});

  Outcome outcome() const { return outcome_; }
  bool admitted() const { return outcome_ == Outcome::Admitted; }
  const Identity& identity() const { return identity_; }
  Identity& identity() { return identity_; }
  const std::string& description() const { return description_; }

 private:
  Outcome outcome_ = Outcome::Rejected;
  Identity identity_;
  std::string description_;
};

/// Admits `identity` when it holds every scope `check` requires, else answers insufficient scope.
AuthResult admit_with_scopes(Identity identity, const AuthCheck& check);

/// The credential `request` presents for `scheme`: nullopt when it presents none (or one for
/// another scheme); a `std::string` describing the fault when it is malformed. Mutual TLS is never
/// presented (the server does not run TLS).
std::variant<std::monostate, Credential, std::string> extract_credential(const Request& request,
                                                                          const SecurityScheme& scheme);

/// Calls the application's authenticator method for `check.scheme`.
using Authenticate = std::function<AuthResult(const Credential&, const AuthCheck&)>;

/// How the router checks a route's operation: the application's authenticator (null: none is
/// registered, and every credential is rejected) and the `realm` of challenges (the API's title).
struct RouteSecurity {
  Authenticate authenticate;
  std::string_view realm;
};

struct OperationInfo;

/// Enforces the operation's security requirement on `request`; the router calls it once the route
/// is known, before the handler (and so before anything of the body is parsed). Returns nullopt
/// when an alternative admits it (setting `request.principal` when that alternative has schemes),
/// else the problem to send: 401 with `WWW-Authenticate` challenges when credentials are missing or
/// rejected, 403 when a presented credential lacks scopes, 400 for a malformed `Authorization`
/// header; of several failing alternatives, the most specific failure (403, then 400, then 401).
std::optional<Response> authorize(Request& request, const OperationInfo& operation,
                                  const RouteSecurity& security);

/// Reports on stderr that `api` was registered without an authenticator, so that every operation
/// requiring credentials answers 401 (what generated `register_routes(router, handler)` says at
/// start-up).
void warn_unauthenticated(std::string_view api);

}  // namespace oasgen
