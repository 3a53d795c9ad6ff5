// petstore-server: the generated petstore API served over HTTP by the oasgen runtime.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <oasgen/server.hpp>
#include <petstore/docs.hpp>

#include "pet_store.hpp"

namespace {

void usage() {
  std::cerr << "usage: petstore-server [--port N] [--threads N] [--quiet]\n"
               "  --port N     port on 127.0.0.1 (default 8080; 0 picks a free one)\n"
               "  --threads N  worker threads (default: one per core)\n"
               "  --quiet      no access log on stderr\n";
}

bool parse_number(const char* text, unsigned long max, unsigned long& out) {
  char* end = nullptr;
  out = std::strtoul(text, &end, 10);
  return end != text && *end == '\0' && out <= max;
}

}  // namespace

int main(int argc, char** argv) {
  oasgen::ServerOptions options;
  options.port = 8080;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    unsigned long value = 0;
    if (arg == "--port" && i + 1 < argc && parse_number(argv[i + 1], 65535, value)) {
      options.port = static_cast<unsigned short>(value);
      ++i;
    } else if (arg == "--threads" && i + 1 < argc && parse_number(argv[i + 1], 256, value)) {
      options.threads = static_cast<unsigned>(value);
      ++i;
    } else if (arg == "--quiet") {
      quiet = true;
    } else {
      usage();
      return arg == "--help" ? 0 : 2;
    }
  }
  if (!quiet) {
    options.access_log = [](const oasgen::AccessLogEntry& entry) {
      std::cerr << entry.remote << " \"" << entry.method << ' ' << entry.target << "\" " << entry.status
                << ' ' << entry.response_bytes << ' ' << entry.duration.count() << "us\n";
    };
  }

  // Block SIGINT/SIGTERM before any thread starts, so that every thread inherits the mask and a signal
  // sent right after the "listening" line waits for sigwait below instead of killing the process.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  example::PetStore store;
  oasgen::Router router;
  petstore::register_routes(router, store);
  petstore::register_docs(router);  // GET /docs (the reference page) and GET /openapi.json
  oasgen::Server server(router, options);
  try {
    const unsigned short port = server.start();
    std::cout << "listening on http://127.0.0.1:" << port << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "petstore-server: " << e.what() << '\n';
    return 1;
  }
  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  server.stop();
  return 0;
}
