// A Mustache template engine (https://mustache.github.io/mustache.5.html) over nlohmann::json data.
// oasgen renders strictly: a missing key is an error and nothing is HTML-escaped. Template text comes
// only from template files, never from the spec; spec text is data.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "render/view_json.hpp"

namespace oasgen::render {

/// A template that does not parse, or a strict render that meets a missing key.
class MustacheError : public std::runtime_error {
 public:
  MustacheError(std::string template_name, int line, const std::string& message);
  const std::string& template_name() const { return template_name_; }
  int line() const { return line_; }

 private:
  std::string template_name_;
  int line_;
};

struct MustacheOptions {
  /// Missing keys are errors (in variables and sections alike). Off: they render as empty/false, as
  /// the Mustache spec requires.
  bool strict = true;
  /// `{{x}}` HTML-escapes, as the Mustache spec requires. Off: `{{x}}` and `{{{x}}}` are the same.
  bool html_escape = false;
};

/// Looks up a partial's source by name; nullopt when there is none (an error when strict).
using PartialLoader = std::function<std::optional<std::string>(std::string_view name)>;

/// Renders `source` (named `name` in errors) against `data`. Supports variables, sections, inverted
/// sections, comments, partials with standalone indentation, set-delimiter tags, and template
/// inheritance (blocks `{{$x}}` and parents `{{<x}}`). Lambdas and dynamic names are not supported.
std::string render_mustache(std::string_view name, std::string_view source,
                            const nlohmann::json& data, const PartialLoader& partials,
                            const MustacheOptions& options = {});
std::string render_mustache(std::string_view name, std::string_view source, const ViewJson& data,
                            const PartialLoader& partials, const MustacheOptions& options = {});

}  // namespace oasgen::render
