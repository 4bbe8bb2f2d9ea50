/*
** Counting a document's segments by group in one call: what `thematic
** count` reports per cell (hits, negated hits, segments coded, words),
** without a Lua table per segment or per hit.
**
** The rules are those of thematic.coding and thematic.analysis.count (the
** Lua path every other analysis takes, and the reference for this one):
**  - a hit counts for its code and every ancestor of it, but a token span
**    that two codes under one ancestor both claim counts once for that
**    ancestor ("rollup": distinct (ancestor, start) pairs per segment);
**  - a negated hit (not moved by negated_to) counts apart, once for its
**    code and once for each ancestor;
**  - a code is "coded" in a segment when its rollup there is above zero.
*/
#ifndef THEMATIC_TALLY_H
#define THEMATIC_TALLY_H

#include "matcher.h"

/* One segment: text[start, end) less its skip ranges, counted for group
   `group` (1-based; 0 leaves the segment out). */
typedef struct th_segment {
  size_t start, end;
  const th_range *skip;
  size_t nskip;
  uint32_t group;
} th_segment;

/* A (group, code) cell that some segment touched, in the order first
   touched. */
typedef struct th_cell {
  uint32_t group, code;
  size_t hits, coded, negated;
} th_cell;

typedef struct th_tally {
  th_alloc alloc;
  uint32_t ncodes;
  uint32_t *parent;            /* per code (1-based): its parent, 0 = theme */
  /* per group, 1-based (index 0 unused) */
  size_t *words, *segments;
  uint32_t capgroups;
  /* cells: index per (group, code), 0 = not touched yet */
  uint32_t *cell_of;           /* [(group - 1) * (ncodes + 1) + code] */
  size_t capcell_of;
  th_cell *cells;
  size_t ncells, capcells;
  /* rollup bookkeeping within one segment, per code */
  uint32_t *seen_gen;
  size_t *seen_start;
  uint32_t gen;
  uint32_t group;              /* of the segment being scanned */
} th_tally;

/* parent: per code 1..ncodes (index 0 ignored), each parent < its code. */
TH_HIDDEN int th_tally_init(th_tally *t, th_alloc alloc, uint32_t ncodes,
                            const uint32_t *parent);
TH_HIDDEN void th_tally_free(th_tally *t);

/* Scans every segment with m (whose codes the tally was made for) and
   leaves the totals in t->words[g], t->segments[g] (g = 1..ngroups) and
   t->cells[0 .. ncells). The hits are added up as the matcher finds them
   (m->sink), a chunk at a time, not kept for the whole segment. */
TH_HIDDEN int th_tally_run(th_tally *t, th_matcher *m, const char *text,
                           const th_segment *segs, size_t nsegs,
                           uint32_t ngroups);

#endif
