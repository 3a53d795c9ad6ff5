// The C++ side of the Ajv differential test: judges each instance of instances.cjs with the
// validator generated for its component and compares with Ajv's verdict.
//
//   <doc>_driver INSTANCES.jsonl
//
// Linked per document with that document's generated models.cpp and registry.cpp (namespace
// `corpus`). Prints every disagreement, then `compared N disagreements M ajv-valid K missing L`.
// Validation is direction-neutral (readOnly/writeOnly are annotations to Ajv).
#include <nlohmann/json.hpp>
#include <oasgen/validation.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <string>

using ValidateFn = void (*)(const nlohmann::json&, oasgen::Validator&);

namespace corpus {
const std::map<std::string, ValidateFn>& validators();
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: driver INSTANCES.jsonl\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << '\n';
    return 2;
  }
  const auto& validators = corpus::validators();
  long compared = 0, disagreements = 0, ajv_valid = 0, missing = 0;
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty()) continue;
    const auto line = nlohmann::json::parse(text);
    auto fn = validators.find(line["component"].get<std::string>());
    if (fn == validators.end()) {
      ++missing;
      continue;
    }
    oasgen::Validator v;
    fn->second(line["data"], v);
    const bool ajv = line["ajv"].get<bool>();
    ++compared;
    if (ajv) ++ajv_valid;
    if (v.ok() == ajv) continue;
    ++disagreements;
    std::string data = line["data"].dump();
    if (data.size() > 400) data = data.substr(0, 400) + "...";
    std::cout << "DISAGREE " << line["component"].get<std::string>() << " ("
              << line["kind"].get<std::string>() << "): ajv says " << (ajv ? "valid" : "invalid")
              << ", oasgen says " << (v.ok() ? "valid" : "invalid") << "\n  data: " << data << '\n';
    for (const auto& error : line["ajv_errors"]) std::cout << "  ajv: " << error.get<std::string>() << '\n';
    for (const auto& error : v.errors()) {
      std::cout << "  oasgen: " << error.pointer << " " << error.keyword << ": " << error.message << '\n';
    }
  }
  std::cout << "compared " << compared << " disagreements " << disagreements << " ajv-valid "
            << ajv_valid << " missing " << missing << '\n';
  return 0;
}
