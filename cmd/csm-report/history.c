/*
 * history.c: the trend of csm-report (--history DIR, guideline 11.3: the
 * analysis of past incidents' trends). Every run keeps its day's
 * findings, de-duplicated and unfiltered, as DIR/YYYY-MM-DD.tsv (a
 * findings stream, so any csm tool reads it back), written to a
 * temporary file and renamed so that a crash never leaves half a day.
 * The report date is --date, else the local day (site zone) of the
 * latest finding; the files of the --history-days days before it are
 * read back for the trend lines and the "new" marks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "diag.h"
#include "report.h"
#include "timeconv.h"

/* DIR/YYYY-MM-DD.tsv of the local day days, into buf. */
static int
day_path(char *buf, size_t cap, const char *dir, int64_t days,
    const char *prefix, const char *suffix)
{
	struct time_parts tp;
	int n;

	time_split(days * 86400, &tp);
	n = snprintf(buf, cap, "%s/%s%04d-%02d-%02d.tsv%s", dir, prefix,
	    tp.year, tp.month, tp.day, suffix);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

int
history_load(struct report *r, uint64_t max_errors)
{
	struct evstream es;
	char path[4096];
	char *files[1];
	int i, status = EXIT_GOOD;

	r->hist.day = r->day;
	if (!r->have_day)
		return EXIT_GOOD;
	memset(&es, 0, sizeof es);
	es.want = model_columns;
	es.nwant = model_ncolumns;
	es.nrequired = model_nrequired;
	es.fn = model_row;
	es.arg = r;
	es.max_errors = max_errors;
	for (i = 0; i < r->hist.ndays; i++) {
		int64_t d = r->day - r->hist.ndays + i;

		if (day_path(path, sizeof path, r->hist.dir, d, "", "") != 0 ||
		    access(path, F_OK) != 0)
			continue;
		files[0] = path;
		r->load = &r->hist.day_store[i];
		status = diag_worse(status, evstream_run(&es, files, 1));
		model_dedup(r->load);
		r->hist.have[i] = 1;
		r->hist.any = 1;
	}
	r->load = &r->all;
	return status;
}

int
history_save(struct report *r)
{
	static struct outbuf ob;
	struct time_cache tc;
	char path[4096], tmp[4096], q[DIAG_NAME_MAX];
	size_t i;
	int fd, e;

	if (!r->have_day) {
		diag_msg("no findings and no --date: nothing kept in '%s'",
		    diag_escape(q, sizeof q, slice_cstr(r->hist.dir)));
		return 0;
	}
	if (mkdir(r->hist.dir, 0777) != 0 && errno != EEXIST) {
		diag_msg("%s: %s", diag_escape(q, sizeof q,
		    slice_cstr(r->hist.dir)), strerror(errno));
		return -1;
	}
	if (day_path(path, sizeof path, r->hist.dir, r->day, "", "") != 0 ||
	    day_path(tmp, sizeof tmp, r->hist.dir, r->day, ".", ".tmp") !=
	    0) {
		diag_msg("%s: path too long", diag_escape(q, sizeof q,
		    slice_cstr(r->hist.dir)));
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0) {
		diag_msg("%s: %s", diag_escape(q, sizeof q, slice_cstr(tmp)),
		    strerror(errno));
		return -1;
	}
	outbuf_init(&ob, fd);
	time_cache_init(&tc);
	finding_write_header(&ob);
	for (i = 0; i < r->all.n; i++)
		report_tsv_row(&ob, r->all.v[i], &tc);
	e = outbuf_flush(&ob) != 0 ? ob.err : 0;
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e != 0) {
		diag_msg("%s: %s", diag_escape(q, sizeof q, slice_cstr(tmp)),
		    strerror(e));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		diag_msg("%s: %s", diag_escape(q, sizeof q, slice_cstr(path)),
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
