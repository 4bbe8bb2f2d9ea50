/*
** The turn parser of plain-text transcripts (see transcript.h). This is a
** port of what lua/thematic/transcript.lua did with Lua patterns, and it
** must give the same results on every input: each function below names
** the pattern it stands for, and keeps its backtracking result (lazy `-`,
** anchors). The classes are Lua's in the C locale, on single bytes: bytes
** >= 0x80 are in none of them.
*/
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "transcript.h"

/* A label sits in the first few dozen bytes of a line: the label forms
   look only there, so a long line of speech costs little. */
#define HEAD_BYTES 120

/* candidate()'s result for a line with a time and no label. */
#define FOUND_TIME (-1)

typedef const unsigned char *bytes;

/* Lua's %s, %d, %u, %a. */
static int is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_alpha(int c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }
static int is_emphasis(int c) { return c == '*' || c == '_'; }

static size_t skip_space(bytes s, size_t i, size_t n) {
  while (i < n && is_space(s[i])) i++;
  return i;
}

static size_t skip_word(bytes s, size_t i, size_t n) {
  while (i < n && !is_space(s[i])) i++;
  return i;
}

static size_t find_byte(bytes s, size_t i, size_t n, int c) {
  const void *p = i < n ? memchr(s + i, c, n - i) : NULL;
  return p ? (size_t)((bytes)p - s) : TH_NO_POS;
}

/* ---------------------------------------------------------------------
** Times
** ------------------------------------------------------------------ */

/* TIME = "%d?%d?%d:%d%d[:%d%.,]*" at s[i]: the end of the match or
   TH_NO_POS. The optional digits only match when the run of digits is
   one to three long and a colon follows it; the class then runs as far
   as it can (nothing that follows it in any pattern is in the class). */
static size_t match_time(bytes s, size_t i, size_t n) {
  size_t d = i, e;
  while (d < n && d - i < 4 && is_digit(s[d])) d++;
  if (d == i || d - i > 3 || d + 2 >= n || s[d] != ':' ||
      !is_digit(s[d + 1]) || !is_digit(s[d + 2]))
    return TH_NO_POS;
  e = d + 3;
  while (e < n && (s[e] == ':' || is_digit(s[e]) || s[e] == '.' || s[e] == ','))
    e++;
  return e;
}

/* Digits kept of a fraction: every double and every midpoint between two
   doubles has at most 1075 decimals, so cutting after more (and keeping a
   non-zero digit for what was cut) rounds to the same double. */
#define FRAC_DIGITS 1100

/* math.floor(tonumber("0." .. frac) * 1000 + 0.5), with tonumber's
   fallback to the locale's decimal point. */
static int64_t frac_ms(bytes d, size_t n) {
  char buf[FRAC_DIGITS + 4], *end;
  size_t k = n < FRAC_DIGITS ? n : FRAC_DIGITS, m, i;
  double x;
  buf[0] = '0';
  buf[1] = '.';
  memcpy(buf + 2, d, k);
  m = 2 + k;
  for (i = k; i < n; i++) {
    if (d[i] != '0') {
      buf[m++] = '1';
      break;
    }
  }
  buf[m] = '\0';
  x = strtod(buf, &end);
  if (*end != '\0') {
    buf[1] = localeconv()->decimal_point[0];
    x = strtod(buf, &end);
  }
  /* two statements, as Lua does them: no fused multiply-add; x is
     positive, so truncating is flooring */
  x = x * 1000;
  x = x + 0.5;
  return (int64_t)x;
}

/* After the clock part: "[%.,]?(%d*)%s*$", adding the fraction to ms. */
static int64_t with_fraction(bytes t, size_t i, size_t n, int64_t ms) {
  size_t j;
  if (i < n && (t[i] == '.' || t[i] == ',')) i++;
  j = i;
  while (j < n && is_digit(t[j])) j++;
  if (j != n) return -1;
  return j > i ? ms + frac_ms(t + i, j - i) : ms;
}

/* Lua's parse_time of a string that matched TIME (so it starts with one
   to three digits, a colon and two digits): milliseconds, or -1 for nil.
     "^%s*(%d+):(%d%d):(%d%d)[%.,]?(%d*)%s*$", else
     "^%s*(%d+):(%d%d)[%.,]?(%d*)%s*$" */
