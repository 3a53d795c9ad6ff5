// Mustache: each template is parsed once into a node tree and rendering walks the tree, so a
// rendered value is never read as template source.
//
// Indentation is applied while writing, not by rewriting template text: the writer prepends the
// current indentation to each template line when its first character is written, which is what
// the spec's "prepend to each line" means without re-parsing a partial per indentation. Data is
// written verbatim, so newlines inside values are never indented.
//
// Block indentation (~inheritance) follows the spec's reindentation tests: a block whose opening
// tag ends its line has the indentation of its first line stripped from all its lines (its
// "intrinsic" indentation), and where a block is expanded the expansion takes the indentation of
// that site.
#include "render/mustache.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/mustache_parse.hpp"
#include "render/view_json.hpp"

namespace oasgen::render {

MustacheError::MustacheError(std::string template_name, int line, const std::string& message)
    : std::runtime_error(template_name + ":" + std::to_string(line) + ": " + message),
      template_name_(std::move(template_name)),
      line_(line) {}

namespace {

using detail::kMaxDepth;
using detail::Node;
using detail::NodeKind;

// Block arguments in force: those of outer parents win over those of inner ones.
struct Overrides {
  const Overrides* outer;
  const std::vector<Node>* blocks;
};

const Node* find_override(const Overrides* overrides, const std::string& name) {
  if (overrides == nullptr) return nullptr;
  if (const Node* outer = find_override(overrides->outer, name)) return outer;
  for (const Node& block : *overrides->blocks) {
    if (block.text == name) return &block;
  }
  return nullptr;
}

template <class json>
bool is_truthy(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return false;
    case json::value_t::boolean:
      return value.template get<bool>();
    case json::value_t::string:
      return !value.template get_ref<const typename json::string_t&>().empty();
    case json::value_t::array:
      return !value.empty();
    default:
      return true;
  }
}

// A value's JSON text. ViewJson makes its text in a ViewArena, which render jobs do not have.
template <class json>
std::string dump(const json& value) {
  ViewArena scratch;
  ViewArena::Scope scope(scratch);
  return std::string(value.dump());
}

template <class json>
class Renderer {
 public:
  Renderer(const PartialLoader& partials, const MustacheOptions& options)
      : loader_(partials), options_(options) {}

  std::string render(std::string_view name, std::string_view source, const json& data) {
    std::vector<Node> nodes = detail::parse_mustache(name, source);
    stack_.push_back(&data);
    render_nodes(nodes, nullptr);
    return std::move(out_);
  }

 private:
  struct Loaded {
    std::string name;
    bool found = false;
    std::vector<Node> nodes;
  };

  void render_nodes(const std::vector<Node>& nodes, const Overrides* overrides) {
    for (const Node& node : nodes) {
      switch (node.kind) {
        case NodeKind::kText:
          write_text(node.text);
          break;
        case NodeKind::kVariable:
          if (const json* value = resolve(node)) write_value(node, *value);
          break;
        case NodeKind::kSection:
        case NodeKind::kInverted:
          render_section(node, overrides);
          break;
        case NodeKind::kPartial:
          if (const Loaded* partial = load(node)) {
            render_included(node, partial->nodes, overrides);
          }
          break;
        case NodeKind::kParent:
          if (const Loaded* parent = load(node)) {
            Overrides inner{overrides, &node.children};
            render_included(node, parent->nodes, &inner);
          }
          break;
        case NodeKind::kBlock: {
          const Node* chosen = find_override(overrides, node.text);
          // Nested renders only append to indent_ and restore it: cutting it back restores it.
          const std::size_t saved = indent_.size();
          indent_ += node.indent;
          render_nodes((chosen ? chosen : &node)->children, overrides);
          indent_.resize(saved);
          break;
        }
      }
    }
  }

  void render_section(const Node& node, const Overrides* overrides) {
    const json* value = resolve(node);
    bool truthy = value != nullptr && is_truthy(*value);
    if (node.kind == NodeKind::kInverted) {
      if (!truthy) render_nodes(node.children, overrides);
      return;
    }
    if (!truthy) return;
    if (value->is_array()) {
      for (const json& item : *value) {
        stack_.push_back(&item);
        render_nodes(node.children, overrides);
        stack_.pop_back();
      }
    } else {
      stack_.push_back(value);
      render_nodes(node.children, overrides);
      stack_.pop_back();
    }
  }

  void render_included(const Node& node, const std::vector<Node>& nodes,
                       const Overrides* overrides) {
    if (depth_ >= kMaxDepth) {
      throw MustacheError(std::string(node.template_name), node.line,
                          "partials nested more than " + std::to_string(kMaxDepth) + " deep at '" +
                              node.text + "'");
    }
    const std::size_t saved = indent_.size();
    if (node.standalone) {
      // Mid-line only when this template was itself included mid-line: keep the tag's blanks.
      if (!at_line_start_) out_ += node.indent;
      indent_ += node.indent;
    }
    ++depth_;
    render_nodes(nodes, overrides);
    --depth_;
    indent_.resize(saved);
  }

