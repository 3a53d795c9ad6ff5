// YAML -> JSON under the YAML 1.2 core schema, built straight from yaml-cpp's parse events (no
// intermediate YAML::Node tree: loading is on the hot path, locations are looked up rarely).
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <map>
#include <sstream>
#include <utility>

#include "load/detail.hpp"
#include "oasgen/validation.hpp"

namespace oasgen::load::detail {
namespace {

using nlohmann::json;

constexpr std::string_view kCoreTag = "tag:yaml.org,2002:";
// Aliases copy their anchor's tree; this bounds "billion laughs" documents.
constexpr std::size_t kMaxAliasNodes = 10'000'000;

// yaml-cpp's message, with what was expected where it does not say.
std::string explain_yaml_error(const std::string& message) {
  static const std::map<std::string_view, std::string_view> kExpected = {
      {"end of map flow not found", "expected ',' or '}' to close the flow mapping '{'"},
      {"end of sequence flow not found", "expected ',' or ']' to close the flow sequence '['"},
      {"end of map not found", "expected a key at the indentation of the mapping"},
      {"end of sequence not found", "expected '- ' at the indentation of the sequence"},
      {"illegal map value",
       "expected a new line before this key, or quotes around a value that contains ': '"},
      {"illegal block entry",
       "expected a value; a '- ' sequence starts on its own line, indented under its key"},
      {"illegal flow end", "expected a value before this ']' or '}', which closes nothing"},
      {"end of string not found", "expected the closing quote of the string"},
      {"illegal EOF in scalar", "expected the closing quote of the string before the end"},
      {"illegal tab when looking for indentation", "expected spaces (YAML does not indent with tabs)"},
      {"unknown token", "expected a key, a value or '- '"},
  };
  const auto known = kExpected.find(message);
  if (known == kExpected.end()) return message;
  return message + ": " + std::string(known->second);
}

LineColumn to_line_column(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

struct BuildError {
  std::string code;
  std::string message;
  YAML::Mark mark;
};

bool is_one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (s == word) return true;
  }
  return false;
}

bool is_null_word(std::string_view s) { return is_one_of(s, {"", "~", "null", "Null", "NULL"}); }

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// `digits` in `base`, non-empty and all valid: an int64 when negative and in range, a uint64 when
// non-negative and in range (as nlohmann's own JSON parser stores them), else a double.
json make_integer(std::string_view digits, int base, bool negative) {
  std::uint64_t magnitude = 0;
  bool overflow = false;
  double approximate = 0;
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(digit_value(c));
    approximate = approximate * base + static_cast<double>(d);
    if (magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / static_cast<unsigned>(base)) {
      overflow = true;
    } else {
      magnitude = magnitude * static_cast<unsigned>(base) + d;
    }
  }
  if (!negative) {
    if (!overflow) return json(magnitude);
    return base == 10 ? json(std::strtod(std::string(digits).c_str(), nullptr)) : json(approximate);
  }
  constexpr std::uint64_t kMinMagnitude = std::uint64_t{1} << 63;
  if (!overflow && magnitude <= kMinMagnitude) {
    return json(magnitude == kMinMagnitude ? std::numeric_limits<std::int64_t>::min()
                                           : -static_cast<std::int64_t>(magnitude));
  }
  return json(-std::strtod(std::string(digits).c_str(), nullptr));
}

