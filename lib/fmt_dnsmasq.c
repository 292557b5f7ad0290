/*
 * fmt_dnsmasq.c: dnsmasq's log-queries output, in syslog or its own file
 * (log-facility=, no host): "query[A] NAME from CLIENT", "forwarded NAME
 * to SERVER", "reply NAME is VALUE" (also cached, cached-stale, config,
 * DHCP, auth and a hosts file's path), and log-queries=extra, where each
 * line starts with the query's serial number and the client ("1
 * 10.1.20.35/51514 query[A] ..."). A query takes several lines, so the
 * queries in flight are kept in a table and each becomes one event with
 * its answers: data joined with ',', a CNAME chain as "CNAME:<target>"
 * (dnsmasq writes "<CNAME>" and the target's name on the next line),
 * NXDOMAIN, NODATA, SERVFAIL, REFUSED as the rcode (data means NOERROR).
 * A query is written when a later query line comes after its answers
 * (dnsmasq writes the lines of one reply together), when it is ten seconds
 * of log time old (dnsmasq's own forwarding timeout), when the table is
 * full (4096 queries: the oldest goes) and at the end of the input, with
 * the time and origin of its query line; so events are in the order
 * queries complete. An answer or forwarded line whose query was not seen
 * (the log starts mid-query, or the query was already written) becomes an
 * event of its own, with unmatched=1 and no client unless the extra form
 * names it: evidence is not dropped. Lines are matched to queries by serial number when there is
 * one, else by name and reporting host, preferring a query of the type the
 * answer fits (A for IPv4, AAAA for IPv6) without an answer yet; the
 * answer of a PTR query, which dnsmasq logs under the address, by the
 * address's in-addr.arpa or ip6.arpa name. A name ends at the " is "
 * after which it is a query's in flight; a TXT query's answer is its text
 * whole (dnsmasq logs each string's printable start, spaces included).
 * Start-up, DHCP, DNSSEC and other messages are skipped.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dnsmasq_text.h"
#include "envelope.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"

#define DQ_MAX 4096		/* queries in flight */
#define DQ_TIMEOUT_MS 10000	/* dnsmasq's TIMEOUT: 10 s */
#define DQ_HASH 4096		/* hash chains (a power of two) */

/* One query in flight; all text is copied, lines do not outlive a call. */
struct dq {
	int prev, next;		/* creation order; next also links free ones */
	int hnext;		/* hash chain */
	int anext;		/* the answered list */
	int used, listed, unmatched, await_target, cached, truncated;
	int has_serial, has_ts;
	uint64_t seq, serial;
	uint32_t hash;
	int64_t ts_ms;
	const char *origin_file;
	uint64_t line;
	const char *rcode;	/* a literal, or NULL */
	size_t device_n, qname_n, qtype_n, client_n, port_n, source_n,
	    upstream_n, answer_n;
	/* Text from here on (not cleared for a new query). */
	char device[256];
	char qname[DNSMASQ_NAME_MAX];
	char qtype[24];
	char client[IPADDR_TEXT_MAX];
	char port[8];
	char source[64];
	char upstream[128];
	char answer[DNSMASQ_ITEM_MAX];	/* 4 KiB of A records, escaped */
};

struct dq_state {
	struct envelope_year ey;
	struct dq *q;
	int cap, count, free_list;
	int head, tail;		/* oldest and newest query */
	int ahead, atail;	/* queries with an answer, in answer order */
	int last_cname;		/* the query the previous line gave a <CNAME> */
	uint64_t seq;
	int heads[DQ_HASH];
	struct event out;	/* the event being written */
};

