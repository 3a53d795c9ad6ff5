#include "model/pattern_repair.hpp"

#include <map>
#include <string_view>

namespace oasgen::model {
namespace {

// The members of each class, as they stand inside `[...]`.
const std::map<std::string_view, std::string_view, std::less<>>& class_members() {
  static const std::map<std::string_view, std::string_view, std::less<>> kMembers = {
      // java.util.regex.Pattern's POSIX classes (US-ASCII only).
      {"Lower", "a-z"},
      {"Upper", "A-Z"},
      {"ASCII", "\\x00-\\x7F"},
      {"Alpha", "a-zA-Z"},
      {"Digit", "0-9"},
      {"Alnum", "a-zA-Z0-9"},
      {"Punct", "!-\\/:-@\\[-`{-~"},
      {"Graph", "!-~"},
      {"Print", " -~"},
      {"Blank", " \\t"},
      {"Cntrl", "\\x00-\\x1F\\x7F"},
      {"XDigit", "0-9a-fA-F"},
      {"Space", " \\t\\n\\x0B\\f\\r"},
      // Java's Unicode spellings with `Is`.
      {"IsLetter", "\\p{L}"},
      {"IsAlphabetic", "\\p{L}\\p{Nl}"},
      {"IsDigit", "\\p{Nd}"},
      {"IsUppercase", "\\p{Lu}"},
      {"IsLowercase", "\\p{Ll}"},
      {"IsPunctuation", "\\p{P}"},
      {"IsWhite_Space", "\\s"},
      {"IsWhiteSpace", "\\s"},
      {"IsL", "\\p{L}"},
      {"IsN", "\\p{N}"},
      {"IsP", "\\p{P}"},
  };
  return kMembers;
}

}  // namespace

std::optional<std::string> translate_foreign_pattern(const std::string& pattern) {
  std::string out;
  bool changed = false;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c != '\\' || i + 1 == pattern.size()) {
      if (in_class && c == '&' && i + 1 < pattern.size() && pattern[i + 1] == '&') {
        return std::nullopt;  // Java's class intersection: no ECMA-262 spelling without `v`
      }
      if (c == '[' && !in_class) in_class = true;
      else if (c == ']' && in_class) in_class = false;
      out += c;
      continue;
    }
    const char next = pattern[i + 1];
    if ((next == 'p' || next == 'P') && i + 2 < pattern.size() && pattern[i + 2] == '{') {
      const auto close = pattern.find('}', i + 3);
      if (close == std::string::npos) return std::nullopt;
      const std::string_view name(pattern.data() + i + 3, close - i - 3);
      const auto known = class_members().find(name);
      if (known == class_members().end()) {
        out.append(pattern, i, close - i + 1);  // ECMA-262's own (\p{L}, \p{Lu}, ...): as it is
      } else if (in_class) {
        if (next == 'P') return std::nullopt;
        out += known->second;
        changed = true;
      } else {
        out += next == 'P' ? "[^" : "[";
        out += known->second;
        out += ']';
        changed = true;
      }
      i = close;
      continue;
    }
    if (!in_class && (next == 'A' || next == 'z' || next == 'Z')) {
      out += next == 'A' ? "^" : next == 'z' ? "$" : "(?=\\n?$)";
      changed = true;
      ++i;
      continue;
    }
    out += c;
    out += next;
    ++i;
  }
  if (!changed) return std::nullopt;
  return out;
}

}  // namespace oasgen::model
