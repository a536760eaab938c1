/* ootc.c - an out-of-tree C plugin: reads typed input and builds its output
 * through the host (ABI 1.2), so it needs no JSON library. */
#include <seam/plugin.h>

#include <string.h>

static seam_status run_add(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                           void *resource, const char *input, size_t len) {
  int64_t a, b;
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (!host->input_int(ctx, "a", &a) || !host->input_int(ctx, "b", &b)) {
    static const char message[] = "ootc.add: \"a\" and \"b\" must be integers";
    host->set_error(ctx, message, sizeof message - 1);
    return SEAM_ERROR;
  }
  host->output_int(ctx, "sum", a + b);
  host->output_string(ctx, "by", "C", 1);
  return SEAM_OK;
}

static const seam_step add = {
    .struct_size = sizeof(seam_step),
    .name = "add",
    .summary = "Adds two integers (a C plugin built out of tree)",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
                    "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]}",
    .run = run_add,
};
static const seam_step *const steps[] = {&add};

static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = SEAM_ABI_MINOR,
    .name = "ootc",
    .version = "1.0.0",
    .summary = "An out-of-tree C plugin",
    .steps = steps,
    .step_count = 1,
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
