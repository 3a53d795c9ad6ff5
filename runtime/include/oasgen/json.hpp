// JSON coding support for generated DTOs: std::optional maps to null.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

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

template <typename T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& value) {
    if (value) {
      j = *value;
    } else {
      j = nullptr;
    }
  }
  static void from_json(const json& j, std::optional<T>& value) {
    if (j.is_null()) {
      value.reset();
    } else {
      value = j.get<T>();
    }
  }
};

}  // namespace nlohmann
