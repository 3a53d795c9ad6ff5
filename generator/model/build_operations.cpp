#include <algorithm>
#include <filesystem>
#include <map>

#include "model/builder.hpp"

namespace oasgen::model::detail {
namespace {

bool is_json_media_type(std::string_view media_type) {
  const auto semicolon = media_type.find(';');
  std::string type(media_type.substr(0, semicolon));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type == "application/json") return true;
  return type.rfind("application/", 0) == 0 && type.size() > 5 &&
         type.compare(type.size() - 5, 5, "+json") == 0;
}

}  // namespace

void Builder::read_paths(const Node& root) {
  auto paths = child(root, "paths");
  if (!paths) return;
  std::set<std::string> routes;  // the paths as written, then the query strings cut off
  for_each_member(*paths, [&](const std::string& path, const Node&) { routes.insert(path); });
  for_each_member(*paths, [&](const std::string& written, const Node& item_node) {
    if (written.rfind("x-", 0) == 0) return;
    if (written.empty() || written[0] != '/') {
      error(item_node, "spec-invalid", "path '" + written + "' must start with '/'");
      return;
    }
    // A query string in a path template is no part of the route: the route is what precedes
    // it, and the operation's query parameters are read as they are declared.
    const std::string path = written.substr(0, written.find('?'));
    if (path != written) {
      if (!routes.insert(path).second) {
        warning(item_node, "spec-invalid", "path '" + written + "' has a query string, and without it is the route '" +
                                               path + "' of another path item; ignored");
        return;
      }
      warning(item_node, "spec-invalid",
              "path '" + written + "' has a query string; the route is '" + path +
                  "', and the query parameters are read as the operations declare them");
    }
    auto item = doc_.deref(item_node, diag_);
    if (!item) return;
    std::vector<Parameter> shared;
    body_parameters_.clear();
    if (auto list = child(*item, "parameters")) shared = read_parameters(*list, {path});
    const std::vector<Node> shared_body = body_parameters_;
    for (auto method : kMethods) {
      body_parameters_ = shared_body;
      if (auto operation = child(*item, method)) read_operation(path, method, shared, *operation);
    }
  });
  std::sort(api_.operations.begin(), api_.operations.end(),
            [](const Operation& a, const Operation& b) {
              return std::tie(a.path, a.method) < std::tie(b.path, b.method);
            });
}

std::string Builder::derived_operation_id(std::string_view method, std::string_view path) {
  std::string id(method);
  std::string segment;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (!segment.empty()) {
        if (segment.front() == '{' && segment.back() == '}') {
          id += "_by_" + segment.substr(1, segment.size() - 2);
        } else {
          id += "_" + segment;
        }
      }
      segment.clear();
    } else {
      segment += path[i];
    }
  }
  return id;
}

