/*
** Running totals of (row, code) cells over many tallies. `thematic count`
** keeps one total for a whole run; adding each document's cells here, in
** C, spares a Lua table per cell per document (most of what was left of
** the per-file cost in Lua). A row is the caller's number for one group
** and one participant, so "participants mentioning" can still be told
** afterwards.
*/
#ifndef THEMATIC_TOTALS_H
#define THEMATIC_TOTALS_H

#include "th_common.h"

typedef struct th_total_cell {
  uint32_t row, code;
  size_t hits, coded, negated;
} th_total_cell;

typedef struct th_totals {
  th_alloc alloc;
  th_total_cell *cells;        /* in the order first added */
  size_t ncells, capcells;
  uint32_t *index;             /* open addressing: cell number + 1, 0 = free */
  size_t capindex;             /* a power of two, or 0 */
} th_totals;

TH_HIDDEN void th_totals_init(th_totals *t, th_alloc alloc);
TH_HIDDEN void th_totals_free(th_totals *t);

/* Adds the counts to cell (row, code), making it if it is new. Returns
   TH_OK, TH_ENOMEM or TH_ETOOBIG (the totals are unchanged then). */
TH_HIDDEN int th_totals_add(th_totals *t, uint32_t row, uint32_t code,
                            size_t hits, size_t coded, size_t negated);

#endif
