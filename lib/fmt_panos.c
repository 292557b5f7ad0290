/*
 * fmt_panos.c: Palo Alto Networks PAN-OS TRAFFIC logs, the CSV records a
 * firewall sends to syslog (the envelope's host is the device) or that a
 * CSV export holds bare:
 *   1,2026/11/25 17:06:36,SERIAL,TRAFFIC,end,2561,2026/11/25 17:06:35,src,
 *   dst,natsrc,natdst,rule,srcuser,dstuser,app,vsys,fromzone,tozone,...
 * The first 53 fields have kept their places from PAN-OS 8 to 11; later
 * versions only append (research/formats.md section 2.2). The times are
 * the firewall's local time without an offset (--tz applies), except the
 * High Resolution Timestamp that PAN-OS 10 appends, which carries one and
 * is preferred. THREAT records share the first 31 fields and are mapped
 * as far as those go; other log types (SYSTEM, CONFIG, ...) are skipped.
 * Fields are split with libcsv, because rule names, categories and
 * application characteristics come quoted with commas inside. Year
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
#include "timeconv.h"


/* Field positions (formats.md 2.2). */
enum {
	PF_RECEIVE = 1, PF_TYPE = 3, PF_SUBTYPE = 4, PF_GENERATED = 6,
	PF_SRC = 7, PF_DST = 8, PF_NAT_SRC = 9, PF_NAT_DST = 10, PF_RULE = 11,
	PF_SRC_USER = 12, PF_DST_USER = 13, PF_APP = 14, PF_FROM_ZONE = 16,
	PF_TO_ZONE = 17, PF_SESSION = 22, PF_SPORT = 24, PF_DPORT = 25,
	PF_PROTO = 29, PF_ACTION = 30,
	/* TRAFFIC only */
	PF_BYTES = 31, PF_BYTES_SENT = 32, PF_BYTES_RECV = 33,
	PF_ELAPSED = 36, PF_CATEGORY = 37, PF_DEVICE = 52,
	/* THREAT only */
	PF_URL = 31, PF_THREAT = 32, PF_THREAT_CAT = 33, PF_SEVERITY = 34,
	PF_THREAT_DEVICE = 59,
	/* the fewest fields a record may have */
	PF_TRAFFIC_MIN = 38, PF_THREAT_MIN = 35,
	/* where appended fields (the High Resolution Timestamp) start */
	PF_APPENDED = 60
};


/* Parses "YYYY/MM/DD HH:MM:SS" into local seconds as if UTC, or -1. */
static int64_t
panos_time(struct slice s)
{
	int y, mo, d, h, mi, sec;

	if (s.n != 19 || s.p[4] != '/' || s.p[7] != '/' || s.p[10] != ' ' ||
	    s.p[13] != ':' || s.p[16] != ':' ||
	    num_parse_digits(s.p, 4, &y) || num_parse_digits(s.p + 5, 2, &mo) ||
	    num_parse_digits(s.p + 8, 2, &d) ||
	    num_parse_digits(s.p + 11, 2, &h) ||
	    num_parse_digits(s.p + 14, 2, &mi) ||
	    num_parse_digits(s.p + 17, 2, &sec) ||
	    !time_date_valid(y, mo, d))
		return -1;
	return time_utc_seconds(y, mo, d, h, mi, sec);
}

/* The High Resolution Timestamp among the appended fields, if any. */
static int
panos_hires(const struct csvrow *row, int64_t *ms)
{
	int i;

	for (i = PF_APPENDED; i < row->n; i++) {
		struct slice s = row->f[i];

		/* "2026-11-25T17:06:35.443+09:00": a date, 'T', an offset */
		if (s.n >= 25 && s.n <= 35 && s.p[4] == '-' && s.p[10] == 'T' &&
		    (s.p[s.n - 6] == '+' || s.p[s.n - 6] == '-') &&
		    time_parse_rfc3339(s, ms) == 0)
			return 0;
	}
	return -1;
}

/* Whether type is a PAN-OS log type other than TRAFFIC and THREAT. */
static int
panos_other_type(struct slice t)
{
	static const char *const types[] = { "SYSTEM", "CONFIG", "USERID",
	    "HIPMATCH", "GLOBALPROTECT", "DECRYPTION", "AUTHENTICATION",
	    "IPTAG", "CORRELATION", "GTP", "SCTP", "TUNNEL", "AUDIT" };
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (slice_eq(t, types[i]))
			return 1;
	return 0;
}

