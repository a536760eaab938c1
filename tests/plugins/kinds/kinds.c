/* kinds.c - a C99 test plugin with three kinds of resource (ABI 1.2): the
 * default kind ([resources.X] plugin = "kinds"), "mock" and "webhook". Each
 * kind has its own config schema and publishes what it was opened with; only
 * "mock" has per-test hooks, which count the tests begun and ended on it.
 * The step "down" and a mock opened with down = true fail with
 * SEAM_UNAVAILABLE. Also built as "solo" (KINDS_SOLO: one named kind, which a
 * table without `kind` opens too) and as "pair" (KINDS_PAIR: two named kinds
 * and no default, so a table must say which).
 */
#include <seam/plugin.h>

#include <stdlib.h>
#include <string.h>

struct handle {
  char kind[16];
  long begun, ended;
};

static seam_status fail(const seam_host_api *host, seam_ctx *ctx, const char *message) {
  host->set_error(ctx, message, strlen(message));
  return SEAM_ERROR;
}

/* Opens any kind: checks that `kind` never reaches the plugin, then
 * publishes {kind, name, config} (the config as the host gave it). */
static seam_status open_kind(const seam_host_api *host, seam_ctx *ctx, const char *kind,
                             const char *name, void **out) {
  struct handle *h;
  const char *config;
  size_t len;
  int down = 0;
  if (host->input_type(ctx, "kind") != SEAM_JSON_MISSING)
    return fail(host, ctx, "kinds: the host passed `kind` to open");
  if (host->input_bool(ctx, "down", &down) && down) {
    static const char message[] = "kinds: the mocked service is down";
    host->set_error(ctx, message, sizeof message - 1);
    return SEAM_UNAVAILABLE;
  }
  h = calloc(1, sizeof *h);
  if (h == NULL)
    return fail(host, ctx, "kinds: out of memory");
  strncpy(h->kind, kind, sizeof h->kind - 1);
  host->output_string(ctx, "kind", kind, strlen(kind));
  host->output_string(ctx, "name", name, strlen(name));
  if (host->input_json(ctx, "", &config, &len))
    host->output_json(ctx, "config", config, len);
  *out = h;
  return SEAM_OK;
}

#define OPENER(FN, KIND)                                                                           \
  static seam_status FN(const seam_host_api *host, seam_ctx *ctx, void *state, const char *name,   \
                        const char *config, size_t len, void **out) {                              \
    (void)state, (void)config, (void)len;                                                          \
    return open_kind(host, ctx, KIND, name, out);                                                  \
  }

static void close_kind(void *state, void *handle) {
  (void)state;
  free(handle);
}

/* Every step returns the kind of the resource it ran on and its hook counts. */
static seam_status run_which(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                             void *resource, const char *input, size_t len) {
  const struct handle *h = resource;
  (void)step_data, (void)state, (void)input, (void)len;
  if (h == NULL)
    return fail(host, ctx, "kinds: no resource given");
  host->output_string(ctx, "kind", h->kind, strlen(h->kind));
  host->output_int(ctx, "begun", h->begun);
  host->output_int(ctx, "ended", h->ended);
  return SEAM_OK;
}

#define OUT "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\"}}}"
#define STEP(NAME, KIND)                                                                           \
  {                                                                                                \
    .struct_size = sizeof(seam_step), .name = NAME, .summary = "Returns the kind it runs on",      \
    .input_schema = "{\"type\":\"object\",\"additionalProperties\":false}", .output_schema = OUT,  \
    .run = run_which, .resource = SEAM_RESOURCE_REQUIRED, .resource_kind = KIND                    \
  }

#if defined(KINDS_SOLO)

OPENER(open_only, "only")

#elif defined(KINDS_PAIR)

OPENER(open_left, "left")
OPENER(open_right, "right")

#else

OPENER(open_default, "default")
OPENER(open_mock, "mock")
OPENER(open_webhook, "webhook")

static seam_status mock_begin(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle,
                              const char *test_id) {
  (void)host, (void)ctx, (void)state, (void)test_id;
  ((struct handle *)handle)->begun++;
  return SEAM_OK;
}

static void mock_end(const seam_host_api *host, seam_ctx *ctx, void *state, void *handle,
                     const char *test_id) {
  (void)host, (void)ctx, (void)state, (void)test_id;
  ((struct handle *)handle)->ended++;
}

#endif

#if defined(KINDS_SOLO)

static const seam_step step_only = STEP("only", NULL);
static const seam_step *const steps[] = {&step_only};
static const seam_resource_type only = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "The only kind",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"size\":{\"type\":\"integer\"}},"
                     "\"additionalProperties\":false}",
    .open = open_only,
    .close = close_kind,
    .kind = "only",
};
static const seam_resource_type *const types[] = {&only};
#define NAME "solo"

#elif defined(KINDS_PAIR)

static const seam_step step_left = STEP("left", NULL);
static const seam_step step_right = STEP("right", "right");
static const seam_step *const steps[] = {&step_left, &step_right};
static const seam_resource_type left = {.struct_size = sizeof(seam_resource_type),
                                        .summary = "One of two named kinds",
                                        .open = open_left,
                                        .close = close_kind,
                                        .kind = "left"};
static const seam_resource_type right = {.struct_size = sizeof(seam_resource_type),
                                         .summary = "The other",
                                         .open = open_right,
                                         .close = close_kind,
                                         .kind = "right"};
static const seam_resource_type *const types[] = {&left, &right};
#define NAME "pair"

#else

/* Fails with the ABI 1.2 status for an unreachable dependency. */
static seam_status run_down(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                            void *resource, const char *input, size_t len) {
  static const char message[] = "kinds: the service is down";
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  host->set_error(ctx, message, sizeof message - 1);
  return SEAM_UNAVAILABLE;
}

static const seam_step step_down = {.struct_size = sizeof(seam_step),
                                    .name = "down",
                                    .summary = "Fails with SEAM_UNAVAILABLE",
                                    .run = run_down};
static const seam_step step_call = STEP("call", NULL);
static const seam_step step_mocked = STEP("mocked", "mock");
static const seam_step step_hook = STEP("hook", "webhook");
static const seam_step *const steps[] = {&step_call, &step_mocked, &step_hook, &step_down};

static const seam_resource_type client = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "A client of the real service (the default kind)",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\","
                     "\"description\":\"where the service listens\"}},\"required\":[\"url\"],"
                     "\"additionalProperties\":false}",
    .open = open_default,
    .close = close_kind,
};
static const seam_resource_type mock = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "A mock of the service, reset before each test",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"port\":{\"type\":\"integer\","
                     "\"description\":\"port to listen on\"},\"down\":{\"type\":\"boolean\","
                     "\"description\":\"open fails with SEAM_UNAVAILABLE\"}},"
                     "\"additionalProperties\":false}",
    .open = open_mock,
    .close = close_kind,
    .test_begin = mock_begin,
    .test_end = mock_end,
    .kind = "mock",
};
static const seam_resource_type webhook = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "A listener for the service's webhooks",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\","
                     "\"description\":\"URL path to accept\"}},\"additionalProperties\":false}",
    .open = open_webhook,
    .close = close_kind,
    .kind = "webhook",
};
static const seam_resource_type *const types[] = {&client, &mock, &webhook};
#define NAME "kinds"

#endif

static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = SEAM_ABI_MINOR,
    .name = NAME,
    .version = "1.0.0",
    .summary = "Test plugin with several kinds of resource",
    .steps = steps,
    .step_count = sizeof steps / sizeof steps[0],
    .resource_types = types,
    .resource_type_count = sizeof types / sizeof types[0],
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
