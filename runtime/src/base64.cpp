#include "base64.hpp"

#include <array>

namespace oasgen::detail {
namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string_view alphabet_of(Base64 alphabet) { return alphabet == Base64::Url ? kUrl : kStandard; }

}  // namespace

std::string base64_encode(std::string_view data, Base64 alphabet) {
  const std::string_view chars = alphabet_of(alphabet);
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t at) { return static_cast<unsigned>(static_cast<unsigned char>(data[at])); };
  for (; i + 2 < data.size(); i += 3) {
    const unsigned n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += {chars[n >> 18], chars[(n >> 12) & 63], chars[(n >> 6) & 63], chars[n & 63]};
  }
  const std::size_t rest = data.size() - i;
  if (rest > 0) {
    const unsigned n = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += chars[n >> 18];
    out += chars[(n >> 12) & 63];
    if (rest == 2) out += chars[(n >> 6) & 63];
    if (alphabet == Base64::Standard) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64 alphabet) {
  std::array<int, 256> value{};
  value.fill(-1);
  const std::string_view chars = alphabet_of(alphabet);
  for (std::size_t i = 0; i < chars.size(); ++i) value[static_cast<unsigned char>(chars[i])] = static_cast<int>(i);

  if (alphabet == Base64::Standard) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    text.remove_suffix(padding);
  }
  if (text.size() % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace oasgen::detail
