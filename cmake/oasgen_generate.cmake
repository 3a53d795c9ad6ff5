# oasgen_generate(<target> SPEC <file> [NAMESPACE <ns>] [SERVER] [CLIENT] [DOCS] [PARTS <n>]
#                 [PRECOMPILE_HEADERS | PRECOMPILE_RUNTIME] [TEMPLATES <dir>] [OUTPUT_DIR <dir>]
#                 [OPTIONS <arg>...])
#
# Generates C++ from an OpenAPI document at build time and creates a static library <target> with the
# generated sources, linked to oasgen::runtime, whose include directory holds <ns>/models.hpp,
# <ns>/api.hpp (request and result types) and <ns>/server.hpp (<ns>/client.hpp with CLIENT,
# <ns>/docs.hpp with DOCS). "::" in <ns> becomes "_" in the folder name.
#
#   SERVER, CLIENT  what to generate; SERVER alone when neither is given.
#   DOCS            also docs/API.md, docs/index.html and docs/openapi.json in OUTPUT_DIR, and the
#                   code that serves them.
#   PARTS           the models and the server code as <n> .cpp files each (default 1), which compile
#                   in parallel: for large APIs. The files an API does not fill hold only a comment.
#   PRECOMPILE_HEADERS  the generated headers are parsed once for all the target's files
#                   (target_precompile_headers). For APIs with thousands of types, whose every file
#                   would otherwise parse them again (74 s a file for Microsoft Graph). Any change
#                   to the headers then recompiles every file.
#   PRECOMPILE_RUNTIME  the headers the generated code includes from outside the API (the runtime's,
#                   nlohmann/json.hpp, the standard library's: oasgen/precompiled.hpp) are parsed
#                   once for all the target's files. A spec edit does not change them, so a rebuild
#                   after an edit parses only the generated code: for small and mid-size APIs, whose
#                   files spend most of their time in nlohmann/json.hpp. Not with PRECOMPILE_HEADERS,
#                   whose header holds these already.
#   TEMPLATES       a folder of templates overriding the built-in ones file by file.
#   OUTPUT_DIR      where the files go (default: ${CMAKE_CURRENT_BINARY_DIR}/<target>).
#   OPTIONS         further `oasgen generate` arguments; they must not change which files are written.
#
# The code is regenerated when the spec, a file it reaches through $ref, a template override or oasgen
# itself changes: oasgen writes a depfile listing what it read. A regeneration leaves unchanged files
# untouched, so only what changed is recompiled.
#
# Works the same inside oasgen's build, after find_package(oasgen), and after add_subdirectory(oasgen).

# Policies are recorded where a function is defined. CMP0116 (3.20): depfile paths are relative to
# the binary directory of the command, with Ninja as with Makefiles; ours are absolute anyway.
cmake_policy(VERSION 3.20...3.28)

# oasgen_output_files(<out_var> [NAMESPACE <ns>] [SERVER] [CLIENT] [DOCS] [PARTS <n>])
#
# The files `oasgen generate` writes for these options, relative to the output directory: the same
# rule as the generator's file plan (generator/render/render.cpp). A test compares the two for every
# combination of options (`oasgen generate --list-outputs`).
function(oasgen_output_files out_var)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "SERVER;CLIENT;DOCS" "NAMESPACE;PARTS" "")
  if(NOT ARG_NAMESPACE)
    set(ARG_NAMESPACE api)
  endif()
  if(NOT ARG_PARTS)
    set(ARG_PARTS 1)
  endif()
  if(NOT ARG_SERVER AND NOT ARG_CLIENT)
    set(ARG_SERVER ON)
  endif()
  string(REPLACE "::" "_" include_dir "${ARG_NAMESPACE}")
  set(include include/${include_dir})
  set(files ${include}/models.hpp ${include}/api.hpp src/models.cpp)
  if(ARG_SERVER)
    list(APPEND files ${include}/server.hpp src/server.cpp)
  endif()
  if(ARG_PARTS GREATER 1)
    foreach(part RANGE 2 ${ARG_PARTS})
      list(APPEND files src/models_${part}.cpp)
      if(ARG_SERVER)
        list(APPEND files src/server_${part}.cpp)
      endif()
      if(ARG_CLIENT)
        list(APPEND files src/client_${part}.cpp)
      endif()
    endforeach()
  endif()
  if(ARG_CLIENT)
    list(APPEND files ${include}/client.hpp src/client.cpp)
  endif()
  if(ARG_DOCS)
    list(APPEND files docs/API.md docs/index.html docs/openapi.json ${include}/docs.hpp src/docs.cpp)
  endif()
  list(SORT files)
  set(${out_var} ${files} PARENT_SCOPE)
endfunction()

