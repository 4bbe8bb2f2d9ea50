/*
** Zip archives through libzip (docx transcripts, REFI-QDA .qdpx
** projects). libzip allocates with malloc: callers keep the archive handle
** in a userdata whose finaliser closes it, so a Lua error never leaks it.
*/
#ifndef THEMATIC_ZIPIO_H
#define THEMATIC_ZIPIO_H

#include "th_common.h"

struct zip;

/* Opens path for reading; NULL with a message in err (size errlen). */
TH_HIDDEN struct zip *th_zip_open_read(const char *path, char *err, size_t errlen);

/* Reads entry `name` (at most max bytes once inflated) into out.
   Returns TH_OK, or -1 with a message in err. */
TH_HIDDEN int th_zip_read(struct zip *z, const char *name, size_t max,
                          const th_alloc *a, th_buf *out, char *err,
                          size_t errlen);

/* Discards the archive (no changes written). */
TH_HIDDEN void th_zip_close(struct zip *z);

/* Writing: open (truncating), add entries, commit. After th_zip_commit the
   handle is gone, whatever it returns. */
TH_HIDDEN struct zip *th_zip_open_write(const char *path, char *err, size_t errlen);
TH_HIDDEN int th_zip_add(struct zip *z, const char *name, const char *data,
                         size_t len, char *err, size_t errlen);
TH_HIDDEN int th_zip_commit(struct zip *z, char *err, size_t errlen);

#endif
