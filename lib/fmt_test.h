/*
 * fmt_test.h: for the unit tests of one format (lib/fmt_*_test.c): a
 * parse context as csm-parse sets one up, a line run through the format's
 * fmt row to the record it writes, and a column of that record.
 */
#ifndef CSM_FMT_TEST_H
#define CSM_FMT_TEST_H

#include <stdio.h>
#include <string.h>
#include "fmt.h"
#include "timeconv.h"

static struct outbuf fmt_test_ob;
static struct time_cache fmt_test_tc;

/* Writes the event as csm-parse would. */
static void
fmt_test_emit(struct parse_ctx *ctx, struct event *e)
{
	(void)ctx;
	event_write(&fmt_test_ob, e, &fmt_test_tc);
}

/* Sets up ctx and opts (year 2026) around the event ev. */
static void
fmt_test_ctx(struct parse_ctx *ctx, struct parse_opts *opts,
    struct event *ev)
{
	memset(opts, 0, sizeof *opts);
	memset(ctx, 0, sizeof *ctx);
	opts->year = 2026;
	ctx->opts = opts;
	ctx->ev = ev;
	ctx->emit = fmt_test_emit;
}

/*
 * Parses line with format f and state (NULL: a fresh state for this line
 * alone) and returns the record written, "skipped", or "rejected: " and
 * the reason, in out (cap bytes).
 */
static const char *
fmt_test_run(const struct fmt *f, struct event *ev, void *state,
    struct slice line, char *out, size_t cap)
{
	struct parse_opts opts;
	struct parse_ctx ctx;
	enum line_result r;
	void *st = state;

	fmt_test_ctx(&ctx, &opts, ev);
	if (st == NULL && (st = f->open(&ctx)) == NULL)
		return "open failed";
	event_clear(ev);
	ev->origin_file = NULL;	/* as csm-parse sets them */
	ev->origin_line = 1;
	outbuf_init_mem(&fmt_test_ob);
	time_cache_init(&fmt_test_tc);
	r = f->line(st, line, &ctx);
	if (r == LINE_USED)
		snprintf(out, cap, "%.*s", (int)fmt_test_ob.len,
		    fmt_test_ob.buf);
	else if (r == LINE_SKIPPED)
		snprintf(out, cap, "skipped");
	else
		snprintf(out, cap, "rejected: %s", ctx.reason);
	outbuf_release(&fmt_test_ob);
	if (state == NULL)
		f->close(st);
	return out;
}

/* Column col of a written record (in a static buffer). */
static const char *
fmt_test_column(const char *rec, int col)
{
	static char buf[4096];
	size_t n;

	for (; col > 0 && (rec = strchr(rec, '\t')) != NULL; col--)
		rec++;
	if (rec == NULL)
		return "";
	n = strcspn(rec, "\t\n");
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, rec, n);
	buf[n] = '\0';
	return buf;
}

#endif
