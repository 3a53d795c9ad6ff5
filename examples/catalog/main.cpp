// catalog-server: the catalog API on SQLite (DATABASE_URL unset, a path, or :memory:) or
// PostgreSQL (DATABASE_URL=postgresql://...), configured from OASGEN_* and CATALOG_* environment
// variables (see --help) and drained on SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <oasgen/server.hpp>
#include <oasgen/service.hpp>
#include <string>
#include <string_view>

#include "catalog/docs.hpp"
#include "service.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: catalog-server [--port N] [--threads N] [--quiet]\n"
         "  --port N     port (default 8080, or OASGEN_PORT; 0 picks a free one)\n"
         "  --threads N  worker threads (default: OASGEN_THREADS, else one per core)\n"
         "  --quiet      no access log (as OASGEN_ACCESS_LOG=off)\n"
         "environment (flags win over it):\n"
         "  DATABASE_URL: unset or :memory: (SQLite in memory), a file path (SQLite), or\n"
         "    postgresql://user:password@host:port/database (PostgreSQL)\n"
         "  CATALOG_SECRET: 32 bytes or more, the same for every instance (default: random)\n"
         "  CATALOG_ADMIN_EMAIL, CATALOG_ADMIN_PASSWORD: an administrator created at start-up\n"
         "  CATALOG_DB_POOL (default 8): database connections at most\n"
         "  CATALOG_TOKEN_TTL_S (default 900): access token lifetime in seconds\n";
  for (const oasgen::EnvVariable& variable : oasgen::environment_variables()) {
    out << "  " << variable.name << " (default \"" << variable.default_value
        << "\"): " << variable.meaning << '\n';
  }
}

bool parse_number(const char* text, unsigned long max, unsigned long& out) {
  char* end = nullptr;
  out = std::strtoul(text, &end, 10);
  return end != text && *end == '\0' && out <= max;
}

}  // namespace

int main(int argc, char** argv) {
  // The example logs to stderr unless told otherwise; the library's default is no log.
  oasgen::ServiceConfig defaults;
  defaults.access_log.target = oasgen::AccessLogSetting::Target::Stderr;
  oasgen::ServiceConfig config;
  try {
    config = oasgen::ServiceConfig::from_env(defaults);
  } catch (const oasgen::ConfigError& e) {
    std::cerr << "catalog-server: " << e.what() << '\n';
    return 2;
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
      usage(arg == "--help" ? std::cout : std::cerr);
      return arg == "--help" ? 0 : 2;
    }
  }

  // Block SIGINT/SIGTERM before any thread starts, so that every thread inherits the mask and a
  // signal sent right after the "listening" line waits for sigwait below instead of killing the
  // process.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  std::unique_ptr<catalog_app::CatalogService> service;
  oasgen::Router router;
  oasgen::Installed installed;
  try {
    catalog_app::CatalogOptions options = catalog_app::CatalogOptions::from_env();
    const std::string where = options.database_url.empty() ? "SQLite in memory"
                                                           : catalog_db::redact_url(options.database_url);
    service = std::make_unique<catalog_app::CatalogService>(std::move(options));
    std::cout << "database: " << where << " (" << service->migrations_applied()
              << " migrations applied)" << std::endl;
    // The access log, metrics, request ids, health, CORS and rate limits the configuration asks
    // for; then the catalog's own middleware (Idempotency-Key, ETags) and routes.
    installed = oasgen::install(router, config, catalog::kOperations);
    service->install(router);
    catalog::register_docs(router);  // GET /docs (the reference page) and GET /openapi.json
  } catch (const std::exception& e) {
    std::cerr << "catalog-server: " << e.what() << '\n';
    return 2;
  }
  oasgen::Server server(router, config.server);
  if (installed.metrics) installed.metrics->track_connections(server);
  try {
    const unsigned short port = server.start();
    std::cout << "listening on http://" << config.server.address << ':' << port << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "catalog-server: " << e.what() << '\n';
    return 1;
  }
  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  // Readiness off, listener closed, requests in progress answered with Connection: close.
  const oasgen::DrainReport report = server.drain(config.drain_options(installed));
  std::cout << "drained in " << report.took.count() << " ms: " << report.connections
            << " connections open, " << report.requests_in_progress << " requests in progress, "
            << report.answered << " answered, " << report.idle_closed
            << " idle connections closed, " << report.cut_off << " cut off" << std::endl;
  return 0;
}
