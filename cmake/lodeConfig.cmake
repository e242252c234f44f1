# find_package(lode): the lode::sdk target (SDK headers and the shared lode
# core) and lode_add_plugin() for plugins built out of tree.
include("${CMAKE_CURRENT_LIST_DIR}/lodeTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/LodePlugin.cmake")
get_filename_component(LODE_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(LODE_EXECUTABLE "${LODE_PREFIX}/bin/lode")
set(LODE_PLUGIN_DIR "${LODE_PREFIX}/lib/lode/plugins")
