/*
 * evread_agree.h: the property evread must keep, for its unit test and
 * its fuzz harness: it hands out exactly what the plain TSV reader gives
 * for the same file, line for line (kind, line number, fields, ts), and
 * its preparation hook sees each row with the columns of the row's own
 * header.
 */
#ifndef CSM_EVREAD_AGREE_H
#define CSM_EVREAD_AGREE_H

#include <string.h>
#include "evread.h"
#include "timeconv.h"
#include "tsv.h"

static const char *const columns[] = { "x", "src_ip" };

/* The hook: the row's line, and the length of its x and src_ip, + 1. */
static void
prep(const void *arg, const struct evrow *row, uint64_t *aux)
{
	(void)arg;
	aux[0] = row->line;
	aux[1] = row->idx[0] < 0 ? 0 : evrow_get(row, 0).n + 1;
	aux[2] = row->idx[1] < 0 ? 0 : evrow_get(row, 1).n + 1;
}

/* What the hook must have written for a row of the reader's header. */
static int
prep_agrees(const uint64_t *aux, const struct tsv_reader *r,
    const struct slice *f, uint64_t line)
{
	int x = tsv_header_find(&r->hdr, "x");
	int src = tsv_header_find(&r->hdr, "src_ip");

	return aux != NULL && aux[0] == line &&
	    aux[1] == (x < 0 ? 0 : f[x].n + 1) &&
	    aux[2] == (src < 0 ? 0 : f[src].n + 1);
}

/*
 * Whether evread (with the hook above) and the TSV reader agree on every
 * line of the file at path; *lines gets the lines read. A partial hook
 * may skip rows (aux NULL); *prepped gets the rows it ran on.
 */
static int
evread_agrees(const char *path, int partial, uint64_t *lines,
    uint64_t *prepped)
{
	struct input a, b;
	struct tsv_reader r;
	struct slice f[TSV_MAX_COLS];
	struct evread_prep hook = { columns, 2, prep, NULL, partial, 0 };
	struct evread *er;
	const struct evread_item *it;
	int ok = 1, ts_idx = -1, nf, i;

	*lines = *prepped = 0;
	if (input_open(&a, path) != 0 || input_open(&b, path) != 0)
		return 0;
	tsv_reader_init(&r, &b);
	er = evread_start(&a, &hook);
	while (ok && er != NULL) {
		enum tsv_status want = tsv_reader_next(&r, f, &nf);
		int64_t ts = INT64_MIN;

		it = evread_next(er);
		if (want == TSV_HEADER)
			ts_idx = tsv_header_find(&r.hdr, "ts");
		if (want == TSV_ROW && ts_idx >= 0 && f[ts_idx].n > 0 &&
		    time_parse_rfc3339(f[ts_idx], &ts) != 0)
			want = (enum tsv_status)EVREAD_BAD_TS;
		ok = (int)it->kind == (int)want && it->line == b.lineno;
		if (ok && want == TSV_ROW) {
			ok = it->nf == nf && it->ts_ms == ts &&
			    ((partial && it->aux == NULL) ||
			    prep_agrees(it->aux, &r, f, b.lineno));
			*prepped += it->aux != NULL;
			for (i = 0; ok && i < nf; i++)
				ok = it->f[i].n == f[i].n &&
				    memcmp(it->f[i].p, f[i].p, f[i].n) == 0;
		}
		if (ok && want == TSV_HEADER)
			ok = it->hdr->len == r.hdr.len &&
			    memcmp(it->hdr->text, r.hdr.text, r.hdr.len) == 0;
		if (want == TSV_EOF || want == TSV_ERROR)
			break;
		(*lines)++;
	}
	evread_stop(er);
	input_close(&a);
	input_close(&b);
	return ok && er != NULL;
}

#endif
