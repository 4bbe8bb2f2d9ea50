/*
** The codebook matcher: every pattern of every code, matched in one pass
** over a text.
**
** A pattern is a sequence of terms (a one-word pattern is a sequence of
** one). A term is a stem, a normal form, an exact surface form or a glob.
** Each distinct word form of the text is checked against the term tables
** once (hash lookups, and one lookup per prefix/suffix length for globs).
** The list of terms it satisfies names a "record", made once per distinct
** list and shared by every form with that list: the patterns that start
** with one of those terms, resolved to (code, pattern) pairs in the order
** the matching rules visit them (one-token patterns reduced to the best
** one per code), then the terms themselves (for phrases, which are checked
** forward from their first term). A token then costs a look at a dense
** per-form array (its record's number) and at one small record, however
** many patterns there are: no walk from terms to pattern lists to patterns.
** A "plain" record (one-token patterns of codes without phrases,
** exclusions or negated_to) has nothing to decide: each pair is a hit.
** Without the list of hits, such a token only adds one to a counter of its
** record, which is spread over the record's codes when the scan is over.
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

/* Takes the hits of a scan as they come, n at a time (in text order), so
   that they are used while still in the cache; returns TH_OK or an error
   that ends the scan. */
typedef int (*th_hit_sink)(void *ud, const th_hit *hits, size_t n);
#define TH_HIT_CHUNK 1024   /* hits a sink is given at a time, at most */

typedef struct th_token {
  size_t start, end;
  uint32_t rec;           /* its form's record (number) */
  unsigned char brk;      /* a sentence ends between the previous token and this
                             (only set when there are negation cues) */
  unsigned char negcue;   /* the token is a negation cue (copied from its form) */
  unsigned char plain;    /* its record is plain (TH_REC_PLAIN) */
} th_token;

/* A record in th_matcher.recs: a word nact << 2 | flags, then nact codes,
   then their nact pattern indices, then nterms and nterms term ids (the
   terms are read only to check the later tokens of a phrase). Records are
   numbered (rec_off[number] is the offset); number 0, at offset 0, is the
   record of the empty list of terms. */
#define TH_REC_SIMPLE 1u  /* every pair a one-token, non-exclusion pattern,
                             one per code */
#define TH_REC_PLAIN 2u   /* simple, and no code of it has a phrase, an
                             exclusion or a part in negated_to: each pair is
                             a hit, nothing to check */

/* th_matcher.form_rec: per form of the lexicon, 0 until its terms are
   known, then TH_FR_DONE, TH_FR_NEGCUE if it is a negation cue, TH_FR_PLAIN
   if its record is plain, and the record's number << 3. */
#define TH_FR_DONE 1u
#define TH_FR_NEGCUE 2u
#define TH_FR_PLAIN 4u
#define TH_REC_MAX ((size_t)1 << 30)      /* words in recs */
#define TH_REC_NUMBERS ((size_t)1 << 29)  /* records */

typedef struct th_code_state {
  uint32_t gen;           /* scan number the fields below belong to */
  uint32_t best_pat;
  int64_t best_pos, best_len;
  int64_t last_end;       /* last token of the code's last chosen match or
                             of the last hit moved to it by negated_to */
  int64_t excl_end;       /* last token its exclusions cover so far */
} th_code_state;

/* Per code, for negated_to only (apart from th_code_state, which the hot
   path reads; see move_hits). */
typedef struct th_move_state {
  uint32_t gen;           /* scan number the fields below belong to */
  int64_t out_end;        /* last token of its last chosen match moved away */
  int64_t in_end;         /* last token of the last hit moved to it */
} th_move_state;

/* A negated hit of this position that negated_to moves, waiting until the
   codes' own hits here are counted (see match_at). */
typedef struct th_moved {
  uint32_t from, pat;     /* its code, its pattern index */
  size_t len;             /* tokens */
} th_moved;

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
  int64_t *pattern_ids;             /* per pattern: patterns[i].id */
  uint32_t *negated_to;             /* per code, 0 = none */
  th_moved *moved;                  /* per position: hits negated_to moves */
  size_t nmoved;
  th_move_state *move_state;        /* per code */
  /* per form (same index as lex.forms): its record, see TH_FR_DONE */
  uint32_t *form_rec;
  size_t capform_rec;
  /* records, one per distinct list of terms, numbered from 0 */
  uint32_t *recs;
  size_t nrecs, caprecs;
  uint32_t *rec_off;                /* per record: its offset in recs */
  size_t nrecords, caprec_off;
  th_strmap rec_ids;                /* term list (bytes) -> record number */
  /* count mode (no list of hits): hits of plain records counted per
     record, 2 * number + negated, and per code once the scan is over */
  uint32_t *rec_count, *count_touched;
  size_t caprec_count, ncount_touched, capcount_touched;
  int count_mode;
  uint32_t *tlist;                  /* the term list being collected */
  size_t captlist;
  uint32_t *code_mark, *code_slot;  /* per code, while making a record */
  unsigned char *code_spans;        /* per code: it has a phrase or an
                                       exclusion, or negated_to moves hits
                                       from or to it (its hits are checked
                                       against earlier ones: never plain) */
  uint32_t mark;
  /* scan state and results */
  uint32_t gen;
  th_code_state *state;
  uint32_t *touched;
  th_token *toks;
  size_t ntoks, captoks;
  size_t *counts, *negated;         /* per code, index 0 unused */
  th_hit *hits;
  size_t nhits, caphits;
  th_hit_sink sink;                 /* NULL: hits stay in hits[] */
  void *sink_ud;
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
/* Negated hits of code count for target (0: for code itself, negated);
   a code out of range or mapped to itself is ignored. Call before the
   first scan. */
TH_HIDDEN void th_matcher_negated_to(th_matcher *m, uint32_t code,
                                     uint32_t target);
/* Builds the start index; call once after the last pattern. */
TH_HIDDEN int th_matcher_finish(th_matcher *m);

/* Skip ranges (th_range, sorted) are left out of the scan. */
/* Scans text[from, to). Results are left in m->counts, m->negated,
   m->hits, m->words; with m->sink set (and m->want_hits), the hits go to
   the sink instead, and m->nhits is 0 when the scan returns. */
TH_HIDDEN int th_matcher_scan(th_matcher *m, const char *text, size_t from,
                              size_t to, const th_range *skip, size_t nskip);

/* Does the glob (normalised; '*' any run, '?' one code point) match s? */
TH_HIDDEN int th_glob_match(const char *glob, const char *s, size_t len);

#endif
