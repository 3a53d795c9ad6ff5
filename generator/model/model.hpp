// The model stage's output: the API, normalised so that Swagger 2.0, OpenAPI 3.0 and 3.1 look the
// same. Language-neutral: nothing here knows C++.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "support/diagnostics.hpp"
#include "support/stable_vector.hpp"

namespace oasgen::model {

/// Index into Api::schemas.
using SchemaId = std::size_t;

/// JSON Schema primitive types as a bit set; 0 means any type.
enum TypeBits : unsigned {
  kNull = 1u << 0,
  kBoolean = 1u << 1,
  kInteger = 1u << 2,
  kNumber = 1u << 3,
  kString = 1u << 4,
  kArray = 1u << 5,
  kObject = 1u << 6,
};

/// Where a construct came from: for diagnostics and for naming inline schemas.
/// Where a construct came from. The line and column are looked up only when a diagnostic needs
/// them (`Api::locate`): computing them for every schema of a large spec is measurable.
struct Origin {
  std::size_t file = 0;          ///< index of the file it is in
  std::string pointer_in_file;   ///< JSON pointer within that file
  std::string pointer;           ///< as shown to users: "#/components/schemas/Pet"
};

struct Property {
  std::string name;  ///< as on the wire
  SchemaId schema = 0;
  bool required = false;
};

/// OpenAPI's discriminator: which property names the alternative, and the value -> schema mapping
/// (explicit `mapping` entries, plus implicit ones from the alternatives' component names).
struct Discriminator {
  std::string property;
  std::vector<std::pair<std::string, SchemaId>> mapping;
};

// A field added here must be added to naming/shapes.cpp too, or schemas that differ in it would
// share one C++ type.
struct Schema {
  Origin origin;
  /// Name parts from where the schema stands: {"Pet"} for a component, {"NewPet", "category"} for
  /// an inline property schema, {"listPets", "limit"} for a parameter's. Naming joins them.
  std::vector<std::string> name_parts;
  bool component = false;  ///< declared under components/schemas (or definitions)
  /// An inline part of allOf/anyOf/oneOf: its content lives on in the composed schema.
  bool composition_part = false;
  std::string title;
  std::string description;

  unsigned types = 0;  ///< TypeBits; 0 = any
  bool nullable = false;
  /// The schema could not be represented faithfully (e.g. oneOf); code treats it as any JSON.
  bool opaque = false;
  /// This schema is another (named) one, perhaps made nullable: `anyOf: [$ref, {type: null}]`.
  std::optional<SchemaId> same_as;
  /// oneOf/anyOf alternatives as written (`{type: null}` alternatives included). allOf parts are
  /// merged into this schema instead.
  std::vector<SchemaId> one_of, any_of;
  std::optional<Discriminator> discriminator;

  std::string format;
  std::string content_media_type;  ///< 3.1 `contentMediaType`: what a string carries
  std::optional<std::size_t> min_length, max_length;
  std::optional<std::string> pattern;  ///< ECMA-262, compiled at generation time
  /// A `pattern` as written that is not ECMA-262 and has no clear reading as one: not checked.
  std::optional<std::string> pattern_unchecked;
  std::optional<double> minimum, maximum, multiple_of;
  bool exclusive_minimum = false, exclusive_maximum = false;

  std::optional<SchemaId> items;
  std::optional<std::size_t> min_items, max_items;
  bool unique_items = false;

  std::vector<Property> properties;
  std::vector<std::string> required;  ///< every required name, declared as a property or not
  /// additionalProperties: absent/true = allowed (any), false = forbidden, a schema = typed.
  bool additional_allowed = true;
  std::optional<SchemaId> additional;
  /// additionalProperties is written, `true` included: every member is then evaluated here (what
  /// unevaluatedProperties asks about).
  bool has_additional = false;
  std::optional<std::size_t> min_properties, max_properties;

  std::vector<nlohmann::json> enum_values;
  std::optional<nlohmann::json> const_value;
  std::optional<nlohmann::json> default_value;
  std::optional<nlohmann::json> example;
  bool read_only = false, write_only = false, deprecated = false;

