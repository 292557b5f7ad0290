/*
 * fmt_evtcsv.c: Windows Event Viewer's "Save All Events As" CSV export
 * (and exports of the same shape, such as PowerShell's Export-Csv of
 * Get-WinEvent). A header row names the columns, in the language of the
 * exporting Windows ("Level,Date and Time,Source,Event ID,Task Category"
 * or "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ", with
 * Keywords in place of Level for the Security log), and each record
 * carries one more, unnamed field: the event's message as Windows renders
 * it, many lines inside quotes. The file is UTF-16LE, UTF-8 or the ANSI
 * code page (CP932 on a Japanese system): lines go through the text layer
 * of evtcsv_text.c first. Lines are gathered into a record until its
 * quotes are balanced, and the record is read with libcsv. The date is
 * local time in the locale's order (--tz). The event's fields exist only
 * in the message, as "Label:<tab>Value" lines under headings ("Subject:",
 * "New Logon:"); evtcsv_labels.c names each one as the event XML would,
 * and lib/winevt.c maps them to the columns exactly as for winevt-xml.
 * A field given twice (a value spelling a label line) is taken from
 * neither copy, and the event says ambiguous=1; so does a heading given
 * twice, whose real fields may have been read under the planted copy.
 * A record's origin is the line it began on; a record that cannot be
 * read is rejected on the line it ended on.
 */
#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evtcsv.h"
#include "fmt.h"
#include "timeconv.h"
#include "winevt.h"

#define EC_RECORD_MAX (1024 * 1024)	/* text of one record */
#define EC_MAX_FIELDS 64
#define EC_MAX_COLS 32

struct ec {
	struct parse_ctx *ctx;
	struct evtcsv_dec dec;
	int started;			/* the first line (BOM) was seen */
	uint64_t line;			/* the line being read */
	int rejected, used;		/* what became of its records */

	/* The record being gathered: whole lines, LF between them. */
	char *rec;
	size_t n, cap, line_start;	/* the open line is rec[line_start..n) */
	uint64_t rec_line;		/* the line it began on */
	int quotes;			/* quote characters in its closed lines */
	int resync;			/* lost a record: wait for a record start */
	int drop_line;			/* ignore the rest of the open line */

	/* The header: what each column holds. */
	enum evtcsv_col col[EC_MAX_COLS];
	int ncols;
	int dayfirst;			/* slashed dates are day first */

	/* The record's fields, copied out of libcsv. */
	struct csv_parser csv;
	struct slice f[EC_MAX_FIELDS];
	int nf, full;
	char *fbuf;
	size_t fused, fcap;

	char *dbuf;			/* one line decoded */
	size_t dcap;
	struct winevt_rec wr;
};

/* Appends " (record from line N)" when the record began on another line. */
static void
note_start(struct ec *st)
{
	char *r = st->ctx->reason;
	size_t len = strlen(r);

	if (st->rec_line != st->line)
		snprintf(r + len, sizeof st->ctx->reason - len,
		    " (record from line %llu)",
		    (unsigned long long)st->rec_line);
}

/*
 * A reason for the line, the record's first line noted when note is set:
 * only the line's first reason is kept.
 */