/* allow or deny for an action, subtype: NULL when the action is unknown. */
static const char *
panos_action(struct slice action, struct slice subtype)
{
	static const char *const deny[] = { "deny", "drop", "drop-icmp",
	    "drop-all-packets", "reset-client", "reset-server", "reset-both",
	    "block-url", "block-ip", "block-continue", "block-override",
	    "sinkhole", "random-drop", "drop-all" };
	static const char *const allow[] = { "allow", "alert", "continue",
	    "override", "override-lockout" };
	size_t i;

	/* A deny or drop record is a denied session, whatever the rule. */
	if (slice_eq(subtype, "deny") || slice_eq(subtype, "drop"))
		return "deny";
	for (i = 0; i < sizeof deny / sizeof deny[0]; i++)
		if (slice_eq(action, deny[i]))
			return "deny";
	for (i = 0; i < sizeof allow / sizeof allow[0]; i++)
		if (slice_eq(action, allow[i]))
			return "allow";
	return NULL;
}

/* Sets an address column (or extra key) from f, or rejects. */
static enum line_result
panos_addr(struct parse_ctx *ctx, enum ev_col col, const char *key,
    struct slice v)
{
	struct event *ev = ctx->ev;
	struct ipaddr ip;
	char text[IPADDR_TEXT_MAX], q[200];

	if (ip_parse(v, &ip) != 0)
		return fmt_reject(ctx, "panos: bad %s address '%s'", key,
		    diag_quote(q, sizeof q, v));
	if (!ip_is_v4(&ip))
		v = event_keep(ev, text, ip_format(text, &ip));
	if (col == EV_EXTRA) {
		/* NAT fields are 0.0.0.0 when no translation was done. */
		if (!slice_eq(v, "0.0.0.0") && !slice_eq(v, "::"))
			event_add_extra_checked(ev, key, v);
	} else {
		event_set_checked(ev, col, v);
	}
	return LINE_USED;
}

/*
 * Checks the number v (at most max); sets col when col is not EV_EXTRA.
 * Returns 0, or -1 after fmt_reject. *out receives the value.
 */
static int
panos_num(struct parse_ctx *ctx, enum ev_col col, const char *key,
    struct slice v, uint64_t max, uint64_t *out)
{
	char q[200];

	if (num_parse_u64(v, max, out) != 0) {
		fmt_reject(ctx, "panos: bad %s '%s'", key,
		    diag_quote(q, sizeof q, v));
		return -1;
	}
	if (col != EV_EXTRA)
		event_set_checked(ctx->ev, col, v);
	return 0;
}

/* Adds extra key=v when v is not empty. */
static void
panos_extra(struct event *ev, const char *key, struct slice v)
{
	if (v.n)
		event_add_extra(ev, key, v);
}

/* Lower-cases the protocol ("tcp", "udp", "icmp") or rejects. */
static enum line_result
panos_proto(struct parse_ctx *ctx, struct slice v)
{
	char q[200];

	if (fmt_set_proto(ctx->ev, v) != 0)
		return fmt_reject(ctx, "panos: bad protocol '%s'",
		    diag_quote(q, sizeof q, v));
	return LINE_USED;
}

/*
 * A THREAT record's URL field ("misc"), when it is a request's
 * "host[:port]/path" (no scheme), as the url subtype and web threats give
 * it: the host goes to dst_host and the path to url, where the checks that
 * match names and URLs (csm-ioc) read them. A file subtype's file name,
 * or anything else, stays in extra. Returns whether it was taken.
 */
static int
panos_web_target(struct event *ev, struct slice misc)
{
	long slash = slice_find(misc, '/');
	struct slice host;
	size_t i;

	if (slash <= 0)
		return 0;
	host = slice_make(misc.p, (size_t)slash);
	for (i = 0; i < host.n && host.p[i] != ':'; i++)
		if (!((host.p[i] >= 'a' && host.p[i] <= 'z') ||
		    (host.p[i] >= 'A' && host.p[i] <= 'Z') ||
		    (host.p[i] >= '0' && host.p[i] <= '9') ||
		    host.p[i] == '.' || host.p[i] == '-' || host.p[i] == '_'))
			return 0;
	if (i == 0)
		return 0;
	host.n = i;	/* the port, when written, is dst_port's */
	ev->f[EV_DST_HOST] = host;
	ev->f[EV_URL] = slice_from(misc, (size_t)slash);
	return 1;
}

