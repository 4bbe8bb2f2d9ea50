/*
** What the operating system tells about the machine: see system.h.
*/
#define _GNU_SOURCE   /* sched_getaffinity, CPU_COUNT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system.h"

int th_ncpus(void) {
  cpu_set_t set;
  long n;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

/* The kind of an entry whose d_type did not tell enough. */
static int entry_kind_by_stat(int dirfd, const char *name) {
  struct stat st;
  if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return TH_ENTRY_FILE;
  if (S_ISDIR(st.st_mode)) return TH_ENTRY_DIR;
  if (!S_ISLNK(st.st_mode)) return TH_ENTRY_FILE;
  if (fstatat(dirfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode)) return TH_ENTRY_LINKED_DIR;
  return TH_ENTRY_FILE;
}

int th_dir_next(DIR *d, const char **name, int *kind) {
  struct dirent *e;
  do {
    errno = 0;
    if ((e = readdir(d)) == NULL) return errno != 0 ? -1 : 0;
  } while (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0);
  switch (e->d_type) {
    case DT_DIR: *kind = TH_ENTRY_DIR; break;
    case DT_LNK: case DT_UNKNOWN: *kind = entry_kind_by_stat(dirfd(d), e->d_name); break;
    default: *kind = TH_ENTRY_FILE; break;
  }
  *name = e->d_name;
  return 1;
}
