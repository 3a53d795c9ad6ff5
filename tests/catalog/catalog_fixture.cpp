#include "catalog_fixture.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

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

bool behind_nginx() { return !env("CATALOG_TEST_NGINX").empty() && on_postgres(); }

Served::Served(std::string database) : url(std::move(database)) {
  if (behind_nginx()) {
    start_behind_nginx();
    return;
  }
  service = std::make_unique<catalog_app::CatalogService>(test_options(url));
  service->install(router);
  oasgen::ServerOptions options;
  options.threads = 8;
  server = std::make_unique<oasgen::Server>(router, options);
  port = server->start();
}

void Served::start_behind_nginx() {
  using namespace std::chrono_literals;
  // The instances read their configuration from the environment, as in production.
  ::setenv("DATABASE_URL", url.c_str(), 1);
  ::setenv("CATALOG_SECRET", test_options(url).secret.c_str(), 1);
  ::setenv("CATALOG_ADMIN_EMAIL", kAdminEmail, 1);
  ::setenv("CATALOG_ADMIN_PASSWORD", kAdminPassword, 1);
  ::setenv("OASGEN_THREADS", "4", 1);
  ::setenv("OASGEN_ACCESS_LOG", "off", 1);
  ::setenv("OASGEN_TRUSTED_PROXIES", "127.0.0.1", 1);
  std::vector<unsigned short> upstreams;
  for (int instance = 0; instance < 2; ++instance) {
    processes_.push_back(
        std::make_unique<oasgen::test::ChildProcess>(env("CATALOG_SERVER"), std::vector<std::string>{"--port", "0"}));
    const std::string prefix = "listening on http://127.0.0.1:";
    std::optional<std::string> line;
    while ((line = processes_.back()->read_line(60s)) && line->rfind(prefix, 0) != 0) {
    }
    REQUIRE_MESSAGE(line, "catalog-server did not start");
    upstreams.push_back(static_cast<unsigned short>(std::stoi(line->substr(prefix.size()))));
  }
  // A port for nginx: one the kernel picks, freed just before nginx binds it.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  port = ntohs(address.sin_port);
  ::close(probe);

  nginx_dir_ = std::filesystem::temp_directory_path() /
               ("catalog-nginx-" + std::to_string(::getpid()) + "-" + std::to_string(++g_databases));
  std::filesystem::create_directories(nginx_dir_);
  // nginx's workers run as nobody when started as root: they write their temporary files here.
  std::filesystem::permissions(nginx_dir_, std::filesystem::perms::all);
  const std::string dir = nginx_dir_.string();
  std::ofstream(nginx_dir_ / "nginx.conf")
      << "worker_processes 1;\npid " << dir << "/nginx.pid;\nerror_log " << dir << "/error.log warn;\n"
      << "events { worker_connections 256; }\nhttp {\n  access_log off;\n"
      << "  client_body_temp_path " << dir << "/body;\n  proxy_temp_path " << dir << "/proxy;\n"
      << "  fastcgi_temp_path " << dir << "/fastcgi;\n  uwsgi_temp_path " << dir << "/uwsgi;\n"
      << "  scgi_temp_path " << dir << "/scgi;\n  client_max_body_size 2m;\n"
      << "  upstream catalog {\n    server 127.0.0.1:" << upstreams[0] << ";\n    server 127.0.0.1:"
      << upstreams[1] << ";\n    keepalive 16;\n  }\n"
      << "  server {\n    listen 127.0.0.1:" << port << ";\n    location / {\n"
      << "      proxy_pass http://catalog;\n      proxy_http_version 1.1;\n"
      << "      proxy_set_header Connection \"\";\n"
      << "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n  }\n}\n";
  processes_.push_back(std::make_unique<oasgen::test::ChildProcess>(
      env("CATALOG_TEST_NGINX"),
      std::vector<std::string>{"-p", dir, "-c", dir + "/nginx.conf", "-g", "daemon off;"}));
  // At most about 60 s: a loaded CI machine starts servers slowly.
  for (int attempt = 0; attempt < 1200; ++attempt) {
    try {
      if (oasgen::test::HttpClient("127.0.0.1", port).send("GET", "/readyz").status == 200) return;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(50ms);
  }
  FAIL("nginx did not come up on port " << port);
}

Served::~Served() {
  for (auto& process : processes_) process->signal(SIGTERM);
  for (auto& process : processes_) process->wait(std::chrono::seconds(10));
  processes_.clear();
  if (!nginx_dir_.empty()) std::filesystem::remove_all(nginx_dir_);
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
