#include "load/bundle.hpp"

#include <charconv>
#include <set>

#include "support/escape.hpp"

namespace oasgen::load {
namespace {

using nlohmann::json;

// Whether any $ref in `value` leaves its file. Deliberately blind to context: a false alarm only
// costs the slower, context-aware rewrite.
bool has_outside_ref(const json& value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it.key() == "$ref" && it->is_string()) {
        const auto& ref = it->get_ref<const std::string&>();
        if (ref.empty() || ref[0] != '#') return true;
      }
      if (has_outside_ref(*it)) return true;
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (has_outside_ref(item)) return true;
    }
  }
  return false;
}

// What the members of an object are: OpenAPI/JSON Schema keywords (where "$ref" is a reference),
// names chosen by the spec author (property names, status codes...), or an Example object's.
enum class Context { Keywords, Names, ExampleNames, Example };

bool is_names(Context context) { return context == Context::Names || context == Context::ExampleNames; }

bool is_name_map(std::string_view key) {
  static const std::set<std::string, std::less<>> kMaps = {
      "properties", "patternProperties", "$defs",     "definitions", "dependentSchemas",
      "schemas",    "responses",         "parameters", "requestBodies", "headers",
      "securitySchemes", "links",        "callbacks",  "pathItems",   "paths",
      "content",    "encoding",          "mapping",    "variables",   "webhooks"};
  return kMaps.count(key) != 0;
}

// Members whose values are data, never references.
bool is_data_keyword(std::string_view key) {
  return key == "example" || key == "default" || key == "enum" || key == "const";
}

class Bundler {
 public:
  Bundler(const Document& document, Diagnostics& diagnostics)
      : doc_(document), diag_(diagnostics) {}

  json run(std::map<std::string, std::string, std::less<>>& moved) {
    json root = walk(doc_.root(), Context::Keywords);
    if (!hoisted_.empty()) root["x-oasgen-bundled"] = std::move(hoisted_);
    moved = std::move(moved_);
    return root;
  }

 private:
  json walk(const Node& node, Context context) {
    if (node->is_array()) {
      json out = json::array();
      for (std::size_t i = 0; i < node->size(); ++i) out.push_back(walk(*doc_.child(node, i), context));
      return out;
    }
    if (!node->is_object()) return *node;
    if (!is_names(context)) {
      if (auto ref = node->find("$ref"); ref != node->end() && ref->is_string()) {
        const auto& text = ref->get_ref<const std::string&>();
        if (node.file != 0 || text.empty() || text[0] != '#') return moved_reference(node, context);
      }
    }
    json out = json::object();
    for (auto it = node->begin(); it != node->end(); ++it) {
      const std::string& key = it.key();
      if (!is_names(context) &&
          (key.rfind("x-", 0) == 0 || is_data_keyword(key) ||
           (context == Context::Example && key == "value") || (key == "examples" && it->is_array()))) {
        out[key] = *it;
        continue;
      }
      Context inner = Context::Keywords;
      if (is_names(context)) {
        inner = context == Context::ExampleNames ? Context::Example : Context::Keywords;
      } else if (key == "examples" && it->is_object()) {
        inner = Context::ExampleNames;
      } else if (is_name_map(key) && it->is_object()) {
        inner = Context::Names;
      }
      out[key] = walk(*doc_.child(node, key), inner);
    }
    return out;
  }

  // A reference that leaves the first file (or is inside another file): point it at a copy of the
  // target under x-oasgen-bundled, made once per target.
  json moved_reference(const Node& node, Context context) {
    auto target = doc_.deref(node, diag_);
    if (!target) return *node;
    if (target->file == 0) return {{"$ref", "#" + target->pointer}};
    const std::string id = doc_.id(*target);
    if (auto it = moved_.find(id); it != moved_.end()) return {{"$ref", "#" + it->second}};
    std::string key;
    std::string readable = id;  // "common.yaml#/Pet" -> "common.yaml_Pet"
    if (auto hash = readable.find("#/"); hash != std::string::npos) readable.replace(hash, 2, "/");
    for (const char c : readable) {
      const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '-' || c == '_';
      key += keep ? c : '_';
    }
    const std::string base = key;
    for (int n = 2; used_keys_.count(key); ++n) key = base + "_" + std::to_string(n);
    used_keys_.insert(key);
    const std::string pointer = "/x-oasgen-bundled/" + json_pointer_token(key);
    moved_.emplace(id, pointer);  // before walking: a cycle back to it finds it
    json copy = walk(*target, context);
    hoisted_[key] = std::move(copy);
    return {{"$ref", "#" + pointer}};
  }

  const Document& doc_;
  Diagnostics& diag_;
  json hoisted_ = json::object();
  std::set<std::string> used_keys_;
  std::map<std::string, std::string, std::less<>> moved_;
};

}  // namespace

const json* find_pointer(const json& root, std::string_view pointer) {
  const json* current = &root;
  std::size_t pos = 0;
  while (pos < pointer.size()) {
    if (pointer[pos] != '/') return nullptr;
    const std::size_t end = std::min(pointer.find('/', pos + 1), pointer.size());
    std::string token;
    for (std::size_t i = pos + 1; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    if (current->is_object()) {
      auto it = current->find(token);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array()) {
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || ptr != token.data() + token.size() || index >= current->size()) {
        return nullptr;
      }
      current = &(*current)[index];
    } else {
      return nullptr;
    }
    pos = end;
  }
  return current;
}

const json* Bundle::find(std::string_view id) const {
  const auto hash = id.find('#');
  if (hash == std::string_view::npos) return nullptr;
  if (hash == 0) return find_pointer(document(), id.substr(1));
  // In another file: below one of the targets that were copied in.
  for (const auto& [moved_id, pointer] : moved_) {
    if (id.size() < moved_id.size() || id.compare(0, moved_id.size(), moved_id) != 0) continue;
    const std::string_view rest = id.substr(moved_id.size());
    if (!rest.empty() && rest[0] != '/') continue;
    return find_pointer(document(), pointer + std::string(rest));
  }
  return nullptr;
}

Bundle bundle(const Document& document, Diagnostics& diagnostics) {
  Bundle result;
  const Node root = document.root();
  if (document.files().size() == 1 && !has_outside_ref(*root)) {
    result.root_ = root.value;
    return result;
  }
  result.owned_ = Bundler(document, diagnostics).run(result.moved_);
  return result;
}

}  // namespace oasgen::load
