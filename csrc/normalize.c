/*
** Normalisation with utf8proc, one code point at a time into our own
** buffers: Debian 12's utf8proc has no utf8proc_free, so utf8proc_map
** (which mallocs its result) is never used.
*/
#include <string.h>

#include <utf8proc.h>

#include "normalize.h"
#include "utf8.h"

void th_normalizer_init(th_normalizer *nz, th_alloc alloc, int strip_accents) {
  nz->alloc = alloc;
  nz->cps = NULL;
  nz->ncps = 0;
  nz->strip_accents = strip_accents;
}

void th_normalizer_free(th_normalizer *nz) {
  th_free(&nz->alloc, nz->cps, nz->ncps * sizeof(int32_t));
  nz->cps = NULL;
  nz->ncps = 0;
}

#define BYTES(c) (0x0101010101010101ULL * (uint64_t)(c))

/* Eight ASCII bytes lower-cased: bit 7 of each byte of `upper` says
   whether it is in 'A'..'Z' (the additions cannot carry from one byte to
   the next, since no byte is above 0x7F), and becomes the case bit. */
static uint64_t lower8(uint64_t x) {
  uint64_t upper = (x + BYTES(0x80 - 'A')) & ~(x + BYTES(0x7F - 'Z')) &
                   BYTES(0x80);
  return x | upper >> 2;
}

/* Lower-cases s[0..len) into o if it is all ASCII (the common word) and
   returns 1; returns 0 otherwise, with o[0..len) written over. Eight bytes
   at a time, the last eight overlapping the ones before. */
static int lower_ascii(const char *s, size_t len, char *o) {
  size_t i;
  if (len < 8) {
    for (i = 0; i < len; i++) {
      unsigned char c = (unsigned char)s[i];
      if (c >= 0x80) return 0;
      o[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    return 1;
  }
  for (i = 0;; i += 8) {
    uint64_t x;
    if (i + 8 > len) i = len - 8;   /* the last eight */
    x = th_load64(s + i);
    if (x & BYTES(0x80)) return 0;
    th_store64(o + i, lower8(x));
    if (i + 8 == len) return 1;
  }
}

/* Apostrophe-like characters that writers and word processors put where
   an apostrophe is meant: don’t, patientʼs. */
static int32_t fold_apostrophe(int32_t cp) {
  return (cp == 0x2019 || cp == 0x02BC || cp == 0x2018 || cp == 0x02BB) ? '\''
                                                                         : cp;
}

/* Canonical ordering of combining marks (Unicode 3.11), which
   utf8proc_decompose_custom does but utf8proc_decompose_char leaves to
   its caller: a stable sort of each run of non-starters by their class. */
static void canonical_order(int32_t *cps, size_t n) {
  size_t i;
  for (i = 1; i < n; i++) {
    size_t j = i;
    int cls = utf8proc_get_property(cps[j])->combining_class;
    if (cls == 0) continue;
    while (j > 0) {
      int prev = utf8proc_get_property(cps[j - 1])->combining_class;
      int32_t t;
      if (prev <= cls) break;
      t = cps[j]; cps[j] = cps[j - 1]; cps[j - 1] = t;
      j--;
    }
  }
}

int th_normalize(th_normalizer *nz, const char *s, size_t len, th_buf *out) {
  utf8proc_option_t opts = (utf8proc_option_t)(UTF8PROC_STABLE |
      UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE);
  size_t i, n, used = 0;
  utf8proc_ssize_t composed;
  int st;
  if (len == 0) return TH_OK;   /* out->data may be NULL: no NULL + 0 below */
  /* fast path: for ASCII, lower-casing is the whole job */
  if ((st = th_buf_reserve(&nz->alloc, out, len)) != TH_OK) return st;
  if (lower_ascii(s, len, out->data + out->len)) {
    out->len += len;
    return TH_OK;
  }
  if (nz->strip_accents)
    opts = (utf8proc_option_t)(opts | UTF8PROC_STRIPMARK);
  for (i = 0; i < len; i += n) {
    int ok, last_boundclass = 0;
    int32_t cp = fold_apostrophe(th_utf8_decode((const unsigned char *)s + i,
                                                len - i, &n, &ok));
    utf8proc_ssize_t k;
    /* A code point decomposes to at most 18 code points (a few ligatures
       and U+FDFA): keep room for that much more. */
    void *p = nz->cps;
    if ((st = th_grow(&nz->alloc, &p, &nz->ncps, used + 32, sizeof(int32_t))) != TH_OK)
      return st;
    nz->cps = p;
    k = utf8proc_decompose_char(cp, nz->cps + used,
                                (utf8proc_ssize_t)(nz->ncps - used), opts,
                                &last_boundclass);
    if (k < 0) k = 0;   /* unassigned with STABLE: nothing sensible to add */
    used += (size_t)k;
  }
  canonical_order(nz->cps, used);
  composed = utf8proc_normalize_utf32(nz->cps, (utf8proc_ssize_t)used, opts);
  if (composed < 0) composed = 0;
  if ((st = th_buf_reserve(&nz->alloc, out, (size_t)composed * 4)) != TH_OK)
    return st;
  for (i = 0; i < (size_t)composed; i++)
    out->len += th_utf8_encode(fold_apostrophe(nz->cps[i]),
                               out->data + out->len);
  return TH_OK;
}
