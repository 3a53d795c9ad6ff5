// API reference docs from the model: docs/API.md (Markdown), docs/index.html (one self-contained
// page: its data, script and style inline, nothing fetched) and docs/openapi.json (the bundled
// spec). Optionally the C++ that embeds them for oasgen::serve_docs.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "load/bundle.hpp"
#include "model/model.hpp"
#include "render/examples.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::render {

struct DocsOptions {
  std::string version;                  ///< oasgen's version, for the pages' footers and banners
  std::filesystem::path templates_dir;  ///< overrides built-in templates file by file; empty: none
  /// Non-empty: also include/<dir>/docs.hpp and src/docs.cpp in this C++ namespace, embedding the
  /// page and the spec (`register_docs(oasgen::Router&)`).
  std::string cpp_namespace;
};

/// Renders the docs files (path relative to the output root -> content). Template errors are
/// reported to `diagnostics`; returns nullopt after any error. When `overrides_read` is given, it
/// receives the override template files that were read (for depfiles).
std::optional<std::map<std::string, std::string>> render_docs(
    const model::Api& api, const load::Bundle& spec, const DocsOptions& options,
    Diagnostics& diagnostics, std::vector<std::filesystem::path>* overrides_read = nullptr);

/// One example the docs show.
struct DocsExample {
  std::string label;  ///< "POST /pets request body application/json", "GET /pets parameter limit"
  model::SchemaId schema = 0;
  ExampleUse use = ExampleUse::Response;
  bool synthesised = false;             ///< false: the spec's own example, shown as written
  std::optional<nlohmann::json> value;  ///< nullopt: "example omitted"
};

/// Every example the docs show, in page order: for tests that run the generated validators on the
/// synthesised ones.
std::vector<DocsExample> docs_examples(const model::Api& api, const load::Bundle& spec);

}  // namespace oasgen::render
