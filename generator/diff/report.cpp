// The report as compiler-style text and as JSON.
#include <array>

#include "diff/diff.hpp"

namespace oasgen::diff {

namespace {

std::string where(const SourceLocation& location) {
  std::string out = location.file;
  if (location.line > 0) out += ":" + std::to_string(location.line);
  if (location.column > 0) out += ":" + std::to_string(location.column);
  return out;
}

nlohmann::json place_json(const Place& place) {
  return {{"file", place.location.file},
          {"line", place.location.line},
          {"column", place.location.column},
          {"pointer", place.pointer}};
}

std::array<std::size_t, 3> counts(const Report& report) {
  std::array<std::size_t, 3> out{};
  for (const auto& f : report.findings) ++out[static_cast<std::size_t>(f.level)];
  return out;
}

}  // namespace

void print_text(const Report& report, std::ostream& out) {
  const std::string* group = nullptr;
  for (const auto& f : report.findings) {
    if (!group || *group != f.group) {
      group = &f.group;
      out << (f.group.empty() ? "components" : f.group) << '\n';
    }
    out << "  " << where(f.new_place.location) << ": " << level_name(f.level) << '[' << f.id
        << "]: " << f.message;
    if (!f.symbol.empty()) out << " [" << f.symbol << " in " << f.header << ']';
    out << " (at " << f.new_place.pointer << "; was " << where(f.old_place.location) << ", "
        << f.old_place.pointer << ")\n";
  }
  const auto n = counts(report);
  out << n[2] << " error" << (n[2] == 1 ? "" : "s") << ", " << n[1] << " warning"
      << (n[1] == 1 ? "" : "s") << ", " << n[0] << " info\n";
}

nlohmann::json to_json(const Report& report) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : report.findings) {
    nlohmann::json item{{"id", f.id},
                        {"level", level_name(f.level)},
                        {"axis", axis_name(f.axis)},
                        {"group", f.group},
                        {"message", f.message},
                        {"old", place_json(f.old_place)},
                        {"new", place_json(f.new_place)}};
    if (!f.symbol.empty()) {
      item["symbol"] = f.symbol;
      item["header"] = f.header;
    }
    findings.push_back(std::move(item));
  }
  const auto n = counts(report);
  return {{"findings", std::move(findings)},
          {"summary", {{"error", n[2]}, {"warning", n[1]}, {"info", n[0]}}}};
}

}  // namespace oasgen::diff
