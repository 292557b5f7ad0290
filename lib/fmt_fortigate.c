/*
 * fmt_fortigate.c: Fortinet FortiGate key=value logs, bare as the device
 * writes them to disk or FortiAnalyzer exports them, after the bare <PRI>
 * it sends them with over syslog, or after any syslog header
 * (lib/envelope.h, or Wazuh's prefix): the pairs are the whole
 * message, which begins with a FortiOS key (date=, logver=, eventtime=
 * ...); pairs later in a message are another program's text (fgt_start).
 * Values may be double-quoted with spaces and backslash escapes inside.
 * Time is date= + time= with tz= ("+0900") when present; without tz= it
 * is eventtime= (epoch in s, ms, us or ns by its digit count) when that
 * agrees with date/time within a day, else date/time in the --tz zone.
 * type=traffic becomes a network event; type=utm (web filter, IPS, app
 * control, AV, SSL) and the old type=anomaly become an event with the
 * same addresses, the UTM verdict as action and the URL when logged.
 * Of type=event only login failures and successes are kept: SSL VPN
 * (action=ssl-login-fail / ssl-login-success, source remip=) and admin
 * logins (action=login with status=, source in ui=proto(addr)), as
 * firewall events with outcome= failure or success. Other lines are
 * skipped. The envelope's year inference is the
 * only state carried between lines (fmt.h carry).
 */
#include <stdint.h>
#include <string.h>
#include "envelope.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"

/* The keys csm reads, in the order of struct fgt_kv's slots. */
enum fgt_key {
	K_DATE, K_TIME, K_TZ, K_EVENTTIME, K_TYPE, K_SUBTYPE, K_DEVNAME,
	K_SRCIP, K_SRCPORT, K_DSTIP, K_DSTPORT, K_PROTO, K_ACTION, K_STATUS,
	K_SENTBYTE, K_RCVDBYTE, K_DURATION, K_USER, K_HOSTNAME, K_DSTNAME,
	K_SERVICE, K_POLICYID, K_SRCINTF, K_DSTINTF, K_APP, K_UTMACTION,
	K_URL, K_REMIP, K_UI, K_LOGID, K_REASON, K_ATTACK, K_VIRUS, K_CATDESC,
	K_AGENT, K_SRC, K_DST, K_SRC_PORT, K_DST_PORT, K_SENT, K_RCVD,
	K_NKEYS
};

static const char *const fgt_names[K_NKEYS] = {
	"date", "time", "tz", "eventtime", "type", "subtype", "devname",
	"srcip", "srcport", "dstip", "dstport", "proto", "action", "status",
	"sentbyte", "rcvdbyte", "duration", "user", "hostname", "dstname",
	"service", "policyid", "srcintf", "dstintf", "app", "utmaction",
	"url", "remip", "ui", "logid", "reason", "attack", "virus", "catdesc",
	"agent", "src", "dst", "src_port", "dst_port", "sent", "rcvd"
};

struct fgt_kv {
	struct slice v[K_NKEYS];
	int have[K_NKEYS];
};

/* Whether w starts with one of the keys a FortiGate record begins with. */
static int
fgt_is_start(struct slice w)
{
	static const char *const first[] = { "date=", "logver=", "itime=",
	    "eventtime=", "devname=", "timestamp=" };
	size_t i;

	for (i = 0; i < sizeof first / sizeof first[0]; i++)
		if (slice_has_prefix(w, first[i]))
			return 1;
	return 0;
}

/*
 * Whether pre is the prefix Wazuh's archives put before what an agent
 * relayed: "yyyy Mon dd hh:mm:ss agent->location ".
 */
static int
fgt_wazuh_prefix(struct slice pre)
{
	struct slice year = slice_next_word(&pre), mon = slice_next_word(&pre),
	    day = slice_next_word(&pre), hms = slice_next_word(&pre),
	    from = slice_next_word(&pre);
	int v;

	return year.n == 4 && num_parse_digits(year.p, 4, &v) == 0 &&
	    time_month_from_abbr(mon) != 0 && day.n >= 1 && day.n <= 2 &&
	    num_parse_digits(day.p, day.n, &v) == 0 && hms.n == 8 &&
	    hms.p[2] == ':' && hms.p[5] == ':' &&
	    memmem(from.p, from.n, "->", 2) != NULL &&
	    slice_trim(pre).n == 0;
}

