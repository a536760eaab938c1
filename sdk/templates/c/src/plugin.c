/* @NAME@ - a seam plugin in C: the step @NAME@.greet, and a resource (a
 * counter) with the step @NAME@.count on it. seam's docs/plugin-authoring.md
 * explains each part. */
#include <seam/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static seam_status fail(const seam_host_api *host, seam_ctx *ctx, const char *message) {
  host->set_error(ctx, message, strlen(message)); /* copied */
  return SEAM_ERROR;
}

static seam_status run_greet(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                             void *resource, const char *input, size_t len) {
  const char *who = "world";
  size_t who_len = 5;
  char text[256];
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (!SEAM_HOST_HAS(host, input_string))
    return fail(host, ctx, "@NAME@.greet needs a seam with ABI 1.2 or later");
  host->input_string(ctx, "who", &who, &who_len); /* the schema requires it */
  snprintf(text, sizeof text, "hello %.*s", (int)who_len, who);
  host->output_string(ctx, "text", text, strlen(text));
  return SEAM_OK; /* the output is what output_* built */
}

/* One [resources.NAME] table with plugin = "@NAME@". */
typedef struct counter {
  long long value;
} counter;

static seam_status open_counter(const seam_host_api *host, seam_ctx *ctx, void *state,
                                const char *name, const char *config, size_t config_len,
                                void **handle) {
  int64_t start = 0;
  counter *c;
  (void)state, (void)name, (void)config, (void)config_len;
  host->input_int(ctx, "start", &start); /* untouched when missing */
  c = (counter *)malloc(sizeof *c);
  if (!c)
    return fail(host, ctx, "@NAME@: out of memory");
  c->value = start;
  host->output_int(ctx, "start", start); /* ${resources.NAME.start} */
  *handle = c;
  return SEAM_OK;
}

static void close_counter(void *state, void *handle) {
  (void)state;
  free(handle);
}

static seam_status run_count(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                             void *resource, const char *input, size_t len) {
  counter *c = (counter *)resource;
  (void)step_data, (void)state, (void)input, (void)len;
  /* Tests may run at once (--jobs): the counter is changed atomically. */
  host->output_int(ctx, "count", __atomic_add_fetch(&c->value, 1, __ATOMIC_SEQ_CST));
  return SEAM_OK;
}

static const seam_step greet = {
    .struct_size = sizeof(seam_step),
    .name = "greet",
    .summary = "Greets someone: {text: \"hello WHO\"}",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"who\":{\"type\":\"string\","
                    "\"minLength\":1}},\"required\":[\"who\"],\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}",
    .run = run_greet,
    .resource = SEAM_RESOURCE_NONE,
};

static const seam_step count = {
    .struct_size = sizeof(seam_step),
    .name = "count",
    .summary = "Adds one to the counter and returns {count}",
    .input_schema = "{\"type\":\"object\",\"additionalProperties\":false}",
    .output_schema = "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"}}}",
    .run = run_count,
    .resource = SEAM_RESOURCE_REQUIRED,
};

static const seam_step *const steps[] = {&greet, &count};

static const seam_resource_type counter_type = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "A counter shared by the suite's tests",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"start\":{\"type\":\"integer\","
                     "\"description\":\"first value\"}},\"additionalProperties\":false}",
    .open = open_counter,
    .close = close_counter,
};

static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = SEAM_ABI_MINOR,
    .name = "@NAME@",
    .version = "1.0.0",
    .summary = "@NAME@: greets, and counts on a resource",
    .steps = steps,
    .step_count = sizeof steps / sizeof steps[0],
    .resource_type = &counter_type,
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
