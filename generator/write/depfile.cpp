#include "write/depfile.hpp"

#include <set>

#include "write/output_sink.hpp"

namespace oasgen::write {
namespace {

namespace fs = std::filesystem;

fs::path absolute_normal(const fs::path& path) {
  return fs::absolute(path).lexically_normal();
}

}  // namespace

std::optional<std::string> escape_depfile_path(const std::string& path) {
  if (path.find_first_of("\n\r") != std::string::npos) return std::nullopt;
  std::string escaped;
  std::size_t backslashes = 0;  // the run of backslashes just copied
  for (const char c : path) {
    if (c == ' ' || c == '\t') {
      // GCC's convention, which Make, Ninja and CMake undo: 2N+1 backslashes before a blank mean N
      // backslashes and the blank.
      escaped.append(backslashes, '\\');
      escaped += '\\';
    } else if (c == '#') {
      escaped += '\\';
    } else if (c == '$') {
      escaped += '$';
    }
    escaped += c;
    backslashes = c == '\\' ? backslashes + 1 : 0;
  }
  return escaped;
}

std::optional<std::string> depfile_text(const fs::path& target, const std::vector<fs::path>& inputs) {
  auto text = escape_depfile_path(target.generic_string());
  if (!text) return std::nullopt;
  *text += ':';
  std::set<std::string> seen;
  for (const fs::path& input : inputs) {
    const std::string path = input.generic_string();
    if (!seen.insert(path).second) continue;
    const auto escaped = escape_depfile_path(path);
    if (!escaped) return std::nullopt;
    *text += " \\\n  " + *escaped;
  }
  *text += '\n';
  return text;
}

bool write_depfile(const fs::path& file, const fs::path& target, const std::vector<fs::path>& inputs,
                   Diagnostics& diagnostics) {
  std::vector<fs::path> absolute_inputs;
  absolute_inputs.reserve(inputs.size());
  for (const fs::path& input : inputs) absolute_inputs.push_back(absolute_normal(input));
  const auto text = depfile_text(absolute_normal(target), absolute_inputs);
  if (!text) {
    diagnostics.error("depfile", "cannot write the depfile '" + file.generic_string() +
                                     "': a path in it contains a line break");
    return false;
  }
  const std::size_t errors_before = diagnostics.error_count();
  write_if_changed(absolute_normal(file), *text, diagnostics);
  return diagnostics.error_count() == errors_before;
}

}  // namespace oasgen::write
