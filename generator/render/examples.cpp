#include "render/examples.hpp"

#include <oasgen/validation.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

namespace oasgen::render {
namespace {

using model::Schema;
using model::SchemaId;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Checking: the validation keywords of model::Schema, read as the generated validators read them
// (render/validator_code.cpp: `own`, then allOf/anyOf/oneOf as written), over the runtime's own
// keyword checks. A keyword added to the model and to validator_code.cpp belongs here too:
// tests/docs runs the generated validators on the docs' examples and fails where the two differ.

// The formats generated validators check (render/validator_code.cpp): strings...
const std::map<std::string, Format, std::less<>>& string_formats() {
  static const std::map<std::string, Format, std::less<>> kFormats = {
      {"date-time", Format::DateTime}, {"date", Format::Date},   {"time", Format::Time},
      {"duration", Format::Duration},  {"email", Format::Email}, {"hostname", Format::Hostname},
      {"ipv4", Format::Ipv4},          {"ipv6", Format::Ipv6},   {"uri", Format::Uri},
      {"uri-reference", Format::UriReference}, {"uuid", Format::Uuid}, {"byte", Format::Byte}};
  return kFormats;
}

// ...and numbers.
const std::map<std::string, Format, std::less<>>& number_formats() {
  static const std::map<std::string, Format, std::less<>> kFormats = {
      {"int32", Format::Int32}, {"int64", Format::Int64}, {"float", Format::Float}};
  return kFormats;
}

// Readable values of string formats, each valid for the runtime's check of that format.
const std::map<std::string, std::string, std::less<>>& format_samples() {
  static const std::map<std::string, std::string, std::less<>> kSamples = {
      {"date-time", "2024-01-15T09:30:00Z"},
      {"date", "2024-01-15"},
      {"time", "09:30:00Z"},
      {"duration", "P1D"},
      {"email", "user@example.com"},
      {"idn-email", "user@example.com"},
      {"hostname", "example.com"},
      {"idn-hostname", "example.com"},
      {"ipv4", "192.0.2.1"},
      {"ipv6", "2001:db8::1"},
      {"uri", "https://example.com/"},
      {"iri", "https://example.com/"},
      {"uri-reference", "/example"},
      {"iri-reference", "/example"},
      {"url", "https://example.com/"},
      {"uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
      {"byte", "ZXhhbXBsZQ=="},
      {"password", "secret"},
  };
  return kSamples;
}

// Optional properties only this close to the root, and only while the example is small: examples
// show the shape, and the docs of large APIs hold thousands of them.
constexpr std::size_t kOptionalDepth = 2;
constexpr std::size_t kMaxDepth = 12;      // deeper than this, a required value gives up
constexpr std::size_t kNodeBudget = 100;   // past this many values, only required ones are added

}  // namespace

struct ExampleSynthesiser::Impl {
  explicit Impl(const model::Api& api) : api(api), on_stack(api.schemas.size(), false) {}

  const model::Api& api;
  mutable std::map<std::string, std::unique_ptr<Regex>, std::less<>> regexes;
  mutable std::set<std::string, std::less<>> bad_patterns;
  std::vector<bool> on_stack;
  std::size_t nodes = 0;
  std::map<std::pair<SchemaId, ExampleUse>, std::optional<json>> cache;  // by top-level request

  const Schema& schema(SchemaId id) const { return api.schemas[id]; }

  const Regex* regex(const std::string& pattern) const {
    if (auto it = regexes.find(pattern); it != regexes.end()) return it->second.get();
    if (bad_patterns.count(pattern)) return nullptr;
    try {
      return regexes.emplace(pattern, std::make_unique<Regex>(pattern)).first->second.get();
    } catch (const std::exception&) {
      bad_patterns.insert(pattern);
      return nullptr;
    }
  }

  // ---- checking: render/validator_code.cpp's semantics, keyword for keyword

  const Schema& own(const Schema& s) const { return s.own ? schema(*s.own) : s; }

