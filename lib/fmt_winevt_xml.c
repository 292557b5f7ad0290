/*
 * fmt_winevt_xml.c: Windows events as event XML, the way `wevtutil qe
 * /f:xml` prints them (one <Event> after another, no root), Event Viewer's
 * "Save as XML" (an <Events> root, pretty-printed), evtxexport -f xml, or
 * one event per line as log shippers forward them, also with the "- "
 * markers that copying from Event Viewer's XML view leaves in. The lines
 * go through expat as one stream (lib/winevt.c), so an event may span
 * lines and a line may hold many events; each event becomes one auth
 * event whose origin is the line its <Event> began on. Broken XML rejects
 * the line where expat found it and loses that record: reading picks up
 * at the next <Event start tag. An event still open at the end of input
 * was cut off and rejects the last line. Lines holding no part of an
 * event (the declaration, <Events>, blank lines) are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fmt.h"
#include "winevt.h"

struct wxf {
	struct winevt_xml *x;
	struct parse_ctx *ctx;	/* of the line being fed */
	uint64_t line;
	int resync;		/* after broken XML: wait for an <Event */
	int rejected;		/* this line has a reason already */
};

/* Offset of the first "<Event" start tag in s at or after from, or -1. */
static long
event_start(struct slice s, size_t from)
{
	const char *q;

	while (from < s.n && (q = memmem(s.p + from, s.n - from, "<Event",
	    6)) != NULL) {
		size_t at = (size_t)(q - s.p), after = at + 6;

		/* Not <EventData>, <EventID>, <Events>. */
		if (after == s.n || s.p[after] == ' ' || s.p[after] == '>' ||
		    s.p[after] == '\t' || s.p[after] == '\r' ||
		    s.p[after] == '/')
			return (long)at;
		from = after;
	}
	return -1;
}

/* Keeps the first rejection of a line: later ones go to scratch. */
static void
note_reject(struct wxf *st, const char *saved)
{
	if (st->rejected)
		memcpy(st->ctx->reason, saved, sizeof st->ctx->reason);
	st->rejected = 1;
}

/* One complete event from the reader: fills and emits it. */
static enum line_result
wxf_record(void *arg, const struct winevt_rec *r, uint64_t line)
{
	struct wxf *st = arg;
	struct parse_ctx *ctx = st->ctx;
	struct event *ev = ctx->ev;
	const char *origin = ev->origin_file;
	char saved[sizeof ctx->reason];

	memcpy(saved, ctx->reason, sizeof saved);
	event_clear(ev);
	ev->origin_file = origin;
	ev->origin_line = line;
	if (winevt_fill(r, ctx) != LINE_USED) {
		if (line != st->line) {
			size_t n = strlen(ctx->reason);

			snprintf(ctx->reason + n, sizeof ctx->reason - n,
			    " (event from line %llu)",
			    (unsigned long long)line);
		}
		note_reject(st, saved);
		return LINE_REJECTED;
	}
	ctx->emit(ctx, ev);
	return LINE_USED;
}

static void *
wxf_open(struct parse_ctx *ctx)
{
	struct wxf *st = calloc(1, sizeof *st);

	if (st == NULL || (st->x = winevt_xml_new("winevt-xml", wxf_record,
	    st)) == NULL) {
		free(st);
		fmt_reject(ctx, "winevt-xml: out of memory");
		return NULL;
	}
	return st;
}

static void
wxf_close(void *state)
{
	struct wxf *st = state;

	winevt_xml_free(st->x);
	free(st);
}

/*
 * A line opening a document, "[BOM]<?xml ...?>...": starts a new stream
 * with that declaration (files may be concatenated) and returns the rest
 * of the line.
 */
static struct slice
take_declaration(struct wxf *st, struct slice line)
{
	struct slice s = line;
	const char *end;

	if (slice_has_prefix(s, "\xef\xbb\xbf"))
		s = slice_from(s, 3);
	if (!slice_has_prefix(s, "<?xml") ||
	    (end = memmem(s.p, s.n, "?>", 2)) == NULL)
		return line;
	winevt_xml_restart(st->x, slice_make(s.p, (size_t)(end + 2 - s.p)));
	st->resync = 0;
	return slice_from(s, (size_t)(end + 2 - s.p));
}

static enum line_result
wxf_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct wxf *st = state;
	struct winevt_feed res;
	uint64_t start;
	int used = 0;
	long at;

	st->ctx = ctx;
	st->line = ctx->ev->origin_line;
	st->rejected = 0;
	winevt_xml_set_line(st->x, st->line);
	if (!winevt_xml_pending(st->x, &start))
		line = take_declaration(st, line);
	for (;;) {
		if (st->resync) {
			if ((at = event_start(line, 0)) < 0)
				break;
			line = slice_from(line, (size_t)at);
			st->resync = 0;
		}
		winevt_xml_feed_line(st->x, line, &res);
		used |= res.in_event;
		if (res.stray && !st->rejected) {
			fmt_reject(ctx, "winevt-xml: <%s> is not an Event "
			    "element", res.stray_name);
			st->rejected = 1;
		}
		if (!res.xml_error)
			break;
		if (!st->rejected) {
			fmt_reject(ctx, "winevt-xml: broken XML at byte %llu: "
			    "%s", (unsigned long long)res.error_offset + 1,
			    res.error);
			st->rejected = 1;
		}
		/* The record is lost; the next <Event> on may still be good. */
		winevt_xml_restart(st->x, SLICE_NONE);
		st->resync = 1;
		line = slice_from(line, (size_t)res.error_offset);
		if ((at = event_start(line, 1)) < 0)
			break;
		line = slice_from(line, (size_t)at);
	}
	if (st->rejected)
		return LINE_REJECTED;
	return used ? LINE_USED : LINE_SKIPPED;
}

static void
wxf_finish(void *state, struct parse_ctx *ctx)
{
	struct wxf *st = state;
	uint64_t start;

	if (winevt_xml_pending(st->x, &start))
		fmt_reject(ctx, "winevt-xml: input ends inside the event from "
		    "line %llu", (unsigned long long)start);
}

/*
 * Sure when a line opens an element in the Windows event namespace, or
 * an <Event> after an <Events> root; JSON lines quoting such XML are not
 * ours.
 */
static int
wxf_sniff(const struct slice *lines, int n)
{
	int i, events = 0;

	for (i = 0; i < n; i++) {
		struct slice l = slice_trim(lines[i]);

		if (l.n == 0 || (l.p[0] != '<' && l.p[0] != '-' &&
		    l.p[0] != '\xef'))
			continue;
		if (event_start(l, 0) >= 0) {
			if (memmem(l.p, l.n, "schemas.microsoft.com/win/"
			    "2004/08/events/event", 46) != NULL)
				return 95;
			if (events)
				return 80;
		}
		if (memmem(l.p, l.n, "<Events>", 8) != NULL)
			events = 1;
	}
	return 0;
}

const struct fmt fmt_winevt_xml = {
	.name = "winevt-xml",
	.log = "auth",
	.summary = "Windows event XML (wevtutil, Event Viewer, evtxexport)",
	.sniff = wxf_sniff,
	.open = wxf_open,
	.line = wxf_line,
	.finish = wxf_finish,
	.close = wxf_close,
};
