#include "naming/shapes.hpp"

#include <charconv>
#include <functional>
#include <string>

#include "support/task_pool.hpp"

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
    text.reserve(128);  // most texts fit: fewer reallocations as it grows
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
  // Digits straight into the text: std::to_string's temporary cost as much as the rest.
  void num(std::size_t n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    text.append(digits, static_cast<std::size_t>(end - digits));
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

// Numbers schemas 0..n-1 by a key that `hash` and `same` read in place, the numbers following
// the first schema of each key; `count` is how many keys there are. Open addressing over schema
// ids: nothing is allocated per schema.
template <class Hash, class Same>
std::vector<std::size_t> number_by(std::size_t n, Hash hash, Same same, std::size_t& count) {
  constexpr SchemaId kEmpty = static_cast<SchemaId>(-1);
  std::size_t size = 16;
  while (size < 2 * n) size *= 2;
  std::vector<SchemaId> slots(size, kEmpty);  // a schema id, the first of its key
  std::vector<std::size_t> number(n);
  count = 0;
  for (SchemaId id = 0; id < n; ++id) {
    std::size_t slot = hash(id) & (size - 1);
    while (slots[slot] != kEmpty && !same(slots[slot], id)) slot = (slot + 1) & (size - 1);
    if (slots[slot] == kEmpty) {
      slots[slot] = id;
      number[id] = count++;
    } else {
      number[id] = number[slots[slot]];
    }
  }
  return number;
}

}  // namespace

std::vector<std::size_t> schema_shapes(const model::Api& api, const std::vector<bool>& alone,
                                       std::size_t threads) {
  const std::size_t n = api.schemas.size();
  // The texts, most of the work here, are made in slices on the pool, with their hashes; each
  // slice's subschemas go one after the other, and so do the slices.
  std::vector<std::string> texts(n);
  std::vector<std::size_t> hashes(n);
  std::vector<std::size_t> refs_begin(n + 1);  // each schema's number of subschemas, at first
  const std::size_t slices = threads < 2 ? 1 : threads * 4;
  std::vector<std::vector<SchemaId>> slice_refs(slices);
  TaskPool pool(threads);
  for (std::size_t k = 0; k < slices; ++k) {
    pool.add([&, k] {
      for (SchemaId id = n * k / slices; id < n * (k + 1) / slices; ++id) {
        Shape s(api.schemas[id]);
        if (id < alone.size() && alone[id]) s.text = "alone " + std::to_string(id);
        hashes[id] = std::hash<std::string>()(s.text);
        texts[id] = std::move(s.text);
        refs_begin[id] = s.refs.size();
        slice_refs[k].insert(slice_refs[k].end(), s.refs.begin(), s.refs.end());
      }
    });
  }
  pool.run();
  std::vector<SchemaId> refs;  // every schema's subschemas, one after the other
  for (const auto& part : slice_refs) refs.insert(refs.end(), part.begin(), part.end());
  for (std::size_t id = 0, begin = 0; id <= n; ++id) {
    const std::size_t size = id < n ? refs_begin[id] : 0;
    refs_begin[id] = begin;
    begin += size;
  }
  std::size_t count = 0;
  std::vector<std::size_t> shape = number_by(
      n, [&](SchemaId id) { return hashes[id]; },
      [&](SchemaId a, SchemaId b) { return hashes[a] == hashes[b] && texts[a] == texts[b]; },
      count);
  // Split shapes whose schemas' subschemas differ in shape, until no split is left (partition
  // refinement, as in minimising an automaton): what remains is equal to any depth. A schema's key
  // is its shape and its subschemas' shapes in order; it is read in place.
  const auto hash = [&](SchemaId id) {
    std::size_t h = (1469598103934665603ull ^ shape[id]) * 1099511628211ull;
    for (std::size_t r = refs_begin[id]; r < refs_begin[id + 1]; ++r) {
      h = (h ^ shape[refs[r]]) * 1099511628211ull;
    }
    return h ^ (h >> 29);
  };
  const auto same = [&](SchemaId a, SchemaId b) {
    const std::size_t length = refs_begin[a + 1] - refs_begin[a];
    if (shape[a] != shape[b] || length != refs_begin[b + 1] - refs_begin[b]) return false;
    for (std::size_t k = 0; k < length; ++k) {
      if (shape[refs[refs_begin[a] + k]] != shape[refs[refs_begin[b] + k]]) return false;
    }
    return true;
  };
  while (true) {
    std::size_t classes = 0;
    std::vector<std::size_t> next = number_by(n, hash, same, classes);
    shape = std::move(next);
    if (classes == count) break;
    count = classes;
  }
  return shape;
}

}  // namespace oasgen::naming
