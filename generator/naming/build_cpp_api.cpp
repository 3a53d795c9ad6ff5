#include "naming/build_cpp_api.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "naming/namer.hpp"
#include "naming/shapes.hpp"
#include "support/task_pool.hpp"
#include "support/escape.hpp"

namespace oasgen::naming {
namespace {

using model::SchemaId;

bool is_json_media_type(std::string_view media_type) {
  std::string type(media_type.substr(0, media_type.find(';')));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type == "application/json" ||
         (type.rfind("application/", 0) == 0 && type.size() > 5 &&
          type.compare(type.size() - 5, 5, "+json") == 0);
}

// Past this many structs, generate suggests --optional oasgen.
constexpr std::size_t kStructsForOasgenOptional = 1000;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

// "Ok" for 200, "NotFound" for 404, "ClientError" for 4XX: the suffix of a result struct.
std::string status_word(const std::string& status) {
  static const std::map<std::string, std::string> kWords = {
      {"200", "Ok"}, {"201", "Created"}, {"202", "Accepted"}, {"203", "NonAuthoritative"},
      {"204", "NoContent"}, {"205", "ResetContent"}, {"206", "PartialContent"},
      {"301", "MovedPermanently"}, {"302", "Found"}, {"303", "SeeOther"}, {"304", "NotModified"},
      {"307", "TemporaryRedirect"}, {"308", "PermanentRedirect"}, {"400", "BadRequest"},
      {"401", "Unauthorized"}, {"402", "PaymentRequired"}, {"403", "Forbidden"},
      {"404", "NotFound"}, {"405", "MethodNotAllowed"}, {"406", "NotAcceptable"},
      {"408", "RequestTimeout"}, {"409", "Conflict"}, {"410", "Gone"},
      {"411", "LengthRequired"}, {"412", "PreconditionFailed"}, {"413", "ContentTooLarge"},
      {"415", "UnsupportedMediaType"}, {"416", "RangeNotSatisfiable"},
      {"422", "UnprocessableContent"}, {"423", "Locked"}, {"425", "TooEarly"},
      {"428", "PreconditionRequired"}, {"429", "TooManyRequests"},
      {"500", "InternalServerError"}, {"501", "NotImplemented"}, {"502", "BadGateway"},
      {"503", "ServiceUnavailable"}, {"504", "GatewayTimeout"}, {"1XX", "Informational"},
      {"2XX", "Success"}, {"3XX", "Redirection"}, {"4XX", "ClientError"},
      {"5XX", "ServerError"}, {"default", "Default"}};
  if (auto it = kWords.find(status); it != kWords.end()) return it->second;
  return "Status" + status;
}

class CppBuilder {
 public:
  CppBuilder(const model::Api& api, const cpp::Options& options, Diagnostics& diagnostics,
             std::size_t threads)
      : model_(api), diag_(diagnostics), threads_(threads) {
    out_.options = options;
    out_.model = &api;
  }

  std::optional<cpp::Api> build() {
    const std::size_t n = model_.schemas.size();
    out_.type_of.assign(n, std::string());
    out_.validate_fn_of.assign(n, std::string());
    named_.assign(n, -1);
    // Names generated code defines itself; schemas and operations get others.
    for (const char* name : {"Handler", "UnimplementedHandler", "Authenticator", "Client"}) {
      types_.reserve(name);
    }
    for (const char* name : {"register_routes", "to_json", "from_json", "to_string", "to_response"}) {
      functions_.reserve(name);
    }
    plan_named_types(schema_shapes(model_, multipart_bodies(), threads_));
    mark_files();
    for (SchemaId id = 0; id < n; ++id) out_.type_of[id] = spell(id);
    fill_named_types();
    order_types();
    for (const auto& op : model_.operations) add_operation(op);
    name_authenticator_methods();
    suggest_optional_type();
    if (diag_.has_errors()) return std::nullopt;
    return std::move(out_);
  }

 private:
  const model::Schema& schema(SchemaId id) const { return model_.schemas[id]; }

  std::string optional_of(const std::string& type) const {
    return (out_.options.optional == cpp::OptionalType::Std ? "std::optional<" : "oasgen::Optional<") +
           type + ">";
  }

