/*
** Word boundaries.
**
** th_next_segment implements the default word boundaries of Unicode
** Standard Annex #29 (rules WB1-WB999, Unicode 15.0), checked against the
** whole WordBreakTest.txt by spec/core/uax29_spec.lua.
**
** th_next_word is the tailoring an analyst wants: it yields only word-like
** tokens and keeps whole what UAX #29 would split but a reader sees as one
** word: hyphenated compounds and codes (e-health, face-to-face, COVID-19,
** type-2, A&E), URLs and e-mail addresses. It follows the same joining
** rules as UAX #29 inside a word (letters, digits, apostrophes, decimal
** points) but, unlike it, does not join across ':' ("P01:text" is a label
** and a word, not one word). Runs of ASCII letters and digits take a fast
** path, since they are most of the bytes of most transcripts.
*/
#include <string.h>

#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tokenize.h"
#include "utf8.h"
#include "wordbreak_table.h"

const char *const th_kind_names[] = {
  "word", "number", "url", "email", "emoji", "space", "punct", "other"
};

#define NONE (-1)   /* "no previous character": start of text */
#define WIN 64      /* bytes in a window of "words" mode's fast path */

static int wb_lookup(int32_t cp) {
  return th_wb_stage2[(size_t)th_wb_stage1[cp >> 8] * 256 + (cp & 0xFF)];
}

#define WB(v) ((v) & 0x1F)
#define IS_EXTPICT(v) (((v) & TH_WB_EXTPICT) != 0)

static int is_ahletter(int p) {
  return p == TH_WB_ALETTER || p == TH_WB_HEBREW_LETTER;
}

static int is_ignorable(int p) {  /* WB4 */
  return p == TH_WB_EXTEND || p == TH_WB_FORMAT || p == TH_WB_ZWJ;
}

static int is_newline(int p) {
  return p == TH_WB_CR || p == TH_WB_LF || p == TH_WB_NEWLINE;
}

static int is_midletterq(int p) {   /* (MidLetter | MidNumLetQ) */
  return p == TH_WB_MIDLETTER || p == TH_WB_MIDNUMLET ||
         p == TH_WB_SINGLE_QUOTE;
}

static int is_midnumq(int p) {      /* (MidNum | MidNumLetQ) */
  return p == TH_WB_MIDNUM || p == TH_WB_MIDNUMLET || p == TH_WB_SINGLE_QUOTE;
}

static void find_at(th_scanner *sc, size_t p);

void th_scanner_init(th_scanner *sc, const char *s, size_t len) {
  sc->s = (const unsigned char *)s;
  sc->len = len;
  sc->pos = 0;
  sc->bad = 0;
  sc->first_bad = (size_t)-1;
  sc->bad_upto = 0;
  /* the first '@' now: the scanner looks again only once it has passed
     at_next, so starting from 0 would never find an address that opens
     the text */
  find_at(sc, 0);
  sc->prev_raw = sc->prev = sc->prev2 = NONE;
  sc->ri_run = 0;
  sc->at_sot = 1;
  sc->w.win = (size_t)-1 - WIN;   /* pos - win = pos + WIN + 1 */
  sc->w.alnum = sc->w.letter = sc->w.high = 0;
}

/* Decodes the code point at p. Each invalid byte is counted once, however
   often look-ahead reads it. */
static int32_t decode_at(th_scanner *sc, size_t p, size_t *n) {
  int ok;
  int32_t cp = th_utf8_decode(sc->s + p, sc->len - p, n, &ok);
  if (!ok && p >= sc->bad_upto) {
    sc->bad++;
    if (sc->first_bad == (size_t)-1) sc->first_bad = p;
    sc->bad_upto = p + 1;
  }
  return cp;
}

/* Word_Break value (with the Extended_Pictographic bit) of the character
   at p; its length in *n. */
static int prop_at(th_scanner *sc, size_t p, size_t *n, int32_t *cpout) {
  int32_t cp;
  if (sc->s[p] < 0x80) {
    *n = 1;
    cp = sc->s[p];
  } else {
    cp = decode_at(sc, p, n);
  }
  if (cpout) *cpout = cp;
  return wb_lookup(cp);
}

/* The Word_Break value of the first character at or after p that WB4 does
   not absorb, or NONE at the end of the text. */
static int next_effective(th_scanner *sc, size_t p) {
  size_t n;
  while (p < sc->len) {
    int v = WB(prop_at(sc, p, &n, NULL));
    if (!is_ignorable(v)) return v;
    p += n;
  }
  return NONE;
}

