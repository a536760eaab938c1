# seam_add_suite_test(NAME SUITE... [LABELS label...] [REPORTS kind...]
#                     [REPORT_DIR dir] [PLUGIN_PATH dir...] [VARS NAME=VALUE...]
#                     [TAGS tag...] [FILTER regex] [ARGS arg...] [TIMEOUT seconds]
#                     [WORKING_DIRECTORY dir] [SEAM executable])
#
# Registers `seam run SUITE...` as the CTest test NAME, for projects whose CI
# already runs ctest: the test passes when seam exits 0 (every test of the
# suites passed) and fails otherwise, its output in ctest's log.
#  - SUITE: suite files or directories of them, relative to the current
#    source directory unless absolute.
#  - LABELS: CTest labels (`ctest -L LABEL`); "seam" is always one of them.
#  - REPORTS: junit (the default), json, tap, html: written to
#    REPORT_DIR/NAME.xml, .json, .tap, .html (REPORT_DIR defaults to
#    ${CMAKE_CURRENT_BINARY_DIR}/seam-reports). The test's property
#    SEAM_REPORTS lists them; CDash gets them with a failure
#    (ATTACHED_FILES_ON_FAIL).
#  - PLUGIN_PATH: --plugin-path directories (a project's own plugins);
#    VARS: --var NAME=VALUE; TAGS: --tag; FILTER: --filter; ARGS: any other
#    `seam run` options (--jobs 4, --skip-unavailable...).
#  - TIMEOUT: CTest's timeout in seconds (seam's own deadlines still apply).
#  - SEAM: the seam executable; by default the installed one that
#    find_package(Seam) found (Seam::seam), or seam's own target in its tree.
function(seam_add_suite_test name)
  cmake_parse_arguments(ARG "" "REPORT_DIR;FILTER;TIMEOUT;WORKING_DIRECTORY;SEAM"
                        "LABELS;REPORTS;PLUGIN_PATH;VARS;TAGS;ARGS" ${ARGN})
  set(suites ${ARG_UNPARSED_ARGUMENTS})
  if(NOT suites)
    message(FATAL_ERROR "seam_add_suite_test(${name}): give the suite files or directories to "
                        "run: seam_add_suite_test(${name} suites/orders.toml)")
  endif()
  if(ARG_SEAM)
    set(seam ${ARG_SEAM})
  elseif(TARGET Seam::seam)
    set(seam $<TARGET_FILE:Seam::seam>)
  elseif(TARGET seam)
    set(seam $<TARGET_FILE:seam>)
  else()
    message(FATAL_ERROR "seam_add_suite_test(${name}): no seam executable: find_package(Seam) "
                        "found no bin/seam beside the package; pass SEAM /path/to/seam")
  endif()
  if(NOT ARG_REPORT_DIR)
    set(ARG_REPORT_DIR ${CMAKE_CURRENT_BINARY_DIR}/seam-reports)
  endif()
  if(NOT ARG_REPORTS)
    set(ARG_REPORTS junit)
  endif()
  set(command ${seam} run --color never)
  set(reports "")
  foreach(kind IN LISTS ARG_REPORTS)
    if(kind STREQUAL "junit")
      set(ext xml)
    elseif(kind MATCHES "^(json|tap|html)$")
      set(ext ${kind})
    else()
      message(FATAL_ERROR "seam_add_suite_test(${name}): unknown report '${kind}': REPORTS takes "
                          "junit, json, tap and html")
    endif()
    set(path ${ARG_REPORT_DIR}/${name}.${ext})
    list(APPEND command --report ${kind}:${path})
    list(APPEND reports ${path})
  endforeach()
  foreach(dir IN LISTS ARG_PLUGIN_PATH)
    list(APPEND command --plugin-path ${dir})
  endforeach()
  foreach(var IN LISTS ARG_VARS)
    list(APPEND command --var ${var})
  endforeach()
  foreach(tag IN LISTS ARG_TAGS)
    list(APPEND command --tag ${tag})
  endforeach()
  if(DEFINED ARG_FILTER)
    list(APPEND command --filter ${ARG_FILTER})
  endif()
  list(APPEND command ${ARG_ARGS})
  foreach(suite IN LISTS suites)
    get_filename_component(suite ${suite} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND command ${suite})
  endforeach()
  if(NOT ARG_WORKING_DIRECTORY)
    set(ARG_WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  add_test(NAME ${name} COMMAND ${command} WORKING_DIRECTORY ${ARG_WORKING_DIRECTORY})
  set(labels seam ${ARG_LABELS})
  list(REMOVE_DUPLICATES labels)
  set_tests_properties(${name} PROPERTIES
    LABELS "${labels}"
    ATTACHED_FILES_ON_FAIL "${reports}"
    SEAM_REPORTS "${reports}")
  if(ARG_TIMEOUT)
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  endif()
endfunction()