/* A text field of struct dq as a slice, and setting one from a slice. */
#define DQ_TEXT(e, f) slice_make((e)->f, (e)->f##_n)
#define DQ_SET(e, f, s) ((e)->f##_n = 0, \
	dnsmasq_append((e)->f, &(e)->f##_n, sizeof (e)->f, "", (s)))

/* What an answer value says about the query type it fits. */
enum dq_kind { KIND_V4, KIND_V6, KIND_OTHER };

/* FNV-1a of the key: the host, then the serial or else the name. */
static uint32_t
key_hash(struct slice dev, int has_serial, uint64_t serial, struct slice name)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < dev.n; i++)
		h = (h ^ (unsigned char)dev.p[i]) * 16777619u;
	if (has_serial)
		return (h ^ (uint32_t)serial ^ (uint32_t)(serial >> 32) ^
		    0x5e41u) * 16777619u;
	for (i = 0; i < name.n; i++)
		h = (h ^ (unsigned char)name.p[i]) * 16777619u;
	return h;
}

static void
unlink_query(struct dq_state *st, int i)
{
	struct dq *e = &st->q[i];
	int *pp;

	for (pp = &st->heads[e->hash & (DQ_HASH - 1)]; *pp != i;
	    pp = &st->q[*pp].hnext)
		;
	*pp = e->hnext;
	if (e->listed) {
		/* Off the answered list (short: flushed at every query). */
		int prev = -1;

		for (pp = &st->ahead; *pp != i; pp = &st->q[*pp].anext)
			prev = *pp;
		*pp = e->anext;
		if (st->atail == i)
			st->atail = prev;
	}
	if (e->prev >= 0)
		st->q[e->prev].next = e->next;
	else
		st->head = e->next;
	if (e->next >= 0)
		st->q[e->next].prev = e->prev;
	else
		st->tail = e->prev;
	if (st->last_cname == i)
		st->last_cname = -1;
	e->used = 0;
	e->next = st->free_list;
	st->free_list = i;
	st->count--;
}

