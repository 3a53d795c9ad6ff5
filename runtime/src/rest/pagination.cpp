#include "oasgen/rest/pagination.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

#include "../base64.hpp"
#include "oasgen/encode.hpp"

namespace oasgen {
namespace {

constexpr std::size_t kMinSecretBytes = 32;
constexpr std::size_t kMaxCursorBytes = 4096;
constexpr std::size_t kMacBytes = 32;

// A query parameter's name as it appears in the query, before decoding.
std::string_view raw_name(std::string_view pair) { return pair.substr(0, pair.find('=')); }

// `text` from a request target, with every byte that a URI may not hold as it is (RFC 3986 §2:
// outside unreserved, sub-delims, ":", "@", "/", "?" and the "%" of an escape) percent-encoded.
// Servers accept some such bytes in a target (`>`, `"`, `{`); copied into a Link field's
// `<...>`, a raw `>` would end the reference and let the client write link parameters.
std::string uri_safe(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         std::string_view("-._~!$&'()*+,;=:@/?%").find(static_cast<char>(c)) !=
                             std::string_view::npos;
    if (allowed) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

CursorCodec::CursorCodec(std::string secret, std::string purpose)
    : secret_(std::move(secret)), purpose_(std::move(purpose)) {
  if (secret_.size() < kMinSecretBytes) {
    throw std::invalid_argument("a cursor secret needs at least 32 bytes");
  }
}

std::string CursorCodec::mac(std::string_view payload) const {
  // The purpose and a separator the payload's base64url cannot contain go into the MAC, so that
  // a cursor of one listing does not verify for another.
  std::string message = purpose_;
  message += '\n';
  message += payload;
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret_.data(), secret_.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(), out,
                sizeof out, &length) == nullptr ||
      length != kMacBytes) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string CursorCodec::encode(const nlohmann::json& position) const {
  std::string payload = detail::base64_encode(position.dump(), detail::Base64::Url);
  std::string tag = detail::base64_encode(mac(payload), detail::Base64::Url);
  return payload + '.' + tag;
}

std::optional<nlohmann::json> CursorCodec::decode(std::string_view cursor) const {
  if (cursor.size() > kMaxCursorBytes) return std::nullopt;
  const auto dot = cursor.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view payload = cursor.substr(0, dot);
  const auto tag = detail::base64_decode(cursor.substr(dot + 1), detail::Base64::Url);
  if (!tag || tag->size() != kMacBytes) return std::nullopt;
  const std::string expected = mac(payload);
  if (CRYPTO_memcmp(expected.data(), tag->data(), kMacBytes) != 0) return std::nullopt;
  const auto text = detail::base64_decode(payload, detail::Base64::Url);
  if (!text) return std::nullopt;
  auto position = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (position.is_discarded()) return std::nullopt;
  return position;
}

std::size_t page_limit(std::optional<std::int64_t> requested, PageLimits limits) {
  const std::size_t max = std::max<std::size_t>(limits.max, 1);
  if (!requested) return std::clamp<std::size_t>(limits.fallback, 1, max);
  if (*requested < 1) return 1;
  return static_cast<std::uint64_t>(*requested) > max ? max
                                                       : static_cast<std::size_t>(*requested);
}

std::string with_query_parameter(std::string_view target, std::string_view name,
                                 std::string_view value) {
  const auto question = target.find('?');
  std::string out = uri_safe(target.substr(0, question));
  const std::string encoded_name = percent_encode(name);
  char separator = '?';
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      if (pair.empty()) continue;
      const auto decoded = percent_decode(raw_name(pair), /*plus_as_space=*/true);
      if (decoded && *decoded == name) continue;
      out += separator;
      out += uri_safe(pair);
      separator = '&';
    }
  }
  out += separator;
  out += encoded_name;
  out += '=';
  out += percent_encode(value);
  return out;
}

std::string link_header(const Request& request, std::string_view cursor_parameter,
                        std::string_view cursor, std::string_view relation) {
  // RFC 8288 §3: Link = #link-value; link-value = "<" URI-Reference ">" *( OWS ";" OWS
  // link-param ). The reference is percent-encoded, so it cannot contain '>'; the relation is a
  // registered type (§2.1.1: LOALPHA *( LOALPHA / DIGIT / "." / "-" )).
  const bool registered =
      !relation.empty() && relation[0] >= 'a' && relation[0] <= 'z' &&
      relation.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string_view::npos;
  if (!registered) throw std::invalid_argument("not a registered link relation type");
  std::string out = "<";
  out += with_query_parameter(request.target, cursor_parameter, cursor);
  out += ">; rel=\"";
  out += relation;
  out += '"';
  return out;
}

}  // namespace oasgen
