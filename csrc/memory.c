/*
** Growable arrays and buffers on the caller's allocator.
*/
#include <string.h>

#include "th_common.h"

int th_grow(const th_alloc *a, void **arr, size_t *cap, size_t need,
            size_t esize) {
  size_t ncap;
  void *p;
  if (need <= *cap) return TH_OK;
  ncap = *cap ? *cap : 16;
  while (ncap < need) {
    if (ncap > ((size_t)-1 / 2) / esize) return TH_ETOOBIG;
    ncap *= 2;
  }
  p = th_realloc(a, *arr, *cap * esize, ncap * esize);
  if (p == NULL) return TH_ENOMEM;
  *arr = p;
  *cap = ncap;
  return TH_OK;
}

int th_buf_grow(const th_alloc *a, th_buf *b, size_t extra) {
  void *p = b->data;
  int st;
  if (extra > (size_t)-1 - b->len) return TH_ETOOBIG;
  st = th_grow(a, &p, &b->cap, b->len + extra, 1);
  b->data = p;
  return st;
}

void th_buf_free(const th_alloc *a, th_buf *b) {
  th_free(a, b->data, b->cap);
  b->data = NULL;
  b->len = b->cap = 0;
}