  bool passes(const json& value, SchemaId id, ExampleUse use, std::size_t depth) const {
    Validator trial;
    check(value, id, use, trial, depth + 1);
    return trial.ok();
  }

  void check(const json& value, SchemaId id, ExampleUse use, Validator& v, std::size_t depth) const {
    if (id >= api.schemas.size()) return;  // no schema: anything goes
    if (depth > 64) {
      v.fail("depth", "nested too deep to check");
      return;
    }
    const Schema& s = schema(id);
    const Schema& o = own(s);
    if (o.never) {
      v.fail("false", "no value is valid here");
      return;
    }
    if (o.read_only && use == ExampleUse::Request) v.fail("readOnly", "read-only");
    if (o.write_only && use == ExampleUse::Response) v.fail("writeOnly", "write-only");
    if (o.has_type) {
      const unsigned mask = o.types | (o.type_null ? static_cast<unsigned>(model::kNull) : 0u);
      if (!v.type(value, static_cast<JsonType>(mask))) return;
    }
    if (!o.enum_values.empty() || o.enum_null) {
      const bool listed = (o.enum_null && value.is_null()) ||
                          std::find(o.enum_values.begin(), o.enum_values.end(), value) != o.enum_values.end();
      if (!listed) v.fail("enum", "not one of the allowed values");
    }
    if (o.const_value && value != *o.const_value) v.fail("const", "not the constant");
    if (value.is_string()) strings(value, o, v);
    if (value.is_number()) numbers(value, o, v);
    if (value.is_array()) arrays(value, o, use, v, depth);
    if (value.is_object()) objects(value, o, s, use, v, depth);
    if (o.not_schema && passes(value, *o.not_schema, use, depth)) v.fail("not", "matches the schema of not");
    if (o.if_schema) {
      const auto branch = passes(value, *o.if_schema, use, depth) ? o.then_schema : o.else_schema;
      if (branch) check(value, *branch, use, v, depth + 1);
    }
    for (const SchemaId part : s.all_of) check(value, part, use, v, depth + 1);
    if (!s.any_of.empty() &&
        std::none_of(s.any_of.begin(), s.any_of.end(),
                     [&](SchemaId option) { return passes(value, option, use, depth); })) {
      v.fail("anyOf", "must match an alternative");
    }
    if (!s.one_of.empty() &&
        std::count_if(s.one_of.begin(), s.one_of.end(),
                      [&](SchemaId option) { return passes(value, option, use, depth); }) != 1) {
      v.fail("oneOf", "must match exactly one alternative");
    }
  }

  void strings(const json& value, const Schema& s, Validator& v) const {
    if (s.min_length) v.min_length(value, *s.min_length);
    if (s.max_length) v.max_length(value, *s.max_length);
    if (s.pattern) {
      if (const Regex* compiled = regex(*s.pattern)) {
        v.pattern(value, *compiled);
      } else {
        v.fail("pattern", "the pattern does not compile");
      }
    }
    if (auto format = string_formats().find(s.format); format != string_formats().end()) {
      v.format(value, format->second);
    }
  }

  void numbers(const json& value, const Schema& s, Validator& v) const {
    if (s.minimum) v.minimum(value, *s.minimum, s.exclusive_minimum);
    if (s.maximum) v.maximum(value, *s.maximum, s.exclusive_maximum);
    if (s.multiple_of) v.multiple_of(value, *s.multiple_of);
    if (auto format = number_formats().find(s.format); format != number_formats().end()) {
      v.format(value, format->second);
    }
  }

