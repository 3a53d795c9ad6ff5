#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace oasgen::test {
namespace {

std::system_error errno_error(const char* what) {
  return std::system_error(errno, std::generic_category(), what);
}

// Owns posix_spawn's file actions so that every exit path destroys them.
class FileActions {
 public:
  FileActions() {
    if (int rc = posix_spawn_file_actions_init(&actions_); rc != 0) {
      throw std::system_error(rc, std::generic_category(), "posix_spawn_file_actions_init");
    }
  }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args) {
  int fds[2];
  // O_CLOEXEC keeps both ends out of the child (dup2 onto fd 1 clears the flag there) and out of
  // any other child spawned concurrently.
  if (pipe2(fds, O_CLOEXEC) != 0) throw errno_error("pipe2");
  const int read_end = fds[0];
  const int write_end = fds[1];

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  int rc = 0;
  {
    FileActions actions;
    rc = posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(actions.get(), write_end, STDOUT_FILENO);
    if (rc == 0)
      rc = posix_spawn(&pid_, program.c_str(), actions.get(), nullptr, argv.data(), environ);
  }
  close(write_end);
  if (rc != 0) {
    close(read_end);
    throw std::system_error(rc, std::generic_category(), "posix_spawn " + program);
  }
  stdout_fd_ = read_end;
}

ChildProcess::~ChildProcess() {
  if (!status_) {
    ::kill(pid_, SIGKILL);
    int raw = 0;
    while (waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto newline = buffer_.find('\n'); newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (stdout_eof_) {
      if (buffer_.empty()) return std::nullopt;
      return std::exchange(buffer_, {});  // a last line without '\n'
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw errno_error("poll");
    if (ready == 0) return std::nullopt;
    char chunk[4096];
    const ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw errno_error("read");
    if (n == 0) stdout_eof_ = true;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

void ChildProcess::signal(int signo) {
  if (!status_ && ::kill(pid_, signo) != 0) throw errno_error("kill");
}

std::optional<ExitStatus> ChildProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!status_) {
    int raw = 0;
    const pid_t done = waitpid(pid_, &raw, WNOHANG);
    if (done < 0 && errno != EINTR) throw errno_error("waitpid");
    if (done == pid_) {
      ExitStatus status;
      if (WIFEXITED(raw)) status.code = WEXITSTATUS(raw);
      if (WIFSIGNALED(raw)) status.signal = WTERMSIG(raw);
      status_ = status;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Polling keeps this free of SIGCHLD handlers, which a test binary should not install.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

}  // namespace oasgen::test
