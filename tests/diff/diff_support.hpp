// Runs `diff` on two specs given as YAML text (written to a temporary folder).
#pragma once

#include <unistd.h>  // getpid: a folder per process, so that parallel runs do not collide

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "diff/diff.hpp"

namespace diff_test {

inline constexpr const char* kHead = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

inline oasgen::diff::Report run(const std::string& old_yaml, const std::string& new_yaml,
                                const oasgen::diff::Options& options = {}) {
  const auto dir = std::filesystem::temp_directory_path() / ("oasgen_diff_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "old.yaml") << old_yaml;
  std::ofstream(dir / "new.yaml") << new_yaml;
  oasgen::Diagnostics old_diagnostics, new_diagnostics;
  auto report = oasgen::diff::diff_files(dir / "old.yaml", dir / "new.yaml", options, old_diagnostics,
                                         new_diagnostics);
  for (const auto& d : old_diagnostics.all()) MESSAGE(oasgen::format_diagnostic(d));
  for (const auto& d : new_diagnostics.all()) MESSAGE(oasgen::format_diagnostic(d));
  REQUIRE(report);
  return *report;
}

/// "error request-property-became-required" for each finding of `axis`, as a set.
inline std::set<std::string> ids(const oasgen::diff::Report& report,
                                 oasgen::diff::Axis axis = oasgen::diff::Axis::Wire) {
  std::set<std::string> out;
  for (const auto& f : report.findings) {
    if (f.axis == axis) out.insert(std::string(oasgen::diff::level_name(f.level)) + " " + f.id);
  }
  return out;
}

/// `spec` with the first `what` replaced by `with`.
inline std::string edited(std::string spec, const std::string& what, const std::string& with) {
  const auto at = spec.find(what);
  REQUIRE(at != std::string::npos);
  return spec.replace(at, what.size(), with);
}

/// A spec with one operation, POST /pets, whose request body and 200 response have the schemas
/// given, and the components given.
inline std::string pets(const std::string& request, const std::string& response,
                        const std::string& components = "{}") {
  return std::string(kHead) + "paths:\n  /pets:\n    post:\n      operationId: createPet\n"
         "      requestBody:\n        required: true\n        content:\n          application/json:\n"
         "            schema: " + request + "\n      responses:\n        '200':\n          description: ok\n"
         "          content:\n            application/json:\n              schema: " + response +
         "\ncomponents:\n  schemas: " + components + "\n";
}

}  // namespace diff_test
