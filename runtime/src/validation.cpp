#include "oasgen/validation.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "regex_internal.hpp"

namespace oasgen {

namespace {

using json = nlohmann::json;

bool is_integral_double(double value) { return std::isfinite(value) && std::floor(value) == value; }

std::string_view type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "unknown";
  }
}

// "integer or null", "string, integer or null": the order reads naturally with null last.
std::string spell(JsonType set) {
  static constexpr std::pair<JsonType, std::string_view> kNames[] = {
      {JsonType::Boolean, "boolean"}, {JsonType::Integer, "integer"}, {JsonType::Number, "number"},
      {JsonType::String, "string"},   {JsonType::Array, "array"},     {JsonType::Object, "object"},
      {JsonType::Null, "null"},
  };
  std::vector<std::string_view> names;
  for (const auto& [type, name] : kNames) {
    // Every integer is a number, so "integer or number" would say nothing more than "number".
    if (type == JsonType::Integer && has(set, JsonType::Number)) continue;
    if (has(set, type)) names.push_back(name);
  }
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

// A bound as people write it: 100 rather than 100.0, 0.01 rather than 0.01000000000000000021.
std::string format_number(double value) {
  if (is_integral_double(value) && std::fabs(value) < 9223372036854775808.0) {
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

std::string quoted_list(std::initializer_list<std::string_view> values) {
  std::string text;
  for (std::string_view value : values) {
    if (!text.empty()) text += ", ";
    text += json(value).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return text;
}

// Appends "/name" with '~' and '/' escaped per RFC 6901.
void append_to_pointer(std::string& pointer, std::string_view name) {
  pointer += '/';
  for (char c : name) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

}  // namespace

bool is_type(const json& value, JsonType set) {
  switch (value.type()) {
    case json::value_t::null:
      return has(set, JsonType::Null);
    case json::value_t::boolean:
      return has(set, JsonType::Boolean);
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return has(set, JsonType::Integer) || has(set, JsonType::Number);
    case json::value_t::number_float:
      return has(set, JsonType::Number) ||
             (has(set, JsonType::Integer) && is_integral_double(value.get<double>()));
    case json::value_t::string:
      return has(set, JsonType::String);
    case json::value_t::array:
      return has(set, JsonType::Array);
    case json::value_t::object:
      return has(set, JsonType::Object);
    default:
      return false;
  }
}

std::size_t code_point_count(std::string_view utf8) {
  std::size_t count = 0;
  for (char c : utf8) {
    // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Validator::Validator(std::size_t max_errors) : max_errors_(max_errors) {}

Validator::Scope::Scope(Validator* validator, std::size_t pointer_size, Location location)
    : validator_(validator),
      pointer_size_(pointer_size),
      location_(location),
      errors_at_entry_(validator->error_count()) {}

Validator::Scope::Scope(Scope&& other) noexcept
    : validator_(other.validator_),
      pointer_size_(other.pointer_size_),
      location_(other.location_),
      errors_at_entry_(other.errors_at_entry_) {
  other.validator_ = nullptr;
}

Validator::Scope::~Scope() {
  if (validator_ == nullptr) return;
  validator_->pointer_.resize(pointer_size_);
  validator_->location_ = location_;
}

bool Validator::Scope::ok() const {
  return validator_ == nullptr || validator_->error_count() == errors_at_entry_;
}

Validator::Scope Validator::enter(Location location) {
  // A Scope restores the pointer by truncating it, so a new location can only start at the top.
  if (!pointer_.empty()) {
    throw std::logic_error("Validator::enter(Location) inside a value (pointer " + pointer_ + ")");
  }
  Scope scope(this, 0, location_);
  location_ = location;
  return scope;
}

Validator::Scope Validator::enter(Location location, std::string_view name) {
  Scope scope = enter(location);
  append_to_pointer(pointer_, name);
  return scope;
}

Validator::Scope Validator::enter(std::string_view property) {
  Scope scope(this, pointer_.size(), location_);
  append_to_pointer(pointer_, property);
  return scope;
}

Validator::Scope Validator::enter(std::size_t index) {
  Scope scope(this, pointer_.size(), location_);
  pointer_ += '/';
  pointer_ += std::to_string(index);
  return scope;
}

void Validator::fail(std::string_view keyword, std::string message) {
  if (errors_.size() >= max_errors_) {
    ++dropped_;
    return;
  }
  errors_.push_back(FieldError{location_, pointer_, std::string(keyword), std::move(message)});
}

bool Validator::type(const json& value, JsonType allowed) {
  if (is_type(value, allowed)) return true;
  fail("type", "expected " + spell(allowed) + ", got " + std::string(type_name(value)));
  return false;
}

void Validator::required(const json& object, std::initializer_list<std::string_view> names) {
  if (!object.is_object()) return;
  for (std::string_view name : names) {
    if (object.find(name) != object.end()) continue;
    auto at = enter(name);
    fail("required", "missing required property '" + std::string(name) + "'");
  }
}

void Validator::enum_strings(const json& value, std::initializer_list<std::string_view> allowed) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    for (std::string_view candidate : allowed) {
      if (text == candidate) return;
    }
  }
  fail("enum", "must be one of " + quoted_list(allowed));
}

void Validator::enum_values(const json& value, const json& allowed) {
  std::string list;
  for (const json& candidate : allowed) {
    if (value == candidate) return;
    if (!list.empty()) list += ", ";
    list += candidate.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  fail("enum", "must be one of " + list);
}

void Validator::const_value(const json& value, const json& expected) {
  if (value == expected) return;
  fail("const", "must be " + expected.dump(-1, ' ', false, json::error_handler_t::replace));
}

void Validator::minimum(const json& number, double bound, bool exclusive) {
  if (!number.is_number()) return;
  int order = compare(number, bound);
  if (exclusive && order <= 0) {
    fail("exclusiveMinimum", "must be > " + format_number(bound));
  } else if (!exclusive && order < 0) {
    fail("minimum", "must be >= " + format_number(bound));
  }
}

void Validator::maximum(const json& number, double bound, bool exclusive) {
  if (!number.is_number()) return;
  int order = compare(number, bound);
  if (exclusive && order >= 0) {
    fail("exclusiveMaximum", "must be < " + format_number(bound));
  } else if (!exclusive && order > 0) {
    fail("maximum", "must be <= " + format_number(bound));
  }
}

void Validator::multiple_of(const json& number, double factor) {
  if (!number.is_number() || !(factor > 0)) return;
  bool ok;
  if (number.is_number_integer() && is_integral_double(factor) && factor < 9223372036854775808.0) {
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
  if (!ok) fail("multipleOf", "must be a multiple of " + format_number(factor));
}

void Validator::min_length(const json& string, std::size_t length) {
  if (!string.is_string()) return;
  if (code_point_count(string.get_ref<const std::string&>()) < length) {
    fail("minLength", "must be at least " + plural(length, "character", "characters") + " long");
  }
}

void Validator::max_length(const json& string, std::size_t length) {
  if (!string.is_string()) return;
  if (code_point_count(string.get_ref<const std::string&>()) > length) {
    fail("maxLength", "must be at most " + plural(length, "character", "characters") + " long");
  }
}

void Validator::pattern(const json& string, const Regex& regex) {
  if (!string.is_string()) return;
  if (regex.search(string.get_ref<const std::string&>())) return;
  if (detail::last_search_outcome() == detail::MatchOutcome::LimitExceeded) {
    fail("pattern", "pattern could not be evaluated within limits");
  } else {
    fail("pattern", "must match the pattern " + regex.source());
  }
}

void Validator::format(const json& string, Format format) {
  if (!string.is_string()) return;
  if (!matches_format(string.get_ref<const std::string&>(), format)) {
    fail("format", "must be a valid " + std::string(format_name(format)));
  }
}

void Validator::min_items(const json& array, std::size_t count) {
  if (!array.is_array()) return;
  if (array.size() < count)
    fail("minItems", "must have at least " + plural(count, "item", "items"));
}

void Validator::max_items(const json& array, std::size_t count) {
  if (!array.is_array()) return;
  if (array.size() > count) fail("maxItems", "must have at most " + plural(count, "item", "items"));
}

void Validator::unique_items(const json& array) {
  if (!array.is_array()) return;
  // Buckets by hash keep this linear for large arrays; equality decides within a bucket.
  std::unordered_multimap<std::size_t, std::size_t> seen;
  for (std::size_t j = 0; j < array.size(); ++j) {
    std::size_t hash = hash_value(array[j]);
    auto [first, last] = seen.equal_range(hash);
    std::size_t duplicate = j;
    for (auto it = first; it != last; ++it) {
      if (it->second < duplicate && array[it->second] == array[j]) duplicate = it->second;
    }
    if (duplicate != j) {
      fail("uniqueItems",
           "items " + std::to_string(duplicate) + " and " + std::to_string(j) + " are equal");
      return;
    }
    seen.emplace(hash, j);
  }
}

void Validator::min_properties(const json& object, std::size_t count) {
  if (!object.is_object()) return;
  if (object.size() < count) {
    fail("minProperties", "must have at least " + plural(count, "property", "properties"));
  }
}

void Validator::max_properties(const json& object, std::size_t count) {
  if (!object.is_object()) return;
  if (object.size() > count) {
    fail("maxProperties", "must have at most " + plural(count, "property", "properties"));
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
    fail("additionalProperties", "unexpected property '" + it.key() + "'");
  }
}

}  // namespace oasgen