  void arrays(const json& value, const Schema& s, ExampleUse use, Validator& v, std::size_t depth) const {
    if (s.min_items) v.min_items(value, *s.min_items);
    if (s.max_items) v.max_items(value, *s.max_items);
    if (s.unique_items) v.unique_items(value);
    const std::size_t prefix = s.prefix_items.size();
    const std::optional<SchemaId> rest = prefix > 0 ? s.additional_items : s.items;
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto at = v.enter(i);
      if (i < prefix) {
        check(value[i], s.prefix_items[i], use, v, depth + 1);
      } else if (rest) {
        check(value[i], *rest, use, v, depth + 1);
      }
    }
    if (s.contains) {
      std::size_t matched = 0;
      for (const auto& item : value) matched += passes(item, *s.contains, use, depth) ? 1 : 0;
      if (matched < s.min_contains || (s.max_contains && matched > *s.max_contains)) {
        v.fail("contains", "wrong number of matching items");
      }
    }
  }

  // Whether property `name` of the (merged) object schema `s` is readOnly / writeOnly.
  std::pair<bool, bool> direction_of(const Schema& s, const std::string& name) const {
    for (const auto& p : s.properties) {
      if (p.name != name || p.schema >= api.schemas.size()) continue;
      return {schema(p.schema).read_only, schema(p.schema).write_only};
    }
    return {false, false};
  }

  void objects(const json& value, const Schema& o, const Schema& s, ExampleUse use, Validator& v,
               std::size_t depth) const {
    for (const auto& name : o.required) {
      if (value.contains(name)) continue;
      const auto [read_only, write_only] = direction_of(s, name);
      const bool excused = (read_only && !write_only && use == ExampleUse::Request) ||
                           (write_only && !read_only && use == ExampleUse::Response);
      if (!excused) v.fail("required", "missing " + name);
    }
    for (const auto& [name, names] : o.dependent_required) {
      if (!value.contains(name)) continue;
      for (const auto& needed : names) {
        if (!value.contains(needed)) v.fail("dependentRequired", "missing " + needed);
      }
    }
    if (o.min_properties) v.min_properties(value, *o.min_properties);
    if (o.max_properties) v.max_properties(value, *o.max_properties);
    for (auto it = value.begin(); it != value.end(); ++it) {
      auto at = v.enter(it.key());
      if (o.property_names) check(json(it.key()), *o.property_names, use, v, depth + 1);
      const auto property = std::find_if(o.properties.begin(), o.properties.end(),
                                         [&](const model::Property& p) { return p.name == it.key(); });
      bool known = property != o.properties.end();
      if (known) check(*it, property->schema, use, v, depth + 1);
      for (const auto& [pattern, id] : o.pattern_properties) {
        const Regex* compiled = regex(pattern);
        if (compiled == nullptr) {
          v.fail("patternProperties", "the pattern does not compile");
        } else if (compiled->search(it.key())) {
          known = true;
          check(*it, id, use, v, depth + 1);
        }
      }
      if (known) continue;
      if (!o.additional_allowed) {
        v.fail("additionalProperties", "not allowed");
      } else if (o.additional) {
        check(*it, *o.additional, use, v, depth + 1);
      }
    }
    for (const auto& [name, id] : o.dependent_schemas) {
      if (value.contains(name)) check(value, id, use, v, depth + 1);
    }
    if (o.unevaluated_properties) {
      std::set<std::string, std::less<>> names;
      bool all = false;
      evaluated(value, s, true, use, depth, names, all);
      for (auto it = value.begin(); it != value.end() && !all; ++it) {
        if (names.count(it.key())) continue;
        auto at = v.enter(it.key());
        check(*it, *o.unevaluated_properties, use, v, depth + 1);
      }
    }
  }

