/* probe.c - the test plugin that exercises every part of seam's plugin ABI.
 *
 * Written in plain C99 against seam/plugin.h alone, as the proof that the ABI
 * needs neither C++ nor any library: the steps below give the core's tests
 * and benchmarks a plugin whose behaviour is fully predictable (a no-op, an
 * echo, a failure, a cancellable sleep, a per-key counter, logging, secrets
 * and a resource that records when it is opened and closed). It reads its
 * input and builds its output with the host's typed functions (ABI 1.2), so
 * it carries no JSON code of its own.
 */
#define _POSIX_C_SOURCE 200809L

#include <seam/plugin.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers -------------------------------------------------------------- */

static seam_status fail(const seam_host_api *host, seam_ctx *ctx, const char *message) {
  host->set_error(ctx, message, strlen(message));
  return SEAM_ERROR;
}

/* Copies the optional string member KEY of the call's input into a new
 * NUL-terminated buffer (*value, free() it; NULL when KEY is absent). */
static seam_status optional_string(const seam_host_api *host, seam_ctx *ctx, const char *key,
                                   char **value) {
  char message[128];
  const char *text;
  size_t len;
  *value = NULL;
  if (host->input_type(ctx, key) == SEAM_JSON_MISSING)
    return SEAM_OK;
  if (!host->input_string(ctx, key, &text, &len)) {
    snprintf(message, sizeof message, "probe: \"%s\" must be a string", key);
    return fail(host, ctx, message);
  }
  *value = malloc(len + 1);
  if (*value == NULL)
    return fail(host, ctx, "probe: out of memory");
  memcpy(*value, text, len);
  (*value)[len] = '\0';
  return SEAM_OK;
}

