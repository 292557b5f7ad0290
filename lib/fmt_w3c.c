/*
 * fmt_w3c.c: the W3C Extended Log File Format as written by Blue Coat
 * (Symantec/Broadcom) ProxySG, Microsoft IIS and others (the Incapsula logs
 * API, say). "#" lines are directives; each "#Fields:" line names the
 * columns of the data lines after it, so columns are mapped by name and
 * re-mapped at every "#Fields:" (IIS repeats its header block after each
 * restart, and files get concatenated). Values are separated by spaces (by
 * tabs only, when the "#Fields:" line uses tabs), "-" means no value, and
 * double-quoted values may hold spaces. date and time are UTC by
 * definition; a local-time column is used only when they are absent.
 */
#include <stdlib.h>
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"
#include "url.h"

#define W3C_MAX_COLS 128

/* The columns csm reads; every other column is ignored. */
enum w3c_id {
	W_NONE, W_DATE, W_TIME, W_GMTTIME, W_LOCALTIME, W_TIME_TAKEN,
	W_C_IP, W_C_PORT, W_USER, W_CS_HOST, W_HOST_HDR, W_R_HOST, W_R_IP,
	W_R_PORT, W_SUPPLIER_IP, W_S_IP, W_S_PORT, W_COMPUTER, W_METHOD,
	W_SCHEME, W_URI_PORT, W_PATH, W_QUERY, W_STEM, W_URI, W_STATUS,
	W_CS_BYTES, W_SC_BYTES, W_UA, W_S_ACTION, W_SC_ACTION, W_FILTER,
	W_CATEGORIES, W_EXCEPTION, W_AUTH_GROUP, W_HIER, W_SUPPLIER_NAME,
	W_SITENAME, W_MIME, W_REFERER, W_XFF, W_VIRUS, W_SUBSTATUS, W_WIN32,
	W_NIDS
};

/*
 * Field names (compared ignoring case) and whether the name alone shows a
 * forward proxy log: only proxies log the origin server (r-*, s-supplier-*),
 * a URL scheme and port, or a policy verdict.
 */
static const struct w3c_name {
	const char *name;
	enum w3c_id id;
	int proxy;
} w3c_names[] = {
	{ "date", W_DATE, 0 }, { "time", W_TIME, 0 },
	{ "gmttime", W_GMTTIME, 0 }, { "localtime", W_LOCALTIME, 0 },
	{ "x-localtime", W_LOCALTIME, 0 }, { "time-taken", W_TIME_TAKEN, 0 },
	{ "c-ip", W_C_IP, 0 }, { "c-port", W_C_PORT, 0 },
	{ "cs-username", W_USER, 0 }, { "cs-host", W_CS_HOST, 0 },
	{ "cs-uri-host", W_CS_HOST, 1 }, { "cs(host)", W_HOST_HDR, 0 },
	{ "r-host", W_R_HOST, 1 }, { "r-ip", W_R_IP, 1 },
	{ "r-port", W_R_PORT, 1 }, { "s-supplier-ip", W_SUPPLIER_IP, 1 },
	{ "s-ip", W_S_IP, 0 }, { "s-port", W_S_PORT, 0 },
	{ "s-computername", W_COMPUTER, 0 }, { "cs-method", W_METHOD, 0 },
	{ "cs-uri-scheme", W_SCHEME, 1 }, { "cs-uri-port", W_URI_PORT, 1 },
	{ "cs-uri-path", W_PATH, 0 }, { "cs-uri-query", W_QUERY, 0 },
	{ "cs-uri-stem", W_STEM, 0 }, { "cs-uri", W_URI, 0 },
	{ "sc-status", W_STATUS, 0 }, { "cs-bytes", W_CS_BYTES, 0 },
	{ "sc-bytes", W_SC_BYTES, 0 }, { "cs(user-agent)", W_UA, 0 },
	{ "s-action", W_S_ACTION, 1 }, { "sc-action", W_SC_ACTION, 0 },
	{ "sc-filter-result", W_FILTER, 1 },
	{ "cs-categories", W_CATEGORIES, 1 },
	{ "sc-filter-category", W_CATEGORIES, 1 },
	{ "x-exception-id", W_EXCEPTION, 1 },
	{ "cs-auth-group", W_AUTH_GROUP, 1 }, { "s-hierarchy", W_HIER, 1 },
	{ "s-supplier-name", W_SUPPLIER_NAME, 1 },
	{ "s-sitename", W_SITENAME, 0 }, { "rs(content-type)", W_MIME, 0 },
	{ "cs(referer)", W_REFERER, 0 }, { "cs(referrer)", W_REFERER, 0 },
	{ "cs(x-forwarded-for)", W_XFF, 0 }, { "s-xff", W_XFF, 0 },
	{ "x-virus-id", W_VIRUS, 0 }, { "sc-substatus", W_SUBSTATUS, 0 },
	{ "sc-win32-status", W_WIN32, 0 }
};

