/*
 * fmt_pfsense.c: pfSense's packet filter log, the CSV that its filterlog
 * program writes to syslog (RFC 3164 or RFC 5424; the host is the device):
 *   Nov 25 17:06:35 pfsense filterlog[4242]: 5,,,1000103483,igb1,match,
 *   block,in,4,0x0,,63,17522,0,DF,6,tcp,60,10.1.20.35,203.0.113.50,51514,
 *   8443,0,S,1960648610,,64240,,mss;sackOK;TS;nop;wscale
 * Netgate's "Raw Filter Log Format" (research/formats.md section 2.5):
 * rule, sub-rule, anchor, tracker, interface, reason, action, direction
 * and IP version; then for IPv4 tos, ecn, ttl, id, offset, flags, protocol
 * id, protocol text, and for IPv6 class, flow label, hop limit, protocol
 * text, protocol id (the order swapped); then length, source, destination;
 * then for TCP and UDP the ports and data length, TCP adding flags and
 * sequence numbers, for ICMP the type. Fields are split with libcsv.
 * Other programs' messages in the same syslog file are skipped. Year
 * inference of the syslog stamps is the only state carried between
 * lines (fmt.h carry).
 */
#include <stdint.h>
#include <string.h>
#include "csvrow.h"
#include "envelope.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"


/* Common field positions. */
enum {
	PFS_RULE = 0, PFS_TRACKER = 3, PFS_IFACE = 4, PFS_REASON = 5,
	PFS_ACTION = 6, PFS_DIR = 7, PFS_IPVER = 8
};


/* Sets an address column, or rejects. */
static enum line_result
pfs_addr(struct parse_ctx *ctx, enum ev_col col, const char *key,
    struct slice v)
{
	char q[200];

	if (fmt_set_addr(ctx->ev, col, v) != 0)
		return fmt_reject(ctx, "pfsense: bad %s address '%s'", key,
		    diag_quote(q, sizeof q, v));
	return LINE_USED;
}

/* Checks that v is a number up to max; sets col unless EV_EXTRA. */
static enum line_result
pfs_num(struct parse_ctx *ctx, enum ev_col col, const char *key,
    struct slice v, uint64_t max)
{
	uint64_t n;
	char q[200];

	if (num_parse_u64(v, max, &n) != 0)
		return fmt_reject(ctx, "pfsense: bad %s '%s'", key,
		    diag_quote(q, sizeof q, v));
	if (col != EV_EXTRA)
		event_set_checked(ctx->ev, col, v);
	return LINE_USED;
}

/* Sets proto from the protocol text ("tcp", "TCP", "ICMPv6"), lowered. */
static enum line_result
pfs_proto(struct parse_ctx *ctx, struct slice v)
{
	char q[200];

	if (fmt_set_proto(ctx->ev, v) != 0)
		return fmt_reject(ctx, "pfsense: bad protocol '%s'",
		    diag_quote(q, sizeof q, v));
	return LINE_USED;
}

/* Adds extra key=v when v is not empty. */
static void
pfs_extra(struct event *ev, const char *key, struct slice v)
{
	if (v.n)
		event_add_extra(ev, key, v);
}

