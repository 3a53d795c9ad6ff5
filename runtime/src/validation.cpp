#include "oasgen/validation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "oasgen/json_coding.hpp"
#include "validation_detail.hpp"

namespace oasgen {

namespace {

using json = nlohmann::json;

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
             (has(set, JsonType::Integer) && detail::is_integral_double(value.get<double>()));
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

void Validator::member_format(const json& object, std::string_view name, JsonType allowed,
                              Format format) {
  if (const auto* value = find_member(object, name)) {
    auto at = enter(name);
    if (type(*value, allowed)) this->format(*value, format);
  }
}

void Validator::member(const json& object, std::string_view name,
                       void (*validate)(const json&, Validator&)) {
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
  report("type",
         [&] { return "expected " + spell(allowed) + ", got " + std::string(type_name(value)); });
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

void Validator::never(const json& /*value*/) {
  report("false", [] { return std::string("no value is allowed here"); });
}

// readOnly and writeOnly are annotations in JSON Schema: they do not decide whether an alternative
// of anyOf/oneOf (or an `if`) matches, so inside a trial they are not checked; otherwise the
// members of the alternative they sit in would count as unevaluated as well.
void Validator::read_only(const json& /*value*/) {
  if (direction_ != Direction::Request || muted_ > 0) return;
  report("readOnly", [] { return std::string("is read-only and must not be sent in a request"); });
}

void Validator::write_only(const json& /*value*/) {
  if (direction_ != Direction::Response || muted_ > 0) return;
  report("writeOnly",
         [] { return std::string("is write-only and must not appear in a response"); });
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
