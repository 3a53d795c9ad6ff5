// docs_server DIR: serves DIR/index.html at /docs and DIR/openapi.json at /openapi.json through
// oasgen::serve_docs on an ephemeral port of 127.0.0.1, for the browser test (docs of specs that
// are not built into a server, like big-github.json). Prints "listening on http://127.0.0.1:N"
// and runs until SIGINT/SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <oasgen/docs.hpp>
#include <oasgen/server.hpp>

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The policy the page declares in its <meta>, which the generated docs.cpp would carry.
std::string page_policy(const std::string& html) {
  const std::string marker = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  const auto start = html.find(marker);
  if (start == std::string::npos) return {};
  const auto end = html.find('"', start + marker.size());
  std::string policy = html.substr(start + marker.size(), end - start - marker.size());
  for (auto at = policy.find("&#39;"); at != std::string::npos; at = policy.find("&#39;")) {
    policy.replace(at, 5, "'");
  }
  return policy;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: docs_server DIR\n";
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    const std::string dir = argv[1];
    const std::string html = read(dir + "/index.html");
    oasgen::Router router;
    oasgen::serve_docs(router, {read(dir + "/openapi.json"), html, page_policy(html)});
    oasgen::ServerOptions options;
    options.port = 0;
    oasgen::Server server(router, options);
    std::cout << "listening on http://127.0.0.1:" << server.start() << std::endl;
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.stop();
  } catch (const std::exception& e) {
    std::cerr << "docs_server: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
