// String formats, each a small hand-written parser of the grammar its RFC gives. Only ASCII is
// accepted where the grammars say DIGIT, ALPHA or HEXDIG.
#include <cfloat>
#include <cmath>
#include <cstdint>

#include "oasgen/validation.hpp"

namespace oasgen {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Exactly `count` digits at `pos`, as a number; -1 when they are not there.
int fixed_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// RFC 3339 full-date: YYYY-MM-DD with a day that exists.
bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = fixed_digits(text, 0, 4);
  int month = fixed_digits(text, 5, 2);
  int day = fixed_digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  return day <= days_in_month(year, month);
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM). Second 60 is a leap second, which only
// exists at 23:59 UTC.
bool is_time(std::string_view text) {
  if (text.size() < 9 || text[2] != ':' || text[5] != ':') return false;
  int hour = fixed_digits(text, 0, 2);
  int minute = fixed_digits(text, 3, 2);
  int second = fixed_digits(text, 6, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  std::size_t pos = 8;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == start) return false;
  }
  if (pos >= text.size()) return false;
  int offset_minutes = 0;
  char sign = text[pos];
  if (sign == 'Z' || sign == 'z') {
    if (pos + 1 != text.size()) return false;
  } else if (sign == '+' || sign == '-') {
    if (text.size() != pos + 6 || text[pos + 3] != ':') return false;
    int offset_hour = fixed_digits(text, pos + 1, 2);
    int offset_minute = fixed_digits(text, pos + 4, 2);
    if (offset_hour < 0 || offset_hour > 23 || offset_minute < 0 || offset_minute > 59)
      return false;
    offset_minutes = (offset_hour * 60 + offset_minute) * (sign == '+' ? 1 : -1);
  } else {
    return false;
  }
  if (second == 60) {
    int utc = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

bool is_date_time(std::string_view text) {
  if (text.size() < 11 || (text[10] != 'T' && text[10] != 't')) return false;
  return is_date(text.substr(0, 10)) && is_time(text.substr(11));
}

// ISO 8601 durations as JSON Schema's appendix gives them: P[nY][nM][nD][T[nH][nM][nS]] with at
// least one element (and at least one after T), or PnW alone.
bool is_duration(std::string_view text) {
  if (text.size() < 3 || text[0] != 'P') return false;
  std::size_t pos = 1;
  // Reads "<digits><unit>" for the next unit in `units` at or after `next`; returns false at the
  // end.
  auto elements = [&](std::string_view units, std::size_t& count) {
    std::size_t next = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      std::size_t start = pos;
      while (pos < text.size() && is_digit(text[pos])) ++pos;
      if (pos == text.size()) return false;
      std::size_t unit = units.find(text[pos], next);
      if (unit == std::string_view::npos || pos == start) return false;
      next = unit + 1;
      ++pos;
      ++count;
    }
    return true;
  };
  std::size_t week_count = 0;
  std::size_t save = pos;
  if (elements("W", week_count) && week_count == 1 && pos == text.size()) return true;
  pos = save;
  std::size_t date_count = 0;
  if (!elements("YMD", date_count)) return false;
  if (pos == text.size()) return date_count > 0;
  if (text[pos] != 'T') return false;
  ++pos;
  std::size_t time_count = 0;
  if (!elements("HMS", time_count)) return false;
  return pos == text.size() && time_count > 0;
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, each at most 63
// characters, at most 253 in all.
bool is_hostname(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('.', start);
    std::string_view label = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

// Dotted quad of decimal octets without leading zeros.
bool is_ipv4(std::string_view text) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('.', start);
    std::string_view part = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (part.empty() || part.size() > 3 || !all_digits(part)) return false;
    if (part.size() > 1 && part[0] == '0') return false;
    if (fixed_digits(part, 0, part.size()) > 255) return false;
    ++parts;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts == 4;
}

// RFC 4291 text forms: eight groups of 1-4 hex digits, at most one "::" standing for one or more
// zero groups, and optionally an IPv4 address in place of the last two groups.
bool is_ipv6(std::string_view text) {
  std::size_t gap = text.find("::");
  if (gap != std::string_view::npos && text.find("::", gap + 1) != std::string_view::npos) {
    return false;
  }
  // Counts the groups of one side of the gap; the last may be an IPv4 address when `last` is set.
  auto count_groups = [](std::string_view part, bool allow_ipv4, int& groups) {
    groups = 0;
    if (part.empty()) return true;
    std::size_t start = 0;
    while (true) {
      std::size_t end = part.find(':', start);
      std::string_view group =
          part.substr(start, end == std::string_view::npos ? end : end - start);
      if (end == std::string_view::npos && allow_ipv4 &&
          group.find('.') != std::string_view::npos) {
        if (!is_ipv4(group)) return false;
        groups += 2;
        return true;
      }
      if (group.empty() || group.size() > 4) return false;
      for (char c : group) {
        if (!is_hex(c)) return false;
      }
      ++groups;
      if (end == std::string_view::npos) return true;
      start = end + 1;
    }
  };
  int head = 0;
  int tail = 0;
  if (gap == std::string_view::npos) {
    return count_groups(text, true, head) && head == 8;
  }
  if (!count_groups(text.substr(0, gap), false, head)) return false;
  if (!count_groups(text.substr(gap + 2), true, tail)) return false;
  return head + tail <= 7;
}

bool is_unreserved(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_sub_delim(char c) {
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}

// Whether every character is unreserved, a sub-delim, one of `extra`, or a valid %XX escape.
bool uri_chars(std::string_view text, std::string_view extra) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) return false;
      i += 2;
    } else if (!is_unreserved(c) && !is_sub_delim(c) && extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// RFC 3986 IP-literal: "[" ( IPv6address / IPvFuture ) "]", given without the brackets.
bool is_ip_literal(std::string_view text) {
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) {
    std::size_t dot = text.find('.');
    if (dot == std::string_view::npos || dot < 2 || dot + 1 == text.size()) return false;
    for (std::size_t i = 1; i < dot; ++i) {
      if (!is_hex(text[i])) return false;
    }
    for (char c : text.substr(dot + 1)) {
      if (!is_unreserved(c) && !is_sub_delim(c) && c != ':') return false;
    }
    return true;
  }
  return is_ipv6(text);
}

