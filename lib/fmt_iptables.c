/*
 * fmt_iptables.c: Linux netfilter LOG target lines (iptables -j LOG,
 * nftables "log prefix", ufw's "[UFW BLOCK]") as the kernel writes them:
 *   PREFIX IN=eth0 OUT= MAC=... SRC=a DST=b LEN=60 ... PROTO=TCP SPT=1 DPT=2
 * inside any syslog envelope of the kernel (lib/envelope.h, program tag
 * "kernel"; the host is the device),
 * Proxmox VE's own pve-firewall.log ("0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14
 * +0200 policy DROP: IN=..."), or bare as dmesg prints them. The LOG target
 * does not decide the packet's fate, so the action is read from the prefix
 * the administrator chose (DROP, REJECT, BLOCK, DENY -> deny; ACCEPT,
 * ALLOW, PASS -> allow). Other messages of the same syslog file are
 * skipped. Year inference of RFC 3164 stamps is the
 * only state carried between lines (fmt.h carry).
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "envelope.h"
#include "fieldscan.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"

/* Offset of the bytes lit (two or more) in s at or after from, or -1. */
static long
find_str(struct slice s, size_t from, const char *lit)
{
	size_t n = strlen(lit), i;

	/*
	 * The keys sought ("IN=") stand a few dozen bytes in: memmem's
	 * set-up was 5% of the parse, a plain loop 3%. With SSE2, sixteen
	 * places are tried at once for the first and the last byte of lit,
	 * from loads that end inside s.
	 */
	if (from >= s.n || s.n - from < n)
		return -1;
	i = from;
#if defined(__SSE2__)
	for (; s.n - i >= n + 15; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)
		    (s.p + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
		    (s.p + i + n - 1));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(a, _mm_set1_epi8(lit[0])),
		    _mm_cmpeq_epi8(b, _mm_set1_epi8(lit[n - 1]))));

		for (; m != 0; m &= m - 1) {
			size_t j = i + (size_t)__builtin_ctz(m);

			if (memcmp(s.p + j, lit, n) == 0)
				return (long)j;
		}
	}
#endif
	for (; i + n <= s.n; i++)
		if (s.p[i] == lit[0] && memcmp(s.p + i, lit, n) == 0)
			return (long)i;
	return -1;
}

/*
 * Offset in msg where the kernel's fields start, or -1 when msg is no LOG
 * line. The kernel writes "IN=%s OUT=%s " right after the prefix, which
 * may lack a trailing space ("dropIN=eth0"), so "IN=" is found anywhere as
 * long as " OUT=" follows its value. pve-firewall leaves empty fields out
 * ("REJECT: OUT=vmbr0 SRC=..."): then a word starting with IN= or OUT= and
 * a later SRC= (or IPSRC= for ARP) will do.
 */
static long
log_start(struct slice msg)
{
	long at, sp;
	size_t i;

	for (at = find_str(msg, 0, "IN="); at >= 0;
	    at = find_str(msg, (size_t)at + 3, "IN=")) {
		struct slice after = slice_from(msg, (size_t)at + 3);

		/* The rest of the line is long: no call to memchr for it. */
		sp = (long)fieldscan_byte(after.p, after.n, ' ');
		if ((size_t)sp < after.n && slice_has_prefix(slice_from(after,
		    (size_t)sp), " OUT="))
			return at;
	}
	for (i = 0; i < msg.n; i++) {
		struct slice w;

		if (i > 0 && msg.p[i - 1] != ' ')
			continue;
		w = slice_from(msg, i);
		if (!slice_has_prefix(w, "IN=") && !slice_has_prefix(w, "OUT="))
			continue;
		if (find_str(msg, i, " SRC=") >= 0 ||
		    find_str(msg, i, " IPSRC=") >= 0)
			return (long)i;
		return -1;
	}
	return -1;
}

/* ASCII c in upper case. */
static inline unsigned char
upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

/* Whether the n bytes at p, upper-cased, are those of lit (upper case). */
static inline int
eq_upper(const char *p, const char *lit, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (upper((unsigned char)p[i]) != (unsigned char)lit[i])
			return 0;
	return 1;
}

/* The first letters of the words prefix_action looks for, as bits. */
#define WORD_STARTS (1U << ('A' - 'A') | 1U << ('B' - 'A') | \
	1U << ('D' - 'A') | 1U << ('P' - 'A') | 1U << ('R' - 'A'))

