// Internals of the model stage, shared by its source files only: the Builder that walks a loaded
// document into a model::Api. Its member functions are defined by concern in build_model.cpp
// (the document, info, tags, servers and security), build_schema.cpp (schemas and their
// type-shaping keywords), build_validation.cpp (validation keywords and composition) and
// build_operations.cpp (paths, operations, parameters, bodies and responses, Swagger 2.0).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "load/document.hpp"
#include "model/build_model.hpp"
#include "model/model.hpp"
#include "support/diagnostics.hpp"

namespace oasgen::model::detail {

using load::Node;

inline constexpr std::array<std::string_view, 8> kMethods = {"get",  "put",   "post",  "delete",
                                                             "options", "head", "patch", "trace"};

class Builder {
 public:
  Builder(const load::Document& document, Diagnostics& diagnostics, const BuildOptions& options)
      : doc_(document), diag_(diagnostics), lenient_(options.lenient), threads_(options.threads) {}

  std::optional<Api> build();

 private:
  struct PendingMapping {
    SchemaId schema;
    std::string value, ref;
    Node node;
  };

  // ---- components built beside each other (build_parallel.cpp) --------------------------------
  // The walk numbers schemas as it meets them and follows references into other components, so
  // each component is first built on its own on the pool, other components referred to standing
  // in as external ids, with what it would do to the rest (diagnostics, external builds, mappings)
  // recorded in order. The walk then puts it in place where it reaches it, building the external
  // ones at their turn. One that reads another component's content (an allOf or oneOf part) is
  // built by the walk as before.

  static constexpr SchemaId kExternal = SchemaId{1} << 62;  // + index into externals
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  static bool is_external(SchemaId id) { return id >= kExternal; }

  struct Speculation {
    struct Event {
      enum Kind { kExternal, kDiagnostic, kFormat, kMapping } kind;
      std::size_t schemas_before;  // local schemas made before it
      std::size_t index;           // into externals, diagnostics or mappings
    };
    StableVector<Schema> schemas;  // by local id; the component itself first
    std::vector<const nlohmann::json*> registered;  // by local id: its node (build_once), or null
    std::vector<Node> externals;   // the components referred to
    Diagnostics diagnostics;
    std::vector<PendingMapping> mappings;
    std::vector<std::pair<std::string, std::size_t>> formats;  // unknown format, diagnostic
    std::vector<Event> events;
    bool usable = true;   // false: it read another component's content; the walk builds it
    bool unsafe = false;  // a reference it cannot follow as the walk would: no speculation at all
  };

  // Builds the members of `container` (components/schemas or definitions) on the pool, for
  // schema() to put in place.
  void speculate(const Node& container);
  void speculate_one(const std::string& name, const Node& node, Speculation& speculation);
  // The $ref branch of schema() while speculating.
  SchemaId speculative_ref(const Node& node, std::vector<std::string> name_parts);
  // Puts a speculation in place (the walk has reached its component); nullopt when its schemas
  // are known already (then the walk builds it).
  std::optional<SchemaId> place(Speculation& speculation);
  void record(Speculation::Event::Kind kind, std::size_t index) {
    spec_->events.push_back({kind, api_.schemas.size(), index});
  }
  // An external id read for its content: the speculation is of no use.
  bool read_external(SchemaId id) {
    if (!is_external(id)) return false;
    spec_->usable = false;
    return true;
  }
  // ---- helpers -------------------------------------------------------------------------------

  Origin origin(const Node& node) const { return {node.file, node.pointer, doc_.id(node)}; }

  void error(const Node& node, std::string code, std::string message) {
    diag_.error(std::move(code), std::move(message), doc_.location(node), doc_.id(node));
    if (spec_) record(Speculation::Event::kDiagnostic, diag_.all().size() - 1);
  }
  void warning(const Node& node, std::string code, std::string message) {
    diag_.warning(std::move(code), std::move(message), doc_.location(node), doc_.id(node));
    if (spec_) record(Speculation::Event::kDiagnostic, diag_.all().size() - 1);
  }
  // A keyword whose value is of the wrong kind: read as absent, which only loosens the checks
  // (lenient; an error under --strict).
  void ignored(const Node& node, std::string code, const std::string& message) {
    warning(node, std::move(code), message + "; ignored");
  }

