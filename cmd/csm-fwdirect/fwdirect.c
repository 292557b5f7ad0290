/*
 * fwdirect.c: csm-fwdirect's per-event work on firewall events. An
 * internal source that is neither a proxy nor an egress exception and
 * talks to an external address bypassed the proxy (guideline 19.1.2,
 * firewall item 1); traffic between internal hosts that [flows] does not
 * permit is lateral (item 2). Both are counted per (source, destination,
 * protocol and port, action): a denied attempt is evidence too. Internal
 * hosts in no segment are counted once each, for the operator to fix.
 * Events whose ends may be the wrong way round (direction=unknown in
 * extra) or that lack an address at one end are no flow and are only
 * counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "extra.h"
#include "finding.h"
#include "findsplit.h"
#include "fwdirect.h"
#include "ipaddr.h"
#include "num.h"

const char *const fwdirect_columns[FW_NCOLS] = {
	"log", "src_ip", "dst_ip", "dst_port", "proto", "action",
	"bytes_out", "bytes_in", "origin", "extra"
};

enum fw_rule { RULE_BYPASS, RULE_LATERAL };
static const char *const rule_names[] = { "proxy-bypass", "lateral" };

/* Ports of remote administration and file sharing between Windows hosts. */
static int
lateral_port(int port)
{
	switch (port) {
	case 22: case 23: case 135: case 139: case 445: case 3389:
	case 5900: case 5985: case 5986:
		return 1;
	}
	return 0;
}

/* Appends s to key at *n (cap bytes), then a TAB unless last. */
static void
key_put(char *key, size_t *n, size_t cap, struct slice s, int last)
{
	size_t k = s.n < cap - *n - 1 ? s.n : cap - *n - 1;

	memcpy(key + *n, s.p, k);
	*n += k;
	if (!last)
		key[(*n)++] = '\t';
}

static int
count(struct fwdirect *fw, struct agg *a, const char *key, size_t n,
    const struct evrow *row, uint64_t flags)
{
	struct agg_entry *e = agg_get(a, slice_make(key, n));

	if (e == NULL || agg_add(e, row->ts_ms, num_field_u64(evrow_get(row,
	    FW_BYTES_OUT)) + num_field_u64(evrow_get(row, FW_BYTES_IN)),
	    evrow_get(row, FW_ORIGIN)) != 0) {
		fw->oom = 1;
		return -1;
	}
	e->flags = flags;
	return 0;
}

/* Notes an internal host in no segment (once per host, counted). */
static int
note_unknown(struct fwdirect *fw, struct slice host, const struct evrow *row)
{
	return count(fw, &fw->unknown, host.p, host.n, row, 0);
}

