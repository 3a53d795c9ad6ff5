#include "naming/build_cpp_api.hpp"

namespace oasgen::naming {

nlohmann::json dump(const cpp::Api& api) {
  nlohmann::json json = {{"namespace", api.options.ns}};
  json["types"] = nlohmann::json::array();
  for (const auto& type : api.types) {
    static constexpr const char* kKinds[] = {"struct", "enum", "alias", "variant"};
    nlohmann::json t = {{"kind", kKinds[static_cast<int>(type.kind)]}, {"name", type.name},
                        {"validate", type.validate_fn}};
    for (const auto& field : type.fields) {
      t["fields"].push_back({{"name", field.name}, {"json", field.json_name}, {"type", field.type}});
    }
    for (const auto& value : type.values) t["values"][value.wire] = value.name;
    if (!type.parse_fn.empty()) {
      t["parse"] = type.parse_fn;
      t["parse_type"] = type.parse_type;
    }
    if (!type.aliased.empty()) t["aliased"] = type.aliased;
    if (type.shares) t["shared"] = true;
    for (const auto& alternative : type.alternatives) t["alternatives"].push_back(alternative.type);
    json["types"].push_back(std::move(t));
  }
  json["operations"] = nlohmann::json::array();
  for (const auto& op : api.operations) {
    nlohmann::json o = {{"method", op.method_name}, {"request", op.request_type},
                        {"result", op.result_type}};
    for (const auto& param : op.params) {
      o["params"].push_back({{"name", param.source->name}, {"field", param.field}, {"type", param.type}});
    }
    if (op.body) {
      o["body"] = op.body->type;
      o["body_field"] = op.body->field;
    }
    for (const auto& result : op.results) {
      nlohmann::json r = {{"status", result.status}, {"name", result.name}, {"body", result.body_type},
                          {"fixed_status", result.fixed_status}};
      for (const auto& header : result.headers) {
        r["headers"].push_back({{"name", header.name}, {"field", header.field}, {"type", header.type}});
      }
      o["results"].push_back(std::move(r));
    }
    json["operations"].push_back(std::move(o));
  }
  return json;
}

}  // namespace oasgen::naming
