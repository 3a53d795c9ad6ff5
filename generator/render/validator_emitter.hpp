// The emitter behind validator_lines (validator_code.hpp), internal to render/: its keyword and
// member checks are in validator_code.cpp, unevaluatedProperties and the applicators (not,
// if/then/else, allOf/anyOf/oneOf) in validator_applicators.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "naming/cpp_api.hpp"

namespace oasgen::render::validator {

using model::Schema;
using model::SchemaId;

/// `expr`'s member function `name` called: "json.begin()", "it->begin()" for "*it".
std::string call(const std::string& expr, const std::string& name);
/// C++ string literals of `names`, comma separated.
std::string string_list(const std::vector<std::string>& names);

// Per generated function: counters for the names of local statics, and the schemas being inlined
// (a schema reached again while it is inlined would recurse without end).
struct Context {
  std::map<std::string, int> names;
  std::vector<SchemaId> inlining;

  std::string fresh(const std::string& base) {
    const int n = ++names[base];
    return n == 1 ? base : base + std::to_string(n);
  }
};

class Emitter {
 public:
  Emitter(const cpp::Api& api, Context& context, std::vector<std::string>& lines)
      : api_(api), schemas_(api.model->schemas), context_(context), lines_(lines) {}

  void schema(SchemaId id, const std::string& expr, int depth, int indent, bool inline_root);

 private:
  const Schema& own(const Schema& s) const { return s.own ? schemas_[*s.own] : s; }

  // The JSON types `s` admits as written, null included; 0 when it has no `type`.
  static unsigned declared_types(const Schema& s);

  // One JSON type (null aside), or integer/number: the type's checks need no guard.
  static bool single_type(unsigned types);

  static std::string type_mask(unsigned types);

  static std::string pad(int indent) {
    return std::string(static_cast<std::size_t>(indent) * 2, ' ');
  }

  void line(int indent, const std::string& text) { lines_.push_back(pad(indent) + text); }

  void append(const std::vector<std::string>& more) {
    lines_.insert(lines_.end(), more.begin(), more.end());
  }

  // Lines of `id` checked on `expr`, for a nested block.
  std::vector<std::string> nested(SchemaId id, const std::string& expr, int depth, int indent);

  // A schema's checks: the type first; every other check only once the type is right (a value of
  // the wrong type is invalid whatever else holds, and one error says it best).
  void body(SchemaId id, const std::string& expr, int depth, int indent);

  void values(const Schema& s, const std::string& expr, int indent);

  // The checks of each JSON type: unguarded for a single declared type (each runtime check also
  // passes values of other types, null among them), else each group behind a guard.
  void typed(const Schema& o, const Schema& s, unsigned types, const std::string& expr, int depth,
             int indent);

  void group(const Schema& o, const Schema& s, unsigned types, const std::string& expr, int depth,
             int indent);

  void strings(const Schema& s, const std::string& expr, int indent);

  void numbers(const Schema& s, const std::string& expr, int indent);

  bool is_never(SchemaId id) const { return id < schemas_.size() && own(schemas_[id]).never; }

  void arrays(const Schema& s, const std::string& expr, int depth, int indent);

  // Whether property `name` of the object schema `s` is readOnly / writeOnly.
  std::pair<bool, bool> direction_of(const Schema& s, const std::string& name) const;

  void objects(const Schema& o, const Schema& s, const std::string& expr, int depth, int indent);

  // ---- unevaluatedProperties
  // The members a schema evaluates are those its properties, patternProperties and
  // additionalProperties cover, and those of the subschemas it applies in place: allOf parts and
  // $ref targets always, dependentSchemas when their key is present, anyOf/oneOf alternatives and
  // `if` when they validate, then `then` (else `else`). A nested unevaluatedProperties covers every
  // member. Each group below holds when all of its conditions (C++ boolean expressions) do.
  struct Evaluated {
    std::vector<std::string> conditions;
    std::vector<std::string> names;
    std::vector<std::string> patterns;
    bool all = false;
  };

  // Whether `s` (not being the schema whose unevaluatedProperties is checked) evaluates any member
  // in some case.
  bool evaluates(const Schema& s, std::vector<const Schema*>& path) const;

  // A condition that `id` validates `expr`: a flag set by a trial before the members are checked
  // (declared into `probes`), or nothing when the schema checks nothing.
  std::optional<std::string> probe(SchemaId id, const std::string& expr, int depth, int indent,
                                   std::vector<std::string>& probes);

  void collect(const Schema& s, bool root, const std::vector<std::string>& conditions,
               const std::string& expr, int depth, int indent, std::vector<Evaluated>& groups,
               std::vector<std::string>& probes, std::vector<const Schema*>& path);

  // unevaluatedProperties: each member that no group covers is checked against `check`.
  void unevaluated(const Schema& s, SchemaId check, const std::string& expr, int depth, int indent);

  // patternProperties and additionalProperties: the members that `properties` does not name.
  void members(const Schema& o, const std::string& expr, int depth, int indent);

  // not and if/then/else, each evaluated as a trial.
  void applicators(const Schema& s, const std::string& expr, int depth, int indent);

  // `{type: "null"}` and nothing else: the null alternative of a nullable composition.
  bool is_null_only(SchemaId id) const;

  // Whether `id` rejects null by its type alone.
  bool rejects_null(SchemaId id) const;

  void compositions(const Schema& s, const std::string& expr, int depth, int indent);

  void alternatives(const Schema& s, const std::vector<SchemaId>& options, bool one_of,
                    const std::string& expr, int depth, int indent);

  const cpp::Api& api_;
  const StableVector<Schema>& schemas_;
  Context& context_;
  std::vector<std::string>& lines_;
};

}  // namespace oasgen::render::validator
