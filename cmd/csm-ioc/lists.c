/*
 * lists.c: csm-ioc reading its indicator lists before any event: each
 * list through lib/ioc_load.c, its bad lines reported as "file:line:
 * reason" like bad events (the first --max-errors of each list, the rest
 * counted), and with --stats one line per list saying what it gave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "iocmatch.h"

/* Where lists without a [ioc] public-suffixes get theirs (Debian). */
#define SYSTEM_PSL "/usr/share/publicsuffix/public_suffix_list.dat"

struct bad_ctx {
	const char *path;
	struct line_stats st;
	uint64_t max;
};

static void
bad_line(void *arg, uint64_t line, const char *reason)
{
	struct bad_ctx *b = arg;
	char q[DIAG_NAME_MAX];

	if (line > 0) {
		diag_reject(&b->st, b->path, line, reason, b->max);
		return;
	}
	b->st.rejected++;
	if (b->st.shown >= b->max)
		return;
	b->st.shown++;
	diag_msg("%s: %s", diag_escape(q, sizeof q, slice_cstr(b->path)),
	    reason);
}

static void
summary(const char *path, const struct ioc_load *ld, int stats,
    const struct bad_ctx *b)
{
	char q[DIAG_NAME_MAX];

	diag_escape(q, sizeof q, slice_cstr(path));
	if (b->st.rejected > b->st.shown && b->max > 0)
		diag_msg("%s: %llu more rejected lines not shown", q,
		    (unsigned long long)(b->st.rejected - b->st.shown));
	if (!stats && ld->bad_lines == 0)
		return;
	diag_msg("%s: %s list: %llu indicators, %llu merged into earlier "
	    "ones, %llu left out (%llu of types no log shows, %llu not for "
	    "detection, %llu below the minimum confidence), %llu rejected",
	    q, ioc_format_names[ld->used], (unsigned long long)ld->added,
	    (unsigned long long)ld->merged,
	    (unsigned long long)(ld->unused + ld->ignored + ld->low),
	    (unsigned long long)ld->unused, (unsigned long long)ld->ignored,
	    (unsigned long long)ld->low, (unsigned long long)ld->bad_lines);
}

/* Reads one list; returns the exit status it makes, -1 for memory. */
static int
load_one(struct iocmatch *m, const char *path, enum ioc_format format,
    uint64_t max_errors, int stats)
{
	struct ioc_load ld;
	struct bad_ctx b;
	char err[DIAG_NAME_MAX + 512];
	int rc, status = EXIT_GOOD;

	memset(&ld, 0, sizeof ld);
	memset(&b, 0, sizeof b);
	b.path = path;
	b.max = max_errors;
	ld.format = format;
	ld.bad = bad_line;
	ld.arg = &b;
	if ((rc = ioc_load_file(m->set, path, &ld, err, sizeof err)) ==
	    IOC_LOAD_NOMEM)
		return -1;
	if (rc != 0) {
		diag_msg("%s", err);
		status = EXIT_INCOMPLETE;
	}
	if (ld.bad_lines > 0)
		status = diag_worse(status, EXIT_REJECTED);
	summary(path, &ld, stats, &b);
	return status;
}

int
iocmatch_load(struct iocmatch *m, const struct config_strv *lists,
    enum ioc_format lists_format, const struct iocfile *files,
    size_t nfiles, const char *psl, int min_conf, uint64_t max_errors,
    int stats)
{
	char err[DIAG_NAME_MAX + 512];
	int status = EXIT_GOOD, rc;
	size_t i, k;

	if (lists->n + nfiles == 0) {
		diag_msg("no indicator lists: give --ioc or [lists] ioc");
		return EXIT_USAGE;
	}
	if ((m->set = ioc_new()) == NULL || (m->miss = calloc(IM_MISS_SLOTS,
	    sizeof *m->miss)) == NULL || (m->prep_miss =
	    calloc(IM_MISS_SLOTS, sizeof *m->prep_miss)) == NULL)
		return -1;
	ioc_set_min_confidence(m->set, min_conf);
	if (psl == NULL && access(SYSTEM_PSL, R_OK) == 0)
		psl = SYSTEM_PSL;
	if (psl != NULL && ioc_load_suffixes(m->set, psl, err,
	    sizeof err) != 0) {
		diag_msg("public suffix list: %s", err);
		return EXIT_USAGE;
	}
	/* The configuration's lists first, then those of the command line. */
	for (i = 0; i < lists->n + nfiles; i++) {
		if ((rc = i < lists->n ? load_one(m, lists->v[i], lists_format,
		    max_errors, stats) : load_one(m, files[i - lists->n].path,
		    files[i - lists->n].format, max_errors, stats)) < 0)
			return -1;
		status = diag_worse(status, rc);
	}
	if (ioc_finish(m->set) != 0)
		return -1;
	if (ioc_count(m->set, IOC_NKINDS) == 0)
		diag_msg("no indicators loaded: nothing can match");
	else if (stats) {
		char line[300];
		int n = snprintf(line, sizeof line, "%zu indicators:",
		    ioc_count(m->set, IOC_NKINDS));

		for (k = 0; k < IOC_NKINDS && n > 0 && (size_t)n < sizeof line;
		    k++)
			n += snprintf(line + n, sizeof line - (size_t)n,
			    "%s %zu %s", k ? "," : "",
			    ioc_count(m->set, (enum ioc_kind)k),
			    ioc_kind_names[k]);
		diag_msg("%s", line);
	}
	return status;
}
