// The whole pipeline in one call: load -> model -> naming -> render, into memory. The CLI and the
// tests both go through here; writing to disk is the caller's step.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "load/document.hpp"
#include "model/model.hpp"
#include "naming/cpp_api.hpp"
#include "support/diagnostics.hpp"

namespace oasgen {

struct GenerateOptions {
  cpp::Options cpp;
  std::string version;                  ///< oasgen's version, for banners
  std::filesystem::path templates_dir;  ///< empty: built-in templates only
  /// Also the reference docs (docs/API.md, docs/index.html, docs/openapi.json) and the C++ that
  /// serves them (include/<ns>/docs.hpp, src/docs.cpp).
  bool docs = false;
  /// The server (include/<ns>/server.hpp, src/server.cpp) and the typed client
  /// (include/<ns>/client.hpp, src/client.cpp); include/<ns>/api.hpp holds what they share.
  bool server = true;
  bool client = false;
  /// > 0: models and server code in exactly this many .cpp files each (render::RenderOptions).
  std::size_t parts = 0;
  /// Threads for loading, naming and rendering (render::RenderOptions); 0: one per core. The docs
  /// are rendered beside the C++ when there is more than one.
  std::size_t threads = 0;
  /// Not null: each stage's time and size, one line each (`--verbose`).
  std::ostream* trace = nullptr;
};

/// The stages up to naming, for the commands that need the C++ plan but not the generated files
/// (`dump`, `stubs`, `init`). `cpp` points into `model`, so a Stages is not moved once run.
struct Stages {
  std::optional<load::Document> document;
  std::optional<model::Api> model;
  std::optional<cpp::Api> cpp;

  Stages() = default;
  Stages(const Stages&) = delete;
  Stages& operator=(const Stages&) = delete;

  /// Runs load and model, then naming when `through_naming`; false once a stage reports errors.
  /// `threads`: for loading and naming (0: one per core).
  bool run(const std::filesystem::path& spec, const cpp::Options& options, bool through_naming,
           Diagnostics& diagnostics, std::ostream* trace = nullptr, std::size_t threads = 0);
  /// Naming, after run(..., false, ...) succeeded; false when it reports errors.
  bool run_naming(const cpp::Options& options, Diagnostics& diagnostics,
                  std::ostream* trace = nullptr, std::size_t threads = 0);
};

/// Prints "oasgen: <stage>: <ms> ms, <what>" to `out` when it is not null, from construction to
/// `done()`.
class StageTrace {
 public:
  StageTrace(std::ostream* out, std::string stage);
  void done(const std::string& size);

 private:
  std::ostream* out_;
  std::string stage_;
  long long start_ns_;
};

struct GenerateResult {
  std::optional<std::map<std::string, std::string>> files;  ///< nullopt after any error
  std::vector<std::filesystem::path> inputs;                ///< every file read (spec, $refs, templates)
  /// The document, model and C++ plan the files come from, handed over so that the caller decides
  /// when to free them: freeing them takes a tenth of a large run, which a process about to exit
  /// can skip (the CLI does).
  std::unique_ptr<Stages> stages;
};

/// Runs every stage on `spec`, stopping at the first stage that reports errors.
GenerateResult generate(const std::filesystem::path& spec, const GenerateOptions& options,
                        Diagnostics& diagnostics);

/// The docs alone (load -> model -> docs, no C++): docs/API.md, docs/index.html and
/// docs/openapi.json. Only `version` and `templates_dir` of `options` apply.
GenerateResult generate_docs(const std::filesystem::path& spec, const GenerateOptions& options,
                             Diagnostics& diagnostics);

}  // namespace oasgen
