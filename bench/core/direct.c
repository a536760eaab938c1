/* The floor for the core's per-step cost: calls probe.noop through the C ABI
 * in a plain loop, with the same JSON text in and out, and nothing else. */
#define _POSIX_C_SOURCE 200809L
#include <seam/plugin.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct seam_ctx {
  char out[64];
  size_t out_len;
};

static void set_output(seam_ctx *c, const char *j, size_t n) {
  if (n > sizeof c->out)
    n = sizeof c->out;
  memcpy(c->out, j, n);
  c->out_len = n;
}
static void set_error(seam_ctx *c, const char *m, size_t n) { (void)c, (void)m, (void)n; }
static void log_fn(seam_ctx *c, seam_log_level l, const char *m, size_t n) {
  (void)c, (void)l, (void)m, (void)n;
}
static int cancelled(const seam_ctx *c) {
  (void)c;
  return 0;
}
static int64_t remaining(const seam_ctx *c) {
  (void)c;
  return -1;
}
static void add_secret(seam_ctx *c, const char *v, size_t n) { (void)c, (void)v, (void)n; }
static int match(seam_ctx *c, const char *e, size_t el, const char *d, size_t dl) {
  (void)c, (void)e, (void)el, (void)d, (void)dl;
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: direct PROBE_SO N\n");
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  seam_plugin_entry_fn entry = (seam_plugin_entry_fn)dlsym(lib, SEAM_PLUGIN_ENTRY_NAME);
  const seam_plugin *p = entry();
  const seam_step *noop = NULL;
  for (size_t i = 0; i < p->step_count; ++i)
    if (strcmp(p->steps[i]->name, "noop") == 0)
      noop = p->steps[i];
  seam_host_api host = {sizeof host, SEAM_ABI_MAJOR, SEAM_ABI_MINOR, set_output, set_error,
                        log_fn,      cancelled,      remaining,      add_secret, match};
  long n = atol(argv[2]);
  char input[64];
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; ++i) {
    seam_ctx ctx = {{0}, 0};
    int len = snprintf(input, sizeof input, "{\"i\":%ld,\"v\":\"v\"}", i % 100);
    noop->run(&host, &ctx, noop->data, NULL, NULL, input, (size_t)len);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  printf("%.6f\n", s);
  return 0;
}
