#include "render/project.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "render/mustache.hpp"
#include "render/templates.hpp"
#include "render/view_util.hpp"
#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using nlohmann::json;

// One line of a `//` comment: spec text that cannot end the comment.
std::string comment_line(const std::string& text) {
  std::string out;
  for (const auto& line : cpp_comment_lines(text)) out += (out.empty() ? "" : " ") + line;
  return out;
}

// Whether a request can be sent as it is default-constructed: no required parameter or body.
bool callable_empty(const cpp::Operation& op) {
  for (const auto& param : op.params) {
    if (param.source->required && param.default_value.empty()) return false;
  }
  return !(op.source->request_body && op.source->request_body->required);
}

json operation_view(const cpp::Operation& op) {
  const auto& source = *op.source;
  json results = json::array();
  for (const auto& result : op.results) results.push_back({{"name", result.name}});
  if (!results.empty()) results.back()["last"] = true;
  for (auto& result : results) result.emplace("last", false);
  return {{"method_name", op.method_name},
          {"request_type", op.request_type},
          {"result_type", op.result_type},
          {"doc", doc_json<json>({source.summary, source.method + " " + source.path})},
          {"results", results},
          {"has_results", !results.empty()},
          {"route_markdown", markdown_table_cell(source.method + " " + source.path)},
          {"method_markdown", markdown_table_cell(op.method_name)}};
}

std::string check_command(const cpp::Api& api, const ProjectOptions& options) {
  return "oasgen stubs " + options.spec_file + " --check " + options.handler_file + " --namespace " +
         api.options.ns;
}

json project_view(const cpp::Api& api, const ProjectOptions& options) {
  json operations = json::array();
  for (const auto& op : api.operations) {
    operations.push_back(operation_view(op));
    operations.back()["first"] = operations.size() == 1;
  }
  const std::string source = api.model ? api.model->source_name : options.spec_file;
  json view = {
      {"version", options.version},
      {"banner", comment_line("Written by oasgen " + options.version + " from " + source +
                              " as a starting point.")},
      {"check_command", comment_line(check_command(api, options))},
      {"namespace", api.options.ns},
      {"include_dir", include_dir_of(api.options.ns)},
      {"class_name", options.handler_class},
      {"project", options.project},
      {"spec_file", options.spec_file},
      {"title_markdown", markdown_text(api.model && !api.model->title.empty() ? api.model->title
                                                                              : options.project)},
      {"title_yaml", options.project},
      {"check_command_text", check_command(api, options)},
      {"operations", operations},
      {"has_operations", !operations.empty()}};
  // The test calls the first operation whose request needs no value (else the first), so that
  // it means something before anyone edits it.
  const cpp::Operation* tested = nullptr;
  for (const auto& op : api.operations) {
    if (callable_empty(op)) {
      tested = &op;
      break;
    }
  }
  if (!tested && !api.operations.empty()) tested = &api.operations.front();
  view["has_test_operation"] = tested != nullptr;
  view["test_operation"] = json::array();
  if (tested) {
    view["test_operation"].push_back({{"method_name", tested->method_name},
                                      {"request_type", tested->request_type},
                                      {"needs_values", !callable_empty(*tested)},
                                      {"method_literal", cpp_string_literal(tested->method_name)}});
  }
  return view;
}

// Renders one template of `templates` with `view`; nullopt (and a diagnostic) when it fails.
std::optional<std::string> render_one(const TemplateSet& templates, const char* name,
                                      const json& view, Diagnostics& diagnostics) {
  auto source = templates.find(name);
  if (!source) {
    diagnostics.error("template-missing", std::string("no template named '") + name + "'");
    return std::nullopt;
  }
  const PartialLoader partials = [&](std::string_view partial) { return templates.find(partial); };
  try {
    return render_mustache(name, *source, view, partials);
  } catch (const MustacheError& e) {
    diagnostics.error("template-error", e.what(),
                      SourceLocation{e.template_name() + ".mustache", e.line(), 0});
    return std::nullopt;
  }
}

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `source` with comments, string and character literals blanked (newlines kept), so that
// positions stay the same and nothing inside them looks like code.
std::string code_only(const std::string& source) {
  std::string out = source;
  enum class State { Code, Line, Block, String, Char } state = State::Code;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = source[i];
    const char next = i + 1 < source.size() ? source[i + 1] : '\0';
    switch (state) {
      case State::Code:
        if (c == '/' && next == '/') state = State::Line;
        else if (c == '/' && next == '*') state = State::Block;
        else if (c == '"') state = State::String;
        else if (c == '\'' && !(i > 0 && identifier_char(source[i - 1]))) state = State::Char;
        else continue;
        out[i] = ' ';
        continue;
      case State::Line:
        if (c == '\n') state = State::Code;
        break;
      case State::Block:
        if (c == '*' && next == '/') {
          out[i] = out[i + 1] = ' ';
          ++i;
          state = State::Code;
          continue;
        }
        break;
      case State::String:
      case State::Char:
        if (c == '\\' && next != '\0') {
          out[i] = ' ';
          if (next != '\n') out[i + 1] = ' ';
          ++i;
          continue;
        }
        if (c == (state == State::String ? '"' : '\'')) state = State::Code;
        break;
    }
    if (c != '\n') out[i] = ' ';
  }
  return out;
}

}  // namespace