static void
ec_reject(struct ec *st, int note, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ec_reject(struct ec *st, int note, const char *fmt, ...)
{
	va_list ap;

	if (st->rejected++)
		return;
	va_start(ap, fmt);
	vsnprintf(st->ctx->reason, sizeof st->ctx->reason, fmt, ap);
	va_end(ap);
	if (note)
		note_start(st);
}

/* Event Viewer's columns, for an export whose header is missing. */
static void
default_header(struct ec *st)
{
	static const enum evtcsv_col dflt[] = { EVTCSV_COL_LEVEL,
	    EVTCSV_COL_DATE, EVTCSV_COL_SOURCE, EVTCSV_COL_EVENT_ID,
	    EVTCSV_COL_TASK };

	memcpy(st->col, dflt, sizeof dflt);
	st->ncols = 5;
}

/* Whether the names are a header: a date, an event ID and a level. */
static int
is_header(const struct slice *name, int n)
{
	int i, date = 0, id = 0, other = 0;

	for (i = 0; i < n; i++) {
		switch (evtcsv_column(name[i])) {
		case EVTCSV_COL_DATE:
			date = 1;
			break;
		case EVTCSV_COL_EVENT_ID:
			id = 1;
			break;
		case EVTCSV_COL_LEVEL:
		case EVTCSV_COL_KEYWORDS:
		case EVTCSV_COL_SOURCE:
			other = 1;
			break;
		default:
			break;
		}
	}
	return date && id && other;
}

/*
 * The field of column c, or an empty slice with p NULL. The message of
 * an Event Viewer export has no name: it is the field after the named.
 */
static struct slice
field(const struct ec *st, enum evtcsv_col c)
{
	int i;

	for (i = 0; i < st->ncols && i < st->nf; i++)
		if (st->col[i] == c)
			return st->f[i];
	if (c == EVTCSV_COL_MESSAGE && st->nf > st->ncols)
		return st->f[st->ncols];
	return SLICE_NONE;
}

/* libcsv's field callback: copies the field out. */
static void
take_field(void *s, size_t len, void *data)
{
	struct ec *st = data;

	if (st->nf >= EC_MAX_FIELDS || len > st->fcap - st->fused) {
		st->full = 1;
		return;
	}
	if (len)
		memcpy(st->fbuf + st->fused, s, len);
	st->f[st->nf++] = slice_make(st->fbuf + st->fused, len);
	st->fused += len;
}

static int
no_byte(unsigned char c)
{
	(void)c;
	return 0;	/* nothing is trimmed; no byte ends a record */
}

static int
csv_start(struct ec *st)
{
	if (csv_init(&st->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_space_func(&st->csv, no_byte);
	csv_set_term_func(&st->csv, no_byte);
	return 0;
}

/* Splits the gathered record into st->f. Returns 0, or -1. */
static int
split(struct ec *st)
{
	st->nf = st->full = 0;
	st->fused = 0;
	if (st->fcap < st->n) {
		char *nb = realloc(st->fbuf, st->n);

		if (nb == NULL)
			return -1;
		st->fbuf = nb;
		st->fcap = st->n;
	}
	if (csv_parse(&st->csv, st->rec, st->n, take_field, NULL, st) !=
	    st->n || csv_fini(&st->csv, take_field, NULL, st) != 0) {
		/* libcsv keeps its state after an error: start afresh. */
		csv_free(&st->csv);
		(void)csv_start(st);
		return -1;
	}
	return st->full ? -1 : 0;
}

/*
 * The audit outcome from the Keywords or Level columns: Event Viewer has
 * one of them, PowerShell's export both, as numbers and as names.
 */
static int
audit_of(const struct ec *st)
{
	int i, a;

	for (i = 0; i < st->ncols && i < st->nf; i++)
		if ((st->col[i] == EVTCSV_COL_KEYWORDS ||
		    st->col[i] == EVTCSV_COL_LEVEL) &&
		    (a = evtcsv_audit(st->f[i])) != 0)
			return a;
	return 0;
}

/* A data record: fills and emits its event. */
static void
data_record(struct ec *st)
{
	struct parse_ctx *ctx = st->ctx;
	struct winevt_rec *r = &st->wr;
	struct slice date = field(st, EVTCSV_COL_DATE);
	struct slice id = field(st, EVTCSV_COL_EVENT_ID);
	const char *origin = ctx->ev->origin_file;
	char q[200], saved[sizeof ctx->reason];
	int64_t wall;
	int ambiguous;

	if (date.p == NULL || id.p == NULL) {
		ec_reject(st, 1, "evtcsv: record of %d fields, too few for "
		    "the header", st->nf);
		return;
	}
	if (evtcsv_parse_date(date, &st->dayfirst, &wall) != 0) {
		ec_reject(st, 1, "evtcsv: bad date '%s'", diag_quote(q,
		    sizeof q, slice_trim(date)));
		return;
	}
	winevt_rec_clear(r);
	r->event_id = slice_trim(id);
	r->ts_ms = time_local_to_utc(wall) * 1000;
	r->has_ts = 1;
	r->provider = slice_trim(field(st, EVTCSV_COL_SOURCE));
	r->computer = slice_trim(field(st, EVTCSV_COL_COMPUTER));
	r->channel = slice_trim(field(st, EVTCSV_COL_LOG));
	r->record_id = slice_trim(field(st, EVTCSV_COL_RECORD_ID));
	r->audit = audit_of(st);
	ambiguous = evtcsv_message(field(st, EVTCSV_COL_MESSAGE), r);

	event_clear(ctx->ev);
	ctx->ev->origin_file = origin;
	ctx->ev->origin_line = st->rec_line;
	/*
	 * A label or a heading given twice, one copy maybe the user's text:
	 * neither field was taken, or the fields after the heading may be
	 * lost. Said first, so that no number of other fields crowds it out
	 * of extra.
	 */
	if (ambiguous) {
		event_add_extra_checked(ctx->ev, "ambiguous", SLICE_LIT("1"));
		fmt_warn(ctx, st->rec_line, "a message field or heading given "
		    "twice (one copy may be the user's text): the field left "
		    "empty, or the fields after the heading maybe lost, "
		    "ambiguous=1");
	}
	memcpy(saved, ctx->reason, sizeof saved);
	if (winevt_fill(r, ctx) != LINE_USED) {
		if (st->rejected++)
			memcpy(ctx->reason, saved, sizeof saved);
		else
			note_start(st);
		return;
	}
	ctx->emit(ctx, ctx->ev);
	st->used = 1;
}

/* A gathered record: the header, a data record or one to pass over. */
static void
record(struct ec *st)
{
	if (split(st) != 0) {
		ec_reject(st, 1, "evtcsv: bad CSV quoting");
		return;
	}
	if (is_header(st->f, st->nf)) {
		int i;

		st->ncols = st->nf < EC_MAX_COLS ? st->nf : EC_MAX_COLS;
		for (i = 0; i < st->ncols; i++)
			st->col[i] = evtcsv_column(st->f[i]);
		return;
	}
	if (st->nf == 1 && slice_has_prefix(st->f[0], "#TYPE "))
		return;		/* PowerShell's type line before the header */
	if (st->ncols == 0)
		default_header(st);
	data_record(st);
}

/* Skips a first field, quoted or not, and its comma. */
static int
skip_field(struct slice *l)
{
	long c;

	if (l->n && l->p[0] == '"') {
		*l = slice_from(*l, 1);
		if ((c = slice_find(*l, '"')) < 0)
			return -1;
		*l = slice_from(*l, (size_t)c + 1);
		if (l->n == 0 || l->p[0] != ',')
			return -1;
		*l = slice_from(*l, 1);
		return 0;
	}
	if ((c = slice_find(*l, ',')) < 0)
		return -1;
	*l = slice_from(*l, (size_t)c + 1);
	return 0;
}

/* Whether a line opens a record: a first field, then a date. */
static int
record_start(struct ec *st, struct slice l)
{
	int dayfirst = st->dayfirst;
	struct slice d;
	int64_t wall;
	long c;

	if (skip_field(&l) != 0 || (c = slice_find(l, ',')) < 0)
		return 0;
	d = slice_make(l.p, (size_t)c);
	if (d.n >= 2 && d.p[0] == '"' && d.p[d.n - 1] == '"')
		d = slice_make(d.p + 1, d.n - 2);
	return evtcsv_parse_date(d, &dayfirst, &wall) == 0;
}

/* Forgets the gathered record. */
static void
drop(struct ec *st)
{
	st->n = st->line_start = 0;
	st->quotes = 0;
}

/* Appends decoded text to the open line. */
static void
append(struct ec *st, const char *p, size_t len)
{
	if (len == 0 || st->drop_line)
		return;
	if (st->n + len + 1 > EC_RECORD_MAX) {
		if (!st->resync) {
			ec_reject(st, 1, "evtcsv: record over %d KiB (a "
			    "quote not closed?)", EC_RECORD_MAX / 1024);
		}
		drop(st);
		st->resync = 1;
		st->drop_line = 1;
		return;
	}
	if (st->n + len + 1 > st->cap) {
		size_t cap = st->cap ? st->cap : 4096;
		char *nb;

		while (cap < st->n + len + 1)
			cap *= 2;
		if ((nb = realloc(st->rec, cap)) == NULL) {
			ec_reject(st, 0, "evtcsv: out of memory");
			drop(st);
			st->resync = 1;
			st->drop_line = 1;
			return;
		}
		st->rec = nb;
		st->cap = cap;
	}
	if (st->n == 0)
		st->rec_line = st->line;
	memcpy(st->rec + st->n, p, len);
	st->n += len;
}

/* The open line ends: the record is complete once its quotes balance. */
static void
end_line(struct ec *st)
{
	struct slice l;
	size_t i;

	if (st->drop_line) {
		st->drop_line = 0;
		st->n = st->line_start;
		return;
	}
	if (st->n > st->line_start && st->rec[st->n - 1] == '\r')
		st->n--;
	/* Nothing appended to a record yet: rec may still be NULL. */
	l = st->n > st->line_start ? slice_make(st->rec + st->line_start,
	    st->n - st->line_start) : SLICE_NONE;
	if (st->resync) {
		if (!record_start(st, l)) {
			drop(st);
			return;
		}
		st->resync = 0;
	}
	if (st->line_start == 0 && slice_trim(l).n == 0) {
		drop(st);	/* a blank line between records */
		return;
	}
	for (i = 0; i < l.n; i++)
		st->quotes += l.p[i] == '"';
	if (st->quotes % 2 == 0) {
		record(st);
		drop(st);
		return;
	}
	append(st, "\n", 1);
	st->line_start = st->n;
}

/* Feeds decoded text: lines end at each LF. */
static void
feed(struct ec *st, const char *p, size_t len)
{
	while (len > 0) {
		const char *nl = memchr(p, '\n', len);
		size_t k = nl ? (size_t)(nl - p) : len;

		append(st, p, k);
		if (nl == NULL)
			break;
		end_line(st);
		p += k + 1;
		len -= k + 1;
	}
}

static void *
ec_open(struct parse_ctx *ctx)
{
	struct ec *st = calloc(1, sizeof *st);

	if (st == NULL || csv_start(st) != 0) {
		free(st);
		fmt_reject(ctx, "evtcsv: out of memory");
		return NULL;
	}
	evtcsv_dec_init(&st->dec);
	st->wr.format = "evtcsv";
	return st;
}

static void
ec_close(void *state)
{
	struct ec *st = state;

	csv_free(&st->csv);
	evtcsv_dec_release(&st->dec);
	free(st->rec);
	free(st->fbuf);
	free(st->dbuf);
	free(st);
}

static enum line_result
ec_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct ec *st = state;
	uint64_t lineno = ctx->ev->origin_line;
	size_t need, got;

	st->ctx = ctx;
	st->rejected = st->used = 0;
	if (!st->started) {
		st->started = 1;
		line = slice_from(line, evtcsv_dec_start(&st->dec, line));
	} else if (lineno != st->line + 1) {
		/* The reader passed over a line too long to hand out. */
		evtcsv_dec_lost_line(&st->dec);
		if (st->n > 0 && !st->resync) {
			ec_reject(st, 0, "evtcsv: the record from line %llu "
			    "lost a line too long to read",
			    (unsigned long long)st->rec_line);
			drop(st);
			st->resync = 1;
		}
	}
	st->line = lineno;
	need = EVTCSV_DEC_MAX(line.n);
	if (need > st->dcap) {
		char *nb = realloc(st->dbuf, need);

		if (nb == NULL)
			return fmt_reject(ctx, "evtcsv: out of memory");
		st->dbuf = nb;
		st->dcap = need;
	}
	got = evtcsv_dec_line(&st->dec, line, st->dbuf);
	feed(st, st->dbuf, got);
	if (st->rejected)
		return LINE_REJECTED;
	return st->used || (st->n > 0 && !st->resync) ? LINE_USED :
	    LINE_SKIPPED;
}

static void
ec_finish(void *state, struct parse_ctx *ctx)
{
	struct ec *st = state;

	st->ctx = ctx;
	st->rejected = 0;
	ctx->reason[0] = '\0';
	if (st->resync || st->n == 0)
		return;
	/* A last line whose LF is still to come (UTF-16 cut short). */
	if (st->n > st->line_start)
		end_line(st);
	if (st->n > 0 && !st->rejected) {
		ec_reject(st, 0, "evtcsv: input ends inside the record from "
		    "line %llu (a quote not closed)",
		    (unsigned long long)st->rec_line);
		drop(st);
	}
}

/*
 * The header row, in English, Japanese or PowerShell's names, on the
 * first line (the second after PowerShell's "#TYPE" line), in any of the
 * encodings.
 */
static int
ec_sniff(const struct slice *lines, int n)
{
	struct evtcsv_dec d;
	char buf[EVTCSV_DEC_MAX(512)];
	int i, found = 0;

	evtcsv_dec_init(&d);
	for (i = 0; i < n && i < 2 && !found; i++) {
		struct slice l = lines[i], names[EC_MAX_COLS];
		size_t len;
		int k = 0;

		if (i == 0)
			l = slice_from(l, evtcsv_dec_start(&d, l));
		if (l.n > 512)
			break;
		len = evtcsv_dec_line(&d, l, buf);
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			len--;
		l = slice_make(buf, len);
		if (i == 0 && slice_has_prefix(l, "#TYPE "))
			continue;
		while (l.n && k < EC_MAX_COLS) {
			long c = slice_find(l, ',');
			struct slice name = slice_trim(slice_make(l.p,
			    c < 0 ? l.n : (size_t)c));

			if (name.n >= 2 && name.p[0] == '"' &&
			    name.p[name.n - 1] == '"')
				name = slice_make(name.p + 1, name.n - 2);
			names[k++] = name;
			l = c < 0 ? SLICE_NONE : slice_from(l, (size_t)c + 1);
		}
		found = is_header(names, k);
		break;
	}
	evtcsv_dec_release(&d);
	return found ? 100 : 0;
}

const struct fmt fmt_evtcsv = {
	.name = "evtcsv",
	.log = "auth",
	.summary = "Windows Event Viewer CSV export (English, Japanese; "
	    "UTF-16, UTF-8, CP932)",
	.sniff = ec_sniff,
	.open = ec_open,
	.line = ec_line,
	.finish = ec_finish,
	.close = ec_close,
};
