/*
 * fmt_windns.c: the Windows DNS Server debug log (dns.log), one line per
 * packet: "11/25/2026 5:06:35 PM 0E70 PACKET  00000000033397A0 UDP Rcv
 * 10.1.20.35      5b47   Q [0001   D   NOERROR] A      (3)www(0)". The
 * date follows the server's regional settings: year first is y/m/d (also
 * with '-' or '.'), dotted or dashed with the year last d.m.y, and a slash
 * with the year last m/d/y (the en-US default) until a date whose first
 * number is over 12 shows the input is d/m/y, from then on (the header's
 * creation date counts). Time is 24-hour or with AM/PM, local (--tz). A
 * client's query (Rcv without R) waits for the server's response (Snd
 * with R) with the same remote address, xid and name; the pair is one
 * event with the query's time and origin and the response's rcode and
 * flags. A response whose query was not seen is an event of its own
 * (unmatched=1); a query is written unanswered after 15 s of log time
 * (Windows gives up on upstream after 8 + 4 s), when the table is full
 * (16384 queries: the oldest goes) or at the end. The server's recursion
 * to its forwarders (Snd without R, Rcv with R), the header block,
 * "details" dumps, EVENT and Note lines are skipped. Names are decoded
 * from "(3)www(7)example(3)com(0)", checked against the length prefixes
 * and lower-cased ("(0)" alone is the root "."); their bytes are the
 * client's choice and escaped on output.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"

#define WD_MAX 16384		/* queries in flight */
#define WD_HASH 16384		/* hash chains (a power of two) */
#define WD_TIMEOUT_MS 15000	/* longer than Windows waits for upstream */
#define WD_NAME_MAX 256		/* a decoded name: 253 bytes at most */
#define WD_WIRE_MAX 255		/* RFC 1035: a name's octets on the wire */

/* One PACKET line, taken apart; slices point into the line. */
struct wd_pkt {
	int64_t ts_ms;
	int tcp, snd, resp;
	char opcode;		/* Q, N, U or ? */
	int has_flags, aa, tc, rd, ra;
	struct slice xid, rcode, qtype;
	size_t client_n, name_n;
	char client[IPADDR_TEXT_MAX];
	char name[WD_NAME_MAX];
};

/* A query in flight, or a lone response being written. */
struct wd_query {
	int prev, next;		/* creation order; next also links free ones */
	int hnext;		/* hash chain */
	int tcp, rd;		/* rd: -1 when the line had no flags */
	char opcode;
	uint32_t hash;
	int64_t ts_ms;
	const char *origin_file;
	uint64_t line;
	size_t client_n, name_n, qtype_n, xid_n;
	char client[IPADDR_TEXT_MAX];
	char name[WD_NAME_MAX];
	char qtype[24];
	char xid[4];
};

/* What a line is. */
enum wd_kind { WD_BLANK, WD_HEADER, WD_OTHER, WD_PACKET, WD_BAD };

/* Why a line is malformed, and the text to quote (none when empty). */
struct wd_err {
	const char *why;
	struct slice at;
};

struct wd_state {
	int dayfirst;		/* slash dates with the year last are d/m/y */
	struct wd_query *q;	/* cap entries, fresh of them ever used */
	int cap, fresh, count, free_list;
	int head, tail;		/* oldest and newest query */
	int heads[WD_HASH];
	struct event out;	/* the event being written */
};

/* Whether s is 1 to max hex digits. */
static int
all_hex(struct slice s, size_t max)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') || ((s.p[i] | 0x20) >=
		    'a' && (s.p[i] | 0x20) <= 'f')))
			return 0;
	return s.n > 0 && s.n <= max;
}

/* The bytes of s up to its first space. */
static struct slice
first_word(struct slice s)
{
	long sp = slice_find(s, ' ');

	return sp < 0 ? s : slice_make(s.p, (size_t)sp);
}

/* s without trailing spaces, tabs and CRs. */
static struct slice
trim_end(struct slice s)
{
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
	    s.p[s.n - 1] == '\r'))
		s.n--;
	return s;
}

/*
 * The date and time at the start of s, local time as the server wrote it:
 * "11/25/2026 5:06:35 PM", "2024/12/2 15:51:54", "17.05.2026 21:30:15".
 * *dayfirst is the input's slash order, set when a date shows it. Returns
 * the bytes taken (with the space after them), or 0 with *err set.
 */
