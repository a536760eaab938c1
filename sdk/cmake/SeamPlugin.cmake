# seam_add_plugin(NAME SOURCES... [IMPL sources...] [INSTALL] [OUTPUT_DIRECTORY dir]
#                 [NO_MANIFEST])
#
# Builds seam-NAME.so, a library seam loads with `use = "NAME.step"`:
#  - a MODULE library named seam-NAME (no "lib" prefix);
#  - hidden visibility and a version script: only the entry symbol
#    (seam_plugin_entry_v1) is exported;
#  - linked with --no-undefined: a plugin needs no symbol from the host;
#  - INSTALL puts it into <prefix>/lib/seam/plugins; seam's own plugins are
#    listed there in .bundled, and another project's install refuses to
#    replace one of them.
#  - seam-NAME.toml, its manifest, is written beside it (unless NO_MANIFEST)
#    when a seam executable is at hand, and installed with it.
#  - IMPL: these sources also go into a static library seam_NAME_impl (its
#    include directory: the plugin's src/), which the plugin links, so that
#    unit tests link the very code of the plugin; link the plugin's own
#    dependencies to seam_NAME_impl (PUBLIC) then.
# The target is called seam-NAME; link the plugin's own dependencies to it.
# It links Seam::sdk_c (C sources only) or Seam::sdk (any C++ source).
# ${SEAM_WARNINGS}, when set (seam's own tree), applies to both.
function(seam_add_plugin name)
  cmake_parse_arguments(ARG "INSTALL;NO_MANIFEST" "OUTPUT_DIRECTORY" "SOURCES;IMPL" ${ARGN})
  set(sources ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  set(target seam-${name})
  add_library(${target} MODULE ${sources})
  if(ARG_IMPL)
    set(impl seam_${name}_impl)
    add_library(${impl} STATIC ${ARG_IMPL})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/src)
      target_include_directories(${impl} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
    endif()
    set_target_properties(${impl} PROPERTIES
      POSITION_INDEPENDENT_CODE ON
      CXX_VISIBILITY_PRESET hidden
      C_VISIBILITY_PRESET hidden
      VISIBILITY_INLINES_HIDDEN ON)
    if(TARGET Seam::sdk)
      target_link_libraries(${impl} PUBLIC Seam::sdk)
    endif()
    if(SEAM_WARNINGS)
      target_compile_options(${impl} PRIVATE ${SEAM_WARNINGS})
    endif()
    target_link_libraries(${target} PRIVATE ${impl})
  endif()
  if(SEAM_WARNINGS)
    target_compile_options(${target} PRIVATE ${SEAM_WARNINGS})
  endif()
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
  # seam-NAME.toml beside the library: its manifest (name, version, ABI,
  # steps, sha256), so that `seam plugins list` describes it without loading
  # it. Written by seam itself, loading the library in a child process; a
  # library seam refuses gets none (and is listed as refused).
  _seam_executable(seam_exe)
  if(seam_exe AND NOT ARG_NO_MANIFEST)
    if(TARGET seam)
      add_dependencies(${target} seam)
    endif()
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${seam_exe} pack manifest --if-loadable $<TARGET_FILE:${target}>
              -o $<TARGET_FILE_DIR:${target}>/seam-${name}.toml
      VERBATIM)
  endif()
  if(ARG_INSTALL)
    if(NOT DEFINED SEAM_INSTALL_PLUGIN_DIR)
      set(SEAM_INSTALL_PLUGIN_DIR lib/seam/plugins)
    endif()
    set(bundled_list "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${SEAM_INSTALL_PLUGIN_DIR}/.bundled")
    set(read_list "
      set(seam_bundled)
      if(EXISTS \"${bundled_list}\")
        file(STRINGS \"${bundled_list}\" seam_bundled)
      endif()
      list(FIND seam_bundled \"${name}\" seam_at)")
    if(TARGET seam)
      # seam's own plugins are listed, so that no other project's install
      # replaces one of them unnoticed.
      install(CODE "${read_list}
        if(seam_at EQUAL -1)
          file(APPEND \"${bundled_list}\" \"${name}\\n\")
        endif()")
    else()
      install(CODE "${read_list}
        if(NOT seam_at EQUAL -1)
          message(FATAL_ERROR \"seam-${name}.so would replace the plugin '${name}' that comes with \"
            \"seam in \${CMAKE_INSTALL_PREFIX}/${SEAM_INSTALL_PLUGIN_DIR}: rename your plugin, or \"
            \"ship it as a pack (seam plugins install, see docs/packs.md)\")
        endif()")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION ${SEAM_INSTALL_PLUGIN_DIR})
    if(seam_exe AND NOT ARG_NO_MANIFEST)
      install(FILES $<TARGET_FILE_DIR:${target}>/seam-${name}.toml
              DESTINATION ${SEAM_INSTALL_PLUGIN_DIR} OPTIONAL)
    endif()
  endif()
endfunction()

# The seam executable that describes libraries and makes packs: the one
# being built in seam's own tree, else the installed one (SeamConfig.cmake).
function(_seam_executable out)
  if(TARGET seam)
    set(${out} $<TARGET_FILE:seam> PARENT_SCOPE)
  elseif(SEAM_EXECUTABLE)
    set(${out} ${SEAM_EXECUTABLE} PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# seam_add_pack(NAME PLUGIN target MANIFEST seam-pack.toml [DOCS files...]
#               [EXAMPLES files...] [OUTPUT_DIRECTORY dir] [TARGET name] [ALL] [INSTALL])
#
# Makes NAME-VERSION.seampack (docs/packs.md) from a seam_add_plugin()
# target: the manifest, the library as lib/PLATFORM/seam-NAME.so, DOCS as
# docs/FILE and EXAMPLES as suites/FILE (list them so in the manifest), then
# `seam pack build`, which checks the library against the manifest in a child
# process. The target is NAME-pack (`cmake --build build --target NAME-pack`;
# ALL builds it by default), or TARGET. OUTPUT_DIRECTORY defaults to the build
# directory's packs/. INSTALL installs the .seampack into share/seam/packs.
function(seam_add_pack name)
  cmake_parse_arguments(ARG "ALL;INSTALL" "PLUGIN;MANIFEST;OUTPUT_DIRECTORY;TARGET" "DOCS;EXAMPLES"
                        ${ARGN})
  if(NOT ARG_PLUGIN OR NOT ARG_MANIFEST)
    message(FATAL_ERROR "seam_add_pack(${name}): PLUGIN target and MANIFEST file are required")
  endif()
  _seam_executable(seam_exe)
  if(NOT seam_exe)
    # An SDK without its seam (a cross build, say) still builds the plugin.
    message(WARNING "seam_add_pack(${name}): no seam executable to build the pack with, so no "
                    "pack; find_package(Seam) of an installed seam sets SEAM_EXECUTABLE")
    return()
  endif()
  get_filename_component(manifest ${ARG_MANIFEST} ABSOLUTE)
  string(TOLOWER "${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}" platform)
  string(REPLACE "amd64" "x86_64" platform "${platform}")
  string(REPLACE "arm64" "aarch64" platform "${platform}")
  set(target ${name}-pack)
  if(ARG_TARGET)
    set(target ${ARG_TARGET})
  endif()
  set(stage ${CMAKE_CURRENT_BINARY_DIR}/${target}-stage)
  if(ARG_OUTPUT_DIRECTORY)
    set(out ${ARG_OUTPUT_DIRECTORY})
  else()
    set(out ${CMAKE_BINARY_DIR}/packs)
  endif()
  set(copies
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${stage}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${stage}/lib/${platform} ${out}
    COMMAND ${CMAKE_COMMAND} -E copy ${manifest} ${stage}/seam-pack.toml
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:${ARG_PLUGIN}>
            ${stage}/lib/${platform}/seam-${name}.so)
  set(deps ${manifest})
  foreach(kind DOCS EXAMPLES)
    set(sub docs)
    if(kind STREQUAL "EXAMPLES")
      set(sub suites)
    endif()
    foreach(f ${ARG_${kind}})
      get_filename_component(abs ${f} ABSOLUTE)
      get_filename_component(base ${f} NAME)
      list(APPEND copies COMMAND ${CMAKE_COMMAND} -E copy ${abs} ${stage}/${sub}/${base})
      list(APPEND deps ${abs})
    endforeach()
  endforeach()
  set(all)
  if(ARG_ALL)
    set(all ALL)
  endif()
  add_custom_target(${target} ${all}
    ${copies}
    COMMAND ${seam_exe} pack build ${stage} -o ${out}
    DEPENDS ${deps} ${ARG_PLUGIN}
    COMMENT "Packing ${name} into ${out}"
    VERBATIM)
  if(TARGET seam)
    add_dependencies(${target} seam)
  endif()
  if(ARG_INSTALL)
    install(DIRECTORY ${out}/ DESTINATION share/seam/packs FILES_MATCHING PATTERN "${name}-*.seampack")
  endif()
endfunction()
