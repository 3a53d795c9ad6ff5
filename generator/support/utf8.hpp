// UTF-8 decoding and encoding for spec text (which the loaders have checked is well-formed).
#pragma once

#include <string>
#include <string_view>

namespace oasgen {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

/// Decodes one code point at `text[i]`, advancing `i`; a malformed, overlong or surrogate sequence
/// yields U+FFFD and consumes one byte, so that decoding resynchronises on the next byte.
char32_t decode_utf8(std::string_view text, std::size_t& i);

/// Appends `cp` encoded as UTF-8.
void append_utf8(std::string& out, char32_t cp);

}  // namespace oasgen