/*
 * Offset in line of the first pair, or -1 when the line holds no record.
 * The record is the whole message: the line itself, or what follows a
 * bare <PRI>, a syslog header (env, NULL when the line has none) or
 * Wazuh's prefix. A header without
 * a host takes the first pair for one ("Dec 23 11:13:03 date=2011-07-24
 * ..."): then the record starts there. Pairs anywhere else are text that
 * another program logged: sshd writes "Invalid user date=... type=traffic
 * srcip=..." as a remote client typed it, and reading that as the
 * firewall's would let anyone forge a connection.
 */
static long
fgt_start(struct slice line, const struct envelope *env)
{
	struct slice m;
	long pri;
	int prio;
	int i;

	if (fgt_is_start(line))
		return 0;
	/* A FortiGate sends its records after a bare <PRI>, no header. */
	if ((pri = envelope_pri(line, &prio)) > 0 &&
	    fgt_is_start(slice_from(line, (size_t)pri)))
		return pri;
	if (env != NULL) {
		if (fgt_is_start(env->host))
			return env->host.p - line.p;
		m = slice_trim(env->msg);
		return fgt_is_start(m) ? m.p - line.p : -1;
	}
	/* Wazuh's prefix has five words: the record is the sixth. */
	for (i = 0, m = line; i < 5; i++)
		slice_next_word(&m);
	m = slice_trim(m);
	if (fgt_is_start(m) && fgt_wazuh_prefix(slice_make(line.p,
	    (size_t)(m.p - line.p))))
		return m.p - line.p;
	return -1;
}

/*
 * Reads the pairs of rest into kv. A quoted value runs to the next
 * unescaped quote; its escapes are undone into the event's scratch space.
 * Words without '=' (the broken "time=10: 13:03" of FortiOS 4) are passed
 * over. Returns 0, or -1 for a quote that is never closed.
 */
static int
fgt_scan(struct slice rest, struct fgt_kv *kv, struct event *ev)
{
	size_t i = 0;

	while (i < rest.n) {
		size_t ks, kn, vs, vn;
		int esc = 0, k;

		while (i < rest.n && (rest.p[i] == ' ' || rest.p[i] == '\t'))
			i++;
		ks = i;
		while (i < rest.n && rest.p[i] != '=' && rest.p[i] != ' ' &&
		    rest.p[i] != '\t')
			i++;
		if (i >= rest.n || rest.p[i] != '=')
			continue;	/* a stray word */
		kn = i - ks;
		i++;
		if (i < rest.n && rest.p[i] == '"') {
			vs = ++i;
			while (i < rest.n && rest.p[i] != '"') {
				if (rest.p[i] == '\\' && i + 1 < rest.n) {
					esc = 1;
					i++;
				}
				i++;
			}
			if (i >= rest.n)
				return -1;
			vn = i - vs;
			i++;
		} else {
			vs = i;
			while (i < rest.n && rest.p[i] != ' ' &&
			    rest.p[i] != '\t')
				i++;
			vn = i - vs;
		}
		for (k = 0; k < K_NKEYS; k++) {
			struct slice key = slice_make(rest.p + ks, kn);

			if (!slice_eq(key, fgt_names[k]) || kv->have[k])
				continue;
			kv->have[k] = 1;
			kv->v[k] = slice_make(rest.p + vs, vn);
			if (esc) {
				char buf[1024];
				size_t j, o = 0;

				for (j = vs; j < vs + vn && o < sizeof buf;
				    j++) {
					if (rest.p[j] == '\\' && j + 1 < vs + vn)
						j++;
					buf[o++] = rest.p[j];
				}
				kv->v[k] = event_keep(ev, buf, o);
			}
			break;
		}
	}
	return 0;
}

