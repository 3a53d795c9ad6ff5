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

#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace oasgen::render {

MustacheError::MustacheError(std::string template_name, int line, const std::string& message)
    : std::runtime_error(template_name + ":" + std::to_string(line) + ": " + message),
      template_name_(std::move(template_name)),
      line_(line) {}

namespace {

using nlohmann::json;

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

constexpr std::string_view kSigils = "#^/!>&<$={";
constexpr int kMaxDepth = 100;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// What is left of `indentation` once the part shared with `stripped` has been removed.
std::string relative_indent(std::string_view indentation, std::string_view stripped) {
  size_t shared = 0;
  while (shared < indentation.size() && shared < stripped.size() &&
         indentation[shared] == stripped[shared]) {
    ++shared;
  }
  return std::string(indentation.substr(shared));
}

class Parser {
 public:
  Parser(std::string_view name, std::string_view source) : name_(name), src_(source) {}

  std::vector<Node> parse() {
    std::vector<Node> nodes;
    if (auto close = parse_body(nodes, Scope{})) {
      throw error(close->line, "closing tag {{/" + close->name + "}} without an opening tag");
    }
    return nodes;
  }

 private:
  struct Tag {
    char sigil = '\0';  // '\0' for a plain variable
    std::string name;
    int line = 0;
    size_t end = 0;            // just past the closing delimiter
    bool left_clear = false;   // only blanks between the line start and the tag
    bool right_clear = false;  // only blanks between the tag and the line end
    size_t line_begin = 0;     // start of the blanks before the tag (when left_clear)
    size_t next_line = 0;      // just past the line end (when right_clear)
  };

  // How the closing tag of the construct being parsed may be standalone.
  enum class CloseRule { kStandalone, kParent, kBlockArgument };

  struct Scope {
    bool in_parent = false;  // directly inside {{<parent}}: text is ignored, blocks are arguments
    std::string strip;       // raw indentation removed from the start of each source line
    CloseRule close = CloseRule::kStandalone;
    bool parent_standalone = false;
  };

  MustacheError error(int line, const std::string& message) const {
    return MustacheError(std::string(name_), line, message);
  }

  int line_at(size_t pos) {
    for (; counted_pos_ < pos; ++counted_pos_) {
      if (src_[counted_pos_] == '\n') ++counted_line_;
    }
    return counted_line_;
  }

  // parse_body for the inside of a section, block or parent. Parsing and rendering recurse once per
  // level, so the nesting is bounded like that of partials.
  std::optional<Tag> parse_nested(std::vector<Node>& body, const Scope& scope, const Tag& tag) {
    if (nesting_ >= kMaxDepth) {
      throw error(tag.line, "sections nested more than " + std::to_string(kMaxDepth) + " deep");
    }
    ++nesting_;
    auto close = parse_body(body, scope);
    --nesting_;
    return close;
  }

