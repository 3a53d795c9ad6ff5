#include "encoding.hpp"

#include "../base64.hpp"

#include <openssl/crypto.h>


namespace oasgen::security::detail {

std::optional<std::string> base64url_decode(std::string_view text) {
  return oasgen::detail::base64_decode(text, oasgen::detail::Base64::Url);
}

std::string base64url_encode(std::string_view bytes) {
  return oasgen::detail::base64_encode(bytes, oasgen::detail::Base64::Url);
}

bool json_depth_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return true;
}

std::optional<nlohmann::json> parse_json_object(std::string_view text, std::size_t max_depth) {
  if (!json_depth_within(text, max_depth)) return std::nullopt;
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return std::nullopt;
  return value;
}

}  // namespace oasgen::security::detail

namespace oasgen::security {

JwtKey::Material::~Material() { OPENSSL_cleanse(secret.data(), secret.size()); }

}  // namespace oasgen::security