static int64_t time_of(bytes t, size_t n) {
  size_t i = 0;
  int64_t a = 0, b, ms;
  while (is_digit(t[i])) a = a * 10 + (t[i++] - '0');
  b = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
  i += 3;
  if (i + 2 < n && t[i] == ':' && is_digit(t[i + 1]) && is_digit(t[i + 2])) {
    int64_t c = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
    ms = with_fraction(t, i + 3, n, ((a * 60 + b) * 60 + c) * 1000);
    if (ms >= 0) return ms;
  }
  return with_fraction(t, i, n, (a * 60 + b) * 1000);
}

/* ---------------------------------------------------------------------
** Labels
** ------------------------------------------------------------------ */

int th_label_plausible(const char *label, size_t n) {
  bytes s = (bytes)label;
  size_t i, words = 0;
  if (n == 0 || n > 60) return 0;
  /* starts with an upper-case letter or a non-ASCII lead byte */
  if (!is_upper(s[0]) && s[0] < 0xC0) return 0;
  /* "[%?!;\"“”<>=|{}]": the quotes are bytes of UTF-8 in a byte class */
  for (i = 0; i < n; i++) {
    switch (s[i]) {
      case '?': case '!': case ';': case '"': case '<': case '>': case '=':
      case '|': case '{': case '}': case 0xE2: case 0x80: case 0x9C: case 0x9D:
        return 0;
      default:
        break;
    }
  }
  if (memchr(s, '.', n) != NULL) {
    size_t k = 0;
    int abbrev, initial;
    while (k < n && is_alpha(s[k])) k++;
    /* "^%a%a?%a?%.%s" */
    abbrev = k >= 1 && k <= 3 && k + 1 < n && s[k] == '.' && is_space(s[k + 1]);
    /* "^%u%.?$" */
    initial = is_upper(s[0]) && (n == 1 || (n == 2 && s[1] == '.'));
    if (!abbrev && !initial) return 0;
  }
  for (i = 0; i < n; i = skip_space(s, skip_word(s, i, n), n))
    if (!is_space(s[i])) words++;
  return words <= 6;
}

size_t th_normalize_label(const char *label, size_t n, char *out) {
  bytes s = (bytes)label;
  unsigned char *p = (unsigned char *)out;
  size_t i, m = 0, w = 0, k;
  /* gsub("[%*_]+", " ") */
  for (i = 0; i < n; i++) {
    if (!is_emphasis(s[i])) p[m++] = s[i];
    else if (i == 0 || !is_emphasis(s[i - 1])) p[m++] = ' ';
  }
  /* gsub(":%s*$", "") */
  k = m;
  while (k > 0 && is_space(p[k - 1])) k--;
  if (k > 0 && p[k - 1] == ':') m = k - 1;
  /* gsub("%s+", " "), then match("^%s*(.-)%s*$"), then lower */
  while (m > 0 && is_space(p[m - 1])) m--;
  for (i = 0; i < m; i++) {
    if (!is_space(p[i]))
      p[w++] = (unsigned char)(is_upper(p[i]) ? p[i] + ('a' - 'A') : p[i]);
    else if (w > 0 && p[w - 1] != ' ')
      p[w++] = ' ';
  }
  return w;
}

/* "^%a+%d+%a?$" */
static int code_like(bytes s, size_t n) {
  size_t i = 0, j;
  while (i < n && is_alpha(s[i])) i++;
  if (i == 0) return 0;
  j = i;
  while (j < n && is_digit(s[j])) j++;
  if (j == i) return 0;
  if (j < n && is_alpha(s[j])) j++;
  return j == n;
}

/* find(s, "%d") */
static int has_digit(bytes s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (is_digit(s[i])) return 1;
  return 0;
}

/* "^%u+$" */
static int all_upper(bytes s, size_t n) {
  size_t i;
  if (n == 0) return 0;
  for (i = 0; i < n; i++)
    if (!is_upper(s[i])) return 0;
  return 1;
}

/* A line's candidate: offsets into the line. */
typedef struct found {
  int form;            /* 0: nothing; TH_FORM_*; FOUND_TIME */
  size_t ls, le;       /* the label: [ls, le) */
  size_t ts;           /* first text byte, or TH_NO_POS */
  int64_t time;        /* -1: none */
} found;