/*
 * The action a log prefix states: "deny" when it holds BLOCK, DROP,
 * REJECT, DENY or DENIED anywhere, in any case, else "allow" for ACCEPT,
 * ALLOW or PASS, else empty. One pass over the bytes, a word tried only
 * where its first letter stands (a search per word was 6% of the parse).
 */
static struct slice
prefix_action(struct slice prefix)
{
	const char *p = prefix.p;
	size_t i, left;
	int allow = 0;

	for (i = 0; i < prefix.n; i++) {
		unsigned c = (unsigned)upper((unsigned char)p[i]) - 'A';

		/* Most bytes start no word: one test, not a jump table. */
		if (c > 'Z' - 'A' || !(WORD_STARTS >> c & 1))
			continue;
		left = prefix.n - i;
		switch (c + 'A') {
		case 'B':
			if (left >= 5 && eq_upper(p + i, "BLOCK", 5))
				return SLICE_LIT("deny");
			break;
		case 'D':
			if (left >= 4 && (eq_upper(p + i, "DROP", 4) ||
			    eq_upper(p + i, "DENY", 4) || (left >= 6 &&
			    eq_upper(p + i, "DENIED", 6))))
				return SLICE_LIT("deny");
			break;
		case 'R':
			if (left >= 6 && eq_upper(p + i, "REJECT", 6))
				return SLICE_LIT("deny");
			break;
		case 'A':
			if ((left >= 6 && eq_upper(p + i, "ACCEPT", 6)) ||
			    (left >= 5 && eq_upper(p + i, "ALLOW", 5)))
				allow = 1;
			break;
		case 'P':
			if (left >= 4 && eq_upper(p + i, "PASS", 4))
				allow = 1;
			break;
		}
	}
	return allow ? SLICE_LIT("allow") : SLICE_NONE;
}

/*
 * The prefix: the text before the fields, without the kernel's uptime
 * stamp "[ 1234.567890]" that some syslog daemons keep.
 */
static struct slice
log_prefix(struct slice pre)
{
	pre = slice_trim(pre);
	if (pre.n > 2 && pre.p[0] == '[') {
		size_t i;

		for (i = 1; i < pre.n && ((pre.p[i] >= '0' && pre.p[i] <= '9') ||
		    pre.p[i] == '.' || pre.p[i] == ' '); i++)
			;
		if (i > 1 && i < pre.n && pre.p[i] == ']')
			pre = slice_trim(slice_from(pre, i + 1));
	}
	return pre;
}

/* The TCP flags the kernel logs as bare words, in its order. */
static int
is_tcp_flag(struct slice w)
{
	static const char *const flags[] = { "CWR", "ECE", "URG", "ACK", "PSH",
	    "RST", "SYN", "FIN" };
	size_t i;

	if (w.n != 3)
		return 0;
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (memcmp(w.p, flags[i], 3) == 0)
			return 1;
	return 0;
}

/*
 * The end of the word at p (the next space or TAB, or end), and in *eqp
 * its first '=' (NULL when none). SSE2 looks at 16 bytes at once: most
 * words of a LOG line ("SRC=10.1.2.3", "PROTO=TCP") end in the first.
 */
static inline const char *
word_end(const char *p, const char *end, const char **eqp)
{
#if defined(__SSE2__)
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'),
	    eq = _mm_set1_epi8('=');

	for (; end - p >= 16; p += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(b, sp), _mm_cmpeq_epi8(b, tab)));
		unsigned e = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, eq));

		if (stop != 0)
			e &= (1u << __builtin_ctz(stop)) - 1;
		if (e != 0 && *eqp == NULL)
			*eqp = p + __builtin_ctz(e);
		if (stop != 0)
			return p + __builtin_ctz(stop);
	}
#endif
	for (; p < end && *p != ' ' && *p != '\t'; p++)
		if (*p == '=' && *eqp == NULL)
			*eqp = p;
	return p;
}

/* The fields csm reads: indexes of ipt_fields.v, bits of its have. */
enum ipt_key {
	K_IN, K_OUT, K_PHYSIN, K_PHYSOUT, K_SRC, K_DST, K_LEN, K_PROTO, K_SPT,
	K_DPT, K_TYPE, K_CODE, K_NKEYS
};

/*
 * The values of the fields csm reads. Only those with their bit in have
 * were set: nothing else is initialised (clearing the whole struct on
 * every line was a `rep stos` of 1% of the parse).
 */
