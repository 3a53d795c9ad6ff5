#include "oasgen/validation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "oasgen/json_coding.hpp"

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

std::size_t invalid_utf8_at(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  for (const auto* p = begin; p < end;) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (*p >= 0xC2 && *p <= 0xDF) {
      length = 2;
    } else if (*p >= 0xE0 && *p <= 0xEF) {
      length = 3;
      if (*p == 0xE0) low = 0xA0;
      if (*p == 0xED) high = 0x9F;
    } else if (*p >= 0xF0 && *p <= 0xF4) {
      length = 4;
      if (*p == 0xF0) low = 0x90;
      if (*p == 0xF4) high = 0x8F;
    } else {
      return static_cast<std::size_t>(p - begin);
    }
    if (static_cast<std::size_t>(end - p) < length || p[1] < low || p[1] > high) {
      return static_cast<std::size_t>(p - begin);
    }
    for (std::size_t k = 2; k < length; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return static_cast<std::size_t>(p - begin);
    }
    p += length;
  }
  return std::string_view::npos;
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

Validator::Validator(Direction direction, std::size_t max_errors)
    : max_errors_(max_errors), direction_(direction) {}

Validator::Scope::Scope(Validator* validator, std::size_t pointer_size, Location location)
    : validator_(validator),
      pointer_size_(pointer_size),
      location_(location),
      failures_at_entry_(validator->failures_) {}

Validator::Scope::Scope(Scope&& other) noexcept
    : validator_(other.validator_),
      pointer_size_(other.pointer_size_),
      location_(other.location_),
      failures_at_entry_(other.failures_at_entry_) {
  other.validator_ = nullptr;
}

Validator::Scope::~Scope() {
  if (validator_ == nullptr) return;
  validator_->pointer_.resize(pointer_size_);
  validator_->location_ = location_;
}

bool Validator::Scope::ok() const {
  return validator_ == nullptr || validator_->failures_ == failures_at_entry_;
}

Validator::Trial::Trial(Validator* validator)
    : validator_(validator), failures_at_entry_(validator->failures_) {
  ++validator_->muted_;
}

Validator::Trial::Trial(Trial&& other) noexcept
    : validator_(other.validator_), failures_at_entry_(other.failures_at_entry_) {
  other.validator_ = nullptr;
}

Validator::Trial::~Trial() { (void)end(); }

bool Validator::Trial::end() {
  if (validator_ == nullptr) return false;
  --validator_->muted_;
  const bool passed = validator_->failures_ == failures_at_entry_;
  // The trial's failures are its own: what they decide is reported by the caller (anyOf, not, ...)
  // and must not count against an enclosing trial or scope.
  validator_->failures_ = failures_at_entry_;
  validator_ = nullptr;
  return passed;
}

Validator::Trial Validator::trial() { return Trial(this); }

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

void Validator::member_type(const json& object, std::string_view name, JsonType allowed) {
  if (const auto* value = find_member(object, name)) {
    auto at = enter(name);
    type(*value, allowed);
  }
}

void Validator::member(const json& object, std::string_view name, void (*validate)(const json&, Validator&)) {
  if (const auto* value = find_member(object, name)) {
    auto at = enter(name);
    validate(*value, *this);
  }
}

Validator::Scope Validator::enter(std::size_t index) {
  Scope scope(this, pointer_.size(), location_);
  pointer_ += '/';
  pointer_ += std::to_string(index);
  return scope;
}

template <typename MakeMessage>
void Validator::report(std::string_view keyword, MakeMessage&& message) {
  ++failures_;
  // Inside a trial only the count matters: no message is built, nothing is allocated.
  if (muted_ > 0) return;
  if (errors_.size() >= max_errors_) {
    ++dropped_;
    return;
  }
  FieldError error{location_, pointer_, std::string(keyword), message()};
  // allOf parts can find the same fault (each checks the type, say): say it once.
  for (const FieldError& known : errors_) {
    if (known.pointer == error.pointer && known.keyword == error.keyword &&
        known.message == error.message && known.location == error.location) {
      return;
    }
  }
  errors_.push_back(std::move(error));
}

void Validator::fail(std::string_view keyword, std::string message) {
  report(keyword, [&] { return std::move(message); });
}

