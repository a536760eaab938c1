/* crash.c - a plugin that takes its process down on purpose, in each way a
 * real plugin can: a signal, abort(), exit(), _exit(), memory without bound,
 * a loop that ignores cancellation, and crashes in a resource's open and
 * close. It also writes to stdout and stderr, as a plugin that prints instead
 * of logging does, and prints a secret it registered at run time. Built twice: seam-crash, and
 * seam-crash_init, whose init crashes as CRASH_INIT says (segv, abort or exit; segv when unset). */
#define _POSIX_C_SOURCE 200809L

#include <seam/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef CRASH_IN_INIT
#define PLUGIN_NAME "crash_init"
#else
#define PLUGIN_NAME "crash"
#endif

/* The compiler cannot see that this is NULL, so the store below is a real
 * store to address 0 (a SIGSEGV), not a trap instruction. */
static int *volatile nowhere = NULL;

/* UndefinedBehaviorSanitizer would turn the store into its own report and an
 * abort (tools/harden): the point is a real SIGSEGV. */
__attribute__((no_sanitize("undefined"))) static void segfault(void) { *nowhere = 1; }

static int64_t input_int(const seam_host_api *host, seam_ctx *ctx, const char *key, int64_t def) {
  int64_t v = def;
  if (host->input_type(ctx, key) != SEAM_JSON_MISSING)
    host->input_int(ctx, key, &v);
  return v;
}

static seam_status run_segv(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                            void *resource, const char *input, size_t len) {
  (void)host, (void)ctx, (void)data, (void)state, (void)resource, (void)input, (void)len;
  segfault();
  return SEAM_OK;
}

static seam_status run_abort(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                             void *resource, const char *input, size_t len) {
  (void)host, (void)ctx, (void)data, (void)state, (void)resource, (void)input, (void)len;
  abort();
}

static seam_status run_exit(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                            void *resource, const char *input, size_t len) {
  (void)data, (void)state, (void)resource, (void)input, (void)len;
  exit((int)input_int(host, ctx, "code", 0));
}

static seam_status run_quit(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                            void *resource, const char *input, size_t len) {
  (void)data, (void)state, (void)resource, (void)input, (void)len;
  _exit((int)input_int(host, ctx, "code", 0));
}

/* Allocates and touches 32 MiB at a time, never frees, and does not check
 * what malloc returns: it dies writing through NULL at the memory limit. */
static seam_status run_alloc(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                             void *resource, const char *input, size_t len) {
  (void)host, (void)ctx, (void)data, (void)state, (void)resource, (void)input, (void)len;
  const size_t chunk = (size_t)32 << 20;
  for (;;) {
    char *p = malloc(chunk);
    if (p == NULL)
      segfault();
    else
      memset(p, 1, chunk);
  }
  return SEAM_OK; /* never reached */
}

/* Never returns, whatever the deadline or an interrupt says. */
static seam_status run_spin(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                            void *resource, const char *input, size_t len) {
  (void)host, (void)ctx, (void)data, (void)state, (void)resource, (void)input, (void)len;
  for (;;) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  return SEAM_OK; /* never reached */
}

/* The line goes out in one write: under --jobs, two tests print at once, and
 * a line written in two parts (text, then newline) could be split by the
 * other's. */
static void print_member(const seam_host_api *host, seam_ctx *ctx, const char *key, FILE *to) {
  const char *text;
  size_t n;
  char *line;
  if (host->input_type(ctx, key) == SEAM_JSON_STRING && host->input_string(ctx, key, &text, &n)) {
    line = malloc(n + 1);
    if (line == NULL)
      return;
    memcpy(line, text, n);
    line[n] = '\n';
    fwrite(line, 1, n + 1, to);
    fflush(to);
    free(line);
  }
}

/* Prints "out" to stdout and "err" to stderr; fails when "fail" is true. */
static seam_status run_print(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                             void *resource, const char *input, size_t len) {
  int fail = 0;
  (void)data, (void)state, (void)resource, (void)input, (void)len;
  print_member(host, ctx, "out", stdout);
  print_member(host, ctx, "err", stderr);
  if (host->input_type(ctx, "fail") == SEAM_JSON_BOOL)
    host->input_bool(ctx, "fail", &fail);
  if (fail) {
    static const char msg[] = "crash.print was told to fail";
    host->set_error(ctx, msg, sizeof msg - 1);
    return SEAM_ERROR;
  }
  return SEAM_OK;
}

/* Returns an output that is not JSON: the host must refuse it, whether or
 * not the step reads its output. */
static seam_status run_garbage(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                               void *resource, const char *input, size_t len) {
  static const char text[] = "{\"rows\": [1, 2";
  (void)data, (void)state, (void)resource, (void)input, (void)len;
  host->set_output(ctx, text, sizeof text - 1);
  return SEAM_OK;
}

/* The value step "secret" registers with add_secret at run time, so that only
 * the worker knows it at first; and the forms it prints it in. */