  // Parses until a closing tag (returned) or the end of the source (nullopt).
  std::optional<Tag> parse_body(std::vector<Node>& body, const Scope& scope) {
    for (;;) {
      size_t open = src_.find(open_, pos_);
      if (open == std::string_view::npos) {
        if (!scope.in_parent) add_text(body, scope, pos_, src_.size());
        pos_ = src_.size();
        return std::nullopt;
      }
      Tag tag = read_tag(open);
      if (scope.in_parent && tag.sigil != '$' && tag.sigil != '/' && tag.sigil != '!' &&
          tag.sigil != '=') {
        throw error(tag.line,
                    "only blocks ({{$name}}) and comments may appear inside a parent tag");
      }
      bool standalone = false;
      switch (tag.sigil) {
        case '\0':
        case '&':
        case '{':
          break;
        case '/':
          if (scope.close == CloseRule::kStandalone) {
            standalone = tag.left_clear && tag.right_clear;
          } else if (scope.close == CloseRule::kParent) {
            // What precedes it inside the parent is ignored; the line counts if the parent
            // opened on a line of its own.
            standalone = scope.parent_standalone && tag.right_clear;
          } else {
            // A block argument's content ends at its closing tag; what follows is ignored.
            standalone = tag.left_clear;
          }
          break;
        case '<':
          standalone = tag.left_clear;
          break;
        case '$':
          standalone = scope.in_parent ? tag.right_clear : tag.left_clear && tag.right_clear;
          break;
        default:
          standalone = tag.left_clear && tag.right_clear;
      }
      if (!scope.in_parent) {
        add_text(body, scope, pos_, standalone && tag.left_clear ? tag.line_begin : open);
      }
      pos_ = standalone && tag.right_clear ? tag.next_line : tag.end;
      std::string_view leading =
          tag.left_clear ? src_.substr(tag.line_begin, open - tag.line_begin) : std::string_view();

      switch (tag.sigil) {
        case '/':
          return tag;
        case '!':
          break;
        case '=':
          set_delimiters(tag);
          break;
        case '\0':
        case '&':
        case '{':
          body.push_back(make_node(NodeKind::kVariable, tag));
          body.back().escaped = tag.sigil == '\0';
          break;
        case '#':
        case '^': {
          Node node = make_node(tag.sigil == '#' ? NodeKind::kSection : NodeKind::kInverted, tag);
          Scope inner{false, scope.strip, CloseRule::kStandalone, false};
          expect_close(node, tag.sigil, parse_nested(node.children, inner, tag));
          body.push_back(std::move(node));
          break;
        }
        case '>': {
          Node node = make_node(NodeKind::kPartial, tag);
          node.standalone = standalone;
          if (standalone) node.indent = relative_indent(leading, scope.strip);
          body.push_back(std::move(node));
          break;
        }
        case '<': {
          Node node = make_node(NodeKind::kParent, tag);
          node.standalone = standalone;
          if (standalone) node.indent = relative_indent(leading, scope.strip);
          Scope inner{true, scope.strip, CloseRule::kParent, standalone};
          expect_close(node, tag.sigil, parse_nested(node.children, inner, tag));
          body.push_back(std::move(node));
          break;
        }
        case '$': {
          Node node = make_node(NodeKind::kBlock, tag);
          Scope inner{false, scope.strip,
                      scope.in_parent ? CloseRule::kBlockArgument : CloseRule::kStandalone, false};
          if (standalone) {
            // The indentation of the block's first line is intrinsic: stripped from every line
            // here, and replaced by the indentation of the site where the block is expanded.
            inner.strip = std::string(intrinsic_indent(pos_));
            if (!scope.in_parent) node.indent = relative_indent(inner.strip, scope.strip);
          } else if (!scope.in_parent && tag.left_clear) {
            node.indent = relative_indent(leading, scope.strip);
          }
          expect_close(node, tag.sigil, parse_nested(node.children, inner, tag));
          body.push_back(std::move(node));
          break;
        }
      }
    }
  }

  Tag read_tag(size_t open) {
    Tag tag;
    tag.line = line_at(open);
    size_t start = open + open_.size();
    std::string close = close_;
    if (start < src_.size() && kSigils.find(src_[start]) != std::string_view::npos) {
      tag.sigil = src_[start++];
      if (tag.sigil == '{') close = "}" + close_;
      if (tag.sigil == '=') close = "=" + close_;
    }
    size_t close_pos = src_.find(close, start);
    if (close_pos == std::string_view::npos) {
      throw error(tag.line, "unclosed tag: '" + open_ + "' without '" + close + "'");
    }
    tag.end = close_pos + close.size();
    tag.name = std::string(trim(src_.substr(start, close_pos - start)));
    if (tag.sigil != '!' && tag.sigil != '=') check_name(tag);

    size_t left = open;
    while (left > 0 && is_blank(src_[left - 1])) --left;
    tag.left_clear = left == 0 || src_[left - 1] == '\n';
    tag.line_begin = left;
    size_t right = tag.end;
    while (right < src_.size() && is_blank(src_[right])) ++right;
    if (right == src_.size()) {
      tag.right_clear = true;
      tag.next_line = right;
    } else if (src_[right] == '\n') {
      tag.right_clear = true;
      tag.next_line = right + 1;
    } else if (src_.substr(right, 2) == "\r\n") {
      tag.right_clear = true;
      tag.next_line = right + 2;
    }
    return tag;
  }