# _oasgen_plan_flags(<out_var> [SERVER] [CLIENT] [DOCS] [PARTS <n>]): the `oasgen generate` flags
# for these options. --client alone means a client only; the server is the default only without
# either. --parts always: otherwise a large API would be split into files the build does not know.
function(_oasgen_plan_flags out_var)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "SERVER;CLIENT;DOCS" "PARTS" "")
  if(NOT ARG_PARTS)
    set(ARG_PARTS 1)
  endif()
  set(flags --parts ${ARG_PARTS})
  if(ARG_CLIENT)
    if(ARG_SERVER)
      list(APPEND flags --server)
    endif()
    list(APPEND flags --client)
  endif()
  if(ARG_DOCS)
    list(APPEND flags --docs)
  endif()
  set(${out_var} ${flags} PARENT_SCOPE)
endfunction()

function(oasgen_generate target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "SERVER;CLIENT;DOCS;PRECOMPILE_HEADERS;PRECOMPILE_RUNTIME"
                        "SPEC;NAMESPACE;PARTS;TEMPLATES;OUTPUT_DIR" "OPTIONS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "oasgen_generate(${target}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SPEC)
    message(FATAL_ERROR "oasgen_generate(${target}): SPEC is required")
  endif()
  if(ARG_PRECOMPILE_HEADERS AND ARG_PRECOMPILE_RUNTIME)
    message(FATAL_ERROR "oasgen_generate(${target}): PRECOMPILE_HEADERS and PRECOMPILE_RUNTIME "
                        "exclude each other (the first precompiles the runtime's headers too)")
  endif()
  if(NOT TARGET oasgen::oasgen)
    message(FATAL_ERROR "oasgen_generate(${target}): there is no target oasgen::oasgen; use "
                        "find_package(oasgen) or add_subdirectory() on oasgen's source first")
  endif()
  if(NOT ARG_NAMESPACE)
    set(ARG_NAMESPACE api)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/${target})
  endif()
  get_filename_component(spec "${ARG_SPEC}" ABSOLUTE)
  get_filename_component(output_dir "${ARG_OUTPUT_DIR}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})

  set(plan_options)
  foreach(option SERVER CLIENT DOCS)
    if(ARG_${option})
      list(APPEND plan_options ${option})
    endif()
  endforeach()
  if(ARG_PARTS)
    if(NOT ARG_PARTS MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "oasgen_generate(${target}): PARTS must be a positive number")
    endif()
    list(APPEND plan_options PARTS ${ARG_PARTS})
  endif()
  _oasgen_plan_flags(plan_flags ${plan_options})
  oasgen_output_files(relative_outputs NAMESPACE ${ARG_NAMESPACE} ${plan_options})
  set(command $<TARGET_FILE:oasgen::oasgen> generate ${spec} -o ${output_dir}
              --namespace ${ARG_NAMESPACE} ${plan_flags})
  set(outputs)
  set(sources)
  set(headers)
  foreach(file IN LISTS relative_outputs)
    list(APPEND outputs ${output_dir}/${file})
    if(file MATCHES "\\.(cpp|hpp)$")
      list(APPEND sources ${output_dir}/${file})
    endif()
    if(file MATCHES "/(api|server|client)\\.hpp$")
      list(APPEND headers ${output_dir}/${file})
    endif()
  endforeach()

  # The oasgen target: a file dependency on the executable, and with oasgen built in the same
  # project, a target dependency as well.
  set(depends ${spec} oasgen::oasgen)
  if(ARG_TEMPLATES)
    get_filename_component(templates "${ARG_TEMPLATES}" ABSOLUTE)
    # The depfile lists the overrides that were read, and the folder, whose time changes when an
    # override is added. (A CONFIGURE_DEPENDS glob would make every build re-check it.)
    list(APPEND command --templates ${templates})
  endif()
  list(APPEND command ${ARG_OPTIONS})

  # The stamp is the command's only output and is touched on every run. The generated files are
  # byproducts: oasgen leaves a file whose content would not change untouched. Ninja restats
  # byproducts; Make does not look at them again. As outputs, Make would take files that stayed old
  # for out of date and recompile everything whenever the spec was merely touched.
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}.oasgen-stamp)
  set(depfile ${CMAKE_CURRENT_BINARY_DIR}/${target}.oasgen.d)
  add_custom_command(
    OUTPUT ${stamp}
    BYPRODUCTS ${outputs}
    COMMAND ${command} --depfile ${depfile} --depfile-target ${stamp}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${depends}
    DEPFILE ${depfile}
    COMMENT "oasgen: generating ${target} from ${ARG_SPEC}"
    VERBATIM)

  add_library(${target} STATIC ${sources} ${stamp})
  target_include_directories(${target} PUBLIC ${output_dir}/include)
  target_link_libraries(${target} PUBLIC oasgen::runtime)
  target_compile_features(${target} PUBLIC cxx_std_17)
  if(ARG_PRECOMPILE_HEADERS)
    # api.hpp includes models.hpp; server.hpp and client.hpp include api.hpp.
    target_precompile_headers(${target} PRIVATE ${headers})
  elseif(ARG_PRECOMPILE_RUNTIME)
    target_precompile_headers(${target} PRIVATE <oasgen/precompiled.hpp>)
  endif()
endfunction()