static void set_found(found *f, int form, size_t ls, size_t le, size_t ts,
                      int64_t time) {
  f->form = form;
  f->ls = ls;
  f->le = le;
  f->ts = ts;
  f->time = time;
}

/* Label text, no colon (P03 The log-ins …), in head = the line from off:
   "^%s*()(%S+)%s+()%S", the label "^%a+%d+%a?$" or two or more capitals. */
static void nocolon(bytes head, size_t hl, size_t off, int64_t time, found *f) {
  size_t p7 = skip_space(head, 0, hl), we = skip_word(head, p7, hl), p8;
  if (we == p7) return;
  p8 = skip_space(head, we, hl);
  if (p8 == we || p8 >= hl) return;
  if (code_like(head + p7, we - p7) || (we - p7 >= 2 && all_upper(head + p7, we - p7)))
    set_found(f, TH_FORM_NOCOLON, off + p7, off + we, off + p8, time);
}

/* **Label:** text / **Label**: text / __Label:__ in head (which has a
   colon): "^%s*[%*_][%*_]()([^%*_:\n]-)%s*:?[%*_][%*_]:?%s*()", and a
   colon before the text. */
static int markdown(bytes head, size_t hl, size_t off, size_t rlen,
                    int64_t time, found *f) {
  size_t ms = skip_space(head, 0, hl), k;
  if (ms + 1 >= hl || !is_emphasis(head[ms]) || !is_emphasis(head[ms + 1]))
    return 0;
  ms += 2;
  for (k = ms;; k++) {   /* the lazy label: shortest first */
    size_t j = skip_space(head, k, hl), me = TH_NO_POS;
    if (j + 2 < hl && head[j] == ':' && is_emphasis(head[j + 1]) &&
        is_emphasis(head[j + 2]))
      me = j + 3;
    else if (j + 1 < hl && is_emphasis(head[j]) && is_emphasis(head[j + 1]))
      me = j + 2;
    if (me != TH_NO_POS) {
      if (me < hl && head[me] == ':') me++;
      me = skip_space(head, me, hl);
      if (memchr(head, ':', me) == NULL) return 0;
      set_found(f, TH_FORM_COLON, off + ms, off + k, me < rlen ? off + me : TH_NO_POS, time);
      return 1;
    }
    if (k >= hl || is_emphasis(head[k]) || head[k] == ':' || head[k] == '\n') return 0;
  }
}

/* Label [00:01:23]: text / Label (00:01:23): text in head:
   "^%s*()([^:%[%(]-)%s*[%[%(](TIME)[%]%)]%s*:%s*()" with a label. The
   lazy label ends where the white space before the first [ or ( begins
   (it cannot hold one, nor a colon). */
static int bracketed(bytes head, size_t hl, size_t off, size_t rlen,
                     int64_t time, found *f) {
  size_t p1 = skip_space(head, 0, hl), q = p1, te, j, e;
  int64_t t2;
  while (q < hl && head[q] != ':' && head[q] != '[' && head[q] != '(') q++;
  if (q >= hl || head[q] == ':') return 0;
  te = match_time(head, q + 1, hl);
  if (te == TH_NO_POS || te >= hl || (head[te] != ']' && head[te] != ')')) return 0;
  j = skip_space(head, te + 1, hl);
  if (j >= hl || head[j] != ':') return 0;
  j = skip_space(head, j + 1, hl);
  e = q;
  while (e > p1 && is_space(head[e - 1])) e--;
  if (e == p1) return 0;   /* an empty label does not count */
  t2 = time_of(head + q + 1, te - q - 1);
  set_found(f, TH_FORM_COLON, off + p1, off + e, j < rlen ? off + j : TH_NO_POS,
            t2 >= 0 ? t2 : time);
  return 1;
}

/* Speaker 1  0:03: a name and a time alone on a (short) line:
   "^%s*()(%S.-)%s+(TIME)%s*$" — the time is the last word, the label all
   before the white space in front of it — and a label of capitalised
   words, no colon, at most four words. */
