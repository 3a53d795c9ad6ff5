// The spec loader on YAML and JSON, with $refs across a set of files written from the input
// (fuzz_util.hpp: "==> name <==" lines start files; the first is spec.json when it opens with '{'
// or '[', else spec.yaml). Properties: a document, or an error diagnostic; a $ref that does not
// resolve is reported; never a crash.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_util.hpp"
#include "load/document.hpp"

namespace {

using oasgen::load::Document;
using oasgen::load::Node;

constexpr std::size_t kBudget = 20000;  // nodes visited per input

// Walks the tree below `node`, following every $ref once, up to a bounded number of nodes.
void walk(const Document& document, const Node& node, oasgen::Diagnostics& diagnostics,
          std::size_t& budget, int depth) {
  if (budget == 0 || depth > 200) return;
  --budget;
  if (budget > kBudget - 100) {  // locations are made for diagnostics, not for every node
    (void)document.location(node);
    (void)document.id(node);
  }
  const auto target = document.deref(node, diagnostics);
  // A failure is reported once per reference, and the members of a cycle share a report.
  OASGEN_FUZZ_CHECK(target || diagnostics.has_errors(), "deref failed without a diagnostic");
  if (!target) return;
  if (target->value->is_object()) {
    for (const auto& [key, value] : target->value->items()) {
      if (auto child = document.child(*target, key)) {
        walk(document, *child, diagnostics, budget, depth + 1);
      }
    }
  } else if (target->value->is_array()) {
    for (std::size_t i = 0; i < target->value->size(); ++i) {
      if (auto child = document.child(*target, i)) {
        walk(document, *child, diagnostics, budget, depth + 1);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static oasgen::fuzz::Scratch scratch;
  const auto input = oasgen::fuzz::text(data, size);
  const bool json = !input.empty() && (input[0] == '{' || input[0] == '[');
  const auto path = scratch.write(oasgen::fuzz::split_files(input, json ? "spec.json" : "spec.yaml"));
  oasgen::Diagnostics diagnostics;
  const auto document = oasgen::load::load_document(path, diagnostics);
  OASGEN_FUZZ_CHECK(document || diagnostics.has_errors(), "no document and no error");
  for (const auto& diagnostic : diagnostics.all()) (void)oasgen::format_diagnostic(diagnostic);
  if (!document) return 0;
  OASGEN_FUZZ_CHECK(!document->files().empty(), "a document without files");
  std::size_t budget = kBudget;
  walk(*document, document->root(), diagnostics, budget, 0);
  return 0;
}