static size_t
read_stamp(struct slice s, int *dayfirst, int64_t *ms, struct wd_err *err)
{
	int y, mo, d, h, mi, sec;
	size_t i = 0, t0;
	int64_t t;

	err->why = "bad date";
	err->at = first_word(s);
	if (time_parse_windows_date(s, &i, dayfirst, &y, &mo, &d) != 0)
		return 0;
	i++;		/* the space after the date */
	t0 = i;
	err->why = "bad time";
	err->at = first_word(slice_from(s, t0));
	if (time_read_digits(s, &i, 2, &h) == 0 || i >= s.n ||
	    s.p[i++] != ':' || time_read_digits(s, &i, 2, &mi) != 2 ||
	    i >= s.n || s.p[i++] != ':' ||
	    time_read_digits(s, &i, 2, &sec) != 2 || (i < s.n && s.p[i] != ' '))
		return 0;
	if (i + 3 <= s.n && (s.p[i + 1] == 'A' || s.p[i + 1] == 'P') &&
	    s.p[i + 2] == 'M' && (i + 3 == s.n || s.p[i + 3] == ' ')) {
		/* 12-hour clock: 12:xx AM is 00:xx, 12:xx PM is noon. */
		i += 3;
		err->at = slice_make(s.p + t0, i - t0);
		if (h < 1 || h > 12)
			return 0;
		h = (h % 12) + (s.p[i - 2] == 'P' ? 12 : 0);
	}
	if ((t = time_utc_seconds(y, mo, d, h, mi, sec)) < 0 || sec > 59)
		return 0;
	*ms = time_local_to_utc(t) * 1000;
	return i < s.n ? i + 1 : i;
}

/*
 * Decodes "(3)www(7)example(3)com(0)" into buf (WD_NAME_MAX) as
 * "www.example.com", lower-cased; "(0)" alone is the root ".". Each
 * prefix must give its label's length exactly. Returns the length, or 0
 * with *why set.
 */
static size_t
decode_name(struct slice s, char *buf, const char **why)
{
	size_t i = 0, n = 0, wire = 1;
	int len;

	*why = "bad question name";
	for (;;) {
		if (i >= s.n || s.p[i++] != '(' ||
		    time_read_digits(s, &i, 3, &len) == 0 || i >= s.n ||
		    s.p[i++] != ')')
			return 0;
		if (len == 0)
			break;
		*why = "question name label over 63 bytes";
		if (len > 63)
			return 0;
		/* The label's bytes are taken by count: they may be '(' too. */
		*why = "question name label length does not match";
		if (s.n - i < (size_t)len + 3 || s.p[i + (size_t)len] != '(')
			return 0;
		*why = "question name over 255 bytes";
		if ((wire += (size_t)len + 1) > WD_WIRE_MAX)
			return 0;
		*why = "bad question name";
		if (n)
			buf[n++] = '.';
		for (; len > 0; len--, i++)
			buf[n++] = s.p[i] >= 'A' && s.p[i] <= 'Z' ?
			    (char)(s.p[i] + 32) : s.p[i];
	}
	if (i != s.n) {
		*why = "text after the end of the question name";
		return 0;
	}
	if (n == 0)
		buf[n++] = '.';
	return n;
}

/* Whether s is a type mnemonic: "A", "AAAA", "NSEC3", "TYPE65". */
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
 * The bracketed "[8081   DR  NOERROR]": flags in hex, the A, T, D and R
 * flag letters, the response code. Returns 0 or -1.
 */
static int
read_flags(struct slice in, struct wd_pkt *pk)
{
	struct slice hex, rc;
	size_t i, end;
	int seen = 0;

	hex = slice_next_word(&in);
	in = trim_end(in);
	for (end = in.n; end > 0 && in.p[end - 1] != ' '; end--)
		;
	rc = slice_from(in, end);
	if (!all_hex(hex, 4) || hex.n != 4 || !is_mnemonic(rc))
		return -1;
	for (i = 0; i < end; i++) {
		int bit;

		switch (in.p[i]) {
		case ' ': continue;
		case 'A': bit = 1; pk->aa = 1; break;
		case 'T': bit = 2; pk->tc = 1; break;
		case 'D': bit = 4; pk->rd = 1; break;
		case 'R': bit = 8; pk->ra = 1; break;
		default: return -1;
		}
		if (seen & bit)
			return -1;
		seen |= bit;
	}
	pk->has_flags = 1;
	/* Windows says NOTIMPL; the IANA mnemonic the other formats use. */
	pk->rcode = slice_eq(rc, "NOTIMPL") ? SLICE_LIT("NOTIMP") : rc;
	return 0;
}

