// Runs the official Mustache spec (../shared/mustache-spec) against the engine in spec mode:
// not strict, HTML-escaping.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "render/mustache.hpp"
#include "skip.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using oasgen::render::MustacheError;
using oasgen::render::MustacheOptions;
using oasgen::render::render_mustache;

// Optional modules the engine does not implement.
const std::vector<std::string> kSkipped = {"~dynamic-names.json", "~lambdas.json"};

}  // namespace

TEST_CASE("mustache spec: every test of the supported modules passes") {
  const fs::path dir = fs::path(OASGEN_SHARED_DIR) / "mustache-spec";
  if (!fs::is_directory(dir)) return oasgen::test::skip("no Mustache spec folder at " + dir.string());
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());

  const MustacheOptions options{.strict = false, .html_escape = true};
  int passed = 0;
  int failed = 0;
  for (const fs::path& file : files) {
    const std::string file_name = file.filename().string();
    if (std::find(kSkipped.begin(), kSkipped.end(), file_name) != kSkipped.end()) continue;
    std::ifstream in(file);
    const json spec = json::parse(in);
    for (const json& test : spec.at("tests")) {
      const json partials = test.value("partials", json::object());
      auto loader = [&partials](std::string_view name) -> std::optional<std::string> {
        auto found = partials.find(std::string(name));
        if (found == partials.end()) return std::nullopt;
        return found->get<std::string>();
      };
      const std::string expected = test.at("expected").get<std::string>();
      std::string actual;
      try {
        actual = render_mustache(test.at("name").get<std::string>(),
                                 test.at("template").get<std::string>(), test.at("data"), loader,
                                 options);
      } catch (const MustacheError& e) {
        actual = std::string("error: ") + e.what();
      }
      if (actual == expected) {
        ++passed;
      } else {
        ++failed;
        std::cout << "FAIL " << file_name << " / " << test.at("name").get<std::string>()
                  << "\n  expected: " << json(expected).dump()
                  << "\n  actual:   " << json(actual).dump() << "\n";
      }
    }
  }
  std::cout << "mustache spec: " << passed << " passed, " << failed << " failed\n";
  std::cout << "mustache spec: skipped ~dynamic-names.json and ~lambdas.json "
               "(dynamic names and lambdas are not supported)\n";
  CHECK(passed > 0);
  CHECK(failed == 0);
}