  // std::optional of structs makes each translation unit cost time quadratic in the number of types
  // (GCC 12: 294 s for GitHub's 3,800 structs): past a thousand, say so once.
  void suggest_optional_type() {
    if (out_.options.optional != cpp::OptionalType::Std) return;
    const std::size_t structs = std::count_if(out_.types.begin(), out_.types.end(), [](const cpp::Type& type) {
      return type.kind == cpp::TypeKind::Struct;
    });
    if (structs <= kStructsForOasgenOptional) return;
    diag_.report({Severity::Note, "large-api",
                  std::to_string(structs) + " struct types: with std::optional members every file that "
                  "includes models.hpp compiles slowly (minutes on GCC); --optional oasgen generates "
                  "oasgen::Optional instead",
                  {}, {}});
  }

  // The schema whose type `id` takes: `same_as` chains end at a named schema.
  SchemaId target(SchemaId id) const {
    while (schema(id).same_as) id = *schema(id).same_as;
    return id;
  }

  bool is_string_enum(const model::Schema& s) const {
    return s.types == model::kString && !s.enum_values.empty() &&
           std::all_of(s.enum_values.begin(), s.enum_values.end(),
                       [](const nlohmann::json& v) { return v.is_string(); });
  }
  // Alternatives of a oneOf/anyOf that are not `null`.
  std::vector<SchemaId> alternatives(const model::Schema& s) const {
    std::vector<SchemaId> out;
    for (SchemaId id : s.one_of.empty() ? s.any_of : s.one_of) {
      const auto& option = schema(id);
      if (!(option.types == model::kNull && option.properties.empty())) out.push_back(id);
    }
    return out;
  }
  bool is_variant(const model::Schema& s) const {
    return s.opaque && s.properties.empty() && (s.types == 0 || s.types == model::kObject) &&
           alternatives(s).size() >= 2;
  }
  bool is_struct(const model::Schema& s) const {
    return !s.opaque && !s.properties.empty() && (s.types == 0 || s.types == model::kObject);
  }

  // The schemas of multipart bodies: their members' types depend on the body (oasgen::File, see
  // mark_files), so they share their type with no other schema.
  std::vector<bool> multipart_bodies() const {
    std::vector<bool> out(model_.schemas.size(), false);
    for (const auto& op : model_.operations) {
      if (!op.request_body) continue;
      for (const auto& m : op.request_body->content) {
        if (media_kind(m.name) == MediaKind::Multipart && m.schema) out[target(*m.schema)] = true;
      }
    }
    return out;
  }

  // Which schemas become named C++ types: every component schema, and inline objects and enums
  // (they need a declaration of their own). An inline object or oneOf that says what an earlier
  // one says (`shapes`, naming/shapes.hpp) becomes an alias of that one's type: GitHub's webhooks
  // repeat the same user, repository and issue objects inline hundreds of times, and every type
  // costs each translation unit that includes models.hpp.
  void plan_named_types(const std::vector<std::size_t>& shapes) {
    std::vector<SchemaId> order;
    for (SchemaId id = 0; id < model_.schemas.size(); ++id) {
      const auto& s = schema(id);
      if ((s.same_as || s.composition_part) && !s.component) continue;
      if (s.component || is_struct(s) || is_string_enum(s) || is_variant(s)) order.push_back(id);
    }
    // Components claim their names first, so that inline types yield to them.
    std::stable_sort(order.begin(), order.end(), [&](SchemaId a, SchemaId b) {
      return schema(a).component && !schema(b).component;
    });
    std::map<std::string, int> plain_enums;  // same_enum_key -> index into out_.types
    std::map<std::size_t, SchemaId> first_of_shape;  // inline structs and variants
    for (SchemaId id : order) {
      const auto& s = schema(id);
      const SchemaId* shared = nullptr;
      if (!s.component && (is_struct(s) || is_variant(s))) {
        shared = &first_of_shape.emplace(shapes[id], id).first->second;
        if (*shared == id) shared = nullptr;
      }
      // Inline enums that say the same thing share the first one's type: Microsoft Graph repeats
      // each `$select` list over dozens of operations (9,647 enums, 1,409 distinct), and every
      // type costs each translation unit that includes models.hpp.
      const std::string key = s.component ? std::string() : same_enum_key(s);
      if (!key.empty()) {
        if (auto it = plain_enums.find(key); it != plain_enums.end()) {
          named_[id] = it->second;
          out_.validate_fn_of[id] = out_.types[it->second].validate_fn;
          continue;
        }
        plain_enums.emplace(key, static_cast<int>(out_.types.size()));
      }
      cpp::Type type;
      type.schema = id;
      type.kind = shared               ? cpp::TypeKind::Alias
                  : is_struct(s)       ? cpp::TypeKind::Struct
                  : is_string_enum(s) ? cpp::TypeKind::Enum
                  : is_variant(s)     ? cpp::TypeKind::Variant
                                      : cpp::TypeKind::Alias;
      type.name = types_.claim(pascal_case(join(s.name_parts)));
      if (shared) {
        const auto& first = out_.types[named_[*shared]];
        type.shares = *shared;
        type.aliased = first.name;
        type.validate_fn = first.validate_fn;
      } else {
        type.validate_fn = functions_.claim("validate_" + snake_case(type.name));
      }
      if (type.kind == cpp::TypeKind::Enum) {
        type.parse_fn = functions_.claim("parse_" + snake_case(type.name));
        type.parse_type = optional_of(type.name);
      }
      named_[id] = static_cast<int>(out_.types.size());
      out_.validate_fn_of[id] = type.validate_fn;
      out_.types.push_back(std::move(type));
    }
  }

