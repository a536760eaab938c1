# Builds the HTML report's page: report.html with report.css and report.js
# put inline (the report must work from file://, without the network), as a
# C++ raw string literal in OUT. Run as: cmake -DPAGE_DIR=... -DOUT=... -P embed.cmake
file(READ ${PAGE_DIR}/report.html html)
file(READ ${PAGE_DIR}/report.css css)
file(READ ${PAGE_DIR}/report.js js)

set(delim "seam_page")
foreach(part html css js)
  string(FIND "${${part}}" ")${delim}\"" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "report.${part} holds )${delim}\", which ends the raw string it is embedded in")
  endif()
endforeach()
# Inline, these would end the element that holds them.
string(TOLOWER "${js}" js_lower)
string(FIND "${js_lower}" "</script" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "report.js holds </script (write <\\/script)")
endif()
string(TOLOWER "${css}" css_lower)
string(FIND "${css_lower}" "</style" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "report.css holds </style")
endif()

set(css_tag "<link rel=\"stylesheet\" href=\"report.css\">")
set(js_tag "<script src=\"report.js\"></script>")
# Where html_reporter.cpp puts the run.
set(data_tag "<script type=\"application/json\" id=\"seam-data\">null</script>")
foreach(tag css_tag js_tag data_tag)
  string(FIND "${html}" "${${tag}}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "report.html lacks ${${tag}}")
  endif()
endforeach()
string(REPLACE "${css_tag}" "<style>\n${css}</style>" html "${html}")
string(REPLACE "${js_tag}" "<script>\n${js}</script>" html "${html}")

set(text "// Generated from core/src/report/report_page by embed.cmake: do not edit.\n")
string(APPEND text "static constexpr std::string_view kReportPage = R\"${delim}(${html})${delim}\";\n")
file(WRITE ${OUT} "${text}")