/* Per-input state: the column map of the last "#Fields:" line. */
struct w3c_state {
	int col[W_NIDS];	/* column of each known field, or -1 */
	int ncols;		/* columns named; 0 = no usable #Fields yet */
	int seen_fields;	/* some #Fields line came, even a bad one */
	int tabs;		/* #Fields used tabs: split data on tabs only */
	int fields_proxy;	/* a proxy-only column is present */
	int sw_iis, sw_sgos;	/* what the last #Software line named */
};

static const char bom[] = "\xef\xbb\xbf";

static struct slice
strip_bom(struct slice s)
{
	return slice_has_prefix(s, bom) ? slice_from(s, 3) : s;
}

static int
has_prefix_nocase(struct slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && slice_eq_nocase(slice_make(s.p, n), lit);
}

static int
contains(struct slice s, const char *lit)
{
	return s.n && memmem(s.p, s.n, lit, strlen(lit)) != NULL;
}

static const struct w3c_name *
name_lookup(struct slice name)
{
	size_t i;

	for (i = 0; i < sizeof w3c_names / sizeof w3c_names[0]; i++)
		if (slice_eq_nocase(name, w3c_names[i].name))
			return &w3c_names[i];
	return NULL;
}

/*
 * How sure a "#Fields:" list is W3C web or proxy traffic: date and time
 * (or a local-time column) plus one HTTP column. Windows Firewall and other
 * W3C-shaped logs have date and time but none of these.
 */
static int
fields_score(struct slice list)
{
	struct slice name;
	int date = 0, tm = 0, local = 0, http = 0;

	while ((name = slice_next_word(&list)).n) {
		const struct w3c_name *wn = name_lookup(name);

		if (wn == NULL)
			continue;
		switch (wn->id) {
		case W_DATE: date = 1; break;
		case W_TIME: tm = 1; break;
		case W_GMTTIME:
		case W_LOCALTIME: local = 1; break;
		case W_C_IP: case W_METHOD: case W_URI: case W_STEM:
		case W_PATH: case W_CS_HOST: case W_STATUS: case W_UA:
		case W_S_ACTION:
			http = 1;
			break;
		default:
			break;
		}
	}
	return !http ? 0 : date && tm ? 95 : local ? 90 : tm ? 70 : 0;
}

static int
w3c_sniff(const struct slice *lines, int n)
{
	int i, best = 0;

	for (i = 0; i < n; i++) {
		struct slice l = slice_trim(strip_bom(lines[i]));

		if (has_prefix_nocase(l, "#Software:")) {
			struct slice sw = slice_trim(slice_from(l, 10));

			/* Same header, other meaning: leave them to their own. */
			if (contains(sw, "Exchange") ||
			    contains(sw, "Windows Firewall"))
				return 0;
			if (slice_has_prefix(sw, "SGOS") ||
			    contains(sw, "Internet Information Services"))
				best = 100;
		} else if (has_prefix_nocase(l, "#Fields:")) {
			int s = fields_score(slice_from(l, 8));
			if (s > best)
				best = s;
		}
	}
	return best;
}

static void *
w3c_open(struct parse_ctx *ctx)
{
	struct w3c_state *st = calloc(1, sizeof *st);

	if (st == NULL)
		fmt_reject(ctx, "w3c: out of memory");
	return st;
}

