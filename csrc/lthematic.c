/*
** thematic.core: the binding of the hot path. Its luaL_Reg, metatables
** and argument checks are here; the engine files (tokenize, normalize,
** lexicon, matcher, tally, totals, transcript) know nothing of Lua. Zip
** files have their own small binding, lzip.c (thematic.zip), so that
** loading the core does not load libzip and libcrypto.
**
** Memory: engine structures live inside userdata ("boxes") whose __gc and
** __close free them, and allocate through the state's allocator. A box is
** created closed, then filled, so an error at any point leaves something
** the collector can finalise; nothing is leaked when a call raises.
*/
#define _XOPEN_SOURCE 700   /* realpath(3), O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <libstemmer.h>

#include "lexicon.h"
#include "matcher.h"
#include "system.h"
#include "tally.h"
#include "th_lua.h"
#include "tokenize.h"
#include "totals.h"
#include "transcript.h"
#include "utf8.h"

#define THEMATIC_VERSION "0.1.0"

#define MATCHER_MT "thematic.matcher"
#define LEXBOX_MT "thematic.lexicon"
#define NORMBOX_MT "thematic.normalizer"

#define DEFAULT_LANGUAGE "english"
#define MAX_PHRASE 64


/* Raises for an engine status (memory errors become Lua memory errors). */
static int raise_status(lua_State *L, int st) {
  if (st == TH_ETOOBIG) return luaL_error(L, "input too large");
  lua_pushliteral(L, "not enough memory");
  return lua_error(L);
}

static int opt_bool(lua_State *L, int idx, const char *field, int def) {
  int v = def;
  if (lua_istable(L, idx)) {
    if (lua_getfield(L, idx, field) != LUA_TNIL) v = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  return v;
}

static const char *opt_string(lua_State *L, int idx, const char *field,
                              const char *def) {
  const char *v = def;
  if (lua_istable(L, idx)) {
    if (lua_getfield(L, idx, field) != LUA_TNIL) {
      if (!lua_isstring(L, -1))
        luaL_error(L, "option '%s' must be a string", field);
      v = lua_tostring(L, -1);   /* stays alive: the options table holds it */
    }
    lua_pop(L, 1);
  }
  return v;
}

/* Language argument: a name or ISO code; raises with the list if unknown. */
static const char *check_language(lua_State *L, int arg) {
  const char *name = luaL_optstring(L, arg, DEFAULT_LANGUAGE);
  const char *canon = th_language_name(name);
  if (canon == NULL) {
    const char **list = sb_stemmer_list();
    luaL_Buffer b;
    int i;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "unknown language '%s'; available: ", name);
    luaL_addvalue(&b);
    for (i = 0; list[i]; i++) {
      if (i) luaL_addstring(&b, ", ");
      luaL_addstring(&b, list[i]);
    }
    luaL_pushresult(&b);
    return luaL_argerror(L, arg, lua_tostring(L, -1)), NULL;
  }
  return canon;
}

/* ---------------------------------------------------------------------
** Boxes
** ------------------------------------------------------------------ */

/* A row of stem_counts' result: its stem, in the lexicon's strings, and
   its tokens. Kept apart from the forms, so that making the Lua table
   reads the stems in the order they were made instead of a form here and
   there. */
typedef struct stem_row {
  uint32_t off, len;
  lua_Integer tokens;
} stem_row;

typedef struct lexbox {
  th_lexicon lx;
  th_strmap stop;     /* stop words, normalised */
  th_strmap stems;    /* stem -> row of the result (stem_counts) */
  stem_row *rows;     /* the result's rows (stem_counts) */
  size_t caprows;
  int live;
} lexbox;

static void lexbox_free(lexbox *b) {
  th_alloc a = b->lx.alloc;
  th_lexicon_free(&b->lx);
  th_strmap_free(&b->stop);
  th_strmap_free(&b->stems);
  th_free(&a, b->rows, b->caprows * sizeof(stem_row));
  b->rows = NULL;
  b->caprows = 0;
  b->live = 0;
}

static int lexbox_gc(lua_State *L) {
  lexbox *b = (lexbox *)luaL_checkudata(L, 1, LEXBOX_MT);
  if (b->live) lexbox_free(b);
  return 0;
}

static lexbox *new_lexbox(lua_State *L, const char *language) {
  lexbox *b = (lexbox *)lua_newuserdatauv(L, sizeof(lexbox), 0);
  int st;
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, LEXBOX_MT);
  st = th_lexicon_init(&b->lx, th_lua_alloc(L), language);
  th_strmap_init(&b->stop, th_lua_alloc(L));
  th_strmap_init(&b->stems, th_lua_alloc(L));
  b->live = 1;
  if (st == TH_ESTEMMER) luaL_error(L, "libstemmer has no stemmer for '%s'", language);
  if (st != TH_OK) raise_status(L, st);
  return b;
}

typedef struct normbox {
  th_normalizer nz;
  th_buf out;
  int live;
} normbox;

static int normbox_gc(lua_State *L) {
  normbox *b = (normbox *)luaL_checkudata(L, 1, NORMBOX_MT);
  if (b->live) {
    th_buf_free(&b->nz.alloc, &b->out);
    th_normalizer_free(&b->nz);
    b->live = 0;
  }
  return 0;
}

/* ---------------------------------------------------------------------
** Text functions
** ------------------------------------------------------------------ */

static void push_token(lua_State *L, const char *s, size_t start, size_t end,
                       th_kind kind) {
  lua_createtable(L, 0, 4);
  lua_pushlstring(L, s + start, end - start);
  lua_setfield(L, -2, "text");
  lua_pushinteger(L, (lua_Integer)start + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)end);
  lua_setfield(L, -2, "stop");
  lua_pushstring(L, th_kind_names[kind]);
  lua_setfield(L, -2, "kind");
}

/*
** tokens(text [, opts]) -> array of {text, start, stop, kind}, bad_bytes
** opts.mode = "words" (default) | "uax29"; opts.strict = true fails with
** nil, message, offset at the first invalid byte.
*/
static int l_tokens(lua_State *L) {
  size_t len, start, end;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *mode = opt_string(L, 2, "mode", "words");
  int strict = opt_bool(L, 2, "strict", 0), uax29;
  th_scanner sc;
  th_kind kind;
  lua_Integer n = 0;
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  if (strcmp(mode, "words") == 0) uax29 = 0;
  else if (strcmp(mode, "uax29") == 0) uax29 = 1;
  else return luaL_argerror(L, 2, lua_pushfstring(L,
           "unknown mode '%s' (expected 'words' or 'uax29')", mode));
  th_scanner_init(&sc, s, len);
  lua_newtable(L);
  while (uax29 ? th_next_segment(&sc, &start, &end, &kind)
               : th_next_word(&sc, &start, &end, &kind)) {
    if (strict && sc.bad) break;
    push_token(L, s, start, end, kind);
    lua_rawseti(L, -2, ++n);
  }
  if (strict && sc.bad) {
    luaL_pushfail(L);
    lua_pushfstring(L, "invalid UTF-8 at byte %I", (lua_Integer)sc.first_bad + 1);
    lua_pushinteger(L, (lua_Integer)sc.first_bad + 1);
    return 3;
  }
  lua_pushinteger(L, (lua_Integer)sc.bad);
  return 2;
}

/*
** normalize(text [, opts]) -> string
** NFKC + full case folding; opts.strip_accents removes combining marks.
*/
static int l_normalize(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int strip = opt_bool(L, 2, "strip_accents", 0), st;
  normbox *b = (normbox *)lua_newuserdatauv(L, sizeof(normbox), 0);
  b->live = 0;
  luaL_setmetatable(L, NORMBOX_MT);
  th_normalizer_init(&b->nz, th_lua_alloc(L), strip);
  memset(&b->out, 0, sizeof b->out);
  b->live = 1;
  if ((st = th_normalize(&b->nz, s, len, &b->out)) != TH_OK)
    return raise_status(L, st);
  lua_pushlstring(L, b->out.data ? b->out.data : "", b->out.len);
  /* Free now; the box stays valid (closed) for the collector. */
  th_buf_free(&b->nz.alloc, &b->out);
  th_normalizer_free(&b->nz);
  b->live = 0;
  return 1;
}

