#include "catalog_fixture.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <unistd.h>

#include "sql.hpp"

namespace catalog_test {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string postgres_url(const std::string& database) {
  return "postgresql://" + env("CATALOG_TEST_PG_USER") + "@/" + database + "?host=" + env("CATALOG_TEST_PG_HOST") +
         "&port=" + env("CATALOG_TEST_PG_PORT");
}

std::atomic<int> g_databases{0};

}  // namespace

bool on_postgres() { return !env("CATALOG_TEST_PG_HOST").empty(); }

std::string fresh_database_url() {
  const std::string name = "catalog_" + std::to_string(::getpid()) + "_" + std::to_string(++g_databases);
  if (on_postgres()) {
    auto admin = catalog_db::connection_factory(postgres_url("postgres"), 1).open();
    admin->execute_script("CREATE DATABASE " + name);  // a name made of [a-z0-9_] above
    return postgres_url(name);
  }
  const auto path = std::filesystem::temp_directory_path() / (name + ".sqlite");
  std::filesystem::remove(path);
  return path.string();
}

catalog_app::CatalogOptions test_options(std::string url) {
  catalog_app::CatalogOptions options;
  options.database_url = std::move(url);
  options.pool_size = 8;
  options.secret = std::string(40, 's');
  options.admin_email = kAdminEmail;
  options.admin_password = kAdminPassword;
  options.password_costs = {1, 1024, 1};  // cheap hashes: the tests log in often
  return options;
}

Served::Served(std::string database) : url(std::move(database)) {
  service = std::make_unique<catalog_app::CatalogService>(test_options(url));
  service->install(router);
  oasgen::ServerOptions options;
  options.threads = 8;
  server = std::make_unique<oasgen::Server>(router, options);
  port = server->start();
}

Served::~Served() {
  server.reset();
  service.reset();
  if (!on_postgres()) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url + suffix);
  }
}

oasgen::test::HttpResult Api::get(const std::string& target, const std::string& token, Headers headers) {
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return client_.send("GET", target, {}, headers);
}

oasgen::test::HttpResult Api::send(const std::string& method, const std::string& target, const json& body,
                                   const std::string& token, Headers headers) {
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  headers.emplace_back("Content-Type", "application/json");
  return client_.send(method, target, body.is_null() ? std::string() : body.dump(), headers);
}

oasgen::test::HttpResult Api::raw(const std::string& method, const std::string& target, const std::string& body,
                                  Headers headers) {
  return client_.send(method, target, body, headers);
}

std::string Api::login(const std::string& email, const std::string& password) {
  const auto result = send("POST", "/v2/auth/login", {{"email", email}, {"password", password}});
  REQUIRE(result.status == 200);
  return body_of(result).at("access_token").get<std::string>();
}

std::string Api::customer(const std::string& email) {
  const auto result = send("POST", "/v2/users", {{"email", email}, {"password", "customer-password"}, {"name", "Customer"}});
  REQUIRE(result.status == 201);
  return login(email, "customer-password");
}

json product_input(const std::string& sku, std::int64_t stock, std::int64_t price, const std::string& name,
                   const std::string& category) {
  return {{"sku", sku}, {"name", name}, {"category", category}, {"price_cents", price}, {"stock", stock}};
}

json body_of(const oasgen::test::HttpResult& result) { return json::parse(result.body, nullptr, false); }

bool is_problem(const oasgen::test::HttpResult& result, int status) {
  const json body = body_of(result);
  return result.status == status && result.headers.get("Content-Type").value_or("") == "application/problem+json" &&
         body.is_object() && body.value("status", 0) == status;
}

}  // namespace catalog_test
