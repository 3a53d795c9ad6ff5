// The keywords that check one value against a bound, a pattern or a format (numbers, strings,
// arrays, objects), and how their messages spell numbers and names. The validator's scopes, trials
// and type checks are in validation.cpp.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <unordered_map>

#include "oasgen/validation.hpp"
#include "validation_detail.hpp"

namespace oasgen {

namespace {

using json = nlohmann::json;

// A bound as people write it: 100 rather than 100.0, 0.01 rather than 0.01000000000000000021.
std::string format_number(double value) {
  if (detail::is_integral_double(value) && std::fabs(value) < 9223372036854775808.0) {
    return std::to_string(static_cast<long long>(value));
  }
  return json(value).dump();
}

// Compares a JSON number with a double exactly where the number is an integer: -1, 0 or 1.
int compare(const json& number, double bound) {
  constexpr double kTwo63 = 9223372036854775808.0;
  constexpr double kTwo64 = 18446744073709551616.0;
  if (number.is_number_integer() && !number.is_number_unsigned()) {
    auto value = number.get<std::int64_t>();
    if (bound >= kTwo63) return -1;
    if (bound < -kTwo63) return 1;
    double floor_bound = std::floor(bound);
    auto whole = static_cast<std::int64_t>(floor_bound);
    if (value != whole) return value < whole ? -1 : 1;
    return floor_bound == bound ? 0 : -1;
  }
  if (number.is_number_unsigned()) {
    auto value = number.get<std::uint64_t>();
    if (bound < 0) return 1;
    if (bound >= kTwo64) return -1;
    double floor_bound = std::floor(bound);
    auto whole = static_cast<std::uint64_t>(floor_bound);
    if (value != whole) return value < whole ? -1 : 1;
    return floor_bound == bound ? 0 : -1;
  }
  double value = number.get<double>();
  return value < bound ? -1 : (value > bound ? 1 : 0);
}

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::DateTime:
      return "date-time";
    case Format::Date:
      return "date";
    case Format::Time:
      return "time";
    case Format::Duration:
      return "duration";
    case Format::Email:
      return "email";
    case Format::Hostname:
      return "hostname";
    case Format::Ipv4:
      return "ipv4";
    case Format::Ipv6:
      return "ipv6";
    case Format::Uri:
      return "uri";
    case Format::UriReference:
      return "uri-reference";
    case Format::Uuid:
      return "uuid";
    case Format::Byte:
      return "byte";
    case Format::Int32:
      return "int32";
    case Format::Int64:
      return "int64";
    case Format::Float:
      return "float";
    case Format::Double:
      return "double";
  }
  return "format";
}

// A hash consistent with json's operator==, under which 1, 1u and 1.0 are equal.
std::size_t hash_value(const json& value) {
  auto combine = [](std::size_t seed, std::size_t h) {
    return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  };
  switch (value.type()) {
    case json::value_t::boolean:
      return std::hash<bool>{}(value.get<bool>()) + 1;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return std::hash<double>{}(value.get<double>());
    case json::value_t::string:
      return std::hash<std::string>{}(value.get_ref<const std::string&>());
    case json::value_t::array: {
      std::size_t seed = 0x61;
      for (const json& item : value) seed = combine(seed, hash_value(item));
      return seed;
    }
    case json::value_t::object: {
      std::size_t seed = 0x6f;
      for (auto it = value.begin(); it != value.end(); ++it) {
        seed = combine(seed, std::hash<std::string>{}(it.key()));
        seed = combine(seed, hash_value(it.value()));
      }
      return seed;
    }
    default:
      return 0;
  }
}

}  // namespace

void Validator::minimum(const json& number, double bound, bool exclusive) {
  if (!number.is_number()) return;
  int order = compare(number, bound);
  if (exclusive && order <= 0) {
    report("exclusiveMinimum", [&] { return "must be > " + format_number(bound); });
  } else if (!exclusive && order < 0) {
    report("minimum", [&] { return "must be >= " + format_number(bound); });
  }
}

void Validator::maximum(const json& number, double bound, bool exclusive) {
  if (!number.is_number()) return;
  int order = compare(number, bound);
  if (exclusive && order >= 0) {
    report("exclusiveMaximum", [&] { return "must be < " + format_number(bound); });
  } else if (!exclusive && order > 0) {
    report("maximum", [&] { return "must be <= " + format_number(bound); });
  }
}

void Validator::multiple_of(const json& number, double factor) {
  if (!number.is_number() || !(factor > 0)) return;
  bool ok;
  if (number.is_number_integer() && detail::is_integral_double(factor) &&
      factor < 9223372036854775808.0) {
    auto divisor = static_cast<std::uint64_t>(factor);
    if (number.is_number_unsigned()) {
      ok = number.get<std::uint64_t>() % divisor == 0;
    } else {
      // The magnitude of INT64_MIN does not fit an int64; as uint64 it does.
      auto value = number.get<std::int64_t>();
      std::uint64_t magnitude =
          value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
      ok = magnitude % divisor == 0;
    }
  } else {
    // 0.3 / 0.1 is 2.9999999999999996 in binary floating point: accept a quotient within a
    // relative tolerance of a whole number.
    double quotient = number.get<double>() / factor;
    if (!std::isfinite(quotient)) {
      ok = false;
    } else {
      ok = std::fabs(quotient - std::round(quotient)) <= 1e-12 * std::max(1.0, std::fabs(quotient));
    }
  }
  if (!ok) report("multipleOf", [&] { return "must be a multiple of " + format_number(factor); });
}

