// Internals of the load stage, shared by its source files only.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace oasgen::load::detail {

/// How deep values may nest (arrays and objects in one another); deeper documents are refused
/// where the first value too deep opens.
inline constexpr std::size_t kMaxNesting = 256;

/// The message for a value nested deeper than kMaxNesting.
std::string too_deep_message();

/// The offset in JSON text of the first '[' or '{' that opens a value nested deeper than
/// kMaxNesting; npos when there is none.
std::size_t too_deep_offset(std::string_view json_text);

/// A 1-based line and column (0 when unknown).
struct LineColumn {
  int line = 0;
  int column = 0;
};

/// Why a file could not be turned into JSON.
struct SyntaxError {
  std::string code;  ///< diagnostic code: "syntax", "duplicate-key", "yaml-unsupported"
  std::string message;
  LineColumn where;
};

/// Where the members of an object start in JSON text: name -> offset of the value.
using MemberOffsets = std::unordered_map<std::string, std::size_t>;

/// Objects of a JSON text by the offset of their '{', with their members.
using JsonMemberIndex = std::vector<std::pair<std::size_t, MemberOffsets>>;

/// Parses JSON text, a large object on up to `threads` threads; the error (if any) is placed at
/// the offending byte. Not null, `index` is given the objects that splitting the text found, if it
/// was split (for a JsonLocator).
nlohmann::json parse_json(std::string_view text, std::optional<SyntaxError>& error,
                          std::size_t threads = 1, JsonMemberIndex* index = nullptr);

/// The tree of a large JSON object parsed in pieces on `threads` threads (parse_json's first
/// try); nullopt when the text is small, not an object or some piece does not parse: parsed
/// whole, it then gives the same tree or says where the error is.
std::optional<nlohmann::json> parse_json_split(std::string_view text, std::size_t threads,
                                              JsonMemberIndex* index = nullptr);

/// The offset just past the JSON value that starts at `offset` of `text`, found by its brackets
/// and quotes alone (the text is not checked); past text.size() for a string left open.
std::size_t skip_json_value(std::string_view text, std::size_t offset);

/// Parses one YAML document under the YAML 1.2 core schema into JSON.
nlohmann::json parse_yaml(std::string_view text, std::optional<SyntaxError>& error);

/// The line and column of byte `offset` in `text`.
LineColumn line_column_at(std::string_view text, std::size_t offset);

/// Splits an RFC 6901 pointer ("/a~1b/0") into unescaped tokens; nullopt when malformed.
std::optional<std::vector<std::string>> split_pointer(std::string_view pointer);

/// Finds nodes in JSON text. Lazy: the first lookup through an object or array scans it once and
/// remembers where its members start; nothing is recorded for containers never looked into.
class JsonLocator {
 public:
  explicit JsonLocator(std::string_view text);
  ~JsonLocator();
  JsonLocator(const JsonLocator&) = delete;
  JsonLocator& operator=(const JsonLocator&) = delete;

  /// Where the value at `tokens` starts, or where its deepest existing ancestor does.
  LineColumn find(const std::vector<std::string>& tokens);

  /// The members of the object at `offset`, found already (by parse_json): not scanned again.
  void know(std::size_t offset, MemberOffsets members);

 private:
  struct Members;
  const Members& members_at(std::size_t offset);

  std::string_view text_;
  std::size_t root_ = 0;
  std::unordered_map<std::size_t, std::unique_ptr<Members>> containers_;  // by offset
  std::vector<std::size_t> line_starts_;                                  // built on first find
};

/// Finds nodes in YAML text; parses the text into a yaml-cpp tree once, on first use.
class YamlLocator {
 public:
  explicit YamlLocator(std::string_view text);
  ~YamlLocator();
  YamlLocator(const YamlLocator&) = delete;
  YamlLocator& operator=(const YamlLocator&) = delete;

  /// Where the value at `tokens` starts, or where its deepest existing ancestor does.
  LineColumn find(const std::vector<std::string>& tokens);

 private:
  struct Tree;
  std::string_view text_;
  std::unique_ptr<Tree> tree_;
};

}  // namespace oasgen::load::detail
