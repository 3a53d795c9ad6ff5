// The e2e tests trust ChildProcess to report what the server did, so it is checked against small
// system programs first.
#include "process.hpp"

#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <system_error>

using namespace std::chrono_literals;
using oasgen::test::ChildProcess;
using oasgen::test::ExitStatus;

TEST_CASE("process: reads the child's stdout line by line, then end of file") {
  ChildProcess child("/usr/bin/printf", {"one\\ntwo\\nlast"});
  CHECK(child.read_line(5s) == "one");
  CHECK(child.read_line(5s) == "two");
  CHECK(child.read_line(5s) == "last");
  CHECK(child.read_line(5s) == std::nullopt);
  const auto status = child.wait(5s);
  REQUIRE(status);
  CHECK(status->exited());
  CHECK(status->code == 0);
}

TEST_CASE("process: reports a non-zero exit code") {
  ChildProcess child("/bin/false", {});
  const auto status = child.wait(5s);
  REQUIRE(status);
  CHECK(status->code == 1);
  CHECK(status->signal == 0);
}

TEST_CASE("process: read_line and wait give up after their timeout") {
  ChildProcess child("/bin/sleep", {"30"});
  const auto start = std::chrono::steady_clock::now();
  CHECK(child.read_line(200ms) == std::nullopt);
  CHECK(child.wait(200ms) == std::nullopt);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed >= 400ms);
  CHECK(elapsed < 5s);
}

TEST_CASE("process: a signal ends the child and is reported") {
  ChildProcess child("/bin/sleep", {"30"});
  child.signal(SIGTERM);
  const auto status = child.wait(5s);
  REQUIRE(status);
  CHECK_FALSE(status->exited());
  CHECK(status->signal == SIGTERM);
  CHECK(child.wait(0ms)->signal == SIGTERM);
}

TEST_CASE("process: a program that does not exist cannot be spawned") {
  CHECK_THROWS_AS(ChildProcess("/nonexistent/oasgen-test-program", {}), std::system_error);
}
