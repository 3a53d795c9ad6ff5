#include "render/docs_builder.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "support/escape.hpp"

namespace oasgen::render::docs {

std::string dump(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

bool is_json_media(const std::string& media) {
  std::string lower = media.substr(0, media.find(';'));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "application/json" || (lower.size() > 5 && lower.compare(lower.size() - 5, 5, "+json") == 0);
}

const char* location_name(model::ParamIn in) {
  switch (in) {
    case model::ParamIn::Path: return "path";
    case model::ParamIn::Query: return "query";
    case model::ParamIn::Header: return "header";
    case model::ParamIn::Cookie: return "cookie";
  }
  return "";
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
        c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string param_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return dump(value);
}

std::string rate_limit_text(const json& extensions) {
  const auto found = extensions.find("x-oasgen-rate-limit");
  if (found == extensions.end() || !found->is_object()) return "";
  const auto limit = found->find("limit"), window = found->find("window");
  const auto positive = [&](json::const_iterator it) {
    return it != found->end() && it->is_number_integer() && it->get<std::int64_t>() > 0;
  };
  if (!positive(limit) || !positive(window)) return "";
  const auto count = limit->get<std::int64_t>();
  return std::to_string(count) + (count == 1 ? " request" : " requests") + " per " +
         std::to_string(window->get<std::int64_t>()) + " s";
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string number_text(double value) {
  json number = value;
  if (value == std::floor(value) && std::fabs(value) < 9e15) number = static_cast<std::int64_t>(value);
  return dump(number);
}

DocsBuilder::DocsBuilder(const model::Api& api, const load::Bundle& spec)
    : api_(api),
      spec_(spec),
      synth_(api),
      type_cache_(4, std::vector<std::optional<std::string>>(api.schemas.size())),
      constraint_cache_(2, std::vector<std::optional<std::vector<std::string>>>(api.schemas.size())),
      table_index_(api.schemas.size(), kNoIndex) {
  for (SchemaId id = 0; id < api_.schemas.size(); ++id) {
    const Schema& s = api_.schemas[id];
    if (s.component && !s.composition_part && !s.name_parts.empty()) {
      component_index_.emplace(id, components_.size());
      components_.push_back({id, s.name_parts.front(), std::nullopt});
    }
  }
  for (auto& component : components_) {
    component.example = schema_example(component.schema, ExampleUse::Response, false);
  }
  for (const auto& op : api_.operations) ops_.push_back(operation(op));
  group_by_tag();
}

std::vector<DocsExample> DocsBuilder::examples() const {
  std::vector<DocsExample> out;
  auto add = [&](const std::string& label, const Example& e) {
    out.push_back({label + (e.name.empty() ? "" : " (" + e.name + ")"), e.schema, e.use, e.synthesised,
                   e.value ? std::optional<json>(*e.value) : std::nullopt});
  };
  for (const auto& doc : ops_) {
    const std::string where = doc.op->method + " " + doc.op->path;
    for (const auto& p : doc.params) {
      if (p.example) add(where + " parameter " + p.param->name, *p.example);
    }
    for (const auto& media : doc.body) {
      for (const auto& e : media.examples) add(where + " request body " + media.type, e);
    }
    for (std::size_t r = 0; r < doc.responses.size(); ++r) {
      for (const auto& media : doc.responses[r]) {
        for (const auto& e : media.examples) {
          add(where + " response " + doc.op->responses[r].status + " " + media.type, e);
        }
      }
    }
  }
  for (const auto& component : components_) {
    if (component.example) add("schema " + component.name, *component.example);
  }
  return out;
}

std::string DocsBuilder::base_url() const {
  const auto list = servers();
  if (list.empty()) return "http://localhost";
  std::string url = list.front().first;
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return "http://localhost" + url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

const json* DocsBuilder::deref(const json* node) const {
  for (int hops = 0; node && hops < 32; ++hops) {
    if (!node->is_object()) return node;
    auto ref = node->find("$ref");
    if (ref == node->end() || !ref->is_string()) return node;
    node = spec_.find(ref->get<std::string>());
  }
  return nullptr;
}

const json* DocsBuilder::member(const json* node, std::string_view key) const {
  node = deref(node);
  if (!node || !node->is_object()) return nullptr;
  auto it = node->find(key);
  return it == node->end() ? nullptr : deref(&*it);
}

std::vector<Example> DocsBuilder::spec_examples(const json* node, SchemaId schema, ExampleUse use) const {
  std::vector<Example> out;
  if (!node) return out;
  if (auto it = node->find("example"); it != node->end()) {
    out.push_back({"", &*it, false, schema, use, {}});
    return out;
  }
  if (const json* examples = member(node, "examples"); examples && examples->is_object()) {
    for (auto it = examples->begin(); it != examples->end() && out.size() < 5; ++it) {
      const json* example = deref(&*it);
      if (!example || !example->is_object()) continue;
      if (auto value = example->find("value"); value != example->end()) {
        out.push_back({it.key(), &*value, false, schema, use, {}});
      }
    }
  }
  return out;
}

std::optional<Example> DocsBuilder::schema_example(SchemaId schema, ExampleUse use, bool share) {
  SchemaId id = schema;
  while (api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
  if (api_.schemas[id].example) return Example{"", &*api_.schemas[id].example, false, schema, use, {}};
  Example example{"", synth_.synthesise_ref(schema, use), true, schema, use, {}};
  if (auto it = component_index_.find(id); share && example.value && it != component_index_.end()) {
    const auto& shared = components_[it->second].example;
    if (shared && shared->synthesised && shared->value &&
        (shared->value == example.value || *shared->value == *example.value)) {
      example.component = it->second;
    }
  }
  return example;
}

std::vector<std::pair<std::string, std::string>> DocsBuilder::servers() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& server : api_.servers) {
    std::string url = server.url;
    for (const auto& variable : server.variables) {
      const std::string placeholder = "{" + variable.name + "}";
      for (auto at = url.find(placeholder); at != std::string::npos;
           at = url.find(placeholder, at + variable.default_value.size())) {
        url.replace(at, placeholder.size(), variable.default_value);
      }
    }
    out.emplace_back(url, server.description);
  }
  return out;
}

std::vector<json> DocsBuilder::security_schemes() const {
  std::vector<json> out;
  for (const auto& scheme : api_.security_schemes) {
    std::string type;
    std::string detail;
    switch (scheme.kind) {
      case model::SecurityKind::ApiKey:
        type = "apiKey";
        detail = std::string(location_name(scheme.in)) + " " + scheme.parameter;
        break;
      case model::SecurityKind::Http:
        type = "http";
        detail = scheme.scheme;
        break;
      case model::SecurityKind::OAuth2: type = "oauth2"; break;
      case model::SecurityKind::OpenIdConnect: type = "openIdConnect"; break;
      case model::SecurityKind::MutualTls: type = "mutualTLS"; break;
    }
    out.push_back({{"name", scheme.name}, {"type", type}, {"detail", detail}, {"description", scheme.description}});
  }
  return out;
}

void DocsBuilder::credential_data(JsonOut& out, const model::SecurityScheme& scheme) const {
  switch (scheme.kind) {
    case model::SecurityKind::ApiKey:
      out.key("k").value("apiKey").key("in").value(location_name(scheme.in)).key("param").value(scheme.parameter);
      return;
    case model::SecurityKind::Http:
      if (scheme.scheme == "basic" || scheme.scheme == "bearer") {
        out.key("k").value(scheme.scheme);
      } else {
        out.key("k").value("http").key("scheme").value(scheme.scheme);
      }
      return;
    case model::SecurityKind::OAuth2:
    case model::SecurityKind::OpenIdConnect: out.key("k").value("bearer"); return;
    case model::SecurityKind::MutualTls: out.key("k").value("none"); return;
  }
}

std::string DocsBuilder::requirement_text(const std::vector<model::SecurityRequirement>& alternatives) const {
  std::string out;
  for (const auto& requirement : alternatives) {
    std::string all;
    for (const auto& [index, scopes] : requirement.schemes) {
      if (index >= api_.security_schemes.size()) continue;
      all += (all.empty() ? "" : " and ") + api_.security_schemes[index].name +
             (scopes.empty() ? "" : " (" + join(scopes, ", ") + ")");
    }
    out += (out.empty() ? "" : ", or ") + (all.empty() ? "none" : all);
  }
  return out;
}

OpDoc DocsBuilder::operation(const model::Operation& op) {
  OpDoc doc;
  doc.op = &op;
  for (const auto& p : op.parameters) {
    ParamDoc pd{&p, std::nullopt};
    auto from_spec = spec_examples(deref(spec_.find(p.origin.pointer)), p.schema, ExampleUse::Request);
    if (!from_spec.empty()) {
      pd.example = std::move(from_spec.front());
    } else {
      pd.example = schema_example(p.schema, ExampleUse::Request);
    }
    doc.params.push_back(std::move(pd));
  }
  if (op.request_body) {
    doc.body = media_docs(op.request_body->origin.pointer, op.request_body->content, ExampleUse::Request);
  }
  for (const auto& response : op.responses) {
    doc.responses.push_back(media_docs(response.origin.pointer, response.content, ExampleUse::Response));
  }
  doc.security = requirement_text(op.security);
  doc.rate_limit = rate_limit_text(op.extensions);
  doc.request = request_example(doc);
  return doc;
}

std::vector<MediaDoc> DocsBuilder::media_docs(const std::string& origin, const std::vector<model::MediaType>& content,
                                 ExampleUse use) {
  std::vector<MediaDoc> out;
  const json* content_node = member(spec_.find(origin), "content");
  for (const auto& media : content) {
    MediaDoc doc{media.name, media.schema, {}};
    const SchemaId schema = media.schema.value_or(api_.schemas.size());
    doc.examples = spec_examples(member(content_node, media.name), schema, use);
    if (doc.examples.empty() && media.schema && is_json_media(media.name)) {
      doc.examples.push_back(*schema_example(*media.schema, use));
    }
    out.push_back(std::move(doc));
  }
  return out;
}

RequestExample DocsBuilder::request_example(const OpDoc& doc) {
  const auto& op = *doc.op;
  RequestExample request;
  request.method = op.method;
  std::string path = op.path;
  std::string query;
  std::vector<std::string> cookies;
  for (const auto& pd : doc.params) {
    const auto& p = *pd.param;
    const json* example = request_value(pd);
    if (!example) continue;
    const json& value = *example;
    switch (p.in) {
      case model::ParamIn::Path: {
        const std::string placeholder = "{" + p.name + "}";
        if (auto at = path.find(placeholder); at != std::string::npos) {
          path.replace(at, placeholder.size(), path_value(p, value));
        }
        break;
      }
      case model::ParamIn::Query:
        for (const auto& [name, text] : query_pairs(p, value)) {
          query += (query.empty() ? "?" : "&") + percent_encode(name) + "=" + text;
        }
        break;
      case model::ParamIn::Header:
        request.headers.emplace_back(p.name, joined(value, ",", false, p.explode));
        break;
      case model::ParamIn::Cookie:
        cookies.push_back(p.name + "=" + percent_encode(joined(value, ",")));
        break;
    }
  }
  if (!cookies.empty()) request.headers.emplace_back("Cookie", join(cookies, "; "));
  request.target = path + query;
  // The first JSON media type with an example: a body that the example (and Try it out, which
  // starts from it) can send as shown.
  for (const auto& media : doc.body) {
    if (is_json_media(media.type) && !media.examples.empty() && media.examples.front().value) {
      request.headers.emplace_back("Content-Type", media.type);
      request.body = media.examples.front().value;
      request.body_media = media.type;
      break;
    }
  }
  if (request.body_media.empty() && !doc.body.empty()) request.body_media = doc.body.front().type;
  return request;
}

std::string DocsBuilder::joined(const json& value, const std::string& separator, bool encode,
                          bool assign) {
  auto text = [&](const json& v) { return encode ? percent_encode(param_text(v)) : param_text(v); };
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : separator) + text(item);
    return out;
  }
  if (value.is_object()) {
    std::string out;
    for (auto it = value.begin(); it != value.end(); ++it) {
      out += (out.empty() ? "" : separator) + (encode ? percent_encode(it.key()) : it.key()) +
             (assign ? "=" : separator) + text(*it);
    }
    return out;
  }
  return text(value);
}

std::string DocsBuilder::path_value(const model::Parameter& p, const json& value) {
  switch (p.style) {
    case model::ParamStyle::Label:
      return "." + joined(value, p.explode ? "." : ",", true, p.explode);
    case model::ParamStyle::Matrix:
      if (value.is_array() && p.explode) {
        std::string out;
        for (const auto& item : value) out += ";" + percent_encode(p.name) + "=" + percent_encode(param_text(item));
        return out;
      }
      if (value.is_object() && p.explode) return ";" + joined(value, ";", true, true);
      return ";" + percent_encode(p.name) + "=" + joined(value, ",", true);
    default:
      return joined(value, ",", true, p.explode);
  }
}

std::vector<std::pair<std::string, std::string>> DocsBuilder::query_pairs(const model::Parameter& p,
                                                                     const json& value) {
  std::vector<std::pair<std::string, std::string>> out;
  if (value.is_array()) {
    if (p.style == model::ParamStyle::Form && p.explode) {
      for (const auto& item : value) out.emplace_back(p.name, percent_encode(param_text(item)));
    } else {
      const std::string separator = p.style == model::ParamStyle::SpaceDelimited ? "%20"
                                    : p.style == model::ParamStyle::PipeDelimited ? "%7C"
                                                                                  : ",";
      std::string text;
      for (const auto& item : value) text += (text.empty() ? "" : separator) + percent_encode(param_text(item));
      out.emplace_back(p.name, text);
    }
  } else if (value.is_object()) {
    if (p.style == model::ParamStyle::DeepObject) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        out.emplace_back(p.name + "[" + it.key() + "]", percent_encode(param_text(*it)));
      }
    } else if (p.explode) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        out.emplace_back(it.key(), percent_encode(param_text(*it)));
      }
    } else {
      out.emplace_back(p.name, joined(value, ",", true));
    }
  } else {
    out.emplace_back(p.name, percent_encode(param_text(value)));
  }
  return out;
}

