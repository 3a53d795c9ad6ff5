// Where things are in the source text. Nothing is recorded while loading: the first location
// asked for in a file indexes only the containers on the way to it (JSON) or parses a yaml-cpp
// tree of the file (YAML).
#include <yaml-cpp/yaml.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <utility>

#include "load/detail.hpp"
#include "support/utf8.hpp"

namespace oasgen::load::detail {
namespace {

LineColumn to_line_column(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::optional<std::size_t> array_index(const std::string& token) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return std::nullopt;
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return index;
}

// Walks already-valid JSON text; only as much of it as lies before the node looked for.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : s_(text) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    skip_space();
  }

  std::size_t offset() const { return i_; }

  // The members of the object or array starting here: key -> value offset, or element offsets.
  void scan_members(MemberOffsets& keys,
                    std::vector<std::size_t>& elements) {
    if (at('{')) {
      ++i_;
      for (skip_space(); at('"'); skip_space()) {
        std::string key = read_string();
        skip_space();
        if (!at(':')) return;
        ++i_;
        skip_space();
        keys[std::move(key)] = i_;  // a repeated key: the last wins, as in nlohmann::json
        skip_value();
        skip_space();
        if (!at(',')) return;
        ++i_;
      }
    } else if (at('[')) {
      ++i_;
      for (skip_space(); i_ < s_.size() && !at(']'); skip_space()) {
        elements.push_back(i_);
        skip_value();
        skip_space();
        if (!at(',')) return;
        ++i_;
      }
    }
  }

  void seek(std::size_t offset) { i_ = offset; }

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }

  void skip_space() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }

  unsigned read_hex4() {
    unsigned value = 0;
    for (int k = 0; k < 4 && i_ < s_.size(); ++k, ++i_) {
      const char c = s_[i_];
      value = value * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return value;
  }

  std::string read_string() {
    std::string out;
    ++i_;  // opening quote
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] != '\\') {
        out += s_[i_++];
        continue;
      }
      if (++i_ >= s_.size()) break;
      const char escaped = s_[i_++];
      switch (escaped) {
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = read_hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(i_, 2) == "\\u") {
            i_ += 2;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (read_hex4() - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          out += escaped;  // " \ /
      }
    }
    ++i_;  // closing quote
    return out;
  }

  // Strings are most of a spec's text: the closing quote is looked for with memchr, and a quote
  // counts when an even number of backslashes precedes it.
  void skip_string() {
    const char* const begin = s_.data();
    const char* const end = begin + s_.size();
    const char* from = begin + std::min(i_ + 1, s_.size());
    for (;;) {
      const void* found = std::memchr(from, '"', static_cast<std::size_t>(end - from));
      if (found == nullptr) {
        i_ = s_.size() + 1;
        return;
      }
      const char* quote = static_cast<const char*>(found);
      std::size_t backslashes = 0;
      for (const char* p = quote; p > begin + i_ + 1 && p[-1] == '\\'; --p) ++backslashes;
      if (backslashes % 2 == 0) {
        i_ = static_cast<std::size_t>(quote - begin) + 1;
        return;
      }
      from = quote + 1;
    }
  }

 public:
  void skip_value() {
    if (at('"')) {
      skip_string();
      return;
    }
    if (at('{') || at('[')) {
      // Only quotes and brackets matter between the strings: the rest (mostly indentation) is
      // passed over with a table lookup per byte.
      static constexpr auto kStructural = [] {
        std::array<bool, 256> table{};
        for (const unsigned char c : {'"', '{', '[', '}', ']'}) table[c] = true;
        return table;
      }();
      int depth = 0;
      const std::size_t size = s_.size();
      while (i_ < size) {
#ifdef __SSE2__
        // Sixteen bytes at a time while none of them matters.
        while (i_ + 16 <= size) {
          const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_.data() + i_));
          const __m128i hits = _mm_or_si128(
              _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
                           _mm_cmpeq_epi8(bytes, _mm_set1_epi8('{'))),
              _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('[')),
                                        _mm_cmpeq_epi8(bytes, _mm_set1_epi8('}'))),
                           _mm_cmpeq_epi8(bytes, _mm_set1_epi8(']'))));
          const int mask = _mm_movemask_epi8(hits);
          if (mask != 0) {
            i_ += static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
            break;
          }
          i_ += 16;
        }
