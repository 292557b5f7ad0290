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
#include "slice.h"

#define EVSTREAM_MAX_COLS 32

/* One record as the check sees it. */
struct tsv_header;

struct evrow {
	const struct slice *f;	/* fields of the record, escaped as written */
	int nf;			/* how many */
	const struct tsv_header *hdr;	/* the header they belong to */
	uint64_t hdr_seq;	/* changes whenever the header does */
	const int *idx;		/* idx[i]: field of the i-th wanted column, or
				 * -1 for an optional column the header lacks */
	int64_t ts_ms;		/* the ts column, parsed */
	const char *file;	/* input name as given */
	uint64_t line;		/* line number in that input */
	char reason[256];	/* set by the check when it rejects the row */
};

/*
 * A check's per-record function: returns LINE_USED, LINE_SKIPPED (a
 * record the check has nothing to say about) or LINE_REJECTED with
 * row->reason set.
 */
typedef enum line_result (*evstream_fn)(void *arg, struct evrow *row);

struct evstream {
	const char *const *want;	/* column names; "ts" need not be here */
	int nwant;
	int nrequired;			/* want[0..nrequired) must exist */
	evstream_fn fn;
	void *arg;
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

/* Field i of row's wanted columns, or an empty slice when absent. */
static inline struct slice
evrow_get(const struct evrow *row, int i)
{
	return row->idx[i] >= 0 ? row->f[row->idx[i]] :
	    slice_make(row->f[0].p, 0);
}

#endif
