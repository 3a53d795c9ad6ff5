// SHA-256, for Content-Security-Policy hash sources of the docs page's inline script and style.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace oasgen::render {

/// The SHA-256 digest of `data` (FIPS 180-4).
std::array<std::uint8_t, 32> sha256(std::string_view data);

/// A CSP hash source for an inline element's exact content: "'sha256-<base64 digest>'".
std::string csp_hash_source(std::string_view content);

}  // namespace oasgen::render
