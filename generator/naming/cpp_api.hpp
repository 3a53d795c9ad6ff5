// The naming stage's output: every C++ spelling decided (identifiers, types, file plan).
// Render only places these; it makes no naming or typing decisions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace oasgen::cpp {

/// What optional members and parameters are: oasgen::Optional (the default: std::optional's
/// interface, and quick to compile at any size; docs/design.md, "Compile time of large specs"), or
/// std::optional.
enum class OptionalType { Std, Oasgen };

struct Options {
  std::string ns = "api";  ///< namespace of the generated code, may be nested ("acme::pets")
  OptionalType optional = OptionalType::Oasgen;
};

struct Field {
  std::string name;       ///< C++ member name
  std::string json_name;  ///< name on the wire
  std::string type;       ///< full C++ type, including the optional wrapper where it applies
  bool required = false;  ///< present on the wire always
  bool nullable = false;  ///< null allowed (optional, null on the wire)
  bool opaque = false;    ///< held as nlohmann::json: the type would contain itself by value
  model::SchemaId schema = 0;
};

enum class TypeKind { Struct, Enum, Alias, Variant };

/// One alternative of a variant, and how decoding recognises it.
struct Alternative {
  std::string type;       ///< C++ type
  model::SchemaId schema = 0;
  std::vector<std::string> tags;  ///< discriminator values naming it
  std::string json_test;  ///< "is_object" when the JSON type alone tells the alternatives apart
  std::string validate_fn;  ///< otherwise: the first alternative whose validator accepts wins
};

struct EnumValue {
  std::string name;  ///< kAvailable
  std::string wire;  ///< "available"
};

/// A named C++ type: a struct for an object schema, an enum class for a string enum, or a
/// `using` alias for any other named schema (arrays, maps, primitives, free-form values).
struct Type {
  TypeKind kind = TypeKind::Struct;
  std::string name;           ///< PascalCase
  model::SchemaId schema = 0;
  std::string validate_fn;    ///< validate_pet
  std::vector<Field> fields;  ///< Struct
  std::vector<EnumValue> values;  ///< Enum
  std::string parse_fn;       ///< Enum: parse_pet_status
  /// Enum: what parse_fn returns, the API's optional (std::optional<Enum> cost a model file about
  /// 20 ms per enum).
  std::string parse_type;
  std::string aliased;        ///< Alias: the C++ type
  /// Alias: an inline schema that says what an earlier one says (naming/shapes.hpp) shares that
  /// schema's type, whose validator and coding it uses: this is the earlier schema.
  std::optional<model::SchemaId> shares;
  std::vector<Alternative> alternatives;  ///< Variant
  std::string discriminator;  ///< Variant: the property naming the alternative, if any
};

struct Param {
  std::string field;     ///< member of the request struct
  std::string type;      ///< its C++ type (optional unless required or defaulted)
  std::string value_type;  ///< the type inside the optional
  std::string default_value;  ///< C++ initializer for a parameter with a default, else empty
  const model::Parameter* source = nullptr;
};

/// A form or multipart field: how its text is decoded (for the runtime's ParamSpec).
struct BodyField {
  std::string name;  ///< on the wire
  bool required = false;
  model::SchemaId schema = 0;
};

/// A member of a multipart body that holds files (oasgen::File), by its part name.
struct BodyFile {
  std::string part;    ///< on the wire
  std::string member;  ///< of the body struct
};

struct Body {
  std::string field = "body";
  std::string type;        ///< C++ type of the decoded body (optional if not required)
  std::string value_type;
  bool required = false;
  /// Raw bodies are bytes (oasgen::RawBody); typed ones are decoded, validated and converted.
  bool raw = false;
  model::SchemaId schema = 0;  ///< typed bodies; past the end of the table when there is none
  bool json = false, form = false, multipart = false;  ///< typed: accepted representations
  std::vector<BodyField> fields;       ///< typed form/multipart: the object's properties
  std::string fields_const;            ///< name of the constexpr ParamSpec array for them
  std::vector<BodyFile> files;         ///< typed multipart: members whose filenames are kept
  std::vector<std::string> raw_types;  ///< raw: accepted media types (may be wildcards)
};

struct ResponseHeader {
  std::string field;
  std::string type;  ///< optional unless required
  std::string value_type;
  std::string name;  ///< on the wire
  bool required = false;
  std::string description;
};

/// One declared response: a struct that the operation's result variant can hold.
struct ResultCase {
  std::string name;              ///< ListPetsOk
  std::string status;            ///< "200", "4XX", "default"
  int fixed_status = 0;          ///< the code, or 0 when the struct carries a `status` member
  int default_status = 500;      ///< initial value of that member
  std::string body_type;         ///< empty when the response has no body
  bool json_body = true;         ///< false: the body is text/bytes in a std::string
  std::string media_type;
  std::vector<ResponseHeader> headers;
  const model::Response* source = nullptr;
};

struct Operation {
  const model::Operation* source = nullptr;
  std::string method_name;   ///< list_pets
  std::string request_type;  ///< ListPetsRequest
  std::string result_type;   ///< ListPetsResult
  std::string params_const;  ///< kListPetsParams (array of oasgen::ParamSpec)
  std::vector<Param> params;
  std::optional<Body> body;
  std::vector<ResultCase> results;
};

struct Api {
  Options options;
  const model::Api* model = nullptr;
  std::vector<Type> types;  ///< in definition order (dependencies first)
  /// C++ type of every schema (by SchemaId), without nullability.
  std::vector<std::string> type_of;
  /// For schemas with a named type: its validate function; empty otherwise.
  std::vector<std::string> validate_fn_of;
  std::vector<Operation> operations;
  /// The `Authenticator` method of each security scheme (by index into the model's
  /// security_schemes); empty for mutualTLS, which the server cannot check (it does not run TLS).
  std::vector<std::string> authenticator_methods;
  /// The client's constant for each scheme's client-credentials `tokenUrl` (kOauthTokenUrl), by
  /// index into the model's security_schemes; empty when the scheme has none.
  std::vector<std::string> token_url_constants;
};

}  // namespace oasgen::cpp
