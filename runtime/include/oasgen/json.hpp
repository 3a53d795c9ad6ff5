// JSON coding support for generated DTOs: an empty optional maps to null.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "oasgen/optional.hpp"

#include "oasgen/validation.hpp"

namespace oasgen {

/// Whether `value` passes `validate`: how a generated variant picks its alternative when neither a
/// discriminator nor the JSON type tells.
inline bool matches(const nlohmann::json& value, void (*validate)(const nlohmann::json&, Validator&)) {
  Validator probe(1);
  validate(value, probe);
  return probe.ok();
}

/// A file of a `multipart/form-data` body: its bytes, with the filename and media type it came
/// with. As JSON (where the same schema is sent as JSON) it is its bytes as a string.
struct File {
  std::string data;
  std::string filename;      ///< empty: none was given
  std::string content_type;  ///< empty: none was given
};

inline bool operator==(const File& a, const File& b) {
  return a.data == b.data && a.filename == b.filename && a.content_type == b.content_type;
}
inline bool operator!=(const File& a, const File& b) { return !(a == b); }

inline void to_json(nlohmann::json& j, const File& file) { j = file.data; }
inline void from_json(const nlohmann::json& j, File& file) { j.get_to(file.data); }

/// Calls `fn` on each `File` in `value`: a file, or an optional, array or nullable of files.
template <typename T, typename F>
void for_each_file(T& value, F&& fn) {
  using Value = std::remove_const_t<T>;
  if constexpr (std::is_same_v<Value, File>) {
    fn(value);
  } else if constexpr (std::is_same_v<Value, std::vector<typename Value::value_type>>) {
    for (auto& item : value) for_each_file(item, fn);
  } else {
    if (value) for_each_file(*value, fn);
  }
}

}  // namespace oasgen

namespace nlohmann {

namespace detail_oasgen {
// An empty optional is null; null reads back as an empty optional.
template <typename Optional>
struct optional_serializer {
  static void to_json(json& j, const Optional& value) {
    if (value) {
      j = *value;
    } else {
      j = nullptr;
    }
  }
  static void from_json(const json& j, Optional& value) {
    if (j.is_null()) {
      value.reset();
    } else {
      value = j.get<typename Optional::value_type>();
    }
  }
};
}  // namespace detail_oasgen

template <typename T>
struct adl_serializer<std::optional<T>> : detail_oasgen::optional_serializer<std::optional<T>> {};

template <typename T>
struct adl_serializer<oasgen::Optional<T>> : detail_oasgen::optional_serializer<oasgen::Optional<T>> {};

}  // namespace nlohmann
