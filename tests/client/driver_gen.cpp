// Writes a driver program that calls every operation of a generated client once, with arguments
// synthesised from the spec's schemas (const, enum, default, example, else the simplest value that
// meets the constraints), and credentials for every security scheme. Operations that upload a
// file (a raw body, or a multipart part in binary format) are skipped. The Prism test runs the
// drivers against Prism's mock server, which reports any request that breaks the spec.
//
//   client_driver_gen SPEC NAMESPACE OUT.cpp [OPERATION_ID=WHY_SKIPPED...]
//
// Also writes OUT.cpp.operations, one line per operation in call order, tab-separated:
// `method_name METHOD /path call` or `method_name METHOD /path skip reason`, so that the test
// can match each call to the request Prism logged and hold the driver to every operation.
//
// A response the client finds Invalid is counted apart ("invalid responses"): with Prism's dynamic
// examples it may be Prism's fault, which the test checks against Prism's own log.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "load/document.hpp"
#include "model/build_model.hpp"
#include "naming/build_cpp_api.hpp"
#include "support/escape.hpp"

namespace {

using nlohmann::json;
using namespace oasgen;

class Sampler {
 public:
  explicit Sampler(const model::Api& api) : api_(api) {}

  // Objects get their required properties; with `all_members`, the top-level object gets every
  // property (parameters: so that objects on the wire are not empty).
  json sample(model::SchemaId id, int depth = 0, bool all_members = false) const {
    const model::Schema& s = api_.schemas[id];
    if (s.same_as) return sample(*s.same_as, depth, all_members);
    if (s.const_value) return *s.const_value;
    if (!s.enum_values.empty()) return s.enum_values.front();
    if (s.default_value) return *s.default_value;
    if (s.example) return *s.example;
    if (depth > 8) return nullptr;
    if (!s.one_of.empty()) return first_not_null(s.one_of, depth);
    if (!s.any_of.empty()) return first_not_null(s.any_of, depth);
    const unsigned types = s.types;
    if (types & model::kObject || (!s.properties.empty() && types == 0)) {
      return object(s, depth, all_members);
    }
    if (types & model::kArray) {
      json out = json::array();
      const std::size_t count = std::max<std::size_t>(1, s.min_items.value_or(1));
      for (std::size_t i = 0; i < count; ++i) {
        out.push_back(s.items ? sample(*s.items, depth + 1) : json("item"));
      }
      if (s.unique_items && count > 1 && out[0] == out[1]) out.erase(out.begin() + 1, out.end());
      return out;
    }
    if (types & model::kString) return string(s);
    if (types & model::kInteger) return integer(s);
    if (types & model::kNumber) return number(s);
    if (types & model::kBoolean) return true;
    if (types & model::kNull) return nullptr;
    return "value";
  }

 private:
  json first_not_null(const std::vector<model::SchemaId>& alternatives, int depth) const {
    for (auto alternative : alternatives) {
      const auto& a = api_.schemas[alternative];
      if (a.types != model::kNull) return sample(alternative, depth + 1);
    }
    return nullptr;
  }

  json object(const model::Schema& s, int depth, bool all_members) const {
    json out = json::object();
    for (const auto& property : s.properties) {
      if (!(property.required || all_members) || api_.schemas[property.schema].read_only) continue;
      out[property.name] = sample(property.schema, depth + 1);
    }
    return out;
  }

  static json string(const model::Schema& s) {
    static const std::pair<const char*, const char*> kFormats[] = {
        {"date-time", "2024-01-02T03:04:05Z"}, {"date", "2024-01-02"}, {"time", "03:04:05Z"},
        {"email", "someone@example.com"}, {"uuid", "123e4567-e89b-12d3-a456-426614174000"},
        {"uri", "https://example.com/x"}, {"url", "https://example.com/x"},
        {"hostname", "example.com"}, {"ipv4", "192.0.2.1"}, {"ipv6", "2001:db8::1"},
        {"byte", "YWJj"}, {"password", "secret"}};
    std::string text = "text";
    for (const auto& [format, value] : kFormats) {
      if (s.format == format) text = value;
    }
    if (s.min_length && text.size() < *s.min_length) text.append(*s.min_length - text.size(), 'x');
    if (s.max_length && text.size() > *s.max_length) text.resize(*s.max_length);
    return text;
  }

  static double bounded(const model::Schema& s, double fallback) {
    double value = fallback;
    if (s.minimum) value = *s.minimum + (s.exclusive_minimum ? 1 : 0);
    if (s.maximum && value > *s.maximum) value = *s.maximum - (s.exclusive_maximum ? 1 : 0);
    if (s.multiple_of && *s.multiple_of > 0) value = std::ceil(value / *s.multiple_of) * *s.multiple_of;
    return value;
  }

  static json integer(const model::Schema& s) {
    return static_cast<std::int64_t>(std::ceil(bounded(s, 1)));
  }
  static json number(const model::Schema& s) { return bounded(s, 1.5); }

