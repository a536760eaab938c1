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
#define SEAM_ABI_MINOR 2

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
  /* ABI 1.2: the call failed because a dependency cannot be reached (server
   * down, connection refused); the message says which. A resource open that
   * returns it skips its suite under `seam run --skip-unavailable`. A 1.0/1.1
   * plugin's SEAM_ERROR whose message starts with "unavailable:" is read as
   * this status (docs/abi.md). */
  SEAM_UNAVAILABLE = 2,
} seam_status;

/* ABI 1.2: the JSON type of a value read with the host's input_* functions. */
typedef enum seam_json_type {
  SEAM_JSON_MISSING = 0, /* nothing at that path */
  SEAM_JSON_NULL = 1,
  SEAM_JSON_BOOL = 2,
  SEAM_JSON_INT = 3,    /* an integer that fits int64_t */
  SEAM_JSON_NUMBER = 4, /* any other number */
  SEAM_JSON_STRING = 5,
  SEAM_JSON_ARRAY = 6,
  SEAM_JSON_OBJECT = 7,
} seam_json_type;

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
 * check struct_size before using a field added after ABI 1.0. The table
 * itself lives as long as the process: a plugin may keep the pointer (to call
 * `match` from threads of its own); contexts live for one call only. */
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
  /* Non-zero once the host wants the call to stop (deadline passed, Ctrl-C).
   * This and remaining_ms may be called from any thread while the call runs
   * (a watcher thread of the plugin's own), never after it returned. */
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
   * `expect` is malformed (the reason is logged on ctx). Thread-safe; ctx may
   * be NULL, so that a plugin's own threads (a mock server's) can match too. */
  int (*match)(seam_ctx *ctx, const char *expect, size_t expect_len, const char *document,
               size_t document_len);
  /* ---- ABI 1.1: check struct_size (SEAM_HOST_HAS) before using these. ---- */
  /* The ${test.id} of the test this call belongs to (a step, test_begin,
   * test_end); "" outside a test (setup, teardown, resource open). Valid
   * until the call returns. Lets a plugin keep per-test state (a test's
   * transaction) whichever thread runs the test. */
  const char *(*test_id)(const seam_ctx *ctx);
  /* How many tests the run executes at once (`seam run --jobs N`; 1 when
   * sequential): a default size for connection pools. */
  uint32_t (*jobs)(const seam_ctx *ctx);
  /* ---- ABI 1.2: typed input and a built output, so that a C plugin needs no
   * JSON parser of its own. PATH is in the suite's path syntax ("a.b[0].c";
   * "" is the whole value) and applies to the call's input: a step's `with`,
   * a resource's table. Strings are valid until the call returns. ---- */
  seam_json_type (*input_type)(seam_ctx *ctx, const char *path);
  /* 1 when PATH holds a value of that type (ints also read as double), 0 when
   * it is missing or of another type; *out is untouched then. */
  int (*input_string)(seam_ctx *ctx, const char *path, const char **out, size_t *len);
  int (*input_int)(seam_ctx *ctx, const char *path, int64_t *out);
  int (*input_double)(seam_ctx *ctx, const char *path, double *out);
  int (*input_bool)(seam_ctx *ctx, const char *path, int *out);
  /* The value at PATH as JSON text (any type); 0 when missing. */
  int (*input_json)(seam_ctx *ctx, const char *path, const char **out, size_t *len);
  /* The number of elements of the array (or members of the object) at PATH;
   * -1 when PATH holds neither. */
  int64_t (*input_size)(seam_ctx *ctx, const char *path);
  /* Set PATH of the call's output object, making the objects and arrays on
   * the way ("rows[1].id" makes rows an array of at least two). When the call
   * returns SEAM_OK without set_output, what these built is its output.
   * output_json returns 0 (and sets nothing) when `json` does not parse. */
  void (*output_string)(seam_ctx *ctx, const char *path, const char *value, size_t len);
  void (*output_int)(seam_ctx *ctx, const char *path, int64_t value);
  void (*output_double)(seam_ctx *ctx, const char *path, double value);
  void (*output_bool)(seam_ctx *ctx, const char *path, int value);
  void (*output_null)(seam_ctx *ctx, const char *path);
  int (*output_json)(seam_ctx *ctx, const char *path, const char *json, size_t len);
} seam_host_api;

