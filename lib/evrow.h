/*
 * evrow.h: one record of an events stream as a check sees it, and the
 * record's preparation hook, shared by evstream (which hands records to
 * the check) and evread (which runs the hook in its reading thread).
 */
#ifndef CSM_EVROW_H
#define CSM_EVROW_H

#include <stdint.h>
#include "slice.h"

#define EVROW_AUX 8	/* words a preparation hook may fill */
#define EVROW_MAX_COLS 32	/* wanted columns at most */

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
	const uint64_t *aux;	/* what the preparation hook wrote; or NULL */
	char reason[256];	/* set by the check when it rejects the row */
};

/* A preparation hook: reads row, writes aux[EVROW_AUX] (see evstream.h). */
typedef void (*evrow_prep_fn)(const void *arg, const struct evrow *row,
    uint64_t *aux);

/*
 * A look-ahead hook: called with the words the preparation hook wrote for
 * a row EVROW_AHEAD rows before that row reaches the check, in the
 * check's thread, to prefetch what it will touch.
 */
typedef void (*evrow_ahead_fn)(void *arg, const uint64_t *aux);
#define EVROW_AHEAD 16

/*
 * Every field of a row is followed by at least this many readable bytes
 * (evread reads its batches with room to spare), so that a field can be
 * loaded whole: num_field_u64_padded.
 */
#define EVROW_SLACK 8

/* Field i of row's wanted columns, or an empty slice when absent. */
static inline struct slice
evrow_get(const struct evrow *row, int i)
{
	return row->idx[i] >= 0 ? row->f[row->idx[i]] :
	    slice_make(row->f[0].p, 0);
}

#endif
