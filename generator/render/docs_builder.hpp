// Internals of the docs renderer: `DocsBuilder` derives from the model and the bundled spec what
// both pages show, then writes the Markdown view (docs_markdown.cpp) and the HTML page's data
// (docs_page.cpp); docs_view.cpp renders them. Not a public interface of the generator.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load/bundle.hpp"
#include "model/model.hpp"
#include "render/docs_view.hpp"
#include "render/examples.hpp"

namespace oasgen::render::docs {

using model::Schema;
using model::SchemaId;
using nlohmann::json;

// Spec text can hold invalid UTF-8 only in theory (the loaders check), but a dump must not throw.
std::string dump(const json& value, int indent = -1);
bool is_json_media(const std::string& media);
const char* location_name(model::ParamIn in);
// Percent-encodes all but RFC 3986's unreserved characters.
std::string percent_encode(std::string_view text);
// A scalar as parameter text: strings as they are, the rest as JSON.
std::string param_text(const json& value);
// "10 requests per 60 s" from `x-oasgen-rate-limit: {limit: 10, window: 60}`; "" when the operation
// has none, or one the runtime would refuse (it says why when the server starts).
std::string rate_limit_text(const json& extensions);
// Text without the blank lines and spaces around it (YAML block scalars end in a line break).
std::string trimmed(const std::string& text);
std::string shell_quote(std::string_view text);
std::string number_text(double value);

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
  std::string body_media;  // the body's media type: that of `body`, else the first declared
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
  DocsBuilder(const model::Api& api, const load::Bundle& spec);
  std::vector<DocsExample> examples() const;

  // ---- Markdown
  json markdown_view(const std::string& version);

  // ---- HTML page data, written straight to JSON text (see JsonOut)
  std::string page_data(const std::string& version);
  std::string base_url() const;

 private:

  // ---- reading what the model does not carry, from the bundled spec
  const json* deref(const json* node) const;
  const json* member(const json* node, std::string_view key) const;
  // The spec's example(s) on a parameter, media type or similar node.
  std::vector<Example> spec_examples(const json* node, SchemaId schema, ExampleUse use) const;
  std::optional<Example> schema_example(SchemaId schema, ExampleUse use, bool share = true);
  // (url with variables at their defaults, description)
  std::vector<std::pair<std::string, std::string>> servers() const;
  std::vector<json> security_schemes() const;
  // How "Try it out" sends a scheme's credential: `k` is apiKey (with `in` and `param`), basic,
  // bearer (http bearer, oauth2 and openIdConnect all take a token), http (another scheme: its
  // name and the text after it) or none (mutualTLS, which a page cannot present).
  void credential_data(JsonOut& out, const model::SecurityScheme& scheme) const;
  // "apiKey, or oauth (read:pets, write:pets)"; "none" where anonymous access is an alternative.
  std::string requirement_text(const std::vector<model::SecurityRequirement>& alternatives) const;

  // ---- operations
  OpDoc operation(const model::Operation& op);
  std::vector<MediaDoc> media_docs(const std::string& origin, const std::vector<model::MediaType>& content,
                                   ExampleUse use);
  RequestExample request_example(const OpDoc& doc);
  // An array's items, or an object's keys and values (`k=v` when `assign`: exploded), joined.
  static std::string joined(const json& value, const std::string& separator, bool encode = false,
                            bool assign = false);
  static std::string path_value(const model::Parameter& p, const json& value);
  static std::vector<std::pair<std::string, std::string>> query_pairs(const model::Parameter& p,
                                                                       const json& value);
  std::string curl(const RequestExample& request) const;
  void group_by_tag();

  // ---- schema descriptions
  static std::string join(const std::vector<std::string>& parts, const std::string& separator);
  // "array of Pet", "string (date-time)", "Pet, nullable". With `markdown`, spec text is escaped
  // and component names link to their sections.
  std::string type_text(SchemaId id, bool markdown, int depth = 0);
  std::string compute_type_text(SchemaId id, bool markdown, int depth);
  // `markdown`: which of the two caches (the Markdown and the page are built on two threads).
  const std::vector<std::string>& constraints(SchemaId id, bool markdown);
  // Markdown rows for an object's properties; nested inline objects as dotted names.
  json markdown_properties(SchemaId id, const std::string& prefix = "", int depth = 0);
  // A type text with links is already Markdown; in a table cell it only needs its bars escaped
  // and line breaks removed (type texts have neither unescaped, but be sure).
  static std::string markdown_table_cell_linked(std::string text);
  // Example blocks; a value already shown (the same spec example referenced from several places)
  // links to where it was, with `anchor` and `label` the place being rendered now.
  json markdown_example_blocks(const std::vector<Example>& examples, const std::string& anchor,
                               const std::string& label);
  json markdown_operation(std::size_t index);
  json markdown_media(const std::vector<MediaDoc>& list, const std::string& anchor, const std::string& label);
  json header_view(const std::string& version);

  // ---- page data
  std::size_t table_index(SchemaId id);
  void example_data(JsonOut& out, const Example& e);
  void media_data(JsonOut& out, const std::vector<MediaDoc>& list);
  // What "Try it out" needs of a parameter: its serialisation (`st` style, `x` explode), whether
  // its input holds JSON (`j`: arrays and objects) or text, and the text it starts with (`v`): the
  // value of the example request, so required parameters, the spec's examples and defaults.
  void try_param_data(JsonOut& out, const ParamDoc& pd) const;
  // The parameter's value in the example request, if it has one there.
  const json* request_value(const ParamDoc& pd) const;
  static const char* style_name(model::ParamStyle style);
  void page_operation(JsonOut& out, const OpDoc& doc);
  void page_schema(JsonOut& out, SchemaId id);
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

}  // namespace oasgen::render::docs
