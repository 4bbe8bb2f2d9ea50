/*
** What the operating system tells about the machine, for `count --jobs`.
*/
#ifndef THEMATIC_SYSTEM_H
#define THEMATIC_SYSTEM_H

#include "th_common.h"

/* The number of CPUs this process may run on (its affinity mask, as
   nproc(1) counts them: taskset and cgroup cpusets lower it), at least 1. */
TH_HIDDEN int th_ncpus(void);

#endif
