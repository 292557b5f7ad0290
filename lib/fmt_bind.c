/*
 * fmt_bind.c: the BIND 9 query log (category "queries", 9.9 to 9.18), one
 * line per query BIND received:
 *   25-Nov-2026 17:06:35.123 queries: info: client @0x7f3a4c0a2b30
 *   10.1.20.35#53124 (www.example.com): view internal: query:
 *   www.example.com IN A +E(0)K (10.1.0.53)
 * with BIND's own "print-time" stamp (local time in the --tz zone; also
 * the ISO 8601 forms of 9.16+), inside a syslog envelope ("Nov 25 17:06:35
 * ns1 named[812]: client ..."; the host is the device), or with no time at
 * all. The "@0x..." client pointer (9.10+), the "(qname)" part, the
 * "/key name" of a TSIG signer, "view name:" and the category and severity
 * prefixes are each optional. The security category's "query (cache)
 * 'name/TYPE/CLASS' denied" and "zone transfer '...' denied" lines are
 * queries too, refused: they become events with action deny. Other named
 * messages are skipped. The query log records no answer: rcode and answer
 * stay empty. Names are attacker-chosen bytes: they are kept as written
 * (BIND's own \DDD escapes included), only lower-cased, and escaped on
 * output. Year inference of syslog stamps is the
 * only state carried between lines (fmt.h carry).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "envelope.h"
#include "fieldscan.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"

/* No name in text form is longer (255 bytes, each as "\DDD" at worst). */
#define BIND_NAME_MAX 1024

/*
 * The per-input state: the year of syslog stamps (the fmt.h carry), and
 * the day of the last print-time stamp, so that the lines of one day skip
 * the month name and the calendar. The day is a function of the stamp's
 * bytes alone (the zone is applied on every line): it can only be stale
 * if the bytes differ, and then it is not used.
 */
struct bind_state {
	struct envelope_year ey;
	char day_key[12];	/* "25-Nov-2026 " or "5-Nov-2026 " */
	size_t day_len;		/* 0 when empty */
	int64_t day_secs;	/* 00:00:00 of that day, local, as if UTC */
};

/* The bytes of s up to its first space. */
static struct slice
first_tok(struct slice s)
{
	return slice_next_token(&s);
}

/*
 * slice_next_token (which see) inline, for the words of a query line: the
 * bytes up to the next space, *rest advanced past it.
 */
static inline struct slice
next_tok(struct slice *rest)
{
	struct slice w = *rest;
	size_t i = fieldscan_byte(w.p, w.n, ' ');

	if (i == w.n) {
		*rest = slice_make(w.p + w.n, 0);
		return w;
	}
	*rest = slice_make(w.p + i + 1, w.n - i - 1);
	return slice_make(w.p, i);
}