std::string DocsBuilder::curl(const RequestExample& request) const {
  std::string out = "curl";
  if (request.method != "GET") out += " -X " + request.method;
  out += " " + shell_quote(base_url() + request.target);
  for (const auto& [name, value] : request.headers) out += " \\\n  -H " + shell_quote(name + ": " + value);
  if (request.body) out += " \\\n  -d " + shell_quote(dump(*request.body, 2));
  return out;
}

void DocsBuilder::group_by_tag() {
  std::map<std::string, std::size_t> index;
  for (const auto& tag : api_.tags) {
    index.emplace(tag.name, groups_.size());
    groups_.push_back({tag.name, tag.description, {}});
  }
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    const auto& tags = ops_[i].op->tags;
    const std::string name = tags.empty() ? "default" : tags.front();
    auto [it, added] = index.emplace(name, groups_.size());
    if (added) groups_.push_back({name, "", {}});
    groups_[it->second].ops.push_back(i);
  }
  groups_.erase(std::remove_if(groups_.begin(), groups_.end(), [](const TagGroup& g) { return g.ops.empty(); }),
                groups_.end());
}

std::string DocsBuilder::join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string DocsBuilder::type_text(SchemaId id, bool markdown, int depth) {
  if (id >= api_.schemas.size()) return "any";
  // Cached for the two ways callers ask: a schema itself (depth 0) or one used somewhere (1).
  if (depth > 1) return compute_type_text(id, markdown, depth);
  auto& cached = type_cache_[(markdown ? 2 : 0) + depth][id];
  if (!cached) cached = compute_type_text(id, markdown, depth);
  return *cached;
}

