# lode_add_plugin(NAME <id> SOURCES <files…> [LIBRARIES <targets…>])
#
# Builds one plugin twice from the same sources: a loadable module <id>.so (hidden
# visibility, the exported entry point, in LODE_PLUGIN_OUTPUT_DIR or the current
# build folder) and a static library <id>_static, without the entry, that unit
# tests link. Both link the shared lode core (lode::sdk), never a copy of it.
#
# The same file serves lode's own plugins and, installed with lode
# (find_package(lode)), plugins built out of tree:
#
#   find_package(lode REQUIRED)
#   lode_add_plugin(NAME budget SOURCES budget.cc)
#
# The build fingerprint and ABI version come from lode's headers; a plugin built
# with another compiler or for another ABI major is refused at load, naming both.
function(lode_add_plugin)
  cmake_parse_arguments(P "" "NAME" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT P_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "lode_add_plugin needs NAME and SOURCES")
  endif()
  if(NOT TARGET lode::sdk)
    message(FATAL_ERROR "lode_add_plugin: no lode::sdk target (find_package(lode) first)")
  endif()
  set(output_dir ${LODE_PLUGIN_OUTPUT_DIR})
  if(NOT output_dir)
    set(output_dir ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  set(module lode_plugin_${P_NAME})
  add_library(${module} MODULE ${P_SOURCES})
  target_compile_definitions(${module} PRIVATE LODE_PLUGIN_MODULE)
  target_compile_features(${module} PRIVATE cxx_std_20)
  set_target_properties(${module} PROPERTIES
    PREFIX "" OUTPUT_NAME ${P_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${output_dir}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    # Installed beside lode's own plugins in <prefix>/lib/lode/plugins.
    INSTALL_RPATH "$ORIGIN/../..")
  target_link_libraries(${module} PRIVATE lode::sdk ${P_LIBRARIES})

  add_library(${module}_static STATIC ${P_SOURCES})
  target_compile_features(${module}_static PUBLIC cxx_std_20)
  set_target_properties(${module}_static PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(${module}_static PUBLIC lode::sdk ${P_LIBRARIES})

  set_property(GLOBAL APPEND PROPERTY LODE_PLUGIN_MODULES ${module})
  if(COMMAND lode_install_plugin)
    lode_install_plugin(${module})
  endif()
endfunction()
