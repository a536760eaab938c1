/* seam/plugin.h - the stable C ABI between seam and its step plugins.
 *
 * A plugin is a shared library that exports one function, SEAM_PLUGIN_ENTRY
 * (seam_plugin_entry_v1 for ABI major 1). It returns a static descriptor: the
 * ABI version the plugin was built for, its name and version, its steps and,
 * optionally, a resource type ([resources.NAME] tables in suites).
 *
 * Rules that keep this ABI stable (see docs/abi.md):
 *  - every struct starts with struct_size; fields are only ever appended;
 *  - values cross as UTF-8 JSON text; ownership never crosses: the plugin hands
 *    output to a host setter that copies it before returning;
 *  - the plugin never links against the host; it calls only through the
 *    seam_host_api table it is given;
 *  - no C++ exception, std:: type or allocator crosses this boundary.
 *
 * This header is C99 and C++ compatible and includes only <stddef.h> and <stdint.h>.
 */
#ifndef SEAM_PLUGIN_H
#define SEAM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. Major must match the host exactly; a
 * plugin's minor must be <= the host's. */
#define SEAM_ABI_MAJOR 1
#define SEAM_ABI_MINOR 0

#define SEAM_STR2_(x) #x
#define SEAM_STR_(x) SEAM_STR2_(x)
#define SEAM_CAT2_(a, b) a##b
#define SEAM_CAT_(a, b) SEAM_CAT2_(a, b)

/* The entry symbol carries the ABI major so that a plugin of another major is
 * told apart from a library that is no plugin at all. */
#define SEAM_PLUGIN_ENTRY SEAM_CAT_(seam_plugin_entry_v, SEAM_ABI_MAJOR)
#define SEAM_PLUGIN_ENTRY_NAME "seam_plugin_entry_v" SEAM_STR_(SEAM_ABI_MAJOR)

#if defined(_WIN32)
#define SEAM_EXPORT __declspec(dllexport)
#else
#define SEAM_EXPORT __attribute__((visibility("default")))
#endif

/* Result of a plugin call. */
typedef enum seam_status {
  SEAM_OK = 0,    /* the call succeeded; output (if any) was set */
  SEAM_ERROR = 1, /* the call failed; the message was given to set_error */
} seam_status;

typedef enum seam_log_level {
  SEAM_LOG_DEBUG = 0,
  SEAM_LOG_INFO = 1,
  SEAM_LOG_WARN = 2,
  SEAM_LOG_ERROR = 3,
} seam_log_level;

/* Whether a step works on a resource (`on = "NAME"` in a suite). */
typedef enum seam_resource_use {
  SEAM_RESOURCE_NONE = 0,     /* the step ignores resources */
  SEAM_RESOURCE_OPTIONAL = 1, /* gets one if the suite names one */
  SEAM_RESOURCE_REQUIRED = 2, /* must have one; `on` may be left out when the
                                 suite declares exactly one of this plugin's */
} seam_resource_use;

/* Opaque, host-owned context of one call (a step run, a resource open, or
 * plugin init). Valid only until the call returns. */
typedef struct seam_ctx seam_ctx;

/* The function table the host passes to every plugin call. Append-only:
 * check struct_size before using a field added after ABI 1.0. */
typedef struct seam_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  /* The call's result: JSON text (an object for steps and resources). Copied. */
  void (*set_output)(seam_ctx *ctx, const char *json, size_t len);
  /* The call's error message, UTF-8 text. Copied. Return SEAM_ERROR after it. */
  void (*set_error)(seam_ctx *ctx, const char *message, size_t len);
  /* A log line; it lands in the step's report (masked like all output). */
  void (*log)(seam_ctx *ctx, seam_log_level level, const char *message, size_t len);
  /* Non-zero once the host wants the call to stop (deadline passed, Ctrl-C). */
  int (*cancelled)(const seam_ctx *ctx);
  /* Milliseconds left before the call's deadline; -1 when it has none. */
  int64_t (*remaining_ms)(const seam_ctx *ctx);
  /* A value that must never appear in output, reports or logs (a password
   * found in a URL, a token). Copied. */
  void (*add_secret)(seam_ctx *ctx, const char *value, size_t len);
  /* Checks a document against an expectation table in the suite language
   * ({"PATH": value-or-matcher-table, ...}, as in a step's `expect`), so that
   * plugins filter (e.g. pick messages) exactly as the suite asserts. Both are
   * JSON text. Returns 1 when every entry holds, 0 when one does not, -1 when
   * `expect` is malformed (the reason is logged on ctx). */
  int (*match)(seam_ctx *ctx, const char *expect, size_t expect_len, const char *document,
               size_t document_len);
} seam_host_api;

/* Runs one step. `host` and `ctx` serve this call only; `step_data` is the
 * step's own `data` field, `state` what init gave (NULL without init),
 * `resource` the handle that resource_type.open gave for the suite's `on`
 * resource (NULL when none), and `input` the step's `with` table as a JSON
 * object, interpolated. May be called from several threads at once, for
 * different tests. */
typedef seam_status (*seam_step_run_fn)(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                                        void *state, void *resource, const char *input,
                                        size_t input_len);

typedef struct seam_step {
  size_t struct_size;
  const char *name;          /* "query": the suite says use = "PLUGIN.query" */
  const char *summary;       /* one line, for `seam plugins info` */
  const char *input_schema;  /* JSON Schema of `with` (NULL: any object) */
  const char *output_schema; /* JSON Schema of the output (NULL: undocumented) */
  seam_step_run_fn run;
  seam_resource_use resource; /* whether the step works on a resource */
  void *data;                 /* passed back to run as step_data (may be NULL) */
} seam_step;

/* A kind of long-lived resource ([resources.NAME] with plugin = "PLUGIN"). */
typedef struct seam_resource_type {
  size_t struct_size;
  const char *summary;       /* one line */
  const char *config_schema; /* JSON Schema of the table, without `plugin` */
  /* Opens the resource NAME from its table (JSON object). Sets *handle and
   * may set_output an object of attributes (${resources.NAME.ATTR}). */
  seam_status (*open)(const seam_host_api *host, seam_ctx *ctx, void *state, const char *name,
                      const char *config, size_t config_len, void **handle);
  /* Closes what open returned; called once, after teardown, in reverse order. */
  void (*close)(void *state, void *handle);
} seam_resource_type;

typedef struct seam_plugin {
  size_t struct_size;
  uint32_t abi_major;            /* SEAM_ABI_MAJOR at build time */
  uint32_t abi_minor;            /* SEAM_ABI_MINOR at build time */
  const char *name;              /* [a-z][a-z0-9_]*; the library is seam-NAME.so */
  const char *version;           /* the plugin's own version, e.g. "1.2.0" */
  const char *summary;           /* one line */
  const seam_step *const *steps; /* step_count pointers to steps */
  size_t step_count;
  const seam_resource_type *resource_type; /* NULL: no resources */
  /* Called once, before any other call, when a suite first needs the plugin.
   * Sets *state (passed to every later call). On failure: set_error and
   * return SEAM_ERROR. May be NULL. */
  seam_status (*init)(const seam_host_api *host, seam_ctx *ctx, void **state);
  /* Called once at exit with init's state. May be NULL. */
  void (*shutdown)(void *state);
} seam_plugin;

/* The one function a plugin exports. Returns a descriptor that lives as long
 * as the library (usually a static). */
typedef const seam_plugin *(*seam_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* SEAM_PLUGIN_H */
