// ECMA-262 regular expressions on PCRE2: the translation and the compile options that give
// JSON Schema's `pattern` its JavaScript meaning. Shared by the runtime's `Regex` and by the
// generator, which compiles every pattern once at generation time to report the ones that do not
// compile (the generator builds this one file; it does not link the runtime).
#pragma once

#include <string>
#include <string_view>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

namespace oasgen::detail {

/// Rewrites an ECMA-262 pattern (as JSON Schema's `pattern` and `patternProperties` use them, with
/// the `u` flag's escapes) into PCRE2 syntax with the same meaning: `.` stops at all four ECMA-262
/// line terminators, `\s` is ECMA-262's Unicode white space, `\uXXXX` (surrogate pairs included)
/// and `\u{...}` become code points. Syntax that PCRE2 accepts but ECMA-262 does not (`\A`, `\Z`,
/// `(?>...)`, possessive quantifiers, ...) is refused. Returns false with `error` set when the
/// pattern is not ECMA-262.
bool translate_ecma_regex(std::string_view pattern, std::string& out, std::string& error);

/// Translates and compiles `pattern` with the options that keep ECMA-262 semantics (UTF, no UCP so
/// that \d, \w and \b stay ASCII, `$` only at the very end, `[^]` matches any character). nullptr
/// with `error` set ("... at offset N: ...") when it does not compile.
pcre2_code* compile_ecma_regex(std::string_view pattern, std::string& error);

}  // namespace oasgen::detail
