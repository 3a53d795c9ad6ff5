// Internals of the authenticators: strict base64url, bounded JSON parsing, OpenSSL key ownership.
#pragma once

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "oasgen/security/jwk.hpp"

namespace oasgen::security::detail {

/// Decodes base64url without padding (RFC 7515 §2: "Base64 encoding using the URL- and
/// filename-safe character set defined in Section 5 of RFC 4648, with all trailing '='
/// characters omitted"). nullopt for any other character, padding, an impossible length, or
/// non-zero unused bits (a non-canonical encoding, RFC 4648 §3.5).
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);

/// Whether `text`'s JSON nesting (objects and arrays) stays within `max_depth`, scanned without
/// recursion before any parser sees it.
bool json_depth_within(std::string_view text, std::size_t max_depth);

/// Parses a JSON object of at most `max_depth` levels; nullopt for anything else.
std::optional<nlohmann::json> parse_json_object(std::string_view text, std::size_t max_depth);

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

}  // namespace oasgen::security::detail

namespace oasgen::security {

struct JwtKey::Material {
  Type type = Type::Hmac;
  std::string id;
  std::optional<JwtAlgorithm> algorithm;
  std::string secret;    ///< Hmac
  detail::PkeyPtr pkey;  ///< the others
  int bits = 0;          ///< RSA modulus size

  Material() = default;
  Material(const Material&) = delete;
  Material& operator=(const Material&) = delete;
  ~Material();
};

}  // namespace oasgen::security
