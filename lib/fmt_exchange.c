/*
 * fmt_exchange.c: Microsoft Exchange message tracking logs (MSGTRK*.LOG):
 * CSV records read with libcsv, columns mapped by name from each
 * "#Fields:" line (Exchange 2010 and 2013 and later differ), or, in a
 * file that has lost its header, by the field count of the two known
 * lists. A message crosses a transport server as several rows (RECEIVE,
 * SUBMIT, SEND, DELIVER, ...); the event of a message is its RECEIVE row,
 * which is where it enters the server, from SMTP (another server or a
 * client) or from a mailbox (STOREDRIVER), and carries the envelope
 * sender (return-path), the header sender (sender-address), all its
 * recipients, the subject, Message-ID and the client's address. FAIL and
 * DROP rows, a message refused or dropped (by an agent, a transport rule
 * or a failed delivery), are events too, as a deny. Other rows are
 * skipped. Subjects are logged decoded, in UTF-8; recipients are
 * separated by ';' and written with ','. The header sender is an address
 * only: Exchange logs no display name and no attachment names.
 */
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "esc.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"

#define EX_MAX_FIELDS 64	/* Exchange 2019 writes 30 */
#define EX_BYTES (256 * 1024)	/* a RECEIVE row lists every recipient */

/* The columns csm reads. */
enum ex_id {
	X_DATE, X_CLIENT_IP, X_CLIENT_HOST, X_SERVER_IP, X_SERVER_HOST,
	X_CONNECTOR, X_SOURCE, X_EVENT, X_INTERNAL_ID, X_MSGID,
	X_NETWORK_ID, X_RCPT, X_RCPT_STATUS, X_BYTES, X_RCPT_COUNT,
	X_SUBJECT, X_SENDER, X_RETURN_PATH, X_DIRECTION, X_ORIG_CLIENT_IP,
	X_NIDS
};

static const char *const ex_names[X_NIDS] = {
	"date-time", "client-ip", "client-hostname", "server-ip",
	"server-hostname", "connector-id", "source", "event-id",
	"internal-message-id", "message-id", "network-message-id",
	"recipient-address", "recipient-status", "total-bytes",
	"recipient-count", "message-subject", "sender-address", "return-path",
	"directionality", "original-client-ip"
};

/* The field lists of Exchange 2010 and of 2013 and later. */
static const char ex_fields_2010[] = "date-time,client-ip,client-hostname,"
    "server-ip,server-hostname,source-context,connector-id,source,"
    "event-id,internal-message-id,message-id,recipient-address,"
    "recipient-status,total-bytes,recipient-count,"
    "related-recipient-address,reference,message-subject,sender-address,"
    "return-path,message-info,directionality,tenant-id,original-client-ip,"
    "original-server-ip,custom-data";
static const char ex_fields_2013[] = "date-time,client-ip,client-hostname,"
    "server-ip,server-hostname,source-context,connector-id,source,"
    "event-id,internal-message-id,message-id,network-message-id,"
    "recipient-address,recipient-status,total-bytes,recipient-count,"
    "related-recipient-address,reference,message-subject,sender-address,"
    "return-path,message-info,directionality,tenant-id,original-client-ip,"
    "original-server-ip,custom-data,transport-traffic-type,log-id,"
    "schema-version";

struct ex_state {
	struct csv_parser csv;
	int col[X_NIDS];	/* field of each column, or -1 */
	int ncols;		/* fields #Fields named; 0: none seen */
	struct slice f[EX_MAX_FIELDS];
	int n, full;
	size_t used;
	char buf[EX_BYTES];
};

static const char bom[] = "\xef\xbb\xbf";

static int
no_byte(unsigned char c)
{
	(void)c;
	return 0;
}

/* libcsv's field callback: copies the field into the row. */
static void
take_field(void *s, size_t len, void *data)
{
	struct ex_state *st = data;

	if (st->n >= EX_MAX_FIELDS || len > sizeof st->buf - st->used) {
		st->full = 1;
		return;
	}
	if (len)
		memcpy(st->buf + st->used, s, len);
	st->f[st->n++] = slice_make(st->buf + st->used, len);
	st->used += len;
}

/* Splits line into st->f. Returns NULL, or why it cannot. */
static const char *
split(struct ex_state *st, struct slice line)
{
	st->n = st->full = 0;
	st->used = 0;
	if (csv_parse(&st->csv, line.p, line.n, take_field, NULL, st) !=
	    line.n || csv_fini(&st->csv, take_field, NULL, st) != 0) {
		/* libcsv keeps its state after an error: start afresh. */
		csv_free(&st->csv);
		csv_init(&st->csv, CSV_STRICT | CSV_STRICT_FINI);
		csv_set_space_func(&st->csv, no_byte);
		csv_set_term_func(&st->csv, no_byte);
		return "bad csv quoting";
	}
	return st->full ? "record too long" : NULL;
}

