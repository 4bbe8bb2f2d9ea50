/*
** Codebook matching. See matcher.h for the design and docs/codebook.md for
** the rules as users see them:
**  - longest match wins within a code; a token is counted once per code;
**  - the same token may count for several codes;
**  - an exclusion pattern of a code drops a hit of that code whose token
**    span it contains;
**  - a hit preceded, within `window` tokens and without a sentence end in
**    between, by a negation cue is negated; negated hits of a code with a
**    `negated_to` target count as hits of the target instead, and there too
**    a token counts once: a moved hit is dropped when the target already has
**    a hit counted on its first token, and a match of the target's own that
**    starts inside a hit moved to it is dropped (see move_hits).
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
  th_strmap_init(&m->rec_ids, alloc);
  if ((rc = th_lexicon_init(&m->lex, alloc, language)) != TH_OK) return rc;
  m->state = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(th_code_state));
  m->touched = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(uint32_t));
  m->counts = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(size_t));
  m->negated = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(size_t));
  m->negated_to = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(uint32_t));
  m->moved = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(th_moved));
  m->move_state = th_realloc(&alloc, NULL, 0,
                             (ncodes + 1) * sizeof(th_move_state));
  m->code_mark = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(uint32_t));
  m->code_slot = th_realloc(&alloc, NULL, 0, (ncodes + 1) * sizeof(uint32_t));
  m->code_spans = th_realloc(&alloc, NULL, 0, ncodes + 1);
  if (!m->state || !m->touched || !m->counts || !m->negated || !m->negated_to ||
      !m->moved || !m->move_state || !m->code_mark || !m->code_slot ||
      !m->code_spans)
    return TH_ENOMEM;
  memset(m->code_spans, 0, ncodes + 1);
  memset(m->state, 0, (ncodes + 1) * sizeof(th_code_state));
  memset(m->move_state, 0, (ncodes + 1) * sizeof(th_move_state));
  memset(m->negated_to, 0, (ncodes + 1) * sizeof(uint32_t));
  memset(m->code_mark, 0, (ncodes + 1) * sizeof(uint32_t));
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
  th_strmap_free(&m->rec_ids);
  th_free(a, m->globs, m->capglobs * sizeof(uint32_t));
  th_free(a, m->glob_off, m->capglob_off * sizeof(uint32_t));
  th_buf_free(a, &m->glob_text);
  th_free(a, m->patterns, m->cappatterns * sizeof(th_pattern));
  th_free(a, m->elems, m->capelems * sizeof(uint32_t));
  th_free(a, m->start_index, (m->nterms + 2) * sizeof(uint32_t));
  th_free(a, m->start_list, (m->npatterns ? m->npatterns : 1) * sizeof(uint32_t));
  th_free(a, m->pattern_ids, (m->npatterns ? m->npatterns : 1) * sizeof(int64_t));
  th_free(a, m->form_rec, m->capform_rec * sizeof(uint32_t));
  th_free(a, m->recs, m->caprecs * sizeof(uint32_t));
  th_free(a, m->rec_off, m->caprec_off * sizeof(uint32_t));
  th_free(a, m->rec_count, m->caprec_count * sizeof(uint32_t));
  th_free(a, m->count_touched, m->capcount_touched * sizeof(uint32_t));
  th_free(a, m->tlist, m->captlist * sizeof(uint32_t));
  th_free(a, m->code_mark, nc * sizeof(uint32_t));
  th_free(a, m->code_slot, nc * sizeof(uint32_t));
  th_free(a, m->code_spans, nc);
  th_free(a, m->state, nc * sizeof(th_code_state));
  th_free(a, m->touched, nc * sizeof(uint32_t));
  th_free(a, m->counts, nc * sizeof(size_t));
  th_free(a, m->negated, nc * sizeof(size_t));
  th_free(a, m->negated_to, nc * sizeof(uint32_t));
  th_free(a, m->moved, nc * sizeof(th_moved));
  th_free(a, m->move_state, nc * sizeof(th_move_state));
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
  if ((n > 1 || exclude) && code <= m->ncodes) m->code_spans[code] = 1;
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
  if (code < 1 || code > m->ncodes || target > m->ncodes || target == code)
    return;
  m->negated_to[code] = target;
  if (target == 0) return;
  /* Hits of both are checked against the hits counted for the target, so
     neither may be in a plain record. */
  m->code_spans[code] = 1;
  m->code_spans[target] = 1;
}

