// The catalog service on a fresh database for each test case, served over HTTP on 127.0.0.1:
// SQLite in a temporary file, or, when tests/catalog/with_postgres.sh runs the test, a new database
// in its throwaway PostgreSQL cluster.
#pragma once

#include <nlohmann/json.hpp>
#include <oasgen/server.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http_client.hpp"
#include "process.hpp"
#include "service.hpp"

namespace catalog_test {

using nlohmann::json;

inline constexpr const char* kAdminEmail = "admin@example.com";
inline constexpr const char* kAdminPassword = "admin-password-1";

/// Where the test's databases live: the PostgreSQL cluster named by CATALOG_TEST_PG_*, else SQLite.
bool on_postgres();
/// A new, empty database's URL (a PostgreSQL database created for it, or an SQLite file).
std::string fresh_database_url();

/// Whether the service runs as two catalog-server processes behind nginx (CATALOG_TEST_NGINX names
/// nginx, CATALOG_SERVER the server; on PostgreSQL only) rather than in this process.
bool behind_nginx();

/// The service with a test administrator on a fresh database: in this process (cheap password
/// hashes, 8 server threads), or, `behind_nginx()`, two instances behind a new nginx. `port` is
/// where to send requests.
struct Served {
  explicit Served(std::string url = fresh_database_url());
  ~Served();
  std::string url;
  std::unique_ptr<catalog_app::CatalogService> service;
  oasgen::Router router;
  std::unique_ptr<oasgen::Server> server;
  unsigned short port = 0;

 private:
  void start_behind_nginx();
  std::vector<std::unique_ptr<oasgen::test::ChildProcess>> processes_;
  std::filesystem::path nginx_dir_;
};

catalog_app::CatalogOptions test_options(std::string url);

/// JSON requests with an optional bearer token, on one keep-alive connection.
class Api {
 public:
  explicit Api(unsigned short port) : client_("127.0.0.1", port) {}
  using Headers = std::vector<std::pair<std::string, std::string>>;
  oasgen::test::HttpResult get(const std::string& target, const std::string& token = {}, Headers headers = {});
  oasgen::test::HttpResult send(const std::string& method, const std::string& target, const json& body,
                                const std::string& token = {}, Headers headers = {});
  oasgen::test::HttpResult raw(const std::string& method, const std::string& target, const std::string& body,
                               Headers headers);
  /// The access token for these credentials (CHECKs that login answers 200).
  std::string login(const std::string& email, const std::string& password);
  /// Registers a customer and logs in.
  std::string customer(const std::string& email);

 private:
  oasgen::test::HttpClient client_;
};

json product_input(const std::string& sku, std::int64_t stock = 5, std::int64_t price = 1999,
                   const std::string& name = "Widget", const std::string& category = "tools");
json body_of(const oasgen::test::HttpResult& result);
/// Whether the response is an application/problem+json body with this status.
bool is_problem(const oasgen::test::HttpResult& result, int status);

}  // namespace catalog_test
