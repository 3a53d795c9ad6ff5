#include "diff/diff.hpp"

#include <algorithm>
#include <tuple>

#include "diff/detail.hpp"
#include "load/document.hpp"
#include "model/build_model.hpp"
#include "naming/build_cpp_api.hpp"

namespace oasgen::diff {

namespace detail {

void Collector::add(std::string id, Level level, Axis axis, std::string group, std::string message,
                    const model::Origin& old_origin, const model::Origin& new_origin,
                    std::string symbol, std::string header) {
  Finding f{std::move(id), level, axis, std::move(group), std::move(message),
            {old_origin.pointer, old_.locate ? old_.locate(old_origin) : SourceLocation{}},
            {new_origin.pointer, new_.locate ? new_.locate(new_origin) : SourceLocation{}},
            std::move(symbol), std::move(header)};
  report_.findings.push_back(std::move(f));
}

std::string group_of(const model::Operation& op) { return op.method + " " + op.path; }

std::string path_key(const std::string& path) {
  std::string out;
  bool in_param = false;
  for (char c : path) {
    if (c == '{') in_param = true;
    if (!in_param || c == '{') out += c;
    if (c == '}') {
      in_param = false;
      out += c;
    }
  }
  return out;
}

model::Origin parent(const model::Origin& origin) {
  model::Origin out = origin;
  auto trim = [](std::string& pointer) {
    const auto slash = pointer.rfind('/');
    if (slash != std::string::npos) pointer.resize(slash);
  };
  trim(out.pointer_in_file);
  trim(out.pointer);
  return out;
}

model::Origin paths_origin() { return {0, "/paths", "#/paths"}; }

}  // namespace detail

namespace {

// Operations in path order (then method), then component-level findings; stable within a group.
void sort_groups(Report& report) {
  auto key = [](const Finding& f) {
    const auto space = f.group.find(' ');
    const bool has_method = space != std::string::npos && f.group.front() != '/';
    return std::make_tuple(f.group.empty(), has_method ? f.group.substr(space + 1) : f.group,
                           has_method ? f.group.substr(0, space) : std::string());
  };
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
}

}  // namespace

Report compare(const model::Api& old_api, const cpp::Api* old_cpp, const model::Api& new_api,
               const cpp::Api* new_cpp) {
  Report report;
  detail::Collector collector(old_api, new_api, report);
  detail::SchemaDiff schemas(old_api, new_api);
  detail::compare_wire(schemas, collector);
  if (old_cpp && new_cpp) detail::compare_source(*old_cpp, *new_cpp, schemas, collector);
  sort_groups(report);
  return report;
}

std::optional<Report> diff_files(const std::filesystem::path& old_spec,
                                 const std::filesystem::path& new_spec, const Options& options,
                                 Diagnostics& old_diagnostics, Diagnostics& new_diagnostics) {
  struct Side {
    std::optional<load::Document> document;
    std::optional<model::Api> model;
    std::optional<cpp::Api> cpp;
  };
  auto load = [&](const std::filesystem::path& spec, Diagnostics& diagnostics, Side& side) {
    side.document = load::load_document(spec, diagnostics);
    if (!side.document || diagnostics.has_errors()) return false;
    side.model = model::build_model(*side.document, diagnostics, {/*lenient=*/true});
    if (!side.model || diagnostics.has_errors()) return false;
    if (!options.source) return true;
    side.cpp = naming::build_cpp_api(*side.model, options.cpp, diagnostics);
    return side.cpp && !diagnostics.has_errors();
  };
  Side old_side, new_side;
  const bool old_ok = load(old_spec, old_diagnostics, old_side);
  const bool new_ok = load(new_spec, new_diagnostics, new_side);
  if (!old_ok || !new_ok) return std::nullopt;
  return compare(*old_side.model, old_side.cpp ? &*old_side.cpp : nullptr, *new_side.model,
                 new_side.cpp ? &*new_side.cpp : nullptr);
}

std::optional<Level> worst(const Report& report, std::optional<Axis> axis) {
  std::optional<Level> out;
  for (const auto& f : report.findings) {
    if (axis && f.axis != *axis) continue;
    if (!out || f.level > *out) out = f.level;
  }
  return out;
}

const char* level_name(Level level) {
  switch (level) {
    case Level::Error: return "error";
    case Level::Warning: return "warning";
    case Level::Info: return "info";
  }
  return "info";
}

const char* axis_name(Axis axis) { return axis == Axis::Wire ? "wire" : "source"; }

}  // namespace oasgen::diff