  const Loaded* load(const Node& node) {
    auto it = partials_.find(node.text);
    if (it == partials_.end()) {
      auto loaded = std::make_unique<Loaded>();
      loaded->name = node.text;
      std::optional<std::string> source = loader_ ? loader_(node.text) : std::nullopt;
      if (source) {
        loaded->found = true;
        loaded->nodes = detail::parse_mustache(loaded->name, *source);
      }
      it = partials_.emplace(node.text, std::move(loaded)).first;
    }
    if (!it->second->found) {
      if (options_.strict) {
        throw MustacheError(std::string(node.template_name), node.line,
                            "missing partial '" + node.text + "'");
      }
      return nullptr;
    }
    return it->second.get();
  }

  // The value a name refers to; nullptr when it is missing (an error when strict).
  const json* resolve(const Node& node) const {
    if (node.path.empty()) return stack_.back();
    const json* value = nullptr;
    for (auto it = stack_.rbegin(); it != stack_.rend() && value == nullptr; ++it) {
      if ((*it)->is_object()) {
        auto found = (*it)->find(std::string_view(node.path.front()));
        if (found != (*it)->end()) value = &*found;
      }
    }
    for (size_t i = 1; i < node.path.size() && value != nullptr; ++i) {
      auto found = value->is_object() ? value->find(std::string_view(node.path[i])) : value->end();
      value = found != value->end() ? &*found : nullptr;
    }
    if (value == nullptr && options_.strict) {
      throw MustacheError(std::string(node.template_name), node.line,
                          "missing key '" + node.text + "'");
    }
    return value;
  }

  void write_value(const Node& node, const json& value) {
    std::string formatted;  // what is not a string already
    std::string_view text;
    switch (value.type()) {
      case json::value_t::null:
        return;
      case json::value_t::string:
        text = value.template get_ref<const typename json::string_t&>();
        break;
      case json::value_t::boolean:
        text = value.template get<bool>() ? "true" : "false";
        break;
      case json::value_t::number_integer:
        formatted = std::to_string(value.template get<std::int64_t>());
        text = formatted;
        break;
      case json::value_t::number_unsigned:
        formatted = std::to_string(value.template get<std::uint64_t>());
        text = formatted;
        break;
      case json::value_t::number_float: {
        double number = value.template get<double>();
        // Integral doubles print without ".0", as in JavaScript and the spec's implementations.
        if (number > -1e15 && number < 1e15 && number == std::trunc(number)) {
          formatted = std::to_string(static_cast<long long>(number));
        } else {
          formatted = dump(value);
        }
        text = formatted;
        break;
      }
      case json::value_t::object:
      case json::value_t::array:
        if (options_.strict) {
          throw MustacheError(std::string(node.template_name), node.line,
                              "'" + node.text + "' is " +
                                  (value.is_object() ? "an object" : "a list") +
                                  ", not a value to print");
        }
        formatted = dump(value);
        text = formatted;
        break;
      default:
        formatted = dump(value);
        text = formatted;
    }
    if (text.empty()) return;
    if (at_line_start_) {
      out_ += indent_;
      at_line_start_ = false;
    }
    if (!node.escaped || !options_.html_escape) {
      out_ += text;
      return;
    }
    for (char c : text) {
      switch (c) {
        case '&':
          out_ += "&amp;";
          break;
        case '<':
          out_ += "&lt;";
          break;
        case '>':
          out_ += "&gt;";
          break;
        case '"':
          out_ += "&quot;";
          break;
        default:
          out_ += c;
      }
    }
  }

  // Template text: each line gets the current indentation before its first character, so blank
  // lines stay empty.
  void write_text(std::string_view text) {
    if (indent_.empty() && !text.empty()) {
      // Nothing to prepend: the text goes out whole, and only its last line says where the
      // writer is (as the loop below would leave at_line_start_).
      out_ += text;
      // memrchr rather than rfind, which steps back a byte at a time over the whole text.
      const void* last = memrchr(text.data(), '\n', text.size());
      const std::size_t newline =
          last ? static_cast<std::size_t>(static_cast<const char*>(last) - text.data())
               : std::string_view::npos;
      if (newline != std::string_view::npos) at_line_start_ = true;
      if (newline + 1 < text.size() && at_line_start_ && text[newline + 1] != '\r') {
        at_line_start_ = false;
      }
      return;
    }
    while (!text.empty()) {
      size_t newline = text.find('\n');
      std::string_view line =
          text.substr(0, newline == std::string_view::npos ? text.size() : newline + 1);
      if (at_line_start_ && line.front() != '\n' && line.front() != '\r') {
        out_ += indent_;
        at_line_start_ = false;
      }
      out_ += line;
      if (newline != std::string_view::npos) at_line_start_ = true;
      text.remove_prefix(line.size());
    }
  }

  const PartialLoader& loader_;
  const MustacheOptions& options_;
  std::map<std::string, std::unique_ptr<Loaded>, std::less<>> partials_;
  std::vector<const json*> stack_;
  std::string out_;
  std::string indent_;
  bool at_line_start_ = true;
  int depth_ = 0;
};

}  // namespace

std::string render_mustache(std::string_view name, std::string_view source,
                            const nlohmann::json& data, const PartialLoader& partials,
                            const MustacheOptions& options) {
  return Renderer<nlohmann::json>(partials, options).render(name, source, data);
}

std::string render_mustache(std::string_view name, std::string_view source, const ViewJson& data,
                            const PartialLoader& partials, const MustacheOptions& options) {
  return Renderer<ViewJson>(partials, options).render(name, source, data);
}

}  // namespace oasgen::render
