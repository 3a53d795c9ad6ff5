#include "load/document.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>

#include "load/detail.hpp"
#include "support/escape.hpp"

namespace oasgen::load {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct File {
  fs::path display;    // as given, or joined to the referring file's display path
  fs::path canonical;  // identity: each file is read once
  std::string text;    // kept for locations
  bool yaml = false;
  json root;
  // Created on the first location() in the file.
  std::unique_ptr<detail::JsonLocator> json_locator;
  std::unique_ptr<detail::YamlLocator> yaml_locator;
};

bool is_json_name(const fs::path& path) {
  std::string extension = path.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension == ".json";
}

fs::path canonical_path(const fs::path& path) {
  std::error_code error;
  fs::path result = fs::weakly_canonical(path, error);
  return error ? fs::absolute(path).lexically_normal() : result;
}

// Reads the whole file; on failure returns nullopt and says why in `why`.
std::optional<std::string> read_text(const fs::path& path, std::string& why) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    why = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  in.seekg(0, std::ios::end);
  text.resize(static_cast<std::size_t>(in.tellg()));
  in.seekg(0, std::ios::beg);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in) {
    why = "read failed";
    return std::nullopt;
  }
  return text;
}

// Deeper than this, a file is refused: later stages (the model, bundling, nlohmann's dump) recurse
// over the tree, and a hostile document must not overflow their stacks. Real specs nest a few dozen.
using detail::kMaxNesting;

// The longest chain of references (a $ref to a $ref to ...) followed.
constexpr std::size_t kMaxRefChain = 64;

// Whether some value in `root` is nested deeper than kMaxNesting (iteratively: the tree may be
// deeper than the stack allows).
bool too_deep(const json& root) {
  std::vector<std::pair<const json*, std::size_t>> stack{{&root, 0}};
  while (!stack.empty()) {
    const auto [value, depth] = stack.back();
    stack.pop_back();
    if (depth > kMaxNesting) return true;
    if (value->is_structured()) {
      for (const json& child : *value) stack.emplace_back(&child, depth + 1);
    }
  }
  return false;
}

// Loads one file. A read failure is left to the caller (it knows who asked for the file); a
// syntax error is reported here, at its place in the file. Null on either.
std::unique_ptr<File> load_file(fs::path display, fs::path canonical, Diagnostics& diagnostics,
                                std::string& read_error, std::size_t threads) {
  auto file = std::make_unique<File>();
  file->display = std::move(display);
  file->canonical = std::move(canonical);
  auto text = read_text(file->display, read_error);
  if (!text) return nullptr;
  file->text = std::move(*text);
  file->yaml = !is_json_name(file->display);
  std::optional<detail::SyntaxError> error;
  detail::JsonMemberIndex members;  // what splitting the text found: the locator's first steps
  file->root = file->yaml ? detail::parse_yaml(file->text, error)
                          : detail::parse_json(file->text, error, threads, &members);
  if (error) {
    diagnostics.error(error->code, error->message,
                      {file->display.generic_string(), error->where.line, error->where.column});
    return nullptr;
  }
  // YAML is refused while it is parsed (at the value too deep); JSON is parsed first, and the
  // place found in its text only when it is refused.
  if (too_deep(file->root)) {
    SourceLocation where{file->display.generic_string()};
    if (const auto offset = detail::too_deep_offset(file->text); offset != std::string_view::npos) {
      const auto at = detail::line_column_at(file->text, offset);
      where.line = at.line;
      where.column = at.column;
    }
    diagnostics.error("too-deep", detail::too_deep_message(), where);
    return nullptr;
  }
  if (!members.empty()) {
    file->json_locator = std::make_unique<detail::JsonLocator>(file->text);
    for (auto& [offset, known] : members) file->json_locator->know(offset, std::move(known));
  }
  return file;
}

std::string join_pointer(const std::vector<std::string>& tokens) {
  std::string pointer;
  for (const std::string& token : tokens) pointer += '/' + json_pointer_token(token);
  return pointer;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX sequences decoded; a malformed one is kept as written.
std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// "http://...", "urn:...": anything with a URI scheme (RFC 3986) is not a local file.
bool has_uri_scheme(std::string_view ref) {
  const std::size_t colon = ref.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = ref[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
      return false;
    }
  }
  return true;
}

const std::string* ref_of(const Node& node) {
  if (node.value == nullptr || !node.value->is_object()) return nullptr;
  const auto found = node.value->find("$ref");
  if (found == node.value->end() || !found->is_string()) return nullptr;
  return found->get_ptr<const std::string*>();
}

bool same_node(const Node& a, const Node& b) { return a.file == b.file && a.pointer == b.pointer; }

}  // namespace

struct Document::Impl {
  std::vector<std::unique_ptr<File>> files;
  std::map<fs::path, std::size_t> by_path;
  std::set<fs::path> failed;  // files that could not be read or parsed: tried once only
  std::set<std::pair<std::size_t, std::string>> reported;  // references already diagnosed
  std::size_t threads = 1;                                 // for parsing
  // By referring file, the targets of the references resolved so far: a large spec names the same
  // few hundred components tens of thousands of times.
  std::vector<std::unordered_map<std::string, Node>> resolved;
  std::mutex mutex;

