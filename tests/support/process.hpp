// A child process for end-to-end tests: spawned without a shell, its stdout read line by line with
// a timeout, stopped with a signal and reaped with a bounded wait.
//
//   oasgen::test::ChildProcess server(PETSTORE_SERVER, {"--port", "0"});
//   std::optional<std::string> line = server.read_line(std::chrono::seconds(10));
//   server.signal(SIGTERM);
//   std::optional<oasgen::test::ExitStatus> status = server.wait(std::chrono::seconds(10));
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace oasgen::test {

/// How a child process ended.
struct ExitStatus {
  int code = -1;   ///< the exit code when the process exited, else -1
  int signal = 0;  ///< the signal that killed it, else 0

  bool exited() const { return signal == 0; }
};

/// A running child process whose stdout is a pipe to us; stdin is /dev/null, stderr is inherited.
class ChildProcess {
 public:
  /// Starts `program` (a path; PATH is not searched) with `args` as argv[1..]. Throws
  /// std::system_error when it cannot be started.
  ChildProcess(const std::string& program, const std::vector<std::string>& args);
  /// Kills (SIGKILL) and reaps the child if it is still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  /// The next line of the child's stdout, without its '\n' (the last line may lack one); nullopt at
  /// end of file or when no whole line arrives within `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  /// Sends `signo` to the child; does nothing once it has been reaped.
  void signal(int signo);

  /// Waits up to `timeout` for the child to end; nullopt if it is still running. Once it has ended,
  /// every call returns the same status.
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;  // bytes read from stdout past the last line returned
  bool stdout_eof_ = false;
  std::optional<ExitStatus> status_;
};

}  // namespace oasgen::test
