// Every real-world document loads, and every $ref outside x- extensions resolves.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "load/document.hpp"
#include "skip.hpp"

namespace fs = std::filesystem;
using oasgen::Diagnostics;
using oasgen::load::Document;
using oasgen::load::load_document;
using oasgen::load::Node;

namespace {

const fs::path kCorpus = fs::path(OASGEN_SHARED_DIR) / "corpus";

std::vector<fs::path> documents_in(const fs::path& folder) {
  std::vector<fs::path> documents;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".json" || extension == ".yaml")) {
      documents.push_back(entry.path());
    }
  }
  std::sort(documents.begin(), documents.end());
  return documents;
}

std::string printed(const Diagnostics& diagnostics) {
  std::ostringstream out;
  diagnostics.print(out);
  return out.str();
}

// Dereferences every reference under `node`, then walks the targets in turn.
void deref_all(const Document& document, const Node& node, Diagnostics& diagnostics,
               std::set<std::string>& walked, std::size_t& references) {
  if (node->is_object()) {
    if (node->contains("$ref") && (*node)["$ref"].is_string()) {
      ++references;
      const auto target = document.deref(node, diagnostics);
      if (target && walked.insert(document.id(*target)).second) {
        deref_all(document, *target, diagnostics, walked, references);
      }
    }
    for (const auto& [key, value] : node->items()) {
      if (key.rfind("x-", 0) == 0) continue;
      deref_all(document, *document.child(node, key), diagnostics, walked, references);
    }
  } else if (node->is_array()) {
    for (std::size_t i = 0; i < node->size(); ++i) {
      deref_all(document, *document.child(node, i), diagnostics, walked, references);
    }
  }
}

}  // namespace

TEST_CASE("load corpus: every public document loads and its references resolve") {
  if (!fs::is_directory(kCorpus / "public")) return oasgen::test::skip(kCorpus.string() + " is absent");
  std::vector<fs::path> documents = documents_in(kCorpus / "public");
  documents.push_back(kCorpus / "public" / "sw2-azure-netinterface" / "networkInterface.json");
  REQUIRE(documents.size() == 26);
  for (const fs::path& path : documents) {
    CAPTURE(path);
    Diagnostics diagnostics;
    const auto document = load_document(path, diagnostics);
    REQUIRE_MESSAGE(document, printed(diagnostics));
    std::set<std::string> walked;
    std::size_t references = 0;
    deref_all(*document, document->root(), diagnostics, walked, references);
    CHECK_MESSAGE(!diagnostics.has_errors(), printed(diagnostics));
    if (path.filename() == "networkInterface.json") {
      CHECK(references > 0);
      CHECK(document->files().size() > 1);  // the other files it refers to, and not the examples
      for (const fs::path& file : document->files()) {
        CHECK(file.parent_path().filename() != "examples");
      }
    }
  }
}

TEST_CASE("load corpus: the large documents load, and locations stay cheap") {
  if (!fs::is_directory(kCorpus / "large")) return oasgen::test::skip(kCorpus.string() + " is absent");
  for (const fs::path& path : documents_in(kCorpus / "large")) {
    CAPTURE(path);
    Diagnostics diagnostics;
    const auto start = std::chrono::steady_clock::now();
    const auto document = load_document(path, diagnostics);
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    CHECK_MESSAGE(document, printed(diagnostics));
    MESSAGE(path.filename().string() << " loaded in " << seconds.count() << " s");
    if (!document) continue;
    // The model asks for a location per schema, operation and parameter: that must stay cheap.
    const auto locate_start = std::chrono::steady_clock::now();
    std::size_t located = 0;
    const auto locate_members = [&](const Node& parent, int depth, const auto& self) -> void {
      if (!parent->is_object()) return;
      for (const auto& [key, value] : parent->items()) {
        const Node node = *document->child(parent, key);
        CHECK(document->location(node).line > 0);
        ++located;
        if (depth > 1) self(node, depth - 1, self);
      }
    };
    for (const char* section : {"paths", "definitions", "components"}) {
      if (const auto node = document->child(document->root(), section)) {
        locate_members(*node, 3, locate_members);
      }
    }
    const std::chrono::duration<double> locating = std::chrono::steady_clock::now() - locate_start;
    MESSAGE(located << " locations in " << locating.count() << " s");
    // About 25 µs each here; a location that rescanned the file would take milliseconds.
    CHECK(located > 1000);
    CHECK(locating.count() / static_cast<double>(located) < 0.001);
  }
}
