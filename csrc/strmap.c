#include <string.h>

#include "strmap.h"

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

/* Every slot empty (key_len TH_SLOT_EMPTY). */
static void clear_slots(th_slot *slots, size_t n) {
  memset(slots, 0xFF, n * sizeof(th_slot));
}

void th_strmap_clear(th_strmap *m) {
  if (m->slots) clear_slots(m->slots, m->nslots);
  m->count = 0;
  m->keys.len = 0;
}

th_slot *th_strmap_get(const th_strmap *m, const char *key, size_t len,
                       uint64_t hash) {
  size_t mask, i;
  if (m->nslots == 0) return NULL;
  mask = m->nslots - 1;
  if (len <= TH_INLINE_KEY) {
    for (i = (size_t)hash & mask;; i = (i + 1) & mask) {
      th_slot *s = &m->slots[i];
      if (s->key_len == TH_SLOT_EMPTY) return NULL;
      if (s->key_len == len && th_same_short(s->key.inl, key, len)) return s;
    }
  } else {
    uint32_t tag = (uint32_t)(hash >> 32);
    for (i = (size_t)hash & mask;; i = (i + 1) & mask) {
      th_slot *s = &m->slots[i];
      if (s->key_len == TH_SLOT_EMPTY) return NULL;
      if (s->key_len == len && s->key.ext.tag == tag &&
          memcmp(m->keys.data + s->key.ext.off, key, len) == 0)
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
  clear_slots(ns, nslots);
  for (i = 0; i < oldn; i++) {
    if (old[i].key_len != TH_SLOT_EMPTY) {
      size_t j = (size_t)th_hash(th_slot_key(m, &old[i]), old[i].key_len) & (nslots - 1);
      while (ns[j].key_len != TH_SLOT_EMPTY) j = (j + 1) & (nslots - 1);
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
  *added = 0;
  if ((s = th_strmap_get(m, key, len, hash)) != NULL) return s;
  if ((s = th_strmap_insert(m, key, len, hash, value)) != NULL) *added = 1;
  return s;
}

th_slot *th_strmap_insert(th_strmap *m, const char *key, size_t len,
                          uint64_t hash, uint32_t value) {
  th_slot *s;
  size_t mask, i;
  if (len >= TH_SLOT_EMPTY || m->keys.len + len > UINT32_MAX) return NULL;
  if ((m->count + 1) * 4 > m->nslots * 3) {   /* load factor 3/4 */
    if (rehash(m, m->nslots ? m->nslots * 2 : 64) != TH_OK) return NULL;
  }
  if (len > TH_INLINE_KEY &&
      th_buf_reserve(&m->alloc, &m->keys, len + 1) != TH_OK) return NULL;
  mask = m->nslots - 1;
  for (i = (size_t)hash & mask; m->slots[i].key_len != TH_SLOT_EMPTY;
       i = (i + 1) & mask) {}
  s = &m->slots[i];
  s->key_len = (uint32_t)len;
  s->value = value;
  if (len <= TH_INLINE_KEY) {
    if (len) memcpy(s->key.inl, key, len);
  } else {
    s->key.ext.off = (uint32_t)m->keys.len;
    s->key.ext.tag = (uint32_t)(hash >> 32);
    memcpy(m->keys.data + m->keys.len, key, len);
    m->keys.data[m->keys.len + len] = '\0';
    m->keys.len += len + 1;
  }
  m->count++;
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
