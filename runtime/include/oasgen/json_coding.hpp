// Converting generated types to and from nlohmann::json with code shared across types.
//
// The generated `adl_serializer<T>` bodies call these rather than `json["name"] = value.name` and
// `json.at("name").get_to(value.name)`: nlohmann's conversions are templates instantiated per
// field type and its key lookups per string-literal length, which made them most of the compile
// time of a model file (issue 19). The scalar conversions here are compiled once in the runtime
// and call nlohmann's own, so values and exceptions (`type_error` 302 for a mistyped value, 304
// and `out_of_range` 403 from `member_at`) are exactly nlohmann's. Containers and optionals are
// thin templates over them; any other type goes to its `adl_serializer`.
//
//   void adl_serializer<api::Pet>::from_json(const json& json, api::Pet& value) {
//     oasgen::decode_json(oasgen::member_at(json, "name"), value.name);
//     if (const auto* member = oasgen::find_member(json, "tag")) oasgen::decode_json(*member, value.tag);
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "oasgen/json.hpp"
#include "oasgen/optional.hpp"

namespace oasgen {

/// The member `key` of `object`, or nullptr when it has none or is not an object (as `find`).
const nlohmann::json* find_member(const nlohmann::json& object, std::string_view key);
/// Whether `object` is an object with the member `key` (as `contains`).
bool has_member(const nlohmann::json& object, std::string_view key);
/// The member `key` of `object`, throwing what `at` throws: type_error 304 when `object` is not an
/// object, out_of_range 403 when the member is missing.
const nlohmann::json& member_at(const nlohmann::json& object, std::string_view key);
/// The string `value` holds, throwing what `get_ref<const std::string&>` throws (type_error 303).
const std::string& string_ref(const nlohmann::json& value);
/// The member `key` of `object` (null if new), as `operator[]`: a null `object` becomes an object.
nlohmann::json& add_member(nlohmann::json& object, std::string_view key);

/// How a `T` is read from and written to nlohmann::json: `static void decode(const json&, T&)`,
/// what `json.get_to(value)` does, and `static void encode(json&, const T&)`, what `json = value`
/// does. A class rather than overloads, so that a call is a specialization lookup, not overload
/// resolution among them all. Generated types (and anything else) use their `adl_serializer`.
template <typename T>
struct JsonCoding {
  static void decode(const nlohmann::json& json, T& value) { nlohmann::adl_serializer<T>::from_json(json, value); }
  static void encode(nlohmann::json& json, const T& value) { nlohmann::adl_serializer<T>::to_json(json, value); }
};

/// Reads `json` into `value`, throwing what `json.get_to(value)` throws.
template <typename T>
void decode_json(const nlohmann::json& json, T& value) {
  JsonCoding<T>::decode(json, value);
}

/// Writes `value` to `json`, as `json = value` does.
template <typename T>
void encode_json(nlohmann::json& json, const T& value) {
  JsonCoding<T>::encode(json, value);
}

// The vocabulary types: compiled once in the runtime, with nlohmann's own conversions.
#define OASGEN_JSON_CODING(Type, Param)                          \
  template <>                                                    \
  struct JsonCoding<Type> {                                      \
    static void decode(const nlohmann::json& json, Type& value); \
    static void encode(nlohmann::json& json, Param value);       \
  }
OASGEN_JSON_CODING(bool, bool);
OASGEN_JSON_CODING(std::int32_t, std::int32_t);
OASGEN_JSON_CODING(std::int64_t, std::int64_t);
OASGEN_JSON_CODING(double, double);
OASGEN_JSON_CODING(std::string, const std::string&);
OASGEN_JSON_CODING(nlohmann::json, const nlohmann::json&);
OASGEN_JSON_CODING(File, const File&);
// Its elements have no bool& to decode into.
OASGEN_JSON_CODING(std::vector<bool>, const std::vector<bool>&);
#undef OASGEN_JSON_CODING

namespace detail {
/// `json`'s elements; type_error 302 ("type must be array, but is ...") when it is not an array.
const nlohmann::json::array_t& array_items(const nlohmann::json& json);
/// `json`'s members; type_error 302 ("type must be object, but is ...") when it is not an object.
const nlohmann::json::object_t& object_members(const nlohmann::json& json);
/// Makes `json` an empty array with room for `size` elements and returns them.
nlohmann::json::array_t& make_array(nlohmann::json& json, std::size_t size);

// An empty optional is null, and null reads back as one.
template <typename Optional>
struct OptionalCoding {
  static void decode(const nlohmann::json& json, Optional& value) {
    if (json.is_null()) {
      value.reset();
    } else {
      // In place: moving a T in would instantiate its move for every T.
      JsonCoding<typename Optional::value_type>::decode(json, value.emplace());
    }
  }
  static void encode(nlohmann::json& json, const Optional& value) {
    if (value) {
      JsonCoding<typename Optional::value_type>::encode(json, *value);
    } else {
      json = nullptr;
    }
  }
};
}  // namespace detail

template <typename T>
struct JsonCoding<std::vector<T>> {
  static void decode(const nlohmann::json& json, std::vector<T>& value) {
    // Elements are decoded in place, for the same reason.
    const auto& items = detail::array_items(json);
    std::vector<T> result(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) JsonCoding<T>::decode(items[i], result[i]);
    value.swap(result);
  }
  static void encode(nlohmann::json& json, const std::vector<T>& value) {
    auto& items = detail::make_array(json, value.size());
    for (std::size_t i = 0; i < value.size(); ++i) JsonCoding<T>::encode(items.emplace_back(), value[i]);
  }
};

template <typename T>
struct JsonCoding<std::map<std::string, T>> {
  static void decode(const nlohmann::json& json, std::map<std::string, T>& value) {
    std::map<std::string, T> result;
    for (const auto& [key, item] : detail::object_members(json)) JsonCoding<T>::decode(item, result[key]);
    value.swap(result);
  }
  static void encode(nlohmann::json& json, const std::map<std::string, T>& value) {
    json = nlohmann::json::object();
    for (const auto& [key, item] : value) JsonCoding<T>::encode(add_member(json, key), item);
  }
};

template <typename T>
struct JsonCoding<std::optional<T>> : detail::OptionalCoding<std::optional<T>> {};

template <typename T>
struct JsonCoding<Optional<T>> : detail::OptionalCoding<Optional<T>> {};

}  // namespace oasgen
