// Support for generated validators. Generated code is a straight-line sequence of calls into
// `Validator`, one per schema keyword; every failure is collected with its JSON pointer.
//
//   void validate_pet(const nlohmann::json& json, oasgen::Validator& v) {
//     if (!v.type(json, oasgen::JsonType::Object)) return;
//     v.required(json, {"name"});
//     if (const auto* it = oasgen::find_member(json, "name")) {  // oasgen/json_coding.hpp
//       auto at = v.enter("name");
//       if (v.type(*it, oasgen::JsonType::String)) v.min_length(*it, 1);
//     }
//     v.member_type(json, "tag", oasgen::JsonType::String);
//     v.member(json, "owner", validate_user);
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

/// What a string may hold: UTF-8 text, or any bytes (`format: binary`: a file's content arrives
/// as it is in a multipart or form body).
enum class Text { Utf8, Bytes };

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

/// Formats checked by `Validator::format`. The string formats apply to strings; Int32, Int64,
/// Float and Double to numbers (an integer in the signed 32/64-bit range; a number within the
/// finite range of a float/double). Other values pass whatever the format.
enum class Format {
  DateTime, Date, Time, Duration, Email, Hostname, Ipv4, Ipv6, Uri, UriReference, Uuid, Byte,
  Int32, Int64, Float, Double,
};

/// Which way a value travels, for readOnly and writeOnly: a readOnly property must not be sent in
/// a request (and is not required there), a writeOnly one must not appear in a response (and is
/// not required there). `Any` checks neither, as plain JSON Schema does.
enum class Direction { Any, Request, Response };

/// A compiled ECMA-262 regular expression (PCRE2 underneath, with a match limit so that no pattern
/// can backtrack for long). Compile once, e.g. as a function-local static; matching is thread-safe.
///
///   static const oasgen::Regex kSku("^[A-Z]{3}-\\d{4}$");
///   if (kSku.match(text) == oasgen::Regex::Result::LimitExceeded) { /* could not decide */ }
class Regex {
 public:
  /// A match can be cut short by the backtracking limits: then the answer is neither yes nor no.
  enum class Result { Match, NoMatch, LimitExceeded };

  /// Throws std::invalid_argument ("invalid regular expression at offset N: ...") when the
  /// pattern is not ECMA-262 or does not compile.
  explicit Regex(std::string_view pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  /// Whether the pattern matches anywhere in `subject` (patterns are not implicitly anchored).
  Result match(std::string_view subject) const;
  /// `match(subject) == Result::Match`: a match cut short by the limits counts as no match.
  bool search(std::string_view subject) const { return match(subject) == Result::Match; }
  const std::string& source() const { return source_; }

 private:
  struct Impl;
  std::string source_;
  std::unique_ptr<Impl> impl_;
};

/// The offset of the first byte of `text` that is not part of well-formed UTF-8 (RFC 3629: no
/// overlong forms, no surrogates, nothing past U+10FFFF), or npos.
std::size_t invalid_utf8_at(std::string_view text);

/// Whether `text` is well-formed UTF-8. `Validator::type` fails strings that are not: a parameter
/// or a form field with such bytes is rejected like a value of the wrong type.
inline bool is_utf8(std::string_view text) {
  return invalid_utf8_at(text) == std::string_view::npos;
}

/// Number of Unicode code points in UTF-8 text (what minLength/maxLength count).
std::size_t code_point_count(std::string_view utf8);

/// Whether `text` is valid for the string format `format` (true for the numeric formats).
bool matches_format(std::string_view text, Format format);
/// Whether `value` is valid for `format`: strings against string formats, numbers against numeric
/// ones; any other pairing is valid.
bool value_matches_format(const nlohmann::json& value, Format format);

/// Collects validation failures, tracking the JSON pointer of the value being checked.
/// Methods that take a value ignore values of other types (`min_length` passes a number), as JSON
/// Schema keywords do; generated code checks `type` first.
class Validator {
 public:
  /// Default cap on collected errors; past it, checks keep running but errors are dropped
  /// (`error_count()` still counts them).
  static constexpr std::size_t kDefaultMaxErrors = 100;

  explicit Validator(std::size_t max_errors = kDefaultMaxErrors);
  explicit Validator(Direction direction, std::size_t max_errors = kDefaultMaxErrors);

  /// Restores the pointer (and location) when it goes out of scope.
  class Scope {
   public:
    Scope(Scope&& other) noexcept;
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Scope& operator=(Scope&&) = delete;
    ~Scope();
    /// Whether no check failed since this scope was entered (inside a trial too).
    bool ok() const;

   private:
    friend class Validator;
    Scope(Validator* validator, std::size_t pointer_size, Location location);
    Validator* validator_;
    std::size_t pointer_size_;
    Location location_;
    std::size_t failures_at_entry_;
  };

  /// A speculative check (an alternative of anyOf/oneOf, the schema of not/if/contains): failures
  /// inside it are counted but not recorded, and `end()` tells whether there were any. Trials nest.
  ///
  ///   auto trial = v.trial();
  ///   validate_cat(json, v);
  ///   if (trial.end()) ++matched;
  class Trial {
   public:
    Trial(Trial&& other) noexcept;
    Trial(const Trial&) = delete;
    Trial& operator=(const Trial&) = delete;
    Trial& operator=(Trial&&) = delete;
    ~Trial();
    /// Stops muting; whether no check failed during the trial. Call once.
    bool end();

