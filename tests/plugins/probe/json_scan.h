/* json_scan.h - just enough JSON for the probe plugin, in C99.
 *
 * The probe is a test tool written against the bare C ABI, so it carries no
 * JSON library: it reads a few top-level members of the host's input object
 * and writes small objects into a growable buffer. The host has already
 * validated inputs against the step schemas, so the reader can be strict and
 * small rather than complete.
 */
#ifndef PROBE_JSON_SCAN_H
#define PROBE_JSON_SCAN_H

#include <stddef.h>

/* Result of looking a member up. */
enum scan_result {
  SCAN_FOUND = 0,
  SCAN_MISSING = 1,   /* no such member (or the input is no object) */
  SCAN_WRONG_TYPE = 2 /* the member exists but is not of the type asked for */
};

/* Copies the decoded string member `key` of the object in json[0..len) into a
 * new NUL-terminated buffer (*out, free() it). */
enum scan_result scan_string(const char *json, size_t len, const char *key, char **out);

/* Reads the integer member `key` (no fraction, no exponent). */
enum scan_result scan_long(const char *json, size_t len, const char *key, long *out);

/* A growable output buffer; `data` is always NUL-terminated. On allocation
 * failure `failed` is set and further appends are ignored. */
struct out_buf {
  char *data;
  size_t len, cap;
  int failed;
};

void out_init(struct out_buf *b);
void out_free(struct out_buf *b);
void out_raw(struct out_buf *b, const char *text, size_t len);
void out_str(struct out_buf *b, const char *text);                     /* raw, NUL-terminated */
void out_json_string(struct out_buf *b, const char *text, size_t len); /* quoted, escaped */

#endif /* PROBE_JSON_SCAN_H */
