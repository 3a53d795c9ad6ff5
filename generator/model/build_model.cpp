#include "model/build_model.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "ecma_regex.hpp"
#include "model/pattern_repair.hpp"

namespace oasgen::model {
namespace {

using load::Node;

constexpr std::array<std::string_view, 8> kMethods = {"get",  "put",   "post",  "delete",
                                                      "options", "head", "patch", "trace"};

// Keywords that constrain values but that oasgen does not check yet: reported, never ignored silently.
constexpr std::array<std::string_view, 3> kUnsupportedKeywords = {"unevaluatedItems", "$dynamicRef",
                                                                   "$recursiveRef"};

bool is_json_media_type(std::string_view media_type) {
  const auto semicolon = media_type.find(';');
  std::string type(media_type.substr(0, semicolon));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type == "application/json") return true;
  return type.rfind("application/", 0) == 0 && type.size() > 5 &&
         type.compare(type.size() - 5, 5, "+json") == 0;
}

class Builder {
 public:
  Builder(const load::Document& document, Diagnostics& diagnostics, const BuildOptions& options)
      : doc_(document), diag_(diagnostics), lenient_(options.lenient) {}

  std::optional<Api> build() {
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

 private:
  // ---- helpers -------------------------------------------------------------------------------

  Origin origin(const Node& node) const { return {node.file, node.pointer, doc_.id(node)}; }

  void error(const Node& node, std::string code, std::string message) {
    diag_.error(std::move(code), std::move(message), doc_.location(node), doc_.id(node));
  }
  void warning(const Node& node, std::string code, std::string message) {
    diag_.warning(std::move(code), std::move(message), doc_.location(node), doc_.id(node));
  }
  // A keyword whose value is of the wrong kind: read as absent, which only loosens the checks
  // (lenient; an error under --strict).
  void ignored(const Node& node, std::string code, const std::string& message) {
    warning(node, std::move(code), message + "; ignored");
  }

  std::optional<Node> child(const Node& node, std::string_view key) const {
    return doc_.child(node, key);
  }

  /// The member `key` with any $ref followed.
  std::optional<Node> resolved_child(const Node& node, std::string_view key) {
    auto member = doc_.child(node, key);
    if (!member) return std::nullopt;
    return doc_.deref(*member, diag_);
  }

  // The member `key` of an object node, or null. The scalar readers below use it rather than
  // child(): a Node carries its JSON pointer, built only when a diagnostic or a subschema needs it.
  static const nlohmann::json* value_of(const Node& node, std::string_view key) {
    if (!node->is_object()) return nullptr;
    const auto found = node->find(key);
    return found == node->end() ? nullptr : &*found;
  }

  bool has(const Node& node, std::string_view key) const { return value_of(node, key) != nullptr; }

  std::string text(const Node& node, std::string_view key) const {
    const nlohmann::json* member = value_of(node, key);
    if (member && member->is_string()) return member->get<std::string>();
    return {};
  }

  bool flag(const Node& node, std::string_view key, bool fallback = false) const {
    const nlohmann::json* member = value_of(node, key);
    if (member && member->is_boolean()) return member->get<bool>();
    return fallback;
  }

  std::optional<std::size_t> count(const Node& node, std::string_view key) {
    const nlohmann::json* member = value_of(node, key);
    if (!member) return std::nullopt;
    if (member->is_number_unsigned() || (member->is_number_integer() && *member >= 0)) {
      return member->get<std::size_t>();
    }
    ignored(doc_.member(node, key, *member), "schema-invalid",
            "'" + std::string(key) + "' must be a non-negative integer");
    return std::nullopt;
  }

  std::optional<double> number(const Node& node, std::string_view key) {
    const nlohmann::json* member = value_of(node, key);
    if (!member) return std::nullopt;
    if (member->is_number()) return member->get<double>();
    if (member->is_boolean()) return std::nullopt;  // 3.0 exclusiveMinimum: handled by caller
    ignored(doc_.member(node, key, *member), "schema-invalid",
            "'" + std::string(key) + "' must be a number");
    return std::nullopt;
  }

  template <typename F>
  void for_each_member(const Node& node, F&& f) {
    if (!node->is_object()) return;
    for (auto it = node->begin(); it != node->end(); ++it) {
      f(it.key(), doc_.member(node, it.key(), it.value()));
    }
  }

  // ---- info and tags ---------------------------------------------------------------------------

  void read_info(const Node& root) {
    auto info = child(root, "info");
    if (!info || !(*info)->is_object()) {
      error(root, "spec-invalid", "missing 'info' object");
      return;
    }
    api_.title = text(*info, "title");
    api_.version = text(*info, "version");
    api_.description = text(*info, "description");
  }

  void read_tags(const Node& root) {
    auto tags = child(root, "tags");
    if (!tags || !(*tags)->is_array()) return;
    for (std::size_t i = 0; i < (*tags)->size(); ++i) {
      auto tag = *doc_.child(*tags, i);
      api_.tags.push_back({text(tag, "name"), text(tag, "description")});
    }
  }

  // ---- schemas -------------------------------------------------------------------------------

  void read_component_schemas(const Node& root) {
    if (swagger2_) {
      if (auto definitions = child(root, "definitions")) {
        for_each_member(*definitions, [&](const std::string& name, const Node& node) {
          schema(node, {name});
        });
      }
      return;
    }
    auto components = child(root, "components");
    if (!components) return;
    auto schemas = child(*components, "schemas");
    if (!schemas) return;
    for_each_member(*schemas, [&](const std::string& name, const Node& node) {
      schema(node, {name});
    });
  }

  SchemaId opaque_schema(const Node& node, std::vector<std::string> name_parts) {
    Schema s;
    s.origin = origin(node);
    s.name_parts = std::move(name_parts);
    s.opaque = true;
    api_.schemas.push_back(std::move(s));
    return api_.schemas.size() - 1;
  }

  /// Name parts for a schema that a $ref points at: the component name, or the pointer's tokens, or
  /// for a whole file (`$ref: schemas/pet.yaml`) the file's name without extension.
  static std::vector<std::string> parts_from_id(const std::string& id) {
    std::vector<std::string> tokens;
    const auto hash = id.find('#');
    std::string_view pointer = std::string_view(id).substr(hash == std::string::npos ? 0 : hash + 1);
    while (!pointer.empty()) {
      pointer.remove_prefix(1);
      const auto slash = pointer.find('/');
      std::string token(pointer.substr(0, slash));
      for (std::size_t p; (p = token.find("~1")) != std::string::npos;) token.replace(p, 2, "/");
      for (std::size_t p; (p = token.find("~0")) != std::string::npos;) token.replace(p, 2, "~");
      tokens.push_back(std::move(token));
      pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
    }
    if (tokens.size() == 3 && tokens[0] == "components" && tokens[1] == "schemas") {
      return {tokens[2]};
    }
    if (tokens.size() == 2 && tokens[0] == "definitions") return {tokens[1]};
    std::vector<std::string> parts;
    for (auto& token : tokens) {
      if (token == "components" || token == "schemas" || token == "properties" ||
          token == "content" || token == "paths") {
        continue;
      }
      parts.push_back(std::move(token));
    }
    if (tokens.empty()) {
      const std::string stem = std::filesystem::path(id.substr(0, hash)).stem().string();
      if (!stem.empty()) parts.push_back(stem);
    }
    if (parts.empty()) parts.push_back("Schema");
    return parts;
  }

  static bool is_component(const std::string& id) {
    return id.find("#/components/schemas/") != std::string::npos ||
           id.find("#/definitions/") != std::string::npos;
  }

  SchemaId schema(const Node& node, std::vector<std::string> name_parts) {
    if (node->is_object() && node->contains("$ref")) {
      auto target = doc_.deref(node, diag_);
      if (!target) return opaque_schema(node, std::move(name_parts));
      for_each_member(node, [&](const std::string& key, const Node& sibling) {
        if (key != "$ref" && key != "description" && key != "summary" && key != "title" &&
            key.rfind("x-", 0) != 0 && !openapi31_) {
          warning(sibling, "ref-sibling-ignored",
                  "'" + key + "' beside '$ref' is ignored (OpenAPI 3.0 ignores siblings of $ref)");
        }
      });
      const std::string id = doc_.id(*target);
      auto known = by_id_.find(id);
      // A component that is a whole other file (`Pet: {$ref: pet.yaml}`) names it.
      const bool named_here = id.back() == '#' && is_component(doc_.id(node));
      const SchemaId referenced =
          known != by_id_.end() ? known->second
                                : schema(*target, named_here ? name_parts : parts_from_id(id));
      if (openapi31_ && constrains_beside_ref(node)) {
        return ref_with_siblings(node, referenced, std::move(name_parts));
      }
      return referenced;
    }
    return build_once(node, std::move(name_parts), [&](const std::string& id, Schema& s) {
      s.component = s.name_parts.size() == 1 && (is_component(id) || id.back() == '#');
      if (node->is_boolean()) {
        // true: anything; false: nothing. Either way the C++ type is free-form JSON.
        s.opaque = true;
        s.never = !node->get<bool>();
      } else if (!node->is_object()) {
        warning(node, "schema-invalid", "a schema must be an object; read as any JSON value");
        s.opaque = true;
      } else {
        fill(node, s);
      }
    });
  }

  // The schema at `node`, built once: its index is taken (and known to references, so that
  // recursion ends) before `fill_schema(id, schema)` runs.
  template <typename Fill>
  SchemaId build_once(const Node& node, std::vector<std::string> name_parts, Fill fill_schema) {
    const std::string id = doc_.id(node);
    if (auto known = by_id_.find(id); known != by_id_.end()) return known->second;
    const SchemaId index = api_.schemas.size();
    api_.schemas.emplace_back();
    by_id_.emplace(id, index);
    in_progress_.insert(index);
    building_.push_back(index);
    Schema s;
    s.origin = origin(node);
    s.name_parts = std::move(name_parts);
    fill_schema(id, s);
    api_.schemas[index] = std::move(s);
    in_progress_.erase(index);
    building_.pop_back();
    return index;
  }

  void fill(const Node& node, Schema& s) {
    s.title = text(node, "title");
    s.description = text(node, "description");
    s.format = text(node, "format");
    if (!s.format.empty()) check_format(node, s.format);
    s.content_media_type = text(node, "contentMediaType");
    s.nullable = flag(node, "nullable") || flag(node, "x-nullable");
    s.read_only = flag(node, "readOnly");
    s.write_only = flag(node, "writeOnly");
    s.deprecated = flag(node, "deprecated");

    if (const auto* type = value_of(node, "type")) read_type(node, *type, s);

    for (auto keyword : kUnsupportedKeywords) {
      if (auto member = child(node, keyword)) {
        warning(*member, "unsupported-keyword",
                "'" + std::string(keyword) + "' is not checked by oasgen yet; values are not validated against it");
      }
    }

    // Strings.
    s.min_length = count(node, "minLength");
    s.max_length = count(node, "maxLength");
    if (const auto* pattern = value_of(node, "pattern")) {
      if (pattern->is_string()) {
        s.pattern = pattern->get<std::string>();
      } else {
        ignored(doc_.member(node, "pattern", *pattern), "schema-invalid", "'pattern' must be a string");
      }
    }
    // Numbers. 3.0 spells exclusive bounds as booleans beside minimum/maximum, 3.1 as numbers.
    s.minimum = number(node, "minimum");
    s.maximum = number(node, "maximum");
    s.multiple_of = number(node, "multipleOf");
    if (s.multiple_of && *s.multiple_of <= 0) {
      ignored(*child(node, "multipleOf"), "schema-invalid", "'multipleOf' must be greater than 0");
      s.multiple_of.reset();
    }
    read_exclusive(node, "exclusiveMinimum", s.minimum, s.exclusive_minimum);
    read_exclusive(node, "exclusiveMaximum", s.maximum, s.exclusive_maximum);
    // Arrays.
    if (auto items = child(node, "items"); items && !(*items)->is_array()) {
      auto parts = s.name_parts;
      parts.push_back("item");
      s.items = schema(*items, std::move(parts));
    }
    s.min_items = count(node, "minItems");
    s.max_items = count(node, "maxItems");
    s.unique_items = flag(node, "uniqueItems");
    // Objects.
    std::set<std::string> required;
    if (const auto* list = value_of(node, "required"); list && list->is_array()) {
      for (const auto& name : *list) {
        if (name.is_string()) required.insert(name.get<std::string>());
      }
    }
    if (auto properties = child(node, "properties")) {
      for_each_member(*properties, [&](const std::string& name, const Node& property) {
        auto parts = s.name_parts;
        parts.push_back(name);
        s.properties.push_back({name, schema(property, std::move(parts)), required.count(name) > 0});
      });
    }
    s.required.assign(required.begin(), required.end());
    if (auto additional = child(node, "additionalProperties")) {
      if ((*additional)->is_boolean()) {
        s.additional_allowed = (*additional)->get<bool>();
      } else {
        auto parts = s.name_parts;
        parts.push_back("value");
        s.additional = schema(*additional, std::move(parts));
      }
    }
    s.min_properties = count(node, "minProperties");
    s.max_properties = count(node, "maxProperties");
    if (s.types == 0) {
      if (!s.properties.empty() || has(node, "additionalProperties") || has(node, "required")) {
        s.types = kObject;
      } else if (s.items) {
        s.types = kArray;
      }
    }
    // Values.
    if (const auto* values = value_of(node, "enum")) {
      if (values->is_array() && !values->empty()) {
        for (const auto& value : *values) {
          if (value.is_null()) {
            s.nullable = true;
          } else {
            s.enum_values.push_back(value);
          }
        }
      } else {
        ignored(doc_.member(node, "enum", *values), "schema-invalid", "'enum' must be a non-empty array");
      }
    }
    if (const auto* value = value_of(node, "const")) s.const_value = *value;
    if (const auto* value = value_of(node, "default")) s.default_value = *value;
    if (const auto* value = value_of(node, "example")) s.example = *value;
    if (!s.example) {
      if (const auto* values = value_of(node, "examples"); values && values->is_array() && !values->empty()) {
        s.example = (*values)[0];
      }
    }
    read_validation_keywords(node, s);
    // Composition.
    if (auto all_of = child(node, "allOf")) merge_all_of(*all_of, s);
    for (std::string_view keyword : {"oneOf", "anyOf"}) {
      if (auto alternatives = child(node, keyword)) read_alternatives(*alternatives, keyword, s);
    }
    read_discriminator(node, s);
  }

  void read_type(const Node& node, const nlohmann::json& type, Schema& s) {
    auto bit = [&](const nlohmann::json& name) -> unsigned {
      static const std::map<std::string, unsigned, std::less<>> kTypes = {
          {"null", kNull},       {"boolean", kBoolean}, {"integer", kInteger}, {"number", kNumber},
          {"string", kString},   {"array", kArray},     {"object", kObject}};
      if (name.is_string()) {
        if (auto it = kTypes.find(name.get_ref<const std::string&>()); it != kTypes.end()) return it->second;
        if (swagger2_ && name == "file") {  // 2.0 file upload: bytes, as 3.x spells it
          s.format = "binary";
          return kString;
        }
      }
      ignored(doc_.member(node, "type", type), "schema-invalid", "unknown type " + name.dump());
      return 0;
    };
    if (type.is_array()) {
      for (const auto& name : type) s.types |= bit(name);
    } else {
      s.types = bit(type);
    }
    if (s.types & kNull) {
      s.nullable = true;
      s.types &= ~static_cast<unsigned>(kNull);
      if (s.types == 0) s.types = kNull;
    }
  }

  void read_exclusive(const Node& node, std::string_view key, std::optional<double>& bound,
                      bool& exclusive) {
    const nlohmann::json* member = value_of(node, key);
    if (!member) return;
    if (member->is_boolean()) {
      exclusive = member->get<bool>();
    } else if (member->is_number()) {
      const double value = member->get<double>();
      // With both forms present, the stricter bound wins.
      const bool lower = key == "exclusiveMinimum";
      if (!bound || (lower ? value >= *bound : value <= *bound)) {
        bound = value;
        exclusive = true;
      }
    } else {
      ignored(doc_.member(node, key, *member), "schema-invalid",
              "'" + std::string(key) + "' must be a boolean or a number");
    }
  }

  // ---- validation keywords ---------------------------------------------------------------------
  // What only validators read, with JSON Schema's meaning (see Schema::own). Called from fill()
  // after the keywords that shape the C++ type and before allOf/anyOf/oneOf are merged.

  SchemaId subschema_at(const Node& node, const Schema& s, std::string part) {
    auto parts = s.name_parts;
    parts.push_back(std::move(part));
    const SchemaId id = schema(node, std::move(parts));
    // Inline applicator schemas are checked where they stand; they are no C++ types of their own.
    if (!node->is_object() || !node->contains("$ref")) api_.schemas[id].composition_part = true;
    return id;
  }

  std::optional<SchemaId> subschema(const Node& node, std::string_view key, const Schema& s) {
    auto member = child(node, key);
    if (!member) return std::nullopt;
    return subschema_at(*member, s, std::string(key));
  }

  // Every pattern is compiled here, so that a pattern the runtime could not compile never
  // reaches generated code. One that is not ECMA-262 is read leniently (a warning; an error under
  // --strict): translated where its meaning is clear (Java's `\p{Alnum}`, `\A`, ...), else left
  // unchecked. Returns the pattern to check, or nullopt when there is none.
  std::optional<std::string> usable_pattern(const Node& at, const std::string& pattern) {
    std::string message;
    if (pcre2_code* code = detail::compile_ecma_regex(pattern, message)) {
      pcre2_code_free(code);
      return pattern;
    }
    const auto quote = [](const std::string& text) {
      return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    const std::string what = "pattern " + quote(pattern) +
                             " is not a valid ECMA-262 regular expression (" + message + ")";
    if (auto translated = translate_foreign_pattern(pattern)) {
      std::string ignored;
      if (pcre2_code* code = detail::compile_ecma_regex(*translated, ignored)) {
        pcre2_code_free(code);
        warning(at, "pattern-invalid", what + "; checked as its ECMA-262 reading " + quote(*translated));
        return translated;
      }
    }
    warning(at, "pattern-invalid", what + "; values are not checked against it");
    return std::nullopt;
  }

  // OpenAPI 3.1 (JSON Schema 2020-12): keywords beside $ref apply as well. Annotations alone change
  // nothing; anything else makes a schema of its own.
  bool constrains_beside_ref(const Node& node) const {
    static const std::set<std::string, std::less<>> kAnnotations = {
        "$ref",       "description", "summary", "title",  "example", "examples",
        "default",    "deprecated",  "$comment", "externalDocs", "xml"};
    for (auto it = node->begin(); it != node->end(); ++it) {
      if (!kAnnotations.count(it.key()) && it.key().rfind("x-", 0) != 0) return true;
    }
    return false;
  }

  // `{$ref: X, <keywords>}` in 3.1: typed as X (same_as), validated as X and the keywords (allOf).
  SchemaId ref_with_siblings(const Node& node, SchemaId referenced, std::vector<std::string> name_parts) {
    return build_once(node, std::move(name_parts), [&](const std::string&, Schema& s) {
      fill(node, s);
      s.same_as = referenced;
      s.all_of.insert(s.all_of.begin(), referenced);
    });
  }

  // A format neither JSON Schema nor the OpenAPI Format Registry defines is accepted without a
  // check; said once per name, where it is first used.
  void check_format(const Node& node, const std::string& format) {
    static const std::set<std::string, std::less<>> kKnown = {
        // JSON Schema 2020-12
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
        "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
        "json-pointer", "relative-json-pointer", "regex",
        // OpenAPI Format Registry (spec.openapis.org/registry/format)
        "int8", "int16", "int32", "int64", "uint8", "float", "double", "decimal", "decimal128",
        "double-int", "byte", "binary", "base64url", "char", "commonmark", "html", "media-range",
        "password", "sf-binary", "sf-boolean", "sf-decimal", "sf-integer", "sf-string", "sf-token",
        "date-time-local", "time-local",
        // The unsigned widths proposed for the registry (OAI/OpenAPI-Specification#4564), in use
        "uint16", "uint32", "uint64"};
    if (kKnown.count(format) != 0 || !unknown_formats_.insert(format).second) return;
    warning(*child(node, "format"), "format-unknown",
            "format '" + format + "' is neither JSON Schema's nor in the OpenAPI Format Registry; "
            "values are accepted without a format check (further uses are not reported)");
  }

  // A `type` of known names only; another is ignored (read_type says so), as if absent.
  bool readable_type(const nlohmann::json& type) const {
    static const std::set<std::string, std::less<>> kNames = {
        "null", "boolean", "integer", "number", "string", "array", "object"};
    auto known = [&](const nlohmann::json& name) {
      return name.is_string() &&
             (kNames.count(name.get<std::string>()) != 0 || (swagger2_ && name == "file"));
    };
    if (!type.is_array()) return known(type);
    return std::all_of(type.begin(), type.end(), known);
  }

  void read_validation_keywords(const Node& node, Schema& s) {
    if (const auto* type = value_of(node, "type"); type && readable_type(*type)) {
      s.has_type = true;
      if (type->is_array()) {
        for (const auto& name : *type) s.type_null = s.type_null || name == "null";
      } else {
        s.type_null = *type == "null";
      }
    }
    // `nullable` is OpenAPI 3.0 (and x-nullable Swagger 2.0); 3.1 spells it `type: [..., "null"]`.
    if (s.has_type && !openapi31_ && (flag(node, "nullable") || flag(node, "x-nullable"))) {
      s.type_null = true;
    }
    if (const auto* values = value_of(node, "enum"); values && values->is_array()) {
      for (const auto& value : *values) s.enum_null = s.enum_null || value.is_null();
    }
    if (s.pattern) {
      if (auto pattern = usable_pattern(*child(node, "pattern"), *s.pattern)) {
        s.pattern = std::move(*pattern);
      } else {
        s.pattern_unchecked = std::move(*s.pattern);
        s.pattern.reset();
      }
    }

    s.not_schema = subschema(node, "not", s);
    s.if_schema = subschema(node, "if", s);
    s.then_schema = subschema(node, "then", s);
    s.else_schema = subschema(node, "else", s);

    if (auto patterns = child(node, "patternProperties")) {
      if (!(*patterns)->is_object()) ignored(*patterns, "schema-invalid", "'patternProperties' must be an object");
      for_each_member(*patterns, [&](const std::string& written, const Node& member) {
        // Without a usable pattern the member schema applies to no name: the members it meant
        // are then additional properties.
        auto pattern = usable_pattern(member, written);
        if (!pattern) return;
        const std::string part = "pattern" + std::to_string(s.pattern_properties.size() + 1);
        s.pattern_properties.emplace_back(std::move(*pattern), subschema_at(member, s, part));
      });
    }
    s.property_names = subschema(node, "propertyNames", s);
    s.has_additional = has(node, "additionalProperties");
    s.unevaluated_properties = subschema(node, "unevaluatedProperties", s);
    // Drafts 4-7 spell both dependentRequired (an array) and dependentSchemas as `dependencies`.
    for (std::string_view keyword : {"dependencies", "dependentRequired", "dependentSchemas"}) {
      auto member = child(node, keyword);
      if (!member) continue;
      if (!(*member)->is_object()) {
        ignored(*member, "schema-invalid", "'" + std::string(keyword) + "' must be an object");
        continue;
      }
      for_each_member(*member, [&](const std::string& name, const Node& dependency) {
        if (dependency->is_array() && keyword != "dependentSchemas") {
          std::vector<std::string> names;
          for (const auto& required : *dependency) {
            if (required.is_string()) {
              names.push_back(required.get<std::string>());
            } else {
              ignored(dependency, "schema-invalid", "'" + std::string(keyword) + "' lists names (strings)");
            }
          }
          s.dependent_required.emplace_back(name, std::move(names));
        } else if (keyword != "dependentRequired") {
          s.dependent_schemas.emplace_back(name, subschema_at(dependency, s, name));
        } else {
          ignored(dependency, "schema-invalid", "'dependentRequired' values must be arrays of names");
        }
      });
    }

    s.contains = subschema(node, "contains", s);
    if (auto min = count(node, "minContains")) s.min_contains = *min;
    s.max_contains = count(node, "maxContains");
    auto tuple = [&](const Node& list) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        s.prefix_items.push_back(subschema_at(*doc_.child(list, i), s, "item" + std::to_string(i + 1)));
      }
    };
    if (auto items = child(node, "items"); items && (*items)->is_array()) {
      tuple(*items);  // drafts 4-7; additionalItems applies only here
      if (auto additional = child(node, "additionalItems")) {
        s.additional_items = subschema_at(*additional, s, "additionalItem");
      }
    } else if (auto prefix = child(node, "prefixItems")) {
      if ((*prefix)->is_array()) {
        tuple(*prefix);
        // 2020-12: `items` checks the elements after the prefix; the C++ type is not uniform.
        s.additional_items = s.items;
        s.items.reset();
      } else {
        ignored(*prefix, "schema-invalid", "'prefixItems' must be an array");
      }
    }

    if (has(node, "allOf") || has(node, "anyOf") || has(node, "oneOf")) {
      Schema own = s;
      own.component = false;
      own.composition_part = true;
      own.name_parts.push_back("own");
      api_.schemas.push_back(std::move(own));
      s.own = api_.schemas.size() - 1;
      if (auto list = child(node, "allOf"); list && (*list)->is_array()) {
        for (std::size_t i = 0; i < (*list)->size(); ++i) {
          // The same name parts as merge_all_of gives them, so the schema is built once.
          s.all_of.push_back(subschema_at(*doc_.child(*list, i), s, "part" + std::to_string(i + 1)));
        }
      }
    }
  }