enum line_result
fwdirect_event(void *arg, struct evrow *row)
{
	struct fwdirect *fw = arg;
	struct slice src = evrow_get(row, FW_SRC_IP);
	struct slice dst = evrow_get(row, FW_DST_IP);
	struct slice port = evrow_get(row, FW_DST_PORT);
	struct slice proto = evrow_get(row, FW_PROTO);
	struct slice action = evrow_get(row, FW_ACTION);
	struct ipaddr sip, dip;
	char key[600], q[80], stext[IPADDR_TEXT_MAX], dtext[IPADDR_TEXT_MAX];
	uint64_t pv = 0;
	size_t n = 0;
	int rule, from, to, portnum = -1;

	if (!slice_eq(evrow_get(row, FW_LOG), "firewall"))
		return LINE_SKIPPED;
	/*
	 * A firewall's login events (FortiGate VPN and admin logins) have a
	 * source only, and an ASA logs an end of a "names" object by name
	 * (dst_host, src_name): no address, no segment, no flow to judge.
	 */
	if (src.n == 0 || dst.n == 0) {
		fw->addrless++;
		return LINE_SKIPPED;
	}
	/* An empty ts reads as INT64_MIN: no time a finding can show. */
	if (row->ts_ms == INT64_MIN) {
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	}
	if (ip_parse(src, &sip) != 0) {
		snprintf(row->reason, sizeof row->reason, "bad src_ip '%s'",
		    diag_quote(q, sizeof q, src));
		return LINE_REJECTED;
	}
	if (ip_parse(dst, &dip) != 0) {
		snprintf(row->reason, sizeof row->reason, "bad dst_ip '%s'",
		    diag_quote(q, sizeof q, dst));
		return LINE_REJECTED;
	}
	/* One address, one text: "FD00:1::5" is fd00:1::5. */
	src = slice_make(stext, ip_format(stext, &sip));
	dst = slice_make(dtext, ip_format(dtext, &dip));
	if (port.n > 0) {
		if (num_parse_u64(port, 65535, &pv) != 0) {
			snprintf(row->reason, sizeof row->reason,
			    "bad dst_port '%s'", diag_quote(q, sizeof q, port));
			return LINE_REJECTED;
		}
		portnum = (int)pv;
	}
	/*
	 * The ends of a teardown or of a packet of no connection are in
	 * the log's order, not the initiator's: the server's answer would
	 * pass for a connection from it to the client's port.
	 */
	if (slice_eq(extra_get(evrow_get(row, FW_EXTRA), "direction"),
	    "unknown")) {
		fw->undirected++;
		return LINE_SKIPPED;
	}
	if (!config_is_internal(fw->cfg, &sip)) {
		fw->inbound++;
		return LINE_SKIPPED;	/* from outside: not this check's */
	}
	if (!config_is_internal(fw->cfg, &dip)) {
		if (fw->no_bypass || config_is_proxy(fw->cfg, &sip))
			return LINE_SKIPPED;
		if (config_egress_label(fw->cfg, &sip) != NULL) {
			fw->egress++;
			return LINE_SKIPPED;
		}
		rule = RULE_BYPASS;
	} else {
		if (fw->no_lateral)
			return LINE_SKIPPED;
		from = config_segment_of(fw->cfg, &sip);
		to = config_segment_of(fw->cfg, &dip);
		if ((from == CONFIG_NO_SEGMENT && note_unknown(fw, src, row)) ||
		    (to == CONFIG_NO_SEGMENT && note_unknown(fw, dst, row)))
			goto oom;
		if (config_flow_permitted(fw->cfg, from, to, proto, portnum))
			return LINE_SKIPPED;
		rule = RULE_LATERAL;
	}
	key_put(key, &n, sizeof key, slice_cstr(rule_names[rule]), 0);
	key_put(key, &n, sizeof key, src, 0);
	key_put(key, &n, sizeof key, dst, 0);
	key_put(key, &n, sizeof key, proto, 0);
	key_put(key, &n, sizeof key, port, 0);
	key_put(key, &n, sizeof key, action.n ? action : slice_cstr("-"), 1);
	if (count(fw, &fw->flows, key, n, row, (uint64_t)rule) != 0)
		goto oom;
	return LINE_USED;
oom:
	snprintf(row->reason, sizeof row->reason, "out of memory");
	return LINE_REJECTED;
}

/* "segment NAME" of the address in s, or "a host in no segment". */
static const char *
segment_name(const struct fwdirect *fw, struct slice s, char *buf,
    size_t cap)
{
	struct ipaddr ip;
	const char *name = NULL;

	if (ip_parse(s, &ip) == 0)
		name = config_segment_name(fw->cfg,
		    config_segment_of(fw->cfg, &ip));
	if (name == NULL)
		return "a host in no segment";
	snprintf(buf, cap, "segment %s", name);
	return buf;
}

/* Fills the columns of a flow finding from its key. */
static void
flow_finding(const struct fwdirect *fw, const struct agg_entry *e,
    struct finding *fd, char *dst, char *why, size_t cap)
{
	struct slice src = agg_key_field(e, 1), dip = agg_key_field(e, 2);
	struct slice proto = agg_key_field(e, 3), port = agg_key_field(e, 4);
	struct slice action = agg_key_field(e, 5);
	int denied = slice_eq(action, "deny");
	const char *conns = e->count == 1 ? "connection" : "connections";
	char from[96], to[96];
	uint64_t pv = 0;
	int v6 = memchr(dip.p, ':', dip.n) != NULL;