/* Non-zero when the host table has FIELD (a function appended after 1.0). */
#define SEAM_HOST_HAS(host, field)                                                                 \
  ((host)->struct_size >= offsetof(seam_host_api, field) + sizeof((host)->field) &&                \
   (host)->field != NULL)

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
  /* "query": the suite says use = "PLUGIN.query". Lower-case words of
   * [a-z][a-z0-9_]* joined by dots ("payment_intents.create") group steps
   * by what they act on (accepted from seam 0.1 with ABI 1.2). */
  const char *name;
  const char *summary; /* one line, for `seam plugins info` */
  /* JSON Schema of `with` (NULL: any object). An input whose subschema has
   * "x-seam-secret": true (a password, a token) is a secret whatever its
   * value: seam masks it in all output even when the step never runs. */
  const char *input_schema;
  const char *output_schema; /* JSON Schema of the output (NULL: undocumented) */
  seam_step_run_fn run;
  seam_resource_use resource; /* whether the step works on a resource */
  void *data;                 /* passed back to run as step_data (may be NULL) */
  /* ---- ABI 1.2 ---- */
  /* The kind of resource the step works on (see seam_resource_type.kind);
   * NULL: the plugin's first resource type. */
  const char *resource_kind;
} seam_step;

/* A kind of long-lived resource ([resources.NAME] with plugin = "PLUGIN"). */
typedef struct seam_resource_type {
  size_t struct_size;
  const char *summary;       /* one line */
  const char *config_schema; /* JSON Schema of the table, without `plugin`
                                ("x-seam-secret" as for step inputs) */
  /* Opens the resource NAME from its table (JSON object). Sets *handle and
   * may set_output an object of attributes (${resources.NAME.ATTR}). */
  seam_status (*open)(const seam_host_api *host, seam_ctx *ctx, void *state, const char *name,
                      const char *config, size_t config_len, void **handle);
  /* Closes what open returned; called once, after teardown, in reverse order. */
  void (*close)(void *state, void *handle);
  /* Optional (NULL: not needed). Called for every open resource of a suite
   * before a test's first step, and after its last cleanup step, for per-test
   * isolation (e.g. a transaction rolled back when the test ends). `test_id`
   * is the test's ${test.id}. A failing test_begin fails the test. */
  seam_status (*test_begin)(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle,
                            const char *test_id);
  void (*test_end)(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle,
                   const char *test_id);
  /* ---- ABI 1.2 ---- */
  /* [a-z][a-z0-9_]*: the suite picks it with `kind = "mock"` in
   * [resources.NAME]. NULL or "": the default kind, opened by a table that
   * has no `kind` (at most one type of a plugin may be the default). */
  const char *kind;
  /* Optional (NULL: close is called). Closes what open returned, like close,
   * but with a context: log lines and an output object set here (a service's
   * captured output, what a mock was sent) are the report's "close resource
   * NAME" entry, masked like all output. When set, close is not called. */
  void (*close_with_context)(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle);
} seam_resource_type;

typedef struct seam_plugin {
  size_t struct_size;
  uint32_t abi_major; /* SEAM_ABI_MAJOR at build time */
  uint32_t abi_minor; /* SEAM_ABI_MINOR at build time */
  /* [a-z][a-z0-9_]*; the library is seam-NAME.so. NULL with a non-NULL
   * summary: the plugin failed to describe itself and the summary says why
   * (the C++ wrapper does this when SEAM_PLUGIN's body throws); seam refuses
   * it with "FILE: the plugin failed to describe itself: SUMMARY". */
  const char *name;
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
  /* ---- ABI 1.2 ---- */
  /* Several kinds of resource (a Stripe plugin's client, mock and webhook
   * listener): resource_type_count pointers, each with its own `kind`. When
   * set, resource_type must be NULL. */
  const seam_resource_type *const *resource_types;
  size_t resource_type_count;
} seam_plugin;

/* The one function a plugin exports. Returns a descriptor that lives as long
 * as the library (usually a static). */
typedef const seam_plugin *(*seam_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* SEAM_PLUGIN_H */
