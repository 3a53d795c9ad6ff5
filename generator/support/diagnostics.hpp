// Diagnostics: problems in the user's input, collected (many per run) and printed compiler-style:
//   spec.yaml:12:7: error[ref-unresolved]: cannot resolve '#/components/schemas/Pte' (at #/paths/~1pets/get)
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace oasgen {

struct SourceLocation {
  std::string file;  ///< as given on the command line or relative to it; never made absolute
  int line = 0;      ///< 1-based; 0 when unknown
  int column = 0;    ///< 1-based; 0 when unknown
};

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     ///< stable, kebab-case: "ref-unresolved"
  std::string message;  ///< what is wrong and what to do
  SourceLocation location;
  std::string pointer;  ///< JSON pointer as a URI fragment ("#/paths/~1pets"), or empty
};

/// "file:line:col: error[code]: message (at #/pointer)", omitting parts that are unknown.
std::string format_diagnostic(const Diagnostic& diagnostic);

/// Collects diagnostics; a stage checks `has_errors()` at its boundary and stops.
class Diagnostics {
 public:
  void report(Diagnostic diagnostic);
  void error(std::string code, std::string message, SourceLocation location = {},
             std::string pointer = {});
  void warning(std::string code, std::string message, SourceLocation location = {},
               std::string pointer = {});

  /// Strict: every warning reported from now on is an error (`--strict`, for CI). Lenient (the
  /// default): a construct that is wrong but has a safe reading is a warning that says which.
  void set_strict(bool strict) { strict_ = strict; }
  bool strict() const { return strict_; }

  bool has_errors() const { return error_count_ > 0; }
  std::size_t warning_count() const { return warning_count_; }
  std::size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  /// Prints every diagnostic, one per line, in the order reported.
  void print(std::ostream& out) const;

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t error_count_ = 0;
  std::size_t warning_count_ = 0;
  bool strict_ = false;
};

}  // namespace oasgen