/* ---------------------------------------------------------------------
** UAX #29
** ------------------------------------------------------------------ */

/* Is there a boundary before the character whose value is v (at offset p,
   length n)? The scanner's state describes the text before it. */
static int uax29_break(th_scanner *sc, int v, size_t p, size_t n) {
  int cur = WB(v), prev_raw = sc->prev_raw, prev = sc->prev;
  if (sc->at_sot) return 0;                             /* WB1: not a break inside */
  if (prev_raw == TH_WB_CR && cur == TH_WB_LF) return 0;           /* WB3 */
  if (is_newline(prev_raw)) return 1;                              /* WB3a */
  if (is_newline(cur)) return 1;                                   /* WB3b */
  if (prev_raw == TH_WB_ZWJ && IS_EXTPICT(v)) return 0;            /* WB3c */
  if (prev_raw == TH_WB_WSEGSPACE && cur == TH_WB_WSEGSPACE) return 0; /* WB3d */
  if (is_ignorable(cur)) return 0;                                 /* WB4 */
  if (is_ahletter(prev) && is_ahletter(cur)) return 0;             /* WB5 */
  if (is_ahletter(prev) && is_midletterq(cur) &&
      is_ahletter(next_effective(sc, p + n))) return 0;            /* WB6 */
  if (is_ahletter(sc->prev2) && is_midletterq(prev) && is_ahletter(cur))
    return 0;                                                      /* WB7 */
  if (prev == TH_WB_HEBREW_LETTER && cur == TH_WB_SINGLE_QUOTE) return 0; /* WB7a */
  if (prev == TH_WB_HEBREW_LETTER && cur == TH_WB_DOUBLE_QUOTE &&
      next_effective(sc, p + n) == TH_WB_HEBREW_LETTER) return 0;  /* WB7b */
  if (sc->prev2 == TH_WB_HEBREW_LETTER && prev == TH_WB_DOUBLE_QUOTE &&
      cur == TH_WB_HEBREW_LETTER) return 0;                        /* WB7c */
  if (prev == TH_WB_NUMERIC && cur == TH_WB_NUMERIC) return 0;     /* WB8 */
  if (is_ahletter(prev) && cur == TH_WB_NUMERIC) return 0;         /* WB9 */
  if (prev == TH_WB_NUMERIC && is_ahletter(cur)) return 0;         /* WB10 */
  if (sc->prev2 == TH_WB_NUMERIC && is_midnumq(prev) && cur == TH_WB_NUMERIC)
    return 0;                                                      /* WB11 */
  if (prev == TH_WB_NUMERIC && is_midnumq(cur) &&
      next_effective(sc, p + n) == TH_WB_NUMERIC) return 0;        /* WB12 */
  if (prev == TH_WB_KATAKANA && cur == TH_WB_KATAKANA) return 0;   /* WB13 */
  if ((is_ahletter(prev) || prev == TH_WB_NUMERIC || prev == TH_WB_KATAKANA ||
       prev == TH_WB_EXTENDNUMLET) && cur == TH_WB_EXTENDNUMLET)
    return 0;                                                      /* WB13a */
  if (prev == TH_WB_EXTENDNUMLET &&
      (is_ahletter(cur) || cur == TH_WB_NUMERIC || cur == TH_WB_KATAKANA))
    return 0;                                                      /* WB13b */
  if (prev == TH_WB_REGIONAL_INDICATOR && cur == TH_WB_REGIONAL_INDICATOR &&
      (sc->ri_run % 2) == 1) return 0;                             /* WB15, WB16 */
  return 1;                                                        /* WB999 */
}

/* Moves the UAX #29 state past a character of value v. */
static void uax29_advance(th_scanner *sc, int v) {
  int cur = WB(v);
  int absorbed = is_ignorable(cur) && sc->prev_raw != NONE &&
                 !is_newline(sc->prev_raw);
  if (!absorbed) {   /* WB4: X (Extend | Format | ZWJ)* behaves as X */
    sc->prev2 = sc->prev;
    sc->prev = cur;
    sc->ri_run = cur == TH_WB_REGIONAL_INDICATOR ? sc->ri_run + 1 : 0;
  }
  sc->prev_raw = cur;
  sc->at_sot = 0;
}

