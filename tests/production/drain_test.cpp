// SIGTERM under load: the petstore example server, spawned as a child process, is drained while
// several client threads keep sending requests on 127.0.0.1 and a few requests are still being
// uploaded. Nothing the server accepted may be lost: every request gets a complete response, or
// was never read by the server (its connection was refused or closed before it was read); the
// server's access log must list exactly the responses the clients read.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"

namespace {

using namespace std::chrono_literals;

enum class Outcome { Complete, NotRead, Lost };

struct Figures {
  std::atomic<int> sent{0};
  std::atomic<int> complete{0};
  std::atomic<int> not_read{0};  // connection closed with no byte of response: never accepted
  std::atomic<int> refused{0};   // connect refused: the listener was closed
  std::atomic<int> lost{0};      // part of a response, or none within the timeout
  std::atomic<int> outstanding{0};
  std::atomic<int> unexpected_status{0};
};

// One blocking HTTP/1.1 connection that classifies what happened to each request.
class Connection {
 public:
  explicit Connection(unsigned short port) : port_(port) {}
  ~Connection() { close(); }

  bool connected() const { return fd_ >= 0; }

  bool connect() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close();
      return false;
    }
    return true;
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buffer_.clear();
  }

  bool send_all(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads one response; `status` is set when it is complete.
  Outcome read_response(int& status, bool& close_after) {
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more()) return buffer_.empty() ? Outcome::NotRead : Outcome::Lost;
    }
    const std::string header = buffer_.substr(0, header_end);
    status = std::atoi(header.substr(9, 3).c_str());
    std::size_t length = 0;
    for (const char* name : {"\r\nContent-Length: ", "\r\ncontent-length: "}) {
      if (auto at = header.find(name); at != std::string::npos)
        length = std::stoul(header.substr(at + 18));
    }
    close_after = header.find("\r\nConnection: close") != std::string::npos;
    while (buffer_.size() < header_end + 4 + length) {
      if (!read_more()) return Outcome::Lost;
    }
    buffer_.erase(0, header_end + 4 + length);
    return Outcome::Complete;
  }

 private:
  bool read_more() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;  // EOF, reset or timeout
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  unsigned short port_;
  int fd_ = -1;
  std::string buffer_;
};

std::string request(const std::string& method, const std::string& target,
                    const std::string& body = {}) {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!body.empty()) {
    text +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return text + "\r\n" + body;
}

std::string pet(const std::string& name) {
  return R"({"name": ")" + name + R"(", "status": "available", "category": {"name": "dogs"}})";
}

// Keeps sending a mix of requests on a keep-alive connection until the server refuses connections.
void load(unsigned short port, int client, Figures& figures) {
  Connection connection(port);
  for (int n = 0;; ++n) {
    if (!connection.connected() && !connection.connect()) {
      ++figures.refused;
      return;
    }
    const std::string bytes =
        n % 3 == 0   ? request("POST", "/pets",
                               pet("load-" + std::to_string(client) + "-" + std::to_string(n)))
        : n % 3 == 1 ? request("GET", "/pets?limit=5")
                     : request("GET", "/healthz");
    ++figures.outstanding;
    ++figures.sent;
    int status = 0;
    bool close_after = false;
    const Outcome outcome = connection.send_all(bytes)
                                ? connection.read_response(status, close_after)
                                : Outcome::NotRead;
    --figures.outstanding;
    if (outcome == Outcome::Complete) {
      ++figures.complete;
      if (status != 200 && status != 201) ++figures.unexpected_status;
      if (close_after) connection.close();
    } else {
      ++(outcome == Outcome::NotRead ? figures.not_read : figures.lost);
      connection.close();
    }
  }
}