  // The members of `value` that `s` and the subschemas it applies in place evaluate (see
  // validator_code.cpp's `collect`): into `names`, or `all`.
  void evaluated(const json& value, const Schema& s, bool root, ExampleUse use, std::size_t depth,
                 std::set<std::string, std::less<>>& names, bool& all) const {
    const Schema& o = own(s);
    if (all || o.never || depth > 64) return;
    if (o.has_additional || (!root && o.unevaluated_properties)) {
      all = true;
      return;
    }
    for (const auto& p : o.properties) names.insert(p.name);
    for (const auto& [pattern, id] : o.pattern_properties) {
      const Regex* compiled = regex(pattern);
      for (auto it = value.begin(); compiled != nullptr && it != value.end(); ++it) {
        if (compiled->search(it.key())) names.insert(it.key());
      }
    }
    auto apply = [&](SchemaId id) { evaluated(value, schema(id), false, use, depth + 1, names, all); };
    for (const auto& [name, id] : o.dependent_schemas) {
      if (value.contains(name)) apply(id);
    }
    if (o.if_schema) {
      if (passes(value, *o.if_schema, use, depth)) {
        apply(*o.if_schema);
        if (o.then_schema) apply(*o.then_schema);
      } else if (o.else_schema) {
        apply(*o.else_schema);
      }
    }
    for (const SchemaId part : s.all_of) apply(part);
    for (const auto* options : {&s.any_of, &s.one_of}) {
      for (const SchemaId option : *options) {
        if (passes(value, option, use, depth)) apply(option);
      }
    }
  }

  const Schema& resolved(SchemaId id) const {
    while (schema(id).same_as && !own(schema(id)).read_only && !own(schema(id)).write_only) {
      id = *schema(id).same_as;
    }
    return own(schema(id));
  }

  bool conforms(const json& value, SchemaId id, ExampleUse use) const {
    Validator v;
    check(value, id, use, v, 0);
    return v.ok();
  }

  // ---- building

  std::optional<json> build(SchemaId id, ExampleUse use, std::size_t depth) {
    if (id >= api.schemas.size()) return json::object();
    if (depth > kMaxDepth) return std::nullopt;
    const Schema& s = schema(id);
    ++nodes;
    if (s.same_as) return build(*s.same_as, use, depth);
    // What the spec says first, when it is valid here.
    if (s.const_value) return *s.const_value;
    if (s.example && conforms(*s.example, id, use)) return *s.example;
    if (s.default_value && conforms(*s.default_value, id, use)) return *s.default_value;
    for (const auto& value : s.enum_values) {
      if (!value.is_null() && conforms(value, id, use)) return value;
    }
    if (!s.enum_values.empty()) return std::nullopt;
    const bool was_on_stack = on_stack[id];
    on_stack[id] = true;
    auto value = build_fresh(id, s, use, depth);
    on_stack[id] = was_on_stack;
    return value;
  }

  std::optional<json> build_fresh(SchemaId id, const Schema& s, ExampleUse use, std::size_t depth) {
    if (!s.one_of.empty() || !s.any_of.empty()) {
      const auto& list = s.one_of.empty() ? s.any_of : s.one_of;
      for (const SchemaId alternative : list) {
        auto value = build(alternative, use, depth + 1);
        if (!value || value->is_null()) continue;
        if (s.discriminator && value->is_object()) {
          for (const auto& [key, target] : s.discriminator->mapping) {
            if (target == alternative) {
              (*value)[s.discriminator->property] = key;
              break;
            }
          }
        }
        if (conforms(*value, id, use)) return value;
      }
      // No alternative alone fits (say `anyOf` of `required` lists beside the schema's own
      // properties): build from the merged shape, and let the check decide.
    }
    const unsigned types = s.types;
    auto has = [&](unsigned bit) { return (types & bit) != 0; };
    if (has(model::kObject) || (types == 0 && (!s.properties.empty() || !s.required.empty()))) {
      return object(id, s, use, depth);
    }
    if (has(model::kArray) || (types == 0 && s.items)) return array(s, use, depth);
    if (has(model::kString) || (types == 0 && (s.pattern || s.min_length || !s.format.empty()))) {
      return string(id, s, use);
    }
    if (has(model::kInteger) || has(model::kNumber)) return number(id, s, use);
    if (has(model::kBoolean)) return json(true);
    if (has(model::kNull)) return json(nullptr);
    return json::object();  // any value: an empty object reads as "free-form"
  }

