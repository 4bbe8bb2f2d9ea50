#include <string.h>

#include "strmap.h"

/* A slot's tag: 27 bits of the hash (the upper half, while the index
   comes from the lower), bit 4 set so that no tag is 0, and in the low 4
   bits the key's length when it is inline (15 for a longer key, whose
   length is in the slot). Equal tags thus mean equal short lengths. */
#define LONG_KEY 15u

static uint32_t slot_tag(uint64_t hash, size_t len) {
  return ((uint32_t)(hash >> 32) & ~0x1Fu) | 0x10u |
         (len <= TH_INLINE_KEY ? (uint32_t)len : LONG_KEY);
}

static size_t slot_len(const th_slot *s) {
  return (s->tag & 0xF) == LONG_KEY ? s->key.ext.len : (s->tag & 0xF);
}

static const char *slot_key(const th_strmap *m, const th_slot *s) {
  return (s->tag & 0xF) == LONG_KEY ? m->keys.data + s->key.ext.off : s->key.inl;
}

void th_strmap_init(th_strmap *m, th_alloc alloc) {
  memset(m, 0, sizeof *m);
  m->alloc = alloc;
}

void th_strmap_free(th_strmap *m) {
  th_free(&m->alloc, m->slots, m->nslots * sizeof(th_slot));
  th_buf_free(&m->alloc, &m->keys);
  m->slots = NULL;
  m->nslots = m->count = 0;
}

void th_strmap_clear(th_strmap *m) {
  if (m->slots) memset(m->slots, 0, m->nslots * sizeof(th_slot));
  m->count = 0;
  m->keys.len = 0;
}

th_slot *th_strmap_get(const th_strmap *m, const char *key, size_t len,
                       uint64_t hash) {
  size_t mask, i;
  uint32_t tag = slot_tag(hash, len);
  if (m->nslots == 0) return NULL;
  mask = m->nslots - 1;
  for (i = (size_t)hash & mask;; i = (i + 1) & mask) {
    th_slot *s = &m->slots[i];
    if (s->tag == 0) return NULL;
    if (s->tag != tag) continue;
    if (len <= TH_INLINE_KEY) {
      if (th_same_short(s->key.inl, key, len)) return s;
    } else if (s->key.ext.len == len &&
               memcmp(m->keys.data + s->key.ext.off, key, len) == 0) {
      return s;
    }
  }
}

/* Slots keep no full hash: moving them hashes their keys again (rarely,
   since tables are sized up front where the size can be guessed). */
static int rehash(th_strmap *m, size_t nslots) {
  th_slot *old = m->slots, *ns;
  size_t oldn = m->nslots, i;
  ns = th_realloc(&m->alloc, NULL, 0, nslots * sizeof(th_slot));
  if (ns == NULL) return TH_ENOMEM;
  memset(ns, 0, nslots * sizeof(th_slot));
  for (i = 0; i < oldn; i++) {
    if (old[i].tag) {
      size_t j = (size_t)th_hash(slot_key(m, &old[i]), slot_len(&old[i])) & (nslots - 1);
      while (ns[j].tag) j = (j + 1) & (nslots - 1);
      ns[j] = old[i];
    }
  }
  th_free(&m->alloc, old, oldn * sizeof(th_slot));
  m->slots = ns;
  m->nslots = nslots;
  return TH_OK;
}

th_slot *th_strmap_put(th_strmap *m, const char *key, size_t len,
                       uint64_t hash, uint32_t value, int *added) {
  th_slot *s;
  size_t mask, i;
  *added = 0;
  if ((s = th_strmap_get(m, key, len, hash)) != NULL) return s;
  if (len > UINT32_MAX || m->keys.len + len > UINT32_MAX) return NULL;
  if ((m->count + 1) * 4 > m->nslots * 3) {   /* load factor 3/4 */
    if (rehash(m, m->nslots ? m->nslots * 2 : 64) != TH_OK) return NULL;
  }
  if (len > TH_INLINE_KEY &&
      th_buf_reserve(&m->alloc, &m->keys, len + 1) != TH_OK) return NULL;
  mask = m->nslots - 1;
  for (i = (size_t)hash & mask; m->slots[i].tag; i = (i + 1) & mask) {}
  s = &m->slots[i];
  s->tag = slot_tag(hash, len);
  s->value = value;
  if (len <= TH_INLINE_KEY) {
    if (len) memcpy(s->key.inl, key, len);
  } else {
    s->key.ext.off = (uint32_t)m->keys.len;
    s->key.ext.len = (uint32_t)len;
    memcpy(m->keys.data + m->keys.len, key, len);
    m->keys.data[m->keys.len + len] = '\0';
    m->keys.len += len + 1;
  }
  m->count++;
  *added = 1;
  return s;
}

int th_strmap_reserve(th_strmap *m, size_t count) {
  size_t n = 64;
  while (n * 3 < count * 4) {
    if (n > ((size_t)-1 / 2) / sizeof(th_slot)) return TH_ETOOBIG;
    n *= 2;
  }
  return n > m->nslots ? rehash(m, n) : TH_OK;
}
