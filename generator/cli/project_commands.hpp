// `oasgen init` and `oasgen stubs`: the files a team owns (a new project, a handler skeleton),
// written once, and the check that a handler file still follows its spec.
#pragma once

#include <filesystem>
#include <string>

namespace oasgen::cli {

/// What every command that reads a spec takes.
struct SpecOptions {
  std::string ns;                       ///< C++ namespace; empty: `init` derives it from DIR
  std::filesystem::path templates_dir;  ///< empty: built-in templates only
  bool strict = false;                  ///< warnings are errors
  bool verbose = false;                 ///< each stage's time and size on stderr
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitSpecError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternalError = 3;

/// `oasgen init DIR [--spec FILE]`: a new CMake project in DIR (which must be missing or empty).
int init_project(const std::filesystem::path& dir, const std::filesystem::path& spec,
                 const SpecOptions& options);

/// `oasgen stubs SPEC -o FILE`: the handler skeleton, written only when FILE does not exist.
int write_stubs(const std::filesystem::path& spec, const std::filesystem::path& file,
                const SpecOptions& options);

/// `oasgen stubs SPEC --check FILE`: 1 when an operation of SPEC is not implemented in FILE.
int check_stubs(const std::filesystem::path& spec, const std::filesystem::path& file,
                const SpecOptions& options);

/// The project (and default namespace) name `init` derives from its folder: lower case, every
/// run of other characters one '_', an `api_` prefix where it would not start with a letter, and
/// an `_api` suffix where it would be reserved in C++.
std::string project_name(const std::filesystem::path& dir);

}  // namespace oasgen::cli