  // allOf becomes one type: properties, required names and constraints of every part merged.
  void merge_all_of(const Node& list, Schema& s) {
    if (!list->is_array()) {
      ignored(list, "schema-invalid", "'allOf' must be an array");
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Node part_node = *doc_.child(list, i);
      auto parts = s.name_parts;
      parts.push_back("part" + std::to_string(i + 1));
      const SchemaId id = schema(part_node, std::move(parts));
      if (!part_node->contains("$ref")) api_.schemas[id].composition_part = true;
      const Schema& part = api_.schemas[id];
      if (in_progress_.count(id)) {
        // The part is still being built (a cycle through a property): merge once it is complete.
        deferred_merges_.push_back({building_.back(), id, part_node});
        continue;
      }
      if (part.opaque) {
        warning(part_node, "composition-fallback",
                "this allOf part cannot be merged into one type; the value is kept as free-form JSON");
        s.opaque = true;
        continue;
      }
      merge_into(part, s);
    }
  }

  // Later parts of a cycle are recorded first, so merging in reverse completes every part before
  // it is merged into another.
  void finish_deferred_merges() {
    for (auto it = deferred_merges_.rbegin(); it != deferred_merges_.rend(); ++it) {
      if (it->target == it->part) {
        error(it->node, "schema-recursive", "an allOf part cannot include its own schema");
        continue;
      }
      Schema part = api_.schemas[it->part];
      if (part.opaque) {
        api_.schemas[it->target].opaque = true;
      } else {
        merge_into(part, api_.schemas[it->target]);
      }
    }
  }

