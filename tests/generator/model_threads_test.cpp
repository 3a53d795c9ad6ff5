// The model's components are built on several threads and put in place in the walk's order: the
// schema ids, the schemas and the diagnostics do not depend on how many threads.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "load/document.hpp"
#include "model/build_model.hpp"

namespace fs = std::filesystem;

namespace {

// Components that refer to later and earlier ones, to themselves and round in cycles; allOf and
// oneOf parts that are references (built by the walk) or inline; unknown formats used first in
// one component and again in others; discriminators with mappings; keywords beside $ref and
// keywords of the wrong kind (diagnostics in the middle of the walk). `extra` is appended to the
// components.
std::string spec(const std::string& version, const std::string& extra) {
  std::string text = "openapi: " + version +
                     "\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    get:\n"
                     "      responses:\n        '200':\n          description: ok\n"
                     "          content:\n            application/json:\n"
                     "              schema: {$ref: '#/components/schemas/C0'}\n"
                     "components:\n  schemas:\n";
  for (int i = 0; i < 120; ++i) {
    const std::string n = std::to_string(i);
    const auto ref = [](int k) {
      return "{$ref: '#/components/schemas/C" + std::to_string((k + 120) % 120) + "'}";
    };
    text += "    C" + n + ":\n      type: object\n      properties:\n";
    text += "        next: " + ref(i + 7) + "\n";
    text += "        back: " + ref(i - 3) + "\n";
    text += "        self: " + ref(i) + "\n";
    text += "        list: {type: array, items: " + ref(i + 1) + "}\n";
    text += "        when: {type: string, format: made-up-" + std::to_string(i % 5) + "}\n";
    text += "        note: {$ref: '#/components/schemas/C" + std::to_string((i + 2) % 120) +
            "', description: d, minLength: 2}\n";
    if (i % 4 == 0) text += "        bad: {type: string, minLength: -1, pattern: 5}\n";
    if (i % 6 == 1) {
      text += "      allOf:\n        - " + ref(i + 11) +
              "\n        - {type: object, properties: {extra: {type: integer, format: made-up-"
              "x}}}\n";
    }
    if (i % 6 == 2) {
      text += "      oneOf:\n        - " + ref(i + 1) + "\n        - {type: object}\n" +
              "      discriminator:\n        propertyName: kind\n        mapping:\n" +
              "          one: '#/components/schemas/C" + std::to_string((i + 1) % 120) + "'\n" +
              "          gone: '#/components/schemas/Nowhere'\n";
    }
    if (i % 6 == 3) {
      text += "      anyOf:\n        - {$ref: '#/components/schemas/C" + std::to_string(i - 1) +
              "'}\n        - {type: 'null'}\n";
    }
    if (i % 10 == 5) text += "      additionalProperties: " + ref(i - 1) + "\n";
  }
  return text + extra;
}

std::pair<std::string, std::vector<std::string>> model(const fs::path& path, std::size_t threads) {
  oasgen::Diagnostics diagnostics;
  auto document = oasgen::load::load_document(path, diagnostics);
  REQUIRE(document);
  const auto api = oasgen::model::build_model(*document, diagnostics, {false, threads});
  std::vector<std::string> messages;
  for (const auto& diagnostic : diagnostics.all()) {
    messages.push_back(oasgen::format_diagnostic(diagnostic));
  }
  return {api ? oasgen::model::dump(*api).dump(1) : std::string(), messages};
}

}  // namespace

TEST_CASE("model: the schemas and diagnostics do not depend on the number of threads") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"3.0.3", ""},
      {"3.1.0", ""},
      // A component that is a reference: references to it are followed by the walk alone.
      {"3.0.3",
       "    Alias: {$ref: '#/components/schemas/C3'}\n"
       "    UsesAlias: {properties: {a: {$ref: '#/components/schemas/Alias'}}}\n"},
      // A reference into another component.
      {"3.0.3",
       "    Inner: {properties: {a: {$ref: '#/components/schemas/C9/properties/list'}}}\n"},
      // An allOf cycle: an error, reported where the walk finds it.
      {"3.0.3", "    LoopA: {allOf: [{$ref: '#/components/schemas/LoopA'}]}\n"},
  };
  for (const auto& [version, extra] : cases) {
    CAPTURE(version);
    CAPTURE(extra);
    const fs::path path = fs::temp_directory_path() /
                          ("oasgen-model-threads-" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(path) << spec(version, extra);
    const auto sequential = model(path, 1);
    CHECK(sequential.second.size() > 10);
    for (std::size_t threads : {2, 3, 8}) {
      CAPTURE(threads);
      const auto parallel = model(path, threads);
      CHECK(parallel.first == sequential.first);
      CHECK(parallel.second == sequential.second);
    }
    fs::remove(path);
  }
}
