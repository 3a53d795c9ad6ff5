// The runtime's fixed-shape bodies (problems, access log lines) are written as JSON text rather
// than built as a DOM only to be dumped at once; the writer is public (oasgen/json_writer.hpp).
#pragma once

#include <string>
#include <string_view>

#include "oasgen/json_writer.hpp"

namespace oasgen::detail {

/// Appends `text` as a JSON string, byte for byte what nlohmann's dump (no ASCII escaping,
/// invalid UTF-8 replaced) writes.
inline void append_json_string(std::string& out, std::string_view text) {
  oasgen::append_json_string(out, text);
}

}  // namespace oasgen::detail
