/*
 * fmt_evtx.c: Windows .evtx event log files, read directly with libevtx.
 * The file is opened by its path (fmt.h: open_file), not through the line
 * reader: its records are handed out one by one (next_record), first the
 * allocated ones in order, then those libevtx recovers from free space
 * (left behind when a log is cleared or wraps, and what a dirty file
 * copied off a live system still holds); a recovered record's event
 * carries recovered=1 in extra. Each record's XML, as libevtx renders
 * it, goes through the event XML mapping of lib/winevt.c, so an .evtx
 * gives the same events as its `wevtutil` or Event Viewer export. A
 * record libevtx cannot read or render is rejected with its number and
 * the library's reason, and reading goes on; the record number (1 for the
 * file's first record, counting on through the recovered ones) is the
 * line number of origins and messages.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/*
 * libevtx.h pulls in libbfio.h for the functions that take a bfio handle,
 * which csm does not use: Debian's libevtx-dev does not depend on
 * libbfio-dev, so that part of the header is switched off.
 */
#include <libevtx/features.h>
#undef LIBEVTX_HAVE_BFIO
#include <libevtx.h>
#include "diag.h"
#include "fmt.h"
#include "winevt.h"

struct evtx {
	struct winevt_xml *x;
	struct parse_ctx *ctx;		/* of the record being parsed */
	libevtx_file_t *file;
	int nrecords, nrecovered;	/* allocated and recovered records */
	int next;			/* index over both, in that order */
	int events;			/* Events in the record parsed */
	int lost;			/* recovered ones it cannot read */
	uint8_t *buf;			/* the record's XML */
	size_t cap;
};

/* Puts libevtx's message for err into ctx->reason, after what. */
static void
evtx_error(struct parse_ctx *ctx, const char *what, libevtx_error_t *err)
{
	char msg[512], q[1024];
	size_t i;

	msg[0] = '\0';
	if (err != NULL) {
		(void)libevtx_error_sprint(err, msg, sizeof msg);
		libevtx_error_free(&err);
	}
	/* The library's message ends in a newline and may name the path. */
	for (i = 0; msg[i]; i++)
		if (msg[i] == '\n')
			msg[i] = ' ';
	fmt_reject(ctx, "evtx: %s%s%s", what, msg[0] ? ": " : "",
	    diag_escape(q, sizeof q, slice_trim(slice_cstr(msg))));
}

/* One Event of the record's XML: fills and emits it. */
static enum line_result
evtx_record(void *arg, const struct winevt_rec *r, uint64_t line)
{
	struct evtx *e = arg;
	struct parse_ctx *ctx = e->ctx;
	enum line_result res;

	(void)line;	/* the record number, already in the origin */
	if (e->events++ > 0)
		return fmt_reject(ctx, "evtx: more than one Event in a record");
	if ((res = winevt_fill(r, ctx)) != LINE_USED)
		return res;
	if (e->next > e->nrecords)
		event_add_extra_checked(ctx->ev, "recovered", SLICE_LIT("1"));
	ctx->emit(ctx, ctx->ev);
	return LINE_USED;
}

static void *
evtx_open(struct parse_ctx *ctx)
{
	struct evtx *e = calloc(1, sizeof *e);

	if (e == NULL || (e->x = winevt_xml_new("evtx", evtx_record, e)) ==
	    NULL) {
		free(e);
		fmt_reject(ctx, "evtx: out of memory");
		return NULL;
	}
	return e;
}

static void
evtx_close(void *state)
{
	struct evtx *e = state;

	if (e->file) {
		(void)libevtx_file_close(e->file, NULL);
		(void)libevtx_file_free(&e->file, NULL);
	}
	winevt_xml_free(e->x);
	free(e->buf);
	free(e);
}

/* Whether the file at path starts with gzip's magic bytes. */
static int
is_gzip(const char *path)
{
	unsigned char b[2];
	FILE *fp = fopen(path, "rb");
	int yes;

	if (fp == NULL)
		return 0;
	yes = fread(b, 1, 2, fp) == 2 && b[0] == 0x1f && b[1] == 0x8b;
	fclose(fp);
	return yes;
}

static int
evtx_open_file(void *state, const char *path, struct parse_ctx *ctx)
{
	struct evtx *e = state;
	libevtx_error_t *err = NULL;

	if (strcmp(path, "-") == 0) {
		fmt_reject(ctx, "evtx: cannot read an .evtx file from standard "
		    "input; name the file");
		return -1;
	}
	if (libevtx_check_file_signature(path, &err) != 1) {
		if (err != NULL)
			libevtx_error_free(&err);
		fmt_reject(ctx, is_gzip(path) ? "evtx: a compressed .evtx "
		    "file: libevtx reads it only unpacked" :
		    "evtx: not an .evtx file");
		return -1;
	}
	if (libevtx_file_initialize(&e->file, &err) != 1 ||
	    libevtx_file_open(e->file, path, LIBEVTX_OPEN_READ, &err) != 1) {
		evtx_error(ctx, "cannot open", err);
		if (e->file)
			(void)libevtx_file_free(&e->file, NULL);
		return -1;
	}
	if (libevtx_file_get_number_of_records(e->file, &e->nrecords,
	    &err) != 1) {
		evtx_error(ctx, "cannot count the records", err);
		return -1;
	}
	if (libevtx_file_get_number_of_recovered_records(e->file,
	    &e->nrecovered, &err) != 1) {
		libevtx_error_free(&err);
		e->nrecovered = 0;	/* the allocated ones are there */
	}
	return 0;
}