/* Fills the event from the record in row. */
static enum line_result
pfs_fill(struct parse_ctx *ctx, const struct csvrow *row)
{
	struct event *ev = ctx->ev;
	const struct slice *f = row->f;
	struct slice action = f[PFS_ACTION], proto;
	char q[200];
	int at, n = row->n;

	/* After the version: where length, src and dst are, the protocol. */
	if (slice_eq(f[PFS_IPVER], "4")) {
		if (n < 20)
			return fmt_reject(ctx, "pfsense: %d fields, too few "
			    "for ipv4", n);
		if (pfs_num(ctx, EV_EXTRA, "protocol id", f[15], 255) !=
		    LINE_USED)
			return LINE_REJECTED;
		proto = f[16];
		at = 17;
	} else if (slice_eq(f[PFS_IPVER], "6")) {
		if (n < 17)
			return fmt_reject(ctx, "pfsense: %d fields, too few "
			    "for ipv6", n);
		if (pfs_num(ctx, EV_EXTRA, "protocol id", f[13], 255) !=
		    LINE_USED)
			return LINE_REJECTED;
		proto = f[12];
		at = 14;
	} else {
		return fmt_reject(ctx, "pfsense: bad ip version '%s'",
		    diag_quote(q, sizeof q, f[PFS_IPVER]));
	}
	if (pfs_num(ctx, EV_EXTRA, "length", f[at], UINT32_MAX) !=
	    LINE_USED ||
	    pfs_addr(ctx, EV_SRC_IP, "source", f[at + 1]) != LINE_USED ||
	    pfs_addr(ctx, EV_DST_IP, "destination", f[at + 2]) !=
	    LINE_USED || pfs_proto(ctx, proto) != LINE_USED)
		return LINE_REJECTED;
	at += 3;
	proto = ev->f[EV_PROTO];
	if (slice_eq(proto, "tcp") || slice_eq(proto, "udp")) {
		if (n < at + 2)
			return fmt_reject(ctx, "pfsense: no ports");
		if (pfs_num(ctx, EV_SRC_PORT, "source port", f[at], 65535) !=
		    LINE_USED || pfs_num(ctx, EV_DST_PORT, "destination port",
		    f[at + 1], 65535) != LINE_USED)
			return LINE_REJECTED;
		if (slice_eq(proto, "tcp") && n > at + 3)
			pfs_extra(ev, "flags", f[at + 3]);
	} else if (slice_has_prefix(proto, "icmp") && n > at) {
		pfs_extra(ev, "icmp_type", f[at]);
	}

	event_set_checked(ev, EV_LOG, SLICE_LIT("firewall"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("pfsense"));
	if (slice_eq(action, "pass"))
		event_set_checked(ev, EV_ACTION, SLICE_LIT("allow"));
	else if (slice_eq(action, "block") || slice_eq(action, "reject"))
		event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	else
		return fmt_reject(ctx, "pfsense: bad action '%s'",
		    diag_quote(q, sizeof q, action));
	if (slice_eq(action, "reject"))
		pfs_extra(ev, "pf_action", action);
	pfs_extra(ev, "rule", f[PFS_RULE]);
	pfs_extra(ev, "tracker", f[PFS_TRACKER]);
	pfs_extra(ev, "iface", f[PFS_IFACE]);
	pfs_extra(ev, "dir", f[PFS_DIR]);
	pfs_extra(ev, "reason", f[PFS_REASON]);
	event_add_extra_checked(ev, "len", f[at - 3]);
	return LINE_USED;
}

static enum line_result
pfs_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct csvrow_input *st = state;
	struct event *ev = ctx->ev;
	struct envelope env;
	const char *why;
	char q[200];

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (envelope_parse(line, &st->ey, &env) != 0)
		return fmt_reject(ctx, "pfsense: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	if (!slice_eq(env.tag, "filterlog"))
		return LINE_SKIPPED;	/* another program's message */
	ev->ts_ms = env.ts_ms;
	ev->has_ts = env.has_ts;
	if (env.host.n)
		ev->f[EV_DEVICE] = env.host;
	if (csvrow_split(&st->row, env.msg, &why) != 0)
		return fmt_reject(ctx, "pfsense: %s", why);
	if (st->row.n <= PFS_IPVER)
		return fmt_reject(ctx, "pfsense: too few fields '%s'",
		    diag_quote(q, sizeof q, env.msg));
	if (pfs_fill(ctx, &st->row) != LINE_USED)
		return LINE_REJECTED;
	return fmt_emit(ctx);
}

/* Whether msg holds ",in,4," and the like: the direction and version. */
static int
pfs_looks(struct slice msg)
{
	static const char *const dv[] = { ",in,4,", ",in,6,", ",out,4,",
	    ",out,6," };
	size_t i;

	for (i = 0; i < sizeof dv / sizeof dv[0]; i++)
		if (memmem(msg.p, msg.n, dv[i], strlen(dv[i])) != NULL)
			return 1;
	return 0;
}

/* Whether line is a filterlog record in a syslog envelope. */
static int
pfs_is_record(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;

	envelope_year_init(&ey, 2000, 0);
	return envelope_parse(line, &ey, &env) == 0 &&
	    slice_eq(env.tag, "filterlog") && pfs_looks(env.msg);
}

static int
pfs_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, pfs_is_record);
}

const struct fmt fmt_pfsense = {
	.name = "pfsense",
	.log = "firewall",
	.summary = "pfSense filterlog CSV (IPv4 and IPv6) in syslog",
	.sniff = pfs_sniff,
	.line = pfs_line,
	CSVROW_INPUT_STATE,
};
