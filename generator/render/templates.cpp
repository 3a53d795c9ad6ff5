#include "render/templates.hpp"

#include <fstream>
#include <sstream>

namespace oasgen::render {

TemplateSet::TemplateSet(std::filesystem::path override_dir) : dir_(std::move(override_dir)) {}

std::optional<std::string> TemplateSet::find(std::string_view name) const {
  if (!dir_.empty()) {
    const auto path = dir_ / (std::string(name) + ".mustache");
    if (std::ifstream in{path, std::ios::binary}) {
      std::ostringstream text;
      text << in.rdbuf();
      used_.emplace(std::string(name), path);
      return text.str();
    }
  }
  const auto& builtins = builtin_templates();
  if (auto it = builtins.find(name); it != builtins.end()) return std::string(it->second);
  return std::nullopt;
}

}  // namespace oasgen::render
