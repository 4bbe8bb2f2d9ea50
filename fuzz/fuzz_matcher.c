/*
** The matcher with a fixed compiled codebook: words, globs (prefix,
** suffix, '?', inner '*'), exact forms, phrases with "any", exclusions,
** negation cues (including "*n't") and a negated_to target. The first
** bytes of the input choose the scan range and skip ranges; the rest is
** the text.
**
** Invariants: every hit lies in [from, to), is non-empty, starts on a
** token not inside a skip range, names a code in range; the hits of a code
** are in order and do not overlap, both those its patterns matched (moved
** by negated_to or not) and those counted for it (its own and those moved
** to it: a token counts once per code); the counts add up to the hits;
** words never exceed the bytes scanned; a second scan of the same text
** (with every form now cached) gives exactly the same result.
*/
#include "fuzz_common.h"
#include "matcher.h"

enum { NCODES = 6 };

typedef struct pat {
  uint32_t code;
  int exclude;
  const char *elems[5][2];   /* {kind, text}; kind NULL ends */
} pat;

static const pat PATTERNS[] = {
  {1, 0, {{"word", "barrier"}}},
  {1, 0, {{"glob", "access*"}}},
  {1, 0, {{"word", "access"}, {"word", "code"}}},
  {1, 1, {{"word", "access"}, {"any", NULL}, {"word", "code"}}},
  {2, 0, {{"exact", "NHS"}}},
  {2, 0, {{"glob", "*phone"}}},
  {2, 0, {{"glob", "te?t"}}},
  {2, 0, {{"glob", "gl*c*se"}}},
  {3, 0, {{"word", "not"}, {"any", NULL}, {"word", "confident"}}},
  {3, 0, {{"word", "confident"}}},
  {3, 0, {{"norm", "e-health"}}},
  {4, 0, {{"word", "app"}, {"any", NULL}, {"any", NULL}, {"word", "help"}}},
  {4, 0, {{"glob", "\xC3\xA9t?*"}}},
  {4, 1, {{"word", "app"}, {"word", "store"}}},
  {5, 0, {{"word", "worri"}, {"word", "about"}}},
  {5, 0, {{"word", "worried"}}},
  {5, 0, {{"glob", "?"}}},
  {6, 0, {{"glob", "*"}, {"word", "insulin"}}},
  {6, 0, {{"norm", "\xEF\xAC\x81nger"}}},   /* "finger" with a ligature */
};
static const char *const CUES[] = {"not", "no", "never", "without", "*n't",
                                   "n\xE2\x80\x99t", "*\xC3\xA9"};

static th_matcher M;

static th_term_kind kind_of(const char *k) {
  if (strcmp(k, "word") == 0) return TH_TERM_WORD;
  if (strcmp(k, "norm") == 0) return TH_TERM_NORM;
  if (strcmp(k, "glob") == 0) return TH_TERM_GLOB;
  return TH_TERM_EXACT;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  size_t i, k;
  (void)argc; (void)argv;
  FUZZ_CHECK(th_matcher_init(&M, fuzz_alloc, "english", NCODES) == TH_OK, "init");
  for (i = 0; i < sizeof PATTERNS / sizeof PATTERNS[0]; i++) {
    uint32_t elems[5];
    size_t n = 0;
    for (k = 0; k < 5 && PATTERNS[i].elems[k][0]; k++) {
      const char *kd = PATTERNS[i].elems[k][0], *t = PATTERNS[i].elems[k][1];
      int empty;
      if (strcmp(kd, "any") == 0) { elems[n++] = TH_ANY; continue; }
      elems[n] = th_matcher_term(&M, kind_of(kd), t, strlen(t), &empty);
      FUZZ_CHECK(elems[n] != 0 && !empty, "term %s", t);
      n++;
    }
    FUZZ_CHECK(th_matcher_pattern(&M, PATTERNS[i].code, (int64_t)(100 + i), elems, n,
                                  PATTERNS[i].exclude) == TH_OK, "pattern");
  }
  for (i = 0; i < sizeof CUES / sizeof CUES[0]; i++)
    FUZZ_CHECK(th_matcher_cue(&M, CUES[i], strlen(CUES[i])) == TH_OK, "cue");
  M.window = 3;
  th_matcher_negated_to(&M, 3, 5);   /* negated confidence counts as worry */
  FUZZ_CHECK(th_matcher_finish(&M) == TH_OK, "finish");
  return 0;
}

typedef struct result {
  size_t counts[NCODES + 1], negated[NCODES + 1], words, nhits;
  th_hit *hits;
} result;

