#include "ecma_regex.hpp"

#include <cstdint>

namespace oasgen::detail {

namespace {

// ECMA-262 WhiteSpace and LineTerminator, what its \s matches (PCRE2's \s without UCP is ASCII).
constexpr std::string_view kWhiteSpace =
    "\\t\\n\\x{0b}\\f\\r\\x{20}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}"
    "\\x{205f}\\x{3000}\\x{feff}";
// ECMA-262's `.`: any code point but the four line terminators.
constexpr std::string_view kDot = "[^\\n\\r\\x{2028}\\x{2029}]";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string hex_code_point(std::uint32_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[value % 16]);
    value /= 16;
  } while (value != 0);
  return "\\x{" + digits + "}";
}

class Translator {
 public:
  explicit Translator(std::string_view pattern) : p_(pattern) {}

  bool run(std::string& out, std::string& error) {
    while (pos_ < p_.size()) {
      if (!atom_or_operator()) {
        error = error_;
        return false;
      }
    }
    out = std::move(out_);
    return true;
  }

 private:
  bool fail(std::string message) {
    error_ = message + " at offset " + std::to_string(pos_);
    return false;
  }

  bool at(char c, std::size_t ahead = 0) const {
    return pos_ + ahead < p_.size() && p_[pos_ + ahead] == c;
  }

  bool atom_or_operator() {
    const char c = p_[pos_];
    switch (c) {
      case '\\': {
        std::string piece;
        bool not_space = false;
        if (!escape(false, piece, not_space)) return false;
        out_ += piece;
        return true;
      }
      case '.':
        out_ += kDot;
        ++pos_;
        return true;
      case '[':
        return character_class();
      case '(':
        return group_open();
      case '*':
      case '+':
      case '?':
        out_ += c;
        ++pos_;
        return quantifier_suffix();
      case '{':
        return brace();
      case '}':
      case ']':
        // Literal in ECMA-262 (Annex B); PCRE2 agrees, but an escape says so plainly.
        out_ += '\\';
        out_ += c;
        ++pos_;
        return true;
      default:
        out_ += c;
        ++pos_;
        return true;
    }
  }

  // After a quantifier: `?` makes it lazy (both agree); `+` would make it possessive in PCRE2 and
  // is "nothing to repeat" in ECMA-262.
  bool quantifier_suffix() {
    if (at('?')) {
      out_ += '?';
      ++pos_;
    }
    if (at('+')) return fail("a quantifier cannot follow a quantifier");
    return true;
  }

  // `{n}`, `{n,}`, `{n,m}` are quantifiers; any other `{` is a literal brace.
  bool brace() {
    std::size_t i = pos_ + 1;
    auto digits = [&] {
      const std::size_t start = i;
      while (i < p_.size() && p_[i] >= '0' && p_[i] <= '9') ++i;
      return i > start;
    };
    bool quantifier = digits();
    if (quantifier && i < p_.size() && p_[i] == ',') {
      ++i;
      digits();
    }
    quantifier = quantifier && i < p_.size() && p_[i] == '}';
    if (!quantifier) {
      out_ += "\\{";
      ++pos_;
      return true;
    }
    out_.append(p_.substr(pos_, i + 1 - pos_));
    pos_ = i + 1;
    return quantifier_suffix();
  }

  bool group_open() {
    if (!at('?', 1)) {
      out_ += '(';
      ++pos_;
      return true;
    }
    // The group kinds ECMA-262 has: (?:  (?=  (?!  (?<=  (?<!  (?<name>
    if (at(':', 2) || at('=', 2) || at('!', 2)) {
      out_.append(p_.substr(pos_, 3));
      pos_ += 3;
      return true;
    }
    if (at('<', 2)) {
      if (at('=', 3) || at('!', 3)) {
        out_.append(p_.substr(pos_, 4));
        pos_ += 4;
        return true;
      }
      out_.append("(?<");
      pos_ += 3;
      return true;  // the name and '>' are copied as they come; PCRE2 checks the name
    }
    return fail("'(?" + std::string(p_.substr(pos_ + 2, 1)) + "' is not ECMA-262 syntax");
  }

