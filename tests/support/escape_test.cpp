#include "support/escape.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace std::string_literals;
using oasgen::cpp_comment_lines;
using oasgen::cpp_string_literal;
using oasgen::html_text;
using oasgen::json_pointer_token;
using oasgen::markdown_text;

using Lines = std::vector<std::string>;

TEST_CASE("escape: cpp_comment_lines splits at every line break") {
  CHECK(cpp_comment_lines("") == Lines{});
  CHECK(cpp_comment_lines(" \n\t\n") == Lines{});
  CHECK(cpp_comment_lines("a\nb") == Lines{"a", "b"});
  CHECK(cpp_comment_lines("a\r\nb\rc") == Lines{"a", "b", "c"});
  CHECK(cpp_comment_lines("a\vb\fc") == Lines{"a", "b", "c"});
  CHECK(cpp_comment_lines("x\u2028y\u2029z\u0085w") == Lines{"x", "y", "z", "w"});
  CHECK(cpp_comment_lines("\n\npara\n\nnext\n\n") == Lines{"para", "", "next"});
}

TEST_CASE("escape: cpp_comment_lines never ends a line with a line splice") {
  CHECK(cpp_comment_lines("C:\\dir\\") == Lines{"C:\\dir\\."});
  CHECK(cpp_comment_lines("ends \\   \nnext") == Lines{"ends \\.", "next"});
  CHECK(cpp_comment_lines("a\\\r\nb\\\t") == Lines{"a\\.", "b\\."});
  CHECK(cpp_comment_lines("what?\?/\nint evil;") == Lines{"what? ?/", "int evil;"});
  CHECK(cpp_comment_lines("????") == Lines{"? ? ? ?"});
}

TEST_CASE("escape: cpp_comment_lines replaces controls and invalid UTF-8") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(cpp_comment_lines("tab\there") == Lines{"tab here"});
  CHECK(cpp_comment_lines("nul\0x"s) == Lines{"nul" + fffd + "x"});
  CHECK(cpp_comment_lines("\x1b[31mred") == Lines{fffd + "[31mred"});
  CHECK(cpp_comment_lines("bad \xFF byte") == Lines{"bad " + fffd + " byte"});
  CHECK(cpp_comment_lines("cut \xE2\x82") == Lines{"cut " + fffd + fffd});
  CHECK(cpp_comment_lines("overlong \xC0\xAF") == Lines{"overlong " + fffd + fffd});
  CHECK(cpp_comment_lines("bidi \u202Eevil") == Lines{"bidi " + fffd + "evil"});
  CHECK(cpp_comment_lines("caf\u00e9 \U0001F600") == Lines{"caf\u00e9 \U0001F600"});
}

TEST_CASE("escape: cpp_comment_lines leaves harmless comment text alone") {
  CHECK(cpp_comment_lines("*/ int x; /* #include <cstdlib> // \"q\" 'c' </script>") ==
        Lines{"*/ int x; /* #include <cstdlib> // \"q\" 'c' </script>"});
}