static int empty_record(th_matcher *m);

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
  /* the ids apart, dense, for the hits: 8 bytes a pattern, not 32 */
  m->pattern_ids = th_realloc(&m->alloc, NULL, 0,
                              (m->npatterns ? m->npatterns : 1) * sizeof(int64_t));
  if (m->pattern_ids == NULL) return TH_ENOMEM;
  for (i = 0; i < m->npatterns; i++) m->pattern_ids[i] = m->patterns[i].id;
  return empty_record(m);
}

/* ---------------------------------------------------------------------
** Scanning
** ------------------------------------------------------------------ */

/* Appends v to the term list being collected (m->tlist[0 .. *n)). */
static int tlist_push(th_matcher *m, size_t *n, uint32_t v) {
  if (*n == m->captlist) {
    void *p = m->tlist;
    int rc = th_grow(&m->alloc, &p, &m->captlist, *n + 1, sizeof(uint32_t));
    if (rc != TH_OK) return rc;
    m->tlist = p;
  }
  m->tlist[(*n)++] = v;
  return TH_OK;
}

static int lookup_push(th_matcher *m, size_t *n, const th_strmap *map,
                       const char *s, size_t len) {
  th_slot *slot = th_strmap_get(map, s, len, th_hash(s, len));
  return slot ? tlist_push(m, n, slot->value) : TH_OK;
}