/*
** stem(word_or_array [, lang]) -> stem or array of stems
*/
static int l_stem(lua_State *L) {
  const char *lang;
  lexbox *b;
  int st;
  luaL_argexpected(L, lua_type(L, 1) == LUA_TSTRING || lua_istable(L, 1), 1,
                   "string or array of strings");
  lang = check_language(L, 2);
  b = new_lexbox(L, lang);
  if (lua_type(L, 1) == LUA_TSTRING) {
    size_t len;
    const char *w = lua_tolstring(L, 1, &len);
    st = th_lexicon_stem_word(&b->lx, w, len, &b->lx.strings);
    if (st != TH_OK) return raise_status(L, st);
    lua_pushlstring(L, b->lx.strings.data ? b->lx.strings.data : "", b->lx.strings.len);
  } else {
    lua_Integer i, n = luaL_len(L, 1);
    lua_createtable(L, (int)(n > 0 && n < 1 << 24 ? n : 0), 0);
    for (i = 1; i <= n; i++) {
      size_t len;
      const char *w;
      if (lua_geti(L, 1, i) != LUA_TSTRING) {
        lua_pushfstring(L, "item %I is a %s, not a string", i, luaL_typename(L, -1));
        return luaL_argerror(L, 1, lua_tostring(L, -1));
      }
      w = lua_tolstring(L, -1, &len);
      b->lx.strings.len = 0;
      st = th_lexicon_stem_word(&b->lx, w, len, &b->lx.strings);
      if (st != TH_OK) return raise_status(L, st);
      lua_pop(L, 1);
      lua_pushlstring(L, b->lx.strings.data ? b->lx.strings.data : "", b->lx.strings.len);
      lua_rawseti(L, -2, i);
    }
  }
  return 1;
}