void Validator::min_length(const json& string, std::size_t length) {
  if (!string.is_string()) return;
  if (code_point_count(string.get_ref<const std::string&>()) < length) {
    report("minLength", [&] {
      return "must be at least " + plural(length, "character", "characters") + " long";
    });
  }
}

void Validator::max_length(const json& string, std::size_t length) {
  if (!string.is_string()) return;
  if (code_point_count(string.get_ref<const std::string&>()) > length) {
    report("maxLength", [&] {
      return "must be at most " + plural(length, "character", "characters") + " long";
    });
  }
}

void Validator::pattern(const json& string, const Regex& regex) {
  if (!string.is_string()) return;
  switch (regex.match(string.get_ref<const std::string&>())) {
    case Regex::Result::Match:
      return;
    case Regex::Result::NoMatch:
      report("pattern", [&] { return "must match the pattern " + regex.source(); });
      return;
    case Regex::Result::LimitExceeded:
      report("pattern", [] { return std::string("pattern could not be evaluated within limits"); });
      return;
  }
}

void Validator::format(const json& value, Format format) {
  if (value_matches_format(value, format)) return;
  report("format", [&] {
    switch (format) {
      case Format::Int32:
        return std::string("must be an integer from -2147483648 to 2147483647");
      case Format::Int64:
        return std::string("must be an integer from -9223372036854775808 to 9223372036854775807");
      case Format::Float:
        return std::string("must be within the range of a float");
      case Format::Double:
        return std::string("must be within the range of a double");
      default:
        return "must be a valid " + std::string(format_name(format));
    }
  });
}

void Validator::min_items(const json& array, std::size_t count) {
  if (!array.is_array()) return;
  if (array.size() < count) {
    report("minItems", [&] { return "must have at least " + plural(count, "item", "items"); });
  }
}

void Validator::max_items(const json& array, std::size_t count) {
  if (!array.is_array()) return;
  if (array.size() > count) {
    report("maxItems", [&] { return "must have at most " + plural(count, "item", "items"); });
  }
}

void Validator::unique_items(const json& array) {
  if (!array.is_array() || array.size() < 2) return;
  if (array.size() <= 16) {
    // Few items: comparing every pair costs less than building a table.
    for (std::size_t j = 1; j < array.size(); ++j) {
      for (std::size_t k = 0; k < j; ++k) {
        if (array[k] == array[j]) {
          report("uniqueItems", [&] {
            return "items " + std::to_string(k) + " and " + std::to_string(j) + " are equal";
          });
          return;
        }
      }
    }
    return;
  }
  // Buckets by hash keep this linear for large arrays; equality decides within a bucket.
  std::unordered_multimap<std::size_t, std::size_t> seen;
  seen.reserve(array.size());
  for (std::size_t j = 0; j < array.size(); ++j) {
    std::size_t hash = hash_value(array[j]);
    auto [first, last] = seen.equal_range(hash);
    std::size_t duplicate = j;
    for (auto it = first; it != last; ++it) {
      if (it->second < duplicate && array[it->second] == array[j]) duplicate = it->second;
    }
    if (duplicate != j) {
      report("uniqueItems", [&] {
        return "items " + std::to_string(duplicate) + " and " + std::to_string(j) + " are equal";
      });
      return;
    }
    seen.emplace(hash, j);
  }
}

void Validator::no_additional_items(const json& array, std::size_t allowed) {
  if (!array.is_array() || array.size() <= allowed) return;
  auto at = enter(allowed);
  report("items", [&] { return "must have at most " + plural(allowed, "item", "items"); });
}

void Validator::contains(const json& array, std::size_t matched, std::size_t min, std::size_t max) {
  if (!array.is_array()) return;
  if (matched < min) {
    report(min == 1 ? "contains" : "minContains", [&] {
      return "must contain at least " + plural(min, "item", "items") + " matching the schema";
    });
  } else if (matched > max) {
    report("maxContains", [&] {
      return "must contain at most " + plural(max, "item", "items") + " matching the schema";
    });
  }
}

void Validator::min_properties(const json& object, std::size_t count) {
  if (!object.is_object()) return;
  if (object.size() < count) {
    report("minProperties",
           [&] { return "must have at least " + plural(count, "property", "properties"); });
  }
}

void Validator::max_properties(const json& object, std::size_t count) {
  if (!object.is_object()) return;
  if (object.size() > count) {
    report("maxProperties",
           [&] { return "must have at most " + plural(count, "property", "properties"); });
  }
}

void Validator::no_additional_properties(const json& object,
                                         std::initializer_list<std::string_view> known) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool is_known = false;
    for (std::string_view name : known) {
      if (it.key() == name) {
        is_known = true;
        break;
      }
    }
    if (is_known) continue;
    auto at = enter(it.key());
    additional_property(it.key());
  }
}

void Validator::additional_property(std::string_view name) {
  report("additionalProperties", [&] { return "unexpected property '" + std::string(name) + "'"; });
}

void Validator::unevaluated_property(std::string_view name) {
  report("unevaluatedProperties", [&] {
    return "unexpected property '" + std::string(name) +
           "': no applicable part of the schema declares it";
  });
}

bool Validator::name_matches(std::string_view name, const Regex& regex) {
  switch (regex.match(name)) {
    case Regex::Result::Match:
      return true;
    case Regex::Result::NoMatch:
      return false;
    case Regex::Result::LimitExceeded:
      report("patternProperties", [&] {
        return "the name could not be matched against " + regex.source() + " within limits";
      });
      return false;
  }
  return false;
}

}  // namespace oasgen