  void check_name(const Tag& tag) const {
    std::string shown = "{{" + std::string(1, tag.sigil) + tag.name + "}}";
    if (tag.sigil == '\0') shown = "{{" + tag.name + "}}";
    if (tag.name.empty()) throw error(tag.line, "empty tag " + shown);
    for (char c : tag.name) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        throw error(tag.line, "tag name with a space in " + shown);
      }
    }
    if ((tag.sigil == '>' || tag.sigil == '<') && tag.name.front() == '*') {
      throw error(tag.line, "dynamic names are not supported: " + shown);
    }
  }

  void set_delimiters(const Tag& tag) {
    std::string_view spec = tag.name;
    size_t space = spec.find_first_of(" \t\r\n");
    std::string_view open = spec.substr(0, space);
    std::string_view close =
        space == std::string_view::npos ? std::string_view() : trim(spec.substr(space));
    auto valid = [](std::string_view d) {
      return !d.empty() && d.find_first_of(" \t\r\n=") == std::string_view::npos;
    };
    if (!valid(open) || !valid(close)) {
      throw error(tag.line, "invalid set-delimiter tag: '" + tag.name + "'");
    }
    open_ = std::string(open);
    close_ = std::string(close);
  }

  Node make_node(NodeKind kind, const Tag& tag) const {
    Node node;
    node.kind = kind;
    node.text = tag.name;
    node.line = tag.line;
    node.template_name = name_;
    if (node.text != ".") {
      for (size_t begin = 0;;) {
        size_t dot = node.text.find('.', begin);
        node.path.push_back(node.text.substr(begin, dot - begin));
        if (node.path.back().empty()) throw error(tag.line, "invalid name '" + node.text + "'");
        if (dot == std::string::npos) break;
        begin = dot + 1;
      }
    }
    return node;
  }

  void expect_close(const Node& node, char sigil, const std::optional<Tag>& close) const {
    std::string opened = "{{" + std::string(1, sigil) + node.text + "}}";
    if (!close) throw error(node.line, "unclosed section " + opened);
    if (close->name != node.text) {
      throw error(close->line, "closing tag {{/" + close->name + "}} does not match " + opened +
                                   " on line " + std::to_string(node.line));
    }
  }

  std::string_view intrinsic_indent(size_t pos) const {
    size_t end = pos;
    while (end < src_.size() && is_blank(src_[end])) ++end;
    return src_.substr(pos, end - pos);
  }

  // Adds source text [begin, end), less the scope's stripped indentation at each line start.
  void add_text(std::vector<Node>& body, const Scope& scope, size_t begin, size_t end) const {
    while (begin < end) {
      if (!scope.strip.empty() && (begin == 0 || src_[begin - 1] == '\n')) {
        for (size_t i = 0; i < scope.strip.size() && begin < end && src_[begin] == scope.strip[i];
             ++i) {
          ++begin;
        }
      }
      size_t newline = src_.substr(begin, end - begin).find('\n');
      size_t stop = newline == std::string_view::npos ? end : begin + newline + 1;
      if (stop > begin) {
        if (body.empty() || body.back().kind != NodeKind::kText) body.emplace_back();
        body.back().text.append(src_.substr(begin, stop - begin));
      }
      begin = stop;
    }
  }

  std::string_view name_;
  std::string_view src_;
  size_t pos_ = 0;
  std::string open_ = "{{";
  std::string close_ = "}}";
  int nesting_ = 0;  // sections, blocks and parents open around the current position
  size_t counted_pos_ = 0;
  int counted_line_ = 1;
};

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

bool is_truthy(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return false;
    case json::value_t::boolean:
      return value.get<bool>();
    case json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case json::value_t::array:
      return !value.empty();
    default:
      return true;
  }
}

class Renderer {
 public:
  Renderer(const PartialLoader& partials, const MustacheOptions& options)
      : loader_(partials), options_(options) {}

  std::string render(std::string_view name, std::string_view source, const json& data) {
    std::vector<Node> nodes = Parser(name, source).parse();
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
        loaded->nodes = Parser(loaded->name, *source).parse();
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
        auto found = (*it)->find(node.path.front());
        if (found != (*it)->end()) value = &*found;
      }
    }
    for (size_t i = 1; i < node.path.size() && value != nullptr; ++i) {
      auto found = value->is_object() ? value->find(node.path[i]) : value->end();
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
        text = value.get_ref<const std::string&>();
        break;
      case json::value_t::number_float: {
        double number = value.get<double>();
        // Integral doubles print without ".0", as in JavaScript and the spec's implementations.
        if (number > -1e15 && number < 1e15 && number == std::trunc(number)) {
          formatted = std::to_string(static_cast<long long>(number));
        } else {
          formatted = value.dump();
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
        formatted = value.dump();
        text = formatted;
        break;
      default:
        formatted = value.dump();
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
      const std::size_t newline = text.rfind('\n');
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

std::string render_mustache(std::string_view name, std::string_view source, const json& data,
                            const PartialLoader& partials, const MustacheOptions& options) {
  return Renderer(partials, options).render(name, source, data);
}

}  // namespace oasgen::render
