// Checks a plugin library file before it is handed to the dynamic loader.
//
// dlopen trusts the file: a library cut short maps pages past the end of the
// file and the process dies of SIGBUS on first touch, and a library for
// another machine or word size gets a misleading error. Reading the ELF
// header and program headers first turns each of these into a message that
// says what the file is and what was expected.
#pragma once

#include <optional>
#include <string>

namespace seam {

// Why the file at `path` cannot be a plugin library for this process (no file
// name in the text: the caller prefixes it), or nullopt when its ELF headers
// and segments are sound and of this host's class, byte order and machine.
std::optional<std::string> elf_library_problem(const std::string &path);

// What this process loads: "a 64-bit ELF shared library for x86-64".
std::string elf_host_expectation();

// dlerror's text for `path`, shortened for a message that already names the
// file, and a missing dependency said as such ("needs libfoo.so.1, which
// was not found ...").
std::string clean_dlerror(const std::string &path, const std::string &dlerror_text);

} // namespace seam
