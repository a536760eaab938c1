/* typed.c - a C plugin that reads its input and builds its output through
 * the host's ABI 1.2 functions only, so that seam/testing.hpp's versions of
 * them are tested the way a C plugin's unit test uses them. */
#include <seam/plugin.h>

#include <string.h>

static seam_status echo(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                        void *resource, const char *input, size_t len) {
  const char *s = NULL, *raw = NULL;
  size_t n = 0, raw_len = 0;
  int64_t i = 0;
  double d = 0;
  int b = 0;
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  if (!SEAM_HOST_HAS(host, input_type)) {
    const char *m = "typed: no ABI 1.2 host";
    host->set_error(ctx, m, strlen(m));
    return SEAM_ERROR;
  }
  if (host->input_string(ctx, "name", &s, &n))
    host->output_string(ctx, "copy.name", s, n);
  if (host->input_int(ctx, "list[1]", &i))
    host->output_int(ctx, "copy.second", i);
  if (host->input_double(ctx, "ratio", &d))
    host->output_double(ctx, "copy.ratio", d);
  if (host->input_bool(ctx, "flag", &b))
    host->output_bool(ctx, "copy.flag", b);
  if (host->input_json(ctx, "nested", &raw, &raw_len))
    host->output_json(ctx, "copy.nested", raw, raw_len);
  host->output_int(ctx, "types[0]", host->input_type(ctx, "name"));
  host->output_int(ctx, "types[1]", host->input_type(ctx, "missing"));
  host->output_int(ctx, "size", host->input_size(ctx, "list"));
  host->output_null(ctx, "nothing");
  host->output_bool(ctx, "bad_json_refused", !host->output_json(ctx, "x", "{", 1));
  return SEAM_OK;
}

static const seam_step echo_step = {
    .struct_size = sizeof(seam_step),
    .name = "echo",
    .summary = "Copies its input with the typed input and built output functions",
    .run = echo,
    .resource = SEAM_RESOURCE_NONE,
};
static const seam_step *const steps[] = {&echo_step};
static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = SEAM_ABI_MINOR,
    .name = "typed",
    .version = "1.0.0",
    .summary = "SDK test plugin in C: typed input, built output",
    .steps = steps,
    .step_count = 1,
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