  SourceLocation location(const Node& node) {
    File& file = *files.at(node.file);
    const auto tokens = detail::split_pointer(node.pointer).value_or(std::vector<std::string>{});
    detail::LineColumn where;
    if (file.yaml) {
      if (!file.yaml_locator) file.yaml_locator = std::make_unique<detail::YamlLocator>(file.text);
      where = file.yaml_locator->find(tokens);
    } else {
      if (!file.json_locator) file.json_locator = std::make_unique<detail::JsonLocator>(file.text);
      where = file.json_locator->find(tokens);
    }
    return {file.display.generic_string(), where.line, where.column};
  }

  std::string id(const Node& node) const {
    if (node.file == 0) return '#' + node.pointer;
    const fs::path base = files.front()->canonical.parent_path();
    return files.at(node.file)->canonical.lexically_relative(base).generic_string() + '#' +
           node.pointer;
  }

  // Reports a problem with the reference object `at`, once per reference.
  void report(Diagnostics& diagnostics, std::string code, std::string message, const Node& at) {
    if (!reported.emplace(at.file, at.pointer).second) return;
    diagnostics.error(std::move(code), std::move(message), location(at), '#' + at.pointer);
  }

  // The file a reference names, relative to the file `from`; loads it on first use.
  std::optional<std::size_t> file_for(const Node& from, const std::string& ref,
                                      const std::string& path, Diagnostics& diagnostics) {
    const File& referrer = *files.at(from.file);
    const fs::path canonical = canonical_path(referrer.canonical.parent_path() / path);
    if (const auto found = by_path.find(canonical); found != by_path.end()) return found->second;
    if (failed.count(canonical) != 0) return std::nullopt;
    const fs::path display = (referrer.display.parent_path() / path).lexically_normal();
    std::string read_error;
    auto file = load_file(display, canonical, diagnostics, read_error, threads);
    if (!file) {
      failed.insert(canonical);
      if (!read_error.empty()) {
        report(diagnostics, "ref-unresolved",
               "cannot resolve '" + ref + "': cannot read '" + display.generic_string() +
                   "': " + read_error,
               from);
      }
      return std::nullopt;
    }
    files.push_back(std::move(file));
    by_path.emplace(canonical, files.size() - 1);
    return files.size() - 1;
  }

  // One step: the target of the reference object `from` whose $ref is `ref`.
  std::optional<Node> resolve(const Node& from, const std::string& ref, Diagnostics& diagnostics) {
    if (from.file < resolved.size()) {
      if (const auto known = resolved[from.file].find(ref); known != resolved[from.file].end()) {
        return known->second;
      }
    }
    auto target = resolve_anew(from, ref, diagnostics);
    if (target) {
      if (resolved.size() <= from.file) resolved.resize(from.file + 1);
      resolved[from.file].emplace(ref, *target);
    }
    return target;
  }

  std::optional<Node> resolve_anew(const Node& from, const std::string& ref,
                                   Diagnostics& diagnostics) {
    if (has_uri_scheme(ref)) {
      report(diagnostics, "ref-remote",
             "cannot resolve '" + ref + "': remote references are not supported", from);
      return std::nullopt;
    }
    const std::size_t hash = ref.find('#');
    const std::string path = percent_decode(std::string_view(ref).substr(0, hash));
    const std::string fragment =
        hash == std::string::npos ? "" : percent_decode(std::string_view(ref).substr(hash + 1));
    std::size_t file = from.file;
    if (!path.empty()) {
      const auto found = file_for(from, ref, path, diagnostics);
      if (!found) return std::nullopt;
      file = *found;
    }
    const auto tokens = detail::split_pointer(fragment);
    if (!tokens) {
      report(diagnostics, "ref-unresolved",
             "cannot resolve '" + ref + "': the fragment is not a JSON pointer", from);
      return std::nullopt;
    }
    const json* value = walk(file, *tokens);
    if (value == nullptr) {
      report(diagnostics, "ref-unresolved", "cannot resolve '" + ref + "'", from);
      return std::nullopt;
    }
    return Node{value, file, join_pointer(*tokens)};
  }

  // The value at `tokens` in `file`, or null.
  const json* walk(std::size_t file, const std::vector<std::string>& tokens) const {
    const json* value = &files.at(file)->root;
    for (const std::string& token : tokens) {
      const json* next = nullptr;
      if (value->is_object()) {
        const auto member = value->find(token);
        if (member != value->end()) next = &*member;
      } else if (value->is_array()) {
        std::size_t index = 0;
        const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
        const bool canonical = !token.empty() && (token == "0" || token[0] != '0');
        if (ec == std::errc() && end == token.data() + token.size() && canonical &&
            index < value->size()) {
          next = &(*value)[index];
        }
      }
      if (next == nullptr) return nullptr;
      value = next;
    }
    return value;
  }
};

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Node Document::root() const {
  std::lock_guard lock(impl_->mutex);
  return {&impl_->files.front()->root, 0, ""};
}

