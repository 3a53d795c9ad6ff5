// Who the client is behind trusted proxies: RFC 7239 `Forwarded` and `X-Forwarded-For`.
#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

#include "oasgen/middleware/rate_limit.hpp"

namespace oasgen {
namespace {

// An address as 16 bytes (IPv4 as ::ffff:a.b.c.d, so that both spellings of one match).
std::optional<std::array<unsigned char, 16>> parse_ip(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN] = {};
  std::memcpy(buffer, text.data(), text.size());
  std::array<unsigned char, 16> out{};
  unsigned char v4[4];
  if (inet_pton(AF_INET, buffer, v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, v4, 4);
    return out;
  }
  if (inet_pton(AF_INET6, buffer, out.data()) == 1) return out;
  return std::nullopt;
}

// Whether `text` is an IPv4 address as inet_ntop writes it: four decimal numbers up to 255,
// without leading zeros. The usual peer address, taken as it is without a round trip through
// inet_pton and inet_ntop.
bool is_canonical_v4(std::string_view text) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    unsigned value = 0;
    while (i < text.size() && i - start < 4 && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    const std::size_t length = i - start;
    if (length == 0 || length > 3 || value > 255 || (length > 1 && text[start] == '0')) return false;
    if (++parts == 4) return i == text.size();
    if (i == text.size() || text[i] != '.') return false;
    ++i;
  }
}

// One spelling per address ("::FFFF:10.0.0.1" and "10.0.0.1" are one caller); other text as is.
std::string canonical(std::string_view text) {
  if (is_canonical_v4(text)) return std::string(text);
  const auto bytes = parse_ip(text);
  if (!bytes) return std::string(text);
  char buffer[INET6_ADDRSTRLEN] = {};
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes->data(), kMapped, 12) == 0) {
    inet_ntop(AF_INET, bytes->data() + 12, buffer, sizeof buffer);
  } else {
    inet_ntop(AF_INET6, bytes->data(), buffer, sizeof buffer);
  }
  return buffer;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "[v6]:port", "[v6]", "v4:port", "v4", "v6": the address alone.
std::string_view strip_port(std::string_view node) {
  if (!node.empty() && node.front() == '[') {
    const std::size_t close = node.find(']');
    return close == std::string_view::npos ? node : node.substr(1, close - 1);
  }
  const std::size_t colon = node.find(':');
  if (colon != std::string_view::npos && node.find(':', colon + 1) == std::string_view::npos) {
    return node.substr(0, colon);  // one colon: v4 with a port
  }
  return node;
}

// Splits on `separator` outside quoted strings.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) quoted = !quoted;
    if (text[i] == separator && !quoted) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(text.substr(start));
  return out;
}

// The `for=` nodes of every `Forwarded` element, first hop first (RFC 7239 section 4). An element
// without `for=` still counts as a hop (as "unknown"), so that positions stay right.
std::vector<std::string> forwarded_for(const Request& request) {
  std::vector<std::string> out;
  for (std::string_view field : request.headers.get_all("Forwarded")) {
    for (std::string_view element : split(field, ',')) {
      std::string node = "unknown";
      for (std::string_view pair : split(element, ';')) {
        pair = trim(pair);
        const std::size_t equals = pair.find('=');
        if (equals == std::string_view::npos || !iequals(trim(pair.substr(0, equals)), "for"))
          continue;
        std::string_view value = trim(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        node = std::string(strip_port(value));
      }
      out.push_back(std::move(node));
    }
  }
  return out;
}

std::vector<std::string> x_forwarded_for(const Request& request) {
  std::vector<std::string> out;
  for (std::string_view field : request.headers.get_all("X-Forwarded-For")) {
    for (std::string_view node : split(field, ',')) {
      node = trim(node);
      out.emplace_back(node.empty() ? std::string_view("unknown") : strip_port(node));
    }
  }
  return out;
}

}  // namespace

AddressSet::AddressSet(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) {
    const std::size_t slash = entry.find('/');
    const auto address = parse_ip(std::string_view(entry).substr(0, slash));
    if (!address) throw std::invalid_argument("not an IP address or CIDR range: '" + entry + "'");
    Range range;
    range.bytes = *address;
    const bool v4 = entry.find(':') == std::string::npos;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      const unsigned most = v4 ? 32 : 128;
      if (bits.empty() || bits.size() > 3 ||
          bits.find_first_not_of("0123456789") != std::string::npos ||
          static_cast<unsigned>(std::stoul(bits)) > most) {
        throw std::invalid_argument("not an IP address or CIDR range: '" + entry + "'");
      }
      range.prefix = static_cast<unsigned>(std::stoul(bits)) + (v4 ? 96 : 0);
    }
    ranges_.push_back(range);
  }
}

bool AddressSet::contains(std::string_view address) const {
  const auto bytes = parse_ip(address);
  if (!bytes) return false;
  for (const Range& range : ranges_) {
    unsigned bits = range.prefix;
    bool match = true;
    for (std::size_t i = 0; i < 16 && bits > 0 && match; ++i, bits = bits >= 8 ? bits - 8 : 0) {
      const auto mask = static_cast<unsigned char>(bits >= 8 ? 0xff : 0xff << (8 - bits));
      match = ((*bytes)[i] & mask) == (range.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string client_address(const Request& request, const AddressSet& trusted_proxies) {
  std::string peer = canonical(strip_port(request.remote_address));
  if (trusted_proxies.empty() || !trusted_proxies.contains(peer)) return peer;
  std::vector<std::string> hops = forwarded_for(request);
  if (hops.empty()) hops = x_forwarded_for(request);
  if (hops.empty()) return peer;
  // Right to left: each trusted proxy vouches for the hop before it; the first hop no trusted
  // proxy added is the client as far as we can tell.
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!trusted_proxies.contains(*it)) return canonical(*it);
  }
  return canonical(hops.front());
}

}  // namespace oasgen
