/* refused.c - plugin libraries that seam's loader must refuse, each with a
 * message naming the file and the reason. Compiled once per REFUSED_* variant
 * (see CMakeLists.txt):
 *
 *   REFUSED_ABI_V2     exports seam_plugin_entry_v2 (a plugin built for ABI 2),
 *                      not the v1 symbol this host looks for
 *   REFUSED_ABI_MM     exports the v1 symbol but its descriptor claims ABI 2.0
 *   REFUSED_ABI_FUTURE ABI 1.99: a minor newer than any host of major 1
 *   REFUSED_DUPE       calls itself "probe", clashing with the real probe
 *   REFUSED_SAMESTEP   declares the step "twice" two times
 *
 * Every variant has a working step "x", so that the only way a test using it
 * can fail as expected is the loader refusing the library.
 */
#include <seam/plugin.h>

#include <string.h>

static seam_status run_x(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                         void *resource, const char *input, size_t len) {
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  host->set_output(ctx, "{}", 2);
  return SEAM_OK;
}

#define STEP(STEP_NAME)                                                                            \
  { .struct_size = sizeof(seam_step), .name = STEP_NAME, .summary = "Returns {}", .run = run_x }

static const seam_step step_x = STEP("x");

#if defined(REFUSED_ABI_V2)
#define NAME "abiv2"
#define MAJOR 2
#define MINOR 0
#define ENTRY seam_plugin_entry_v2
#elif defined(REFUSED_ABI_MM)
#define NAME "abimm"
#define MAJOR 2
#define MINOR 0
#elif defined(REFUSED_ABI_FUTURE)
#define NAME "abifuture"
#define MAJOR SEAM_ABI_MAJOR
#define MINOR 99
#elif defined(REFUSED_DUPE)
#define NAME "probe"
#elif defined(REFUSED_SAMESTEP)
#define NAME "samestep"
#else
#error "define one REFUSED_* variant"
#endif

#ifndef MAJOR
#define MAJOR SEAM_ABI_MAJOR
#define MINOR SEAM_ABI_MINOR
#endif
#ifndef ENTRY
#define ENTRY SEAM_PLUGIN_ENTRY
#endif

#if defined(REFUSED_SAMESTEP)
static const seam_step step_twice = STEP("twice");
static const seam_step *const steps[] = {&step_x, &step_twice, &step_twice};
#else
static const seam_step *const steps[] = {&step_x};
#endif

static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = MAJOR,
    .abi_minor = MINOR,
    .name = NAME,
    .version = "1.0.0",
    .summary = "A library seam must refuse to load",
    .steps = steps,
    .step_count = sizeof steps / sizeof steps[0],
};

SEAM_EXPORT const seam_plugin *ENTRY(void) { return &plugin; }