struct ipt_fields {
	struct slice v[K_NKEYS];
	unsigned have;
	int arp;
	char flags[8 * 4];
	size_t nflags;
};

/* The value of field k, or SLICE_NONE (a NULL pointer) when absent. */
static inline struct slice
field(const struct ipt_fields *fl, enum ipt_key k)
{
	return fl->have & 1U << k ? fl->v[k] : SLICE_NONE;
}

/* The field a key names (the bytes before '='), or K_NKEYS for another. */
static enum ipt_key
key_of(struct slice k)
{
	switch (k.n) {
	case 2:
		if (slice_eq(k, "IN"))
			return K_IN;
		break;
	case 3:
		if (slice_eq(k, "OUT"))
			return K_OUT;
		if (slice_eq(k, "SRC"))
			return K_SRC;
		if (slice_eq(k, "DST"))
			return K_DST;
		if (slice_eq(k, "LEN"))
			return K_LEN;
		if (slice_eq(k, "SPT"))
			return K_SPT;
		if (slice_eq(k, "DPT"))
			return K_DPT;
		break;
	case 4:
		if (slice_eq(k, "TYPE"))
			return K_TYPE;
		if (slice_eq(k, "CODE"))
			return K_CODE;
		break;
	case 5:
		if (slice_eq(k, "PROTO"))
			return K_PROTO;
		if (slice_eq(k, "IPSRC"))
			return K_SRC;		/* ARP */
		if (slice_eq(k, "IPDST"))
			return K_DST;
		break;
	case 6:
		if (slice_eq(k, "PHYSIN"))
			return K_PHYSIN;
		break;
	case 7:
		if (slice_eq(k, "PHYSOUT"))
			return K_PHYSOUT;
		break;
	}
	return K_NKEYS;
}

/*
 * Reads the space-separated fields from the kernel's text. An ICMP error
 * quotes the offending packet in brackets ("[SRC=... PROTO=UDP SPT=...]"):
 * those inner fields are not the logged packet's and are passed over; of a
 * repeated key (UDP's second LEN=, ICMP's ID=) the first counts.
 */
static void
scan_fields(struct slice rest, struct ipt_fields *fl)
{
	const char *p = rest.p, *end = rest.p + rest.n;
	int depth = 0;

	/*
	 * One pass over the bytes, a word at a time, noting the first '='
	 * on the way: a LOG line has some 25 words, and a call per word to
	 * split it and another to find its '=' were a third of the parse.
	 */
	while (p < end) {
		struct slice w, v;
		const char *start, *eqp = NULL;
		enum ipt_key key;
		unsigned bit;
		long eq;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		start = p;
		p = word_end(p, end, &eqp);
		w = slice_make(start, (size_t)(p - start));
		if (depth || w.p[0] == '[') {
			depth = slice_find(w, ']') < 0;
			continue;
		}
		eq = eqp ? (long)(eqp - start) : -1;
		if (eq < 0) {
			if (is_tcp_flag(w) && fl->nflags + 4 <= sizeof fl->flags) {
				if (fl->nflags)
					fl->flags[fl->nflags++] = ',';
				memcpy(fl->flags + fl->nflags, w.p, 3);
				fl->nflags += 3;
			} else if (slice_eq(w, "ARP")) {
				fl->arp = 1;
			}
			continue;
		}
		v = slice_from(w, (size_t)eq + 1);
		/* Of a repeated key the first counts, of PHYS* the last. */
		key = key_of(slice_make(start, (size_t)eq));
		if (key == K_NKEYS)
			continue;
		bit = 1U << key;
		if (!(fl->have & bit) || key == K_PHYSIN || key == K_PHYSOUT) {
			fl->v[key] = v;
			fl->have |= bit;
		}
	}
}

/* Sets an address column, or rejects. */
static enum line_result
set_addr(struct parse_ctx *ctx, enum ev_col col, const char *key,
    int have, struct slice v)
{
	char q[200];

	if (!have)
		return fmt_reject(ctx, "iptables: no %s= field", key);
	/* The kernel writes IPv6 in full (0000:...:0001): shortened here. */
	if (fmt_set_addr(ctx->ev, col, v) != 0)
		return fmt_reject(ctx, "iptables: bad %s address '%s'", key,
		    diag_quote(q, sizeof q, v));
	return LINE_USED;
}

