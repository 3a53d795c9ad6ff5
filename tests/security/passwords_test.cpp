// Basic credentials against argon2id hashes.
#include <doctest/doctest.h>

#include <oasgen/security/passwords.hpp>

#include <ctime>

using oasgen::security::Argon2Params;
using oasgen::security::PasswordStore;

namespace {
// Cheap costs for the tests; the defaults are for production.
const Argon2Params kCheap{1, 1024, 1};
}  // namespace

TEST_CASE("passwords: hashes are salted argon2id in the encoded form") {
  const std::string a = oasgen::security::hash_password("hunter2", kCheap);
  const std::string b = oasgen::security::hash_password("hunter2", kCheap);
  CHECK(a.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0) == 0);
  CHECK(a != b);
  CHECK(oasgen::security::verify_password(a, "hunter2"));
  CHECK(oasgen::security::verify_password(b, "hunter2"));
  CHECK_FALSE(oasgen::security::verify_password(a, "hunter3"));
  CHECK_FALSE(oasgen::security::verify_password(a, ""));
  CHECK_FALSE(oasgen::security::verify_password("$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
                                                "hunter2"));
  CHECK_FALSE(oasgen::security::verify_password("plain", "plain"));
  // The defaults: RFC 9106's second recommendation, with one lane.
  CHECK(oasgen::security::hash_password("x").rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0) == 0);
}

TEST_CASE("passwords: users are admitted with the right password only") {
  PasswordStore users;
  users.add_user("alice", oasgen::security::hash_password("wonderland", kCheap), {"pets:read"});
  users.add_user("bob", oasgen::security::hash_password("builder", kCheap), {}, "user-42");
  CHECK(users.check("alice", "wonderland")->subject == "alice");
  CHECK(users.check("bob", "builder")->subject == "user-42");
  CHECK_FALSE(users.check("alice", "builder"));
  CHECK_FALSE(users.check("carol", "wonderland"));
  CHECK_FALSE(users.check("alice", std::string(2000, 'w')));

  oasgen::SecurityScheme scheme;
  scheme.name = "basicAuth";
  scheme.scheme = "basic";
  oasgen::Request request;
  const std::string_view read[] = {"pets:read"};
  const oasgen::AuthCheck check{"listPets", scheme, {read, 1}, request};
  oasgen::AuthResult result = users.authenticate({"alice", "wonderland"}, check);
  REQUIRE(result.admitted());
  CHECK(result.identity().scopes == std::vector<std::string>{"pets:read"});
  CHECK(users.authenticate({"bob", "builder"}, check).outcome() ==
        oasgen::AuthResult::Outcome::InsufficientScope);
  const oasgen::AuthResult wrong = users.authenticate({"alice", "x"}, check);
  const oasgen::AuthResult unknown = users.authenticate({"carol", "x"}, check);
  CHECK(wrong.outcome() == oasgen::AuthResult::Outcome::Rejected);
  CHECK(wrong.description() == unknown.description());
}

TEST_CASE("passwords: an unknown user costs a verification too") {
  const Argon2Params costly{2, 16 * 1024, 1};
  PasswordStore users;
  users.add_user("alice", oasgen::security::hash_password("wonderland", costly));
  // This thread's processor time, not the clock: the work done, whatever else runs on the machine.
  auto cpu_seconds = [] {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
  };
  auto work = [&](const char* user) {
    const double start = cpu_seconds();
    for (int i = 0; i < 5; ++i) CHECK_FALSE(users.check(user, "nope"));
    return cpu_seconds() - start;
  };
  const double known = work("alice");
  const double unknown = work("mallory");
  // The same work: an unknown user costs at least half what a known one does (a map lookup alone
  // would cost a thousandth).
  CHECK(unknown * 2 > known);
}

TEST_CASE("passwords: hashes that are not argon2id, or too costly, are refused") {
  PasswordStore users;
  CHECK_THROWS_AS(users.add_user("a", "plaintext"), std::invalid_argument);
  CHECK_THROWS_AS(users.add_user("a", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA"),
                  std::invalid_argument);
  CHECK_THROWS_AS(users.add_user("a", "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHQ$aGFzaA"),
                  std::invalid_argument);
  CHECK_FALSE(users.check("a", "plaintext"));  // no user at all
}
