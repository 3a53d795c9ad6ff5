#include "oasgen/rest/pagination.hpp"

#include <doctest/doctest.h>

#include <set>

using nlohmann::json;
using oasgen::CursorCodec;

namespace {
const std::string kSecret(32, 's');
}

TEST_CASE("a cursor decodes to the position it encoded") {
  const CursorCodec codec(kSecret, "products");
  const json position = {{"after", 41}, {"name", "z\"ebra/é"}};
  const std::string cursor = codec.encode(position);
  CHECK(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
        std::string::npos);
  CHECK(codec.decode(cursor) == position);
}

TEST_CASE("a cursor is refused when altered, truncated, foreign or oversized") {
  const CursorCodec codec(kSecret, "products");
  const std::string cursor = codec.encode({{"after", 41}});
  // Every single-character change anywhere is detected.
  for (std::size_t i = 0; i < cursor.size(); ++i) {
    std::string altered = cursor;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    CHECK_MESSAGE(!codec.decode(altered), "position " << i);
  }
  CHECK(!codec.decode(cursor.substr(0, cursor.size() - 1)));
  CHECK(!codec.decode(""));
  CHECK(!codec.decode("."));
  CHECK(!codec.decode(cursor.substr(0, cursor.find('.'))));
  CHECK(!codec.decode(cursor + "." + cursor));
  // Another listing, or another secret, does not accept it.
  CHECK(!CursorCodec(kSecret, "orders").decode(cursor));
  CHECK(!CursorCodec(std::string(32, 't'), "products").decode(cursor));
  CHECK(!codec.decode(std::string(5000, 'A') + cursor));
  // A forged payload with the original tag.
  const CursorCodec other(std::string(32, 'x'), "products");
  const std::string forged = other.encode({{"after", 0}});
  CHECK(!codec.decode(forged.substr(0, forged.find('.')) + cursor.substr(cursor.find('.'))));
}

TEST_CASE("a cursor secret must be long enough") {
  CHECK_THROWS_AS(CursorCodec(std::string(31, 's')), std::invalid_argument);
  CHECK_NOTHROW(CursorCodec(std::string(32, 's')));
}

TEST_CASE("page_limit falls back, clamps and never returns 0") {
  const oasgen::PageLimits limits{20, 100};
  CHECK(oasgen::page_limit(std::nullopt, limits) == 20);
  CHECK(oasgen::page_limit(7, limits) == 7);
  CHECK(oasgen::page_limit(100, limits) == 100);
  CHECK(oasgen::page_limit(101, limits) == 100);
  CHECK(oasgen::page_limit(INT64_MAX, limits) == 100);
  CHECK(oasgen::page_limit(0, limits) == 1);
  CHECK(oasgen::page_limit(-5, limits) == 1);
  CHECK(oasgen::page_limit(std::nullopt, {500, 100}) == 100);
}

TEST_CASE("with_query_parameter replaces every occurrence and keeps the other parameters") {
  using oasgen::with_query_parameter;
  CHECK(with_query_parameter("/products", "cursor", "a.b") == "/products?cursor=a.b");
  CHECK(with_query_parameter("/products?", "cursor", "x") == "/products?cursor=x");
  CHECK(with_query_parameter("/products?limit=10&cursor=old&tag=a%20b&cursor=older", "cursor",
                             "new") == "/products?limit=10&tag=a%20b&cursor=new");
  // Names compare decoded: an encoded "cursor" is the same parameter.
  CHECK(with_query_parameter("/p?%63ursor=old&q=1", "cursor", "n") == "/p?q=1&cursor=n");
  // The value is percent-encoded, so it cannot break out of the query or the Link's <>.
  CHECK(with_query_parameter("/p", "cursor", "a&b=c>d") == "/p?cursor=a%26b%3Dc%3Ed");
}

TEST_CASE("with_query_parameter percent-encodes what a URI may not hold as it is") {
  using oasgen::with_query_parameter;
  // A raw '>' in the target (servers accept it) must not end the Link reference early.
  CHECK(with_query_parameter("/p?x=a>;rel=\"evil\"<b", "cursor", "c") ==
        "/p?x=a%3E;rel=%22evil%22%3Cb&cursor=c");
  CHECK(with_query_parameter("/a b/{x}", "cursor", "c") == "/a%20b/%7Bx%7D?cursor=c");
  CHECK(with_query_parameter("/caf\xC3\xA9?q=%C3%A9", "cursor", "c") == "/caf%C3%A9?q=%C3%A9&cursor=c");
  // What a URI may hold stays as it is, escapes included.
  CHECK(with_query_parameter("/p/x:y@z?a=1;b=(2)*!$'~&c=%2F", "cursor", "c") ==
        "/p/x:y@z?a=1;b=(2)*!$'~&c=%2F&cursor=c");
  oasgen::Request request;
  request.target = "/products?x=a>;rel=\"evil\"";
  const std::string link = oasgen::link_header(request, "cursor", "c");
  CHECK(link == "</products?x=a%3E;rel=%22evil%22&cursor=c>; rel=\"next\"");
  CHECK(link.find('>') == link.size() - std::string("; rel=\"next\"").size() - 1);
}

TEST_CASE("link_header is an RFC 8288 link to the next page") {
  oasgen::Request request;
  request.method = "GET";
  request.target = "/v1/products?limit=2&category=tools";
  CHECK(oasgen::link_header(request, "cursor", "abc.def") ==
        "</v1/products?limit=2&category=tools&cursor=abc.def>; rel=\"next\"");
  CHECK(oasgen::link_header(request, "cursor", "abc", "prev") ==
        "</v1/products?limit=2&category=tools&cursor=abc>; rel=\"prev\"");
  CHECK_THROWS_AS(oasgen::link_header(request, "cursor", "abc", "next\"; x=\""),
                  std::invalid_argument);
  CHECK_THROWS_AS(oasgen::link_header(request, "cursor", "abc", ""), std::invalid_argument);
}

TEST_CASE("keyset pages over a changing table lose and repeat nothing") {
  // The pattern the header recommends: the cursor holds the last id served.
  const CursorCodec codec(kSecret, "rows");
  std::set<int> table;
  for (int id = 1; id <= 1000; ++id) table.insert(id * 2);
  std::set<int> seen;
  std::optional<std::string> cursor;
  int inserted = 1;
  while (true) {
    int after = 0;
    if (cursor) after = codec.decode(*cursor)->at("after").get<int>();
    auto it = table.upper_bound(after);
    int last = after;
    for (std::size_t n = 0; n < oasgen::page_limit(37) && it != table.end(); ++n, ++it) {
      CHECK(seen.insert(*it).second);
      last = *it;
    }
    // Rows arrive between pages, before and after the position.
    table.insert(inserted += 2);
    if (it == table.end()) break;
    cursor = codec.encode({{"after", last}});
  }
  for (int id = 1; id <= 1000; ++id) CHECK(seen.count(id * 2) == 1);
}
