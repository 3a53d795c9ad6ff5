// How long generation takes beside the time to merely parse the same document, and the peak memory.
//   generate_bench SPEC [repetitions]
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pipeline.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Processor time of this process: on a loaded machine it says more than the wall clock.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: generate_bench SPEC [repetitions]\n";
    return 2;
  }
  const std::string spec = argv[1];
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 3;
  double best_parse = 1e9, best_generate = 1e9, cpu_parse = 1e9, cpu_generate = 1e9;
  std::size_t files = 0, bytes = 0;
  for (int i = 0; i < repetitions; ++i) {
    // Baseline: read the file and parse it with nlohmann_json, nothing else.
    auto start = std::chrono::steady_clock::now();
    double cpu_start = cpu_seconds();
    std::ifstream in(spec, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const auto document = nlohmann::json::parse(text.str());
    best_parse = std::min(best_parse, seconds_since(start));
    cpu_parse = std::min(cpu_parse, cpu_seconds() - cpu_start);

    // The whole pipeline into memory: load, model, naming, render (writing is not timed).
    start = std::chrono::steady_clock::now();
    cpu_start = cpu_seconds();
    oasgen::Diagnostics diagnostics;
    oasgen::GenerateOptions options;
    options.cpp.ns = "bench";
    options.version = "bench";
    const auto result = oasgen::generate(spec, options, diagnostics);
    best_generate = std::min(best_generate, seconds_since(start));
    cpu_generate = std::min(cpu_generate, cpu_seconds() - cpu_start);
    if (!result.files) {
      diagnostics.print(std::cerr);
      return 1;
    }
    files = result.files->size();
    bytes = 0;
    for (const auto& [path, content] : *result.files) bytes += content.size();
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("spec:          %s\n", spec.c_str());
  std::printf("parse only:    %.3f s (nlohmann_json, best of %d)\n", best_parse, repetitions);
  std::printf("generate:      %.3f s (load, model, naming, render; best of %d)\n", best_generate, repetitions);
  std::printf("ratio:         %.2fx the parse\n", best_generate / best_parse);
  std::printf("cpu time:      parse %.3f s, generate %.3f s (%.2fx)\n", cpu_parse, cpu_generate,
              cpu_generate / cpu_parse);
  std::printf("output:        %zu files, %.1f MB\n", files, static_cast<double>(bytes) / 1e6);
  std::printf("peak memory:   %.0f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