/* Maps the columns of a "#Fields:" list (the text after the colon). */
static enum line_result
w3c_fields(struct w3c_state *st, struct slice list, struct parse_ctx *ctx)
{
	struct slice rest = list, name, first = SLICE_NONE;
	int i, n = 0, proxy = 0;
	char q[200];

	st->seen_fields = 1;
	st->ncols = 0;
	for (i = 0; i < W_NIDS; i++)
		st->col[i] = -1;
	while ((name = slice_next_word(&rest)).n) {
		const struct w3c_name *wn = name_lookup(name);

		if (n == W3C_MAX_COLS)
			return fmt_reject(ctx, "w3c: #Fields names more than "
			    "%d fields", W3C_MAX_COLS);
		if (n == 0)
			first = name;
		if (wn && st->col[wn->id] < 0)
			st->col[wn->id] = n;
		if (wn && wn->proxy)
			proxy = 1;
		n++;
	}
	if (n == 0)
		return fmt_reject(ctx, "w3c: empty #Fields line");
	if (n == 1 && slice_find(first, ',') >= 0)
		return fmt_reject(ctx, "w3c: comma-separated #Fields '%s' "
		    "(not W3C extended)", diag_quote(q, sizeof q, first));
	st->ncols = n;
	st->tabs = slice_find(slice_trim(list), '\t') >= 0;
	st->fields_proxy = proxy;
	return LINE_SKIPPED;
}

/* Remembers what wrote the log (#Software) and maps #Fields. */
static enum line_result
w3c_directive(struct w3c_state *st, struct slice line, struct parse_ctx *ctx)
{
	if (has_prefix_nocase(line, "#Software:")) {
		struct slice sw = slice_trim(slice_from(line, 10));

		st->sw_sgos = slice_has_prefix(sw, "SGOS");
		st->sw_iis = contains(sw, "Internet Information Services");
	} else if (has_prefix_nocase(line, "#Fields:")) {
		return w3c_fields(st, slice_from(line, 8), ctx);
	}
	return LINE_SKIPPED;	/* #Version, #Date, #Remark, ... */
}

/*
 * Copies a quoted value with its doubled quotes ("") made single into the
 * event's scratch space.
 */
static struct slice
undouble_quotes(struct event *ev, struct slice s)
{
	char *dst;
	size_t i, o = 0;

	if (EVENT_SCRATCH - ev->scratch_used < s.n)
		return SLICE_NONE;
	dst = ev->scratch + ev->scratch_used;
	for (i = 0; i < s.n; i++) {
		dst[o++] = s.p[i];
		if (s.p[i] == '"' && i + 1 < s.n && s.p[i + 1] == '"')
			i++;
	}
	ev->scratch_used += o;
	return slice_make(dst, o);
}

/*
 * Splits a data line into val[] (W3C_MAX_COLS). A value that starts with a
 * quote ends at a quote followed by a separator or the end of the line
 * ("" inside stands for one quote); a stray quote elsewhere is kept as a
 * byte. IIS never quotes (it writes a space as '+'), so in its logs a
 * quote is data: a client must not be able to hide its request by sending
 * a User-Agent that opens a quote. The local-time columns may be
 * "[dd/Mon/yyyy:hh:mm:ss +zzzz]", which holds a space. Returns the number
 * of values, or -1 with *bad pointing at the unterminated value.
 */