std::optional<std::string> render_stubs(const cpp::Api& api, const ProjectOptions& options,
                                        Diagnostics& diagnostics) {
  const TemplateSet templates(options.templates_dir);
  return render_one(templates, "stubs.hpp", project_view(api, options), diagnostics);
}

std::optional<std::map<std::string, std::string>> render_project(const cpp::Api& api,
                                                                 const ProjectOptions& options,
                                                                 Diagnostics& diagnostics) {
  static constexpr std::pair<const char*, const char*> kFiles[] = {
      {"project_CMakeLists.txt", "CMakeLists.txt"},
      {"project_main.cpp", "main.cpp"},
      {"stubs.hpp", "handler.hpp"},
      {"project_test.cpp", "test.cpp"},
      {"project_README.md", "README.md"},
      {"project_gitignore", ".gitignore"},
  };
  const TemplateSet templates(options.templates_dir);
  const json view = project_view(api, options);
  std::map<std::string, std::string> files;
  bool failed = false;
  for (const auto& [template_name, path] : kFiles) {
    auto text = render_one(templates, template_name, view, diagnostics);
    if (text) {
      files[path] = std::move(*text);
    } else {
      failed = true;
    }
  }
  if (failed) return std::nullopt;
  return files;
}

std::optional<std::string> render_starter_spec(const ProjectOptions& options,
                                               Diagnostics& diagnostics) {
  const TemplateSet templates(options.templates_dir);
  // The project name is an identifier (oasgen init makes it one), so YAML needs no quoting.
  return render_one(templates, "project_openapi.yaml", json{{"title_yaml", options.project}},
                    diagnostics);
}

std::vector<FoundMethod> find_handler_methods(const std::string& source) {
  static constexpr std::string_view kSuffix = "Result";
  const std::string code = code_only(source);
  std::vector<FoundMethod> found;
  std::vector<std::size_t> line_starts = {0};
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '\n') line_starts.push_back(i + 1);
  }
  auto word_end = [&](std::size_t at) {
    while (at < code.size() && identifier_char(code[at])) ++at;
    return at;
  };
  auto skip_space = [&](std::size_t at) {
    while (at < code.size() && (code[at] == ' ' || code[at] == '\t' || code[at] == '\n' ||
                                code[at] == '\r')) {
      ++at;
    }
    return at;
  };
  for (std::size_t i = 0; i < code.size();) {
    if (!identifier_char(code[i]) || (i > 0 && identifier_char(code[i - 1]))) {
      ++i;
      continue;
    }
    const std::size_t end = word_end(i);
    const std::string_view word(code.data() + i, end - i);
    i = end;
    if (word.size() <= kSuffix.size() || word.substr(word.size() - kSuffix.size()) != kSuffix) {
      continue;
    }
    const std::size_t name_start = skip_space(end);
    if (name_start >= code.size() || !identifier_char(code[name_start]) ||
        (code[name_start] >= '0' && code[name_start] <= '9')) {
      continue;
    }
    const std::size_t name_end = word_end(name_start);
    const std::size_t paren = skip_space(name_end);
    if (paren >= code.size() || code[paren] != '(') continue;
    const auto line = std::upper_bound(line_starts.begin(), line_starts.end(), name_start) - 1;
    found.push_back({code.substr(name_start, name_end - name_start),
                     static_cast<int>(line - line_starts.begin()) + 1,
                     static_cast<int>(name_start - *line) + 1});
    i = name_end;
  }
  return found;
}

bool check_stubs(const cpp::Api& api, const std::string& file_name, const std::string& source,
                 Diagnostics& diagnostics) {
  const auto found = find_handler_methods(source);
  std::set<std::string> in_file;
  for (const auto& method : found) in_file.insert(method.name);
  std::set<std::string> in_spec;
  bool complete = true;
  for (const auto& op : api.operations) {
    in_spec.insert(op.method_name);
    if (in_file.count(op.method_name) != 0) continue;
    complete = false;
    const auto& source_op = *op.source;
    diagnostics.error("stub-missing",
                      "operation " + source_op.method + " " + source_op.path + " is not implemented in " +
                          file_name + ": add " + api.options.ns + "::" + op.result_type + " " +
                          op.method_name + "(const " + api.options.ns + "::" + op.request_type +
                          "& request, oasgen::Context& context) override",
                      api.model->locate(source_op.origin), source_op.origin.pointer);
  }
  std::set<std::string> reported;
  for (const auto& method : found) {
    if (in_spec.count(method.name) != 0 || !reported.insert(method.name).second) continue;
    diagnostics.warning("stub-stale",
                        "'" + method.name + "' is no operation of " + api.model->source_name +
                            " (any more): remove it, or restore the operation",
                        {file_name, method.line, method.column});
  }
  return complete;
}

}  // namespace oasgen::render
