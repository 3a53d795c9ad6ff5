#include "oasgen/json_coding.hpp"

namespace oasgen {

using nlohmann::json;

const json* find_member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto& members = object.get_ref<const json::object_t&>();
  const auto it = members.find(key);
  return it == members.end() ? nullptr : &it->second;
}

bool has_member(const json& object, std::string_view key) { return find_member(object, key) != nullptr; }

const json& member_at(const json& object, std::string_view key) { return object.at(key); }

const std::string& string_ref(const json& value) { return value.get_ref<const std::string&>(); }

json& add_member(json& object, std::string_view key) { return object[key]; }

// nlohmann's own conversions, so that values and exceptions are exactly its.
#define OASGEN_JSON_CODING(Type, Param)                                                  \
  void JsonCoding<Type>::decode(const json& j, Type& value) { j.get_to(value); }         \
  void JsonCoding<Type>::encode(json& j, Param value) { j = value; }
OASGEN_JSON_CODING(bool, bool)
OASGEN_JSON_CODING(std::int32_t, std::int32_t)
OASGEN_JSON_CODING(std::int64_t, std::int64_t)
OASGEN_JSON_CODING(double, double)
OASGEN_JSON_CODING(std::string, const std::string&)
OASGEN_JSON_CODING(std::vector<bool>, const std::vector<bool>&)
#undef OASGEN_JSON_CODING

void JsonCoding<json>::decode(const json& j, json& value) { value = j; }
void JsonCoding<json>::encode(json& j, const json& value) { j = value; }
// A file is its bytes as a string (oasgen::to_json/from_json of File).
void JsonCoding<File>::decode(const json& j, File& value) { j.get_to(value.data); }
void JsonCoding<File>::encode(json& j, const File& value) { j = value.data; }

namespace detail {

const json::array_t& array_items(const json& j) {
  if (!j.is_array()) {
    throw nlohmann::detail::type_error::create(
        302, nlohmann::detail::concat("type must be array, but is ", j.type_name()), &j);
  }
  return j.get_ref<const json::array_t&>();
}

const json::object_t& object_members(const json& j) {
  if (!j.is_object()) {
    throw nlohmann::detail::type_error::create(
        302, nlohmann::detail::concat("type must be object, but is ", j.type_name()), &j);
  }
  return j.get_ref<const json::object_t&>();
}

json::array_t& make_array(json& j, std::size_t size) {
  j = json::array();
  auto& items = j.get_ref<json::array_t&>();
  items.reserve(size);
  return items;
}

}  // namespace detail
}  // namespace oasgen
