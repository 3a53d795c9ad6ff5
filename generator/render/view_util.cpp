#include "render/view_util.hpp"

#include <algorithm>

#include "support/escape.hpp"

namespace oasgen::render {

using nlohmann::json;

json doc_json(const std::vector<std::string>& paragraphs) {
  json out = json::array();
  for (const auto& paragraph : paragraphs) {
    auto lines = cpp_comment_lines(paragraph);
    if (lines.empty()) continue;
    if (!out.empty()) out.push_back({{"text", ""}});
    for (const auto& line : lines) out.push_back({{"text", line.empty() ? "" : " " + line}});
  }
  return out;
}

json lines_json(const std::vector<std::string>& lines) {
  json out = json::array();
  for (const auto& line : lines) out.push_back({{"line", line}});
  return out;
}

const char* location_name(model::ParamIn in) {
  switch (in) {
    case model::ParamIn::Path: return "oasgen::Location::Path";
    case model::ParamIn::Query: return "oasgen::Location::Query";
    case model::ParamIn::Header: return "oasgen::Location::Header";
    case model::ParamIn::Cookie: return "oasgen::Location::Cookie";
  }
  return "";
}

std::string include_dir_of(const std::string& ns) {
  std::string dir = ns;
  std::replace(dir.begin(), dir.end(), ':', '_');
  dir.erase(std::unique(dir.begin(), dir.end(), [](char a, char b) { return a == '_' && b == '_'; }),
            dir.end());
  return dir;
}

}  // namespace oasgen::render
