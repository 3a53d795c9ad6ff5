// The render stage: cpp::Api -> view data -> files, through strict Mustache templates.
#pragma once

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
};

/// Renders every output file (path relative to the output root -> content). Template errors are
/// reported to `diagnostics`; returns nullopt after any error. When `overrides_read` is given, it
/// receives the override folder and the override files that were read (for depfiles).
std::optional<std::map<std::string, std::string>> render(
    const cpp::Api& api, const RenderOptions& options, Diagnostics& diagnostics,
    std::vector<std::filesystem::path>* overrides_read = nullptr);

}  // namespace oasgen::render
