// Built-in templates (compiled into the binary) and user overrides from a directory.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace oasgen::render {

/// The templates compiled into oasgen, by name ("models.hpp" for templates/models.hpp.mustache).
const std::map<std::string, std::string_view, std::less<>>& builtin_templates();

/// Looks templates up in an override directory first (`<dir>/<name>.mustache`), then built in.
class TemplateSet {
 public:
  explicit TemplateSet(std::filesystem::path override_dir = {});
  /// The template's source, or nullopt when there is none of that name.
  std::optional<std::string> find(std::string_view name) const;
  /// Override files actually used so far (for depfiles).
  const std::map<std::string, std::filesystem::path>& used_overrides() const { return used_; }

 private:
  std::filesystem::path dir_;
  mutable std::map<std::string, std::filesystem::path> used_;
};

}  // namespace oasgen::render
