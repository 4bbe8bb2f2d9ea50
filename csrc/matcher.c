/*
** Codebook matching. See matcher.h for the design and docs/codebook.md for
** the rules as users see them:
**  - longest match wins within a code; a token is counted once per code;
**  - the same token may count for several codes;
**  - an exclusion pattern of a code drops a hit of that code whose token
**    span it contains;
**  - a hit preceded, within `window` tokens and without a sentence end in
**    between, by a negation cue is negated; negated hits of a code with a
**    `negated_to` target count as hits of the target instead.
*/
#include <string.h>

#include "matcher.h"
#include "utf8.h"

#define DEFAULT_WINDOW 3

int th_matcher_init(th_matcher *m, th_alloc alloc, const char *language,
                    uint32_t ncodes) {
  int rc;
  memset(m, 0, sizeof *m);
  m->alloc = alloc;
  m->ncodes = ncodes;
  m->window = DEFAULT_WINDOW;
  m->want_hits = 1;
  th_strmap_init(&m->term_ids, alloc);
  th_strmap_init(&m->by_stem, alloc);
  th_strmap_init(&m->by_norm, alloc);
  th_strmap_init(&m->by_exact, alloc);
  th_strmap_init(&m->by_prefix, alloc);
  th_strmap_init(&m->by_suffix, alloc);
  th_strmap_init(&m->cues, alloc);
  th_strmap_init(&m->cue_suffixes, alloc);
  if ((rc = th_lexicon_init(&m->lex, alloc, language)) != TH_OK) return rc;
  m->state = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(th_code_state));
  m->touched = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(uint32_t));
  m->counts = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(size_t));
  m->negated = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(size_t));
  m->negated_to = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(uint32_t));
  if (!m->state || !m->touched || !m->counts || !m->negated || !m->negated_to)
    return TH_ENOMEM;
  memset(m->state, 0, (ncodes + 1) * sizeof(th_code_state));
  memset(m->negated_to, 0, (ncodes + 1) * sizeof(uint32_t));
  return TH_OK;
}

