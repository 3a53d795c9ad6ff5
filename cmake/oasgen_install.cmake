# Installs the oasgen executable, the runtime (library and headers), the built-in templates and the
# CMake package (lib/cmake/oasgen) that gives consumers oasgen::oasgen, oasgen::runtime and
# oasgen_generate(). Included from the top-level CMakeLists.txt after the targets exist.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(OASGEN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/oasgen)
set(OASGEN_INSTALL_TEMPLATESDIR ${CMAKE_INSTALL_DATADIR}/oasgen/templates)

install(TARGETS oasgen oasgen_runtime
  EXPORT oasgenTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/oasgen
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates/
  DESTINATION ${OASGEN_INSTALL_TEMPLATESDIR}
  FILES_MATCHING PATTERN "*.mustache")

# The runtime is a static library: what it links privately, its consumers link too, so the package
# must find it. OpenSSL is optional (https in the client transport): only when the build used it.
get_target_property(runtime_links oasgen_runtime LINK_LIBRARIES)
if("OpenSSL::SSL" IN_LIST runtime_links)
  set(OASGEN_RUNTIME_USES_OPENSSL ON)
else()
  set(OASGEN_RUNTIME_USES_OPENSSL OFF)
endif()

install(EXPORT oasgenTargets NAMESPACE oasgen:: DESTINATION ${OASGEN_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/oasgenConfig.cmake.in
  ${PROJECT_BINARY_DIR}/oasgenConfig.cmake
  INSTALL_DESTINATION ${OASGEN_INSTALL_CMAKEDIR}
  PATH_VARS OASGEN_INSTALL_TEMPLATESDIR)
# 0.x: a new minor version may break the generated code's API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/oasgenConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/oasgenConfig.cmake
  ${PROJECT_BINARY_DIR}/oasgenConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/oasgen_generate.cmake
  DESTINATION ${OASGEN_INSTALL_CMAKEDIR})
