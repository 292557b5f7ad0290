/*
 * evstream.h: the input side of every check. Runs each operand (a file,
 * "-" for standard input, plain or gzip) through the TSV reader, maps the
 * columns the check needs by name (again whenever a concatenated stream
 * changes its header), hands each record to the check, and accounts for
 * every line: bad records are reported as "prog: file:line: reason" and
 * counted, read errors end the input loudly.
 */
#ifndef CSM_EVSTREAM_H
#define CSM_EVSTREAM_H

#include <stdint.h>
#include "diag.h"
#include "fmt.h"
#include "input.h"
#include "evrow.h"
#include "slice.h"

#define EVSTREAM_MAX_COLS EVROW_MAX_COLS

/*
 * A check's per-record function: returns LINE_USED, LINE_SKIPPED (a
 * record the check has nothing to say about) or LINE_REJECTED with
 * row->reason set.
 */
typedef enum line_result (*evstream_fn)(void *arg, struct evrow *row);

/*
 * A check's per-record preparation (optional): run in the reading thread
 * (evread.h), in input order, on each record ahead of fn, which gets
 * what it wrote as row->aux. It may change nothing fn reads, so it works
 * out what depends on the record alone (numbers, hashes of names) and
 * leaves the check's tables to fn: that balances the two threads.
 */
typedef evrow_prep_fn evstream_prep_fn;

/*
 * Or, with prep_partial set, a share of fn's own work that the reading
 * thread takes on as it has time: prep runs on some records only, as many
 * as keep the two threads even, and the others reach fn with aux NULL.
 */

/*
 * And with it, optionally, a look-ahead (evrow.h): fn(arg) is about to
 * get a row for which prep wrote aux; memory latency, not work, is what
 * a check with large tables waits on.
 */
typedef evrow_ahead_fn evstream_ahead_fn;

struct evstream {
	const char *const *want;	/* column names; "ts" need not be here */
	int nwant;
	int nrequired;			/* want[0..nrequired) must exist */
	evstream_fn fn;
	void *arg;
	evstream_prep_fn prep;		/* NULL: none */
	const void *prep_arg;
	int prep_partial;
	evstream_ahead_fn ahead;	/* NULL: none; arg is fn's */
	uint64_t max_errors;		/* rejections shown per input */
	int stats;			/* summary line for every input */
	struct line_stats total;	/* over all inputs */
	uint64_t hdr_seq;		/* headers read so far */
};

/*
 * Reads every operand (none: standard input) through es->fn. Returns the
 * worst exit status: 0, 1 (rows rejected) or 3 (an input unreadable, a
 * required column missing, a read or gzip error).
 */
int evstream_run(struct evstream *es, char **files, int nfiles);

/* Reads one opened input, counting into st; returns its exit status. */
typedef int (*evstream_input_fn)(void *arg, struct input *in,
    struct line_stats *st);

/*
 * The operand loop under evstream_run, for filters that read lines their
 * own way: opens each operand (none: standard input), runs fn on it,
 * prints the summary line (always with stats, else when lines were
 * rejected), adds the counts to total when not NULL, and returns the
 * worst exit status.
 */
int evstream_each(char **files, int nfiles, evstream_input_fn fn, void *arg,
    int stats, uint64_t max_errors, struct line_stats *total);

#endif
