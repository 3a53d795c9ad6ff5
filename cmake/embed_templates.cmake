# Writes OUTPUT: a C++ source defining oasgen::render::builtin_templates(), one entry per
# TEMPLATE_DIR/*.mustache, so that the oasgen binary carries its templates.
file(GLOB templates RELATIVE ${TEMPLATE_DIR} ${TEMPLATE_DIR}/*.mustache)
list(SORT templates)
set(body "")
foreach(name IN LISTS templates)
  file(READ ${TEMPLATE_DIR}/${name} content HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
  string(REGEX REPLACE "\\.mustache$" "" stem "${name}")
  string(MAKE_C_IDENTIFIER "${stem}" ident)
  string(APPEND body "constexpr char k_${ident}[] = {${bytes}};\n")
  list(APPEND entries "      {\"${stem}\", std::string_view(k_${ident}, sizeof(k_${ident}))},\n")
endforeach()
string(JOIN "" entries_text ${entries})
file(WRITE ${OUTPUT}.tmp
"// Generated from templates/*.mustache by cmake/embed_templates.cmake.
#include <map>
#include <string>
#include <string_view>

namespace oasgen::render {
namespace {
${body}}  // namespace

const std::map<std::string, std::string_view, std::less<>>& builtin_templates() {
  static const std::map<std::string, std::string_view, std::less<>> templates = {
${entries_text}  };
  return templates;
}

}  // namespace oasgen::render
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
