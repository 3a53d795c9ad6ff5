// JSON support for generated DTOs (oasgen/json.hpp).
#include "oasgen/json.hpp"

#include <stdexcept>
#include <string>

namespace oasgen {

const nlohmann::json* member(const nlohmann::json& object, std::string_view name) noexcept {
  if (!object.is_object()) return nullptr;
  const auto& members = object.get_ref<const nlohmann::json::object_t&>();
  const auto it = members.find(name);
  return it == members.end() ? nullptr : &it->second;
}

const nlohmann::json& required_member(const nlohmann::json& object, std::string_view name) {
  if (const nlohmann::json* value = member(object, name)) return *value;
  throw std::out_of_range("key '" + std::string(name) + "' not found");
}

}  // namespace oasgen
