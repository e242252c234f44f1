# Test helpers for lode's own tree (not installed).

# lode_add_plugin_test(<id> <files…>): a GoogleTest binary that links the
# plugin's static library and lode's test helpers.
function(lode_add_plugin_test id)
  set(test lode_plugin_${id}_test)
  add_executable(${test} ${ARGN})
  target_link_libraries(${test} PRIVATE lode_plugin_${id}_static lode_test_support GTest::gtest_main)
  gtest_discover_tests(${test} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       PROPERTIES ENVIRONMENT "LODE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
