/*
 * fmt_zeek_conn.c: Zeek (Bro) conn.log in the ASCII/TSV writer's form, one
 * line per connection (TCP, UDP or ICMP flow) Zeek saw on the wire, read
 * as a firewall log. Columns are taken by name from each header block's
 * #fields, through the shared reader in zeek.c. Zeek observes traffic and
 * enforces nothing, so the action column stays empty, except for the one
 * state that says the connection was refused: "REJ" (the SYN was answered
 * by a RST) is a "deny". S0 (no answer at all) may be a silent drop, or a
 * host that is down, so it stays unknown; the state itself is in extra.
 * orig_bytes and resp_bytes are payload bytes, from the originator's view
 * "out" and "in". For ICMP, Zeek writes the message type in id.orig_p
 * and, in id.resp_p, what its documentation calls the code but what is
 * in practice the type of the counterpart message (135 -> 136, 8 -> 0):
 * neither is a port, so they go to extra as icmp_type and icmp_resp_p.
 */
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "zeek_view.h"

enum zc_col {
	ZC_TS, ZC_UID, ZC_ORIG_H, ZC_ORIG_P, ZC_RESP_H, ZC_RESP_P, ZC_PROTO,
	ZC_SERVICE, ZC_DURATION, ZC_ORIG_BYTES, ZC_RESP_BYTES, ZC_CONN_STATE,
	ZC_LOCAL_ORIG, ZC_LOCAL_RESP, ZC_MISSED_BYTES, ZC_HISTORY,
	ZC_ORIG_IP_BYTES, ZC_RESP_IP_BYTES, ZC_NCOLS
};

static const char *const zc_names[ZC_NCOLS] = {
	"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
	"proto", "service", "duration", "orig_bytes", "resp_bytes",
	"conn_state", "local_orig", "local_resp", "missed_bytes", "history",
	"orig_ip_bytes", "resp_ip_bytes"
};

/* Without #path, these columns mark the log. */
static const char *const zc_sniff_cols[] = {
	"id.orig_h", "conn_state", "history", NULL
};

static const struct zeek_view_spec zc_spec = {
	.fmt = "zeek-conn",
	.kind = "conn",
	.key = "conn_state",
	.key_always = 0,
	.not_kind = "not a conn log",
	.names = zc_names,
	.ncols = ZC_NCOLS,
	.sniff_cols = zc_sniff_cols,
};

static int
zeek_conn_sniff(const struct slice *lines, int n)
{
	return zeek_view_sniff(&zc_spec, lines, n);
}

static void *
zeek_conn_open(struct parse_ctx *ctx)
{
	return zeek_view_open(&zc_spec, ctx);
}

/*
 * Checks that column c, when it holds a value, is a count up to max and
 * returns it in *v (0 when unset); -1 when it holds something else.
 */
static int
get_count(struct zeek_view *s, enum zc_col c, uint64_t max, struct slice *v)
{
	uint64_t n;

	*v = SLICE_NONE;
	if (zeek_kind(&s->z, s->col[c]) != ZEEK_VALUE)
		return 0;
	*v = s->z.val[s->col[c]];
	return num_parse_u64(*v, max, &n);
}

/*
 * Sets the proto column from Zeek's transport enum ("tcp", "udp", "icmp",
 * "unknown_transport"): kept when it is lower-case letters and digits.
 * Returns -1 otherwise.
 */
static int
set_proto(struct zeek_view *s, struct event *ev)
{
	struct slice v;
	size_t i;

	if (zeek_kind(&s->z, s->col[ZC_PROTO]) != ZEEK_VALUE)
		return 0;
	v = s->z.val[s->col[ZC_PROTO]];
	if (v.n > 32)
		return -1;
	for (i = 0; i < v.n; i++)
		if (!((v.p[i] >= 'a' && v.p[i] <= 'z') ||
		    (v.p[i] >= '0' && v.p[i] <= '9') || v.p[i] == '_'))
			return -1;
	event_set_checked(ev, EV_PROTO, v);
	return 0;
}

