#include "support/escape.hpp"

#include "support/utf8.hpp"

#include <algorithm>
#include <cstdint>

namespace oasgen {
namespace {

bool is_line_break(char32_t cp) {
  return cp == '\n' || cp == '\v' || cp == '\f' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

// Controls, and the bidirectional overrides that can make code read differently from how it
// compiles ("Trojan Source").
bool is_unsafe_in_comment(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void finish_comment_line(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  // A backslash at the end of a line would splice the next source line into the comment.
  if (!line.empty() && line.back() == '\\') line += '.';
}

}  // namespace

std::vector<std::string> cpp_comment_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  const auto flush = [&] {
    finish_comment_line(line);
    lines.push_back(std::move(line));
    line.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    // Printable ASCII but '?' goes out as it is, a run at a time: descriptions are mostly that.
    const std::size_t run = i;
    while (i < text.size() && text[i] >= 0x20 && text[i] < 0x7F && text[i] != '?') ++i;
    if (i > run) {
      line.append(text.data() + run, i - run);
      continue;
    }
    const char32_t cp = decode_utf8(text, i);
    if (cp == '\r') {
      if (i < text.size() && text[i] == '\n') ++i;
      flush();
    } else if (is_line_break(cp)) {
      flush();
    } else if (cp == '\t') {
      line += ' ';
    } else if (is_unsafe_in_comment(cp)) {
      append_utf8(line, kReplacementCharacter);
    } else if (cp == '?' && !line.empty() && line.back() == '?') {
      line += " ?";  // no `??` trigraph start, so no `??/` line splice
    } else {
      append_utf8(line, cp);
    }
  }
  flush();
  std::size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  std::size_t last = lines.size();
  while (last > first && lines[last - 1].empty()) --last;
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(last), lines.end());
  lines.erase(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(first));
  return lines;
}

std::string cpp_string_literal(std::string_view text) {
  std::string out = "\"";
  char previous = 0;
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '?':
        out += previous == '?' ? "\\?" : "?";
        break;
      default: {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F) {
          out += c;
        } else {
          // Always three digits: a following digit can never extend the escape.
          out += '\\';
          out += static_cast<char>('0' + (byte >> 6));
          out += static_cast<char>('0' + ((byte >> 3) & 7));
          out += static_cast<char>('0' + (byte & 7));
        }
      }
    }
    previous = c;
  }
  out += '"';
  return out;
}

std::string markdown_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool line_start = true;
  bool leading_digits = false;  // the line so far is digits only: "1." would start a list
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += '\n';
      line_start = true;
      leading_digits = false;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '{':
      case '}':
      case '[':
      case ']':
      case '#':
      case '+':
      case '-':
      case '!':
      case '|':
      case '~':
      case '=':
        out += '\\';
        out += c;
        break;
      case '.':
      case ')':
        if (leading_digits) out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
    const bool digit = c >= '0' && c <= '9';
    leading_digits = digit && (line_start || leading_digits);
    line_start = false;
  }
  return out;
}

std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_inline(std::string_view text) {
  std::string out = markdown_text(text);
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

std::string markdown_table_cell(std::string_view text) {
  const std::string escaped = markdown_text(text);
  std::string out;
  out.reserve(escaped.size());
  for (const char c : escaped) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

std::string markdown_code_block(std::string_view text, std::string_view info) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = fence;
  out += info;
  out += '\n';
  out += text;
  if (!text.empty() && text.back() != '\n') out += '\n';
  out += fence;
  out += '\n';
  return out;
}

std::string json_for_script(std::string_view json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (std::size_t i = 0; i < json_text.size(); ++i) {
    const char c = json_text[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json_text.size() && json_text[i + 1] == '\x80' &&
               (json_text[i + 2] == '\xA8' || json_text[i + 2] == '\xA9')) {
      out += json_text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

void append_json_pointer_token(std::string& out, std::string_view token) {
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
}

std::string json_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  append_json_pointer_token(out, token);
  return out;
}

}  // namespace oasgen