static int
split_values(const struct w3c_state *st, struct slice line, struct event *ev,
    struct slice *val, struct slice *bad)
{
	const char *p = line.p;
	size_t i = 0, len = line.n;
	int n = 0;

#define W3C_SEP(c) ((c) == '\t' || (!st->tabs && (c) == ' '))
	if (!st->tabs)
		while (i < len && W3C_SEP(p[i]))
			i++;
	while (i < len) {
		size_t j, start = i;

		if (n == W3C_MAX_COLS)
			return n + 1;	/* more than any #Fields names */
		if (p[i] == '"' && !st->sw_iis) {
			int doubled = 0;

			for (j = i + 1;; j++) {
				if (j >= len) {
					*bad = slice_make(p + start, len - start);
					return -1;
				}
				if (p[j] != '"')
					continue;
				if (j + 1 < len && p[j + 1] == '"') {
					doubled = 1;
					j++;
				} else if (j + 1 == len || W3C_SEP(p[j + 1])) {
					break;
				}
			}
			val[n] = slice_make(p + i + 1, j - i - 1);
			if (doubled)
				val[n] = undouble_quotes(ev, val[n]);
			i = j + 1;
		} else if (p[i] == '[' && (n == st->col[W_LOCALTIME] ||
		    n == st->col[W_GMTTIME])) {
			for (j = i + 1; j < len && p[j] != ']'; j++)
				;
			if (j >= len) {
				*bad = slice_make(p + start, len - start);
				return -1;
			}
			val[n] = slice_make(p + i, j + 1 - i);
			i = j + 1;
		} else {
			while (i < len && !W3C_SEP(p[i]))
				i++;
			val[n] = slice_make(p + start, i - start);
		}
		n++;
		if (st->tabs) {
			/* One tab per separator: a trailing one ends an empty value. */
			if (i < len && ++i == len) {
				if (n == W3C_MAX_COLS)
					return n + 1;
				val[n++] = SLICE_NONE;
			}
		} else {
			while (i < len && W3C_SEP(p[i]))
				i++;
		}
	}
#undef W3C_SEP
	return n;
}

/* Milliseconds of an optional ".fff..." at s[i..]; -1 for other text. */
static int
fraction_ms(struct slice s, size_t i)
{
	int ms = 0, scale = 100;

	if (i == s.n)
		return 0;
	if (s.p[i] != '.' || i + 1 == s.n)
		return -1;
	for (i++; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		ms += (s.p[i] - '0') * scale;
		scale /= 10;
	}
	return ms;
}

/* "YYYY-MM-DD" and "HH:MM:SS[.fff]", both UTC, into *ms. */
static int
parse_date_time(struct slice date, struct slice tm, int64_t *ms)
{
	int y, mo, d, h, mi, s, frac;
	int64_t sec;

	if (date.n != 10 || date.p[4] != '-' || date.p[7] != '-' ||
	    num_parse_digits(date.p, 4, &y) ||
	    num_parse_digits(date.p + 5, 2, &mo) ||
	    num_parse_digits(date.p + 8, 2, &d))
		return -1;
	if (tm.n < 8 || tm.p[2] != ':' || tm.p[5] != ':' ||
	    num_parse_digits(tm.p, 2, &h) ||
	    num_parse_digits(tm.p + 3, 2, &mi) ||
	    num_parse_digits(tm.p + 6, 2, &s) ||
	    (frac = fraction_ms(tm, 8)) < 0)
		return -1;
	if ((sec = time_utc_seconds(y, mo, d, h, mi, s)) < 0)
		return -1;
	*ms = sec * 1000 + frac;
	return 0;
}

/* Local wall-clock milliseconds (as if UTC) to UTC in the --tz zone. */
static int64_t
local_to_utc_ms(int64_t ms)
{
	int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);

	return time_local_to_utc(sec) * 1000 + (ms - sec * 1000);
}

/*
 * A local-time column: "[dd/Mon/yyyy:hh:mm:ss +zzzz]" (also "GMT"/"UTC"
 * for the zone) or ISO "YYYY-MM-DD hh:mm:ss[.fff][zone]". Without a zone
 * the time is local to the --tz zone, unless gmt says it is UTC.
 */
