// Golden files: generated code is reviewed code. A difference fails with the first differing line;
// after reviewing it, re-bless with scripts/bless-goldens.sh.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "pipeline.hpp"

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> read_tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files[fs::relative(entry.path(), root).generic_string()] = text.str();
  }
  return files;
}

// "line N: expected ... / actual ..." for the first line that differs.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream a(expected), b(actual);
  std::string x, y;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, x));
    const bool more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return "identical lines, different line endings";
    if (!more_a || !more_b || x != y) {
      return "line " + std::to_string(line) + "\n  expected: " + (more_a ? x : "<end of file>") +
             "\n  actual:   " + (more_b ? y : "<end of file>");
    }
  }
}

oasgen::GenerateResult generate_case(const std::string& name, oasgen::Diagnostics& diagnostics) {
  oasgen::GenerateOptions options;
  options.cpp.ns = name;
  options.version = OASGEN_VERSION;
  options.client = true;  // the goldens hold the server and the client
  return oasgen::generate(fs::path(OASGEN_SOURCE_DIR) / "specs" / (name + ".yaml"), options, diagnostics);
}

}  // namespace

TEST_CASE("golden: generated code matches the reviewed files") {
  for (const std::string name : {"petstore", "hostile", "features", "security", "shapes"}) {
    CAPTURE(name);
    oasgen::Diagnostics diagnostics;
    const auto result = generate_case(name, diagnostics);
    REQUIRE_MESSAGE(result.files.has_value(), "generation failed");
    const auto expected = read_tree(fs::path(OASGEN_SOURCE_DIR) / "tests/golden" / name / "expected");
    for (const auto& file : *result.files) {
      const std::string& path = file.first;
      const std::string& content = file.second;
      CAPTURE(path);
      auto it = expected.find(path);
      if (it == expected.end()) {
        FAIL_CHECK("generated but not in the goldens (run scripts/bless-goldens.sh)");
      } else if (it->second != content) {
        FAIL_CHECK("differs from the golden (review, then run scripts/bless-goldens.sh): "
                   << first_difference(it->second, content));
      }
    }
    for (const auto& file : expected) {
      const std::string& path = file.first;
      CAPTURE(path);
      if (path != ".oasgen-manifest" && !result.files->count(path)) {
        FAIL_CHECK("in the goldens but no longer generated");
      }
    }
  }
}

TEST_CASE("golden: output is a pure function of the input") {
  oasgen::Diagnostics first_diagnostics, second_diagnostics;
  const auto first = generate_case("petstore", first_diagnostics);
  const auto second = generate_case("petstore", second_diagnostics);
  REQUIRE(first.files.has_value());
  CHECK(first.files == second.files);
  for (const auto& file : *first.files) {
    const std::string& path = file.first;
    CAPTURE(path);
    CHECK(file.second.find(OASGEN_SOURCE_DIR) == std::string::npos);  // no absolute paths
  }
}

TEST_CASE("golden: a JSON response declared as application/problem+json is labelled as declared") {
  oasgen::Diagnostics diagnostics;
  const auto catalog = generate_case("catalog", diagnostics);
  REQUIRE(catalog.files.has_value());
  std::string server;
  for (const auto& [path, content] : *catalog.files) {
    if (path.find("src/server") != std::string::npos) server += content;
  }
  // Every declared error of the catalog is a problem+json body, after typed_json_response's
  // default.
  CHECK(server.find("oasgen::typed_json_response(404, result.body);\n"
                    "  response.headers.set(\"Content-Type\", \"application/problem+json\");") !=
        std::string::npos);
  // Plain application/json bodies keep typed_json_response's own label, and nothing more.
  CHECK(server.find("oasgen::typed_json_response(200, result.body);\n"
                    "  response.headers.set(\"Content-Type\"") == std::string::npos);
}

TEST_CASE("golden: files and diagnostics do not depend on the number of threads") {
  // Template errors in every part of models.cpp and server.cpp, which render side by side.
  const fs::path overrides = fs::temp_directory_path() / "oasgen_golden_threads";
  fs::remove_all(overrides);
  fs::create_directories(overrides);
  std::ofstream(overrides / "models.cpp.mustache") << "{{missing_in_models}}\n";
  std::ofstream(overrides / "server.cpp.mustache") << "{{missing_in_server}}\n";
  auto run = [&](std::size_t threads, const fs::path& templates) {
    oasgen::GenerateOptions options;
    options.cpp.ns = "features";
    options.version = OASGEN_VERSION;
    options.client = options.docs = true;
    options.parts = 3;
    options.threads = threads;
    options.templates_dir = templates;
    oasgen::Diagnostics diagnostics;
    auto result =
        oasgen::generate(fs::path(OASGEN_SOURCE_DIR) / "specs/features.yaml", options, diagnostics);
    std::vector<std::string> messages;
    for (const auto& diagnostic : diagnostics.all()) {
      messages.push_back(oasgen::format_diagnostic(diagnostic));
    }
    return std::make_pair(std::move(result.files), messages);
  };
  const auto sequential = run(1, {});
  REQUIRE(sequential.first.has_value());
  for (std::size_t threads : {2, 4}) {
    CAPTURE(threads);
    const auto parallel = run(threads, {});
    CHECK(parallel.first == sequential.first);
    CHECK(parallel.second == sequential.second);
  }
  const auto failed = run(1, overrides);
  const std::vector<std::string>& errors = failed.second;
  CHECK_FALSE(failed.first.has_value());
  REQUIRE(errors.size() == 6);
  for (std::size_t i = 0; i < errors.size(); ++i) {
    CAPTURE(errors[i]);
    CHECK(errors[i].find(i < 3 ? "missing key 'missing_in_models'"
                               : "missing key 'missing_in_server'") != std::string::npos);
  }
  CHECK(run(4, overrides).second == errors);
  fs::remove_all(overrides);
}
