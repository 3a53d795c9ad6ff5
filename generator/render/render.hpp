// The render stage: cpp::Api -> view data -> files, through strict Mustache templates.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "naming/cpp_api.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::render {

struct RenderOptions {
  std::string version;         ///< oasgen's version, for banners
  std::filesystem::path templates_dir;  ///< overrides built-in templates file by file; empty: none
  bool server = true;   ///< include/<ns>/server.hpp and src/server.cpp
  bool client = false;  ///< include/<ns>/client.hpp and src/client.cpp
  /// > 0: models and server code in exactly this many .cpp files each (src/models.cpp,
  /// src/models_2.cpp, ...), so that a build system knows them before generating; the files an
  /// API too small to fill them does not need hold only a comment. 0: as many as the API's size
  /// needs.
  std::size_t parts = 0;
  /// Threads to build views and render files on; 0: std::thread::hardware_concurrency(). The
  /// output and the order of diagnostics do not depend on it.
  std::size_t threads = 0;
};

/// Renders every output file (path relative to the output root -> content). Template errors are
/// reported to `diagnostics`; returns nullopt after any error. When `overrides_read` is given, it
/// receives the override folder and the override files that were read (for depfiles).
std::optional<std::map<std::string, std::string>> render(
    const cpp::Api& api, const RenderOptions& options, Diagnostics& diagnostics,
    std::vector<std::filesystem::path>* overrides_read = nullptr);

}  // namespace oasgen::render
