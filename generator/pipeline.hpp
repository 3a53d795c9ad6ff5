// The whole pipeline in one call: load -> model -> naming -> render, into memory. The CLI and the
// tests both go through here; writing to disk is the caller's step.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "naming/cpp_api.hpp"
#include "support/diagnostics.hpp"

namespace oasgen {

struct GenerateOptions {
  cpp::Options cpp;
  std::string version;                  ///< oasgen's version, for banners
  std::filesystem::path templates_dir;  ///< empty: built-in templates only
};

struct GenerateResult {
  std::optional<std::map<std::string, std::string>> files;  ///< nullopt after any error
  std::vector<std::filesystem::path> inputs;                ///< every file read (spec, $refs, templates)
};

/// Runs every stage on `spec`, stopping at the first stage that reports errors.
GenerateResult generate(const std::filesystem::path& spec, const GenerateOptions& options,
                        Diagnostics& diagnostics);

}  // namespace oasgen
