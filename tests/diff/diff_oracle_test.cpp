// diff against an external oracle: the backward-compatibility spec pairs of OpenAPITools/openapi-diff
// and the verdict its own tests assert for each (../shared/diff-oracle/expected.tsv).
//
// The oracle judges the wire only, so our verdict is taken from the wire findings: none =
// unchanged (and then no source finding either), only info/warning = compatible, any error =
// breaking. Where we disagree on purpose, the row is listed below with the reason (and in
// docs/diff.md). A disagreement not listed fails; a listed one that agrees again fails too, so the
// list stays true.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "diff/diff.hpp"

namespace fs = std::filesystem;
namespace diff = oasgen::diff;

namespace {

struct Known {
  const char* old_file;
  const char* new_file;
  const char* expected;  // the oracle's verdict we do not share
  const char* reason;
};

const Known kDisagreements[] = {
    {"bc_minlength_base.yaml", "bc_response_minlength_changed_but_compatible.yaml", "compatible",
     "a lower minLength in a response lets the server send strings old clients reject (they "
     "validate responses): response-min-length-loosened is an error"},
    {"bc_minlength_base.yaml", "bc_response_minlength_increased.yaml", "breaking",
     "a higher minLength in a response only sends strings old clients already accept"},
    {"bc_operation_base.yaml", "bc_operation_changed_incompatible_operation_id.yaml", "breaking",
     "the oracle lists this pair twice, breaking and compatible (openapi-diff makes it "
     "configurable); an operationId is not sent on the wire, so the wire verdict is compatible "
     "(the source axis reports the renamed methods as errors)"},
    {"bc_response_header_base.yaml", "bc_response_header_required_increased.yaml", "breaking",
     "a response header that becomes required is one old clients receive every time; they "
     "accepted it before"},
    {"bc_response_headers_base.yaml", "bc_response_headers_decreased.yaml", "breaking",
     "the header removed was optional: old clients handle its absence already (a required one "
     "removed is an error)"},
    {"bc_security_scheme_base.yaml", "bc_security_scheme_bearer_format_changed.yaml", "breaking",
     "bearerFormat is a hint for documentation (OpenAPI 3.0.3, 4.7.33): a warning"},
    {"bc_writeonly_base.yaml", "bc_response_writeonly_increased.yaml", "breaking",
     "an optional response property that becomes writeOnly is no longer sent, like an optional "
     "property removed, which the oracle itself counts as compatible: a warning"},
};

// The oracle has 97 pairs (98 lines with the header); fewer compared is a failure.
constexpr std::size_t kMinimumRows = 97;

std::string verdict(const diff::Report& report) {
  const auto wire = diff::worst(report, diff::Axis::Wire);
  if (!wire) return report.findings.empty() ? "unchanged" : "source-only";
  return *wire == diff::Level::Error ? "breaking" : "compatible";
}

const Known* known(const std::string& old_file, const std::string& new_file, const std::string& expected) {
  for (const auto& k : kDisagreements) {
    if (old_file == k.old_file && new_file == k.new_file && expected == k.expected) return &k;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("diff oracle: openapi-diff's backward-compatibility pairs") {
  const fs::path dir = fs::path(OASGEN_SHARED_DIR) / "diff-oracle";
  std::ifstream tsv(dir / "expected.tsv");
  if (!tsv) {
    std::cout << "diff-oracle: " << (dir / "expected.tsv").string() << " missing; skipped\n";
    std::exit(77);  // ctest's SKIP_RETURN_CODE for this test
  }
  std::string line;
  std::getline(tsv, line);  // header
  std::size_t rows = 0, agree = 0, documented = 0;
  std::vector<std::string> undocumented, stale;
  while (std::getline(tsv, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string old_file, new_file, expected;
    std::getline(fields, old_file, '\t');
    std::getline(fields, new_file, '\t');
    std::getline(fields, expected, '\t');
    ++rows;
    oasgen::Diagnostics old_diagnostics, new_diagnostics;
    const auto report = diff::diff_files(dir / "openapi-diff" / old_file, dir / "openapi-diff" / new_file,
                                         {}, old_diagnostics, new_diagnostics);
    const std::string got = report ? verdict(*report) : "load-error";
    const std::string row = old_file + " -> " + new_file + ": oracle " + expected + ", oasgen " + got;
    if (got == expected) {
      ++agree;
      if (known(old_file, new_file, expected)) stale.push_back(row);
    } else if (const Known* k = known(old_file, new_file, expected)) {
      ++documented;
      std::cout << "diff-oracle: documented: " << row << " (" << k->reason << ")\n";
    } else {
      undocumented.push_back(row);
    }
  }
  const std::size_t disagree = rows - agree;
  std::cout << "diff-oracle: " << agree << " agree, " << disagree << " disagree (" << documented
            << " documented)\n";
  for (const auto& row : undocumented) FAIL_CHECK("undocumented disagreement: " << row);
  for (const auto& row : stale) FAIL_CHECK("listed as a disagreement but agrees: " << row);
  CHECK(rows >= kMinimumRows);
  CHECK(documented == std::size(kDisagreements));
}
