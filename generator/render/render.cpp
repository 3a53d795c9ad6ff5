#include "render/render.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

#include "render/client_view.hpp"
#include "render/mustache.hpp"
#include "support/task_pool.hpp"
#include "render/templates.hpp"
#include "render/view_util.hpp"
#include "render/views.hpp"

namespace oasgen::render {
namespace {

// One output file to render, or a missing template to report (no path), or with no template
// name, a file whose content is given (an empty part).
struct Job {
  const char* template_name = nullptr;
  std::string path;
  const ViewJson* view = nullptr;        // a header's, or a part's (see add_parts)
  std::optional<std::string> source;     // nullopt: no such template
  std::string content;
  std::optional<MustacheError> error;
};

// The models view is cut into at most this many slices per thread (so that slices that take
// longer even out), and into no more slices than there are runs of this many types; the slices
// are of equal weight (slice_starts), not of equal type counts.
constexpr std::size_t kSlicesPerThread = 4;
constexpr std::size_t kMinTypesPerSlice = 64;

void report(const Job& job, Diagnostics& diagnostics) {
  if (!job.source) {
    diagnostics.error("template-missing",
                      std::string("no template named '") + job.template_name + "'");
  } else if (job.error) {
    diagnostics.error(
        "template-error", job.error->what(),
        SourceLocation{job.error->template_name() + ".mustache", job.error->line(), 0});
  }
}

// The first type of each slice of the models view and, last, the end: at most `slices` slices of
// about equal weight, a type weighing about its members (a struct of forty fields takes forty
// times an enumeration of one value to build).
std::vector<std::size_t> slice_starts(const std::vector<cpp::Type>& types, std::size_t slices) {
  std::vector<std::size_t> weights;
  std::size_t total = 0;
  for (const auto& type : types) {
    total += weights.emplace_back(1 + type.fields.size() + type.values.size() +
                                  type.alternatives.size());
  }
  std::vector<std::size_t> starts{0};
  std::size_t done = 0;
  for (std::size_t i = 0; i + 1 < types.size(); ++i) {
    done += weights[i];
    if (done * slices >= total * starts.size()) starts.push_back(i + 1);
  }
  starts.push_back(types.size());
  return starts;
}

}  // namespace

std::optional<std::map<std::string, std::string>> render(
    const cpp::Api& api, const RenderOptions& options, Diagnostics& diagnostics,
    std::vector<std::filesystem::path>* overrides_read) {
  const TemplateSet templates(options.templates_dir);
  std::mutex templates_mutex;  // TemplateSet records the overrides it reads
  const PartialLoader partials = [&](std::string_view name) {
    std::lock_guard lock(templates_mutex);
    return templates.find(name);
  };
  auto render_job = [&](Job& job) {
    if (!job.source) return;
    try {
      job.content = render_mustache(job.template_name, *job.source, *job.view, partials);
    } catch (const MustacheError& e) {
      job.error = e;
    }
  };

  // Two chains that share nothing: the models (their view built in slices), and the server with
  // the client (built from the server's view). Each builds its view, renders the headers that read
  // all of it, then cuts it into the parts of its .cpp file (which take over its elements, so that
  // no view is held twice; see BENCHMARKS.md), rendered as tasks of their own. The parts' views
  // are never destroyed (keep_in_arena): their memory goes with the arenas, at the end.
  const std::string include = "include/" + include_dir_of(api.options.ns) + "/";
  TaskPool pool(resolve_threads(options.threads));
  const std::size_t types = api.types.size();
  const std::vector<std::size_t> starts = slice_starts(
      api.types, std::clamp<std::size_t>((types + kMinTypesPerSlice - 1) / kMinTypesPerSlice, 1,
                                         pool.threads() * kSlicesPerThread));
  const std::size_t slices = starts.size() - 1;
  // One per task that builds views (a slice of the models, the server's chain), outliving them.
  std::vector<std::unique_ptr<ViewArena>> arenas;
  for (std::size_t i = 0; i < slices + 1; ++i) arenas.push_back(std::make_unique<ViewArena>());
  Views views;
  enum Header { kModels, kApi, kServer, kClient };
  std::vector<Job> headers(4);
  std::vector<Job> model_parts, server_parts, client_parts;
  auto header = [&](Header which, const char* name, const ViewJson& view, const std::string& file) {
    headers[which] = {name, include + file, &view, partials(name), {}, std::nullopt};
    render_job(headers[which]);
  };
  auto add_parts = [&](std::vector<Job>& jobs, const char* name,
                       std::vector<ViewJson> views_of_parts, const std::string& stem) {
    auto source = partials(name);
    if (!source) {
      jobs.push_back({name, {}, nullptr, std::nullopt, {}, std::nullopt});
      return;
    }
    auto path = [&](std::size_t i) {
      return "src/" + stem + (i == 0 ? "" : "_" + std::to_string(i + 1)) + ".cpp";
    };
    jobs.reserve(std::max(views_of_parts.size(), options.parts));
    const std::string banner = views_of_parts.front().value("banner", std::string());
    for (std::size_t i = 0; i < views_of_parts.size(); ++i) {
      jobs.push_back({name, path(i), keep_in_arena(std::move(views_of_parts[i])), source, {},
                      std::nullopt});
    }
    for (std::size_t i = views_of_parts.size(); i < options.parts; ++i) {
      // --parts asked for more files than the API fills.
      jobs.push_back(
          {nullptr, path(i), nullptr, std::nullopt,
           "// " + banner + "\n// Empty: the API fits in fewer files than the build asked for.\n",
           std::nullopt});
    }
    for (auto& job : jobs) {
      if (job.template_name != nullptr && job.source)
        pool.add([&job, &render_job] { render_job(job); });
    }
  };
  auto server_chain = [&] {
    ViewArena::Scope scope(*arenas.back());
    views.server = build_server_view(api, options.version);
    if (options.client) views.client = build_client_view(api, views.server);
    header(kApi, "api.hpp", views.server, "api.hpp");
    if (options.server) header(kServer, "server.hpp", views.server, "server.hpp");
    if (options.client) header(kClient, "client.hpp", views.client, "client.hpp");
    if (options.server)
      add_parts(server_parts, "server.cpp", split_server(std::move(views.server), options.parts),
                "server");
    if (options.client)
      add_parts(client_parts, "client.cpp", split_client(std::move(views.client), options.parts),
                "client");
  };
  // The models view, the longest to build, in slices of types built side by side; the slice
  // finished last joins them (in order) and carries on.
  std::vector<ViewJson> model_slices(slices);
  std::atomic<std::size_t> slices_left(slices);
  auto models_slice = [&](std::size_t i) {
    ViewArena::Scope scope(*arenas[i]);
    model_slices[i] = build_models_view(api, options.version, starts[i], starts[i + 1]);
    if (slices_left.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    views.models = join_models_views(std::move(model_slices));
    header(kModels, "models.hpp", views.models, "models.hpp");
    add_parts(model_parts, "models.cpp", split_models(std::move(views.models), options.parts),
              "models");
  };
  // models.hpp, rendered alone after the slices, is the longest step that cannot be shared. With
  // threads to spare the server's chain goes first and the slices fill the others beside it; with
  // two, the slices go first, so that the server's chain keeps the other thread busy while
  // models.hpp renders (GitHub's render stage: 146-149 -> 136-137 ms, BENCHMARKS.md).
  const bool server_first = pool.threads() > 2;
  if (server_first) pool.add(server_chain);
  for (std::size_t i = 0; i < slices; ++i) pool.add([&, i] { models_slice(i); });
  if (!server_first) pool.add(server_chain);
  pool.run();

  // In the order the files were planned, whatever the order they were rendered in.
  std::map<std::string, std::string> files;
  for (auto* jobs : {&headers, &model_parts, &server_parts, &client_parts}) {
    for (auto& job : *jobs) {
      if (job.template_name == nullptr) {
        if (!job.path.empty()) files[job.path] = std::move(job.content);
        continue;
      }
      report(job, diagnostics);
      if (job.source && !job.error) files[job.path] = std::move(job.content);
    }
  }
  if (overrides_read != nullptr && !options.templates_dir.empty()) {
    // The folder too: an override added there later changes the output.
    overrides_read->push_back(options.templates_dir);
    for (const auto& [name, path] : templates.used_overrides()) overrides_read->push_back(path);
  }
  if (diagnostics.has_errors()) return std::nullopt;
  return files;
}

}  // namespace oasgen::render
