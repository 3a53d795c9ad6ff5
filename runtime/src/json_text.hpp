// Writing JSON text straight into a string, for the runtime's fixed-shape bodies (problems, access
// log lines) that would otherwise be built as a DOM only to be dumped at once.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace oasgen::detail {

/// Appends `text` as a JSON string, byte for byte what nlohmann's dump (no ASCII escaping,
/// invalid UTF-8 replaced) writes: printable ASCII without '"' or '\\' (nearly every value) is
/// copied as is; anything else goes through the library.
inline void append_json_string(std::string& out, std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
  if (plain) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace oasgen::detail