/* The end of the records: damage is an error, lost remnants a note. */
static enum record_status
evtx_end(struct evtx *e, uint64_t *recno, struct parse_ctx *ctx)
{
	*recno = (uint64_t)(e->next - e->lost);
	/* Chunks cut off or damaged: their records are gone. */
	if (libevtx_file_is_corrupted(e->file, NULL) == 1) {
		fmt_reject(ctx, "evtx: the file is cut short or damaged: the "
		    "records of its broken part are lost");
		return RECORD_FAIL;
	}
	if (e->lost)
		fmt_reject(ctx, "evtx: %d remnants of overwritten records in "
		    "free space could not be read", e->lost);
	return RECORD_END;
}

static enum record_status
evtx_next(void *state, struct slice *rec, uint64_t *recno,
    struct parse_ctx *ctx)
{
	struct evtx *e = state;
	libevtx_record_t *r = NULL;
	libevtx_error_t *err = NULL;
	size_t size = 0;
	int i, ok;

	for (;;) {
		if (e->next >= e->nrecords + e->nrecovered)
			return evtx_end(e, recno, ctx);
		i = e->next++;
		*recno = (uint64_t)(e->next - e->lost);
		ok = i < e->nrecords ?
		    libevtx_file_get_record_by_index(e->file, i, &r, &err) :
		    libevtx_file_get_recovered_record_by_index(e->file,
		    i - e->nrecords, &r, &err);
		if (ok == 1 || i < e->nrecords)
			break;
		/*
		 * Free space holds what looks like the start of many a
		 * record overwritten since: no records of the log, and
		 * evtxexport passes over them too. Counted, not reported
		 * one by one.
		 */
		libevtx_error_free(&err);
		e->lost++;
	}
	if (ok != 1) {
		evtx_error(ctx, "unreadable record", err);
		return RECORD_BAD;
	}
	if (libevtx_record_get_utf8_xml_string_size(r, &size, &err) != 1 ||
	    size == 0) {
		evtx_error(ctx, "record without XML", err);
		(void)libevtx_record_free(&r, NULL);
		return RECORD_BAD;
	}
	if (size > e->cap) {
		uint8_t *nb = realloc(e->buf, size);

		if (nb == NULL) {
			(void)libevtx_record_free(&r, NULL);
			fmt_reject(ctx, "evtx: out of memory");
			return RECORD_FAIL;
		}
		e->buf = nb;
		e->cap = size;
	}
	if (libevtx_record_get_utf8_xml_string(r, e->buf, size, &err) != 1) {
		evtx_error(ctx, "record XML cannot be rendered", err);
		(void)libevtx_record_free(&r, NULL);
		return RECORD_BAD;
	}
	(void)libevtx_record_free(&r, NULL);
	/* size counts the NUL at the end. */
	*rec = slice_make((const char *)e->buf, strnlen((const char *)e->buf,
	    size));
	return RECORD_OK;
}

/*
 * One record's XML (as next_record returns it): a document of its own,
 * holding one Event.
 */
static enum line_result
evtx_line(void *state, struct slice rec, struct parse_ctx *ctx)
{
	struct evtx *e = state;
	struct winevt_feed res, end;

	e->ctx = ctx;
	e->events = 0;
	winevt_xml_restart(e->x, SLICE_NONE);
	winevt_xml_set_line(e->x, ctx->ev->origin_line);
	winevt_xml_feed_line(e->x, rec, &res);
	if (!res.xml_error)
		winevt_xml_end(e->x, &end);
	else
		end = res;
	if (res.rejected || end.rejected)
		return LINE_REJECTED;
	if (end.xml_error)
		return fmt_reject(ctx, "evtx: %srecord with broken XML at byte "
		    "%llu: %s", e->next > e->nrecords ? "recovered " : "",
		    (unsigned long long)end.error_offset + 1, end.error);
	if (res.records + end.records == 0)
		return fmt_reject(ctx, "evtx: record without an Event");
	return LINE_USED;
}

/* The file header's signature "ElfFile\0" opens the first line. */
static int
evtx_sniff(const struct slice *lines, int n)
{
	return n > 0 && lines[0].n >= 8 &&
	    memcmp(lines[0].p, "ElfFile\0", 8) == 0 ? 100 : 0;
}

const struct fmt fmt_evtx = {
	.name = "evtx",
	.log = "auth",
	.summary = "Windows .evtx event log files (read with libevtx)",
	.sniff = evtx_sniff,
	.open = evtx_open,
	.line = evtx_line,
	.open_file = evtx_open_file,
	.next_record = evtx_next,
	.close = evtx_close,
};
