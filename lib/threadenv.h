/*
 * threadenv.h: CSM_THREADS=1, the switch that keeps a program in the one
 * thread it starts with (for a machine shared with other work, and for
 * checking that the threads change nothing). Every place that would start
 * a thread of its own asks here. csm-parse also takes other counts
 * (parallel.c).
 */
#ifndef CSM_THREADENV_H
#define CSM_THREADENV_H

#include <stdlib.h>
#include <string.h>

/* Whether CSM_THREADS=1 asks for one thread only. */
static inline int
threadenv_single(void)
{
	const char *env = getenv("CSM_THREADS");

	return env != NULL && strcmp(env, "1") == 0;
}

#endif