  // What makes two inline string enums interchangeable (type, validator and comment alike), or ""
  // when the schema states more than an enum can carry: such a schema keeps its own type.
  std::string same_enum_key(const model::Schema& s) const {
    if (!is_string_enum(s) || !s.format.empty() || s.min_length || s.max_length || s.pattern ||
        s.const_value || s.default_value || s.own || !s.all_of.empty() || !s.one_of.empty() ||
        !s.any_of.empty() || s.not_schema || s.if_schema || s.read_only || s.write_only) {
      return {};
    }
    const nlohmann::json key = {s.enum_values, s.nullable, s.type_null, s.enum_null, s.has_type,
                                s.title,       s.description, s.deprecated};
    return key.dump();
  }

  // A member of a multipart body that carries a file (`format: binary`, or 3.1's
  // `contentMediaType`), or an array of them, becomes oasgen::File: its bytes keep the filename and
  // media type they came with. Only inline schemas: a named type is shared with other uses.
  void mark_files() {
    file_.assign(model_.schemas.size(), false);
    auto is_file = [&](SchemaId id) {
      const auto& s = schema(id);
      return named_[id] < 0 && !s.same_as && !s.opaque && s.types == model::kString && s.enum_values.empty() &&
             (s.format == "binary" || !s.content_media_type.empty());
    };
    for (const auto& op : model_.operations) {
      if (!op.request_body) continue;
      for (const auto& m : op.request_body->content) {
        if (media_kind(m.name) != MediaKind::Multipart || !m.schema) continue;
        for (const auto& p : schema(target(*m.schema)).properties) {
          const auto& s = schema(p.schema);
          if (is_file(p.schema)) {
            file_[p.schema] = true;
          } else if (named_[p.schema] < 0 && !s.same_as && s.types == model::kArray && s.items && is_file(*s.items)) {
            file_[*s.items] = true;
          }
        }
      }
    }
  }

  // The C++ type of a schema, without its nullability; with `as_named` false, what a named one
  // stands for.
  std::string spell(SchemaId id, bool as_named = true) {
    if (as_named && named_[id] >= 0) return out_.types[named_[id]].name;
    if (file_[id]) return "oasgen::File";
    const auto& s = schema(id);
    if (s.same_as) return spell(target(id));
    if (s.opaque) return "nlohmann::json";
    switch (s.types) {
      case model::kBoolean: return "bool";
      case model::kInteger: return s.format == "int32" ? "std::int32_t" : "std::int64_t";
      case model::kNumber:
      case model::kInteger | model::kNumber: return "double";
      case model::kString: return "std::string";
      case model::kArray: return s.items ? "std::vector<" + use_type(*s.items) + ">" : "std::vector<nlohmann::json>";
      case model::kObject:
        if (s.additional) return "std::map<std::string, " + use_type(*s.additional) + ">";
        return "nlohmann::json";
      default: return "nlohmann::json";
    }
  }

  // A type as a container element or body: nullable values become optionals.
  std::string use_type(SchemaId id) {
    std::string type = named_[id] >= 0 || !out_.type_of[id].empty() ? type_of(id) : spell(id);
    return nullable(id) ? optional_of(type) : type;
  }
  const std::string& type_of(SchemaId id) {
    if (out_.type_of[id].empty()) out_.type_of[id] = spell(id);
    return out_.type_of[id];
  }
  // Free-form JSON holds null itself; every other nullable type is wrapped in an optional.
  bool nullable(SchemaId id) { return schema(id).nullable && type_of(id) != "nlohmann::json"; }

