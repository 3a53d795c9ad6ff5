// oasgen: OpenAPI -> C++ server code. Wires the pipeline stages together:
// load -> model -> naming -> render -> write.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/project_commands.hpp"
#include "diff/diff.hpp"
#include "load/document.hpp"
#include "model/build_model.hpp"
#include "naming/build_cpp_api.hpp"
#include "naming/namer.hpp"
#include "pipeline.hpp"
#include "render/templates.hpp"
#include "support/allocator.hpp"
#include "write/depfile.hpp"
#include "write/output_sink.hpp"

namespace {

namespace fs = std::filesystem;
using namespace oasgen;

using cli::kExitInternalError;
using cli::kExitSpecError;

// "a::b" with each part a safe identifier.
bool valid_namespace(const std::string& ns) {
  std::size_t start = 0;
  while (true) {
    const auto end = ns.find("::", start);
    if (!naming::is_safe_identifier(ns.substr(start, end - start))) return false;
    if (end == std::string::npos) return true;
    start = end + 2;
  }
}

// What build systems ask of `generate` besides the files: the file list, a depfile, and a number
// of .cpp files known before generating.
struct BuildIntegration {
  bool list_outputs = false;  // print the relative paths that would be written; write nothing
  fs::path depfile;           // empty: none
  fs::path depfile_target;    // empty: the first generated file
  std::size_t parts = 0;      // 0: as many as the API's size needs
};

int generate_files(const fs::path& spec, const fs::path& out, const cpp::Options& options,
                   const cli::SpecOptions& spec_options, bool check_only,
                   const BuildIntegration& integration, bool docs = false, bool server = false,
                   bool client = false) {
  Diagnostics diagnostics;
  diagnostics.set_strict(spec_options.strict);
  GenerateOptions generate_options{options, OASGEN_VERSION, spec_options.templates_dir};
  if (spec_options.verbose) generate_options.trace = &std::cerr;
  generate_options.docs = docs;
  // The server is what `generate` writes unless only the client is asked for.
  generate_options.server = server || !client;
  generate_options.client = client;
  generate_options.parts = integration.parts;
  auto result = generate(spec, generate_options, diagnostics);
  // Freeing the document, model and C++ plan of a large API is a tenth of the run, just before the
  // process exits and gives the memory back anyway (as clang's -disable-free). Held from a static,
  // they are not a leak to LeakSanitizer.
  static auto* const kept_until_exit = new std::unique_ptr<Stages>();
  *kept_until_exit = std::move(result.stages);
  diagnostics.print(std::cerr);
  const auto& files = result.files;
  if (!files) return kExitSpecError;
  if (integration.list_outputs) {
    for (const auto& [path, content] : *files) std::cout << path << '\n';
    return 0;
  }
  if (check_only) {
    const auto differing = write::check(out, *files);
    for (const auto& path : differing) std::cerr << (out / path).string() << ": out of date\n";
    return differing.empty() ? 0 : kExitSpecError;
  }
  Diagnostics write_diagnostics;
  StageTrace write_trace(generate_options.trace, "write");
  const auto report = write::commit(out, *files, write_diagnostics);
  write_trace.done(std::to_string(report.written.size()) + " written, " +
                   std::to_string(report.unchanged.size()) + " unchanged, " +
                   std::to_string(report.removed.size()) + " removed");
  if (!integration.depfile.empty() && !write_diagnostics.has_errors() && !files->empty()) {
    const fs::path target = integration.depfile_target.empty() ? out / files->begin()->first
                                                               : integration.depfile_target;
    write::write_depfile(integration.depfile, target, result.inputs, write_diagnostics);
  }
  write_diagnostics.print(std::cerr);
  return write_diagnostics.has_errors() ? kExitSpecError : 0;
}

// `oasgen docs`: load -> model -> docs, without the C++ (so without naming's limits).
int docs_files(const fs::path& spec, const fs::path& out, const cli::SpecOptions& spec_options,
               bool check_only) {
  Diagnostics diagnostics;
  diagnostics.set_strict(spec_options.strict);
  GenerateOptions options{{}, OASGEN_VERSION, spec_options.templates_dir};
  if (spec_options.verbose) options.trace = &std::cerr;
  const auto result = generate_docs(spec, options, diagnostics);
  diagnostics.print(std::cerr);
  if (!result.files) return kExitSpecError;
  if (check_only) {
    const auto differing = write::check(out, *result.files);
    for (const auto& path : differing) std::cerr << (out / path).string() << ": out of date\n";
    return differing.empty() ? 0 : kExitSpecError;
  }
  Diagnostics write_diagnostics;
  write::commit(out, *result.files, write_diagnostics);
  write_diagnostics.print(std::cerr);
  return write_diagnostics.has_errors() ? kExitSpecError : 0;
}

int dump(const std::string& stage, const fs::path& spec, const cpp::Options& options,
         const cli::SpecOptions& spec_options) {
  Diagnostics diagnostics;
  diagnostics.set_strict(spec_options.strict);
  Stages stages;
  const bool ok = stages.run(spec, options, stage == "cpp", diagnostics,
                             spec_options.verbose ? &std::cerr : nullptr);
  diagnostics.print(std::cerr);
  if (!ok) return kExitSpecError;
  std::cout << (stage == "cpp" ? naming::dump(*stages.cpp) : model::dump(*stages.model)).dump(2)
            << '\n';
  return 0;
}

// `oasgen diff OLD NEW`: 0 when no finding reaches `fail_on`, 1 when one does, 2 when either
// document does not load (its problems printed as `generate` prints them).
int diff_specs(const fs::path& old_spec, const fs::path& new_spec, const cpp::Options& options,
               const std::string& format, const std::string& fail_on, bool wire_only) {
  Diagnostics old_diagnostics, new_diagnostics;
  const auto report = diff::diff_files(old_spec, new_spec, {options, !wire_only}, old_diagnostics,
                                       new_diagnostics);
  old_diagnostics.print(std::cerr);
  new_diagnostics.print(std::cerr);
  if (!report) return 2;
  if (format == "json") {
    std::cout << diff::to_json(*report).dump(2) << '\n';
  } else {
    diff::print_text(*report, std::cout);
  }
  const auto worst = diff::worst(*report);
  const diff::Level threshold = fail_on == "info"      ? diff::Level::Info
                                : fail_on == "warning" ? diff::Level::Warning
                                                       : diff::Level::Error;
  return worst && *worst >= threshold ? 1 : 0;
}

int export_templates(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& [name, source] : render::builtin_templates()) {
    files[name + ".mustache"] = std::string(source);
  }
  Diagnostics diagnostics;
  write::commit(dir, files, diagnostics);
  diagnostics.print(std::cerr);
  return diagnostics.has_errors() ? kExitSpecError : 0;
}

}  // namespace

