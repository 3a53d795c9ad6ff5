// A server of tests/middleware/rate_limit.yaml for the Redis test, which runs two of them:
//
//   rate_limit_server [--redis-port N]     (without it, an in-process store)
//
// Prints "listening <port>" once it serves on 127.0.0.1, and stops on SIGTERM or SIGINT.
#include <csignal>
#include <iostream>
#include <memory>
#include <oasgen/middleware/rate_limit.hpp>
#include <oasgen/middleware/rate_limit_redis.hpp>
#include <oasgen/server.hpp>
#include <string>

#include "rate_limit_api.hpp"

int main(int argc, char** argv) {
  oasgen::RateLimitOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) != "--redis-port") {
      std::cerr << "usage: rate_limit_server [--redis-port N]\n";
      return 2;
    }
    oasgen::RedisRateLimitOptions redis;
    redis.port = std::stoi(argv[i + 1]);
    options.store = std::make_shared<oasgen::RedisRateLimitStore>(redis);
  }
  rate_limit_test::Items items;
  rate_limit_test::Keys keys;
  oasgen::Router router;
  ratelimited::register_routes(router, items, keys);
  router.use(std::make_shared<oasgen::RateLimit>(ratelimited::kOperations, std::move(options)));

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start
  oasgen::ServerOptions server_options;
  server_options.threads = 2;
  oasgen::Server server(router, server_options);
  std::cout << "listening " << server.start() << std::endl;
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server.stop();
  return 0;
}
