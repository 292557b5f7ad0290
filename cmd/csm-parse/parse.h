/*
 * parse.h: what csm-parse's main.c hands to the per-input loop.
 */
#ifndef CSM_PARSE_H
#define CSM_PARSE_H

#include <stdint.h>
#include "diag.h"
#include "fmt.h"
#include "input.h"
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
	int workers;			/* parallel_workers(), found once */
	const char *origin;		/* the current input's name, escaped */
	int64_t since_ms, until_ms;	/* --since/--until, both inclusive */
	int windowed;			/* either was given */
};

/*
 * Whether ev passes --since/--until. Checked before an event is written,
 * where the cost is one comparison: the formatting is what it saves. An
 * event without a time cannot be placed in the window and is left out.
 */
static inline int
parse_in_window(const struct parse_run *run, const struct event *ev)
{
	return !run->windowed || (ev->has_ts && ev->ts_ms >= run->since_ms &&
	    ev->ts_ms <= run->until_ms);
}

/*
 * Warnings about one input's records (warnings.c): warn_show prints one
 * as "NAME:LINE: warning: MSG" while fewer than max were, counting all;
 * warn_summary says how many were not shown.
 */
struct warn_tally {
	const char *name;
	uint64_t max;			/* --max-errors */
	uint64_t warned;
};
void warn_show(struct warn_tally *wt, uint64_t line, const char *msg);
void warn_summary(const struct warn_tally *wt);

/* Parses one input operand; returns its exit code (0, 1 or 3). */
int parse_input(struct parse_run *run, const char *path);

/* Reports a read or decompression error of in; returns EXIT_INCOMPLETE. */
int report_read_error(const struct input *in);

/*
 * How many worker threads to parse line-local formats with: CSM_THREADS
 * when set, else the number of processors (at most 4); 0 means parse in
 * the main thread.
 */
int parallel_workers(void);

/*
 * Parses all lines of in with f (a line_local format, or one with a carry)
 * on nworkers threads,
 * writing events and diagnostics in input order and counting into st.
 * Returns the exit code for the input (0 or 3; rejections are in st).
 */
int parse_lines_parallel(struct parse_run *run, struct input *in,
    const struct fmt *f, struct line_stats *st, int nworkers);

#endif
