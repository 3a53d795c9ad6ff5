// Mustache parsing: template text into the node tree that rendering walks (see mustache.cpp for
// how indentation and blocks are rendered).
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/mustache.hpp"
#include "render/mustache_parse.hpp"

namespace oasgen::render::detail {
namespace {

constexpr std::string_view kSigils = "#^/!>&<$={";

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

}  // namespace

std::vector<Node> parse_mustache(std::string_view name, std::string_view source) {
  return Parser(name, source).parse();
}

}  // namespace oasgen::render::detail
