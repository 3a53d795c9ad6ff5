// JSON coding support for generated DTOs: an empty optional maps to null.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

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