  bool character_class() {
    ++pos_;  // '['
    const bool negated = at('^');
    if (negated) ++pos_;
    std::string body;
    bool not_space = false;
    // In ECMA-262 the first ']' closes the class, even right after '[' or '[^' (an empty class).
    while (pos_ < p_.size() && p_[pos_] != ']') {
      const char c = p_[pos_];
      if (c == '\\') {
        std::string piece;
        if (!escape(true, piece, not_space)) return false;
        body += piece;
      } else if (c == '[') {
        body += "\\[";  // PCRE2 would read "[:alpha:]" inside a class as a POSIX class
        ++pos_;
      } else {
        body += c;
        ++pos_;
      }
    }
    if (pos_ >= p_.size()) return fail("missing terminating ] for character class");
    ++pos_;
    if (!not_space) {
      out_ += negated ? "[^" : "[";
      out_ += body;
      out_ += ']';
    } else if (!negated) {
      // [x\S]: x, or anything that is not white space. PCRE2 classes cannot nest a negation.
      out_ += "(?:[" + body + "]|[^" + std::string(kWhiteSpace) + "])";
    } else {
      // [^x\S]: white space that is not x.
      out_ += "(?:(?![" + body + "])[" + std::string(kWhiteSpace) + "])";
    }
    return true;
  }

  // Reads 4 hex digits at `i`; -1 when they are not there.
  long four_hex(std::size_t i) const {
    if (i + 4 > p_.size()) return -1;
    long value = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
      const int digit = hex_value(p_[k]);
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    return value;
  }