static int timeline(bytes rest, size_t rlen, size_t off, found *f) {
  size_t p3 = skip_space(rest, 0, rlen), wend = rlen, ws, sr, i, words = 0;
  while (wend > 0 && is_space(rest[wend - 1])) wend--;
  ws = wend;
  while (ws > 0 && !is_space(rest[ws - 1])) ws--;
  sr = ws;
  while (sr > 0 && is_space(rest[sr - 1])) sr--;
  if (ws <= p3 || sr <= p3 || match_time(rest, ws, wend) != wend) return 0;
  /* not find(l3, ":"), plausible(l3) */
  if (memchr(rest + p3, ':', sr - p3) != NULL ||
      !th_label_plausible((const char *)rest + p3, sr - p3))
    return 0;
  /* not find(" " .. l3, "%s[^%u%d%(]"): each word starts with a capital,
     a digit or "(", after one white-space byte */
  for (i = p3; i < sr; i++) {
    if (i == p3 || is_space(rest[i - 1])) {
      if (!is_upper(rest[i]) && !is_digit(rest[i]) && rest[i] != '(') return 0;
      words++;
    }
  }
  /* not find(l3, "%S%s+%S+%s+%S+%s+%S+%s+%S"): fewer than five words */
  if (words >= 5) return 0;
  set_found(f, TH_FORM_TIMELINE, off + p3, off + sr, TH_NO_POS,
            time_of(rest + ws, wend - ws));
  return 1;
}

/* Lua's candidate(): the label candidate of one non-blank line, or its
   time, with offsets into the line. */
static void candidate(bytes line, size_t len, found *f) {
  size_t off = 0, rlen, hl, colon, lcolon, p5;
  int64_t time = -1;
  int is_short;
  bytes rest;
  f->form = 0;
  /* a long line with no colon or bracket in its head, and no timestamp
     or Markdown at its start: only the form without a colon can apply */
  if (len > HEAD_BYTES && !memchr(line, ':', HEAD_BYTES) &&
      !memchr(line, '[', HEAD_BYTES) && !memchr(line, '(', HEAD_BYTES)) {
    size_t i = skip_space(line, 0, HEAD_BYTES);   /* "^%s*[%*_%d]" */
    if (i == HEAD_BYTES || !(is_emphasis(line[i]) || is_digit(line[i]))) {
      nocolon(line, HEAD_BYTES, 0, -1, f);
      return;
    }
  }
  /* a leading [00:01:23] or 00:01:23: "^%s*(%[?)(TIME)(%]?)(%s*)()" */
  if (len > 0 && (line[0] == '[' || is_digit(line[0]) || is_space(line[0]))) {
    size_t j = skip_space(line, 0, len), te, k, ws;
    int open = 0, shut = 0;
    if (j < len && line[j] == '[') {
      open = 1;
      j++;
    }
    te = match_time(line, j, len);
    if (te != TH_NO_POS) {
      k = te;
      if (k < len && line[k] == ']') {
        shut = 1;
        k++;
      }
      ws = skip_space(line, k, len);
      if ((open && shut) || (!open && !shut && (ws > k || ws == len))) {
        time = time_of(line + j, te - j);
        off = ws;
        if (off == len) {
          set_found(f, FOUND_TIME, 0, 0, TH_NO_POS, time);
          return;
        }
      }
    }
  }
  rest = line + off;
  rlen = len - off;
  is_short = rlen <= HEAD_BYTES;
  hl = is_short ? rlen : HEAD_BYTES;   /* head = rest[0..hl) */
  colon = find_byte(rest, 0, hl, ':');
  if (colon != TH_NO_POS && (memchr(rest, '*', hl) || memchr(rest, '_', hl)) &&
      markdown(rest, hl, off, rlen, time, f))
    return;
  if (colon != TH_NO_POS && (memchr(rest, '[', hl) || memchr(rest, '(', hl)) &&
      bracketed(rest, hl, off, rlen, time, f))
    return;
  if (is_short && colon != TH_NO_POS) {
    /* past any white space and . , : at its end, it ends in a digit */
    size_t last = rlen;
    while (last > 0 && is_space(rest[last - 1])) last--;
    while (last > 0 && (rest[last - 1] == ',' || rest[last - 1] == '.' || rest[last - 1] == ':'))
      last--;
    if (last > 0 && is_digit(rest[last - 1]) && timeline(rest, rlen, off, f)) return;
  }
  /* Label: text (the first colon, then white space), or a label that ends
     its line (the first colon, then only white space) */
  p5 = TH_NO_POS;
  lcolon = colon;
  if (colon != TH_NO_POS && colon + 1 < hl && is_space(rest[colon + 1])) {
    if (colon + 2 < hl && is_space(rest[colon + 2])) p5 = skip_space(rest, colon + 1, hl);
    else p5 = colon + 2;
  } else {
    if (colon == TH_NO_POS && !is_short) lcolon = find_byte(rest, 0, rlen, ':');
    if (lcolon != TH_NO_POS && skip_space(rest, lcolon + 1, rlen) == rlen) p5 = rlen;
  }
  if (p5 != TH_NO_POS) {
    /* is_space(byte(rest)) and find(rest, "%S") or 1 */
    size_t p4 = 0, e;
    if (is_space(rest[0])) {
      p4 = skip_space(rest, 0, rlen);
      if (p4 == rlen) p4 = 0;
    }
    if (p4 < lcolon) {
      e = lcolon;
      while (e > p4 && is_space(rest[e - 1])) e--;
      set_found(f, TH_FORM_COLON, off + p4, off + e, p5 < rlen ? off + p5 : TH_NO_POS, time);
      return;
    }
  }
  /* a label alone on a line, no colon (P03 / INTERVIEWER):
     "^%s*()(%S[^%s]-)%s*$", with a digit or two or more capitals */
  if (is_short) {
    size_t p6 = skip_space(rest, 0, rlen), we = skip_word(rest, p6, rlen);
    if (we > p6 && skip_space(rest, we, rlen) == rlen &&
        (has_digit(rest + p6, we - p6) || (we - p6 >= 2 && all_upper(rest + p6, we - p6)))) {
      set_found(f, TH_FORM_ALONE, off + p6, off + we, TH_NO_POS, time);
      return;
    }
  }
  nocolon(rest, hl, off, time, f);
  if (f->form == 0 && time >= 0) set_found(f, FOUND_TIME, 0, 0, off, time);
}

