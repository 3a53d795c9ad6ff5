#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oasgen/json.hpp"
#include "oasgen/optional.hpp"

using oasgen::Optional;

namespace {

// Counts live instances, to prove that Optional constructs and destroys exactly once.
struct Tracked {
  static inline int live = 0;
  int value = 0;
  explicit Tracked(int v) : value(v) { ++live; }
  Tracked(const Tracked& other) : value(other.value) { ++live; }
  Tracked(Tracked&& other) noexcept : value(other.value) { ++live; }
  Tracked& operator=(const Tracked&) = default;
  Tracked& operator=(Tracked&&) = default;
  ~Tracked() { --live; }
};

struct Node {
  Optional<std::string> name;
  Optional<std::vector<Node>> children;
};

}  // namespace

TEST_CASE("Optional: empty, engaged, reset") {
  Optional<std::string> text;
  CHECK_FALSE(text);
  CHECK_FALSE(text.has_value());
  CHECK(text == std::nullopt);
  CHECK(text.value_or("fallback") == "fallback");
  CHECK_THROWS_AS(text.value(), std::bad_optional_access);

  text = "literal";
  REQUIRE(text);
  CHECK(*text == "literal");
  CHECK(text->size() == 7);
  CHECK(text == std::string("literal"));
  CHECK(text != std::string("other"));

  text = std::nullopt;
  CHECK_FALSE(text);
  text.emplace(3, 'x');
  CHECK(text.value() == "xxx");
  text.reset();
  CHECK(text == Optional<std::string>());
}

TEST_CASE("Optional: copies and moves construct and destroy once") {
  REQUIRE(Tracked::live == 0);
  {
    Optional<Tracked> a = Tracked(1);
    CHECK(Tracked::live == 1);
    Optional<Tracked> b = a;
    CHECK(Tracked::live == 2);
    Optional<Tracked> c = std::move(b);
    CHECK(Tracked::live == 3);  // a moved-from value is still a value
    c = std::nullopt;
    CHECK(Tracked::live == 2);
    c = a;
    CHECK(c->value == 1);
    a = Optional<Tracked>();
    CHECK(Tracked::live == 2);
    a = a;  // self-assignment keeps the state
    CHECK_FALSE(a);
  }
  CHECK(Tracked::live == 0);
}

TEST_CASE("Optional: JSON null is empty, a value round-trips") {
  Node node;
  node.name = "root";
  node.children = std::vector<Node>{Node{}, Node{}};
  (*node.children)[0].name = "leaf";
  nlohmann::json json = {{"name", node.name}, {"missing", Optional<int>()}};
  CHECK(json == nlohmann::json{{"name", "root"}, {"missing", nullptr}});

  auto read = nlohmann::json(nullptr).get<Optional<int>>();
  CHECK_FALSE(read);
  read = nlohmann::json(42).get<Optional<int>>();
  CHECK(read == 42);
  CHECK(read.to_std() == std::optional<int>(42));
}

namespace {
std::string held(const std::optional<std::string>& text) { return text.value_or("(none)"); }
}  // namespace

TEST_CASE("Optional: converts from and to std::optional both ways") {
  Optional<std::string> name = "rex";
  CHECK(held(name) == "rex");  // an argument of type const std::optional<T>&
  std::optional<std::string> copy = name;
  CHECK(copy == std::optional<std::string>("rex"));
  copy = Optional<std::string>();
  CHECK_FALSE(copy);

  Optional<std::string> back = std::optional<std::string>("fido");
  CHECK(back == "fido");
  back = std::optional<std::string>();
  CHECK_FALSE(back);
  CHECK(held(back) == "(none)");

  std::optional<std::string> moved = std::move(name);
  CHECK(moved == std::optional<std::string>("rex"));
}
