#include <algorithm>
#include <filesystem>
#include <map>

#include "model/builder.hpp"

namespace oasgen::model::detail {
namespace {

// Keywords that constrain values but that oasgen does not check yet: reported, never ignored silently.
constexpr std::array<std::string_view, 3> kUnsupportedKeywords = {"unevaluatedItems", "$dynamicRef",
                                                                   "$recursiveRef"};

}  // namespace

void Builder::read_component_schemas(const Node& root) {
  std::optional<Node> schemas;
  if (swagger2_) {
    schemas = child(root, "definitions");
  } else if (auto components = child(root, "components")) {
    schemas = child(*components, "schemas");
  }
  if (!schemas) return;
  if (threads_ > 1) speculate(*schemas);
  for_each_member(*schemas, [&](const std::string& name, const Node& node) {
    schema(node, {name});
  });
  roots_ = nullptr;
  speculation_roots_.reset();
  speculations_.reset();
}

SchemaId Builder::opaque_schema(const Node& node, std::vector<std::string> name_parts) {
  Schema s;
  s.origin = origin(node);
  s.name_parts = std::move(name_parts);
  s.opaque = true;
  api_.schemas.push_back(std::move(s));
  return api_.schemas.size() - 1;
}

/// Name parts for a schema that a $ref points at: the component name, or the pointer's tokens, or
/// for a whole file (`$ref: schemas/pet.yaml`) the file's name without extension.
std::vector<std::string> Builder::parts_from_id(const std::string& id) {
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

bool Builder::is_component(const std::string& id) {
  return id.find("#/components/schemas/") != std::string::npos ||
         id.find("#/definitions/") != std::string::npos;
}

SchemaId Builder::schema(const Node& node, std::vector<std::string> name_parts) {
  if (node->is_object() && node->contains("$ref")) {
    if (spec_) return speculative_ref(node, std::move(name_parts));
    auto target = doc_.deref(node, diag_);
    if (!target) return opaque_schema(node, std::move(name_parts));
    warn_ref_siblings(node);
    std::optional<SchemaId> referenced = built(*target);
    if (!referenced) {
      const std::string id = doc_.id(*target);
      // A component that is a whole other file (`Pet: {$ref: pet.yaml}`) names it.
      const bool named_here = id.back() == '#' && is_component(doc_.id(node));
      referenced = schema(*target, named_here ? name_parts : parts_from_id(id));
    }
    if (openapi31_ && constrains_beside_ref(node)) {
      return ref_with_siblings(node, *referenced, std::move(name_parts));
    }
    return *referenced;
  }
  if (speculations_) {
    if (const auto root = roots_->find(node.value); root != roots_->end() && root->second != kNone) {
      if (auto placed = place((*speculations_)[root->second])) return *placed;
    }
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

void Builder::warn_ref_siblings(const Node& node) {
  for_each_member(node, [&](const std::string& key, const Node& sibling) {
    if (key != "$ref" && key != "description" && key != "summary" && key != "title" &&
        key.rfind("x-", 0) != 0 && !openapi31_) {
      warning(sibling, "ref-sibling-ignored",
              "'" + key + "' beside '$ref' is ignored (OpenAPI 3.0 ignores siblings of $ref)");
    }
  });
}

void Builder::fill(const Node& node, Schema& s) {
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
    s.items = schema(*items, extended(s.name_parts, "item"));
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
      const SchemaId id = schema(property, extended(s.name_parts, name));
      s.properties.push_back({name, id, required.count(name) > 0});
    });
  }
  s.required.assign(required.begin(), required.end());
  if (auto additional = child(node, "additionalProperties")) {
    if ((*additional)->is_boolean()) {
      s.additional_allowed = (*additional)->get<bool>();
    } else {
      s.additional = schema(*additional, extended(s.name_parts, "value"));
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

void Builder::read_type(const Node& node, const nlohmann::json& type, Schema& s) {
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

void Builder::read_exclusive(const Node& node, std::string_view key, std::optional<double>& bound,
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

}  // namespace oasgen::model::detail
