# oasgen_generate(<target> SPEC <file> [NAMESPACE <ns>] [TEMPLATES <dir>] [OUTPUT_DIR <dir>])
#
# Generates C++ from an OpenAPI document at build time and creates a static library <target> with the
# generated sources, linked to oasgen::runtime, whose include directory holds <ns>/models.hpp and
# <ns>/server.hpp. The code is regenerated when the spec, the templates or oasgen change.
function(oasgen_generate target)
  cmake_parse_arguments(ARG "" "SPEC;NAMESPACE;TEMPLATES;OUTPUT_DIR" "" ${ARGN})
  if(NOT ARG_SPEC)
    message(FATAL_ERROR "oasgen_generate(${target}): SPEC is required")
  endif()
  if(NOT ARG_NAMESPACE)
    set(ARG_NAMESPACE api)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/${target})
  endif()
  get_filename_component(spec ${ARG_SPEC} ABSOLUTE)
  string(REPLACE "::" "_" include_dir ${ARG_NAMESPACE})
  set(outputs
    ${ARG_OUTPUT_DIR}/include/${include_dir}/models.hpp
    ${ARG_OUTPUT_DIR}/include/${include_dir}/server.hpp
    ${ARG_OUTPUT_DIR}/src/models.cpp
    ${ARG_OUTPUT_DIR}/src/server.cpp)
  set(command $<TARGET_FILE:oasgen::oasgen> generate ${spec} -o ${ARG_OUTPUT_DIR} --namespace ${ARG_NAMESPACE})
  set(depends ${spec} oasgen::oasgen)
  if(ARG_TEMPLATES)
    get_filename_component(templates ${ARG_TEMPLATES} ABSOLUTE)
    list(APPEND command --templates ${templates})
    file(GLOB template_files CONFIGURE_DEPENDS ${templates}/*.mustache)
    list(APPEND depends ${template_files})
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${command}
    DEPENDS ${depends}
    COMMENT "oasgen: generating ${target} from ${ARG_SPEC}"
    VERBATIM)
  add_library(${target} STATIC ${outputs})
  target_include_directories(${target} PUBLIC ${ARG_OUTPUT_DIR}/include)
  target_link_libraries(${target} PUBLIC oasgen::runtime)
  target_compile_features(${target} PUBLIC cxx_std_17)
endfunction()