/* Parses "YYYY-MM-DD" and "HH:MM:SS" as UTC seconds; -1 when malformed. */
static int64_t
fgt_datetime(struct slice d, struct slice t)
{
	int y, mo, dd, h, mi, s;

	if (d.n != 10 || d.p[4] != '-' || d.p[7] != '-' || t.n != 8 ||
	    t.p[2] != ':' || t.p[5] != ':' ||
	    num_parse_digits(d.p, 4, &y) || num_parse_digits(d.p + 5, 2, &mo) ||
	    num_parse_digits(d.p + 8, 2, &dd) ||
	    num_parse_digits(t.p, 2, &h) || num_parse_digits(t.p + 3, 2, &mi) ||
	    num_parse_digits(t.p + 6, 2, &s) || !time_date_valid(y, mo, dd))
		return -1;
	return time_utc_seconds(y, mo, dd, h, mi, s);
}

/* eventtime= in ms by its digit count (s, ms, us, ns); -1 otherwise. */
static int64_t
fgt_eventtime(struct slice v)
{
	uint64_t n;

	if (num_parse_u64(v, UINT64_MAX, &n) != 0)
		return -1;
	switch (v.n) {
	case 9:
	case 10:
		return (int64_t)n * 1000;
	case 12:
	case 13:
		return (int64_t)n;
	case 15:
	case 16:
		return (int64_t)(n / 1000);
	case 18:
	case 19:
		return (int64_t)(n / 1000000);
	}
	return -1;
}

/*
 * Sets the event time from the pairs, else from the envelope (env_ok).
 * Returns 0, or -1 when the record has no usable time.
 */
static int
fgt_time(struct fgt_kv *kv, struct event *ev, const struct envelope *env,
    int env_ok)
{
	int64_t local = -1, et = -1;

	if (kv->have[K_DATE] && kv->have[K_TIME])
		local = fgt_datetime(kv->v[K_DATE], kv->v[K_TIME]);
	if (kv->have[K_EVENTTIME])
		et = fgt_eventtime(kv->v[K_EVENTTIME]);
	if (local >= 0 && kv->have[K_TZ]) {
		struct slice z = kv->v[K_TZ];
		int zh, zm;

		if (z.n != 5 || (z.p[0] != '+' && z.p[0] != '-') ||
		    num_parse_digits(z.p + 1, 2, &zh) ||
		    num_parse_digits(z.p + 3, 2, &zm) || zh > 23 || zm > 59)
			return -1;
		local -= (z.p[0] == '+' ? 1 : -1) * (int64_t)(zh * 3600 +
		    zm * 60);
		/* eventtime adds the fraction when it is the same second */
		ev->ts_ms = et >= 0 && et / 1000 == local ? et :
		    local * 1000;
	} else if (local >= 0) {
		/*
		 * No offset: eventtime is UTC and exact, unless it is
		 * anonymised or of another clock (more than a day off).
		 */
		if (et >= 0 && et / 1000 > local - 93600 &&
		    et / 1000 < local + 93600)
			ev->ts_ms = et;
		else
			ev->ts_ms = time_local_to_utc(local) * 1000;
	} else if (et >= 0) {
		ev->ts_ms = et;
	} else if (env_ok && env->has_ts) {
		ev->ts_ms = env->ts_ms;	/* FortiOS 4's broken time= */
	} else {
		return -1;
	}
	ev->has_ts = 1;
	return 0;
}

/* Sets an address column from v (when present), or rejects. */
static enum line_result
fgt_addr(struct parse_ctx *ctx, enum ev_col col, const char *key,
    struct slice v)
{
	char q[200];

	if (v.p == NULL || v.n == 0 || slice_eq(v, "N/A"))
		return LINE_USED;
	if (fmt_set_addr(ctx->ev, col, v) != 0)
		return fmt_reject(ctx, "fortigate: bad %s address '%s'", key,
		    diag_quote(q, sizeof q, v));
	return LINE_USED;
}