// RFC 3986 authority: [userinfo "@"] host [":" port].
bool is_authority(std::string_view text) {
  std::size_t at = text.rfind('@');
  if (at != std::string_view::npos) {
    if (!uri_chars(text.substr(0, at), ":")) return false;
    text.remove_prefix(at + 1);
  }
  std::string_view host = text;
  if (!text.empty() && text[0] == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || !is_ip_literal(text.substr(1, close - 1))) return false;
    host = text.substr(0, close + 1);
    text.remove_prefix(close + 1);
    if (!text.empty() && text[0] != ':') return false;
  } else {
    std::size_t colon = text.find(':');
    host = text.substr(0, colon);
    text = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    if (!uri_chars(host, "")) return false;
  }
  if (!text.empty()) {
    std::string_view port = text.substr(1);
    for (char c : port) {
      if (!is_digit(c)) return false;
    }
  }
  return true;
}

// RFC 3986 URI (`require_scheme`) or URI-reference.
bool is_uri(std::string_view text, bool require_scheme) {
  std::size_t hash = text.find('#');
  if (hash != std::string_view::npos) {
    if (!uri_chars(text.substr(hash + 1), ":@/?")) return false;
    text = text.substr(0, hash);
  }
  std::size_t question = text.find('?');
  if (question != std::string_view::npos) {
    if (!uri_chars(text.substr(question + 1), ":@/?")) return false;
    text = text.substr(0, question);
  }
  std::size_t colon = text.find(':');
  std::size_t slash = text.find('/');
  bool has_scheme =
      colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash);
  if (has_scheme) {
    std::string_view scheme = text.substr(0, colon);
    if (scheme.empty() || !is_alpha(scheme[0])) return false;
    for (char c : scheme) {
      if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
    }
    text.remove_prefix(colon + 1);
  } else if (require_scheme) {
    return false;
  }
  // hier-part or relative-part: "//" authority path-abempty, or a path.
  if (text.substr(0, 2) == "//") {
    text.remove_prefix(2);
    std::size_t path = text.find('/');
    if (!is_authority(text.substr(0, path))) return false;
    text = path == std::string_view::npos ? std::string_view() : text.substr(path);
  }
  return uri_chars(text, ":@/");
}

