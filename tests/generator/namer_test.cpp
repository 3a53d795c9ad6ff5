#include <doctest/doctest.h>

#include <stdexcept>

#include "naming/namer.hpp"

using namespace oasgen::naming;

TEST_CASE("namer: spec names fold to C++ spellings") {
  struct Case {
    const char* name;
    const char* snake;
    const char* pascal;
    const char* constant;
  };
  const Case cases[] = {
      {"petId", "pet_id", "PetId", "kPetId"},
      {"pet_id", "pet_id", "PetId", "kPetId"},
      {"pet-id", "pet_id", "PetId", "kPetId"},
      {"HTTPServer", "http_server", "HttpServer", "kHttpServer"},
      {"X-Request-Id", "x_request_id", "XRequestId", "kXRequestId"},
      {"2fa", "n2fa", "N2fa", "k2fa"},
      {"class", "class_", "Class", "kClass"},
      {"delete", "delete_", "Delete", "kDelete"},
      {"errno", "errno_", "Errno", "kErrno"},
      {"NULL", "null", "Null", "kNull"},
      {"linux", "linux_", "Linux", "kLinux"},
      {"std", "std_", "Std", "kStd"},
      {"*/", "unnamed", "Unnamed", "kUnnamed"},
      {"é", "u00e9", "U00e9", "kU00e9"},
      {"int32", "int32", "Int32", "kInt32"},
      {"a.b c", "a_b_c", "ABC", "kABC"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(snake_case(c.name) == c.snake);
    CHECK(pascal_case(c.name) == c.pascal);
    CHECK(constant_case(c.name) == c.constant);
  }
}

TEST_CASE("namer: words split at separators, case changes and non-ASCII") {
  CHECK(split_words("petID-list") == std::vector<std::string>{"pet", "ID", "list"});
  CHECK(split_words("getHTTPResponse2") == std::vector<std::string>{"get", "HTTP", "Response2"});
  CHECK(split_words("日本") == std::vector<std::string>{"u65e5", "u672c"});
  CHECK(split_words("  ").empty());
}

TEST_CASE("namer: every name it returns is a safe identifier") {
  for (const char* name : {"class", "NULL", "2fa", "", "__x", "_Y", "a__b", "🐶", "?\?/", "assert"}) {
    CAPTURE(name);
    CHECK(is_safe_identifier(snake_case(name)));
    CHECK(is_safe_identifier(pascal_case(name)));
    CHECK(is_safe_identifier(constant_case(name)));
  }
  CHECK_FALSE(is_safe_identifier("a__b"));
  CHECK_FALSE(is_safe_identifier("_Upper"));
  CHECK_FALSE(is_safe_identifier("9lives"));
  CHECK_FALSE(is_safe_identifier("errno"));
}

TEST_CASE("namer: a scope resolves collisions in a stable order") {
  Scope scope;
  scope.reserve("Handler");
  CHECK(scope.claim("Pet") == "Pet");
  CHECK(scope.claim("Pet") == "Pet2");
  CHECK(scope.claim("Pet") == "Pet3");
  CHECK(scope.claim("Handler") == "Handler2");
  CHECK_THROWS_AS(scope.claim("class"), std::logic_error);
}
