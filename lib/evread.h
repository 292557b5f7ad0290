/*
 * evread.h: the reading side of evstream, in a thread of its own. Reading
 * an events stream, splitting its lines at TABs and parsing each ts cost
 * about as much as most checks' own work, so a second thread does them
 * into batches of a few thousand lines while the check takes the batch
 * before. The check sees the lines in input order, one by one, exactly as
 * the TSV reader would have given them, with their line numbers.
 *
 * CSM_THREADS=1 (or a thread that cannot be started) reads in the calling
 * thread instead, through the same code: the output cannot differ.
 * A check may give a preparation hook that runs there too, on each row
 * or, when partial, on as many as keep the two threads even (evrow.h).
 * The check's side prefetches the fields and text of the rows just ahead.
 * Memory: four batches of 2048 lines and at most 1.5 MiB of text each,
 * plus their fields.
 */
#ifndef CSM_EVREAD_H
#define CSM_EVREAD_H

#include <stdint.h>
#include "evrow.h"
#include "input.h"
#include "slice.h"
#include "tsv.h"

/*
 * What evread_next hands out: a TSV status plus one of its own. Only the
 * fields of the item's kind are set.
 */
enum evread_kind {
	EVREAD_ROW = TSV_ROW,		/* f, nf, ts_ms (INT64_MIN: no ts) */
	EVREAD_HEADER = TSV_HEADER,	/* hdr is the new header */
	EVREAD_SAME_HEADER = TSV_SAME_HEADER,	/* the header again */
	EVREAD_BAD_ROW = TSV_BAD_ROW,	/* field count or header line bad */
	EVREAD_LONG = TSV_LONG,		/* line over the input's limit */
	EVREAD_ERROR = TSV_ERROR,	/* read error: errmsg; the last item */
	EVREAD_EOF = TSV_EOF,		/* end of input: the last item */
	EVREAD_BAD_TS = 100		/* a row whose ts does not parse: bad */
};

struct evread_item {
	enum evread_kind kind;
	uint64_t line;			/* line number in the input */
	const struct slice *f;		/* EVREAD_ROW, EVREAD_BAD_TS */
	int nf;
	int64_t ts_ms;
	const uint64_t *aux;		/* EVREAD_ROW: the hook's words, or NULL */
	const uint64_t *ahead;		/* EVREAD_ROW: those of the row
					 * prep.ahead rows on, when it is read
					 * (in the same batch) and prepared */
	struct slice bad;		/* EVREAD_BAD_TS: the ts field */
	const struct tsv_header *hdr;	/* EVREAD_HEADER */
	const char *errmsg;		/* EVREAD_ERROR */
};

struct evread;

/*
 * A preparation hook (evrow.h) to run on every row in the reading thread,
 * with the row's columns mapped to want[0 .. nwant), nwant at most
 * EVROW_MAX_COLS. A partial hook does a share of the check's own work
 * instead: it runs on as many rows as keep the two threads even (none
 * when there is no thread), and the other rows come with aux NULL.
 * With ahead set, each row comes with the hook's words of the row that
 * many rows after it too (for prefetching what that row will need).
 */
struct evread_prep {
	const char *const *want;
	int nwant;
	evrow_prep_fn fn;
	const void *arg;
	int partial;
	size_t ahead;
};

/*
 * Starts reading in (opened, not yet read), with prep's hook when not
 * NULL. Returns NULL when out of memory. The input must not be touched
 * until evread_stop.
 */
struct evread *evread_start(struct input *in, const struct evread_prep *prep);

/*
 * The next item; what it points to stays valid until the next call.
 * After EVREAD_EOF or EVREAD_ERROR it keeps returning that item.
 */
const struct evread_item *evread_next(struct evread *er);

/* Stops the reading (also before the end), waits for it and frees er. */
void evread_stop(struct evread *er);

/*
 * From now on, the batches of a stopped reader (12 MiB) are kept for the
 * next one instead of freed: for the fuzzers, which start thousands of
 * readers, each of whose batches was cleared and faulted in anew. The
 * programs free them: a check's peak memory is after its reading.
 */
void evread_keep_batches(void);

#endif
