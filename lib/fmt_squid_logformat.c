/*
 * fmt_squid_logformat.c: Squid access logs written with a logformat
 * string: the built-in "common" and "combined" formats, and any site format
 * given with --logformat ("squid-custom"). The string is compiled once per
 * input by squidfmt.c; here each code's value is mapped to the events
 * columns. Codes csm does not model are accepted and their values kept in
 * extra under the code's name when short. Without %{User-Agent}>h, the
 * User-Agent is read from a %>h block of all request headers (squidhdr.c).
 * The format recommended to sites,
 * which adds the upload size (%>st) and the User-Agent to the native
 * format, is
 *
 *   logformat csm %ts.%03tu %6tr %>a %Ss/%03>Hs %>st %<st %rm %ru
 *       "%{User-Agent}>h" %[un %Sh/%<a %mt
 *
 * (one line in squid.conf, with "access_log
 * daemon:/var/log/squid/access.log logformat=csm"), read with
 * csm-parse --logformat '<the same string>'. Plain Apache CLF and combined
 * lines, without Squid's trailing "result:hierarchy" token, are accepted by
 * -f squid-common and -f squid-combined too, but sniffed with less
 * confidence.
 */
#include <stdlib.h>
#include <string.h>
#include "fmt.h"
#include "fmt_squid_csm.h"
#include "ipaddr.h"
#include "linescan.h"
#include "num.h"
#include "squidfmt.h"
#include "squidhdr.h"
#include "url.h"

#define CLF_PART "%>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs %<st"
#define COMBINED_PART CLF_PART " \"%{Referer}>h\" \"%{User-Agent}>h\""
#define SQUID_TOKEN " %Ss:%Sh"

/* Values of an extra-only code longer than this are not kept. */
#define EXTRA_VALUE_MAX 200

/* Request headers with a column of their own. */
enum header_role { HDR_EXTRA, HDR_UA, HDR_HOST };

struct lf_state {
	const char *name;		/* format name for reasons and output */
	struct slice name_s;
	struct squidfmt main;
	struct squidfmt alt;		/* without the Squid token, or n == 0 */
	struct slice *vals;
	unsigned char *role;		/* enum header_role per field */
	int ua_block;			/* %>h (all headers) read for the
					   User-Agent, or -1 */
	int csm;			/* main is SQUIDFMT_CSM: lines are
					   read at a glance first */
};

static void
lf_close(void *state)
{
	struct lf_state *st = state;

	if (st == NULL)
		return;
	squidfmt_release(&st->main);
	squidfmt_release(&st->alt);
	free(st->vals);
	free(st->role);
	free(st);
}

/*
 * The first all-request-headers code (%>h, %>ha) of sf, whose block gives
 * the User-Agent when no %{User-Agent}>h does; -1 for none.
 */
static int
ua_block_of(const struct squidfmt *sf, const unsigned char *role)
{
	int i, block = -1;

	for (i = 0; i < sf->n; i++) {
		if (role[i] == HDR_UA)
			return -1;
		if (block < 0 && sf->f[i].code == SQUIDFMT_REQ_HEADER &&
		    sf->f[i].arg == NULL)
			block = i;
	}
	return block;
}

/* Compiles main (and alt when given) for one input. */
static void *
lf_open(struct parse_ctx *ctx, const char *name, const char *main,
    const char *alt)
{
	struct lf_state *st = calloc(1, sizeof *st);
	char err[200];
	int i, n;

	if (st == NULL) {
		fmt_reject(ctx, "%s: out of memory", name);
		return NULL;
	}
	st->name = name;
	if (squidfmt_compile(&st->main, main, err, sizeof err) != 0 ||
	    (alt && squidfmt_compile(&st->alt, alt, err, sizeof err) != 0)) {
		fmt_reject(ctx, "%s: %s", name, err);
		lf_close(st);
		return NULL;
	}
	n = st->main.n > st->alt.n ? st->main.n : st->alt.n;
	st->vals = calloc((size_t)n, sizeof *st->vals);
	st->role = calloc((size_t)n, 1);
	if (st->vals == NULL || st->role == NULL) {
		fmt_reject(ctx, "%s: out of memory", name);
		lf_close(st);
		return NULL;
	}
	/* alt is main cut short, so one role table serves both */
	for (i = 0; i < st->main.n; i++) {
		const struct squidfmt_field *f = &st->main.f[i];

		if (f->code != SQUIDFMT_REQ_HEADER || f->arg == NULL)
			continue;
		if (strcmp(f->key, "user-agent") == 0)
			st->role[i] = HDR_UA;
		else if (strcmp(f->key, "host") == 0)
			st->role[i] = HDR_HOST;
	}
	st->ua_block = ua_block_of(&st->main, st->role);
	st->csm = alt == NULL && squidfmt_is_csm(&st->main) &&
	    squidcsm_glance_wanted();
	st->name_s = slice_cstr(name);
	return st;
}

