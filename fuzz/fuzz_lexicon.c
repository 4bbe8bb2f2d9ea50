/*
** The word-form lexicon and the string map under it, and glob matching.
**
** The input is split at 0xFF bytes into keys. Invariants:
**  - strmap: a key put is found again with its value, a second put of the
**    same key adds nothing, count is the number of distinct keys, and keys
**    that were never put are not found (checked against a naive list);
**  - lexicon: the same raw bytes give the same form (created once), whose
**    normal form is th_normalize of the bytes and valid UTF-8, and whose
**    stem is valid UTF-8 too (the stemmer sees only normalised text);
**  - th_glob_match never reads outside its strings (the first key is the
**    glob, every other key a subject).
*/
#include "fuzz_common.h"
#include "lexicon.h"
#include "matcher.h"

enum { MAXKEYS = 256 };

typedef struct key { const char *s; size_t len; } key;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  key keys[MAXKEYS];
  size_t nkeys = 0, i, j, distinct = 0;
  const char *s = (const char *)data;
  size_t at = 0;
  th_strmap map;
  th_lexicon lx;
  th_buf norm = {NULL, 0, 0};
  char *glob;
  int rc;

  /* Split on 0xFF. */
  for (i = 0; i <= size && nkeys < MAXKEYS; i++) {
    if (i == size || data[i] == 0xFF) {
      keys[nkeys].s = s + at;
      keys[nkeys].len = i - at;
      nkeys++;
      at = i + 1;
    }
  }

  /* strmap against a naive list */
  th_strmap_init(&map, fuzz_alloc);
  if (size & 1) FUZZ_CHECK(th_strmap_reserve(&map, nkeys) == TH_OK, "reserve");
  for (i = 0; i < nkeys; i++) {
    int added, seen = 0;
    th_slot *slot;
    uint64_t h = th_hash(keys[i].s, keys[i].len);
    for (j = 0; j < i; j++)
      if (keys[j].len == keys[i].len && memcmp(keys[j].s, keys[i].s, keys[i].len) == 0) {
        seen = 1;
        break;
      }
    FUZZ_CHECK((th_strmap_get(&map, keys[i].s, keys[i].len, h) != NULL) == seen,
               "key %zu found=%d before put", i, !seen);
    slot = th_strmap_put(&map, keys[i].s, keys[i].len, h, (uint32_t)i, &added);
    FUZZ_CHECK(slot != NULL, "put");
    FUZZ_CHECK(added == !seen, "added=%d for a key seen=%d", added, seen);
    FUZZ_CHECK(slot->value == (seen ? (uint32_t)j : (uint32_t)i), "value");
    FUZZ_CHECK(slot->key_len == keys[i].len &&
               memcmp(th_slot_key(&map, slot), keys[i].s, keys[i].len) == 0, "key bytes");
    distinct += !seen;
    FUZZ_CHECK(map.count == distinct, "count %zu, expected %zu", map.count, distinct);
  }
  for (i = 0; i < nkeys; i++)
    FUZZ_CHECK(th_strmap_get(&map, keys[i].s, keys[i].len,
                             th_hash(keys[i].s, keys[i].len)) != NULL, "key %zu lost", i);
  th_strmap_clear(&map);
  FUZZ_CHECK(nkeys == 0 || th_strmap_get(&map, keys[0].s, keys[0].len,
                                         th_hash(keys[0].s, keys[0].len)) == NULL,
             "found after clear");
  th_strmap_free(&map);

  /* lexicon */
  rc = th_lexicon_init(&lx, fuzz_alloc, (size & 2) ? "english" : "german");
  FUZZ_CHECK(rc == TH_OK, "lexicon init %d", rc);
  if (size & 4) FUZZ_CHECK(th_lexicon_reserve(&lx, size) == TH_OK, "reserve");
  for (i = 0; i < nkeys; i++) {
    int created, created2;
    long f, f2;
    const th_form *form;
    th_kind kind = (th_kind)(keys[i].len ? (unsigned char)keys[i].s[0] % 5 : 0);
    f = th_lexicon_form(&lx, keys[i].s, keys[i].len, kind, &created);
    FUZZ_CHECK(f >= 0, "form");
    f2 = th_lexicon_form(&lx, keys[i].s, keys[i].len, kind, &created2);
    FUZZ_CHECK(f2 == f && !created2, "second lookup gave %ld (created %d), first %ld",
               f2, created2, f);
    form = &lx.forms[f];
    norm.len = 0;
    FUZZ_CHECK(th_normalize(&lx.nz, keys[i].s, keys[i].len, &norm) == TH_OK, "normalize");
    FUZZ_CHECK(norm.len == form->norm_len && (norm.len == 0 ||
               memcmp(norm.data, th_form_norm(&lx, form), norm.len) == 0),
               "form %ld: normal form differs from th_normalize", f);
    FUZZ_CHECK(th_form_norm(&lx, form)[form->norm_len] == '\0', "norm not terminated");
    FUZZ_CHECK(th_form_stem(&lx, form)[form->stem_len] == '\0', "stem not terminated");
    FUZZ_CHECK(fuzz_valid_utf8(th_form_stem(&lx, form), form->stem_len), "stem not UTF-8");
    norm.len = 0;
    FUZZ_CHECK(th_lexicon_stem_word(&lx, keys[i].s, keys[i].len, &norm) == TH_OK, "stem_word");
    FUZZ_CHECK(fuzz_valid_utf8(norm.data, norm.len), "stem_word not UTF-8");
    if (i == nkeys / 2) th_lexicon_clear(&lx);
  }
  th_buf_free(&fuzz_alloc, &norm);
  th_lexicon_free(&lx);

  /* globs: key 0 is the pattern, NUL-terminated in its own allocation */
  if (nkeys > 1) {
    glob = malloc(keys[0].len + 1);
    FUZZ_CHECK(glob != NULL, "oom");
    memcpy(glob, keys[0].s, keys[0].len);
    glob[keys[0].len] = '\0';
    for (i = 1; i < nkeys; i++) {
      char *subj = malloc(keys[i].len ? keys[i].len : 1);
      int m;
      FUZZ_CHECK(subj != NULL, "oom");
      memcpy(subj, keys[i].s, keys[i].len);
      m = th_glob_match(glob, subj, keys[i].len);
      /* a glob without wildcards or NUL matches exactly itself */
      if (strpbrk(glob, "*?") == NULL && strlen(glob) == keys[0].len)
        FUZZ_CHECK(m == (keys[i].len == keys[0].len &&
                         memcmp(glob, subj, keys[i].len) == 0), "literal glob");
      if (strcmp(glob, "*") == 0) FUZZ_CHECK(m, "'*' must match everything");
      free(subj);
    }
    free(glob);
  }
  return 0;
}
