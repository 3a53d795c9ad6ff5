// RFC 4648 base64 (section 4) and base64url (section 5), strict: the runtime's one implementation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace oasgen::detail {

enum class Base64 { Standard, Url };

/// Standard: with '=' padding; Url: without padding (as JWS, RFC 7515 section 2).
std::string base64_encode(std::string_view data, Base64 alphabet = Base64::Standard);

/// nullopt for any character outside the alphabet, a bad length, wrong padding (required for
/// Standard, refused for Url) or non-zero trailing bits (RFC 4648 section 3.5: so that one text
/// has one meaning).
std::optional<std::string> base64_decode(std::string_view text, Base64 alphabet = Base64::Standard);

}  // namespace oasgen::detail
