// The whole generator, spec in (files as in load_fuzz.cpp), files out into memory, server, client
// and docs. Properties: output or an error diagnostic, never both missing; never a crash; a second
// run gives the same files and the same diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"
#include "pipeline.hpp"

namespace {

struct Run {
  std::optional<std::map<std::string, std::string>> files;
  std::string diagnostics;
};

Run run(const std::filesystem::path& spec) {
  oasgen::GenerateOptions options;
  options.version = "fuzz";
  options.cpp.ns = "fuzz";
  options.client = true;
  options.docs = true;
  oasgen::Diagnostics diagnostics;
  Run result;
  result.files = oasgen::generate(spec, options, diagnostics).files;
  OASGEN_FUZZ_CHECK(result.files || diagnostics.has_errors(), "no output and no error");
  OASGEN_FUZZ_CHECK(!result.files || !diagnostics.has_errors(), "output despite an error");
  for (const auto& diagnostic : diagnostics.all()) {
    result.diagnostics += oasgen::format_diagnostic(diagnostic) + "\n";
  }
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static oasgen::fuzz::Scratch scratch;
  const auto input = oasgen::fuzz::text(data, size);
  const bool json = !input.empty() && (input[0] == '{' || input[0] == '[');
  const auto path = scratch.write(oasgen::fuzz::split_files(input, json ? "spec.json" : "spec.yaml"));
  const Run first = run(path);
  const Run second = run(path);
  OASGEN_FUZZ_CHECK(first.diagnostics == second.diagnostics, "diagnostics differ between runs");
  OASGEN_FUZZ_CHECK(first.files == second.files, "output differs between runs");
  if (first.files) {
    for (const auto& [name, body] : *first.files) {
      OASGEN_FUZZ_CHECK(!name.empty() && name.front() != '/' && name.find("..") == std::string::npos,
                        "an output path that leaves the output folder: " + name);
    }
  }
  return 0;
}
