# portcullis_add_plugin(NAME SOURCES a.cc ... TESTS tests/x_test.cc ...)
#
# A plugin is an OBJECT library so that its static registration object is
# always linked (a static archive would let the linker drop it). The daemon
# and the test binaries link every plugin listed in PORTCULLIS_PLUGINS.
function(portcullis_add_plugin name)
  cmake_parse_arguments(PLUGIN "" "" "SOURCES;TESTS" ${ARGN})
  set(target portcullis_plugin_${name})
  add_library(${target} OBJECT ${PLUGIN_SOURCES})
  target_link_libraries(${target} PUBLIC portcullis_engine)
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  set_property(GLOBAL APPEND PROPERTY PORTCULLIS_PLUGINS ${target})
  if(PORTCULLIS_TESTS AND PLUGIN_TESTS)
    add_executable(${target}_tests ${PLUGIN_TESTS})
    target_include_directories(${target}_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}
                               ${CMAKE_SOURCE_DIR}/tests/support/check_testing)
    target_link_libraries(${target}_tests PRIVATE ${target} portcullis_engine
                          GTest::gtest GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${target}_tests DISCOVERY_TIMEOUT 60
                         PROPERTIES LABELS unit)
  endif()
endfunction()

# Embeds a text file as `extern const char NAME[]` in a generated source.
function(portcullis_embed_text output symbol input)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_text.cmake
    DEPENDS ${input} ${CMAKE_SOURCE_DIR}/cmake/embed_text.cmake
    COMMENT "Embedding ${input}")
endfunction()