#endif
        while (i_ < size && !kStructural[static_cast<unsigned char>(s_[i_])]) ++i_;
        if (i_ == size) break;
        const char c = s_[i_];
        if (c == '"') {
          skip_string();
          continue;
        }
        ++i_;
        if (c == '{' || c == '[') {
          ++depth;
        } else if (--depth == 0) {
          return;
        }
      }
      return;
    }
    while (i_ < s_.size() &&
           std::string_view(",}] \t\r\n").find(s_[i_]) == std::string_view::npos) {
      ++i_;
    }
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::size_t skip_json_value(std::string_view text, std::size_t offset) {
  JsonScanner scanner(text);
  scanner.seek(offset);
  scanner.skip_value();
  return scanner.offset();
}

std::string too_deep_message() {
  return "values nest more than " + std::to_string(kMaxNesting) +
         " levels deep (the first one too deep starts here); oasgen reads documents up to that "
         "depth";
}

std::size_t too_deep_offset(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

LineColumn line_column_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t last_break = before.rfind('\n');
  const std::size_t line_start = last_break == std::string_view::npos ? 0 : last_break + 1;
  return {static_cast<int>(line), static_cast<int>(offset - line_start + 1)};
}

std::optional<std::vector<std::string>> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return std::nullopt;
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
        return std::nullopt;
      }
      token += pointer[++i] == '0' ? '~' : '/';
    } else {
      token += pointer[i];
    }
  }
  return tokens;
}

struct JsonLocator::Members {
  MemberOffsets keys;
  std::vector<std::size_t> elements;
};

JsonLocator::JsonLocator(std::string_view text) : text_(text) {
  root_ = JsonScanner(text).offset();
}
JsonLocator::~JsonLocator() = default;

void JsonLocator::know(std::size_t offset, MemberOffsets members) {
  auto& known = containers_[offset];
  known = std::make_unique<Members>();
  known->keys = std::move(members);
}

const JsonLocator::Members& JsonLocator::members_at(std::size_t offset) {
  auto& members = containers_[offset];
  if (!members) {
    members = std::make_unique<Members>();
    JsonScanner scanner(text_);
    scanner.seek(offset);
    scanner.scan_members(members->keys, members->elements);
  }
  return *members;
}

LineColumn JsonLocator::find(const std::vector<std::string>& tokens) {
  std::size_t offset = root_;
  for (const std::string& token : tokens) {
    const Members& members = members_at(offset);
    if (const auto key = members.keys.find(token); key != members.keys.end()) {
      offset = key->second;
    } else if (const auto index = array_index(token); index && *index < members.elements.size()) {
      offset = members.elements[*index];
    } else {
      break;
    }
  }
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    const char* const begin = text_.data();
    const char* const end = begin + text_.size();
    for (const char* p = begin; p < end;) {
      const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (found == nullptr) break;
      p = static_cast<const char*>(found) + 1;
      line_starts_.push_back(static_cast<std::size_t>(p - begin));
    }
  }
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(after - line_starts_.begin());
  return {static_cast<int>(line), static_cast<int>(offset - *(after - 1) + 1)};
}

struct YamlLocator::Tree {
  YAML::Node root;
};

YamlLocator::YamlLocator(std::string_view text) : text_(text) {}
YamlLocator::~YamlLocator() = default;

LineColumn YamlLocator::find(const std::vector<std::string>& tokens) {
  if (!tree_) {
    tree_ = std::make_unique<Tree>();
    try {
      tree_->root = YAML::Load(std::string(text_));
    } catch (const YAML::Exception&) {
      // The text loaded before, so this does not happen; without a tree there is no location.
    }
  }
  if (!tree_->root.IsDefined() || tree_->root.IsNull()) return {};
  // reset() rebinds; assigning one YAML::Node to another would overwrite the tree.
  YAML::Node node;
  node.reset(tree_->root);
  YAML::Mark mark = node.Mark();
  for (const std::string& token : tokens) {
    YAML::Node next;
    bool found = false;
    if (node.IsMap()) {
      for (const auto& member : node) {
        if (member.first.IsScalar() && member.first.Scalar() == token) {
          next.reset(member.second);
          found = true;
          break;
        }
      }
    } else if (node.IsSequence()) {
      const auto index = array_index(token);
      if (index && *index < node.size()) {
        next.reset(node[*index]);
        found = true;
      }
    }
    if (!found) break;
    node.reset(next);
    mark = node.Mark();
  }
  return to_line_column(mark);
}

}  // namespace oasgen::load::detail
