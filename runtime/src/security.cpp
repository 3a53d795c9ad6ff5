#include "oasgen/security.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>

#include "base64.hpp"
#include "oasgen/operation.hpp"
#include "oasgen/params.hpp"
#include "oasgen/validation.hpp"

namespace oasgen {
namespace {

using Kind = SecurityScheme::Kind;

bool is_bearer_kind(const SecurityScheme& scheme) {
  return (scheme.kind == Kind::Http && scheme.scheme == "bearer") || scheme.kind == Kind::OAuth2 ||
         scheme.kind == Kind::OpenIdConnect;
}

bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
// (the same as RFC 9110's token68).
bool is_token68(std::string_view text) {
  std::size_t end = text.find_last_not_of('=');
  if (end == std::string_view::npos) return false;
  for (std::size_t i = 0; i <= end; ++i) {
    const char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-._~+/").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// The value of a quoted-string auth-param (RFC 9110 section 5.6.4). Spec text lands here (the realm,
// scope names): control characters are dropped so that nothing can end the header field.
std::string quoted_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string joined_scopes(const SecurityUse& use) {
  std::string out;
  for (std::size_t i = 0; i < use.scope_count; ++i) out += (i ? " " : "") + std::string(use.scopes[i]);
  return out;
}

// The Authorization header split into its scheme and the rest; nullopt when there is none.
struct Authorization {
  std::string_view scheme, rest;
};
std::variant<std::monostate, Authorization, std::string> authorization(const Request& request) {
  const auto fields = request.headers.get_all("Authorization");
  if (fields.empty()) return std::monostate{};
  // A singleton field (RFC 9110 section 11.6.2): two of them leave it unclear which one counts.
  if (fields.size() > 1) return std::string("more than one Authorization header");
  std::string_view value = fields.front();
  const std::size_t space = value.find(' ');
  Authorization result{value.substr(0, space), space == std::string_view::npos ? std::string_view() : value.substr(space + 1)};
  if (result.scheme.empty() || !std::all_of(result.scheme.begin(), result.scheme.end(), is_tchar)) {
    return std::string("malformed Authorization header");
  }
  while (!result.rest.empty() && (result.rest.front() == ' ' || result.rest.front() == '\t')) result.rest.remove_prefix(1);
  while (!result.rest.empty() && (result.rest.back() == ' ' || result.rest.back() == '\t')) result.rest.remove_suffix(1);
  return result;
}

std::variant<std::monostate, Credential, std::string> api_key(const Request& request,
                                                               const SecurityScheme& scheme) {
  ParamSpec spec;
  spec.name = scheme.parameter;
  spec.in = scheme.in;
  spec.style = scheme.in == Location::Header ? ParamStyle::Simple : ParamStyle::Form;
  Validator validator;
  auto value = decode_param(request, spec, validator);
  if (!validator.ok()) return std::string("malformed API key");
  if (!value) return std::monostate{};
  return Credential{ApiKeyCredential{value->get<std::string>()}};
}

}  // namespace

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
    if (!identity.has_scope(scope)) return AuthResult::insufficient_scope();
  }
  return AuthResult::admit(std::move(identity));
}

std::variant<std::monostate, Credential, std::string> extract_credential(const Request& request,
                                                                          const SecurityScheme& scheme) {
  if (scheme.kind == Kind::ApiKey) return api_key(request, scheme);
  if (scheme.kind == Kind::MutualTls) return std::monostate{};
  auto header = authorization(request);
  if (auto* fault = std::get_if<std::string>(&header)) return *fault;
  auto* found = std::get_if<Authorization>(&header);
  if (found == nullptr) return std::monostate{};
  // The auth-scheme is case-insensitive (RFC 9110 section 11.1).
  const std::string_view wanted = is_bearer_kind(scheme) ? "bearer" : scheme.scheme;
  if (!iequals(found->scheme, wanted)) return std::monostate{};
  if (is_bearer_kind(scheme)) {
    if (!is_token68(found->rest)) return std::string("malformed bearer token");
    return Credential{BearerCredential{std::string(found->rest)}};
  }
  if (wanted == "basic") {
    // RFC 7617 section 2: base64 of user-id ":" password; a user-id cannot contain ':'.
    auto decoded = is_token68(found->rest) ? detail::base64_decode(found->rest) : std::nullopt;
    const std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) return std::string("malformed basic credentials");
    return Credential{BasicCredential{decoded->substr(0, colon), decoded->substr(colon + 1)}};
  }
  return Credential{HttpCredential{std::string(found->scheme), std::string(found->rest)}};
}

