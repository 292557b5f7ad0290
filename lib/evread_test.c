/*
 * evread_test.c: evread must hand out exactly what the plain TSV reader
 * gives, line for line, threaded or not, over a file built to reach every
 * path: runs longer than a batch (short lines carried over), lines of
 * growing length, repeated and changed headers, CR before LF, bad rows and
 * ts, a line over the input's limit and a last line without LF. The
 * preparation hook sees each row with the columns of its own header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "evread.h"
#include "test.h"
#include "timeconv.h"

static char path[] = "/tmp/csm-evread-test-XXXXXX";

static void
write_file(void)
{
	FILE *f;
	int fd = mkstemp(path), i;

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		abort();
	fputs("ts\tsrc_ip\tx\n", f);
	/* Short lines, then longer and longer ones: runs misjudge both. */
	for (i = 0; i < 9000; i++)
		fprintf(f, "\t%d\ta\n", i);
	for (i = 0; i < 3000; i++)
		fprintf(f, "2026-11-25T00:00:%02d.000Z\t10.0.%d.1\t%*s\n",
		    i % 60, i % 250, i, "x");
	fputs("ts\tsrc_ip\tx\n", f);
	fputs("2026-11-25T01:00:00Z\t10.0.0.2\tcr\r\n", f);
	fputs("not-a-time\t10.0.0.3\tbad ts\n", f);
	fputs("ts\tx\n", f);
	fputs("2026-11-25T02:00:00Z\tnew header\n", f);
	fputs("one\ttoo\tmany\n", f);
	for (i = 0; i < 1100 * 1024; i++)
		fputc('y', f);
	fputc('\n', f);
	for (i = 0; i < 5000; i++)
		fprintf(f, "2026-11-25T03:00:00Z\t%d\n", i);
	fputs("2026-11-25T04:00:00Z\tno LF at the end", f);
	if (fclose(f) != 0)
		abort();
}

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

/* Whether evread and the TSV reader agree on every line of the file. */
static int
agrees(uint64_t *lines)
{
	struct input a, b;
	struct tsv_reader r;
	struct slice f[TSV_MAX_COLS];
	struct evread_prep hook = { columns, 2, prep, NULL };
	struct evread *er;
	const struct evread_item *it;
	int ok = 1, ts_idx = -1, nf, i;

	*lines = 0;
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
		if (want == TSV_ROW && f[ts_idx].n > 0 &&
		    time_parse_rfc3339(f[ts_idx], &ts) != 0)
			want = (enum tsv_status)EVREAD_BAD_TS;
		ok = (int)it->kind == (int)want && it->line == b.lineno;
		if (ok && want == TSV_ROW) {
			ok = it->nf == nf && it->ts_ms == ts &&
			    prep_agrees(it->aux, &r, f, b.lineno);
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

int
main(void)
{
	uint64_t lines;

	write_file();
	unsetenv("CSM_THREADS");
	TEST_OK(agrees(&lines) && lines == 17009, "threaded: same lines");
	setenv("CSM_THREADS", "1", 1);
	TEST_OK(agrees(&lines) && lines == 17009, "unthreaded: same lines");
	unlink(path);
	return test_done();
}