  // ---- Validation: what generated validators check, with JSON Schema's meaning. The fields
  // above also shape the C++ type (allOf merged, a type inferred from `properties`); validators
  // read the keywords as written, from these fields and from `own`.
  /// The schema's own keywords, copied before allOf/anyOf/oneOf were merged into this schema.
  /// Set only when the schema has a composition: its validator checks `own`, then `all_of`,
  /// `any_of` and `one_of` one by one.
  std::optional<SchemaId> own;
  std::vector<SchemaId> all_of;  ///< allOf parts as written
  bool never = false;            ///< the boolean schema `false`: no value is valid
  bool has_type = false;         ///< `type` is written (`types` may be inferred for C++ otherwise)
  /// `type` lists "null", or (OpenAPI 3.0.3) `nullable: true` stands beside a `type`. As 3.0.3
  /// says, nullable adds null to the types and nothing more: without `type` it has no effect,
  /// and an `enum` must list null for null to pass it.
  bool type_null = false;
  bool enum_null = false;        ///< `enum` lists null (`enum_values` leaves it out)
  std::optional<SchemaId> not_schema;
  std::optional<SchemaId> if_schema, then_schema, else_schema;
  std::vector<std::pair<std::string, SchemaId>> pattern_properties;  ///< ECMA-262 pattern, schema
  std::optional<SchemaId> property_names;
  /// unevaluatedProperties (2020-12): checks the members that no keyword of this schema, nor of a
  /// subschema applied in place (allOf, $ref, valid anyOf/oneOf alternatives, if/then/else,
  /// dependentSchemas), evaluated.
  std::optional<SchemaId> unevaluated_properties;
  /// dependentRequired, and draft 4-7 `dependencies` with an array.
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  /// dependentSchemas, and draft 4-7 `dependencies` with a schema.
  std::vector<std::pair<std::string, SchemaId>> dependent_schemas;
  std::optional<SchemaId> contains;
  std::size_t min_contains = 1;
  std::optional<std::size_t> max_contains;
  /// prefixItems (3.1) or the array form of `items` (drafts 4-7); `items` is then empty and
  /// `additional_items` checks the elements after them.
  std::vector<SchemaId> prefix_items;
  std::optional<SchemaId> additional_items;
};

enum class ParamIn { Path, Query, Header, Cookie };
enum class ParamStyle { Simple, Label, Matrix, Form, SpaceDelimited, PipeDelimited, DeepObject };

struct Parameter {
  Origin origin;
  std::string name;
  ParamIn in = ParamIn::Query;
  ParamStyle style = ParamStyle::Form;
  bool explode = true;
  bool required = false;
  bool deprecated = false;
  bool allow_empty_value = false;  ///< `allowEmptyValue` (query parameters)
  std::string description;
  SchemaId schema = 0;
};

struct MediaType {
  std::string name;  ///< "application/json"
  std::optional<SchemaId> schema;
};

struct RequestBody {
  Origin origin;
  bool required = false;
  std::string description;
  std::vector<MediaType> content;
};

struct Header {
  Origin origin;
  std::string name;
  bool required = false;
  bool deprecated = false;
  bool explode = false;  ///< headers are always `style: simple`; explode is theirs to set
  std::string description;
  SchemaId schema = 0;
};

struct Response {
  Origin origin;
  std::string status;  ///< "200", "4XX" or "default"
  std::string description;
  std::vector<Header> headers;
  std::vector<MediaType> content;
};

// ---- Servers and security (what clients need to reach and authenticate) ----------------------

struct ServerVariable {
  std::string name;
  std::string default_value;
  std::vector<std::string> values;  ///< `enum`: the allowed values, if listed
  std::string description;
};

struct Server {
  std::string url;  ///< may hold `{variable}`s; may be relative
  std::string description;
  std::vector<ServerVariable> variables;
};

enum class SecurityKind { ApiKey, Http, OAuth2, OpenIdConnect, MutualTls };

/// One OAuth 2 flow: where the client gets and renews tokens, and the scopes it may ask for.
struct OAuthFlow {
  std::string kind;  ///< "implicit", "password", "clientCredentials", "authorizationCode"
  std::string authorization_url, token_url, refresh_url;
  std::vector<std::string> scopes;  ///< sorted
};

struct SecurityScheme {
  Origin origin;
  std::string name;  ///< its key under components/securitySchemes
  SecurityKind kind = SecurityKind::Http;
  ParamIn in = ParamIn::Header;  ///< ApiKey: where the key goes
  std::string parameter;         ///< ApiKey: the header, query or cookie name
  std::string scheme;            ///< Http: the scheme, lower case ("basic", "bearer")
  std::string bearer_format;     ///< Http bearer: `bearerFormat`, a hint
  std::string open_id_connect_url;  ///< OpenIdConnect: the discovery URL
  std::vector<OAuthFlow> flows;  ///< OAuth2: sorted by kind (Swagger 2.0's `flow` is mapped)
  std::string description;
};

/// One alternative of a security requirement: every scheme listed must be satisfied. No schemes:
/// anonymous access is allowed.
struct SecurityRequirement {
  std::vector<std::pair<std::size_t, std::vector<std::string>>> schemes;  ///< index, scopes
};

struct Operation {
  Origin origin;
  std::string operation_id;  ///< from the spec, or derived from method and path
  std::string method;        ///< upper case: "GET"
  std::string path;          ///< "/pets/{petId}"
  std::string summary;
  std::string description;
  std::vector<std::string> tags;
  bool deprecated = false;
  /// The operation's `x-` members, as written (`x-oasgen-rate-limit`, ...).
  nlohmann::json extensions = nlohmann::json::object();
  std::vector<Parameter> parameters;  ///< path-level and operation-level, merged
  std::optional<RequestBody> request_body;
  std::vector<Response> responses;  ///< ordered: numeric codes, ranges, default
  /// The requirement in force (the operation's own, else the document's): alternatives, any one
  /// of which suffices. Empty: no security.
  std::vector<SecurityRequirement> security;
};

struct Tag {
  std::string name;
  std::string description;
};

struct Api {
  std::string source_name;  ///< the spec's file name, for banners (never an absolute path)
  std::string openapi_version;
  std::string title;
  std::string version;
  std::string description;
  std::vector<Tag> tags;
  std::vector<Operation> operations;  ///< sorted by path, then method
  StableVector<Schema> schemas;  ///< by SchemaId
  std::vector<Server> servers;                  ///< in the document's order
  std::vector<SecurityScheme> security_schemes;  ///< sorted by name
  /// The file, line and column of an origin; valid while the loaded document lives.
  std::function<SourceLocation(const Origin&)> locate;
};

}  // namespace oasgen::model
