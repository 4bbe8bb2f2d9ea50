#include <stdio.h>
#include <string.h>

#include <zip.h>

#include "zipio.h"

struct zip *th_zip_open_read(const char *path, char *err, size_t errlen) {
  int code = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &code);
  if (z == NULL) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    snprintf(err, errlen, "%s: not a readable zip archive (%s)", path,
             zip_error_strerror(&ze));
    zip_error_fini(&ze);
  }
  return z;
}

int th_zip_read(struct zip *z, const char *name, size_t max,
                const th_alloc *a, th_buf *out, char *err, size_t errlen) {
  zip_stat_t st;
  zip_file_t *f;
  zip_int64_t n;
  zip_stat_init(&st);
  if (zip_stat(z, name, 0, &st) != 0) {
    snprintf(err, errlen, "no entry '%s' in the archive", name);
    return -1;
  }
  if ((st.valid & ZIP_STAT_SIZE) && st.size > max) {
    snprintf(err, errlen, "entry '%s' inflates to %llu bytes, more than the "
             "limit of %llu", name, (unsigned long long)st.size,
             (unsigned long long)max);
    return -1;
  }
  if ((f = zip_fopen(z, name, 0)) == NULL) {
    snprintf(err, errlen, "cannot open entry '%s': %s", name, zip_strerror(z));
    return -1;
  }
  /* Read in chunks and enforce the limit on what actually inflates: the
     size in the directory can lie (a zip bomb). */
  for (;;) {
    if (th_buf_reserve(a, out, 65536) != TH_OK) {
      zip_fclose(f);
      snprintf(err, errlen, "not enough memory for entry '%s'", name);
      return -1;
    }
    n = zip_fread(f, out->data + out->len, 65536);
    if (n < 0) {
      snprintf(err, errlen, "entry '%s' is corrupt: %s", name,
               zip_file_strerror(f));
      zip_fclose(f);
      return -1;
    }
    if (n == 0) break;
    out->len += (size_t)n;
    if (out->len > max) {
      zip_fclose(f);
      snprintf(err, errlen, "entry '%s' inflates past the limit of %llu bytes",
               name, (unsigned long long)max);
      return -1;
    }
  }
  zip_fclose(f);
  return TH_OK;
}

void th_zip_close(struct zip *z) {
  if (z) zip_discard(z);
}

struct zip *th_zip_open_write(const char *path, char *err, size_t errlen) {
  int code = 0;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (z == NULL) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    snprintf(err, errlen, "%s: cannot create zip archive (%s)", path,
             zip_error_strerror(&ze));
    zip_error_fini(&ze);
  }
  return z;
}

int th_zip_add(struct zip *z, const char *name, const char *data, size_t len,
               char *err, size_t errlen) {
  /* The data must stay alive until th_zip_commit: the caller keeps it. */
  zip_source_t *src = zip_source_buffer(z, data, len, 0);
  if (src == NULL || zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
    snprintf(err, errlen, "cannot add '%s': %s", name, zip_strerror(z));
    if (src) zip_source_free(src);
    return -1;
  }
  return TH_OK;
}

int th_zip_commit(struct zip *z, char *err, size_t errlen) {
  if (zip_close(z) != 0) {
    snprintf(err, errlen, "cannot write the archive: %s", zip_strerror(z));
    zip_discard(z);
    return -1;
  }
  return TH_OK;
}