  static void merge_into(const Schema& part, Schema& s) {
    if (s.types == 0) {
      s.types = part.types;
    } else if (part.types != 0) {
      s.types &= part.types;
    }
    s.nullable = s.nullable && part.nullable;
    for (const auto& property : part.properties) {
      auto same = std::find_if(s.properties.begin(), s.properties.end(),
                               [&](const Property& p) { return p.name == property.name; });
      if (same == s.properties.end()) {
        s.properties.push_back(property);
      } else {
        same->required = same->required || property.required;
      }
    }
    for (const auto& name : part.required) {
      for (auto& property : s.properties) {
        if (property.name == name) property.required = true;
      }
      if (std::find(s.required.begin(), s.required.end(), name) == s.required.end()) {
        s.required.push_back(name);
      }
    }
    std::sort(s.required.begin(), s.required.end());
    if (s.format.empty()) s.format = part.format;
    auto take = [](auto& mine, const auto& theirs) {
      if (!mine && theirs) mine = theirs;
    };
    take(s.min_length, part.min_length);
    take(s.max_length, part.max_length);
    take(s.pattern, part.pattern);
    take(s.pattern_unchecked, part.pattern_unchecked);
    if (!s.minimum && part.minimum) {
      s.minimum = part.minimum;
      s.exclusive_minimum = part.exclusive_minimum;
    }
    if (!s.maximum && part.maximum) {
      s.maximum = part.maximum;
      s.exclusive_maximum = part.exclusive_maximum;
    }
    take(s.multiple_of, part.multiple_of);
    take(s.items, part.items);
    take(s.min_items, part.min_items);
    take(s.max_items, part.max_items);
    s.unique_items = s.unique_items || part.unique_items;
    s.additional_allowed = s.additional_allowed && part.additional_allowed;
    take(s.additional, part.additional);
    take(s.min_properties, part.min_properties);
    take(s.max_properties, part.max_properties);
    if (s.enum_values.empty()) s.enum_values = part.enum_values;
    take(s.const_value, part.const_value);
    take(s.default_value, part.default_value);
    take(s.example, part.example);
  }

