/* old_abi.c - a plugin built from an OLD seam/plugin.h (v1_0/ or v1_1/, copied
 * from the SDK's history), the proof that a newer host still loads and runs
 * it: a resource, a step on it, a plain error and a 1.0-style "unavailable:"
 * error, which the host must read as an unreachable service. Written against
 * 1.0 only (plus test_id when built for 1.1); it has no JSON parser, so it
 * looks for "down":true in the host's compact rendering of the table.
 */
#include <seam/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if SEAM_ABI_MAJOR != 1 || SEAM_ABI_MINOR != OLD_MINOR
#error "old_abi.c must be built from the old header of its directory"
#endif

struct res {
  char name[64];
};

static seam_status fail(const seam_host_api *host, seam_ctx *ctx, const char *message) {
  host->set_error(ctx, message, strlen(message));
  return SEAM_ERROR;
}

static seam_status open_res(const seam_host_api *host, seam_ctx *ctx, void *state, const char *name,
                            const char *config, size_t len, void **handle) {
  struct res *r;
  char out[160];
  (void)state, (void)len;
  *handle = NULL;
  if (strstr(config, "\"down\":true") != NULL)
    return fail(host, ctx, "unavailable: the old service is down");
  r = calloc(1, sizeof *r);
  if (r == NULL)
    return fail(host, ctx, "out of memory");
  strncpy(r->name, name, sizeof r->name - 1);
  snprintf(out, sizeof out, "{\"name\":\"%s\",\"minor\":%d}", r->name, OLD_MINOR);
  host->set_output(ctx, out, strlen(out));
  *handle = r;
  return SEAM_OK;
}

static void close_res(void *state, void *handle) {
  (void)state;
  free(handle);
}

static seam_status run_greet(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                             void *resource, const char *input, size_t len) {
  const struct res *r = resource;
  char out[200];
  const char *test = "";
  (void)step_data, (void)state, (void)input, (void)len;
#if OLD_MINOR >= 1
  test = host->test_id(ctx);
#endif
  snprintf(out, sizeof out, "{\"greeting\":\"hello %s\",\"has_test_id\":%s}", r->name,
           test[0] != '\0' ? "true" : "false");
  host->set_output(ctx, out, strlen(out));
  return SEAM_OK;
}

static seam_status run_broken(const seam_host_api *host, seam_ctx *ctx, void *step_data,
                              void *state, void *resource, const char *input, size_t len) {
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  return fail(host, ctx, "old plugin broke");
}

static seam_status run_down(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                            void *resource, const char *input, size_t len) {
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  return fail(host, ctx, "unavailable: the old service is down");
}

static const seam_step greet = {
    sizeof(seam_step),      "greet", "Greets the resource it is on", NULL, NULL, run_greet,
    SEAM_RESOURCE_REQUIRED, NULL};
static const seam_step broken = {sizeof(seam_step), "broken",           "Fails", NULL, NULL,
                                 run_broken,        SEAM_RESOURCE_NONE, NULL};
static const seam_step down = {
    sizeof(seam_step),  "down", "Fails as unavailable", NULL, NULL, run_down,
    SEAM_RESOURCE_NONE, NULL};
static const seam_step *const steps[] = {&greet, &broken, &down};

static const seam_resource_type type = {
    .struct_size = sizeof(seam_resource_type),
    .summary = "A resource of an old plugin",
    .config_schema = "{\"type\":\"object\",\"properties\":{\"down\":{\"type\":\"boolean\"}},"
                     "\"additionalProperties\":false}",
    .open = open_res,
    .close = close_res,
};

/* struct_size is the old, smaller size: the host must read the fields added
 * since as absent. */
static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = SEAM_ABI_MINOR,
    .name = OLD_NAME,
    .version = "0.1.0",
    .summary = "A plugin of an old ABI",
    .steps = steps,
    .step_count = sizeof steps / sizeof steps[0],
    .resource_type = &type,
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
