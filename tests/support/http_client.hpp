// A small blocking HTTP/1.1 client for tests, over real TCP: keeps one keep-alive connection,
// and can send raw bytes for malformed-request tests.
//
//   oasgen::test::HttpClient client("127.0.0.1", server.port());
//   auto result = client.send("GET", "/pets/7");
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "oasgen/http.hpp"

namespace oasgen::test {

struct HttpResult {
  int status = 0;
  oasgen::Headers headers;
  std::string body;
};

class HttpClient {
 public:
  HttpClient(std::string host, unsigned short port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends one request on the kept-alive connection (reconnecting once if the server closed it) and
  /// reads the response; 5 s timeout. Adds Host, and Content-Length when a body is given and the
  /// caller set neither Content-Length nor Transfer-Encoding. Throws std::runtime_error on failure.
  HttpResult send(const std::string& method, const std::string& target,
                  const std::string& body = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {});

  /// Sends `bytes` on a fresh connection and returns everything read until the server closes the
  /// connection or 2 s pass.
  std::string raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oasgen::test
