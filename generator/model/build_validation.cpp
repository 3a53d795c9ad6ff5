#include <algorithm>
#include <map>
#include <unordered_set>

#include "ecma_regex.hpp"
#include "model/builder.hpp"
#include "model/pattern_repair.hpp"

namespace oasgen::model::detail {

SchemaId Builder::subschema_at(const Node& node, const Schema& s, std::string part) {
  const SchemaId id = schema(node, extended(s.name_parts, std::move(part)));
  // Inline applicator schemas are checked where they stand; they are no C++ types of their own.
  if (!node->is_object() || !node->contains("$ref")) api_.schemas[id].composition_part = true;
  return id;
}

std::optional<SchemaId> Builder::subschema(const Node& node, std::string_view key, const Schema& s) {
  auto member = child(node, key);
  if (!member) return std::nullopt;
  return subschema_at(*member, s, std::string(key));
}

// Every pattern is compiled here, so that a pattern the runtime could not compile never
// reaches generated code. One that is not ECMA-262 is read leniently (a warning; an error under
// --strict): translated where its meaning is clear (Java's `\p{Alnum}`, `\A`, ...), else left
// unchecked. Returns the pattern to check, or nullopt when there is none.
std::optional<std::string> Builder::usable_pattern(const Node& at, const std::string& pattern) {
  std::string message;
  if (pcre2_code* code = oasgen::detail::compile_ecma_regex(pattern, message)) {
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
    if (pcre2_code* code = oasgen::detail::compile_ecma_regex(*translated, ignored)) {
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
bool Builder::constrains_beside_ref(const Node& node) const {
  static const std::set<std::string, std::less<>> kAnnotations = {
      "$ref",       "description", "summary", "title",  "example", "examples",
      "default",    "deprecated",  "$comment", "externalDocs", "xml"};
  for (auto it = node->begin(); it != node->end(); ++it) {
    if (!kAnnotations.count(it.key()) && it.key().rfind("x-", 0) != 0) return true;
  }
  return false;
}

// `{$ref: X, <keywords>}` in 3.1: typed as X (same_as), validated as X and the keywords (allOf).
SchemaId Builder::ref_with_siblings(const Node& node, SchemaId referenced, std::vector<std::string> name_parts) {
  return build_once(node, std::move(name_parts), [&](const std::string&, Schema& s) {
    fill(node, s);
    s.same_as = referenced;
    s.all_of.insert(s.all_of.begin(), referenced);
  });
}

// A format neither JSON Schema nor the OpenAPI Format Registry defines is accepted without a
// check; said once per name, where it is first used.
void Builder::check_format(const Node& node, const std::string& format) {
  static const std::unordered_set<std::string_view> kKnown = {
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
  // Another component may have used it first: the walk decides.
  if (spec_) {
    auto& event = spec_->events.back();
    spec_->formats.emplace_back(format, event.index);
    event.kind = Speculation::Event::kFormat;
    event.index = spec_->formats.size() - 1;
  }
}

// A `type` of known names only; another is ignored (read_type says so), as if absent.
bool Builder::readable_type(const nlohmann::json& type) const {
  static const std::set<std::string, std::less<>> kNames = {
      "null", "boolean", "integer", "number", "string", "array", "object"};
  auto known = [&](const nlohmann::json& name) {
    return name.is_string() &&
           (kNames.count(name.get<std::string>()) != 0 || (swagger2_ && name == "file"));
  };
  if (!type.is_array()) return known(type);
  return std::all_of(type.begin(), type.end(), known);
}

void Builder::read_validation_keywords(const Node& node, Schema& s) {
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
void Builder::merge_all_of(const Node& list, Schema& s) {
  if (!list->is_array()) {
    ignored(list, "schema-invalid", "'allOf' must be an array");
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Node part_node = *doc_.child(list, i);
    const SchemaId id = schema(part_node, extended(s.name_parts, "part" + std::to_string(i + 1)));
    if (spec_ && read_external(id)) return;
    if (!part_node->contains("$ref")) api_.schemas[id].composition_part = true;
    const Schema& part = api_.schemas[id];
    if (in_progress(id)) {
      // The part is still being built (a cycle through a property): merge once it is complete.
      if (spec_) spec_->usable = false;
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
void Builder::finish_deferred_merges() {
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

void Builder::merge_into(const Schema& part, Schema& s) {
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
void Builder::read_alternatives(const Node& list, std::string_view keyword, Schema& s) {
  if (!list->is_array() || list->empty()) {
    ignored(list, "schema-invalid", "'" + std::string(keyword) + "' must be a non-empty array");
    return;
  }
  std::vector<SchemaId> non_null;
  bool has_null = false;
  auto& alternatives = keyword == "oneOf" ? s.one_of : s.any_of;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto parts = extended(s.name_parts, "option" + std::to_string(i + 1));
    const Node option_node = *doc_.child(list, i);
    const SchemaId id = schema(option_node, std::move(parts));
    if (spec_ && read_external(id)) return;
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
    if (option.component || in_progress(non_null[0])) {
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
void Builder::read_discriminator(const Node& node, Schema& s) {
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
      if (spec_) record(Speculation::Event::kMapping, pending_mappings_.size() - 1);
    });
  }
  s.discriminator = std::move(d);
}

// Explicit mappings resolved; alternatives that are components map from their names too.
void Builder::finish_discriminators() {
  // Mappings name their targets as ids: the schemas built once, by the id their origin keeps.
  std::unordered_map<std::string_view, SchemaId> by_id;
  if (!pending_mappings_.empty()) {
    by_id.reserve(by_node_.size());
    for (const auto& [node, id] : by_node_) by_id.emplace(api_.schemas[id].origin.pointer, id);
  }
  for (const auto& pending : pending_mappings_) {
    auto known = by_id.find(pending.ref);
    if (known == by_id.end()) {
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

}  // namespace oasgen::model::detail
