# FindSOCI.cmake - finds SOCI (https://soci.sourceforge.net) where it ships
# no CMake package of its own (Debian's libsoci-dev).
#
#   find_package(SOCI REQUIRED COMPONENTS sqlite3 postgresql)
#
# Defines SOCI_FOUND, SOCI_INCLUDE_DIR, and the imported targets SOCI::core
# and SOCI::<component> for each component found (a backend target links
# core and the backend's client library).
include(FindPackageHandleStandardArgs)

find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)

if(SOCI_INCLUDE_DIR AND SOCI_CORE_LIBRARY AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES
    IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
endif()

foreach(component IN LISTS SOCI_FIND_COMPONENTS)
  find_library(SOCI_${component}_LIBRARY NAMES soci_${component})
  set(client_ok TRUE)
  set(client_target "")
  if(component STREQUAL "postgresql")
    find_package(PostgreSQL QUIET)
    if(PostgreSQL_FOUND)
      set(client_target PostgreSQL::PostgreSQL)
    else()
      set(client_ok FALSE)
    endif()
  elseif(component STREQUAL "sqlite3")
    find_package(SQLite3 QUIET)
    if(SQLite3_FOUND)
      set(client_target SQLite::SQLite3)
    else()
      set(client_ok FALSE)
    endif()
  endif()
  if(SOCI_${component}_LIBRARY AND client_ok AND TARGET SOCI::core)
    set(SOCI_${component}_FOUND TRUE)
    if(NOT TARGET SOCI::${component})
      add_library(SOCI::${component} UNKNOWN IMPORTED)
      set_target_properties(SOCI::${component} PROPERTIES
        IMPORTED_LOCATION "${SOCI_${component}_LIBRARY}"
        INTERFACE_LINK_LIBRARIES "SOCI::core;${client_target}")
    endif()
  else()
    set(SOCI_${component}_FOUND FALSE)
  endif()
endforeach()

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_CORE_LIBRARY SOCI_INCLUDE_DIR
  HANDLE_COMPONENTS
  REASON_FAILURE_MESSAGE "install SOCI (Debian: apt-get install libsoci-dev libpq-dev libsqlite3-dev)")
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY)
