// Support for generated validators. Generated code is a straight-line sequence of calls into
// `Validator`, one per schema keyword; every failure is collected with its JSON pointer.
//
//   void validate_pet(const nlohmann::json& json, oasgen::Validator& v) {
//     if (!v.type(json, oasgen::JsonType::Object)) return;
//     v.required(json, {"name"});
//     if (auto it = json.find("name"); it != json.end()) {
//       auto at = v.enter("name");
//       if (v.type(*it, oasgen::JsonType::String)) v.min_length(*it, 1);
//     }
//   }
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "oasgen/problem.hpp"

namespace oasgen {

/// JSON Schema types as a bit set, so that type sets (`type: [string, "null"]`) are one value.
/// `Integer` matches numbers with no fractional part; `Number` matches every number.
enum class JsonType : unsigned {
  Null = 1u << 0,
  Boolean = 1u << 1,
  Integer = 1u << 2,
  Number = 1u << 3,
  String = 1u << 4,
  Array = 1u << 5,
  Object = 1u << 6,
};
constexpr JsonType operator|(JsonType a, JsonType b) {
  return static_cast<JsonType>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has(JsonType set, JsonType t) {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(t)) != 0;
}
/// Whether `value` is of one of the types in `set`.
bool is_type(const nlohmann::json& value, JsonType set);

/// String formats checked by `Validator::format`.
enum class Format {
  DateTime, Date, Time, Duration, Email, Hostname, Ipv4, Ipv6, Uri, UriReference, Uuid, Byte,
};

/// A compiled ECMA-262 regular expression (PCRE2 underneath, with a match limit so that no pattern
/// can backtrack for long). Compile once, e.g. as a function-local static; `search` is thread-safe.
class Regex {
 public:
  /// Throws std::invalid_argument with PCRE2's message when the pattern does not compile.
  explicit Regex(std::string_view pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  /// Whether the pattern matches anywhere in `subject` (patterns are not implicitly anchored).
  bool search(std::string_view subject) const;
  const std::string& source() const { return source_; }

 private:
  struct Impl;
  std::string source_;
  std::unique_ptr<Impl> impl_;
};

/// Number of Unicode code points in UTF-8 text (what minLength/maxLength count).
std::size_t code_point_count(std::string_view utf8);

/// Whether `text` is valid for `format`.
bool matches_format(std::string_view text, Format format);

/// Collects validation failures, tracking the JSON pointer of the value being checked.
/// Methods that take a value assume `type()` already accepted it (e.g. `min_length` on a string).
class Validator {
 public:
  /// Default cap on collected errors; past it, checks keep running but errors are dropped.
  static constexpr std::size_t kDefaultMaxErrors = 100;

  explicit Validator(std::size_t max_errors = kDefaultMaxErrors);

  /// Restores the pointer (and location) when it goes out of scope.
  class Scope {
   public:
    Scope(Scope&& other) noexcept;
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Scope& operator=(Scope&&) = delete;
    ~Scope();
    /// Whether no error was reported since this scope was entered.
    bool ok() const;

   private:
    friend class Validator;
    Scope(Validator* validator, std::size_t pointer_size, Location location);
    Validator* validator_;
    std::size_t pointer_size_;
    Location location_;
    std::size_t errors_at_entry_;
  };

  /// Starts checking a new value at `location`, with an empty pointer. Top level only (the pointer
  /// must be empty; std::logic_error otherwise).
  [[nodiscard]] Scope enter(Location location);
  /// Starts checking a new value at `location` whose pointer begins with `name` (a parameter).
  /// Top level only, as `enter(Location)`.
  [[nodiscard]] Scope enter(Location location, std::string_view name);
  /// Descends into an object member (the name is escaped per RFC 6901).
  [[nodiscard]] Scope enter(std::string_view property);
  /// Descends into an array element.
  [[nodiscard]] Scope enter(std::size_t index);

  /// Records a failure at the current pointer.
  void fail(std::string_view keyword, std::string message);

  // Keyword checks. `type` returns whether the value has an allowed type; the others report and
  // return nothing, so generated code reads as a list of constraints.
  bool type(const nlohmann::json& value, JsonType allowed);
  void required(const nlohmann::json& object, std::initializer_list<std::string_view> names);
  void enum_strings(const nlohmann::json& value, std::initializer_list<std::string_view> allowed);
  /// `allowed` is a JSON array of the permitted values.
  void enum_values(const nlohmann::json& value, const nlohmann::json& allowed);
  void const_value(const nlohmann::json& value, const nlohmann::json& expected);
  void minimum(const nlohmann::json& number, double bound, bool exclusive = false);
  void maximum(const nlohmann::json& number, double bound, bool exclusive = false);
  void multiple_of(const nlohmann::json& number, double factor);
  void min_length(const nlohmann::json& string, std::size_t length);
  void max_length(const nlohmann::json& string, std::size_t length);
  void pattern(const nlohmann::json& string, const Regex& regex);
  void format(const nlohmann::json& string, Format format);
  void min_items(const nlohmann::json& array, std::size_t count);
  void max_items(const nlohmann::json& array, std::size_t count);
  void unique_items(const nlohmann::json& array);
  void min_properties(const nlohmann::json& object, std::size_t count);
  void max_properties(const nlohmann::json& object, std::size_t count);
  /// Reports every member of `object` whose name is not in `known` (additionalProperties: false).
  void no_additional_properties(const nlohmann::json& object,
                                std::initializer_list<std::string_view> known);

  bool ok() const { return errors_.empty() && dropped_ == 0; }
  std::size_t error_count() const { return errors_.size() + dropped_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  std::vector<FieldError> take_errors() { return std::move(errors_); }
  /// The pointer of the value being checked.
  const std::string& pointer() const { return pointer_; }
  Location location() const { return location_; }

 private:
  std::size_t max_errors_;
  std::size_t dropped_ = 0;
  Location location_ = Location::Body;
  std::string pointer_;
  std::vector<FieldError> errors_;
};

}  // namespace oasgen
