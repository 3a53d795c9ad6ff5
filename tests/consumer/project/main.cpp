// shelter-server: one generated operation served over HTTP, as a consumer project writes it.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include <oasgen/server.hpp>

#include "shelter/server.hpp"

namespace {

class Shelter : public shelter::UnimplementedHandler {
 public:
  shelter::GetAnimalResult get_animal(const shelter::GetAnimalRequest& request, oasgen::Context&) override {
    if (request.animal_id != 1) return shelter::GetAnimalNotFound{};
    shelter::Animal tom;
    tom.id = 1;
    tom.name = "Tom";
    return shelter::GetAnimalOk{tom};
  }
};

}  // namespace

int main(int argc, char** argv) {
  oasgen::ServerOptions options;
  options.port = 8080;
  if (argc == 3 && std::string(argv[1]) == "--port") {
    options.port = static_cast<unsigned short>(std::atoi(argv[2]));
  }
  // Blocked before any thread starts, so that every thread inherits the mask and sigwait gets them.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  Shelter handler;
  oasgen::Router router;
  shelter::register_routes(router, handler);
  oasgen::Server server(router, options);
  std::cout << "listening on http://127.0.0.1:" << server.start() << std::endl;
  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  server.stop();
  return 0;
}
