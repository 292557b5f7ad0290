/*
 * fmt_asa.c: Cisco ASA, Firepower Threat Defense and PIX syslog messages
 * ("%ASA-6-302013: Built outbound TCP connection ..."; %FTD- and %PIX-
 * alike). The message may stand bare, follow the ASA's own stamp
 * ("Nov 25 2026 17:06:35: " or with a device id "Nov 25 2026 17:06:35
 * fw01 : ", both with an optional <PRI>, local time in the --tz zone), or
 * follow any syslog header lib/envelope.h reads (its host is the device)
 * as its program tag or at the start of a message without one; a tag
 * elsewhere in a line is another program's text (asa_locate).
 * Connection built (302013/302015) and teardown (302014/302016) messages
 * and the access-list denies and permits (106001, 106006, 106015, 106023,
 * 106100) become events; other message ids are skipped. The ASA names
 * the two ends of a built connection "for" and "to": for an outbound
 * connection the first is the remote responder, so it becomes dst; for
 * inbound it is the initiator, the src. A teardown has no direction word
 * and a line parser cannot join it to its built message, so its ends are
 * kept in the ASA's order (src = "for", dst = "to") and extra says
 * direction=unknown; bytes of a teardown count both ways and go to extra.
 * A 106015 deny is a packet of no connection, sent by either side: it
 * says direction=unknown too.
 * An end logged by object name instead of an address goes to dst_host
 * (extra src_name for the source). Year inference of syslog headers
 * is the only state carried between lines (fmt.h carry: blocks still
 * parse in parallel).
 */
#include <stdint.h>
#include <string.h>
#include "envelope.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"

/* One end of a connection: interface, address or name, port. */
struct asa_end {
	struct slice ifc, addr, port;
};

/* Whether s starts with an "%ASA-n-", "%FTD-n-" or "%PIX-n-" tag. */
static int
asa_is_tag(struct slice s)
{
	if (s.n < 8 || s.p[0] != '%' || s.p[4] != '-' || s.p[6] != '-' ||
	    s.p[5] < '0' || s.p[5] > '7')
		return 0;
	return memcmp(s.p + 1, "ASA", 3) == 0 ||
	    memcmp(s.p + 1, "FTD", 3) == 0 || memcmp(s.p + 1, "PIX", 3) == 0;
}

/* Offset of the first "%ASA-", "%FTD-" or "%PIX-" tag in line, or -1. */
static long
asa_tag(struct slice line)
{
	size_t i;

	for (i = 0; i + 8 <= line.n; i++)
		if (line.p[i] == '%' && asa_is_tag(slice_from(line, i)))
			return (long)i;
	return -1;
}

/* Where an ASA message stands in a line: asa_locate's answer. */
struct asa_head {
	long at;		/* offset of the message tag */
	int64_t ts_ms;		/* UTC milliseconds when has_ts */
	int has_ts;
	struct slice dev;	/* the device; empty when not logged */
};

/*
 * The ASA's own header: "[<PRI>]Mon dd yyyy hh:mm:ss[ devid ]:", the whole
 * of pre. Fills the time and device of head; returns 0, or -1 when pre is
 * not such a header.
 */
static int
asa_own_header(struct slice pre, struct asa_head *head)
{
	struct slice rest, mon, day, year, hms, dev;
	int mo, d, y, h, mi, s;
	int64_t t;

	pre = slice_trim(pre);
	if (pre.n && pre.p[0] == '<') {
		long gt = slice_find(pre, '>');

		if (gt < 0)
			return -1;
		pre = slice_from(pre, (size_t)gt + 1);
	}
	if (pre.n == 0 || pre.p[pre.n - 1] != ':')
		return -1;
	rest = slice_make(pre.p, pre.n - 1);
	mon = slice_next_word(&rest);
	day = slice_next_word(&rest);
	year = slice_next_word(&rest);
	hms = slice_next_word(&rest);
	dev = slice_next_word(&rest);
	if (slice_trim(rest).n != 0)
		return -1;
	if ((mo = time_month_from_abbr(mon)) == 0 || day.n < 1 ||
	    day.n > 2 || num_parse_digits(day.p, day.n, &d) ||
	    year.n != 4 || num_parse_digits(year.p, 4, &y) || hms.n != 8 ||
	    hms.p[2] != ':' || hms.p[5] != ':' ||
	    num_parse_digits(hms.p, 2, &h) ||
	    num_parse_digits(hms.p + 3, 2, &mi) ||
	    num_parse_digits(hms.p + 6, 2, &s) || !time_date_valid(y, mo, d) ||
	    (t = time_utc_seconds(y, mo, d, h, mi, s)) < 0)
		return -1;
	head->ts_ms = time_local_to_utc(t) * 1000;
	head->has_ts = 1;
	head->dev = dev;
	return 0;
}

