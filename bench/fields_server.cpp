// petstore-fields-server: the petstore as petstore-server serves it, configured from the same
// OASGEN_* variables, whose responses also carry the bytes every production feature adds (issue
// 14) without any feature computing them: the seven fields the all-on server adds to a response
// to an allowed origin, values of the same length, and the `request_id`/`trace_id` members of a
// problem body. bench/server_bench.sh runs it with the features off ("oasgen-fields"): beside the
// bare and the all-on servers, it splits what everything-on costs into carrying the bytes and
// computing them.
#include <csignal>
#include <iostream>
#include <memory>
#include <oasgen/server.hpp>
#include <oasgen/service.hpp>
#include <string>

#include "pet_store.hpp"

namespace {

class FixedFields : public oasgen::Middleware {
 public:
  void on_response(const oasgen::Request&, oasgen::Response& response) override {
    // As the all-on server sends them (bench/server_bench.sh's rate limit and CORS policy).
    response.headers.set("RateLimit-Policy", R"("default";q=1000000000;w=1)");
    response.headers.set("RateLimit", R"("default";r=999999999;t=1)");
    response.headers.add("Vary", "Origin");
    response.headers.set("Access-Control-Allow-Origin", "https://app.example.com");
    response.headers.set("Access-Control-Allow-Credentials", "true");
    response.headers.set("Access-Control-Expose-Headers",
                         "X-Request-Id, RateLimit, RateLimit-Policy, Retry-After, "
                         "WWW-Authenticate");
    response.headers.set("X-Request-Id", "0123456789abcdef");
    const auto type = response.headers.get("Content-Type");
    if (type && *type == "application/problem+json" && !response.body.empty() &&
        response.body.front() == '{') {
      response.body.insert(1, R"("request_id":"0123456789abcdef",)"
                              R"("trace_id":"0123456789abcdef0123456789abcdef",)");
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  oasgen::ServiceConfig config;
  try {
    config = oasgen::ServiceConfig::from_env();
  } catch (const oasgen::ConfigError& e) {
    std::cerr << "petstore-fields-server: " << e.what() << '\n';
    return 2;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--port") config.server.port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
    if (flag == "--threads") config.server.threads = static_cast<unsigned>(std::stoi(argv[i + 1]));
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  example::PetStore store;
  oasgen::Router router;
  petstore::register_routes(router, store);
  router.use(std::make_shared<FixedFields>());
  oasgen::install(router, config, petstore::kOperations);
  oasgen::Server server(router, config.server);
  const unsigned short port = server.start();
  std::cout << "listening on http://" << config.server.address << ':' << port << std::endl;
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server.stop();
  return 0;
}
