// oasgen::JsonWriter: the text is byte for byte what nlohmann::json(value).dump() gives (with
// invalid UTF-8 replaced), for edge numbers, every kind of string and the vocabulary containers.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <oasgen/json_writer.hpp>
#include <oasgen/optional.hpp>

namespace {

template <typename T>
std::string dumped(const T& value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <typename T>
void check_same(const T& value) {
  const std::string expected = dumped(value);
  CHECK(oasgen::to_json_text(value) == expected);
}

}  // namespace

TEST_CASE("json writer: edge doubles are spelled as nlohmann spells them") {
  using limits = std::numeric_limits<double>;
  for (double value : {0.0,
                       -0.0,
                       1.0,
                       -1.0,
                       0.1,
                       1.5,
                       1e20,
                       1e21,
                       1e-7,
                       1e-5,
                       123456789012345678.0,
                       3.141592653589793,
                       1.0 / 3.0,
                       2.5e-300,
                       limits::max(),
                       limits::lowest(),
                       limits::min(),
                       limits::denorm_min(),
                       limits::epsilon(),
                       9007199254740993.0,
                       limits::infinity(),
                       -limits::infinity(),
                       limits::quiet_NaN()}) {
    CAPTURE(value);
    check_same(value);
  }
  CHECK(oasgen::to_json_text(1.0) == "1.0");
  CHECK(oasgen::to_json_text(1e20) == "1e+20");
  CHECK(oasgen::to_json_text(-0.0) == "-0.0");
  CHECK(oasgen::to_json_text(std::nan("")) == "null");
}

TEST_CASE("json writer: random doubles and integers match dump") {
  std::mt19937_64 random(15);
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t bits = random();
    double value;
    static_assert(sizeof value == sizeof bits);
    std::memcpy(&value, &bits, sizeof value);
    CAPTURE(bits);
    check_same(value);
    check_same(static_cast<double>(static_cast<std::int64_t>(bits) >> (bits % 64)));
    check_same(static_cast<std::int64_t>(bits));
    check_same(static_cast<std::int32_t>(bits));
  }
  check_same(std::numeric_limits<std::int64_t>::min());
  check_same(std::numeric_limits<std::int64_t>::max());
  check_same(std::numeric_limits<std::int32_t>::min());
}

TEST_CASE("json writer: strings are escaped as dump escapes them") {
  for (const char* text :
       {"", "plain", "quote \" and backslash \\", "\b\f\n\r\t", "\x01\x1f\x7f", "caf\xc3\xa9",
        "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x90\xb6", "</script>",
        // invalid: a lone continuation, a truncated sequence, an overlong '/',
        // a surrogate, past U+10FFFF, a byte that never occurs
        "a\x80z", "\xe6\x97", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff",
        "ok \xe6\x97\xa5 then \xe6\x97 bad"}) {
    CAPTURE(text);
    check_same(std::string(text));
  }
  check_same(std::string("nul \0 inside", 12));
}

TEST_CASE("json writer: random byte strings match dump, valid UTF-8 or not") {
  std::mt19937 random(15);
  // Bytes drawn mostly from the interesting ranges: ASCII controls, quotes, UTF-8 lead and
  // continuation bytes.
  const std::string alphabet = std::string("a\"\\\n\x01\x1f\x7f", 7) +
                               "\x80\x9f\xa0\xbf\xc2\xdf\xe0\xed\xef\xf0\xf4\xf5\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int length = static_cast<int>(random() % 12);
    for (int j = 0; j < length; ++j) text += alphabet[random() % alphabet.size()];
    CAPTURE(text);
    check_same(text);
  }
}

TEST_CASE("json writer: containers, optionals, files and free-form values") {
  check_same(std::vector<std::int64_t>{});
  check_same(std::vector<std::int64_t>{1, -2, 3});
  check_same(std::vector<bool>{true, false});
  check_same(std::vector<std::vector<double>>{{1.0, 2.5}, {}, {-0.0}});
  check_same(std::map<std::string, std::string>{});
  check_same(std::map<std::string, std::int32_t>{{"b", 2}, {"a", 1}, {"\xc3\xa9", 3}, {"A", 0}});
  check_same(std::optional<std::string>{});
  check_same(std::optional<std::string>{"x"});
  check_same(oasgen::Optional<double>{});
  check_same(oasgen::Optional<double>{2.0});
  check_same(std::vector<std::optional<std::int64_t>>{std::nullopt, 4});
  check_same(
      std::map<std::string, std::vector<oasgen::Optional<bool>>>{{"k", {true, std::nullopt}}});
  check_same(nlohmann::json::parse(R"({"z": [1, 2.0, "x\u0001"], "a": null, "m": {"b": true}})"));
  check_same(nlohmann::json());
  oasgen::File file;
  file.data = "bytes \xff";
  file.filename = "f.bin";
  CHECK(oasgen::to_json_text(file) == dumped(file));
}

TEST_CASE("json writer: an object writer places commas and braces") {
  std::string out;
  oasgen::JsonObjectWriter object(out);
  object.end();
  CHECK(out == "{}");
  out.clear();
  oasgen::JsonObjectWriter two(out);
  two.member("\"a\"", std::int64_t{1});
  two.member("\"b\"", std::string("x"));
  two.end();
  CHECK(out == R"({"a":1,"b":"x"})");
}
