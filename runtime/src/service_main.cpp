#include "oasgen/service_main.hpp"

#include <pthread.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>

#include "oasgen/middleware/metrics.hpp"
#include "oasgen/server.hpp"

namespace oasgen {
namespace {

bool parse_number(const char* text, unsigned long max, unsigned long& out) {
  char* end = nullptr;
  out = std::strtoul(text, &end, 10);
  return end != text && *end == '\0' && out <= max;
}

}  // namespace

ServiceMain::ServiceMain(std::string program) : program_(std::move(program)) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

std::optional<int> ServiceMain::configure(int argc, char** argv, ServiceConfig defaults) {
  try {
    config = ServiceConfig::from_env(std::move(defaults));
  } catch (const ConfigError& e) {
    return fail(e.what());
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    unsigned long value = 0;
    if (arg == "--port" && i + 1 < argc && parse_number(argv[i + 1], 65535, value)) {
      config.server.port = static_cast<unsigned short>(value);
      ++i;
    } else if (arg == "--threads" && i + 1 < argc && parse_number(argv[i + 1], 256, value)) {
      config.server.threads = static_cast<unsigned>(value);
      ++i;
    } else if (arg == "--quiet") {
      config.access_log = {};
    } else {
      std::ostream& out = arg == "--help" ? std::cout : std::cerr;
      out << "usage: " << program_ << " [--port N] [--threads N] [--quiet]\n"
          << "  --port N     port (default 8080, or OASGEN_PORT; 0 picks a free one)\n"
             "  --threads N  I/O threads (default: OASGEN_THREADS, else one per core)\n"
             "  --quiet      no access log (as OASGEN_ACCESS_LOG=off)\n"
             "environment (flags win over it):\n"
          << extra_help;
      for (const EnvVariable& variable : environment_variables()) {
        out << "  " << variable.name << " (default \"" << variable.default_value
            << "\"): " << variable.meaning << '\n';
      }
      return arg == "--help" ? 0 : 2;
    }
  }
  return std::nullopt;
}

void ServiceMain::install(Router& router, const OperationInfo* operations, std::size_t count) {
  installed_ = oasgen::install(router, config, operations, count);
}

int ServiceMain::serve(Router& router) {
  Server server(router, config.server);
  if (installed_.metrics) installed_.metrics->track_connections(server);
  try {
    const unsigned short port = server.start();
    std::cout << "listening on http://" << config.server.address << ':' << port << std::endl;
  } catch (const std::exception& e) {
    std::cerr << program_ << ": " << e.what() << '\n';
    return 1;
  }
  int signal_number = 0;
  sigwait(&signals_, &signal_number);
  // Readiness off, listener closed, requests in progress answered with Connection: close.
  const DrainReport report = server.drain(config.drain_options(installed_));
  std::cout << "drained in " << report.took.count() << " ms: " << report.connections
            << " connections open, " << report.requests_in_progress << " requests in progress, "
            << report.answered << " answered, " << report.idle_closed
            << " idle connections closed, " << report.cut_off << " cut off" << std::endl;
  return 0;
}

int ServiceMain::fail(const std::string& what) const {
  std::cerr << program_ << ": " << what << '\n';
  return 2;
}

}  // namespace oasgen
