/*
** A hash map from byte strings to 32-bit values, with open addressing and
** the keys copied into one arena. Used for the word-form cache and for
** every pattern table of the matcher.
*/
#ifndef THEMATIC_STRMAP_H
#define THEMATIC_STRMAP_H

#include <string.h>

#include "th_common.h"

/* A key of up to 16 bytes as two words: byte i of the key is bits
   8*(i%8)..8*(i%8)+7 of w[i/8], the bytes past its end are zero. Word
   forms are short (98% of the tokens of English prose have at most 16
   bytes), and two words are compared, hashed and stored in a cache entry
   without a loop over bytes. */
typedef struct th_key {
  uint64_t w0, w1;
} th_key;

#define TH_KEY_MAX 16

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TH_LITTLE_ENDIAN 1
#else
#define TH_LITTLE_ENDIAN 0
#endif

/* The key of s[0..len), len <= 16, reading only those bytes. */
static inline th_key th_key_of(const char *s, size_t len) {
  th_key k;
#if TH_LITTLE_ENDIAN
  /* overlapping loads: the overlap holds the same bytes twice */
  if (len >= 8) {
    k.w0 = th_load64(s);
    k.w1 = len > 8 ? th_load64(s + len - 8) >> (8 * (16 - len)) : 0;
  } else if (len >= 4) {
    k.w0 = th_load32(s) | (uint64_t)th_load32(s + len - 4) << (8 * (len - 4));
    k.w1 = 0;
  } else {
    const unsigned char *u = (const unsigned char *)s;
    k.w0 = len ? (uint64_t)u[0] | (uint64_t)u[len / 2] << (8 * (len / 2)) |
                 (uint64_t)u[len - 1] << (8 * (len - 1))
               : 0;
    k.w1 = 0;
  }
#else
  size_t i;
  k.w0 = k.w1 = 0;
  for (i = 0; i < len; i++) {
    uint64_t b = (unsigned char)s[i];
    if (i < 8) k.w0 |= b << (8 * i);
    else k.w1 |= b << (8 * (i - 8));
  }
#endif
  return k;
}

/* The same key when 16 bytes can be read at s (the caller knows its text
   goes on): two loads and two masks, no branch on the length. */
static inline th_key th_key_of16(const char *s, size_t len) {
#if TH_LITTLE_ENDIAN
  static const uint64_t mask[2][17] = {
    { 0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFF, 0xFFFFFFFFFFFF,
      0xFFFFFFFFFFFFFF, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL,
      ~0ULL, ~0ULL },
    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF,
      0xFFFFFFFFFF, 0xFFFFFFFFFFFF, 0xFFFFFFFFFFFFFF, ~0ULL } };
  th_key k;
  k.w0 = th_load64(s) & mask[0][len];
  k.w1 = th_load64(s + 8) & mask[1][len];
  return k;
#else
  return th_key_of(s, len);
#endif
}

static inline int th_key_eq(th_key a, th_key b) {
  return ((a.w0 ^ b.w0) | (a.w1 ^ b.w1)) == 0;
}

/* The hash of a key of len <= 16 bytes: each word multiplied by its own
   odd constant (the two multiplies run side by side), then the finaliser
   of splitmix64. */
static inline uint64_t th_hash_key(th_key k, size_t len) {
  uint64_t a = (k.w0 ^ 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
  uint64_t b = (k.w1 ^ (uint64_t)len) * 0x94D049BB133111EBULL;
  uint64_t h = a ^ (b >> 32 | b << 32);
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 31;
  return h;
}

/* The hash of any byte string. Keys of up
   to 16 bytes hash as their th_key (th_hash_key); longer ones eight bytes
   at a time, each block folded in with a multiply and a shift. Inline:
   the lexicon hashes every token. */
static inline uint64_t th_hash(const char *s, size_t len) {
  uint64_t h;
  if (len <= TH_KEY_MAX) return th_hash_key(th_key_of(s, len), len);
  h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len;
  while (len >= 8) {
    h = (h ^ th_load64(s)) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
    s += 8;
    len -= 8;
  }
  if (len) {   /* the last 1-7 bytes, with the 8 before them (len > 16) */
    h = (h ^ th_load64(s + len - 8)) * 0xBF58476D1CE4E5B9ULL;
  }
  h ^= h >> 30;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 31;
  return h;
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

/* th_strmap_put for a key the caller has just failed to find
   (th_strmap_get), with no search for it again. Returns the new slot, or
   NULL when out of memory. */
TH_HIDDEN th_slot *th_strmap_insert(th_strmap *m, const char *key, size_t len,
                                    uint64_t hash, uint32_t value);


/* Starts loading the slot of hash h into the cache, for a caller that
   will look it up soon: in a table of megabytes, waiting for its misses
   one at a time is most of the cost of a lookup. */
static inline void th_strmap_prefetch(const th_strmap *m, uint64_t h) {
#if defined(__GNUC__)
  if (m->nslots) __builtin_prefetch(&m->slots[h & (m->nslots - 1)]);
#else
  (void)m; (void)h;
#endif
}

static inline const char *th_slot_key(const th_strmap *m, const th_slot *s) {
  return s->key_len <= TH_INLINE_KEY ? s->key.inl : m->keys.data + s->key.ext.off;
}

#endif
