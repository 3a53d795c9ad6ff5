#include "render/security_view.hpp"

#include "render/view_util.hpp"
#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using json = ViewJson;

const char* kind_name(model::SecurityKind kind) {
  switch (kind) {
    case model::SecurityKind::ApiKey: return "oasgen::SecurityScheme::Kind::ApiKey";
    case model::SecurityKind::Http: return "oasgen::SecurityScheme::Kind::Http";
    case model::SecurityKind::OAuth2: return "oasgen::SecurityScheme::Kind::OAuth2";
    case model::SecurityKind::OpenIdConnect: return "oasgen::SecurityScheme::Kind::OpenIdConnect";
    case model::SecurityKind::MutualTls: return "oasgen::SecurityScheme::Kind::MutualTls";
  }
  return "";
}


// The runtime credential type an authenticator method of this scheme receives.
const char* credential_type(const model::SecurityScheme& scheme) {
  switch (scheme.kind) {
    case model::SecurityKind::ApiKey: return "oasgen::ApiKeyCredential";
    case model::SecurityKind::Http:
      if (scheme.scheme == "basic") return "oasgen::BasicCredential";
      if (scheme.scheme == "bearer") return "oasgen::BearerCredential";
      return "oasgen::HttpCredential";
    default: return "oasgen::BearerCredential";
  }
}

// "http bearer (JWT)", "apiKey in header 'X-API-Key'", ...: how the credential arrives.
std::string scheme_summary(const model::SecurityScheme& scheme) {
  switch (scheme.kind) {
    case model::SecurityKind::ApiKey:
      return std::string("apiKey in ") +
             (scheme.in == model::ParamIn::Query ? "query" : scheme.in == model::ParamIn::Cookie ? "cookie" : "header") +
             " '" + scheme.parameter + "'";
    case model::SecurityKind::Http:
      return "http " + scheme.scheme + (scheme.bearer_format.empty() ? "" : " (" + scheme.bearer_format + ")");
    case model::SecurityKind::OAuth2: return "oauth2: a bearer token and its scopes";
    case model::SecurityKind::OpenIdConnect: return "openIdConnect: a bearer token and its scopes";
    case model::SecurityKind::MutualTls: return "mutualTLS";
  }
  return "";
}


}  // namespace

void add_security_view(const cpp::Api& api, json& view) {
  const auto& schemes = api.model->security_schemes;
  view["security_schemes"] = json::array();
  view["authenticator_methods"] = json::array();
  for (std::size_t i = 0; i < schemes.size(); ++i) {
    const auto& scheme = schemes[i];
    view["security_schemes"].push_back({{"name", cpp_string_literal(scheme.name)},
                                        {"kind", kind_name(scheme.kind)},
                                        {"in", location_name(scheme.in)},
                                        {"parameter", cpp_string_literal(scheme.parameter)},
                                        {"scheme", cpp_string_literal(scheme.scheme)}});
    const std::string& method = api.authenticator_methods[i];
    if (method.empty()) continue;
    view["authenticator_methods"].push_back(
        {{"method", method},
         {"credential", credential_type(scheme)},
         {"name_literal", cpp_string_literal(scheme.name)},
         {"doc", doc_json({"`" + scheme.name + "`: " + scheme_summary(scheme) + ".", scheme.description})}});
  }
  view["has_security_schemes"] = !schemes.empty();
  view["has_authenticator"] = !view["authenticator_methods"].empty();
  view["realm"] = cpp_string_literal(api.model->title.empty() ? std::string("api") : api.model->title);
  bool secured = false;
  for (const auto& op : api.model->operations) secured = secured || !op.security.empty();
  view["has_secured_operations"] = secured;
}

json operation_security_view(const cpp::Operation& op) {
  const auto& security = op.source->security;
  // kListPetsParams -> kListPetsSecurity, kListPetsScopes: as unique as the parameter tables.
  const std::string stem = op.params_const.substr(0, op.params_const.size() - 6);
  json uses = json::array();
  json scopes = json::array();
  for (std::size_t a = 0; a < security.size(); ++a) {
    const std::string alternative = std::to_string(a);
    if (security[a].schemes.empty()) uses.push_back({{"use", "{" + alternative + ", nullptr}"}});
    for (const auto& [index, names] : security[a].schemes) {
      std::string use = "{" + alternative + ", &kSecuritySchemes[" + std::to_string(index) + "]";
      if (!names.empty()) {
        use += ", " + stem + "Scopes + " + std::to_string(scopes.size()) + ", " + std::to_string(names.size());
      }
      uses.push_back({{"use", use + "}"}});
      for (const auto& name : names) scopes.push_back({{"scope", cpp_string_literal(name)}});
    }
  }
  const std::string security_const = stem + "Security";
  return {{"security_const", security_const},
          {"scopes_const", stem + "Scopes"},
          {"security_uses", uses},
          {"scopes", scopes},
          {"has_scopes", !scopes.empty()},
          {"has_security", !uses.empty()},
          {"operation_id", cpp_string_literal(op.source->operation_id)},
          {"security_args", uses.empty() ? "nullptr, 0"
                                         : "detail::" + security_const + ", " + std::to_string(uses.size())}};
}

}  // namespace oasgen::render
