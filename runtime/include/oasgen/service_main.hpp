// What every service's main() does around its routes: the configuration from OASGEN_* variables
// and a few flags, SIGINT/SIGTERM blocked before any thread starts, serving until one arrives, then
// a drain. examples/petstore/main.cpp:
//
//   int main(int argc, char** argv) {
//     oasgen::ServiceMain service("petstore-server");           // first: blocks the signals
//     if (auto exit = service.configure(argc, argv)) return *exit;
//     example::PetStore store;
//     oasgen::Router router;
//     petstore::register_routes(router, store);
//     try {
//       service.install(router, petstore::kOperations);         // the configured middleware
//     } catch (const std::exception& e) {
//       return service.fail(e.what());
//     }
//     return service.serve(router);                             // start, wait for SIGTERM, drain
//   }
#pragma once

#include <signal.h>

#include <cstddef>
#include <optional>
#include <string>

#include "oasgen/operation.hpp"
#include "oasgen/router.hpp"
#include "oasgen/service.hpp"

namespace oasgen {

class ServiceMain {
 public:
  /// Blocks SIGINT and SIGTERM in the calling thread. Construct it first in main(), before any
  /// thread starts: threads inherit the mask, so a signal sent as soon as the service listens waits
  /// for `serve` instead of killing the process.
  explicit ServiceMain(std::string program);

  /// Lines `--help` shows under "environment" before the OASGEN_* variables: the service's own.
  std::string extra_help;

  /// `defaults`, then every OASGEN_* variable set, then the flags: `--port N`, `--threads N`,
  /// `--quiet` (no access log), `--help`. Returns the status main() should exit with now (0 after
  /// --help; 2 for a bad flag or variable, said on stderr), or nullopt to go on with `config`.
  std::optional<int> configure(int argc, char** argv, ServiceConfig defaults = {});
  ServiceConfig config;

  /// Adds the middleware `config` turns on to `router` (`oasgen::install`, which says what it
  /// throws), before the service's own middleware.
  void install(Router& router, const OperationInfo* operations, std::size_t count);
  template <std::size_t N>
  void install(Router& router, const OperationInfo (&operations)[N]) {
    install(router, operations, N);
  }

  /// Starts a server on `router`, prints where it listens, waits for SIGINT or SIGTERM, drains
  /// (readiness off first, when `install` added health probes) and prints the drain's report.
  /// Returns 0, or 1 if the server could not start.
  int serve(Router& router);

  /// Prints "program: what" on stderr and returns 2: for main()'s own start-up errors.
  int fail(const std::string& what) const;

 private:
  std::string program_;
  sigset_t signals_{};
  Installed installed_;
};

}  // namespace oasgen
