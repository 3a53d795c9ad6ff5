// sample_pattern (declared in render/examples.hpp): a string a regular expression matches, for the
// docs' examples.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/examples.hpp"
#include "support/utf8.hpp"

namespace oasgen::render {
namespace {

// A set of code points: ranges, plus complemented sub-sets (\D, \W, \S inside a class).
struct CharSet {
  std::vector<std::pair<char32_t, char32_t>> ranges;
  std::vector<CharSet> complements;

  bool contains(char32_t c) const {
    for (const auto& [lo, hi] : ranges) {
      if (c >= lo && c <= hi) return true;
    }
    for (const auto& set : complements) {
      if (!set.contains(c)) return true;
    }
    return false;
  }
};

CharSet digit_set() { return {{{'0', '9'}}, {}}; }
CharSet word_set() { return {{{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {'_', '_'}}, {}}; }
CharSet space_set() { return {{{' ', ' '}, {'\t', '\r'}}, {}}; }

class PatternSampler {
 public:
  PatternSampler(std::string_view pattern, std::size_t extra) : p_(pattern), extra_(extra) {}

  std::optional<std::string> run() {
    std::string out = alternatives();
    if (!ok_ || i_ != p_.size()) return std::nullopt;
    return out;
  }

 private:
  bool at_end() const { return i_ >= p_.size(); }
  char peek() const { return p_[i_]; }
  void fail() { ok_ = false; }

  // The first alternative is the sample; the others are parsed only to move past them.
  std::string alternatives() {
    std::string first = sequence();
    while (ok_ && !at_end() && peek() == '|') {
      ++i_;
      sequence();
    }
    return first;
  }

  std::string sequence() {
    std::string out;
    while (ok_ && !at_end() && peek() != '|' && peek() != ')') {
      std::string piece = atom();
      if (!ok_) break;
      const auto [min, max] = quantifier();
      if (!ok_) break;
      const std::size_t count = std::min(max, min + extra_);
      if (count > 256 || piece.size() * count > 4096) {
        fail();
        break;
      }
      for (std::size_t k = 0; k < count; ++k) out += piece;
    }
    return out;
  }

  std::pair<std::size_t, std::size_t> quantifier() {
    constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();
    if (at_end()) return {1, 1};
    std::pair<std::size_t, std::size_t> bounds{1, 1};
    const char c = peek();
    if (c == '*') {
      bounds = {0, kUnbounded};
      ++i_;
    } else if (c == '+') {
      bounds = {1, kUnbounded};
      ++i_;
    } else if (c == '?') {
      bounds = {0, 1};
      ++i_;
    } else if (c == '{') {
      const std::size_t start = i_;
      auto number = [&]() -> std::optional<std::size_t> {
        std::size_t value = 0;
        bool any = false;
        while (!at_end() && peek() >= '0' && peek() <= '9') {
          value = value * 10 + static_cast<std::size_t>(peek() - '0');
          if (value > 100000) return std::nullopt;
          any = true;
          ++i_;
        }
        return any ? std::optional<std::size_t>(value) : std::nullopt;
      };
      ++i_;
      auto min = number();
      if (!min) {
        i_ = start;  // a literal '{' in ECMA-262's Annex B; not worth guessing
        fail();
        return bounds;
      }
      std::size_t max = *min;
      if (!at_end() && peek() == ',') {
        ++i_;
        auto upper = number();
        max = upper ? *upper : kUnbounded;
      }
      if (at_end() || peek() != '}' || max < *min) {
        fail();
        return bounds;
      }
      ++i_;
      bounds = {*min, max};
    } else {
      return bounds;
    }
    if (!at_end() && peek() == '?') ++i_;  // lazy: the same strings match
    if (!at_end() && (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{')) fail();
    return bounds;
  }

  std::string atom() {
    const char c = peek();
    switch (c) {
      case '(': {
        ++i_;
        if (!at_end() && peek() == '?') {
          ++i_;
          if (at_end()) {
            fail();
            return {};
          }
          if (peek() == ':') {
            ++i_;
          } else if (peek() == '<' && i_ + 1 < p_.size() && p_[i_ + 1] != '=' &&
                     p_[i_ + 1] != '!') {
            const auto close = p_.find('>', i_);
            if (close == std::string_view::npos) {
              fail();
              return {};
            }
            i_ = close + 1;
          } else {
            fail();  // lookahead or lookbehind
            return {};
          }
        }
        std::string inner = alternatives();
        if (at_end() || peek() != ')') {
          fail();
          return {};
        }
        ++i_;
        return inner;
      }
      case '[':
        return char_class();
      case '\\': {
        ++i_;
        CharSet set;
        char32_t literal = 0;
        if (!escape(set, literal, false)) return {};
        if (!set.ranges.empty() || !set.complements.empty()) return pick(set, false);
        std::string out;
        append_utf8(out, literal);
        return out;
      }
      case '.':
        ++i_;
        return "a";
      case '^':
      case '$':
        ++i_;
        return {};
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        fail();
        return {};
      default: {
        // One whole UTF-8 sequence, so that a quantifier repeats the character.
        std::size_t length = 1;
        const auto lead = static_cast<unsigned char>(c);
        if (lead >= 0xF0) {
          length = 4;
        } else if (lead >= 0xE0) {
          length = 3;
        } else if (lead >= 0xC0) {
          length = 2;
        }
        std::string out(p_.substr(i_, length));
        i_ += length;
        return out;
      }
    }
  }

  // After a backslash. A class escape fills `set`; anything else is one code point in `literal`.
  bool escape(CharSet& set, char32_t& literal, bool in_class) {
    if (at_end()) {
      fail();
      return false;
    }
    const char c = p_[i_++];
    auto hex = [&](std::size_t digits) -> bool {
      if (i_ + digits > p_.size()) return false;
      char32_t value = 0;
      for (std::size_t k = 0; k < digits; ++k) {
        const char h = p_[i_ + k];
        int v = -1;
        if (h >= '0' && h <= '9') v = h - '0';
        if (h >= 'a' && h <= 'f') v = h - 'a' + 10;
        if (h >= 'A' && h <= 'F') v = h - 'A' + 10;
        if (v < 0) return false;
        value = value * 16 + static_cast<char32_t>(v);
      }
      i_ += digits;
      literal = value;
      return true;
    };
    switch (c) {
      case 'd':
        set = digit_set();
        return true;
      case 'w':
        set = word_set();
        return true;
      case 's':
        set = space_set();
        return true;
      case 'D':
        set.complements = {digit_set()};
        return true;
      case 'W':
        set.complements = {word_set()};
        return true;
      case 'S':
        set.complements = {space_set()};
        return true;
      case 'n':
        literal = '\n';
        return true;
      case 'r':
        literal = '\r';
        return true;
      case 't':
        literal = '\t';
        return true;
      case 'f':
        literal = '\f';
        return true;
      case 'v':
        literal = '\v';
        return true;
      case '0':
        literal = 0;
        return true;
      case 'x':
        if (hex(2)) return true;
        break;
      case 'u':
        if (hex(4) && (literal < 0xD800 || literal > 0xDFFF)) return true;
        break;
      case 'b':
        if (in_class) {
          literal = '\b';
          return true;
        }
        break;
      default:
        // Identity escapes of syntax characters; letters and digits mean something else (or
        // back references), which the sampler does not model.
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) &&
            static_cast<unsigned char>(c) < 0x80) {
          literal = static_cast<unsigned char>(c);
          return true;
        }
    }
    fail();
    return false;
  }

  // Reads one class member: a code point, or a class escape into `set`.
  bool class_atom(CharSet& set, char32_t& literal, bool& is_set) {
    is_set = false;
    const char c = peek();
    if (c == '\\') {
      ++i_;
      CharSet escaped;
      if (!escape(escaped, literal, true)) return false;
      if (!escaped.ranges.empty() || !escaped.complements.empty()) {
        is_set = true;
        set.ranges.insert(set.ranges.end(), escaped.ranges.begin(), escaped.ranges.end());
        set.complements.insert(set.complements.end(), escaped.complements.begin(),
                               escaped.complements.end());
      }
      return true;
    }
    const auto lead = static_cast<unsigned char>(c);
    if (lead >= 0x80) {
      fail();  // non-ASCII class members: not worth decoding here
      return false;
    }
    literal = lead;
    ++i_;
    return true;
  }

  std::string char_class() {
    ++i_;  // '['
    bool negated = false;
    if (!at_end() && peek() == '^') {
      negated = true;
      ++i_;
    }
    CharSet set;
    while (ok_ && !at_end() && peek() != ']') {
      char32_t lo = 0;
      bool lo_is_set = false;
      if (!class_atom(set, lo, lo_is_set)) return {};
      if (lo_is_set) continue;
      if (i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        char32_t hi = 0;
        bool hi_is_set = false;
        if (!class_atom(set, hi, hi_is_set)) return {};
        if (hi_is_set || hi < lo) {
          fail();
          return {};
        }
        set.ranges.emplace_back(lo, hi);
      } else {
        set.ranges.emplace_back(lo, lo);
      }
    }
    if (at_end()) {
      fail();
      return {};
    }
    ++i_;  // ']'
    return pick(set, negated);
  }

  // A readable member of the set (or, negated, of its complement).
  std::string pick(const CharSet& set, bool negated) {
    static constexpr char kPreferred[] = "aA0x_ -.bcdefghijklmnopqrstuvwyz123456789";
    for (const char c : std::string_view(kPreferred)) {
      if (set.contains(static_cast<unsigned char>(c)) != negated) return std::string(1, c);
    }
    if (!negated) {
      for (const auto& [lo, hi] : set.ranges) {
        if (lo <= hi && lo >= 0x20 && lo != 0x7F) {
          std::string out;
          append_utf8(out, lo);
          return out;
        }
      }
    }
    fail();
    return {};
  }

  std::string_view p_;
  std::size_t extra_;
  std::size_t i_ = 0;
  bool ok_ = true;
};

}  // namespace

std::optional<std::string> sample_pattern(std::string_view pattern, std::size_t extra) {
  return PatternSampler(pattern, extra).run();
}

}  // namespace oasgen::render
