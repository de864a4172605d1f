# Installs the libraries, their headers and a CMake package so that a partner's project can say
#   find_package(bitsh REQUIRED)   target_link_libraries(app PRIVATE bitsh::fake bitsh::wmp)
include(CMakePackageConfigHelpers)

set(BITSH_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/bitsh)

install(TARGETS bitsh_backend bitsh_content bitsh_wmp bitsh_fake bitsh_server EXPORT bitshTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(dir backend content wmp fake server)
  install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bitsh/${dir}
          FILES_MATCHING PATTERN "*.h" PATTERN "*_test*" EXCLUDE PATTERN "testing" EXCLUDE)
endforeach()

install(EXPORT bitshTargets NAMESPACE bitsh:: DESTINATION ${BITSH_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/bitshConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/bitshConfig.cmake INSTALL_DESTINATION ${BITSH_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/bitshConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bitshConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/bitshConfigVersion.cmake
        DESTINATION ${BITSH_INSTALL_CMAKEDIR})