  // A variant reads what the variants before it became (one that falls back turns into an alias),
  // so variants are filled in order, after the rest. The rest reads only the names and types
  // planned: on the pool, in slices of types (they report nothing).
  void fill_named_types() {
    const std::size_t count = out_.types.size();
    const std::size_t slices = threads_ < 2 ? 1 : std::min(count / 256 + 1, threads_ * 4);
    TaskPool pool(threads_);
    for (std::size_t k = 0; k < slices; ++k) {
      pool.add([this, k, slices, count] {
        for (std::size_t i = count * k / slices; i < count * (k + 1) / slices; ++i) {
          if (out_.types[i].kind != cpp::TypeKind::Variant) fill_named_type(out_.types[i]);
        }
      });
    }
    pool.run();
    for (auto& type : out_.types) {
      if (type.kind == cpp::TypeKind::Variant) fill_variant(type, schema(type.schema));
    }
  }

  void fill_named_type(cpp::Type& type) {
    {
      const auto& s = schema(type.schema);
      switch (type.kind) {
        case cpp::TypeKind::Struct: {
          Scope members;
          for (const auto& property : s.properties) {
            cpp::Field field;
            field.name = members.claim(snake_case(property.name));
            field.json_name = property.name;
            field.schema = property.schema;
            field.required = property.required;
            field.nullable = nullable(property.schema);
            const std::string value = type_of(property.schema);
            field.type = field.required && !field.nullable ? value : optional_of(value);
            type.fields.push_back(std::move(field));
          }
          break;
        }
        case cpp::TypeKind::Enum: {
          Scope values;
          for (const auto& value : s.enum_values) {
            const std::string wire = value.get<std::string>();
            type.values.push_back({values.claim(constant_case(wire.empty() ? "empty" : wire)), wire});
          }
          break;
        }
        case cpp::TypeKind::Alias:
          if (!type.shares) type.aliased = s.same_as ? type_of(target(type.schema)) : spell_unnamed(type.schema);
          break;
        case cpp::TypeKind::Variant:
          break;
      }
    }
  }

  static const char* json_test(unsigned types) {
    switch (types) {
      case model::kObject: return "is_object";
      case model::kArray: return "is_array";
      case model::kString: return "is_string";
      case model::kBoolean: return "is_boolean";
      case model::kInteger:
      case model::kNumber:
      case model::kInteger | model::kNumber: return "is_number";
      default: return "";
    }
  }

  // Decoding picks the alternative by discriminator value, else by JSON type when every
  // alternative has its own, else by the first validator that accepts the value.
  void fill_variant(cpp::Type& type, const model::Schema& s) {
    std::set<std::string> types, tests;
    bool distinct_tests = true;
    for (SchemaId id : alternatives(s)) {
      cpp::Alternative alternative;
      alternative.schema = id;
      alternative.type = use_type(id);
      alternative.validate_fn = out_.validate_fn_of[target(id)];
      if (s.discriminator) {
        for (const auto& [value, mapped] : s.discriminator->mapping) {
          if (target(mapped) == target(id)) alternative.tags.push_back(value);
        }
      }
      const std::string test = json_test(schema(target(id)).types);
      distinct_tests = distinct_tests && !test.empty() && tests.insert(test).second;
      alternative.json_test = test;
      // Aliases are the same C++ type as what they stand for: compare that.
      int named = named_[target(id)];
      if (named >= 0 && out_.types[named].shares) named = named_[*out_.types[named].shares];
      const bool alias = named >= 0 && out_.types[named].kind == cpp::TypeKind::Alias;
      const std::string key = alias ? spell_unnamed(out_.types[named].schema)
                              : named >= 0 ? out_.types[named].name
                                           : alternative.type;
      if (!types.insert(key).second) {
        diag_.warning("composition-fallback",
                      "two alternatives have the same C++ type " + alternative.type +
                          "; the value is kept as free-form JSON",
                      model_.locate(s.origin), s.origin.pointer);
        type.kind = cpp::TypeKind::Alias;
        type.aliased = "nlohmann::json";
        type.alternatives.clear();
        return;
      }
      type.alternatives.push_back(std::move(alternative));
    }
    const bool tagged = s.discriminator && std::all_of(type.alternatives.begin(), type.alternatives.end(),
                                                       [](const auto& a) { return !a.tags.empty(); });
    if (tagged) type.discriminator = s.discriminator->property;
    for (auto& alternative : type.alternatives) {
      if (!tagged) alternative.tags.clear();
      if (tagged || !distinct_tests) alternative.json_test.clear();
      if (tagged || distinct_tests) alternative.validate_fn.clear();
    }
  }