/* ---------------------------------------------------------------------
** Pass 1
** ------------------------------------------------------------------ */

void th_transcript_init(th_transcript *t, th_alloc alloc) {
  memset(t, 0, sizeof *t);
  t->alloc = alloc;
  t->rest = TH_NO_POS;
  th_strmap_init(&t->cand_index, alloc);
  th_strmap_init(&t->norm_index, alloc);
}

void th_transcript_free(th_transcript *t) {
  const th_alloc *a = &t->alloc;
  th_buf_free(a, &t->labels);
  th_buf_free(a, &t->scratch);
  th_free(a, t->candidates, t->capcandidates * sizeof(th_candidate));
  th_free(a, t->stats, t->capstats * sizeof(th_label_stat));
  th_free(a, t->lines, t->caplines * sizeof(th_line));
  th_free(a, t->turns, t->capturns * sizeof(th_turn));
  th_free(a, t->marks, t->capmarks * sizeof(th_range));
  th_strmap_free(&t->cand_index);
  th_strmap_free(&t->norm_index);
  th_transcript_init(t, t->alloc);
}

/* Room for one more element in an array of t: GROW(t, turns, capturns, nturns). */
#define GROW(t, arr, cap, n, st)                                              \
  do {                                                                        \
    void *p_ = (t)->arr;                                                      \
    (st) = th_grow(&(t)->alloc, &p_, &(t)->cap, (t)->n + 1, sizeof *(t)->arr); \
    (t)->arr = p_;                                                            \
  } while (0)

/* A new candidate: the label and its normalised form in t->labels, the
   normalised label interned among the statistics when `stat` (else it
   gets one only if the label is already there). Sets *index (1-based). */
