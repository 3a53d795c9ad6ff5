// Patterns written for another regex dialect (Java, PCRE), read as ECMA-262 where the meaning is
// clear. JSON Schema patterns are ECMA-262, but real documents carry Java's POSIX classes
// (`\p{Alnum}`), `\p{IsLetter}` and `\A`/`\z`; the lenient reading translates those and nothing else.
#pragma once

#include <optional>
#include <string>

namespace oasgen::model {

/// `pattern` with the foreign constructs it uses replaced by their ECMA-262 spelling: Java's
/// POSIX classes (`\p{Alnum}`, `\p{Print}`, ... ASCII, as Java defines them) and `\p{IsLetter}`,
/// `\p{IsDigit}`, `\p{IsAlphabetic}`, outside or inside a character class; `\P{...}` outside one;
/// `\A`, `\z` and `\Z` outside one. nullopt when the pattern has none of them, or one without a
/// clear ECMA-262 meaning (a negated class inside a class, an intersection `&&[...]`).
std::optional<std::string> translate_foreign_pattern(const std::string& pattern);

}  // namespace oasgen::model
