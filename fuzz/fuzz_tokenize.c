/*
** The tokeniser in both modes. Invariants:
**  - uax29 segments cover the input exactly, in order, none empty;
**  - words-mode tokens are non-empty, in order, inside the input, and
**    never overlap;
**  - both modes count the same invalid bytes, and the count is the one an
**    independent decoder finds;
**  - kinds are in range (words mode yields only word-like kinds);
**  - th_next_words, in batches of any size, gives th_next_word's tokens.
*/
#include "fuzz_common.h"
#include "tokenize.h"

static size_t count_bad(const char *s, size_t len, size_t *first) {
  size_t i = 0, n, bad = 0;
  int ok;
  *first = (size_t)-1;
  while (i < len) {
    th_utf8_decode((const unsigned char *)s + i, len - i, &n, &ok);
    if (!ok) {
      bad++;
      if (*first == (size_t)-1) *first = i;
    }
    i += n;
  }
  return bad;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  const char *s = (const char *)data;
  th_scanner sc;
  size_t start, end, pos = 0, prev_end = 0, first, bad;
  th_kind kind;
  size_t nsegs = 0;

  bad = count_bad(s, size, &first);

  th_scanner_init(&sc, s, size);
  while (th_next_segment(&sc, &start, &end, &kind)) {
    FUZZ_CHECK(start == pos, "segment starts at %zu, expected %zu", start, pos);
    FUZZ_CHECK(end > start && end <= size, "segment [%zu, %zu) of %zu", start, end, size);
    FUZZ_CHECK(kind >= TH_KIND_WORD && kind <= TH_KIND_OTHER, "kind %d", (int)kind);
    pos = end;
    nsegs++;
  }
  FUZZ_CHECK(pos == size, "segments end at %zu of %zu", pos, size);
  FUZZ_CHECK(nsegs <= size, "%zu segments for %zu bytes", nsegs, size);
  FUZZ_CHECK(sc.bad == bad, "uax29 counted %zu bad bytes, expected %zu", sc.bad, bad);
  FUZZ_CHECK(sc.first_bad == first, "first bad %zu, expected %zu", sc.first_bad, first);

  th_scanner_init(&sc, s, size);
  while (th_next_word(&sc, &start, &end, &kind)) {
    FUZZ_CHECK(start >= prev_end, "token [%zu, %zu) overlaps the previous one ending at %zu",
               start, end, prev_end);
    FUZZ_CHECK(end > start && end <= size, "token [%zu, %zu) of %zu", start, end, size);
    FUZZ_CHECK(kind >= TH_KIND_WORD && kind <= TH_KIND_EMOJI, "words-mode kind %d", (int)kind);
    prev_end = end;
  }
  FUZZ_CHECK(sc.pos == size, "words mode stopped at %zu of %zu", sc.pos, size);
  /* Words mode skips what is not a word, so it may not have decoded every
     byte; what it counted must be real bad bytes, though. */
  FUZZ_CHECK(sc.bad <= bad, "words counted %zu bad bytes, at most %zu exist", sc.bad, bad);

  /* The batch scanner keeps its fast path's state in registers between
     tokens: the same tokens, batch after batch, as one at a time. */
  {
    th_scanner one;
    th_span batch[8];
    size_t max = size ? 1 + data[0] % 8 : 8, got, i, ntok = 0;
    th_scanner_init(&one, s, size);
    th_scanner_init(&sc, s, size);
    do {
      got = th_next_words(&sc, batch, max);
      for (i = 0; i < got; i++, ntok++) {
        FUZZ_CHECK(th_next_word(&one, &start, &end, &kind),
                   "th_next_words gave a token %zu that th_next_word did not", ntok);
        FUZZ_CHECK(batch[i].start == start && batch[i].end == end && batch[i].kind == kind,
                   "token %zu: [%zu, %zu) kind %d in a batch, [%zu, %zu) kind %d alone", ntok,
                   batch[i].start, batch[i].end, (int)batch[i].kind, start, end, (int)kind);
      }
    } while (got == max);
    FUZZ_CHECK(!th_next_word(&one, &start, &end, &kind),
               "th_next_word gave more than the %zu tokens of th_next_words", ntok);
    FUZZ_CHECK(sc.pos == one.pos && sc.bad == one.bad, "batches end at %zu with %zu bad bytes, "
               "one at a time at %zu with %zu", sc.pos, sc.bad, one.pos, one.bad);
  }
  return 0;
}
