// catalog-server: the catalog API on SQLite (DATABASE_URL unset, a path, or :memory:) or
// PostgreSQL (DATABASE_URL=postgresql://...), configured from OASGEN_* and CATALOG_* environment
// variables (see --help) and drained on SIGTERM.
#include <exception>
#include <iostream>
#include <memory>
#include <oasgen/service_main.hpp>
#include <string>

#include "catalog/docs.hpp"
#include "service.hpp"

int main(int argc, char** argv) {
  oasgen::ServiceMain host("catalog-server");  // first: blocks SIGINT/SIGTERM for every thread
  host.extra_help =
      "  DATABASE_URL: unset or :memory: (SQLite in memory), a file path (SQLite), or\n"
      "    postgresql://user:password@host:port/database (PostgreSQL)\n"
      "  CATALOG_SECRET: 32 bytes or more, the same for every instance (default: random)\n"
      "  CATALOG_ADMIN_EMAIL, CATALOG_ADMIN_PASSWORD: an administrator created at start-up\n"
      "  CATALOG_DB_POOL (default 8): database connections at most\n"
      "  CATALOG_TOKEN_TTL_S (default 900): access token lifetime in seconds\n";
  // The example logs to stderr unless told otherwise; the library's default is no log.
  oasgen::ServiceConfig defaults;
  defaults.access_log.target = oasgen::AccessLogSetting::Target::Stderr;
  // Its handlers wait on the database: they run on a pool of their own, so that a slow query does
  // not hold up reading and writing on other connections (OASGEN_HANDLER_THREADS overrides).
  defaults.server.handler_threads = 8;
  if (auto exit = host.configure(argc, argv, defaults)) return *exit;

  std::unique_ptr<catalog_app::CatalogService> service;
  oasgen::Router router;
  try {
    catalog_app::CatalogOptions options = catalog_app::CatalogOptions::from_env();
    const std::string where = options.database_url.empty() ? "SQLite in memory"
                                                           : catalog_db::redact_url(options.database_url);
    service = std::make_unique<catalog_app::CatalogService>(std::move(options));
    std::cout << "database: " << where << " (" << service->migrations_applied()
              << " migrations applied)" << std::endl;
    // The access log, metrics, request ids, health, CORS and rate limits the configuration asks
    // for; then the catalog's own middleware (Idempotency-Key, ETags) and routes.
    host.install(router, catalog::kOperations);
    service->install(router);
    catalog::register_docs(router);  // GET /docs (the reference page) and GET /openapi.json
  } catch (const std::exception& e) {
    return host.fail(e.what());
  }
  return host.serve(router);
}
