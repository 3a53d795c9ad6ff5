#include "diff/schema_diff.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace oasgen::diff::detail {

namespace {

using model::Schema;
using model::SchemaId;

constexpr unsigned kAllTypes = model::kNull | model::kBoolean | model::kInteger | model::kNumber |
                               model::kString | model::kArray | model::kObject;

// A schema after following `same_as` (a reference made nullable), with the nullability gathered
// on the way.
struct Resolved {
  const Schema* schema = nullptr;
  SchemaId id = 0;
  bool nullable = false;
};

Resolved resolve(const model::Api& api, SchemaId id) {
  Resolved r;
  for (std::size_t hops = 0; hops <= api.schemas.size(); ++hops) {
    const Schema& s = api.schemas[id];
    r.nullable = r.nullable || s.nullable || s.type_null;
    if (!s.same_as) break;
    id = *s.same_as;
  }
  r.schema = &api.schemas[id];
  r.id = id;
  return r;
}

// The JSON types a schema lets through: `type` as validated (none written = any), null when
// nullable, and integers wherever numbers are allowed.
unsigned type_bits(const Resolved& r) {
  unsigned bits = r.schema->has_type && r.schema->types != 0 ? r.schema->types : kAllTypes;
  if (r.nullable) bits |= model::kNull;
  if (bits & model::kNumber) bits |= model::kInteger;
  return bits;
}

std::string type_names(unsigned bits) {
  if ((bits | model::kNull) == kAllTypes) return (bits & model::kNull) ? "any" : "any non-null";
  static const std::pair<unsigned, const char*> kNames[] = {
      {model::kNull, "null"},     {model::kBoolean, "boolean"}, {model::kNumber, "number"},
      {model::kString, "string"}, {model::kArray, "array"},     {model::kObject, "object"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (bits & bit) out += (out.empty() ? "" : "|") + std::string(name);
  }
  if ((bits & model::kInteger) && !(bits & model::kNumber)) out += (out.empty() ? "" : "|") + std::string("integer");
  return out.empty() ? "nothing" : out;
}

std::string show(const std::optional<std::size_t>& value) {
  return value ? std::to_string(*value) : "none";
}

std::string show(const std::optional<double>& value, bool exclusive = false) {
  if (!value) return "none";
  std::string text = nlohmann::json(*value).dump();
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return exclusive ? text + " (exclusive)" : text;
}

// How the set of valid values changed under one constraint.
enum class Change { None, Narrower, Wider, Other };

Change lower_bound(std::optional<std::size_t> a, std::optional<std::size_t> b) {
  const std::size_t x = a.value_or(0), y = b.value_or(0);
  return y > x ? Change::Narrower : y < x ? Change::Wider : Change::None;
}

Change upper_bound(std::optional<std::size_t> a, std::optional<std::size_t> b) {
  if (a == b) return Change::None;
  if (!b) return Change::Wider;
  if (!a) return Change::Narrower;
  return *b < *a ? Change::Narrower : Change::Wider;
}

// `maximum` (upper = true) or `minimum`, each possibly exclusive.
Change numeric_bound(std::optional<double> a, bool a_exclusive, std::optional<double> b,
                     bool b_exclusive, bool upper) {
  if (!a && !b) return Change::None;
  if (!b) return Change::Wider;
  if (!a) return Change::Narrower;
  if (*a == *b) {
    if (a_exclusive == b_exclusive) return Change::None;
    return b_exclusive ? Change::Narrower : Change::Wider;
  }
  return (upper ? *b < *a : *b > *a) ? Change::Narrower : Change::Wider;
}

Change multiple_of(std::optional<double> a, std::optional<double> b) {
  if (a == b) return Change::None;
  if (!b) return Change::Wider;
  if (!a) return Change::Narrower;
  auto divides = [](double d, double n) {
    const double q = n / d;
    return std::fabs(q - std::round(q)) < 1e-9;
  };
  if (divides(*b, *a)) return Change::Wider;    // every old multiple is a new one
  if (divides(*a, *b)) return Change::Narrower;
  return Change::Other;
}

// Formats that generated validators check; others are annotations and change nothing on the wire.
// Within a family, a later format holds more values.
int format_rank(const std::string& format, int& family) {
  static const std::pair<const char*, std::pair<int, int>> kFormats[] = {
      {"int32", {1, 1}},   {"int64", {1, 2}},   {"date-time", {2, 1}}, {"date", {3, 1}},
      {"time", {4, 1}},    {"uuid", {5, 1}},    {"email", {6, 1}},     {"uri", {7, 1}},
      {"ipv4", {8, 1}},    {"ipv6", {9, 1}},    {"byte", {10, 1}}};
  for (const auto& [name, rank] : kFormats) {
    if (format == name) {
      family = rank.first;
      return rank.second;
    }
  }
  family = 0;
  return 0;
}

Change format_change(const std::string& a, const std::string& b) {
  int fa = 0, fb = 0;
  const int ra = format_rank(a, fa), rb = format_rank(b, fb);
  if (fa == fb) return ra == rb ? Change::None : rb < ra ? Change::Narrower : Change::Wider;
  if (fa == 0) return Change::Narrower;
  if (fb == 0) return Change::Wider;
  return Change::Other;
}

std::vector<std::string> enum_set(const Schema& s) {
  std::vector<std::string> values;
  for (const auto& v : s.enum_values) values.push_back(v.dump());
  if (s.enum_null) values.emplace_back("null");
  if (s.const_value) values.push_back(s.const_value->dump());
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::string list(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

const char* prefix(Direction d) { return d == Direction::Request ? "request-" : "response-"; }

}  // namespace

std::string join_path(const std::string& path, const std::string& segment) {
  if (path.empty()) return segment;
  if (segment.empty()) return path;
  if (!segment.empty() && (segment[0] == '[' || segment[0] == '{')) return path + segment;
  return path + "." + segment;
}

struct SchemaDiff::Scope {
  Resolved a, b;
  Direction direction;
  std::vector<SchemaFinding>& out;

  void emit(std::string id, Level level, std::string detail, std::string path = {},
            const model::Origin* old_origin = nullptr, const model::Origin* new_origin = nullptr) {
    out.push_back({prefix(direction) + id, level, std::move(path), std::move(detail),
                   old_origin ? *old_origin : a.schema->origin,
                   new_origin ? *new_origin : b.schema->origin});
  }

  // A constraint that narrows (new accepts fewer values) or widens: breaking for requests when it
  // narrows, for responses when it widens.
  void constraint(const std::string& name, Change change, const std::string& detail) {
    if (change == Change::None) return;
    if (change == Change::Other) {
      emit(name + "-changed", Level::Error, detail);
    } else if (direction == Direction::Request) {
      change == Change::Narrower ? emit(name + "-tightened", Level::Error, detail)
                                 : emit(name + "-loosened", Level::Info, detail);
    } else {
      change == Change::Wider ? emit(name + "-loosened", Level::Error, detail)
                              : emit(name + "-tightened", Level::Info, detail);
    }
  }
};

SchemaDiff::SchemaDiff(const model::Api& old_api, const model::Api& new_api)
    : old_(old_api), new_(new_api) {}

const std::vector<SchemaFinding>& SchemaDiff::compare(SchemaId old_id, SchemaId new_id,
                                                      Direction direction) {
  static const std::vector<SchemaFinding> kNone;
  const Key key{old_id, new_id, direction};
  if (auto done = done_.find(key); done != done_.end()) return done->second;
  if (!in_progress_.insert(key).second) return kNone;  // recursion: compared further up
  std::vector<SchemaFinding> out;
  Scope scope{resolve(old_, old_id), resolve(new_, new_id), direction, out};
  // Defaults live where they are written: on the reference as much as on its target.
  const Schema& outer_a = old_.schemas[old_id];
  const Schema& outer_b = new_.schemas[new_id];
  const auto& default_a = outer_a.default_value ? outer_a.default_value : scope.a.schema->default_value;
  const auto& default_b = outer_b.default_value ? outer_b.default_value : scope.b.schema->default_value;
  if (default_a != default_b) {
    scope.emit("default-changed", direction == Direction::Request ? Level::Warning : Level::Info,
               "default " + (default_a ? default_a->dump() : "none") + " -> " +
                   (default_b ? default_b->dump() : "none"));
  }
  if (!(scope.a.schema->never && scope.b.schema->never)) {
    if (scope.b.schema->never != scope.a.schema->never) {
      scope.constraint("type", scope.b.schema->never ? Change::Narrower : Change::Wider,
                       scope.b.schema->never ? "no value is valid any more" : "values are valid again");
    }
    compare_types(scope);
    compare_enums(scope);
    compare_bounds(scope);
    compare_objects(scope);
    compare_alternatives(scope, true);
    compare_alternatives(scope, false);
    compare_nested(scope);
  }
  in_progress_.erase(key);
  return done_[key] = std::move(out);
}

bool SchemaDiff::equivalent(SchemaId old_id, SchemaId new_id) {
  return compare(old_id, new_id, Direction::Request).empty() &&
         compare(old_id, new_id, Direction::Response).empty();
}

void SchemaDiff::compare_types(Scope& scope) {
  const unsigned a = type_bits(scope.a), b = type_bits(scope.b);
  if (a == b) return;
  const bool lost = (a & ~b) != 0, gained = (b & ~a) != 0;
  const std::string detail = "type " + type_names(a) + " -> " + type_names(b);
  if (lost && gained) {
    scope.emit("type-changed", Level::Error, detail);
  } else if (scope.direction == Direction::Request) {
    lost ? scope.emit("type-changed", Level::Error, detail) : scope.emit("type-widened", Level::Info, detail);
  } else {
    gained ? scope.emit("type-changed", Level::Error, detail) : scope.emit("type-narrowed", Level::Info, detail);
  }
}

void SchemaDiff::compare_enums(Scope& scope) {
  const auto a = enum_set(*scope.a.schema), b = enum_set(*scope.b.schema);
  if (a == b) return;
  const bool request = scope.direction == Direction::Request;
  if (a.empty() || b.empty()) {
    const bool limited = a.empty();  // the new schema lists values, the old one did not
    const std::string detail = limited ? "values now limited to " + list(b) : "values no longer limited to " + list(a);
    if (limited) {
      scope.emit("enum-value-removed", request ? Level::Error : Level::Info, detail);
    } else {
      scope.emit("enum-value-added", request ? Level::Info : Level::Error, detail);
    }
    return;
  }
  std::vector<std::string> removed, added;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(removed));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(added));
  if (!removed.empty()) {
    scope.emit("enum-value-removed", request ? Level::Error : Level::Info,
               "enum value" + std::string(removed.size() > 1 ? "s " : " ") + list(removed) + " removed");
  }
  if (!added.empty()) {
    scope.emit("enum-value-added", request ? Level::Info : Level::Error,
               "enum value" + std::string(added.size() > 1 ? "s " : " ") + list(added) + " added");
  }
}

void SchemaDiff::compare_bounds(Scope& scope) {
  const Schema& a = *scope.a.schema;
  const Schema& b = *scope.b.schema;
  scope.constraint("max-length", upper_bound(a.max_length, b.max_length),
                   "maxLength " + show(a.max_length) + " -> " + show(b.max_length));
  scope.constraint("min-length", lower_bound(a.min_length, b.min_length),
                   "minLength " + show(a.min_length) + " -> " + show(b.min_length));
  scope.constraint("maximum",
                   numeric_bound(a.maximum, a.exclusive_maximum, b.maximum, b.exclusive_maximum, true),
                   "maximum " + show(a.maximum, a.exclusive_maximum) + " -> " +
                       show(b.maximum, b.exclusive_maximum));
  scope.constraint("minimum",
                   numeric_bound(a.minimum, a.exclusive_minimum, b.minimum, b.exclusive_minimum, false),
                   "minimum " + show(a.minimum, a.exclusive_minimum) + " -> " +
                       show(b.minimum, b.exclusive_minimum));
  scope.constraint("multiple-of", multiple_of(a.multiple_of, b.multiple_of),
                   "multipleOf " + show(a.multiple_of) + " -> " + show(b.multiple_of));
  const Change pattern = a.pattern == b.pattern ? Change::None
                         : !a.pattern           ? Change::Narrower
                         : !b.pattern           ? Change::Wider
                                                : Change::Other;
  scope.constraint("pattern", pattern,
                   "pattern " + (a.pattern ? "'" + *a.pattern + "'" : "none") + " -> " +
                       (b.pattern ? "'" + *b.pattern + "'" : "none"));
  scope.constraint("format", format_change(a.format, b.format),
                   "format " + (a.format.empty() ? "none" : a.format) + " -> " +
                       (b.format.empty() ? "none" : b.format));
  scope.constraint("max-items", upper_bound(a.max_items, b.max_items),
                   "maxItems " + show(a.max_items) + " -> " + show(b.max_items));
  scope.constraint("min-items", lower_bound(a.min_items, b.min_items),
                   "minItems " + show(a.min_items) + " -> " + show(b.min_items));
  if (a.unique_items != b.unique_items) {
    scope.constraint("unique-items", b.unique_items ? Change::Narrower : Change::Wider,
                     b.unique_items ? "items must now be unique" : "items need no longer be unique");
  }
}

void SchemaDiff::compare_objects(Scope& scope) {
  const Schema& a = *scope.a.schema;
  const Schema& b = *scope.b.schema;
  if (!(type_bits(scope.a) & type_bits(scope.b) & model::kObject)) return;
  scope.constraint("max-properties", upper_bound(a.max_properties, b.max_properties),
                   "maxProperties " + show(a.max_properties) + " -> " + show(b.max_properties));
  scope.constraint("min-properties", lower_bound(a.min_properties, b.min_properties),
                   "minProperties " + show(a.min_properties) + " -> " + show(b.min_properties));
  // additionalProperties: any (allowed, untyped), typed, or forbidden.
  auto rank = [](const Schema& s) { return !s.additional_allowed ? 0 : s.additional ? 1 : 2; };
  const int ra = rank(a), rb = rank(b);
  static const char* kShown[] = {"forbidden", "typed", "any"};
  if (ra == 1 && rb == 1) {
    for (const auto& f : compare(*a.additional, *b.additional, scope.direction)) {
      scope.out.push_back(f);
      scope.out.back().path = join_path("{*}", f.path);
    }
  } else if (ra != rb) {
    scope.constraint("additional-properties", rb < ra ? Change::Narrower : Change::Wider,
                     std::string("additionalProperties ") + kShown[ra] + " -> " + kShown[rb]);
  }
  if (a.discriminator || b.discriminator) {
    const std::string pa = a.discriminator ? a.discriminator->property : "none";
    const std::string pb = b.discriminator ? b.discriminator->property : "none";
    if (pa != pb) {
      scope.emit("discriminator-changed", Level::Error, "discriminator '" + pa + "' -> '" + pb + "'");
    } else {
      std::set<std::string> va, vb;
      for (const auto& m : a.discriminator->mapping) va.insert(m.first);
      for (const auto& m : b.discriminator->mapping) vb.insert(m.first);
      std::vector<std::string> removed, added;
      std::set_difference(va.begin(), va.end(), vb.begin(), vb.end(), std::back_inserter(removed));
      std::set_difference(vb.begin(), vb.end(), va.begin(), va.end(), std::back_inserter(added));
      const bool request = scope.direction == Direction::Request;
      if (!removed.empty()) {
        scope.emit("discriminator-value-removed", request ? Level::Error : Level::Info,
                   "discriminator '" + pa + "' no longer maps " + list(removed));
      }
      if (!added.empty()) {
        scope.emit("discriminator-value-added", request ? Level::Info : Level::Error,
                   "discriminator '" + pa + "' now also maps " + list(added));
      }
    }
  }
  compare_properties(scope);
}


namespace {

const model::Property* find_property(const Schema& s, const std::string& name) {
  for (const auto& p : s.properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool is_required(const Schema& s, const std::string& name) {
  return std::find(s.required.begin(), s.required.end(), name) != s.required.end();
}

// readOnly (true) or writeOnly (false) as the validators read it: on the property's schema.
bool flagged(const model::Api& api, const model::Property* p, bool read_only) {
  if (!p) return false;
  const Schema& outer = api.schemas[p->schema];
  const Schema& target = *resolve(api, p->schema).schema;
  return read_only ? outer.read_only || target.read_only : outer.write_only || target.write_only;
}

bool deprecated(const model::Api& api, const model::Property* p) {
  return p && (api.schemas[p->schema].deprecated || resolve(api, p->schema).schema->deprecated);
}

std::string alternative_name(const model::Api& api, SchemaId id, std::size_t index) {
  const Schema& s = *resolve(api, id).schema;
  if (s.component && !s.name_parts.empty()) return s.name_parts.front();
  return std::to_string(index);
}

}  // namespace

void SchemaDiff::compare_properties(Scope& scope) {
  const Schema& a = *scope.a.schema;
  const Schema& b = *scope.b.schema;
  const bool request = scope.direction == Direction::Request;
  std::set<std::string> names(a.required.begin(), a.required.end());
  names.insert(b.required.begin(), b.required.end());
  for (const auto& p : a.properties) names.insert(p.name);
  for (const auto& p : b.properties) names.insert(p.name);
  for (const auto& name : names) {
    const model::Property* pa = find_property(a, name);
    const model::Property* pb = find_property(b, name);
    const bool exists_a = pa || is_required(a, name), exists_b = pb || is_required(b, name);
    // Whether the property travels in this direction: readOnly ones are not sent in requests,
    // writeOnly ones not in responses (generated validators reject them there).
    const bool vis_a = exists_a && !flagged(old_, pa, request);
    const bool vis_b = exists_b && !flagged(new_, pb, request);
    const bool req_a = vis_a && is_required(a, name), req_b = vis_b && is_required(b, name);
    const model::Origin& oa = pa ? old_.schemas[pa->schema].origin : a.origin;
    const model::Origin& ob = pb ? new_.schemas[pb->schema].origin : b.origin;
    auto emit = [&](const char* id, Level level, const std::string& detail) {
      scope.emit(id, level, detail, name, &oa, &ob);
    };
    if (request) {
      if (vis_a && !exists_b) {
        emit("property-removed", b.additional_allowed ? Level::Warning : Level::Error,
             b.additional_allowed ? "removed; the server no longer reads it"
                                  : "removed, and the object accepts no other properties");
      } else if (vis_a && !vis_b) {
        emit("property-became-read-only", Level::Error, "became readOnly; requests may no longer send it");
      } else if (!exists_a && vis_b) {
        req_b ? emit("property-added-required", Level::Error, "added as required")
              : emit("property-added", Level::Info, "added (optional)");
      } else if (!vis_a && vis_b && req_b) {
        emit("property-became-required", Level::Error, "no longer readOnly and required in requests");
      } else if (vis_a && vis_b && req_a != req_b) {
        req_b ? emit("property-became-required", Level::Error, "became required")
              : emit("property-became-optional", Level::Info, "became optional");
      }
    } else {
      if (vis_a && !vis_b) {
        const std::string how = exists_b ? "became writeOnly" : "removed";
        req_a ? emit("required-property-removed", Level::Error, how + "; it was required")
              : emit("property-removed", Level::Warning, how);
      } else if (!vis_a && vis_b && exists_a) {
        emit("property-write-only-removed", Level::Error,
             "no longer writeOnly; old clients reject it in responses");
      } else if (!exists_a && vis_b) {
        if (a.additional) {
          for (const auto& f : compare(*a.additional, pb ? pb->schema : *a.additional, scope.direction)) {
            scope.out.push_back(f);
            scope.out.back().path = join_path(name, f.path);
          }
        } else {
          a.additional_allowed
              ? emit("property-added", Level::Info, "added")
              : emit("property-added", Level::Error, "added, but old clients accept no other properties");
        }
      } else if (vis_a && vis_b && req_a != req_b) {
        req_a ? emit("property-became-optional", Level::Error, "became optional")
              : emit("property-became-required", Level::Info, "became required");
      }
    }
    if (!vis_a || !vis_b) continue;
    // readOnly/writeOnly changed without changing what travels in this direction.
    if (flagged(old_, pa, true) != flagged(new_, pb, true) || flagged(old_, pa, false) != flagged(new_, pb, false)) {
      emit("property-access-changed", Level::Info,
           std::string(flagged(old_, pa, true) ? "readOnly" : "") + (flagged(old_, pa, false) ? "writeOnly" : "") +
               (flagged(old_, pa, true) || flagged(old_, pa, false) ? "" : "read-write") + " -> " +
               (flagged(new_, pb, true) ? "readOnly" : "") + (flagged(new_, pb, false) ? "writeOnly" : "") +
               (flagged(new_, pb, true) || flagged(new_, pb, false) ? "" : "read-write"));
    }
    if (deprecated(new_, pb) && !deprecated(old_, pa)) emit("property-deprecated", Level::Info, "deprecated");
    if (pa && pb) {
      for (const auto& f : compare(pa->schema, pb->schema, scope.direction)) {
        scope.out.push_back(f);
        scope.out.back().path = join_path(name, f.path);
      }
    } else if (pa || pb) {
      const std::string detail = pa ? "no longer declared: any value" : "now declared";
      const Change change = pa ? Change::Wider : Change::Narrower;
      const std::size_t before = scope.out.size();
      scope.constraint("type", change, detail);
      for (std::size_t i = before; i < scope.out.size(); ++i) {
        scope.out[i].path = name;
        scope.out[i].old_origin = oa;
        scope.out[i].new_origin = ob;
      }
    }
  }
}

void SchemaDiff::compare_alternatives(Scope& scope, bool one_of) {
  const auto& la = one_of ? scope.a.schema->one_of : scope.a.schema->any_of;
  const auto& lb = one_of ? scope.b.schema->one_of : scope.b.schema->any_of;
  if (la.empty() && lb.empty()) return;
  const std::string keyword = one_of ? "one-of" : "any-of";
  const std::string shown = one_of ? "oneOf" : "anyOf";
  if (la.empty() || lb.empty()) {
    // A schema that becomes (or stops being) a choice: its alternatives are not compared with the
    // plain schema it replaces (docs/diff.md).
    scope.emit(keyword + "-changed", Level::Warning,
               la.empty() ? shown + " added; its alternatives are not compared with the old schema"
                          : shown + " removed; the new schema is not compared with the old alternatives");
    return;
  }
  std::vector<bool> used(lb.size(), false);
  std::vector<std::size_t> left_a;
  for (std::size_t i = 0; i < la.size(); ++i) {
    bool found = false;
    for (std::size_t j = 0; j < lb.size() && !found; ++j) {
      if (!used[j] && equivalent(la[i], lb[j])) used[j] = found = true;
    }
    if (!found) left_a.push_back(i);
  }
  std::vector<std::size_t> left_b;
  for (std::size_t j = 0; j < lb.size(); ++j) {
    if (!used[j]) left_b.push_back(j);
  }
  // Alternatives that changed: the same component name, or the only one left on each side.
  auto pair_up = [&](std::size_t i, std::size_t j) {
    const std::string name = alternative_name(old_, la[i], i);
    for (const auto& f : compare(la[i], lb[j], scope.direction)) {
      scope.out.push_back(f);
      scope.out.back().path = join_path(shown + "[" + name + "]", f.path);
    }
  };
  for (auto i = left_a.begin(); i != left_a.end();) {
    auto j = std::find_if(left_b.begin(), left_b.end(), [&](std::size_t k) {
      return resolve(new_, lb[k]).schema->component &&
             alternative_name(old_, la[*i], *i) == alternative_name(new_, lb[k], k);
    });
    if (j == left_b.end()) {
      ++i;
      continue;
    }
    pair_up(*i, *j);
    left_b.erase(j);
    i = left_a.erase(i);
  }
  if (left_a.size() == 1 && left_b.size() == 1) {
    pair_up(left_a.front(), left_b.front());
    return;
  }
  const bool request = scope.direction == Direction::Request;
  for (std::size_t i : left_a) {
    scope.emit(keyword + "-alternative-removed", request ? Level::Error : Level::Info,
               shown + " alternative " + alternative_name(old_, la[i], i) + " removed");
  }
  for (std::size_t j : left_b) {
    scope.emit(keyword + "-alternative-added", request ? Level::Info : Level::Error,
               shown + " alternative " + alternative_name(new_, lb[j], j) + " added");
  }
}

void SchemaDiff::compare_nested(Scope& scope) {
  const Schema& a = *scope.a.schema;
  const Schema& b = *scope.b.schema;
  if (a.items && b.items) {
    for (const auto& f : compare(*a.items, *b.items, scope.direction)) {
      scope.out.push_back(f);
      scope.out.back().path = join_path("[]", f.path);
    }
  } else if ((a.items || b.items) && (type_bits(scope.a) & type_bits(scope.b) & model::kArray)) {
    scope.constraint("type", a.items ? Change::Wider : Change::Narrower,
                     a.items ? "array items no longer typed" : "array items now typed");
  }
}

}  // namespace oasgen::diff::detail