int main(int argc, char** argv) {
  oasgen::tune_malloc(argv);  // first: it may start the program again
  CLI::App app{"oasgen: generates C++ server and client code (DTOs, validators, handler "
               "interfaces, routes) from an OpenAPI 2.0/3.0/3.1 document, starts a project that "
               "serves one (init), keeps its handlers in step with the spec (stubs), and tells "
               "what an edit of a spec breaks (diff). Specs are read leniently: a construct that "
               "is wrong but has a safe reading is a warning; --strict makes it an error."};
  app.set_version_flag("--version", std::string("oasgen ") + OASGEN_VERSION);
  app.require_subcommand(1);

  std::string spec;
  std::string out;
  std::string ns = "api";
  std::string templates_dir;
  bool check_only = false;
  cli::SpecOptions spec_options;
  // Every command that reads a spec reads it leniently unless told otherwise, and can trace.
  auto add_spec_flags = [&](CLI::App* command) {
    command->add_flag("--strict", spec_options.strict,
                      "Treat warnings as errors: a construct that is wrong but has a safe reading "
                      "(a pattern that is not ECMA-262, a parameter without a schema, ...) stops "
                      "the command instead of being read leniently. For CI");
    command->add_flag("-v,--verbose", spec_options.verbose,
                      "Print each stage's time and size on stderr");
  };

  auto* gen = app.add_subcommand("generate", "Generate C++ code from SPEC into the output directory");
  gen->add_option("spec", spec, "OpenAPI document (YAML or JSON)")->required()->check(CLI::ExistingFile);
  gen->add_option("-o,--output", out, "Output directory (created if missing)")->required();
  gen->add_option("-n,--namespace", ns, "C++ namespace of the generated code, e.g. acme::pets")
      ->capture_default_str();
  gen->add_option("--templates", templates_dir,
                  "Directory of templates overriding the built-in ones file by file")
      ->check(CLI::ExistingDirectory);
  BuildIntegration integration;
  gen->add_flag("--list-outputs", integration.list_outputs,
                "Write nothing; print the paths (relative to the output directory) that would be "
                "written");
  gen->add_option("--depfile", integration.depfile,
                  "Also write a Make-style depfile listing every file read: the spec, the files it "
                  "references through $ref, the template overrides used");
  gen->add_option("--depfile-target", integration.depfile_target,
                  "The target named in the depfile (default: the first generated file)")
      ->needs("--depfile");
  gen->add_option("--parts", integration.parts,
                  "Write the models and the server code as exactly N .cpp files each (models.cpp, "
                  "models_2.cpp, ...; for build systems that list sources before generating). "
                  "Default: as few as hold at most 800 types (aliases of shared types not counted) or 300 operations each")
      ->check(CLI::Range(1, 256));
  bool docs = false;
  gen->add_flag("--docs", docs,
                "Also write the API reference: docs/API.md, docs/index.html (self-contained), "
                "docs/openapi.json, and include/<ns>/docs.hpp + src/docs.cpp to serve them");
  bool server = false;
  bool client = false;
  gen->add_flag("--server", server,
                "Write the server: include/<ns>/server.hpp and src/server.cpp (the default unless "
                "--client is given alone)");
  gen->add_flag("--client", client,
                "Write the typed client: include/<ns>/client.hpp and src/client.cpp");
  gen->add_flag("--check", check_only,
                "Write nothing; exit non-zero listing the files that differ from what would be written");
  std::string optional = "oasgen";
  gen->add_option("--optional", optional,
                  "What optional members and parameters are: oasgen (oasgen::Optional, "
                  "std::optional's interface, far quicker to compile) or std (std::optional)")
      ->check(CLI::IsMember({"oasgen", "std"}))
      ->capture_default_str();
  add_spec_flags(gen);

  auto* docs_cmd = app.add_subcommand(
      "docs", "Write only the API reference (docs/API.md, docs/index.html, docs/openapi.json) into DIR");
  docs_cmd->add_option("spec", spec, "OpenAPI document (YAML or JSON)")->required()->check(CLI::ExistingFile);
  docs_cmd->add_option("-o,--output", out, "Output directory (created if missing)")->required();
  docs_cmd->add_option("--templates", templates_dir,
                       "Directory of templates overriding the built-in ones file by file")
      ->check(CLI::ExistingDirectory);
  docs_cmd->add_flag("--check", check_only,
                     "Write nothing; exit non-zero listing the files that differ from what would be written");
  add_spec_flags(docs_cmd);

  std::string stage;
  auto* dump_cmd = app.add_subcommand("dump", "Print a pipeline stage as JSON (model or cpp)");
  dump_cmd->add_option("stage", stage, "model or cpp")->required()->check(CLI::IsMember({"model", "cpp"}));
  dump_cmd->add_option("spec", spec, "OpenAPI document")->required()->check(CLI::ExistingFile);
  dump_cmd->add_option("-n,--namespace", ns, "C++ namespace")->capture_default_str();
  add_spec_flags(dump_cmd);

  std::string dir;
  std::string init_ns;
  auto* init_cmd = app.add_subcommand(
      "init", "Create a CMake project in DIR that serves SPEC (or a starter spec): CMakeLists.txt "
              "(find_package(oasgen), oasgen_generate), main.cpp configured from OASGEN_* "
              "variables, handler.hpp with every operation answering 501 until written, a test "
              "calling one operation through the generated client, README.md and .gitignore. "
              "DIR must be missing or empty");
  init_cmd->add_option("dir", dir, "The project's folder (created; must be empty)")->required();
  init_cmd->add_option("--spec", spec, "OpenAPI document to serve, copied into the project with "
                                       "the files it references (default: a starter spec)")
      ->check(CLI::ExistingFile);
  init_cmd->add_option("-n,--namespace", init_ns,
                       "C++ namespace of the generated code (default: the folder's name as an "
                       "identifier)");
  init_cmd->add_option("--templates", templates_dir,
                       "Directory of templates overriding the built-in ones file by file "
                       "(project_*.mustache, stubs.hpp.mustache)")
      ->check(CLI::ExistingDirectory);
  add_spec_flags(init_cmd);

  std::string stubs_file;
  std::string stubs_check;
  auto* stubs_cmd = app.add_subcommand(
      "stubs", "Write the handler skeleton of SPEC once (-o FILE: every operation answering 501, "
               "never overwriting FILE), or check that FILE implements every operation (--check "
               "FILE: compiler-style errors for the operations it lacks, warnings for methods the "
               "spec no longer has; exit 1 when one is missing)");
  stubs_cmd->add_option("spec", spec, "OpenAPI document (YAML or JSON)")->required()->check(CLI::ExistingFile);
  auto* stubs_out = stubs_cmd->add_option("-o,--output", stubs_file, "The skeleton to write (must not exist)");
  stubs_cmd->add_option("--check", stubs_check, "The handler file to check against SPEC")
      ->check(CLI::ExistingFile)
      ->excludes(stubs_out);
  stubs_cmd->add_option("-n,--namespace", ns, "C++ namespace, as given to generate")->capture_default_str();
  stubs_cmd->add_option("--templates", templates_dir,
                        "Directory of templates overriding the built-in ones (stubs.hpp.mustache)")
      ->check(CLI::ExistingDirectory);
  add_spec_flags(stubs_cmd);

  std::string new_spec;
  std::string diff_format = "text";
  std::string fail_on = "error";
  bool wire_only = false;
  auto* diff_cmd = app.add_subcommand(
      "diff", "Compare two versions of a spec: what the edit breaks for old clients (wire) and for "
              "code written against the old generated C++ (source). Exit 1 when a finding reaches "
              "--fail-on, 2 when either document does not load");
  diff_cmd->add_option("old", spec, "The old OpenAPI document (YAML or JSON)")->required();
  diff_cmd->add_option("new", new_spec, "The new OpenAPI document (YAML or JSON)")->required();
  diff_cmd->add_option("--format", diff_format, "Output: text (compiler-style, grouped by operation) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  diff_cmd->add_option("--fail-on", fail_on,
                       "Exit 1 when a finding of this severity or worse exists: error, warning or info")
      ->check(CLI::IsMember({"error", "warning", "info"}))
      ->capture_default_str();
  diff_cmd->add_flag("--wire-only", wire_only, "Compare the wire only, not the generated C++");
  diff_cmd->add_option("-n,--namespace", ns, "C++ namespace, as given to generate (names the symbols and headers)")
      ->capture_default_str();
  diff_cmd->add_option("--optional", optional, "As given to generate: oasgen or std")
      ->check(CLI::IsMember({"oasgen", "std"}))
      ->capture_default_str();

  auto* templates_cmd = app.add_subcommand("templates", "Work with the built-in templates");
  std::string export_dir;
  auto* export_cmd = templates_cmd->add_subcommand("export", "Write the built-in templates to DIR for customising");
  export_cmd->add_option("dir", export_dir, "Destination directory")->required();
  templates_cmd->require_subcommand(1);

  CLI11_PARSE(app, argc, argv);

  for (const std::string& name : {ns, init_ns}) {
    if (!name.empty() && !valid_namespace(name)) {
      std::cerr << "oasgen: error: '" << name << "' is not a valid C++ namespace\n";
      return cli::kExitUsage;
    }
  }
  if (*stubs_cmd && stubs_file.empty() == stubs_check.empty()) {
    std::cerr << "oasgen: error: stubs needs -o FILE (write the skeleton) or --check FILE\n";
    return cli::kExitUsage;
  }
  spec_options.templates_dir = templates_dir;
  try {
    const cpp::Options options{ns, optional == "oasgen" ? cpp::OptionalType::Oasgen : cpp::OptionalType::Std};
    spec_options.ns = *init_cmd ? init_ns : ns;
    if (*gen) return generate_files(spec, out, options, spec_options, check_only, integration, docs, server, client);
    if (*docs_cmd) return docs_files(spec, out, spec_options, check_only);
    if (*dump_cmd) return dump(stage, spec, options, spec_options);
    if (*init_cmd) return cli::init_project(dir, spec, spec_options);
    if (*stubs_cmd) {
      return stubs_check.empty() ? cli::write_stubs(spec, stubs_file, spec_options)
                                 : cli::check_stubs(spec, stubs_check, spec_options);
    }
    if (*diff_cmd) return diff_specs(spec, new_spec, options, diff_format, fail_on, wire_only);
    if (*export_cmd) return export_templates(export_dir);
  } catch (const std::exception& e) {
    std::cerr << "oasgen: internal error: " << e.what() << "\n";
    return kExitInternalError;
  }
  return 0;
}