  // oneOf/anyOf: `[X, {type: null}]` is a nullable X; anything else is not representable yet.
  void read_alternatives(const Node& list, std::string_view keyword, Schema& s) {
    if (!list->is_array() || list->empty()) {
      ignored(list, "schema-invalid", "'" + std::string(keyword) + "' must be a non-empty array");
      return;
    }
    std::vector<SchemaId> non_null;
    bool has_null = false;
    auto& alternatives = keyword == "oneOf" ? s.one_of : s.any_of;
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto parts = s.name_parts;
      parts.push_back("option" + std::to_string(i + 1));
      const Node option_node = *doc_.child(list, i);
      const SchemaId id = schema(option_node, std::move(parts));
      if (!option_node->contains("$ref")) api_.schemas[id].composition_part = true;
      alternatives.push_back(id);
      const Schema& option = api_.schemas[id];
      if (option.types == kNull && option.properties.empty()) {
        has_null = true;
      } else {
        non_null.push_back(id);
      }
    }
    if (non_null.size() == 1 && s.types == 0 && s.properties.empty()) {
      const Schema& option = api_.schemas[non_null[0]];
      if (option.component || in_progress_.count(non_null[0])) {
        s.same_as = non_null[0];
      } else {
        merge_into(option, s);
      }
      s.nullable = s.nullable || has_null;
      return;
    }
    // Several alternatives: naming makes a std::variant of them where it can, JSON otherwise.
    s.opaque = true;
    s.nullable = s.nullable || has_null;
  }

