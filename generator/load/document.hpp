// The load stage: reads a spec (YAML or JSON, possibly split over several files joined by $ref) into
// JSON trees, keeps where each value came from, and resolves references on request.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/diagnostics.hpp"

namespace oasgen::load {

/// A value inside the loaded document: the JSON node, the file it is in and its pointer there.
struct Node {
  const nlohmann::json* value = nullptr;
  std::size_t file = 0;  ///< index into Document::files()
  std::string pointer;   ///< RFC 6901 pointer within that file ("" for the file's root)

  const nlohmann::json& operator*() const { return *value; }
  const nlohmann::json* operator->() const { return value; }
};

class Document {
 public:
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  /// The root of the first file (the spec named on the command line).
  Node root() const;

  /// The member `key` of an object node, or the element `index` of an array node; nullopt when
  /// absent or when `node` is of another type. Does not follow $ref.
  std::optional<Node> child(const Node& node, std::string_view key) const;
  std::optional<Node> child(const Node& node, std::size_t index) const;

  /// The node of `value`, the member `key` of the object `node` (found by iterating it), without
  /// looking the key up again.
  Node member(const Node& node, std::string_view key, const nlohmann::json& value) const;

  /// If `node` is a reference object ({"$ref": "..."}), follows it (and any chain of references) to
  /// its target, loading other files as needed; otherwise returns `node`. Reports an unresolvable or
  /// cyclic reference to `diagnostics` (once per reference) and returns nullopt.
  std::optional<Node> deref(const Node& node, Diagnostics& diagnostics) const;

  /// The target of the reference object `node` when its $ref is a fragment of its own file that
  /// exists and is no reference itself: what deref() returns then, found without loading a file
  /// or reporting anything. nullopt for anything else (deref() says what it is).
  std::optional<Node> follow_local(const Node& node) const;

  /// Where `node` starts in its file. Cheap enough to call for every diagnostic, not for every node.
  SourceLocation location(const Node& node) const;

  /// A stable, readable identity for a node, e.g. "#/components/schemas/Pet" for the first file and
  /// "common.yaml#/Pet" for others (path relative to the first file's folder). Equal nodes, equal ids.
  std::string id(const Node& node) const;

  /// Every file read, in the order first read (the first is the spec itself). For depfiles.
  std::vector<std::filesystem::path> files() const;

 private:
  friend std::optional<Document> load_document(const std::filesystem::path&, Diagnostics&,
                                               std::size_t);
  struct Impl;
  explicit Document(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Loads the spec at `path`. A file whose name ends in .json is parsed as JSON, anything else as YAML
/// (YAML 1.2 core schema: unquoted true/false/null/numbers are typed, quoted scalars are strings).
/// Syntax errors are reported with file:line:col; returns nullopt after any error. A large JSON
/// file is parsed on up to `threads` threads (the same tree and errors as on one).
std::optional<Document> load_document(const std::filesystem::path& path, Diagnostics& diagnostics,
                                      std::size_t threads = 1);

}  // namespace oasgen::load
