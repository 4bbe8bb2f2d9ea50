/*
** Normalising a word form for matching: NFKC with full case folding
** (utf8proc), typographic apostrophes made ASCII, optional accent
** stripping. Output goes into a buffer the caller owns.
*/
#ifndef THEMATIC_NORMALIZE_H
#define THEMATIC_NORMALIZE_H

#include "th_common.h"

typedef struct th_normalizer {
  th_alloc alloc;
  int32_t *cps;       /* scratch code points */
  size_t ncps;        /* capacity of cps */
  int strip_accents;
} th_normalizer;

TH_HIDDEN void th_normalizer_init(th_normalizer *nz, th_alloc alloc,
                                  int strip_accents);
TH_HIDDEN void th_normalizer_free(th_normalizer *nz);

/* Appends the normal form of s[0..len) to out (its len grows). Invalid
   bytes become U+FFFD. Returns TH_OK or TH_ENOMEM. */
TH_HIDDEN int th_normalize(th_normalizer *nz, const char *s, size_t len,
                           th_buf *out);

#endif