/* Sets *err; returns WD_BAD. */
static enum wd_kind
bad(struct wd_err *err, const char *why, struct slice at)
{
	err->why = why;
	err->at = at;
	return WD_BAD;
}

/*
 * The fields of a PACKET line after "PACKET", rest at the packet pointer.
 * Returns WD_PACKET, or WD_BAD with *err set.
 */
static enum wd_kind
read_packet(struct slice rest, struct wd_pkt *pk, struct wd_err *err)
{
	struct slice w, ip;
	struct ipaddr addr;
	long pct, close;

	if (!all_hex(w = slice_next_word(&rest), 16))
		return bad(err, w.n ? "bad packet pointer" :
		    "truncated line: no packet pointer", w);
	w = slice_next_word(&rest);
	pk->tcp = slice_eq(w, "TCP");
	if (!pk->tcp && !slice_eq(w, "UDP"))
		return bad(err, w.n ? "bad protocol" :
		    "truncated line: no protocol", w);
	w = slice_next_word(&rest);
	pk->snd = slice_eq(w, "Snd");
	if (!pk->snd && !slice_eq(w, "Rcv"))
		return bad(err, w.n ? "bad direction" :
		    "truncated line: no direction", w);
	ip = w = slice_next_word(&rest);
	if ((pct = slice_find(ip, '%')) >= 0)
		ip.n = (size_t)pct;	/* fe80::1%12: the zone is local */
	if (w.n == 0)
		return bad(err, "truncated line: no remote address", w);
	if (ip_parse(ip, &addr) != 0)
		return bad(err, "bad remote address", w);
	if (ip_is_v4(&addr) && memchr(ip.p, ':', ip.n) == NULL) {
		memcpy(pk->client, ip.p, ip.n);
		pk->client_n = ip.n;
	} else {
		/* IPv6 in its short form, ::ffff:10.1.2.3 as 10.1.2.3. */
		pk->client_n = ip_format(pk->client, &addr);
	}
	pk->xid = slice_next_word(&rest);
	if (!all_hex(pk->xid, 4))
		return bad(err, pk->xid.n ? "bad xid" :
		    "truncated line: no xid", pk->xid);
	w = slice_next_word(&rest);
	if (slice_eq(w, "R")) {
		pk->resp = 1;
		w = slice_next_word(&rest);
	}
	if (w.n != 1 || (w.p[0] != 'Q' && w.p[0] != 'N' && w.p[0] != 'U' &&
	    w.p[0] != '?'))
		return bad(err, w.n ? "bad opcode" :
		    "truncated line: no opcode", w);
	pk->opcode = w.p[0];
	while (rest.n && rest.p[0] == ' ')
		rest = slice_from(rest, 1);
	if (rest.n && rest.p[0] == '[') {
		if ((close = slice_find(rest, ']')) < 0)
			return bad(err, "no ']' after the flags", rest);
		w = slice_make(rest.p, (size_t)close + 1);
		if (read_flags(slice_make(rest.p + 1, (size_t)close - 1),
		    pk) != 0)
			return bad(err, "bad flags", w);
		rest = slice_from(rest, (size_t)close + 1);
	}
	pk->qtype = slice_next_word(&rest);
	if (!is_mnemonic(pk->qtype))
		return bad(err, pk->qtype.n ? "bad question type" :
		    "truncated line: no question type", pk->qtype);
	while (rest.n && rest.p[0] == ' ')
		rest = slice_from(rest, 1);
	if (rest.n == 0)
		return bad(err, "truncated line: no question name", rest);
	if ((pk->name_n = decode_name(rest, pk->name, &err->why)) == 0)
		return bad(err, err->why, rest);
	return WD_PACKET;
}