  // The structural type of a named non-struct schema (what its alias stands for).
  std::string spell_unnamed(SchemaId id) { return spell(id, false); }

  // The named types a schema's C++ type mentions, and whether each is held by value (directly or
  // in an optional) rather than inside a container.
  void mentioned(SchemaId id, bool by_value, std::vector<std::pair<int, bool>>& out, int depth = 0) {
    const SchemaId own = id;
    id = target(id);
    // At depth 0 the schema is the type itself, unless it refers to another named type (an alias
    // of an alias): that one must come first.
    if (named_[id] >= 0 && (depth > 0 || (id != own && named_[own] != named_[id]))) {
      out.emplace_back(named_[id], by_value);
      return;
    }
    const auto& s = schema(id);
    if (s.opaque || depth > 32) return;
    if (s.types == model::kArray && s.items) mentioned(*s.items, false, out, depth + 1);
    if (s.types == model::kObject && s.additional && s.properties.empty()) {
      mentioned(*s.additional, false, out, depth + 1);
    }
  }

  // Definition order: a type comes after every type it mentions. Structs are forward-declared, so a
  // cycle through a container is fine; a struct member that would hold its own type by value
  // (recursion) falls back to nlohmann::json with a warning.
  void order_types() {
    std::vector<int> state(out_.types.size(), 0);  // 0 new, 1 on stack, 2 done
    std::vector<cpp::Type> ordered;
    std::function<void(int)> visit = [&](int index) {
      state[index] = 1;
      auto& type = out_.types[index];
      auto depend = [&](SchemaId id, cpp::Field* field) {
        std::vector<std::pair<int, bool>> deps;
        mentioned(id, true, deps, field ? 1 : 0);
        for (const auto& [dep, by_value] : deps) {
          if (state[dep] == 0) visit(dep);
          // An alias of a shared type holds that type (visited with the alias).
          const int held = out_.types[dep].shares ? named_[*out_.types[dep].shares] : dep;
          if (state[held] == 1 && (by_value || out_.types[held].kind != cpp::TypeKind::Struct)) {
            if (!field) continue;
            diag_.warning("recursive-type",
                          "'" + field->json_name + "' holds its own type by value; it is kept as free-form JSON",
                          model_.locate(schema(field->schema).origin), schema(field->schema).origin.pointer);
            field->type = field->required && !field->nullable ? "nlohmann::json"
                                                                : optional_of("nlohmann::json");
            field->opaque = true;
          }
        }
      };
      if (type.kind == cpp::TypeKind::Struct) {
        for (auto& field : type.fields) depend(field.schema, &field);
      } else if (type.shares) {
        const int held = named_[*type.shares];
        if (state[held] == 0) visit(held);
      } else if (type.kind == cpp::TypeKind::Alias) {
        depend(type.schema, nullptr);
      } else if (type.kind == cpp::TypeKind::Variant) {
        // std::variant holds its alternatives by value: a cycle back to this type cannot be.
        bool cyclic = false;
        for (const auto& alternative : type.alternatives) {
          std::vector<std::pair<int, bool>> deps;
          mentioned(alternative.schema, true, deps, 1);
          for (const auto& [dep, by_value] : deps) {
            if (state[dep] == 0) visit(dep);
            cyclic = cyclic || (state[dep] == 1 && by_value);
          }
        }
        if (cyclic) {
          diag_.warning("recursive-type",
                        "a oneOf/anyOf alternative contains the type itself; the value is kept as free-form JSON",
                        model_.locate(schema(type.schema).origin), schema(type.schema).origin.pointer);
          type.kind = cpp::TypeKind::Alias;
          type.aliased = "nlohmann::json";
          type.alternatives.clear();
        }
      }
      state[index] = 2;
      ordered.push_back(std::move(out_.types[index]));  // read no more: only unvisited types are
    };
    for (std::size_t i = 0; i < out_.types.size(); ++i) {
      if (state[i] == 0) visit(static_cast<int>(i));
    }
    out_.types = std::move(ordered);
    std::vector<int> moved_to(out_.types.size());
    for (std::size_t i = 0; i < out_.types.size(); ++i) moved_to[named_[out_.types[i].schema]] = static_cast<int>(i);
    for (int& index : named_) index = index < 0 ? index : moved_to[index];
  }