/* Checks a number (when present) against max; sets col unless EV_NCOLS. */
static enum line_result
fgt_num(struct parse_ctx *ctx, enum ev_col col, const char *key,
    struct slice v, uint64_t max, uint64_t *out)
{
	char q[200];

	*out = 0;
	if (v.p == NULL)
		return LINE_USED;
	if (num_parse_u64(v, max, out) != 0)
		return fmt_reject(ctx, "fortigate: bad %s '%s'", key,
		    diag_quote(q, sizeof q, v));
	if (col != EV_NCOLS)
		event_set_checked(ctx->ev, col, v);
	return LINE_USED;
}

/* allow, deny or empty for a FortiOS action or status word. */
static struct slice
fgt_action(struct slice a)
{
	static const char *const deny[] = { "deny", "block", "blocked",
	    "dropped", "drop", "reset", "clear_session", "ssl-login-fail" };
	static const char *const allow[] = { "accept", "close", "timeout",
	    "server-rst", "client-rst", "start", "ip-conn", "pass",
	    "passthrough", "allow", "permit", "detected", "monitored" };
	size_t i;

	for (i = 0; i < sizeof deny / sizeof deny[0]; i++)
		if (slice_eq(a, deny[i]))
			return SLICE_LIT("deny");
	for (i = 0; i < sizeof allow / sizeof allow[0]; i++)
		if (slice_eq(a, allow[i]))
			return SLICE_LIT("allow");
	return SLICE_NONE;
}

/* The proto column for an IP protocol number. */
static void
fgt_proto(struct event *ev, uint64_t n, struct slice v)
{
	switch (n) {
	case 1:
		event_set_checked(ev, EV_PROTO, SLICE_LIT("icmp"));
		break;
	case 6:
		event_set_checked(ev, EV_PROTO, SLICE_LIT("tcp"));
		break;
	case 17:
		event_set_checked(ev, EV_PROTO, SLICE_LIT("udp"));
		break;
	case 58:
		event_set_checked(ev, EV_PROTO, SLICE_LIT("icmpv6"));
		break;
	default:
		event_set_checked(ev, EV_PROTO, v);
	}
}

/* Adds key=v to extra when v is present and says something. */
static void
fgt_extra(struct event *ev, const char *key, struct slice v)
{
	if (v.n && !slice_eq(v, "N/A"))
		event_add_extra(ev, key, v);
}