/* Fills the event from a TRAFFIC or THREAT record. */
static enum line_result
panos_fill(struct parse_ctx *ctx, const struct csvrow *row, int traffic,
    int have_host)
{
	struct event *ev = ctx->ev;
	const struct slice *f = row->f;
	const char *act;
	uint64_t v, sport, dport;
	int64_t t, ms;
	char q[200];
	int ports;

	if (panos_hires(row, &ms) == 0) {
		ev->ts_ms = ms;
	} else if ((t = panos_time(f[PF_GENERATED])) >= 0 ||
	    (t = panos_time(f[PF_RECEIVE])) >= 0) {
		ev->ts_ms = time_local_to_utc(t) * 1000;
	} else {
		return fmt_reject(ctx, "panos: bad time '%s'",
		    diag_quote(q, sizeof q, f[PF_GENERATED]));
	}
	ev->has_ts = 1;
	if (panos_addr(ctx, EV_SRC_IP, "source", f[PF_SRC]) != LINE_USED ||
	    panos_addr(ctx, EV_DST_IP, "destination", f[PF_DST]) !=
	    LINE_USED ||
	    (f[PF_NAT_SRC].n && panos_addr(ctx, EV_EXTRA, "nat_src",
	    f[PF_NAT_SRC]) != LINE_USED) ||
	    (f[PF_NAT_DST].n && panos_addr(ctx, EV_EXTRA, "nat_dst",
	    f[PF_NAT_DST]) != LINE_USED) ||
	    panos_proto(ctx, f[PF_PROTO]) != LINE_USED)
		return LINE_REJECTED;
	if (panos_num(ctx, EV_EXTRA, "source port", f[PF_SPORT], 65535,
	    &sport) || panos_num(ctx, EV_EXTRA, "destination port",
	    f[PF_DPORT], 65535, &dport))
		return LINE_REJECTED;
	/* ICMP and other port-less protocols log 0 for the ports. */
	ports = slice_eq(ev->f[EV_PROTO], "tcp") ||
	    slice_eq(ev->f[EV_PROTO], "udp") || sport || dport;
	if (ports) {
		event_set_checked(ev, EV_SRC_PORT, f[PF_SPORT]);
		event_set_checked(ev, EV_DST_PORT, f[PF_DPORT]);
	}
	if (traffic) {
		if (panos_num(ctx, EV_EXTRA, "bytes", f[PF_BYTES], UINT64_MAX,
		    &v) || panos_num(ctx, EV_BYTES_OUT, "bytes sent",
		    f[PF_BYTES_SENT], UINT64_MAX, &v) ||
		    panos_num(ctx, EV_BYTES_IN, "bytes received",
		    f[PF_BYTES_RECV], UINT64_MAX, &v) ||
		    panos_num(ctx, EV_EXTRA, "elapsed time", f[PF_ELAPSED],
		    UINT64_MAX / 1000, &v))
			return LINE_REJECTED;
		event_set_u64(ev, EV_DURATION_MS, v * 1000);
	}
	if (f[PF_SESSION].n && panos_num(ctx, EV_EXTRA, "session id",
	    f[PF_SESSION], UINT64_MAX, &v))
		return LINE_REJECTED;

	event_set_checked(ev, EV_LOG, SLICE_LIT("firewall"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("panos"));
	if (!have_host) {
		int at = traffic ? PF_DEVICE : PF_THREAT_DEVICE;

		if (at < row->n && f[at].n)
			ev->f[EV_DEVICE] = f[at];
	}
	if (f[PF_SRC_USER].n)
		ev->f[EV_USER] = f[PF_SRC_USER];
	act = panos_action(f[PF_ACTION], f[PF_SUBTYPE]);
	if (act)
		event_set_checked(ev, EV_ACTION, slice_cstr(act));
	if (!slice_eq(f[PF_ACTION], act ? act : ""))
		panos_extra(ev, "pan_action", f[PF_ACTION]);
	panos_extra(ev, "type", f[PF_TYPE]);
	panos_extra(ev, "subtype", f[PF_SUBTYPE]);
	panos_extra(ev, "rule", f[PF_RULE]);
	panos_extra(ev, "app", f[PF_APP]);
	panos_extra(ev, "from_zone", f[PF_FROM_ZONE]);
	panos_extra(ev, "to_zone", f[PF_TO_ZONE]);
	panos_extra(ev, "session", f[PF_SESSION]);
	panos_extra(ev, "dst_user", f[PF_DST_USER]);
	if (traffic) {
		panos_extra(ev, "category", f[PF_CATEGORY]);
	} else {
		panos_extra(ev, "threat", f[PF_THREAT]);
		panos_extra(ev, "category", f[PF_THREAT_CAT]);
		panos_extra(ev, "severity", f[PF_SEVERITY]);
		if (!panos_web_target(ev, f[PF_URL]))
			panos_extra(ev, "url", f[PF_URL]);
	}
	return LINE_USED;
}

/*
 * Whether msg begins like a PAN-OS record: "N,YYYY/MM/DD HH:MM:SS,serial,
 * TYPE," (a cheap test, before libcsv, for sniffing and for telling other
 * messages of a syslog file apart).
 */
static int
panos_looks(struct slice msg)
{
	long c = slice_find(msg, ',');
	struct slice rest;
	size_t i;

	if (c < 1 || c > 10)
		return 0;
	rest = slice_from(msg, (size_t)c + 1);
	if (rest.n < 21 || rest.p[19] != ',' ||
	    panos_time(slice_make(rest.p, 19)) < 0)
		return 0;
	rest = slice_from(rest, 20);
	if ((c = slice_find(rest, ',')) < 0)
		return 0;
	rest = slice_from(rest, (size_t)c + 1);
	for (i = 0; i < rest.n && rest.p[i] >= 'A' && rest.p[i] <= 'Z'; i++)
		;
	return i >= 3 && i < rest.n && rest.p[i] == ',';
}

/*
 * The PAN-OS record in a syslog line's envelope env, and whether the
 * envelope names the device (*have_host); a NULL slice when the line is
 * another program's. With "Send Hostname in Syslog" set to none the
 * record follows the time at once, where envelope_parse took its first
 * word for the host: it is read from there, and the device from the
 * record. Only the sender writes that part of a line, so no program's
 * message can pass for a record this way.
 */
static struct slice
panos_in_envelope(struct slice line, const struct envelope *env,
    int *have_host)
{
	struct slice after_time;

	*have_host = 0;
	if (panos_looks(env->msg)) {
		*have_host = env->host.n > 0;
		return env->msg;
	}
	if (env->host.n == 0)
		return slice_make(NULL, 0);
	after_time = slice_from(line, (size_t)(env->host.p - line.p));
	return panos_looks(after_time) ? after_time : slice_make(NULL, 0);
}

static enum line_result
panos_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct csvrow_input *st = state;
	struct event *ev = ctx->ev;
	struct envelope env;
	struct slice msg, type;
	const char *why;
	char q[200];
	int have_host = 0, traffic;

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (envelope_parse(line, &st->ey, &env) == 0) {
		msg = panos_in_envelope(line, &env, &have_host);
		/* Other messages of the same syslog file. */
		if (msg.p == NULL)
			return LINE_SKIPPED;
		if (have_host)
			ev->f[EV_DEVICE] = env.host;
	} else if (strcmp(env.err, ENVELOPE_NONE) == 0) {
		msg = line;
		/* The header row of a CSV export from the web interface. */
		if (slice_has_prefix(msg, "Domain,Receive Time,"))
			return LINE_SKIPPED;
	} else {
		return fmt_reject(ctx, "panos: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	}
	if (csvrow_split(&st->row, msg, &why) != 0)
		return fmt_reject(ctx, "panos: %s", why);
	if (st->row.n <= PF_TYPE)
		return fmt_reject(ctx, "panos: too few fields '%s'",
		    diag_quote(q, sizeof q, msg));
	type = st->row.f[PF_TYPE];
	if (panos_other_type(type))
		return LINE_SKIPPED;
	traffic = slice_eq(type, "TRAFFIC");
	if (!traffic && !slice_eq(type, "THREAT"))
		return fmt_reject(ctx, "panos: unknown log type '%s'",
		    diag_quote(q, sizeof q, type));
	if (st->row.n < (traffic ? PF_TRAFFIC_MIN : PF_THREAT_MIN))
		return fmt_reject(ctx, "panos: %d fields, too few for %s",
		    st->row.n, traffic ? "TRAFFIC" : "THREAT");
	if (panos_fill(ctx, &st->row, traffic, have_host) != LINE_USED)
		return LINE_REJECTED;
	return fmt_emit(ctx);
}

/* Whether line holds a PAN-OS record, bare or in a syslog envelope. */
static int
panos_is_record(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;
	int have_host;

	envelope_year_init(&ey, 2000, 0);
	if (envelope_parse(line, &ey, &env) == 0)
		return panos_in_envelope(line, &env, &have_host).p != NULL;
	return panos_looks(line);
}

static int
panos_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, panos_is_record);
}

const struct fmt fmt_panos = {
	.name = "panos",
	.log = "firewall",
	.summary = "Palo Alto PAN-OS TRAFFIC (and THREAT) CSV, in syslog or bare",
	.sniff = panos_sniff,
	.line = panos_line,
	CSVROW_INPUT_STATE,
};
