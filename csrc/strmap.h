/*
** A hash map from byte strings to 32-bit values, with open addressing and
** the keys copied into one arena. Used for the word-form cache and for
** every pattern table of the matcher.
*/
#ifndef THEMATIC_STRMAP_H
#define THEMATIC_STRMAP_H

#include <string.h>

#include "th_common.h"

/* Eight bytes at a time, each block folded in with a multiply and a shift
   (the finaliser of splitmix64): word forms are short, and a byte-wise
   hash such as FNV-1a spends a dependent multiply on every byte. 0 is
   reserved for empty slots. Inline: the lexicon hashes every token. */
static inline uint64_t th_hash(const char *s, size_t len) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len;
  while (len >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
    s += 8;
    len -= 8;
  }
  if (len) {
    /* The last 1-7 bytes with two overlapping loads (the length is in the
       seed, so the overlap loses nothing), not a loop over bytes. */
    const unsigned char *u = (const unsigned char *)s;
    uint64_t w;
    if (len >= 4) {
      uint32_t a, b;
      memcpy(&a, u, 4);
      memcpy(&b, u + len - 4, 4);
      w = ((uint64_t)a << 32) | b;
    } else {
      w = (uint64_t)u[0] | ((uint64_t)u[len / 2] << 8) | ((uint64_t)u[len - 1] << 16);
    }
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
  }
  h ^= h >> 30;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 31;
  return h ? h : 1;
}

/* Are a[0..len) and b[0..len) equal, for len <= 24? Two or three
   overlapping loads instead of a loop or a call to memcmp: most words are
   a few bytes long, and this is on the path of every token. */
static inline int th_same_short(const char *a, const char *b, size_t len) {
  if (len >= 8) {
    uint64_t x, y, u, v;
    memcpy(&x, a, 8); memcpy(&y, b, 8);
    memcpy(&u, a + len - 8, 8); memcpy(&v, b + len - 8, 8);
    if ((x ^ y) | (u ^ v)) return 0;
    if (len > 16) {
      memcpy(&x, a + 8, 8); memcpy(&y, b + 8, 8);
      return x == y;
    }
    return 1;
  }
  if (len >= 4) {
    uint32_t x, y, u, v;
    memcpy(&x, a, 4); memcpy(&y, b, 4);
    memcpy(&u, a + len - 4, 4); memcpy(&v, b + len - 4, 4);
    return ((x ^ y) | (u ^ v)) == 0;
  }
  return len == 0 || (a[0] == b[0] && a[len / 2] == b[len / 2] &&
                      a[len - 1] == b[len - 1]);
}

/* Keys up to TH_INLINE_KEY bytes live in the slot itself, so finding a
   short word costs one cache line, not two; longer ones in the arena. */
#define TH_INLINE_KEY 8

/* 16 bytes, four to a cache line: the tables are half the size they were
   with a 64-bit hash and 16 inline bytes in each slot, and a table of a
   few hundred thousand forms is megabytes that are faulted in, cleared
   and missed in the caches. A short key is its own check (length and
   bytes); a longer one keeps 32 bits of its hash to skip most others
   without reading the arena. */
#define TH_SLOT_EMPTY UINT32_MAX   /* key_len of an empty slot */

typedef struct th_slot {
  uint32_t key_len;
  uint32_t value;
  union {
    char inl[TH_INLINE_KEY];
    struct { uint32_t off, tag; } ext;   /* in keys; the hash's upper half */
  } key;
} th_slot;

typedef struct th_strmap {
  th_alloc alloc;
  th_slot *slots;
  size_t nslots;       /* a power of two, or 0 */
  size_t count;
  th_buf keys;
} th_strmap;

TH_HIDDEN void th_strmap_init(th_strmap *m, th_alloc alloc);
TH_HIDDEN void th_strmap_free(th_strmap *m);
TH_HIDDEN void th_strmap_clear(th_strmap *m);

/* Makes room for count keys without further rehashing. */
TH_HIDDEN int th_strmap_reserve(th_strmap *m, size_t count);

/* The slot holding key, or NULL. hash is always th_hash(key, len): the
   table hashes keys again when it grows. */
TH_HIDDEN th_slot *th_strmap_get(const th_strmap *m, const char *key,
                                 size_t len, uint64_t hash);

/* The slot for key, inserted with `value` if it was missing (*added = 1).
   Returns NULL when out of memory. */
TH_HIDDEN th_slot *th_strmap_put(th_strmap *m, const char *key, size_t len,
                                 uint64_t hash, uint32_t value, int *added);


static inline const char *th_slot_key(const th_strmap *m, const th_slot *s) {
  return s->key_len <= TH_INLINE_KEY ? s->key.inl : m->keys.data + s->key.ext.off;
}

#endif
