// The catalog service assembled: database (SQLite or PostgreSQL, migrated at start-up), handlers,
// authenticator, and the REST middleware (ETags with 304, Idempotency-Key on a store in the same
// database). main.cpp and the end-to-end tests build it the same way.
#pragma once

#include <oasgen/router.hpp>
#include <oasgen/security/passwords.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "catalog_handler.hpp"
#include "repository.hpp"
#include "sql.hpp"
#include "sql_idempotency_store.hpp"
#include "versioning.hpp"

namespace catalog_app {

struct CatalogOptions {
  /// "" or ":memory:": SQLite in memory; a path (or sqlite:<path>): an SQLite file;
  /// postgresql://...: PostgreSQL.
  std::string database_url;
  std::size_t pool_size = 8;
  /// 32 bytes or more; the token key and the cursor key are derived from it. Every instance
  /// behind one load balancer needs the same. Empty: a random one (tokens and cursors then die
  /// with the process).
  std::string secret;
  std::chrono::seconds token_lifetime{15 * 60};
  oasgen::security::Argon2Params password_costs;
  /// An administrator created (or updated) at start-up, when both are set.
  std::string admin_email;
  std::string admin_password;
  /// When /v1 was deprecated and when it goes away (its `Deprecation` and `Sunset` headers).
  std::chrono::system_clock::time_point v1_deprecated{std::chrono::seconds(1767225600)};  // 2026-01-01
  std::chrono::system_clock::time_point v1_sunset{std::chrono::seconds(1798761600)};       // 2027-01-01

  /// DATABASE_URL, CATALOG_SECRET, CATALOG_DB_POOL, CATALOG_TOKEN_TTL_S, CATALOG_ADMIN_EMAIL,
  /// CATALOG_ADMIN_PASSWORD. Throws std::invalid_argument naming a malformed variable.
  static CatalogOptions from_env();
};

class CatalogService {
 public:
  /// Opens the database, applies the migrations and creates the administrator. Throws
  /// catalog_db::DbError or std::invalid_argument.
  explicit CatalogService(CatalogOptions options);

  /// The routes of both versions (/v2, and /v1 marked deprecated), and the middleware this API
  /// needs: `Idempotency` (after whatever `oasgen::install` added, so after request ids and rate
  /// limits), `ConditionalGet` and `Deprecation`.
  void install(oasgen::Router& router);

  catalog_db::Dialect dialect() const { return pool_.dialect(); }
  int migrations_applied() const { return migrations_applied_; }

 private:
  CatalogOptions options_;
  catalog_db::Pool pool_;
  Repository repository_;
  int migrations_applied_ = 0;
  std::unique_ptr<CatalogHandler> handler_;
  std::unique_ptr<CatalogV1Handler> v1_handler_;
  std::shared_ptr<SqlIdempotencyStore> idempotency_store_;
};

}  // namespace catalog_app
