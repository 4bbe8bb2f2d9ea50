/*
** The normaliser, with and without accent stripping. Invariants: the
** output is valid UTF-8; text already in the buffer is kept; ASCII input
** gives ASCII output of the same length (lower-cased).
*/
#include "fuzz_common.h"
#include "normalize.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  static const char prefix[] = "keep\xC3\xA9";
  int strip;
  for (strip = 0; strip <= 1; strip++) {
    th_normalizer nz;
    th_buf out = {NULL, 0, 0};
    size_t i;
    int ascii = 1, rc;
    th_normalizer_init(&nz, fuzz_alloc, strip);
    FUZZ_CHECK(th_buf_reserve(&fuzz_alloc, &out, sizeof prefix - 1) == TH_OK, "oom");
    memcpy(out.data, prefix, sizeof prefix - 1);
    out.len = sizeof prefix - 1;
    rc = th_normalize(&nz, (const char *)data, size, &out);
    FUZZ_CHECK(rc == TH_OK, "th_normalize returned %d", rc);
    FUZZ_CHECK(out.len >= sizeof prefix - 1 &&
               memcmp(out.data, prefix, sizeof prefix - 1) == 0, "prefix lost");
    FUZZ_CHECK(fuzz_valid_utf8(out.data + sizeof prefix - 1, out.len - (sizeof prefix - 1)),
               "output is not valid UTF-8 (strip_accents=%d)", strip);
    for (i = 0; i < size; i++)
      if (data[i] >= 0x80) { ascii = 0; break; }
    if (ascii) {
      FUZZ_CHECK(out.len - (sizeof prefix - 1) == size, "ASCII length changed");
      for (i = 0; i < size; i++) {
        unsigned char c = data[i], o = (unsigned char)out.data[sizeof prefix - 1 + i];
        FUZZ_CHECK(o == ((c >= 'A' && c <= 'Z') ? c + 32 : c), "ASCII byte %zu", i);
      }
    }
    /* A second call on the same normaliser reuses its scratch space. */
    out.len = 0;
    rc = th_normalize(&nz, (const char *)data, size / 2, &out);
    FUZZ_CHECK(rc == TH_OK, "second th_normalize returned %d", rc);
    FUZZ_CHECK(fuzz_valid_utf8(out.data, out.len), "second output not valid UTF-8");
    th_buf_free(&fuzz_alloc, &out);
    th_normalizer_free(&nz);
  }
  return 0;
}
