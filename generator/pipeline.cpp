#include "pipeline.hpp"

#include <chrono>
#include <future>
#include <sstream>
#include <system_error>

#include "load/bundle.hpp"
#include "model/build_model.hpp"
#include "naming/build_cpp_api.hpp"
#include "render/docs_view.hpp"
#include "render/render.hpp"
#include "support/task_pool.hpp"

namespace oasgen {
namespace {

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string kib(std::uintmax_t bytes) {
  return bytes < 10 * 1024 ? std::to_string(bytes) + " bytes"
                           : std::to_string((bytes + 512) / 1024) + " KiB";
}

std::string files_size(const std::map<std::string, std::string>& files) {
  std::uintmax_t bytes = 0;
  for (const auto& [path, content] : files) bytes += content.size();
  return std::to_string(files.size()) + " files, " + kib(bytes);
}

std::string load_size(const load::Document& document) {
  std::uintmax_t bytes = 0;
  const auto files = document.files();
  for (const auto& file : files) {
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (!error) bytes += size;
  }
  return std::to_string(files.size()) + (files.size() == 1 ? " file, " : " files, ") + kib(bytes);
}

std::string model_size(const model::Api& api) {
  return std::to_string(api.operations.size()) + " operations, " +
         std::to_string(api.schemas.size()) + " schemas";
}

std::string cpp_size(const cpp::Api& api) {
  return std::to_string(api.types.size()) + " types, " + std::to_string(api.operations.size()) +
         " handler methods";
}

}  // namespace

StageTrace::StageTrace(std::ostream* out, std::string stage)
    : out_(out), stage_(std::move(stage)), start_ns_(out ? now_ns() : 0) {}

void StageTrace::done(const std::string& size) {
  if (!out_) return;
  const long long ms = (now_ns() - start_ns_) / 1000000;
  *out_ << "oasgen: " << stage_ << ": " << ms << " ms, " << size << std::endl;
}

bool Stages::run(const std::filesystem::path& spec, const cpp::Options& options,
                 bool through_naming, Diagnostics& diagnostics, std::ostream* trace,
                 std::size_t threads) {
  threads = resolve_threads(threads);
  StageTrace load_trace(trace, "load");
  document = load::load_document(spec, diagnostics, threads);
  if (!document || diagnostics.has_errors()) return false;
  load_trace.done(load_size(*document));
  StageTrace model_trace(trace, "model");
  model = model::build_model(*document, diagnostics, {false, threads});
  if (!model || diagnostics.has_errors()) return false;
  model_trace.done(model_size(*model));
  return !through_naming || run_naming(options, diagnostics, trace, threads);
}

bool Stages::run_naming(const cpp::Options& options, Diagnostics& diagnostics,
                        std::ostream* trace, std::size_t threads) {
  StageTrace naming_trace(trace, "naming");
  cpp = naming::build_cpp_api(*model, options, diagnostics, resolve_threads(threads));
  if (!cpp || diagnostics.has_errors()) return false;
  naming_trace.done(cpp_size(*cpp));
  return true;
}

GenerateResult generate(const std::filesystem::path& spec, const GenerateOptions& options,
                        Diagnostics& diagnostics) {
  GenerateResult result;
  result.stages = std::make_unique<Stages>();
  const Stages& stages = *result.stages;
  const std::size_t threads = resolve_threads(options.threads);
  const bool ok =
      result.stages->run(spec, options.cpp, false, diagnostics, options.trace, threads);
  if (stages.document) result.inputs = stages.document->files();
  if (!ok) return result;

  // The docs only read the model and the document. With a thread to spare they are rendered beside
  // naming and the C++, into diagnostics, inputs and trace of their own that follow the C++'s, as
  // they would one after the other.
  struct Docs {
    Diagnostics diagnostics;
    std::vector<std::filesystem::path> inputs;
    std::optional<std::map<std::string, std::string>> files;
    std::string trace;
  };
  auto render_docs = [&] {
    Docs docs;
    docs.diagnostics.set_strict(diagnostics.strict());
    std::ostringstream trace;
    StageTrace docs_trace(options.trace ? &trace : nullptr, "docs");
    docs.files = render::render_docs(
        *stages.model, load::bundle(*stages.document, docs.diagnostics),
        {options.version, options.templates_dir, options.cpp.ns}, docs.diagnostics, &docs.inputs);
    if (docs.files) docs_trace.done(files_size(*docs.files));
    docs.trace = trace.str();
    return docs;
  };
  std::future<Docs> docs_beside;
  if (options.docs && threads > 1) docs_beside = std::async(std::launch::async, render_docs);
  if (!result.stages->run_naming(options.cpp, diagnostics, options.trace, threads)) return result;

  StageTrace render_trace(options.trace, "render");
  result.files = render::render(*stages.cpp,
                                {options.version, options.templates_dir, options.server,
                                 options.client, options.parts, threads},
                                diagnostics, &result.inputs);
  if (!result.files) return result;
  render_trace.done(files_size(*result.files));
  if (options.docs) {
    Docs docs = docs_beside.valid() ? docs_beside.get() : render_docs();
    for (const auto& diagnostic : docs.diagnostics.all()) diagnostics.report(diagnostic);
    result.inputs.insert(result.inputs.end(), docs.inputs.begin(), docs.inputs.end());
    if (options.trace) *options.trace << docs.trace << std::flush;
    if (!docs.files) {
      result.files.reset();
      return result;
    }
    result.files->merge(*docs.files);
  }
  return result;
}

GenerateResult generate_docs(const std::filesystem::path& spec, const GenerateOptions& options,
                             Diagnostics& diagnostics) {
  GenerateResult result;
  result.stages = std::make_unique<Stages>();
  const Stages& stages = *result.stages;
  const bool ok = result.stages->run(spec, options.cpp, false, diagnostics, options.trace,
                                     options.threads);
  if (stages.document) result.inputs = stages.document->files();
  if (!ok) return result;
  StageTrace docs_trace(options.trace, "docs");
  result.files = render::render_docs(*stages.model, load::bundle(*stages.document, diagnostics),
                                     {options.version, options.templates_dir, ""}, diagnostics,
                                     &result.inputs);
  if (result.files) docs_trace.done(files_size(*result.files));
  return result;
}

}  // namespace oasgen
