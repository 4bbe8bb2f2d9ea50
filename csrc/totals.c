/*
** Running totals of (row, code) cells: see totals.h.
*/
#include <string.h>

#include "totals.h"

void th_totals_init(th_totals *t, th_alloc alloc) {
  memset(t, 0, sizeof *t);
  t->alloc = alloc;
}

void th_totals_free(th_totals *t) {
  th_free(&t->alloc, t->cells, t->capcells * sizeof(th_total_cell));
  th_free(&t->alloc, t->index, t->capindex * sizeof(uint32_t));
  t->cells = NULL;
  t->index = NULL;
  t->ncells = t->capcells = t->capindex = 0;
}

static size_t slot_of(uint32_t row, uint32_t code, size_t mask) {
  uint64_t h = ((uint64_t)row << 32 | code) * UINT64_C(0x9E3779B97F4A7C15);
  return (size_t)(h >> 32) & mask;
}

/* Doubles the index (kept at most half full) and places every cell again. */
static int grow_index(th_totals *t) {
  size_t ncap = t->capindex ? t->capindex * 2 : 256, i;
  uint32_t *idx;
  if (ncap > SIZE_MAX / sizeof(uint32_t)) return TH_ETOOBIG;
  idx = th_realloc(&t->alloc, NULL, 0, ncap * sizeof(uint32_t));
  if (idx == NULL) return TH_ENOMEM;
  memset(idx, 0, ncap * sizeof(uint32_t));
  for (i = 0; i < t->ncells; i++) {
    size_t s = slot_of(t->cells[i].row, t->cells[i].code, ncap - 1);
    while (idx[s] != 0) s = (s + 1) & (ncap - 1);
    idx[s] = (uint32_t)(i + 1);
  }
  th_free(&t->alloc, t->index, t->capindex * sizeof(uint32_t));
  t->index = idx;
  t->capindex = ncap;
  return TH_OK;
}

int th_totals_add(th_totals *t, uint32_t row, uint32_t code, size_t hits,
                  size_t coded, size_t negated) {
  th_total_cell *c;
  size_t s, mask;
  int st;
  if (t->ncells >= UINT32_MAX - 1) return TH_ETOOBIG;
  if ((t->ncells + 1) * 2 > t->capindex && (st = grow_index(t)) != TH_OK) return st;
  mask = t->capindex - 1;
  for (s = slot_of(row, code, mask); t->index[s] != 0; s = (s + 1) & mask) {
    c = &t->cells[t->index[s] - 1];
    if (c->row == row && c->code == code) {
      c->hits += hits;
      c->coded += coded;
      c->negated += negated;
      return TH_OK;
    }
  }
  {
    void *p = t->cells;
    if ((st = th_grow(&t->alloc, &p, &t->capcells, t->ncells + 1, sizeof(th_total_cell))) != TH_OK)
      return st;
    t->cells = p;
  }
  c = &t->cells[t->ncells++];
  c->row = row;
  c->code = code;
  c->hits = hits;
  c->coded = coded;
  c->negated = negated;
  t->index[s] = (uint32_t)t->ncells;
  return TH_OK;
}
