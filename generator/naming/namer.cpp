#include "naming/namer.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <cctype>
#include <stdexcept>

namespace oasgen::naming {
namespace {

// Keywords and alternative tokens (C++20), standard and common platform macros that are spelled in
// lower case or could be produced by case folding, and names generated code uses unqualified.
constexpr std::string_view kReserved[] = {
    // keywords
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case",
    "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const",
    "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await", "co_return",
    "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    // identifiers with special meaning, and std/platform macros
    "final", "override", "import", "module", "errno", "assert", "linux", "unix", "i386", "major",
    "minor", "makedev", "stdin", "stdout", "stderr", "offsetof", "setjmp", "va_arg", "va_start",
    "va_end", "va_copy", "NULL", "EOF", "TRUE", "FALSE", "DELETE", "BUFSIZ", "EXIT_SUCCESS",
    "EXIT_FAILURE", "DOMAIN", "OVERFLOW", "UNDERFLOW", "SING", "TLOSS", "PLOSS", "HUGE", "INFINITY",
    "NAN", "CHAR_BIT", "INT_MAX", "INT_MIN", "RAND_MAX", "MB_LEN_MAX", "SIZE_MAX", "PATH_MAX",
    // unqualified names in generated code
    "std", "nlohmann", "oasgen", "detail", "json", "v"};

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_upper(c) || is_lower(c) || is_digit(c); }

char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

// Decodes one UTF-8 sequence at `i`; invalid bytes decode as themselves.
unsigned decode_utf8(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned lead = byte(i);
  const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (length == 1 || i + length > text.size()) return byte(i++);
  unsigned cp = lead & (0x3F >> (length - 1));
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return byte(i++);
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return cp;
}

std::string hex(unsigned value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[value % 16]);
    value /= 16;
  } while (value != 0);
  while (out.size() < 4) out.insert(out.begin(), '0');
  return out;
}

std::string escape_reserved(std::string identifier) {
  if (is_reserved(identifier)) identifier += '_';
  return identifier;
}

}  // namespace

namespace {

// Calls `f` with each word of `name`, as split_words() has them, without allocating but for the
// words that stand for a character outside ASCII: every type, member and function name is cased
// through here, a few hundred thousand on a large API.
template <class F>
void for_each_word(std::string_view name, F&& f) {
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t start = kNone;  // of the word being read
  const auto flush = [&](std::size_t end) {
    if (start != kNone) f(name.substr(start, end - start));
    start = kNone;
  };
  for (std::size_t i = 0; i < name.size();) {
    const char c = name[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      flush(i);
      f(std::string_view("u" + hex(decode_utf8(name, i))));
      continue;
    }
    if (!is_alnum(c)) {
      flush(i);
      ++i;
      continue;
    }
    if (start != kNone) {
      const char prev = name[i - 1];
      const char next = i + 1 < name.size() ? name[i + 1] : '\0';
      // "petId" -> pet|Id; "HTTPServer" -> HTTP|Server; digits stay with what precedes them.
      if ((is_upper(c) && (is_lower(prev) || is_digit(prev))) ||
          (is_upper(c) && is_upper(prev) && is_lower(next))) {
        flush(i);
      }
    }
    if (start == kNone) start = i;
    ++i;
  }
  flush(name.size());
}

}  // namespace

std::vector<std::string> split_words(std::string_view name) {
  std::vector<std::string> words;
  for_each_word(name, [&](std::string_view word) { words.emplace_back(word); });
  return words;
}

std::string snake_case(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 8);
  for_each_word(name, [&](std::string_view word) {
    if (!out.empty()) out += '_';
    for (char c : word) out += lower(c);
  });
  if (out.empty()) out = "unnamed";
  if (is_digit(out[0])) out.insert(out.begin(), 'n');
  return escape_reserved(std::move(out));
}

std::string pascal_case(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 8);
  for_each_word(name, [&](std::string_view word) {
    out += upper(word[0]);
    for (std::size_t i = 1; i < word.size(); ++i) out += lower(word[i]);
  });
  if (out.empty()) out = "Unnamed";
  if (is_digit(out[0])) out.insert(out.begin(), 'N');
  return escape_reserved(std::move(out));
}

std::string constant_case(std::string_view name) {
  std::string pascal = pascal_case(name);
  if (pascal[0] == 'N' && pascal.size() > 1 && is_digit(pascal[1])) pascal.erase(0, 1);
  if (!pascal.empty() && pascal.back() == '_') pascal.pop_back();
  return "k" + pascal;
}

bool is_reserved(std::string_view identifier) {
  // Most names are longer than any reserved one: no search for them.
  static constexpr std::size_t kLongest = [] {
    std::size_t longest = 0;
    for (const std::string_view name : kReserved) longest = std::max(longest, name.size());
    return longest;
  }();
  if (identifier.size() > kLongest) return false;
  // Sorted once: a large API asks about a million names.
  static const auto sorted = [] {
    std::array<std::string_view, std::size(kReserved)> names{};
    std::copy(std::begin(kReserved), std::end(kReserved), names.begin());
    std::sort(names.begin(), names.end());
    return names;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), identifier);
}

bool is_safe_identifier(std::string_view identifier) {
  if (identifier.empty() || is_digit(identifier[0])) return false;
  if (!std::all_of(identifier.begin(), identifier.end(), [](char c) { return is_alnum(c) || c == '_'; })) {
    return false;
  }
  if (identifier.find("__") != std::string_view::npos) return false;
  if (identifier[0] == '_' && (identifier.size() == 1 || is_upper(identifier[1]))) return false;
  return !is_reserved(identifier);
}

std::string Scope::claim(const std::string& candidate) {
  std::string name = candidate;
  for (int n = 2; used_.count(name); ++n) name = candidate + std::to_string(n);
  if (!is_safe_identifier(name)) throw std::logic_error("namer produced an unsafe identifier: " + name);
  used_.insert(name);
  return name;
}

}  // namespace oasgen::naming