static void output_cstr(const seam_host_api *host, seam_ctx *ctx, const char *path,
                        const char *value) {
  host->output_string(ctx, path, value, strlen(value));
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- steps ---------------------------------------------------------------- */

static seam_status run_noop(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                            void *resource, const char *input, size_t len) {
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  host->set_output(ctx, "{}", 2);
  return SEAM_OK;
}

static seam_status run_echo(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                            void *resource, const char *input, size_t len) {
  (void)step_data, (void)state, (void)resource;
  if (input == NULL || len == 0 || !host->output_json(ctx, "input", input, len))
    host->output_json(ctx, "input", "{}", 2);
  return SEAM_OK;
}

static seam_status run_fail(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                            void *resource, const char *input, size_t len) {
  char *message;
  seam_status status;
  (void)step_data, (void)state, (void)resource;
  (void)input, (void)len;
  if (optional_string(host, ctx, "message", &message) != SEAM_OK)
    return SEAM_ERROR;
  status = fail(host, ctx, message != NULL ? message : "probe failure");
  free(message);
  return status;
}

static seam_status run_sleep(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                             void *resource, const char *input, size_t len) {
  int64_t ms = 0;
  double start = now_ms(), elapsed;
  char text[64];
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (!host->input_int(ctx, "ms", &ms) || ms < 0)
    return fail(host, ctx, "probe.sleep: \"ms\" must be an integer >= 0");
  /* Short slices so that a deadline or Ctrl-C stops the step within ~5 ms. */
  while ((elapsed = now_ms() - start) < (double)ms) {
    double left = (double)ms - elapsed;
    struct timespec slice;
    if (host->cancelled(ctx)) {
      snprintf(text, sizeof text, "cancelled after %ld ms", (long)elapsed);
      return fail(host, ctx, text);
    }
    if (left > 5)
      left = 5;
    slice.tv_sec = 0;
    slice.tv_nsec = (long)(left * 1e6);
    nanosleep(&slice, NULL);
  }
  host->output_int(ctx, "slept_ms", ms);
  return SEAM_OK;
}

/* Sleeps ms milliseconds and ignores cancellation: a plugin that blocks in a
 * call with no timeout of its own, for the tests of what seam does then. */
static seam_status run_block(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                             void *resource, const char *input, size_t len) {
  int64_t ms = 0;
  struct timespec ts;
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (!host->input_int(ctx, "ms", &ms) || ms < 0)
    return fail(host, ctx, "probe.block: \"ms\" must be an integer >= 0");
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
  host->set_output(ctx, "{}", 2);
  return SEAM_OK;
}

/* Process-wide counters, one per key: retry tests poll probe.count until it
 * reaches a value, which needs state that outlives a single call. */
struct counter {
  char *key;
  long count;
  struct counter *next;
};
static struct counter *counters;
static pthread_mutex_t counters_lock = PTHREAD_MUTEX_INITIALIZER;

static long bump(const char *key) {
  struct counter *c;
  long n = -1;
  pthread_mutex_lock(&counters_lock);
  for (c = counters; c != NULL && strcmp(c->key, key) != 0; c = c->next) {
  }
  if (c == NULL && (c = malloc(sizeof *c)) != NULL) {
    c->key = malloc(strlen(key) + 1);
    if (c->key == NULL) {
      free(c);
      c = NULL;
    } else {
      strcpy(c->key, key);
      c->count = 0;
      c->next = counters;
      counters = c;
    }
  }
  if (c != NULL)
    n = ++c->count;
  pthread_mutex_unlock(&counters_lock);
  return n;
}

static seam_status run_count(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                             void *resource, const char *input, size_t len) {
  char *key;
  long n;
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (optional_string(host, ctx, "key", &key) != SEAM_OK)
    return SEAM_ERROR;
  n = bump(key != NULL ? key : "default");
  free(key);
  if (n < 0)
    return fail(host, ctx, "probe: out of memory");
  host->output_int(ctx, "count", n);
  return SEAM_OK;
}

static long peek(const char *key) {
  struct counter *c;
  long n = 0;
  pthread_mutex_lock(&counters_lock);
  for (c = counters; c != NULL && strcmp(c->key, key) != 0; c = c->next) {
  }
  if (c != NULL)
    n = c->count;
  pthread_mutex_unlock(&counters_lock);
  return n;
}

/* Arrives at the meeting point `key` and waits until `n` callers have arrived
 * (or the call is cancelled): it passes only when n steps run at once, which
 * proves parallelism without measuring time. */
static seam_status run_gather(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                              void *state, void *resource, const char *input, size_t len) {
  char *key;
  int64_t n = 0;
  long arrived;
  char text[128];
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (optional_string(host, ctx, "key", &key) != SEAM_OK)
    return SEAM_ERROR;
  if (key == NULL || !host->input_int(ctx, "n", &n) || n < 1) {
    free(key);
    return fail(host, ctx, "probe.gather: needs \"key\" and \"n\" >= 1");
  }
  bump(key);
  while ((arrived = peek(key)) < n) {
    struct timespec slice = {0, 2000000};
    if (host->cancelled(ctx)) {
      free(key);
      snprintf(text, sizeof text, "cancelled with %ld of %ld arrived", arrived, (long)n);
      return fail(host, ctx, text);
    }
    nanosleep(&slice, NULL);
  }
  free(key);
  host->output_int(ctx, "arrived", arrived);
  return SEAM_OK;
}

/* What the host says about the call (ABI 1.1): its test and the run's jobs. */
static seam_status run_context(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                               void *state, void *resource, const char *input, size_t len) {
  const char *id = host->test_id(ctx);
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  output_cstr(host, ctx, "test_id", id != NULL ? id : "");
  host->output_int(ctx, "jobs", (int64_t)host->jobs(ctx));
  return SEAM_OK;
}

static seam_status run_log(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                           void *resource, const char *input, size_t len) {
  char *message;
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (optional_string(host, ctx, "message", &message) != SEAM_OK)
    return SEAM_ERROR;
  if (message != NULL)
    host->log(ctx, SEAM_LOG_INFO, message, strlen(message));
  free(message);
  host->set_output(ctx, "{}", 2);
  return SEAM_OK;
}

static seam_status run_secret(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                              void *state, void *resource, const char *input, size_t len) {
  char *value;
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (optional_string(host, ctx, "value", &value) != SEAM_OK)
    return SEAM_ERROR;
  if (value == NULL)
    return fail(host, ctx, "probe.secret: \"value\" is required");
  host->add_secret(ctx, value, strlen(value));
  /* Deliberately echoes the secret: the host must mask it everywhere. */
  output_cstr(host, ctx, "value", value);
  free(value);
  return SEAM_OK;
}

/* ---- the resource type ---------------------------------------------------- */

struct probe_resource {
  char *name;
  char *tag;
  char *log; /* NULL: no log file */
};

/* Appends "WHAT NAME" to the log file, so tests can check the order in which
 * resources are opened and closed. */
static int append_log(const char *path, const char *what, const char *name) {
  FILE *f;
  if (path == NULL)
    return 1;
  f = fopen(path, "a");
  if (f == NULL)
    return 0;
  fprintf(f, "%s %s\n", what, name);
  return fclose(f) == 0;
}

static void free_resource(struct probe_resource *r) {
  if (r == NULL)
    return;
  free(r->name);
  free(r->tag);
  free(r->log);
  free(r);
}

static seam_status open_resource(const seam_host_api *host, seam_ctx *ctx, void *state,
                                 const char *name, const char *config, size_t len, void **handle) {
  struct probe_resource *r;
  char *failure = NULL, *say = NULL;
  char message[512];
  (void)state, (void)config, (void)len;
  *handle = NULL;
  if (optional_string(host, ctx, "fail", &failure) != SEAM_OK)
    return SEAM_ERROR;
  if (failure != NULL) {
    seam_status status = fail(host, ctx, failure);
    free(failure);
    return status;
  }
  if (optional_string(host, ctx, "say", &say) != SEAM_OK)
    return SEAM_ERROR;
  if (say != NULL)
    host->log(ctx, SEAM_LOG_INFO, say, strlen(say));
  free(say);
  r = calloc(1, sizeof *r);
  if (r == NULL)
    return fail(host, ctx, "probe: out of memory");
  if (optional_string(host, ctx, "tag", &r->tag) != SEAM_OK ||
      optional_string(host, ctx, "log", &r->log) != SEAM_OK) {
    free_resource(r);
    return SEAM_ERROR;
  }
  r->name = malloc(strlen(name) + 1);
  if (r->name == NULL || (r->tag == NULL && (r->tag = calloc(1, 1)) == NULL)) {
    free_resource(r);
    return fail(host, ctx, "probe: out of memory");
  }
  strcpy(r->name, name);
  if (!append_log(r->log, "open", name)) {
    snprintf(message, sizeof message,
             "probe: cannot append to log file %.400s; check that its directory exists", r->log);
    free_resource(r);
    return fail(host, ctx, message);
  }
  output_cstr(host, ctx, "tag", r->tag);
  output_cstr(host, ctx, "name", r->name);
  host->output_int(ctx, "port", 1234);
  *handle = r;
  return SEAM_OK;
}

static void close_resource(void *state, void *handle) {
  struct probe_resource *r = handle;
  (void)state;
  if (r == NULL)
    return;
  append_log(r->log, "close", r->name);
  free_resource(r);
}

static seam_status run_resource_tag(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                                    void *state, void *resource, const char *input, size_t len) {
  const struct probe_resource *r = resource;
  (void)step_data, (void)state, (void)input, (void)len;
  if (r == NULL)
    return fail(host, ctx,
                "probe.resource_tag: no resource given (the host should have "
                "refused the step)");
  output_cstr(host, ctx, "tag", r->tag);
  output_cstr(host, ctx, "name", r->name);
  return SEAM_OK;
}

/* ---- descriptor ----------------------------------------------------------- */

#define EMPTY_OBJECT "{\"type\":\"object\",\"additionalProperties\":false}"

/* Designated initializers: fields appended by later ABI minors are zero, which
 * the ABI defines as "not provided". */
static const seam_step step_noop = {
    .struct_size = sizeof(seam_step),
    .name = "noop",
    .summary = "Does nothing and returns {} (the cheapest step, for benchmarks)",
    .input_schema = "{\"type\":\"object\"}",
    .output_schema = EMPTY_OBJECT,
    .run = run_noop,
};

static const seam_step step_echo = {
    .struct_size = sizeof(seam_step),
    .name = "echo",
    .summary = "Returns its input as {\"input\": <input>}",
    .input_schema = "{\"type\":\"object\"}",
    .output_schema = "{\"type\":\"object\",\"properties\":{\"input\":{\"type\":\"object\"}},"
                     "\"required\":[\"input\"]}",
    .run = run_echo,
};

static const seam_step step_fail = {
    .struct_size = sizeof(seam_step),
    .name = "fail",
    .summary = "Fails with the given message (default \"probe failure\")",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\","
                    "\"description\":\"the error message\",\"default\":\"probe failure\"}},"
                    "\"additionalProperties\":false}",
    .run = run_fail,
};

static const seam_step step_sleep = {
    .struct_size = sizeof(seam_step),
    .name = "sleep",
    .summary = "Sleeps ms milliseconds, stopping early when cancelled",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"ms\":{\"type\":\"integer\","
                    "\"minimum\":0,\"description\":\"how long to sleep, in milliseconds\"},"
                    "\"password\":{\"type\":\"string\",\"x-seam-secret\":true,"
                    "\"description\":\"ignored; a secret by schema, for the masking tests\"}},"
                    "\"required\":[\"ms\"],\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"properties\":{\"slept_ms\":{\"type\":\"integer\"}}}",
    .run = run_sleep,
};

static const seam_step step_block = {
    .struct_size = sizeof(seam_step),
    .name = "block",
    .summary = "Sleeps ms milliseconds ignoring cancellation (a misbehaving plugin)",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"ms\":{\"type\":\"integer\","
                    "\"minimum\":0}},\"required\":[\"ms\"],\"additionalProperties\":false}",
    .output_schema = EMPTY_OBJECT,
    .run = run_block,
};

static const seam_step step_count = {
    .struct_size = sizeof(seam_step),
    .name = "count",
    .summary = "Counts calls per key across the process: 1, 2, 3...",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\","
                    "\"default\":\"default\"}},\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\","
                     "\"minimum\":1}}}",
    .run = run_count,
};

static const seam_step step_log = {
    .struct_size = sizeof(seam_step),
    .name = "log",
    .summary = "Logs the message at INFO through the host",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}},"
                    "\"required\":[\"message\"],\"additionalProperties\":false}",
    .output_schema = EMPTY_OBJECT,
    .run = run_log,
};

