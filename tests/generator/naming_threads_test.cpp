// Naming fills its types on several threads: the plan and its diagnostics do not depend on how
// many.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "naming/build_cpp_api.hpp"
#include "pipeline.hpp"

namespace fs = std::filesystem;

namespace {

// Hundreds of structs, enums, aliases and variants, some variants falling back to free-form JSON
// (which turns them into aliases that later variants see) and mentioning each other.
std::string many_types_spec() {
  std::string text =
      "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";
  for (int i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i);
    text += "    S" + n + ":\n      type: object\n      required: [id]\n      properties:\n" +
            "        id: {type: integer}\n        Some-Name" + n + ": {type: string}\n" +
            "        kind: {type: string, enum: [a-" + n + ", b, c]}\n" +
            "        next: {$ref: '#/components/schemas/V" + std::to_string((i + 1) % 300) + "'}\n";
    text += "    E" + n + ": {type: string, enum: [x" + n + ", y]}\n";
    text += "    A" + n + ": {type: array, items: {$ref: '#/components/schemas/S" + n + "'}}\n";
    // A third of the variants have two alternatives of the same C++ type: they fall back to
    // free-form JSON. The next third name one of those, before or after them: falling back
    // depends on whether it fell back first.
    std::string alternatives;
    if (i % 3 == 0) {
      alternatives =
          "{$ref: '#/components/schemas/S" + n + "'}, {$ref: '#/components/schemas/E" + n + "'}";
    } else if (i % 3 == 1) {
      alternatives =
          "{$ref: '#/components/schemas/S" + n + "'}, {$ref: '#/components/schemas/S" + n + "'}";
    } else {
      alternatives = "{$ref: '#/components/schemas/V" +
                     std::to_string(i % 2 ? i - 1 : (i + 152) % 300) + "'}, {type: object}";
    }
    text += "    V" + n + ": {oneOf: [" + alternatives + "]}\n";
  }
  return text;
}

}  // namespace

TEST_CASE("naming: the C++ plan and its diagnostics do not depend on the number of threads") {
  const fs::path spec =
      fs::temp_directory_path() / ("oasgen-naming-threads-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(spec) << many_types_spec();
  auto plan = [&](std::size_t threads) {
    oasgen::Stages stages;
    oasgen::Diagnostics diagnostics;
    oasgen::cpp::Options options;
    options.ns = "many";
    const bool ok = stages.run(spec, options, true, diagnostics, nullptr, threads);
    std::vector<std::string> messages;
    for (const auto& diagnostic : diagnostics.all()) {
      messages.push_back(oasgen::format_diagnostic(diagnostic));
    }
    return std::make_pair(ok ? oasgen::naming::dump(*stages.cpp).dump(1) : std::string(), messages);
  };
  const auto sequential = plan(1);
  REQUIRE(!sequential.first.empty());
  CHECK(sequential.first.find("\"variant\"") != std::string::npos);
  CHECK(!sequential.second.empty());  // the variants that fall back say so
  for (std::size_t threads : {2, 3, 8}) {
    CAPTURE(threads);
    const auto parallel = plan(threads);
    CHECK(parallel.first == sequential.first);
    CHECK(parallel.second == sequential.second);
  }
  fs::remove(spec);
}
