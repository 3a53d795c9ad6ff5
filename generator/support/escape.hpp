// Escapers: every spec string goes through the one for where it lands, so that no spec text can
// end a comment, end a string literal or inject code or markup.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace oasgen {

/// Text as the lines of a `//` comment (without the `// ` prefix): split at line breaks, control
/// characters and trailing backslashes (line splices) neutralised, `??` trigraph starts broken up,
/// invalid UTF-8 replaced by U+FFFD. Empty for blank text.
std::vector<std::string> cpp_comment_lines(std::string_view text);

/// A complete C++ narrow string literal with its quotes: `"a\"b\n"`; bytes outside printable ASCII
/// as 3-digit octal escapes; `?` escaped where it would start a trigraph.
std::string cpp_string_literal(std::string_view text);

/// Text for Markdown prose: Markdown and HTML metacharacters escaped, line breaks kept.
std::string markdown_text(std::string_view text);

/// Text for HTML element content or a quoted attribute value: & < > " ' escaped.
std::string html_text(std::string_view text);

/// RFC 6901 escaping of one reference token ("a/b~c" -> "a~1b~0c").
std::string json_pointer_token(std::string_view token);

}  // namespace oasgen