  void name_authenticator_methods() {
    Scope methods;
    for (const auto& scheme : model_.security_schemes) {
      const bool token_url = std::any_of(scheme.flows.begin(), scheme.flows.end(), [](const model::OAuthFlow& flow) {
        return flow.kind == "clientCredentials" && !flow.token_url.empty();
      });
      out_.token_url_constants.push_back(token_url ? types_.claim("k" + pascal_case(scheme.name) + "TokenUrl") : "");
      if (scheme.kind == model::SecurityKind::MutualTls) {
        diag_.warning("mutual-tls-unsupported",
                      "security scheme '" + scheme.name + "' is mutualTLS, which the generated server "
                      "cannot check (it does not run TLS): operations that need it answer 401",
                      model_.locate(scheme.origin), scheme.origin.pointer);
        out_.authenticator_methods.emplace_back();
        continue;
      }
      out_.authenticator_methods.push_back(methods.claim(snake_case(scheme.name)));
    }
  }

  void add_operation(const model::Operation& op) {
    cpp::Operation out;
    out.source = &op;
    const std::string method = snake_case(op.operation_id);
    out.method_name = methods_.claim(method);
    if (out.method_name != method) {
      diag_.warning("duplicate-operation-id",
                    "operationId '" + op.operation_id + "' names the same C++ method as an earlier "
                    "operation; this one is generated as '" + out.method_name + "'",
                    model_.locate(op.origin), op.origin.pointer);
    }
    const std::string stem = pascal_case(out.method_name);
    out.request_type = types_.claim(stem + "Request");
    out.result_type = types_.claim(stem + "Result");
    out.params_const = "k" + stem + "Params";

    Scope fields;
    if (op.request_body) {
      add_body(op, *op.request_body, out);
      if (out.body) fields.reserve(out.body->field);
    }
    for (const auto& p : op.parameters) {
      cpp::Param param;
      param.source = &p;
      param.field = fields.claim(snake_case(p.name));
      param.value_type = use_type(p.schema);
      const auto& s = schema(target(p.schema));
      if (!p.required && s.default_value) param.default_value = default_initializer(p.schema, *s.default_value);
      param.type = p.required || !param.default_value.empty() ? param.value_type : optional_of(param.value_type);
      out.params.push_back(std::move(param));
    }
    for (const auto& response : op.responses) {
      cpp::ResultCase result;
      result.source = &response;
      result.status = response.status;
      result.name = types_.claim(stem + status_word(response.status));
      if (response.status.find_first_not_of("0123456789") == std::string::npos) {
        result.fixed_status = std::stoi(response.status);
      } else if (response.status != "default") {
        result.default_status = (response.status[0] - '0') * 100;
      }
      if (!response.content.empty()) {
        const auto& media = response.content.front();
        result.media_type = media.name;
        result.json_body = is_json_media_type(media.name);
        result.body_type = !result.json_body ? "std::string"
                           : media.schema    ? use_type(*media.schema)
                                             : "nlohmann::json";
      }
      Scope header_fields;
      header_fields.reserve("body");
      header_fields.reserve("status");
      for (const auto& h : response.headers) {
        if (iequals_ascii(h.name, "Content-Type")) continue;  // set from the media type
        cpp::ResponseHeader header;
        header.field = header_fields.claim(snake_case(h.name));
        header.name = h.name;
        header.required = h.required;
        header.description = h.description;
        header.value_type = use_type(h.schema);
        header.type = h.required ? header.value_type : optional_of(header.value_type);
        result.headers.push_back(std::move(header));
      }
      out.results.push_back(std::move(result));
    }
    out_.operations.push_back(std::move(out));
  }

  static bool iequals_ascii(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  }