/* Checks a number field against max; puts it in col or extra key. */
static inline enum line_result
set_number(struct parse_ctx *ctx, enum ev_col col, const char *key,
    struct slice v, uint64_t max)
{
	uint64_t n;
	char q[200];

	if (v.p == NULL)
		return LINE_USED;	/* absent */
	if (fieldscan_u64(v, max, &n) != 0)
		return fmt_reject(ctx, "iptables: bad %s '%s'", key,
		    diag_quote(q, sizeof q, v));
	if (col != EV_EXTRA)
		event_set_checked(ctx->ev, col, v);
	return LINE_USED;
}

/* Fills the event from the kernel's fields (msg from their start on). */
static enum line_result
ipt_fill(struct parse_ctx *ctx, struct slice prefix, struct slice fields)
{
	struct event *ev = ctx->ev;
	struct ipt_fields fl;
	struct slice action;
	char q[200];

	fl.have = 0;
	fl.arp = 0;
	fl.nflags = 0;
	scan_fields(fields, &fl);
	if (set_addr(ctx, EV_SRC_IP, "SRC", fl.have >> K_SRC & 1,
	    field(&fl, K_SRC)) != LINE_USED ||
	    set_addr(ctx, EV_DST_IP, "DST", fl.have >> K_DST & 1,
	    field(&fl, K_DST)) != LINE_USED)
		return LINE_REJECTED;
	if (fl.have & 1U << K_PROTO) {
		if (fmt_set_proto(ev, fl.v[K_PROTO]) != 0)
			return fmt_reject(ctx, "iptables: bad PROTO '%s'",
			    diag_quote(q, sizeof q, fl.v[K_PROTO]));
	} else if (fl.arp) {
		event_set_checked(ev, EV_PROTO, SLICE_LIT("arp"));
	} else {
		return fmt_reject(ctx, "iptables: no PROTO= field");
	}
	if (set_number(ctx, EV_SRC_PORT, "SPT", field(&fl, K_SPT), 65535) !=
	    LINE_USED ||
	    set_number(ctx, EV_DST_PORT, "DPT", field(&fl, K_DPT), 65535) !=
	    LINE_USED ||
	    set_number(ctx, EV_EXTRA, "LEN", field(&fl, K_LEN), UINT32_MAX) !=
	    LINE_USED ||
	    set_number(ctx, EV_EXTRA, "TYPE", field(&fl, K_TYPE), 255) !=
	    LINE_USED ||
	    set_number(ctx, EV_EXTRA, "CODE", field(&fl, K_CODE), 255) !=
	    LINE_USED)
		return LINE_REJECTED;

	event_set_checked(ev, EV_LOG, SLICE_LIT("firewall"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("iptables"));
	action = prefix_action(prefix);
	if (action.n)
		event_set_checked(ev, EV_ACTION, action);
	if (prefix.n)
		event_add_extra(ev, "prefix", prefix);
	if (field(&fl, K_IN).n)
		event_add_extra(ev, "in", fl.v[K_IN]);
	if (field(&fl, K_OUT).n)
		event_add_extra(ev, "out", fl.v[K_OUT]);
	if (field(&fl, K_PHYSIN).n)
		event_add_extra(ev, "physin", fl.v[K_PHYSIN]);
	if (field(&fl, K_PHYSOUT).n)
		event_add_extra(ev, "physout", fl.v[K_PHYSOUT]);
	/* Numbers set_number took, and flag names: nothing to escape. */
	if (field(&fl, K_LEN).n)
		event_add_extra_checked(ev, "len", fl.v[K_LEN]);
	if (fl.nflags)
		event_add_extra_checked(ev, "flags", event_keep(ev, fl.flags,
		    fl.nflags));
	if (field(&fl, K_TYPE).n)
		event_add_extra_checked(ev, "icmp_type", fl.v[K_TYPE]);
	if (field(&fl, K_CODE).n)
		event_add_extra_checked(ev, "icmp_code", fl.v[K_CODE]);
	return LINE_USED;
}

/*
 * Proxmox VE's pve-firewall.log: "VMID LEVEL CHAIN dd/Mon/yyyy:HH:MM:SS
 * +hhmm MSG". Fills the time and returns MSG, or -1 when line is not so.
 */
static int
pve_header(struct slice line, struct event *ev, struct slice *chain,
    struct slice *msg)
{
	struct slice rest = line, vmid, level, name, ts, zone;
	int d, y, h, mi, s, zh, zm, mo;
	int64_t t;
	uint64_t v;

	vmid = slice_next_word(&rest);
	level = slice_next_word(&rest);
	name = slice_next_word(&rest);
	ts = slice_next_word(&rest);
	zone = slice_next_word(&rest);
	if (num_parse_u64(vmid, UINT32_MAX, &v) != 0 ||
	    num_parse_u64(level, 7, &v) != 0 || name.n == 0 ||
	    ts.n != 20 || zone.n != 5 || ts.p[2] != '/' || ts.p[6] != '/' ||
	    ts.p[11] != ':' || ts.p[14] != ':' || ts.p[17] != ':' ||
	    (zone.p[0] != '+' && zone.p[0] != '-'))
		return -1;
	if ((mo = time_month_from_abbr(slice_make(ts.p + 3, 3))) == 0 ||
	    num_parse_digits(ts.p, 2, &d) || num_parse_digits(ts.p + 7, 4, &y) ||
	    num_parse_digits(ts.p + 12, 2, &h) ||
	    num_parse_digits(ts.p + 15, 2, &mi) ||
	    num_parse_digits(ts.p + 18, 2, &s) ||
	    num_parse_digits(zone.p + 1, 2, &zh) ||
	    num_parse_digits(zone.p + 3, 2, &zm) || zh > 23 || zm > 59 ||
	    (t = time_utc_seconds(y, mo, d, h, mi, s)) < 0)
		return -1;
	t -= (zone.p[0] == '+' ? 1 : -1) * (int64_t)(zh * 3600 + zm * 60);
	ev->ts_ms = t * 1000;
	ev->has_ts = 1;
	*chain = name;
	*msg = slice_from(rest, 1);
	return 0;
}

static enum line_result
ipt_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct envelope_year *ey = state;
	struct event *ev = ctx->ev;
	struct envelope env;
	struct slice msg, chain = SLICE_NONE;
	enum line_result r;
	char q[200];
	long at;

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (envelope_parse(line, ey, &env) == 0) {
		/*
		 * Only the kernel writes LOG lines. Other programs log text
		 * that remote clients chose (sshd: "Invalid user ACCEPT IN=a
		 * OUT=b SRC=..."), which must not pass for a packet.
		 */
		if (!slice_eq(env.tag, "kernel"))
			return LINE_SKIPPED;
		msg = env.msg;
		ev->ts_ms = env.ts_ms;
		ev->has_ts = env.has_ts;
		if (env.host.n)
			ev->f[EV_DEVICE] = env.host;
	} else if (pve_header(line, ev, &chain, &msg) == 0) {
		;
	} else if (strcmp(env.err, ENVELOPE_NONE) == 0 &&
	    log_start(line) >= 0) {
		/*
		 * Bare, as dmesg or journalctl -o cat show it; not a line whose
		 * header is there but broken (a bad date, say).
		 */
		msg = line;
	} else {
		return fmt_reject(ctx, "iptables: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	}
	if ((at = log_start(msg)) < 0)
		return LINE_SKIPPED;	/* another message of the same log */
	r = ipt_fill(ctx, log_prefix(slice_make(msg.p, (size_t)at)),
	    slice_from(msg, (size_t)at));
	if (r != LINE_USED)
		return r;
	if (chain.n)
		event_add_extra(ev, "chain", chain);
	return fmt_emit(ctx);
}

/*
 * Whether line holds a kernel LOG line: IN=/OUT=, SRC=, DST=, PROTO=,
 * bare or in a syslog message of the kernel.
 */
static int
is_log_line(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;
	long at;

	envelope_year_init(&ey, 2000, 0);
	if (envelope_parse(line, &ey, &env) == 0) {
		if (!slice_eq(env.tag, "kernel"))
			return 0;
		line = env.msg;
	}
	at = log_start(line);

	return at >= 0 && find_str(line, (size_t)at, "SRC=") >= 0 &&
	    find_str(line, (size_t)at, "DST=") >= 0 &&
	    find_str(line, (size_t)at, "PROTO=") >= 0;
}

static int
ipt_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_log_line);
}

const struct fmt fmt_iptables = {
	.name = "iptables",
	.log = "firewall",
	.summary = "Linux netfilter LOG lines (iptables, nftables, ufw) in syslog",
	.sniff = ipt_sniff,
	.line = ipt_line,
	ENVELOPE_YEAR_STATE,
};