  std::optional<json> object(SchemaId id, const Schema& s, ExampleUse use, std::size_t depth) {
    json out = json::object();
    std::vector<std::string> optional_names;  // in the order added, to drop for maxProperties
    auto skipped_for_use = [&](SchemaId property) {
      const Schema& ps = resolved(property);
      return (use == ExampleUse::Request && ps.read_only) ||
             (use == ExampleUse::Response && ps.write_only);
    };
    auto is_required = [&](const std::string& name) {
      return std::find(s.required.begin(), s.required.end(), name) != s.required.end();
    };
    for (const auto& p : s.properties) {
      if (skipped_for_use(p.schema)) continue;
      const bool required = p.required || is_required(p.name);
      if (!required) {
        const bool recursive = on_stack[resolved_id(p.schema)];
        if (depth >= kOptionalDepth || recursive || nodes > kNodeBudget) continue;
      }
      auto value = build(p.schema, use, depth + 1);
      if (!value) {
        if (required) return std::nullopt;
        continue;
      }
      out[p.name] = std::move(*value);
      if (!required) optional_names.push_back(p.name);
    }
    for (const auto& name : s.required) {
      if (out.contains(name)) continue;
      const bool declared = std::any_of(s.properties.begin(), s.properties.end(),
                                        [&](const model::Property& p) { return p.name == name; });
      if (declared) continue;  // left out for `use` (readOnly/writeOnly), as validators allow
      if (!s.additional_allowed) return std::nullopt;
      auto value = s.additional ? build(*s.additional, use, depth + 1) : json("string");
      if (!value) return std::nullopt;
      out[name] = std::move(*value);
    }
    // A map: one entry shows the shape; more when minProperties asks for them.
    const std::size_t wanted =
        std::max<std::size_t>(s.min_properties.value_or(0),
                              s.properties.empty() && s.additional && depth < kOptionalDepth ? 1 : 0);
    for (std::size_t n = 1; out.size() < wanted && n <= wanted + 8; ++n) {
      if (!s.additional_allowed) break;
      const std::string key = "key" + std::to_string(n);
      if (out.contains(key)) continue;
      auto value = s.additional ? build(*s.additional, use, depth + 1) : json("string");
      if (!value) return std::nullopt;
      out[key] = std::move(*value);
      optional_names.push_back(key);
    }
    while (s.max_properties && out.size() > *s.max_properties && !optional_names.empty()) {
      out.erase(optional_names.back());
      optional_names.pop_back();
    }
    (void)id;
    return out;
  }

  SchemaId resolved_id(SchemaId id) const {
    while (schema(id).same_as) id = *schema(id).same_as;
    return id;
  }

  std::optional<json> array(const Schema& s, ExampleUse use, std::size_t depth) {
    std::size_t count = s.min_items.value_or(0);
    const bool shallow = depth < kOptionalDepth && nodes <= kNodeBudget &&
                         !(s.items && on_stack[resolved_id(*s.items)]);
    if (count == 0 && shallow) count = 1;
    if (s.max_items) count = std::min(count, *s.max_items);
    if (count > 16) return std::nullopt;
    json out = json::array();
    if (count == 0) return out;
    if (!s.items) {
      for (std::size_t i = 0; i < count; ++i) out.push_back("item" + std::to_string(i + 1));
      return out;
    }
    auto item = build(*s.items, use, depth + 1);
    if (!item) return std::nullopt;
    if (s.unique_items && count > 1) return std::nullopt;  // one value cannot be repeated
    for (std::size_t i = 0; i < count; ++i) out.push_back(*item);
    return out;
  }

