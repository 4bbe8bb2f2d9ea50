/*
** The transcript turn parser, both passes. Byte 0 of the input chooses
** the options (bit 0: partial; bit 1: a turn continues from an earlier
** part, bit 2: with a speaker; bits 3-7: which candidates are accepted),
** the rest is the text. Invariants:
**  - the lines cover the text in order, none holds a line end, and the
**    line ends between them are LF, CRLF or CR;
**  - candidates and statistics point inside the label buffer, a
**    normalised label is never longer than its label, and the counts add
**    up to the labelled lines not of the nocolon form;
**  - turns are in order, never overlap, sit inside the text with no white
**    space at either end, their lines are real lines, their speakers real
**    candidates; marks lie inside their turn, in order, [..] or (..);
**  - rest is the start of a line after the first; open only when partial;
**  - pass 2 run again gives the same turns and marks.
*/
#include "fuzz_common.h"
#include "transcript.h"

static int is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static void check_lines(const th_transcript *t, const unsigned char *s, size_t len) {
  size_t i, pos = 0, k, counted = 0;
  for (i = 0; i < t->nlines; i++) {
    const th_line *L = &t->lines[i];
    FUZZ_CHECK(L->start == pos, "line %zu starts at %zu, expected %zu", i + 1, L->start, pos);
    FUZZ_CHECK(L->end >= L->start && L->end <= len, "line %zu [%zu, %zu) of %zu", i + 1,
               L->start, L->end, len);
    for (k = L->start; k < L->end; k++)
      FUZZ_CHECK(s[k] != '\n' && s[k] != '\r', "line %zu holds a line end at %zu", i + 1, k);
    pos = L->end;
    if (pos < len) {
      pos += (s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n') ? 2 : 1;
    }
    FUZZ_CHECK(L->ts == TH_NO_POS || (L->ts >= L->start && L->ts < L->end),
               "line %zu: speech at %zu", i + 1, L->ts);
    if (L->kind == TH_LINE_LABEL) {
      FUZZ_CHECK(L->cand >= 1 && L->cand <= t->nfound, "line %zu: candidate %u of %zu", i + 1,
                 (unsigned)L->cand, t->nfound);
      if (t->candidates[L->cand - 1].form != TH_FORM_NOCOLON) counted++;
    } else {
      FUZZ_CHECK(L->cand == 0, "line %zu: candidate %u on a line of kind %d", i + 1,
                 (unsigned)L->cand, L->kind);
    }
    FUZZ_CHECK(L->kind != TH_LINE_BLANK || L->time_ms == -1, "blank line %zu has a time", i + 1);
  }
  FUZZ_CHECK(pos == len, "lines end at %zu of %zu", pos, len);
  for (i = 0; i < t->nstats; i++) counted -= t->stats[i].count;
  FUZZ_CHECK(counted == 0, "the statistics count %zu uses too few", counted);
}

static void check_candidates(const th_transcript *t) {
  size_t i;
  for (i = 0; i < t->ncandidates; i++) {
    const th_candidate *c = &t->candidates[i];
    FUZZ_CHECK(c->form >= TH_FORM_COLON && c->form <= TH_FORM_CONTINUED, "form %d", c->form);
    FUZZ_CHECK(c->label_off + c->label_len <= t->labels.len, "label outside the buffer");
    FUZZ_CHECK(c->norm_off + c->norm_len <= t->labels.len, "norm outside the buffer");
    FUZZ_CHECK(c->norm_len <= c->label_len, "norm longer than its label");
    FUZZ_CHECK(c->norm <= t->nstats, "norm %u of %zu", (unsigned)c->norm, t->nstats);
    FUZZ_CHECK(i >= t->nfound || c->norm >= 1, "candidate %zu has no statistics", i + 1);
  }
}

static void check_turns(const th_transcript *t, const unsigned char *s, size_t len, int partial) {
  size_t i, k, prev_end = 0, nm = 0;
  for (i = 0; i < t->nturns; i++) {
    const th_turn *tu = &t->turns[i];
    FUZZ_CHECK(tu->start >= prev_end, "turn %zu starts at %zu before %zu", i + 1, tu->start, prev_end);
    FUZZ_CHECK(tu->start < tu->end && tu->end <= len, "turn %zu [%zu, %zu) of %zu", i + 1,
               tu->start, tu->end, len);
    FUZZ_CHECK(!is_space(s[tu->start]) && !is_space(s[tu->end - 1]), "turn %zu is not trimmed", i + 1);
    FUZZ_CHECK(tu->line >= 1 && tu->line <= t->nlines, "turn %zu on line %zu of %zu", i + 1,
               tu->line, t->nlines);
    FUZZ_CHECK(t->lines[tu->line - 1].start <= tu->start, "turn %zu starts before its line", i + 1);
    FUZZ_CHECK(tu->speaker <= t->ncandidates, "turn %zu: speaker %u", i + 1, (unsigned)tu->speaker);
    FUZZ_CHECK(tu->time_ms >= -1, "turn %zu: time %lld", i + 1, (long long)tu->time_ms);
    FUZZ_CHECK(tu->mark_off == nm, "turn %zu: marks from %zu, expected %zu", i + 1, tu->mark_off, nm);
    for (k = tu->mark_off; k < tu->mark_off + tu->nmarks; k++) {
      const th_range *m = &t->marks[k];
      FUZZ_CHECK(m->start >= tu->start && m->end <= tu->end && m->end - m->start >= 2,
                 "mark [%zu, %zu) outside turn [%zu, %zu)", m->start, m->end, tu->start, tu->end);
      FUZZ_CHECK(k == tu->mark_off || m->start >= t->marks[k - 1].end, "marks overlap");
      FUZZ_CHECK((s[m->start] == '[' && s[m->end - 1] == ']') ||
                 (s[m->start] == '(' && s[m->end - 1] == ')'), "mark is not bracketed");
    }
    nm += tu->nmarks;
    prev_end = tu->end;
  }
  FUZZ_CHECK(nm == t->nmarks, "%zu marks in turns, %zu in all", nm, t->nmarks);
  if (t->rest != TH_NO_POS) {
    FUZZ_CHECK(partial, "rest without partial");
    FUZZ_CHECK(t->rest_line > 1 && t->rest_line <= t->nlines &&
               t->lines[t->rest_line - 1].start == t->rest, "rest %zu is not line %zu's start",
               t->rest, t->rest_line);
    FUZZ_CHECK(prev_end <= t->rest, "a turn runs past rest");
  }
  FUZZ_CHECK(!t->open || (partial && t->rest == TH_NO_POS), "open without partial");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  th_transcript t;
  unsigned char *accepted;
  th_turn *turns;
  th_range *marks;
  size_t i, nturns, nmarks, len;
  int flags, partial, continues;
  const char *text;
  static const char label[] = "P03";
  if (size == 0) return 0;
  flags = data[0];
  text = (const char *)data + 1;
  len = size - 1;
  partial = flags & 1;
  continues = (flags >> 1) & 1;

  th_transcript_init(&t, fuzz_alloc);
  FUZZ_CHECK(th_transcript_lines(&t, text, len) == TH_OK, "pass 1 failed");
  check_lines(&t, (const unsigned char *)text, len);
  check_candidates(&t);

  accepted = calloc(t.nfound + 1, 1);
  FUZZ_CHECK(accepted != NULL, "out of memory");
  for (i = 1; i <= t.nfound; i++) accepted[i] = (unsigned char)(((flags >> 3) + i) % 3 != 0);
  FUZZ_CHECK(th_transcript_turns(&t, text, len, accepted, partial, continues,
                                 (flags & 4) ? label : NULL, 3) == TH_OK, "pass 2 failed");
  check_candidates(&t);
  check_turns(&t, (const unsigned char *)text, len, partial);

  /* the same again */
  nturns = t.nturns;
  nmarks = t.nmarks;
  turns = malloc(nturns * sizeof *turns + 1);
  marks = malloc(nmarks * sizeof *marks + 1);
  FUZZ_CHECK(turns != NULL && marks != NULL, "out of memory");
  if (nturns) memcpy(turns, t.turns, nturns * sizeof *turns);
  if (nmarks) memcpy(marks, t.marks, nmarks * sizeof *marks);
  FUZZ_CHECK(th_transcript_turns(&t, text, len, accepted, partial, continues,
                                 (flags & 4) ? label : NULL, 3) == TH_OK, "pass 2 failed again");
  FUZZ_CHECK(t.nturns == nturns && t.nmarks == nmarks, "pass 2 gave %zu turns, then %zu",
             nturns, t.nturns);
  for (i = 0; i < nturns; i++) {
    const th_turn *a = &turns[i], *b = &t.turns[i];
    FUZZ_CHECK(a->start == b->start && a->end == b->end && a->line == b->line &&
               a->speaker == b->speaker && a->time_ms == b->time_ms &&
               a->mark_off == b->mark_off && a->nmarks == b->nmarks,
               "turn %zu is another the second time", i + 1);
  }
  for (i = 0; i < nmarks; i++)
    FUZZ_CHECK(marks[i].start == t.marks[i].start && marks[i].end == t.marks[i].end,
               "mark %zu is another the second time", i + 1);
  free(turns);
  free(marks);
  free(accepted);
  th_transcript_free(&t);
  return 0;
}
