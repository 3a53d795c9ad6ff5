// What `oasgen init` and `oasgen stubs` write: files the user owns from then on (a handler skeleton,
// a new project around it), rendered from templates like the generated code, so that a team can
// override them (`--templates`). And the check that a handler file still follows the spec.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "naming/cpp_api.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::render {

struct ProjectOptions {
  std::string version;                  ///< oasgen's version, for the skeleton's first line
  std::filesystem::path templates_dir;  ///< overrides built-in templates file by file
  std::string project;                  ///< CMake project name ("shelter")
  std::string spec_file;                ///< the spec's path inside the project ("openapi.yaml")
  std::string handler_class = "Service";  ///< the skeleton's class
  std::string handler_file = "handler.hpp";  ///< the skeleton's path, for the command it names
};

/// The handler skeleton (`stubs.hpp` template): a class deriving from `<ns>::Handler` with every
/// operation overridden, each throwing `oasgen::NotImplemented` (501) until it is written.
std::optional<std::string> render_stubs(const cpp::Api& api, const ProjectOptions& options,
                                        Diagnostics& diagnostics);

/// The files of a new project besides the spec: CMakeLists.txt, main.cpp, handler.hpp (the
/// skeleton), test.cpp, README.md and .gitignore (the `project_*` templates).
std::optional<std::map<std::string, std::string>> render_project(const cpp::Api& api,
                                                                 const ProjectOptions& options,
                                                                 Diagnostics& diagnostics);

/// The starter spec of a project created without one (`project_openapi.yaml` template).
std::optional<std::string> render_starter_spec(const ProjectOptions& options,
                                               Diagnostics& diagnostics);

/// A handler method found in a source file.
struct FoundMethod {
  std::string name;
  int line = 0;    ///< 1-based
  int column = 0;  ///< 1-based, where the name starts
};

/// The handler methods a C++ source defines or declares: every `<Name>Result <method>(`, comments
/// and string literals left out (generated result types are `<Operation>Result`, so a method of
/// an operation the spec has dropped is still recognised).
std::vector<FoundMethod> find_handler_methods(const std::string& source);

/// `oasgen stubs --check`: an error at the spec's operation for each operation `file` does not
/// implement, a warning at the file's method for each method the spec no longer has. Returns
/// whether every operation is implemented.
bool check_stubs(const cpp::Api& api, const std::string& file_name, const std::string& source,
                 Diagnostics& diagnostics);

}  // namespace oasgen::render
