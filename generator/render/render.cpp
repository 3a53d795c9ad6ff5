#include "render/render.hpp"

#include <mutex>

#include "render/client_view.hpp"
#include "render/mustache.hpp"
#include "render/parallel.hpp"
#include "render/templates.hpp"
#include "render/view_util.hpp"
#include "render/views.hpp"

namespace oasgen::render {
namespace {

// One output file to render, or a missing template to report, in the order of the diagnostics.
struct Job {
  const char* template_name;
  std::string path;
  const nlohmann::json* view = nullptr;  // read in place (headers), or
  nlohmann::json part;                   // owned, and freed once rendered (parts of .cpp files)
  std::optional<std::string> source;     // nullopt: no such template
  std::string content;
  std::optional<MustacheError> error;
};

void report(const Job& job, Diagnostics& diagnostics) {
  if (!job.source) {
    diagnostics.error("template-missing", std::string("no template named '") + job.template_name + "'");
  } else if (job.error) {
    diagnostics.error("template-error", job.error->what(),
                      SourceLocation{job.error->template_name() + ".mustache", job.error->line(), 0});
  }
}

}  // namespace

std::optional<std::map<std::string, std::string>> render(
    const cpp::Api& api, const RenderOptions& options, Diagnostics& diagnostics,
    std::vector<std::filesystem::path>* overrides_read) {
  const std::size_t threads = options.threads == 0 ? default_threads() : options.threads;
  Views views;
  views.include_dir = include_dir_of(api.options.ns);
  run_tasks(2, threads, [&](std::size_t i) {
    if (i == 0) {
      views.models = build_models_view(api, options.version);
    } else {
      views.server = build_server_view(api, options.version);
      if (options.client) views.client = build_client_view(api, views.server);
    }
  });
  const TemplateSet templates(options.templates_dir);
  std::mutex templates_mutex;  // TemplateSet records the overrides it reads
  const PartialLoader partials = [&](std::string_view name) {
    std::lock_guard lock(templates_mutex);
    return templates.find(name);
  };
  auto render_jobs = [&](std::vector<Job>& jobs) {
    run_tasks(jobs.size(), threads, [&](std::size_t i) {
      Job& job = jobs[i];
      if (!job.source) return;
      try {
        job.content = render_mustache(job.template_name, *job.source, job.view ? *job.view : job.part, partials);
      } catch (const MustacheError& e) {
        job.error = e;
      }
      job.part = nullptr;
    });
  };
  std::map<std::string, std::string> files;
  auto collect = [&](std::vector<Job>& jobs) {
    for (auto& job : jobs) {
      report(job, diagnostics);
      if (job.source && !job.error) files[job.path] = std::move(job.content);
    }
  };

  // The headers read the whole views, so they are rendered before the views are cut into parts.
  const std::string include = "include/" + views.include_dir + "/";
  std::vector<Job> headers;
  auto header = [&](const char* name, const nlohmann::json& view, std::string path) {
    headers.push_back({name, std::move(path), &view, nullptr, partials(name), {}, std::nullopt});
  };
  header("models.hpp", views.models, include + "models.hpp");
  header("api.hpp", views.server, include + "api.hpp");
  if (options.server) header("server.hpp", views.server, include + "server.hpp");
  if (options.client) header("client.hpp", views.client, include + "client.hpp");
  render_jobs(headers);
  collect(headers);

  // models.cpp, server.cpp and client.cpp, in parts for large APIs. The parts take over the views'
  // elements and each is freed once rendered, so that no view is held twice (see BENCHMARKS.md).
  std::vector<Job> parts;
  std::vector<std::string> empty_parts;  // the files asked for (--parts) that a small API does not fill
  auto add_parts = [&](const char* name, std::vector<nlohmann::json> views_of_parts, const std::string& stem) {
    auto source = partials(name);
    if (!source) {
      parts.push_back({name, {}, nullptr, nullptr, std::nullopt, {}, std::nullopt});
      return;
    }
    const std::string banner = views_of_parts.front().value("banner", std::string());
    auto path = [&](std::size_t i) {
      return "src/" + stem + (i == 0 ? "" : "_" + std::to_string(i + 1)) + ".cpp";
    };
    for (std::size_t i = 0; i < views_of_parts.size(); ++i) {
      parts.push_back({name, path(i), nullptr, std::move(views_of_parts[i]), source, {}, std::nullopt});
    }
    for (std::size_t i = views_of_parts.size(); i < options.parts; ++i) {
      files[path(i)] = "// " + banner + "\n// Empty: the API fits in fewer files than the build asked for.\n";
    }
  };
  add_parts("models.cpp", split_models(std::move(views.models), options.parts), "models");
  if (options.server) add_parts("server.cpp", split_server(std::move(views.server), options.parts), "server");
  if (options.client) add_parts("client.cpp", split_client(std::move(views.client), options.parts), "client");
  render_jobs(parts);
  collect(parts);

  if (overrides_read != nullptr && !options.templates_dir.empty()) {
    // The folder too: an override added there later changes the output.
    overrides_read->push_back(options.templates_dir);
    for (const auto& [name, path] : templates.used_overrides()) overrides_read->push_back(path);
  }
  if (diagnostics.has_errors()) return std::nullopt;
  return files;
}

}  // namespace oasgen::render