/* What asa_locate found. */
enum asa_found {
	ASA_MESSAGE,		/* an ASA message; its head is filled */
	ASA_OTHER,		/* another program's syslog message */
	ASA_NONE,		/* no syslog header and no tag */
	ASA_BAD_HEADER		/* a tag after text that is no header */
};

/*
 * Finds the message tag of line where the device puts it: at the start
 * (bare, as the ASA's buffer shows it), after the ASA's own stamp, or
 * after a syslog header, either as its program tag ("fw02
 * %ASA-4-106023: ...") or, when the header has no program tag, at the
 * start of the message, after a lone ':' ("fw01 : %ASA-...") or the
 * ASA's own stamp that a relay kept. Anywhere else a tag is text that
 * another program logged: sshd writes "Invalid user %ASA-6-302013: ..."
 * as a remote client typed it, and reading that as the firewall's would
 * let anyone forge a connection. Fills h (the envelope's time and host
 * for a syslog header).
 */
static enum asa_found
asa_locate(struct slice line, struct envelope_year *ey, struct asa_head *h)
{
	struct slice t = slice_trim(line), m;
	struct envelope env;
	struct asa_head own;
	long at;

	memset(h, 0, sizeof *h);
	if (asa_is_tag(t)) {
		h->at = t.p - line.p;
		return ASA_MESSAGE;
	}
	at = asa_tag(line);
	if (at >= 0 && asa_own_header(slice_make(line.p, (size_t)at),
	    h) == 0) {
		h->at = at;
		return ASA_MESSAGE;
	}
	if (envelope_parse(line, ey, &env) != 0)
		return at < 0 ? ASA_NONE : ASA_BAD_HEADER;
	h->ts_ms = env.ts_ms;
	h->has_ts = env.has_ts;
	h->dev = env.host;
	if (env.tag.n) {
		h->at = env.tag.p - line.p;
		return asa_is_tag(slice_from(line, (size_t)h->at)) ?
		    ASA_MESSAGE : ASA_OTHER;
	}
	m = slice_trim(env.msg);
	if (m.n && m.p[0] == ':')
		m = slice_trim(slice_from(m, 1));
	if (!asa_is_tag(m)) {
		if ((at = asa_tag(m)) < 0 || asa_own_header(slice_make(m.p,
		    (size_t)at), &own) != 0)
			return ASA_OTHER;
		m = slice_from(m, (size_t)at);
	}
	h->at = m.p - line.p;
	return ASA_MESSAGE;
}

/* Removes a trailing "(user)" group from w, keeping it in *user. */
static struct slice
asa_cut_user(struct slice w, struct slice *user)
{
	*user = SLICE_NONE;
	if (w.n > 2 && w.p[w.n - 1] == ')') {
		size_t i = w.n - 1;

		while (i > 0 && w.p[i] != '(')
			i--;
		if (w.p[i] == '(' && i > 0) {
			*user = slice_make(w.p + i + 1, w.n - i - 2);
			w.n = i;
		}
	}
	return w;
}

/*
 * Splits "ifc:addr/port" (ifc_sep ':') or "ifc/addr" (ifc_sep '/', the
 * 106100 form, port given apart) or "addr/port" (ifc_sep 0). IPv6
 * addresses hold ':', so the interface ends at the first ':' and the port
 * starts after the last '/'. Returns 0, or -1 when a part is missing.
 */