  std::optional<Node> child(const Node& node, std::string_view key) const {
    if (node->is_object() && !may_have(node, key)) return std::nullopt;
    return doc_.child(node, key);
  }

  // Whether the object `node` may have the member `key`. Most keywords looked up are absent: a
  // bit per member name of the last object asked about says so without searching its map.
  // Inlined where the keyword is a literal, so that its bit is a constant.
  [[gnu::always_inline]] bool may_have(const Node& node, std::string_view key) const {
    if (node.value != masked_) {
      masked_ = node.value;
      key_mask_ = 0;
      for (auto it = node->begin(); it != node->end(); ++it) key_mask_ |= key_bit(it.key());
    }
    return (key_mask_ & key_bit(key)) != 0;
  }

  static constexpr std::uint64_t key_bit(std::string_view key) {
    const std::size_t ends = key.empty() ? 0
                                         : static_cast<unsigned char>(key.front()) * 7u +
                                               static_cast<unsigned char>(key.back());
    return std::uint64_t{1} << ((key.size() * 31 + ends) & 63);
  }

  /// The member `key` with any $ref followed.
  std::optional<Node> resolved_child(const Node& node, std::string_view key) {
    auto member = doc_.child(node, key);
    if (!member) return std::nullopt;
    return doc_.deref(*member, diag_);
  }

  // The member `key` of an object node, or null. The scalar readers below use it rather than
  // child(): a Node carries its JSON pointer, built only when a diagnostic or a subschema needs it.
  [[gnu::always_inline]] const nlohmann::json* value_of(const Node& node,
                                                        std::string_view key) const {
    if (!node->is_object() || !may_have(node, key)) return nullptr;
    const auto found = node->find(key);
    return found == node->end() ? nullptr : &*found;
  }

  bool has(const Node& node, std::string_view key) const { return value_of(node, key) != nullptr; }

  std::string text(const Node& node, std::string_view key) const {
    const nlohmann::json* member = value_of(node, key);
    if (member && member->is_string()) return member->get<std::string>();
    return {};
  }

  bool flag(const Node& node, std::string_view key, bool fallback = false) const {
    const nlohmann::json* member = value_of(node, key);
    if (member && member->is_boolean()) return member->get<bool>();
    return fallback;
  }

  std::optional<std::size_t> count(const Node& node, std::string_view key) {
    const nlohmann::json* member = value_of(node, key);
    if (!member) return std::nullopt;
    if (member->is_number_unsigned() || (member->is_number_integer() && *member >= 0)) {
      return member->get<std::size_t>();
    }
    ignored(doc_.member(node, key, *member), "schema-invalid",
            "'" + std::string(key) + "' must be a non-negative integer");
    return std::nullopt;
  }

  std::optional<double> number(const Node& node, std::string_view key) {
    const nlohmann::json* member = value_of(node, key);
    if (!member) return std::nullopt;
    if (member->is_number()) return member->get<double>();
    if (member->is_boolean()) return std::nullopt;  // 3.0 exclusiveMinimum: handled by caller
    ignored(doc_.member(node, key, *member), "schema-invalid",
            "'" + std::string(key) + "' must be a number");
    return std::nullopt;
  }

  template <typename F>
  void for_each_member(const Node& node, F&& f) {
    if (!node->is_object()) return;
    for (auto it = node->begin(); it != node->end(); ++it) {
      f(it.key(), doc_.member(node, it.key(), it.value()));
    }
  }

  // `parts` and one more, in one allocation (a copy then push_back would allocate twice).
  static std::vector<std::string> extended(const std::vector<std::string>& parts,
                                           std::string last) {
    std::vector<std::string> result;
    result.reserve(parts.size() + 1);
    result.insert(result.end(), parts.begin(), parts.end());
    result.push_back(std::move(last));
    return result;
  }

  // ---- info and tags ---------------------------------------------------------------------------

  void read_info(const Node& root);

  void read_tags(const Node& root);

  // ---- schemas -------------------------------------------------------------------------------

  void read_component_schemas(const Node& root);

  SchemaId opaque_schema(const Node& node, std::vector<std::string> name_parts);

