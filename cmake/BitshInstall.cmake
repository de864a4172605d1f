# Installs the libraries, their headers and a CMake package so that a partner's project can say
#   find_package(bitsh REQUIRED)   target_link_libraries(app PRIVATE bitsh::fake bitsh::wmp)
include(CMakePackageConfigHelpers)

set(BITSH_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/bitsh)

install(TARGETS bitsh_backend bitsh_backend_testing bitsh_content bitsh_wmp bitsh_fake bitsh_server_control bitsh_server bitsh_sim bitsh_remote bitsh_serving bitsh_external bitsh_scenarios bitsh_conformance
                bitsh_conformance_main bitsh_certification bitsh bitsh-serve bitshd
        EXPORT bitshTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Headers, without tests. backend/testing (MockBackend, the status matchers) is for partners too;
# the other testing/ folders are this project's own fixtures. Of fake/, only the public headers
# listed in fake/CMakeLists.txt: the job record, the state tables, the scheduler and the snapshot
# code are internal.
get_target_property(bitsh_fake_public_headers bitsh_fake BITSH_PUBLIC_HEADERS)
list(TRANSFORM bitsh_fake_public_headers PREPEND fake/)
install(FILES ${bitsh_fake_public_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bitsh/fake)
# Folders without headers (scenarios/library, scenarios/testdata) are left out: no empty folder
# is installed (tools/check-install.sh checks).
foreach(dir backend content wmp server sim remote serving external scenarios conformance certification)
  set(bitsh_private_testing PATTERN "testing" EXCLUDE)
  if(dir STREQUAL "backend")
    set(bitsh_private_testing)
  endif()
  install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bitsh/${dir}
          FILES_MATCHING PATTERN "*.h" ${bitsh_private_testing} PATTERN "library" EXCLUDE PATTERN "testdata" EXCLUDE)
endforeach()

# What a user of an installed bitsh reads and runs: the docs, the scenario schema for editors, and
# the bundled scenario library (bitsh run <prefix>/share/bitsh/scenarios/library).
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bitsh/docs)
install(FILES README.md CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DATADIR}/bitsh)
install(FILES scenarios/schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/bitsh/scenarios)
install(DIRECTORY scenarios/library DESTINATION ${CMAKE_INSTALL_DATADIR}/bitsh/scenarios FILES_MATCHING PATTERN "*.yaml")

install(EXPORT bitshTargets NAMESPACE bitsh:: DESTINATION ${BITSH_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/bitshConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/bitshConfig.cmake INSTALL_DESTINATION ${BITSH_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/bitshConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bitshConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/bitshConfigVersion.cmake
        DESTINATION ${BITSH_INSTALL_CMAKEDIR})