  bool unicode_escape(std::string& piece) {
    // \u{...} (with the u flag) or \uXXXX, where a surrogate pair makes one code point.
    if (at('{', 2)) {
      std::size_t i = pos_ + 3;
      std::uint32_t value = 0;
      const std::size_t start = i;
      while (i < p_.size() && hex_value(p_[i]) >= 0) {
        value = value * 16 + static_cast<std::uint32_t>(hex_value(p_[i]));
        if (value > 0x10FFFF) return fail("code point out of range in \\u{...}");
        ++i;
      }
      if (i == start || i >= p_.size() || p_[i] != '}') return fail("malformed \\u{...} escape");
      pos_ = i + 1;
      piece = hex_code_point(value);
      return true;
    }
    const long unit = four_hex(pos_ + 2);
    if (unit < 0) return fail("\\u must be followed by four hex digits or {...}");
    pos_ += 6;
    if (unit >= 0xD800 && unit <= 0xDBFF && at('\\') && at('u', 1)) {
      const long low = four_hex(pos_ + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        pos_ += 6;
        piece = hex_code_point(0x10000 + ((static_cast<std::uint32_t>(unit) - 0xD800) << 10) +
                               (static_cast<std::uint32_t>(low) - 0xDC00));
        return true;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) {
      pos_ -= 6;
      return fail("a lone surrogate cannot match UTF-8 text");
    }
    piece = hex_code_point(static_cast<std::uint32_t>(unit));
    return true;
  }

  // One escape sequence at pos_ (a backslash), translated into `piece`. `not_space` is set for \S
  // inside a class, which the class rewrites.
  bool escape(bool in_class, std::string& piece, bool& not_space) {
    if (pos_ + 1 >= p_.size()) return fail("'\\' at the end of the pattern");
    const char n = p_[pos_ + 1];
    switch (n) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        piece = {'\\', n};
        pos_ += 2;
        return true;
      case 's':
        piece = in_class ? std::string(kWhiteSpace) : "[" + std::string(kWhiteSpace) + "]";
        pos_ += 2;
        return true;
      case 'S':
        if (in_class) {
          not_space = true;
          piece.clear();
        } else {
          piece = "[^" + std::string(kWhiteSpace) + "]";
        }
        pos_ += 2;
        return true;
      case 'b':
        piece = in_class ? "\\x{08}" : "\\b";  // backspace inside a class
        pos_ += 2;
        return true;
      case 'B':
        if (in_class) return fail("\\B inside a character class");
        piece = "\\B";
        pos_ += 2;
        return true;
      case 'v':
        piece = "\\x{0b}";  // PCRE2's \v is a class of vertical space
        pos_ += 2;
        return true;
      case '0':
        if (pos_ + 2 < p_.size() && p_[pos_ + 2] >= '0' && p_[pos_ + 2] <= '9') {
          return fail("\\0 followed by a digit");
        }
        piece = "\\x{00}";
        pos_ += 2;
        return true;
      case 'c':
        if (pos_ + 2 < p_.size() && ((p_[pos_ + 2] >= 'a' && p_[pos_ + 2] <= 'z') ||
                                     (p_[pos_ + 2] >= 'A' && p_[pos_ + 2] <= 'Z'))) {
          piece = hex_code_point(static_cast<std::uint32_t>(p_[pos_ + 2]) % 32);
          pos_ += 3;
          return true;
        }
        return fail("\\c must be followed by a letter");
      case 'x': {
        const int high = pos_ + 2 < p_.size() ? hex_value(p_[pos_ + 2]) : -1;
        const int low = pos_ + 3 < p_.size() ? hex_value(p_[pos_ + 3]) : -1;
        if (high < 0 || low < 0) return fail("\\x must be followed by two hex digits");
        piece = hex_code_point(static_cast<std::uint32_t>(high * 16 + low));
        pos_ += 4;
        return true;
      }
      case 'u':
        return unicode_escape(piece);
      case 'p':
      case 'P': {
        const std::size_t close = p_.find('}', pos_);
        if (!at('{', 2) || close == std::string_view::npos) return fail("malformed \\p{...}");
        piece = std::string(p_.substr(pos_, close + 1 - pos_));
        pos_ = close + 1;
        return true;
      }
      case 'k': {
        const std::size_t close = p_.find('>', pos_);
        if (in_class || !at('<', 2) || close == std::string_view::npos) {
          return fail("malformed \\k<name>");
        }
        piece = std::string(p_.substr(pos_, close + 1 - pos_));
        pos_ = close + 1;
        return true;
      }
      default:
        break;
    }
    if (n >= '1' && n <= '9') {
      if (in_class) return fail("a back reference inside a character class");
      std::size_t i = pos_ + 1;
      while (i < p_.size() && p_[i] >= '0' && p_[i] <= '9') ++i;
      // \g{N} cannot be read as an octal escape, which PCRE2 might make of \12.
      piece = "\\g{" + std::string(p_.substr(pos_ + 1, i - pos_ - 1)) + "}";
      pos_ = i;
      return true;
    }
    if (is_ascii_alnum(n)) {
      return fail("'\\" + std::string(1, n) + "' is not an ECMA-262 escape");
    }
    // An identity escape: the character itself (PCRE2 reads "\x" as literal x for any non-alnum).
    piece = {'\\', n};
    pos_ += 2;
    return true;
  }

  std::string_view p_;
  std::size_t pos_ = 0;
  std::string out_;
  std::string error_;
};

}  // namespace

bool translate_ecma_regex(std::string_view pattern, std::string& out, std::string& error) {
  return Translator(pattern).run(out, error);
}

pcre2_code* compile_ecma_regex(std::string_view pattern, std::string& error) {
  std::string translated;
  if (!translate_ecma_regex(pattern, translated, error)) return nullptr;
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  if (context == nullptr) {
    error = "out of memory";
    return nullptr;
  }
  pcre2_set_newline(context, PCRE2_NEWLINE_LF);
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(
      reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALLOW_EMPTY_CLASS, &code,
      &offset, context);
  pcre2_compile_context_free(context);
  if (compiled == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(code, message, sizeof message);
    // The offset is into the translation; it matches the pattern as written when nothing before
    // it needed translating, which is the common case. The message says what is wrong either way.
    error = "invalid regular expression at offset " + std::to_string(offset) + ": " +
            reinterpret_cast<const char*>(message);
  }
  return compiled;
}

}  // namespace oasgen::detail
