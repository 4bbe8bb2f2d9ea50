/*
** Shared by the libFuzzer targets: an allocator with the lua_Alloc
** signature on realloc/free (the engine files take one, see th_common.h),
** and a UTF-8 validity check for the invariants.
*/
#ifndef THEMATIC_FUZZ_COMMON_H
#define THEMATIC_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "th_common.h"
#include "utf8.h"

static inline void *fuzz_allocf(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

static const th_alloc fuzz_alloc = {fuzz_allocf, NULL};

/* Fails the run with a message: an invariant does not hold. */
#define FUZZ_CHECK(cond, ...)                                          \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "invariant failed at %s:%d: %s: ", __FILE__,     \
              __LINE__, #cond);                                        \
      fprintf(stderr, __VA_ARGS__);                                    \
      fputc('\n', stderr);                                             \
      abort();                                                         \
    }                                                                  \
  } while (0)

/* Is s[0..len) valid UTF-8 (shortest forms of scalar values only)? */
static inline int fuzz_valid_utf8(const char *s, size_t len) {
  size_t i = 0, n;
  int ok;
  while (i < len) {
    th_utf8_decode((const unsigned char *)s + i, len - i, &n, &ok);
    if (!ok) return 0;
    i += n;
  }
  return 1;
}

#endif
