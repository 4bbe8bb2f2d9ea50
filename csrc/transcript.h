/*
** The turn parser of plain-text transcripts: which lines carry a speaker
** label (and of which form), and how the lines make turns. The policy that
** depends on the user's Lua values (which candidate labels are speakers)
** stays with the caller: pass 1 finds the candidates and their statistics,
** the caller decides, pass 2 builds the turns.
**
** Every offset is 0-based into the caller's text, which is never copied
** and must stay alive and unchanged from pass 1 to pass 2. Any bytes are
** accepted (NUL, invalid UTF-8, CR-only line ends); the character classes
** are those of Lua's patterns in the C locale, on single bytes.
*/
#ifndef THEMATIC_TRANSCRIPT_H
#define THEMATIC_TRANSCRIPT_H

#include "th_common.h"
#include "strmap.h"

/* The forms of a label candidate. */
enum {
  TH_FORM_COLON = 1,     /* Label: text, **Label:**, Label [00:01:23]: */
  TH_FORM_TIMELINE,      /* Speaker 1  0:03 (a name and a time alone) */
  TH_FORM_ALONE,         /* P03 / INTERVIEWER alone on a line */
  TH_FORM_NOCOLON,       /* P03 text: a label only if used with a colon */
  TH_FORM_CONTINUED      /* the speaker of a turn begun in an earlier part */
};

#define TH_NO_POS ((size_t)-1)

typedef struct th_candidate {       /* a distinct (label as written, form) pair */
  size_t label_off, label_len;      /* into th_transcript.labels */
  size_t norm_off, norm_len;        /* normalised label, same buffer */
  int form;                         /* TH_FORM_* */
  uint32_t norm;                    /* 1-based index into th_transcript.stats */
  size_t uses;                      /* lines with this candidate */
} th_candidate;

/* The label statistics of one normalised label (what Lua's tally counts). */
typedef struct th_label_stat {
  size_t norm_off, norm_len;        /* into th_transcript.labels */
  size_t count;                     /* uses in forms other than nocolon */
  int colon_seen;                   /* used in the colon form */
} th_label_stat;

/* What a line is, for pass 2. */
enum {
  TH_LINE_BLANK,        /* only white space (Lua's %s) */
  TH_LINE_TEXT,         /* no candidate */
  TH_LINE_LABEL,        /* a label candidate */
  TH_LINE_TIME          /* a time and no label */
};

typedef struct th_line {
  size_t start, end;       /* the line without its end: [start, end) */
  size_t ts;               /* first byte of the speech after the label or
                              time, or TH_NO_POS */
  int64_t time_ms;         /* -1 = no time */
  uint32_t cand;           /* TH_LINE_LABEL: 1-based index into candidates */
  int kind;                /* TH_LINE_* */
} th_line;

typedef struct th_turn {
  size_t start, end;       /* the speech: [start, end) (Lua's start/stop are start+1 and end) */
  size_t line;             /* 1-based line number within the text */
  uint32_t speaker;        /* 1-based index into candidates; 0 = nobody */
  int64_t time_ms;         /* -1 = no time */
  size_t mark_off, nmarks; /* this turn's marks: marks[mark_off .. mark_off+nmarks) */
} th_turn;

typedef struct th_transcript {
  th_alloc alloc;
  th_buf labels;                    /* label and normalised label bytes */
  th_candidate *candidates;         /* [0] is candidate 1 */
  size_t ncandidates, capcandidates;
  size_t nfound;                    /* candidates of pass 1 (a continued
                                       speaker, added by pass 2, follows) */
  th_label_stat *stats;             /* [0] is norm 1 */
  size_t nstats, capstats;
  th_line *lines;                   /* [0] is line 1 */
  size_t nlines, caplines;
  th_turn *turns;
  size_t nturns, capturns;
  th_range *marks;                  /* transcription marks, 0-based absolute */
  size_t nmarks, capmarks;
  /* After a partial pass 2: */
  size_t rest;                      /* where the held-back turn's first line
                                       starts, or TH_NO_POS */
  size_t rest_line;                 /* that line's 1-based number */
  int open;                         /* the part was one unfinished turn */
  uint32_t open_speaker;            /* its speaker (0: nobody) */
  th_strmap cand_index;             /* form byte + label -> candidate */
  th_strmap norm_index;             /* normalised label -> stat */
  th_buf scratch;
} th_transcript;

TH_HIDDEN void th_transcript_init(th_transcript *t, th_alloc alloc);
TH_HIDDEN void th_transcript_free(th_transcript *t);

/* Pass 1: splits text[0..len) into lines (LF, CRLF, CR), finds each line's
   label candidate or time, interns the candidates and counts the label
   statistics. Returns TH_OK or TH_ENOMEM / TH_ETOOBIG. */
TH_HIDDEN int th_transcript_lines(th_transcript *t, const char *text, size_t len);

/* Pass 2: the turns. accepted[i] (i from 1 to nfound; accepted[0] unused)
   says whether candidate i is a speaker. partial: more text follows, so a
   last turn that began after line 1 is left out (rest, rest_line), and one
   that began on line 1 sets open. continues: the part goes on with a turn
   of an earlier part, whose speaker is continues_label (NULL: nobody; it
   becomes a TH_FORM_CONTINUED candidate). text and len must be pass 1's. */
TH_HIDDEN int th_transcript_turns(th_transcript *t, const char *text, size_t len,
                                  const unsigned char *accepted, int partial,
                                  int continues, const char *continues_label,
                                  size_t continues_len);

/* The transcription marks of a text (a turn's, say), one at a time: any
   [...] of at most 80 bytes with no line end, [ or ( inside, and (...)
   whose first word is a mark word (inaudible, laughs, crosstalk, ...). */
typedef struct th_marks {
  const unsigned char *s;
  size_t len, pos;
  size_t next_sq, next_par;   /* the next [ and ( at or after pos, or TH_NO_POS */
} th_marks;

TH_HIDDEN void th_marks_init(th_marks *m, const char *s, size_t len);

/* The next mark: returns 1 and sets *mark ([start, end) into the text),
   or 0 when there are no more. */
TH_HIDDEN int th_next_mark(th_marks *m, th_range *mark);

/* Speaker label normalisation: Markdown emphasis to spaces, a trailing
   colon removed, white space collapsed and trimmed, ASCII lower case.
   Writes at most len bytes to out (which may not overlap s); returns how
   many. */
TH_HIDDEN size_t th_normalize_label(const char *s, size_t len, char *out);

/* Is a label (as written) plausible as a speaker label at all? */
TH_HIDDEN int th_label_plausible(const char *s, size_t len);

#endif
