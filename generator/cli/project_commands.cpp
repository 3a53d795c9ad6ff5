#include "cli/project_commands.hpp"

#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <system_error>

#include "naming/namer.hpp"
#include "pipeline.hpp"
#include "render/project.hpp"
#include "write/output_sink.hpp"

namespace oasgen::cli {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// A folder of our own under the system's temporary folder, removed with this object.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::random_device random;
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
      fs::path candidate = fs::temp_directory_path() / ("oasgen-init-" + std::to_string(random()));
      std::error_code error;
      if (fs::create_directory(candidate, error)) path_ = std::move(candidate);
    }
    if (path_.empty()) throw std::runtime_error("cannot create a temporary folder");
  }
  ~TemporaryFolder() {
    std::error_code error;
    fs::remove_all(path_, error);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Where the running oasgen is installed, when that is a prefix CMake finds it under; else empty.
std::string install_prefix() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const fs::path prefix = self.parent_path().parent_path();
  for (const char* lib : {"lib", "lib64", "share"}) {
    if (fs::exists(prefix / lib / "cmake" / "oasgen" / "oasgenConfig.cmake", error)) {
      return prefix.generic_string();
    }
  }
  return {};
}

// Every file the spec is made of (it and what it reaches through $ref), by its path relative to
// the spec's folder; nullopt (reported) when one lies outside that folder or cannot be read.
std::optional<std::map<std::string, std::string>> spec_files(const fs::path& spec,
                                                             const load::Document& document,
                                                             Diagnostics& diagnostics) {
  std::map<std::string, std::string> files;
  const fs::path base = fs::absolute(spec).parent_path().lexically_normal();
  for (const fs::path& file : document.files()) {
    const fs::path relative = fs::absolute(file).lexically_normal().lexically_relative(base);
    if (relative.empty() || *relative.begin() == "..") {
      diagnostics.error("init-spec-outside",
                        "'" + file.generic_string() + "' is outside the folder of '" +
                            spec.generic_string() +
                            "'; init copies the spec and the files it references into the "
                            "project, keeping their relative paths");
      return std::nullopt;
    }
    auto content = read_file(file);
    if (!content) {
      diagnostics.error("file-read", "cannot read '" + file.generic_string() + "'");
      return std::nullopt;
    }
    files[relative.generic_string()] = std::move(*content);
  }
  return files;
}

bool folder_empty_or_missing(const fs::path& dir, std::string& why) {
  std::error_code error;
  const auto status = fs::status(dir, error);
  if (!fs::exists(status)) return true;
  if (!fs::is_directory(status)) {
    why = "it exists and is not a folder";
    return false;
  }
  if (!fs::is_empty(dir, error)) {
    why = "it is not empty; init writes a new project only into a missing or empty folder";
    return false;
  }
  return true;
}

// `text` as one word for a POSIX shell: quoted when it holds anything but safe characters.
std::string shell_word(const std::string& text) {
  const bool safe = !text.empty() && text.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_-./:=+@%,") == std::string::npos;
  if (safe) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::ostream* trace_of(const SpecOptions& options) { return options.verbose ? &std::cerr : nullptr; }

cpp::Options cpp_options(const std::string& ns) { return {ns, cpp::OptionalType::Oasgen}; }

}  // namespace

std::string project_name(const fs::path& dir) {
  fs::path normal = fs::absolute(dir).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  std::string name;
  for (const char c : normal.filename().string()) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  if (name.empty() || !(name.front() >= 'a' && name.front() <= 'z')) name = "api_" + name;
  if (name.back() == '_') name.pop_back();
  if (!naming::is_safe_identifier(name)) name += "_api";
  return name;
}

