// bench/http/multi_loop.c - W1's requests through libcurl's multi interface,
// one thread, PARALLEL transfers at a time: the fastest a client built on
// libcurl can send them on this machine, the reference that tells what an
// event-loop runner for `seam run --jobs N` could reach.
//
// Each of the PARALLEL lanes owns one easy handle and sends its share of the
// ITERATIONS: POST /users with iteration k's JSON body, then GET /users/u_k
// (like wrk and curl -K, it cannot feed the answer into the next request, so
// it reads back an id of the form nginx hands out). Handles are reused, so
// each lane keeps its keep-alive connection. Bodies are discarded; only the
// status is checked (201, then 200): a lane that sees anything else fails
// the run. Prints "REQUESTS SECONDS".
//
//   multi_loop BASE_URL ITERATIONS PARALLEL
#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  CURL *easy;
  long next; // the iteration this lane sends next (1-based)
  int get;   // 0: the POST of `next` is in flight; 1: its GET
  char url[512];
  char body[256];
} Lane;

static const char *g_base;
static long g_iterations;
static int g_parallel;
static struct curl_slist *g_json_header;

static size_t discard(char *data, size_t size, size_t n, void *user) {
  (void)data;
  (void)user;
  return size * n;
}

// Sets the lane's handle up for its current request.
static void prepare(Lane *l) {
  long k = l->next;
  if (!l->get) {
    snprintf(l->url, sizeof l->url, "%s/users", g_base);
    snprintf(l->body, sizeof l->body,
             "{\"name\":\"Bench User %ld\",\"email\":\"bench-%ld@example.com\",\"plan\":\"free\"}",
             k, k);
    curl_easy_setopt(l->easy, CURLOPT_URL, l->url);
    curl_easy_setopt(l->easy, CURLOPT_HTTPHEADER, g_json_header);
    curl_easy_setopt(l->easy, CURLOPT_POSTFIELDS, l->body);
    curl_easy_setopt(l->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(l->body));
  } else {
    snprintf(l->url, sizeof l->url, "%s/users/u_%ld", g_base, k);
    curl_easy_setopt(l->easy, CURLOPT_URL, l->url);
    curl_easy_setopt(l->easy, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(l->easy, CURLOPT_HTTPGET, 1L);
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: multi_loop BASE_URL ITERATIONS PARALLEL\n");
    return 2;
  }
  g_base = argv[1];
  g_iterations = atol(argv[2]);
  g_parallel = atoi(argv[3]);
  if (g_iterations < 1 || g_parallel < 1 || strlen(g_base) > 400) {
    fprintf(stderr, "multi_loop: ITERATIONS and PARALLEL must be >= 1, BASE_URL under 400 bytes\n");
    return 2;
  }
  if (g_parallel > g_iterations)
    g_parallel = (int)g_iterations;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  g_json_header = curl_slist_append(NULL, "Content-Type: application/json");
  CURLM *multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)g_parallel);
  Lane *lanes = calloc((size_t)g_parallel, sizeof *lanes);
  if (!lanes || !multi || !g_json_header)
    return 1;

  double t0 = now();
  for (int i = 0; i < g_parallel; ++i) {
    Lane *l = &lanes[i];
    l->easy = curl_easy_init();
    l->next = i + 1;
    curl_easy_setopt(l->easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(l->easy, CURLOPT_PRIVATE, l);
    prepare(l);
    curl_multi_add_handle(multi, l->easy);
  }
  long done = 0, failed = 0;
  int running = g_parallel;
  while (running > 0) {
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      fprintf(stderr, "multi_loop: curl_multi_perform failed\n");
      return 1;
    }
    int added = 0;
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(multi, &left))) {
      if (m->msg != CURLMSG_DONE)
        continue;
      Lane *l;
      long status = 0;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&l);
      curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      curl_multi_remove_handle(multi, l->easy);
      ++done;
      if (m->data.result != CURLE_OK || status != (l->get ? 200 : 201)) {
        fprintf(stderr, "multi_loop: %s %s: %s, status %ld\n", l->get ? "GET" : "POST", l->url,
                curl_easy_strerror(m->data.result), status);
        ++failed;
        continue;
      }
      if (l->get) {
        l->get = 0;
        l->next += g_parallel;
        if (l->next > g_iterations)
          continue; // this lane is through its share
      } else {
        l->get = 1;
      }
      prepare(l);
      curl_multi_add_handle(multi, l->easy);
      ++added;
    }
    // A handle added goes out on the next perform; else wait for a socket.
    running += added;
    if (!added && running > 0 && curl_multi_poll(multi, NULL, 0, 1000, NULL) != CURLM_OK) {
      fprintf(stderr, "multi_loop: curl_multi_poll failed\n");
      return 1;
    }
  }
  double secs = now() - t0;
  for (int i = 0; i < g_parallel; ++i)
    curl_easy_cleanup(lanes[i].easy);
  free(lanes);
  curl_multi_cleanup(multi);
  curl_slist_free_all(g_json_header);
  curl_global_cleanup();
  if (failed || done != 2 * g_iterations) {
    fprintf(stderr, "multi_loop: %ld of %ld requests answered as expected\n", done - failed,
            2 * g_iterations);
    return 1;
  }
  printf("%ld %.6f\n", done, secs);
  return 0;
}
