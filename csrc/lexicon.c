#include <string.h>

#include <libstemmer.h>

#include "lexicon.h"

/* ISO 639-1 codes of the Snowball languages Debian's libstemmer has.
   libstemmer itself knows some codes but not all of them in every
   version, so we resolve them here. */
static const char *const iso_codes[][2] = {
  {"ar", "arabic"}, {"hy", "armenian"}, {"eu", "basque"},
  {"ca", "catalan"}, {"da", "danish"}, {"nl", "dutch"}, {"en", "english"},
  {"fi", "finnish"}, {"fr", "french"}, {"de", "german"}, {"el", "greek"},
  {"hi", "hindi"}, {"hu", "hungarian"}, {"id", "indonesian"},
  {"ga", "irish"}, {"it", "italian"}, {"lt", "lithuanian"},
  {"ne", "nepali"}, {"no", "norwegian"}, {"nb", "norwegian"},
  {"pt", "portuguese"}, {"ro", "romanian"}, {"ru", "russian"},
  {"sr", "serbian"}, {"es", "spanish"}, {"sv", "swedish"}, {"ta", "tamil"},
  {"tr", "turkish"}, {"yi", "yiddish"}, {"pl", "polish"}, {"cs", "czech"},
  {"et", "estonian"}, {"fa", "persian"},
  {NULL, NULL}
};

