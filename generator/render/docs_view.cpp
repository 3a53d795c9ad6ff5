#include "render/docs_view.hpp"

#include <algorithm>
#include <future>
#include <mutex>
#include <string_view>

#include "render/docs_builder.hpp"
#include "render/mustache.hpp"
#include "render/sha256.hpp"
#include "render/templates.hpp"
#include "support/escape.hpp"

namespace oasgen::render {
namespace {

using docs::DocsBuilder;
using docs::dump;
using nlohmann::json;

// Text as adjacent C++ string literals, one per line, each at most ~100 source characters, in
// parts of at most 32 KiB (compilers limit single literals).
json literal_parts(std::string_view text) {
  constexpr std::size_t kPart = 32 * 1024;
  constexpr std::size_t kLine = 96;
  json parts = json::array();
  for (std::size_t start = 0; start < text.size() || (start == 0 && parts.empty()); start += kPart) {
    const std::string_view part = text.substr(start, kPart);
    std::string lines;
    for (std::size_t at = 0; at < part.size(); at += kLine) {
      if (!lines.empty()) lines += "\n    ";
      lines += cpp_string_literal(part.substr(at, kLine));
    }
    if (lines.empty()) lines = "\"\"";
    // `sv`: the part's length is the literal's, whatever bytes it holds.
    parts.push_back({{"literal", lines + "sv"}});
    if (text.empty()) break;
  }
  return parts;
}

std::string include_dir_of(const std::string& ns) {
  // The rule of the generated headers' folder (render/views.cpp): "a::b" -> "a_b".
  std::string dir = ns;
  std::replace(dir.begin(), dir.end(), ':', '_');
  dir.erase(std::unique(dir.begin(), dir.end(), [](char a, char b) { return a == '_' && b == '_'; }),
            dir.end());
  return dir;
}

}  // namespace

std::vector<DocsExample> docs_examples(const model::Api& api, const load::Bundle& spec) {
  return DocsBuilder(api, spec).examples();
}

std::optional<std::map<std::string, std::string>> render_docs(
    const model::Api& api, const load::Bundle& spec, const DocsOptions& options,
    Diagnostics& diagnostics, std::vector<std::filesystem::path>* overrides_read) {
  DocsBuilder builder(api, spec);
  const TemplateSet templates(options.templates_dir);
  std::mutex templates_mutex;  // TemplateSet records what it reads; the Markdown renders on a thread
  const PartialLoader partials = [&](std::string_view name) {
    std::lock_guard lock(templates_mutex);
    return templates.find(name);
  };
  std::map<std::string, std::string> files;
  auto report = [&](const MustacheError& e) {
    diagnostics.error("template-error", e.what(), SourceLocation{e.template_name() + ".mustache", e.line(), 0});
  };
  auto render_one = [&](const char* name, const json& view) -> std::string {
    auto source = partials(name);
    if (!source) {
      diagnostics.error("template-missing", std::string("no template named '") + name + "'");
      return {};
    }
    try {
      return render_mustache(name, *source, view, partials);
    } catch (const MustacheError& e) {
      report(e);
      return {};
    }
  };

  // The Markdown and the page share nothing but what the builder has worked out already (each
  // keeps its own caches), so they are built side by side: for a large API each is a good part of
  // the run.
  struct Markdown {
    std::string text;
    std::optional<MustacheError> error;
  };
  const auto markdown_source = partials("API.md");
  auto markdown = std::async(std::launch::async, [&]() -> Markdown {
    if (!markdown_source) return {};
    try {
      return {render_mustache("API.md", *markdown_source, builder.markdown_view(options.version), partials),
              std::nullopt};
    } catch (const MustacheError& e) {
      return {{}, e};
    }
  });

  files["docs/openapi.json"] = dump(spec.document()) + "\n";

  // The page's script and style are inline, allowed by their hashes and nothing else.
  const json page = {{"generator", "oasgen " + options.version}};
  const std::string script = render_one("docs.js", page);
  const std::string style = render_one("docs.css", page);
  const std::string csp = "default-src 'none'; script-src " + csp_hash_source(script) + "; style-src " +
                          csp_hash_source(style) + "; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'";
  json html_view = {{"title", html_text(api.title.empty() ? "API" : api.title)},
                    {"version", html_text(api.version)},
                    {"generator", html_text("oasgen " + options.version)},
                    {"csp", html_text(csp)},
                    {"script", script},
                    {"style", style}};
  html_view["data"] = builder.page_data(options.version);  // moved in: megabytes for large APIs
  files["docs/index.html"] = render_one("index.html", html_view);
  Markdown md = markdown.get();  // rethrows what the thread threw
  if (!markdown_source) diagnostics.error("template-missing", "no template named 'API.md'");
  if (md.error) report(*md.error);
  files["docs/API.md"] = std::move(md.text);

  if (!options.cpp_namespace.empty()) {
    const std::string dir = include_dir_of(options.cpp_namespace);
    std::string banner;
    for (const auto& line : cpp_comment_lines("Generated by oasgen " + options.version + " from " +
                                              api.source_name + ". Do not edit.")) {
      banner += (banner.empty() ? "" : " ") + line;
    }
    const json cpp_view = {{"banner", banner},
                           {"namespace", options.cpp_namespace},
                           {"include_dir", dir},
                           {"openapi_json", literal_parts(files["docs/openapi.json"])},
                           {"html", literal_parts(files["docs/index.html"])},
                           {"csp", cpp_string_literal(csp)}};
    files["include/" + dir + "/docs.hpp"] = render_one("docs.hpp", cpp_view);
    files["src/docs.cpp"] = render_one("docs.cpp", cpp_view);
  }
  if (overrides_read != nullptr) {
    for (const auto& [name, path] : templates.used_overrides()) overrides_read->push_back(path);
  }
  if (diagnostics.has_errors()) return std::nullopt;
  return files;
}

}  // namespace oasgen::render
