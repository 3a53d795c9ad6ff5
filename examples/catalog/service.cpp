#include "service.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <oasgen/middleware/idempotency.hpp>
#include <oasgen/rest/conditional.hpp>
#include <stdexcept>

namespace catalog_app {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

unsigned long env_number(const char* name, unsigned long fallback, unsigned long min, unsigned long max) {
  const std::string text = env(name);
  if (text.empty()) return fallback;
  char* end = nullptr;
  const unsigned long value = std::strtoul(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || value < min || value > max) {
    throw std::invalid_argument(std::string(name) + ": expected a number from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got \"" + text + "\"");
  }
  return value;
}

/// SHA-256(label NUL secret): one key per purpose from the one configured secret.
std::string derive(std::string_view label, const std::string& secret) {
  std::string input(label);
  input += '\0';
  input += secret;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

HandlerSettings handler_settings(const CatalogOptions& options) {
  std::string secret = options.secret;
  if (secret.empty()) secret = oasgen::random_hex(32) + oasgen::random_hex(32);
  if (secret.size() < 32) throw std::invalid_argument("CATALOG_SECRET: must be at least 32 bytes");
  HandlerSettings settings;
  settings.token_secret = derive("catalog token", secret);
  settings.cursor_secret = derive("catalog cursor", secret);
  settings.token_lifetime = options.token_lifetime;
  settings.password_costs = options.password_costs;
  return settings;
}

}  // namespace

CatalogOptions CatalogOptions::from_env() {
  CatalogOptions options;
  options.database_url = env("DATABASE_URL");
  options.secret = env("CATALOG_SECRET");
  if (!options.secret.empty() && options.secret.size() < 32) {
    throw std::invalid_argument("CATALOG_SECRET: must be at least 32 bytes");
  }
  options.pool_size = env_number("CATALOG_DB_POOL", 8, 1, 256);
  options.token_lifetime = std::chrono::seconds(env_number("CATALOG_TOKEN_TTL_S", 900, 60, 86400));
  options.admin_email = env("CATALOG_ADMIN_EMAIL");
  options.admin_password = env("CATALOG_ADMIN_PASSWORD");
  if (options.admin_email.empty() != options.admin_password.empty()) {
    throw std::invalid_argument("CATALOG_ADMIN_EMAIL and CATALOG_ADMIN_PASSWORD: set both or neither");
  }
  return options;
}

CatalogService::CatalogService(CatalogOptions options)
    : options_(std::move(options)),
      pool_(catalog_db::connection_factory(options_.database_url, options_.pool_size)),
      repository_(pool_) {
  migrations_applied_ = repository_.migrate();
  if (!options_.admin_email.empty()) {
    std::string email = options_.admin_email;
    for (char& c : email) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    repository_.upsert_admin(email, "Administrator",
                             oasgen::security::hash_password(options_.admin_password, options_.password_costs));
  }
  handler_ = std::make_unique<CatalogHandler>(repository_, handler_settings(options_));
  idempotency_store_ = std::make_shared<SqlIdempotencyStore>(pool_);
  v1_handler_ = std::make_unique<CatalogV1Handler>(repository_);
}

void CatalogService::install(oasgen::Router& router) {
  router.use(std::make_shared<oasgen::Idempotency>(catalog::kOperations, idempotency_store_));
  router.use(std::make_shared<oasgen::ConditionalGet>());
  router.use(std::make_shared<Deprecation>(catalog_v1::kOperations, options_.v1_deprecated, options_.v1_sunset,
                                           "/v2/products"));
  catalog::register_routes(router, *handler_, *handler_);
  catalog_v1::register_routes(router, *v1_handler_);
}

}  // namespace catalog_app