/* The network columns shared by traffic and UTM records. */
static enum line_result
fgt_network(struct parse_ctx *ctx, struct fgt_kv *kv)
{
	struct event *ev = ctx->ev;
	struct slice *v = kv->v;
	uint64_t n;

	/* FortiOS 4 wrote src=, dst=, src_port=, dst_port=, sent=, rcvd= */
	if (fgt_addr(ctx, EV_SRC_IP, "srcip", v[K_SRCIP].p ? v[K_SRCIP] :
	    v[K_SRC]) != LINE_USED ||
	    fgt_addr(ctx, EV_DST_IP, "dstip", v[K_DSTIP].p ? v[K_DSTIP] :
	    v[K_DST]) != LINE_USED ||
	    fgt_num(ctx, EV_SRC_PORT, "srcport", v[K_SRCPORT].p ?
	    v[K_SRCPORT] : v[K_SRC_PORT], 65535, &n) != LINE_USED ||
	    fgt_num(ctx, EV_DST_PORT, "dstport", v[K_DSTPORT].p ?
	    v[K_DSTPORT] : v[K_DST_PORT], 65535, &n) != LINE_USED ||
	    fgt_num(ctx, EV_BYTES_OUT, "sentbyte", v[K_SENTBYTE].p ?
	    v[K_SENTBYTE] : v[K_SENT], UINT64_MAX, &n) != LINE_USED ||
	    fgt_num(ctx, EV_BYTES_IN, "rcvdbyte", v[K_RCVDBYTE].p ?
	    v[K_RCVDBYTE] : v[K_RCVD], UINT64_MAX, &n) != LINE_USED)
		return LINE_REJECTED;
	if (fgt_num(ctx, EV_NCOLS, "proto", v[K_PROTO], 255, &n) !=
	    LINE_USED)
		return LINE_REJECTED;
	if (v[K_PROTO].p)
		fgt_proto(ev, n, v[K_PROTO]);
	if (fgt_num(ctx, EV_NCOLS, "duration", v[K_DURATION], UINT32_MAX,
	    &n) != LINE_USED)
		return LINE_REJECTED;
	if (v[K_DURATION].p)
		event_set_u64(ev, EV_DURATION_MS, n * 1000);
	if (v[K_HOSTNAME].n)
		ev->f[EV_DST_HOST] = v[K_HOSTNAME];
	else if (v[K_DSTNAME].n && !slice_eq(v[K_DSTNAME], "N/A") &&
	    !ip_valid(v[K_DSTNAME]))
		ev->f[EV_DST_HOST] = v[K_DSTNAME];
	if (v[K_URL].n)
		ev->f[EV_URL] = v[K_URL];
	if (v[K_AGENT].n)
		ev->f[EV_UA] = v[K_AGENT];
	fgt_extra(ev, "service", v[K_SERVICE]);
	fgt_extra(ev, "policyid", v[K_POLICYID]);
	fgt_extra(ev, "srcintf", v[K_SRCINTF]);
	fgt_extra(ev, "dstintf", v[K_DSTINTF]);
	fgt_extra(ev, "app", v[K_APP]);
	fgt_extra(ev, "utmaction", v[K_UTMACTION]);
	fgt_extra(ev, "attack", v[K_ATTACK]);
	fgt_extra(ev, "virus", v[K_VIRUS]);
	fgt_extra(ev, "catdesc", v[K_CATDESC]);
	return LINE_USED;
}

/*
 * A login event: SSL VPN (remip=) or admin (ui="https(addr)"). Returns
 * LINE_SKIPPED for other event records.
 */
static enum line_result
fgt_login(struct parse_ctx *ctx, struct fgt_kv *kv)
{
	struct event *ev = ctx->ev;
	struct slice a = kv->v[K_ACTION], st = kv->v[K_STATUS], src;
	const char *outcome;

	if (slice_eq(a, "ssl-login-fail"))
		outcome = "failure";
	else if (slice_eq(a, "ssl-login-success"))
		outcome = "success";
	else if (slice_eq(a, "login") && slice_eq(st, "failed"))
		outcome = "failure";
	else if (slice_eq(a, "login") && slice_eq(st, "success"))
		outcome = "success";
	else
		return LINE_SKIPPED;
	src = kv->v[K_REMIP];
	if (src.p == NULL && kv->v[K_UI].n) {
		/* ui=ssh(222.186.130.227): the address inside the brackets */
		struct slice ui = kv->v[K_UI];
		long open = slice_find(ui, '(');

		if (open >= 0 && ui.p[ui.n - 1] == ')' &&
		    ip_valid(slice_make(ui.p + open + 1, ui.n - (size_t)open -
		    2)))
			src = slice_make(ui.p + open + 1, ui.n - (size_t)open -
			    2);
		fgt_extra(ev, "ui", ui);
	}
	if (fgt_addr(ctx, EV_SRC_IP, "remip", src) != LINE_USED)
		return LINE_REJECTED;
	event_set_checked(ev, EV_ACTION, strcmp(outcome, "failure") == 0 ?
	    SLICE_LIT("deny") : SLICE_LIT("allow"));
	event_set_checked(ev, EV_OUTCOME, slice_cstr(outcome));
	if (kv->v[K_USER].n && !slice_eq(kv->v[K_USER], "N/A"))
		ev->f[EV_ACCOUNT] = kv->v[K_USER];
	fgt_extra(ev, "reason", kv->v[K_REASON]);
	return LINE_USED;
}

