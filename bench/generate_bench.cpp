// How long generation takes beside the time to merely parse the same document, and the peak memory.
//   generate_bench SPEC [repetitions]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pipeline.hpp"
#include "support/allocator.hpp"
#include "support/task_pool.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Processor time of this process: on a loaded machine it says more than the wall clock.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

struct Best {
  double wall = 1e9, cpu = 1e9;
  void add(double w, double c) {
    wall = std::min(wall, w);
    cpu = std::min(cpu, c);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: generate_bench SPEC [repetitions]\n";
    return 2;
  }
  oasgen::tune_malloc(argv);  // as the CLI does
  const std::string spec = argv[1];
  const int repetitions = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::size_t cores = oasgen::default_threads();
  Best parse, sequential, parallel;
  // Best of each stage, one thread and one per core, from the stages' trace.
  std::map<std::string, long> stage_ms[2];
  std::size_t files = 0, bytes = 0;
  // One thread, then one per core, alternating in the same conditions.
  auto generate = [&](std::size_t threads, Best& best) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    oasgen::Diagnostics diagnostics;
    oasgen::GenerateOptions options;
    options.cpp.ns = "bench";
    options.version = "bench";
    options.threads = threads;
    std::ostringstream trace;
    options.trace = &trace;
    auto result = oasgen::generate(spec, options, diagnostics);
    // What the CLI leaves to the process's exit: the document, model and C++ plan (result.stages,
    // freed below, untimed) and the files once written.
    best.add(seconds_since(start), cpu_seconds() - cpu_start);
    if (!result.files) {
      diagnostics.print(std::cerr);
      return false;
    }
    // Lines "oasgen: STAGE: N ms, SIZE" (8 characters before STAGE).
    std::istringstream lines(trace.str());
    for (std::string line; std::getline(lines, line);) {
      const auto colon = line.find(": ", 8);
      if (colon == std::string::npos) continue;
      const std::string stage = line.substr(8, colon - 8);
      const long ms = std::atol(line.c_str() + colon + 2);
      const auto [it, inserted] = stage_ms[threads > 1].emplace(stage, ms);
      if (!inserted) it->second = std::min(it->second, ms);
    }
    files = result.files->size();
    bytes = 0;
    for (const auto& [path, content] : *result.files) bytes += content.size();
    return true;
  };
  for (int i = 0; i < repetitions; ++i) {
    // Baseline: read the file and parse it with nlohmann_json, nothing else.
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    std::ifstream in(spec, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const auto document = nlohmann::json::parse(text.str());
    parse.add(seconds_since(start), cpu_seconds() - cpu_start);
    if (!generate(1, sequential) || !generate(cores, parallel)) return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("spec:          %s\n", spec.c_str());
  std::printf("parse only:    %.3f s wall, %.3f s cpu (nlohmann_json, best of %d)\n", parse.wall,
              parse.cpu, repetitions);
  std::printf("generate:      (load, model, naming, render; best of %d)\n", repetitions);
  std::printf("  1 thread:    %.3f s wall (%.2fx the parse), %.3f s cpu (%.2fx)\n", sequential.wall,
              sequential.wall / parse.wall, sequential.cpu, sequential.cpu / parse.cpu);
  std::printf("  %zu threads:   %.3f s wall (%.2fx the parse), %.3f s cpu (%.2fx)\n", cores,
              parallel.wall, parallel.wall / parse.wall, parallel.cpu, parallel.cpu / parse.cpu);
  for (int parallel_run = 0; parallel_run < 2; ++parallel_run) {
    std::printf("  stages, %zu:  ", parallel_run ? cores : std::size_t{1});
    for (const auto& [stage, ms] : stage_ms[parallel_run]) {
      std::printf(" %s %ld ms", stage.c_str(), ms);  // alphabetical is the pipeline's order
    }
    std::printf("\n");
  }
  std::printf("output:        %zu files, %.1f MB\n", files, static_cast<double>(bytes) / 1e6);
  std::printf("peak memory:   %.0f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
