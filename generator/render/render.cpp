#include "render/render.hpp"

#include "render/client_view.hpp"
#include "render/mustache.hpp"
#include "render/templates.hpp"
#include "render/views.hpp"

namespace oasgen::render {
namespace {

// Each output file: the template it comes from, the view it is rendered with, where it goes.
struct FilePlan {
  const char* template_name;
  const nlohmann::json Views::*view;
  std::string path;
};

}  // namespace

std::optional<std::map<std::string, std::string>> render(
    const cpp::Api& api, const RenderOptions& options, Diagnostics& diagnostics,
    std::vector<std::filesystem::path>* overrides_read) {
  Views views = build_views(api, options.version);
  if (options.client) views.client = build_client_view(api, views.server);
  const TemplateSet templates(options.templates_dir);
  const std::string include = "include/" + views.include_dir + "/";
  std::vector<FilePlan> plan = {
      {"models.hpp", &Views::models, include + "models.hpp"},

      {"api.hpp", &Views::server, include + "api.hpp"},
  };
  if (options.server) {
    plan.push_back({"server.hpp", &Views::server, include + "server.hpp"});

  }
  if (options.client) {
    plan.push_back({"client.hpp", &Views::client, include + "client.hpp"});
  }
  const PartialLoader partials = [&](std::string_view name) { return templates.find(name); };
  std::map<std::string, std::string> files;
  for (const auto& file : plan) {
    auto source = templates.find(file.template_name);
    if (!source) {
      diagnostics.error("template-missing", std::string("no template named '") + file.template_name + "'");
      continue;
    }
    try {
      files[file.path] = render_mustache(file.template_name, *source, views.*file.view, partials);
    } catch (const MustacheError& e) {
      diagnostics.error("template-error", e.what(),
                        SourceLocation{e.template_name() + ".mustache", e.line(), 0});
    }
  }
  // models.cpp, server.cpp and client.cpp, in parts for large APIs. The parts take over the views'
  // elements and each is freed once rendered, so that no view is held twice (see BENCHMARKS.md).
  auto render_parts = [&](const char* name, std::vector<nlohmann::json> parts, const std::string& stem) {
    auto source = templates.find(name);
    if (!source) {
      diagnostics.error("template-missing", std::string("no template named '") + name + "'");
      return;
    }
    const std::string banner = parts.front().value("banner", std::string());
    auto path = [&](std::size_t i) {
      return "src/" + stem + (i == 0 ? "" : "_" + std::to_string(i + 1)) + ".cpp";
    };
    for (std::size_t i = 0; i < parts.size(); ++i) {
      try {
        files[path(i)] = render_mustache(name, *source, parts[i], partials);
        parts[i] = nullptr;
      } catch (const MustacheError& e) {
        diagnostics.error("template-error", e.what(),
                          SourceLocation{e.template_name() + ".mustache", e.line(), 0});
      }
    }
    // The files asked for (--parts) that a small API does not fill.
    for (std::size_t i = parts.size(); i < options.parts; ++i) {
      files[path(i)] = "// " + banner +
                       "\n// Empty: the API fits in fewer files than the build asked for.\n";
    }
  };
  render_parts("models.cpp", split_models(std::move(views.models), options.parts), "models");
  if (options.server) render_parts("server.cpp", split_server(std::move(views.server), options.parts), "server");
  if (options.client) render_parts("client.cpp", split_client(std::move(views.client), options.parts), "client");
  if (overrides_read != nullptr && !options.templates_dir.empty()) {
    // The folder too: an override added there later changes the output.
    overrides_read->push_back(options.templates_dir);
    for (const auto& [name, path] : templates.used_overrides()) overrides_read->push_back(path);
  }
  if (diagnostics.has_errors()) return std::nullopt;
  return files;
}

}  // namespace oasgen::render
