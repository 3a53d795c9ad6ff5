#include "write/output_sink.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace oasgen::write {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempSuffix = ".oasgen-tmp";

std::vector<std::string> split_segments(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  for (std::size_t slash; (slash = path.find('/', start)) != std::string::npos; start = slash + 1) {
    segments.push_back(path.substr(start, slash - start));
  }
  segments.push_back(path.substr(start));
  return segments;
}

// Why `path` may not be written under the output root; empty when it may.
std::string path_problem(const std::string& path) {
  if (path.empty()) return "it is empty";
  if (path.find('\\') != std::string::npos) return "it contains a backslash";
  if (path.find('\0') != std::string::npos) return "it contains a NUL character";
  if (path.front() == '/') return "it is absolute";
  for (const std::string& segment : split_segments(path)) {
    if (segment.empty()) return "it has an empty segment";
    if (segment == "..") return "it leaves the output directory";
    if (segment == ".") return "it has a '.' segment";
  }
  if (path == kManifestName) return "the name is reserved for the manifest";
  if (path.size() >= kTempSuffix.size() &&
      path.compare(path.size() - kTempSuffix.size(), kTempSuffix.size(), kTempSuffix) == 0) {
    return "the suffix is reserved for temporary files";
  }
  return "";
}

std::optional<std::string> read_file(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// Writes a temporary file beside `target`, then renames it over `target`, so that readers see the
// old content or the new, never a partial file.
bool write_atomically(const fs::path& target, const std::string& content, std::string& why) {
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  if (error) {
    why = error.message();
    return false;
  }
  fs::path temporary = target;
  temporary += kTempSuffix;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      why = "cannot write '" + temporary.generic_string() + "'";
      fs::remove(temporary, error);
      return false;
    }
  }
  fs::rename(temporary, target, error);
  if (error) {
    why = error.message();
    fs::remove(temporary, error);
    return false;
  }
  return true;
}

std::vector<std::string> read_manifest(const fs::path& root) {
  std::vector<std::string> paths;
  const auto text = read_file(root / kManifestName);
  if (!text) return paths;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) paths.push_back(line);
  }
  return paths;
}

std::string manifest_text(const std::vector<std::string>& paths) {
  std::string text;
  for (const std::string& path : paths) text += path + '\n';
  return text;
}

// Removes the folders of `path` that removing it left empty, deepest first, never `root` itself.
void remove_empty_parents(const fs::path& root, const std::string& path) {
  std::vector<std::string> segments = split_segments(path);
  segments.pop_back();
  for (; !segments.empty(); segments.pop_back()) {
    fs::path folder = root;
    for (const std::string& segment : segments) folder /= segment;
    std::error_code error;
    if (!fs::is_directory(folder, error) || !fs::is_empty(folder, error) || error) return;
    fs::remove(folder, error);
    if (error) return;
  }
}

}  // namespace

void MemorySink::write(const std::string& path, std::string content) {
  if (!files_.emplace(path, std::move(content)).second) {
    throw std::logic_error("output file written twice: " + path);
  }
}

namespace {

// Reports every path of `files` that may not be written under a root; true when there is none.
bool paths_acceptable(const std::map<std::string, std::string>& files, Diagnostics& diagnostics) {
  bool rejected = false;
  for (auto it = files.begin(); it != files.end(); ++it) {
    std::string problem = path_problem(it->first);
    // "a" and "a/b" cannot both be files: the first key not below "a/" is the first "a/..." if any.
    const auto nested = files.lower_bound(it->first + '/');
    if (problem.empty() && nested != files.end() &&
        nested->first.compare(0, it->first.size() + 1, it->first + '/') == 0) {
      problem = "it is also a folder of '" + nested->first + "'";
    }
    if (!problem.empty()) {
      diagnostics.error("output-path", "refusing to write '" + it->first + "': " + problem);
      rejected = true;
    }
  }
  return !rejected;
}

}  // namespace