  // discriminator: {propertyName, mapping}. Mapping targets may not be built yet: they are resolved
  // at the end (finish_discriminators).
  void read_discriminator(const Node& node, Schema& s) {
    auto discriminator = child(node, "discriminator");
    if (!discriminator || !(*discriminator)->is_object()) return;
    Discriminator d;
    d.property = text(*discriminator, "propertyName");
    if (d.property.empty()) {
      ignored(*discriminator, "spec-invalid", "a discriminator needs a 'propertyName'");
      return;
    }
    if (auto mapping = child(*discriminator, "mapping")) {
      for_each_member(*mapping, [&](const std::string& value, const Node& target) {
        if (!target->is_string()) return;
        std::string ref = target->get<std::string>();
        if (ref.find('#') == std::string::npos && ref.find('/') == std::string::npos) {
          ref = (swagger2_ ? "#/definitions/" : "#/components/schemas/") + ref;
        }
        pending_mappings_.push_back({building_.back(), value, ref, target});
      });
    }
    s.discriminator = std::move(d);
  }

  // Explicit mappings resolved; alternatives that are components map from their names too.
  void finish_discriminators() {
    for (const auto& pending : pending_mappings_) {
      auto known = by_id_.find(pending.ref);
      if (known == by_id_.end()) {
        warning(pending.node, "discriminator-mapping",
                "mapping target '" + pending.ref + "' is not a known schema; ignored");
        continue;
      }
      api_.schemas[pending.schema].discriminator->mapping.emplace_back(pending.value, known->second);
    }
    for (auto& s : api_.schemas) {
      if (!s.discriminator) continue;
      auto& mapping = s.discriminator->mapping;
      for (SchemaId id : s.one_of.empty() ? s.any_of : s.one_of) {
        const Schema& option = api_.schemas[id];
        const bool mapped = std::any_of(mapping.begin(), mapping.end(),
                                        [&](const auto& entry) { return entry.second == id; });
        if (option.component && !mapped) mapping.emplace_back(option.name_parts.front(), id);
      }
    }
  }

