// The ECMA-262 pattern translation and the runtime's Regex on it. The input's first file is the
// pattern, the rest (after a "==> subject <==" line) a subject to match. Properties: translation
// succeeds or says why; a pattern that translates either compiles or throws invalid_argument;
// matching answers (within the backtracking limits); never a crash.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <oasgen/validation.hpp>

#include "ecma_regex.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto files = oasgen::fuzz::split_files(oasgen::fuzz::text(data, size), "pattern");
  const std::string& pattern = files[0].second;
  std::string translated, error;
  const bool ok = oasgen::detail::translate_ecma_regex(pattern, translated, error);
  OASGEN_FUZZ_CHECK(ok || !error.empty(), "a refused pattern without a reason");
  std::string compile_error;
  pcre2_code* code = oasgen::detail::compile_ecma_regex(pattern, compile_error);
  OASGEN_FUZZ_CHECK(code || !compile_error.empty(), "a failed compile without a reason");
  OASGEN_FUZZ_CHECK(!code || ok, "compiled a pattern the translation refused");
  if (code) pcre2_code_free(code);
  try {
    const oasgen::Regex regex(pattern);
    OASGEN_FUZZ_CHECK(code != nullptr, "Regex accepted a pattern that does not compile");
    for (std::size_t i = 1; i < files.size(); ++i) (void)regex.match(files[i].second);
    (void)regex.match(pattern);
  } catch (const std::invalid_argument&) {
    OASGEN_FUZZ_CHECK(code == nullptr, "Regex refused a pattern that compiles");
  }
  return 0;
}
