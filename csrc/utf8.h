/*
** UTF-8 decoding that never fails: a byte that does not start a valid,
** shortest-form sequence of a scalar value reads as U+FFFD, one byte long.
*/
#ifndef THEMATIC_UTF8_H
#define THEMATIC_UTF8_H

#include <string.h>

#include "th_common.h"

#define TH_REPLACEMENT 0xFFFD

/* Decodes the code point at s[0..len) (len > 0). Stores its byte length in
   *n and whether it was valid in *ok. */
static inline int32_t th_utf8_decode(const unsigned char *s, size_t len,
                                     size_t *n, int *ok) {
  unsigned c = s[0];
  *ok = 1;
  if (c < 0x80) { *n = 1; return (int32_t)c; }
  if (c >= 0xC2 && c <= 0xDF) {
    if (len >= 2 && (s[1] & 0xC0) == 0x80) {
      *n = 2;
      return (int32_t)(((c & 0x1F) << 6) | (s[1] & 0x3F));
    }
  } else if (c >= 0xE0 && c <= 0xEF) {
    if (len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
      uint32_t cp = ((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {  /* no overlongs, no surrogates */
        *n = 3;
        return (int32_t)cp;
      }
    }
  } else if (c >= 0xF0 && c <= 0xF4) {
    if (len >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
      uint32_t cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
                    ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
      if (cp >= 0x10000 && cp <= 0x10FFFF) {
        *n = 4;
        return (int32_t)cp;
      }
    }
  }
  *ok = 0;
  *n = 1;
  return TH_REPLACEMENT;
}

/* The offset of the first byte of s[0..len) that does not start a valid
   sequence (see th_utf8_decode), or len when there is none. Plain ASCII,
   most of a transcript, is passed over eight bytes at a time. */
static inline size_t th_utf8_check(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    size_t n;
    int ok;
    if (len - i >= 8) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    th_utf8_decode(s + i, len - i, &n, &ok);
    if (!ok) return i;
    i += n;
  }
  return len;
}

/* Writes cp as UTF-8 into out (room for 4 bytes); returns the length. */
static inline size_t th_utf8_encode(int32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

#endif