  /// Name parts for a schema that a $ref points at: the component name, or the pointer's tokens, or
  /// for a whole file (`$ref: schemas/pet.yaml`) the file's name without extension.
  static std::vector<std::string> parts_from_id(const std::string& id);

  static bool is_component(const std::string& id);

  SchemaId schema(const Node& node, std::vector<std::string> name_parts);

  // OpenAPI 3.0 ignores what stands beside $ref: said for each keyword but annotations.
  void warn_ref_siblings(const Node& node);

  // The schema at `node`, built once: its index is taken (and known to references, so that
  // recursion ends) before `fill_schema(id, schema)` runs.
  template <typename Fill>
  SchemaId build_once(const Node& node, std::vector<std::string> name_parts, Fill fill_schema) {
    if (auto known = by_node_.find(node.value); known != by_node_.end()) return known->second;
    const std::string id = doc_.id(node);
    const SchemaId index = api_.schemas.size();
    api_.schemas.emplace_back();
    by_node_.emplace(node.value, index);
    if (spec_) {
      spec_->registered.resize(index + 1);
      spec_->registered[index] = node.value;
    }
    in_progress_.resize(index + 1);
    in_progress_[index] = true;
    building_.push_back(index);
    Schema s;
    s.origin = {node.file, node.pointer, id};  // origin(node), its id already known
    s.name_parts = std::move(name_parts);
    // The caller's object keeps its mask: subschemas would otherwise make it scan its names again.
    const nlohmann::json* const caller_masked = masked_;
    const std::uint64_t caller_mask = key_mask_;
    fill_schema(id, s);
    masked_ = caller_masked;
    key_mask_ = caller_mask;
    api_.schemas[index] = std::move(s);
    in_progress_[index] = false;
    building_.pop_back();
    return index;
  }

  void fill(const Node& node, Schema& s);

  void read_type(const Node& node, const nlohmann::json& type, Schema& s);

  void read_exclusive(const Node& node, std::string_view key, std::optional<double>& bound,
                      bool& exclusive);

  // ---- validation keywords ---------------------------------------------------------------------
  // What only validators read, with JSON Schema's meaning (see Schema::own). Called from fill()
  // after the keywords that shape the C++ type and before allOf/anyOf/oneOf are merged.

  SchemaId subschema_at(const Node& node, const Schema& s, std::string part);

  std::optional<SchemaId> subschema(const Node& node, std::string_view key, const Schema& s);

  // Every pattern is compiled here, so that a pattern the runtime could not compile never
  // reaches generated code. One that is not ECMA-262 is read leniently (a warning; an error under
  // --strict): translated where its meaning is clear (Java's `\p{Alnum}`, `\A`, ...), else left
  // unchecked. Returns the pattern to check, or nullopt when there is none.
  std::optional<std::string> usable_pattern(const Node& at, const std::string& pattern);

  // OpenAPI 3.1 (JSON Schema 2020-12): keywords beside $ref apply as well. Annotations alone change
  // nothing; anything else makes a schema of its own.
  bool constrains_beside_ref(const Node& node) const;

  // `{$ref: X, <keywords>}` in 3.1: typed as X (same_as), validated as X and the keywords (allOf).
  SchemaId ref_with_siblings(const Node& node, SchemaId referenced, std::vector<std::string> name_parts);

  // A format neither JSON Schema nor the OpenAPI Format Registry defines is accepted without a
  // check; said once per name, where it is first used.
  void check_format(const Node& node, const std::string& format);

  // A `type` of known names only; another is ignored (read_type says so), as if absent.
  bool readable_type(const nlohmann::json& type) const;

  void read_validation_keywords(const Node& node, Schema& s);

  // allOf becomes one type: properties, required names and constraints of every part merged.
  void merge_all_of(const Node& list, Schema& s);

  // Later parts of a cycle are recorded first, so merging in reverse completes every part before
  // it is merged into another.
  void finish_deferred_merges();

  static void merge_into(const Schema& part, Schema& s);

  // oneOf/anyOf: `[X, {type: null}]` is a nullable X; anything else is not representable yet.
  void read_alternatives(const Node& list, std::string_view keyword, Schema& s);

  // discriminator: {propertyName, mapping}. Mapping targets may not be built yet: they are resolved
  // at the end (finish_discriminators).
  void read_discriminator(const Node& node, Schema& s);