std::string DocsBuilder::compute_type_text(SchemaId id, bool markdown, int depth) {
  const Schema& s = api_.schemas[id];
  auto esc = [&](const std::string& text) { return markdown ? markdown_inline(text) : text; };
  const std::string nullable = s.nullable ? ", nullable" : "";
  if (depth > 6) return "…";
  if (s.same_as) return type_text(*s.same_as, markdown, depth + 1) + nullable;
  if (auto component = component_index_.find(id); component != component_index_.end() && depth > 0) {
    const std::string name = esc(components_[component->second].name);
    return markdown ? "[" + name + "](#schema-" + std::to_string(component->second) + ")" : name;
  }
  if (!s.one_of.empty() || !s.any_of.empty()) {
    std::vector<std::string> parts;
    for (const SchemaId alternative : s.one_of.empty() ? s.any_of : s.one_of) {
      parts.push_back(type_text(alternative, markdown, depth + 1));
    }
    return (s.one_of.empty() ? "any of: " : "one of: ") + join(parts, " | ") + nullable;
  }
  std::vector<std::string> types;
  static constexpr std::pair<unsigned, const char*> kNames[] = {
      {model::kObject, "object"}, {model::kArray, "array"},   {model::kString, "string"},
      {model::kInteger, "integer"}, {model::kNumber, "number"}, {model::kBoolean, "boolean"},
      {model::kNull, "null"}};
  for (const auto& [bit, name] : kNames) {
    if ((s.types & bit) == 0) continue;
    std::string t = name;
    if (bit == model::kArray) {
      t = s.items ? "array of " + type_text(*s.items, markdown, depth + 1) : "array";
    } else if (bit == model::kObject && s.properties.empty() && s.additional) {
      t = "map of " + type_text(*s.additional, markdown, depth + 1);
    }
    if ((bit == model::kString || bit == model::kInteger || bit == model::kNumber) && !s.format.empty()) {
      t += " (" + esc(s.format) + ")";
    }
    types.push_back(t);
  }
  if (types.empty()) return (s.opaque ? "any (free-form)" : "any") + nullable;
  return join(types, " | ") + nullable;
}

