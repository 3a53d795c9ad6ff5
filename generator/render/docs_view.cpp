#include "render/docs_view.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <string_view>

#include "render/mustache.hpp"
#include "render/sha256.hpp"
#include "render/templates.hpp"
#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using model::Schema;
using model::SchemaId;
using nlohmann::json;

// Spec text can hold invalid UTF-8 only in theory (the loaders check), but a dump must not throw.
std::string dump(const json& value, int indent = -1) {
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

// Percent-encodes all but RFC 3986's unreserved characters.
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

// A scalar as parameter text: strings as they are, the rest as JSON.
std::string param_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return dump(value);
}

// "10 requests per 60 s" from `x-oasgen-rate-limit: {limit: 10, window: 60}`; "" when the operation
// has none, or one the runtime would refuse (it says why when the server starts).
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

// Text without the blank lines and spaces around it (YAML block scalars end in a line break).
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

struct Example {
  std::string name;  // the spec's name for it under `examples`, if any
  /// Into the bundled spec, the model or the synthesiser's cache, which live at least as long as
  /// the docs builder; null: omitted. (Not copies: a large API has megabytes of examples.)
  const json* value = nullptr;
  bool synthesised = false;
  SchemaId schema = 0;
  ExampleUse use = ExampleUse::Response;
  /// A synthesised example equal to that of this component: the docs point to it rather than
  /// repeat it (large APIs return the same schemas from hundreds of operations).
  std::optional<std::size_t> component;
};

struct MediaDoc {
  std::string type;
  std::optional<SchemaId> schema;
  std::vector<Example> examples;
};

struct ParamDoc {
  const model::Parameter* param = nullptr;
  std::optional<Example> example;
};

struct RequestExample {
  std::string method;
  std::string target;  // path and query, parameters filled in and encoded
  std::vector<std::pair<std::string, std::string>> headers;
  const json* body = nullptr;
};

struct OpDoc {
  const model::Operation* op = nullptr;
  std::vector<ParamDoc> params;
  std::vector<MediaDoc> body;
  std::vector<std::vector<MediaDoc>> responses;  // per model response
  std::string security;                          // "" when the spec says nothing
  std::string rate_limit;                        // "" without a valid x-oasgen-rate-limit
  RequestExample request;
};

struct TagGroup {
  std::string name;
  std::string description;
  std::vector<std::size_t> ops;
};

// Where a schema is shown as a section of its own: the components, in declaration order.
struct ComponentDoc {
  SchemaId schema = 0;
  std::string name;
  std::optional<Example> example;
};

// JSON text for the page's <script type="application/json">, written as it is built: no `<`, `>`
// or `&` (so nothing can end the element), U+2028/U+2029 escaped. For large APIs this is several
// megabytes, which a tree of nlohmann::json values would first allocate node by node.
class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}

  JsonOut& begin_object() { return open('{'); }
  JsonOut& end_object() { return close('}'); }
  JsonOut& begin_array() { return open('['); }
  JsonOut& end_array() { return close(']'); }
  JsonOut& key(std::string_view name) {
    separate();
    string(name);
    out_ += ':';
    first_ = true;  // the value that follows takes no comma
    return *this;
  }
  JsonOut& value(std::string_view text) {
    separate();
    string(text);
    return *this;
  }
  JsonOut& value(const char* text) { return value(std::string_view(text)); }
  JsonOut& value(const std::string& text) { return value(std::string_view(text)); }
  JsonOut& value(std::size_t number) {
    separate();
    out_ += std::to_string(number);
    return *this;
  }
  JsonOut& value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    return *this;
  }
  JsonOut& value(const std::vector<std::string>& texts) {
    begin_array();
    for (const auto& text : texts) value(text);
    return end_array();
  }
  JsonOut& value(const json& any) {
    switch (any.type()) {
      case json::value_t::object:
        begin_object();
        for (auto it = any.begin(); it != any.end(); ++it) key(it.key()).value(*it);
        return end_object();
      case json::value_t::array:
        begin_array();
        for (const auto& item : any) value(item);
        return end_array();
      case json::value_t::string:
        return value(std::string_view(any.get_ref<const std::string&>()));
      default:
        separate();
        out_ += dump(any);  // numbers, booleans, null: no markup characters
        return *this;
    }
  }

 private:
  JsonOut& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  JsonOut& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void string(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += static_cast<char>(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 15];
      } else if (c == 0xE2 && i + 2 < text.size() && text[i + 1] == '\x80' &&
                 (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
        out_ += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
        i += 2;
      } else {
        out_ += static_cast<char>(c);
      }
    }
    out_ += '"';
  }

  std::string& out_;
  bool first_ = true;
};

