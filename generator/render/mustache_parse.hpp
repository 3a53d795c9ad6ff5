// Internals of the Mustache engine, shared by its two source files only: the node tree a template
// parses into (mustache_parse.cpp) and that rendering walks (mustache.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace oasgen::render::detail {

enum class NodeKind { kText, kVariable, kSection, kInverted, kPartial, kParent, kBlock };

struct Node {
  NodeKind kind = NodeKind::kText;
  std::string text;               // literal text, or the tag's name
  std::vector<std::string> path;  // the name split on '.'; empty for the implicit iterator
  bool escaped = false;           // `{{x}}` rather than `{{{x}}}` or `{{&x}}`
  bool standalone = false;        // a partial or parent alone on its line
  std::string indent;             // added to each line of a partial, parent or expanded block
  int line = 0;
  std::string_view template_name;
  // Section body, block content, or a parent's block arguments.
  std::vector<Node> children;
};

/// How deep sections, blocks and parents nest in one template, and partials in one another.
inline constexpr int kMaxDepth = 100;

/// The template `source` (named `name` in errors) as a node tree; throws MustacheError.
std::vector<Node> parse_mustache(std::string_view name, std::string_view source);

}  // namespace oasgen::render::detail
