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

/// Text for one Markdown line (a heading, a list item): as markdown_text, with line breaks as spaces.
std::string markdown_inline(std::string_view text);

/// Text for a Markdown table cell: as markdown_text (which escapes `|`), with line breaks as `<br>`.
std::string markdown_table_cell(std::string_view text);

/// A fenced Markdown code block holding `text` verbatim: the fence is longer than any run of
/// backticks in the text, so nothing in it can close the block. `info` is ours ("json"), not spec text.
std::string markdown_code_block(std::string_view text, std::string_view info);

/// Serialised JSON made safe inside an HTML `<script type="application/json">` element: `<`, `>`
/// and `&` become \u003c, \u003e, \u0026 (so no `</script>` or `<!--` can appear), U+2028/U+2029
/// become \u2028/\u2029. The result is the same JSON value.
std::string json_for_script(std::string_view json_text);

/// RFC 6901 escaping of one reference token ("a/b~c" -> "a~1b~0c").
std::string json_pointer_token(std::string_view token);
void append_json_pointer_token(std::string& out, std::string_view token);

}  // namespace oasgen
