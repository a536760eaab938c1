/* refused_kinds.c - ABI 1.2 descriptors the loader must refuse, one per
 * REFUSED_* variant (see CMakeLists.txt), each with a working step "x" so that
 * only a refusal can make a suite using it fail as expected:
 *
 *   REFUSED_KIND_TWICE     two resource types of kind "mock"
 *   REFUSED_KIND_NAME      a kind named "Mock" (not [a-z][a-z0-9_]*)
 *   REFUSED_TWO_DEFAULTS   two resource types without a kind
 *   REFUSED_BOTH_FORMS     resource_type and resource_types both set
 *   REFUSED_STEP_KIND      a step on kind "mok", which no type declares
 *   REFUSED_NO_DESCRIPTION name NULL and a summary: the plugin could not
 *                          describe itself (what the C++ wrapper reports
 *                          when SEAM_PLUGIN's body throws)
 *   REFUSED_MINOR_3        claims ABI 1.3, newer than this host
 */
#include <seam/plugin.h>

#include <stddef.h>

static seam_status run_x(const seam_host_api *host, seam_ctx *ctx, void *step_data, void *state,
                         void *resource, const char *input, size_t len) {
  (void)step_data, (void)state, (void)resource, (void)input, (void)len;
  host->set_output(ctx, "{}", 2);
  return SEAM_OK;
}

static seam_status open_r(const seam_host_api *host, seam_ctx *ctx, void *state, const char *name,
                          const char *config, size_t len, void **handle) {
  (void)host, (void)ctx, (void)state, (void)name, (void)config, (void)len;
  *handle = NULL;
  return SEAM_OK;
}

static void close_r(void *state, void *handle) { (void)state, (void)handle; }

#define TYPE(KIND)                                                                                 \
  { .struct_size = sizeof(seam_resource_type), .open = open_r, .close = close_r, .kind = KIND }

#if defined(REFUSED_STEP_KIND)
#define STEP_KIND "mok"
#else
#define STEP_KIND NULL
#endif

static const seam_step step_x = {.struct_size = sizeof(seam_step),
                                 .name = "x",
                                 .summary = "Returns {}",
                                 .run = run_x,
                                 .resource = SEAM_RESOURCE_OPTIONAL,
                                 .resource_kind = STEP_KIND};
static const seam_step *const steps[] = {&step_x};

static const seam_resource_type mock = TYPE("mock");
#if defined(REFUSED_KIND_TWICE)
#define NAME "kindtwice"
static const seam_resource_type other = TYPE("mock");
#elif defined(REFUSED_KIND_NAME)
#define NAME "kindname"
static const seam_resource_type other = TYPE("Mock");
#elif defined(REFUSED_TWO_DEFAULTS)
#define NAME "twodefaults"
static const seam_resource_type other = TYPE(NULL);
static const seam_resource_type third = TYPE("");
#define THIRD
#elif defined(REFUSED_BOTH_FORMS)
#define NAME "bothforms"
static const seam_resource_type other = TYPE("webhook");
#define SINGLE &mock
#elif defined(REFUSED_STEP_KIND)
#define NAME "stepkind"
static const seam_resource_type other = TYPE("webhook");
#elif defined(REFUSED_NO_DESCRIPTION)
#define NAME NULL
#define SUMMARY "cannot build the step table: out of memory"
static const seam_resource_type other = TYPE("webhook");
#elif defined(REFUSED_MINOR_3)
#define NAME "minor3"
#define MINOR 3
static const seam_resource_type other = TYPE("webhook");
#else
#error "define one REFUSED_* variant"
#endif

#ifndef SUMMARY
#define SUMMARY "A plugin the loader refuses"
#endif
#ifndef MINOR
#define MINOR SEAM_ABI_MINOR
#endif
#ifndef SINGLE
#define SINGLE NULL
#endif

#ifdef THIRD
static const seam_resource_type *const types[] = {&mock, &other, &third};
#else
static const seam_resource_type *const types[] = {&mock, &other};
#endif

static const seam_plugin plugin = {
    .struct_size = sizeof(seam_plugin),
    .abi_major = SEAM_ABI_MAJOR,
    .abi_minor = MINOR,
    .name = NAME,
    .version = "1.0.0",
    .summary = SUMMARY,
    .steps = steps,
    .step_count = 1,
    .resource_type = SINGLE,
    .resource_types = types,
    .resource_type_count = sizeof types / sizeof types[0],
};

SEAM_EXPORT const seam_plugin *SEAM_PLUGIN_ENTRY(void) { return &plugin; }