namespace {

// `parent`'s pointer and one more token, built in one allocation: the model stage makes a child
// node for every keyword it reads, so this runs hundreds of thousands of times on a large spec.
std::string child_pointer(const std::string& parent, std::string_view token) {
  std::string pointer;
  pointer.reserve(parent.size() + 1 + token.size() + 4);
  pointer += parent;
  pointer += '/';
  append_json_pointer_token(pointer, token);
  return pointer;
}

}  // namespace

std::optional<Node> Document::child(const Node& node, std::string_view key) const {
  if (node.value == nullptr || !node.value->is_object()) return std::nullopt;
  const auto found = node.value->find(key);
  if (found == node.value->end()) return std::nullopt;
  return Node{&*found, node.file, child_pointer(node.pointer, key)};
}

std::optional<Node> Document::child(const Node& node, std::size_t index) const {
  if (node.value == nullptr || !node.value->is_array() || index >= node.value->size()) {
    return std::nullopt;
  }
  return Node{&(*node.value)[index], node.file, child_pointer(node.pointer, std::to_string(index))};
}

Node Document::member(const Node& node, std::string_view key, const nlohmann::json& value) const {
  return Node{&value, node.file, child_pointer(node.pointer, key)};
}

std::optional<Node> Document::deref(const Node& node, Diagnostics& diagnostics) const {
  // Most nodes are no reference: answered without the lock, which the model's threads share.
  if (ref_of(node) == nullptr) return node;
  std::lock_guard lock(impl_->mutex);
  std::vector<Node> chain;  // the reference objects followed so far
  Node current = node;
  while (const std::string* ref = ref_of(current)) {
    for (std::size_t start = 0; start < chain.size(); ++start) {
      if (!same_node(chain[start], current)) continue;
      std::string cycle;
      for (std::size_t k = start; k < chain.size(); ++k) cycle += impl_->id(chain[k]) + " -> ";
      cycle += impl_->id(current);
      impl_->report(diagnostics, "ref-cycle", "circular reference: " + cycle, chain[start]);
      // The other references in the cycle are the same problem: do not report them again.
      for (std::size_t k = start; k < chain.size(); ++k) {
        impl_->reported.emplace(chain[k].file, chain[k].pointer);
      }
      return std::nullopt;
    }
    // Each step checks the chain for a cycle: a hostile chain of thousands of references would
    // cost quadratic time for every node that reaches it.
    if (chain.size() == kMaxRefChain) {
      impl_->report(diagnostics, "ref-chain",
                    "more than " + std::to_string(kMaxRefChain) +
                        " references in a row; refer to the target directly",
                    node);
      for (const Node& link : chain) impl_->reported.emplace(link.file, link.pointer);
      return std::nullopt;
    }
    chain.push_back(current);
    auto target = impl_->resolve(current, *ref, diagnostics);
    if (!target) return std::nullopt;
    current = std::move(*target);
  }
  return current;
}

std::optional<Node> Document::follow_local(const Node& node) const {
  std::lock_guard lock(impl_->mutex);
  const std::string* ref = ref_of(node);
  if (ref == nullptr || ref->empty() || (*ref)[0] != '#') return std::nullopt;
  auto& resolved = impl_->resolved;
  if (node.file < resolved.size()) {
    if (const auto known = resolved[node.file].find(*ref); known != resolved[node.file].end()) {
      if (ref_of(known->second) != nullptr) return std::nullopt;
      return known->second;
    }
  }
  const auto tokens = detail::split_pointer(percent_decode(std::string_view(*ref).substr(1)));
  if (!tokens) return std::nullopt;
  const json* value = impl_->walk(node.file, *tokens);
  if (value == nullptr) return std::nullopt;
  Node target{value, node.file, join_pointer(*tokens)};
  if (ref_of(target) != nullptr) return std::nullopt;  // a chain: deref() checks it for cycles
  if (resolved.size() <= node.file) resolved.resize(node.file + 1);
  resolved[node.file].emplace(*ref, target);
  return target;
}

SourceLocation Document::location(const Node& node) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->location(node);
}

std::string Document::id(const Node& node) const {
  if (node.file == 0) return '#' + node.pointer;  // as Impl::id, without the lock
  std::lock_guard lock(impl_->mutex);
  return impl_->id(node);
}

std::vector<std::filesystem::path> Document::files() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::filesystem::path> paths;
  for (const auto& file : impl_->files) paths.push_back(file->display);
  return paths;
}

std::optional<Document> load_document(const std::filesystem::path& path, Diagnostics& diagnostics,
                                      std::size_t threads) {
  auto impl = std::make_unique<Document::Impl>();
  impl->threads = threads;
  const fs::path canonical = canonical_path(path);
  std::string read_error;
  auto file = load_file(path, canonical, diagnostics, read_error, threads);
  if (!file) {
    if (!read_error.empty()) {
      diagnostics.error("file-read", "cannot read '" + path.generic_string() + "': " + read_error,
                        {path.generic_string()});
    }
    return std::nullopt;
  }
  impl->files.push_back(std::move(file));
  impl->by_path.emplace(canonical, 0);
  return Document(std::move(impl));
}

}  // namespace oasgen::load
