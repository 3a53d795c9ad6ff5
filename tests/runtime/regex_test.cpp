#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "oasgen/validation.hpp"

using oasgen::Regex;

TEST_CASE("regex: ECMA-262 search semantics") {
  struct Case {
    std::string pattern, subject;
    bool matches;
  };
  std::vector<Case> cases = {
      {"[a-z]+", "123abc456", true},  // not anchored
      {"^[a-z]+$", "abc", true},
      {"^[a-z]+$", "abc\n", false},  // `$` is the very end, as in JavaScript
      {"^a.c$", "a\nc", false},      // `.` does not match a line terminator
      {"^\\d+$", "123", true},
      {"^\\d+$", "\xD9\xA3", false},    // ARABIC-INDIC DIGIT THREE is not \d
      {"^\\w+$", "\xC3\xA9", false},    // \w is ASCII
      {"^\\u00e9$", "\xC3\xA9", true},  // \uXXXX
      {"^\\u{1F600}$", "\xF0\x9F\x98\x80", true},
      {"^.$", "\xF0\x9F\x98\x80", true},  // one code point
      {"^\\x41$", "A", true},
      {"^\\p{L}+$", "\xC3\xA9t\xC3\xA9", true},
      {"^[^a]$", "\xFF", false},  // invalid UTF-8 is not a character
      {"(?<year>\\d{4})-\\k<year>", "2020-2020", true},
      {"^a.c$", "a\xE2\x80\xA8" "c", false},      // nor U+2028 LINE SEPARATOR
      {"^\\s$", "\xC2\xA0", true},             // \s is Unicode white space: NO-BREAK SPACE
      {"^\\s$", "\xEF\xBB\xBF", true},        // and U+FEFF
      {"^\\S$", "\xC2\xA0", false},
      {"^[\\s]$", "\xE3\x80\x80", true},       // inside a class too: IDEOGRAPHIC SPACE
      {"^[\\s\\S]+$", "a\nb", true},           // the "anything" idiom
      {"^[^\\S]$", " ", true},
      {"^[^\\S]$", "a", false},
      {"^[^\\Sx]$", "\t", true},
      {"^[a\\S]$", "\xC2\xA0", false},
      {"^\\v$", "\x0B", true},                  // \v is VERTICAL TAB only
      {"^\\v$", "\n", false},
      {"^\\uD83D\\uDE00$", "\xF0\x9F\x98\x80", true},  // a surrogate pair is one code point
      {"^[^]$", "\n", true},                      // [^] is any character
      {"^a[]$", "a", false},                       // [] matches nothing
      {"^(a)\\1$", "aa", true},
      {"^\\cJ$", "\n", true},
      {"^a{2}$", "aa", true},
      {"^a{$", "a{", true},                        // a brace that is not a quantifier is literal
      {"^[[:alpha:]]$", ":]", true},                // the class ends at the first ], no POSIX class
      {"^\\/$", "/", true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pattern);
    CAPTURE(c.subject);
    CHECK(Regex(c.pattern).search(c.subject) == c.matches);
  }
}

TEST_CASE("regex: a pattern that does not compile throws with PCRE2's message") {
  try {
    Regex regex("a(b");
    FAIL("no exception");
  } catch (const std::invalid_argument& error) {
    CHECK(std::string(error.what()) ==
          "invalid regular expression at offset 3: missing closing parenthesis");
  }
}

TEST_CASE("regex: syntax that PCRE2 has and ECMA-262 does not is refused") {
  struct Case {
    std::string pattern, message;
  };
  std::vector<Case> cases = {
      {"^\\S(|(.|\\n)*\\S)\\Z", "'\\Z' is not an ECMA-262 escape at offset 15"},
      {"\\Aabc", "'\\A' is not an ECMA-262 escape at offset 0"},
      {"a++", "a quantifier cannot follow a quantifier at offset 2"},
      {"(?>a)", "'(?>' is not ECMA-262 syntax at offset 0"},
      {"(?i)a", "'(?i' is not ECMA-262 syntax at offset 0"},
      {"[a", "missing terminating ] for character class at offset 2"},
      {"\\uD800", "a lone surrogate cannot match UTF-8 text at offset 0"},
      {"a\\", "'\\' at the end of the pattern at offset 1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pattern);
    try {
      Regex regex(c.pattern);
      FAIL("no exception");
    } catch (const std::invalid_argument& error) {
      CHECK(std::string(error.what()) == c.message);
    }
  }
}

TEST_CASE("regex: match tells a limit hit from no match") {
  Regex regex("^(a+)+$");
  CHECK(regex.match(std::string(50, 'a') + "b") == Regex::Result::LimitExceeded);
  CHECK(regex.match("b") == Regex::Result::NoMatch);
  CHECK(regex.match("aaa") == Regex::Result::Match);
}

TEST_CASE("regex: catastrophic backtracking stops at the match limit, within milliseconds") {
  Regex regex("^(a+)+$");
  std::string subject(50, 'a');
  subject += 'b';
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(regex.search(subject));
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  MESSAGE("gave up after " << took.count() << " ms");
  CHECK(took.count() < 200);  // the margin absorbs a loaded machine; unbounded it would be years
  oasgen::Validator validator;
  validator.pattern(subject, regex);
  REQUIRE(validator.errors().size() == 1);
  CHECK(validator.errors()[0].message == "pattern could not be evaluated within limits");
  CHECK(regex.search(std::string(50, 'a')));
}

TEST_CASE("regex: search is safe from several threads") {
  Regex regex("^[0-9]+-[a-z]+$");
  std::vector<std::thread> threads;
  std::vector<int> matches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        if (regex.search(std::to_string(i) + (i % 2 == 0 ? "-abc" : "-ABC"))) ++matches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(matches == std::vector<int>(4, 500));
}
