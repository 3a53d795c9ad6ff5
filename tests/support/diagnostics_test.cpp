#include "support/diagnostics.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <utility>

using oasgen::Diagnostic;
using oasgen::Diagnostics;
using oasgen::format_diagnostic;
using oasgen::Severity;

Diagnostic make(Severity severity, std::string code, std::string message, std::string file,
                int line, int column, std::string pointer) {
  return {severity,
          std::move(code),
          std::move(message),
          {std::move(file), line, column},
          std::move(pointer)};
}

TEST_CASE("diagnostics: the format omits the parts that are unknown") {
  CHECK(format_diagnostic(make(Severity::Error, "ref-unresolved",
                               "cannot resolve '#/components/schemas/Pte'", "spec.yaml", 12, 7,
                               "#/paths/~1pets/get")) ==
        "spec.yaml:12:7: error[ref-unresolved]: cannot resolve '#/components/schemas/Pte' "
        "(at #/paths/~1pets/get)");
  CHECK(format_diagnostic(make(Severity::Warning, "duplicate-operation-id", "renamed", "a.json", 3,
                               0, "")) == "a.json:3: warning[duplicate-operation-id]: renamed");
  CHECK(format_diagnostic(make(Severity::Note, "first-seen", "here", "a.json", 0, 0, "#/x")) ==
        "a.json: note[first-seen]: here (at #/x)");
  CHECK(format_diagnostic(make(Severity::Error, "file-read", "cannot read 'x'", "", 0, 0, "")) ==
        "error[file-read]: cannot read 'x'");
  CHECK(format_diagnostic(make(Severity::Error, "", "no code", "", 0, 0, "#")) ==
        "error: no code (at #)");
}

TEST_CASE("diagnostics: errors are counted, warnings are not, and print keeps the order") {
  Diagnostics diagnostics;
  diagnostics.warning("w", "first", {"a.yaml", 1, 2});
  CHECK_FALSE(diagnostics.has_errors());
  diagnostics.error("e", "second", {}, "#/p");
  diagnostics.report({Severity::Note, "n", "third", {}, ""});
  CHECK(diagnostics.has_errors());
  CHECK(diagnostics.error_count() == 1);
  CHECK(diagnostics.all().size() == 3);
  std::ostringstream out;
  diagnostics.print(out);
  CHECK(out.str() ==
        "a.yaml:1:2: warning[w]: first\n"
        "error[e]: second (at #/p)\n"
        "note[n]: third\n");
}