void th_matcher_free(th_matcher *m) {
  const th_alloc *a = &m->alloc;
  size_t nc = (size_t)m->ncodes + 1;
  th_lexicon_free(&m->lex);
  th_strmap_free(&m->term_ids);
  th_strmap_free(&m->by_stem);
  th_strmap_free(&m->by_norm);
  th_strmap_free(&m->by_exact);
  th_strmap_free(&m->by_prefix);
  th_strmap_free(&m->by_suffix);
  th_strmap_free(&m->cues);
  th_strmap_free(&m->cue_suffixes);
  th_free(a, m->globs, m->capglobs * sizeof(uint32_t));
  th_free(a, m->glob_off, m->capglob_off * sizeof(uint32_t));
  th_buf_free(a, &m->glob_text);
  th_free(a, m->patterns, m->cappatterns * sizeof(th_pattern));
  th_free(a, m->elems, m->capelems * sizeof(uint32_t));
  th_free(a, m->start_index, (m->nterms + 2) * sizeof(uint32_t));
  th_free(a, m->start_list, (m->npatterns ? m->npatterns : 1) * sizeof(uint32_t));
  th_free(a, m->pool, m->cappool * sizeof(uint32_t));
  th_free(a, m->state, nc * sizeof(th_code_state));
  th_free(a, m->touched, nc * sizeof(uint32_t));
  th_free(a, m->counts, nc * sizeof(size_t));
  th_free(a, m->negated, nc * sizeof(size_t));
  th_free(a, m->negated_to, nc * sizeof(uint32_t));
  th_free(a, m->toks, m->captoks * sizeof(th_token));
  th_free(a, m->hits, m->caphits * sizeof(th_hit));
  memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------------
** Globs
** ------------------------------------------------------------------ */

int th_glob_match(const char *glob, const char *s, size_t len) {
  const unsigned char *g = (const unsigned char *)glob;
  const unsigned char *t = (const unsigned char *)s, *end = t + len;
  const unsigned char *star_g = NULL, *star_t = NULL;
  while (t < end) {
    if (*g == '*') {
      star_g = ++g;
      star_t = t;
    } else if (*g == '?') {
      size_t n; int ok;
      th_utf8_decode(t, (size_t)(end - t), &n, &ok);
      g++;
      t += n;
    } else if (*g != '\0' && *g == *t) {
      g++;
      t++;
    } else if (star_g) {     /* backtrack: let the last '*' take one more */
      size_t n; int ok;
      th_utf8_decode(star_t, (size_t)(end - star_t), &n, &ok);
      star_t += n;
      t = star_t;
      g = star_g;
    } else {
      return 0;
    }
  }
  while (*g == '*') g++;
  return *g == '\0';
}

/* Kind of glob: 'p' prefix ("abc*"), 's' suffix ("*abc"), 'g' general. */
static int glob_shape(const char *g, size_t len) {
  size_t i, stars = 0, qs = 0;
  for (i = 0; i < len; i++) {
    if (g[i] == '*') stars++;
    else if (g[i] == '?') qs++;
  }
  if (qs == 0 && stars == 1 && len > 1 && len - 1 < 64) {
    if (g[len - 1] == '*') return 'p';
    if (g[0] == '*') return 's';
  }
  return 'g';
}

/* ---------------------------------------------------------------------
** Building
** ------------------------------------------------------------------ */

static int map_term(th_strmap *map, const char *s, size_t len, uint32_t id) {
  int added;
  return th_strmap_put(map, s, len, th_hash(s, len), id, &added) ? TH_OK
                                                                  : TH_ENOMEM;
}

uint32_t th_matcher_term(th_matcher *m, th_term_kind kind, const char *s,
                         size_t len, int *empty) {
  th_buf key = {NULL, 0, 0};
  th_slot *slot;
  uint32_t id = 0;
  int added, rc = TH_OK;
  *empty = 0;
  /* The key: the kind, then the text as it will be compared. */
  if (th_buf_reserve(&m->alloc, &key, len + 2) != TH_OK) return 0;
  key.data[key.len++] = (char)('0' + kind);
  if (kind == TH_TERM_EXACT) {
    memcpy(key.data + key.len, s, len);
    key.len += len;
  } else if (kind == TH_TERM_WORD) {
    rc = th_lexicon_stem_word(&m->lex, s, len, &key);
  } else {
    rc = th_normalize(&m->lex.nz, s, len, &key);
  }
  if (rc != TH_OK) goto done;
  if (key.len == 1) { *empty = 1; goto done; }
  slot = th_strmap_put(&m->term_ids, key.data, key.len,
                       th_hash(key.data, key.len), m->nterms + 1, &added);
  if (slot == NULL) goto done;
  if (!added) { id = slot->value; goto done; }
  id = ++m->nterms;
  {
    const char *t = key.data + 1;
    size_t tl = key.len - 1;
    switch (kind) {
      case TH_TERM_WORD: rc = map_term(&m->by_stem, t, tl, id); break;
      case TH_TERM_NORM: rc = map_term(&m->by_norm, t, tl, id); break;
      case TH_TERM_EXACT: rc = map_term(&m->by_exact, t, tl, id); break;
      case TH_TERM_GLOB:
        switch (glob_shape(t, tl)) {
          case 'p':
            rc = map_term(&m->by_prefix, t, tl - 1, id);
            m->prefix_lens |= (uint64_t)1 << (tl - 1);
            break;
          case 's':
            rc = map_term(&m->by_suffix, t + 1, tl - 1, id);
            m->suffix_lens |= (uint64_t)1 << (tl - 1);
            break;
          default: {
            void *p = m->globs, *q = m->glob_off;
            size_t cap2 = m->capglob_off;
            if ((rc = th_grow(&m->alloc, &p, &m->capglobs, m->nglobs + 1,
                              sizeof(uint32_t))) != TH_OK) break;
            m->globs = p;
            if ((rc = th_grow(&m->alloc, &q, &cap2, m->nglobs + 1,
                              sizeof(uint32_t))) != TH_OK) break;
            m->glob_off = q;
            m->capglob_off = cap2;
            if ((rc = th_buf_reserve(&m->alloc, &m->glob_text, tl + 1)) != TH_OK)
              break;
            m->glob_off[m->nglobs] = (uint32_t)m->glob_text.len;
            memcpy(m->glob_text.data + m->glob_text.len, t, tl);
            m->glob_text.len += tl;
            m->glob_text.data[m->glob_text.len++] = '\0';
            m->globs[m->nglobs++] = id;
          }
        }
        break;
    }
  }
  if (rc != TH_OK) id = 0;
done:
  th_buf_free(&m->alloc, &key);
  return id;
}

int th_matcher_pattern(th_matcher *m, uint32_t code, int64_t id,
                       const uint32_t *elems, size_t n, int exclude) {
  void *p = m->patterns, *q = m->elems;
  th_pattern *pat;
  int rc;
  if ((rc = th_grow(&m->alloc, &p, &m->cappatterns, m->npatterns + 1,
                    sizeof(th_pattern))) != TH_OK) return rc;
  m->patterns = p;
  if ((rc = th_grow(&m->alloc, &q, &m->capelems, m->nelems + n,
                    sizeof(uint32_t))) != TH_OK) return rc;
  m->elems = q;
  pat = &m->patterns[m->npatterns++];
  pat->code = code;
  pat->id = id;
  pat->elem_off = (uint32_t)m->nelems;
  pat->nelem = (uint32_t)n;
  pat->exclude = exclude;
  memcpy(m->elems + m->nelems, elems, n * sizeof(uint32_t));
  m->nelems += n;
  if (n > m->maxlen) m->maxlen = n;
  return TH_OK;
}

int th_matcher_cue(th_matcher *m, const char *s, size_t len) {
  th_buf norm = {NULL, 0, 0};
  int rc, suffix = len > 1 && s[0] == '*';
  if (suffix) { s++; len--; }
  rc = th_normalize(&m->lex.nz, s, len, &norm);
  if (rc == TH_OK && norm.len > 0) {
    if (suffix && norm.len < 64) {
      rc = map_term(&m->cue_suffixes, norm.data, norm.len, 1);
      m->cue_suffix_lens |= (uint64_t)1 << norm.len;
    } else {
      rc = map_term(&m->cues, norm.data, norm.len, 1);
    }
  }
  th_buf_free(&m->alloc, &norm);
  return rc;
}

void th_matcher_negated_to(th_matcher *m, uint32_t code, uint32_t target) {
  if (code >= 1 && code <= m->ncodes) m->negated_to[code] = target;
}

int th_matcher_finish(th_matcher *m) {
  size_t i, nt = m->nterms;
  uint32_t *idx, *list;
  idx = th_realloc(&m->alloc, NULL, 0, (nt + 2) * sizeof(uint32_t));
  list = th_realloc(&m->alloc, NULL, 0,
                    (m->npatterns ? m->npatterns : 1) * sizeof(uint32_t));
  if (!idx || !list) {
    th_free(&m->alloc, idx, (nt + 2) * sizeof(uint32_t));
    th_free(&m->alloc, list, (m->npatterns ? m->npatterns : 1) * sizeof(uint32_t));
    return TH_ENOMEM;
  }
  memset(idx, 0, (nt + 2) * sizeof(uint32_t));
  /* count, prefix-sum, fill: idx[t]..idx[t+1] lists patterns starting with t */
  for (i = 0; i < m->npatterns; i++)
    idx[m->elems[m->patterns[i].elem_off] + 1]++;
  for (i = 1; i < nt + 2; i++) idx[i] += idx[i - 1];
  for (i = 0; i < m->npatterns; i++) {
    uint32_t t = m->elems[m->patterns[i].elem_off];
    list[idx[t]++] = (uint32_t)i;
  }
  for (i = nt + 1; i > 0; i--) idx[i] = idx[i - 1];
  idx[0] = 0;
  m->start_index = idx;
  m->start_list = list;
  return TH_OK;
}

/* ---------------------------------------------------------------------
** Scanning
** ------------------------------------------------------------------ */

static int pool_push(th_matcher *m, uint32_t v) {
  void *p = m->pool;
  int rc = th_grow(&m->alloc, &p, &m->cappool, m->npool + 1, sizeof(uint32_t));
  if (rc != TH_OK) return rc;
  m->pool = p;
  m->pool[m->npool++] = v;
  return TH_OK;
}

static int lookup_push(th_matcher *m, const th_strmap *map, const char *s,
                       size_t len) {
  th_slot *slot = th_strmap_get(map, s, len, th_hash(s, len));
  return slot ? pool_push(m, slot->value) : TH_OK;
}

static int is_boundary(const char *s, size_t i) {
  return ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* Fills in the terms a form satisfies, and whether it is a negation cue. */
static int compute_terms(th_matcher *m, uint32_t fi, const char *raw,
                         size_t rawlen) {
  th_form *f = &m->lex.forms[fi];
  const char *norm = th_form_norm(&m->lex, f), *stem = th_form_stem(&m->lex, f);
  size_t nl = f->norm_len, L, i;
  uint32_t off = (uint32_t)m->npool;
  int rc = TH_OK;
  if (m->by_exact.count) rc |= lookup_push(m, &m->by_exact, raw, rawlen);
  if (m->by_stem.count) rc |= lookup_push(m, &m->by_stem, stem, f->stem_len);
  if (m->by_norm.count) rc |= lookup_push(m, &m->by_norm, norm, nl);
  for (L = 1; L < 64 && L <= nl && (m->prefix_lens >> L); L++)
    if (((m->prefix_lens >> L) & 1) && (L == nl || is_boundary(norm, L)))
      rc |= lookup_push(m, &m->by_prefix, norm, L);
  for (L = 1; L < 64 && L <= nl && (m->suffix_lens >> L); L++)
    if (((m->suffix_lens >> L) & 1) && is_boundary(norm, nl - L))
      rc |= lookup_push(m, &m->by_suffix, norm + nl - L, L);
  for (i = 0; i < m->nglobs; i++)
    if (th_glob_match(m->glob_text.data + m->glob_off[i], norm, nl))
      rc |= pool_push(m, m->globs[i]);
  if (rc != TH_OK) return TH_ENOMEM;
  f = &m->lex.forms[fi];
  f->terms_off = off;
  f->nterms = (uint32_t)(m->npool - off);
  f->flags |= TH_FORM_TERMS;
  if (th_strmap_get(&m->cues, norm, nl, th_hash(norm, nl)))
    f->flags |= TH_FORM_NEGCUE;
  for (L = 1; L < 64 && L < nl && (m->cue_suffix_lens >> L); L++)
    if (((m->cue_suffix_lens >> L) & 1) &&
        th_strmap_get(&m->cue_suffixes, norm + nl - L, L,
                      th_hash(norm + nl - L, L)))
      f->flags |= TH_FORM_NEGCUE;
  return TH_OK;
}

static int form_has_term(const th_matcher *m, uint32_t fi, uint32_t term) {
  const th_form *f = &m->lex.forms[fi];
  const uint32_t *t = m->pool + f->terms_off;
  uint32_t i;
  for (i = 0; i < f->nterms; i++)
    if (t[i] == term) return 1;
  return 0;
}

/* Number of tokens pattern p covers when it starts at local token li, or 0. */
static size_t match_length(const th_matcher *m, const th_pattern *p,
                           size_t li) {
  uint32_t k;
  if (li + p->nelem > m->ntoks) return 0;
  for (k = 1; k < p->nelem; k++) {
    uint32_t e = m->elems[p->elem_off + k];
    if (e != TH_ANY && !form_has_term(m, m->toks[li + k].form, e)) return 0;
  }
  return p->nelem;
}

static th_code_state *code_state(th_matcher *m, uint32_t c) {
  th_code_state *st = &m->state[c];
  if (st->gen != m->gen) {
    st->gen = m->gen;
    st->best_pos = -1;
    st->best_len = 0;
    st->last_end = -1;
    st->excl_end = -1;
  }
  return st;
}

static int negated_at(const th_matcher *m, size_t li) {
  size_t k;
  if (m->cues.count == 0 && m->cue_suffixes.count == 0) return 0;
  for (k = 1; k <= (size_t)m->window && k <= li; k++) {
    if (m->toks[li - k + 1].brk) return 0;   /* never across a sentence end */
    if (m->toks[li - k].negcue) return 1;
  }
  return 0;
}

static int record_hit(th_matcher *m, uint32_t code, size_t li, size_t len,
                      int64_t pattern) {
  int neg = negated_at(m, li);
  uint32_t from = 0;
  if (neg && m->negated_to[code]) {
    from = code;
    code = m->negated_to[code];
    m->counts[code]++;
  } else if (neg) {
    m->negated[code]++;
  } else {
    m->counts[code]++;
  }
  if (m->want_hits) {
    void *p = m->hits;
    th_hit *h;
    int rc = th_grow(&m->alloc, &p, &m->caphits, m->nhits + 1, sizeof(th_hit));
    if (rc != TH_OK) return rc;
    m->hits = p;
    h = &m->hits[m->nhits++];
    h->code = code;
    h->from = from;
    h->start = m->toks[li].start;
    h->end = m->toks[li + len - 1].end;
    h->pattern = pattern;
    h->negated = neg;
  }
  return TH_OK;
}

/* All matches starting at local token li (absolute index abs). */
static int match_at(th_matcher *m, size_t li, int64_t abs) {
  const th_form *f = &m->lex.forms[m->toks[li].form];
  size_t ntouched = 0, i, j;
  for (i = 0; i < f->nterms; i++) {
    uint32_t t = m->pool[f->terms_off + i];
    for (j = m->start_index[t]; j < m->start_index[t + 1]; j++) {
      const th_pattern *p = &m->patterns[m->start_list[j]];
      size_t len = match_length(m, p, li);
      th_code_state *st;
      if (len == 0) continue;
      st = code_state(m, p->code);
      if (p->exclude) {
        if (abs + (int64_t)len - 1 > st->excl_end)
          st->excl_end = abs + (int64_t)len - 1;
        continue;
      }
      if (st->best_pos != abs) {
        st->best_pos = abs;
        st->best_len = 0;
        m->touched[ntouched++] = p->code;
      }
      /* longest wins; among equals, the first pattern given */
      if ((int64_t)len > st->best_len ||
          ((int64_t)len == st->best_len && m->start_list[j] < st->best_pat)) {
        st->best_len = (int64_t)len;
        st->best_pat = m->start_list[j];
      }
    }
  }
  for (i = 0; i < ntouched; i++) {
    uint32_t c = m->touched[i];
    th_code_state *st = &m->state[c];
    int64_t end = abs + st->best_len - 1;
    int rc;
    if (abs <= st->last_end) continue;      /* inside an earlier hit */
    if (st->excl_end >= end) continue;      /* covered by an exclusion */
    st->last_end = end;
    rc = record_hit(m, c, li, (size_t)st->best_len, m->patterns[st->best_pat].id);
    if (rc != TH_OK) return rc;
  }
  return TH_OK;
}

/* Does a sentence end in text[a, b)? */
static int sentence_end_between(const char *text, size_t a, size_t b) {
  size_t i;
  for (i = a; i < b; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '.' || c == '!' || c == '?' || c == ';') return 1;
    if (c == 0xE2 && i + 2 < b && (unsigned char)text[i + 1] == 0x80 &&
        (unsigned char)text[i + 2] == 0xA6) return 1;   /* … */
  }
  return 0;
}

/* A token of a batch waiting for its form. */
typedef struct pending {
  size_t tok;          /* index in m->toks */
  uint64_t hash;
  th_kind kind;
} pending;

#define SCAN_BATCH 64   /* tokens; about 10 of them miss the front cache */

int th_matcher_scan(th_matcher *m, const char *text, size_t from, size_t to,
                    const th_range *skip, size_t nskip) {
  th_scanner sc;
  size_t start, end, next_skip = 0, prev_end = from;
  th_kind kind;
  int64_t base = 0, next_match = 0;   /* absolute token index of toks[0] */
  size_t keep = (size_t)m->window + 1;
  int rc;
  if (m->lex.nforms >= TH_LEXICON_MAX_FORMS) {   /* bound memory across scans */
    th_lexicon_clear(&m->lex);
    m->npool = 0;
  }
  /* Size the form cache for a big text up front rather than regrowing it. */
  if (to - from > (1u << 20) && th_lexicon_reserve(&m->lex, to - from) != TH_OK)
    return TH_ENOMEM;
  m->gen++;
  if (m->gen == 0) {   /* wrapped: forget every stamp */
    memset(m->state, 0, ((size_t)m->ncodes + 1) * sizeof(th_code_state));
    m->gen = 1;
  }
  memset(m->counts, 0, ((size_t)m->ncodes + 1) * sizeof(size_t));
  memset(m->negated, 0, ((size_t)m->ncodes + 1) * sizeof(size_t));
  m->nhits = 0;
  m->words = 0;
  m->ntoks = 0;
  th_scanner_init(&sc, text + from, to - from);
  for (;;) {
    /* Tokens come in batches: those whose form the front cache has are
       done at once; for the others the form table's slot is prefetched,
       and they are looked up (in text order, so forms are made in the
       same order) once the batch is read, with their misses in flight
       together rather than one after another. */
    pending miss[SCAN_BATCH];
    size_t nmiss = 0, k, batch_end = m->ntoks + SCAN_BATCH;
    int more = 1;
    while (m->ntoks < batch_end &&
           (more = th_next_word(&sc, &start, &end, &kind)) != 0) {
      uint64_t h;
      long fi;
      th_token *tok;
      void *p;
      start += from;
      end += from;
      while (next_skip < nskip && skip[next_skip].end <= start) next_skip++;
      if (next_skip < nskip && skip[next_skip].start <= start) continue;
      if (kind == TH_KIND_WORD || kind == TH_KIND_NUMBER) m->words++;
      p = m->toks;
      if ((rc = th_grow(&m->alloc, &p, &m->captoks, m->ntoks + 1,
                        sizeof(th_token))) != TH_OK) return rc;
      m->toks = p;
      tok = &m->toks[m->ntoks];
      tok->start = start;
      tok->end = end;
      tok->brk = (unsigned char)sentence_end_between(text, prev_end, start);
      prev_end = end;
      h = th_hash(text + start, end - start);
      fi = th_lexicon_front(&m->lex, text + start, end - start, h);
      if (fi >= 0) {
        /* (a form in the front cache has its terms, unless computing them
           ran out of memory in an earlier scan) */
        if (!(m->lex.forms[fi].flags & TH_FORM_TERMS) &&
            (rc = compute_terms(m, (uint32_t)fi, text + start, end - start)) != TH_OK)
          return rc;
        tok = &m->toks[m->ntoks];
        tok->form = (uint32_t)fi;
        tok->negcue = (m->lex.forms[fi].flags & TH_FORM_NEGCUE) != 0;
      } else {
        th_lexicon_prefetch(&m->lex, h);
        miss[nmiss].tok = m->ntoks;
        miss[nmiss].hash = h;
        miss[nmiss].kind = kind;
        nmiss++;
      }
      m->ntoks++;
    }
    for (k = 0; k < nmiss; k++) {
      th_token *tok = &m->toks[miss[k].tok];
      int created = 0;
      long fi = th_lexicon_form_slow(&m->lex, text + tok->start,
                                     tok->end - tok->start, miss[k].hash,
                                     miss[k].kind, &created);
      if (fi < 0) return TH_ENOMEM;
      if (!(m->lex.forms[fi].flags & TH_FORM_TERMS) &&
          (rc = compute_terms(m, (uint32_t)fi, text + tok->start,
                              tok->end - tok->start)) != TH_OK)
        return rc;
      tok = &m->toks[miss[k].tok];
      tok->form = (uint32_t)fi;
      /* on the token itself, so looking back for cues touches no form */
      tok->negcue = (m->lex.forms[fi].flags & TH_FORM_NEGCUE) != 0;
    }
    /* Match every position whose longest possible pattern is in view. */
    while (next_match < base + (int64_t)m->ntoks &&
           (!more || next_match + (int64_t)m->maxlen <= base + (int64_t)m->ntoks)) {
      if ((rc = match_at(m, (size_t)(next_match - base), next_match)) != TH_OK)
        return rc;
      next_match++;
    }
    if (!more) break;
    /* Keep the buffer small: drop tokens no longer needed for look-back. */
    if (m->ntoks >= 4096 && next_match - base > (int64_t)(keep + 1024)) {
      size_t drop = (size_t)(next_match - base) - keep;
      memmove(m->toks, m->toks + drop, (m->ntoks - drop) * sizeof(th_token));
      m->ntoks -= drop;
      base += (int64_t)drop;
    }
  }
  return TH_OK;
}