static int is_letter_or_number_category(int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
         (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

static int is_punct_category(int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

int th_next_segment(th_scanner *sc, size_t *start, size_t *end,
                    th_kind *kind) {
  int letters = 0, digits = 0, emoji = 0, spaces = 1, first = 1;
  int32_t first_cp = 0;
  if (sc->pos >= sc->len) return 0;
  *start = sc->pos;
  while (sc->pos < sc->len) {
    size_t n;
    int32_t cp;
    int v = prop_at(sc, sc->pos, &n, &cp);
    int cur = WB(v);
    if (!first && uax29_break(sc, v, sc->pos, n)) break;
    if (first) { first_cp = cp; emoji = IS_EXTPICT(v) || cur == TH_WB_REGIONAL_INDICATOR; }
    first = 0;
    if (is_ahletter(cur) || cur == TH_WB_KATAKANA ||
        (cur == TH_WB_OTHER && cp >= 0x80 && is_letter_or_number_category(cp)))
      letters = 1;
    else if (cur == TH_WB_NUMERIC)
      digits = 1;
    if (!(cur == TH_WB_WSEGSPACE || is_newline(cur) ||
          (cur == TH_WB_OTHER && (cp == '\t' || cp == '\v' || cp == '\f'))))
      spaces = 0;
    uax29_advance(sc, v);
    sc->pos += n;
  }
  *end = sc->pos;
  if (letters) *kind = TH_KIND_WORD;
  else if (digits) *kind = TH_KIND_NUMBER;
  else if (emoji) *kind = TH_KIND_EMOJI;
  else if (spaces) *kind = TH_KIND_SPACE;
  else if (is_punct_category(first_cp)) *kind = TH_KIND_PUNCT;
  else *kind = TH_KIND_OTHER;
  return 1;
}

/* ---------------------------------------------------------------------
** "words" mode
** ------------------------------------------------------------------ */

/* Byte classes for the fast path: ASCII letters and digits; every other
   byte (punctuation, space, and all bytes of multi-byte characters) is
   A_OTHER here and takes the general path. */
enum { A_OTHER = 0, A_LETTER = 1, A_DIGIT = 2 };
static const unsigned char ascii_class[256] = {
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 2,2,2,2,2,2,2,2,2,2,0,0,0,0,0,0,
  0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,
  0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0
};

/* ASCII characters that may join two parts of a word (WB6/7, WB11/12:
   ' . , ; : and the hyphen, ampersand and underscore of the tailoring). A
   word that reaches any other ASCII character ends there. */
static const unsigned char ascii_joiner[128] = {
  ['\''] = 1, ['.'] = 1, [','] = 1, [';'] = 1, [':'] = 1, ['-'] = 1,
  ['&'] = 1, ['_'] = 1
};

/* Eight bytes at a time. Runs of ASCII letters and digits, and the spaces
   and punctuation between them, are most of the bytes of most texts; a
   byte loop spends a load, a table lookup and a branch on each. These
   classify a word of 8 bytes with a few additions instead (bit 7 of each
   byte of the result says yes or no), after the bit hacks of Sean
   Anderson's "Bit Twiddling Hacks" (hasbetween). */
#define BYTES(c) (0x0101010101010101ULL * (uint64_t)(c))
#define HIGH BYTES(0x80)

/* Index of the first byte of x whose bit 7 is set (x != 0), in text order. */
static inline unsigned first_byte(uint64_t x) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return (unsigned)__builtin_clzll(x) >> 3;
#else
  return (unsigned)__builtin_ctzll(x) >> 3;
#endif
}

/* Which bytes of x are ASCII letters or digits (*alnum) and which are
   ASCII digits (*digit). Each byte is cut to 7 bits first, so that adding
   a constant below 128 never carries into the next byte; bytes >= 0x80
   are then left out. */
static inline void classify8(uint64_t x, uint64_t *alnum, uint64_t *digit) {
  uint64_t y = x & BYTES(0x7F), l = y | BYTES(0x20);   /* l: lower case */
  uint64_t letter = (l + BYTES(128 - 'a')) & ~(l + BYTES(127 - 'z'));
  uint64_t dig = (y + BYTES(128 - '0')) & ~(y + BYTES(127 - '9'));
  *alnum = (letter | dig) & ~x & HIGH;
  *digit = dig & ~x & HIGH;
}

/* The first byte at or after p that is an ASCII letter or digit or not
   ASCII, or len. */
static inline size_t skip_other(const unsigned char *s, size_t p, size_t len) {
  for (; p + 8 <= len; p += 8) {
    uint64_t x, alnum, digit;
    memcpy(&x, s + p, 8);
    classify8(x, &alnum, &digit);
    if ((alnum | (x & HIGH)) != 0) return p + first_byte(alnum | (x & HIGH));
  }
  while (p < len && s[p] < 0x80 && ascii_class[s[p]] == A_OTHER) p++;
  return p;
}

/* The end of the run of ASCII letters and digits at p; *letters is set if
   the run has a letter. */
static inline size_t alnum_run(const unsigned char *s, size_t p, size_t len,
                               int *letters) {
  /* Not a run at all: scan_word asks after each character that is not
     ASCII, and in Hindi or Tamil text that is every character. */
  if (p >= len || ascii_class[s[p]] == A_OTHER) return p;
  for (; p + 8 <= len; p += 8) {
    uint64_t x, alnum, digit, stop;
    memcpy(&x, s + p, 8);
    classify8(x, &alnum, &digit);
    stop = ~alnum & HIGH;
    if (stop == 0) {
      if (digit != HIGH) *letters = 1;
      continue;
    }
    /* the run ends at stop; a non-digit before it is a letter */
    if (first_byte(~digit & HIGH) < first_byte(stop)) *letters = 1;
    return p + first_byte(stop);
  }
  for (; p < len && ascii_class[s[p]] != A_OTHER; p++)
    if (ascii_class[s[p]] == A_LETTER) *letters = 1;
  return p;
}

/* What the last joined character of a word was. */
enum { L_LETTER, L_NUMBER, L_KATAKANA, L_EXTNUM };

static int lower_ascii(int c) {
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int starts_with_ci(const unsigned char *s, size_t len, const char *lit) {
  size_t i;
  for (i = 0; lit[i]; i++)
    if (i >= len || lower_ascii(s[i]) != lit[i]) return 0;
  return 1;
}

static int url_char(int c) {
  return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '"' &&
         c != '`' && c != '{' && c != '}' && c != '|' && c != '\\' && c != '^';
}

/* A URL starting at p (http://, https:// or www.); returns its end or 0. */
static size_t match_url(const th_scanner *sc, size_t p) {
  const unsigned char *s = sc->s;
  size_t e, len = sc->len, body, opens = 0, closes = 0, i;
  if (starts_with_ci(s + p, len - p, "https://")) body = p + 8;
  else if (starts_with_ci(s + p, len - p, "http://")) body = p + 7;
  else if (starts_with_ci(s + p, len - p, "www.")) body = p + 4;
  else return 0;
  if (body >= len || s[body] >= 0x80 || ascii_class[s[body]] == A_OTHER)
    return 0;
  for (e = body; e < len && url_char(s[e]); e++) {}
  for (i = p; i < e; i++) {
    if (s[i] == '(') opens++;
    else if (s[i] == ')') closes++;
  }
  /* Sentence punctuation after a URL is not part of it. */
  while (e > body) {
    int c = s[e - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
        c == '?' || c == '\'' || c == ']') { e--; continue; }
    if (c == ')' && closes > opens) { e--; closes--; continue; }
    break;
  }
  return e;
}

static int email_local_char(int c) {
  return c < 0x80 && (ascii_class[c] != A_OTHER || c == '.' || c == '_' ||
                      c == '%' || c == '+' || c == '-');
}

/* How far find_at looks: a text with no '@' for megabytes is not read
   from end to end ahead of the scanner (that is a pass through memory of
   its own), only a few kilobytes at a time, which the scanner reads next. */
#define AT_LOOK 4096

/* Finds the next '@' at or after p, and where the run of local-part bytes
   before it starts. When there is none in the next AT_LOOK bytes, it says
   where to look again instead: no token starting before then can reach
   an '@' (an address's local part has at most 64 bytes). */
static void find_at(th_scanner *sc, size_t p) {
  size_t lim = sc->len - p > AT_LOOK ? p + AT_LOOK : sc->len, at, b;
  const void *q = memchr(sc->s + p, '@', lim - p);
  if (q == NULL && lim < sc->len) {
    sc->at_next = lim - 65;   /* >= p: AT_LOOK > 65 */
    sc->at_local = lim - 64;  /* > at_next: no address is tried */
    sc->at_safe = lim - 64;
    return;
  }
  at = q ? (size_t)((const unsigned char *)q - sc->s) : sc->len;
  b = at;
  while (b > 0 && at - b < 65 && email_local_char(sc->s[b - 1])) b--;
  sc->at_next = at;
  sc->at_local = b;
  sc->at_safe = at + 1 < b ? at + 1 : b;
}

/* An e-mail address starting at p; returns its end or 0. */
static size_t match_email(th_scanner *sc, size_t p) {
  const unsigned char *s = sc->s;
  size_t at, e, len = sc->len, last_dot = 0;
  if (sc->at_next < p) find_at(sc, p);
  at = sc->at_next;
  if (at >= len || at == p || at - p > 64) return 0;
  for (e = p; e < at; e++)
    if (!email_local_char(s[e])) return 0;
  for (e = at + 1; e < len && s[e] < 0x80 &&
                   (ascii_class[s[e]] != A_OTHER || s[e] == '-' || s[e] == '.');
       e++) {}
  while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) e--;
  for (last_dot = e; last_dot > at + 1 && s[last_dot - 1] != '.'; last_dot--) {}
  if (last_dot <= at + 2 || e - last_dot < 2) return 0;   /* needs x.yy */
  for (size_t i = last_dot; i < e; i++)
    if (ascii_class[s[i]] != A_LETTER) return 0;
  return e;
}

static int is_hyphen_joiner(int32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == '&';
}

/* Consumes an emoji sequence at sc->pos: an Extended_Pictographic
   character with its modifiers and ZWJ continuations, or a pair of
   regional indicators (a flag). */
static void scan_emoji(th_scanner *sc, int v) {
  size_t n;
  int32_t cp;
  prop_at(sc, sc->pos, &n, &cp);
  sc->pos += n;
  if (WB(v) == TH_WB_REGIONAL_INDICATOR) {
    if (sc->pos < sc->len &&
        WB(prop_at(sc, sc->pos, &n, NULL)) == TH_WB_REGIONAL_INDICATOR)
      sc->pos += n;
    return;
  }
  while (sc->pos < sc->len) {
    int w = prop_at(sc, sc->pos, &n, NULL);
    if (WB(w) == TH_WB_ZWJ) {
      size_t n2;
      if (sc->pos + n < sc->len &&
          IS_EXTPICT(prop_at(sc, sc->pos + n, &n2, NULL))) {
        sc->pos += n + n2;
        continue;
      }
      sc->pos += n;
      break;
    }
    if (!is_ignorable(WB(w))) break;
    sc->pos += n;
  }
}

/* Consumes the rest of a word whose first character (class `last`) ends at
   sc->pos. Returns 1 if it holds a letter. */
static inline __attribute__((always_inline)) int scan_word(th_scanner *sc, int last, int letters) {
  const unsigned char *s = sc->s;
  size_t len = sc->len;
  for (;;) {
    size_t n, n2;
    int32_t cp;
    int v, cur, next;
    /* Fast path: ASCII letters and digits join each other (WB5, WB8-10). */
    if (last != L_KATAKANA) {
      size_t p = alnum_run(s, sc->pos, len, &letters);
      if (p > sc->pos) {
        last = ascii_class[s[p - 1]] == A_LETTER ? L_LETTER : L_NUMBER;
        sc->pos = p;
      }
    }
    if (sc->pos >= len) break;
    /* Most words end at a space or a punctuation mark that joins nothing. */
    if (s[sc->pos] < 0x80 && !ascii_joiner[s[sc->pos]]) break;
    /* An ASCII joiner between a letter or digit and an ASCII character:
       the rules below, decided from the two bytes (no ASCII character is
       ignorable under WB4, so the next byte is the next character). */
    if (s[sc->pos] < 0x80 && s[sc->pos] != '_' && sc->pos + 1 < len &&
        s[sc->pos + 1] < 0x80 && (last == L_LETTER || last == L_NUMBER)) {
      int c = s[sc->pos], after = ascii_class[s[sc->pos + 1]], join;
      if (c == '.' || c == '\'')                         /* WB6/7, WB11/12 */
        join = (last == L_LETTER && after == A_LETTER) ||
               (last == L_NUMBER && after == A_DIGIT);
      else if (c == ',' || c == ';')                     /* WB11/12 */
        join = last == L_NUMBER && after == A_DIGIT;
      else if (c == '-' || c == '&')                     /* tailoring */
        join = after != A_OTHER;
      else                                               /* ':' */
        join = 0;
      if (!join) break;
      sc->pos++;
      continue;
    }
    v = prop_at(sc, sc->pos, &n, &cp);
    cur = WB(v);
    if (is_ignorable(cur)) { sc->pos += n; continue; }          /* WB4 */
    if (is_ahletter(cur) &&
        (last == L_LETTER || last == L_NUMBER || last == L_EXTNUM)) {
      last = L_LETTER; letters = 1; sc->pos += n; continue;
    }
    if (cur == TH_WB_NUMERIC &&
        (last == L_LETTER || last == L_NUMBER || last == L_EXTNUM)) {
      last = L_NUMBER; sc->pos += n; continue;
    }
    if (cur == TH_WB_KATAKANA && (last == L_KATAKANA || last == L_EXTNUM)) {
      last = L_KATAKANA; letters = 1; sc->pos += n; continue;
    }
    if (cur == TH_WB_EXTENDNUMLET) {
      last = L_EXTNUM; sc->pos += n; continue;
    }
    /* Joiners need a word character after them (WB6/7, WB11/12, and the
       hyphen and ampersand tailoring). */
    if (!(is_midletterq(cur) || is_midnumq(cur) || is_hyphen_joiner(cp)))
      break;
    if (cp == ':' || cp == 0xFF1A || cp == 0xFE55 || cp == 0xFE13) break;
    next = next_effective(sc, sc->pos + n);
    n2 = n;
    if (last == L_LETTER && is_midletterq(cur) && is_ahletter(next)) {
      sc->pos += n2; continue;
    }
    if (last == L_NUMBER && is_midnumq(cur) && next == TH_WB_NUMERIC) {
      sc->pos += n2; continue;
    }
    if (is_hyphen_joiner(cp) && (last == L_LETTER || last == L_NUMBER) &&
        (is_ahletter(next) || next == TH_WB_NUMERIC)) {
      sc->pos += n2; continue;
    }
    break;
  }
  return letters;
}

/* The fast path of "words" mode, for the common token: a run of ASCII
   letters and digits with only ASCII spaces and punctuation before it,
   ended by an ASCII byte that joins nothing (a space, most punctuation).
   The scanner classifies 64 bytes at a time into bit masks (a window), so
   that finding a token's start and end is a count of trailing zeros, not
   a loop with a branch per byte or per 8 bytes. A window is made only
   where the text has at least one byte after it, so that the fast path
   may read the byte after any byte of the window (s[p + 1], s[e + 1])
   without a test. */

/* The window's masks for s[p..p+64). Inline: th_next_words keeps the
   window in registers. */
static inline __attribute__((always_inline)) void classify_window(
    th_window *w, const unsigned char *text, size_t p) {
  const unsigned char *s = text + p;
  uint64_t alnum = 0, letter = 0, high = 0;
  unsigned k;
#if defined(__SSE2__)
  /* One signed compare per class: adding 128 - 'a' moves 'a'..'z' to
     -128..-103 and every other byte above that (the case bit set first
     leaves bit 7, so bytes >= 0x80 stay out); the same for the digits. */
  const __m128i case_bit = _mm_set1_epi8(0x20),
                to_a = _mm_set1_epi8((char)(128 - 'a')),
                to_0 = _mm_set1_epi8((char)(128 - '0')),
                below_z = _mm_set1_epi8((char)(-128 + 26)),
                below_9 = _mm_set1_epi8((char)(-128 + 10));
  for (k = 0; k < WIN; k += 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
    __m128i let = _mm_cmplt_epi8(
        _mm_add_epi8(_mm_or_si128(x, case_bit), to_a), below_z);
    __m128i dig = _mm_cmplt_epi8(_mm_add_epi8(x, to_0), below_9);
    alnum |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(let, dig))
             << k;
    letter |= (uint64_t)(unsigned)_mm_movemask_epi8(let) << k;
    high |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << k;
  }
#else
  /* classify8 on each 8 bytes; bit 7 of each byte gathered into 8 bits
     with one multiply. */
  for (k = 0; k < WIN; k += 8) {
    uint64_t x, a, d;
    memcpy(&x, s + k, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);   /* byte i of the text in bits 8i..8i+7 */
#endif
    classify8(x, &a, &d);
    alnum |= ((a * 0x0002040810204081ULL) >> 56) << k;
    letter |= (((a & ~d) * 0x0002040810204081ULL) >> 56) << k;
    high |= (((x & HIGH) * 0x0002040810204081ULL) >> 56) << k;
  }
#endif
  w->win = p;
  w->alnum = alnum;
  w->letter = letter;
  w->high = high;
}

/* What the fast path does with the ASCII byte that ends a run of letters
   and digits: ends the token there (E_END), looks at the byte after it
   (E_JOIN: ' . , ; : - &), or leaves the token to scan_word's general
   rules (E_GENERAL: the underscore, which joins as ExtendNumLet, and every
   byte >= 0x80). */
enum { E_END = 0, E_JOIN = 1, E_GENERAL = 2 };
static const unsigned char run_end[256] = {
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  0,0,0,0,0,0,1,1,0,0,0,0,1,1,1,0, 0,0,0,0,0,0,0,0,0,0,1,1,0,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
  2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
  2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
  2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2
};

/* scan_word, not inlined: fast_word's way out for the rare word that goes
   on with a character that is not ASCII. */
static __attribute__((noinline)) int finish_word(th_scanner *sc, int last,
                                                 int letters) {
  return scan_word(sc, last, letters);
}

/* Returns 1 with the next token in *tok if it is a common one (same
   token, kind and scanner state as the general path below would give),
   and *pos_io at its end; or 0 with *pos_io moved at most past ASCII
   bytes the general path skips anyway. s and len are sc->s and sc->len,
   w the window (sc->w, or a copy of it in registers): in th_next_words
   they stay in registers from one token to the next. sc->pos is not read
   or written but by finish_word.
   Below, "from" is the mask of the window's bytes at or after pos, "lb"
   the token's first byte as a mask, "stop" the bytes after the token's
   start that are not ASCII letters or digits. */
static inline __attribute__((always_inline)) int fast_word(
    th_scanner *sc, const unsigned char *s, size_t len, th_window *w,
    size_t *pos_io, th_span *tok) {
  size_t pos = *pos_io;
  for (;;) {
    uint64_t from, sm, lb, stop;
    size_t off = pos - w->win, p, e = 0;
    unsigned c, ends = E_END;
    int general, letters;
    /* (before the first window, win is far past any position) */
    if (off >= WIN) {
      uint64_t x;
      if (len - pos <= WIN) break;   /* the end of the text: general path */
      /* Not ASCII within 8 bytes (a text in Hindi or Tamil, after a word
         the general path read): no window for the general path to use. */
      memcpy(&x, s + pos, 8);
      if (x & HIGH) break;
      classify_window(w, s, pos);
      off = 0;
    }
    from = ~0ULL << off;
    sm = w->alnum & from;
    if (sm == 0) {   /* no word starts in the rest of the window */
      if (w->high & from) break;
      pos = w->win + WIN;
      continue;
    }
    lb = sm & -sm;
    if (w->high & from & (lb - 1)) break;   /* a non-ASCII byte before it */
    p = w->win + (unsigned)__builtin_ctzll(sm);
    /* maybe a URL: "ht", "ww" */
    c = ((unsigned)s[p] | (unsigned)s[p + 1] << 8) | 0x2020;
    if (c == ('h' | 't' << 8) || c == ('w' | 'w' << 8)) {
      pos = p;
      break;
    }
    /* maybe an e-mail address (find_at keeps at_safe) */
    if (p >= sc->at_safe) {
      if (sc->at_next < p) find_at(sc, p);
      if (p >= sc->at_local && sc->at_next < len && sc->at_next - p <= 64) {
        pos = p;
        break;
      }
    }
    /* Runs of letters and digits joined by ASCII joiners between two
       ASCII letters or digits (scan_word's ASCII rules) */
    stop = ~w->alnum & -lb;
    for (;;) {
      unsigned after;
      int join, lastnum;
      if (stop == 0) break;   /* to the window's end */
      e = w->win + (unsigned)__builtin_ctzll(stop);
      c = s[e];
      if ((ends = run_end[c]) != E_JOIN) break;
      /* e + 1 < len: e is in the window */
      if (s[e + 1] >= 0x80) { ends = E_GENERAL; break; }
      after = ascii_class[s[e + 1]];
      if (after == A_OTHER) { ends = E_END; break; }   /* joins nothing */
      lastnum = !((w->letter >> (e - 1 - w->win)) & 1);
      if (c == '.' || c == '\'')                    /* WB6/7, WB11/12 */
        join = lastnum ? after == A_DIGIT : after == A_LETTER;
      else if (c == ',' || c == ';')                /* WB11/12 */
        join = lastnum && after == A_DIGIT;
      else                                          /* '-', '&'; not ':' */
        join = c != ':';
      if (!join) { ends = E_END; break; }
      stop &= stop - 1;   /* the joiner; the next run follows it */
    }
    if (stop == 0) {   /* classify from the token's start and try again */
      if (p == w->win || len - p <= WIN) { pos = p; break; }
      pos = p;
      classify_window(w, s, pos);
      continue;
    }
    general = ends == E_GENERAL;
    /* a letter among the token's bytes (the bits from lb up to e)? */
    letters = (w->letter & -lb & ((1ULL << (e - w->win)) - 1)) != 0;
    tok->start = p;
    tok->end = *pos_io = e;
    tok->kind = letters ? TH_KIND_WORD : TH_KIND_NUMBER;
    if (general) {
      /* The word goes on with a character that is not ASCII, or an
         underscore: scan_word's general rules from there, as the general
         path would go on after reading the same bytes. */
      sc->pos = e;
      letters = finish_word(sc, (w->letter >> (e - 1 - w->win)) & 1
                                    ? L_LETTER : L_NUMBER, letters);
      tok->end = *pos_io = sc->pos;
      tok->kind = letters ? TH_KIND_WORD : TH_KIND_NUMBER;
    }
    return 1;
  }
  *pos_io = pos;
  return 0;
}

/* Everything else: URLs, e-mail addresses, words with characters that
   are not ASCII, emoji, the end of the text. Kept out of th_next_word, so
   that the fast path needs few registers. */
static __attribute__((noinline)) int next_word_general(th_scanner *sc,
    size_t *start, size_t *end, th_kind *kind) {
  const unsigned char *s = sc->s;
  size_t len = sc->len;
  while (sc->pos < len) {
    size_t p = sc->pos, n, e;
    int c;
    p = skip_other(s, p, len);   /* spaces and punctuation */
    sc->pos = p;
    if (p >= len) break;
    c = s[p];
    if (c < 0x80) {
      int cls = ascii_class[c];
      *start = p;
      /* URLs and e-mail addresses are rare: cheap tests first ("ht", "ww";
         an '@' within 64 bytes) before the real matchers. */
      if (((c | 0x20) == 'h' && p + 1 < len && (s[p + 1] | 0x20) == 't') ||
          ((c | 0x20) == 'w' && p + 1 < len && (s[p + 1] | 0x20) == 'w')) {
        if ((e = match_url(sc, p)) != 0) {
          sc->pos = *end = e; *kind = TH_KIND_URL; return 1;
        }
      }
      if (sc->at_next < p) find_at(sc, p);
      /* only a token that reaches the next '@' through local-part bytes
         can start an address */
      if (p >= sc->at_local && sc->at_next < len && sc->at_next - p <= 64 &&
          (e = match_email(sc, p)) != 0) {
        sc->pos = *end = e; *kind = TH_KIND_EMAIL; return 1;
      }
      sc->pos = p + 1;
      *kind = scan_word(sc, cls == A_LETTER ? L_LETTER : L_NUMBER,
                        cls == A_LETTER) ? TH_KIND_WORD : TH_KIND_NUMBER;
      *end = sc->pos;
      return 1;
    } else {
      int32_t cp;
      int v = prop_at(sc, p, &n, &cp);
      int cur = WB(v);
      *start = p;
      if (IS_EXTPICT(v) || cur == TH_WB_REGIONAL_INDICATOR) {
        scan_emoji(sc, v);
        *end = sc->pos; *kind = TH_KIND_EMOJI; return 1;
      }
      sc->pos = p + n;
      if (is_ahletter(cur) || cur == TH_WB_NUMERIC || cur == TH_WB_KATAKANA) {
        int last = cur == TH_WB_NUMERIC ? L_NUMBER
                 : cur == TH_WB_KATAKANA ? L_KATAKANA : L_LETTER;
        *kind = scan_word(sc, last, last != L_NUMBER) ? TH_KIND_WORD
                                                       : TH_KIND_NUMBER;
        *end = sc->pos;
        return 1;
      }
      if (cur == TH_WB_OTHER && is_letter_or_number_category(cp)) {
        /* Ideographs, kana, Thai …: one character each, as UAX #29 does,
           with their combining marks. */
        while (sc->pos < len && is_ignorable(WB(prop_at(sc, sc->pos, &n, NULL))))
          sc->pos += n;
        *end = sc->pos; *kind = TH_KIND_WORD; return 1;
      }
    }
  }
  return 0;
}

int th_next_word(th_scanner *sc, size_t *start, size_t *end, th_kind *kind) {
  th_span t;
  size_t pos = sc->pos;
  int found = fast_word(sc, sc->s, sc->len, &sc->w, &pos, &t);
  sc->pos = pos;
  if (!found) return next_word_general(sc, start, end, kind);
  *start = t.start;
  *end = t.end;
  *kind = t.kind;
  return 1;
}

/* The window and the position stay in registers for the whole batch; the
   general path, rare, gets them through the scanner. */
size_t th_next_words(th_scanner *sc, th_span *out, size_t max) {
  const unsigned char *s = sc->s;
  size_t len = sc->len, pos = sc->pos, n;
  th_window w = sc->w;
  for (n = 0; n < max; n++) {
    int more;
    if (fast_word(sc, s, len, &w, &pos, &out[n])) continue;
    sc->pos = pos;
    more = next_word_general(sc, &out[n].start, &out[n].end, &out[n].kind);
    pos = sc->pos;
    if (!more) break;
  }
  sc->pos = pos;
  sc->w = w;
  return n;
}
