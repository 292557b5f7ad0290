/*
 * evstream.c: the operand loop and record accounting shared by the checks
 * (see evstream.h). A stream whose header lacks a required column cannot
 * be checked at all, so that ends the input with status 3 rather than
 * rejecting every row one by one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "evread.h"
#include "evstream.h"
#include "input.h"
#include "tsv.h"

/* Maps the wanted columns of a new header; -1 after reporting. */
static int
map_header(struct evstream *es, const struct tsv_header *h, int *idx,
    const char *name)
{
	char q[DIAG_NAME_MAX];
	int i;

	for (i = 0; i < es->nwant; i++) {
		idx[i] = tsv_header_find(h, es->want[i]);
		if (idx[i] < 0 && i < es->nrequired) {
			diag_msg("%s: required column '%s' missing (is this a "
			    "csm events stream?)", diag_escape(q, sizeof q,
			    slice_cstr(name)), es->want[i]);
			return -1;
		}
	}
	return 0;
}

/* Reads one opened input; returns its exit status. */
static int
run_input(struct evstream *es, struct input *in, struct line_stats *st)
{
	struct evread_prep prep = { es->want, es->nwant, es->prep,
	    es->prep_arg, es->prep_partial, es->ahead ? EVROW_AHEAD : 0 };
	struct evread *er = evread_start(in, &prep);
	const struct evread_item *it;
	struct evrow row;
	int idx[EVSTREAM_MAX_COLS], mapped = 0, status = EXIT_GOOD;
	char q[80];

	if (er == NULL)
		return diag_read_error(in->name, in->lineno, "out of memory");
	memset(&row, 0, sizeof row);
	row.idx = idx;
	row.file = in->name;
	while ((it = evread_next(er))->kind != EVREAD_EOF) {
		if (it->kind == EVREAD_ERROR) {
			status = diag_read_error(in->name, it->line, it->errmsg);
			break;
		}
		st->lines++;
		switch (it->kind) {
		case EVREAD_HEADER:
			st->skipped++;
			if (map_header(es, it->hdr, idx, in->name) != 0) {
				status = EXIT_INCOMPLETE;
				goto out;
			}
			mapped = 1;
			row.hdr = it->hdr;
			row.hdr_seq = ++es->hdr_seq;
			continue;
		case EVREAD_SAME_HEADER:
			st->skipped++;
			continue;
		case EVREAD_LONG:
			diag_reject(st, in->name, it->line,
			    "line longer than 1048576 bytes", es->max_errors);
			continue;
		case EVREAD_BAD_ROW:
			diag_reject(st, in->name, it->line, mapped ?
			    "wrong number of fields for the header" :
			    "no header line (is this a csm events stream?)",
			    es->max_errors);
			continue;
		case EVREAD_BAD_TS:
			snprintf(row.reason, sizeof row.reason, "bad ts '%s'",
			    diag_quote(q, sizeof q, it->bad));
			diag_reject(st, in->name, it->line, row.reason,
			    es->max_errors);
			continue;
		default:
			break;
		}
		row.f = it->f;
		row.nf = it->nf;
		row.line = it->line;
		row.reason[0] = '\0';
		row.ts_ms = it->ts_ms;
		row.aux = it->aux;
		if (it->ahead != NULL)
			es->ahead(es->arg, it->ahead);
		switch (es->fn(es->arg, &row)) {
		case LINE_USED:
			st->used++;
			st->events++;	/* for the summary: records taken */
			break;
		case LINE_SKIPPED:
			st->skipped++;
			break;
		default:
			diag_reject(st, in->name, row.line, row.reason,
			    es->max_errors);
			break;
		}
	}
out:
	evread_stop(er);
	return status;
}

int
evstream_each(char **files, int nfiles, evstream_input_fn fn, void *arg,
    int stats, uint64_t max_errors, struct line_stats *total)
{
	static char *stdin_only[] = { "-" };
	int i, status = EXIT_GOOD;

	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (i = 0; i < nfiles; i++) {
		struct line_stats st;
		struct input in;
		char q[DIAG_NAME_MAX];
		int s;

		memset(&st, 0, sizeof st);
		if (input_open(&in, files[i]) != 0) {
			diag_msg("%s: %s", diag_escape(q, sizeof q,
			    slice_cstr(files[i])), in.errmsg);
			input_close(&in);
			status = diag_worse(status, EXIT_INCOMPLETE);
			continue;
		}
		s = fn(arg, &in, &st);
		if (s == EXIT_GOOD && st.rejected > 0)
			s = EXIT_REJECTED;
		if (stats || st.rejected > 0)
			diag_summary(&st, in.name, max_errors);
		input_close(&in);
		if (total) {
			total->lines += st.lines;
			total->used += st.used;
			total->skipped += st.skipped;
			total->rejected += st.rejected;
		}
		status = diag_worse(status, s);
	}
	return status;
}

static int
run_input_cb(void *arg, struct input *in, struct line_stats *st)
{
	return run_input(arg, in, st);
}

int
evstream_run(struct evstream *es, char **files, int nfiles)
{
	return evstream_each(files, nfiles, run_input_cb, es, es->stats,
	    es->max_errors, &es->total);
}