static int new_candidate(th_transcript *t, const char *label, size_t len, int form,
                         int stat, uint32_t *index) {
  th_candidate *c;
  th_slot *slot;
  size_t norm_off;
  int st;
  if (t->ncandidates >= UINT32_MAX - 1) return TH_ETOOBIG;
  GROW(t, candidates, capcandidates, ncandidates, st);
  if (st != TH_OK) return st;
  c = &t->candidates[t->ncandidates];
  memset(c, 0, sizeof *c);
  c->form = form;
  /* the label, then its normalised form (never longer) */
  if (len > ((size_t)-1) / 2) return TH_ETOOBIG;
  if ((st = th_buf_reserve(&t->alloc, &t->labels, 2 * len)) != TH_OK) return st;
  c->label_off = t->labels.len;
  c->label_len = len;
  norm_off = t->labels.len + len;
  c->norm_off = norm_off;
  c->norm_len = 0;
  if (len > 0) {
    if (t->labels.data == NULL) return TH_ENOMEM;   /* (reserved: never) */
    memcpy(t->labels.data + c->label_off, label, len);
    c->norm_len = th_normalize_label(label, len, t->labels.data + norm_off);
  }
  t->labels.len = norm_off + c->norm_len;
  {
    const char *norm = t->labels.data ? t->labels.data + norm_off : "";
    uint64_t h = th_hash(norm, c->norm_len);
    if (c->norm_len >= UINT32_MAX) return TH_ETOOBIG;
    if (!stat) {
      slot = th_strmap_get(&t->norm_index, norm, c->norm_len, h);
    } else {
      int added;
      if (t->nstats >= UINT32_MAX - 1) return TH_ETOOBIG;
      slot = th_strmap_put(&t->norm_index, norm, c->norm_len, h,
                           (uint32_t)t->nstats + 1, &added);
      if (slot == NULL) return TH_ENOMEM;
      if (added) {
        th_label_stat *s;
        GROW(t, stats, capstats, nstats, st);
        if (st != TH_OK) return st;
        s = &t->stats[t->nstats++];
        s->norm_off = norm_off;
        s->norm_len = c->norm_len;
        s->count = 0;
        s->colon_seen = 0;
      }
    }
    if (slot != NULL) {
      const th_label_stat *s = &t->stats[slot->value - 1];
      c->norm = slot->value;
      if (s->norm_off != norm_off) {   /* the same bytes are there already */
        t->labels.len = norm_off;
        c->norm_off = s->norm_off;
      }
    }
  }
  *index = (uint32_t)++t->ncandidates;
  return TH_OK;
}

/* The index of the (label, form) candidate, made on first sight. */
static int intern(th_transcript *t, const char *label, size_t len, int form,
                  uint32_t *index) {
  th_slot *slot;
  uint64_t h;
  int st, added;
  if (len >= UINT32_MAX - 1) return TH_ETOOBIG;
  t->scratch.len = 0;
  if ((st = th_buf_reserve(&t->alloc, &t->scratch, len + 1)) != TH_OK) return st;
  t->scratch.data[0] = (char)form;
  if (len) memcpy(t->scratch.data + 1, label, len);
  h = th_hash(t->scratch.data, len + 1);
  slot = th_strmap_put(&t->cand_index, t->scratch.data, len + 1, h,
                       (uint32_t)t->ncandidates + 1, &added);
  if (slot == NULL) return TH_ENOMEM;
  if (added) {
    if ((st = new_candidate(t, label, len, form, 1, index)) != TH_OK) {
      /* the map holds an index with no candidate behind it: unusable */
      return st;
    }
  } else {
    *index = slot->value;
  }
  t->candidates[*index - 1].uses++;
  return TH_OK;
}

int th_transcript_lines(th_transcript *t, const char *text, size_t len) {
  bytes s = (bytes)text;
  /* the next \n and \r (TH_NO_POS: none), each found with memchr and
     kept until passed */
  size_t pos = 0, next_lf = find_byte(s, 0, len, '\n'), next_cr = find_byte(s, 0, len, '\r'), i;
  int st;
  while (pos < len) {
    size_t e, next;
    th_line *L;
    found f;
    if (next_lf < pos) next_lf = find_byte(s, pos, len, '\n');
    if (next_cr < pos) next_cr = find_byte(s, pos, len, '\r');
    e = next_lf < next_cr ? next_lf : next_cr;
    if (e == TH_NO_POS) e = len;
    if (e == len) next = len;
    else if (s[e] == '\r' && e + 1 < len && s[e + 1] == '\n') next = e + 2;
    else next = e + 1;
    GROW(t, lines, caplines, nlines, st);
    if (st != TH_OK) return st;
    L = &t->lines[t->nlines++];
    L->start = pos;
    L->end = e;
    L->ts = TH_NO_POS;
    L->time_ms = -1;
    L->cand = 0;
    if (skip_space(s, pos, e) == e) {
      L->kind = TH_LINE_BLANK;
    } else {
      candidate(s + pos, e - pos, &f);
      if (f.form == 0) {
        L->kind = TH_LINE_TEXT;
      } else {
        L->kind = f.form == FOUND_TIME ? TH_LINE_TIME : TH_LINE_LABEL;
        L->ts = f.ts == TH_NO_POS ? TH_NO_POS : pos + f.ts;
        L->time_ms = f.time;
        if (f.form != FOUND_TIME &&
            (st = intern(t, text + pos + f.ls, f.le - f.ls, f.form, &L->cand)) != TH_OK)
          return st;
      }
    }
    pos = next;
  }
  t->nfound = t->ncandidates;
  /* tally: uses of a label in forms other than nocolon; the colon form */
  for (i = 0; i < t->ncandidates; i++) {
    const th_candidate *c = &t->candidates[i];
    th_label_stat *ls = &t->stats[c->norm - 1];
    if (c->form != TH_FORM_NOCOLON) ls->count += c->uses;
    if (c->form == TH_FORM_COLON) ls->colon_seen = 1;
  }
  return TH_OK;
}