static int
asa_split_end(struct slice w, char ifc_sep, struct asa_end *e)
{
	long i;

	memset(e, 0, sizeof *e);
	if (ifc_sep) {
		if ((i = slice_find(w, ifc_sep)) <= 0)
			return -1;
		e->ifc = slice_make(w.p, (size_t)i);
		w = slice_from(w, (size_t)i + 1);
	}
	if (ifc_sep != '/') {
		for (i = (long)w.n - 1; i >= 0 && w.p[i] != '/'; i--)
			;
		if (i >= 0) {
			e->port = slice_from(w, (size_t)i + 1);
			w.n = (size_t)i;
		}
	}
	e->addr = w;
	return w.n ? 0 : -1;
}

/* Sets src or dst of the event from e; rejects a bad port. */
static enum line_result
asa_set_end(struct parse_ctx *ctx, const struct asa_end *e, int is_src)
{
	struct event *ev = ctx->ev;
	char q[200];
	uint64_t n;

	/* Not an address: a "names" object the ASA logs by its name. */
	if (fmt_set_addr(ev, is_src ? EV_SRC_IP : EV_DST_IP, e->addr) != 0) {
		if (is_src)
			event_add_extra(ev, "src_name", e->addr);
		else
			ev->f[EV_DST_HOST] = e->addr;
	}
	if (e->port.n) {
		if (num_parse_u64(e->port, 65535, &n) == 0)
			event_set_checked(ev, is_src ? EV_SRC_PORT :
			    EV_DST_PORT, e->port);
		else if (e->port.n > 32)
			return fmt_reject(ctx, "asa: bad port '%s'",
			    diag_quote(q, sizeof q, e->port));
		else	/* a service name: "ssh" */
			event_add_extra(ev, is_src ? "src_service" :
			    "dst_service", e->port);
	}
	if (e->ifc.n)
		event_add_extra(ev, is_src ? "src_ifc" : "dst_ifc", e->ifc);
	return LINE_USED;
}

