#include "naming/shapes.hpp"

#include <string>
#include <unordered_map>

namespace oasgen::naming {
namespace {

using model::SchemaId;

// A schema's keywords as text, with its subschemas left out (`refs` lists them, in a fixed
// order). Every field of model::Schema but `origin` and `name_parts` is here: one left out would
// let two schemas that differ in it share a type.
class Shape {
 public:
  std::string text;
  std::vector<SchemaId> refs;

  explicit Shape(const model::Schema& s) {
    flag(s.component);
    flag(s.composition_part);
    str(s.title);
    str(s.description);
    num(s.types);
    flag(s.nullable);
    flag(s.opaque);
    ref(s.same_as);
    refs_of(s.one_of);
    refs_of(s.any_of);
    flag(s.discriminator.has_value());
    if (s.discriminator) {
      str(s.discriminator->property);
      num(s.discriminator->mapping.size());
      for (const auto& [value, id] : s.discriminator->mapping) {
        str(value);
        refs.push_back(id);
      }
    }
    str(s.format);
    str(s.content_media_type);
    opt(s.min_length);
    opt(s.max_length);
    opt_str(s.pattern);
    opt_str(s.pattern_unchecked);
    opt(s.minimum);
    opt(s.maximum);
    opt(s.multiple_of);
    flag(s.exclusive_minimum);
    flag(s.exclusive_maximum);
    ref(s.items);
    opt(s.min_items);
    opt(s.max_items);
    flag(s.unique_items);
    num(s.properties.size());
    for (const auto& p : s.properties) {
      str(p.name);
      flag(p.required);
      refs.push_back(p.schema);
    }
    num(s.required.size());
    for (const auto& name : s.required) str(name);
    flag(s.additional_allowed);
    ref(s.additional);
    flag(s.has_additional);
    opt(s.min_properties);
    opt(s.max_properties);
    num(s.enum_values.size());
    for (const auto& value : s.enum_values) str(value.dump());
    opt_json(s.const_value);
    opt_json(s.default_value);
    opt_json(s.example);
    flag(s.read_only);
    flag(s.write_only);
    flag(s.deprecated);
    ref(s.own);
    refs_of(s.all_of);
    flag(s.never);
    flag(s.has_type);
    flag(s.type_null);
    flag(s.enum_null);
    ref(s.not_schema);
    ref(s.if_schema);
    ref(s.then_schema);
    ref(s.else_schema);
    num(s.pattern_properties.size());
    for (const auto& [pattern, id] : s.pattern_properties) {
      str(pattern);
      refs.push_back(id);
    }
    ref(s.property_names);
    ref(s.unevaluated_properties);
    num(s.dependent_required.size());
    for (const auto& [name, names] : s.dependent_required) {
      str(name);
      num(names.size());
      for (const auto& n : names) str(n);
    }
    num(s.dependent_schemas.size());
    for (const auto& [name, id] : s.dependent_schemas) {
      str(name);
      refs.push_back(id);
    }
    ref(s.contains);
    num(s.min_contains);
    opt(s.max_contains);
    refs_of(s.prefix_items);
    ref(s.additional_items);
  }

 private:
  void flag(bool b) { text += b ? '1' : '0'; }
  void num(std::size_t n) {
    text += std::to_string(n);
    text += ';';
  }
  // Length first: no two different strings make the same text.
  void str(const std::string& s) {
    num(s.size());
    text += s;
  }
  void opt(const std::optional<std::size_t>& n) {
    flag(n.has_value());
    if (n) num(*n);
  }
  void opt(const std::optional<double>& d) {
    flag(d.has_value());
    if (d) str(nlohmann::json(*d).dump());
  }
  void opt_str(const std::optional<std::string>& s) {
    flag(s.has_value());
    if (s) str(*s);
  }
  void opt_json(const std::optional<nlohmann::json>& j) {
    flag(j.has_value());
    if (j) str(j->dump());
  }
  // A subschema's place is marked in the text, so that an absent one and a present one differ.
  void ref(const std::optional<SchemaId>& id) {
    flag(id.has_value());
    if (id) refs.push_back(*id);
  }
  void refs_of(const std::vector<SchemaId>& ids) {
    num(ids.size());
    refs.insert(refs.end(), ids.begin(), ids.end());
  }
};

struct KeyHash {
  std::size_t operator()(const std::vector<std::size_t>& key) const noexcept {
    std::size_t h = 1469598103934665603ull;
    for (std::size_t k : key) h = (h ^ k) * 1099511628211ull;
    return h;
  }
};

}  // namespace

std::vector<std::size_t> schema_shapes(const model::Api& api, const std::vector<bool>& alone) {
  const std::size_t n = api.schemas.size();
  std::vector<std::size_t> shape(n);
  std::vector<std::vector<SchemaId>> refs(n);
  {
    std::unordered_map<std::string, std::size_t> first;
    for (SchemaId id = 0; id < n; ++id) {
      Shape s(api.schemas[id]);
      if (id < alone.size() && alone[id]) s.text = "alone " + std::to_string(id);
      shape[id] = first.emplace(std::move(s.text), first.size()).first->second;
      refs[id] = std::move(s.refs);
    }
  }
  // Split shapes whose schemas' subschemas differ in shape, until no split is left (partition
  // refinement, as in minimising an automaton): what remains is equal to any depth.
  std::size_t count = 0;
  std::vector<std::size_t> key;
  while (true) {
    std::unordered_map<std::vector<std::size_t>, std::size_t, KeyHash> first;
    first.reserve(n);
    std::vector<std::size_t> next(n);
    for (SchemaId id = 0; id < n; ++id) {
      key.assign(1, shape[id]);
      for (SchemaId r : refs[id]) key.push_back(shape[r]);
      next[id] = first.emplace(key, first.size()).first->second;
    }
    shape = std::move(next);
    if (first.size() == count) break;
    count = first.size();
  }
  return shape;
}

}  // namespace oasgen::naming