/* ---------------------------------------------------------------------
** Marks
** ------------------------------------------------------------------ */

/* Words that make (...) a mark (Lua's PAREN_MARKS; its "inaudible_" can
   never be a first word of letters). */
static const char *const paren_marks[] = {
  "inaudible", "laughs", "laughter", "laughing", "crosstalk", "pause",
  "unclear", "overlapping", "overtalk", "sighs", "sigh", "coughs", "cough",
  "silence", "indistinct", "unintelligible", "interruption", "interrupted",
  "long", "background", "chuckles", "laugh", "redacted", "name", NULL
};

/* lower(match(inner, "^%s*(%a+)") or "") is a mark word? */
static int mark_word(bytes inner, size_t n) {
  char w[16];
  size_t i = skip_space(inner, 0, n), k = 0, j;
  while (i < n && is_alpha(inner[i])) {
    if (k == sizeof w - 1) return 0;   /* longer than any mark word */
    w[k++] = (char)(is_upper(inner[i]) ? inner[i] + ('a' - 'A') : inner[i]);
    i++;
  }
  if (k == 0) return 0;
  w[k] = '\0';
  for (j = 0; paren_marks[j]; j++)
    if (strcmp(w, paren_marks[j]) == 0) return 1;
  return 0;
}

void th_marks_init(th_marks *m, const char *s, size_t len) {
  m->s = (bytes)s;
  m->len = len;
  m->pos = 0;
  m->next_sq = find_byte(m->s, 0, len, '[');
  m->next_par = find_byte(m->s, 0, len, '(');
}

int th_next_mark(th_marks *m, th_range *mark) {
  bytes s = m->s;
  size_t len = m->len;
  while (m->pos < len) {
    size_t at, limit, e = 0, k;
    const void *p;
    int ok = 0;
    if (m->next_sq < m->pos) m->next_sq = find_byte(s, m->pos, len, '[');
    if (m->next_par < m->pos) m->next_par = find_byte(s, m->pos, len, '(');
    at = m->next_sq < m->next_par ? m->next_sq : m->next_par;
    if (at == TH_NO_POS) break;
    /* the first closer, at most 80 bytes on, with no line end, [ or (
       before it */
    limit = len - at > 80 ? at + 81 : len;
    p = memchr(s + at + 1, s[at] == '[' ? ']' : ')', limit - at - 1);
    if (p != NULL) {
      e = (size_t)((bytes)p - s);
      ok = 1;
      for (k = at + 1; k < e && ok; k++)
        if (s[k] == '\r' || s[k] == '\n' || s[k] == '[' || s[k] == '(') ok = 0;
      if (ok && s[at] == '(') ok = mark_word(s + at + 1, e - at - 1);
    }
    if (ok) {
      mark->start = at;
      mark->end = e + 1;
      m->pos = e + 1;
      return 1;
    }
    m->pos = at + 1;
  }
  m->pos = len;
  return 0;
}

/* ---------------------------------------------------------------------
** Pass 2
** ------------------------------------------------------------------ */

/* The turn being read (Lua's cur). */
typedef struct cursor {
  int live;
  uint32_t speaker;
  size_t cs, ce;       /* its speech so far: [cs, ce); cs = TH_NO_POS: none yet */
  size_t line;         /* 0: not yet known */
  int64_t time;
  size_t from;         /* the line where it opened */
} cursor;