#define SECRET "Sk!p@ss w/rd\"Q9x"
static const char *const secret_forms[] = {
    ("plain " SECRET), "url Sk%21p%40ss%20w%2Frd%22Q9x",
    "base64 U2shcEBzcyB3L3JkIlE5eA==", "json Sk!p@ss w/rd\\\"Q9x"};

/* Registers SECRET, prints it in each form to stdout and stderr (unbuffered:
 * stderr; stdout: flushed), then crashes (SIGSEGV) when "crash" is true, or
 * fails with a message that holds it. */
static seam_status run_secret(const seam_host_api *host, seam_ctx *ctx, void *data, void *state,
                              void *resource, const char *input, size_t len) {
  static const char msg[] = "crash.secret failed with " SECRET;
  int crash = 0;
  size_t i;
  (void)data, (void)state, (void)resource, (void)input, (void)len;
  host->add_secret(ctx, SECRET, sizeof SECRET - 1);
  for (i = 0; i < sizeof secret_forms / sizeof secret_forms[0]; ++i) {
    printf("out %s\n", secret_forms[i]);
    fprintf(stderr, "err %s\n", secret_forms[i]);
  }
  fflush(stdout);
  if (host->input_type(ctx, "crash") == SEAM_JSON_BOOL)
    host->input_bool(ctx, "crash", &crash);
  if (crash)
    segfault();
  host->set_error(ctx, msg, sizeof msg - 1);
  return SEAM_ERROR;
}

/* ---- a resource that crashes in open or close ---------------------------- */

static char closing_crashes;

static seam_status open_resource(const seam_host_api *host, seam_ctx *ctx, void *state,
                                 const char *name, const char *config, size_t config_len,
                                 void **handle) {
  (void)host, (void)ctx, (void)state, (void)name, (void)config_len;
  if (strstr(config, "\"open\"") != NULL)
    segfault();
  *handle = strstr(config, "\"close\"") != NULL ? &closing_crashes : NULL;
  return SEAM_OK;
}

static void close_resource(void *state, void *handle) {
  (void)state;
  if (handle == &closing_crashes)
    abort();
}

static const seam_resource_type resource_type = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "A resource that crashes where `crash` says: open, close or none",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"crash\":{\"enum\":[\"open\","
                     "\"close\",\"none\"]}},\"additionalProperties\":false}",
    .open = open_resource,
    .close = close_resource,
};

#define STEP(n, s, f, schema)                                                                      \
  static const seam_step step_##n = {.struct_size = sizeof(seam_step),                             \
                                     .name = #n,                                                   \
                                     .summary = s,                                                 \
                                     .input_schema = schema,                                       \
                                     .run = f}
#define CODE_SCHEMA "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"integer\"}}}"
STEP(segv, "writes through a NULL pointer (SIGSEGV)", run_segv, NULL);
STEP(abort, "calls abort()", run_abort, NULL);
STEP(exit, "calls exit(code)", run_exit, CODE_SCHEMA);
STEP(quit, "calls _exit(code)", run_quit, CODE_SCHEMA);
STEP(alloc, "allocates without bound, and dies at the memory limit", run_alloc, NULL);
STEP(spin, "loops forever, ignoring its deadline and interrupts", run_spin, NULL);
STEP(print, "prints `out` to stdout and `err` to stderr; fails when `fail` is true", run_print,
     "{\"type\":\"object\",\"properties\":{\"out\":{\"type\":\"string\"},"
     "\"err\":{\"type\":\"string\"},\"fail\":{\"type\":\"boolean\"}}}");

STEP(garbage, "returns an output that is not JSON", run_garbage, NULL);
STEP(secret, "registers a secret, prints it in several forms, and crashes if `crash` is true",
     run_secret, "{\"type\":\"object\",\"properties\":{\"crash\":{\"type\":\"boolean\"}}}");

static const seam_step *const steps[] = {&step_segv,  &step_abort,   &step_exit,
                                         &step_quit,  &step_alloc,   &step_spin,
                                         &step_print, &step_garbage, &step_secret};

#ifdef CRASH_IN_INIT
static seam_status init(const seam_host_api *host, seam_ctx *ctx, void **state) {
  const char *how = getenv("CRASH_INIT");
  (void)host, (void)ctx, (void)state;
  if (how != NULL && strcmp(how, "abort") == 0)
    abort();
  if (how != NULL && strcmp(how, "exit") == 0)
    exit(0);
  segfault();
  return SEAM_OK;
}
#endif

static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = SEAM_ABI_MINOR,
    .name = PLUGIN_NAME,
    .version = "1.0.0",
    .summary = "Crashes on purpose: signals, abort, exit, memory, hangs, output, resources",
    .steps = steps,
    .step_count = sizeof steps / sizeof steps[0],
    .resource_type = &resource_type,
#ifdef CRASH_IN_INIT
    .init = init,
#endif
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
