#include "oasgen/http.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <stdexcept>

namespace oasgen {

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Lengths first, inline: most fields of a list differ in length from the name looked for, and the
// middleware look up and replace several names in every response's list.
bool same_name(std::string_view field, std::string_view name) {
  return field.size() == name.size() && iequals(field, name);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool Headers::aliases(std::string_view text) const {
  const std::less<const char*> before;
  return !text.empty() && !before(text.data(), text_.data()) &&
         before(text.data(), text_.data() + text_.size());
}

void Headers::add(std::string_view name, std::string_view value) {
  // A view into this list (a field copied from it) would dangle once the text grows.
  if (aliases(name) || aliases(value)) {
    add(std::string(name), std::string(value));
    return;
  }
  if (text_.size() + name.size() + value.size() > UINT32_MAX) {
    throw std::length_error("header fields over 4 GiB");
  }
  // Room for what a response's middleware adds too (ids, CORS, rate limits): one allocation each.
  if (slots_.capacity() == 0) reserve(16, 512);
  const auto at = static_cast<std::uint32_t>(text_.size());
  text_.append(name).append(value);
  slots_.push_back({at, static_cast<std::uint32_t>(name.size()),
                    at + static_cast<std::uint32_t>(name.size()),
                    static_cast<std::uint32_t>(value.size())});
}

void Headers::set(std::string_view name, std::string_view value) {
  if (aliases(name) || aliases(value)) {
    set(std::string(name), std::string(value));
    return;
  }
  remove(name);
  add(name, value);
}

void Headers::remove(std::string_view name) {
  const auto removed = std::remove_if(slots_.begin(), slots_.end(), [&](const Slot& slot) {
    if (!same_name(field(slot).first, name)) return false;
    unused_ += slot.name_size + slot.value_size;
    return true;
  });
  slots_.erase(removed, slots_.end());
  // A list that is set over and over (a client's default fields) would otherwise only grow.
  if (unused_ > 1024 && unused_ > text_.size() / 2) compact();
}

void Headers::compact() {
  std::string text;
  text.reserve(text_.size() - unused_);
  for (Slot& slot : slots_) {
    const Field current = field(slot);
    slot.name_at = static_cast<std::uint32_t>(text.size());
    slot.value_at = slot.name_at + slot.name_size;
    text.append(current.first).append(current.second);
  }
  text_ = std::move(text);
  unused_ = 0;
}

void Headers::reserve(std::size_t count, std::size_t bytes) {
  slots_.reserve(count);
  text_.reserve(bytes);
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const Slot& slot : slots_) {
    const Field current = field(slot);
    if (same_name(current.first, name)) return current.second;
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const Slot& slot : slots_) {
    const Field current = field(slot);
    if (same_name(current.first, name)) values.push_back(current.second);
  }
  return values;
}

std::string_view Request::path() const {
  std::string_view view(target);
  return view.substr(0, view.find('?'));
}

std::string_view Request::query() const {
  std::string_view view(target);
  std::size_t mark = view.find('?');
  return mark == std::string_view::npos ? std::string_view() : view.substr(mark + 1);
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 423:
      return "Locked";
    case 424:
      return "Failed Dependency";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 507:
      return "Insufficient Storage";
    case 511:
      return "Network Authentication Required";
    default:
      return "Unknown Status";
  }
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace oasgen

namespace oasgen {

namespace detail {

void fill_random_hex(char* out, std::size_t digits) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < digits; i += 16) {
    std::uint64_t bits = generator();
    for (std::size_t j = i; j < i + 16 && j < digits; ++j, bits >>= 4) out[j] = kHex[bits & 15];
  }
}

}  // namespace detail

std::string random_hex(std::size_t digits) {
  char text[32];
  digits = std::min<std::size_t>(digits, sizeof text);
  detail::fill_random_hex(text, digits);
  return std::string(text, digits);
}

std::string TraceContext::traceparent() const {
  // version "00" (W3C Trace Context, section 3.2): version-traceid-parentid-flags.
  std::string out;
  out.reserve(55);
  out.append("00-").append(trace_id.view()).append(1, '-');
  out.append(span_id.empty() ? parent_id.view() : span_id.view()).append(1, '-').append(flags);
  return out;
}

}  // namespace oasgen