static void *
common_open(struct parse_ctx *ctx)
{
	return lf_open(ctx, "squid-common", CLF_PART SQUID_TOKEN, CLF_PART);
}

static void *
combined_open(struct parse_ctx *ctx)
{
	return lf_open(ctx, "squid-combined", COMBINED_PART SQUID_TOKEN,
	    COMBINED_PART);
}

static void *
csm_open(struct parse_ctx *ctx)
{
	return lf_open(ctx, "squid-csm", SQUIDFMT_CSM, NULL);
}

static void *
custom_open(struct parse_ctx *ctx)
{
	if (ctx->opts == NULL || ctx->opts->logformat == NULL ||
	    ctx->opts->logformat[0] == '\0') {
		fmt_reject(ctx, "squid-custom: no logformat string given "
		    "(use --logformat)");
		return NULL;
	}
	return lf_open(ctx, "squid-custom", ctx->opts->logformat, NULL);
}

static int
two_digits(const char *p, int *v)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return 0;
}

/*
 * Parses %tl / %tg text "25/Nov/2026:17:06:35 +0900" into UTC
 * milliseconds. Returns 0 or -1.
 */
static int
parse_clf_time(struct slice s, int64_t *ms)
{
	const char *p = s.p;
	int d, mo, h, mi, sec, oh, om;
	uint64_t y;
	int64_t t;

	if (s.n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' ||
	    p[14] != ':' || p[17] != ':' || p[20] != ' ' ||
	    (p[21] != '+' && p[21] != '-'))
		return -1;
	if (two_digits(p, &d) || (mo = time_month_from_abbr(slice_make(p + 3,
	    3))) == 0 || num_parse_u64(slice_make(p + 7, 4), 9999, &y) ||
	    two_digits(p + 12, &h) || two_digits(p + 15, &mi) ||
	    two_digits(p + 18, &sec) || two_digits(p + 22, &oh) ||
	    two_digits(p + 24, &om) || oh > 23 || om > 59)
		return -1;
	t = time_utc_seconds((int64_t)y, mo, d, h, mi, sec);
	if (t < 0)
		return -1;
	t -= (p[21] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	*ms = t * 1000;
	return 0;
}

/* Whether s is made of letters, digits and '_' only (and not empty). */
static int
is_word(struct slice s)
{
	size_t i;

	if (s.n == 0)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* Milliseconds of the %tu value v, written with prec digits (-1: 3). */
static int
parse_subsecond(struct slice v, int prec, int64_t *ms)
{
	uint64_t u;

	if (prec < 0)
		prec = 3;
	if (prec > 9 || num_parse_u64(v, 999999999, &u) != 0)
		return -1;
	for (; prec < 3; prec++)
		u *= 10;
	for (; prec > 3; prec--)
		u /= 10;
	if (u > 999)
		return -1;
	*ms = (int64_t)u;
	return 0;
}

/* The host part of a Host header value "name[:port]". */
static struct slice
host_only(struct slice v)
{
	long colon = slice_find(v, ':');
	uint64_t port;

	if (colon > 0 && slice_find(slice_from(v, (size_t)colon + 1), ':') < 0
	    && num_parse_u64(slice_from(v, (size_t)colon + 1), 65535,
	    &port) == 0)
		v.n = (size_t)colon;
	return v;
}

/* Values picked from the fields, applied once all are seen. */
struct picked {
	struct slice ts, tu, tl, tstart, tr, method, url, domain, uport,
	    sport, sni, host, result;
	int tu_prec;
};

/* Records the time columns; returns a reason to reject, or NULL. */
static const char *
set_time(struct event *ev, const struct picked *pk, struct slice *bad)
{
	int64_t ms, sub;

	if (pk->ts.n) {
		*bad = pk->ts;
		if (num_parse_milli(pk->ts, &ms) != 0)
			return "bad timestamp";
		if (pk->tu.n && slice_find(pk->ts, '.') < 0) {
			*bad = pk->tu;
			if (parse_subsecond(pk->tu, pk->tu_prec, &sub) != 0)
				return "bad sub-second time";
			ms += sub;
		}
	} else if (pk->tl.n) {
		*bad = pk->tl;
		if (parse_clf_time(pk->tl, &ms) != 0)
			return "bad time";
	} else if (pk->tstart.n) {
		*bad = pk->tstart;
		if (num_parse_milli(pk->tstart, &ms) != 0)
			return "bad start time";
	} else {
		return NULL;
	}
	ev->ts_ms = ms;
	ev->has_ts = 1;
	return NULL;
}

/*
 * Maps the values of the fields of sf onto ev. Returns NULL, or a reason
 * (with the offending value in *bad) for a value that cannot be what its
 * code says.
 */
static const char *
fill_event(struct event *ev, const struct squidfmt *sf,
    const struct slice *vals, const unsigned char *role, struct slice *bad)
{
	struct picked pk;
	const char *why;
	uint64_t u;
	int i;

	memset(&pk, 0, sizeof pk);
	for (i = 0; i < sf->n; i++) {
		const struct squidfmt_field *f = &sf->f[i];
		struct slice v = vals[i];

		*bad = v;
		if (v.n == 0)
			continue;
		switch (f->code) {
		case SQUIDFMT_TS:
			pk.ts = v;
			break;
		case SQUIDFMT_TU:
			pk.tu = v;
			pk.tu_prec = f->precision;
			break;
		case SQUIDFMT_TL:
		case SQUIDFMT_TG:
			if (f->fixed)
				pk.tl = v;
			else if (v.n <= EXTRA_VALUE_MAX)
				event_add_extra(ev, f->key, v);
			break;
		case SQUIDFMT_TSTART:
			pk.tstart = v;
			break;
		case SQUIDFMT_TR:
			pk.tr = v;
			break;
		case SQUIDFMT_CLIENT_IP:
			if (ip_valid(v))
				ev->f[EV_SRC_IP] = v;
			else
				event_add_extra(ev, "client", v);
			break;
		case SQUIDFMT_CLIENT_PORT:
			if (num_parse_u64(v, 65535, &u) != 0)
				return "bad client port";
			ev->f[EV_SRC_PORT] = v;
			break;
		case SQUIDFMT_CLIENT_FQDN:
			event_add_extra(ev, "client_name", v);
			break;
		case SQUIDFMT_SERVER_IP:
			if (ip_valid(v) && ev->f[EV_DST_IP].n == 0)
				ev->f[EV_DST_IP] = v;
			else
				event_add_extra(ev, "peer", v);
			break;
		case SQUIDFMT_SERVER_PORT:
			if (num_parse_u64(v, 65535, &u) != 0)
				return "bad server port";
			pk.sport = v;
			break;
		case SQUIDFMT_SERVER_NAME:
			event_add_extra(ev, "peer", v);
			break;
		case SQUIDFMT_LOCAL_IP:
			event_add_extra(ev, "local_ip", v);
			break;
		case SQUIDFMT_LOCAL_PORT:
			event_add_extra(ev, "local_port", v);
			break;
		case SQUIDFMT_STATUS:
			if (num_parse_u64(v, 999, &u) != 0)
				return "bad HTTP status";
			if (u != 0)
				ev->f[EV_STATUS] = v;
			break;
		case SQUIDFMT_SERVER_STATUS:
			if (num_parse_u64(v, 999, &u) != 0)
				return "bad server HTTP status";
			if (u != 0)
				event_add_extra(ev, "server_status", v);
			break;
		case SQUIDFMT_RESULT:
			/* a space here means the line is another format */
			if (slice_find(v, ' ') >= 0 || slice_find(v, '"') >= 0)
				return "bad result code";
			pk.result = v;
			event_add_extra(ev, "result", v);
			break;
		case SQUIDFMT_HIER:
			event_add_extra(ev, "hier", v);
			break;
		case SQUIDFMT_BYTES_REPLY:
		case SQUIDFMT_BYTES_REQUEST:
		case SQUIDFMT_BYTES_TOTAL:
			if (num_parse_u64(v, UINT64_MAX, &u) != 0)
				return "bad byte count";
			if (f->code == SQUIDFMT_BYTES_REPLY)
				ev->f[EV_BYTES_IN] = v;
			else if (f->code == SQUIDFMT_BYTES_REQUEST)
				ev->f[EV_BYTES_OUT] = v;
			else
				event_add_extra(ev, "bytes_total", v);
			break;
		case SQUIDFMT_METHOD:
			if (pk.method.n == 0)
				pk.method = v;
			break;
		case SQUIDFMT_URL:
			if (pk.url.n == 0)
				pk.url = v;
			break;
		case SQUIDFMT_PATH:
			if (v.n <= EXTRA_VALUE_MAX)
				event_add_extra(ev, "path", v);
			break;
		case SQUIDFMT_VERSION:
			break;	/* HTTP/1.1 says nothing csm checks */
		case SQUIDFMT_DOMAIN:
			pk.domain = v;
			break;
		case SQUIDFMT_URL_PORT:
			if (num_parse_u64(v, 65535, &u) != 0)
				return "bad URL port";
			pk.uport = v;
			break;
		case SQUIDFMT_USER:
			if (ev->f[EV_USER].n == 0)
				ev->f[EV_USER] = v;
			break;
		case SQUIDFMT_MIME:
			event_add_extra(ev, "mime", v);
			break;
		case SQUIDFMT_REQ_HEADER:
			if (f->arg == NULL)
				break;	/* all headers: see ua_block_of */
			if (role[i] == HDR_UA)
				ev->f[EV_UA] = squidhdr_value(ev, v, f->enc);
			else if (role[i] == HDR_HOST)
				pk.host = host_only(v);
			else if (v.n <= EXTRA_VALUE_MAX)
				event_add_extra(ev, f->key, v);
			break;
		case SQUIDFMT_SNI:
			pk.sni = v;
			event_add_extra(ev, "sni", v);
			break;
		case SQUIDFMT_ERR_CODE:
			event_add_extra(ev, "err_code", v);
			break;
		case SQUIDFMT_ERR_DETAIL:
			if (v.n <= EXTRA_VALUE_MAX)
				event_add_extra(ev, "err_detail", v);
			break;
		case SQUIDFMT_REPLY_HEADER:
			if (f->arg == NULL)
				break;
			/* FALLTHROUGH */
		case SQUIDFMT_OTHER:
			if (v.n <= EXTRA_VALUE_MAX)
				event_add_extra(ev, f->key, v);
			break;
		}
	}

	if ((why = set_time(ev, &pk, bad)) != NULL)
		return why;
	if (pk.tr.n) {
		int64_t ms;

		*bad = pk.tr;
		/* with a .precision Squid writes seconds: "0.231" */
		if (slice_find(pk.tr, '.') >= 0) {
			if (num_parse_milli(pk.tr, &ms) != 0)
				return "bad response time";
			event_set_u64(ev, EV_DURATION_MS, (uint64_t)ms);
		} else {
			if (num_parse_u64(pk.tr, UINT64_MAX, &u) != 0)
				return "bad response time";
			ev->f[EV_DURATION_MS] = pk.tr;
		}
	}
	if (pk.method.n)
		ev->f[EV_METHOD] = pk.method;
	if (slice_has_prefix(pk.url, "error:")) {
		event_add_extra(ev, "error", slice_from(pk.url, 6));
	} else if (pk.url.n) {
		ev->f[EV_URL] = pk.url;
		url_fill_target(ev, pk.method, pk.url);
	}
	if (ev->f[EV_DST_HOST].n == 0)
		ev->f[EV_DST_HOST] = pk.domain.n ? pk.domain :
		    pk.sni.n ? pk.sni : pk.host;
	if (ev->f[EV_DST_PORT].n == 0)
		ev->f[EV_DST_PORT] = pk.uport.n ? pk.uport : pk.sport;
	if (pk.result.n)
		event_set_checked(ev, EV_ACTION,
		    squidfmt_code_denied(pk.result) ?
		    SLICE_LIT("deny") : SLICE_LIT("allow"));
	return NULL;
}

/* Rejects a line that matched neither format; miss says why. */
static enum line_result
lf_reject(struct lf_state *st, struct slice line,
    const struct squidfmt_miss *miss, struct parse_ctx *ctx)
{
	const struct squidfmt *sf = &st->main;
	char q[200], q2[200];

	switch (miss->kind) {
	case SQUIDFMT_MISS_VALUE:
		return fmt_reject(ctx, "%s: %s '%s'", st->name, miss->why,
		    diag_quote(q, sizeof q, miss->val));
	case SQUIDFMT_MISS_AMBIGUOUS:
		return fmt_reject(ctx, "%s: ambiguous line: a user name with "
		    "spaces (%%%s) could end in more than one place in '%s'",
		    st->name, sf->f[miss->field].name, diag_quote(q, sizeof q,
		    slice_from(line, miss->at)));
	case SQUIDFMT_MISS_TOO_MANY:
		return fmt_reject(ctx, "%s: too many ways to read a user name "
		    "with spaces (%%%s) in '%s'", st->name,
		    sf->f[miss->field].name, diag_quote(q, sizeof q,
		    slice_from(line, miss->at)));
	case SQUIDFMT_MISS_TEXT:
		break;
	}
	if (miss->field < 0)
		return fmt_reject(ctx, "%s: line does not begin with '%s'",
		    st->name, diag_quote(q, sizeof q, sf->lead));
	return fmt_reject(ctx, "%s: no '%s' after %%%s in '%s'", st->name,
	    diag_quote(q, sizeof q, sf->f[miss->field].after),
	    sf->f[miss->field].name, diag_quote(q2, sizeof q2,
	    slice_from(line, miss->at)));
}

static enum line_result
lf_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct lf_state *st = state;
	const struct squidfmt *sf = &st->main;
	struct squidfmt_miss miss, miss2;
	struct event *ev = ctx->ev;
	enum squidhdr_ua ua = SQUIDHDR_NONE;
	struct slice bad;
	const char *why;
	char q[200];
	int plain = 0, glance = 0;

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (st->csm && squidfmt_match_csm(line, st->vals, &plain) == 0) {
		glance = 1;	/* read as squidfmt_match would */
	} else {
		if (squidfmt_match(sf, line, st->vals, &miss) != 0) {
			/*
			 * A line with more than one reading is not tried
			 * against the shorter format: that would be a guess.
			 */
			if (st->alt.n == 0 ||
			    miss.kind == SQUIDFMT_MISS_AMBIGUOUS ||
			    miss.kind == SQUIDFMT_MISS_TOO_MANY ||
			    squidfmt_match(&st->alt, line, st->vals,
			    &miss2) != 0)
				return lf_reject(st, line, &miss, ctx);
			sf = &st->alt;
		}
		plain = linescan_plain(line.p, line.n);
	}
	event_set_checked(ev, EV_LOG, SLICE_LIT("proxy"));
	event_set_checked(ev, EV_FORMAT, st->name_s);	/* a format's name */
	/* first, so that ambiguous=1 comes before any other extra */
	if (st->ua_block >= 0 && st->ua_block < sf->n)
		ua = squidhdr_take_ua(ev, st->vals[st->ua_block],
		    sf->f[st->ua_block].enc);
	if (!(glance && squidcsm_fill(ev, st->vals) == 0) &&
	    (why = fill_event(ev, sf, st->vals, st->role, &bad)) != NULL)
		return fmt_reject(ctx, "%s: %s '%s'", st->name, why,
		    diag_quote(q, sizeof q, bad));
	if (plain)
		event_mark_plain(ev, line);
	if (ua == SQUIDHDR_AMBIGUOUS)
		fmt_warn(ctx, ev->origin_line, "%s: %%>h without an encoding "
		    "leaves '%%' as it is, so either of two User-Agent lines "
		    "may be another header's text: User-Agent left empty, "
		    "ambiguous=1 (log %%[>h or %%#>h)", st->name);
	return fmt_emit(ctx);
}

/*
 * How a line fits the common or combined layout: 100 with Squid's
 * trailing result:hierarchy token, 60 as plain Apache CLF/combined.
 */
static int
clf_score(const struct squidfmt *full, const struct squidfmt *plain,
    struct slice line, struct slice *vals)
{
	struct squidfmt_miss miss;
	const struct squidfmt *sf;
	int64_t ms;
	uint64_t u;
	size_t i;

	if (squidfmt_match(full, line, vals, &miss) == 0 &&
	    is_word(vals[full->n - 2]) && is_word(vals[full->n - 1]))
		sf = full;
	else if (squidfmt_match(plain, line, vals, &miss) == 0)
		sf = plain;
	else
		return 0;
	/* %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st */
	for (i = 0; i < 3; i++)
		if (slice_find(vals[i], ' ') >= 0)
			return 0;
	if (vals[0].n == 0 || parse_clf_time(vals[3], &ms) != 0 ||
	    !is_word(vals[4]) || vals[5].n == 0 ||
	    slice_find(vals[5], ' ') >= 0 || vals[6].n == 0 ||
	    vals[7].n != 3 || num_parse_u64(vals[7], 999, &u) != 0 ||
	    (vals[8].n && num_parse_u64(vals[8], UINT64_MAX, &u) != 0))
		return 0;
	for (i = 0; i < vals[4].n; i++)
		if (vals[4].p[i] < 'A' || vals[4].p[i] > 'Z')
			return 0;
	for (i = 0; i < vals[6].n; i++)
		if ((vals[6].p[i] < '0' || vals[6].p[i] > '9') &&
		    vals[6].p[i] != '.')
			return 0;
	return sf == full ? 100 : 60;
}

static int
sniff_with(const char *full_text, const char *plain_text,
    const struct slice *lines, int n)
{
	struct squidfmt full, plain;
	struct slice vals[16];
	char err[100];
	int i, data = 0, score = 0;

	memset(&plain, 0, sizeof plain);
	if (squidfmt_compile(&full, full_text, err, sizeof err) != 0 ||
	    squidfmt_compile(&plain, plain_text, err, sizeof err) != 0 ||
	    full.n > 16 || plain.n > 16) {
		squidfmt_release(&full);
		squidfmt_release(&plain);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (slice_trim(lines[i]).n == 0)
			continue;
		data++;
		score += clf_score(&full, &plain, lines[i], vals);
	}
	squidfmt_release(&full);
	squidfmt_release(&plain);
	return data ? score / data : 0;
}

static int
common_sniff(const struct slice *lines, int n)
{
	return sniff_with(CLF_PART SQUID_TOKEN, CLF_PART, lines, n);
}

static int
combined_sniff(const struct slice *lines, int n)
{
	return sniff_with(COMBINED_PART SQUID_TOKEN, COMBINED_PART, lines, n);
}

/*
 * The recommended site format: a line scores when it matches the compiled
 * format and its first fields read as time, elapsed time, status and byte
 * counts.
 */
static int
csm_sniff(const struct slice *lines, int n)
{
	struct squidfmt sf;
	struct slice vals[16];
	char err[100];
	int i, data = 0, hits = 0;

	if (squidfmt_compile(&sf, SQUIDFMT_CSM, err, sizeof err) != 0 ||
	    sf.n > 16) {
		squidfmt_release(&sf);
		return 0;
	}
	for (i = 0; i < n; i++) {
		int64_t ms;
		uint64_t u;
		struct squidfmt_miss miss;

		if (slice_trim(lines[i]).n == 0)
			continue;
		data++;
		/* %ts.%03tu %6tr %>a %Ss/%03>Hs %>st %<st %rm ... */
		if (squidfmt_match(&sf, lines[i], vals, &miss) == 0 &&
		    num_parse_u64(vals[0], UINT64_MAX, &u) == 0 &&
		    num_parse_milli(vals[2], &ms) == 0 &&
		    num_parse_u64(vals[5], 999, &u) == 0 &&
		    num_parse_u64(vals[6], UINT64_MAX, &u) == 0 &&
		    num_parse_u64(vals[7], UINT64_MAX, &u) == 0)
			hits++;
	}
	squidfmt_release(&sf);
	return data ? hits * 100 / data : 0;
}

const struct fmt fmt_squid_common = {
	.name = "squid-common",
	.log = "proxy",
	.summary = "Squid logformat common (also Apache CLF)",
	.sniff = common_sniff,
	.open = common_open,
	.line = lf_line,
	.line_local = 1,
	.close = lf_close,
};

const struct fmt fmt_squid_combined = {
	.name = "squid-combined",
	.log = "proxy",
	.summary = "Squid logformat combined (also Apache combined)",
	.sniff = combined_sniff,
	.open = combined_open,
	.line = lf_line,
	.line_local = 1,
	.close = lf_close,
};

const struct fmt fmt_squid_csm = {
	.name = "squid-csm",
	.log = "proxy",
	.summary = "Squid logformat csm, the format recommended to sites",
	.sniff = csm_sniff,
	.open = csm_open,
	.line = lf_line,
	.line_local = 1,
	.close = lf_close,
};

const struct fmt fmt_squid_custom = {
	.name = "squid-custom",
	.log = "proxy",
	.summary = "Squid access.log in the logformat given with --logformat",
	.open = custom_open,
	.line = lf_line,
	.line_local = 1,
	.takes_logformat = 1,
	.close = lf_close,
};