/* Writes query i as an event and forgets it. */
static void
emit_query(struct dq_state *st, struct parse_ctx *ctx, int i)
{
	struct dq *e = &st->q[i];
	struct event *ev = &st->out;

	event_clear(ev);
	ev->origin_file = e->origin_file;
	ev->origin_line = e->line;
	ev->ts_ms = e->ts_ms;
	ev->has_ts = e->has_ts;
	event_set_checked(ev, EV_LOG, SLICE_LIT("dns"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("dnsmasq"));
	/* Addresses, port, type, rcode are checked text, answer escaped. */
	ev->f[EV_DEVICE] = DQ_TEXT(e, device);
	event_set_checked(ev, EV_SRC_IP, DQ_TEXT(e, client));
	event_set_checked(ev, EV_SRC_PORT, DQ_TEXT(e, port));
	ev->f[EV_QNAME] = DQ_TEXT(e, qname);
	event_set_checked(ev, EV_QTYPE, DQ_TEXT(e, qtype));
	if (e->rcode)
		event_set_checked(ev, EV_RCODE, slice_cstr(e->rcode));
	event_set_checked(ev, EV_ANSWER, DQ_TEXT(e, answer));
	if (e->has_serial) {
		char tmp[20];

		event_add_extra_checked(ev, "serial", event_keep(ev, tmp,
		    num_format_u64(tmp, e->serial)));
	}
	if (e->upstream_n)
		event_add_extra(ev, "upstream", DQ_TEXT(e, upstream));
	if (e->cached)
		event_add_extra_checked(ev, "cached", SLICE_LIT("1"));
	if (e->source_n)
		event_add_extra(ev, "source", DQ_TEXT(e, source));
	if (e->truncated)
		event_add_extra_checked(ev, "answer_truncated", SLICE_LIT("1"));
	if (e->unmatched)
		event_add_extra_checked(ev, "unmatched", SLICE_LIT("1"));
	ctx->emit(ctx, ev);
	unlink_query(st, i);
}

/* Writes the queries that have their answers. */
static void
flush_answered(struct dq_state *st, struct parse_ctx *ctx)
{
	while (st->ahead >= 0) {
		int i = st->ahead;

		st->ahead = st->q[i].anext;
		st->q[i].listed = 0;
		if (st->q[i].used)
			emit_query(st, ctx, i);
	}
	st->atail = -1;
}

/* Writes the queries older than the timeout (log time may also jump back). */
static void
expire(struct dq_state *st, struct parse_ctx *ctx, int64_t now)
{
	while (st->head >= 0) {
		struct dq *e = &st->q[st->head];
		int64_t age = now - e->ts_ms;

		if (e->has_ts && age <= DQ_TIMEOUT_MS && age >= -DQ_TIMEOUT_MS)
			break;
		emit_query(st, ctx, st->head);
	}
}

/*
 * A new query in the table, or -1 when memory runs out. The table grows
 * to DQ_MAX; past that the oldest query is written to make room.
 */
static int
new_query(struct dq_state *st, struct parse_ctx *ctx, uint32_t hash)
{
	struct dq *e;
	int i;

	if (st->count >= DQ_MAX)
		emit_query(st, ctx, st->head);
	if (st->free_list < 0) {
		int ncap = st->cap ? st->cap * 2 : 16;
		struct dq *nq;

		if (ncap > DQ_MAX)
			ncap = DQ_MAX;
		if (ncap <= st->cap ||
		    (nq = realloc(st->q, (size_t)ncap * sizeof *nq)) == NULL)
			return -1;
		st->q = nq;
		for (i = ncap - 1; i >= st->cap; i--) {
			st->q[i].used = 0;
			st->q[i].next = st->free_list;
			st->free_list = i;
		}
		st->cap = ncap;
	}
	i = st->free_list;
	e = &st->q[i];
	st->free_list = e->next;
	memset(e, 0, offsetof(struct dq, device));
	e->used = 1;
	e->seq = ++st->seq;
	e->hash = hash;
	e->anext = -1;
	e->hnext = st->heads[hash & (DQ_HASH - 1)];
	st->heads[hash & (DQ_HASH - 1)] = i;
	e->prev = st->tail;
	e->next = -1;
	if (st->tail >= 0)
		st->q[st->tail].next = i;
	else
		st->head = i;
	st->tail = i;
	st->count++;
	e->ts_ms = ctx->ev->ts_ms;
	e->has_ts = ctx->ev->has_ts;
	e->origin_file = ctx->ev->origin_file;
	e->line = ctx->ev->origin_line;
	return i;
}

/* The parts of a line before the message proper. */
struct dq_line {
	struct slice device;
	int has_serial;
	uint64_t serial;
	struct slice client, port;	/* log-queries=extra; may be empty */
};

/* Whether query type t fits an answer of kind k. */
static int
fits(const struct dq *e, enum dq_kind k)
{
	if (k == KIND_OTHER || e->qtype_n == 0 ||
	    (e->qtype_n == 3 && memcmp(e->qtype, "ANY", 3) == 0))
		return 1;
	if (k == KIND_V4)
		return e->qtype_n == 1 && e->qtype[0] == 'A';
	return e->qtype_n == 4 && memcmp(e->qtype, "AAAA", 4) == 0;
}

/*
 * The query a line is about, or -1: by serial, else by name, preferring
 * one the answer fits with no answer yet (the oldest, or the newest for a
 * forwarded line), then one it fits (the newest), then one unanswered.
 */
static int
find_query(struct dq_state *st, const struct dq_line *dl, struct slice name,
    enum dq_kind kind, int newest)
{
	uint32_t h = key_hash(dl->device, dl->has_serial, dl->serial, name);
	int i, best = -1, best_score = -1;

	for (i = st->heads[h & (DQ_HASH - 1)]; i >= 0; i = st->q[i].hnext) {
		const struct dq *e = &st->q[i];
		int score;

		if (e->hash != h || e->has_serial != dl->has_serial ||
		    e->device_n != dl->device.n ||
		    memcmp(e->device, dl->device.p, e->device_n) != 0)
			continue;
		if (dl->has_serial) {
			if (e->serial != dl->serial)
				continue;
		} else if (e->qname_n != name.n ||
		    memcmp(e->qname, name.p, name.n) != 0) {
			continue;
		}
		score = fits(e, kind) ? (e->listed ? 2 : 3) :
		    (e->listed ? 0 : 1);
		if (score > best_score || (score == best_score &&
		    ((score == 2 || newest) ? e->seq > st->q[best].seq :
		    e->seq < st->q[best].seq))) {
			best = i;
			best_score = score;
		}
	}
	return best;
}

/* Sets the client address from text ip_parse accepts, IPv6 shortened. */
static void
set_client(struct dq *e, struct slice s)
{
	struct ipaddr ip;

	e->client_n = 0;
	if (s.n == 0 || ip_parse(s, &ip) != 0)
		return;
	if (ip_is_v4(&ip))
		DQ_SET(e, client, s);
	else
		e->client_n = ip_format(e->client, &ip);
}

/*
 * A new query from the fields of dl; unmatched for an answer or forwarded
 * line whose query was not seen. Returns -1 when memory runs out.
 */
static int
add_query(struct dq_state *st, struct parse_ctx *ctx, const struct dq_line *dl,
    struct slice name, int unmatched)
{
	int i = new_query(st, ctx, key_hash(dl->device, dl->has_serial,
	    dl->serial, name));
	struct dq *e;

	if (i < 0)
		return -1;
	e = &st->q[i];
	e->unmatched = unmatched;
	e->has_serial = dl->has_serial;
	e->serial = dl->serial;
	DQ_SET(e, device, dl->device);
	DQ_SET(e, qname, name);
	set_client(e, dl->client);
	DQ_SET(e, port, dl->port);
	return i;
}

/* "query[TYPE] NAME from CLIENT", rest after "query[". */
static enum line_result
read_query(struct dq_state *st, struct parse_ctx *ctx, struct dq_line *dl,
    struct slice rest)
{
	char name[DNSMASQ_NAME_MAX], tbuf[24], q[200];
	struct slice type, client;
	struct ipaddr ip;
	long close, from;
	size_t nn, i;
	uint64_t v;
	int k;

	close = slice_find(rest, ']');
	if (close <= 0 || (size_t)close + 1 >= rest.n ||
	    rest.p[close + 1] != ' ')
		return fmt_reject(ctx, "dnsmasq: bad query type '%s'",
		    diag_quote(q, sizeof q, rest));
	type = slice_make(rest.p, (size_t)close);
	rest = slice_from(rest, (size_t)close + 2);
	if (slice_has_prefix(type, "type=") && num_parse_u64(slice_from(type,
	    5), 65535, &v) == 0 && type.n - 5 <= 5) {
		/* An unnamed type, written as RFC 3597 does: TYPE65. */
		memcpy(tbuf, "TYPE", 4);
		memcpy(tbuf + 4, type.p + 5, type.n - 5);
		type = slice_make(tbuf, type.n - 1);
	} else {
		for (i = 0; i < type.n; i++)
			if (!((type.p[i] >= 'A' && type.p[i] <= 'Z') ||
			    (type.p[i] >= '0' && type.p[i] <= '9') ||
			    type.p[i] == '-'))
				break;
		if (i != type.n || type.n > 16)
			return fmt_reject(ctx, "dnsmasq: bad query type '%s'",
			    diag_quote(q, sizeof q, type));
	}
	/* The name is the client's choice: the last " from " ends it. */
	if ((from = slice_find_last(rest, " from ")) < 0)
		return fmt_reject(ctx, "dnsmasq: no 'from' in query '%s'",
		    diag_quote(q, sizeof q, rest));
	client = dnsmasq_first_word(slice_from(rest, (size_t)from + 6));
	if (ip_parse(client, &ip) != 0)
		return fmt_reject(ctx, "dnsmasq: bad client address '%s'",
		    diag_quote(q, sizeof q, client));
	if ((nn = dnsmasq_norm_name(name, slice_make(rest.p, (size_t)from))) == 0)
		return fmt_reject(ctx, "dnsmasq: bad query name '%s'",
		    diag_quote(q, sizeof q, slice_make(rest.p, (size_t)from)));
	/* Queries answered so far are complete: a reply is written whole. */
	flush_answered(st, ctx);
	if ((k = add_query(st, ctx, dl, slice_make(name, nn), 0)) < 0)
		return fmt_reject(ctx, "out of memory");
	/* "from" names the client; the extra form's CLIENT/PORT agrees. */
	set_client(&st->q[k], client);
	DQ_SET(&st->q[k], qtype, type);
	return LINE_USED;
}

/* "forwarded NAME to SERVER", rest after "forwarded ". */
static enum line_result
read_forwarded(struct dq_state *st, struct parse_ctx *ctx,
    const struct dq_line *dl, struct slice rest)
{
	char name[DNSMASQ_NAME_MAX], q[200];
	struct slice server;
	struct dq *e;
	long to;
	size_t nn;
	int i;

	if ((to = slice_find_last(rest, " to ")) < 0 ||
	    (nn = dnsmasq_norm_name(name, slice_make(rest.p, (size_t)to))) == 0)
		return fmt_reject(ctx, "dnsmasq: bad forwarded line '%s'",
		    diag_quote(q, sizeof q, rest));
	server = dnsmasq_first_word(slice_from(rest, (size_t)to + 4));
	i = find_query(st, dl, slice_make(name, nn), KIND_OTHER, 1);
	if (i < 0 && (i = add_query(st, ctx, dl, slice_make(name, nn), 1)) < 0)
		return fmt_reject(ctx, "out of memory");
	e = &st->q[i];
	/* Each upstream once (a query may go to several, or be retried). */
	if (server.n && !dnsmasq_in_list(DQ_TEXT(e, upstream), server))
		dnsmasq_append(e->upstream, &e->upstream_n, sizeof e->upstream, ",",
		    server);
	return LINE_USED;
}

/* Whether dnsmasq logs the answers of query e as text (TXT strings). */
static int
is_text(const struct dq *e)
{
	return e->qtype_n == 3 && memcmp(e->qtype, "TXT", 3) == 0;
}

/*
 * Where the name of an answer line ends: before the " is " after which
 * the name is that of a query in flight, as a name may hold " is " and so
 * may TXT text (rfc1035.c log_txt writes a string's printable start,
 * spaces and all); else before the first " is " when the line continues
 * a TXT query's CNAME chain, the last one otherwise. *text says whether
 * the query is one whose answers are text. Returns -1 without " is ".
 */
static long
answer_split(struct dq_state *st, const struct dq_line *dl, struct slice rest,
    int *text)
{
	char name[DNSMASQ_NAME_MAX];
	long at, first = -1, last = -1;
	size_t nn;
	int i = -1;

	for (at = 0; (size_t)at + 4 <= rest.n; at++) {
		if (memcmp(rest.p + at, " is ", 4) != 0)
			continue;
		if (first < 0)
			first = at;
		last = at;
		nn = dnsmasq_norm_name(name, slice_make(rest.p, (size_t)at));
		if (nn && (i = find_query(st, dl, slice_make(name, nn),
		    KIND_OTHER, 0)) >= 0 && st->q[i].qname_n == nn &&
		    memcmp(st->q[i].qname, name, nn) == 0)
			break;
		i = -1;
	}
	if (i >= 0) {
		*text = is_text(&st->q[i]);
		return at;
	}
	/* A CNAME's target, or an answer whose query was not seen. */
	i = dl->has_serial ? find_query(st, dl, SLICE_NONE, KIND_OTHER, 0) :
	    st->last_cname;
	*text = i >= 0 && is_text(&st->q[i]);
	return *text ? first : last;
}

/*
 * "SOURCE NAME is VALUE", rest after "SOURCE ": reply (upstream), cached,
 * cached-stale, config, DHCP, auth or a hosts file's path.
 */
static enum line_result
read_answer(struct dq_state *st, struct parse_ctx *ctx,
    const struct dq_line *dl, struct slice source, struct slice rest)
{
	char name[DNSMASQ_NAME_MAX], rev[IPADDR_REVERSE_MAX], q[200];
	struct slice value, after;
	enum dq_kind kind = KIND_OTHER;
	const char *rcode;
	struct ipaddr ip;
	struct dq *e;
	long is;
	size_t nn, rn = 0;
	int i, text;

	if ((is = answer_split(st, dl, rest, &text)) < 0 ||
	    (nn = dnsmasq_norm_name(name, slice_make(rest.p, (size_t)is))) == 0)
		return fmt_reject(ctx, "dnsmasq: bad answer line '%s'",
		    diag_quote(q, sizeof q, rest));
	after = slice_from(rest, (size_t)is + 4);
	/* Text is kept whole; only a reply's word alone is an rcode. */
	value = text ? after : dnsmasq_first_word(after);
	after = slice_from(after, value.n);
	if (text && slice_find(value, ' ') >= 0 &&
	    !slice_eq(value, "not implemented"))
		text = 2;	/* no rcode */
	if (value.n == 0 && !text)
		return fmt_reject(ctx, "dnsmasq: answer without a value '%s'",
		    diag_quote(q, sizeof q, rest));
	if (text)
		;	/* neither an address nor a PTR answer */
	else if (ip_parse(value, &ip) == 0)
		kind = ip_is_v4(&ip) ? KIND_V4 : KIND_V6;
	else if (ip_parse(slice_make(name, nn), &ip) == 0)
		rn = ip_reverse_name(rev, &ip);
	if (slice_eq(value, "NODATA-IPv4"))
		kind = KIND_V4;
	else if (slice_eq(value, "NODATA-IPv6"))
		kind = KIND_V6;
	/*
	 * dnsmasq logs the answer of a PTR query under the address (cache.c
	 * log_query with F_REVERSE), its query and forwarded lines under the
	 * in-addr.arpa or ip6.arpa name: an address with a name (or NXDOMAIN)
	 * for value finds its query by that name first, then as written.
	 */
	i = rn ? find_query(st, dl, slice_make(rev, rn), KIND_OTHER, 0) : -1;
	if (i < 0)
		i = find_query(st, dl, slice_make(name, nn), kind, 0);
	if (i < 0 && !dl->has_serial)
		i = st->last_cname;	/* the target of a CNAME */
	if (i < 0 && rn) {
		/* Its query unseen: still a PTR answer, not a lookup of it. */
		if ((i = add_query(st, ctx, dl, slice_make(rev, rn), 1)) < 0)
			return fmt_reject(ctx, "out of memory");
		DQ_SET(&st->q[i], qtype, SLICE_LIT("PTR"));
	}
	if (i < 0 && (i = add_query(st, ctx, dl, slice_make(name, nn), 1)) < 0)
		return fmt_reject(ctx, "out of memory");
	e = &st->q[i];
	if (rn && e->qname_n == rn && memcmp(e->qname, rev, rn) == 0) {
		memcpy(name, rev, rn);
		nn = rn;
	}
	if (e->await_target && !(e->qname_n == nn &&
	    memcmp(e->qname, name, nn) == 0)) {
		char tmp[6 + DNSMASQ_NAME_MAX];

		memcpy(tmp, "CNAME:", 6);
		memcpy(tmp + 6, name, nn);
		if (dnsmasq_append_item(e->answer, &e->answer_n,
		    sizeof e->answer, slice_make(tmp, 6 + nn)) != 0)
			e->truncated = 1;
	}
	e->await_target = slice_eq(value, "<CNAME>");
	if (!e->await_target) {
		if (text != 2 && (rcode = dnsmasq_rcode(text ? dnsmasq_first_word(value) :
		    value, text ? slice_from(value, 3) : after)) != NULL)
			e->rcode = rcode;
		else if (dnsmasq_append_item(e->answer, &e->answer_n,
		    sizeof e->answer, value) != 0)
			e->truncated = 1;
	}
	if (e->rcode == NULL)
		e->rcode = "NOERROR";
	if (slice_eq(source, "cached") || slice_eq(source, "cached-stale"))
		e->cached = 1;
	else if (!slice_eq(source, "reply") && e->source_n == 0)
		DQ_SET(e, source, source);
	if (!e->listed) {
		/* Answered: written at the next query line. */
		e->listed = 1;
		e->anext = -1;
		*(st->atail >= 0 ? &st->q[st->atail].anext : &st->ahead) = i;
		st->atail = i;
	}
	st->last_cname = e->await_target ? i : -1;
	return LINE_USED;
}

/*
 * Takes log-queries=extra's "[TCP |UDP ]SERIAL [CLIENT/PORT ]" off *msg.
 * Returns -1 when a client is there but broken.
 */
static int
read_extra(struct slice *msg, struct dq_line *dl)
{
	struct slice m = *msg, w, addr;
	struct ipaddr ip;
	uint64_t v;
	long sl;
	size_t i;

	if (slice_has_prefix(m, "TCP ") || slice_has_prefix(m, "UDP "))
		m = slice_from(m, 4);
	for (i = 0; i < m.n && m.p[i] >= '0' && m.p[i] <= '9'; i++)
		;
	if (i == 0 || i >= m.n || m.p[i] != ' ' ||
	    num_parse_u64(slice_make(m.p, i), UINT32_MAX, &v) != 0)
		return 0;	/* plain log-queries */
	dl->has_serial = 1;
	dl->serial = v;
	m = slice_from(m, i + 1);
	w = dnsmasq_first_word(m);
	if ((sl = slice_find_last(w, "/")) > 0 && w.p[0] != '/') {
		addr = slice_make(w.p, (size_t)sl);
		if (ip_parse(addr, &ip) != 0 || num_parse_u64(slice_from(w,
		    (size_t)sl + 1), 65535, &v) != 0)
			return -1;
		dl->client = addr;
		dl->port = slice_from(w, (size_t)sl + 1);
		m = slice_from(m, w.n + 1);
	}
	*msg = m;
	return 0;
}

static enum line_result
dq_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct dq_state *st = state;
	struct event *ev = ctx->ev;
	struct envelope env;
	struct dq_line dl;
	struct slice msg, w;
	char q[200];
	int cname = st->last_cname;

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (envelope_parse(line, &st->ey, &env) != 0)
		return fmt_reject(ctx, "dnsmasq: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	/* dnsmasq-dhcp, dnsmasq-tftp and other programs of a syslog file. */
	if (env.tag.n && !slice_eq(env.tag, "dnsmasq") &&
	    !slice_eq(env.tag, "pihole-FTL"))
		return LINE_SKIPPED;
	if (env.host.n > sizeof st->q[0].device)
		return fmt_reject(ctx, "dnsmasq: host name too long '%s'",
		    diag_quote(q, sizeof q, env.host));
	ev->ts_ms = env.ts_ms;
	ev->has_ts = env.has_ts;
	if (env.has_ts)
		expire(st, ctx, env.ts_ms);
	memset(&dl, 0, sizeof dl);
	dl.device = env.host;
	msg = env.msg;
	if (read_extra(&msg, &dl) != 0)
		return fmt_reject(ctx, "dnsmasq: bad client '%s'",
		    diag_quote(q, sizeof q, msg));
	/* Only a line straight after a <CNAME> continues its chain. */
	st->last_cname = -1;
	w = dnsmasq_first_word(msg);
	if (slice_has_prefix(w, "query["))
		return read_query(st, ctx, &dl, slice_from(msg, 6));
	if (slice_eq(w, "forwarded"))
		return read_forwarded(st, ctx, &dl, slice_from(msg, w.n + 1));
	if (slice_eq(w, "reply") || slice_eq(w, "cached") ||
	    slice_eq(w, "cached-stale") || slice_eq(w, "config") ||
	    slice_eq(w, "DHCP") || slice_eq(w, "auth") ||
	    (w.n > 1 && w.p[0] == '/')) {
		/* An answer; '/' starts a hosts file's path. */
		st->last_cname = cname >= 0 && st->q[cname].used ? cname : -1;
		return read_answer(st, ctx, &dl, w, slice_from(msg, w.n + 1));
	}
	return LINE_SKIPPED;	/* start-up, DNSSEC, ipset, warnings */
}

static void
dq_finish(void *state, struct parse_ctx *ctx)
{
	struct dq_state *st = state;

	while (st->head >= 0)
		emit_query(st, ctx, st->head);
}

/*
 * Whether line is a line of dnsmasq's (1) and one of its query log (2):
 * a syslog header with the tag dnsmasq, and a query verb.
 */
static int
is_dnsmasq_line(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;
	struct slice rest, w;

	envelope_year_init(&ey, 2000, 0);	/* only the shape counts */
	if (envelope_parse(line, &ey, &env) != 0 ||
	    !slice_has_prefix(env.tag, "dnsmasq"))
		return 0;
	if (!slice_eq(env.tag, "dnsmasq"))
		return 1;	/* dnsmasq-dhcp */
	rest = env.msg;
	w = dnsmasq_first_word(rest);
	if (w.n && w.p[0] >= '0' && w.p[0] <= '9') {
		struct dq_line dl;

		memset(&dl, 0, sizeof dl);
		if (read_extra(&rest, &dl) != 0)
			return 0;
		w = dnsmasq_first_word(rest);
	}
	return slice_has_prefix(w, "query[") || slice_eq(w, "forwarded") ||
	    slice_eq(w, "reply") || slice_eq(w, "cached") ||
	    slice_eq(w, "config") ? 2 : 1;
}

static int
dq_sniff(const struct slice *lines, int n)
{
	int i, r, data = 0, hits = 0, other = 0;

	for (i = 0; i < n; i++) {
		if (slice_trim(lines[i]).n == 0)
			continue;
		data++;
		r = is_dnsmasq_line(lines[i]);
		hits += r == 2;
		other += r == 1;	/* start-up, DHCP */
	}
	/* A log that starts with dnsmasq's start-up may show no query yet. */
	if (hits + other == 0 || (hits + other) * 2 < data)
		return 0;
	return 60 + 40 * (hits + other) / data;
}

static void *
dq_open(struct parse_ctx *ctx)
{
	struct dq_state *st = malloc(sizeof *st);

	if (st == NULL) {
		fmt_reject(ctx, "out of memory");
		return NULL;
	}
	memset(st, 0, offsetof(struct dq_state, heads));
	envelope_year_init(&st->ey, ctx->opts->year, ctx->opts->now);
	st->free_list = st->head = st->tail = st->ahead = st->atail = -1;
	st->last_cname = -1;
	memset(st->heads, 0xff, sizeof st->heads);	/* all -1 */
	return st;
}

static void
dq_close(void *state)
{
	free(((struct dq_state *)state)->q);
	free(state);
}

const struct fmt fmt_dnsmasq = {
	.name = "dnsmasq",
	.log = "dns",
	.summary = "dnsmasq log-queries lines, one event per query with its answers",
	.sniff = dq_sniff,
	.open = dq_open,
	.line = dq_line,
	.finish = dq_finish,
	.close = dq_close,
};
