// HttpTransport over TLS against `openssl s_server` on 127.0.0.1 with a certificate made for the
// test: verified against that certificate, refused against the system's CAs, accepted unverified
// when asked. Skipped without OpenSSL in the runtime or the openssl program.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <string>

#include "oasgen/client.hpp"
#include "process.hpp"
#include "skip.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kOpenssl = "/usr/bin/openssl";

unsigned short free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool run(const std::vector<std::string>& args) {
  oasgen::test::ChildProcess process(kOpenssl, args);
  auto status = process.wait(60s);
  return status && status->exited() && status->code == 0;
}

}  // namespace

TEST_CASE("https: the transport verifies the server's certificate") {
  if (!oasgen::HttpTransport::supports_https() || !fs::exists(kOpenssl)) {
    return oasgen::test::skip(
        std::string("the runtime was built without OpenSSL, or there is no ") + kOpenssl);
  }
  const fs::path dir = fs::temp_directory_path() / ("oasgen-https-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string();
  const std::string key = (dir / "key.pem").string();
  REQUIRE(run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
               "-days", "1", "-subj", "/CN=localhost", "-addext",
               "subjectAltName=DNS:localhost,IP:127.0.0.1"}));
  const unsigned short port = free_port();
  oasgen::test::ChildProcess server(kOpenssl, {"s_server", "-accept", "127.0.0.1:" + std::to_string(port),
                                               "-cert", cert, "-key", key, "-www", "-naccept", "3"});
  bool ready = false;
  while (auto line = server.read_line(20s)) {
    if (line->find("ACCEPT") != std::string::npos) {
      ready = true;
      break;
    }
  }
  REQUIRE_MESSAGE(ready, "openssl s_server did not start");
  oasgen::Request request;
  request.method = "GET";
  request.target = "/";
  const std::string url = "https://127.0.0.1:" + std::to_string(port);

  oasgen::HttpTransportOptions trusting;
  trusting.ca_file = cert;
  trusting.request_timeout = 20s;
  auto result = oasgen::HttpTransport(url, trusting).send(request, {});
  if (auto* error = std::get_if<oasgen::TransportError>(&result)) FAIL(error->message);
  CHECK(std::get<oasgen::Response>(result).status == 200);

  oasgen::HttpTransportOptions system_cas;
  system_cas.request_timeout = 20s;
  result = oasgen::HttpTransport(url, system_cas).send(request, {});
  REQUIRE(std::holds_alternative<oasgen::TransportError>(result));
  CHECK(std::get<oasgen::TransportError>(result).kind == oasgen::TransportErrorKind::Tls);

  oasgen::HttpTransportOptions unverified;
  unverified.verify_peer = false;
  unverified.request_timeout = 20s;
  result = oasgen::HttpTransport(url, unverified).send(request, {});
  REQUIRE(std::holds_alternative<oasgen::Response>(result));
  CHECK(std::get<oasgen::Response>(result).status == 200);

  server.signal(SIGTERM);
  server.wait(10s);
  fs::remove_all(dir);
}
