#include "render/view_util.hpp"

#include <algorithm>

#include "support/escape.hpp"

namespace oasgen::render {

namespace {

// {key: value}, built directly: an initializer list ({{key, value}}) first builds a two-element
// array and copies it, several allocations more per line of a view that has a million of them.
template <class Json>
Json single(const char* key, std::string value) {
  Json item(Json::value_t::object);
  item.template get_ref<typename Json::object_t&>().emplace(key, std::move(value));
  return item;
}

}  // namespace

template <class Json>
Json doc_json(const std::vector<std::string>& paragraphs) {
  Json out = Json::array();
  auto& items = out.template get_ref<typename Json::array_t&>();
  for (const auto& paragraph : paragraphs) {
    auto lines = cpp_comment_lines(paragraph);
    if (lines.empty()) continue;
    if (!items.empty()) items.push_back(single<Json>("text", ""));
    for (auto& line : lines) items.push_back(single<Json>("text", line.empty() ? "" : " " + line));
  }
  return out;
}

template <class Json>
Json lines_json(const std::vector<std::string>& lines) {
  return lines_json<Json>(std::vector<std::string>(lines));
}

template <class Json>
Json lines_json(std::vector<std::string>&& lines) {
  Json out = Json::array();
  auto& items = out.template get_ref<typename Json::array_t&>();
  items.reserve(lines.size());
  for (auto& line : lines) items.push_back(single<Json>("line", std::move(line)));
  return out;
}

template ViewJson doc_json<ViewJson>(const std::vector<std::string>&);
template nlohmann::json doc_json<nlohmann::json>(const std::vector<std::string>&);
template ViewJson lines_json<ViewJson>(const std::vector<std::string>&);
template ViewJson lines_json<ViewJson>(std::vector<std::string>&&);

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