static enum line_result
fgt_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct envelope_year *ey = state;
	struct event *ev = ctx->ev;
	struct envelope env;
	struct fgt_kv kv;
	struct slice type, sub, act;
	enum line_result r;
	int env_ok = 0;
	char q[200];
	long at;

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (!fgt_is_start(line))
		env_ok = envelope_parse(line, ey, &env) == 0;
	if ((at = fgt_start(line, env_ok ? &env : NULL)) < 0) {
		if (env_ok)
			return LINE_SKIPPED;	/* another syslog message */
		return fmt_reject(ctx, "fortigate: no key=value record '%s'",
		    diag_quote(q, sizeof q, line));
	}
	memset(&kv, 0, sizeof kv);
	if (fgt_scan(slice_from(line, (size_t)at), &kv, ev) != 0)
		return fmt_reject(ctx, "fortigate: unterminated quote '%s'",
		    diag_quote(q, sizeof q, slice_from(line, (size_t)at)));
	type = kv.v[K_TYPE];
	sub = kv.v[K_SUBTYPE];
	if (!kv.have[K_TYPE])
		return fmt_reject(ctx, "fortigate: no type= field '%s'",
		    diag_quote(q, sizeof q, slice_from(line, (size_t)at)));
	if (fgt_time(&kv, ev, &env, env_ok) != 0)
		return fmt_reject(ctx, "fortigate: bad time '%s'",
		    diag_quote(q, sizeof q, slice_from(line, (size_t)at)));
	if (slice_eq(type, "traffic") || slice_eq(type, "utm") ||
	    slice_eq(type, "anomaly"))
		r = fgt_network(ctx, &kv);
	else if (slice_eq(type, "event"))
		r = fgt_login(ctx, &kv);
	else
		r = LINE_SKIPPED;
	if (r != LINE_USED)
		return r;
	event_set_checked(ev, EV_LOG, SLICE_LIT("firewall"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("fortigate"));
	/*
	 * A header without a host lets the envelope take the first pair
	 * ("Dec 23 11:13:03 date=2011-07-24 ...") for one.
	 */
	if (env_ok && env.host.n && slice_find(env.host, '=') < 0)
		ev->f[EV_DEVICE] = env.host;
	else if (kv.v[K_DEVNAME].n)
		ev->f[EV_DEVICE] = kv.v[K_DEVNAME];
	if (!slice_eq(type, "event")) {
		act = kv.v[K_ACTION].p ? kv.v[K_ACTION] : kv.v[K_STATUS];
		if (fgt_action(act).n)
			event_set_checked(ev, EV_ACTION, fgt_action(act));
		if (kv.v[K_USER].n && !slice_eq(kv.v[K_USER], "N/A"))
			ev->f[EV_USER] = kv.v[K_USER];
		fgt_extra(ev, "fgt_action", act);
	}
	fgt_extra(ev, "type", type);
	fgt_extra(ev, "subtype", sub);
	fgt_extra(ev, "logid", kv.v[K_LOGID]);
	return fmt_emit(ctx);
}

/* Whether line looks like a FortiGate record. */
static int
fgt_is_record(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;
	int env_ok = 0;
	struct slice r;
	long at;

	envelope_year_init(&ey, 2000, 0);
	if (!fgt_is_start(line))
		env_ok = envelope_parse(line, &ey, &env) == 0;
	at = fgt_start(line, env_ok ? &env : NULL);

	if (at < 0)
		return 0;
	r = slice_from(line, (size_t)at);
	return (memmem(r.p, r.n, "logid=", 6) != NULL ||
	    memmem(r.p, r.n, "log_id=", 7) != NULL) &&
	    memmem(r.p, r.n, " type=", 6) != NULL;
}

static int
fgt_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, fgt_is_record);
}

const struct fmt fmt_fortigate = {
	.name = "fortigate",
	.log = "firewall",
	.summary = "Fortinet FortiGate key=value traffic, UTM and login logs",
	.sniff = fgt_sniff,
	.line = fgt_line,
	ENVELOPE_YEAR_STATE,
};