// Reads a literal back the way a C++ compiler would (octal escapes take up to three digits);
// nullopt when the literal is not a plain, ASCII-only, trigraph-free one.
std::optional<std::string> read_literal(const std::string& literal) {
  if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
    const char c = literal[i];
    if (c < 0x20 || c > 0x7E || c == '"') return std::nullopt;
    if (c == '?' && literal[i + 1] == '?') return std::nullopt;
    if (c != '\\') {
      out += c;
      continue;
    }
    const char e = literal[++i];
    if (e == '"' || e == '\\' || e == '?') {
      out += e;
    } else if (e == 'n') {
      out += '\n';
    } else if (e == 'r') {
      out += '\r';
    } else if (e == 't') {
      out += '\t';
    } else if (e >= '0' && e <= '7') {
      int value = 0;
      int digits = 0;
      for (; digits < 3 && literal[i] >= '0' && literal[i] <= '7'; ++digits, ++i) {
        value = value * 8 + (literal[i] - '0');
      }
      --i;
      out += static_cast<char>(value);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

TEST_CASE("escape: cpp_string_literal spells hostile text exactly") {
  CHECK(cpp_string_literal("") == "\"\"");
  CHECK(cpp_string_literal("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(cpp_string_literal("line\nnext\r\t") == "\"line\\nnext\\r\\t\"");
  CHECK(cpp_string_literal("?\?/") == "\"?\\?/\"");
  CHECK(cpp_string_literal("?\?\?=") == "\"?\\?\\?=\"");
  CHECK(cpp_string_literal("a\0"s
                           "1") == "\"a\\0001\"");
  CHECK(cpp_string_literal("\u00e9\x7f") == "\"\\303\\251\\177\"");
  CHECK(cpp_string_literal("*/ /* #include <x> </script>") == "\"*/ /* #include <x> </script>\"");
}

TEST_CASE("escape: cpp_string_literal round-trips every byte") {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  const std::string inputs[] = {all_bytes,
                                "\0"s
                                "0\0"s
                                "7\x01"
                                "8",
                                "?\?/\n\"\\\\\"",
                                "\xFF\xFE 1",
                                "trail\\",
                                "?",
                                "??",
                                "a?b??c???"};
  for (const std::string& input : inputs) {
    CAPTURE(input);
    CHECK(read_literal(cpp_string_literal(input)) == input);
  }
}

TEST_CASE("escape: markdown_text escapes markup and HTML") {
  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {"plain words.", "plain words."},
      {"a*b_c `d`", "a\\*b\\_c \\`d\\`"},
      {"# Title", "\\# Title"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"[x](http://e) ![i](j)", "\\[x\\](http://e) \\!\\[i\\](j)"},
      {"a & b | c", "a &amp; b \\| c"},
      {"-+{}\\~=", "\\-\\+\\{\\}\\\\\\~\\="},
      {"1. item\n12) item\nv1.2", "1\\. item\n12\\) item\nv1.2"},
      {"line\r\nnext\rlast", "line\nnext\nlast"},
      {"caf\u00e9", "caf\u00e9"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(markdown_text(c.input) == c.expected);
  }
}

TEST_CASE("escape: html_text escapes element and attribute metacharacters") {
  CHECK(html_text("<a href=\"x\" onclick='y'>&amp;</a>") ==
        "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  CHECK(html_text("</script><!--") == "&lt;/script&gt;&lt;!--");
  CHECK(html_text("caf\u00e9 */") == "caf\u00e9 */");
}

TEST_CASE("escape: json_pointer_token follows RFC 6901") {
  CHECK(json_pointer_token("a/b~c") == "a~1b~0c");
  CHECK(json_pointer_token("~1") == "~01");
  CHECK(json_pointer_token("/pets/{id}") == "~1pets~1{id}");
  CHECK(json_pointer_token("") == "");
}

TEST_CASE("escape: markdown_inline and markdown_table_cell keep text on its line or in its cell") {
  CHECK(oasgen::markdown_inline("a\nb\r\n<c>") == "a b &lt;c&gt;");
  CHECK(oasgen::markdown_table_cell("a | b\nc") == "a \\| b<br>c");
  CHECK(oasgen::markdown_table_cell("<br>\n") == "&lt;br&gt;<br>");
  CHECK(oasgen::markdown_table_cell("") == "");
}

TEST_CASE("escape: markdown_code_block uses a fence no backtick run in the text can close") {
  CHECK(oasgen::markdown_code_block("{\"a\": 1}", "json") == "```json\n{\"a\": 1}\n```\n");
  CHECK(oasgen::markdown_code_block("x ``` y\n", "") == "````\nx ``` y\n````\n");
  CHECK(oasgen::markdown_code_block("`````", "text") == "``````text\n`````\n``````\n");
  CHECK(oasgen::markdown_code_block("", "json") == "```json\n```\n");
}

TEST_CASE("escape: json_for_script leaves nothing that can end a script element") {
  CHECK(oasgen::json_for_script(R"({"a":"</script><!--&"})") ==
        R"({"a":"\u003c/script\u003e\u003c!--\u0026"})");
  CHECK(oasgen::json_for_script(R"(["\\<"])") == R"(["\\\u003c"])");
  CHECK(oasgen::json_for_script("[\"\u2028\u2029\"]") == R"(["\u2028\u2029"])");
  CHECK(oasgen::json_for_script(R"({"caf\u00e9":1})") == R"({"caf\u00e9":1})");
}