  // Explicit mappings resolved; alternatives that are components map from their names too.
  void finish_discriminators();

  // ---- paths and operations ------------------------------------------------------------------

  void read_paths(const Node& root);

  static std::string derived_operation_id(std::string_view method, std::string_view path);

  void read_operation(const std::string& path, std::string_view method,
                      const std::vector<Parameter>& shared, const Node& node);

  void check_path_parameters(const Node& node, Operation& op);

  std::vector<Parameter> read_parameters(const Node& list, const std::vector<std::string>& scope);

  std::optional<Parameter> read_parameter(const Node& node, const std::vector<std::string>& scope);

  // A plain string schema for a parameter that declares none (or a content that is not JSON).
  SchemaId text_schema_of(Origin where, std::vector<std::string> name_parts);

  std::vector<MediaType> read_content(const Node& node, const std::vector<std::string>& scope);

  // ---- Swagger 2.0 ----------------------------------------------------------------------------

  std::vector<std::string> media_types(const Node& node, std::string_view key);

  // 2.0 collectionFormat as a 3.x style.
  void read_collection_format(const Node& node, Parameter& p);

  // The 2.0 `in: body` parameter, or the `in: formData` ones gathered into one object.
  std::optional<RequestBody> swagger_request_body(const Node& operation, const std::string& operation_id);

  RequestBody read_request_body(const Node& node, const std::string& operation_id);

  Response read_response(const Node& node, const std::string& status, const std::string& operation_id);

  // ---- servers and security ------------------------------------------------------------------

  void read_servers(const Node& root);

  void read_security(const Node& root);

  void read_security_scheme(const std::string& name, const Node& node);

  // 3.x `flows`, or Swagger 2.0's single `flow` with its URLs and scopes beside it.
  void read_oauth_flows(const Node& node, SecurityScheme& s);

  // A `security` list: alternatives of scheme -> scopes. A scheme that is not declared is an error
  // (the spec says each name MUST correspond to one): dropping its alternative could leave the
  // operation open to anyone.
  std::vector<SecurityRequirement> read_requirements(const Node& list);

  const load::Document& doc_;
  Diagnostics& diag_;
  Api api_;
  bool openapi31_ = false;
  bool swagger2_ = false;
  bool lenient_ = false;  // BuildOptions::lenient
  std::size_t threads_ = 1;
  Speculation* spec_ = nullptr;  // set while speculating: this builder builds one component
  // Component roots -> their speculation (kNone: none), while the walk reads the components:
  // owned by the walk's builder, viewed through roots_ by it and by the speculating ones.
  const std::unordered_map<const nlohmann::json*, std::size_t>* roots_ = nullptr;
  std::unique_ptr<const std::unordered_map<const nlohmann::json*, std::size_t>> speculation_roots_;
  std::unique_ptr<std::vector<Speculation>> speculations_;
  std::set<std::string, std::less<>> unknown_formats_;  // reported once each
  std::vector<std::string> global_consumes_, global_produces_;  // 2.0
  std::vector<std::string> consumes_, produces_;                // 2.0, of the current operation
  std::vector<Node> body_parameters_;                           // 2.0 body/formData parameters
  // The schemas built once (build_once), by their node: a node's value is one place in one file,
  // as its id is, and is found without making the id's string.
  std::unordered_map<const nlohmann::json*, SchemaId> by_node_;
  std::optional<SchemaId> built(const Node& node) const {
    const auto known = by_node_.find(node.value);
    return known != by_node_.end() ? std::optional<SchemaId>(known->second) : std::nullopt;
  }
  mutable const nlohmann::json* masked_ = nullptr;  // may_have()'s object and its names' bits
  mutable std::uint64_t key_mask_ = 0;
  std::vector<bool> in_progress_;  // by schema id: being built (ids past its end are not)
  bool in_progress(SchemaId id) const { return id < in_progress_.size() && in_progress_[id]; }
  std::vector<SchemaId> building_;  // the schemas being built, innermost last
  struct DeferredMerge {
    SchemaId target, part;
    Node node;
  };
  std::vector<DeferredMerge> deferred_merges_;
  std::vector<PendingMapping> pending_mappings_;  // being built: a reference back to one is recursion
};

}  // namespace oasgen::model::detail
