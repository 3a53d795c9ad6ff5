#include "model/build_model.hpp"

namespace oasgen::model {
namespace {

nlohmann::json types_json(unsigned types) {
  static constexpr std::pair<unsigned, const char*> kNames[] = {
      {kNull, "null"},     {kBoolean, "boolean"}, {kInteger, "integer"}, {kNumber, "number"},
      {kString, "string"}, {kArray, "array"},     {kObject, "object"}};
  nlohmann::json names = nlohmann::json::array();
  for (const auto& [bit, name] : kNames) {
    if (types & bit) names.push_back(name);
  }
  return names;
}

template <typename T>
void put(nlohmann::json& json, const char* key, const std::optional<T>& value) {
  if (value) json[key] = *value;
}

nlohmann::json dump_schema(const Schema& s) {
  nlohmann::json json = {{"pointer", s.origin.pointer}, {"name_parts", s.name_parts},
                         {"types", types_json(s.types)}};
  if (s.component) json["component"] = true;
  if (s.nullable) json["nullable"] = true;
  if (s.opaque) json["opaque"] = true;
  put(json, "same_as", s.same_as);
  if (!s.format.empty()) json["format"] = s.format;
  put(json, "minLength", s.min_length);
  put(json, "maxLength", s.max_length);
  put(json, "pattern", s.pattern);
  put(json, "minimum", s.minimum);
  put(json, "maximum", s.maximum);
  if (s.exclusive_minimum) json["exclusiveMinimum"] = true;
  if (s.exclusive_maximum) json["exclusiveMaximum"] = true;
  put(json, "multipleOf", s.multiple_of);
  put(json, "items", s.items);
  put(json, "minItems", s.min_items);
  put(json, "maxItems", s.max_items);
  if (s.unique_items) json["uniqueItems"] = true;
  for (const auto& p : s.properties) json["properties"][p.name] = p.schema;
  if (!s.required.empty()) json["required"] = s.required;
  if (!s.additional_allowed) json["additionalProperties"] = false;
  put(json, "additionalProperties", s.additional);
  put(json, "minProperties", s.min_properties);
  put(json, "maxProperties", s.max_properties);
  if (!s.enum_values.empty()) json["enum"] = s.enum_values;
  put(json, "const", s.const_value);
  put(json, "default", s.default_value);
  if (s.read_only) json["readOnly"] = true;
  if (s.write_only) json["writeOnly"] = true;
  return json;
}

const char* to_string(ParamIn in) {
  switch (in) {
    case ParamIn::Path: return "path";
    case ParamIn::Query: return "query";
    case ParamIn::Header: return "header";
    case ParamIn::Cookie: return "cookie";
  }
  return "?";
}

const char* to_string(ParamStyle style) {
  switch (style) {
    case ParamStyle::Simple: return "simple";
    case ParamStyle::Label: return "label";
    case ParamStyle::Matrix: return "matrix";
    case ParamStyle::Form: return "form";
    case ParamStyle::SpaceDelimited: return "spaceDelimited";
    case ParamStyle::PipeDelimited: return "pipeDelimited";
    case ParamStyle::DeepObject: return "deepObject";
  }
  return "?";
}

nlohmann::json dump_content(const std::vector<MediaType>& content) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& media : content) {
    json[media.name] = media.schema ? nlohmann::json(*media.schema) : nlohmann::json();
  }
  return json;
}

}  // namespace

nlohmann::json dump(const Api& api) {
  nlohmann::json json = {{"openapi", api.openapi_version}, {"title", api.title},
                         {"version", api.version}};
  json["operations"] = nlohmann::json::array();
  for (const auto& op : api.operations) {
    nlohmann::json o = {{"operationId", op.operation_id}, {"method", op.method}, {"path", op.path},
                        {"tags", op.tags}};
    o["parameters"] = nlohmann::json::array();
    for (const auto& p : op.parameters) {
      o["parameters"].push_back({{"name", p.name}, {"in", to_string(p.in)},
                                 {"style", to_string(p.style)}, {"explode", p.explode},
                                 {"required", p.required}, {"schema", p.schema}});
    }
    if (op.request_body) {
      o["requestBody"] = {{"required", op.request_body->required},
                          {"content", dump_content(op.request_body->content)}};
    }
    for (const auto& r : op.responses) {
      nlohmann::json headers = nlohmann::json::object();
      for (const auto& h : r.headers) headers[h.name] = h.schema;
      o["responses"][r.status] = {{"content", dump_content(r.content)}, {"headers", headers}};
    }
    json["operations"].push_back(std::move(o));
  }
  json["schemas"] = nlohmann::json::array();
  for (const auto& s : api.schemas) json["schemas"].push_back(dump_schema(s));
  return json;
}

}  // namespace oasgen::model
