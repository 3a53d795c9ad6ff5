// Compares two schemas (one from each API) for values flowing in one direction. Internal to diff.
#pragma once

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "diff/diff.hpp"
#include "model/model.hpp"

namespace oasgen::diff::detail {

/// Request: old clients send values valid under the old schema; the new one must accept them.
/// Response: old clients accept values valid under the old schema; the new one must not produce
/// others.
enum class Direction { Request, Response };

/// A finding inside a schema, relative to the schema compared.
struct SchemaFinding {
  std::string id;
  Level level = Level::Info;
  std::string path;    ///< "pet.tags[]" relative to the compared schema; "" for the schema itself
  std::string detail;  ///< "maxLength 16 -> 10"
  model::Origin old_origin, new_origin;
};

class SchemaDiff {
 public:
  SchemaDiff(const model::Api& old_api, const model::Api& new_api);

  /// Every difference between `old_id` and `new_id` for values flowing in `direction`. References
  /// and inline schemas are compared after resolution; recursion ends at a pair in progress.
  const std::vector<SchemaFinding>& compare(model::SchemaId old_id, model::SchemaId new_id,
                                            Direction direction);

  /// No difference in either direction: the same values are valid and the same are produced.
  bool equivalent(model::SchemaId old_id, model::SchemaId new_id);

 private:
  using Key = std::tuple<model::SchemaId, model::SchemaId, Direction>;
  struct Scope;  // the findings of one pair being compared

  void compare_types(Scope& scope);
  void compare_enums(Scope& scope);
  void compare_bounds(Scope& scope);
  void compare_objects(Scope& scope);
  void compare_properties(Scope& scope);
  void compare_alternatives(Scope& scope, bool one_of);
  void compare_nested(Scope& scope);

  const model::Api& old_;
  const model::Api& new_;
  std::map<Key, std::vector<SchemaFinding>> done_;
  std::set<Key> in_progress_;
};

/// `a.b` / `a[]`: joins a path and a segment.
std::string join_path(const std::string& path, const std::string& segment);

}  // namespace oasgen::diff::detail
