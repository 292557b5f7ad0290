/*
 * diag.c: messages and line accounting. Every byte that came from a log or
 * a file name is escaped before it reaches stderr, which may be a terminal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "esc.h"

static const char *prog = "csm";

void
diag_init(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	prog = slash ? slash + 1 : argv0;
}

const char *
diag_prog(void)
{
	return prog;
}

void
diag_msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *
diag_escape(char *dst, size_t cap, struct slice s)
{
	size_t max_in = (cap - 1) / ESC_MAX_GROWTH, n;

	if (s.n > max_in)
		s.n = max_in;
	n = esc_tsv(dst, s, ESC_TSV);
	dst[n] = '\0';
	return dst;
}

const char *
diag_quote(char *buf, size_t cap, struct slice s)
{
	if (s.n > 40)
		s.n = 40;	/* an excerpt is enough to find the spot */
	return diag_escape(buf, cap, s);
}

void
diag_reject(struct line_stats *st, const char *file, uint64_t line,
    const char *reason, uint64_t max_shown)
{
	char name[DIAG_NAME_MAX];

	st->rejected++;
	if (st->shown >= max_shown)
		return;
	st->shown++;
	diag_msg("%s:%llu: %s", diag_escape(name, sizeof name,
	    slice_cstr(file)), (unsigned long long)line, reason);
}

void
diag_summary(const struct line_stats *st, const char *file,
    uint64_t max_shown)
{
	char name[DIAG_NAME_MAX];

	diag_escape(name, sizeof name, slice_cstr(file));
	if (st->rejected > st->shown && max_shown > 0)
		diag_msg("%s: %llu more rejected lines not shown", name,
		    (unsigned long long)(st->rejected - st->shown));
	diag_msg("%s: %llu lines: %llu used, %llu skipped, %llu rejected; "
	    "%llu events%s%.0llu%s", name, (unsigned long long)st->lines,
	    (unsigned long long)st->used, (unsigned long long)st->skipped,
	    (unsigned long long)st->rejected, (unsigned long long)st->events,
	    st->outside ? ", " : "", (unsigned long long)st->outside,
	    st->outside ? " outside the time window" : "");
}

int
diag_read_error(const char *name, uint64_t lineno, const char *errmsg)
{
	char q[DIAG_NAME_MAX];

	diag_msg("%s:%llu: %s", diag_escape(q, sizeof q, slice_cstr(name)),
	    (unsigned long long)lineno + 1, errmsg);
	return EXIT_INCOMPLETE;
}

int
diag_worse(int a, int b)
{
	if (a == EXIT_INCOMPLETE || b == EXIT_INCOMPLETE)
		return EXIT_INCOMPLETE;
	if (a == EXIT_REJECTED || b == EXIT_REJECTED)
		return EXIT_REJECTED;
	return a > b ? a : b;
}