/* Maps the comma-separated names of list. Returns how many there are. */
static int
map_fields(struct ex_state *st, struct slice list)
{
	int i, n = 0;

	for (i = 0; i < X_NIDS; i++)
		st->col[i] = -1;
	while (list.n) {
		long c = slice_find(list, ',');
		struct slice name = slice_trim(c < 0 ? list :
		    slice_make(list.p, (size_t)c));

		for (i = 0; i < X_NIDS; i++)
			if (slice_eq_nocase(name, ex_names[i]) &&
			    st->col[i] < 0)
				st->col[i] = n;
		n++;
		list = c < 0 ? slice_from(list, list.n) :
		    slice_from(list, (size_t)c + 1);
	}
	return n;
}

/* Field id of the record, or an empty slice. */
static struct slice
fld(const struct ex_state *st, enum ex_id id)
{
	int c = st->col[id];

	return c >= 0 && c < st->n ? st->f[c] : SLICE_NONE;
}

/*
 * Copies s into the event escaped, every ',' in it written \x2c (a quoted
 * local part may hold one) and every ';' made ','; *oom set when out of
 * memory.
 */
static struct slice
semis_to_commas(struct event *ev, struct slice s, int *oom)
{
	char small[4096], *p;
	size_t i, n;
	struct slice k;

	if (s.n == 0)
		return SLICE_NONE;	/* s.p may be NULL */
	p = s.n * ESC_MAX_GROWTH <= sizeof small ? small :
	    malloc(s.n * ESC_MAX_GROWTH);
	if (p == NULL) {
		*oom = 1;
		return SLICE_NONE;
	}
	/* esc_tsv leaves ';' as it is: the separators are made ',' after. */
	n = esc_list_item(p, s, ESC_TSV);
	for (i = 0; i < n; i++)
		if (p[i] == ';')
			p[i] = ',';
	k = event_keep(ev, p, n);
	if (p != small)
		free(p);
	return k;
}

/* An address column: empty is fine; anything else must be an address. */
static int
set_ip(struct event *ev, enum ev_col col, struct slice v)
{
	return v.n == 0 ? 0 : fmt_set_addr(ev, col, v);
}

/* Maps the record in st->f to an event; ncols is what it must have. */
static enum line_result
ex_record(struct ex_state *st, struct parse_ctx *ctx, int ncols)
{
	struct event *ev = ctx->ev;
	struct slice event_id = fld(st, X_EVENT), v, cip, ocip;
	uint64_t bytes;
	int64_t ms;
	int oom = 0;
	char q[200];

	if (st->n != ncols)
		return fmt_reject(ctx, "exchange: %d fields, #Fields names %d",
		    st->n, ncols);
	if (!slice_eq(event_id, "RECEIVE") && !slice_eq(event_id, "FAIL") &&
	    !slice_eq(event_id, "DROP"))
		return LINE_SKIPPED;	/* one event per message */
	if (time_parse_rfc3339(v = fld(st, X_DATE), &ms) != 0)
		return fmt_reject(ctx, "exchange: bad date-time '%s'",
		    diag_quote(q, sizeof q, v));
	ev->ts_ms = ms;
	ev->has_ts = 1;
	event_set_checked(ev, EV_LOG, SLICE_LIT("mail"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("exchange"));
	ev->f[EV_DEVICE] = fld(st, X_SERVER_HOST);
	/* Behind a front end, the client is the original one. */
	cip = fld(st, X_CLIENT_IP);
	ocip = fld(st, X_ORIG_CLIENT_IP);
	if (set_ip(ev, EV_SRC_IP, ocip.n ? ocip : cip) != 0 ||
	    set_ip(ev, EV_DST_IP, fld(st, X_SERVER_IP)) != 0)
		return fmt_reject(ctx, "exchange: bad address '%s'",
		    diag_quote(q, sizeof q, ocip.n ? ocip : cip));
	if ((v = fld(st, X_BYTES)).n &&
	    num_parse_u64(v, UINT64_MAX, &bytes) != 0)
		return fmt_reject(ctx, "exchange: bad total-bytes '%s'",
		    diag_quote(q, sizeof q, v));
	ev->f[EV_MAIL_FROM] = fld(st, X_RETURN_PATH);
	ev->f[EV_HDR_FROM] = fld(st, X_SENDER);
	event_set_checked(ev, EV_RCPT, semis_to_commas(ev, fld(st, X_RCPT),
	    &oom));
	if (oom)
		return fmt_reject(ctx, "exchange: out of memory");
	ev->f[EV_SUBJECT] = fld(st, X_SUBJECT);
	ev->f[EV_MSG_ID] = fld(st, X_MSGID);
	ev->f[EV_EVENT_ID] = event_id;
	event_set_checked(ev, EV_ACTION, slice_eq(event_id, "RECEIVE") ?
	    SLICE_LIT("allow") : SLICE_LIT("deny"));
	if ((v = fld(st, X_SOURCE)).n)
		event_add_extra(ev, "source", v);
	/* client-hostname names client-ip: the front end, when proxied. */
	if ((v = fld(st, X_CLIENT_HOST)).n)
		event_add_extra(ev, ocip.n ? "proxy" : "client", v);
	if (ocip.n && cip.n)
		event_add_extra(ev, "proxy_ip", cip);
	if ((v = fld(st, X_CONNECTOR)).n)
		event_add_extra(ev, "connector", v);
	if ((v = fld(st, X_DIRECTION)).n)
		event_add_extra(ev, "direction", v);
	if ((v = fld(st, X_BYTES)).n)
		event_add_extra_checked(ev, "size", v);
	if ((v = fld(st, X_RCPT_COUNT)).n)
		event_add_extra(ev, "nrcpt", v);
	/* ';' between recipients' statuses, and inside their texts too. */
	if ((v = fld(st, X_RCPT_STATUS)).n)
		event_add_extra(ev, "status", v);
	if ((v = fld(st, X_INTERNAL_ID)).n)
		event_add_extra(ev, "internal_id", v);
	if ((v = fld(st, X_NETWORK_ID)).n)
		event_add_extra(ev, "network_id", v);
	return fmt_emit(ctx);
}

static enum line_result
ex_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct ex_state *st = state;
	const char *why;
	char q[200];

	if (slice_has_prefix(line, bom))
		line = slice_from(line, 3);
	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (line.p[0] == '#') {
		if (slice_has_prefix(line, "#Fields:")) {
			st->ncols = map_fields(st, slice_from(line, 8));
			if (st->col[X_EVENT] < 0 || st->col[X_DATE] < 0) {
				st->ncols = 0;
				return fmt_reject(ctx, "exchange: #Fields "
				    "without date-time and event-id");
			}
		}
		return LINE_SKIPPED;	/* #Software, #Version, #Date */
	}
	if ((why = split(st, line)) != NULL)
		return fmt_reject(ctx, "exchange: %s '%s'", why,
		    diag_quote(q, sizeof q, line));
	if (st->ncols == 0) {
		/* No header (yet): the known list of this many fields. */
		if (st->n == 30)
			map_fields(st, slice_cstr(ex_fields_2013));
		else if (st->n == 26)
			map_fields(st, slice_cstr(ex_fields_2010));
		else
			return fmt_reject(ctx, "exchange: no #Fields and %d "
			    "fields", st->n);
		return ex_record(st, ctx, st->n);
	}
	return ex_record(st, ctx, st->ncols);
}

