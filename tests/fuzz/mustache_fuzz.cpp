// The Mustache engine. The input's first file is the template; a file named data.json is the data
// (anything else: {}); every other file is a partial of that name. Rendered strict and lenient.
// Property: text or a MustacheError, nothing else, never a crash.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "fuzz_util.hpp"
#include "render/mustache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto files = oasgen::fuzz::split_files(oasgen::fuzz::text(data, size), "template");
  nlohmann::json context = nlohmann::json::object();
  std::map<std::string, std::string, std::less<>> partials;
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (files[i].first == "data.json") {
      context = nlohmann::json::parse(files[i].second, nullptr, false);
    } else {
      partials[files[i].first] = files[i].second;
    }
  }
  const oasgen::render::PartialLoader loader =
      [&](std::string_view name) -> std::optional<std::string> {
    const auto found = partials.find(name);
    if (found == partials.end()) return std::nullopt;
    return found->second;
  };
  for (const bool strict : {true, false}) {
    oasgen::render::MustacheOptions options;
    options.strict = strict;
    options.html_escape = !strict;
    try {
      (void)oasgen::render::render_mustache("template", files[0].second, context, loader, options);
    } catch (const oasgen::render::MustacheError&) {
    } catch (const std::exception& e) {
      OASGEN_FUZZ_CHECK(false, std::string("an exception that is not a MustacheError: ") + e.what());
    }
  }
  return 0;
}