// A pragmatic RFC 5321 Mailbox: a dot-atom or quoted-string local part, then a host name or an
// address literal ([192.0.2.1] or [IPv6:2001:db8::1]).
bool is_email(std::string_view text) {
  std::size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0) return false;
  std::string_view local = text.substr(0, at);
  std::string_view domain = text.substr(at + 1);
  if (local.size() > 64) return false;
  if (local.front() == '"') {
    if (local.size() < 2 || local.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      auto c = static_cast<unsigned char>(local[i]);
      if (c == '\\') {
        if (++i + 1 >= local.size() || local[i] < 32 || local[i] > 126) return false;
      } else if (c < 32 || c > 126 || c == '"') {
        return false;
      }
    }
  } else {
    static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
      return false;
    }
    for (char c : local) {
      if (!is_alpha(c) && !is_digit(c) && c != '.' && kAtext.find(c) == std::string_view::npos) {
        return false;
      }
    }
  }
  if (!domain.empty() && domain.front() == '[') {
    if (domain.back() != ']') return false;
    std::string_view literal = domain.substr(1, domain.size() - 2);
    if (literal.substr(0, 5) == "IPv6:") return is_ipv6(literal.substr(5));
    return is_ipv4(literal);
  }
  return is_hostname(domain);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

// RFC 4648 base64 with padding.
bool is_base64(std::string_view text) {
  if (text.size() % 4 != 0) return false;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    char c = text[i];
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '/') return false;
  }
  return true;
}

}  // namespace

bool matches_format(std::string_view text, Format format) {
  switch (format) {
    case Format::DateTime:
      return is_date_time(text);
    case Format::Date:
      return is_date(text);
    case Format::Time:
      return is_time(text);
    case Format::Duration:
      return is_duration(text);
    case Format::Email:
      return is_email(text);
    case Format::Hostname:
      return is_hostname(text);
    case Format::Ipv4:
      return is_ipv4(text);
    case Format::Ipv6:
      return is_ipv6(text);
    case Format::Uri:
      return is_uri(text, true);
    case Format::UriReference:
      return is_uri(text, false);
    case Format::Uuid:
      return is_uuid(text);
    case Format::Byte:
      return is_base64(text);
    case Format::Int32:
    case Format::Int64:
    case Format::Float:
    case Format::Double:
      return true;  // numeric formats constrain numbers only
  }
  return false;
}

bool value_matches_format(const nlohmann::json& value, Format format) {
  switch (format) {
    case Format::Int32:
    case Format::Int64: {
      const bool wide = format == Format::Int64;
      if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>() <= (wide ? 9223372036854775807ULL : 2147483647ULL);
      }
      if (value.is_number_integer()) {
        const auto number = value.get<std::int64_t>();
        return wide || (number >= -2147483648LL && number <= 2147483647LL);
      }
      if (value.is_number_float()) {
        // 1.0 is an integer in JSON Schema. 2^63 is the first double past INT64_MAX.
        const double number = value.get<double>();
        if (!std::isfinite(number) || std::floor(number) != number) return false;
        return wide ? number >= -9223372036854775808.0 && number < 9223372036854775808.0
                    : number >= -2147483648.0 && number <= 2147483647.0;
      }
      return true;
    }
    case Format::Float:
      return !value.is_number_float() || std::fabs(value.get<double>()) <= FLT_MAX;
    case Format::Double:
      return !value.is_number_float() || std::isfinite(value.get<double>());
    default:
      return !value.is_string() ||
             matches_format(std::string_view(value.get_ref<const std::string&>()), format);
  }
}

}  // namespace oasgen
