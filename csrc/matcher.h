/*
** The codebook matcher: every pattern of every code, matched in one pass
** over a text.
**
** A pattern is a sequence of terms (a one-word pattern is a sequence of
** one). A term is a stem, a normal form, an exact surface form or a glob.
** Each distinct word form of the text is checked against the term tables
** once (hash lookups, and one lookup per prefix/suffix length for globs),
** and the list of terms it satisfies is cached on the form. Phrases are
** found from their first term (an index from term to the patterns that
** start with it) and checked forward, so the cost per token does not grow
** with the number of patterns.
*/
#ifndef THEMATIC_MATCHER_H
#define THEMATIC_MATCHER_H

#include "lexicon.h"

typedef enum th_term_kind {
  TH_TERM_WORD, TH_TERM_NORM, TH_TERM_GLOB, TH_TERM_EXACT
} th_term_kind;

#define TH_ANY 0u   /* element "any one token" in a phrase */

typedef struct th_pattern {
  uint32_t code;          /* 1-based */
  int64_t id;             /* the caller's id */
  uint32_t elem_off;      /* into elems */
  uint32_t nelem;
  int exclude;
} th_pattern;

typedef struct th_hit {
  uint32_t code, from;    /* from: the code a negated hit was moved from, or 0 */
  size_t start, end;      /* byte span [start, end) */
  int64_t pattern;
  int negated;
} th_hit;

typedef struct th_token {
  size_t start, end;
  uint32_t form;
  unsigned char brk;      /* a sentence ends between the previous token and this */
  unsigned char negcue;   /* the token is a negation cue (copied from its form) */
} th_token;

typedef struct th_code_state {
  uint32_t gen;           /* scan number the fields below belong to */
  uint32_t best_pat;
  int64_t best_pos, best_len, last_end, excl_end;
} th_code_state;

typedef struct th_matcher {
  th_alloc alloc;
  th_lexicon lex;
  uint32_t ncodes;
  /* terms (ids from 1) and the tables that find them */
  uint32_t nterms;
  th_strmap term_ids;               /* kind byte + text -> term id */
  th_strmap by_stem, by_norm, by_exact, by_prefix, by_suffix;
  uint64_t prefix_lens, suffix_lens; /* bit n: some affix has n bytes */
  uint32_t *globs;                  /* term ids of other globs */
  size_t nglobs, capglobs;
  th_buf glob_text;                 /* NUL-terminated glob strings */
  uint32_t *glob_off;               /* per glob: offset into glob_text */
  size_t capglob_off;
  th_strmap cues;                   /* negation cues (normal forms) */
  th_strmap cue_suffixes;           /* cues given as "*n't" */
  uint64_t cue_suffix_lens;
  int window;
  /* patterns */
  th_pattern *patterns;
  size_t npatterns, cappatterns;
  uint32_t *elems;
  size_t nelems, capelems;
  size_t maxlen;
  uint32_t *start_index, *start_list;  /* CSR: term id -> patterns */
  uint32_t *negated_to;             /* per code, 0 = none */
  /* per form: terms satisfied */
  uint32_t *pool;
  size_t npool, cappool;
  /* scan state and results */
  uint32_t gen;
  th_code_state *state;
  uint32_t *touched;
  th_token *toks;
  size_t ntoks, captoks;
  size_t *counts, *negated;         /* per code, index 0 unused */
  th_hit *hits;
  size_t nhits, caphits;
  size_t words;
  int want_hits;
} th_matcher;

TH_HIDDEN int th_matcher_init(th_matcher *m, th_alloc alloc,
                              const char *language, uint32_t ncodes);
TH_HIDDEN void th_matcher_free(th_matcher *m);

/* Adds a term; returns its id (>= 1), or 0 when out of memory. An empty
   term (nothing left after normalising) returns 0 with *empty set. */
TH_HIDDEN uint32_t th_matcher_term(th_matcher *m, th_term_kind kind,
                                   const char *s, size_t len, int *empty);
TH_HIDDEN int th_matcher_pattern(th_matcher *m, uint32_t code, int64_t id,
                                 const uint32_t *elems, size_t n, int exclude);
TH_HIDDEN int th_matcher_cue(th_matcher *m, const char *s, size_t len);
TH_HIDDEN void th_matcher_negated_to(th_matcher *m, uint32_t code,
                                     uint32_t target);
/* Builds the start index; call once after the last pattern. */
TH_HIDDEN int th_matcher_finish(th_matcher *m);

/* Skip ranges (th_range, sorted) are left out of the scan. */
/* Scans text[from, to). Results are left in m->counts, m->negated,
   m->hits, m->words. */
TH_HIDDEN int th_matcher_scan(th_matcher *m, const char *text, size_t from,
                              size_t to, const th_range *skip, size_t nskip);

/* Does the glob (normalised; '*' any run, '?' one code point) match s? */
TH_HIDDEN int th_glob_match(const char *glob, const char *s, size_t len);

#endif