  enum class MediaKind { Json, Form, Multipart, Raw };
  static MediaKind media_kind(std::string_view name) {
    if (is_json_media_type(name)) return MediaKind::Json;
    std::string type(name.substr(0, name.find(';')));
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (type == "application/x-www-form-urlencoded") return MediaKind::Form;
    if (type == "multipart/form-data") return MediaKind::Multipart;
    return MediaKind::Raw;
  }

  // A typed body takes every structured media type (JSON, form, multipart) that shares the first
  // one's schema; a body with only other media types is kept as bytes.
  void add_body(const model::Operation& op, const model::RequestBody& body, cpp::Operation& out) {
    cpp::Body b;
    b.required = body.required;
    b.schema = model_.schemas.size();
    const model::MediaType* typed = nullptr;
    for (const auto& m : body.content) {
      const MediaKind kind = media_kind(m.name);
      if (kind == MediaKind::Raw) continue;
      if (typed && m.schema != typed->schema) {
        diag_.warning("unsupported-media-type",
                      "request body type '" + m.name + "' has another schema than '" + typed->name +
                          "'; " + op.method + " " + op.path + " does not accept it",
                      model_.locate(body.origin), body.origin.pointer);
        continue;
      }
      typed = typed ? typed : &m;
      (kind == MediaKind::Json ? b.json : kind == MediaKind::Form ? b.form : b.multipart) = true;
    }
    if (typed) {
      for (const auto& m : body.content) {
        if (media_kind(m.name) == MediaKind::Raw) {
          diag_.warning("unsupported-media-type",
                        "request body type '" + m.name + "' beside '" + typed->name + "' is not accepted by " +
                            op.method + " " + op.path,
                        model_.locate(body.origin), body.origin.pointer);
        }
      }
      if (typed->schema) {
        b.schema = *typed->schema;
        b.value_type = use_type(*typed->schema);
      } else {
        b.value_type = "nlohmann::json";
      }
      if ((b.form || b.multipart) && typed->schema) {
        const auto& s = schema(target(*typed->schema));
        for (const auto& p : s.properties) b.fields.push_back({p.name, p.required, p.schema});
        b.fields_const = "k" + pascal_case(out.method_name) + "BodyFields";
        if (b.multipart && named_[target(*typed->schema)] >= 0) {
          for (const auto& field : out_.types[named_[target(*typed->schema)]].fields) {
            const auto& f = schema(field.schema);
            const bool files = file_[field.schema] || (f.items && file_[*f.items]);
            if (files) b.files.push_back({field.json_name, field.name});
          }
        }
      }
    } else {
      b.raw = true;
      b.value_type = "oasgen::RawBody";
      for (const auto& m : body.content) b.raw_types.push_back(m.name);
    }
    b.type = b.required ? b.value_type : optional_of(b.value_type);
    out.body = std::move(b);
  }

  // A C++ initializer for a parameter's default value, or empty when the default does not fit.
  std::string default_initializer(SchemaId id, const nlohmann::json& value) {
    const std::string& type = type_of(target(id));
    const auto& s = schema(target(id));
    if (nullable(id)) return {};
    if (named_[target(id)] >= 0 && is_string_enum(s) && value.is_string()) {
      const auto& e = out_.types[named_[target(id)]];
      for (const auto& v : e.values) {
        if (v.wire == value.get<std::string>()) return e.name + "::" + v.name;
      }
      return {};
    }
    if (type == "bool" && value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if ((type == "std::int32_t" || type == "std::int64_t") && value.is_number_integer()) {
      return value.dump();
    }
    if (type == "double" && value.is_number()) {
      std::string text = value.dump();
      if (text.find_first_of(".eE") == std::string::npos) text += ".0";
      return text;
    }
    if (type == "std::string" && value.is_string()) return cpp_string_literal(value.get<std::string>());
    return {};
  }

  const model::Api& model_;
  Diagnostics& diag_;
  std::size_t threads_;
  cpp::Api out_;
  std::vector<int> named_;  // SchemaId -> index into out_.types, or -1
  std::vector<bool> file_;  // SchemaId -> spelled oasgen::File (see mark_files)
  Scope types_;             // namespace-level types
  Scope functions_;         // namespace-level functions
  Scope methods_;           // Handler methods
};

}  // namespace

std::optional<cpp::Api> build_cpp_api(const model::Api& api, const cpp::Options& options,
                                      Diagnostics& diagnostics, std::size_t threads) {
  return CppBuilder(api, options, diagnostics, threads).build();
}

}  // namespace oasgen::naming
