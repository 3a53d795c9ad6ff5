#include "oasgen/json_writer.hpp"

#include "oasgen/validation.hpp"

#include <charconv>
#include <cmath>

namespace oasgen {

void append_json_string(std::string& out, std::string_view text) {
  // Nearly every value is printable ASCII without '"' or '\\': one scan, one copy.
  std::size_t ascii = 0;
  for (; ascii < text.size(); ++ascii) {
    const auto c = static_cast<unsigned char>(text[ascii]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  if (ascii == text.size()) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  // Invalid UTF-8 is rare enough to leave to the library, which replaces it exactly as dump does.
  if (!is_utf8(text.substr(ascii))) {
    out += nlohmann::json(std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = ascii; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    out += '\\';
    switch (c) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '\b':
        out += 'b';
        break;
      case '\t':
        out += 't';
        break;
      case '\n':
        out += 'n';
        break;
      case '\f':
        out += 'f';
        break;
      case '\r':
        out += 'r';
        break;
      default:
        out += "u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

void append_json_number(std::string& out, std::int64_t value) {
  char buffer[24];
  const char* end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // The shortest text that reads back as `value`, with nlohmann's ".0" and exponent spelling: its
  // own routine, so the bytes match dump's whatever the version.
  char buffer[64];
  const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

}  // namespace oasgen