namespace {

// How an alternative failed; a larger value is more specific (it wins when every alternative fails).
enum class Failure { Missing, Rejected, Malformed, InsufficientScope };

struct Attempt {
  Failure failure = Failure::Missing;
  const SecurityUse* use = nullptr;  // the use that failed
  std::string description;
};

// The challenge of one scheme (RFC 9110 section 11.6.1: a 401 MUST carry at least one). `error` is
// RFC 6750's error code for bearer schemes, or empty.
std::string challenge(const SecurityUse& use, std::string_view realm, std::string_view error) {
  const SecurityScheme& scheme = *use.scheme;
  if (is_bearer_kind(scheme)) {
    // RFC 6750 section 3: realm, scope (space-delimited) and error attributes.
    std::string out = "Bearer realm=" + quoted_string(realm);
    if (!error.empty()) out += ", error=" + quoted_string(error);
    if (use.scope_count > 0) out += ", scope=" + quoted_string(joined_scopes(use));
    return out;
  }
  if (scheme.kind == Kind::Http) {
    std::string name(scheme.scheme);
    if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    std::string out = name + " realm=" + quoted_string(realm);
    // RFC 7617 section 2.1: the only allowed charset value is UTF-8.
    if (scheme.scheme == "basic") out += ", charset=\"UTF-8\"";
    return out;
  }
  // apiKey has no registered scheme; this names where the key goes, to meet section 11.6.1's MUST.
  return "ApiKey realm=" + quoted_string(realm) + ", in=" + quoted_string(to_string(scheme.in)) +
         ", name=" + quoted_string(scheme.parameter);
}

std::string requirement_text(const OperationInfo& operation) {
  std::string text;
  for (std::size_t i = 0; i < operation.security_count;) {
    const std::size_t alternative = operation.security[i].alternative;
    std::string all;
    for (; i < operation.security_count && operation.security[i].alternative == alternative; ++i) {
      if (operation.security[i].scheme == nullptr) continue;
      all += (all.empty() ? "'" : " and '") + std::string(operation.security[i].scheme->name) + "'";
    }
    if (!all.empty()) text += (text.empty() ? "" : ", or ") + all;
  }
  return text;
}

Response failure_response(const OperationInfo& operation, std::string_view realm, const Attempt& worst) {
  Problem problem;
  std::vector<std::string> challenges;
  auto add = [&](std::string value) {
    if (std::find(challenges.begin(), challenges.end(), value) == challenges.end()) challenges.push_back(std::move(value));
  };
  const std::string scheme = worst.use ? "'" + std::string(worst.use->scheme->name) + "'" : "";
  const bool bearer = worst.use && is_bearer_kind(*worst.use->scheme);
  switch (worst.failure) {
    case Failure::Missing:
      problem.status = 401;
      problem.type = kProblemUnauthenticated;
      problem.detail = "this operation requires credentials: " + requirement_text(operation);
      break;
    case Failure::Rejected:
      problem.status = 401;
      problem.type = kProblemInvalidCredential;
      problem.detail = "the credential for " + scheme + " was not accepted";
      if (bearer) add(challenge(*worst.use, realm, "invalid_token"));
      break;
    case Failure::Malformed:
      problem.status = 400;
      problem.type = kProblemInvalidCredential;
      problem.detail = "the credential for " + scheme + " is malformed";
      if (bearer) add(challenge(*worst.use, realm, "invalid_request"));
      break;
    case Failure::InsufficientScope:
      problem.status = 403;
      problem.type = kProblemInsufficientScope;
      problem.detail = "the credential for " + scheme + " lacks a required scope";
      if (worst.use->scope_count > 0) problem.detail += " (required: " + joined_scopes(*worst.use) + ")";
      if (bearer) add(challenge(*worst.use, realm, "insufficient_scope"));
      break;
  }
  if (!worst.description.empty()) problem.detail += ": " + worst.description;
  if (problem.status == 401) {
    for (std::size_t i = 0; i < operation.security_count; ++i) {
      const SecurityUse& use = operation.security[i];
      if (use.scheme != nullptr && use.scheme->kind != Kind::MutualTls) {
        add(challenge(use, realm, ""));
      }
    }
  }
  Response response = problem_response(problem);
  // One field per challenge: a comma inside a quoted scope list cannot then be misread as a separator.
  for (auto& value : challenges) response.headers.add("WWW-Authenticate", std::move(value));
  return response;
}

}  // namespace

