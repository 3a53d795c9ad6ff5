// How long validating a 1 MB JSON body takes beside parsing it: an array of petstore Pets, parsed
// by nlohmann::json and checked by the generated validate_pet, as a generated route checks a
// body of `type: array, items: {$ref: Pet}`.
//
//   validate_bench [repetitions]    (default 30; prints the median of each)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "petstore/models.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// About 1 MB of Pets that pass every check, with the optional members most of the time.
std::string make_body(std::size_t target_bytes, std::size_t& count) {
  static const char* kStatuses[] = {"available", "pending", "sold"};
  nlohmann::json pets = nlohmann::json::array();
  std::size_t size = 2;
  for (count = 0; size < target_bytes; ++count) {
    nlohmann::json pet = {
        {"id", count + 1},
        {"name", "Pet number " + std::to_string(count)},
        {"status", kStatuses[count % 3]},
        {"category", {{"id", count % 7 + 1}, {"name", "Category " + std::to_string(count % 7)}}},
    };
    if (count % 4 != 0) pet["tags"] = {"friendly", "tag-" + std::to_string(count % 11), "trained"};
    if (count % 3 != 0) pet["birthDate"] = "2019-0" + std::to_string(count % 9 + 1) + "-15";
    if (count % 2 == 0) pet["weightKg"] = 3.25 + static_cast<double>(count % 40);
    pet["nickname"] = count % 5 == 0 ? nlohmann::json(nullptr) : nlohmann::json("Nick " + std::to_string(count));
    size += pet.dump().size() + 1;
    pets.push_back(std::move(pet));
  }
  return pets.dump();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double elapsed_ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 30;
  std::size_t count = 0;
  const std::string body = make_body(1 << 20, count);

  std::vector<double> parse_ms, validate_ms;
  std::size_t errors = 0;
  for (int r = 0; r < repetitions; ++r) {
    auto start = Clock::now();
    const nlohmann::json parsed = nlohmann::json::parse(body);
    parse_ms.push_back(elapsed_ms(start));

    start = Clock::now();
    oasgen::Validator v(oasgen::Direction::Response);
    if (v.type(parsed, oasgen::JsonType::Array)) {
      for (std::size_t i = 0; i < parsed.size(); ++i) {
        auto at = v.enter(i);
        petstore::validate_pet(parsed[i], v);
      }
    }
    validate_ms.push_back(elapsed_ms(start));
    errors += v.error_count();
  }
  if (errors != 0) {
    std::fprintf(stderr, "the body should be valid, but %zu errors were reported\n", errors);
    return 1;
  }
  const double parse = median(parse_ms);
  const double validate = median(validate_ms);
  std::printf("body: %zu bytes, %zu pets; %d repetitions, medians\n", body.size(), count, repetitions);
  std::printf("parse (nlohmann::json::parse): %8.3f ms\n", parse);
  std::printf("validate (validate_pet each):  %8.3f ms\n", validate);
  std::printf("validate / parse: %.2f\n", validate / parse);
  return 0;
}