static const seam_step step_secret = {
    .struct_size = sizeof(seam_step),
    .name = "secret",
    .summary = "Declares value a secret, then returns it (it must show as masked)",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"string\"}},"
                    "\"required\":[\"value\"],\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"string\"}}}",
    .run = run_secret,
};

static const seam_step step_resource_tag = {
    .struct_size = sizeof(seam_step),
    .name = "resource_tag",
    .summary = "Returns the tag and name of the probe resource it is on",
    .input_schema = EMPTY_OBJECT,
    .output_schema = "{\"type\":\"object\",\"properties\":{\"tag\":{\"type\":\"string\"},"
                     "\"name\":{\"type\":\"string\"}}}",
    .run = run_resource_tag,
    .resource = SEAM_RESOURCE_REQUIRED,
};

static const seam_step step_gather = {
    .struct_size = sizeof(seam_step),
    .name = "gather",
    .summary = "Waits until n calls with the same key have arrived (parallelism proof)",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"},"
                    "\"n\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"key\",\"n\"],"
                    "\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"properties\":{\"arrived\":{\"type\":\"integer\"}}}",
    .run = run_gather,
};

static const seam_step step_context = {
    .struct_size = sizeof(seam_step),
    .name = "context",
    .summary = "Returns the host's test_id and jobs for this call",
    .input_schema = EMPTY_OBJECT,
    .output_schema = "{\"type\":\"object\",\"properties\":{\"test_id\":{\"type\":\"string\"},"
                     "\"jobs\":{\"type\":\"integer\"}}}",
    .run = run_context,
};

