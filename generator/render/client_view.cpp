#include "render/client_view.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "render/validator_code.hpp"
#include "render/view_util.hpp"
#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using json = ViewJson;



std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The media type's essence, lower case: "Application/JSON; charset=utf-8" -> "application/json".
std::string essence(const std::string& media_type) {
  std::string type = lower(media_type.substr(0, media_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

bool is_json(const std::string& media_type) {
  const std::string type = essence(media_type);
  return type == "application/json" ||
         (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}



class ClientViewBuilder {
 public:
  ClientViewBuilder(const cpp::Api& api, const json& server) : api_(api), server_(server) {}

  json build() const {
    json view = {{"banner", server_["banner"]},
                 {"namespace", server_["namespace"]},
                 {"include_dir", server_["include_dir"]}};
    add_servers(view);
    add_token_urls(view);
    view["operations"] = json::array();
    for (std::size_t i = 0; i < api_.operations.size(); ++i) {
      view["operations"].push_back(operation(api_.operations[i], server_["operations"][i]));
    }
    return view;
  }

 private:
  void add_servers(json& view) const {
    const auto& servers = api_.model->servers;
    view["servers"] = json::array();
    for (std::size_t i = 0; i < servers.size(); ++i) {
      const auto& server = servers[i];
      json variables = json::array();
      for (const auto& variable : server.variables) {
        variables.push_back({{"name", cpp_string_literal(variable.name)},
                             {"default_value", cpp_string_literal(variable.default_value)}});
      }
      std::string doc = std::to_string(i) + ": " + server.url;
      if (!server.description.empty()) doc += " (" + server.description + ")";
      for (const auto& variable : server.variables) {
        doc += "; {" + variable.name + "} defaults to '" + variable.default_value + "'";
      }
      view["servers"].push_back({{"url", cpp_string_literal(server.url)},
                                 {"variables_const", "kServer" + std::to_string(i) + "Variables"},
                                 {"has_variables", !variables.empty()},
                                 {"variables", variables},
                                 {"count", std::to_string(variables.size())},
                                 {"doc", doc_json({doc})}});
    }
    view["has_servers"] = !servers.empty();
  }


  void add_token_urls(json& view) const {
    view["token_urls"] = json::array();
    const auto& schemes = api_.model->security_schemes;
    for (std::size_t i = 0; i < schemes.size(); ++i) {
      if (api_.token_url_constants[i].empty()) continue;
      for (const auto& flow : schemes[i].flows) {
        if (flow.kind != "clientCredentials") continue;
        const auto scheme = cpp_comment_lines(schemes[i].name);
        view["token_urls"].push_back({{"scheme", scheme.empty() ? "" : scheme.front()},
                                      {"name", api_.token_url_constants[i]},
                                      {"url", cpp_string_literal(flow.token_url)}});
      }
    }
  }

  // Statements that put the request body on the wire, per the media type the client sends.
  std::vector<std::string> body_lines(const cpp::Operation& op) const {
    const cpp::Body& body = *op.body;
    const auto& content = op.source->request_body->content;
    const std::string value = body.required ? "request.body" : "*request.body";
    std::vector<std::string> lines;
    if (body.raw) {
      // The caller names the media type; a declared concrete type is the fallback.
      std::string fallback = "application/octet-stream";
      for (const auto& m : content) {
        if (m.name.find('*') == std::string::npos) {
          fallback = m.name;
          break;
        }
      }
      const std::string member = body.required ? "request.body." : "request.body->";
      lines.push_back("out.text_body(" + member + "data, " + member + "media_type.empty() ? " +
                      cpp_string_literal(fallback) + " : " + member + "media_type);");
    } else {
      // JSON when the operation takes it (the model puts it first), else form, else multipart.
      const model::MediaType* chosen = nullptr;
      for (const auto& m : content) {
        const std::string type = essence(m.name);
        if ((is_json(m.name) && body.json) ||
            (type == "application/x-www-form-urlencoded" && body.form) ||
            (type == "multipart/form-data" && body.multipart)) {
          chosen = &m;
          break;
        }
      }
      const std::string as_json = "nlohmann::json(" + value + ")";
      if (chosen == nullptr || is_json(chosen->name)) {
        lines.push_back("out.json_text_body(oasgen::to_json_text(" + value + "), " +
                        cpp_string_literal(chosen ? chosen->name : "application/json") + ");");
      } else if (essence(chosen->name) == "application/x-www-form-urlencoded") {
        lines.push_back("out.form_body(" + as_json + ");");
      } else if (body.files.empty()) {
        lines.push_back("out.multipart_body(oasgen::multipart_parts(" + as_json + "));");
      } else {
        lines.push_back("std::vector<oasgen::MultipartPart> parts = oasgen::multipart_parts(" + as_json + ");");
        for (const auto& file : body.files) {
          lines.push_back("oasgen::attach_files(parts, " + cpp_string_literal(file.part) + ", request.body" +
                          (body.required ? "." : "->") + file.member + ");");
        }
        lines.push_back("out.multipart_body(parts);");
      }
    }
    if (!body.required && lines.size() == 1) {
      lines.front() = "if (request.body) " + lines.front();
    } else if (!body.required) {
      for (auto& line : lines) line = "  " + line;
      lines.insert(lines.begin(), "if (request.body) {");
      lines.push_back("}");
    }
    return lines;
  }

  // The Accept header: every media type the responses declare, in order, once.
  std::string accept(const model::Operation& op) const {
    std::vector<std::string> types;
    for (const auto& response : op.responses) {
      for (const auto& media : response.content) {
        if (std::find(types.begin(), types.end(), media.name) == types.end()) {
          types.push_back(media.name);
        }
      }
    }
    std::string out;
    for (const auto& type : types) out += (out.empty() ? "" : ", ") + type;
    return out;
  }

  // Shape and scalar type of a header's schema, as the runtime's ParamSpec spells them.
  std::pair<std::string, std::string> shape_of(model::SchemaId id) const {
    const auto& schemas = api_.model->schemas;
    auto resolve = [&](model::SchemaId s) {
      while (schemas[s].same_as) s = *schemas[s].same_as;
      return s;
    };
    const auto& s = schemas[resolve(id)];
    std::string shape = "oasgen::ParamShape::Scalar";
    unsigned scalar = s.types;
    if (s.types == model::kArray) {
      shape = "oasgen::ParamShape::Array";
      scalar = s.items ? schemas[resolve(*s.items)].types : model::kString;
    } else if (s.types == model::kObject) {
      shape = "oasgen::ParamShape::Object";
      scalar = s.additional ? schemas[resolve(*s.additional)].types : model::kString;
    }
    std::string type;
    if (scalar & model::kNumber) {
      type = "oasgen::JsonType::Number";
    } else if (scalar & model::kInteger) {
      type = "oasgen::JsonType::Integer";
    }
    if (scalar & model::kBoolean) type += (type.empty() ? "" : " | ") + std::string("oasgen::JsonType::Boolean");
    if (type.empty() || (scalar & (model::kString | model::kObject | model::kArray)) || scalar == 0) {
      type = type.empty() ? "oasgen::JsonType::String" : type + " | oasgen::JsonType::String";
    }
    return {shape, type};
  }

  json result(const cpp::ResultCase& result) const {
    const auto& source = *result.source;
    json view = {{"name", result.name},
                 {"assign_status", result.fixed_status == 0},
                 {"json_body", result.json_body && !result.body_type.empty()},
                 {"text_body", !result.json_body && !result.body_type.empty()},
                 {"media_type", cpp_string_literal(result.media_type)},
                 {"headers_const", "k" + result.name + "Headers"},
                 {"has_headers", !result.headers.empty()}};
    // Cases are ordered: codes, then ranges, then default, which takes whatever is left.
    view["has_condition"] = result.status != "default";
    view["condition"] = result.fixed_status != 0
                            ? "in.status() == " + std::to_string(result.fixed_status)
                            : "in.status() / 100 == " + result.status.substr(0, 1);
    std::vector<std::string> checks;
    if (!source.content.empty() && source.content.front().schema && result.json_body) {
      checks = validator_lines(api_, *source.content.front().schema, "*body", 4, false);
    }
    view["has_body_checks"] = !checks.empty();
    view["body_checks"] = lines_json(std::move(checks));
    view["headers"] = json::array();
    for (std::size_t i = 0; i < result.headers.size(); ++i) {
      const auto& header = result.headers[i];
      auto h = std::find_if(source.headers.begin(), source.headers.end(),
                            [&](const model::Header& m) { return m.name == header.name; });
      const auto [shape, scalar] = shape_of(h->schema);
      const auto header_checks = validator_lines(api_, h->schema, "*value", 4, false);
      view["headers"].push_back({{"index", i},
                                 {"field", header.field},
                                 {"name", cpp_string_literal(header.name)},
                                 {"required", header.required ? "true" : "false"},
                                 {"shape", shape},
                                 {"scalar", scalar},
                                 {"checks", lines_json(header_checks)},
                                 {"has_checks", !header_checks.empty()}});
    }
    return view;
  }

  json operation(const cpp::Operation& op, const json& server_op) const {
    const auto& source = *op.source;
    json view = {{"method_name", op.method_name},
                 {"request_type", op.request_type},
                 {"result_type", op.result_type},
                 {"params_const", op.params_const},
                 {"params", server_op["params"]},
                 {"has_params", !op.params.empty()},
                 {"uses_request", !op.params.empty() || op.body.has_value()},
                 {"http_method", server_op["http_method"]},
                 {"path", server_op["path"]},
                 {"doc", server_op["doc"]}};
    view["encode"] = json::array();
    for (std::size_t i = 0; i < op.params.size(); ++i) {
      const bool optional = op.params[i].type != op.params[i].value_type;
      view["encode"].push_back({{"line", std::string(optional ? "if (request." + op.params[i].field + ") " : "") +
                                             "out.param(" + op.params_const + "[" + std::to_string(i) +
                                             "], " + (optional ? "*" : "") + "request." +
                                             op.params[i].field + ");"}});
    }
    if (op.body) {
      for (const auto& line : body_lines(op)) view["encode"].push_back({{"line", line}});
    }
    const std::string types = accept(source);
    if (!types.empty()) {
      view["encode"].push_back({{"line", "out.header(\"Accept\", " + cpp_string_literal(types) + ");"}});
    }
    view["security_args"] = server_op["security_args"];
    view["results"] = json::array();
    bool has_default = false;
    for (std::size_t i = 0; i < op.results.size(); ++i) {
      json r = result(op.results[i]);
      has_default = has_default || !r["has_condition"].get<bool>();
      view["results"].push_back(std::move(r));
    }
    view["has_default"] = has_default;
    return view;
  }

  const cpp::Api& api_;
  const json& server_;
};

}  // namespace

json build_client_view(const cpp::Api& api, const json& server_view) {
  return ClientViewBuilder(api, server_view).build();
}

}  // namespace oasgen::render