	(void)num_parse_u64(port, 65535, &pv);
	snprintf(dst, cap, "%s%.*s%s%s%.*s%s%.*s", v6 && port.n ? "[" : "",
	    (int)dip.n, dip.p, v6 && port.n ? "]" : "", port.n ? ":" : "",
	    (int)port.n, port.p, proto.n ? "/" : "", (int)proto.n, proto.p);
	if (e->flags == RULE_BYPASS) {
		fd->severity = denied ? 2 : 3;
		fd->score = denied ? 0.5 : 0.8;
		snprintf(why, cap, "%llu %s from an internal host straight to "
		    "the internet, not through a proxy (%s)",
		    (unsigned long long)e->count, conns, denied ? "denied: an "
		    "attempt" : "allowed");
		fd->f[FD_CLAUSE] = slice_cstr("19.1.2 fw-1");
		fd->f[FD_STAGE] = slice_cstr("c2");
	} else {
		int classic = lateral_port((int)pv);

		fd->severity = (classic ? 3 : 2) - denied;
		fd->score = (classic ? 0.8 : 0.6) - (denied ? 0.2 : 0);
		snprintf(why, cap, "%llu %s from %s to %s that no [flows] rule "
		    "permits (%s)%s", (unsigned long long)e->count, conns,
		    segment_name(fw, src, from, sizeof from),
		    segment_name(fw, dip, to, sizeof to), denied ?
		    "denied: an attempt" :
		    "allowed", classic ? "; a port of remote administration or "
		    "file sharing" : "");
		fd->f[FD_CLAUSE] = slice_cstr("19.1.2 fw-2");
		fd->f[FD_STAGE] = slice_cstr("objectives");
	}
	fd->f[FD_RULE] = slice_cstr(rule_names[e->flags]);
}

/* The columns every finding has, from its entry. */
static void
finding_start(struct finding *fd, const struct agg_entry *e)
{
	memset(fd, 0, sizeof *fd);
	fd->ts_ms = e->first_ms;
	fd->ts_last_ms = e->last_ms;
	fd->f[FD_CHECK] = slice_cstr("fwdirect");
	fd->count = e->count;
	fd->bytes = e->bytes;
}

/* Writes a flow's finding; in either thread of findsplit_write. */
static int
write_flow(const void *arg, const struct agg_entry *e, struct outbuf *ob,
    struct time_cache *tc)
{
	char src[300], dst[700], dstraw[700], origin[1100], why[600];
	struct finding fd;

	finding_start(&fd, e);
	fd.f[FD_SRC_IP] = finding_raw(agg_key_field(e, 1), src, sizeof src);
	flow_finding(arg, e, &fd, dst, why, sizeof why);
	fd.f[FD_DST] = finding_raw(slice_cstr(dst), dstraw, sizeof dstraw);
	fd.f[FD_REASON] = slice_cstr(why);
	fd.f[FD_ORIGIN] = finding_raw(slice_cstr(e->origin), origin,
	    sizeof origin);
	finding_write(ob, &fd, tc);
	return 0;
}

/* Writes the finding of a host in no segment; likewise. */
static int
write_unknown(const void *arg, const struct agg_entry *e,
    struct outbuf *ob, struct time_cache *tc)
{
	char src[300], origin[1100];
	struct finding fd;

	(void)arg;
	finding_start(&fd, e);
	fd.f[FD_SRC_IP] = finding_raw(agg_key_field(e, 0), src, sizeof src);
	fd.f[FD_RULE] = slice_cstr("unknown-segment");
	fd.severity = 0;
	fd.f[FD_REASON] = slice_cstr("internal host in no [segment] of the "
	    "configuration: add it, so that its flows can be checked");
	fd.f[FD_CLAUSE] = slice_cstr("19.1.2 fw-2");
	fd.f[FD_ORIGIN] = finding_raw(slice_cstr(e->origin), origin,
	    sizeof origin);
	finding_write(ob, &fd, tc);
	return 0;
}

int
fwdirect_write_findings(struct fwdirect *fw)
{
	finding_write_header(fw->out);
	if (findsplit_write_agg(fw->out, &fw->flows, write_flow, fw) != 0)
		return -1;
	return findsplit_write_agg(fw->out, &fw->unknown, write_unknown, fw);
}