/* FNV-1a of the join key: remote address, xid and name. */
static uint32_t
key_hash(const char *client, size_t client_n, struct slice xid,
    const char *name, size_t name_n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < client_n; i++)
		h = (h ^ (unsigned char)client[i]) * 16777619u;
	for (i = 0; i < xid.n; i++)	/* "0c6b" and "0C6B" alike */
		h = (h ^ ((unsigned char)xid.p[i] | 0x20)) * 16777619u;
	for (i = 0; i < name_n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* Fills the stored form of a query from its packet. */
static void
query_from_pkt(struct wd_query *e, const struct wd_pkt *pk,
    const struct event *ev)
{
	e->tcp = pk->tcp;
	e->rd = pk->has_flags ? pk->rd : -1;
	e->opcode = pk->opcode;
	e->ts_ms = pk->ts_ms;
	e->origin_file = ev->origin_file;
	e->line = ev->origin_line;
	memcpy(e->client, pk->client, pk->client_n);
	e->client_n = pk->client_n;
	memcpy(e->name, pk->name, pk->name_n);
	e->name_n = pk->name_n;
	memcpy(e->qtype, pk->qtype.p, pk->qtype.n);
	e->qtype_n = pk->qtype.n;
	memcpy(e->xid, pk->xid.p, pk->xid.n);
	e->xid_n = pk->xid.n;
}

/*
 * Writes the event of query e, with the response r when there is one
 * (r_line its line); unmatched when e was made from a lone response.
 */
static void
write_event(struct wd_state *st, struct parse_ctx *ctx,
    const struct wd_query *e, const struct wd_pkt *r, uint64_t r_line,
    int unmatched)
{
	static const char *const opcodes[] = { "notify", "update", "unknown" };
	struct event *ev = &st->out;
	int flags = r && r->has_flags;
	char tmp[20];

	event_clear(ev);
	ev->origin_file = e->origin_file;
	ev->origin_line = e->line;
	ev->ts_ms = e->ts_ms;
	ev->has_ts = 1;
	event_set_checked(ev, EV_LOG, SLICE_LIT("dns"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("windns"));
	/* Address, type, xid and rcode were checked; the name was not. */
	event_set_checked(ev, EV_SRC_IP, slice_make(e->client, e->client_n));
	fmt_set_proto(ev, e->tcp ? SLICE_LIT("TCP") : SLICE_LIT("UDP"));
	ev->f[EV_QNAME] = slice_make(e->name, e->name_n);
	event_set_checked(ev, EV_QTYPE, slice_make(e->qtype, e->qtype_n));
	if (flags)
		event_set_checked(ev, EV_RCODE, r->rcode);
	event_add_extra_checked(ev, "xid", slice_make(e->xid, e->xid_n));
	if (e->opcode != 'Q')
		event_add_extra_checked(ev, "opcode", slice_cstr(opcodes[
		    e->opcode == 'N' ? 0 : e->opcode == 'U' ? 1 : 2]));
	if (e->rd >= 0)
		event_add_extra_checked(ev, "rd", slice_make(&"01"[e->rd], 1));
	if (flags) {
		event_add_extra_checked(ev, "aa", slice_make(&"01"[r->aa], 1));
		event_add_extra_checked(ev, "tc", slice_make(&"01"[r->tc], 1));
		event_add_extra_checked(ev, "ra", slice_make(&"01"[r->ra], 1));
	}
	if (r && !unmatched)
		event_add_extra_checked(ev, "reply_line", event_keep(ev, tmp,
		    num_format_u64(tmp, r_line)));
	if (unmatched)
		event_add_extra_checked(ev, "unmatched", SLICE_LIT("1"));
	ctx->emit(ctx, ev);
}

/* Takes query i out of the table. */
static void
unlink_query(struct wd_state *st, int i)
{
	struct wd_query *e = &st->q[i];
	int *pp;

	for (pp = &st->heads[e->hash & (WD_HASH - 1)]; *pp != i;
	    pp = &st->q[*pp].hnext)
		;
	*pp = e->hnext;
	if (e->prev >= 0)
		st->q[e->prev].next = e->next;
	else
		st->head = e->next;
	if (e->next >= 0)
		st->q[e->next].prev = e->prev;
	else
		st->tail = e->prev;
	e->next = st->free_list;
	st->free_list = i;
	st->count--;
}

/* Writes the oldest query unanswered and forgets it. */
static void
emit_oldest(struct wd_state *st, struct parse_ctx *ctx)
{
	int i = st->head;

	write_event(st, ctx, &st->q[i], NULL, 0, 0);
	unlink_query(st, i);
}

/* Writes the queries older than the timeout (log time may also jump back). */
static void
expire(struct wd_state *st, struct parse_ctx *ctx, int64_t now)
{
	while (st->head >= 0) {
		int64_t age = now - st->q[st->head].ts_ms;

		if (age <= WD_TIMEOUT_MS && age >= -WD_TIMEOUT_MS)
			break;
		emit_oldest(st, ctx);
	}
}

/*
 * Puts a client's query in the table, which grows to WD_MAX; past that the
 * oldest query is written unanswered to make room. Returns 0, or -1 when
 * memory runs out.
 */
static int
add_query(struct wd_state *st, struct parse_ctx *ctx, const struct wd_pkt *pk)
{
	struct wd_query *e;
	int i;

	if (st->count >= WD_MAX)
		emit_oldest(st, ctx);
	if (st->free_list >= 0) {
		i = st->free_list;
		st->free_list = st->q[i].next;
	} else {
		if (st->fresh == st->cap) {
			int ncap = st->cap ? st->cap * 2 : 64;

			if ((e = realloc(st->q, (size_t)ncap * sizeof *e)) ==
			    NULL)
				return -1;
			st->q = e;
			st->cap = ncap;
		}
		i = st->fresh++;
	}
	e = &st->q[i];
	query_from_pkt(e, pk, ctx->ev);
	e->hash = key_hash(pk->client, pk->client_n, pk->xid, pk->name,
	    pk->name_n);
	e->hnext = st->heads[e->hash & (WD_HASH - 1)];
	st->heads[e->hash & (WD_HASH - 1)] = i;
	e->prev = st->tail;
	e->next = -1;
	if (st->tail >= 0)
		st->q[st->tail].next = i;
	else
		st->head = i;
	st->tail = i;
	st->count++;
	return 0;
}

/*
 * The oldest query the response pk answers (same remote address, xid and
 * name), or -1.
 */
static int
find_query(const struct wd_state *st, const struct wd_pkt *pk)
{
	uint32_t h = key_hash(pk->client, pk->client_n, pk->xid, pk->name,
	    pk->name_n);
	int i, best = -1;
	size_t k;

	for (i = st->heads[h & (WD_HASH - 1)]; i >= 0; i = st->q[i].hnext) {
		const struct wd_query *e = &st->q[i];

		if (e->hash != h || e->client_n != pk->client_n ||
		    e->name_n != pk->name_n || e->xid_n != pk->xid.n ||
		    memcmp(e->client, pk->client, pk->client_n) != 0 ||
		    memcmp(e->name, pk->name, pk->name_n) != 0)
			continue;
		for (k = 0; k < e->xid_n; k++)
			if ((e->xid[k] | 0x20) != (pk->xid.p[k] | 0x20))
				break;
		/* Chains run newest first: the last match is the oldest. */
		if (k == e->xid_n)
			best = i;
	}
	return best;
}

/*
 * Lines of the header block and the first line of a "details" dump ("UDP
 * question info at 000001F3C8A0B110"), which are skipped.
 */
static int
is_furniture(struct slice line)
{
	struct slice rest = slice_from(line, 4);

	return slice_has_prefix(line, "Message logging key") ||
	    ((slice_has_prefix(line, "UDP ") || slice_has_prefix(line,
	    "TCP ")) && slice_has_prefix(slice_from(rest,
	    first_word(rest).n), " info at "));
}

/* The header's "... at <date>" lines, which may show the date order. */
static struct slice
header_date(struct slice line)
{
	if (slice_has_prefix(line, "DNS Server log file creation at "))
		return slice_from(line, 32);
	if (slice_has_prefix(line, "Log file wrap at "))
		return slice_from(line, 17);
	return SLICE_NONE;
}

/*
 * Classifies a line and, for a PACKET line, takes it apart into *pk.
 * *dayfirst carries the input's date order. WD_BAD sets *err.
 */
static enum wd_kind
read_line(struct slice line, int *dayfirst, struct wd_pkt *pk,
    struct wd_err *err)
{
	struct slice rest, w;
	size_t n;

	line = trim_end(line);
	if (slice_has_prefix(line, "\xef\xbb\xbf"))
		line = slice_from(line, 3);	/* a UTF-8 byte order mark */
	if (line.n == 0)
		return WD_BLANK;
	if (line.p[0] == ' ' || line.p[0] == '\t' || is_furniture(line))
		return WD_HEADER;
	if ((rest = header_date(line)).p != NULL) {
		read_stamp(rest, dayfirst, &pk->ts_ms, err);
		return WD_HEADER;
	}
	if (line.p[0] < '0' || line.p[0] > '9')
		return bad(err, "not a DNS debug log line", line);
	memset(pk, 0, offsetof(struct wd_pkt, client));
	if ((n = read_stamp(line, dayfirst, &pk->ts_ms, err)) == 0)
		return WD_BAD;
	rest = slice_from(line, n);
	w = slice_next_word(&rest);
	if (!all_hex(w, 8))
		return bad(err, w.n ? "bad thread id" :
		    "truncated line: no thread id", w);
	w = slice_next_word(&rest);
	if (w.n == 0)
		return bad(err, "truncated line: no context", w);
	if (!slice_eq(w, "PACKET"))
		return WD_OTHER;	/* EVENT, Note: and other messages */
	return read_packet(rest, pk, err);
}

static enum line_result
wd_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct wd_state *st = state;
	struct wd_err err;
	struct wd_pkt pk;
	char q[200];
	int i;

	switch (read_line(line, &st->dayfirst, &pk, &err)) {
	case WD_BLANK:
	case WD_HEADER:
	case WD_OTHER:
		return LINE_SKIPPED;
	case WD_BAD:
		if (err.at.n == 0)
			return fmt_reject(ctx, "windns: %s", err.why);
		return fmt_reject(ctx, "windns: %s '%s'", err.why,
		    diag_quote(q, sizeof q, err.at));
	case WD_PACKET:
		break;
	}
	expire(st, ctx, pk.ts_ms);
	if (!pk.snd && !pk.resp) {
		/* A client's query: it waits for the server's response. */
		if (add_query(st, ctx, &pk) != 0)
			return fmt_reject(ctx, "out of memory");
		return LINE_USED;
	}
	if (pk.snd && pk.resp) {
		/* The server's response to a client. */
		if ((i = find_query(st, &pk)) >= 0) {
			write_event(st, ctx, &st->q[i], &pk, ctx->ev->origin_line,
			    0);
			unlink_query(st, i);
		} else {
			struct wd_query lone;

			query_from_pkt(&lone, &pk, ctx->ev);
			write_event(st, ctx, &lone, &pk, 0, 1);
		}
		return LINE_USED;
	}
	return LINE_SKIPPED;	/* the server's recursion to its forwarders */
}

static void
wd_finish(void *state, struct parse_ctx *ctx)
{
	struct wd_state *st = state;

	while (st->head >= 0)
		emit_oldest(st, ctx);
}

/*
 * Sure of the header's first line; else of PACKET lines, more so as they
 * (with the other lines the log writes) make up more of the sample.
 */
static int
wd_sniff(const struct slice *lines, int n)
{
	int i, dayfirst = 0, data = 0, hits = 0, ours = 0;
	enum wd_kind k;
	struct wd_err err;
	struct wd_pkt pk;

	for (i = 0; i < n; i++) {
		struct slice l = lines[i];

		if (slice_has_prefix(l, "\xef\xbb\xbf"))
			l = slice_from(l, 3);
		if (slice_has_prefix(l, "DNS Server log file creation at "))
			return 100;
		k = read_line(l, &dayfirst, &pk, &err);
		/* Indented lines are anybody's: they do not count. */
		if (k == WD_BLANK || l.p[0] == ' ' || l.p[0] == '\t')
			continue;
		data++;
		hits += k == WD_PACKET;
		ours += k == WD_HEADER || k == WD_OTHER;
	}
	if (hits == 0)
		return 0;
	return 60 + 40 * (hits + ours) / data;
}

static void *
wd_open(struct parse_ctx *ctx)
{
	struct wd_state *st = malloc(sizeof *st);

	if (st == NULL) {
		fmt_reject(ctx, "out of memory");
		return NULL;
	}
	st->q = NULL;
	st->dayfirst = st->cap = st->fresh = st->count = 0;
	st->free_list = st->head = st->tail = -1;
	memset(st->heads, 0xff, sizeof st->heads);	/* all -1 */
	return st;
}

static void
wd_close(void *state)
{
	free(((struct wd_state *)state)->q);
	free(state);
}

const struct fmt fmt_windns = {
	.name = "windns",
	.log = "dns",
	.summary = "Windows DNS Server debug log (dns.log), one event per query",
	.sniff = wd_sniff,
	.open = wd_open,
	.line = wd_line,
	.finish = wd_finish,
	.close = wd_close,
};
