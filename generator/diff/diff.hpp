// The diff stage: what an edit of a spec breaks, on the wire (old clients against the new server)
// and in the generated C++ (code written against the old generated API). Runs load -> model ->
// naming on both documents and compares the results; docs/diff.md lists every rule.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "naming/cpp_api.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::diff {

/// error: breaks callers; warning: may break some; info: worth knowing, breaks nothing.
enum class Level { Info, Warning, Error };
/// Wire: HTTP traffic between old clients and the new server. Source: the generated C++ API.
enum class Axis { Wire, Source };

/// Where a finding stands in one of the two documents (the closest construct that exists there).
struct Place {
  std::string pointer;  ///< "#/paths/~1pets/get"
  SourceLocation location;
};

struct Finding {
  std::string id;  ///< stable, kebab-case: "request-property-became-required"
  Level level = Level::Info;
  Axis axis = Axis::Wire;
  /// "GET /pets/{id}" for what concerns one operation; "" for component-level findings.
  std::string group;
  std::string message;  ///< one line
  Place old_place, new_place;
  std::string symbol;  ///< source findings: the C++ symbol ("api::Pet::name")
  std::string header;  ///< source findings: the generated header ("include/api/models.hpp")
};

struct Report {
  std::vector<Finding> findings;  ///< grouped: operations in path order, then components
};

/// Compares two loaded APIs. `old_cpp`/`new_cpp` may be null: then only the wire is compared.
/// Both models' `locate` must still be valid (their documents alive).
Report compare(const model::Api& old_api, const cpp::Api* old_cpp, const model::Api& new_api,
               const cpp::Api* new_cpp);

struct Options {
  cpp::Options cpp;     ///< the naming options `generate` would use
  bool source = true;   ///< also compare the generated C++
};

/// Loads both documents and compares them. nullopt when either fails to load, with the problems in
/// `old_diagnostics` / `new_diagnostics`.
std::optional<Report> diff_files(const std::filesystem::path& old_spec,
                                 const std::filesystem::path& new_spec, const Options& options,
                                 Diagnostics& old_diagnostics, Diagnostics& new_diagnostics);

/// The worst level of the findings of `axis` (or of every axis); nullopt when there are none.
std::optional<Level> worst(const Report& report, std::optional<Axis> axis = std::nullopt);

const char* level_name(Level level);   ///< "error", "warning", "info"
const char* axis_name(Axis axis);      ///< "wire", "source"

/// Compiler-style text, one block per group:
///   GET /pets/{id}
///     new.yaml:12:7: error[request-property-became-required]: ... (old.yaml:10:7, #/...)
void print_text(const Report& report, std::ostream& out);
/// {"findings": [...], "summary": {"error": n, "warning": n, "info": n}}
nlohmann::json to_json(const Report& report);

}  // namespace oasgen::diff
