/* no_entry.c - a shared library that is no seam plugin: it exports a symbol,
 * but not seam_plugin_entry_v1. seam must refuse it by name, without
 * crashing, as it would any foreign library found on its plugin path. */
#include <seam/plugin.h>

SEAM_EXPORT int noentry_answer(void) { return 42; }