static enum line_result
zeek_conn_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	static const struct {
		enum zc_col c;
		enum ev_col ec;
	} counts[] = {
		{ ZC_ORIG_BYTES, EV_BYTES_OUT }, { ZC_RESP_BYTES, EV_BYTES_IN }
	};
	struct zeek_view *s = state;
	struct event *ev = ctx->ev;
	struct slice sport, dport, v, st;
	enum line_result r;
	int64_t ms;
	size_t i;
	int icmp;

	switch (zeek_read(&s->z, line)) {
	case ZEEK_META:
		return LINE_SKIPPED;
	case ZEEK_BAD:
		return fmt_reject(ctx, "zeek-conn: %s", s->z.why);
	case ZEEK_DATA:
		break;
	}
	if ((r = zeek_view_check(s, ctx)) != LINE_USED)
		return r;
	if (zeek_kind(&s->z, s->col[ZC_TS]) != ZEEK_VALUE ||
	    zeek_time_ms(s->z.val[s->col[ZC_TS]], &ev->ts_ms) != 0)
		return zeek_view_bad(s, ctx, ZC_TS);
	ev->has_ts = 1;
	if (zeek_view_addr(s, ev, ZC_ORIG_H, EV_SRC_IP) != 0)
		return zeek_view_bad(s, ctx, ZC_ORIG_H);
	if (get_count(s, ZC_ORIG_P, 65535, &sport) != 0)
		return zeek_view_bad(s, ctx, ZC_ORIG_P);
	if (zeek_view_addr(s, ev, ZC_RESP_H, EV_DST_IP) != 0)
		return zeek_view_bad(s, ctx, ZC_RESP_H);
	if (get_count(s, ZC_RESP_P, 65535, &dport) != 0)
		return zeek_view_bad(s, ctx, ZC_RESP_P);
	if (set_proto(s, ev) != 0)
		return zeek_view_bad(s, ctx, ZC_PROTO);
	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		if (get_count(s, counts[i].c, UINT64_MAX, &v) != 0)
			return zeek_view_bad(s, ctx, counts[i].c);
		if (v.n)
			event_set_checked(ev, counts[i].ec, v);
	}
	if (zeek_kind(&s->z, s->col[ZC_DURATION]) == ZEEK_VALUE) {
		if (zeek_time_ms(s->z.val[s->col[ZC_DURATION]], &ms) != 0)
			return zeek_view_bad(s, ctx, ZC_DURATION);
		event_set_u64(ev, EV_DURATION_MS, (uint64_t)ms);
	}

	ev->f[EV_LOG] = SLICE_LIT("firewall");
	ev->f[EV_FORMAT] = SLICE_LIT("zeek-conn");
	icmp = slice_has_prefix(ev->f[EV_PROTO], "icmp");
	if (icmp) {
		if (sport.n)
			event_add_extra_checked(ev, "icmp_type", sport);
		if (dport.n)
			event_add_extra_checked(ev, "icmp_resp_p", dport);
	} else {
		if (sport.n)
			event_set_checked(ev, EV_SRC_PORT, sport);
		if (dport.n)
			event_set_checked(ev, EV_DST_PORT, dport);
	}
	/* Only a refused connection says something about a policy. */
	st = zeek_str(&s->z, s->col[ZC_CONN_STATE], ev);
	if (slice_eq(st, "REJ"))
		event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	zeek_view_extra(s, ev, ZC_UID, "uid");
	zeek_view_extra(s, ev, ZC_SERVICE, "service");
	if (st.n)
		event_add_extra(ev, "conn_state", st);
	zeek_view_extra(s, ev, ZC_HISTORY, "history");
	zeek_view_extra(s, ev, ZC_LOCAL_ORIG, "local_orig");
	zeek_view_extra(s, ev, ZC_LOCAL_RESP, "local_resp");
	zeek_view_extra(s, ev, ZC_ORIG_IP_BYTES, "orig_ip_bytes");
	zeek_view_extra(s, ev, ZC_RESP_IP_BYTES, "resp_ip_bytes");
	/* Payload counts are inflated by the bytes Zeek missed: flag it. */
	if (get_count(s, ZC_MISSED_BYTES, UINT64_MAX, &v) == 0 && v.n &&
	    !slice_eq(v, "0"))
		event_add_extra_checked(ev, "missed_bytes", v);
	return fmt_emit(ctx);
}

const struct fmt fmt_zeek_conn = {
	.name = "zeek-conn",
	.log = "firewall",
	.summary = "Zeek/Bro conn.log (TSV with #fields header)",
	.sniff = zeek_conn_sniff,
	.open = zeek_conn_open,
	.line = zeek_conn_line,
	.close = zeek_view_close,
};