/*
 * Whether line is a headerless message tracking record: a CSV record of
 * 26 or 30 fields starting with an ISO 8601 UTC time, with an upper-case
 * event-id where the known lists put it.
 */
static int
is_record(struct ex_state *st, struct slice line)
{
	struct slice ev;
	int64_t ms;
	size_t i;

	if (split(st, line) != NULL || (st->n != 26 && st->n != 30) ||
	    time_parse_rfc3339(st->f[0], &ms) != 0)
		return 0;
	ev = st->f[8];
	for (i = 0; i < ev.n; i++)
		if (!(ev.p[i] >= 'A' && ev.p[i] <= 'Z'))
			return 0;
	return ev.n >= 3;
}

static void *ex_open(struct parse_ctx *ctx);
static void ex_close(void *state);

static int
ex_sniff(const struct slice *lines, int n)
{
	struct parse_ctx ctx;
	struct ex_state *st;
	int i, data = 0, hits = 0, best = 0;

	memset(&ctx, 0, sizeof ctx);
	if ((st = ex_open(&ctx)) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		struct slice l = slice_trim(lines[i]);

		if (slice_has_prefix(l, bom))
			l = slice_from(l, 3);
		if (l.n == 0)
			continue;
		if (l.p[0] == '#') {
			if (slice_has_prefix(l, "#Log-type: Message Tracking"))
				best = 100;
			else if (slice_has_prefix(l, "#Fields:")) {
				map_fields(st, slice_from(l, 8));
				if (st->col[X_EVENT] >= 0 &&
				    st->col[X_MSGID] >= 0 &&
				    st->col[X_DATE] >= 0 && best < 95)
					best = 95;
			}
			continue;
		}
		data++;
		hits += is_record(st, l);
	}
	ex_close(st);
	if (best == 0 && hits && hits * 2 >= data)
		best = 60 + 30 * hits / data;
	return best;
}

static void *
ex_open(struct parse_ctx *ctx)
{
	struct ex_state *st = malloc(sizeof *st);

	if (st == NULL || csv_init(&st->csv, CSV_STRICT |
	    CSV_STRICT_FINI) != 0) {
		free(st);
		if (ctx->opts)
			fmt_reject(ctx, "out of memory");
		return NULL;
	}
	csv_set_space_func(&st->csv, no_byte);
	csv_set_term_func(&st->csv, no_byte);
	st->ncols = 0;
	map_fields(st, SLICE_NONE);
	return st;
}

static void
ex_close(void *state)
{
	struct ex_state *st = state;

	if (st == NULL)
		return;
	csv_free(&st->csv);
	free(st);
}

const struct fmt fmt_exchange = {
	.name = "exchange",
	.log = "mail",
	.summary = "Microsoft Exchange message tracking log (CSV), RECEIVE rows",
	.sniff = ex_sniff,
	.open = ex_open,
	.line = ex_line,
	.close = ex_close,
};
