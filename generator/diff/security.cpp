// Wire rules on security schemes: what old clients were told about how to authenticate.
#include <algorithm>
#include <set>

#include "diff/detail.hpp"

namespace oasgen::diff::detail {

namespace {

const char* kind_name(model::SecurityKind kind) {
  switch (kind) {
    case model::SecurityKind::ApiKey: return "apiKey";
    case model::SecurityKind::Http: return "http";
    case model::SecurityKind::OAuth2: return "oauth2";
    case model::SecurityKind::OpenIdConnect: return "openIdConnect";
    case model::SecurityKind::MutualTls: return "mutualTLS";
  }
  return "http";
}

const char* in_name(model::ParamIn in) {
  return in == model::ParamIn::Query ? "query" : in == model::ParamIn::Cookie ? "cookie" : "header";
}

void compare_flows(const model::SecurityScheme& a, const model::SecurityScheme& b, Collector& out) {
  auto add = [&](const char* id, Level level, const std::string& message) {
    out.add(id, level, Axis::Wire, "", "security scheme '" + a.name + "': " + message, a.origin, b.origin);
  };
  for (const auto& fa : a.flows) {
    auto fb = std::find_if(b.flows.begin(), b.flows.end(), [&](const auto& f) { return f.kind == fa.kind; });
    if (fb == b.flows.end()) {
      add("security-scheme-flow-removed", Level::Error, "OAuth flow " + fa.kind + " removed");
      continue;
    }
    const std::pair<const char*, std::pair<const std::string*, const std::string*>> urls[] = {
        {"authorizationUrl", {&fa.authorization_url, &fb->authorization_url}},
        {"tokenUrl", {&fa.token_url, &fb->token_url}},
        {"refreshUrl", {&fa.refresh_url, &fb->refresh_url}}};
    for (const auto& [name, values] : urls) {
      if (*values.first != *values.second) {
        add("security-scheme-url-changed", Level::Error,
            "OAuth flow " + fa.kind + " " + name + " '" + *values.first + "' -> '" + *values.second + "'");
      }
    }
    std::vector<std::string> removed;
    std::set_difference(fa.scopes.begin(), fa.scopes.end(), fb->scopes.begin(), fb->scopes.end(),
                        std::back_inserter(removed));
    for (const auto& scope : removed) {
      add("security-scheme-scope-removed", Level::Warning,
          "OAuth flow " + fa.kind + " no longer offers scope '" + scope + "'");
    }
  }
  for (const auto& fb : b.flows) {
    if (std::none_of(a.flows.begin(), a.flows.end(), [&](const auto& f) { return f.kind == fb.kind; })) {
      add("security-scheme-flow-added", Level::Info, "OAuth flow " + fb.kind + " added");
    }
  }
}

}  // namespace

void compare_security_schemes(Collector& out) {
  const auto& old_schemes = out.old_api().security_schemes;
  const auto& new_schemes = out.new_api().security_schemes;
  for (const auto& a : old_schemes) {
    auto b = std::find_if(new_schemes.begin(), new_schemes.end(), [&](const auto& s) { return s.name == a.name; });
    const std::string what = "security scheme '" + a.name + "'";
    if (b == new_schemes.end()) {
      out.add("security-scheme-removed", Level::Warning, Axis::Wire, "", what + " removed",
              a.origin, parent(new_schemes.empty() ? paths_origin() : new_schemes.front().origin));
      continue;
    }
    auto add = [&](const char* id, Level level, const std::string& message) {
      out.add(id, level, Axis::Wire, "", what + ": " + message, a.origin, b->origin);
    };
    if (a.kind != b->kind) {
      add("security-scheme-type-changed", Level::Error,
          std::string("type ") + kind_name(a.kind) + " -> " + kind_name(b->kind));
      continue;
    }
    if (a.parameter != b->parameter || a.in != b->in) {
      add("security-scheme-api-key-changed", Level::Error,
          std::string("the key moved from ") + in_name(a.in) + " '" + a.parameter + "' to " +
              in_name(b->in) + " '" + b->parameter + "'");
    }
    if (a.scheme != b->scheme) {
      add("security-scheme-http-scheme-changed", Level::Error,
          "scheme '" + a.scheme + "' -> '" + b->scheme + "'");
    }
    if (a.bearer_format != b->bearer_format) {
      add("security-scheme-bearer-format-changed", Level::Warning,
          "bearerFormat '" + a.bearer_format + "' -> '" + b->bearer_format + "'");
    }
    if (a.open_id_connect_url != b->open_id_connect_url) {
      add("security-scheme-url-changed", Level::Error,
          "openIdConnectUrl '" + a.open_id_connect_url + "' -> '" + b->open_id_connect_url + "'");
    }
    compare_flows(a, *b, out);
  }
  for (const auto& b : new_schemes) {
    if (std::none_of(old_schemes.begin(), old_schemes.end(), [&](const auto& s) { return s.name == b.name; })) {
      out.add("security-scheme-added", Level::Info, Axis::Wire, "",
              "security scheme '" + b.name + "' added", paths_origin(), b.origin);
    }
  }
}

}  // namespace oasgen::diff::detail
