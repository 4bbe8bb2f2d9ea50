/*
** Tokenising UTF-8 text: UAX #29 default word boundaries ("uax29" mode),
** and the analyst's tailoring of them ("words" mode). Both work on byte
** spans of the caller's text and never allocate.
*/
#ifndef THEMATIC_TOKENIZE_H
#define THEMATIC_TOKENIZE_H

#include "th_common.h"

typedef enum th_kind {
  TH_KIND_WORD, TH_KIND_NUMBER, TH_KIND_URL, TH_KIND_EMAIL, TH_KIND_EMOJI,
  TH_KIND_SPACE, TH_KIND_PUNCT, TH_KIND_OTHER
} th_kind;

/* Names of the kinds, indexed by th_kind. */
TH_HIDDEN extern const char *const th_kind_names[];

/* "words" mode: which bytes of s[win..win+64) are ASCII letters or
   digits, ASCII letters, and not ASCII, one bit per byte (bit i for
   s[win + i]). Before the first window win is far past any position p
   (p - win >= 64 in unsigned arithmetic). */
typedef struct th_window {
  size_t win;
  uint64_t alnum, letter, high;
} th_window;

typedef struct th_scanner {
  const unsigned char *s;
  size_t len, pos;
  size_t bad;          /* invalid UTF-8 bytes seen so far */
  size_t first_bad;    /* offset of the first one, or (size_t)-1 */
  size_t bad_upto;     /* bytes before this offset have been counted */
  size_t at_next;      /* offset of the next '@' at or after pos, or len;
                          or, when at_local > at_next, where to look for
                          it again (none is near enough before then) */
  size_t at_local;     /* start of the run of e-mail local-part bytes
                          that ends at at_next */
  size_t at_safe;      /* min(at_next + 1, at_local): a token that starts
                          before it needs no look at either */
  /* UAX #29 state, carried from one segment to the next. */
  int prev_raw, prev, prev2, ri_run, at_sot;
  th_window w;         /* "words" mode's fast path */
} th_scanner;

TH_HIDDEN void th_scanner_init(th_scanner *sc, const char *s, size_t len);

/* The next token of "words" mode: only word-like tokens. Returns 1 and sets
   [*start, *end) and *kind, or 0 at the end of the text. */
TH_HIDDEN int th_next_word(th_scanner *sc, size_t *start, size_t *end,
                           th_kind *kind);

/* A token: [start, end) of the text, and its kind. */
typedef struct th_span {
  size_t start, end;
  th_kind kind;
} th_span;

/* Up to max tokens of "words" mode into out, as th_next_word would give
   them one by one; returns how many (fewer than max only at the end of
   the text). For a caller that handles every token alike: no call per
   token. */
TH_HIDDEN size_t th_next_words(th_scanner *sc, th_span *out, size_t max);

/* The next segment between two UAX #29 word boundaries (every byte of the
   text is in exactly one segment). Same results as th_next_word. */
TH_HIDDEN int th_next_segment(th_scanner *sc, size_t *start, size_t *end,
                              th_kind *kind);

#endif
