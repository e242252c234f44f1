# lode_add_plugin(NAME <id> SOURCES <files…> [LIBRARIES <targets…>])
#
# Builds one plugin twice from the same sources: a loadable module
# (<plugin dir>/<id>.so, with hidden visibility and the exported entry) and a
# static library lode_plugin_<id>_static that unit tests link. Both link the
# shared lode_core, never a copy of it.
function(lode_add_plugin)
  cmake_parse_arguments(P "" "NAME" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT P_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "lode_add_plugin needs NAME and SOURCES")
  endif()
  set(module lode_plugin_${P_NAME})
  add_library(${module} MODULE ${P_SOURCES})
  target_compile_definitions(${module} PRIVATE LODE_PLUGIN_MODULE)
  set_target_properties(${module} PROPERTIES
    PREFIX "" OUTPUT_NAME ${P_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${LODE_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${module} PRIVATE lode::core ${P_LIBRARIES})

  add_library(${module}_static STATIC ${P_SOURCES})
  target_link_libraries(${module}_static PUBLIC lode::core ${P_LIBRARIES})

  set_property(GLOBAL APPEND PROPERTY LODE_PLUGIN_MODULES ${module})
  if(COMMAND lode_install_plugin)
    lode_install_plugin(${module})
  endif()
endfunction()

# lode_add_plugin_test(<id> <files…>): a GoogleTest binary that links the
# plugin's static library and lode's test helpers.
function(lode_add_plugin_test id)
  set(test lode_plugin_${id}_test)
  add_executable(${test} ${ARGN})
  target_link_libraries(${test} PRIVATE lode_plugin_${id}_static lode_test_support GTest::gtest_main)
  gtest_discover_tests(${test} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       PROPERTIES ENVIRONMENT "LODE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
