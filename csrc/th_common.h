/*
** Shared by the engine files: the allocator they use (Lua's, handed in by
** the binding, so every byte is accounted to the Lua state and an
** out-of-memory becomes a Lua error) and status codes.
** Engine files never include lua.h.
*/
#ifndef THEMATIC_COMMON_H
#define THEMATIC_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Same signature as lua_Alloc: realloc when nsize > 0, free when 0. */
typedef void *(*th_allocf)(void *ud, void *ptr, size_t osize, size_t nsize);

typedef struct th_alloc {
  th_allocf f;
  void *ud;
} th_alloc;

enum {
  TH_OK = 0,
  TH_ENOMEM = -1,     /* the allocator refused */
  TH_EUTF8 = -2,      /* invalid UTF-8 in strict mode */
  TH_ESTEMMER = -3,   /* libstemmer failed */
  TH_ETOOBIG = -4     /* a size that does not fit our counters */
};

#define TH_HIDDEN __attribute__((visibility("hidden")))

static inline void *th_realloc(const th_alloc *a, void *p, size_t osize,
                               size_t nsize) {
  return a->f(a->ud, p, osize, nsize);
}

static inline void th_free(const th_alloc *a, void *p, size_t size) {
  if (p != NULL) a->f(a->ud, p, size, 0);
}

/* Grows *arr (elements of esize bytes, capacity *cap) to hold at least
   need elements. Returns TH_OK or TH_ENOMEM (the old array stays valid). */
TH_HIDDEN int th_grow(const th_alloc *a, void **arr, size_t *cap,
                      size_t need, size_t esize);

/* Unaligned loads and stores of machine words, in the machine's byte
   order (memcpy: compilers make one instruction of it). */
static inline uint64_t th_load64(const char *s) {
  uint64_t w;
  memcpy(&w, s, 8);
  return w;
}

static inline uint32_t th_load32(const char *s) {
  uint32_t w;
  memcpy(&w, s, 4);
  return w;
}

static inline void th_store64(char *o, uint64_t w) {
  memcpy(o, &w, 8);
}

/* A byte range of a text, [start, end), 0-based. */
typedef struct th_range { size_t start, end; } th_range;

/* Does byte offset `at` fall in one of the sorted, disjoint ranges
   r[0..n)? *k is a cursor into r that only moves forward, so the offsets
   asked about must not decrease (tokens in text order): the ranges left
   out of a scan (transcription marks) cost one test a token. */
static inline int th_in_ranges(const th_range *r, size_t n, size_t *k,
                               size_t at) {
  while (*k < n && r[*k].end <= at) (*k)++;
  return *k < n && r[*k].start <= at;
}

/* A growable byte buffer owned by its user. */
typedef struct th_buf {
  char *data;
  size_t len, cap;
} th_buf;

TH_HIDDEN int th_buf_grow(const th_alloc *a, th_buf *b, size_t extra);

/* Makes room for extra more bytes in b. Inline for the common case, room
   enough already: the lexicon reserves a few bytes for every new form. (A
   buffer with no data yet goes through th_buf_grow whatever extra is.) */
static inline int th_buf_reserve(const th_alloc *a, th_buf *b,
                                 size_t extra) {
  return b->data != NULL && extra <= b->cap - b->len
         ? TH_OK : th_buf_grow(a, b, extra);
}
TH_HIDDEN void th_buf_free(const th_alloc *a, th_buf *b);

#endif
