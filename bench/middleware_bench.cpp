// What each production feature (issue 14) adds to a request, measured in process: the petstore's
// router with one feature on at a time, then all of them, against the bare router, on the requests
// bench/server_bench.sh sends (GET /pets/{id}, and the invalid POST answered 422). No sockets, so
// the figure is the features' own CPU time, steadier than a loaded machine's wrk runs. Process CPU
// time, so the access log's writer thread counts too. Run by hand (see BENCHMARKS.md):
//
//   middleware_bench [--requests N] [--rounds R] [--only SETUP] [--threads T]
//
// Defaults: 200000 requests, 5 rounds, every setup ("bare", "request ids", "health", "cors",
// "rate limit", "metrics", "access log", "all"); --only runs bare and that one (for perf).
// --threads 2 shares the requests between two threads on one router, as the server's two workers
// do: what the features' shared state (locks, atomics) costs when cache lines move between cores.
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <new>
#include <map>
#include <memory>
#include <oasgen/service.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pet_store.hpp"

// Allocations are counted per thread: a response field of 16 characters or more is one, and on a
// busy server each is a malloc and a free.
namespace {
thread_local std::uint64_t t_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++t_allocations;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

struct Setup {
  const char* name;
  Vars vars;
};

// As bench/server_bench.sh starts the two servers.
const Vars kBare = {{"OASGEN_REQUEST_IDS", "off"}, {"OASGEN_HEALTH", "off"}};
const Vars kAll = {{"OASGEN_REQUEST_IDS", "on"},
                   {"OASGEN_HEALTH", "on"},
                   {"OASGEN_METRICS", "on"},
                   {"OASGEN_CORS_ORIGINS", "https://app.example.com"},
                   {"OASGEN_CORS_CREDENTIALS", "on"},
                   {"OASGEN_RATE_LIMIT", "1000000000/1s"},
                   {"OASGEN_ACCESS_LOG", "/dev/null"},
                   {"OASGEN_MAX_IN_FLIGHT", "100000"}};

Vars with(std::initializer_list<std::pair<const std::string, std::string>> more) {
  Vars out = kBare;
  for (const auto& [name, value] : more) out[name] = value;
  return out;
}

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

oasgen::Request request(std::string method, std::string target, std::string body = {}) {
  oasgen::Request out;
  out.method = std::move(method);
  out.target = std::move(target);
  // The fields wrk sends (bench/server/wrk.lua), and the Origin the all-on run gets.
  out.headers.add("Host", "127.0.0.1:8080");
  out.headers.add("Content-Type", "application/json");
  out.headers.add("Origin", "https://app.example.com");
  if (!body.empty()) out.headers.add("Content-Length", std::to_string(body.size()));
  out.body = std::move(body);
  out.remote_address = "127.0.0.1:40000";
  return out;
}

const std::string kInvalid =
    R"({"name":"no/slash","status":"lost","category":{"name":"","color":"red"},)"
    R"("tags":["a","a",""],"birthDate":"2021-02-30","weightKg":0,"nickname":")" +
    std::string(40, 'n') + R"("})";

struct Server {
  example::PetStore store;
  oasgen::Router router;
  oasgen::Installed installed;

