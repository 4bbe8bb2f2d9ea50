/*
** What the operating system tells about the machine, for `count --jobs`.
*/
#ifndef THEMATIC_SYSTEM_H
#define THEMATIC_SYSTEM_H

#include <dirent.h>

#include "th_common.h"

/* The number of CPUs this process may run on (its affinity mask, as
   nproc(1) counts them: taskset and cgroup cpusets lower it), at least 1. */
TH_HIDDEN int th_ncpus(void);

/* The kind of a directory entry, from readdir's d_type where the file
   system gives it (no stat(2) per file), else from stat(2). A symbolic
   link counts as what it points to, except that a link to a directory is
   TH_ENTRY_LINKED_DIR (a walk does not follow it: a link back up the tree
   would never end); a broken link counts as a file. */
enum { TH_ENTRY_FILE = 0, TH_ENTRY_DIR = 1, TH_ENTRY_LINKED_DIR = 2 };

/* Reads the next entry of d but "." and "..": 1, with *name (valid until
   the next call) and *kind set; 0 at the end; -1, with errno set, when the
   directory cannot be read. */
TH_HIDDEN int th_dir_next(DIR *d, const char **name, int *kind);

#endif
