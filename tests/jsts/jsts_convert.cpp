// Test tool: turns one draft of the JSON-Schema-Test-Suite into an OpenAPI 3.1 document, one
// component schema per test group, and a list of cases (component, data, expected verdict).
//
//   jsts_convert SUITE_DIR/draft7 OUT_DIR   ->  OUT_DIR/openapi.json, OUT_DIR/cases.json
//
// A folder named `oasgen` (tests/jsts/oasgen) holds cases of our own, in the suite's format, for
// 2020-12 keywords that drafts 4-7 lack; they are read with 2020-12's meaning of $ref.
//
// Each group's schema becomes `#/components/schemas/<file>_<group>`. References inside it are
// rewritten to point into that component (`#` is the component itself). Groups that cannot be
// expressed or that test what oasgen does not do are kept as cases with a `skip` reason, so the
// harness reports them; the reasons are the skip list of the README.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The formats oasgen checks; the suite's others (idn-*, iri*, json-pointer, regex, uri-template,
// ...) are accepted as unknown formats are, so their negative tests cannot pass.
const std::set<std::string> kCheckedFormats = {
    "date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6",
    "uri", "uri-reference", "uuid", "byte", "int32", "int64", "float", "double"};

std::string component_name(const std::string& stem, std::size_t group) {
  std::string name;
  for (char c : stem) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name + "_" + std::to_string(group);
}

// Every $ref in schema positions, for the skip decision.
void collect_refs(const json& schema, std::vector<std::string>& refs);

void collect_in_members(const json& members, std::vector<std::string>& refs) {
  if (!members.is_object()) return;
  for (const auto& [name, value] : members.items()) collect_refs(value, refs);
}

void collect_refs(const json& schema, std::vector<std::string>& refs) {
  if (!schema.is_object()) return;
  if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) refs.push_back(*ref);
  for (const auto& [key, value] : schema.items()) {
    if (key == "properties" || key == "patternProperties" || key == "definitions" ||
        key == "dependencies" || key == "dependentSchemas") {
      collect_in_members(value, refs);
    } else if (key == "items" || key == "allOf" || key == "anyOf" || key == "oneOf") {
      if (value.is_array()) {
        for (const auto& item : value) collect_refs(item, refs);
      } else {
        collect_refs(value, refs);
      }
    } else if (key == "additionalItems" || key == "additionalProperties" || key == "not" ||
               key == "contains" || key == "propertyNames" || key == "if" || key == "then" ||
               key == "else" || key == "unevaluatedProperties") {
      collect_refs(value, refs);
    }
  }
}

// Rewrites references to point into the component, and drops siblings of $ref: in drafts 4-7 a
// $ref overrides them (`definitions` stays, it may hold the target). With `siblings` (2020-12, as
// OpenAPI 3.1), they apply beside it and stay.
void rewrite(json& schema, const std::string& base, bool siblings);

void rewrite_members(json& members, const std::string& base, bool siblings) {
  if (!members.is_object()) return;
  for (auto& [name, value] : members.items()) rewrite(value, base, siblings);
}

void rewrite(json& schema, const std::string& base, bool siblings) {
  if (!schema.is_object()) return;
  if (auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
    const std::string target = *ref;
    const std::string rewritten = target == "#" ? base : base + target.substr(1);
    if (siblings) {
      *ref = rewritten;
    } else {
      json kept = {{"$ref", rewritten}};
      if (auto definitions = schema.find("definitions"); definitions != schema.end()) {
        kept["definitions"] = *definitions;
      }
      schema = std::move(kept);
    }
  }
  for (auto& [key, value] : schema.items()) {
    if (key == "properties" || key == "patternProperties" || key == "definitions" ||
        key == "dependencies" || key == "dependentSchemas") {
      rewrite_members(value, base, siblings);
    } else if (key == "items" || key == "allOf" || key == "anyOf" || key == "oneOf") {
      if (value.is_array()) {
        for (auto& item : value) rewrite(item, base, siblings);
      } else {
        rewrite(value, base, siblings);
      }
    } else if (key == "additionalItems" || key == "additionalProperties" || key == "not" ||
               key == "contains" || key == "propertyNames" || key == "if" || key == "then" ||
               key == "else" || key == "unevaluatedProperties") {
      rewrite(value, base, siblings);
    }
  }
}

// Why a group cannot run, or empty.
std::string skip_reason(const std::string& draft, const std::string& stem, const json& schema) {
  if (stem == "optional/content") {
    return "contentMediaType/contentEncoding are annotations in OpenAPI 3.1, not checked";
  }
  if (draft == "draft4" && stem == "optional/zeroTerminatedFloats") {
    return "draft 4 only: 1.0 is not an integer there; oasgen follows draft 6 on and OpenAPI 3.1";
  }
  std::vector<std::string> refs;
  collect_refs(schema, refs);
  for (const auto& ref : refs) {
    if (ref.empty() || ref[0] != '#') {
      return "remote or $id-relative $ref (oasgen resolves references within the document and "
             "local files only)";
    }
    if (ref.size() > 1 && ref[1] != '/') return "$ref to a location-independent identifier";
  }
  if (schema.is_object()) {
    if (auto format = schema.find("format"); format != schema.end() && format->is_string() &&
                                             !kCheckedFormats.count(*format)) {
      return "format '" + format->get<std::string>() +
             "' is not one oasgen checks (unknown formats are accepted)";
    }
  }
  return {};
}

std::vector<fs::path> suite_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: jsts_convert SUITE_DRAFT_DIR OUT_DIR\n";
    return 2;
  }
  const fs::path dir = argv[1];
  const fs::path out = argv[2];
  const std::string draft = dir.filename().string();
  json schemas = json::object();
  json cases = json::array();
  try {
    for (const auto& file : suite_files(dir)) {
      std::string stem = fs::relative(file, dir).replace_extension().generic_string();
      std::ifstream in(file);
      const json groups = json::parse(in);
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const json& group = groups[g];
        const std::string name = component_name(stem, g);
        const std::string reason = skip_reason(draft, stem, group["schema"]);
        if (reason.empty()) {
          json schema = group["schema"];
          const std::string base = "#/components/schemas/" + name;
          rewrite(schema, base, draft == "oasgen");
          // A component that is only a $ref would be an alias of its target and get no validator
          // of its own; allOf of the one reference means the same.
          if (schema.is_object() && schema.contains("$ref")) {
            json wrapped = {{"allOf", json::array({{{"$ref", schema["$ref"]}}})}};
            if (schema.contains("definitions")) wrapped["definitions"] = schema["definitions"];
            schema = std::move(wrapped);
          }
          schemas[name] = std::move(schema);
        }
        for (const auto& test : group["tests"]) {
          json item = {{"keyword", stem},
                       {"component", name},
                       {"group", group["description"]},
                       {"test", test["description"]},
                       {"data", test["data"]},
                       {"valid", test["valid"]}};
          if (!reason.empty()) item["skip"] = reason;
          cases.push_back(std::move(item));
        }
      }
    }
    fs::create_directories(out);
    json document = {{"openapi", "3.1.0"},
                     {"info", {{"title", "JSON-Schema-Test-Suite " + draft}, {"version", "1"}}},
                     {"paths", json::object()},
                     {"components", {{"schemas", schemas}}}};
    std::ofstream(out / "openapi.json") << document.dump(1) << '\n';
    std::ofstream(out / "cases.json") << cases.dump(1) << '\n';
  } catch (const std::exception& error) {
    std::cerr << "jsts_convert: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
