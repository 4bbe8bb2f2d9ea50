/*
** A hash map from byte strings to 32-bit values, with open addressing and
** the keys copied into one arena. Used for the word-form cache and for
** every pattern table of the matcher.
*/
#ifndef THEMATIC_STRMAP_H
#define THEMATIC_STRMAP_H

#include "th_common.h"

/* Keys up to TH_INLINE_KEY bytes live in the slot itself, so finding a
   short word costs one cache line, not two. */
#define TH_INLINE_KEY 16

typedef struct th_slot {
  uint64_t hash;       /* 0 marks an empty slot */
  uint32_t key_len;
  uint32_t value;
  union {
    char inl[TH_INLINE_KEY];
    uint32_t off;      /* into keys, for longer keys */
  } key;
} th_slot;

typedef struct th_strmap {
  th_alloc alloc;
  th_slot *slots;
  size_t nslots;       /* a power of two, or 0 */
  size_t count;
  th_buf keys;
} th_strmap;

TH_HIDDEN uint64_t th_hash(const char *s, size_t len);
TH_HIDDEN void th_strmap_init(th_strmap *m, th_alloc alloc);
TH_HIDDEN void th_strmap_free(th_strmap *m);
TH_HIDDEN void th_strmap_clear(th_strmap *m);

/* Makes room for count keys without further rehashing. */
TH_HIDDEN int th_strmap_reserve(th_strmap *m, size_t count);

/* The slot holding key, or NULL. */
TH_HIDDEN th_slot *th_strmap_get(const th_strmap *m, const char *key,
                                 size_t len, uint64_t hash);

/* The slot for key, inserted with `value` if it was missing (*added = 1).
   Returns NULL when out of memory. */
TH_HIDDEN th_slot *th_strmap_put(th_strmap *m, const char *key, size_t len,
                                 uint64_t hash, uint32_t value, int *added);

static inline const char *th_slot_key(const th_strmap *m, const th_slot *s) {
  return s->key_len <= TH_INLINE_KEY ? s->key.inl : m->keys.data + s->key.off;
}

#endif