int init_project(const fs::path& dir, const fs::path& spec, const SpecOptions& options) {
  std::string why;
  if (!folder_empty_or_missing(dir, why)) {
    std::cerr << "oasgen: error: cannot create a project in '" << dir.generic_string()
              << "': " << why << '\n';
    return kExitUsage;
  }
  Diagnostics diagnostics;
  diagnostics.set_strict(options.strict);
  render::ProjectOptions project;
  project.version = OASGEN_VERSION;
  project.templates_dir = options.templates_dir;
  project.project = project_name(dir);
  const std::string ns = options.ns.empty() ? project.project : options.ns;

  // Without a spec, the starter one is rendered, then read back like any spec from a file of the
  // name it will have in the project.
  std::optional<TemporaryFolder> starter_folder;
  fs::path spec_path = spec;
  if (spec.empty()) {
    auto text = render::render_starter_spec(project, diagnostics);
    if (!text) {
      diagnostics.print(std::cerr);
      return kExitSpecError;
    }
    starter_folder.emplace();
    spec_path = starter_folder->path() / "openapi.yaml";
    std::ofstream(spec_path, std::ios::binary) << *text;
  }
  project.spec_file = spec_path.filename().generic_string();

  Stages stages;
  const bool ok = stages.run(spec_path, cpp_options(ns), true, diagnostics, trace_of(options));
  std::optional<std::map<std::string, std::string>> files;
  if (ok) files = spec_files(spec_path, *stages.document, diagnostics);
  if (files) {
    auto rendered = render::render_project(*stages.cpp, project, diagnostics);
    if (rendered) {
      for (auto& [path, content] : *rendered) {
        if (files->count(path) != 0) {
          diagnostics.error("init-spec-name", "the spec's file '" + path +
                                                  "' has the name of a file init writes; rename it");
        }
        files->emplace(path, std::move(content));
      }
    }
    if (!rendered || diagnostics.has_errors()) files.reset();
  }
  if (files) write::create(dir, *files, diagnostics);
  diagnostics.print(std::cerr);
  if (!files || diagnostics.has_errors()) return kExitSpecError;

  const std::string prefix = install_prefix();
  const std::string build = (dir / "build").generic_string();
  std::cout << "oasgen: wrote " << files->size() << " files into " << dir.generic_string()
            << " (namespace " << ns << ", " << stages.cpp->operations.size()
            << " operations, each answering 501 until written in handler.hpp)\n"
            << "build and test it:\n"
            << "  cmake -S " << shell_word(dir.generic_string()) << " -B " << shell_word(build)
            << " -DCMAKE_PREFIX_PATH="
            << (prefix.empty() ? "<where oasgen is installed>" : shell_word(prefix))
            << "\n  cmake --build " << shell_word(build) << " && ctest --test-dir "
            << shell_word(build) << '\n';
  return kExitOk;
}

int write_stubs(const fs::path& spec, const fs::path& file, const SpecOptions& options) {
  std::error_code error;
  if (fs::exists(fs::symlink_status(file, error))) {
    std::cerr << "oasgen: error: '" << file.generic_string()
              << "' exists: stubs writes a handler skeleton once and never overwrites it; `oasgen "
                 "stubs "
              << spec.generic_string() << " --check " << file.generic_string()
              << "` lists the operations it lacks\n";
    return kExitSpecError;
  }
  Diagnostics diagnostics;
  diagnostics.set_strict(options.strict);
  Stages stages;
  std::optional<std::string> text;
  if (stages.run(spec, cpp_options(options.ns), true, diagnostics, trace_of(options))) {
    render::ProjectOptions project;
    project.version = OASGEN_VERSION;
    project.templates_dir = options.templates_dir;
    project.spec_file = spec.generic_string();
    project.handler_file = file.generic_string();
    text = render::render_stubs(*stages.cpp, project, diagnostics);
  }
  if (text) {
    const fs::path folder = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    write::create(folder, {{file.filename().generic_string(), *text}}, diagnostics);
  }
  diagnostics.print(std::cerr);
  return text && !diagnostics.has_errors() ? kExitOk : kExitSpecError;
}

int check_stubs(const fs::path& spec, const fs::path& file, const SpecOptions& options) {
  const auto source = read_file(file);
  if (!source) {
    std::cerr << "oasgen: error: cannot read '" << file.generic_string() << "'\n";
    return kExitSpecError;
  }
  Diagnostics diagnostics;
  diagnostics.set_strict(options.strict);
  Stages stages;
  if (!stages.run(spec, cpp_options(options.ns), true, diagnostics, trace_of(options))) {
    diagnostics.print(std::cerr);
    return kExitSpecError;
  }
  const std::size_t before = diagnostics.error_count();
  render::check_stubs(*stages.cpp, file.generic_string(), *source, diagnostics);
  diagnostics.print(std::cerr);
  const std::size_t missing = diagnostics.error_count() - before;
  if (missing == 0) {
    std::cerr << file.generic_string() << ": every operation of " << spec.generic_string()
              << " is implemented\n";
  }
  return diagnostics.has_errors() ? kExitSpecError : kExitOk;
}

}  // namespace oasgen::cli