/* Sets proto from a word such as "TCP", "udp", "icmp", lower-cased. */
static void
asa_proto(struct event *ev, struct slice w)
{
	char low[16];
	size_t i;

	if (w.n == 0 || w.n > sizeof low)
		return;
	for (i = 0; i < w.n; i++) {
		unsigned char c = (unsigned char)w.p[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return;
		low[i] = (char)c;
	}
	event_set_checked(ev, EV_PROTO, event_keep(ev, low, w.n));
}

/* Parses "h:mm:ss" into ms; -1 when malformed. */
static int64_t
asa_duration(struct slice w)
{
	long c1 = slice_find(w, ':');
	uint64_t h;
	int m, s;

	if (c1 <= 0 || w.n != (size_t)c1 + 6 || w.p[c1 + 3] != ':' ||
	    num_parse_u64(slice_make(w.p, (size_t)c1), 1000000, &h) != 0 ||
	    num_parse_digits(w.p + c1 + 1, 2, &m) ||
	    num_parse_digits(w.p + c1 + 4, 2, &s) || m > 59 || s > 59)
		return -1;
	return ((int64_t)h * 3600 + m * 60 + s) * 1000;
}

/* The next word of *rest, which must equal lit; 0 or -1. */
static int
asa_expect(struct slice *rest, const char *lit)
{
	return slice_eq(slice_next_word(rest), lit) ? 0 : -1;
}

/*
 * The group "(...)" at the start of *rest, after blanks, which it passes;
 * or SLICE_NONE (and *rest unchanged) when none comes next. A group may
 * hold blanks: an identity firewall user "(LOCAL\Chocolatero, Paquito)".
 */
static struct slice
asa_group(struct slice *rest)
{
	struct slice r = *rest;
	long close;

	while (r.n && (r.p[0] == ' ' || r.p[0] == '\t'))
		r = slice_from(r, 1);
	if (r.n == 0 || r.p[0] != '(' || (close = slice_find(r, ')')) < 0)
		return SLICE_NONE;
	*rest = slice_from(r, (size_t)close + 1);
	return slice_make(r.p + 1, (size_t)close - 1);
}

/*
 * Skips the "(mapped/port)" group of an end when it comes next, and the
 * identity firewall user group after it, attached or not ("... (A/p)
 * (LOCAL\user)", "(A/p)(LOCAL\user)"), whose text goes to *user.
 */
static void
asa_skip_mapped(struct slice *rest, struct slice *user)
{
	struct slice g = asa_group(rest);

	if (g.p != NULL && slice_find(g, '/') >= 0)
		g = asa_group(rest);
	if (g.p != NULL && g.n)
		*user = g;
}

/* 302013-302016: connection built or torn down. */
static enum line_result
asa_conn(struct parse_ctx *ctx, struct slice text, int built)
{
	struct event *ev = ctx->ev;
	struct slice rest = text, w, dir = SLICE_NONE, proto, id, u1, u2;
	struct asa_end a, b;
	char q[200];

	if (asa_expect(&rest, built ? "Built" : "Teardown") != 0)
		goto bad;
	if (built) {
		dir = slice_next_word(&rest);
		if (!slice_eq(dir, "inbound") && !slice_eq(dir, "outbound"))
			goto bad;
	}
	proto = slice_next_word(&rest);
	if (asa_expect(&rest, "connection") != 0)
		goto bad;
	id = slice_next_word(&rest);
	if (id.n == 0 || asa_expect(&rest, "for") != 0)
		goto bad;
	w = asa_cut_user(slice_next_word(&rest), &u1);
	if (asa_split_end(w, ':', &a) != 0)
		goto bad;
	asa_skip_mapped(&rest, &u1);
	if (asa_expect(&rest, "to") != 0)
		goto bad;
	w = asa_cut_user(slice_next_word(&rest), &u2);
	if (asa_split_end(w, ':', &b) != 0)
		goto bad;
	asa_skip_mapped(&rest, &u2);
	asa_proto(ev, proto);
	event_set_checked(ev, EV_ACTION, SLICE_LIT("allow"));
	if (built && slice_eq(dir, "outbound")) {
		if (asa_set_end(ctx, &b, 1) != LINE_USED ||
		    asa_set_end(ctx, &a, 0) != LINE_USED)
			return LINE_REJECTED;
		if (u2.n)
			ev->f[EV_USER] = u2;
	} else {
		if (asa_set_end(ctx, &a, 1) != LINE_USED ||
		    asa_set_end(ctx, &b, 0) != LINE_USED)
			return LINE_REJECTED;
		if (u1.n)
			ev->f[EV_USER] = u1;
	}
	event_add_extra(ev, "conn", id);
	if (built) {
		event_add_extra_checked(ev, "direction", dir);
		return LINE_USED;
	}
	event_add_extra_checked(ev, "direction", SLICE_LIT("unknown"));
	for (;;) {
		w = slice_next_word(&rest);
		if (w.n == 0)
			break;
		if (slice_eq(w, "duration")) {
			struct slice d = slice_next_word(&rest);
			int64_t ms = asa_duration(d);

			if (ms < 0)
				return fmt_reject(ctx, "asa: bad duration '%s'",
				    diag_quote(q, sizeof q, d));
			event_set_u64(ev, EV_DURATION_MS, (uint64_t)ms);
		} else if (slice_eq(w, "bytes")) {
			struct slice n = slice_next_word(&rest);
			uint64_t v;

			if (num_parse_u64(n, UINT64_MAX, &v) != 0)
				return fmt_reject(ctx, "asa: bad bytes '%s'",
				    diag_quote(q, sizeof q, n));
			event_add_extra_checked(ev, "bytes", n);
			rest = slice_trim(rest);
			if (rest.n)
				event_add_extra(ev, "reason", rest);
			break;
		}
	}
	return LINE_USED;
bad:
	return fmt_reject(ctx, "asa: bad connection message '%s'",
	    diag_quote(q, sizeof q, text));
}

/* 106023: "Deny tcp src ifc:A/p dst ifc:B/q ... by access-group "X"". */
static enum line_result
asa_106023(struct parse_ctx *ctx, struct slice text)
{
	struct event *ev = ctx->ev;
	struct slice rest = text, proto, w, u;
	struct asa_end a, b;
	char q[200];
	long at;

	if (asa_expect(&rest, "Deny") != 0)
		goto bad;
	proto = slice_next_word(&rest);
	if (asa_expect(&rest, "src") != 0)
		goto bad;
	w = asa_cut_user(slice_next_word(&rest), &u);
	if (asa_split_end(w, ':', &a) != 0 || asa_expect(&rest, "dst") != 0)
		goto bad;
	w = asa_cut_user(slice_next_word(&rest), &u);
	if (asa_split_end(w, ':', &b) != 0)
		goto bad;
	asa_proto(ev, proto);
	if (asa_set_end(ctx, &a, 1) != LINE_USED ||
	    asa_set_end(ctx, &b, 0) != LINE_USED)
		return LINE_REJECTED;
	event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	at = slice_find(rest, '"');
	if (at >= 0) {
		struct slice acl = slice_from(rest, (size_t)at + 1);
		long end = slice_find(acl, '"');

		if (end >= 0)
			event_add_extra(ev, "acl", slice_make(acl.p,
			    (size_t)end));
	}
	return LINE_USED;
bad:
	return fmt_reject(ctx, "asa: bad deny message '%s'",
	    diag_quote(q, sizeof q, text));
}

/*
 * 106100: "access-list ACL {permitted|denied|est-allowed} proto
 * ifc/A(p) -> ifc/B(q) hit-cnt n ...".
 */
static enum line_result
asa_106100(struct parse_ctx *ctx, struct slice text)
{
	struct event *ev = ctx->ev;
	struct slice rest = text, acl, verdict, proto, w[2], u;
	struct asa_end e[2];
	char q[200];
	int i;

	if (asa_expect(&rest, "access-list") != 0)
		goto bad;
	acl = slice_next_word(&rest);
	verdict = slice_next_word(&rest);
	proto = slice_next_word(&rest);
	w[0] = slice_next_word(&rest);
	if (asa_expect(&rest, "->") != 0)
		goto bad;
	w[1] = slice_next_word(&rest);
	if (!slice_eq(verdict, "permitted") && !slice_eq(verdict, "denied") &&
	    !slice_eq(verdict, "est-allowed"))
		goto bad;
	for (i = 0; i < 2; i++) {
		struct slice x = w[i];
		long open;

		/* ifc/addr(port)[(user)]: take the user off first */
		if (x.n > 2 && x.p[x.n - 1] == ')' &&
		    memmem(x.p, x.n, ")(", 2) != NULL)
			x = asa_cut_user(x, &u);
		if ((open = slice_find(x, '(')) <= 0 || x.p[x.n - 1] != ')')
			goto bad;
		if (asa_split_end(slice_make(x.p, (size_t)open), '/',
		    &e[i]) != 0)
			goto bad;
		e[i].port = slice_make(x.p + open + 1, x.n - (size_t)open - 2);
	}
	asa_proto(ev, proto);
	if (asa_set_end(ctx, &e[0], 1) != LINE_USED ||
	    asa_set_end(ctx, &e[1], 0) != LINE_USED)
		return LINE_REJECTED;
	event_set_checked(ev, EV_ACTION, slice_eq(verdict, "denied") ?
	    SLICE_LIT("deny") : SLICE_LIT("allow"));
	event_add_extra(ev, "acl", acl);
	return LINE_USED;
bad:
	return fmt_reject(ctx, "asa: bad access-list message '%s'",
	    diag_quote(q, sizeof q, text));
}

/*
 * 106001 "Inbound TCP connection denied from A/p to B/q flags ...",
 * 106006 "Deny inbound UDP from A/p to B/q on interface X", 106015 "Deny
 * TCP (no connection) from A/p to B/q flags ... on interface X".
 */
static enum line_result
asa_deny_from(struct parse_ctx *ctx, struct slice text, struct slice proto)
{
	struct event *ev = ctx->ev;
	struct slice rest = text, w;
	struct asa_end a, b;
	char q[200];

	for (;;) {
		w = slice_next_word(&rest);
		if (w.n == 0)
			goto bad;
		if (slice_eq(w, "from"))
			break;
	}
	if (asa_split_end(slice_next_word(&rest), 0, &a) != 0 ||
	    asa_expect(&rest, "to") != 0 ||
	    asa_split_end(slice_next_word(&rest), 0, &b) != 0)
		goto bad;
	asa_proto(ev, proto);
	if (asa_set_end(ctx, &a, 1) != LINE_USED ||
	    asa_set_end(ctx, &b, 0) != LINE_USED)
		return LINE_REJECTED;
	event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	for (;;) {
		w = slice_next_word(&rest);
		if (w.n == 0)
			break;
		if (slice_eq(w, "interface")) {
			w = slice_next_word(&rest);
			if (w.n)
				event_add_extra(ev, "ifc", w);
			break;
		}
	}
	return LINE_USED;
bad:
	return fmt_reject(ctx, "asa: bad deny message '%s'",
	    diag_quote(q, sizeof q, text));
}

static enum line_result
asa_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	struct asa_head h;
	struct slice msg, text, rest;
	enum line_result r;
	int id;
	char q[200];

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	switch (asa_locate(line, state, &h)) {
	case ASA_MESSAGE:
		break;
	case ASA_OTHER:
		return LINE_SKIPPED;	/* another syslog message */
	case ASA_NONE:
		return fmt_reject(ctx, "asa: no %%ASA- message '%s'",
		    diag_quote(q, sizeof q, line));
	case ASA_BAD_HEADER:
		return fmt_reject(ctx, "asa: bad header '%s'",
		    diag_quote(q, sizeof q, slice_make(line.p,
		    (size_t)asa_tag(line))));
	}
	ev->ts_ms = h.ts_ms;
	ev->has_ts = h.has_ts;
	if (h.dev.n)
		ev->f[EV_DEVICE] = h.dev;
	msg = slice_from(line, (size_t)h.at);
	/* "%ASA-6-302013:" then the text; the colon is sometimes missing */
	if (msg.n < 14 || num_parse_digits(msg.p + 7, 6, &id) != 0 ||
	    (msg.n > 13 && msg.p[13] != ':' && msg.p[13] != ' '))
		return LINE_SKIPPED;	/* an id of another length */
	text = slice_trim(slice_from(msg, 14));
	switch (id) {
	case 302013:
	case 302015:
		r = asa_conn(ctx, text, 1);
		break;
	case 302014:
	case 302016:
		r = asa_conn(ctx, text, 0);
		break;
	case 106023:
		r = asa_106023(ctx, text);
		break;
	case 106100:
		r = asa_106100(ctx, text);
		break;
	case 106001:
		rest = text;
		slice_next_word(&rest);
		r = asa_deny_from(ctx, text, slice_next_word(&rest));
		break;
	case 106006:
	case 106015:
		rest = text;
		slice_next_word(&rest);
		if (id == 106006)
			slice_next_word(&rest);
		r = asa_deny_from(ctx, text, slice_next_word(&rest));
		/*
		 * 106015 is a packet of no connection (a late FIN, a RST,
		 * an ACK; a SYN is logged as 302013 or 106023): its source
		 * is as often the server answering as the client.
		 */
		if (r == LINE_USED && id == 106015)
			event_add_extra_checked(ev, "direction",
			    SLICE_LIT("unknown"));
		break;
	default:
		return LINE_SKIPPED;
	}
	if (r != LINE_USED)
		return r;
	event_set_checked(ev, EV_LOG, SLICE_LIT("firewall"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("asa"));
	event_set_checked(ev, EV_EVENT_ID, slice_make(msg.p + 7, 6));
	event_add_extra(ev, "tag", slice_make(msg.p + 1, 3));
	return fmt_emit(ctx);
}

/* Whether line holds an ASA, FTD or PIX message where the device puts it. */
static int
is_asa_line(struct slice line)
{
	struct envelope_year ey;
	struct asa_head h;

	envelope_year_init(&ey, 2000, 0);
	return asa_locate(line, &ey, &h) == ASA_MESSAGE;
}

static int
asa_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_asa_line);
}

const struct fmt fmt_asa = {
	.name = "asa",
	.log = "firewall",
	.summary = "Cisco ASA, FTD and PIX syslog connection and deny messages",
	.sniff = asa_sniff,
	.line = asa_line,
	ENVELOPE_YEAR_STATE,
};