static const seam_step *const steps[] = {
    &step_noop,   &step_echo,         &step_fail,   &step_sleep,   &step_count, &step_log,
    &step_secret, &step_resource_tag, &step_gather, &step_context, &step_block};

static const seam_resource_type resource_type = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "A resource that publishes {tag, name, port} and logs its open/close to a file",
    .config_schema =
        "{\"type\":\"object\",\"properties\":{"
        "\"tag\":{\"type\":\"string\",\"description\":\"published as ${resources.NAME.tag}\"},"
        "\"log\":{\"type\":\"string\",\"description\":\"file to append 'open NAME' and "
        "'close NAME' to\"},"
        "\"fail\":{\"type\":\"string\",\"description\":\"make open fail with this message\"},"
        "\"say\":{\"type\":\"string\",\"description\":\"log this line when opened\"}},"
        "\"additionalProperties\":false}",
    .open = open_resource,
    .close = close_resource,
};

static void shutdown_plugin(void *state) {
  (void)state;
  pthread_mutex_lock(&counters_lock);
  while (counters != NULL) {
    struct counter *next = counters->next;
    free(counters->key);
    free(counters);
    counters = next;
  }
  pthread_mutex_unlock(&counters_lock);
}

static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = SEAM_ABI_MINOR,
    .name = "probe",
    .version = "1.0.0",
    .summary =
        "Test probe: no-op, echo, failure, sleep, counters, logs, secrets, a resource, parallelism",
    .steps = steps,
    .step_count = sizeof steps / sizeof steps[0],
    .resource_type = &resource_type,
    .shutdown = shutdown_plugin,
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