/* Offset of the bytes lit in s, or -1. */
static long
find_str(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	const char *p = s.p, *end = s.p + s.n, *q;

	/*
	 * The first bytes sought (')', ':', '\'') are rare in a query line:
	 * memchr to each beats memmem's set-up, 11% of the parse.
	 */
	if (s.n < n)
		return -1;
	while ((q = memchr(p, lit[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - q) < n)
			return -1;
		if (memcmp(q, lit, n) == 0)
			return (long)(q - s.p);
		p = q + 1;
	}
	return -1;
}

/*
 * The time of day and fraction of a print-time stamp whose date (nd + 10
 * bytes with its space) is known good, local. Returns the bytes taken
 * with the space after it, or 0.
 */
static size_t
stamp_time(struct slice s, size_t nd, int64_t day_secs, int64_t *ms)
{
	int h, mi, sec, frac = 0, scale = 100;
	size_t i;

	if (s.p[nd + 12] != ':' || s.p[nd + 15] != ':' ||
	    time_two_digits(s.p + nd + 10, &h) != 0 ||
	    time_two_digits(s.p + nd + 13, &mi) != 0 ||
	    time_two_digits(s.p + nd + 16, &sec) != 0 ||
	    h > 23 || mi > 59 || sec > 60)
		return 0;
	i = nd + 18;
	if (i < s.n && s.p[i] == '.') {
		for (i++; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
			frac += (s.p[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i >= s.n || s.p[i] != ' ')
		return 0;
	*ms = time_local_to_utc(day_secs + h * 3600 + mi * 60 + sec) * 1000 +
	    frac;
	return i + 1;
}

/*
 * BIND's print-time stamp "25-Nov-2026 17:06:35.123" (the day may be one
 * digit, the fraction absent) at the start of s, local time. Returns the
 * bytes taken with the space after it, or 0. With st, the day is taken
 * from and kept in its cache.
 */
static size_t
stamp_classic(struct slice s, struct bind_state *st, int64_t *ms)
{
	int d, mo, y;
	size_t nd, n;
	int64_t day;

	nd = s.n > 1 && s.p[1] == '-' ? 1 : 2;
	if (s.n < nd + 21)
		return 0;
	if (st != NULL && st->day_len == nd + 10 &&
	    memcmp(s.p, st->day_key, nd + 10) == 0)
		return stamp_time(s, nd, st->day_secs, ms);
	if (s.p[nd] != '-' || s.p[nd + 4] != '-' || s.p[nd + 9] != ' ' ||
	    num_parse_digits(s.p, nd, &d) != 0 ||
	    (mo = time_month_from_abbr(slice_make(s.p + nd + 1, 3))) == 0 ||
	    num_parse_digits(s.p + nd + 5, 4, &y) != 0 ||
	    !time_date_valid(y, mo, d) || y < 1 || y > 9999)
		return 0;
	/*
	 * As in time_utc_seconds, whose -1 for an error turns away every
	 * day before 1970.
	 */
	if ((day = time_days_from_civil(y, mo, d) * 86400) < 0)
		return 0;
	if ((n = stamp_time(s, nd, day, ms)) != 0 && st != NULL) {
		memcpy(st->day_key, s.p, nd + 10);
		st->day_len = nd + 10;
		st->day_secs = day;
	}
	return n;
}

/*
 * The ISO 8601 stamps of print-time iso8601 (local, no offset) and
 * iso8601-utc ("Z") at the start of s. Returns the bytes taken with the
 * space after it, or 0.
 */
static size_t
stamp_iso(struct slice s, int64_t *ms)
{
	long sp = slice_find(s, ' ');
	struct slice w;
	int64_t t, sec;
	int zoned;

	if (sp < 20 || s.p[4] != '-' || s.p[10] != 'T')
		return 0;
	w = slice_make(s.p, (size_t)sp);
	zoned = w.p[w.n - 1] == 'Z' || (w.n >= 25 && (w.p[w.n - 6] == '+' ||
	    w.p[w.n - 6] == '-') && w.p[w.n - 3] == ':');
	if (time_parse_rfc3339(w, &t) != 0)
		return 0;
	if (!zoned) {
		sec = t >= 0 ? t / 1000 : -((-t + 999) / 1000);
		t = time_local_to_utc(sec) * 1000 + (t - sec * 1000);
	}
	*ms = t;
	return (size_t)sp + 1;
}

/*
 * Takes the category and severity prefixes ("queries: info: ", "security:
 * error: ", "client: ") off s: up to three words of lower-case letters,
 * digits, '-' and '_', each ending in ':'.
 */
static struct slice
skip_categories(struct slice s)
{
	int k = 0;

	/* BIND's default pair, on nearly every line: the loop's first two. */
	if (s.n >= 15 && memcmp(s.p, "queries: info: ", 15) == 0) {
		s = slice_from(s, 15);
		k = 2;
	}
	for (; k < 3; k++) {
		size_t i;

		for (i = 0; i < s.n && ((s.p[i] >= 'a' && s.p[i] <= 'z') ||
		    (s.p[i] >= '0' && s.p[i] <= '9') || s.p[i] == '-' ||
		    s.p[i] == '_'); i++)
			;
		if (i == 0 || i + 1 >= s.n || s.p[i] != ':' ||
		    s.p[i + 1] != ' ')
			break;
		/* "client @0x..." is the message itself, not a category. */
		s = slice_from(s, i + 2);
	}
	return s;
}

/* Whether s (after any category prefixes) is a client message. */
static int
is_client_msg(struct slice s)
{
	return slice_has_prefix(skip_categories(s), "client ");
}

/*
 * Sets the qname column: lower-cased, without the trailing dot of a fully
 * qualified name (the root stays "."). Returns -1 when s is empty or longer
 * than any name.
 */
static int
set_qname(struct event *ev, struct slice s)
{
	char low[BIND_NAME_MAX];
	unsigned kinds;
	size_t i, bs = 0;

	/*
	 * BIND writes a '.' inside a label as "\." (dns_name_totext): a final
	 * dot after an odd run of backslashes is part of the last label.
	 */
	while (bs + 1 < s.n && s.p[s.n - 2 - bs] == '\\')
		bs++;
	if (s.n > 1 && s.p[s.n - 1] == '.' && bs % 2 == 0)
		s.n--;
	if (s.n == 0 || s.n > sizeof low)
		return -1;
	/* Most names are lower-case printable ASCII: then nothing is copied. */
	kinds = fieldscan_kinds(s.p, s.n);
	if (kinds & FIELDSCAN_UPPER) {
		for (i = 0; i < s.n; i++) {
			unsigned char c = (unsigned char)s.p[i];

			low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' :
			    c);
		}
		s = event_keep(ev, low, s.n);
	}
	/*
	 * Other bytes stay as written, for the writer to escape; printable
	 * ASCII without a backslash needs no escaping.
	 */
	if (kinds & FIELDSCAN_ESCAPE)
		ev->f[EV_QNAME] = s;
	else
		event_set_checked(ev, EV_QNAME, s);
	return 0;
}

/* Whether s is a class or type mnemonic: "IN", "A", "TYPE65", "NSEC3". */
static int
is_mnemonic(struct slice s)
{
	size_t i;

	if (s.n == 0 || s.n > 16)
		return 0;
	for (i = 0; i < s.n; i++)
		if (!((s.p[i] >= 'A' && s.p[i] <= 'Z') ||
		    (s.p[i] >= '0' && s.p[i] <= '9') || s.p[i] == '-'))
			return 0;
	return 1;
}

/*
 * Reads the flags word of a query line: '+' or '-' (recursion desired),
 * then S (signed), E(n) or E (EDNS version n), T (TCP), D (DNSSEC OK),
 * C (checking disabled), V and K (server cookie valid, cookie present but
 * not valid), adding what they say to extra. Returns -1 for another byte.
 */
static int
read_flags(struct event *ev, struct slice f)
{
	size_t i;
	int tcp = 0;

	if (f.n == 0 || (f.p[0] != '+' && f.p[0] != '-'))
		return -1;
	for (i = 1; i < f.n; i++) {
		switch (f.p[i]) {
		case 'E':
			if (i + 1 < f.n && f.p[i + 1] == '(') {
				size_t j = i + 2;
				uint64_t v;

				while (j < f.n && f.p[j] != ')')
					j++;
				if (j >= f.n || fieldscan_u64(slice_make(f.p +
				    i + 2, j - i - 2), 255, &v) != 0)
					return -1;
				i = j;
			}
			break;
		case 'T':
			tcp = 1;
			break;
		case 'S': case 'D': case 'C': case 'V': case 'K':
			break;
		default:
			return -1;
		}
	}
	event_set_checked(ev, EV_PROTO, tcp ? SLICE_LIT("tcp") :
	    SLICE_LIT("udp"));
	event_add_extra_checked(ev, "flags", f);
	event_add_extra_checked(ev, "rd", f.p[0] == '+' ? SLICE_LIT("1") :
	    SLICE_LIT("0"));
	for (i = 1; i < f.n; i++) {
		switch (f.p[i]) {
		case 'E': {
			size_t j = i + 1;

			if (j < f.n && f.p[j] == '(') {
				while (f.p[j] != ')')
					j++;
				event_add_extra_checked(ev, "edns",
				    slice_make(f.p + i + 2, j - i - 2));
				i = j;
			} else {
				event_add_extra_checked(ev, "edns",
				    SLICE_LIT("0"));
			}
			break;
		}
		case 'S':
			event_add_extra_checked(ev, "signed", SLICE_LIT("1"));
			break;
		case 'D':
			event_add_extra_checked(ev, "do", SLICE_LIT("1"));
			break;
		case 'C':
			event_add_extra_checked(ev, "cd", SLICE_LIT("1"));
			break;
		case 'V':
			event_add_extra_checked(ev, "cookie",
			    SLICE_LIT("valid"));
			break;
		case 'K':
			event_add_extra_checked(ev, "cookie",
			    SLICE_LIT("present"));
			break;
		}
	}
	return 0;
}

/* Sets an address column from text ip_parse accepts; returns 0 or -1. */
static int
set_ip(struct event *ev, enum ev_col col, struct slice s)
{
	long pct;

	/*
	 * No address holds a '%', so ip_parse fails on any text with one:
	 * only then is the zone looked for.
	 */
	if (fmt_set_addr(ev, col, s) == 0)
		return 0;
	if ((pct = slice_find(s, '%')) < 0)
		return -1;
	s.n = (size_t)pct;	/* fe80::1%eth0: the zone is local */
	return fmt_set_addr(ev, col, s);
}

/*
 * "query: NAME CLASS TYPE FLAGS (SERVER)[ [ECS addr/src/scope]]", rest
 * after "query: ".
 */
static enum line_result
read_query(struct parse_ctx *ctx, struct slice rest)
{
	struct event *ev = ctx->ev;
	struct slice name, cls, type, flags, server;
	char q[200];

	name = next_tok(&rest);
	cls = next_tok(&rest);
	type = next_tok(&rest);
	flags = next_tok(&rest);
	if (set_qname(ev, name) != 0)
		return fmt_reject(ctx, "bind: bad query name '%s'",
		    diag_quote(q, sizeof q, name));
	if (!is_mnemonic(cls) || !is_mnemonic(type))
		return fmt_reject(ctx, "bind: bad query class or type '%s'",
		    diag_quote(q, sizeof q, slice_make(cls.p,
		    (size_t)(type.p + type.n - cls.p))));
	if (read_flags(ev, flags) != 0)
		return fmt_reject(ctx, "bind: bad query flags '%s'",
		    diag_quote(q, sizeof q, flags));
	event_set_checked(ev, EV_QTYPE, type);
	event_add_extra_checked(ev, "class", cls);
	if (rest.n > 0) {
		/* The address the query came in on (9.9 and later). */
		server = next_tok(&rest);
		if (server.n < 3 || server.p[0] != '(' ||
		    server.p[server.n - 1] != ')' || set_ip(ev, EV_DST_IP,
		    slice_make(server.p + 1, server.n - 2)) != 0)
			return fmt_reject(ctx, "bind: bad server address '%s'",
			    diag_quote(q, sizeof q, server));
		if (slice_has_prefix(rest, "[ECS ")) {
			struct slice ecs = slice_from(rest, 5);
			long close = slice_find(ecs, ']');

			if (close > 0)
				event_add_extra(ev, "ecs", slice_make(ecs.p,
				    (size_t)close));
		}
	}
	return LINE_USED;
}

/*
 * The security category's refusals: "query (cache) 'NAME/TYPE/CLASS'
 * denied", "query 'NAME/TYPE/CLASS' denied", "zone transfer '...' denied".
 * Returns LINE_SKIPPED for any other message.
 */
static enum line_result
read_denied(struct parse_ctx *ctx, struct slice msg)
{
	struct event *ev = ctx->ev;
	struct slice what, inner, name;
	long close, s1, s2;
	char q[200];
	size_t i;

	if (slice_has_prefix(msg, "query (cache) '")) {
		what = SLICE_LIT("query-cache");
		msg = slice_from(msg, 15);
	} else if (slice_has_prefix(msg, "query '")) {
		what = SLICE_LIT("query");
		msg = slice_from(msg, 7);
	} else if (slice_has_prefix(msg, "zone transfer '")) {
		what = SLICE_LIT("zone-transfer");
		msg = slice_from(msg, 15);
	} else {
		return LINE_SKIPPED;
	}
	/* The name may hold quotes and slashes: the last "' denied" ends it. */
	close = -1;
	for (i = msg.n; i >= 8; i--)
		if (memcmp(msg.p + i - 8, "' denied", 8) == 0) {
			close = (long)(i - 8);
			break;
		}
	if (close < 0)
		return LINE_SKIPPED;	/* "query '...' approved" and the like */
	inner = slice_make(msg.p, (size_t)close);
	for (s2 = (long)inner.n - 1; s2 >= 0 && inner.p[s2] != '/'; s2--)
		;
	for (s1 = s2 - 1; s1 >= 0 && inner.p[s1] != '/'; s1--)
		;
	if (s1 < 0)
		return fmt_reject(ctx, "bind: bad denied query '%s'",
		    diag_quote(q, sizeof q, inner));
	name = slice_make(inner.p, (size_t)s1);
	if (set_qname(ev, name) != 0 ||
	    !is_mnemonic(slice_make(inner.p + s1 + 1, (size_t)(s2 - s1 - 1))) ||
	    !is_mnemonic(slice_from(inner, (size_t)s2 + 1)))
		return fmt_reject(ctx, "bind: bad denied query '%s'",
		    diag_quote(q, sizeof q, inner));
	event_set_checked(ev, EV_QTYPE, slice_make(inner.p + s1 + 1,
	    (size_t)(s2 - s1 - 1)));
	event_add_extra_checked(ev, "class", slice_from(inner, (size_t)s2 + 1));
	event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	/* BIND answers a query or transfer its ACLs deny with REFUSED. */
	event_set_checked(ev, EV_RCODE, SLICE_LIT("REFUSED"));
	event_add_extra_checked(ev, "denied", what);
	return LINE_USED;
}

/*
 * The end of the peer "addr#port" at the start of s: the first ' ' or '/',
 * or ':' before a space or the end. The last '#' before it goes to *hash
 * (-1 when none).
 */
static size_t
peer_end(struct slice s, long *hash)
{
	size_t i = 0;

	*hash = -1;
#if defined(__SSE2__)
	for (;; i += 16) {
		__m128i x = fieldscan_load16(s.p + i, s.n - i);
		unsigned stop = fieldscan_eq(x, ' ') | fieldscan_eq(x, '/') |
		    fieldscan_eq(x, ':'), sharp = fieldscan_eq(x, '#'), j;

		/* An IPv6 address's own colons do not end it. */
		for (; stop != 0; stop &= stop - 1) {
			j = (unsigned)__builtin_ctz(stop);
			if (s.p[i + j] != ':' || i + j + 1 == s.n ||
			    s.p[i + j + 1] == ' ')
				break;
		}
		if (stop != 0)
			sharp &= (1U << j) - 1;
		if (sharp != 0)
			*hash = (long)(i + 31 - (size_t)__builtin_clz(sharp));
		if (stop != 0)
			return i + j;
		if (s.n - i <= 16)
			return s.n;
	}
#endif
	for (; i < s.n && s.p[i] != ' ' && s.p[i] != '/' && !(s.p[i] == ':' &&
	    (i + 1 == s.n || s.p[i + 1] == ' ')); i++)
		if (s.p[i] == '#')
			*hash = (long)i;
	return i;
}

/*
 * A client message, s at "client ": "client [@0x<hex> ]<addr>#<port>
 * [/key <signer>][ (<qname>)]: [view <name>: ]<message>".
 */
static enum line_result
read_client(struct parse_ctx *ctx, struct slice s)
{
	struct event *ev = ctx->ev;
	struct slice rest = slice_from(s, 7), w, addr, port, view = SLICE_NONE;
	enum line_result r;
	long hash;
	size_t i;
	uint64_t v;
	char q[200];

	if (slice_has_prefix(rest, "@0x")) {
		/* Hex digits up to the space (or the end) ending the word. */
		i = 3 + fieldscan_hex(rest.p + 3, rest.n - 3);
		if (i == 3 || (i < rest.n && rest.p[i] != ' ')) {
			w = slice_next_token(&rest);
			return fmt_reject(ctx, "bind: bad client pointer '%s'",
			    diag_quote(q, sizeof q, w));
		}
		rest = slice_from(rest, i + 1);
	}
	/* The peer ends at ' ', at the ':' of a line without "(qname)", or
	 * at the '/' of "/key". */
	i = peer_end(rest, &hash);
	w = slice_make(rest.p, i);
	rest = slice_from(rest, i);
	if (hash < 0)
		return fmt_reject(ctx, "bind: no client address#port '%s'",
		    diag_quote(q, sizeof q, w));
	addr = slice_make(w.p, (size_t)hash);
	port = slice_from(w, (size_t)hash + 1);
	if (set_ip(ev, EV_SRC_IP, addr) != 0)
		return fmt_reject(ctx, "bind: bad client address '%s'",
		    diag_quote(q, sizeof q, addr));
	if (fieldscan_u64(port, 65535, &v) != 0)
		return fmt_reject(ctx, "bind: bad client port '%s'",
		    diag_quote(q, sizeof q, port));
	event_set_checked(ev, EV_SRC_PORT, port);
	if (slice_has_prefix(rest, "/key ")) {
		long end;

		rest = slice_from(rest, 5);
		for (end = 0; (size_t)end < rest.n && rest.p[end] != ' ' &&
		    !(rest.p[end] == ':' && ((size_t)end + 1 == rest.n ||
		    rest.p[end + 1] == ' ')); end++)
			;
		event_add_extra(ev, "key", slice_make(rest.p, (size_t)end));
		rest = slice_from(rest, (size_t)end);
	}
	if (slice_has_prefix(rest, " (")) {
		/* The name is BIND-escaped, so "): " ends it. */
		long end = find_str(rest, "): ");

		if (end < 0)
			return fmt_reject(ctx, "bind: unterminated '(' '%s'",
			    diag_quote(q, sizeof q, rest));
		rest = slice_from(rest, (size_t)end + 1);
	}
	if (!slice_has_prefix(rest, ": "))
		return fmt_reject(ctx, "bind: no ':' after the client '%s'",
		    diag_quote(q, sizeof q, rest));
	rest = slice_from(rest, 2);
	if (slice_has_prefix(rest, "view ")) {
		long end = find_str(rest, ": ");

		if (end < 0)
			return LINE_SKIPPED;
		view = slice_make(rest.p + 5, (size_t)end - 5);
		rest = slice_from(rest, (size_t)end + 2);
	}
	if (slice_has_prefix(rest, "query: "))
		r = read_query(ctx, slice_from(rest, 7));
	else
		r = read_denied(ctx, rest);
	if (r != LINE_USED)
		return r;
	if (view.n)
		event_add_extra(ev, "view", view);
	return LINE_USED;
}

static enum line_result
bind_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct bind_state *st = state;
	struct event *ev = ctx->ev;
	struct envelope env;
	struct slice msg;
	int64_t ms;
	size_t n;
	int framed = 1;
	char q[200];
	enum line_result r;

	if (line.n == 0 || ((line.p[0] == ' ' || line.p[0] == '\t') &&
	    slice_trim(line).n == 0))
		return LINE_SKIPPED;
	if ((n = stamp_classic(line, st, &ms)) != 0 ||
	    ((n = stamp_iso(line, &ms)) != 0 &&
	    is_client_msg(slice_from(line, n)))) {
		/* A file channel with print-time. */
		ev->ts_ms = ms;
		ev->has_ts = 1;
		msg = slice_from(line, n);
	} else if (envelope_parse(line, &st->ey, &env) == 0) {
		if (env.tag.n && !slice_has_prefix(env.tag, "named"))
			return LINE_SKIPPED;	/* another program's line */
		ev->ts_ms = env.ts_ms;
		ev->has_ts = env.has_ts;
		if (env.host.n)
			ev->f[EV_DEVICE] = env.host;
		msg = env.msg;
		/* A channel with print-time to syslog: BIND's stamp is the
		 * time of the query, the envelope's that of the relay. */
		if ((n = stamp_classic(msg, st, &ms)) != 0 ||
		    (n = stamp_iso(msg, &ms)) != 0) {
			ev->ts_ms = ms;
			ev->has_ts = 1;
			msg = slice_from(msg, n);
		}
	} else if (strcmp(env.err, ENVELOPE_NONE) == 0) {
		msg = line;	/* print-time no */
		framed = 0;
	} else {
		return fmt_reject(ctx, "bind: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	}
	msg = skip_categories(msg);
	if (!slice_has_prefix(msg, "client ")) {
		/*
		 * Another named message. Without a time or envelope only a
		 * category prefix shows the line is BIND's at all.
		 */
		if (!framed && msg.p == line.p)
			return fmt_reject(ctx, "bind: not a query log line '%s'",
			    diag_quote(q, sizeof q, line));
		return LINE_SKIPPED;
	}
	r = read_client(ctx, msg);
	if (r != LINE_USED)
		return r;
	event_set_checked(ev, EV_LOG, SLICE_LIT("dns"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("bind"));
	return fmt_emit(ctx);
}

/*
 * Whether line is a BIND client message with "query: " or "' denied",
 * framed as bind_line reads it.
 */
static int
is_bind_line(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;
	struct slice msg = line;
	int64_t ms;
	size_t n;

	if ((n = stamp_classic(line, NULL, &ms)) != 0 ||
	    ((n = stamp_iso(line, &ms)) != 0 &&
	    is_client_msg(slice_from(line, n)))) {
		msg = slice_from(line, n);
	} else {
		envelope_year_init(&ey, 2000, 0);	/* only the shape counts */
		if (envelope_parse(line, &ey, &env) == 0) {
			msg = env.msg;
			if ((n = stamp_classic(msg, NULL, &ms)) != 0 ||
			    (n = stamp_iso(msg, &ms)) != 0)
				msg = slice_from(msg, n);
		}
	}
	msg = skip_categories(msg);
	if (!slice_has_prefix(msg, "client "))
		return 0;
	msg = slice_from(msg, 7);
	if (slice_has_prefix(msg, "@0x"))
		slice_next_token(&msg);
	if (slice_find(first_tok(msg), '#') <= 0)
		return 0;
	return find_str(msg, ": query: ") >= 0 ||
	    find_str(msg, "' denied") >= 0;
}

static int
bind_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_bind_line);
}

static void *
bind_open(struct parse_ctx *ctx)
{
	struct bind_state *st = malloc(sizeof *st);

	if (st == NULL) {
		fmt_reject(ctx, "out of memory");
		return NULL;
	}
	envelope_year_init(&st->ey, ctx->opts->year, ctx->opts->now);
	st->day_len = 0;
	return st;
}

static void
bind_close(void *state)
{
	free(state);
}

/* The carry is the year state alone (envelope_carry_*). */
static void
bind_carry_seed(void *state, const void *carry)
{
	struct bind_state *st = state;

	memcpy(&st->ey, carry, sizeof st->ey);
}

const struct fmt fmt_bind = {
	.name = "bind",
	.log = "dns",
	.summary = "BIND 9 query log (file channel or syslog)",
	.sniff = bind_sniff,
	.line = bind_line,
	.open = bind_open,
	.close = bind_close,
	.carry_size = sizeof(struct envelope_year),
	.carry_init = envelope_carry_init,
	.carry_advance = envelope_carry_advance,
	.carry_seed = bind_carry_seed,
};
