/*
** The word-form cache. Each distinct raw form (the bytes of a token as
** they appear in the text) is normalised and stemmed once; later tokens
** with the same bytes cost one hash lookup. The matcher hangs its per-form
** data (which pattern terms the form satisfies) on the same entries.
*/
#ifndef THEMATIC_LEXICON_H
#define THEMATIC_LEXICON_H

#include "normalize.h"
#include "strmap.h"
#include "tokenize.h"

struct sb_stemmer;

enum {
  TH_FORM_NEGCUE = 1,    /* a negation cue (matcher) */
  TH_FORM_STOP = 2,      /* a stop word (stem_counts) */
  TH_FORM_TERMS = 4      /* terms have been computed (matcher) */
};

typedef struct th_form {
  uint32_t norm_off, norm_len;   /* into lex->strings */
  uint32_t stem_off, stem_len;
  uint32_t terms_off, nterms;    /* into the matcher's term pool */
  uint8_t kind, flags;
} th_form;                       /* 28 bytes */

/* A small cache in front of the form table: the few thousand most frequent
   words make most of the tokens of any text (it finds 89% of the tokens of
   the benchmark's English prose, 16,384 entries for 277,000 forms), and
   this keeps them in the processor's L2 cache instead of somewhere in a
   table of hundreds of thousands of forms. Two ways per set, one set per
   64-byte cache line, so two frequent words whose hashes collide do not
   evict each other. An
   entry holds its key whole (th_key), so a hit reads no other memory, and
   a count of tokens, so that counting one (th_lexicon_count_front) writes
   no other memory either. */
#define TH_FRONT_SETS 8192
#define TH_FRONT_KEY TH_KEY_MAX   /* longer words (1-2% of tokens) skip it */

typedef struct th_front {
  th_key key;
  uint32_t len;        /* UINT32_MAX: empty */
  uint32_t form;
  uint32_t count;      /* tokens counted here, not yet in lx->counts */
  uint32_t spare;
} th_front;            /* 32 bytes */

typedef struct th_lexicon {
  th_alloc alloc;
  th_front *front;               /* TH_FRONT_SETS pairs, 64-byte aligned;
                                    NULL while there are few forms */
  void *front_mem;               /* as allocated */
  th_strmap raw;                 /* raw bytes -> index into forms */
  th_form *forms;
  size_t nforms, capforms;
  uint32_t *counts;              /* per form: tokens counted, when counting
                                    (th_lexicon_count_init); else NULL */
  size_t capcounts;
  th_buf strings;                /* normal forms and stems */
  th_buf scratch;
  th_normalizer nz;
  struct sb_stemmer *stemmer;    /* NULL: no stemming */
  int english;                   /* the stemmer is Snowball's English */
} th_lexicon;

/* Past this many distinct forms a long-lived cache (the matcher's) is
   emptied between scans, so memory stays bounded over endless input. */
#define TH_LEXICON_MAX_FORMS 2000000

/* Returns TH_OK, TH_ENOMEM, or TH_ESTEMMER for an unknown language. A NULL
   language means no stemming. */
TH_HIDDEN int th_lexicon_init(th_lexicon *lx, th_alloc alloc,
                              const char *language);
TH_HIDDEN void th_lexicon_free(th_lexicon *lx);
TH_HIDDEN void th_lexicon_clear(th_lexicon *lx);

/* Sizes the cache for a text of text_len bytes (a guess from Heaps' law:
   distinct forms grow with the square root of the text), so that growing
   does not copy it over and over. */
TH_HIDDEN int th_lexicon_reserve(th_lexicon *lx, size_t text_len);

/* The set of a hash (lx->front must exist). */
static inline th_front *th_front_set(const th_lexicon *lx, uint64_t h) {
  return &lx->front[2 * (h & (TH_FRONT_SETS - 1))];
}

/* The entry of the front cache holding key k of len bytes, or NULL. */
static inline th_front *th_front_find(const th_lexicon *lx, th_key k,
                                      size_t len, uint64_t h) {
  th_front *set;
  if (lx->front == NULL || len > TH_FRONT_KEY) return NULL;
  set = th_front_set(lx, h);
  if (th_key_eq(set[0].key, k) && set[0].len == len) return &set[0];
  if (th_key_eq(set[1].key, k) && set[1].len == len) return &set[1];
  return NULL;
}

