// What the parts of the diff stage share: a collector that turns origins into places.
#pragma once

#include <string>

#include "diff/diff.hpp"
#include "diff/schema_diff.hpp"
#include "model/model.hpp"

namespace oasgen::diff::detail {

/// Collects findings; locates their origins in the two documents (only for what is reported).
class Collector {
 public:
  Collector(const model::Api& old_api, const model::Api& new_api, Report& report)
      : old_(old_api), new_(new_api), report_(report) {}

  void add(std::string id, Level level, Axis axis, std::string group, std::string message,
           const model::Origin& old_origin, const model::Origin& new_origin,
           std::string symbol = {}, std::string header = {});

  const model::Api& old_api() const { return old_; }
  const model::Api& new_api() const { return new_; }

 private:
  const model::Api& old_;
  const model::Api& new_;
  Report& report_;
};

/// "METHOD path" of an operation, as findings are grouped.
std::string group_of(const model::Operation& op);

/// The path with its parameter names left out ("/pets/{}"): renaming a path parameter changes
/// nothing on the wire.
std::string path_key(const std::string& path);

/// The origin of the construct holding `origin` (its pointer without the last segment).
model::Origin parent(const model::Origin& origin);

/// The document's `paths` object, for what has no closer place in one of the documents.
model::Origin paths_origin();

/// Wire rules: operations, parameters, bodies, responses, security.
void compare_wire(SchemaDiff& schemas, Collector& out);

/// Wire rules on components/securitySchemes (component-level findings).
void compare_security_schemes(Collector& out);

/// Source rules: the generated C++ types and methods. Uses `schemas` to tell renamed components.
void compare_source(const cpp::Api& old_cpp, const cpp::Api& new_cpp, SchemaDiff& schemas,
                    Collector& out);

}  // namespace oasgen::diff::detail
