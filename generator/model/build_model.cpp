#include "model/build_model.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "model/builder.hpp"

namespace oasgen::model {
namespace detail {

std::optional<Api> Builder::build() {
  const Node root = doc_.root();
  if (!root->is_object()) {
    error(root, "spec-invalid", "the document is not an object");
    return std::nullopt;
  }
  std::string openapi = text(root, "openapi");
  if (openapi.empty()) {
    const std::string swagger = text(root, "swagger");
    if (swagger.empty()) {
      error(root, "spec-invalid", "missing 'openapi' version field");
      return std::nullopt;
    }
    if (swagger != "2.0") {
      error(*doc_.child(root, "swagger"), "unsupported-version",
            "Swagger version '" + swagger + "' is not supported (use 2.0, 3.0.x or 3.1.x)");
      return std::nullopt;
    }
    swagger2_ = true;
    openapi = "2.0";
    global_consumes_ = media_types(root, "consumes");
    global_produces_ = media_types(root, "produces");
  } else if (openapi.rfind("3.0", 0) != 0 && openapi.rfind("3.1", 0) != 0) {
    error(*doc_.child(root, "openapi"), "unsupported-version",
          "OpenAPI version '" + openapi + "' is not supported (use 3.0.x or 3.1.x)");
    return std::nullopt;
  }
  api_.openapi_version = openapi;
  openapi31_ = openapi.rfind("3.1", 0) == 0;
  read_info(root);
  read_tags(root);
  read_component_schemas(root);
  read_paths(root);
  read_servers(root);
  read_security(root);
  finish_deferred_merges();
  finish_discriminators();
  if (diag_.has_errors()) return std::nullopt;
  return std::move(api_);
}

void Builder::read_info(const Node& root) {
  auto info = child(root, "info");
  if (!info || !(*info)->is_object()) {
    error(root, "spec-invalid", "missing 'info' object");
    return;
  }
  api_.title = text(*info, "title");
  api_.version = text(*info, "version");
  api_.description = text(*info, "description");
}

void Builder::read_tags(const Node& root) {
  auto tags = child(root, "tags");
  if (!tags || !(*tags)->is_array()) return;
  for (std::size_t i = 0; i < (*tags)->size(); ++i) {
    auto tag = *doc_.child(*tags, i);
    api_.tags.push_back({text(tag, "name"), text(tag, "description")});
  }
}

void Builder::read_servers(const Node& root) {
  auto servers = child(root, "servers");
  if (!servers || !(*servers)->is_array()) return;
  for (std::size_t i = 0; i < (*servers)->size(); ++i) {
    const Node node = *doc_.child(*servers, i);
    Server server{text(node, "url"), text(node, "description"), {}};
    if (server.url.empty()) {
      warning(node, "spec-invalid", "a server without a 'url' is ignored");
      continue;
    }
    if (auto variables = child(node, "variables")) {
      for_each_member(*variables, [&](const std::string& name, const Node& variable) {
        ServerVariable v{name, text(variable, "default"), {}, text(variable, "description")};
        if (auto values = child(variable, "enum"); values && (*values)->is_array()) {
          for (const auto& value : **values) {
            if (value.is_string()) v.values.push_back(value.get<std::string>());
          }
        }
        server.variables.push_back(std::move(v));
      });
    }
    api_.servers.push_back(std::move(server));
  }
}

void Builder::read_security(const Node& root) {
  auto schemes = swagger2_ ? child(root, "securityDefinitions") : std::nullopt;
  if (auto components = swagger2_ ? std::nullopt : child(root, "components")) {
    schemes = child(*components, "securitySchemes");
  }
  if (schemes) {
    for_each_member(*schemes, [&](const std::string& name, const Node& node) {
      if (auto scheme = doc_.deref(node, diag_)) read_security_scheme(name, *scheme);
    });
  }
  std::vector<SecurityRequirement> global;
  if (auto list = child(root, "security")) global = read_requirements(*list);
  for (auto& op : api_.operations) op.security = global;
  auto paths = child(root, "paths");
  if (!paths) return;
  Diagnostics again;  // read_paths reported the path items that do not resolve
  for_each_member(*paths, [&](const std::string& path, const Node& item_node) {
    auto item = doc_.deref(item_node, again);
    if (!item) return;
    for (auto method : kMethods) {
      auto node = child(*item, method);
      auto list = node ? child(*node, "security") : std::nullopt;
      if (!list) continue;
      std::string upper(method);
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      for (auto& op : api_.operations) {
        if (op.path == path && op.method == upper) op.security = read_requirements(*list);
      }
    }
  });
}

void Builder::read_security_scheme(const std::string& name, const Node& node) {
  SecurityScheme s;
  s.origin = origin(node);
  s.name = name;
  s.description = text(node, "description");
  const std::string type = text(node, "type");
  if (swagger2_ && type == "basic") {  // 2.0's basic is 3.x's http basic
    s.kind = SecurityKind::Http;
    s.scheme = "basic";
  } else if (type == "apiKey") {
    s.kind = SecurityKind::ApiKey;
    s.parameter = text(node, "name");
    const std::string in = text(node, "in");
    s.in = in == "query" ? ParamIn::Query : in == "cookie" ? ParamIn::Cookie : ParamIn::Header;
    if (s.parameter.empty() || (in != "query" && in != "cookie" && in != "header")) {
      error(node, "spec-invalid", "apiKey security scheme '" + name +
                                      "' needs a 'name' and 'in' (query, header or cookie)");
      return;
    }
  } else if (type == "http") {
    s.kind = SecurityKind::Http;
    s.scheme = text(node, "scheme");
    std::transform(s.scheme.begin(), s.scheme.end(), s.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (s.scheme.empty() && !lenient_) {
      error(node, "spec-invalid", "http security scheme '" + name + "' needs a 'scheme'");
      return;
    }
    if (s.scheme.empty()) warning(node, "spec-invalid", "http security scheme '" + name + "' needs a 'scheme'");
    s.bearer_format = text(node, "bearerFormat");
  } else if (type == "oauth2") {
    s.kind = SecurityKind::OAuth2;
    read_oauth_flows(node, s);
  } else if (type == "openIdConnect") {
    s.kind = SecurityKind::OpenIdConnect;
    s.open_id_connect_url = text(node, "openIdConnectUrl");
  } else if (type == "mutualTLS") {
    s.kind = SecurityKind::MutualTls;
  } else {
    error(node, "spec-invalid", "security scheme '" + name + "' has an unknown type '" + type + "'");
    return;
  }
  api_.security_schemes.push_back(std::move(s));
}

// 3.x `flows`, or Swagger 2.0's single `flow` with its URLs and scopes beside it.
void Builder::read_oauth_flows(const Node& node, SecurityScheme& s) {
  auto read_flow = [&](std::string kind, const Node& flow) {
    OAuthFlow f{std::move(kind), text(flow, "authorizationUrl"), text(flow, "tokenUrl"),
                text(flow, "refreshUrl"), {}};
    if (auto scopes = child(flow, "scopes")) {
      for_each_member(*scopes, [&](const std::string& scope, const Node&) { f.scopes.push_back(scope); });
    }
    std::sort(f.scopes.begin(), f.scopes.end());
    s.flows.push_back(std::move(f));
  };
  if (auto flows = child(node, "flows")) {
    for_each_member(*flows, [&](const std::string& kind, const Node& flow) { read_flow(kind, flow); });
  } else if (swagger2_) {
    static const std::map<std::string, std::string, std::less<>> kFlows = {
        {"implicit", "implicit"}, {"password", "password"},
        {"application", "clientCredentials"}, {"accessCode", "authorizationCode"}};
    auto known = kFlows.find(text(node, "flow"));
    if (known != kFlows.end()) read_flow(known->second, node);
  }
  std::sort(s.flows.begin(), s.flows.end(),
            [](const OAuthFlow& a, const OAuthFlow& b) { return a.kind < b.kind; });
}

// A `security` list: alternatives of scheme -> scopes. A scheme that is not declared is an error
// (the spec says each name MUST correspond to one): dropping its alternative could leave the
// operation open to anyone.
std::vector<SecurityRequirement> Builder::read_requirements(const Node& list) {
  std::vector<SecurityRequirement> result;
  if (!list->is_array()) {
    error(list, "spec-invalid", "'security' must be an array");
    return result;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Node alternative = *doc_.child(list, i);
    SecurityRequirement requirement;
    bool known = true;
    for_each_member(alternative, [&](const std::string& name, const Node& scopes) {
      auto scheme = std::find_if(api_.security_schemes.begin(), api_.security_schemes.end(),
                                 [&](const SecurityScheme& s) { return s.name == name; });
      if (scheme == api_.security_schemes.end()) {
        // `diff` reads leniently: it serves nothing, so dropping the alternative is safe there.
        const std::string message = "security requirement names the undeclared scheme '" + name + "'";
        if (lenient_) {
          warning(alternative, "spec-invalid", message);
        } else {
          error(alternative, "spec-invalid", message);
        }
        known = false;
        return;
      }
      std::vector<std::string> names;
      if (scopes->is_array()) {
        for (const auto& scope : *scopes) {
          if (scope.is_string()) names.push_back(scope.get<std::string>());
        }
      }
      requirement.schemes.emplace_back(scheme - api_.security_schemes.begin(), std::move(names));
    });
    if (known) result.push_back(std::move(requirement));
  }
  return result;
}

}  // namespace detail

std::optional<Api> build_model(const load::Document& document, Diagnostics& diagnostics,
                               const BuildOptions& options) {
  auto api = detail::Builder(document, diagnostics, options).build();
  if (api) {
    api->locate = [&document](const Origin& origin) {
      return document.location({nullptr, origin.file, origin.pointer_in_file});
    };
    const auto files = document.files();
    api->source_name = files.empty() ? std::string() : files.front().filename().string();
  }
  return api;
}

}  // namespace oasgen::model
