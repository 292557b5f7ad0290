/*
 * parse.h: what csm-parse's main.c hands to the per-input loop.
 */
#ifndef CSM_PARSE_H
#define CSM_PARSE_H

#include <stdint.h>
#include "fmt.h"
#include "outbuf.h"
#include "progress.h"
#include "timeconv.h"

struct parse_run {
	const struct fmt *forced;	/* -f NAME, or NULL for auto */
	struct parse_opts popts;
	uint64_t max_errors;		/* rejections shown per input */
	int strict;			/* stop at the first bad line */
	int stats;			/* summary line for every input */
	struct outbuf *out;
	struct time_cache tc;
	struct progress pg;
	uint64_t done_before;		/* bytes of inputs already finished */
	int stop;			/* --strict tripped: read no more */
};

/* Parses one input operand; returns its exit code (0, 1 or 3). */
int parse_input(struct parse_run *run, const char *path);

#endif