/* Starts loading the set of hash h into the cache. */
static inline void th_lexicon_front_prefetch(const th_lexicon *lx,
                                             uint64_t h) {
#if defined(__GNUC__)
  if (lx->front) __builtin_prefetch(th_front_set(lx, h));
#else
  (void)lx; (void)h;
#endif
}

/* The table behind the front cache; creates the form on first sight. */
TH_HIDDEN long th_lexicon_form_slow(th_lexicon *lx, const char *raw,
                                    size_t len, uint64_t hash, th_kind kind,
                                    int *created);

/* The form of raw[0..len) (hash h = th_hash(raw, len)) if the front cache
   has it, or -1. */
static inline long th_lexicon_front(const th_lexicon *lx, const char *raw,
                                    size_t len, uint64_t h) {
  const th_front *e;
  if (len > TH_FRONT_KEY) return -1;
  e = th_front_find(lx, th_key_of(raw, len), len, h);
  return e ? (long)e->form : -1;
}

/* Starts loading the table slot of hash h into the cache, for a caller
   that will look it up a few tokens later (th_lexicon_form_slow): the
   forms the front cache lacks are rare, so their slots are far away in
   memory, and waiting for them one at a time is most of their cost. */
static inline void th_lexicon_prefetch(const th_lexicon *lx, uint64_t h) {
  th_strmap_prefetch(&lx->raw, h);
}

/* The form of raw[0..len) (created on first sight). Returns its index, or
   -1 when out of memory. *created tells whether it is new. Inline, so that
   a token found in the front cache costs no call. */
static inline long th_lexicon_form(th_lexicon *lx, const char *raw,
                                   size_t len, th_kind kind, int *created) {
  uint64_t h = th_hash(raw, len);
  long fi = th_lexicon_front(lx, raw, len, h);
  *created = 0;
  return fi >= 0 ? fi : th_lexicon_form_slow(lx, raw, len, h, kind, created);
}

/* Counting tokens by form (stem_counts). After th_lexicon_count_init,
   each token is counted either in its front cache entry
   (th_lexicon_count_front, the common case) or, when that misses, by
   th_lexicon_count_slow; the front's counts move to lx->counts when their
   entry leaves the cache, and all of them at th_lexicon_count_flush. Then
   lx->counts[f] is the number of tokens of form f. */
TH_HIDDEN int th_lexicon_count_init(th_lexicon *lx);

/* Counts a token whose key k (len bytes, hash h = th_hash_key(k, len))
   the front cache has; returns 0, counting nothing, when it does not. */
static inline int th_lexicon_count_front(th_lexicon *lx, th_key k,
                                         size_t len, uint64_t h) {
  th_front *e = th_front_find(lx, k, len, h);
  if (e == NULL) return 0;
  if (e != th_front_set(lx, h)) {
    /* The older of its set: it becomes the newer, so that a frequent word
       stays while the rare ones that come into its set go. (Otherwise
       the second miss after it came in would put it out, however often
       it is counted, and bring it back through the table.) */
    th_front t = e[0];
    e[0] = e[-1];
    e[-1] = t;
    e--;
  }
  e->count++;
  return 1;
}

/* Counts a token of raw[0..len) (hash h = th_hash(raw, len)), making its
   form on first sight. Returns the form, or -1 when out of memory. */
TH_HIDDEN long th_lexicon_count_slow(th_lexicon *lx, const char *raw,
                                     size_t len, uint64_t h, th_kind kind,
                                     int *created);

/* Moves every count still in the front cache to lx->counts. */
TH_HIDDEN void th_lexicon_count_flush(th_lexicon *lx);

/* Normalise then stem one word into out (appended). */
TH_HIDDEN int th_lexicon_stem_word(th_lexicon *lx, const char *word,
                                   size_t len, th_buf *out);

static inline const char *th_form_norm(const th_lexicon *lx, const th_form *f) {
  return lx->strings.data + f->norm_off;
}
static inline const char *th_form_stem(const th_lexicon *lx, const th_form *f) {
  return lx->strings.data + f->stem_off;
}

/* The canonical libstemmer name for a language name or ISO 639-1/639-3
   code, or NULL. */
TH_HIDDEN const char *th_language_name(const char *name);

#endif