   private:
    friend class Validator;
    explicit Trial(Validator* validator);
    Validator* validator_;
    std::size_t failures_at_entry_;
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
  [[nodiscard]] Trial trial();

  /// Records a failure at the current pointer (only counts it inside a trial).
  void fail(std::string_view keyword, std::string message);

  // Keyword checks. `type` returns whether the value has an allowed type; the others report and
  // return nothing, so generated code reads as a list of constraints.
  bool type(const nlohmann::json& value, JsonType allowed, Text text = Text::Utf8);
  /// A member whose only check is its type: when `object` has the member `name`, enters it and
  /// checks its type. One call rather than a block per member (model files have thousands).
  void member_type(const nlohmann::json& object, std::string_view name, JsonType allowed);
  /// A member whose checks are its type and, when that holds, its format (`format: uri`,
  /// `date-time`: half the members of some APIs), in one call likewise.
  void member_format(const nlohmann::json& object, std::string_view name, JsonType allowed,
                     Format format);
  /// A member checked by a validate function: when `object` has the member `name`, enters it and
  /// calls `validate` on it.
  void member(const nlohmann::json& object, std::string_view name,
              void (*validate)(const nlohmann::json&, Validator&));
  void required(const nlohmann::json& object, std::initializer_list<std::string_view> names);
  /// `required` except when checking in `direction` (readOnly properties are not required in
  /// requests, writeOnly ones not in responses).
  void required_except(Direction direction, const nlohmann::json& object,
                       std::initializer_list<std::string_view> names);
  /// dependentRequired (and the array form of draft 4-7 `dependencies`): when `object` has
  /// `property`, it must have every one of `names`.
  void dependent_required(const nlohmann::json& object, std::string_view property,
                          std::initializer_list<std::string_view> names);
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
  void format(const nlohmann::json& value, Format format);
  void min_items(const nlohmann::json& array, std::size_t count);
  void max_items(const nlohmann::json& array, std::size_t count);
  void unique_items(const nlohmann::json& array);
  /// Items past the first `allowed` are not allowed (items/additionalItems: false).
  void no_additional_items(const nlohmann::json& array, std::size_t allowed);
  /// contains: `matched` items of the array matched the schema; min/maxContains bound them.
  void contains(const nlohmann::json& array, std::size_t matched, std::size_t min = 1,
                std::size_t max = static_cast<std::size_t>(-1));
  void min_properties(const nlohmann::json& object, std::size_t count);
  void max_properties(const nlohmann::json& object, std::size_t count);
  /// Reports every member of `object` whose name is not in `known` (additionalProperties: false).
  void no_additional_properties(const nlohmann::json& object,
                                std::initializer_list<std::string_view> known);
  /// The member at the current pointer, `name`, is not allowed (additionalProperties: false
  /// beside patternProperties).
  void additional_property(std::string_view name);
  /// The member at the current pointer, `name`, was evaluated by no keyword of its object's
  /// schema (unevaluatedProperties: false).
  void unevaluated_property(std::string_view name);
  /// Whether a member name matches a patternProperties pattern. A match cut short by the limits
  /// is reported (it cannot be decided) and counts as no match.
  bool name_matches(std::string_view name, const Regex& regex);
  /// The boolean schema `false`: `value`, whatever it is, is not valid here.
  void never(const nlohmann::json& value);
  /// readOnly: `value` fails when checking a request (outside trials: annotations do not decide a match).
  void read_only(const nlohmann::json& value);
  /// writeOnly: `value` fails when checking a response (outside trials, as read_only).
  void write_only(const nlohmann::json& value);
  /// anyOf: `matched` of its schemas matched.
  void any_of(std::size_t matched);
  /// oneOf: `matched` of its schemas matched (counting stops at 2).
  void one_of(std::size_t matched);
  /// not: whether the value matched the schema (then it fails).
  void not_schema(bool matched);

  /// Whether nothing failed (outside trials).
  bool ok() const { return errors_.empty() && dropped_ == 0; }
  /// Failures recorded or dropped past the cap (not those inside trials).
  std::size_t error_count() const { return errors_.size() + dropped_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  std::vector<FieldError> take_errors() { return std::move(errors_); }
  /// The pointer of the value being checked.
  const std::string& pointer() const { return pointer_; }
  Location location() const { return location_; }
  Direction direction() const { return direction_; }

 private:
  // Records unless muted; `message` is only built when the failure is recorded.
  template <typename MakeMessage>
  void report(std::string_view keyword, MakeMessage&& message);

  std::size_t max_errors_;
  Direction direction_ = Direction::Any;
  std::size_t dropped_ = 0;
  std::size_t failures_ = 0;  // every failure, recorded, dropped or muted
  std::size_t muted_ = 0;     // open trials
  Location location_ = Location::Body;
  std::string pointer_;
  std::vector<FieldError> errors_;
};

/// The discriminator value of `value`: its member `property` when `value` is an object and that
/// member a string; nullptr otherwise.
const std::string* discriminator_value(const nlohmann::json& value, std::string_view property);

/// Whether `name` is one of `names` (a declared property, beside patternProperties).
bool name_in(std::string_view name, std::initializer_list<std::string_view> names);

}  // namespace oasgen