static void open_turn(cursor *cur, uint32_t speaker, size_t line, int64_t time,
                      size_t from) {
  cur->live = 1;
  cur->speaker = speaker;
  cur->cs = cur->ce = TH_NO_POS;
  cur->line = line;
  cur->time = time;
  cur->from = from;
}

/* A content range [s, e) of line n, trimmed. */
static void add(cursor *cur, bytes text, size_t s, size_t e, size_t n) {
  size_t a = skip_space(text, s, e), b;
  if (a >= e) return;
  b = e;
  while (b > a + 1 && is_space(text[b - 1])) b--;
  if (cur->cs == TH_NO_POS) {
    cur->cs = a;
    if (cur->line == 0) cur->line = n;
  }
  cur->ce = b;
}

static int close_turn(th_transcript *t, cursor *cur, const char *text) {
  if (cur->live && cur->cs != TH_NO_POS) {
    th_turn *tu;
    th_marks ms;
    th_range mark;
    int st;
    GROW(t, turns, capturns, nturns, st);
    if (st != TH_OK) return st;
    tu = &t->turns[t->nturns];
    tu->start = cur->cs;
    tu->end = cur->ce;
    tu->line = cur->line;
    tu->speaker = cur->speaker;
    tu->time_ms = cur->time;
    tu->mark_off = t->nmarks;
    th_marks_init(&ms, text + cur->cs, cur->ce - cur->cs);
    while (th_next_mark(&ms, &mark)) {
      GROW(t, marks, capmarks, nmarks, st);
      if (st != TH_OK) return st;
      t->marks[t->nmarks].start = cur->cs + mark.start;
      t->marks[t->nmarks].end = cur->cs + mark.end;
      t->nmarks++;
    }
    tu->nmarks = t->nmarks - tu->mark_off;
    t->nturns++;
  }
  cur->live = 0;
  return TH_OK;
}

int th_transcript_turns(th_transcript *t, const char *text, size_t len,
                        const unsigned char *accepted, int partial,
                        int continues, const char *continues_label,
                        size_t continues_len) {
  bytes s = (bytes)text;
  cursor cur;
  size_t n;
  int st;
  (void)len;
  t->ncandidates = t->nfound;
  t->nturns = t->nmarks = 0;
  t->rest = TH_NO_POS;
  t->rest_line = 0;
  t->open = 0;
  t->open_speaker = 0;
  cur.live = 0;
  if (continues) {
    uint32_t who = 0;
    if (continues_label != NULL &&
        (st = new_candidate(t, continues_label, continues_len, TH_FORM_CONTINUED, 0,
                            &who)) != TH_OK)
      return st;
    open_turn(&cur, who, 0, -1, 1);
  }
  for (n = 1; n <= t->nlines; n++) {
    const th_line *L = &t->lines[n - 1];
    if (L->kind == TH_LINE_LABEL && accepted[L->cand]) {
      if ((st = close_turn(t, &cur, text)) != TH_OK) return st;
      open_turn(&cur, L->cand, n, L->time_ms, n);
      if (L->ts != TH_NO_POS) add(&cur, s, L->ts, L->end, n);
    } else if (L->kind == TH_LINE_TIME && !(cur.live && cur.speaker)) {
      if ((st = close_turn(t, &cur, text)) != TH_OK) return st;
      open_turn(&cur, 0, 0, L->time_ms, n);
      if (L->ts != TH_NO_POS) add(&cur, s, L->ts, L->end, n);
    } else if (L->kind == TH_LINE_TIME && L->ts == TH_NO_POS && cur.live) {
      if (cur.time < 0) cur.time = L->time_ms;
    } else if (L->kind == TH_LINE_BLANK) {
      if (cur.live && !cur.speaker && (st = close_turn(t, &cur, text)) != TH_OK)
        return st;
    } else {
      if (!cur.live) open_turn(&cur, 0, 0, -1, n);
      add(&cur, s, L->start, L->end, n);
    }
  }
  if (partial && cur.live && cur.from > 1) {
    /* the last turn may go on in the next part: leave it to that part */
    t->rest = t->lines[cur.from - 1].start;
    t->rest_line = cur.from;
  } else {
    /* a turn as long as the whole part: the next part goes on with it */
    if (partial && cur.live) {
      t->open = 1;
      t->open_speaker = cur.speaker;
    }
    if ((st = close_turn(t, &cur, text)) != TH_OK) return st;
  }
  return TH_OK;
}