  // ---- paths and operations ------------------------------------------------------------------

  void read_paths(const Node& root) {
    auto paths = child(root, "paths");
    if (!paths) return;
    std::set<std::string> routes;  // the paths as written, then the query strings cut off
    for_each_member(*paths, [&](const std::string& path, const Node&) { routes.insert(path); });
    for_each_member(*paths, [&](const std::string& written, const Node& item_node) {
      if (written.rfind("x-", 0) == 0) return;
      if (written.empty() || written[0] != '/') {
        error(item_node, "spec-invalid", "path '" + written + "' must start with '/'");
        return;
      }
      // A query string in a path template is no part of the route: the route is what precedes
      // it, and the operation's query parameters are read as they are declared.
      const std::string path = written.substr(0, written.find('?'));
      if (path != written) {
        if (!routes.insert(path).second) {
          warning(item_node, "spec-invalid", "path '" + written + "' has a query string, and without it is the route '" +
                                                 path + "' of another path item; ignored");
          return;
        }
        warning(item_node, "spec-invalid",
                "path '" + written + "' has a query string; the route is '" + path +
                    "', and the query parameters are read as the operations declare them");
      }
      auto item = doc_.deref(item_node, diag_);
      if (!item) return;
      std::vector<Parameter> shared;
      body_parameters_.clear();
      if (auto list = child(*item, "parameters")) shared = read_parameters(*list, {path});
      const std::vector<Node> shared_body = body_parameters_;
      for (auto method : kMethods) {
        body_parameters_ = shared_body;
        if (auto operation = child(*item, method)) read_operation(path, method, shared, *operation);
      }
    });
    std::sort(api_.operations.begin(), api_.operations.end(),
              [](const Operation& a, const Operation& b) {
                return std::tie(a.path, a.method) < std::tie(b.path, b.method);
              });
  }

  static std::string derived_operation_id(std::string_view method, std::string_view path) {
    std::string id(method);
    std::string segment;
    for (std::size_t i = 0; i <= path.size(); ++i) {
      if (i == path.size() || path[i] == '/') {
        if (!segment.empty()) {
          if (segment.front() == '{' && segment.back() == '}') {
            id += "_by_" + segment.substr(1, segment.size() - 2);
          } else {
            id += "_" + segment;
          }
        }
        segment.clear();
      } else {
        segment += path[i];
      }
    }
    return id;
  }

