/*
** Counting segments by group: see tally.h for the rules.
*/
#include <string.h>

#include "tally.h"

int th_tally_init(th_tally *t, th_alloc alloc, uint32_t ncodes,
                  const uint32_t *parent) {
  size_t n = (size_t)ncodes + 1;
  memset(t, 0, sizeof *t);
  t->alloc = alloc;
  t->ncodes = ncodes;
  t->parent = th_realloc(&alloc, NULL, 0, n * sizeof(uint32_t));
  t->seen_gen = th_realloc(&alloc, NULL, 0, n * sizeof(uint32_t));
  t->seen_start = th_realloc(&alloc, NULL, 0, n * sizeof(size_t));
  if (!t->parent || !t->seen_gen || !t->seen_start) return TH_ENOMEM;
  memcpy(t->parent, parent, n * sizeof(uint32_t));
  t->parent[0] = 0;
  memset(t->seen_gen, 0, n * sizeof(uint32_t));
  memset(t->seen_start, 0, n * sizeof(size_t));
  return TH_OK;
}

void th_tally_free(th_tally *t) {
  const th_alloc *a = &t->alloc;
  size_t n = (size_t)t->ncodes + 1;
  th_free(a, t->parent, n * sizeof(uint32_t));
  th_free(a, t->seen_gen, n * sizeof(uint32_t));
  th_free(a, t->seen_start, n * sizeof(size_t));
  th_free(a, t->words, ((size_t)t->capgroups + 1) * sizeof(size_t));
  th_free(a, t->segments, ((size_t)t->capgroups + 1) * sizeof(size_t));
  th_free(a, t->cell_of, t->capcell_of * sizeof(uint32_t));
  th_free(a, t->cells, t->capcells * sizeof(th_cell));
  memset(t, 0, sizeof *t);
}

/* Room for ngroups groups, every count zero. Only the cells the last run
   touched are cleared, so a run costs what its hits cost, not
   groups x codes. */
static int reset(th_tally *t, uint32_t ngroups) {
  size_t i, width = (size_t)t->ncodes + 1;
  if (ngroups > t->capgroups) {
    size_t old = (size_t)t->capgroups + 1, n = (size_t)ngroups + 1;
    size_t *w = th_realloc(&t->alloc, t->words, old * sizeof(size_t), n * sizeof(size_t));
    size_t *s;
    if (w == NULL) return TH_ENOMEM;
    t->words = w;
    s = th_realloc(&t->alloc, t->segments, old * sizeof(size_t), n * sizeof(size_t));
    if (s == NULL) return TH_ENOMEM;
    t->segments = s;
    t->capgroups = ngroups;
  }
  if ((size_t)ngroups > SIZE_MAX / sizeof(uint32_t) / width) return TH_ETOOBIG;
  if ((size_t)ngroups * width > t->capcell_of) {
    size_t need = (size_t)ngroups * width, old = t->capcell_of;
    void *p = t->cell_of;
    if (th_grow(&t->alloc, &p, &t->capcell_of, need, sizeof(uint32_t)) != TH_OK)
      return TH_ENOMEM;
    t->cell_of = p;
    memset(t->cell_of + old, 0, (t->capcell_of - old) * sizeof(uint32_t));
  }
  for (i = 0; i < t->ncells; i++) {
    const th_cell *c = &t->cells[i];
    t->cell_of[(size_t)(c->group - 1) * width + c->code] = 0;
  }
  t->ncells = 0;
  memset(t->words, 0, ((size_t)ngroups + 1) * sizeof(size_t));
  memset(t->segments, 0, ((size_t)ngroups + 1) * sizeof(size_t));
  return TH_OK;
}

/* A new cell for (group, code), at cell_of[at]. */
static th_cell *new_cell(th_tally *t, size_t at, uint32_t group, uint32_t code) {
  th_cell *c;
  if (t->ncells >= UINT32_MAX - 1) return NULL;
  {
    void *p = t->cells;
    if (th_grow(&t->alloc, &p, &t->capcells, t->ncells + 1, sizeof(th_cell)) != TH_OK)
      return NULL;
    t->cells = p;
  }
  c = &t->cells[t->ncells++];
  memset(c, 0, sizeof *c);
  c->group = group;
  c->code = code;
  t->cell_of[at] = (uint32_t)t->ncells;
  return c;
}

/* The cell of (group, code), made on first use; NULL when out of memory.
   Inline: it is on the path of every hit, and almost always there. */
static inline th_cell *cell(th_tally *t, uint32_t group, uint32_t code) {
  size_t at = (size_t)(group - 1) * ((size_t)t->ncodes + 1) + code;
  uint32_t k = t->cell_of[at];
  return k != 0 ? &t->cells[k - 1] : new_cell(t, at, group, code);
}

/* A new segment, of group g: no ancestor has seen a span of it yet. */
static void new_segment(th_tally *t, uint32_t g) {
  t->group = g;
  t->gen++;
  if (t->gen == 0) {   /* wrapped: forget every stamp */
    memset(t->seen_gen, 0, ((size_t)t->ncodes + 1) * sizeof(uint32_t));
    t->gen = 1;
  }
}

/* The matcher's hit sink: hits of the current segment, in text order,
   into its group. */
static int add_hits(void *ud, const th_hit *hits, size_t n) {
  th_tally *t = ud;
  uint32_t g = t->group;
  size_t i;
  for (i = 0; i < n; i++) {
    const th_hit *h = &hits[i];
    uint32_t a;
    if (h->negated && !h->from) {
      for (a = h->code; a != 0; a = t->parent[a]) {
        th_cell *c = cell(t, g, a);
        if (c == NULL) return TH_ENOMEM;
        c->negated++;
      }
      continue;
    }
    for (a = h->code; a != 0; a = t->parent[a]) {
      th_cell *c;
      /* Hits come in text order, so a span an ancestor already counted
         in this segment is the last one it saw. */
      if (t->seen_gen[a] == t->gen && t->seen_start[a] == h->start) continue;
      c = cell(t, g, a);
      if (c == NULL) return TH_ENOMEM;
      if (t->seen_gen[a] != t->gen) c->coded++;   /* first hit of a here */
      t->seen_gen[a] = t->gen;
      t->seen_start[a] = h->start;
      c->hits++;
    }
  }
  return TH_OK;
}

int th_tally_run(th_tally *t, th_matcher *m, const char *text,
                 const th_segment *segs, size_t nsegs, uint32_t ngroups) {
  size_t i;
  int rc = TH_OK, want = m->want_hits;
  if ((rc = reset(t, ngroups)) != TH_OK) return rc;
  m->want_hits = 1;
  m->sink = add_hits;
  m->sink_ud = t;
  for (i = 0; i < nsegs; i++) {
    const th_segment *s = &segs[i];
    if (s->group == 0 || s->group > ngroups) continue;
    new_segment(t, s->group);
    if ((rc = th_matcher_scan(m, text, s->start, s->end, s->skip, s->nskip)) != TH_OK)
      break;
    t->words[s->group] += m->words;
    t->segments[s->group]++;
  }
  m->want_hits = want;
  m->sink = NULL;
  m->sink_ud = NULL;
  return rc;
}
