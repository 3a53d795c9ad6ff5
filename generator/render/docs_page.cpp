// The data of the HTML docs page (docs/index.html), written straight to JSON text (see JsonOut).
#include "render/docs_builder.hpp"

#include <algorithm>

#include "support/escape.hpp"

namespace oasgen::render::docs {

std::string DocsBuilder::page_data(const std::string& version) {
  std::string text;
  text.reserve(1 << 16);
  JsonOut out(text);
  out.begin_object();
  out.key("title").value(api_.title);
  out.key("version").value(api_.version);
  out.key("description").value(api_.description);
  out.key("openapi").value(api_.openapi_version);
  out.key("generator").value("oasgen " + version);
  out.key("servers").begin_array();
  for (const auto& [url, description] : servers()) {
    out.begin_object().key("url").value(url).key("description").value(description).end_object();
  }
  out.end_array();
  out.key("schemes").begin_array();
  const auto schemes = security_schemes();
  for (std::size_t i = 0; i < schemes.size(); ++i) {
    out.begin_object();
    for (auto it = schemes[i].begin(); it != schemes[i].end(); ++it) out.key(it.key()).value(*it);
    credential_data(out, api_.security_schemes[i]);
    out.end_object();
  }
  out.end_array();
  out.key("tags").begin_array();
  for (const auto& group : groups_) {
    out.begin_object().key("name").value(group.name).key("description").value(group.description);
    out.key("ops").begin_array();
    for (const std::size_t op : group.ops) out.value(op);
    out.end_array().end_object();
  }
  out.end_array();
  out.key("ops").begin_array();
  for (const auto& doc : ops_) page_operation(out, doc);
  out.end_array();
  out.key("components").begin_array();
  for (const auto& component : components_) {
    out.begin_object().key("name").value(component.name).key("s").value(table_index(component.schema));
    if (component.example) {
      out.key("ex");
      example_data(out, *component.example);
    }
    out.end_object();
  }
  out.end_array();
  // Last: every schema the rest refers to, and the ones those refer to, in index order.
  out.key("schemas").begin_array();
  while (!pending_.empty()) {
    const SchemaId id = pending_.front();
    pending_.pop_front();
    page_schema(out, id);
  }
  out.end_array();
  out.key("examples").begin_array();
  for (const json* value : example_table_) out.value(*value);
  out.end_array();
  out.end_object();
  return text;
}

std::size_t DocsBuilder::table_index(SchemaId id) {
  while (id < api_.schemas.size() && api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
  if (table_index_[id] != kNoIndex) return table_index_[id];
  const std::size_t index = table_size_++;
  table_index_[id] = index;
  pending_.push_back(id);
  return index;
}

void DocsBuilder::example_data(JsonOut& out, const Example& e) {
  out.begin_object().key("src").value(e.synthesised ? "generated" : "spec");
  if (!e.name.empty()) out.key("name").value(e.name);
  if (e.component) {
    out.key("c").value(*e.component);
  } else if (e.value) {
    // Each value once, in "examples": large APIs refer to the same examples from many places.
    auto [it, added] = example_index_.emplace(e.value, example_table_.size());
    if (added) example_table_.push_back(e.value);
    out.key("x").value(it->second);
  }
  out.end_object();
}

void DocsBuilder::media_data(JsonOut& out, const std::vector<MediaDoc>& list) {
  out.begin_array();
  for (const auto& media : list) {
    out.begin_object().key("t").value(media.type);
    if (media.schema) {
      out.key("s").value(table_index(*media.schema));
      if (api_.schemas[*media.schema].nullable) out.key("null").value(true);
    }
    out.key("ex").begin_array();
    for (const auto& e : media.examples) example_data(out, e);
    out.end_array().end_object();
  }
  out.end_array();
}

void DocsBuilder::try_param_data(JsonOut& out, const ParamDoc& pd) const {
  const auto& p = *pd.param;
  out.key("st").value(style_name(p.style));
  if (p.explode) out.key("x").value(true);
  SchemaId id = p.schema;
  while (api_.schemas[id].same_as) id = *api_.schemas[id].same_as;
  const unsigned types = api_.schemas[id].types & ~model::kNull;
  const bool structured = types == model::kArray || types == model::kObject;
  if (structured) out.key("j").value(true);
  if (const json* value = request_value(pd)) out.key("v").value(structured ? dump(*value) : param_text(*value));
}

const json* DocsBuilder::request_value(const ParamDoc& pd) const {
  if (!pd.example || !pd.example->value) return nullptr;
  const bool spec_value = !pd.example->synthesised;
  if (!pd.param->required && !spec_value && !api_.schemas[pd.param->schema].default_value) return nullptr;
  return pd.example->value;
}

const char* DocsBuilder::style_name(model::ParamStyle style) {
  switch (style) {
    case model::ParamStyle::Simple: return "simple";
    case model::ParamStyle::Label: return "label";
    case model::ParamStyle::Matrix: return "matrix";
    case model::ParamStyle::Form: return "form";
    case model::ParamStyle::SpaceDelimited: return "spaceDelimited";
    case model::ParamStyle::PipeDelimited: return "pipeDelimited";
    case model::ParamStyle::DeepObject: return "deepObject";
  }
  return "simple";
}

void DocsBuilder::page_operation(JsonOut& out, const OpDoc& doc) {
  const auto& op = *doc.op;
  out.begin_object();
  out.key("m").value(op.method).key("p").value(op.path).key("id").value(op.operation_id);
  out.key("s").value(op.summary).key("d").value(op.description).key("tags").value(op.tags);
  if (op.deprecated) out.key("dep").value(true);
  if (!doc.security.empty()) {
    out.key("sec").value(doc.security);
    // The alternatives as scheme indices, for "Try it out" ([] admits anonymous callers).
    out.key("sa").begin_array();
    for (const auto& requirement : op.security) {
      out.begin_array();
      for (const auto& scheme : requirement.schemes) {
        if (scheme.first < api_.security_schemes.size()) out.value(scheme.first);
      }
      out.end_array();
    }
    out.end_array();
  }
  if (!doc.rate_limit.empty()) out.key("rl").value(doc.rate_limit);
  out.key("params").begin_array();
  for (const auto& pd : doc.params) {
    const auto& p = *pd.param;
    out.begin_object();
    out.key("n").value(p.name).key("in").value(location_name(p.in)).key("d").value(p.description);
    out.key("t").value(type_text(p.schema, false, 1)).key("c").value(constraints(p.schema, false));
    out.key("s").value(table_index(p.schema));
    if (p.required) out.key("r").value(true);
    if (p.deprecated) out.key("dep").value(true);
    if (pd.example) {
      out.key("ex");
      example_data(out, *pd.example);
    }
    try_param_data(out, pd);
    out.end_object();
  }
  out.end_array();
  if (op.request_body) {
    out.key("body").begin_object().key("d").value(op.request_body->description);
    if (op.request_body->required) out.key("r").value(true);
    out.key("tm").value(doc.request.body_media);  // what Try it out sends its body as
    out.key("media");
    media_data(out, doc.body);
    out.end_object();
  }
  out.key("res").begin_array();
  for (std::size_t r = 0; r < op.responses.size(); ++r) {
    const auto& response = op.responses[r];
    out.begin_object().key("st").value(response.status).key("d").value(response.description);
    out.key("h").begin_array();
    for (const auto& header : response.headers) {
      out.begin_object().key("n").value(header.name).key("d").value(header.description);
      out.key("t").value(type_text(header.schema, false, 1));
      if (header.required) out.key("r").value(true);
      out.end_object();
    }
    out.end_array().key("media");
    media_data(out, doc.responses[r]);
    out.end_object();
  }
  out.end_array();
  out.key("req").begin_object().key("m").value(doc.request.method).key("target").value(doc.request.target);
  out.key("h").begin_array();
  for (const auto& [name, value] : doc.request.headers) out.begin_array().value(name).value(value).end_array();
  out.end_array();
  if (doc.request.body) out.key("body").value(*doc.request.body);
  out.end_object();
  out.end_object();
}

void DocsBuilder::page_schema(JsonOut& out, SchemaId id) {
  const Schema& s = api_.schemas[id];
  out.begin_object().key("t").value(type_text(id, false, 0));
  if (auto component = component_index_.find(id); component != component_index_.end()) {
    out.key("n").value(components_[component->second].name);
  } else if (!s.title.empty()) {
    out.key("title").value(s.title);
  }
  if (!s.description.empty()) out.key("d").value(s.description);
  const auto& c = constraints(id, false);
  if (!c.empty()) out.key("c").value(c);
  if (!s.properties.empty()) {
    // Only what the property adds to its schema's entry: the page reads type, constraints and
    // description from there (a large API has tens of thousands of properties).
    out.key("props").begin_array();
    for (const auto& p : s.properties) {
      const Schema& ps = api_.schemas[p.schema];
      const bool required = p.required || std::count(s.required.begin(), s.required.end(), p.name) > 0;
      out.begin_object().key("n").value(p.name).key("s").value(table_index(p.schema));
      if (ps.same_as) {
        if (!constraints(p.schema, false).empty()) out.key("c").value(constraints(p.schema, false));
        if (!ps.description.empty()) out.key("d").value(ps.description);
        if (ps.nullable) out.key("null").value(true);
      }
      if (required) out.key("r").value(true);
      out.end_object();
    }
    out.end_array();
  }
  if (s.items) out.key("items").value(table_index(*s.items));
  if (s.additional) out.key("add").value(table_index(*s.additional));
  const auto& alternatives = s.one_of.empty() ? s.any_of : s.one_of;
  if (!alternatives.empty()) {
    out.key("alt").begin_array();
    for (const SchemaId alternative : alternatives) out.value(table_index(alternative));
    out.end_array().key("altk").value(s.one_of.empty() ? "any of" : "one of");
  }
  if (s.discriminator) out.key("disc").value(s.discriminator->property);
  out.end_object();
}

}  // namespace oasgen::render::docs