std::optional<Response> authorize(Request& request, const OperationInfo& operation,
                                  const RouteSecurity& security) {
  if (operation.security_count == 0) return std::nullopt;
  const Authenticate& authenticate = security.authenticate;
  std::optional<Attempt> worst;
  bool anonymous_allowed = false;
  bool presented = false;  // some credential was presented and found wanting
  auto note = [&](Attempt attempt) {
    if (!worst || attempt.failure > worst->failure) worst = std::move(attempt);
  };

  for (std::size_t i = 0; i < operation.security_count;) {
    const std::size_t alternative = operation.security[i].alternative;
    Principal principal{alternative, {}};
    bool admitted = true;
    for (; i < operation.security_count && operation.security[i].alternative == alternative; ++i) {
      const SecurityUse& use = operation.security[i];
      if (use.scheme == nullptr) {
        anonymous_allowed = true;
        admitted = false;
        continue;
      }
      if (!admitted) continue;  // an earlier scheme of this alternative failed: AND
      auto credential = extract_credential(request, *use.scheme);
      if (std::holds_alternative<std::monostate>(credential)) {
        note({Failure::Missing, &use, {}});
        admitted = false;
        continue;
      }
      presented = true;
      if (std::holds_alternative<std::string>(credential)) {
        note({Failure::Malformed, &use, std::get<std::string>(credential)});
        admitted = false;
        continue;
      }
      const AuthCheck check{operation.operation_id, *use.scheme, ScopeList{use.scopes, use.scope_count}, request};
      AuthResult result = authenticate ? authenticate(std::get<Credential>(credential), check) : AuthResult::reject();
      switch (result.outcome()) {
        case AuthResult::Outcome::Admitted:
          result.identity().scheme = std::string(use.scheme->name);
          principal.identities.push_back(std::move(result.identity()));
          break;
        case AuthResult::Outcome::Rejected:
          note({Failure::Rejected, &use, result.description()});
          admitted = false;
          break;
        case AuthResult::Outcome::InsufficientScope:
          note({Failure::InsufficientScope, &use, result.description()});
          admitted = false;
          break;
      }
    }
    if (admitted && !principal.identities.empty()) {
      request.principal = std::make_shared<const Principal>(std::move(principal));
      return std::nullopt;
    }
  }
  if (anonymous_allowed && !presented) return std::nullopt;
  return failure_response(operation, security.realm, worst.value_or(Attempt{}));
}

void warn_unauthenticated(std::string_view api) {
  std::cerr << "oasgen: " << api
            << ": no authenticator is registered; every operation that requires credentials answers 401\n";
}

}  // namespace oasgen