static int
parse_local_time(struct slice s, int gmt, int64_t *ms)
{
	int d, mo, y, h, mi, sec, oh, om;
	struct slice zone;
	int64_t t;
	size_t i;

	if (s.n >= 2 && s.p[0] == '[' && s.p[s.n - 1] == ']') {
		s = slice_make(s.p + 1, s.n - 2);
		if (s.n < 20 || s.p[2] != '/' || s.p[6] != '/' ||
		    s.p[11] != ':' || s.p[14] != ':' || s.p[17] != ':' ||
		    num_parse_digits(s.p, 2, &d) ||
		    num_parse_digits(s.p + 7, 4, &y) ||
		    num_parse_digits(s.p + 12, 2, &h) ||
		    num_parse_digits(s.p + 15, 2, &mi) ||
		    num_parse_digits(s.p + 18, 2, &sec) ||
		    (mo = time_month_from_abbr(slice_make(s.p + 3, 3))) == 0)
			return -1;
		if ((t = time_utc_seconds(y, mo, d, h, mi, sec)) < 0)
			return -1;
		zone = slice_trim(slice_from(s, 20));
		if (zone.n == 0) {
			*ms = gmt ? t * 1000 : local_to_utc_ms(t * 1000);
			return 0;
		}
		if (slice_eq(zone, "GMT") || slice_eq(zone, "UTC") ||
		    slice_eq(zone, "Z")) {
			*ms = t * 1000;
			return 0;
		}
		if (zone.n != 5 || (zone.p[0] != '+' && zone.p[0] != '-') ||
		    num_parse_digits(zone.p + 1, 2, &oh) ||
		    num_parse_digits(zone.p + 3, 2, &om) || oh > 23 || om > 59)
			return -1;
		t -= (zone.p[0] == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
		*ms = t * 1000;
		return 0;
	}
	if (time_parse_rfc3339(s, &t) != 0)
		return -1;
	/* A zone follows the seconds and their fraction, if anything does. */
	for (i = 19; i < s.n && (s.p[i] == '.' || (s.p[i] >= '0' &&
	    s.p[i] <= '9')); i++)
		;
	*ms = i < s.n || gmt ? t : local_to_utc_ms(t);
	return 0;
}

/*
 * IIS writes a space in cs(User-Agent) as '+' and leaves a real '+' as it
 * is, so "; +http://..." (bots) comes out as ";++http://...". Every '+'
 * becomes a space except one right before "http" that follows '+' or '('
 * or starts the value: the usual spot of a real plus. Returns a slice of
 * the event's scratch space (s itself when there is no '+' to decode).
 */
static struct slice
iis_decode_ua(struct event *ev, struct slice s)
{
	char *dst;
	size_t i;

	if (slice_find(s, '+') < 0 || EVENT_SCRATCH - ev->scratch_used < s.n)
		return s;
	dst = ev->scratch + ev->scratch_used;
	for (i = 0; i < s.n; i++) {
		int literal = i + 5 <= s.n && memcmp(s.p + i + 1, "http", 4) == 0 &&
		    (i == 0 || s.p[i - 1] == '+' || s.p[i - 1] == '(');
		dst[i] = s.p[i] == '+' && !literal ? ' ' : s.p[i];
	}
	ev->scratch_used += s.n;
	return slice_make(dst, s.n);
}

/* Appends to a string being built in the event's scratch space. */
struct sbuf {
	char *p;
	size_t n, cap;
	int over;
};

static void
sb_put(struct sbuf *b, struct slice s)
{
	if (s.n == 0)
		return;
	if (b->over || b->cap - b->n < s.n) {
		b->over = 1;
		return;
	}
	memcpy(b->p + b->n, s.p, s.n);
	b->n += s.n;
}

/* Appends "?query" (ProxySG logs the '?', IIS does not). */
static void
sb_put_query(struct sbuf *b, struct slice query)
{
	if (query.n == 0)
		return;
	if (query.p[0] != '?')
		sb_put(b, SLICE_LIT("?"));
	sb_put(b, query);
}

/* Appends a host, bracketing an IPv6 literal for use in a URL. */
static void
sb_put_host(struct sbuf *b, struct slice host)
{
	int v6 = slice_find(host, ':') >= 0 && host.p[0] != '[';

	if (v6)
		sb_put(b, SLICE_LIT("["));
	sb_put(b, host);
	if (v6)
		sb_put(b, SLICE_LIT("]"));
}

static int
default_port(struct slice scheme, struct slice port)
{
	return (slice_eq_nocase(scheme, "http") && slice_eq(port, "80")) ||
	    (slice_eq_nocase(scheme, "https") && slice_eq(port, "443")) ||
	    (slice_eq_nocase(scheme, "ftp") && slice_eq(port, "21"));
}

/*
 * The request URL: cs-uri as logged (with cs-uri-query added when it has
 * no query of its own), else rebuilt from ProxySG's parts as
 * scheme://host[:port]path?query, or "host:port" for a tunnel (CONNECT,
 * or scheme tcp/ssl), else IIS's cs-uri-stem?cs-uri-query (relative).
 */
static struct slice
build_url(struct event *ev, const struct slice *f)
{
	struct slice host = f[W_CS_HOST], path = f[W_PATH];
	struct sbuf b;

	b.p = ev->scratch + ev->scratch_used;
	b.n = 0;
	b.cap = EVENT_SCRATCH - ev->scratch_used;
	b.over = 0;
	if (path.n == 0)
		path = f[W_STEM];
	if (f[W_URI].n) {
		if (f[W_QUERY].n == 0 || slice_find(f[W_URI], '?') >= 0)
			return f[W_URI];
		sb_put(&b, f[W_URI]);
		sb_put_query(&b, f[W_QUERY]);
	} else if (host.n && (slice_eq_nocase(f[W_METHOD], "CONNECT") ||
	    slice_eq_nocase(f[W_SCHEME], "tcp") ||
	    slice_eq_nocase(f[W_SCHEME], "ssl"))) {
		sb_put_host(&b, host);
		if (f[W_URI_PORT].n) {
			sb_put(&b, SLICE_LIT(":"));
			sb_put(&b, f[W_URI_PORT]);
		}
	} else if (host.n && f[W_SCHEME].n) {
		sb_put(&b, f[W_SCHEME]);
		sb_put(&b, SLICE_LIT("://"));
		sb_put_host(&b, host);
		if (f[W_URI_PORT].n && !default_port(f[W_SCHEME],
		    f[W_URI_PORT])) {
			sb_put(&b, SLICE_LIT(":"));
			sb_put(&b, f[W_URI_PORT]);
		}
		sb_put(&b, path);
		sb_put_query(&b, f[W_QUERY]);
	} else {
		if (f[W_QUERY].n == 0)
			return path;
		sb_put(&b, path);
		sb_put_query(&b, f[W_QUERY]);
	}
	if (b.over)
		return f[W_URI].n ? f[W_URI] : path;	/* too long to join */
	ev->scratch_used += b.n;
	return slice_make(b.p, b.n);
}

/* Sets col from v unless empty; -1 when v is not a number up to max. */
static int
set_num(struct event *ev, enum ev_col col, struct slice v, uint64_t max)
{
	uint64_t u;

	if (v.n == 0)
		return 0;	/* keep what the URL gave */
	if (num_parse_u64(v, max, &u) != 0)
		return -1;
	ev->f[col] = v;
	return 0;
}

/* Sets dst_ip from v when v is an address. */
static void
set_dst_ip(struct event *ev, struct slice v)
{
	struct ipaddr ip;

	if (ev->f[EV_DST_IP].n == 0 && v.n && ip_parse(v, &ip) == 0)
		ev->f[EV_DST_IP] = v;
}

/* Whether the request was refused by policy (ProxySG, Incapsula). */
static int
is_denied(const struct slice *f)
{
	return slice_eq_nocase(f[W_FILTER], "DENIED") ||
	    contains(f[W_S_ACTION], "DENIED") ||
	    contains(f[W_SC_ACTION], "DENIED") ||
	    contains(f[W_SC_ACTION], "BLOCKED");
}

/*
 * The vendor columns worth keeping, with their short keys in extra (IIS's
 * sub-status and Win32 status only when not 0, which every line has).
 */
static const struct {
	enum w3c_id id;
	const char *key;
} w3c_extras[] = {
	{ W_S_ACTION, "result" }, { W_SC_ACTION, "result" },
	{ W_FILTER, "filter" }, { W_CATEGORIES, "cat" },
	{ W_EXCEPTION, "exception" }, { W_AUTH_GROUP, "group" },
	{ W_HIER, "hier" }, { W_SUPPLIER_NAME, "peer" },
	{ W_SITENAME, "site" }, { W_MIME, "mime" },
	{ W_REFERER, "referer" }, { W_XFF, "xff" }, { W_VIRUS, "virus" },
	{ W_SUBSTATUS, "substatus" }, { W_WIN32, "win32" }
};

/*
 * Fills the event from the values of the known columns (f[], "-" already
 * emptied). Where s-ip belongs depends on what logged: a proxy (ProxySG:
 * "#Software: SGOS", or a proxy-only column such as cs-uri-scheme) logs
 * its own address there, so s-ip is the device and the destination comes
 * from cs-host, cs-uri-port and r-ip; a web server (IIS, Incapsula's
 * front end) logs the server the client reached, so s-ip and s-port are
 * dst_ip and dst_port.
 */
static enum line_result
w3c_event(const struct w3c_state *st, const struct slice *f,
    struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	int proxy = (st->sw_sgos || st->fields_proxy) && !st->sw_iis;
	struct slice url, host, method = f[W_METHOD], v;
	struct ipaddr ip;
	uint64_t u;
	int64_t ms;
	size_t i;
	char q[200];

	ev->f[EV_LOG] = SLICE_LIT("proxy");
	ev->f[EV_FORMAT] = SLICE_LIT("w3c");
	if (st->col[W_DATE] >= 0 && st->col[W_TIME] >= 0) {
		char q2[200];

		if (parse_date_time(f[W_DATE], f[W_TIME], &ev->ts_ms) != 0)
			return fmt_reject(ctx, "w3c: bad date or time '%s' '%s'",
			    diag_quote(q, sizeof q, f[W_DATE]),
			    diag_quote(q2, sizeof q2, f[W_TIME]));
		ev->has_ts = 1;
	} else if (st->col[W_GMTTIME] >= 0 || st->col[W_LOCALTIME] >= 0) {
		int gmt = st->col[W_GMTTIME] >= 0;

		v = gmt ? f[W_GMTTIME] : f[W_LOCALTIME];
		if (parse_local_time(v, gmt, &ev->ts_ms) != 0)
			return fmt_reject(ctx, "w3c: bad time '%s'",
			    diag_quote(q, sizeof q, v));
		ev->has_ts = 1;
	}

	v = f[W_C_IP];
	if (v.n && ip_parse(v, &ip) == 0)
		ev->f[EV_SRC_IP] = v;
	else if (v.n)
		event_add_extra(ev, "client", v);
	if (set_num(ev, EV_SRC_PORT, f[W_C_PORT], 65535) != 0)
		return fmt_reject(ctx, "w3c: bad client port '%s'",
		    diag_quote(q, sizeof q, f[W_C_PORT]));
	ev->f[EV_USER] = f[W_USER];
	ev->f[EV_METHOD] = method;

	/* The destination: what the URL says, then the explicit columns. */
	url = build_url(ev, f);
	ev->f[EV_URL] = url;
	if (proxy) {
		set_dst_ip(ev, f[W_R_IP]);
		set_dst_ip(ev, f[W_SUPPLIER_IP]);
	} else {
		set_dst_ip(ev, f[W_S_IP]);
	}
	url_fill_target(ev, contains(url, "://") ? SLICE_NONE : method, url);
	host = f[W_CS_HOST].n ? f[W_CS_HOST] : f[W_HOST_HDR].n ?
	    f[W_HOST_HDR] : f[W_R_HOST];
	/*
	 * The client writes its Host header as it likes; where the URL
	 * names the target, a proxy goes there (RFC 9112 3.2.2, 3.2.3).
	 */
	if (f[W_CS_HOST].n == 0 && f[W_HOST_HDR].n && ev->f[EV_DST_HOST].n)
		host = SLICE_NONE;
	if (host.n && (slice_find(host, ':') < 0 || ip_parse(host, &ip) == 0)) {
		ev->f[EV_DST_HOST] = host;
		set_dst_ip(ev, host);
	} else if (host.n) {
		url_fill_target(ev, SLICE_LIT("CONNECT"), host); /* h:p, [v6] */
	}
	v = proxy ? (f[W_URI_PORT].n ? f[W_URI_PORT] : f[W_R_PORT]) :
	    f[W_S_PORT];
	if (set_num(ev, EV_DST_PORT, v, 65535) != 0)
		return fmt_reject(ctx, "w3c: bad port '%s'",
		    diag_quote(q, sizeof q, v));
	if (f[W_COMPUTER].n)
		ev->f[EV_DEVICE] = f[W_COMPUTER];
	else if (proxy)
		ev->f[EV_DEVICE] = f[W_S_IP];

	v = f[W_STATUS];
	if (v.n && num_parse_u64(v, 999, &u) != 0)
		return fmt_reject(ctx, "w3c: bad HTTP status '%s'",
		    diag_quote(q, sizeof q, v));
	if (v.n && u != 0)	/* 0: no response was sent */
		ev->f[EV_STATUS] = v;
	if (set_num(ev, EV_BYTES_OUT, f[W_CS_BYTES], UINT64_MAX) != 0)
		return fmt_reject(ctx, "w3c: bad byte count '%s'",
		    diag_quote(q, sizeof q, f[W_CS_BYTES]));
	if (set_num(ev, EV_BYTES_IN, f[W_SC_BYTES], UINT64_MAX) != 0)
		return fmt_reject(ctx, "w3c: bad byte count '%s'",
		    diag_quote(q, sizeof q, f[W_SC_BYTES]));
	/* ProxySG and IIS log whole milliseconds; a fraction means seconds. */
	v = f[W_TIME_TAKEN];
	if (v.n && slice_find(v, '.') >= 0 && num_parse_milli(v, &ms) == 0)
		event_set_u64(ev, EV_DURATION_MS, (uint64_t)ms);
	else if (set_num(ev, EV_DURATION_MS, v, UINT64_MAX) != 0)
		return fmt_reject(ctx, "w3c: bad time-taken '%s'",
		    diag_quote(q, sizeof q, v));

	v = f[W_UA];
	if (st->sw_iis || (slice_find(v, ' ') < 0 && slice_find(v, '+') >= 0))
		v = iis_decode_ua(ev, v);
	ev->f[EV_UA] = v;
	/* Only a log with a policy column says whether anything was refused. */
	if (st->col[W_FILTER] >= 0 || st->col[W_S_ACTION] >= 0 ||
	    st->col[W_SC_ACTION] >= 0)
		ev->f[EV_ACTION] = is_denied(f) ? SLICE_LIT("deny") :
		    SLICE_LIT("allow");

	for (i = 0; i < sizeof w3c_extras / sizeof w3c_extras[0]; i++) {
		v = f[w3c_extras[i].id];
		if (v.n && !(w3c_extras[i].id >= W_SUBSTATUS &&
		    slice_eq(v, "0")))
			event_add_extra(ev, w3c_extras[i].key, v);
	}
	return fmt_emit(ctx);
}

static enum line_result
w3c_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct w3c_state *st = state;
	struct slice val[W3C_MAX_COLS], f[W_NIDS], bad;
	char q[200];
	int i, n;

	line = strip_bom(line);
	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (line.p[0] == '#')
		return w3c_directive(st, line, ctx);
	if (st->ncols == 0)
		return fmt_reject(ctx, st->seen_fields ?
		    "w3c: data line after an unusable #Fields line" :
		    "w3c: data line before any #Fields line");
	n = split_values(st, line, ctx->ev, val, &bad);
	if (n < 0)
		return fmt_reject(ctx, "w3c: unterminated quoted value '%s'",
		    diag_quote(q, sizeof q, bad));
	if (n > W3C_MAX_COLS)
		return fmt_reject(ctx, "w3c: more than %d values, #Fields "
		    "names %d", W3C_MAX_COLS, st->ncols);
	if (n != st->ncols)
		return fmt_reject(ctx, "w3c: %d values, #Fields names %d", n,
		    st->ncols);
	for (i = 0; i < W_NIDS; i++) {
		f[i] = st->col[i] >= 0 ? val[st->col[i]] : SLICE_NONE;
		if (slice_eq(f[i], "-"))
			f[i] = SLICE_NONE;
	}
	return w3c_event(st, f, ctx);
}

const struct fmt fmt_w3c = {
	.name = "w3c",
	.log = "proxy",
	.summary = "W3C extended log: Blue Coat ProxySG, Microsoft IIS",
	.sniff = w3c_sniff,
	.open = w3c_open,
	.line = w3c_line,
	.close = free,		/* the state holds no pointers */
};
