// The JSON-Schema-Test-Suite through oasgen's generated validators: every case of every draft
// converted by jsts_convert, checked by the validate function generated for its component.
//
//   jsts_test draft4 CASES.json draft6 CASES.json draft7 CASES.json oasgen CASES.json
//
// `oasgen` is tests/jsts/oasgen: cases of our own for 2020-12 keywords the suite's drafts lack.
//
// Prints counts per draft and keyword, every failure with its errors, the skipped groups with
// their reasons, and `jsts: N passed, N failed, N skipped`. Exit code 1 when any case fails or none
// passes, 2 when a draft has no cases.
#include <nlohmann/json.hpp>
#include <oasgen/validation.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <tuple>

using ValidateFn = void (*)(const nlohmann::json&, oasgen::Validator&);
using Registry = std::map<std::string, ValidateFn>;

namespace jsts_draft4 {
const Registry& validators();
}
namespace jsts_draft6 {
const Registry& validators();
}
namespace jsts_draft7 {
const Registry& validators();
}
namespace jsts_oasgen {
const Registry& validators();
}

namespace {

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

const Registry* registry_of(const std::string& draft) {
  if (draft == "draft4") return &jsts_draft4::validators();
  if (draft == "draft6") return &jsts_draft6::validators();
  if (draft == "draft7") return &jsts_draft7::validators();
  if (draft == "oasgen") return &jsts_oasgen::validators();
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc % 2 != 1) {
    std::cerr << "usage: jsts_test DRAFT CASES.json [DRAFT CASES.json ...]\n";
    return 2;
  }
  Counts total;
  // reason -> "draft keyword: group" lines
  std::map<std::string, std::set<std::string>> skipped_groups;
  for (int arg = 1; arg < argc; arg += 2) {
    const std::string draft = argv[arg];
    const Registry* registry = registry_of(draft);
    std::ifstream in(argv[arg + 1]);
    if (registry == nullptr || !in) {
      std::cerr << "jsts: cannot run " << draft << " from " << argv[arg + 1] << '\n';
      return 2;
    }
    const auto cases = nlohmann::json::parse(in);
    if (!cases.is_array() || cases.empty()) {
      std::cerr << "jsts: no cases for " << draft << " in " << argv[arg + 1] << '\n';
      return 2;
    }
    std::map<std::string, Counts> by_keyword;
    for (const auto& c : cases) {
      const std::string keyword = c["keyword"];
      Counts& counts = by_keyword[keyword];
      if (c.contains("skip")) {
        ++counts.skipped;
        skipped_groups[c["skip"]].insert(draft + " " + keyword + ": " + c["group"].get<std::string>());
        continue;
      }
      auto fn = registry->find(c["component"]);
      if (fn == registry->end()) {
        ++counts.failed;
        std::cout << "FAIL " << draft << " " << keyword << ": no validator for component "
                  << c["component"] << '\n';
        continue;
      }
      oasgen::Validator v;
      fn->second(c["data"], v);
      if (v.ok() == c["valid"].get<bool>()) {
        ++counts.passed;
        continue;
      }
      ++counts.failed;
      std::cout << "FAIL " << draft << " " << keyword << " [" << c["component"].get<std::string>()
                << "] " << c["group"].get<std::string>() << " / " << c["test"].get<std::string>()
                << ": data " << c["data"].dump() << " expected "
                << (c["valid"].get<bool>() ? "valid" : "invalid") << '\n';
      for (const auto& error : v.errors()) {
        std::cout << "    " << error.pointer << " " << error.keyword << ": " << error.message << '\n';
      }
    }
    for (const auto& [keyword, counts] : by_keyword) {
      std::cout << draft << " " << keyword << ": " << counts.passed << " passed, " << counts.failed
                << " failed";
      if (counts.skipped > 0) std::cout << ", " << counts.skipped << " skipped";
      std::cout << '\n';
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.skipped += counts.skipped;
    }
  }
  std::cout << "skipped groups:\n";
  for (const auto& [reason, groups] : skipped_groups) {
    std::cout << "  " << reason << ":\n";
    for (const auto& group : groups) std::cout << "    " << group << '\n';
  }
  std::cout << "jsts: " << total.passed << " passed, " << total.failed << " failed, "
            << total.skipped << " skipped\n";
  return total.failed == 0 && total.passed > 0 ? 0 : 1;
}