  explicit Server(const Vars& vars) {
    petstore::register_routes(router, store);
    const auto config = oasgen::ServiceConfig::from_vars(
        [&](std::string_view name) -> std::optional<std::string> {
          auto it = vars.find(name);
          if (it == vars.end()) return std::nullopt;
          return it->second;
        });
    installed = oasgen::install(router, config, petstore::kOperations);
    for (int i = 1; i <= 150; ++i) {
      const auto created = router.handle(request(
          "POST", "/pets",
          R"({"name":"seed-)" + std::to_string(i) +
              R"(","status":"available","category":{"id":1,"name":"dogs"},"tags":["seed"]})"));
      if (created.status != 201) std::abort();
    }
  }

  // Nanoseconds of CPU per request, the requests made beforehand (as the server's adapter does);
  // `allocations` gets the allocations per request.
  double measure(bool invalid, int count, int threads, double& allocations) {
    std::vector<std::vector<oasgen::Request>> requests(static_cast<std::size_t>(threads));
    for (int i = 0; i < count; ++i) {
      requests[static_cast<std::size_t>(i % threads)].push_back(
          invalid ? request("POST", "/pets", kInvalid)
                  : request("GET", "/pets/" + std::to_string(i % 100 + 1)));
    }
    const int expected = invalid ? 422 : 200;
    std::atomic<std::uint64_t> allocated{0};
    const auto run = [&](std::vector<oasgen::Request>& mine) {
      const std::uint64_t before = t_allocations;
      for (auto& one : mine) {
        if (router.handle(std::move(one)).status != expected) std::abort();
      }
      allocated += t_allocations - before;
    };
    const double start = cpu_seconds();
    if (threads == 1) {
      run(requests[0]);
    } else {
      std::vector<std::thread> workers;
      for (auto& mine : requests) workers.emplace_back(run, std::ref(mine));
      for (auto& worker : workers) worker.join();
    }
    if (installed.access_log) installed.access_log->flush();  // the writer's share, too
    allocations = static_cast<double>(allocated.load()) / count;
    return (cpu_seconds() - start) * 1e9 / count;
  }
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 200000, rounds = 5, threads = 1;
  std::string_view only;
  bool usage = argc % 2 == 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--requests") {
      count = std::atoi(argv[i + 1]);
    } else if (flag == "--rounds") {
      rounds = std::atoi(argv[i + 1]);
    } else if (flag == "--threads") {
      threads = std::atoi(argv[i + 1]);
    } else if (flag == "--only") {
      only = argv[i + 1];
    } else {
      usage = true;
    }
  }
  if (count <= 0 || rounds <= 0 || threads <= 0 || usage) {
    std::fprintf(stderr,
                 "usage: middleware_bench [--requests N] [--rounds R] [--only SETUP] "
                 "[--threads T]\n");
    return 2;
  }
  std::vector<Setup> setups = {
      {"bare", kBare},
      {"request ids", with({{"OASGEN_REQUEST_IDS", "on"}})},
      {"health", with({{"OASGEN_HEALTH", "on"}})},
      {"cors", with({{"OASGEN_CORS_ORIGINS", "https://app.example.com"},
                     {"OASGEN_CORS_CREDENTIALS", "on"}})},
      {"rate limit", with({{"OASGEN_RATE_LIMIT", "1000000000/1s"}})},
      {"metrics", with({{"OASGEN_METRICS", "on"}})},
      {"access log", with({{"OASGEN_ACCESS_LOG", "/dev/null"}})},
      {"all", kAll},
  };
  if (!only.empty()) {
    setups.erase(std::remove_if(setups.begin() + 1, setups.end(),
                                [&](const Setup& setup) { return setup.name != only; }),
                 setups.end());
  }
  std::vector<std::unique_ptr<Server>> servers;
  for (const Setup& setup : setups) servers.push_back(std::make_unique<Server>(setup.vars));
  // Rounds interleave the setups, so that a burst of load elsewhere hits them alike.
  std::vector<std::vector<double>> get(setups.size()), invalid(setups.size());
  std::vector<double> get_allocations(setups.size()), invalid_allocations(setups.size());
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < setups.size(); ++i) {
      get[i].push_back(servers[i]->measure(false, count, threads, get_allocations[i]));
      invalid[i].push_back(servers[i]->measure(true, count / 4, threads, invalid_allocations[i]));
    }
  }
  std::printf("CPU ns per request in Router::handle, median of %d rounds of %d requests on %d %s\n",
              rounds, count, threads, threads == 1 ? "thread" : "threads");
  std::printf("%-12s %10s %10s %7s %14s %10s %7s\n", "setup", "get", "+ on bare", "allocs",
              "invalid (422)", "+ on bare", "allocs");
  const double get_bare = median(get[0]), invalid_bare = median(invalid[0]);
  for (std::size_t i = 0; i < setups.size(); ++i) {
    const double g = median(get[i]), v = median(invalid[i]);
    std::printf("%-12s %10.0f %10.0f %7.1f %14.0f %10.0f %7.1f\n", setups[i].name, g, g - get_bare,
                get_allocations[i], v, v - invalid_bare, invalid_allocations[i]);
  }
  return 0;
}