CommitReport commit(const fs::path& root, const std::map<std::string, std::string>& files,
                    Diagnostics& diagnostics) {
  CommitReport report;
  if (!paths_acceptable(files, diagnostics)) return report;

  bool failed = false;
  for (const auto& [path, content] : files) {
    const fs::path target = root / path;
    if (read_file(target) == content) {
      report.unchanged.push_back(path);
      continue;
    }
    std::string why;
    if (write_atomically(target, content, why)) {
      report.written.push_back(path);
    } else {
      diagnostics.error("output-write", "cannot write '" + target.generic_string() + "': " + why);
      failed = true;
    }
  }

  const std::vector<std::string> previous = read_manifest(root);
  std::vector<std::string> listed;
  for (const auto& [path, content] : files) listed.push_back(path);
  for (const std::string& path : previous) {
    // A manifest is only trusted for paths that could have been written (never outside root).
    if (files.count(path) != 0 || !path_problem(path).empty()) continue;
    if (failed) {
      listed.push_back(path);  // keep tracking it: this run did not finish
      continue;
    }
    const fs::path target = root / path;
    std::error_code error;
    if (!fs::is_regular_file(fs::symlink_status(target, error)) &&
        !fs::is_symlink(fs::symlink_status(target, error))) {
      continue;
    }
    if (fs::remove(target, error)) {
      report.removed.push_back(path);
      remove_empty_parents(root, path);
    } else if (error) {
      diagnostics.error("output-write",
                        "cannot remove '" + target.generic_string() + "': " + error.message());
      listed.push_back(path);
    }
  }
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());

  const std::string manifest = manifest_text(listed);
  if (read_file(root / kManifestName) != manifest) {
    std::string why;
    if (!write_atomically(root / kManifestName, manifest, why)) {
      diagnostics.error("output-write",
                        "cannot write '" + (root / kManifestName).generic_string() + "': " + why);
    }
  }
  return report;
}

std::vector<std::string> create(const fs::path& root, const std::map<std::string, std::string>& files,
                                Diagnostics& diagnostics) {
  std::vector<std::string> written;
  if (!paths_acceptable(files, diagnostics)) return written;
  bool exists = false;
  for (const auto& [path, content] : files) {
    std::error_code error;
    if (fs::exists(fs::symlink_status(root / path, error))) {
      diagnostics.error("output-exists", "'" + (root / path).generic_string() +
                                             "' exists; it is written only once, and never overwritten");
      exists = true;
    }
  }
  if (exists) return written;
  for (const auto& [path, content] : files) {
    std::string why;
    if (!write_atomically(root / path, content, why)) {
      diagnostics.error("output-write",
                        "cannot write '" + (root / path).generic_string() + "': " + why);
      return written;
    }
    written.push_back(path);
  }
  return written;
}

bool write_if_changed(const fs::path& path, const std::string& content, Diagnostics& diagnostics) {
  if (read_file(path) == content) return false;
  std::string why;
  if (!write_atomically(path, content, why)) {
    diagnostics.error("output-write", "cannot write '" + path.generic_string() + "': " + why);
    return false;
  }
  return true;
}

std::vector<std::string> check(const fs::path& root,
                               const std::map<std::string, std::string>& files) {
  std::vector<std::string> differing;
  for (const auto& [path, content] : files) {
    if (!path_problem(path).empty() || read_file(root / path) != content) {
      differing.push_back(path);
    }
  }
  for (const std::string& path : read_manifest(root)) {
    std::error_code error;
    if (files.count(path) == 0 && path_problem(path).empty() &&
        fs::exists(fs::symlink_status(root / path, error))) {
      differing.push_back(path);
    }
  }
  std::sort(differing.begin(), differing.end());
  differing.erase(std::unique(differing.begin(), differing.end()), differing.end());
  return differing;
}

}  // namespace oasgen::write
