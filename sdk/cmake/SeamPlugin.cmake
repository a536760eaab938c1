# seam_add_plugin(NAME SOURCES... [INSTALL] [OUTPUT_DIRECTORY dir])
#
# Builds seam-NAME.so, a library seam loads with `use = "NAME.step"`:
#  - a MODULE library named seam-NAME (no "lib" prefix);
#  - hidden visibility and a version script: only the entry symbol
#    (seam_plugin_entry_v1) is exported;
#  - linked with --no-undefined: a plugin needs no symbol from the host;
#  - INSTALL puts it into <prefix>/lib/seam/plugins.
# The target is called seam-NAME; link the plugin's own dependencies to it.
# It links Seam::sdk_c (C sources only) or Seam::sdk (any C++ source).
function(seam_add_plugin name)
  cmake_parse_arguments(ARG "INSTALL" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  set(sources ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  set(target seam-${name})
  add_library(${target} MODULE ${sources})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME seam-${name}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED SEAM_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SEAM_PLUGIN_OUTPUT_DIR})
  endif()
  # A plugin of C sources only gets the C ABI (no nlohmann_json needed); one
  # with C++ sources gets the C++ wrapper too.
  set(cxx_sources ${sources})
  list(FILTER cxx_sources INCLUDE REGEX "\\.(cpp|cc|cxx|C|c\\+\\+)$")
  if(cxx_sources AND TARGET Seam::sdk)
    if(NOT TARGET nlohmann_json::nlohmann_json)
      message(FATAL_ERROR "seam_add_plugin(${name}): a C++ plugin uses the C++ wrapper "
                          "(seam/plugin.hpp), which needs nlohmann_json 3.10 or later: install it "
                          "(Debian: nlohmann-json3-dev) or point CMAKE_PREFIX_PATH at it")
    endif()
    target_link_libraries(${target} PRIVATE Seam::sdk)
  elseif(TARGET Seam::sdk_c)
    target_link_libraries(${target} PRIVATE Seam::sdk_c)
  endif()
  if(NOT APPLE AND NOT WIN32)
    # Hidden visibility is not enough: vague-linkage symbols of system headers
    # (typeinfo of std:: classes, template statics) keep default visibility and
    # would be exported, interposing on the same symbols of other plugins. A
    # version script exports the entry symbol and nothing else.
    set(map ${CMAKE_CURRENT_BINARY_DIR}/${target}.exports.map)
    file(WRITE ${map} "{\n  global: seam_plugin_entry_v*;\n  local: *;\n};\n")
    target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--version-script=${map})
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${map})
  endif()
  if(ARG_INSTALL)
    if(NOT DEFINED SEAM_INSTALL_PLUGIN_DIR)
      set(SEAM_INSTALL_PLUGIN_DIR lib/seam/plugins)
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION ${SEAM_INSTALL_PLUGIN_DIR})
  endif()
endfunction()
