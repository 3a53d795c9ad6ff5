// For skip_selftest.sh: a doctest executable whose one case lacks its input. It must exit 77, or 1
// under CI=true; with --no-skip (its failing case runs too), the failure must win over the skip.
#include <doctest/doctest.h>

#include "skip.hpp"

TEST_CASE("skip self-test: a case without its input") {
  CHECK(true);
  return oasgen::test::skip("the input of this self-test is absent on purpose");
}

TEST_CASE("skip self-test: a case that fails" * doctest::skip()) { CHECK(false); }