  const model::Api& api_;
};

// Whether the operation uploads a file: a raw body, or multipart with a binary part.
bool uploads_a_file(const model::Api& api, const cpp::Operation& op) {
  if (!op.body) return false;
  if (op.body->raw) return true;
  if (!op.body->multipart || op.body->json || op.body->form) return false;
  for (const auto& field : op.body->fields) {
    const auto& s = api.schemas[field.schema];
    const auto& item = s.items ? api.schemas[*s.items] : s;
    if (s.format == "binary" || item.format == "binary") return true;
  }
  return false;
}

std::string raw_string(const std::string& text) {
  return "R\"oasgen(" + text + ")oasgen\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: client_driver_gen SPEC NAMESPACE OUT.cpp [OPERATION_ID=WHY_SKIPPED...]\n";
    return 2;
  }
  Diagnostics diagnostics;
  auto document = load::load_document(argv[1], diagnostics);
  std::optional<model::Api> model;
  if (document) model = model::build_model(*document, diagnostics);
  std::optional<cpp::Api> api;
  if (model) api = naming::build_cpp_api(*model, cpp::Options{argv[2]}, diagnostics);
  if (!api || diagnostics.has_errors()) {
    diagnostics.print(std::cerr);
    return 1;
  }
  const std::string ns = argv[2];
  std::map<std::string, std::string> skip;  // operation id -> why
  for (int i = 4; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto equals = arg.find('=');
    if (equals == std::string::npos || equals + 1 == arg.size()) {
      std::cerr << "client_driver_gen: a skipped operation needs its reason: " << arg << '\n';
      return 2;
    }
    skip[arg.substr(0, equals)] = arg.substr(equals + 1);
  }
  std::ostringstream operations;
  const Sampler sampler(*model);
  std::ostringstream out;
  out << "// Generated by client_driver_gen: calls every operation of the " << ns
      << " client once.\n"
         "#include <iostream>\n\n#include \""
      << ns << "/client.hpp\"\n\n"
      << "int main(int argc, char** argv) {\n"
         "  if (argc != 2) {\n"
         "    std::cerr << \"usage: driver BASE_URL\\n\";\n"
         "    return 2;\n"
         "  }\n"
         "  oasgen::ClientOptions options;\n"
         "  options.credentials.bearer_token = \"token\";\n"
         "  options.credentials.basic = oasgen::BasicCredentials{\"user\", \"password\"};\n";
  for (const auto& scheme : model->security_schemes) {
    out << "  options.credentials.api_keys[" << cpp_string_literal(scheme.name) << "] = \"key\";\n";
  }
  out << "  " << ns << "::Client client(argv[1], options);\n"
      << "  int calls = 0, failures = 0, invalid = 0, skipped = 0;\n"
         "  auto report = [&](const char* name, const auto& result) {\n"
         "    ++calls;\n"
         "    if (result.ok()) {\n"
         "      std::cout << name << \": ok\\n\";\n"
         "      return;\n"
         "    }\n"
         "    const oasgen::ClientError& error = result.error();\n"
         "    const bool bad_response = error.kind == oasgen::ClientError::Kind::Invalid;\n"
         "    ++(bad_response ? invalid : failures);\n"
         "    std::cout << name << (bad_response ? \": INVALID RESPONSE: \" : \": FAILED: \")\n"
         "              << error.message << \"\\n\";\n"
         "    for (const auto& e : error.errors) {\n"
         "      std::cout << \"  \" << oasgen::to_string(e.location) << \" \" << e.pointer << \" \"\n"
         "                << e.keyword << \": \" << e.message << \"\\n\";\n"
         "    }\n"
         "  };\n";
  for (const auto& op : api->operations) {
    const std::string name = cpp_string_literal(op.method_name);
    operations << op.method_name << '\t' << op.source->method << '\t' << op.source->path << '\t';
    const auto asked = skip.find(op.source->operation_id);
    if (uploads_a_file(*model, op) || asked != skip.end()) {
      const std::string why = asked != skip.end() ? asked->second : "file upload";
      operations << "skip\t" << why << '\n';
      out << "  std::cout << " << name << " << \": skipped (\" << " << cpp_string_literal(why)
          << " << \")\\n\";\n  ++skipped;\n";
      if (asked != skip.end()) skip.erase(asked);
      continue;
    }
    operations << "call\n";
    out << "  {\n    " << ns << "::" << op.request_type << " request;\n";
    for (const auto& param : op.params) {
      out << "    request." << param.field << " = nlohmann::json::parse("
          << raw_string(sampler.sample(param.source->schema, 0, true).dump()) << ").get<decltype(request."
          << param.field << ")>();\n";
    }
    if (op.body && op.body->schema < model->schemas.size()) {
      out << "    request.body = nlohmann::json::parse("
          << raw_string(sampler.sample(op.body->schema).dump())
          << ").get<decltype(request.body)>();\n";
    } else if (op.body) {
      out << "    request.body = nlohmann::json::object();\n";
    }
    out << "    report(" << name << ", client." << op.method_name << "(request));\n  }\n";
  }
  out << "  std::cout << calls << \" calls, \" << failures << \" failed, \" << invalid\n"
         "            << \" invalid responses, \" << skipped << \" skipped\\n\";\n"
         "  return failures == 0 ? 0 : 1;\n}\n";
  if (!skip.empty()) {
    std::cerr << "client_driver_gen: no operation " << skip.begin()->first << " to skip\n";
    return 1;
  }
  std::ofstream file(argv[3], std::ios::binary);
  file << out.str();
  std::ofstream list(std::string(argv[3]) + ".operations", std::ios::binary);
  list << operations.str();
  return file && list ? 0 : 1;
}