static void keep(result *r) {
  memcpy(r->counts, M.counts, sizeof r->counts);
  memcpy(r->negated, M.negated, sizeof r->negated);
  r->words = M.words;
  r->nhits = M.nhits;
  r->hits = malloc((M.nhits ? M.nhits : 1) * sizeof(th_hit));
  FUZZ_CHECK(r->hits != NULL, "oom");
  if (M.nhits) memcpy(r->hits, M.hits, M.nhits * sizeof(th_hit));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  th_range skip[4];
  size_t nskip = 0, from, to, len, i, c, total;
  const char *text;
  char *copy;
  result first;
  int rc, pass;
  if (size < 4) return 0;
  /* byte 0: from, byte 1: to (from the end), byte 2: skip ranges */
  {
    unsigned b0 = data[0], b1 = data[1], b2 = data[2], b3 = data[3];
    text = (const char *)data + 4;
    len = size - 4;
    from = len ? b0 % (len + 1) : 0;
    to = len - (len ? b1 % (len + 1) : 0);
    if (to < from) to = from;
    if (b0 & 0x80) { from = 0; to = len; }
    if (len > 0) {
      size_t p = (b2 * 7u) % (len + 1);
      for (i = 0; i < (b3 & 3u) && p <= len; i++) {
        size_t w = 1 + ((b2 >> (2 * i)) & 7u);
        skip[nskip].start = p;
        skip[nskip].end = p + w > len ? len : p + w;
        p = skip[nskip].end + 1 + ((b3 >> 2) & 15u);
        nskip++;
      }
    }
  }
  /* The text in its own allocation, so ASan sees reads past its end. */
  copy = malloc(len ? len : 1);
  FUZZ_CHECK(copy != NULL, "oom");
  memcpy(copy, text, len);
  memset(&first, 0, sizeof first);
  for (pass = 0; pass < 2; pass++) {
    rc = th_matcher_scan(&M, copy, from, to, skip, nskip);
    FUZZ_CHECK(rc == TH_OK, "scan returned %d", rc);
    FUZZ_CHECK(M.words <= to - from, "%zu words in %zu bytes", M.words, to - from);
    total = 0;
    for (c = 1; c <= NCODES; c++) total += M.counts[c] + M.negated[c];
    FUZZ_CHECK(total == M.nhits, "counts add to %zu, %zu hits", total, M.nhits);
    for (i = 0; i < M.nhits; i++) {
      const th_hit *h = &M.hits[i];
      size_t k;
      FUZZ_CHECK(h->code >= 1 && h->code <= NCODES, "hit code %u", h->code);
      FUZZ_CHECK(h->from == 0 || (h->from == 3 && h->code == 5 && h->negated),
                 "hit moved from %u to %u", h->from, h->code);
      FUZZ_CHECK(h->start >= from && h->start < h->end && h->end <= to,
                 "hit [%zu, %zu) outside [%zu, %zu)", h->start, h->end, from, to);
      FUZZ_CHECK(h->pattern >= 100 &&
                 h->pattern < 100 + (int64_t)(sizeof PATTERNS / sizeof PATTERNS[0]),
                 "hit pattern %lld", (long long)h->pattern);
      FUZZ_CHECK(!PATTERNS[h->pattern - 100].exclude, "an exclusion pattern was a hit");
      for (k = 0; k < nskip; k++)
        FUZZ_CHECK(!(h->start >= skip[k].start && h->start < skip[k].end),
                   "hit at %zu starts in skip range [%zu, %zu)", h->start,
                   skip[k].start, skip[k].end);
      /* within a code, hits are in order and do not overlap: those its
         patterns matched ... */
      for (k = i; k-- > 0;) {
        const th_hit *g = &M.hits[k];
        if ((g->from ? g->from : g->code) == (h->from ? h->from : h->code)) {
          FUZZ_CHECK(g->end <= h->start, "hits of code %u overlap",
                     h->from ? h->from : h->code);
          break;
        }
      }
      /* ... and those counted for it, moved there or not */
      for (k = i; k-- > 0;) {
        const th_hit *g = &M.hits[k];
        if (g->code == h->code) {
          FUZZ_CHECK(g->end <= h->start, "hits counted for code %u overlap",
                     h->code);
          break;
        }
      }
    }
    if (pass == 0) {
      keep(&first);
    } else {
      FUZZ_CHECK(first.words == M.words && first.nhits == M.nhits &&
                 memcmp(first.counts, M.counts, sizeof first.counts) == 0 &&
                 memcmp(first.negated, M.negated, sizeof first.negated) == 0,
                 "a second scan differs (words %zu/%zu, hits %zu/%zu)",
                 first.words, M.words, first.nhits, M.nhits);
      for (i = 0; i < M.nhits; i++)
        FUZZ_CHECK(first.hits[i].start == M.hits[i].start &&
                   first.hits[i].end == M.hits[i].end &&
                   first.hits[i].code == M.hits[i].code &&
                   first.hits[i].negated == M.hits[i].negated &&
                   first.hits[i].pattern == M.hits[i].pattern,
                   "hit %zu differs on the second scan", i);
    }
  }
  free(first.hits);
  free(copy);
  return 0;
}
