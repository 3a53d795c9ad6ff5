#include "support/diagnostics.hpp"

#include <utility>

namespace oasgen {
namespace {

const char* severity_word(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

}  // namespace

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string out;
  const SourceLocation& location = diagnostic.location;
  if (!location.file.empty()) {
    out += location.file;
    if (location.line > 0) {
      out += ':' + std::to_string(location.line);
      if (location.column > 0) out += ':' + std::to_string(location.column);
    }
    out += ": ";
  }
  out += severity_word(diagnostic.severity);
  if (!diagnostic.code.empty()) out += '[' + diagnostic.code + ']';
  out += ": ";
  out += diagnostic.message;
  if (!diagnostic.pointer.empty()) out += " (at " + diagnostic.pointer + ')';
  return out;
}

void Diagnostics::report(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::Warning && strict_) diagnostic.severity = Severity::Error;
  if (diagnostic.severity == Severity::Error) ++error_count_;
  if (diagnostic.severity == Severity::Warning) ++warning_count_;
  diagnostics_.push_back(std::move(diagnostic));
}

void Diagnostics::error(std::string code, std::string message, SourceLocation location,
                        std::string pointer) {
  report({Severity::Error, std::move(code), std::move(message), std::move(location),
          std::move(pointer)});
}

void Diagnostics::warning(std::string code, std::string message, SourceLocation location,
                          std::string pointer) {
  report({Severity::Warning, std::move(code), std::move(message), std::move(location),
          std::move(pointer)});
}

void Diagnostics::print(std::ostream& out) const {
  for (const Diagnostic& diagnostic : diagnostics_) out << format_diagnostic(diagnostic) << '\n';
}

}  // namespace oasgen
