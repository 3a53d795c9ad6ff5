# oasgen_generate() declares its outputs at configure time (oasgen_output_files()); the generator
# decides them at run time. For every combination of SERVER/CLIENT/DOCS and a few PARTS (fewer and
# more than the spec fills), both must name the same files, and --list-outputs must write nothing.
#
#   cmake -DOASGEN=<oasgen> -DSPEC=<spec> -DWORK=<scratch dir> -P list_outputs_test.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/oasgen_generate.cmake)
file(REMOVE_RECURSE ${WORK})

set(failures 0)
set(checked 0)
foreach(parts IN ITEMS "" "PARTS;3" "PARTS;40")
foreach(server IN ITEMS "" SERVER)
  foreach(client IN ITEMS "" CLIENT)
    foreach(docs IN ITEMS "" DOCS)
      set(options ${server} ${client} ${docs} ${parts})
      _oasgen_plan_flags(flags ${options})
      oasgen_output_files(expected NAMESPACE acme::pets ${options})
      execute_process(
        COMMAND ${OASGEN} generate ${SPEC} -o ${WORK}/out --namespace acme::pets ${flags} --list-outputs
        OUTPUT_VARIABLE listed ERROR_VARIABLE errors RESULT_VARIABLE status)
      string(STRIP "${listed}" listed)
      string(REPLACE "\n" ";" listed "${listed}")
      math(EXPR checked "${checked} + 1")
      if(NOT status EQUAL 0 OR NOT listed STREQUAL expected)
        message(SEND_ERROR "[${options}] (${flags}): oasgen lists '${listed}' (exit ${status}: "
                           "${errors}), oasgen_output_files() says '${expected}'")
        math(EXPR failures "${failures} + 1")
      endif()
    endforeach()
  endforeach()
endforeach()
endforeach()
if(EXISTS ${WORK}/out)
  message(SEND_ERROR "--list-outputs wrote to the output directory")
endif()
message(STATUS "list outputs: ${checked} combinations checked, ${failures} differ")
