// Make-style dependency files ("depfiles"): they tell a build system which files a generation read
// (the spec, every file it reaches through `$ref`, template overrides), so that a change to any of
// them reruns oasgen. Ninja and CMake (Makefiles and Ninja) read this format.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/diagnostics.hpp"

namespace oasgen::write {

/// One path escaped for a depfile the way GCC writes them: a space or tab gets a backslash (and the
/// backslashes right before it are doubled), `#` becomes `\#`, `$` becomes `$$`. nullopt for a path
/// that no depfile can hold (one with a line break).
std::optional<std::string> escape_depfile_path(const std::string& path);

/// `target: input...` with one input per continuation line, inputs in order without duplicates.
/// nullopt when a path cannot be escaped.
std::optional<std::string> depfile_text(const std::filesystem::path& target,
                                        const std::vector<std::filesystem::path>& inputs);

/// Writes the depfile for `target` to `file`, with every input made absolute: atomically, and only
/// when its content changed, so that a build tool that compares times sees no change when none
/// happened. Returns false after reporting a problem to `diagnostics`.
bool write_depfile(const std::filesystem::path& file, const std::filesystem::path& target,
                   const std::vector<std::filesystem::path>& inputs, Diagnostics& diagnostics);

}  // namespace oasgen::write