  void read_operation(const std::string& path, std::string_view method,
                      const std::vector<Parameter>& shared, const Node& node) {
    Operation op;
    op.origin = origin(node);
    op.method.assign(method);
    std::transform(op.method.begin(), op.method.end(), op.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    op.path = path;
    op.operation_id = text(node, "operationId");
    if (op.operation_id.empty()) op.operation_id = derived_operation_id(method, path);
    op.summary = text(node, "summary");
    op.description = text(node, "description");
    op.deprecated = flag(node, "deprecated");
    if (node->is_object()) {
      for (const auto& [key, value] : node->items()) {
        if (key.rfind("x-", 0) == 0) op.extensions[key] = value;
      }
    }
    if (auto tags = child(node, "tags"); tags && (*tags)->is_array()) {
      for (const auto& tag : **tags) {
        if (tag.is_string()) op.tags.push_back(tag.get<std::string>());
      }
    }
    op.parameters = shared;
    if (auto list = child(node, "parameters")) {
      for (auto& parameter : read_parameters(*list, {op.operation_id})) {
        auto same = std::find_if(op.parameters.begin(), op.parameters.end(), [&](const Parameter& p) {
          return p.name == parameter.name && p.in == parameter.in;
        });
        if (same != op.parameters.end()) {
          *same = std::move(parameter);
        } else {
          op.parameters.push_back(std::move(parameter));
        }
      }
    }
    check_path_parameters(node, op);
    if (swagger2_) {
      consumes_ = child(node, "consumes") ? media_types(node, "consumes") : global_consumes_;
      produces_ = child(node, "produces") ? media_types(node, "produces") : global_produces_;
      op.request_body = swagger_request_body(node, op.operation_id);
    } else if (auto body = resolved_child(node, "requestBody")) {
      op.request_body = read_request_body(*body, op.operation_id);
    }
    if (auto responses = child(node, "responses")) {
      for_each_member(*responses, [&](const std::string& status, const Node& response) {
        if (status.rfind("x-", 0) == 0) return;
        if (auto resolved = doc_.deref(response, diag_)) {
          op.responses.push_back(read_response(*resolved, status, op.operation_id));
        }
      });
    }
    if (op.responses.empty()) {
      warning(node, "no-responses",
              "operation " + op.method + " " + path + " declares no responses; it answers 'default' with no body");
      Response fallback;
      fallback.origin = op.origin;
      fallback.status = "default";
      fallback.description = "Undocumented response.";
      op.responses.push_back(std::move(fallback));
    }
    std::stable_sort(op.responses.begin(), op.responses.end(), [](const Response& a, const Response& b) {
      auto rank = [](const std::string& status) {
        if (status == "default") return 2;
        return status.find_first_not_of("0123456789") == std::string::npos ? 0 : 1;
      };
      return std::make_pair(rank(a.status), a.status) < std::make_pair(rank(b.status), b.status);
    });
    api_.operations.push_back(std::move(op));
  }

  void check_path_parameters(const Node& node, Operation& op) {
    std::set<std::string> in_template;
    for (std::size_t open = op.path.find('{'); open != std::string::npos;
         open = op.path.find('{', open + 1)) {
      const auto close = op.path.find('}', open);
      if (close == std::string::npos) {
        error(node, "spec-invalid", "unbalanced '{' in path '" + op.path + "'");
        return;
      }
      in_template.insert(op.path.substr(open + 1, close - open - 1));
    }
    for (const auto& name : in_template) {
      const bool declared = std::any_of(op.parameters.begin(), op.parameters.end(), [&](const Parameter& p) {
        return p.in == ParamIn::Path && p.name == name;
      });
      if (!declared && lenient_) {
        warning(node, "spec-invalid", "path parameter '" + name + "' of '" + op.path +
                                          "' is not declared; taken as a string");
        Parameter p;
        p.origin = op.origin;
        p.name = name;
        p.in = ParamIn::Path;
        p.style = ParamStyle::Simple;
        p.explode = false;
        p.required = true;
        Schema text_schema;
        text_schema.origin = op.origin;
        text_schema.name_parts = {op.operation_id, name};
        text_schema.types = kString;
        text_schema.has_type = true;
        api_.schemas.push_back(std::move(text_schema));
        p.schema = api_.schemas.size() - 1;
        op.parameters.push_back(std::move(p));
      } else if (!declared) {
        error(node, "spec-invalid", "path parameter '" + name + "' of '" + op.path + "' is not declared");
      }
    }
    // A declared path parameter the template lacks can never be given: it is dropped.
    auto absent = [&](const Parameter& p) { return p.in == ParamIn::Path && !in_template.count(p.name); };
    for (const auto& p : op.parameters) {
      if (absent(p)) {
        diag_.warning("spec-invalid",
                      "path parameter '" + p.name + "' does not appear in the path '" + op.path + "'; ignored",
                      doc_.location({nullptr, p.origin.file, p.origin.pointer_in_file}), p.origin.pointer);
      }
    }
    op.parameters.erase(std::remove_if(op.parameters.begin(), op.parameters.end(), absent),
                        op.parameters.end());
  }

  std::vector<Parameter> read_parameters(const Node& list, const std::vector<std::string>& scope) {
    std::vector<Parameter> result;
    if (!list->is_array()) {
      error(list, "spec-invalid", "'parameters' must be an array");
      return result;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto node = doc_.deref(*doc_.child(list, i), diag_);
      if (!node) continue;
      if (auto parameter = read_parameter(*node, scope)) result.push_back(std::move(*parameter));
    }
    return result;
  }

  std::optional<Parameter> read_parameter(const Node& node, const std::vector<std::string>& scope) {
    if (swagger2_ && (text(node, "in") == "body" || text(node, "in") == "formData")) {
      body_parameters_.push_back(node);  // becomes the operation's request body
      return std::nullopt;
    }
    Parameter p;
    p.origin = origin(node);
    p.name = text(node, "name");
    p.description = text(node, "description");
    p.deprecated = flag(node, "deprecated");
    p.allow_empty_value = flag(node, "allowEmptyValue");
    const std::string in = text(node, "in");
    static const std::map<std::string, ParamIn, std::less<>> kIn = {
        {"path", ParamIn::Path}, {"query", ParamIn::Query}, {"header", ParamIn::Header},
        {"cookie", ParamIn::Cookie}};
    auto where = kIn.find(in);
    if (p.name.empty() || where == kIn.end()) {
      ignored(node, "spec-invalid", "a parameter needs a 'name' and 'in' (path, query, header or cookie)");
      return std::nullopt;
    }
    p.in = where->second;
    p.required = p.in == ParamIn::Path || flag(node, "required");
    if (p.in == ParamIn::Path && !flag(node, "required")) {
      warning(node, "spec-invalid", "path parameter '" + p.name + "' must be required; treated as required");
    }
    p.style = p.in == ParamIn::Query || p.in == ParamIn::Cookie ? ParamStyle::Form : ParamStyle::Simple;
    if (auto style = child(node, "style")) {
      static const std::map<std::string, ParamStyle, std::less<>> kStyles = {
          {"simple", ParamStyle::Simple},         {"label", ParamStyle::Label},
          {"matrix", ParamStyle::Matrix},         {"form", ParamStyle::Form},
          {"spaceDelimited", ParamStyle::SpaceDelimited},
          {"pipeDelimited", ParamStyle::PipeDelimited}, {"deepObject", ParamStyle::DeepObject}};
      auto known = (*style)->is_string() ? kStyles.find((*style)->get<std::string>()) : kStyles.end();
      if (known == kStyles.end()) {
        warning(*style, "spec-invalid", "unknown parameter style " + (*style)->dump() +
                                            "; read in the default style of its location");
      } else {
        p.style = known->second;
      }
    }
    p.explode = flag(node, "explode", p.style == ParamStyle::Form);
    if (swagger2_) read_collection_format(node, p);
    auto parts = scope;
    parts.push_back(p.name);
    if (swagger2_) {
      p.schema = schema(node, std::move(parts));  // 2.0 parameters carry the schema keywords
    } else if (auto schema_node = child(node, "schema")) {
      p.schema = schema(*schema_node, std::move(parts));
    } else if (auto content = child(node, "content"); content && (*content)->is_object() &&
                                                      !(*content)->empty()) {
      const std::string media_type = (*content)->begin().key();
      auto media = *doc_.child(*content, media_type);
      // Other media types are text as far as a parameter goes, which is what it becomes. JSON
      // would need parsing the value: not done yet, and said so.
      if (is_json_media_type(media_type)) {
        warning(media, "unsupported-feature",
                "parameter '" + p.name + "' carries JSON content; it is decoded as a plain string");
      }
      p.schema = text_schema_of(origin(media), std::move(parts));
    } else {
      warning(node, "spec-invalid", "parameter '" + p.name +
                                        "' has neither 'schema' nor 'content'; read as a string");
      p.schema = text_schema_of(origin(node), std::move(parts));
    }
    return p;
  }

  // A plain string schema for a parameter that declares none (or a content that is not JSON).
  SchemaId text_schema_of(Origin where, std::vector<std::string> name_parts) {
    Schema text_schema;
    text_schema.origin = std::move(where);
    text_schema.name_parts = std::move(name_parts);
    text_schema.types = kString;
    api_.schemas.push_back(std::move(text_schema));
    return api_.schemas.size() - 1;
  }

  std::vector<MediaType> read_content(const Node& node, const std::vector<std::string>& scope) {
    std::vector<MediaType> result;
    auto content = child(node, "content");
    if (!content) return result;
    for_each_member(*content, [&](const std::string& name, const Node& media) {
      MediaType m;
      m.name = name;
      if (auto schema_node = child(media, "schema")) {
        auto parts = scope;
        if ((*content)->size() > 1 && !is_json_media_type(name)) parts.push_back(name);
        m.schema = schema(*schema_node, std::move(parts));
      }
      result.push_back(std::move(m));
    });
    // JSON first: it is what the typed body is made of.
    std::stable_sort(result.begin(), result.end(), [](const MediaType& a, const MediaType& b) {
      return is_json_media_type(a.name) && !is_json_media_type(b.name);
    });
    return result;
  }

  // ---- Swagger 2.0 ----------------------------------------------------------------------------

  std::vector<std::string> media_types(const Node& node, std::string_view key) {
    std::vector<std::string> types;
    if (auto list = child(node, key); list && (*list)->is_array()) {
      for (const auto& type : **list) {
        if (type.is_string()) types.push_back(type.get<std::string>());
      }
    }
    return types;
  }

  // 2.0 collectionFormat as a 3.x style.
  void read_collection_format(const Node& node, Parameter& p) {
    const std::string format = text(node, "collectionFormat");
    const bool query = p.in == ParamIn::Query || p.in == ParamIn::Cookie;
    if (format.empty() || format == "csv") {
      p.style = query ? ParamStyle::Form : ParamStyle::Simple;
      p.explode = false;
    } else if (format == "multi" && query) {
      p.style = ParamStyle::Form;
      p.explode = true;
    } else if (format == "ssv" && query) {
      p.style = ParamStyle::SpaceDelimited;
      p.explode = false;
    } else if (format == "pipes" && query) {
      p.style = ParamStyle::PipeDelimited;
      p.explode = false;
    } else {
      warning(*child(node, "collectionFormat"), "unsupported-feature",
              "collectionFormat '" + format + "' is not supported here; values are split at commas");
      p.style = query ? ParamStyle::Form : ParamStyle::Simple;
      p.explode = false;
    }
  }

  // The 2.0 `in: body` parameter, or the `in: formData` ones gathered into one object.
  std::optional<RequestBody> swagger_request_body(const Node& operation, const std::string& operation_id) {
    if (body_parameters_.empty()) return std::nullopt;
    RequestBody body;
    body.origin = origin(operation);
    std::vector<Node> form;
    for (const Node& parameter : body_parameters_) {
      if (text(parameter, "in") == "formData") {
        form.push_back(parameter);
        continue;
      }
      auto schema_node = child(parameter, "schema");
      if (!schema_node) {
        error(parameter, "spec-invalid", "a body parameter needs a 'schema'");
        continue;
      }
      body.required = flag(parameter, "required");
      body.description = text(parameter, "description");
      const SchemaId id = schema(*schema_node, {operation_id, "body"});
      for (const auto& type : consumes_.empty() ? std::vector<std::string>{"application/json"} : consumes_) {
        body.content.push_back({type, id});
      }
    }
    if (!form.empty()) {
      Schema object;
      object.origin = body.origin;
      object.name_parts = {operation_id, "body"};
      object.types = kObject;
      bool files = false;
      for (const Node& parameter : form) {
        const std::string name = text(parameter, "name");
        const SchemaId id = schema(parameter, {operation_id, "body", name});
        files = files || api_.schemas[id].format == "binary";
        const bool required = flag(parameter, "required");
        object.properties.push_back({name, id, required});
        if (required) object.required.push_back(name);
        body.required = body.required || required;
      }
      std::sort(object.required.begin(), object.required.end());
      api_.schemas.push_back(std::move(object));
      const SchemaId id = api_.schemas.size() - 1;
      for (const auto& type : consumes_) {
        if (type.rfind("multipart/form-data", 0) == 0 || type.rfind("application/x-www-form-urlencoded", 0) == 0) {
          body.content.push_back({type, id});
        }
      }
      if (body.content.empty()) {
        body.content.push_back({files ? "multipart/form-data" : "application/x-www-form-urlencoded", id});
      }
    }
    return body;
  }

  RequestBody read_request_body(const Node& node, const std::string& operation_id) {
    RequestBody body;
    body.origin = origin(node);
    body.required = flag(node, "required");
    body.description = text(node, "description");
    body.content = read_content(node, {operation_id, "body"});
    return body;
  }

  Response read_response(const Node& node, const std::string& status, const std::string& operation_id) {
    Response response;
    response.origin = origin(node);
    response.status = status;
    const bool valid_status =
        status == "default" ||
        (status.size() == 3 && status[0] >= '1' && status[0] <= '5' &&
         ((std::isdigit(static_cast<unsigned char>(status[1])) &&
           std::isdigit(static_cast<unsigned char>(status[2]))) ||
          (status[1] == 'X' && status[2] == 'X')));
    if (!valid_status) error(node, "spec-invalid", "'" + status + "' is not a response status");
    response.description = text(node, "description");
    if (auto headers = child(node, "headers")) {
      for_each_member(*headers, [&](const std::string& name, const Node& header_node) {
        auto header = doc_.deref(header_node, diag_);
        if (!header) return;
        Header h;
        h.origin = origin(*header);
        h.name = name;
        h.required = flag(*header, "required");
        h.deprecated = flag(*header, "deprecated");
        h.explode = flag(*header, "explode");
        h.description = text(*header, "description");
        if (auto schema_node = child(*header, "schema")) {
          h.schema = schema(*schema_node, {operation_id, status, name});
        } else if (swagger2_) {
          h.schema = schema(*header, {operation_id, status, name});
        } else {
          Schema text_schema;
          text_schema.origin = origin(*header);
          text_schema.name_parts = {operation_id, status, name};
          text_schema.types = kString;
          api_.schemas.push_back(std::move(text_schema));
          h.schema = api_.schemas.size() - 1;
        }
        response.headers.push_back(std::move(h));
      });
    }
    if (swagger2_) {
      if (auto schema_node = child(node, "schema")) {
        const SchemaId id = schema(*schema_node, {operation_id, status == "default" ? "default" : status});
        for (const auto& type : produces_.empty() ? std::vector<std::string>{"application/json"} : produces_) {
          response.content.push_back({type, id});
        }
      }
      return response;
    }
    response.content = read_content(node, {operation_id, status == "default" ? "default" : status});
    return response;
  }

  // ---- servers and security ------------------------------------------------------------------

  void read_servers(const Node& root) {
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

  void read_security(const Node& root) {
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

  void read_security_scheme(const std::string& name, const Node& node) {
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
  void read_oauth_flows(const Node& node, SecurityScheme& s) {
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
  std::vector<SecurityRequirement> read_requirements(const Node& list) {
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

  const load::Document& doc_;
  Diagnostics& diag_;
  Api api_;
  bool openapi31_ = false;
  bool swagger2_ = false;
  bool lenient_ = false;  // BuildOptions::lenient
  std::set<std::string, std::less<>> unknown_formats_;  // reported once each
  std::vector<std::string> global_consumes_, global_produces_;  // 2.0
  std::vector<std::string> consumes_, produces_;                // 2.0, of the current operation
  std::vector<Node> body_parameters_;                           // 2.0 body/formData parameters
  std::unordered_map<std::string, SchemaId> by_id_;
  std::set<SchemaId> in_progress_;
  std::vector<SchemaId> building_;  // the schemas being built, innermost last
  struct DeferredMerge {
    SchemaId target, part;
    Node node;
  };
  std::vector<DeferredMerge> deferred_merges_;
  struct PendingMapping {
    SchemaId schema;
    std::string value, ref;
    Node node;
  };
  std::vector<PendingMapping> pending_mappings_;  // being built: a reference back to one is recursion
};

}  // namespace

std::optional<Api> build_model(const load::Document& document, Diagnostics& diagnostics,
                               const BuildOptions& options) {
  auto api = Builder(document, diagnostics, options).build();
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