void Builder::read_operation(const std::string& path, std::string_view method,
                             const std::vector<Parameter>& shared, const Node& node) {
  Operation op;
  op.origin = origin(node);
  op.method.assign(method);
  std::transform(op.method.begin(), op.method.end(), op.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  op.path = path;
  op.operation_id = text(node, "operationId");
  if (op.operation_id.empty()) op.operation_id = derived_operation_id(method, path);
  op.summary = text(node, "summary");
  op.description = text(node, "description");
  op.deprecated = flag(node, "deprecated");
  if (node->is_object()) {
    for (const auto& [key, value] : node->items()) {
      if (key.rfind("x-", 0) == 0) op.extensions[key] = value;
    }
  }
  if (auto tags = child(node, "tags"); tags && (*tags)->is_array()) {
    for (const auto& tag : **tags) {
      if (tag.is_string()) op.tags.push_back(tag.get<std::string>());
    }
  }
  op.parameters = shared;
  if (auto list = child(node, "parameters")) {
    for (auto& parameter : read_parameters(*list, {op.operation_id})) {
      auto same = std::find_if(op.parameters.begin(), op.parameters.end(), [&](const Parameter& p) {
        return p.name == parameter.name && p.in == parameter.in;
      });
      if (same != op.parameters.end()) {
        *same = std::move(parameter);
      } else {
        op.parameters.push_back(std::move(parameter));
      }
    }
  }
  check_path_parameters(node, op);
  if (swagger2_) {
    consumes_ = child(node, "consumes") ? media_types(node, "consumes") : global_consumes_;
    produces_ = child(node, "produces") ? media_types(node, "produces") : global_produces_;
    op.request_body = swagger_request_body(node, op.operation_id);
  } else if (auto body = resolved_child(node, "requestBody")) {
    op.request_body = read_request_body(*body, op.operation_id);
  }
  if (auto responses = child(node, "responses")) {
    for_each_member(*responses, [&](const std::string& status, const Node& response) {
      if (status.rfind("x-", 0) == 0) return;
      if (auto resolved = doc_.deref(response, diag_)) {
        op.responses.push_back(read_response(*resolved, status, op.operation_id));
      }
    });
  }
  if (op.responses.empty()) {
    warning(node, "no-responses",
            "operation " + op.method + " " + path + " declares no responses; it answers 'default' with no body");
    Response fallback;
    fallback.origin = op.origin;
    fallback.status = "default";
    fallback.description = "Undocumented response.";
    op.responses.push_back(std::move(fallback));
  }
  std::stable_sort(op.responses.begin(), op.responses.end(), [](const Response& a, const Response& b) {
    auto rank = [](const std::string& status) {
      if (status == "default") return 2;
      return status.find_first_not_of("0123456789") == std::string::npos ? 0 : 1;
    };
    return std::make_pair(rank(a.status), a.status) < std::make_pair(rank(b.status), b.status);
  });
  api_.operations.push_back(std::move(op));
}

void Builder::check_path_parameters(const Node& node, Operation& op) {
  std::set<std::string> in_template;
  for (std::size_t open = op.path.find('{'); open != std::string::npos;
       open = op.path.find('{', open + 1)) {
    const auto close = op.path.find('}', open);
    if (close == std::string::npos) {
      error(node, "spec-invalid", "unbalanced '{' in path '" + op.path + "'");
      return;
    }
    in_template.insert(op.path.substr(open + 1, close - open - 1));
  }
  for (const auto& name : in_template) {
    const bool declared = std::any_of(op.parameters.begin(), op.parameters.end(), [&](const Parameter& p) {
      return p.in == ParamIn::Path && p.name == name;
    });
    if (!declared && lenient_) {
      warning(node, "spec-invalid", "path parameter '" + name + "' of '" + op.path +
                                        "' is not declared; taken as a string");
      Parameter p;
      p.origin = op.origin;
      p.name = name;
      p.in = ParamIn::Path;
      p.style = ParamStyle::Simple;
      p.explode = false;
      p.required = true;
      Schema text_schema;
      text_schema.origin = op.origin;
      text_schema.name_parts = {op.operation_id, name};
      text_schema.types = kString;
      text_schema.has_type = true;
      api_.schemas.push_back(std::move(text_schema));
      p.schema = api_.schemas.size() - 1;
      op.parameters.push_back(std::move(p));
    } else if (!declared) {
      error(node, "spec-invalid", "path parameter '" + name + "' of '" + op.path + "' is not declared");
    }
  }
  // A declared path parameter the template lacks can never be given: it is dropped.
  auto absent = [&](const Parameter& p) { return p.in == ParamIn::Path && !in_template.count(p.name); };
  for (const auto& p : op.parameters) {
    if (absent(p)) {
      diag_.warning("spec-invalid",
                    "path parameter '" + p.name + "' does not appear in the path '" + op.path + "'; ignored",
                    doc_.location({nullptr, p.origin.file, p.origin.pointer_in_file}), p.origin.pointer);
    }
  }
  op.parameters.erase(std::remove_if(op.parameters.begin(), op.parameters.end(), absent),
                      op.parameters.end());
}

std::vector<Parameter> Builder::read_parameters(const Node& list, const std::vector<std::string>& scope) {
  std::vector<Parameter> result;
  if (!list->is_array()) {
    error(list, "spec-invalid", "'parameters' must be an array");
    return result;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto node = doc_.deref(*doc_.child(list, i), diag_);
    if (!node) continue;
    if (auto parameter = read_parameter(*node, scope)) result.push_back(std::move(*parameter));
  }
  return result;
}

std::optional<Parameter> Builder::read_parameter(const Node& node, const std::vector<std::string>& scope) {
  if (swagger2_ && (text(node, "in") == "body" || text(node, "in") == "formData")) {
    body_parameters_.push_back(node);  // becomes the operation's request body
    return std::nullopt;
  }
  Parameter p;
  p.origin = origin(node);
  p.name = text(node, "name");
  p.description = text(node, "description");
  p.deprecated = flag(node, "deprecated");
  p.allow_empty_value = flag(node, "allowEmptyValue");
  const std::string in = text(node, "in");
  static const std::map<std::string, ParamIn, std::less<>> kIn = {
      {"path", ParamIn::Path}, {"query", ParamIn::Query}, {"header", ParamIn::Header},
      {"cookie", ParamIn::Cookie}};
  auto where = kIn.find(in);
  if (p.name.empty() || where == kIn.end()) {
    ignored(node, "spec-invalid", "a parameter needs a 'name' and 'in' (path, query, header or cookie)");
    return std::nullopt;
  }
  p.in = where->second;
  p.required = p.in == ParamIn::Path || flag(node, "required");
  if (p.in == ParamIn::Path && !flag(node, "required")) {
    warning(node, "spec-invalid", "path parameter '" + p.name + "' must be required; treated as required");
  }
  p.style = p.in == ParamIn::Query || p.in == ParamIn::Cookie ? ParamStyle::Form : ParamStyle::Simple;
  if (auto style = child(node, "style")) {
    static const std::map<std::string, ParamStyle, std::less<>> kStyles = {
        {"simple", ParamStyle::Simple},         {"label", ParamStyle::Label},
        {"matrix", ParamStyle::Matrix},         {"form", ParamStyle::Form},
        {"spaceDelimited", ParamStyle::SpaceDelimited},
        {"pipeDelimited", ParamStyle::PipeDelimited}, {"deepObject", ParamStyle::DeepObject}};
    auto known = (*style)->is_string() ? kStyles.find((*style)->get<std::string>()) : kStyles.end();
    if (known == kStyles.end()) {
      warning(*style, "spec-invalid", "unknown parameter style " + (*style)->dump() +
                                          "; read in the default style of its location");
    } else {
      p.style = known->second;
    }
  }
  p.explode = flag(node, "explode", p.style == ParamStyle::Form);
  if (swagger2_) read_collection_format(node, p);
  auto parts = extended(scope, p.name);
  if (swagger2_) {
    p.schema = schema(node, std::move(parts));  // 2.0 parameters carry the schema keywords
  } else if (auto schema_node = child(node, "schema")) {
    p.schema = schema(*schema_node, std::move(parts));
  } else if (auto content = child(node, "content"); content && (*content)->is_object() &&
                                                    !(*content)->empty()) {
    const std::string media_type = (*content)->begin().key();
    auto media = *doc_.child(*content, media_type);
    // Other media types are text as far as a parameter goes, which is what it becomes. JSON
    // would need parsing the value: not done yet, and said so.
    if (is_json_media_type(media_type)) {
      warning(media, "unsupported-feature",
              "parameter '" + p.name + "' carries JSON content; it is decoded as a plain string");
    }
    p.schema = text_schema_of(origin(media), std::move(parts));
  } else {
    warning(node, "spec-invalid", "parameter '" + p.name +
                                      "' has neither 'schema' nor 'content'; read as a string");
    p.schema = text_schema_of(origin(node), std::move(parts));
  }
  return p;
}

// A plain string schema for a parameter that declares none (or a content that is not JSON).
SchemaId Builder::text_schema_of(Origin where, std::vector<std::string> name_parts) {
  Schema text_schema;
  text_schema.origin = std::move(where);
  text_schema.name_parts = std::move(name_parts);
  text_schema.types = kString;
  api_.schemas.push_back(std::move(text_schema));
  return api_.schemas.size() - 1;
}

std::vector<MediaType> Builder::read_content(const Node& node, const std::vector<std::string>& scope) {
  std::vector<MediaType> result;
  auto content = child(node, "content");
  if (!content) return result;
  for_each_member(*content, [&](const std::string& name, const Node& media) {
    MediaType m;
    m.name = name;
    if (auto schema_node = child(media, "schema")) {
      auto parts = scope;
      if ((*content)->size() > 1 && !is_json_media_type(name)) parts.push_back(name);
      m.schema = schema(*schema_node, std::move(parts));
    }
    result.push_back(std::move(m));
  });
  // JSON first: it is what the typed body is made of.
  std::stable_sort(result.begin(), result.end(), [](const MediaType& a, const MediaType& b) {
    return is_json_media_type(a.name) && !is_json_media_type(b.name);
  });
  return result;
}

std::vector<std::string> Builder::media_types(const Node& node, std::string_view key) {
  std::vector<std::string> types;
  if (auto list = child(node, key); list && (*list)->is_array()) {
    for (const auto& type : **list) {
      if (type.is_string()) types.push_back(type.get<std::string>());
    }
  }
  return types;
}

// 2.0 collectionFormat as a 3.x style.
void Builder::read_collection_format(const Node& node, Parameter& p) {
  const std::string format = text(node, "collectionFormat");
  const bool query = p.in == ParamIn::Query || p.in == ParamIn::Cookie;
  if (format.empty() || format == "csv") {
    p.style = query ? ParamStyle::Form : ParamStyle::Simple;
    p.explode = false;
  } else if (format == "multi" && query) {
    p.style = ParamStyle::Form;
    p.explode = true;
  } else if (format == "ssv" && query) {
    p.style = ParamStyle::SpaceDelimited;
    p.explode = false;
  } else if (format == "pipes" && query) {
    p.style = ParamStyle::PipeDelimited;
    p.explode = false;
  } else {
    warning(*child(node, "collectionFormat"), "unsupported-feature",
            "collectionFormat '" + format + "' is not supported here; values are split at commas");
    p.style = query ? ParamStyle::Form : ParamStyle::Simple;
    p.explode = false;
  }
}

// The 2.0 `in: body` parameter, or the `in: formData` ones gathered into one object.
std::optional<RequestBody> Builder::swagger_request_body(const Node& operation, const std::string& operation_id) {
  if (body_parameters_.empty()) return std::nullopt;
  RequestBody body;
  body.origin = origin(operation);
  std::vector<Node> form;
  for (const Node& parameter : body_parameters_) {
    if (text(parameter, "in") == "formData") {
      form.push_back(parameter);
      continue;
    }
    auto schema_node = child(parameter, "schema");
    if (!schema_node) {
      error(parameter, "spec-invalid", "a body parameter needs a 'schema'");
      continue;
    }
    body.required = flag(parameter, "required");
    body.description = text(parameter, "description");
    const SchemaId id = schema(*schema_node, {operation_id, "body"});
    for (const auto& type : consumes_.empty() ? std::vector<std::string>{"application/json"} : consumes_) {
      body.content.push_back({type, id});
    }
  }
  if (!form.empty()) {
    Schema object;
    object.origin = body.origin;
    object.name_parts = {operation_id, "body"};
    object.types = kObject;
    bool files = false;
    for (const Node& parameter : form) {
      const std::string name = text(parameter, "name");
      const SchemaId id = schema(parameter, {operation_id, "body", name});
      files = files || api_.schemas[id].format == "binary";
      const bool required = flag(parameter, "required");
      object.properties.push_back({name, id, required});
      if (required) object.required.push_back(name);
      body.required = body.required || required;
    }
    std::sort(object.required.begin(), object.required.end());
    api_.schemas.push_back(std::move(object));
    const SchemaId id = api_.schemas.size() - 1;
    for (const auto& type : consumes_) {
      if (type.rfind("multipart/form-data", 0) == 0 || type.rfind("application/x-www-form-urlencoded", 0) == 0) {
        body.content.push_back({type, id});
      }
    }
    if (body.content.empty()) {
      body.content.push_back({files ? "multipart/form-data" : "application/x-www-form-urlencoded", id});
    }
  }
  return body;
}

RequestBody Builder::read_request_body(const Node& node, const std::string& operation_id) {
  RequestBody body;
  body.origin = origin(node);
  body.required = flag(node, "required");
  body.description = text(node, "description");
  body.content = read_content(node, {operation_id, "body"});
  return body;
}

Response Builder::read_response(const Node& node, const std::string& status, const std::string& operation_id) {
  Response response;
  response.origin = origin(node);
  response.status = status;
  const bool valid_status =
      status == "default" ||
      (status.size() == 3 && status[0] >= '1' && status[0] <= '5' &&
       ((std::isdigit(static_cast<unsigned char>(status[1])) &&
         std::isdigit(static_cast<unsigned char>(status[2]))) ||
        (status[1] == 'X' && status[2] == 'X')));
  if (!valid_status) error(node, "spec-invalid", "'" + status + "' is not a response status");
  response.description = text(node, "description");
  if (auto headers = child(node, "headers")) {
    for_each_member(*headers, [&](const std::string& name, const Node& header_node) {
      auto header = doc_.deref(header_node, diag_);
      if (!header) return;
      Header h;
      h.origin = origin(*header);
      h.name = name;
      h.required = flag(*header, "required");
      h.deprecated = flag(*header, "deprecated");
      h.explode = flag(*header, "explode");
      h.description = text(*header, "description");
      if (auto schema_node = child(*header, "schema")) {
        h.schema = schema(*schema_node, {operation_id, status, name});
      } else if (swagger2_) {
        h.schema = schema(*header, {operation_id, status, name});
      } else {
        Schema text_schema;
        text_schema.origin = origin(*header);
        text_schema.name_parts = {operation_id, status, name};
        text_schema.types = kString;
        api_.schemas.push_back(std::move(text_schema));
        h.schema = api_.schemas.size() - 1;
      }
      response.headers.push_back(std::move(h));
    });
  }
  if (swagger2_) {
    if (auto schema_node = child(node, "schema")) {
      const SchemaId id = schema(*schema_node, {operation_id, status == "default" ? "default" : status});
      for (const auto& type : produces_.empty() ? std::vector<std::string>{"application/json"} : produces_) {
        response.content.push_back({type, id});
      }
    }
    return response;
  }
  response.content = read_content(node, {operation_id, status == "default" ? "default" : status});
  return response;
}

}  // namespace oasgen::model::detail