const char *th_language_name(const char *name) {
  const char **list = sb_stemmer_list();
  size_t i;
  char lower[32];
  for (i = 0; i < sizeof lower - 1 && name[i]; i++)
    lower[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
  lower[i] = '\0';
  if (name[i]) return NULL;
  for (i = 0; iso_codes[i][0]; i++)
    /* strcpy is safe: the names in iso_codes have at most 10 bytes, lower 32. */
    /* NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.strcpy) */
    if (strcmp(lower, iso_codes[i][0]) == 0) { strcpy(lower, iso_codes[i][1]); break; }
  for (i = 0; list[i]; i++)
    if (strcmp(lower, list[i]) == 0) return list[i];
  /* libstemmer's own aliases (three-letter codes such as "eng"). */
  {
    struct sb_stemmer *st = sb_stemmer_new(lower, "UTF_8");
    if (st == NULL) return NULL;
    sb_stemmer_delete(st);
    for (i = 0; iso_codes[i][0]; i++) {
      if (strncmp(lower, iso_codes[i][1], 3) == 0) return iso_codes[i][1];
    }
    return NULL;
  }
}

#define FRONT_ENTRIES ((size_t)2 * TH_FRONT_SETS)
#define FRONT_BYTES (sizeof(th_front) * FRONT_ENTRIES)

/* Every entry empty: a length no key has. */
static void front_clear(th_lexicon *lx) {
  memset(lx->front, 0xFF, FRONT_BYTES);
}

/* The front cache is made once the lexicon has TH_FRONT_AFTER forms: a
   lexicon that stems a word or two (stem(), a short segment) does not pay
   for clearing half a megabyte. */
#define TH_FRONT_AFTER 512

static int front_new(th_lexicon *lx) {
  lx->front_mem = th_realloc(&lx->alloc, NULL, 0, FRONT_BYTES + 64);
  if (lx->front_mem == NULL) return TH_ENOMEM;
  /* aligned, so that each set is one cache line */
  lx->front = (th_front *)(void *)((char *)lx->front_mem +
                                   (-(uintptr_t)lx->front_mem & 63));
  front_clear(lx);
  return TH_OK;
}

int th_lexicon_init(th_lexicon *lx, th_alloc alloc, const char *language) {
  memset(lx, 0, sizeof *lx);
  lx->alloc = alloc;
  th_strmap_init(&lx->raw, alloc);
  th_normalizer_init(&lx->nz, alloc, 0);
  if (language) {
    lx->stemmer = sb_stemmer_new(language, "UTF_8");
    if (lx->stemmer == NULL) return TH_ESTEMMER;
    lx->english = strcmp(language, "english") == 0;
  }
  return TH_OK;
}

void th_lexicon_free(th_lexicon *lx) {
  th_strmap_free(&lx->raw);
  th_free(&lx->alloc, lx->front_mem, lx->front_mem ? FRONT_BYTES + 64 : 0);
  lx->front = NULL;
  lx->front_mem = NULL;
  th_free(&lx->alloc, lx->forms, lx->capforms * sizeof(th_form));
  lx->forms = NULL;
  lx->nforms = lx->capforms = 0;
  th_free(&lx->alloc, lx->counts, lx->capcounts * sizeof(uint32_t));
  lx->counts = NULL;
  lx->capcounts = 0;
  th_buf_free(&lx->alloc, &lx->strings);
  th_buf_free(&lx->alloc, &lx->scratch);
  th_normalizer_free(&lx->nz);
  if (lx->stemmer) sb_stemmer_delete(lx->stemmer);
  lx->stemmer = NULL;
}

void th_lexicon_clear(th_lexicon *lx) {
  th_strmap_clear(&lx->raw);
  if (lx->front) front_clear(lx);
  lx->nforms = 0;
  lx->strings.len = 0;
}

/* Does Snowball's English stemmer leave the normalised word s[0..len)
   as it is, whatever its other letters? Every suffix it removes or
   changes ends in one of the letters below or an apostrophe, its
   exceptional words too, and it changes nothing else but a leading
   apostrophe and, on its way, y to Y and back (a 'Y' in the input would
   come back as 'y'; a case-folded word has none). Two words in five of
   technical prose end otherwise (numbers, hex codes, identifiers, and
   words ending in a, h, k, o, p, x ...), and libstemmer spends 1,300 or
   so cycles on each. Checked against libstemmer 2.2 on every form of
   both benchmark files and millions of random words. */
static int english_keeps(const char *s, size_t len) {
  static const char ends[] = "'cdegilmnrsty";
  unsigned char c;
  if (len == 0) return 0;   /* (libstemmer's own answer: "") */
  c = (unsigned char)s[len - 1];
  return s[0] != '\'' &&
         (c >= 0x80 || memchr(ends, c, sizeof ends - 1) == NULL) &&
         memchr(s, 'Y', len) == NULL;
}

/* Is the stem of s[0..len) (already normalised) s itself? */
static int stem_is_word(const th_lexicon *lx, const char *s, size_t len) {
  return lx->stemmer == NULL || len > 1000 ||   /* no stemmer, or not a word */
         (lx->english && english_keeps(s, len));
}

/* Appends libstemmer's stem of s[0..len) (already normalised) to out. s
   may be in out: libstemmer stems a copy, and its result is its own. */
static int stem_append(th_lexicon *lx, const char *s, size_t len,
                       th_buf *out) {
  const sb_symbol *st = sb_stemmer_stem(lx->stemmer, (const sb_symbol *)s,
                                        (int)len);
  size_t n;
  int rc;
  if (st == NULL) return TH_ENOMEM;
  n = (size_t)sb_stemmer_length(lx->stemmer);
  if ((rc = th_buf_reserve(&lx->alloc, out, n + 1)) != TH_OK) return rc;
  memcpy(out->data + out->len, st, n);
  out->len += n;
  return TH_OK;
}

/* Stems s[0..len) (already normalised) and appends the stem to out; s is
   not in out, which may move. */
static int stem_into(th_lexicon *lx, const char *s, size_t len, th_buf *out) {
  int rc;
  if (!stem_is_word(lx, s, len)) return stem_append(lx, s, len, out);
  if ((rc = th_buf_reserve(&lx->alloc, out, len + 1)) != TH_OK) return rc;
  memcpy(out->data + out->len, s, len);
  out->len += len;
  return TH_OK;
}

int th_lexicon_stem_word(th_lexicon *lx, const char *word, size_t len,
                         th_buf *out) {
  int rc;
  lx->scratch.len = 0;
  if ((rc = th_normalize(&lx->nz, word, len, &lx->scratch)) != TH_OK) return rc;
  return stem_into(lx, lx->scratch.data, lx->scratch.len, out);
}

int th_lexicon_reserve(th_lexicon *lx, size_t text_len) {
  size_t forms = 1, words = text_len / 8;
  void *p = lx->forms;
  int rc;
  while (forms * forms < words) forms *= 2;   /* about sqrt(words) */
  forms *= 64;
  if (forms > text_len / 4 + 16) forms = text_len / 4 + 16;
  if ((rc = th_strmap_reserve(&lx->raw, forms)) != TH_OK) return rc;
  if ((rc = th_grow(&lx->alloc, &p, &lx->capforms, forms, sizeof(th_form))) != TH_OK)
    return rc;
  lx->forms = p;
  return th_buf_reserve(&lx->alloc, &lx->strings, forms * 16);
}

/* Puts a form found in the table into the front cache, as the newer of its
   set; the older one leaves, and its count goes to lx->counts. */
static void front_put(th_lexicon *lx, th_front *set, const char *raw,
                      size_t len, uint32_t form) {
  if (lx->counts && set[1].len != UINT32_MAX)
    lx->counts[set[1].form] += set[1].count;
  set[1] = set[0];
  set[0].key = th_key_of(raw, len);
  set[0].len = (uint32_t)len;
  set[0].form = form;
  set[0].count = 0;
}

/* Makes room in lx->counts for form fi (new, so its count starts at 0). */
static int counts_grow(th_lexicon *lx, size_t fi) {
  void *p = lx->counts;
  size_t old = lx->capcounts;
  if (fi < old) { lx->counts[fi] = 0; return TH_OK; }
  if (th_grow(&lx->alloc, &p, &lx->capcounts, fi + 1, sizeof(uint32_t)) != TH_OK)
    return TH_ENOMEM;
  lx->counts = p;
  memset(lx->counts + old, 0, (lx->capcounts - old) * sizeof(uint32_t));
  return TH_OK;
}

/* The form, a word, whose raw bytes are nm[0..nlen), the normal form of a
   new form raw[0..len) that differs from it, if that form has the same
   normal form; or NULL. Its stem is then the new form's: a capitalised
   word ("The", "Function") usually comes after its lower-case form, and
   this costs a lookup where libstemmer would cost a thousand instructions
   or more. (A word's normal form is nearly always its own normal form; the
   test is there for the rare one that is not.) */
static const th_form *form_of_norm(const th_lexicon *lx, const char *raw,
                                   size_t len, const char *nm, size_t nlen) {
  const th_slot *slot;
  const th_form *g;
  if (nlen == len && memcmp(nm, raw, len) == 0) return NULL;
  slot = th_strmap_get(&lx->raw, nm, nlen, th_hash(nm, nlen));
  if (slot == NULL) return NULL;
  g = &lx->forms[slot->value];
  return g->kind == TH_KIND_WORD && g->norm_len == nlen &&
         memcmp(th_form_norm(lx, g), nm, nlen) == 0 ? g : NULL;
}

long th_lexicon_form_slow(th_lexicon *lx, const char *raw, size_t len,
                          uint64_t h, th_kind kind, int *created) {
  th_slot *slot = th_strmap_get(&lx->raw, raw, len, h);
  th_form *f;
  size_t norm_off;
  void *p;
  if (slot) {
    if (len <= TH_FRONT_KEY && lx->front)
      front_put(lx, th_front_set(lx, h), raw, len, slot->value);
    return (long)slot->value;
  }
  if (lx->front == NULL && lx->nforms >= TH_FRONT_AFTER && front_new(lx) != TH_OK)
    return -1;
  p = lx->forms;
  if (th_grow(&lx->alloc, &p, &lx->capforms, lx->nforms + 1, sizeof(th_form)) != TH_OK)
    return -1;
  lx->forms = p;
  f = &lx->forms[lx->nforms];
  memset(f, 0, sizeof *f);
  f->kind = (uint8_t)kind;
  /* normal form, NUL-terminated, then the stem */
  norm_off = lx->strings.len;
  if (th_normalize(&lx->nz, raw, len, &lx->strings) != TH_OK) return -1;
  if (lx->strings.len > UINT32_MAX - 2048) return -1;
  f->norm_off = (uint32_t)norm_off;
  f->norm_len = (uint32_t)(lx->strings.len - norm_off);
  if (th_buf_reserve(&lx->alloc, &lx->strings, 1) != TH_OK) return -1;
  lx->strings.data[lx->strings.len++] = '\0';
  f->stem_off = (uint32_t)lx->strings.len;
  if (kind == TH_KIND_WORD &&
      !stem_is_word(lx, lx->strings.data + f->norm_off, f->norm_len)) {
    const th_form *g = form_of_norm(lx, raw, len, lx->strings.data + f->norm_off,
                                    f->norm_len);
    if (g) {   /* a case variant of a word seen before: its stem */
      f->stem_off = g->stem_off;
      f->stem_len = g->stem_len;
    } else {
      if (stem_append(lx, lx->strings.data + f->norm_off, f->norm_len,
                      &lx->strings) != TH_OK) return -1;
      f->stem_len = (uint32_t)(lx->strings.len - f->stem_off);
    }
  } else {   /* numbers, URLs, emoji, words that are their own stem */
    f->stem_off = f->norm_off;
    f->stem_len = f->norm_len;
  }
  if (th_buf_reserve(&lx->alloc, &lx->strings, 1) != TH_OK) return -1;
  lx->strings.data[lx->strings.len++] = '\0';
  if (lx->counts && counts_grow(lx, lx->nforms) != TH_OK) return -1;
  /* (the lookup above found no slot, and nothing has been added since) */
  slot = th_strmap_insert(&lx->raw, raw, len, h, (uint32_t)lx->nforms);
  if (slot == NULL) return -1;
  *created = 1;
  return (long)lx->nforms++;
}

int th_lexicon_count_init(th_lexicon *lx) {
  void *p = lx->counts;
  size_t i, need = lx->capforms > lx->nforms ? lx->capforms : lx->nforms;
  if (th_grow(&lx->alloc, &p, &lx->capcounts, need ? need : 1,
              sizeof(uint32_t)) != TH_OK)
    return TH_ENOMEM;
  lx->counts = p;
  memset(lx->counts, 0, lx->capcounts * sizeof(uint32_t));
  if (lx->front)
    for (i = 0; i < FRONT_ENTRIES; i++) lx->front[i].count = 0;
  return TH_OK;
}

long th_lexicon_count_slow(th_lexicon *lx, const char *raw, size_t len,
                           uint64_t h, th_kind kind, int *created) {
  long fi;
  th_front *e;
  *created = 0;
  /* An earlier token of the batch may have brought it in. */
  if (len <= TH_FRONT_KEY &&
      (e = th_front_find(lx, th_key_of(raw, len), len, h)) != NULL) {
    e->count++;
    return (long)e->form;
  }
  fi = th_lexicon_form_slow(lx, raw, len, h, kind, created);
  if (fi < 0) return -1;
  /* A form seen before went into the front cache as the newer of its set;
     a new one waits for its second token. */
  if (!*created && len <= TH_FRONT_KEY && lx->front)
    th_front_set(lx, h)[0].count++;
  else
    lx->counts[fi]++;
  return fi;
}

void th_lexicon_count_flush(th_lexicon *lx) {
  size_t i;
  if (lx->front == NULL || lx->counts == NULL) return;
  for (i = 0; i < FRONT_ENTRIES; i++) {
    th_front *e = &lx->front[i];
    if (e->len != UINT32_MAX) {
      lx->counts[e->form] += e->count;
      e->count = 0;
    }
  }
}