static int is_boundary(const char *s, size_t i) {
  return ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* Gives the record at offset off the next number. */
static int number_record(th_matcher *m, uint32_t off, uint32_t *num) {
  size_t n = m->nrecords, oldc = m->caprec_count;
  void *p = m->rec_off, *q = m->rec_count, *t = m->count_touched;
  int rc;
  if (n >= TH_REC_NUMBERS) return TH_ETOOBIG;
  if ((rc = th_grow(&m->alloc, &p, &m->caprec_off, n + 1,
                    sizeof(uint32_t))) != TH_OK) return rc;
  m->rec_off = p;
  if ((rc = th_grow(&m->alloc, &q, &m->caprec_count, 2 * (n + 1),
                    sizeof(uint32_t))) != TH_OK) return rc;
  m->rec_count = q;
  memset(m->rec_count + oldc, 0, (m->caprec_count - oldc) * sizeof(uint32_t));
  if ((rc = th_grow(&m->alloc, &t, &m->capcount_touched, 2 * (n + 1),
                    sizeof(uint32_t))) != TH_OK) return rc;
  m->count_touched = t;
  m->rec_off[n] = off;
  *num = (uint32_t)n;
  m->nrecords = n + 1;
  return TH_OK;
}

/* The record of the empty term list, number 0 (made once). */
static int empty_record(th_matcher *m) {
  void *p = m->recs;
  uint32_t num;
  int rc;
  if (m->nrecords > 0) return TH_OK;
  if ((rc = th_grow(&m->alloc, &p, &m->caprecs, 2, sizeof(uint32_t))) != TH_OK)
    return rc;
  m->recs = p;
  m->recs[0] = TH_REC_SIMPLE | TH_REC_PLAIN;   /* no pattern starts here */
  m->recs[1] = 0;                              /* no term */
  m->nrecs = 2;
  return number_record(m, 0, &num);
}

/* Makes the record of the term list m->tlist[0 .. nterms) at the end of
   m->recs; *num is its number. Its (code, pattern) pairs are those of every
   pattern that starts with one of the terms, in the order the rules visit
   them (term by term, each term's patterns in order), except that the
   one-token non-exclusion patterns of a code stay only at the code's first
   one, with the smallest pattern index among them: that is the one the
   rules pick (longest wins, then the first given), and the code is still
   first touched where it was. */
static int make_record(th_matcher *m, size_t nterms, uint32_t *num) {
  size_t i, j, most = 0, nact = 0, need, off = m->nrecs;
  uint32_t *r, *codes, *pis, flags = TH_REC_SIMPLE | TH_REC_PLAIN;
  void *p = m->recs;
  int rc;
  for (i = 0; i < nterms; i++) {
    uint32_t t = m->tlist[i];
    most += m->start_index[t + 1] - m->start_index[t];
  }
  need = 2 + 2 * most + nterms;
  if (need > TH_REC_MAX - off) return TH_ETOOBIG;
  if ((rc = th_grow(&m->alloc, &p, &m->caprecs, off + need,
                    sizeof(uint32_t))) != TH_OK) return rc;
  m->recs = p;
  if (++m->mark == 0) {   /* wrapped: forget every mark */
    memset(m->code_mark, 0, ((size_t)m->ncodes + 1) * sizeof(uint32_t));
    m->mark = 1;
  }
  r = m->recs + off;
  codes = r + 1;
  pis = codes + most;     /* moved down next to the codes at the end */
  for (i = 0; i < nterms; i++) {
    uint32_t t = m->tlist[i];
    for (j = m->start_index[t]; j < m->start_index[t + 1]; j++) {
      uint32_t pi = m->start_list[j];
      const th_pattern *pat = &m->patterns[pi];
      uint32_t c = pat->code;
      if (pat->nelem == 1 && !pat->exclude) {
        if (m->code_mark[c] == m->mark) {
          uint32_t k = m->code_slot[c];
          if (pi < pis[k]) pis[k] = pi;
          continue;
        }
        m->code_mark[c] = m->mark;
        m->code_slot[c] = (uint32_t)nact;
        if (m->code_spans[c]) flags &= ~TH_REC_PLAIN;
      } else {
        flags = 0;
      }
      codes[nact] = c;
      pis[nact] = pi;
      nact++;
    }
  }
  memmove(codes + nact, pis, nact * sizeof(uint32_t));
  r[0] = (uint32_t)nact << 2 | flags;
  codes[2 * nact] = (uint32_t)nterms;
  memcpy(codes + 2 * nact + 1, m->tlist, nterms * sizeof(uint32_t));
  m->nrecs = off + 2 + 2 * nact + nterms;
  return number_record(m, (uint32_t)off, num);
}

/* The number of the record of the term list m->tlist[0 .. nterms): the one
   made for an equal list before, or a new one. */
static int find_record(th_matcher *m, size_t nterms, uint32_t *num) {
  const char *key = (const char *)m->tlist;
  size_t klen = nterms * sizeof(uint32_t);
  uint64_t h;
  th_slot *slot;
  int rc, added;
  if (nterms == 0) { *num = 0; return TH_OK; }
  h = th_hash(key, klen);
  if ((slot = th_strmap_get(&m->rec_ids, key, klen, h)) != NULL) {
    *num = slot->value;
    return TH_OK;
  }
  if ((rc = make_record(m, nterms, num)) != TH_OK) return rc;
  return th_strmap_put(&m->rec_ids, key, klen, h, *num, &added) ? TH_OK
                                                                 : TH_ENOMEM;
}

/* Room in m->form_rec for form fi (new entries 0: not computed). */
static int form_rec_room(th_matcher *m, size_t fi) {
  size_t old = m->capform_rec;
  void *p = m->form_rec;
  int rc;
  if (fi < old) return TH_OK;
  if ((rc = th_grow(&m->alloc, &p, &m->capform_rec, fi + 1,
                    sizeof(uint32_t))) != TH_OK) return rc;
  m->form_rec = p;
  memset(m->form_rec + old, 0, (m->capform_rec - old) * sizeof(uint32_t));
  return TH_OK;
}

/* Finds the terms form fi satisfies and whether it is a negation cue, and
   sets m->form_rec[fi] (which has room for it). */
static int compute_terms(th_matcher *m, uint32_t fi, const char *raw,
                         size_t rawlen) {
  const th_form *f = &m->lex.forms[fi];
  const char *norm = th_form_norm(&m->lex, f), *stem = th_form_stem(&m->lex, f);
  size_t nl = f->norm_len, L, i, n = 0;
  uint32_t num, v = TH_FR_DONE;
  int rc = TH_OK;
  if (m->by_exact.count) rc |= lookup_push(m, &n, &m->by_exact, raw, rawlen);
  if (m->by_stem.count) rc |= lookup_push(m, &n, &m->by_stem, stem, f->stem_len);
  if (m->by_norm.count) rc |= lookup_push(m, &n, &m->by_norm, norm, nl);
  for (L = 1; L < 64 && L <= nl && (m->prefix_lens >> L); L++)
    if (((m->prefix_lens >> L) & 1) && (L == nl || is_boundary(norm, L)))
      rc |= lookup_push(m, &n, &m->by_prefix, norm, L);
  for (L = 1; L < 64 && L <= nl && (m->suffix_lens >> L); L++)
    if (((m->suffix_lens >> L) & 1) && is_boundary(norm, nl - L))
      rc |= lookup_push(m, &n, &m->by_suffix, norm + nl - L, L);
  for (i = 0; i < m->nglobs; i++)
    if (th_glob_match(m->glob_text.data + m->glob_off[i], norm, nl))
      rc |= tlist_push(m, &n, m->globs[i]);
  if (rc != TH_OK) return TH_ENOMEM;
  if ((rc = find_record(m, n, &num)) != TH_OK) return rc;
  if (m->recs[m->rec_off[num]] & TH_REC_PLAIN) v |= TH_FR_PLAIN;
  if (th_strmap_get(&m->cues, norm, nl, th_hash(norm, nl)))
    v |= TH_FR_NEGCUE;
  for (L = 1; L < 64 && L < nl && (m->cue_suffix_lens >> L); L++)
    if (((m->cue_suffix_lens >> L) & 1) &&
        th_strmap_get(&m->cue_suffixes, norm + nl - L, L,
                      th_hash(norm + nl - L, L)))
      v |= TH_FR_NEGCUE;
  m->form_rec[fi] = v | num << 3;
  return TH_OK;
}

/* Does record num list term? */
static int rec_has_term(const th_matcher *m, uint32_t num, uint32_t term) {
  const uint32_t *r = m->recs + m->rec_off[num];
  const uint32_t *t = r + 1 + 2 * (size_t)(r[0] >> 2);
  uint32_t i, n = *t++;
  for (i = 0; i < n; i++)
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
    if (e != TH_ANY && !rec_has_term(m, m->toks[li + k].rec, e)) return 0;
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

static th_move_state *move_state(th_matcher *m, uint32_t c) {
  th_move_state *ms = &m->move_state[c];
  if (ms->gen != m->gen) {
    ms->gen = m->gen;
    ms->out_end = -1;
    ms->in_end = -1;
  }
  return ms;
}

static int has_cues(const th_matcher *m) {
  return m->cues.count != 0 || m->cue_suffixes.count != 0;
}

/* Is the token at li preceded by a cue (has_cues(m) is true)? */
static int negated_at(const th_matcher *m, size_t li) {
  size_t k;
  for (k = 1; k <= (size_t)m->window && k <= li; k++) {
    if (m->toks[li - k + 1].brk) return 0;   /* never across a sentence end */
    if (m->toks[li - k].negcue) return 1;
  }
  return 0;
}

/* Counts n hits of code, negated or not. (Not for a hit negated_to moves:
   see record_hit.) */
static void count_hits(th_matcher *m, uint32_t code, int neg, size_t n) {
  if (!neg) m->counts[code] += n;
  else m->negated[code] += n;
}

/* Adds the hits the records counted in count mode to the per-code counts,
   and zeroes the records' counters. (Plain records: no code of theirs has
   a part in negated_to.) */
static void flush_counts(th_matcher *m) {
  size_t i, j;
  for (i = 0; i < m->ncount_touched; i++) {
    uint32_t k = m->count_touched[i], n = m->rec_count[k];
    const uint32_t *r = m->recs + m->rec_off[k >> 1];
    m->rec_count[k] = 0;
    for (j = 0; j < (r[0] >> 2); j++) count_hits(m, r[1 + j], (int)(k & 1), n);
  }
  m->ncount_touched = 0;
}

/* Appends a hit of pattern index pi for code over local tokens li ..
   li + len - 1 (from: the code negated_to moved it from, or 0) to the
   list, giving the sink the list first when it is full. */
static inline __attribute__((always_inline)) int push_hit(
    th_matcher *m, uint32_t code, uint32_t from, size_t li, size_t len,
    uint32_t pi, int neg) {
  th_hit *h;
  if (m->nhits == m->caphits) {
    int rc;
    if (m->sink && m->nhits >= TH_HIT_CHUNK) {
      if ((rc = m->sink(m->sink_ud, m->hits, m->nhits)) != TH_OK) return rc;
      m->nhits = 0;
    } else {
      void *p = m->hits;
      rc = th_grow(&m->alloc, &p, &m->caphits, m->nhits + 1, sizeof(th_hit));
      if (rc != TH_OK) return rc;
      m->hits = p;
    }
  }
  h = &m->hits[m->nhits++];
  h->code = code;
  h->from = from;
  h->start = m->toks[li].start;
  h->end = m->toks[li + len - 1].end;
  h->pattern = m->pattern_ids[pi];
  h->negated = neg;
  return TH_OK;
}

/* A hit of a plain record's code (no state to check).
   plain_hit and move_hits are kept out of the scan's loop, where match_at
   is inlined (gcc -O2 keeps record_hit out by itself): inlined there, they
   cost the loop registers its per-token work needs (up to 0.7% more
   instructions in bench/callgrind_patterns.lua). push_hit, inlined into
   each, saves a call per hit. */
static __attribute__((noinline)) int plain_hit(th_matcher *m, uint32_t code,
                                               size_t li, uint32_t pi,
                                               int neg) {
  count_hits(m, code, neg, 1);
  return m->want_hits ? push_hit(m, code, 0, li, 1, pi, neg) : TH_OK;
}

/* The chosen match of code (state st, its last_end already set) at local
   token li, len tokens of pattern index pi (neg: negated, from negated_at).
   One that negated_to moves waits in m->moved until the codes' own hits at
   this position are counted (move_hits); any other is counted. */
static int record_hit(th_matcher *m, uint32_t code, th_code_state *st,
                      size_t li, size_t len, uint32_t pi, int neg) {
  if (neg && m->negated_to[code]) {
    th_moved *mv = &m->moved[m->nmoved++];   /* (one per code at most) */
    mv->from = code;
    mv->pat = pi;
    mv->len = len;
    move_state(m, code)->out_end = st->last_end;   /* not counted for code */
    return TH_OK;
  }
  count_hits(m, code, neg, 1);
  return m->want_hits ? push_hit(m, code, 0, li, len, pi, neg) : TH_OK;
}

/* Counts the negated hits at local token li (absolute abs) that negated_to
   moves, each for its target, after the target's own hits here: one is
   dropped when the target already has a hit counted on its first token (a
   hit of its own here, or an earlier hit reaching this far), for it is the
   same mention. Of several moved to one code here, the longest counts (then
   the first pattern given), as within a code.
   What covers the first token: the target's last_end is the end of its
   last chosen match or of the last hit moved to it, whichever ends later
   (its own matches never start inside either); a chosen match that moved
   away itself (out_end) counts for another code, not for the target. A hit
   moved to the target raises last_end, so that a match of its own starting
   inside is not chosen: the hot path needs no test of its own. */
static __attribute__((noinline)) int move_hits(th_matcher *m, size_t li,
                                               int64_t abs) {
  size_t i, j, n = m->nmoved;
  int rc;
  m->nmoved = 0;
  for (i = 0; i < n; i++) {
    const th_moved *mv = &m->moved[i];
    uint32_t to = m->negated_to[mv->from];
    th_code_state *st = code_state(m, to);
    th_move_state *ms = move_state(m, to);
    int64_t end = abs + (int64_t)mv->len - 1;
    if (abs <= ms->in_end ||
        (abs <= st->last_end && st->last_end != ms->out_end))
      continue;
    for (j = 0; j < n; j++) {
      const th_moved *o = &m->moved[j];
      if (j != i && m->negated_to[o->from] == to &&
          (o->len > mv->len || (o->len == mv->len && o->pat < mv->pat)))
        break;
    }
    if (j < n) continue;
    ms->in_end = end;
    if (end > st->last_end) st->last_end = end;
    m->counts[to]++;
    if (m->want_hits &&
        (rc = push_hit(m, to, mv->from, li, mv->len, mv->pat, 1)) != TH_OK)
      return rc;
  }
  return TH_OK;
}

/* All matches starting at local token li (absolute index abs). */
static int match_at(th_matcher *m, size_t li, int64_t abs) {
  const th_token *tok = &m->toks[li];
  const uint32_t *r, *codes, *pis;
  size_t nact, ntouched = 0, i;
  int neg = -1, rc;
  if (tok->plain && m->count_mode) {
    /* every pattern of the record is a hit here: count the record once,
       and its codes when the scan is over */
    uint32_t k = 2 * tok->rec + (uint32_t)(has_cues(m) && negated_at(m, li));
    if (m->rec_count[k]++ == 0) m->count_touched[m->ncount_touched++] = k;
    return TH_OK;
  }
  r = m->recs + m->rec_off[tok->rec];
  nact = r[0] >> 2;
  codes = r + 1;
  pis = codes + nact;
  if (nact == 0) return TH_OK;
  if (r[0] & TH_REC_PLAIN) {
    /* each pair is a hit of its code: nothing can cover or outdo it */
    neg = has_cues(m) && negated_at(m, li);
    for (i = 0; i < nact; i++)
      if ((rc = plain_hit(m, codes[i], li, pis[i], neg)) != TH_OK)
        return rc;
    return TH_OK;
  }
  if (r[0] & TH_REC_SIMPLE) {
    /* one-token patterns only, one per code: each is its code's match */
    for (i = 0; i < nact; i++) {
      th_code_state *st = code_state(m, codes[i]);
      if (abs <= st->last_end) continue;      /* inside an earlier hit */
      if (st->excl_end >= abs) continue;      /* covered by an exclusion */
      st->last_end = abs;
      if (neg < 0) neg = has_cues(m) && negated_at(m, li);
      if ((rc = record_hit(m, codes[i], st, li, 1, pis[i], neg)) != TH_OK)
        return rc;
    }
  } else {
    for (i = 0; i < nact; i++) {
      uint32_t pi = pis[i], c = codes[i];
      const th_pattern *p = &m->patterns[pi];
      size_t len = p->nelem == 1 ? 1 : match_length(m, p, li);
      th_code_state *st;
      if (len == 0) continue;
      st = code_state(m, c);
      if (p->exclude) {
        if (abs + (int64_t)len - 1 > st->excl_end)
          st->excl_end = abs + (int64_t)len - 1;
        continue;
      }
      if (st->best_pos != abs) {
        st->best_pos = abs;
        st->best_len = 0;
        m->touched[ntouched++] = c;
      }
      /* longest wins; among equals, the first pattern given */
      if ((int64_t)len > st->best_len ||
          ((int64_t)len == st->best_len && pi < st->best_pat)) {
        st->best_len = (int64_t)len;
        st->best_pat = pi;
      }
    }
    for (i = 0; i < ntouched; i++) {
      uint32_t c = m->touched[i];
      th_code_state *st = &m->state[c];
      int64_t end = abs + st->best_len - 1;
      if (abs <= st->last_end) continue;      /* inside an earlier hit */
      if (st->excl_end >= end) continue;      /* covered by an exclusion */
      st->last_end = end;
      if (neg < 0) neg = has_cues(m) && negated_at(m, li);
      rc = record_hit(m, c, st, li, (size_t)st->best_len, st->best_pat, neg);
      if (rc != TH_OK) return rc;
    }
  }
  /* (one exit for both paths: move_hits called from two cost the scan's
     loop registers, see plain_hit) */
  return neg > 0 && m->nmoved ? move_hits(m, li, abs) : TH_OK;
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

static void prefetch_slot(const th_strmap *map, uint64_t h) {
#if defined(__GNUC__)
  if (map->count) __builtin_prefetch(&map->slots[h & (map->nslots - 1)]);
#else
  (void)map; (void)h;
#endif
}

/* Starts loading the slots compute_terms will read for form fi (raw_hash:
   th_hash of its raw bytes): its raw form, stem and normal form, and its
   first few prefix lengths. */
static void prefetch_terms(const th_matcher *m, uint32_t fi, uint64_t raw_hash) {
  const th_form *f = &m->lex.forms[fi];
  const char *norm = th_form_norm(&m->lex, f);
  size_t L, n = 0;
  prefetch_slot(&m->by_exact, raw_hash);
  if (m->by_stem.count)
    prefetch_slot(&m->by_stem, th_hash(th_form_stem(&m->lex, f), f->stem_len));
  if (m->by_norm.count) prefetch_slot(&m->by_norm, th_hash(norm, f->norm_len));
  if (m->by_prefix.count)
    for (L = 1; L < 64 && L <= f->norm_len && n < 4; L++)
      if ((m->prefix_lens >> L) & 1) {
        prefetch_slot(&m->by_prefix, th_hash(norm, L));
        n++;
      }
}

/* Fills in a token from its form's m->form_rec entry v, and starts loading
   the record match_at will read once the batch is in (the records of a big
   codebook are more than the L1 cache holds). */
static void set_token(th_matcher *m, th_token *tok, uint32_t v) {
  tok->rec = v >> 3;
  /* on the token itself, so looking back for cues touches no form */
  tok->negcue = (v & TH_FR_NEGCUE) != 0;
  tok->plain = (v & TH_FR_PLAIN) != 0;
#if defined(__GNUC__)
  if (!(tok->plain && m->count_mode))
    __builtin_prefetch(m->recs + m->rec_off[tok->rec]);
#endif
}

/* A token of a batch waiting for its form. */
typedef struct pending {
  size_t tok;          /* index in m->toks */
  uint64_t hash;
  th_kind kind;
  uint32_t form;
} pending;

#define SCAN_BATCH 64   /* tokens; about 10 of them miss the front cache */

int th_matcher_scan(th_matcher *m, const char *text, size_t from, size_t to,
                    const th_range *skip, size_t nskip) {
  th_scanner sc;
  size_t start, end, next_skip = 0, prev_end = from;
  th_kind kind;
  int64_t base = 0, next_match = 0;   /* absolute token index of toks[0] */
  size_t keep = (size_t)m->window + 1;
  int rc, cues = has_cues(m);
  flush_counts(m);   /* (leftovers of a scan that failed) */
  if (m->lex.nforms >= TH_LEXICON_MAX_FORMS) {   /* bound memory across scans */
    th_lexicon_clear(&m->lex);
    memset(m->form_rec, 0, m->capform_rec * sizeof(uint32_t));
    th_strmap_clear(&m->rec_ids);
    m->nrecs = 0;
    m->nrecords = 0;
  }
  if ((rc = empty_record(m)) != TH_OK) return rc;
  /* Size the form cache for a big text up front rather than regrowing it. */
  if (to - from > (1u << 20) &&
      (th_lexicon_reserve(&m->lex, to - from) != TH_OK ||
       form_rec_room(m, m->lex.capforms ? m->lex.capforms - 1 : 0) != TH_OK))
    return TH_ENOMEM;
  m->gen++;
  if (m->gen == 0) {   /* wrapped: forget every stamp */
    memset(m->state, 0, ((size_t)m->ncodes + 1) * sizeof(th_code_state));
    memset(m->move_state, 0, ((size_t)m->ncodes + 1) * sizeof(th_move_state));
    m->gen = 1;
  }
  memset(m->counts, 0, ((size_t)m->ncodes + 1) * sizeof(size_t));
  memset(m->negated, 0, ((size_t)m->ncodes + 1) * sizeof(size_t));
  /* Without the list of hits, a token whose record is plain is counted on
     the record (one 32-bit counter per record and negation: fewer tokens
     than UINT32_MAX) and the record's codes once at the end. */
  m->count_mode = !m->want_hits && to - from < UINT32_MAX;
  m->nhits = 0;
  m->nmoved = 0;   /* (leftovers of a scan that failed) */
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
      start += from;
      end += from;
      if (th_in_ranges(skip, nskip, &next_skip, start)) continue;
      if (kind == TH_KIND_WORD || kind == TH_KIND_NUMBER) m->words++;
      if (m->ntoks == m->captoks) {
        void *p = m->toks;
        if ((rc = th_grow(&m->alloc, &p, &m->captoks, m->ntoks + 1,
                          sizeof(th_token))) != TH_OK) return rc;
        m->toks = p;
      }
      tok = &m->toks[m->ntoks];
      tok->start = start;
      tok->end = end;
      /* (only negation looks at sentence ends) */
      tok->brk = cues && sentence_end_between(text, prev_end, start);
      prev_end = end;
      h = th_hash(text + start, end - start);
      fi = th_lexicon_front(&m->lex, text + start, end - start, h);
      if (fi >= 0) {
        /* (a form in the front cache has its terms, unless computing them
           ran out of memory in an earlier scan) */
        uint32_t v = m->form_rec[fi];
        if (!(v & TH_FR_DONE)) {
          if ((rc = compute_terms(m, (uint32_t)fi, text + start,
                                  end - start)) != TH_OK) return rc;
          v = m->form_rec[fi];
        }
        set_token(m, tok, v);
      } else {
        th_lexicon_prefetch(&m->lex, h);
        miss[nmiss].tok = m->ntoks;
        miss[nmiss].hash = h;
        miss[nmiss].kind = kind;
        nmiss++;
      }
      m->ntoks++;
    }
    /* First every form (new ones made, the pattern-table slots their
       terms will be looked up in prefetched), then their terms: with
       thousands of patterns those tables are out of the L1 and L2 caches,
       and a new form would otherwise wait for each lookup in turn. */
    for (k = 0; k < nmiss; k++) {
      const th_token *tok = &m->toks[miss[k].tok];
      int created = 0;
      long fi = th_lexicon_form_slow(&m->lex, text + tok->start,
                                     tok->end - tok->start, miss[k].hash,
                                     miss[k].kind, &created);
      if (fi < 0) return TH_ENOMEM;
      if ((rc = form_rec_room(m, (size_t)fi)) != TH_OK) return rc;
      miss[k].form = (uint32_t)fi;
      if (!(m->form_rec[fi] & TH_FR_DONE))
        prefetch_terms(m, miss[k].form, miss[k].hash);
    }
    for (k = 0; k < nmiss; k++) {
      th_token *tok = &m->toks[miss[k].tok];
      uint32_t fi = miss[k].form, v = m->form_rec[fi];
      if (!(v & TH_FR_DONE)) {
        if ((rc = compute_terms(m, fi, text + tok->start,
                                tok->end - tok->start)) != TH_OK) return rc;
        v = m->form_rec[fi];
      }
      set_token(m, tok, v);
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
  flush_counts(m);
  if (m->sink && m->nhits > 0) {
    rc = m->sink(m->sink_ud, m->hits, m->nhits);
    m->nhits = 0;
    return rc;
  }
  return TH_OK;
}
