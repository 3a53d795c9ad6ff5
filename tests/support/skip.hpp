// Skips that ctest sees: a doctest case whose input is absent calls `skip()` and returns. Once all
// cases ran, tests/doctest_main.cpp exits 77 (the SKIP_RETURN_CODE every doctest ctest carries)
// when nothing failed, or 1 under CI=true, as tests/support/skip.sh does for scripts.
//
//   if (!fs::exists(dir)) return oasgen::test::skip(dir.string() + " is absent");
#pragma once

#include <string>

namespace oasgen::test {

/// Records that the running case lacks its input; the test executable then reports a skip.
void skip(const std::string& reason);

}  // namespace oasgen::test