  std::optional<json> string(SchemaId id, const Schema& s, ExampleUse use) {
    std::vector<std::string> candidates;
    if (auto sample = format_samples().find(s.format); sample != format_samples().end()) {
      candidates.push_back(sample->second);
    }
    std::string plain = "string";
    while (plain.size() < s.min_length.value_or(0)) plain += "x";
    if (s.max_length && plain.size() > *s.max_length) plain.resize(*s.max_length);
    if (s.pattern) {
      candidates.push_back(plain);  // when the pattern allows it, the plainest value reads best
      const std::size_t min_length = s.min_length.value_or(0);
      std::size_t previous = std::numeric_limits<std::size_t>::max();
      for (std::size_t extra : {0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64}) {
        auto sample = sample_pattern(*s.pattern, extra);
        if (!sample) break;
        if (sample->size() == previous) continue;  // nothing repeats more: no point going on
        previous = sample->size();
        candidates.push_back(std::move(*sample));
        if (s.max_length && candidates.back().size() > *s.max_length * 4) break;
        if (candidates.back().size() >= min_length && extra >= 2) break;
      }
      if (min_length > 0) {
        if (auto sample = sample_pattern(*s.pattern, min_length)) candidates.push_back(*sample);
      }
    } else if (candidates.empty()) {
      candidates.push_back(plain);
    }
    for (auto& candidate : candidates) {
      json value(std::move(candidate));
      if (conforms(value, id, use)) return value;
    }
    return std::nullopt;
  }

  std::optional<json> number(SchemaId id, const Schema& s, ExampleUse use) {
    const bool integer = (s.types & model::kNumber) == 0;
    std::vector<double> candidates = {1, 0};
    if (!integer) candidates.insert(candidates.begin(), 1.5);
    auto add_near = [&](double bound) {
      candidates.push_back(bound);
      candidates.push_back(integer ? std::floor(bound) + 1 : bound + 1);
      candidates.push_back(integer ? std::ceil(bound) - 1 : bound - 1);
      if (!integer) candidates.push_back(bound + 0.5), candidates.push_back(bound - 0.5);
    };
    if (s.minimum) add_near(*s.minimum);
    if (s.maximum) add_near(*s.maximum);
    if (s.minimum && s.maximum) candidates.push_back(integer ? std::floor((*s.minimum + *s.maximum) / 2)
                                                             : (*s.minimum + *s.maximum) / 2);
    if (s.multiple_of && *s.multiple_of > 0) {
      const double m = *s.multiple_of;
      candidates.push_back(m);
      if (s.minimum) {
        candidates.push_back(std::ceil(*s.minimum / m) * m);
        candidates.push_back((std::floor(*s.minimum / m) + 1) * m);
      }
    }
    candidates.push_back(10);
    candidates.push_back(100);
    for (const double candidate : candidates) {
      if (!std::isfinite(candidate)) continue;
      json value;
      if (integer || (candidate == std::floor(candidate) && std::fabs(candidate) < 9e15)) {
        if (std::fabs(candidate) > 9e15) continue;
        value = static_cast<std::int64_t>(candidate);
      } else {
        value = candidate;
      }
      if (conforms(value, id, use)) return value;
    }
    return std::nullopt;
  }
};

ExampleSynthesiser::ExampleSynthesiser(const model::Api& api) : impl_(std::make_unique<Impl>(api)) {}
ExampleSynthesiser::~ExampleSynthesiser() = default;

const json* ExampleSynthesiser::synthesise_ref(SchemaId schema, ExampleUse use) {
  const auto key = std::make_pair(schema, use);
  auto it = impl_->cache.find(key);
  if (it == impl_->cache.end()) {
    impl_->nodes = 0;
    auto value = impl_->build(schema, use, 0);
    // The builder aims for valid values; this is what makes it a promise.
    if (value && !impl_->conforms(*value, schema, use)) value.reset();
    it = impl_->cache.emplace(key, std::move(value)).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::optional<json> ExampleSynthesiser::synthesise(SchemaId schema, ExampleUse use) {
  const json* value = synthesise_ref(schema, use);
  return value ? std::optional<json>(*value) : std::nullopt;
}

bool ExampleSynthesiser::conforms(const json& value, SchemaId schema, ExampleUse use) const {
  return impl_->conforms(value, schema, use);
}

}  // namespace oasgen::render
