#include "render/view_util.hpp"

#include <algorithm>

#include "support/escape.hpp"

namespace oasgen::render {

using nlohmann::json;

namespace {

// {key: value}, built directly: an initializer list ({{key, value}}) first builds a two-element
// array and copies it, several allocations more per line of a view that has a million of them.
json single(const char* key, std::string value) {
  json item(json::value_t::object);
  item.get_ref<json::object_t&>().emplace(key, std::move(value));
  return item;
}

}  // namespace

json doc_json(const std::vector<std::string>& paragraphs) {
  json out = json::array();
  auto& items = out.get_ref<json::array_t&>();
  for (const auto& paragraph : paragraphs) {
    auto lines = cpp_comment_lines(paragraph);
    if (lines.empty()) continue;
    if (!items.empty()) items.push_back(single("text", ""));
    for (auto& line : lines) items.push_back(single("text", line.empty() ? "" : " " + line));
  }
  return out;
}

json lines_json(const std::vector<std::string>& lines) {
  json out = json::array();
  auto& items = out.get_ref<json::array_t&>();
  items.reserve(lines.size());
  for (const auto& line : lines) items.push_back(single("line", line));
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
