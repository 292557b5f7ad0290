/*
 * fmt_zeek_conn.c: Zeek (Bro) conn.log, one record per connection (TCP,
 * UDP or ICMP flow) Zeek saw on the wire, read as a firewall log: the
 * zeek-conn format (the ASCII/TSV writer's form, columns taken by name
 * from each header block's #fields through zeek.c) and the conn mapping
 * that zeek-json uses for conn records too. Zeek observes traffic and
 * enforces nothing, so the action column stays empty, except for the one
 * state that says the connection was refused: "REJ" (the SYN was answered
 * by a RST) is a "deny". S0 (no answer at all) may be a silent drop, or a
 * host that is down, so it stays unknown; the state itself is in extra.
 * orig_bytes and resp_bytes are payload bytes, from the originator's view
 * "out" and "in". For ICMP, Zeek writes the message type in id.orig_p and,
 * in id.resp_p, what its documentation calls the code but what is in
 * practice the type of the counterpart message (135 -> 136, 8 -> 0):
 * neither is a port, so they go to extra as icmp_type and icmp_resp_p.
 */
#include "fmt.h"
#include "num.h"
#include "zeek_view.h"

enum zc_col {
	ZC_UID = ZEEK_VIEW_UID, ZC_PROTO = ZEEK_VIEW_NID, ZC_SERVICE,
	ZC_DURATION, ZC_ORIG_BYTES, ZC_RESP_BYTES, ZC_CONN_STATE,
	ZC_LOCAL_ORIG, ZC_LOCAL_RESP, ZC_MISSED_BYTES, ZC_HISTORY,
	ZC_ORIG_IP_BYTES, ZC_RESP_IP_BYTES, ZC_NCOLS
};

static const char *const zc_names[ZC_NCOLS] = {
	ZEEK_VIEW_ID_NAMES, "proto", "service", "duration",
	"orig_bytes", "resp_bytes", "conn_state", "local_orig",
	"local_resp", "missed_bytes", "history", "orig_ip_bytes",
	"resp_ip_bytes"
};

/* Without #path, these columns mark the log. */
static const char *const zc_sniff_cols[] = {
	"id.orig_h", "conn_state", "history", NULL
};

static enum line_result zeek_conn_map(const struct zeek_view_rec *r,
    struct parse_ctx *ctx);

const struct zeek_view_spec fmt_zeek_conn_spec = {
	.fmt = "zeek-conn",
	.kind = "conn",
	.key = "conn_state",
	.key_always = 0,
	.not_kind = "not a conn log",
	.names = zc_names,
	.ncols = ZC_NCOLS,
	.sniff_cols = zc_sniff_cols,
	.map = zeek_conn_map,
};

static int
zeek_conn_sniff(const struct slice *lines, int n)
{
	return zeek_view_sniff(&fmt_zeek_conn_spec, lines, n);
}

static void *
zeek_conn_open(struct parse_ctx *ctx)
{
	return zeek_view_open(&fmt_zeek_conn_spec, ctx);
}

/*
 * Checks that field c, when it holds a value, is a count up to max and
 * returns it in *v (0 when unset); -1 when it holds something else.
 */
static int
get_count(const struct zeek_view_rec *r, enum zc_col c, uint64_t max,
    struct slice *v)
{
	uint64_t n;

	*v = SLICE_NONE;
	if (!zeek_view_has(r, c))
		return 0;
	*v = r->val[c];
	return num_parse_u64(*v, max, &n);
}

/*
 * Sets the proto column from Zeek's transport enum ("tcp", "udp", "icmp",
 * "unknown_transport"): kept when it is lower-case letters and digits.
 * Returns -1 otherwise.
 */
static int
set_proto(const struct zeek_view_rec *r, struct event *ev)
{
	struct slice v;
	size_t i;

	if (!zeek_view_has(r, ZC_PROTO))
		return 0;
	v = r->val[ZC_PROTO];
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
zeek_conn_map(const struct zeek_view_rec *r, struct parse_ctx *ctx)
{
	static const struct {
		enum zc_col c;
		enum ev_col ec;
	} counts[] = {
		{ ZC_ORIG_BYTES, EV_BYTES_OUT }, { ZC_RESP_BYTES, EV_BYTES_IN }
	};
	struct event *ev = ctx->ev;
	struct slice sport, dport, v, st;
	int64_t ms;
	size_t i;

	if (set_proto(r, ev) != 0)
		return zeek_view_bad(r, ctx, ZC_PROTO);
	for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
		if (zeek_view_count(r, ev, counts[i].c, counts[i].ec,
		    UINT64_MAX) != 0)
			return zeek_view_bad(r, ctx, counts[i].c);
	if (zeek_view_has(r, ZC_DURATION)) {
		if (zeek_time_ms(r->val[ZC_DURATION], &ms) != 0)
			return zeek_view_bad(r, ctx, ZC_DURATION);
		event_set_u64(ev, EV_DURATION_MS, (uint64_t)ms);
	}

	ev->f[EV_LOG] = SLICE_LIT("firewall");
	if (slice_has_prefix(ev->f[EV_PROTO], "icmp")) {
		/* ICMP type and counterpart type, checked counts: no ports */
		sport = ev->f[EV_SRC_PORT];
		dport = ev->f[EV_DST_PORT];
		ev->f[EV_SRC_PORT] = ev->f[EV_DST_PORT] = SLICE_NONE;
		if (sport.n)
			event_add_extra_checked(ev, "icmp_type", sport);
		if (dport.n)
			event_add_extra_checked(ev, "icmp_resp_p", dport);
	}
	/* Only a refused connection says something about a policy. */
	st = zeek_view_str(r, ZC_CONN_STATE, ev);
	if (slice_eq(st, "REJ"))
		event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	zeek_view_extra(r, ev, ZC_UID, "uid");
	zeek_view_extra(r, ev, ZC_SERVICE, "service");
	if (st.n)
		event_add_extra(ev, "conn_state", st);
	zeek_view_extra(r, ev, ZC_HISTORY, "history");
	zeek_view_extra(r, ev, ZC_LOCAL_ORIG, "local_orig");
	zeek_view_extra(r, ev, ZC_LOCAL_RESP, "local_resp");
	zeek_view_extra(r, ev, ZC_ORIG_IP_BYTES, "orig_ip_bytes");
	zeek_view_extra(r, ev, ZC_RESP_IP_BYTES, "resp_ip_bytes");
	/* Payload counts are inflated by the bytes Zeek missed: flag it. */
	if (get_count(r, ZC_MISSED_BYTES, UINT64_MAX, &v) == 0 && v.n &&
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
	.line = zeek_view_line,
	.close = zeek_view_close,
};