// A request whose body arrives over about a second: still being read when SIGTERM arrives.
void slow_upload(unsigned short port, int client, Figures& figures) {
  Connection connection(port);
  if (!connection.connect()) {
    ++figures.refused;
    return;
  }
  const std::string body = pet("slow-" + std::to_string(client));
  const std::string bytes = request("POST", "/pets", body);
  const std::size_t head = bytes.size() - body.size();
  ++figures.outstanding;
  ++figures.sent;
  bool sent = connection.send_all(bytes.substr(0, head + 4));
  for (std::size_t at = head + 4; sent && at < bytes.size(); at += 8) {
    std::this_thread::sleep_for(100ms);
    sent = connection.send_all(bytes.substr(at, 8));
  }
  int status = 0;
  bool close_after = false;
  const Outcome outcome = sent ? connection.read_response(status, close_after) : Outcome::Lost;
  --figures.outstanding;
  if (outcome == Outcome::Complete) {
    ++figures.complete;
    if (status != 201) ++figures.unexpected_status;
  } else {
    ++figures.lost;  // the server had read part of it: it was accepted
  }
}

}  // namespace

TEST_CASE("drain: SIGTERM under load loses no accepted request") {
  const std::filesystem::path log = std::filesystem::temp_directory_path() /
                                    ("oasgen-drain-" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(log);
  ::setenv("OASGEN_ACCESS_LOG", log.c_str(), 1);
  ::setenv("OASGEN_THREADS", "2", 1);
  ::setenv("OASGEN_DRAIN_GRACE_MS", "8000", 1);
  oasgen::test::ChildProcess server(PETSTORE_SERVER, {"--port", "0"});
  const auto line = server.read_line(10s);
  REQUIRE(line);
  REQUIRE(line->rfind("listening on http://127.0.0.1:", 0) == 0);
  const auto port = static_cast<unsigned short>(std::stoi(line->substr(line->rfind(':') + 1)));

  Figures figures;
  std::vector<std::thread> clients;
  constexpr int kLoadClients = 6, kSlowClients = 3;
  for (int i = 0; i < kLoadClients; ++i) clients.emplace_back(load, port, i, std::ref(figures));
  std::this_thread::sleep_for(500ms);
  for (int i = 0; i < kSlowClients; ++i)
    clients.emplace_back(slow_upload, port, i, std::ref(figures));
  std::this_thread::sleep_for(300ms);  // the uploads are under way

  const int outstanding = figures.outstanding.load();
  const int sent_before = figures.sent.load();
  server.signal(SIGTERM);
  for (auto& client : clients) client.join();
  const auto status = server.wait(15s);
  REQUIRE(status);
  CHECK(status->exited());
  CHECK(status->code == 0);
  const auto report = server.read_line(1s);
  REQUIRE(report);

  // A line per response; when the writer fell behind (a loaded machine), the log says how many
  // lines it dropped instead, so that every response is still accounted for.
  int logged = 0, dropped = 0;
  std::ifstream in(log);
  for (std::string entry; std::getline(in, entry);) {
    const auto line = nlohmann::json::parse(entry);
    if (line.value("event", "") == "access_log_dropped") {
      dropped += line.at("dropped").get<int>();
    } else {
      ++logged;
    }
  }
  std::filesystem::remove(log);

  std::cout << "drain: " << sent_before << " requests sent before SIGTERM, " << outstanding
            << " of them in flight (sent, not yet answered) when it was sent, " << kSlowClients
            << " of those still being uploaded\n"
            << "drain: clients: " << figures.sent << " sent, " << figures.complete << " complete, "
            << figures.not_read << " on connections closed before the server read them, "
            << figures.refused << " connections refused after the listener closed, " << figures.lost
            << " lost\n"
            << "drain: server: " << *report << "; access log: " << logged << " responses, "
            << dropped << " dropped\n";
  CHECK(figures.lost == 0);
  CHECK(figures.unexpected_status == 0);
  CHECK(figures.complete + figures.not_read == figures.sent);
  CHECK(logged + dropped == figures.complete);  // every response the server wrote was read whole
  CHECK(outstanding >= kSlowClients);
  CHECK(report->find(" 0 cut off") != std::string::npos);
  CHECK(figures.refused == kLoadClients);  // every load client ended on the closed listener
}
