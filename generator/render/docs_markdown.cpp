// The Markdown view of the docs (docs/API.md): operations by tag, schemas as tables.
#include "render/docs_builder.hpp"

#include <algorithm>

#include "support/escape.hpp"

namespace oasgen::render::docs {

json DocsBuilder::markdown_view(const std::string& version) {
  json view = header_view(version);
  view["groups"] = json::array();
  for (const auto& group : groups_) {
    json g = {{"name", markdown_inline(group.name)},
              {"description", markdown_text(trimmed(group.description))},
              {"has_description", !group.description.empty()},
              {"operations", json::array()}};
    for (const std::size_t index : group.ops) g["operations"].push_back(markdown_operation(index));
    view["groups"].push_back(std::move(g));
  }
  view["schemas"] = json::array();
  for (std::size_t i = 0; i < components_.size(); ++i) {
    const auto& component = components_[i];
    const Schema& s = api_.schemas[component.schema];
    json c = {{"anchor", "schema-" + std::to_string(i)},
              {"name", markdown_inline(component.name)},
              {"description", markdown_text(trimmed(s.description))},
              {"has_description", !s.description.empty()},
              {"type", markdown_table_cell_linked(type_text(component.schema, true))},
              {"constraints", markdown_table_cell(join(constraints(component.schema, true), "; "))},
              {"has_constraints", !constraints(component.schema, true).empty()}};
    c["properties"] = markdown_properties(component.schema);
    c["has_properties"] = !c["properties"].empty();
    c["example"] = markdown_example_blocks(
        component.example ? std::vector<Example>{*component.example} : std::vector<Example>{},
        "schema-" + std::to_string(i), markdown_inline(component.name));
    view["schemas"].push_back(std::move(c));
  }
  view["has_schemas"] = !components_.empty();
  return view;
}

json DocsBuilder::markdown_properties(SchemaId id, const std::string& prefix, int depth) {
  json rows = json::array();
  while (id < api_.schemas.size() && api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
  if (id >= api_.schemas.size() || depth > 2) return rows;
  const Schema& s = api_.schemas[id];
  for (const auto& p : s.properties) {
    const std::string name = prefix + p.name;
    const Schema& ps = api_.schemas[p.schema];
    const bool required = p.required || std::count(s.required.begin(), s.required.end(), p.name) > 0;
    json row = json::object();
    row["name"] = markdown_table_cell(name);
    row["type"] = markdown_table_cell_linked(type_text(p.schema, true, 1));
    row["required"] = required ? "yes" : "";
    row["constraints"] = markdown_table_cell(join(constraints(p.schema, true), "; "));
    row["description"] = markdown_table_cell(ps.description);
    rows.push_back(std::move(row));
    SchemaId inner = p.schema;
    while (api_.schemas[inner].same_as) inner = *api_.schemas[inner].same_as;
    if (!component_index_.count(inner) && !api_.schemas[inner].properties.empty()) {
      for (auto& row : markdown_properties(inner, name + ".", depth + 1)) rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string DocsBuilder::markdown_table_cell_linked(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

json DocsBuilder::markdown_example_blocks(const std::vector<Example>& examples, const std::string& anchor,
                             const std::string& label) {
  json blocks = json::array();
  for (const auto& e : examples) {
    std::string caption = e.synthesised ? "Example (generated from the schema)" : "Example";
    if (!e.name.empty()) caption += ": " + markdown_inline(e.name);
    bool repeated = false;
    if (e.component) {
      caption += ": as for [" + markdown_inline(components_[*e.component].name) + "](#schema-" +
                 std::to_string(*e.component) + ")";
    } else if (e.value) {
      auto [it, first] = shown_.emplace(e.value, std::make_pair(anchor, label));
      if (!first) {
        caption += ": as in [" + it->second.second + "](#" + it->second.first + ")";
        repeated = true;
      }
    }
    const bool shown = e.value && !e.component && !repeated;
    json block = json::object();  // assigned member by member: moved, where a braced list copies
    block["caption"] = std::move(caption);
    block["omitted"] = !e.value;
    block["has_value"] = shown;
    block["block"] = shown ? markdown_code_block(dump(*e.value, 2), "json") : std::string();
    blocks.push_back(std::move(block));
  }
  return blocks;
}

json DocsBuilder::markdown_operation(std::size_t index) {
  const OpDoc& doc = ops_[index];
  const auto& op = *doc.op;
  const std::string anchor = "op-" + std::to_string(index);
  const std::string label = markdown_inline(op.method + " " + op.path);
  json view = {{"anchor", anchor},
               {"method", op.method},
               {"path", markdown_inline(op.path)},
               {"summary", markdown_inline(op.summary)},
               {"has_summary", !op.summary.empty()},
               {"description", markdown_text(trimmed(op.description))},
               {"has_description", !op.description.empty()},
               {"operation_id", markdown_inline(op.operation_id)},
               {"deprecated", op.deprecated},
               {"security", markdown_inline(doc.security)},
               {"has_security", !doc.security.empty()},
               {"rate_limit", doc.rate_limit},
               {"has_rate_limit", !doc.rate_limit.empty()}};
  std::vector<std::string> tags;
  for (const auto& tag : op.tags) tags.push_back(markdown_inline(tag));
  view["tags"] = join(tags, ", ");
  view["has_tags"] = !tags.empty();
  view["params"] = json::array();
  for (const auto& pd : doc.params) {
    const auto& p = *pd.param;
    std::string description = p.description;
    if (p.deprecated) description = "Deprecated. " + description;
    view["params"].push_back({{"name", markdown_table_cell(p.name)},
                              {"in", location_name(p.in)},
                              {"type", markdown_table_cell_linked(type_text(p.schema, true, 1))},
                              {"required", p.required ? "yes" : ""},
                              {"constraints", markdown_table_cell(join(constraints(p.schema, true), "; "))},
                              {"description", markdown_table_cell(description)}});
  }
  view["has_params"] = !doc.params.empty();
  view["body"] = json::array();
  if (op.request_body) {
    json body = {{"required", op.request_body->required ? "required" : "optional"},
                 {"description", markdown_text(trimmed(op.request_body->description))},
                 {"has_description", !op.request_body->description.empty()},
                 {"media", markdown_media(doc.body, anchor, label)}};
    view["body"].push_back(std::move(body));
  }
  view["responses"] = json::array();
  for (std::size_t r = 0; r < op.responses.size(); ++r) {
    const auto& response = op.responses[r];
    std::vector<std::string> content;
    for (const auto& media : doc.responses[r]) {
      content.push_back(markdown_inline(media.type) +
                        (media.schema ? ": " + markdown_table_cell_linked(type_text(*media.schema, true, 1)) : ""));
    }
    std::vector<std::string> headers;
    for (const auto& header : response.headers) headers.push_back(markdown_inline(header.name));
    view["responses"].push_back({{"status", markdown_table_cell(response.status)},
                                 {"description", markdown_table_cell(response.description)},
                                 {"content", join(content, "<br>")},
                                 {"headers", join(headers, ", ")}});
  }
  view["response_examples"] = json::array();
  for (std::size_t r = 0; r < op.responses.size(); ++r) {
    for (const auto& media : doc.responses[r]) {
      if (media.examples.empty()) continue;
      view["response_examples"].push_back({{"status", markdown_inline(op.responses[r].status)},
                                           {"media", markdown_inline(media.type)},
                                           {"examples", markdown_example_blocks(media.examples, anchor, label)}});
    }
  }
  view["has_response_examples"] = !view["response_examples"].empty();
  view["request_example"] = markdown_code_block(curl(doc.request), "sh");
  return view;
}

json DocsBuilder::markdown_media(const std::vector<MediaDoc>& list, const std::string& anchor, const std::string& label) {
  json out = json::array();
  for (const auto& media : list) {
    json m = {{"type", markdown_inline(media.type)},
              {"schema", media.schema ? markdown_table_cell_linked(type_text(*media.schema, true, 1)) : "any"},
              {"properties", json::array()},
              {"examples", markdown_example_blocks(media.examples, anchor, label)}};
    if (media.schema) {
      SchemaId id = *media.schema;
      while (api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
      if (!component_index_.count(id)) m["properties"] = markdown_properties(id);
    }
    m["has_properties"] = !m["properties"].empty();
    out.push_back(std::move(m));
  }
  return out;
}

json DocsBuilder::header_view(const std::string& version) {
  const std::string title = api_.title.empty() ? "API" : api_.title;
  json view = {{"heading", markdown_inline(api_.version.empty() ? title : title + " " + api_.version)},
               {"openapi", markdown_inline("OpenAPI " + api_.openapi_version)},
               {"description", markdown_text(trimmed(api_.description))},
               {"has_description", !api_.description.empty()},
               {"generator", "oasgen " + version},
               {"base_url", markdown_inline(base_url())}};
  view["servers"] = json::array();
  for (const auto& [url, description] : servers()) {
    view["servers"].push_back({{"url", markdown_table_cell(url)}, {"description", markdown_table_cell(description)}});
  }
  view["has_servers"] = !view["servers"].empty();
  view["schemes"] = json::array();
  for (const auto& scheme : security_schemes()) {
    view["schemes"].push_back({{"name", markdown_table_cell(scheme["name"].get<std::string>())},
                               {"type", markdown_table_cell(scheme["type"].get<std::string>())},
                               {"detail", markdown_table_cell(scheme["detail"].get<std::string>())},
                               {"description", markdown_table_cell(scheme["description"].get<std::string>())}});
  }
  view["has_schemes"] = !view["schemes"].empty();
  view["groups_toc"] = json::array();
  for (const auto& group : groups_) {
    view["groups_toc"].push_back({{"name", markdown_inline(group.name)},
                                  {"anchor", "op-" + std::to_string(group.ops.front())},
                                  {"count", group.ops.size()}});
  }
  return view;
}

}  // namespace oasgen::render::docs