class DocsBuilder {
 public:
  DocsBuilder(const model::Api& api, const load::Bundle& spec)
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

  std::vector<DocsExample> examples() const {
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

  // ---- Markdown

  json markdown_view(const std::string& version) {
    json view = header_view(version);
    view["groups"] = json::array();
    for (const auto& group : groups_) {
      json g = {{"name", markdown_inline(group.name)},
                {"description", markdown_text(trimmed(group.description))},
                {"has_description", !group.description.empty()},
                {"operations", json::array()}};
      for (const std::size_t index : group.ops) g["operations"].push_back(markdown_operation(index));
      view["groups"].push_back(std::move(g));
    }
    view["schemas"] = json::array();
    for (std::size_t i = 0; i < components_.size(); ++i) {
      const auto& component = components_[i];
      const Schema& s = api_.schemas[component.schema];
      json c = {{"anchor", "schema-" + std::to_string(i)},
                {"name", markdown_inline(component.name)},
                {"description", markdown_text(trimmed(s.description))},
                {"has_description", !s.description.empty()},
                {"type", markdown_table_cell_linked(type_text(component.schema, true))},
                {"constraints", markdown_table_cell(join(constraints(component.schema, true), "; "))},
                {"has_constraints", !constraints(component.schema, true).empty()}};
      c["properties"] = markdown_properties(component.schema);
      c["has_properties"] = !c["properties"].empty();
      c["example"] = markdown_example_blocks(
          component.example ? std::vector<Example>{*component.example} : std::vector<Example>{},
          "schema-" + std::to_string(i), markdown_inline(component.name));
      view["schemas"].push_back(std::move(c));
    }
    view["has_schemas"] = !components_.empty();
    return view;
  }

  // ---- HTML page data, written straight to JSON text (see JsonOut)

  std::string page_data(const std::string& version) {
    std::string text;
    text.reserve(1 << 16);
    JsonOut out(text);
    out.begin_object();
    out.key("title").value(api_.title);
    out.key("version").value(api_.version);
    out.key("description").value(api_.description);
    out.key("openapi").value(api_.openapi_version);
    out.key("generator").value("oasgen " + version);
    out.key("servers").begin_array();
    for (const auto& [url, description] : servers()) {
      out.begin_object().key("url").value(url).key("description").value(description).end_object();
    }
    out.end_array();
    out.key("schemes").begin_array();
    for (const auto& scheme : security_schemes()) out.value(scheme);
    out.end_array();
    out.key("tags").begin_array();
    for (const auto& group : groups_) {
      out.begin_object().key("name").value(group.name).key("description").value(group.description);
      out.key("ops").begin_array();
      for (const std::size_t op : group.ops) out.value(op);
      out.end_array().end_object();
    }
    out.end_array();
    out.key("ops").begin_array();
    for (const auto& doc : ops_) page_operation(out, doc);
    out.end_array();
    out.key("components").begin_array();
    for (const auto& component : components_) {
      out.begin_object().key("name").value(component.name).key("s").value(table_index(component.schema));
      if (component.example) {
        out.key("ex");
        example_data(out, *component.example);
      }
      out.end_object();
    }
    out.end_array();
    // Last: every schema the rest refers to, and the ones those refer to, in index order.
    out.key("schemas").begin_array();
    while (!pending_.empty()) {
      const SchemaId id = pending_.front();
      pending_.pop_front();
      page_schema(out, id);
    }
    out.end_array();
    out.key("examples").begin_array();
    for (const json* value : example_table_) out.value(*value);
    out.end_array();
    out.end_object();
    return text;
  }

  std::string base_url() const {
    const auto list = servers();
    if (list.empty()) return "http://localhost";
    std::string url = list.front().first;
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return "http://localhost" + url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }

 private:
  // ---- reading what the model does not carry, from the bundled spec

  const json* deref(const json* node) const {
    for (int hops = 0; node && hops < 32; ++hops) {
      if (!node->is_object()) return node;
      auto ref = node->find("$ref");
      if (ref == node->end() || !ref->is_string()) return node;
      node = spec_.find(ref->get<std::string>());
    }
    return nullptr;
  }

  const json* member(const json* node, std::string_view key) const {
    node = deref(node);
    if (!node || !node->is_object()) return nullptr;
    auto it = node->find(key);
    return it == node->end() ? nullptr : deref(&*it);
  }

  // The spec's example(s) on a parameter, media type or similar node.
  std::vector<Example> spec_examples(const json* node, SchemaId schema, ExampleUse use) const {
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

  std::optional<Example> schema_example(SchemaId schema, ExampleUse use, bool share = true) {
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

  // (url with variables at their defaults, description)
  std::vector<std::pair<std::string, std::string>> servers() const {
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

  std::vector<json> security_schemes() const {
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

  // "apiKey, or oauth (read:pets, write:pets)"; "none" where anonymous access is an alternative.
  std::string requirement_text(const std::vector<model::SecurityRequirement>& alternatives) const {
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

  // ---- operations

  OpDoc operation(const model::Operation& op) {
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

  std::vector<MediaDoc> media_docs(const std::string& origin, const std::vector<model::MediaType>& content,
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

  RequestExample request_example(const OpDoc& doc) {
    const auto& op = *doc.op;
    RequestExample request;
    request.method = op.method;
    std::string path = op.path;
    std::string query;
    std::vector<std::string> cookies;
    for (const auto& pd : doc.params) {
      const auto& p = *pd.param;
      if (!pd.example || !pd.example->value) continue;
      const bool spec_value = !pd.example->synthesised;
      const auto& schema = api_.schemas[p.schema];
      if (!p.required && !spec_value && !schema.default_value) continue;
      const json& value = *pd.example->value;
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
          request.headers.emplace_back(p.name, joined(value, ","));
          break;
        case model::ParamIn::Cookie:
          cookies.push_back(p.name + "=" + percent_encode(joined(value, ",")));
          break;
      }
    }
    if (!cookies.empty()) request.headers.emplace_back("Cookie", join(cookies, "; "));
    request.target = path + query;
    if (!doc.body.empty()) {
      const auto& media = doc.body.front();
      if (is_json_media(media.type) && !media.examples.empty() && media.examples.front().value) {
        request.headers.emplace_back("Content-Type", media.type);
        request.body = media.examples.front().value;
      }
    }
    return request;
  }

  static std::string joined(const json& value, const std::string& separator, bool encode = false) {
    auto text = [&](const json& v) { return encode ? percent_encode(param_text(v)) : param_text(v); };
    if (value.is_array()) {
      std::string out;
      for (const auto& item : value) out += (out.empty() ? "" : separator) + text(item);
      return out;
    }
    if (value.is_object()) {
      std::string out;
      for (auto it = value.begin(); it != value.end(); ++it) {
        out += (out.empty() ? "" : separator) + (encode ? percent_encode(it.key()) : it.key()) + separator + text(*it);
      }
      return out;
    }
    return text(value);
  }

  static std::string path_value(const model::Parameter& p, const json& value) {
    switch (p.style) {
      case model::ParamStyle::Label:
        return "." + joined(value, p.explode ? "." : ",", true);
      case model::ParamStyle::Matrix:
        if (value.is_array() && p.explode) {
          std::string out;
          for (const auto& item : value) out += ";" + percent_encode(p.name) + "=" + percent_encode(param_text(item));
          return out;
        }
        return ";" + percent_encode(p.name) + "=" + joined(value, ",", true);
      default:
        return joined(value, ",", true);
    }
  }

  static std::vector<std::pair<std::string, std::string>> query_pairs(const model::Parameter& p,
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

  std::string curl(const RequestExample& request) const {
    std::string out = "curl";
    if (request.method != "GET") out += " -X " + request.method;
    out += " " + shell_quote(base_url() + request.target);
    for (const auto& [name, value] : request.headers) out += " \\\n  -H " + shell_quote(name + ": " + value);
    if (request.body) out += " \\\n  -d " + shell_quote(dump(*request.body, 2));
    return out;
  }

  void group_by_tag() {
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

  // ---- schema descriptions

  static std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
    return out;
  }

  // "array of Pet", "string (date-time)", "Pet, nullable". With `markdown`, spec text is escaped
  // and component names link to their sections.
  std::string type_text(SchemaId id, bool markdown, int depth = 0) {
    if (id >= api_.schemas.size()) return "any";
    // Cached for the two ways callers ask: a schema itself (depth 0) or one used somewhere (1).
    if (depth > 1) return compute_type_text(id, markdown, depth);
    auto& cached = type_cache_[(markdown ? 2 : 0) + depth][id];
    if (!cached) cached = compute_type_text(id, markdown, depth);
    return *cached;
  }

  std::string compute_type_text(SchemaId id, bool markdown, int depth) {
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

  // `markdown`: which of the two caches (the Markdown and the page are built on two threads).
  const std::vector<std::string>& constraints(SchemaId id, bool markdown) {
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
      if (s.pattern_unchecked) {
        out.push_back("pattern " + *s.pattern_unchecked + " (not ECMA-262: not checked)");
      }
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

  // Markdown rows for an object's properties; nested inline objects as dotted names.
  json markdown_properties(SchemaId id, const std::string& prefix = "", int depth = 0) {
    json rows = json::array();
    while (id < api_.schemas.size() && api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
    if (id >= api_.schemas.size() || depth > 2) return rows;
    const Schema& s = api_.schemas[id];
    for (const auto& p : s.properties) {
      const std::string name = prefix + p.name;
      const Schema& ps = api_.schemas[p.schema];
      const bool required = p.required || std::count(s.required.begin(), s.required.end(), p.name) > 0;
      json row = json::object();
      row["name"] = markdown_table_cell(name);
      row["type"] = markdown_table_cell_linked(type_text(p.schema, true, 1));
      row["required"] = required ? "yes" : "";
      row["constraints"] = markdown_table_cell(join(constraints(p.schema, true), "; "));
      row["description"] = markdown_table_cell(ps.description);
      rows.push_back(std::move(row));
      SchemaId inner = p.schema;
      while (api_.schemas[inner].same_as) inner = *api_.schemas[inner].same_as;
      if (!component_index_.count(inner) && !api_.schemas[inner].properties.empty()) {
        for (auto& row : markdown_properties(inner, name + ".", depth + 1)) rows.push_back(std::move(row));
      }
    }
    return rows;
  }

  // A type text with links is already Markdown; in a table cell it only needs its bars escaped
  // and line breaks removed (type texts have neither unescaped, but be sure).
  static std::string markdown_table_cell_linked(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
  }

  // Example blocks; a value already shown (the same spec example referenced from several places)
  // links to where it was, with `anchor` and `label` the place being rendered now.
  json markdown_example_blocks(const std::vector<Example>& examples, const std::string& anchor,
                               const std::string& label) {
    json blocks = json::array();
    for (const auto& e : examples) {
      std::string caption = e.synthesised ? "Example (generated from the schema)" : "Example";
      if (!e.name.empty()) caption += ": " + markdown_inline(e.name);
      bool repeated = false;
      if (e.component) {
        caption += ": as for [" + markdown_inline(components_[*e.component].name) + "](#schema-" +
                   std::to_string(*e.component) + ")";
      } else if (e.value) {
        auto [it, first] = shown_.emplace(e.value, std::make_pair(anchor, label));
        if (!first) {
          caption += ": as in [" + it->second.second + "](#" + it->second.first + ")";
          repeated = true;
        }
      }
      const bool shown = e.value && !e.component && !repeated;
      json block = json::object();  // assigned member by member: moved, where a braced list copies
      block["caption"] = std::move(caption);
      block["omitted"] = !e.value;
      block["has_value"] = shown;
      block["block"] = shown ? markdown_code_block(dump(*e.value, 2), "json") : std::string();
      blocks.push_back(std::move(block));
    }
    return blocks;
  }

  json markdown_operation(std::size_t index) {
    const OpDoc& doc = ops_[index];
    const auto& op = *doc.op;
    const std::string anchor = "op-" + std::to_string(index);
    const std::string label = markdown_inline(op.method + " " + op.path);
    json view = {{"anchor", anchor},
                 {"method", op.method},
                 {"path", markdown_inline(op.path)},
                 {"summary", markdown_inline(op.summary)},
                 {"has_summary", !op.summary.empty()},
                 {"description", markdown_text(trimmed(op.description))},
                 {"has_description", !op.description.empty()},
                 {"operation_id", markdown_inline(op.operation_id)},
                 {"deprecated", op.deprecated},
                 {"security", markdown_inline(doc.security)},
                 {"has_security", !doc.security.empty()},
                 {"rate_limit", doc.rate_limit},
                 {"has_rate_limit", !doc.rate_limit.empty()}};
    std::vector<std::string> tags;
    for (const auto& tag : op.tags) tags.push_back(markdown_inline(tag));
    view["tags"] = join(tags, ", ");
    view["has_tags"] = !tags.empty();
    view["params"] = json::array();
    for (const auto& pd : doc.params) {
      const auto& p = *pd.param;
      std::string description = p.description;
      if (p.deprecated) description = "Deprecated. " + description;
      view["params"].push_back({{"name", markdown_table_cell(p.name)},
                                {"in", location_name(p.in)},
                                {"type", markdown_table_cell_linked(type_text(p.schema, true, 1))},
                                {"required", p.required ? "yes" : ""},
                                {"constraints", markdown_table_cell(join(constraints(p.schema, true), "; "))},
                                {"description", markdown_table_cell(description)}});
    }
    view["has_params"] = !doc.params.empty();
    view["body"] = json::array();
    if (op.request_body) {
      json body = {{"required", op.request_body->required ? "required" : "optional"},
                   {"description", markdown_text(trimmed(op.request_body->description))},
                   {"has_description", !op.request_body->description.empty()},
                   {"media", markdown_media(doc.body, anchor, label)}};
      view["body"].push_back(std::move(body));
    }
    view["responses"] = json::array();
    for (std::size_t r = 0; r < op.responses.size(); ++r) {
      const auto& response = op.responses[r];
      std::vector<std::string> content;
      for (const auto& media : doc.responses[r]) {
        content.push_back(markdown_inline(media.type) +
                          (media.schema ? ": " + markdown_table_cell_linked(type_text(*media.schema, true, 1)) : ""));
      }
      std::vector<std::string> headers;
      for (const auto& header : response.headers) headers.push_back(markdown_inline(header.name));
      view["responses"].push_back({{"status", markdown_table_cell(response.status)},
                                   {"description", markdown_table_cell(response.description)},
                                   {"content", join(content, "<br>")},
                                   {"headers", join(headers, ", ")}});
    }
    view["response_examples"] = json::array();
    for (std::size_t r = 0; r < op.responses.size(); ++r) {
      for (const auto& media : doc.responses[r]) {
        if (media.examples.empty()) continue;
        view["response_examples"].push_back({{"status", markdown_inline(op.responses[r].status)},
                                             {"media", markdown_inline(media.type)},
                                             {"examples", markdown_example_blocks(media.examples, anchor, label)}});
      }
    }
    view["has_response_examples"] = !view["response_examples"].empty();
    view["request_example"] = markdown_code_block(curl(doc.request), "sh");
    return view;
  }

  json markdown_media(const std::vector<MediaDoc>& list, const std::string& anchor, const std::string& label) {
    json out = json::array();
    for (const auto& media : list) {
      json m = {{"type", markdown_inline(media.type)},
                {"schema", media.schema ? markdown_table_cell_linked(type_text(*media.schema, true, 1)) : "any"},
                {"properties", json::array()},
                {"examples", markdown_example_blocks(media.examples, anchor, label)}};
      if (media.schema) {
        SchemaId id = *media.schema;
        while (api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
        if (!component_index_.count(id)) m["properties"] = markdown_properties(id);
      }
      m["has_properties"] = !m["properties"].empty();
      out.push_back(std::move(m));
    }
    return out;
  }

  json header_view(const std::string& version) {
    const std::string title = api_.title.empty() ? "API" : api_.title;
    json view = {{"heading", markdown_inline(api_.version.empty() ? title : title + " " + api_.version)},
                 {"openapi", markdown_inline("OpenAPI " + api_.openapi_version)},
                 {"description", markdown_text(trimmed(api_.description))},
                 {"has_description", !api_.description.empty()},
                 {"generator", "oasgen " + version},
                 {"base_url", markdown_inline(base_url())}};
    view["servers"] = json::array();
    for (const auto& [url, description] : servers()) {
      view["servers"].push_back({{"url", markdown_table_cell(url)}, {"description", markdown_table_cell(description)}});
    }
    view["has_servers"] = !view["servers"].empty();
    view["schemes"] = json::array();
    for (const auto& scheme : security_schemes()) {
      view["schemes"].push_back({{"name", markdown_table_cell(scheme["name"].get<std::string>())},
                                 {"type", markdown_table_cell(scheme["type"].get<std::string>())},
                                 {"detail", markdown_table_cell(scheme["detail"].get<std::string>())},
                                 {"description", markdown_table_cell(scheme["description"].get<std::string>())}});
    }
    view["has_schemes"] = !view["schemes"].empty();
    view["groups_toc"] = json::array();
    for (const auto& group : groups_) {
      view["groups_toc"].push_back({{"name", markdown_inline(group.name)},
                                    {"anchor", "op-" + std::to_string(group.ops.front())},
                                    {"count", group.ops.size()}});
    }
    return view;
  }

  // ---- page data

  std::size_t table_index(SchemaId id) {
    while (id < api_.schemas.size() && api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
    if (table_index_[id] != kNoIndex) return table_index_[id];
    const std::size_t index = table_size_++;
    table_index_[id] = index;
    pending_.push_back(id);
    return index;
  }

  void example_data(JsonOut& out, const Example& e) {
    out.begin_object().key("src").value(e.synthesised ? "generated" : "spec");
    if (!e.name.empty()) out.key("name").value(e.name);
    if (e.component) {
      out.key("c").value(*e.component);
    } else if (e.value) {
      // Each value once, in "examples": large APIs refer to the same examples from many places.
      auto [it, added] = example_index_.emplace(e.value, example_table_.size());
      if (added) example_table_.push_back(e.value);
      out.key("x").value(it->second);
    }
    out.end_object();
  }

  void media_data(JsonOut& out, const std::vector<MediaDoc>& list) {
    out.begin_array();
    for (const auto& media : list) {
      out.begin_object().key("t").value(media.type);
      if (media.schema) {
        out.key("s").value(table_index(*media.schema));
        if (api_.schemas[*media.schema].nullable) out.key("null").value(true);
      }
      out.key("ex").begin_array();
      for (const auto& e : media.examples) example_data(out, e);
      out.end_array().end_object();
    }
    out.end_array();
  }

  void page_operation(JsonOut& out, const OpDoc& doc) {
    const auto& op = *doc.op;
    out.begin_object();
    out.key("m").value(op.method).key("p").value(op.path).key("id").value(op.operation_id);
    out.key("s").value(op.summary).key("d").value(op.description).key("tags").value(op.tags);
    if (op.deprecated) out.key("dep").value(true);
    if (!doc.security.empty()) out.key("sec").value(doc.security);
    if (!doc.rate_limit.empty()) out.key("rl").value(doc.rate_limit);
    out.key("params").begin_array();
    for (const auto& pd : doc.params) {
      const auto& p = *pd.param;
      out.begin_object();
      out.key("n").value(p.name).key("in").value(location_name(p.in)).key("d").value(p.description);
      out.key("t").value(type_text(p.schema, false, 1)).key("c").value(constraints(p.schema, false));
      out.key("s").value(table_index(p.schema));
      if (p.required) out.key("r").value(true);
      if (p.deprecated) out.key("dep").value(true);
      if (pd.example) {
        out.key("ex");
        example_data(out, *pd.example);
      }
      out.end_object();
    }
    out.end_array();
    if (op.request_body) {
      out.key("body").begin_object().key("d").value(op.request_body->description);
      if (op.request_body->required) out.key("r").value(true);
      out.key("media");
      media_data(out, doc.body);
      out.end_object();
    }
    out.key("res").begin_array();
    for (std::size_t r = 0; r < op.responses.size(); ++r) {
      const auto& response = op.responses[r];
      out.begin_object().key("st").value(response.status).key("d").value(response.description);
      out.key("h").begin_array();
      for (const auto& header : response.headers) {
        out.begin_object().key("n").value(header.name).key("d").value(header.description);
        out.key("t").value(type_text(header.schema, false, 1));
        if (header.required) out.key("r").value(true);
        out.end_object();
      }
      out.end_array().key("media");
      media_data(out, doc.responses[r]);
      out.end_object();
    }
    out.end_array();
    out.key("req").begin_object().key("m").value(doc.request.method).key("target").value(doc.request.target);
    out.key("h").begin_array();
    for (const auto& [name, value] : doc.request.headers) out.begin_array().value(name).value(value).end_array();
    out.end_array();
    if (doc.request.body) out.key("body").value(*doc.request.body);
    out.end_object();
    out.end_object();
  }

  void page_schema(JsonOut& out, SchemaId id) {
    const Schema& s = api_.schemas[id];
    out.begin_object().key("t").value(type_text(id, false, 0));
    if (auto component = component_index_.find(id); component != component_index_.end()) {
      out.key("n").value(components_[component->second].name);
    } else if (!s.title.empty()) {
      out.key("title").value(s.title);
    }
    if (!s.description.empty()) out.key("d").value(s.description);
    const auto& c = constraints(id, false);
    if (!c.empty()) out.key("c").value(c);
    if (!s.properties.empty()) {
      // Only what the property adds to its schema's entry: the page reads type, constraints and
      // description from there (a large API has tens of thousands of properties).
      out.key("props").begin_array();
      for (const auto& p : s.properties) {
        const Schema& ps = api_.schemas[p.schema];
        const bool required = p.required || std::count(s.required.begin(), s.required.end(), p.name) > 0;
        out.begin_object().key("n").value(p.name).key("s").value(table_index(p.schema));
        if (ps.same_as) {
          if (!constraints(p.schema, false).empty()) out.key("c").value(constraints(p.schema, false));
          if (!ps.description.empty()) out.key("d").value(ps.description);
          if (ps.nullable) out.key("null").value(true);
        }
        if (required) out.key("r").value(true);
        out.end_object();
      }
      out.end_array();
    }
    if (s.items) out.key("items").value(table_index(*s.items));
    if (s.additional) out.key("add").value(table_index(*s.additional));
    const auto& alternatives = s.one_of.empty() ? s.any_of : s.one_of;
    if (!alternatives.empty()) {
      out.key("alt").begin_array();
      for (const SchemaId alternative : alternatives) out.value(table_index(alternative));
      out.end_array().key("altk").value(s.one_of.empty() ? "any of" : "one of");
    }
    if (s.discriminator) out.key("disc").value(s.discriminator->property);
    out.end_object();
  }

  const model::Api& api_;
  const load::Bundle& spec_;
  ExampleSynthesiser synth_;
  std::vector<ComponentDoc> components_;
  std::map<SchemaId, std::size_t> component_index_;
  std::vector<OpDoc> ops_;
  std::vector<TagGroup> groups_;
  // By SchemaId: large APIs have tens of thousands of schemas, asked about again and again.
  std::vector<std::vector<std::optional<std::string>>> type_cache_;  // [markdown * 2 + depth]
  std::vector<std::vector<std::optional<std::vector<std::string>>>> constraint_cache_;  // [markdown]
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  std::vector<std::size_t> table_index_;  // page: SchemaId -> index in "schemas"
  std::size_t table_size_ = 0;
  std::map<const json*, std::size_t> example_index_;  // page: example value -> index in "examples"
  std::vector<const json*> example_table_;
  std::map<const json*, std::pair<std::string, std::string>> shown_;  // Markdown: where first shown
  std::deque<SchemaId> pending_;
};

// Text as adjacent C++ string literals, one per line, each at most ~100 source characters, in
// parts of at most 32 KiB (compilers limit single literals).
json literal_parts(std::string_view text) {
  constexpr std::size_t kPart = 32 * 1024;
  constexpr std::size_t kLine = 96;
  json parts = json::array();
  for (std::size_t start = 0; start < text.size() || (start == 0 && parts.empty()); start += kPart) {
    const std::string_view part = text.substr(start, kPart);
    std::string lines;
    for (std::size_t at = 0; at < part.size(); at += kLine) {
      if (!lines.empty()) lines += "\n    ";
      lines += cpp_string_literal(part.substr(at, kLine));
    }
    if (lines.empty()) lines = "\"\"";
    // `sv`: the part's length is the literal's, whatever bytes it holds.
    parts.push_back({{"literal", lines + "sv"}});
    if (text.empty()) break;
  }
  return parts;
}

std::string include_dir_of(const std::string& ns) {
  // The rule of the generated headers' folder (render/views.cpp): "a::b" -> "a_b".
  std::string dir = ns;
  std::replace(dir.begin(), dir.end(), ':', '_');
  dir.erase(std::unique(dir.begin(), dir.end(), [](char a, char b) { return a == '_' && b == '_'; }),
            dir.end());
  return dir;
}

}  // namespace

std::vector<DocsExample> docs_examples(const model::Api& api, const load::Bundle& spec) {
  return DocsBuilder(api, spec).examples();
}

std::optional<std::map<std::string, std::string>> render_docs(
    const model::Api& api, const load::Bundle& spec, const DocsOptions& options,
    Diagnostics& diagnostics, std::vector<std::filesystem::path>* overrides_read) {
  DocsBuilder builder(api, spec);
  const TemplateSet templates(options.templates_dir);
  std::mutex templates_mutex;  // TemplateSet records what it reads; the Markdown renders on a thread
  const PartialLoader partials = [&](std::string_view name) {
    std::lock_guard lock(templates_mutex);
    return templates.find(name);
  };
  std::map<std::string, std::string> files;
  auto report = [&](const MustacheError& e) {
    diagnostics.error("template-error", e.what(), SourceLocation{e.template_name() + ".mustache", e.line(), 0});
  };
  auto render_one = [&](const char* name, const json& view) -> std::string {
    auto source = partials(name);
    if (!source) {
      diagnostics.error("template-missing", std::string("no template named '") + name + "'");
      return {};
    }
    try {
      return render_mustache(name, *source, view, partials);
    } catch (const MustacheError& e) {
      report(e);
      return {};
    }
  };

  // The Markdown and the page share nothing but what the builder has worked out already (each
  // keeps its own caches), so they are built side by side: for a large API each is a good part of
  // the run.
  struct Markdown {
    std::string text;
    std::optional<MustacheError> error;
  };
  const auto markdown_source = partials("API.md");
  auto markdown = std::async(std::launch::async, [&]() -> Markdown {
    if (!markdown_source) return {};
    try {
      return {render_mustache("API.md", *markdown_source, builder.markdown_view(options.version), partials),
              std::nullopt};
    } catch (const MustacheError& e) {
      return {{}, e};
    }
  });

  files["docs/openapi.json"] = dump(spec.document()) + "\n";

  // The page's script and style are inline, allowed by their hashes and nothing else.
  const json page = {{"generator", "oasgen " + options.version}};
  const std::string script = render_one("docs.js", page);
  const std::string style = render_one("docs.css", page);
  const std::string csp = "default-src 'none'; script-src " + csp_hash_source(script) + "; style-src " +
                          csp_hash_source(style) + "; img-src data:; base-uri 'none'; form-action 'none'";
  json html_view = {{"title", html_text(api.title.empty() ? "API" : api.title)},
                    {"version", html_text(api.version)},
                    {"generator", html_text("oasgen " + options.version)},
                    {"csp", html_text(csp)},
                    {"script", script},
                    {"style", style}};
  html_view["data"] = builder.page_data(options.version);  // moved in: megabytes for large APIs
  files["docs/index.html"] = render_one("index.html", html_view);
  Markdown md = markdown.get();  // rethrows what the thread threw
  if (!markdown_source) diagnostics.error("template-missing", "no template named 'API.md'");
  if (md.error) report(*md.error);
  files["docs/API.md"] = std::move(md.text);

  if (!options.cpp_namespace.empty()) {
    const std::string dir = include_dir_of(options.cpp_namespace);
    std::string banner;
    for (const auto& line : cpp_comment_lines("Generated by oasgen " + options.version + " from " +
                                              api.source_name + ". Do not edit.")) {
      banner += (banner.empty() ? "" : " ") + line;
    }
    const json cpp_view = {{"banner", banner},
                           {"namespace", options.cpp_namespace},
                           {"include_dir", dir},
                           {"openapi_json", literal_parts(files["docs/openapi.json"])},
                           {"html", literal_parts(files["docs/index.html"])},
                           {"csp", cpp_string_literal(csp)}};
    files["include/" + dir + "/docs.hpp"] = render_one("docs.hpp", cpp_view);
    files["src/docs.cpp"] = render_one("docs.cpp", cpp_view);
  }
  if (overrides_read != nullptr) {
    for (const auto& [name, path] : templates.used_overrides()) overrides_read->push_back(path);
  }
  if (diagnostics.has_errors()) return std::nullopt;
  return files;
}

}  // namespace oasgen::render
