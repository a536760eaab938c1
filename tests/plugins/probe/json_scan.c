/* json_scan.c - the probe's minimal JSON reader and writer (see json_scan.h). */
#include "json_scan.h"

#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    ++p;
  return p;
}

/* p points at the opening quote; returns the position after the closing one. */
static const char *skip_string(const char *p, const char *end) {
  for (++p; p < end; ++p) {
    if (*p == '\\')
      ++p;
    else if (*p == '"')
      return p + 1;
  }
  return NULL;
}

static const char *skip_value(const char *p, const char *end) {
  if (p >= end)
    return NULL;
  if (*p == '"')
    return skip_string(p, end);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p < end) {
      if (*p == '"') {
        p = skip_string(p, end);
        if (p == NULL)
          return NULL;
        continue;
      }
      if (*p == '{' || *p == '[')
        ++depth;
      else if (*p == '}' || *p == ']') {
        if (--depth == 0)
          return p + 1;
      }
      ++p;
    }
    return NULL;
  }
  while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' && *p != '\n' &&
         *p != '\r')
    ++p;
  return p;
}

static int hex4(const char *p, const char *end, unsigned long *out) {
  unsigned long v = 0;
  int i;
  if (end - p < 4)
    return 0;
  for (i = 0; i < 4; ++i) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned long)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned long)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned long)(c - 'A' + 10);
    else
      return 0;
  }
  *out = v;
  return 1;
}

static size_t put_utf8(char *o, unsigned long cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decodes the string at p (opening quote) into a new buffer. A decoded string
 * is never longer than its escaped form, so one allocation suffices. */
static char *decode_string(const char *p, const char *end, const char **after) {
  const char *close = skip_string(p, end);
  char *out, *o;
  if (close == NULL)
    return NULL;
  out = malloc((size_t)(close - p));
  if (out == NULL)
    return NULL;
  o = out;
  for (++p; p < close - 1; ++p) {
    if (*p != '\\') {
      *o++ = *p;
      continue;
    }
    ++p;
    switch (*p) {
    case 'b':
      *o++ = '\b';
      break;
    case 'f':
      *o++ = '\f';
      break;
    case 'n':
      *o++ = '\n';
      break;
    case 'r':
      *o++ = '\r';
      break;
    case 't':
      *o++ = '\t';
      break;
    case 'u': {
      unsigned long cp, lo;
      if (!hex4(p + 1, close, &cp))
        goto bad;
      p += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && p + 2 < close && p[1] == '\\' && p[2] == 'u' &&
          hex4(p + 3, close, &lo) && lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
      }
      o += put_utf8(o, cp);
      break;
    }
    default:
      *o++ = *p;
      break; /* \" \\ \/ */
    }
  }
  *o = '\0';
  if (after != NULL)
    *after = close;
  return out;
bad:
  free(out);
  return NULL;
}

/* Finds member `key` of the top-level object; *value points at its value. */
static enum scan_result find_member(const char *json, size_t len, const char *key,
                                    const char **value, const char **value_end) {
  const char *p = json, *end = json + len;
  if (json == NULL)
    return SCAN_MISSING;
  p = skip_ws(p, end);
  if (p >= end || *p != '{')
    return SCAN_MISSING;
  p = skip_ws(p + 1, end);
  while (p < end && *p == '"') {
    const char *v;
    char *name = decode_string(p, end, &p);
    int same;
    if (name == NULL)
      return SCAN_MISSING;
    same = strcmp(name, key) == 0;
    free(name);
    p = skip_ws(p, end);
    if (p >= end || *p != ':')
      return SCAN_MISSING;
    v = skip_ws(p + 1, end);
    p = skip_value(v, end);
    if (p == NULL)
      return SCAN_MISSING;
    if (same) {
      *value = v;
      *value_end = p;
      return SCAN_FOUND;
    }
    p = skip_ws(p, end);
    if (p < end && *p == ',')
      p = skip_ws(p + 1, end);
  }
  return SCAN_MISSING;
}

enum scan_result scan_string(const char *json, size_t len, const char *key, char **out) {
  const char *v, *v_end;
  enum scan_result r = find_member(json, len, key, &v, &v_end);
  if (r != SCAN_FOUND)
    return r;
  if (*v != '"')
    return SCAN_WRONG_TYPE;
  *out = decode_string(v, v_end, NULL);
  return *out != NULL ? SCAN_FOUND : SCAN_WRONG_TYPE;
}

enum scan_result scan_long(const char *json, size_t len, const char *key, long *out) {
  const char *v, *v_end;
  long value = 0;
  int negative = 0;
  enum scan_result r = find_member(json, len, key, &v, &v_end);
  if (r != SCAN_FOUND)
    return r;
  if (v < v_end && *v == '-') {
    negative = 1;
    ++v;
  }
  if (v == v_end)
    return SCAN_WRONG_TYPE;
  for (; v < v_end; ++v) {
    if (*v < '0' || *v > '9' || value > 100000000000L)
      return SCAN_WRONG_TYPE;
    value = value * 10 + (*v - '0');
  }
  *out = negative ? -value : value;
  return SCAN_FOUND;
}

void out_init(struct out_buf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}

void out_free(struct out_buf *b) {
  free(b->data);
  out_init(b);
}

void out_raw(struct out_buf *b, const char *text, size_t len) {
  if (b->failed)
    return;
  if (b->len + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    char *data;
    while (cap < b->len + len + 1)
      cap *= 2;
    data = realloc(b->data, cap);
    if (data == NULL) {
      b->failed = 1;
      return;
    }
    b->data = data;
    b->cap = cap;
  }
  memcpy(b->data + b->len, text, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void out_str(struct out_buf *b, const char *text) { out_raw(b, text, strlen(text)); }

void out_json_string(struct out_buf *b, const char *text, size_t len) {
  static const char hex[] = "0123456789abcdef";
  size_t i, run = 0;
  out_raw(b, "\"", 1);
  for (i = 0; i < len; ++i) {
    unsigned char c = (unsigned char)text[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    out_raw(b, text + run, i - run);
    run = i + 1;
    if (c == '"')
      out_raw(b, "\\\"", 2);
    else if (c == '\\')
      out_raw(b, "\\\\", 2);
    else if (c == '\n')
      out_raw(b, "\\n", 2);
    else if (c == '\t')
      out_raw(b, "\\t", 2);
    else {
      char esc[6] = {'\\', 'u', '0', '0', 0, 0};
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      out_raw(b, esc, 6);
    }
  }
  out_raw(b, text + run, len - run);
  out_raw(b, "\"", 1);
}