bool all_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    if (digit_value(c) >= base) return false;
  }
  return true;
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view s) {
  std::size_t i = 0;
  const auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t before = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0 && before == 0) return false;
  } else if (before == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// The YAML 1.2 core schema's resolution of a plain scalar.
json core_scalar(const std::string& s) {
  if (is_null_word(s)) return nullptr;
  if (is_one_of(s, {"true", "True", "TRUE"})) return true;
  if (is_one_of(s, {"false", "False", "FALSE"})) return false;
  const std::string_view view = s;
  if (view.size() > 2 && view[0] == '0' && view[1] == 'x' && all_digits(view.substr(2), 16)) {
    return make_integer(view.substr(2), 16, false);
  }
  if (view.size() > 2 && view[0] == '0' && view[1] == 'o' && all_digits(view.substr(2), 8)) {
    return make_integer(view.substr(2), 8, false);
  }
  const bool sign = !view.empty() && (view[0] == '+' || view[0] == '-');
  if (all_digits(view.substr(sign ? 1 : 0), 10)) {
    return make_integer(view.substr(sign ? 1 : 0), 10, view[0] == '-');
  }
  if (is_core_float(view)) return std::strtod(s.c_str(), nullptr);
  const std::string_view unsigned_part = view.substr(sign ? 1 : 0);
  if (is_one_of(unsigned_part, {".inf", ".Inf", ".INF"})) {
    return view[0] == '-' ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity();
  }
  if (is_one_of(view, {".nan", ".NaN", ".NAN"})) return std::numeric_limits<double>::quiet_NaN();
  return s;
}

class JsonBuilder final : public YAML::EventHandler {
 public:
  explicit JsonBuilder(std::string_view text) : text_(text) {}

  json take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_++ > 0) {
      throw BuildError{"yaml-unsupported", "a file must hold a single YAML document", mark};
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (expecting_key()) {
      // Keys are always strings: recover the spelling ("null", "~", or nothing) from the text.
      std::string key = null_spelling(mark);
      add_key(key, mark);
      if (anchor != YAML::NullAnchor) anchors_[anchor] = {json(key), key, 1};
      return;
    }
    add_value(nullptr, anchor, 1, "");
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      throw BuildError{"yaml-unsupported", "an alias cannot refer to a node that contains it",
                       mark};
    }
    const Anchor& target = found->second;
    if (expecting_key()) {
      if (!target.raw) throw BuildError{"yaml-unsupported", "a mapping key must be a scalar", mark};
      add_key(*target.raw, mark);
      return;
    }
    alias_nodes_ += target.nodes;
    if (alias_nodes_ > kMaxAliasNodes) {
      throw BuildError{"yaml-unsupported", "aliases expand to too many nodes", mark};
    }
    add_value(target.value, YAML::NullAnchor, target.nodes, "");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (expecting_key()) {
      add_key(value, mark);
      if (anchor != YAML::NullAnchor) anchors_[anchor] = {json(value), value, 1};
      return;
    }
    add_value(resolve(tag, value, mark), anchor, 1, value);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(json::array(), anchor, mark);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(json::object(), anchor, mark);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    json value;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t nodes = 1;
    std::optional<std::string> key;  // of a mapping, while its value is being read
  };
  struct Anchor {
    json value;
    std::optional<std::string> raw;  // a scalar's text, usable as a key
    std::size_t nodes = 1;
  };

  bool expecting_key() const {
    return !stack_.empty() && stack_.back().value.is_object() && !stack_.back().key;
  }

  void add_key(const std::string& key, const YAML::Mark& mark) {
    Frame& map = stack_.back();
    if (map.value.contains(key)) {
      throw BuildError{"duplicate-key", "duplicate key '" + key + "'", mark};
    }
    map.key = key;
  }

  void open(json container, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (expecting_key()) {
      throw BuildError{"yaml-unsupported", "a mapping key must be a scalar", mark};
    }
    // Refused here, at its place, rather than after the whole tree is built.
    if (stack_.size() >= kMaxNesting) throw BuildError{"too-deep", too_deep_message(), mark};
    stack_.push_back({std::move(container), anchor, 1, std::nullopt});
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    add_value(std::move(frame.value), frame.anchor, frame.nodes, "");
  }

  void add_value(json value, YAML::anchor_t anchor, std::size_t nodes, const std::string& raw) {
    if (anchor != YAML::NullAnchor) {
      anchors_[anchor] = {value, value.is_structured() ? std::nullopt : std::optional(raw), nodes};
    }
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& parent = stack_.back();
    parent.nodes += nodes;
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(value));
    } else {
      parent.value[*parent.key] = std::move(value);
      parent.key.reset();
    }
  }

  std::string null_spelling(const YAML::Mark& mark) const {
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) > text_.size()) return "";
    const std::string_view rest = text_.substr(static_cast<std::size_t>(mark.pos));
    for (std::string_view word : {"null", "Null", "NULL", "~"}) {
      if (rest.substr(0, word.size()) != word) continue;
      if (rest.size() == word.size()) return std::string(word);
      const char next = rest[word.size()];
      if (next == ':' || next == ' ' || next == '\t' || next == '\r' || next == '\n' ||
          next == ',' || next == '}' || next == ']') {
        return std::string(word);
      }
    }
    return "";
  }

  static json resolve(const std::string& tag, const std::string& value, const YAML::Mark& mark) {
    if (tag == "?") return core_scalar(value);
    if (tag.size() <= kCoreTag.size() || tag.compare(0, kCoreTag.size(), kCoreTag) != 0) {
      return value;  // quoted ("!"), or a tag of the user's own: the text as written
    }
    const std::string_view type = std::string_view(tag).substr(kCoreTag.size());
    if (!is_one_of(type, {"int", "float", "bool", "null"})) return value;  // str, binary, ...
    json typed = core_scalar(value);
    const bool ok = (type == "int" && typed.is_number_integer()) ||
                    (type == "float" && typed.is_number()) ||
                    (type == "bool" && typed.is_boolean()) || (type == "null" && typed.is_null());
    if (!ok) {
      throw BuildError{"syntax", "'" + value + "' is not a valid !!" + std::string(type), mark};
    }
    return type == "float" ? json(typed.get<double>()) : typed;
  }

  std::string_view text_;
  json root_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchor> anchors_;
  std::size_t alias_nodes_ = 0;
  int documents_ = 0;
};

}  // namespace

nlohmann::json parse_yaml(std::string_view text, std::optional<SyntaxError>& error) {
  // YAML 1.2, 5.2: a stream is Unicode; we read UTF-8 only (as JSON, RFC 8259 8.1). yaml-cpp
  // passes malformed bytes through and nlohmann's dump() throws on them later (found by
  // fuzz_pipeline: tests/fuzz/corpus/pipeline/invalid_utf8.yaml).
  if (const auto at = oasgen::invalid_utf8_at(text); at != std::string_view::npos) {
    LineColumn where{1, 1};
    for (std::size_t k = 0; k < at; ++k) {
      if (text[k] == '\n') {
        ++where.line;
        where.column = 1;
      } else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
        ++where.column;
      }
    }
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
    error = SyntaxError{"syntax",
                        std::string("the file is not valid UTF-8 (byte ") + byte +
                            "); OpenAPI documents are UTF-8 text",
                        where};
    return nullptr;
  }
  std::istringstream in{std::string(text)};
  JsonBuilder builder(text);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    error = SyntaxError{"too-deep", too_deep_message(), to_line_column(e.mark)};
    return nullptr;
  } catch (const YAML::Exception& e) {
    error = SyntaxError{"syntax", explain_yaml_error(e.msg), to_line_column(e.mark)};
    return nullptr;
  } catch (const BuildError& e) {
    error = SyntaxError{e.code, e.message, to_line_column(e.mark)};
    return nullptr;
  }
  return builder.take_root();
}

}  // namespace oasgen::load::detail