const std::vector<std::string>& DocsBuilder::constraints(SchemaId id, bool markdown) {
  auto& cached = constraint_cache_[markdown ? 1 : 0][id];
  if (cached) return *cached;
  std::vector<std::string> out;
  const Schema& s = api_.schemas[id];
  auto value_list = [](const std::vector<json>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i == 20) {
        text += ", … (" + std::to_string(values.size()) + " in all)";
        break;
      }
      text += (i ? ", " : "") + dump(values[i]);
    }
    return text;
  };
  if (!s.same_as) {
    if (!s.enum_values.empty()) out.push_back("one of " + value_list(s.enum_values));
    if (s.const_value) out.push_back("always " + dump(*s.const_value));
    if (s.min_length) out.push_back("minLength " + std::to_string(*s.min_length));
    if (s.max_length) out.push_back("maxLength " + std::to_string(*s.max_length));
    if (s.pattern) out.push_back("pattern " + *s.pattern);
    if (s.minimum) out.push_back((s.exclusive_minimum ? "exclusiveMinimum " : "minimum ") + number_text(*s.minimum));
    if (s.maximum) out.push_back((s.exclusive_maximum ? "exclusiveMaximum " : "maximum ") + number_text(*s.maximum));
    if (s.multiple_of) out.push_back("multipleOf " + number_text(*s.multiple_of));
    if (s.min_items) out.push_back("minItems " + std::to_string(*s.min_items));
    if (s.max_items) out.push_back("maxItems " + std::to_string(*s.max_items));
    if (s.unique_items) out.push_back("unique items");
    if (s.min_properties) out.push_back("minProperties " + std::to_string(*s.min_properties));
    if (s.max_properties) out.push_back("maxProperties " + std::to_string(*s.max_properties));
    if (!s.additional_allowed && (s.types & model::kObject)) out.push_back("no other properties");
  }
  if (s.default_value) out.push_back("default " + dump(*s.default_value));
  if (s.read_only) out.push_back("read-only");
  if (s.write_only) out.push_back("write-only");
  if (s.deprecated) out.push_back("deprecated");
  cached = std::move(out);
  return *cached;
}

}  // namespace oasgen::render::docs