/* languages() -> array of libstemmer's language names */
static int l_languages(lua_State *L) {
  const char **list = sb_stemmer_list();
  int i;
  lua_newtable(L);
  for (i = 0; list[i]; i++) {
    lua_pushstring(L, list[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* language_name(name_or_code) -> canonical name (raises if unknown) */
static int l_language_name(lua_State *L) {
  lua_pushstring(L, check_language(L, 1));
  return 1;
}

/* f..t (1-based, inclusive, as string.sub takes them) clamped to a text of
   len bytes, as [*from, *to). */
static void clamp_range(lua_Integer f, lua_Integer t, size_t len, size_t *from,
                        size_t *to) {
  if (f < 1) f = 1;
  if (f > (lua_Integer)len + 1) f = (lua_Integer)len + 1;   /* s + from stays in bounds */
  if (t > (lua_Integer)len) t = (lua_Integer)len;
  if (t < f - 1) t = f - 1;
  *from = (size_t)f - 1;
  *to = (size_t)t;
}

/* Reads opts.from, opts.to (1-based, inclusive) into [*from, *to). */
static void check_range(lua_State *L, int opts, size_t len, size_t *from,
                        size_t *to) {
  lua_Integer f = 1, t = (lua_Integer)len;
  if (lua_istable(L, opts)) {
    if (lua_getfield(L, opts, "from") != LUA_TNIL) f = luaL_checkinteger(L, -1);
    if (lua_getfield(L, opts, "to") != LUA_TNIL) t = luaL_checkinteger(L, -1);
    lua_pop(L, 2);
  }
  clamp_range(f, t, len, from, to);
}

/* Reads the n pairs {s1, e1, s2, e2, ...} (1-based, inclusive, increasing)
   of the array at idx into r[0 .. n); messages name argument arg and call
   the ranges what. */
static void read_ranges(lua_State *L, int idx, lua_Integer n, th_range *r,
                        int arg, const char *what) {
  lua_Integer i;
  idx = lua_absindex(L, idx);
  for (i = 0; i < n; i++) {
    lua_Integer a, b;
    lua_geti(L, idx, 2 * i + 1);
    lua_geti(L, idx, 2 * i + 2);
    a = luaL_checkinteger(L, -2);
    b = luaL_checkinteger(L, -1);
    lua_pop(L, 2);
    if (a < 1 || b < a - 1 || (i > 0 && (size_t)a - 1 < r[i - 1].end)) {
      lua_pushfstring(L, "%s must be increasing and not overlap", what);
      luaL_argerror(L, arg, lua_tostring(L, -1));
    }
    r[i].start = (size_t)a - 1;
    r[i].end = (size_t)b;
  }
}

/* Reads opts.skip = {s1, e1, s2, e2, ...} (1-based, inclusive, sorted) into
   a userdata array left on the stack. */
static th_range *check_skip(lua_State *L, int opts, size_t *n) {
  th_range *r;
  lua_Integer len;
  *n = 0;
  if (!lua_istable(L, opts) || lua_getfield(L, opts, "skip") == LUA_TNIL) {
    if (lua_istable(L, opts)) lua_pop(L, 1);
    lua_newuserdatauv(L, 0, 0);
    return NULL;
  }
  luaL_argexpected(L, lua_istable(L, -1), opts, "skip as an array of byte offsets");
  len = luaL_len(L, -1);
  if (len % 2) luaL_argerror(L, opts, "skip needs pairs of offsets (start, stop)");
  r = (th_range *)lua_newuserdatauv(L, (size_t)(len / 2) * sizeof(th_range), 0);
  read_ranges(L, -2, len / 2, r, opts, "skip ranges");
  lua_remove(L, -2);
  *n = (size_t)(len / 2);
  return r;
}

/* A token of stem_counts waiting for its form. */
typedef struct pending {
  size_t start, len;
  uint64_t hash;
} pending;

#define PENDING 16      /* cache misses in flight: fewer measured slower */
#define TOKEN_BATCH 64  /* tokens from the scanner per call */

/* Counts the token p, making its form (and its stop-word flag) on first
   sight. */
static int count_form(lexbox *b, const char *s, const pending *p) {
  int created = 0;
  long fi = th_lexicon_count_slow(&b->lx, s + p->start, p->len, p->hash,
                                  TH_KIND_WORD, &created);
  if (fi < 0) return TH_ENOMEM;
  if (created && b->stop.count) {
    th_form *f = &b->lx.forms[fi];
    const char *nm = th_form_norm(&b->lx, f);
    if (th_strmap_get(&b->stop, nm, f->norm_len, th_hash(nm, f->norm_len)))
      f->flags |= TH_FORM_STOP;
  }
  return TH_OK;
}

/* A word of a batch, between the two passes of count_words. */
typedef struct batch_word {
  th_key key;         /* words of up to TH_KEY_MAX bytes */
  uint64_t hash;
  size_t start, len;
} batch_word;

/* Counts the words of s[0..len) by form into b->lx.counts; *words gets
   their number. Words that start inside one of the nskip ranges of skip
   (offsets into the text s begins off bytes into: transcription marks)
   are not counted. A word the front cache has costs a hash and one cache
   line. The others wait in a ring while their table slots are fetched
   (th_lexicon_prefetch) and the scanner moves on; they are looked up in
   the order they came, so forms are made in text order. */
static inline __attribute__((always_inline))
int count_words(lexbox *b, const char *s, size_t len, const th_range *skip,
                size_t nskip, size_t off, lua_Integer *words) {
  th_scanner sc;
  pending pend[PENDING];
  size_t head = 0, npend = 0, ntoks, k = 0;
  th_span toks[TOKEN_BATCH];
  batch_word bw[TOKEN_BATCH];
  lua_Integer nw = 0;
  th_scanner_init(&sc, s, len);
  do {
    size_t t, nb = 0;
    ntoks = th_next_words(&sc, toks, TOKEN_BATCH);
    /* First the words of the batch with their keys and hashes, each front
       cache set fetched as soon as it is known, then the lookups, which
       then mostly find their sets in the processor's first-level cache. */
    for (t = 0; t < ntoks; t++) {
      size_t start = toks[t].start, n = toks[t].end - start;
      batch_word *w = &bw[nb];
      if (toks[t].kind != TH_KIND_WORD) continue;
      if (nskip && th_in_ranges(skip, nskip, &k, start + off)) continue;
      nb++;
      w->start = start;
      w->len = n;
      if (n <= TH_KEY_MAX) {
        /* most words: no loop over their bytes when 16 can be read */
        w->key = len - start >= TH_KEY_MAX ? th_key_of16(s + start, n)
                                           : th_key_of(s + start, n);
        w->hash = th_hash_key(w->key, n);
        th_lexicon_front_prefetch(&b->lx, w->hash);
      } else {
        w->hash = th_hash(s + start, n);
      }
    }
    nw += (lua_Integer)nb;
    for (t = 0; t < nb; t++) {
      const batch_word *w = &bw[t];
      if (w->len <= TH_KEY_MAX &&
          th_lexicon_count_front(&b->lx, w->key, w->len, w->hash))
        continue;
      th_lexicon_prefetch(&b->lx, w->hash);
      if (npend == PENDING && count_form(b, s, &pend[head]) != TH_OK)
        return TH_ENOMEM;
      pend[head].start = w->start;
      pend[head].len = w->len;
      pend[head].hash = w->hash;
      head = (head + 1) % PENDING;
      if (npend < PENDING) npend++;
    }
  } while (ntoks == TOKEN_BATCH);
  for (; npend > 0; npend--) {
    if (count_form(b, s, &pend[(head + PENDING - npend) % PENDING]) != TH_OK)
      return TH_ENOMEM;
  }
  th_lexicon_count_flush(&b->lx);
  *words = nw;
  return TH_OK;
}

/* Adds up the counts of the forms of each stem (stop words left out):
   rows 0..b->stems.count-1 of b->rows. */
#define STEMS_AHEAD 16   /* stems whose slot is being fetched */

static int sum_stems(lexbox *b) {
  size_t i, n = b->lx.nforms;
  uint64_t ahead[STEMS_AHEAD] = {0};
  void *p = b->rows;
  /* at most one row per form */
  if (th_strmap_reserve(&b->stems, n) != TH_OK ||
      th_grow(&b->lx.alloc, &p, &b->caprows, n, sizeof(stem_row)) != TH_OK)
    return TH_ENOMEM;
  b->rows = p;
  /* The table is megabytes and the stems come in no order: each slot is
     fetched STEMS_AHEAD forms before it is needed, so that the misses
     overlap instead of coming one after another. */
  for (i = 0; i < n + STEMS_AHEAD; i++) {
    const th_form *f;
    const char *stem;
    size_t fi = i - STEMS_AHEAD;
    if (i >= STEMS_AHEAD && !(b->lx.forms[fi].flags & TH_FORM_STOP)) {
      th_slot *slot;
      int added;
      f = &b->lx.forms[fi];
      stem = th_form_stem(&b->lx, f);
      slot = th_strmap_put(&b->stems, stem, f->stem_len,
                           ahead[fi % STEMS_AHEAD],
                           (uint32_t)b->stems.count, &added);
      if (slot == NULL) return TH_ENOMEM;
      if (added) {
        b->rows[slot->value].off = f->stem_off;
        b->rows[slot->value].len = f->stem_len;
        b->rows[slot->value].tokens = 0;
      }
      b->rows[slot->value].tokens += b->lx.counts[fi];
    }
    if (i < n) {
      uint64_t h;
      f = &b->lx.forms[i];
      stem = th_form_stem(&b->lx, f);
      h = th_hash(stem, f->stem_len);
      th_strmap_prefetch(&b->stems, h);
      ahead[i % STEMS_AHEAD] = h;
    }
  }
  return TH_OK;
}

/*
** stem_counts(text [, lang [, opts]]) -> {stem = count}, words
** lang "none" counts normalised forms without stemming.
** opts.stopwords: array of words left out (compared after normalising).
** opts.from, opts.to, opts.skip: the byte range and the ranges left out,
** as word_count takes them (a segment of a transcript, without its marks).
*/
static int l_stem_counts(lua_State *L) {
  size_t len, i, from, to, nskip;
  th_range *skip;
  const char *s = luaL_checklstring(L, 1, &len);
  /* "none": count normal forms, unstemmed */
  const char *lang = (lua_type(L, 2) == LUA_TSTRING &&
                      strcmp(lua_tostring(L, 2), "none") == 0)
                     ? NULL : check_language(L, 2);
  lexbox *b;
  lua_Integer words = 0;
  int box;
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  b = new_lexbox(L, lang);
  box = lua_gettop(L);
  if (lua_istable(L, 3) && lua_getfield(L, 3, "stopwords") == LUA_TTABLE) {
    lua_Integer k, n = luaL_len(L, -1);
    for (k = 1; k <= n; k++) {
      size_t wl;
      const char *w;
      int added;
      if (lua_geti(L, -1, k) != LUA_TSTRING)
        return luaL_argerror(L, 3, "stopwords must be strings");
      w = lua_tolstring(L, -1, &wl);
      b->lx.scratch.len = 0;
      if (th_normalize(&b->lx.nz, w, wl, &b->lx.scratch) != TH_OK ||
          !th_strmap_put(&b->stop, b->lx.scratch.data ? b->lx.scratch.data : "",
                         b->lx.scratch.len,
                         th_hash(b->lx.scratch.data ? b->lx.scratch.data : "",
                                 b->lx.scratch.len), 1, &added))
        return raise_status(L, TH_ENOMEM);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, box);
  check_range(L, 3, len, &from, &to);
  skip = check_skip(L, 3, &nskip);   /* stays on the stack, above box */
  if (th_lexicon_reserve(&b->lx, to - from) != TH_OK ||
      th_lexicon_count_init(&b->lx) != TH_OK ||
      /* two copies of the loop: the one for a whole text has no skip test
         (1.4% of its instructions, callgrind on 5 MB of English) */
      (nskip ? count_words(b, s + from, to - from, skip, nskip, from, &words)
             : count_words(b, s + from, to - from, NULL, 0, from, &words)) != TH_OK ||
      sum_stems(b) != TH_OK)
    return raise_status(L, TH_ENOMEM);
  /* The Lua table made once, at its final size, with one string per stem. */
  lua_createtable(L, 0, (int)(b->stems.count < 1u << 26 ? b->stems.count : 0));
  for (i = 0; i < b->stems.count; i++) {
    const stem_row *r = &b->rows[i];
    lua_pushlstring(L, b->lx.strings.data + r->off, r->len);
    lua_pushinteger(L, r->tokens);
    lua_rawset(L, -3);
  }
  lua_pushinteger(L, words);
  /* Free the cache now rather than at the next collection: it can be big. */
  lexbox_free(b);
  return 2;
}


/*
** realpath(path) -> the absolute path with every symbolic link, "." and
** ".." resolved (realpath(3)), or nil, message when path does not exist.
** (Output files are checked against the inputs with it; a call to the
** realpath program cost a process start each.)
*/
static int l_realpath(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char *r = realpath(path, NULL);
  if (r == NULL) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  lua_pushstring(L, r);
  free(r);
  return 1;
}

/* temp_dir() -> the path of a new directory that only this user may enter
   (mkdtemp, mode 0700, under $TMPDIR or /tmp), or fail and a message. For
   text read from standard input, which may be an interview: a file in a
   world-readable /tmp would show it to every user of the machine. */
static int l_temp_dir(lua_State *L) {
  static const char name[] = "/thematic-XXXXXX";
  const char *base = getenv("TMPDIR");
  luaL_Buffer b;
  size_t blen, n;
  char *t;
  if (base == NULL || *base == '\0') base = "/tmp";
  blen = strlen(base);
  n = blen + sizeof name;   /* with the terminating 0 mkdtemp needs */
  t = luaL_buffinitsize(L, &b, n);
  memcpy(t, base, blen);
  memcpy(t + blen, name, sizeof name);
  if (mkdtemp(t) == NULL) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: cannot make a temporary folder (%s)", base, strerror(errno));
    return 2;
  }
  luaL_pushresultsize(&b, n - 1);
  return 1;
}

/*
** Reading a whole file: a box for the descriptor, closed when the call
** returns or raises (it is a to-be-closed slot), so an out-of-memory
** error while the text grows never leaks it.
*/
#define FDBOX_MT "thematic.fd"

typedef struct fdbox { int fd; } fdbox;

static int fdbox_close(lua_State *L) {
  fdbox *b = (fdbox *)luaL_checkudata(L, 1, FDBOX_MT);
  if (b->fd >= 0) {
    close(b->fd);
    b->fd = -1;
  }
  return 0;
}

/* What read_file asks for at a time when the size is not known (a pipe,
   a file in /proc) or the file grew while read. */
#define READ_CHUNK 65536

static int read_fail(lua_State *L, const char *path) {
  int e = errno;
  luaL_pushfail(L);
  lua_pushfstring(L, "%s: %s", path, strerror(e));
  lua_pushinteger(L, e);
  return 3;
}

/*
** read_file(path [, max]) -> the file's bytes; or false, size when it is
** a regular file of more than max bytes (the caller reads it in parts);
** or nil, "path: message", errno (as io.open gives them).
** Four system calls for a regular file (open, fstat, one read, close)
** where io.open and f:read("a") make six or more: on a folder of
** thousands of short transcripts the calls cost as much as the scan.
*/
static int l_read_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_Integer max = luaL_optinteger(L, 2, -1);
  fdbox *b;
  struct stat st;
  luaL_Buffer buf;
  size_t want;
  int regular;
  lua_settop(L, 2);
  b = (fdbox *)lua_newuserdatauv(L, sizeof *b, 0);
  b->fd = -1;
  luaL_setmetatable(L, FDBOX_MT);
  lua_toclose(L, 3);
  do b->fd = open(path, O_RDONLY | O_CLOEXEC); while (b->fd < 0 && errno == EINTR);
  if (b->fd < 0 || fstat(b->fd, &st) != 0) return read_fail(L, path);
  if (S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    return read_fail(L, path);
  }
  regular = S_ISREG(st.st_mode);
  if (regular && max >= 0 && (lua_Integer)st.st_size > max) {
    lua_pushboolean(L, 0);
    lua_pushinteger(L, (lua_Integer)st.st_size);
    return 2;
  }
  /* one byte more than the size, so that a file of exactly that size
     ends with a short read instead of one more call */
  want = regular && (uintmax_t)st.st_size < (uintmax_t)(SIZE_MAX / 2)
         ? (size_t)st.st_size + 1 : READ_CHUNK;
  luaL_buffinit(L, &buf);
  for (;;) {
    char *p = luaL_prepbuffsize(&buf, want);
    ssize_t n = read(b->fd, p, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return read_fail(L, path);
    }
    if (n == 0) break;
    luaL_addsize(&buf, (size_t)n);
    /* a short read of a regular file is its end (it did not grow) */
    if (regular && (size_t)n < want) break;
    want = READ_CHUNK;
  }
  luaL_pushresult(&buf);
  return 1;
}

/*
** Worker processes for `count --jobs`: fork(2) after the codebook is
** loaded and the folder walked, so a worker starts with both instead of
** starting Lua, reading the codebook and walking the folder again (about
** 40 ms each, as long as a whole job over a few hundred short files).
*/

/* fork() -> 0 in the new process, its pid in this one; or nil, message.
   The caller flushes its buffered output first. */
static int l_fork(lua_State *L) {
  pid_t pid = fork();
  if (pid < 0) {
    luaL_pushfail(L);
    lua_pushfstring(L, "fork: %s", strerror(errno));
    return 2;
  }
  lua_pushinteger(L, (lua_Integer)pid);
  return 1;
}

/* An open directory, closed when the call returns or raises (a
   to-be-closed slot, as fdbox). */
#define DIRBOX_MT "thematic.dir"

typedef struct dirbox { DIR *d; } dirbox;

static int dirbox_close(lua_State *L) {
  dirbox *b = (dirbox *)luaL_checkudata(L, 1, DIRBOX_MT);
  if (b->d != NULL) {
    closedir(b->d);
    b->d = NULL;
  }
  return 0;
}

static const char *const entry_kinds[] = { "file", "directory", "linked directory" };

/*
** list_dir(path) -> names, kinds: the entries of a directory but "." and
** "..", unsorted; kinds[i] is "file", "directory" or "linked directory"
** (a symbolic link to a directory; other links count as what they point
** to, a broken one as a file). Or nil, "path: message", errno. The type
** of each entry comes with it where the file system gives it, instead of
** a stat(2) per file (half the time of walking a folder of 2,000 files).
*/
static int l_list_dir(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *name;
  lua_Integer n = 0;
  int kind, st;
  dirbox *b;
  lua_settop(L, 1);
  b = (dirbox *)lua_newuserdatauv(L, sizeof *b, 0);
  b->d = NULL;
  luaL_setmetatable(L, DIRBOX_MT);
  lua_toclose(L, 2);
  lua_newtable(L);   /* 3: names */
  lua_newtable(L);   /* 4: kinds */
  if ((b->d = opendir(path)) == NULL) return read_fail(L, path);
  while ((st = th_dir_next(b->d, &name, &kind)) == 1) {
    n++;
    lua_pushstring(L, name);
    lua_rawseti(L, 3, n);
    lua_pushstring(L, entry_kinds[kind]);
    lua_rawseti(L, 4, n);
  }
  if (st < 0) return read_fail(L, path);
  return 2;
}

/* ncpus() -> the CPUs this process may use (as nproc(1) counts them) */
static int l_ncpus(lua_State *L) {
  lua_pushinteger(L, th_ncpus());
  return 1;
}

/* wait(pid) -> "exit", status | "signal", signal number; or nil, message */
static int l_wait(lua_State *L) {
  pid_t pid = (pid_t)luaL_checkinteger(L, 1);
  int status;
  pid_t r;
  luaL_argcheck(L, pid > 0, 1, "not a process id");
  do r = waitpid(pid, &status, 0); while (r < 0 && errno == EINTR);
  if (r < 0) {
    luaL_pushfail(L);
    lua_pushfstring(L, "wait: %s", strerror(errno));
    return 2;
  }
  if (WIFSIGNALED(status)) {
    lua_pushliteral(L, "signal");
    lua_pushinteger(L, WTERMSIG(status));
  } else {
    lua_pushliteral(L, "exit");
    lua_pushinteger(L, WEXITSTATUS(status));
  }
  return 2;
}

/* exit_now(code): ends a forked worker at once (_exit(2)): no finalizers,
   no flushing of buffers it shares with its parent, no atexit handlers. */
static int l_exit_now(lua_State *L) {
  lua_Integer code = luaL_optinteger(L, 1, 0);
  _exit((int)(code & 0xFF));
  return 0;
}

/*
** utf8_check(s) -> nil when s is valid UTF-8, else the position (1-based)
** of the first byte that does not start a valid sequence: what utf8.len
** returns, without a function call per character.
*/
static int l_utf8_check(lua_State *L) {
  size_t len, at;
  const char *s = luaL_checklstring(L, 1, &len);
  at = th_utf8_check((const unsigned char *)s, len);
  if (at == len) lua_pushnil(L);
  else lua_pushinteger(L, (lua_Integer)at + 1);
  return 1;
}

/*
** word_count(text [, opts]) -> number of word and number tokens in
** opts.from..opts.to, leaving out tokens that start inside opts.skip.
*/
static int l_word_count(lua_State *L) {
  size_t len, from, to, start, end, nskip, k = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  th_range *skip;
  th_scanner sc;
  th_kind kind;
  lua_Integer n = 0;
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  check_range(L, 2, len, &from, &to);
  skip = check_skip(L, 2, &nskip);
  th_scanner_init(&sc, s + from, to - from);
  while (th_next_word(&sc, &start, &end, &kind)) {
    if (th_in_ranges(skip, nskip, &k, start + from)) continue;
    if (kind == TH_KIND_WORD || kind == TH_KIND_NUMBER) n++;
  }
  lua_pushinteger(L, n);
  return 1;
}

/* ---------------------------------------------------------------------
** The matcher
** ------------------------------------------------------------------ */

typedef struct matcherbox {
  th_matcher m;
  th_tally tally;      /* per-group counting (m:tally) */
  int live, tally_live;
} matcherbox;

static int matcher_gc(lua_State *L) {
  matcherbox *b = (matcherbox *)luaL_checkudata(L, 1, MATCHER_MT);
  if (b->tally_live) {
    th_tally_free(&b->tally);
    b->tally_live = 0;
  }
  if (b->live) {
    th_matcher_free(&b->m);
    b->live = 0;
  }
  return 0;
}

static matcherbox *check_matcherbox(lua_State *L) {
  matcherbox *b = (matcherbox *)luaL_checkudata(L, 1, MATCHER_MT);
  if (!b->live) luaL_argerror(L, 1, "matcher is closed");
  return b;
}

static th_matcher *check_matcher(lua_State *L) {
  return &check_matcherbox(L)->m;
}

static int spec_error(lua_State *L, lua_Integer pat, const char *msg) {
  lua_pushfstring(L, "pattern %I: %s", pat, msg);
  return luaL_argerror(L, 1, lua_tostring(L, -1));
}

static th_term_kind element_kind(lua_State *L, lua_Integer pat,
                                 const char *k, int *any) {
  *any = 0;
  if (strcmp(k, "word") == 0) return TH_TERM_WORD;
  if (strcmp(k, "norm") == 0) return TH_TERM_NORM;
  if (strcmp(k, "glob") == 0) return TH_TERM_GLOB;
  if (strcmp(k, "exact") == 0) return TH_TERM_EXACT;
  if (strcmp(k, "any") == 0) { *any = 1; return TH_TERM_WORD; }
  lua_pushfstring(L, "unknown element kind '%s' "
                  "(expected word, norm, glob, exact or any)", k);
  spec_error(L, pat, lua_tostring(L, -1));
  return TH_TERM_WORD;
}

/* Reads spec.patterns[pat] (on the top of the stack) into the matcher. */
static void add_pattern(lua_State *L, th_matcher *m, lua_Integer pat) {
  uint32_t elems[MAX_PHRASE];
  lua_Integer code, id, i, n;
  int exclude, top = lua_gettop(L);
  if (!lua_istable(L, -1)) spec_error(L, pat, "not a table");
  lua_getfield(L, -1, "code");
  code = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
  if (code < 1 || code > (lua_Integer)m->ncodes)
    spec_error(L, pat, "code must be an integer from 1 to ncodes");
  lua_getfield(L, top, "id");
  id = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : pat;
  lua_getfield(L, top, "exclude");
  exclude = lua_toboolean(L, -1);
  if (lua_getfield(L, top, "elements") != LUA_TTABLE)
    spec_error(L, pat, "elements must be an array");
  n = luaL_len(L, -1);
  if (n < 1) spec_error(L, pat, "no elements");
  if (n > MAX_PHRASE) spec_error(L, pat, "more than 64 elements");
  for (i = 1; i <= n; i++) {
    const char *k, *text;
    size_t tl = 0;
    int any, empty;
    th_term_kind kind;
    if (lua_geti(L, -1, i) != LUA_TTABLE) spec_error(L, pat, "an element is not a table");
    lua_geti(L, -1, 1);
    lua_geti(L, -2, 2);
    k = lua_tostring(L, -2);
    if (k == NULL) {   /* spec_error raises; the return says so to analysers */
      spec_error(L, pat, "an element has no kind");
      return;
    }
    kind = element_kind(L, pat, k, &any);
    if (any) {
      if (i == 1 || i == n)
        spec_error(L, pat, "'any' cannot start or end a pattern");
      elems[i - 1] = TH_ANY;
    } else {
      text = lua_tolstring(L, -1, &tl);
      if (text == NULL || tl == 0) spec_error(L, pat, "empty element");
      elems[i - 1] = th_matcher_term(m, kind, text, tl, &empty);
      if (empty) spec_error(L, pat, "element is empty once normalised");
      if (elems[i - 1] == 0) raise_status(L, TH_ENOMEM);
    }
    lua_pop(L, 3);
  }
  if (th_matcher_pattern(m, (uint32_t)code, (int64_t)id, elems, (size_t)n,
                         exclude) != TH_OK)
    raise_status(L, TH_ENOMEM);
  lua_settop(L, top);
}

/* spec.parents (optional): code number -> its parent's number, always
   smaller (codes are numbered depth first), so ancestor chains end. */
static void read_parents(lua_State *L, matcherbox *b, uint32_t ncodes) {
  uint32_t *parent, c;
  int st;
  parent = (uint32_t *)lua_newuserdatauv(L, ((size_t)ncodes + 1) * sizeof(uint32_t), 0);
  memset(parent, 0, ((size_t)ncodes + 1) * sizeof(uint32_t));
  if (lua_getfield(L, 1, "parents") == LUA_TTABLE) {
    for (c = 1; c <= ncodes; c++) {
      lua_Integer p;
      lua_geti(L, -1, c);
      p = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
      if (!lua_isnil(L, -1) && (p < 1 || p >= (lua_Integer)c))
        luaL_argerror(L, 1, "parents maps a code number to a smaller code number");
      parent[c] = (uint32_t)p;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  st = th_tally_init(&b->tally, b->m.alloc, ncodes, parent);
  b->tally_live = 1;
  lua_pop(L, 1);
  if (st != TH_OK) raise_status(L, st);
}

/*
** matcher(spec) -> matcher   (see docs/internals.md for the spec)
*/
static int l_matcher(lua_State *L) {
  matcherbox *b;
  th_matcher *m;
  lua_Integer ncodes, i, n;
  const char *lang = NULL;
  int st;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  if (lua_getfield(L, 1, "language") != LUA_TNIL) {
    const char *name = lua_tostring(L, -1);
    lang = name ? th_language_name(name) : NULL;
    if (lang == NULL) {
      lua_replace(L, 2);
      lang = check_language(L, 2);   /* raises with the list */
    }
  } else {
    lang = DEFAULT_LANGUAGE;
  }
  lua_settop(L, 1);
  lua_getfield(L, 1, "ncodes");
  if (!lua_isinteger(L, -1) || (ncodes = lua_tointeger(L, -1)) < 0 ||
      ncodes > 10000000)
    return luaL_argerror(L, 1, "ncodes must be a non-negative integer");
  lua_pop(L, 1);
  b = (matcherbox *)lua_newuserdatauv(L, sizeof(matcherbox), 0);
  b->live = b->tally_live = 0;
  luaL_setmetatable(L, MATCHER_MT);
  memset(&b->m, 0, sizeof b->m);
  st = th_matcher_init(&b->m, th_lua_alloc(L), lang, (uint32_t)ncodes);
  b->live = 1;
  if (st != TH_OK) return raise_status(L, st);
  m = &b->m;
  if (lua_getfield(L, 1, "patterns") != LUA_TTABLE)
    return luaL_argerror(L, 1, "patterns must be an array");
  n = luaL_len(L, -1);
  for (i = 1; i <= n; i++) {
    lua_geti(L, -1, i);
    add_pattern(L, m, i);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "negation") == LUA_TTABLE) {
    if (lua_getfield(L, -1, "window") != LUA_TNIL) {
      lua_Integer w = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
      if (w < 0 || w > 50)
        return luaL_argerror(L, 1, "negation.window must be an integer from 0 to 50");
      m->window = (int)w;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, -1, "cues") == LUA_TTABLE) {
      lua_Integer k, nc = luaL_len(L, -1);
      for (k = 1; k <= nc; k++) {
        size_t cl;
        const char *cue;
        lua_geti(L, -1, k);
        cue = lua_tolstring(L, -1, &cl);
        if (cue == NULL || cl == 0)
          return luaL_argerror(L, 1, "negation cues must be non-empty strings");
        if (th_matcher_cue(m, cue, cl) != TH_OK) return raise_status(L, TH_ENOMEM);
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "negated_to") == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_Integer c = lua_isinteger(L, -2) ? lua_tointeger(L, -2) : 0;
      lua_Integer t = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
      if (c < 1 || c > ncodes || t < 1 || t > ncodes)
        return luaL_argerror(L, 1, "negated_to maps code numbers to code numbers");
      if (c == t)
        return luaL_argerror(L, 1, lua_pushfstring(L,
                               "negated_to maps code %I to itself", c));
      th_matcher_negated_to(m, (uint32_t)c, (uint32_t)t);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if ((st = th_matcher_finish(m)) != TH_OK) return raise_status(L, st);
  read_parents(L, b, (uint32_t)ncodes);
  return 1;
}

static void push_counts(lua_State *L, const size_t *v, uint32_t n) {
  uint32_t c;
  lua_createtable(L, (int)n, 0);
  for (c = 1; c <= n; c++) {
    lua_pushinteger(L, (lua_Integer)v[c]);
    lua_rawseti(L, -2, c);
  }
}

/*
** m:scan(text [, opts]) -> {words=, counts=, negated=, hits=}
** opts.from, opts.to, opts.skip (see word_count); opts.hits = false leaves
** out the list of hits, opts.counts = false the per-code counts.
*/
static int m_scan(lua_State *L) {
  th_matcher *m = check_matcher(L);
  size_t len, from, to, nskip, i;
  const char *s = luaL_checklstring(L, 2, &len);
  th_range *skip;
  int st;
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  check_range(L, 3, len, &from, &to);
  skip = check_skip(L, 3, &nskip);
  m->want_hits = opt_bool(L, 3, "hits", 1);
  if ((st = th_matcher_scan(m, s, from, to, skip, nskip)) != TH_OK)
    return raise_status(L, st);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)m->words);
  lua_setfield(L, -2, "words");
  if (opt_bool(L, 3, "counts", 1)) {   /* per-segment callers read hits only */
    push_counts(L, m->counts, m->ncodes);
    lua_setfield(L, -2, "counts");
    push_counts(L, m->negated, m->ncodes);
    lua_setfield(L, -2, "negated");
  }
  if (m->want_hits) {
    lua_createtable(L, (int)(m->nhits < 1u << 24 ? m->nhits : 0), 0);
    for (i = 0; i < m->nhits; i++) {
      const th_hit *h = &m->hits[i];
      lua_createtable(L, 0, 6);
      lua_pushinteger(L, h->code);
      lua_setfield(L, -2, "code");
      lua_pushinteger(L, (lua_Integer)h->start + 1);
      lua_setfield(L, -2, "start");
      lua_pushinteger(L, (lua_Integer)h->end);
      lua_setfield(L, -2, "stop");
      lua_pushinteger(L, (lua_Integer)h->pattern);
      lua_setfield(L, -2, "pattern");
      lua_pushboolean(L, h->negated);
      lua_setfield(L, -2, "negated");
      if (h->from) {
        lua_pushinteger(L, h->from);
        lua_setfield(L, -2, "from");
      }
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "hits");
  }
  return 1;
}

/* Per group g (1..ngroups): {words=, segments=} and, with cells, an
   empty cells array to fill. */
static void push_groups(lua_State *L, const th_tally *t, uint32_t ngroups, int cells) {
  uint32_t g;
  lua_createtable(L, (int)ngroups, 0);
  for (g = 1; g <= ngroups; g++) {
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)t->words[g]);
    lua_setfield(L, -2, "words");
    lua_pushinteger(L, (lua_Integer)t->segments[g]);
    lua_setfield(L, -2, "segments");
    if (cells) {
      lua_newtable(L);
      lua_setfield(L, -2, "cells");
    }
    lua_rawseti(L, -2, g);
  }
}

/*
** The result of a tally: per group g (1..ngroups) {words=, segments=,
** cells = {code1, hits1, coded1, negated1, code2, ...}}, cells in the order
** first touched.
*/
static void push_tally(lua_State *L, const th_tally *t, uint32_t ngroups) {
  size_t i, *filled;
  push_groups(L, t, ngroups, 1);
  filled = (size_t *)lua_newuserdatauv(L, ((size_t)ngroups + 1) * sizeof(size_t), 0);
  memset(filled, 0, ((size_t)ngroups + 1) * sizeof(size_t));
  for (i = 0; i < t->ncells; i++) {
    const th_cell *c = &t->cells[i];
    size_t k = filled[c->group];
    lua_rawgeti(L, -2, c->group);
    lua_getfield(L, -1, "cells");
    lua_pushinteger(L, c->code);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
    lua_pushinteger(L, (lua_Integer)c->hits);
    lua_rawseti(L, -2, (lua_Integer)k + 2);
    lua_pushinteger(L, (lua_Integer)c->coded);
    lua_rawseti(L, -2, (lua_Integer)k + 3);
    lua_pushinteger(L, (lua_Integer)c->negated);
    lua_rawseti(L, -2, (lua_Integer)k + 4);
    filled[c->group] = k + 4;
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

/*
** Running totals (core.totals): cells of many tallies added up in C, for a
** count that keeps one total for a whole run.
*/
#define TOTALS_MT "thematic.totals"

typedef struct totalsbox {
  th_totals t;
  int live;
} totalsbox;

static int totals_gc(lua_State *L) {
  totalsbox *b = (totalsbox *)luaL_checkudata(L, 1, TOTALS_MT);
  if (b->live) {
    th_totals_free(&b->t);
    b->live = 0;
  }
  return 0;
}

static th_totals *check_totals(lua_State *L, int arg) {
  totalsbox *b = (totalsbox *)luaL_checkudata(L, arg, TOTALS_MT);
  luaL_argcheck(L, b->live, arg, "totals are closed");
  return &b->t;
}

/* core.totals() -> an empty running total */
static int l_totals(lua_State *L) {
  totalsbox *b = (totalsbox *)lua_newuserdatauv(L, sizeof(totalsbox), 0);
  b->live = 0;
  luaL_setmetatable(L, TOTALS_MT);
  th_totals_init(&b->t, th_lua_alloc(L));
  b->live = 1;
  return 1;
}

/*
** totals:cells() -> {row1, code1, hits1, coded1, negated1, row2, ...}, in
** the order the cells were first added.
*/
static int totals_cells(lua_State *L) {
  const th_totals *t = check_totals(L, 1);
  size_t i;
  luaL_argcheck(L, t->ncells <= (size_t)INT32_MAX / 5, 1, "too many cells");
  lua_createtable(L, (int)(t->ncells * 5), 0);
  for (i = 0; i < t->ncells; i++) {
    const th_total_cell *c = &t->cells[i];
    lua_Integer k = (lua_Integer)i * 5;
    lua_pushinteger(L, c->row);
    lua_rawseti(L, -2, k + 1);
    lua_pushinteger(L, c->code);
    lua_rawseti(L, -2, k + 2);
    lua_pushinteger(L, (lua_Integer)c->hits);
    lua_rawseti(L, -2, k + 3);
    lua_pushinteger(L, (lua_Integer)c->coded);
    lua_rawseti(L, -2, k + 4);
    lua_pushinteger(L, (lua_Integer)c->negated);
    lua_rawseti(L, -2, k + 5);
  }
  return 1;
}

/*
** The optional last two arguments of m:tally and m:tally_turns, at `arg`:
** into (core.totals) and rows (rows[g] = the row of group g). With them,
** each group's cells are added into the totals under its row, and the
** per-group tables come back without cells. Returns NULL without them.
*/
static th_totals *tally_into(lua_State *L, int arg, lua_Integer ngroups,
                             uint32_t **rows) {
  th_totals *into;
  lua_Integer g;
  if (lua_isnoneornil(L, arg)) return NULL;
  into = check_totals(L, arg);
  luaL_checktype(L, arg + 1, LUA_TTABLE);
  *rows = (uint32_t *)lua_newuserdatauv(L, ((size_t)ngroups + 1) * sizeof(uint32_t), 0);
  for (g = 1; g <= ngroups; g++) {
    lua_Integer row;
    lua_geti(L, arg + 1, g);
    row = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
    luaL_argcheck(L, row >= 1 && row <= UINT32_MAX, arg + 1,
                  "rows must be integers from 1, one per group");
    (*rows)[g] = (uint32_t)row;
    lua_pop(L, 1);
  }
  return into;
}

/* The result of a tally that went into totals: per group {words=,
   segments=}; its cells are added to `into` under rows[group]. */
static void push_tally_into(lua_State *L, const th_tally *t, uint32_t ngroups,
                            th_totals *into, const uint32_t *rows) {
  size_t i;
  for (i = 0; i < t->ncells; i++) {
    const th_cell *c = &t->cells[i];
    int st = th_totals_add(into, rows[c->group], c->code, c->hits, c->coded, c->negated);
    if (st != TH_OK) raise_status(L, st);
  }
  push_groups(L, t, ngroups, 0);
}

/* A segment's span, from its start and stop fields (1-based, inclusive,
   clamped to the text as m:scan's from and to are). */
static void segment_span(lua_State *L, int seg, size_t len, th_segment *sg) {
  lua_Integer f, t;
  lua_getfield(L, seg, "start");
  lua_getfield(L, seg, "stop");
  f = luaL_checkinteger(L, -2);
  t = luaL_checkinteger(L, -1);
  lua_pop(L, 2);
  clamp_range(f, t, len, &sg->start, &sg->end);
}

/*
** m:tally(text, segments, groups, ngroups [, into, rows]) -> per-group
** totals (see push_tally; into, rows: see tally_into). segments: array of
** corpus segments, read for their start, stop (1-based, inclusive) and
** marks (skip ranges, as m:scan's skip); groups[i]: the group of segment
** i, 1..ngroups, or 0 to leave it out.
*/
static int m_tally(lua_State *L) {
  matcherbox *b = check_matcherbox(L);
  size_t len, nsegs, i, nranges = 0, used = 0;
  const char *s = luaL_checklstring(L, 2, &len);
  lua_Integer ngroups = luaL_checkinteger(L, 5);
  th_segment *segs;
  th_range *ranges;
  th_totals *into;
  uint32_t *rows = NULL;
  int st;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  luaL_argcheck(L, ngroups >= 0 && ngroups <= 1000000, 5, "ngroups out of range");
  luaL_argcheck(L, b->tally_live, 1, "matcher has no tally");
  lua_settop(L, 7);
  into = tally_into(L, 6, ngroups, &rows);
  nsegs = (size_t)luaL_len(L, 3);
  luaL_argcheck(L, nsegs < ((size_t)1 << 26), 3, "too many segments");
  /* first the number of skip ranges, so they all go in one block */
  for (i = 0; i < nsegs; i++) {
    luaL_argexpected(L, lua_geti(L, 3, (lua_Integer)i + 1) == LUA_TTABLE, 3,
                     "array of segment tables");
    if (lua_getfield(L, -1, "marks") == LUA_TTABLE) {
      lua_Integer n = luaL_len(L, -1);
      luaL_argcheck(L, n >= 0 && n % 2 == 0 && n < ((lua_Integer)1 << 26), 3,
                    "marks need pairs of offsets (start, stop)");
      nranges += (size_t)n / 2;
    }
    lua_pop(L, 2);
  }
  luaL_argcheck(L, nranges < ((size_t)1 << 26), 3, "too many marks");
  segs = (th_segment *)lua_newuserdatauv(L, (nsegs ? nsegs : 1) * sizeof(th_segment), 0);
  ranges = (th_range *)lua_newuserdatauv(L, (nranges ? nranges : 1) * sizeof(th_range), 0);
  for (i = 0; i < nsegs; i++) {
    th_segment *sg = &segs[i];
    lua_Integer g;
    lua_geti(L, 3, (lua_Integer)i + 1);
    segment_span(L, lua_gettop(L), len, sg);
    lua_geti(L, 4, (lua_Integer)i + 1);
    g = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
    luaL_argcheck(L, g >= 0 && g <= ngroups, 4, "groups must be integers 0..ngroups");
    sg->group = (uint32_t)g;
    sg->skip = ranges + used;
    sg->nskip = 0;
    if (lua_getfield(L, -2, "marks") == LUA_TTABLE) {
      lua_Integer n = luaL_len(L, -1);
      if ((size_t)n / 2 > nranges - used)   /* changed under us (a metamethod) */
        luaL_argerror(L, 3, "marks changed while read");
      read_ranges(L, -1, n / 2, ranges + used, 3, "marks");
      sg->nskip = (size_t)n / 2;
      used += sg->nskip;
    }
    lua_pop(L, 3);
  }
  if ((st = th_tally_run(&b->tally, &b->m, s, segs, nsegs, (uint32_t)ngroups)) != TH_OK)
    return raise_status(L, st);
  if (into) push_tally_into(L, &b->tally, (uint32_t)ngroups, into, rows);
  else push_tally(L, &b->tally, (uint32_t)ngroups);
  return 1;
}

/* m:info() -> {codes=, patterns=, terms=, forms=} (for tests and tuning) */
static int m_info(lua_State *L) {
  th_matcher *m = check_matcher(L);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, m->ncodes);
  lua_setfield(L, -2, "codes");
  lua_pushinteger(L, (lua_Integer)m->npatterns);
  lua_setfield(L, -2, "patterns");
  lua_pushinteger(L, m->nterms);
  lua_setfield(L, -2, "terms");
  lua_pushinteger(L, (lua_Integer)m->lex.nforms);
  lua_setfield(L, -2, "forms");
  return 1;
}

/* ---------------------------------------------------------------------
** Transcripts
** ------------------------------------------------------------------ */

#define TRANSCRIPT_MT "thematic.transcript"

/* A th_transcript, with the text it was read from as user value 1. */
typedef struct transcriptbox {
  th_transcript t;
  int live;
} transcriptbox;

static int transcript_gc(lua_State *L) {
  transcriptbox *b = (transcriptbox *)luaL_checkudata(L, 1, TRANSCRIPT_MT);
  if (b->live) {
    th_transcript_free(&b->t);
    b->live = 0;
    lua_pushnil(L);
    lua_setiuservalue(L, 1, 1);
  }
  return 0;
}

static th_transcript *check_transcript(lua_State *L) {
  transcriptbox *b = (transcriptbox *)luaL_checkudata(L, 1, TRANSCRIPT_MT);
  if (!b->live) luaL_argerror(L, 1, "transcript is closed");
  return &b->t;
}

/* Bytes of t->labels (which has no data while every label is empty). */
static const char *label_bytes(const th_transcript *t, size_t off) {
  return t->labels.data ? t->labels.data + off : "";
}

static const char *const form_names[] = {
  "", "colon", "timeline", "alone", "nocolon", "continued"
};

/*
** transcript(text) -> transcript: the text read line by line (pass 1):
** the label candidate of each line and the label statistics. The
** transcript keeps the text for turns().
*/
static int l_transcript(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  transcriptbox *b = (transcriptbox *)lua_newuserdatauv(L, sizeof(transcriptbox), 1);
  int st;
  b->live = 0;
  luaL_setmetatable(L, TRANSCRIPT_MT);
  th_transcript_init(&b->t, th_lua_alloc(L));
  b->live = 1;
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  if ((st = th_transcript_lines(&b->t, s, len)) != TH_OK) return raise_status(L, st);
  return 1;
}

/*
** t:candidates() -> array of {label=, norm=, form=}, in index order;
** form is "colon", "timeline", "alone", "nocolon" or "continued".
*/
static int t_candidates(lua_State *L) {
  th_transcript *t = check_transcript(L);
  size_t i;
  lua_createtable(L, (int)(t->ncandidates < 1u << 24 ? t->ncandidates : 0), 0);
  for (i = 0; i < t->ncandidates; i++) {
    const th_candidate *c = &t->candidates[i];
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, label_bytes(t, c->label_off), c->label_len);
    lua_setfield(L, -2, "label");
    lua_pushlstring(L, label_bytes(t, c->norm_off), c->norm_len);
    lua_setfield(L, -2, "norm");
    lua_pushstring(L, form_names[c->form]);
    lua_setfield(L, -2, "form");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/*
** t:stats(into) -> into: adds the label statistics of the text to
** into = {counts = {norm = n}, colon_seen = {norm = true}}: counts[norm]
** grows by the uses of norm in forms other than nocolon, colon_seen[norm]
** is set when it was used with a colon.
*/
static int t_stats(lua_State *L) {
  th_transcript *t = check_transcript(L);
  size_t i;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_getfield(L, 2, "counts");       /* 3 */
  lua_getfield(L, 2, "colon_seen");   /* 4 */
  for (i = 0; i < t->nstats; i++) {
    const th_label_stat *s = &t->stats[i];
    if (s->count == 0) continue;      /* used without a colon only */
    lua_pushlstring(L, label_bytes(t, s->norm_off), s->norm_len);   /* 5 */
    lua_pushvalue(L, 5);
    lua_gettable(L, 3);               /* (counts[norm] or 0) + count */
    if (!lua_toboolean(L, -1)) {
      lua_pop(L, 1);
      lua_pushinteger(L, 0);
    }
    lua_pushinteger(L, (lua_Integer)s->count);
    lua_arith(L, LUA_OPADD);
    lua_pushvalue(L, 5);
    lua_insert(L, -2);
    lua_settable(L, 3);
    if (s->colon_seen) {
      lua_pushboolean(L, 1);
      lua_settable(L, 4);
    }
    lua_settop(L, 4);
  }
  lua_settop(L, 2);
  return 1;
}

/*
** t:turns(accepted, partial, continues) -> n, rest, rest_line, open,
** open_speaker (pass 2). accepted[i]: whether candidate i is a speaker.
** continues: the speaker (a label) of a turn of the previous part that
** goes on, true when that turn has no speaker, nil when none goes on.
** rest, rest_line: where the turn left for the next part starts (byte,
** line), nil when none is; open: true when the part was one unfinished
** turn, whose speaker (candidate index, 0 for nobody) is open_speaker.
*/
static int t_turns(lua_State *L) {
  th_transcript *t = check_transcript(L);
  int partial = lua_toboolean(L, 3), continues = 0, st;
  const char *label = NULL, *text;
  size_t llen = 0, len, i;
  unsigned char *accepted;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (lua_type(L, 4) == LUA_TSTRING) {
    continues = 1;
    label = lua_tolstring(L, 4, &llen);
  } else if (!lua_isnoneornil(L, 4)) {
    luaL_checktype(L, 4, LUA_TBOOLEAN);
    continues = lua_toboolean(L, 4);
  }
  lua_settop(L, 4);
  accepted = (unsigned char *)lua_newuserdatauv(L, t->nfound + 1, 0);
  accepted[0] = 0;
  for (i = 1; i <= t->nfound; i++) {
    lua_geti(L, 2, (lua_Integer)i);
    accepted[i] = (unsigned char)lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lua_getiuservalue(L, 1, 1);
  text = lua_tolstring(L, -1, &len);
  if ((st = th_transcript_turns(t, text, len, accepted, partial, continues, label,
                                llen)) != TH_OK)
    return raise_status(L, st);
  lua_pushinteger(L, (lua_Integer)t->nturns);
  if (t->rest != TH_NO_POS) {
    lua_pushinteger(L, (lua_Integer)t->rest + 1);
    lua_pushinteger(L, (lua_Integer)t->rest_line);
  } else {
    lua_pushnil(L);
    lua_pushnil(L);
  }
  if (t->open) {
    lua_pushboolean(L, 1);
    lua_pushinteger(L, t->open_speaker);
  } else {
    lua_pushnil(L);
    lua_pushnil(L);
  }
  return 5;
}

static const th_turn *check_turn(lua_State *L, const th_transcript *t) {
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (lua_Unsigned)i <= t->nturns, 2, "no such turn");
  return &t->turns[i - 1];
}

/*
** t:turn(i) -> start, stop, line, speaker, time_ms, nmarks: the speech of
** turn i is text:sub(start, stop); line within the text; speaker a
** candidate index (0: nobody); time_ms nil when no time was given.
*/
static int t_turn(lua_State *L) {
  th_transcript *t = check_transcript(L);
  const th_turn *tu = check_turn(L, t);
  lua_pushinteger(L, (lua_Integer)tu->start + 1);
  lua_pushinteger(L, (lua_Integer)tu->end);
  lua_pushinteger(L, (lua_Integer)tu->line);
  lua_pushinteger(L, tu->speaker);
  if (tu->time_ms >= 0) lua_pushinteger(L, (lua_Integer)tu->time_ms);
  else lua_pushnil(L);
  lua_pushinteger(L, (lua_Integer)tu->nmarks);
  return 6;
}

/* t:marks(i) -> {s1, e1, s2, e2, ...} (string.sub offsets) or nil */
static int t_marks(lua_State *L) {
  th_transcript *t = check_transcript(L);
  const th_turn *tu = check_turn(L, t);
  size_t k;
  if (tu->nmarks == 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, (int)(tu->nmarks < 1u << 23 ? 2 * tu->nmarks : 0), 0);
  for (k = 0; k < tu->nmarks; k++) {
    const th_range *r = &t->marks[tu->mark_off + k];
    lua_pushinteger(L, (lua_Integer)r->start + 1);
    lua_rawseti(L, -2, (lua_Integer)k * 2 + 1);
    lua_pushinteger(L, (lua_Integer)r->end);
    lua_rawseti(L, -2, (lua_Integer)k * 2 + 2);
  }
  return 1;
}

/*
** marks(text [, from [, to]]) -> {s1, e1, s2, e2, ...} or nil: the marks
** of text:sub(from, to) (clamped as string.sub does), as offsets of
** string.sub into text, counted from from.
*/
static int l_marks(lua_State *L) {
  size_t len, a, b, n = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer from = luaL_optinteger(L, 2, 1);
  lua_Integer to = luaL_optinteger(L, 3, (lua_Integer)len);
  lua_Unsigned base = (lua_Unsigned)from - 1;
  th_marks ms;
  th_range r;
  if (from > 0) a = (size_t)from;                       /* string.sub's start */
  else if (from == 0 || from < -(lua_Integer)len) a = 1;
  else a = len + (size_t)from + 1;
  if (to > (lua_Integer)len) b = len;                   /* and its end */
  else if (to >= 0) b = (size_t)to;
  else if (to < -(lua_Integer)len) b = 0;
  else b = len + (size_t)to + 1;
  if (a > b) {
    lua_pushnil(L);
    return 1;
  }
  th_marks_init(&ms, s + a - 1, b - a + 1);
  lua_pushnil(L);
  while (th_next_mark(&ms, &r)) {
    if (n == 0) {
      lua_pop(L, 1);
      lua_newtable(L);
    }
    lua_pushinteger(L, (lua_Integer)(base + r.start + 1));
    lua_rawseti(L, -2, (lua_Integer)++n);
    lua_pushinteger(L, (lua_Integer)(base + r.end));
    lua_rawseti(L, -2, (lua_Integer)++n);
  }
  return 1;
}

/* normalize_label(label) -> the label as compared (see transcript.h) */
static int l_normalize_label(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, len);
  luaL_pushresultsize(&b, th_normalize_label(s, len, out));
  return 1;
}

/* label_plausible(label) -> whether a label could be a speaker's at all */
static int l_label_plausible(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushboolean(L, th_label_plausible(s, len));
  return 1;
}

/*
** t:speakers() -> turns, first_lines, nobody: after t:turns(), per
** candidate i the number of its turns and the line of its first (nil when
** it has none), and the number of turns of nobody (unlabelled text).
*/
static int t_speakers(lua_State *L) {
  th_transcript *t = check_transcript(L);
  size_t i;
  lua_Integer nobody = 0;
  lua_createtable(L, (int)(t->ncandidates < 1u << 24 ? t->ncandidates : 0), 0);
  lua_createtable(L, (int)(t->ncandidates < 1u << 24 ? t->ncandidates : 0), 0);
  for (i = 1; i <= t->ncandidates; i++) {   /* every candidate a number */
    lua_pushinteger(L, 0);
    lua_rawseti(L, -3, (lua_Integer)i);
  }
  for (i = 0; i < t->nturns; i++) {
    const th_turn *tu = &t->turns[i];
    lua_Integer n;
    if (tu->speaker == 0 || tu->speaker > t->ncandidates) {
      nobody++;
      continue;
    }
    lua_rawgeti(L, -2, tu->speaker);
    n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_pushinteger(L, n + 1);
    lua_rawseti(L, -3, tu->speaker);
    if (n == 0) {
      lua_pushinteger(L, (lua_Integer)tu->line);
      lua_rawseti(L, -2, tu->speaker);
    }
  }
  lua_pushinteger(L, nobody);
  return 3;
}

/*
** m:tally_turns(transcript, groups, nobody, ngroups [, into, rows]) ->
** per-group totals (see push_tally) for the turns of a parsed transcript
** (after t:turns()): groups[i] is the group of candidate i's turns, nobody
** the group of unlabelled text (0 leaves them out). into, rows: see
** tally_into.
*/
static int m_tally_turns(lua_State *L) {
  matcherbox *b = check_matcherbox(L);
  transcriptbox *tb = (transcriptbox *)luaL_checkudata(L, 2, TRANSCRIPT_MT);
  lua_Integer nobody = luaL_checkinteger(L, 4);
  lua_Integer ngroups = luaL_checkinteger(L, 5);
  const th_transcript *t;
  th_segment *segs;
  uint32_t *group_of, *rows = NULL;
  th_totals *into;
  const char *text;
  size_t len, i;
  int st;
  luaL_argcheck(L, tb->live, 2, "transcript is closed");
  t = &tb->t;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_argcheck(L, ngroups >= 0 && ngroups <= 1000000, 5, "ngroups out of range");
  luaL_argcheck(L, nobody >= 0 && nobody <= ngroups, 4, "nobody must be 0..ngroups");
  luaL_argcheck(L, b->tally_live, 1, "matcher has no tally");
  lua_settop(L, 7);
  into = tally_into(L, 6, ngroups, &rows);
  lua_getiuservalue(L, 2, 1);   /* the text the transcript was read from */
  text = lua_tolstring(L, -1, &len);
  luaL_argcheck(L, text != NULL, 2, "transcript has no text");
  group_of = (uint32_t *)lua_newuserdatauv(L, (t->ncandidates + 1) * sizeof(uint32_t), 0);
  group_of[0] = (uint32_t)nobody;
  for (i = 1; i <= t->ncandidates; i++) {
    lua_Integer g;
    lua_geti(L, 3, (lua_Integer)i);
    g = lua_isnil(L, -1) ? 0 : (lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1);
    luaL_argcheck(L, g >= 0 && g <= ngroups, 3, "groups must be integers 0..ngroups");
    group_of[i] = (uint32_t)g;
    lua_pop(L, 1);
  }
  segs = (th_segment *)lua_newuserdatauv(L, (t->nturns ? t->nturns : 1) * sizeof(th_segment), 0);
  for (i = 0; i < t->nturns; i++) {
    const th_turn *tu = &t->turns[i];
    segs[i].start = tu->start;
    segs[i].end = tu->end;
    segs[i].skip = tu->nmarks ? t->marks + tu->mark_off : NULL;
    segs[i].nskip = tu->nmarks;
    segs[i].group = tu->speaker <= t->ncandidates ? group_of[tu->speaker] : 0;
  }
  if ((st = th_tally_run(&b->tally, &b->m, text, segs, t->nturns, (uint32_t)ngroups)) != TH_OK)
    return raise_status(L, st);
  if (into) push_tally_into(L, &b->tally, (uint32_t)ngroups, into, rows);
  else push_tally(L, &b->tally, (uint32_t)ngroups);
  return 1;
}

/* ---------------------------------------------------------------------
** Registration
** ------------------------------------------------------------------ */

static const luaL_Reg core_funcs[] = {
  {"tokens", l_tokens},
  {"normalize", l_normalize},
  {"stem", l_stem},
  {"languages", l_languages},
  {"language_name", l_language_name},
  {"stem_counts", l_stem_counts},
  {"word_count", l_word_count},
  {"utf8_check", l_utf8_check},
  {"realpath", l_realpath},
  {"temp_dir", l_temp_dir},
  {"read_file", l_read_file},
  {"fork", l_fork},
  {"ncpus", l_ncpus},
  {"list_dir", l_list_dir},
  {"wait", l_wait},
  {"exit_now", l_exit_now},
  {"matcher", l_matcher},
  {"transcript", l_transcript},
  {"marks", l_marks},
  {"normalize_label", l_normalize_label},
  {"label_plausible", l_label_plausible},
  {"totals", l_totals},
  {NULL, NULL}
};

static const luaL_Reg matcher_methods[] = {
  {"scan", m_scan},
  {"tally", m_tally},
  {"tally_turns", m_tally_turns},
  {"info", m_info},
  {NULL, NULL}
};

static const luaL_Reg transcript_methods[] = {
  {"candidates", t_candidates},
  {"stats", t_stats},
  {"turns", t_turns},
  {"turn", t_turn},
  {"marks", t_marks},
  {"speakers", t_speakers},
  {"close", transcript_gc},
  {NULL, NULL}
};

static const luaL_Reg totals_methods[] = {
  {"cells", totals_cells},
  {"close", totals_gc},
  {NULL, NULL}
};

__attribute__((visibility("default")))
int luaopen_thematic_core(lua_State *L);

int luaopen_thematic_core(lua_State *L) {
  th_lua_box_metatable(L, LEXBOX_MT, lexbox_gc);
  th_lua_box_metatable(L, NORMBOX_MT, normbox_gc);
  luaL_newmetatable(L, MATCHER_MT);
  lua_pushcfunction(L, matcher_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, matcher_gc);
  lua_setfield(L, -2, "__close");
  luaL_newlib(L, matcher_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  th_lua_box_metatable(L, TRANSCRIPT_MT, transcript_gc);
  luaL_getmetatable(L, TRANSCRIPT_MT);
  luaL_newlib(L, transcript_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  th_lua_box_metatable(L, FDBOX_MT, fdbox_close);
  th_lua_box_metatable(L, DIRBOX_MT, dirbox_close);
  th_lua_box_metatable(L, TOTALS_MT, totals_gc);
  luaL_getmetatable(L, TOTALS_MT);
  luaL_newlib(L, totals_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newlib(L, core_funcs);
  lua_pushliteral(L, THEMATIC_VERSION);
  lua_setfield(L, -2, "_VERSION");
  return 1;
}