bool Validator::type(const json& value, JsonType allowed, Text text) {
  if (is_type(value, allowed)) {
    // JSON text that parsed is valid UTF-8; parameters and form fields are bytes off the wire.
    if (text == Text::Utf8 && value.is_string() && !is_utf8(value.get_ref<const std::string&>())) {
      report("type", [] { return std::string("must be valid UTF-8 text"); });
      return false;
    }
    return true;
  }
  report("type", [&] { return "expected " + spell(allowed) + ", got " + std::string(type_name(value)); });
  return false;
}

void Validator::required(const json& object, std::initializer_list<std::string_view> names) {
  if (!object.is_object()) return;
  for (std::string_view name : names) {
    if (object.find(name) != object.end()) continue;
    auto at = enter(name);
    report("required", [&] { return "missing required property '" + std::string(name) + "'"; });
  }
}

void Validator::required_except(Direction direction, const json& object,
                                std::initializer_list<std::string_view> names) {
  if (direction_ != direction) required(object, names);
}

void Validator::dependent_required(const json& object, std::string_view property,
                                   std::initializer_list<std::string_view> names) {
  if (!object.is_object() || object.find(property) == object.end()) return;
  for (std::string_view name : names) {
    if (object.find(name) != object.end()) continue;
    auto at = enter(name);
    report("dependentRequired", [&] {
      return "missing property '" + std::string(name) + "', required when '" +
             std::string(property) + "' is present";
    });
  }
}

void Validator::enum_strings(const json& value, std::initializer_list<std::string_view> allowed) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    for (std::string_view candidate : allowed) {
      if (text == candidate) return;
    }
  }
  report("enum", [&] { return "must be one of " + quoted_list(allowed); });
}

void Validator::enum_values(const json& value, const json& allowed) {
  for (const json& candidate : allowed) {
    if (value == candidate) return;
  }
  report("enum", [&] {
    std::string list;
    for (const json& candidate : allowed) {
      if (!list.empty()) list += ", ";
      list += candidate.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return "must be one of " + list;
  });
}

void Validator::const_value(const json& value, const json& expected) {
  if (value == expected) return;
  report("const", [&] {
    return "must be " + expected.dump(-1, ' ', false, json::error_handler_t::replace);
  });
}

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
    report("minProperties", [&] {
      return "must have at least " + plural(count, "property", "properties");
    });
  }
}

void Validator::max_properties(const json& object, std::size_t count) {
  if (!object.is_object()) return;
  if (object.size() > count) {
    report("maxProperties", [&] {
      return "must have at most " + plural(count, "property", "properties");
    });
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
    return "unexpected property '" + std::string(name) + "': no applicable part of the schema declares it";
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

void Validator::never(const json& /*value*/) {
  report("false", [] { return std::string("no value is allowed here"); });
}

// readOnly and writeOnly are annotations in JSON Schema: they do not decide whether an alternative of
// anyOf/oneOf (or an `if`) matches, so inside a trial they are not checked; otherwise the members of
// the alternative they sit in would count as unevaluated as well.
void Validator::read_only(const json& /*value*/) {
  if (direction_ != Direction::Request || muted_ > 0) return;
  report("readOnly", [] { return std::string("is read-only and must not be sent in a request"); });
}

void Validator::write_only(const json& /*value*/) {
  if (direction_ != Direction::Response || muted_ > 0) return;
  report("writeOnly", [] { return std::string("is write-only and must not appear in a response"); });
}

void Validator::any_of(std::size_t matched) {
  if (matched > 0) return;
  report("anyOf", [] { return std::string("must match at least one schema of anyOf"); });
}

void Validator::one_of(std::size_t matched) {
  if (matched == 1) return;
  report("oneOf", [&] {
    return matched == 0 ? std::string("must match exactly one schema of oneOf, matched none")
                        : std::string("must match exactly one schema of oneOf, matched several");
  });
}

void Validator::not_schema(bool matched) {
  if (!matched) return;
  report("not", [] { return std::string("must not match the schema of not"); });
}

const std::string* discriminator_value(const json& value, std::string_view property) {
  if (!value.is_object()) return nullptr;
  auto it = value.find(property);
  if (it == value.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

bool name_in(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

}  // namespace oasgen
