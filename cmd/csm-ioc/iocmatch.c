/*
 * iocmatch.c: csm-ioc's per-event work. Each proxy, DNS, firewall and
 * mail event is asked about the fields where a listed destination shows:
 * a proxy request's host, URL, TLS server name and server address; a DNS
 * query's name and every answer (addresses and CNAME targets; not the
 * answers of PTR queries, whose names are not destinations); a firewall
 * connection's destination address, and its host and URL where the
 * firewall logs them; a mail's envelope and header sender (address and
 * domain). Matches are counted per (source, indicator, log), with the
 * fields that matched, what was seen first and whether the device let
 * the traffic through. iocmatch_event checks each event and
 * iocmatch_record matches and counts it, remembering the hosts and
 * addresses that matched nothing, since logs repeat them. (The events are
 * read and split in evstream's own thread meanwhile, which also matches a
 * share of them: iocmatch_prep.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "esc.h"
#include "extra.h"
#include "iocmatch.h"
#include "ipaddr.h"
#include "num.h"

const char *const iocmatch_columns[IM_NCOLS] = {
	"log", "src_ip", "user", "dst_host", "dst_ip", "dst_port", "method",
	"url", "action", "qname", "qtype", "answer", "mail_from", "hdr_from",
	"bytes_out", "bytes_in", "origin", "extra"
};

const char *const iocmatch_log_names[LOG_NKINDS] = {
	"proxy", "dns", "firewall", "mail"
};
const char *const iocmatch_clauses[LOG_NKINDS] = {
	"19.1.2 proxy-1", "19.1.2 dns-1", "19.1.2 fw-1", "19.1.2 mail-1"
};
const char *const iocmatch_field_names[F_NFIELDS] = {
	"dst_host", "url", "dst_ip", "qname", "answer", "mail_from",
	"hdr_from", "sni"
};

#define MAX_FOUND 32
#define MAX_HITS 16

/* The matches of one event, each indicator once. */
struct found {
	struct {
		uint32_t id;
		unsigned bits;
		struct slice seen;	/* escaped, as in the event */
	} f[MAX_FOUND];
	size_t n;
	char joined[2048];	/* a W3C path joined to its host */
	char ported[2048];	/* the same with port 80 or 443 written */
	char url_host[256];	/* a URL's host other than the event's */
};

/*
 * What matching reads and the misses it remembers: the check's thread
 * and the reading thread (iocmatch_prep) each have their own memory.
 */
struct im_matcher {
	const struct ioc_set *set;
	struct im_miss *miss;
};

static void
note(struct found *fo, const struct ioc_hit *h, size_t nh, int field,
    struct slice seen)
{
	size_t i, k;

	for (i = 0; i < nh; i++) {
		unsigned bits = (1u << field) | (h[i].exact ? FL_EXACT :
		    FL_UNDER);

		for (k = 0; k < fo->n && fo->f[k].id != h[i].id; k++)
			;
		if (k < fo->n) {
			fo->f[k].bits |= bits;
			continue;
		}
		if (fo->n == MAX_FOUND)
			return;
		fo->f[k].id = h[i].id;
		fo->f[k].bits = bits;
		fo->f[k].seen = seen;
		fo->n++;
	}
}

/* The raw bytes of escaped field s: itself, or unescaped into buf. */
static struct slice
unesc(struct slice s, char *buf, size_t cap)
{
	if (memchr(s.p, '\\', s.n) == NULL)
		return s;
	if (s.n > cap)
		s.n = cap;
	return slice_make(buf, esc_unescape(buf, s));
}

/*
 * Misses remembered (struct im_miss): logs repeat their hosts and
 * addresses, and most of them are in no list.
 */
enum { Q_NAME = 1, Q_ADDR, Q_URLHOST, Q_DEST };

/* Whether query k of kind was a miss before; sets *h for remember. */
static int
missed(const struct im_matcher *m, int kind, struct slice k, uint32_t *h)
{
	const struct im_miss *e;

	*h = ioc_hash(k.p, k.n, (uint32_t)kind);
	if (k.n == 0 || k.n > sizeof e->key)
		return 0;
	e = &m->miss[*h & (IM_MISS_SLOTS - 1)];
	return e->h == *h && e->kind == kind && e->len == k.n &&
	    memcmp(e->key, k.p, k.n) == 0;
}

static void
remember(struct im_matcher *m, int kind, struct slice k, uint32_t h)
{
	struct im_miss *e = &m->miss[h & (IM_MISS_SLOTS - 1)];

	if (k.n == 0 || k.n > sizeof e->key)
		return;
	e->h = h;
	e->kind = (uint8_t)kind;
	e->len = (uint8_t)k.n;
	memcpy(e->key, k.p, k.n);
}

/*
 * An address (the text s, already parsed into ip) and its port, when
 * known (0 not): listed alone, with that port, or in a network.
 */
static void
addr_query(struct im_matcher *m, struct found *fo, struct slice s,
    const struct ipaddr *ip, unsigned port, int f)
{
	struct ioc_hit h[MAX_HITS];
	struct ipaddr v4;
	char key[64];
	size_t n = 0, nh;
	uint32_t hash = 0;
	int keyed = s.n <= 40;

	if (keyed) {
		memcpy(key, s.p, s.n);
		key[s.n] = '|';
		n = s.n + 1 + num_format_u64(key + s.n + 1, port);
		if (missed(m, Q_ADDR, slice_make(key, n), &hash))
			return;
	}
	nh = ioc_match_addr(m->set, ip, port, h, MAX_HITS);
	/* A NAT64 address goes to the IPv4 one inside: listed as that. */
	if (nh == 0 && ip_nat64_v4(ip, &v4))
		nh = ioc_match_addr(m->set, &v4, port, h, MAX_HITS);
	if (nh > 0)
		note(fo, h, nh, f, s);
	else if (keyed)
		remember(m, Q_ADDR, slice_make(key, n), hash);
}

/* A host name or address (escaped s) of field f. */
static void
host(struct im_matcher *m, struct found *fo, struct slice s, int f,
    unsigned port)
{
	struct ioc_hit h[MAX_HITS];
	struct ipaddr ip;
	char buf[1024];
	uint32_t hash;
	size_t nh;

	if (s.n == 0)
		return;
	/* A name starts with a letter or ends with one: no address. */
	if ((slice_find(s, ':') >= 0 || (s.p[0] >= '0' && s.p[0] <= '9' &&
	    s.p[s.n - 1] >= '0' && s.p[s.n - 1] <= '9')) &&
	    ip_parse(s, &ip) == 0) {
		addr_query(m, fo, s, &ip, port, f);
		return;
	}
	/* A browser goes to 198.51.100.66 for "3325256770" too. */
	if (s.p[0] >= '0' && s.p[0] <= '9' && ip_parse_url_v4(s, &ip) == 0) {
		addr_query(m, fo, s, &ip, port, f);
		return;
	}
	if (missed(m, Q_NAME, s, &hash))
		return;
	if ((nh = ioc_match_domain(m->set, unesc(s, buf, sizeof buf), h,
	    MAX_HITS)) == 0)
		remember(m, Q_NAME, s, hash);
	else
		note(fo, h, nh, f, s);
}

/*
 * Whether u starts with "scheme://" (a CONNECT target does not), a scheme
 * as long as the normaliser takes (16 bytes).
 */
static int
has_scheme(struct slice u)
{
	size_t i;

	for (i = 0; i < u.n && i <= 16 && u.p[i] != ':'; i++)
		;
	return i > 0 && u.n - i >= 3 && memcmp(u.p + i, "://", 3) == 0;
}

/*
 * The head of URL u (ioc_url_head) as a miss-memory key, or SLICE_NONE
 * when none will do. Whether a URL is listed under its host depends on
 * the unescaped head, and csm-parse's escaping never writes the bytes
 * that end one; but a stream from elsewhere may escape any byte ("\x2f"
 * for '/'), and then the escaped and unescaped heads end apart. A
 * backslash in the head or the two bytes after it (as far as the scheme
 * check reads) keeps the URL out of the memories.
 */
static struct slice
key_head(struct slice u)
{
	struct slice head = ioc_url_head(u);
	size_t n = head.n + 2 < u.n ? head.n + 2 : u.n;

	return memchr(u.p, '\\', n) != NULL ? SLICE_NONE : head;
}

/*
 * Writes "host[:port]path" into buf (cap bytes), an IPv6 address in
 * brackets, the port when it is not 0; its length, or 0 when it does not
 * fit.
 */
static size_t
join_url(char *buf, size_t cap, const char *scheme, struct slice host,
    unsigned port, struct slice path)
{
	struct ipaddr ip;
	int v6 = slice_find(host, ':') >= 0 && ip_parse(host, &ip) == 0;
	size_t n = strlen(scheme);

	/* Every event of a tunnel comes here: no printf. */
	if (n + host.n + path.n + 9 > cap)
		return 0;
	memcpy(buf, scheme, n);
	if (v6)
		buf[n++] = '[';
	memcpy(buf + n, host.p, host.n);
	n += host.n;
	if (v6)
		buf[n++] = ']';
	if (port) {
		buf[n++] = ':';
		n += num_format_u64(buf + n, port);
	}
	memcpy(buf + n, path.p, path.n);
	return n + path.n;
}

/*
 * The URL of a proxy or firewall event that matching asks about, and in
 * *ported a second form of it, or SLICE_NONE:
 * - a path alone (W3C, Zeek, a firewall's web filter) is joined to its
 *   host. The scheme is not logged, so port 80 or 443 is left out (as
 *   either scheme's default, so that a listed http:// or https:// URL
 *   matches), and the form with the port written is *ported (a listed
 *   "http://host:443/" is plain HTTP on port 443);
 * - a CONNECT tunnel is "https://host[:port]/": a URL listed for the
 *   whole site (its path "/") holds every request inside the tunnel,
 *   while one with a longer path cannot be told from it;
 * - a URL with its scheme is itself.
 */
static struct slice
url_target(const struct ioc_set *set, struct found *fo,
    const struct im_rec *r, struct slice *ported)
{
	struct slice u = r->f[R_URL], hs = r->f[R_HOST];
	unsigned port = r->port;
	int usual = port == 80 || port == 443;
	size_t n;

	*ported = SLICE_NONE;
	if (r->flags & R_CONNECT) {
		/* Most lists hold no site: most tunnels cost nothing here. */
		if (hs.n == 0 || !ioc_has_site_urls(set))
			return SLICE_NONE;
		n = join_url(fo->joined, sizeof fo->joined, "https://", hs,
		    port == 443 ? 0 : port, SLICE_LIT("/"));
		return slice_make(fo->joined, n);
	}
	if (u.n == 0)
		return SLICE_NONE;
	if (u.p[0] == '/' && hs.n > 0) {
		n = join_url(fo->joined, sizeof fo->joined, "", hs,
		    usual ? 0 : port, u);
		if (n > 0 && usual)
			*ported = slice_make(fo->ported, join_url(fo->ported,
			    sizeof fo->ported, "", hs, port, u));
		return slice_make(fo->joined, n);
	}
	return has_scheme(u) ? u : SLICE_NONE;
}

/*
 * The URL u (url_target's) of a proxy request. Returns 1 when its path
 * mattered: some URL is listed under its host.
 */
static int
url(struct im_matcher *m, struct found *fo, struct slice u)
{
	struct ioc_hit h[MAX_HITS];
	struct slice head, v;
	char buf[8192];
	uint32_t hash;

	if (u.n == 0)
		return 0;
	/*
	 * Most hosts have no URL listed: remember them, and skip their paths.
	 * The answer depends on the URL's head alone, scheme included (a
	 * default port is dropped, an odd scheme is no scheme): key_head.
	 */
	head = key_head(u);
	if (head.n > 0 && missed(m, Q_URLHOST, head, &hash))
		return 0;
	v = unesc(u, buf, sizeof buf);
	if (!ioc_url_host_listed(m->set, v)) {
		if (head.n > 0)
			remember(m, Q_URLHOST, head, hash);
		return 0;
	}
	note(fo, h, ioc_match_url(m->set, v, h, MAX_HITS), F_URL, u);
	return 1;
}

/* Whether a and b hold the same bytes, ASCII case aside. */
static int
same_nocase(struct slice a, struct slice b)
{
	return a.n == b.n && (a.n == 0 || strncasecmp(a.p, b.p, a.n) == 0);
}

/*
 * The host of URL u when it is not the event's host: a client may name
 * one host in the URL and another in its Host header (which a proxy log
 * may give as the host), and a forward proxy goes to the URL's. In
 * fo->url_host, lower case, unescaped; SLICE_NONE when the same or none.
 */
static struct slice
other_url_host(struct found *fo, struct slice u, struct slice host)
{
	struct slice head = ioc_url_head(u), v;
	char buf[8192], norm[8192];
	size_t i, start = 0, end;
	long n;

	/*
	 * The head ends with the event's host, after "//" or a user name:
	 * the same host (nearly always).
	 */
	if (host.n > 0 && head.n >= host.n && same_nocase(slice_make(
	    head.p + head.n - host.n, host.n), host) && (head.n == host.n ||
	    head.p[head.n - host.n - 1] == '/' ||
	    head.p[head.n - host.n - 1] == '@'))
		return SLICE_NONE;
	v = unesc(u, buf, sizeof buf);
	if ((n = ioc_url_normalise(norm, sizeof norm, v)) <= 0)
		return SLICE_NONE;
	if (norm[0] == '[')
		for (start = end = 1; end < (size_t)n && norm[end] != ']'; end++)
			;
	else
		for (end = 0; end < (size_t)n && norm[end] != ':' &&
		    norm[end] != '/'; end++)
			;
	if (end <= start || end - start >= sizeof fo->url_host)
		return SLICE_NONE;
	for (i = start; i < end; i++)
		if ((unsigned char)norm[i] < 0x21 || norm[i] == '\\')
			return SLICE_NONE;	/* no host name */
	memcpy(fo->url_host, norm + start, end - start);
	v = slice_make(fo->url_host, end - start);
	return same_nocase(v, host) ? SLICE_NONE : v;
}

/* Appends s to the key of n bytes; 0 when it does not fit. */
static int
key_add(char *key, size_t *n, size_t cap, struct slice s)
{
	if (s.n > cap - *n)
		return 0;
	if (s.n > 0)
		memcpy(key + *n, s.p, s.n);
	*n += s.n;
	return 1;
}

/*
 * Where a proxy or firewall event goes, as one key for the miss memory:
 * its log, host, address, port and TLS server name, and the head of the
 * URL asked about
 * (key_head): "-" none, "=" the host itself (a path joined to it), "~"
 * and what comes before the host ("https://"), or "A" and the head, each
 * part after a TAB, which escaped fields cannot hold. 0 when it is too
 * long to remember.
 */
static size_t
dest_key(const struct im_rec *r, struct slice u, char *key, size_t cap)
{
	struct slice head = u.n > 0 ? key_head(u) : SLICE_NONE;
	struct slice host = r->f[R_HOST];
	char port[8];
	size_t n = 0;
	int ok;

	if (u.n > 0 && head.n == 0)
		return 0;	/* no key will do (key_head) */

	key[n++] = r->log == LOG_PROXY ? 'p' : 'f';
	key[n++] = '\t';
	ok = key_add(key, &n, cap, host) &&
	    key_add(key, &n, cap, SLICE_LIT("\t")) &&
	    key_add(key, &n, cap, r->flags & R_DST ? r->f[R_DST_IP] :
	    SLICE_NONE) && key_add(key, &n, cap, SLICE_LIT("\t")) &&
	    key_add(key, &n, cap, slice_make(port,
	    num_format_u64(port, r->port))) &&
	    key_add(key, &n, cap, SLICE_LIT("\t")) &&
	    key_add(key, &n, cap, r->f[R_SNI]);
	if (u.n == 0)
		ok = ok && key_add(key, &n, cap, SLICE_LIT("\t-"));
	else if (head.n == host.n && memcmp(head.p, host.p, host.n) == 0)
		ok = ok && key_add(key, &n, cap, SLICE_LIT("\t="));
	else if (host.n > 0 && head.n > host.n && memcmp(head.p + head.n -
	    host.n, host.p, host.n) == 0)
		ok = ok && key_add(key, &n, cap, SLICE_LIT("\t~")) &&
		    key_add(key, &n, cap, slice_make(head.p, head.n - host.n));
	else
		ok = ok && key_add(key, &n, cap, SLICE_LIT("\tA")) &&
		    key_add(key, &n, cap, head);
	return ok ? n : 0;
}

/*
 * A proxy or firewall event: its host, URL, TLS server name and address
 * (a firewall's web filter logs a host and URL too). Most go where
 * events went before and matched nothing: that is remembered for the
 * whole destination, one lookup instead of three, unless the URL's path
 * mattered.
 */
static void
destination(struct im_matcher *m, struct found *fo, const struct im_rec *r)
{
	struct slice ported, u = url_target(m->set, fo, r, &ported);
	char key[sizeof m->miss->key];
	size_t n = dest_key(r, u, key, sizeof key);
	struct slice other, sni = r->f[R_SNI];
	uint32_t hash = 0;
	int path = 0;
	struct ipaddr ip;

	if (n > 0 && missed(m, Q_DEST, slice_make(key, n), &hash))
		return;
	host(m, fo, r->f[R_HOST], F_DST_HOST, r->port);
	/*
	 * Squid peeking at TLS (ssl_bump) logs a tunnel to an address, its
	 * only name the client's SNI.
	 */
	if (sni.n > 0 && !same_nocase(sni, r->f[R_HOST]))
		host(m, fo, sni, F_SNI, r->port);
	path = url(m, fo, u);
	if (ported.n > 0)
		path |= url(m, fo, ported);
	if (u.n > 0 && !(r->flags & R_CONNECT) && (other = other_url_host(fo,
	    u, r->f[R_HOST])).n > 0)
		host(m, fo, other, F_URL, r->port);
	if ((r->flags & R_DST) && ip_parse(r->f[R_DST_IP], &ip) == 0)
		addr_query(m, fo, r->f[R_DST_IP], &ip, r->port, F_DST_IP);
	if (n > 0 && fo->n == 0 && !path)
		remember(m, Q_DEST, slice_make(key, n), hash);
}

/* Every answer of a DNS event: addresses and names, "CNAME:" dropped. */
static void
answers(struct im_matcher *m, struct found *fo, struct slice a)
{
	long comma;

	while (a.n > 0) {
		struct slice e = a;

		if ((comma = slice_find(a, ',')) >= 0) {
			e.n = (size_t)comma;
			a = slice_from(a, (size_t)comma + 1);
		} else
			a = slice_from(a, a.n);
		e = slice_trim(e);
		if (e.n > 6 && slice_has_prefix(e, "CNAME:"))
			e = slice_from(e, 6);
		host(m, fo, e, F_ANSWER, 0);
	}
}

/* A mail sender: the address, then its domain and the domain's parents. */
static void
sender(struct im_matcher *m, struct found *fo, struct slice s, int f)
{
	struct ioc_hit h[MAX_HITS];
	char buf[1024];

	if (s.n > 0)
		note(fo, h, ioc_match_email(m->set, unesc(s, buf, sizeof buf),
		    h, MAX_HITS), f, s);
}

/* Counts the event under each indicator it matched. */
static int
count(struct iocmatch *m, const struct im_rec *r,
    const struct found *fo)
{
	struct slice src = r->f[R_SRC], user = r->f[R_USER];
	unsigned act = r->flags & R_DENY ? FL_DENY : r->flags & R_ALLOW ?
	    FL_ALLOW : 0;
	const char *lg = iocmatch_log_names[r->log];
	uint64_t bytes = num_field_u64(r->f[R_BYTES_OUT]) +
	    num_field_u64(r->f[R_BYTES_IN]);
	char key[300], seen[1600];
	struct agg_entry *e, *s;
	size_t i, n, k;

	for (i = 0; i < fo->n; i++) {
		n = src.n < 200 ? src.n : 200;
		memcpy(key, src.p, n);
		key[n++] = '\t';
		n += num_format_u64(key + n, fo->f[i].id);
		key[n++] = '\t';
		memcpy(key + n, lg, strlen(lg));
		n += strlen(lg);
		k = (size_t)snprintf(seen, sizeof seen, "%.*s\t%.*s",
		    (int)(fo->f[i].seen.n < 1200 ? fo->f[i].seen.n : 1200),
		    fo->f[i].seen.p, (int)(user.n < 300 ? user.n : 300),
		    user.p);
		if ((e = agg_get(&m->agg, slice_make(key, n))) == NULL ||
		    agg_add(e, r->ts_ms, bytes, r->f[R_ORIGIN]) != 0 ||
		    (s = agg_get(&m->seen, slice_make(key, n))) == NULL ||
		    agg_add(s, r->ts_ms, 0, slice_make(seen, k)) != 0)
			return -1;
		e->flags |= fo->f[i].bits | act;
	}
	return 0;
}

/* Matches the fields of event r into fo. */
static void
match(struct im_matcher *mt, const struct im_rec *r, struct found *fo)
{
	fo->n = 0;
	switch (r->log) {
	case LOG_PROXY:
	case LOG_FIREWALL:
		destination(mt, fo, r);
		break;
	case LOG_DNS:
		host(mt, fo, r->f[R_QNAME], F_QNAME, 0);
		if (!(r->flags & R_PTR))
			answers(mt, fo, r->f[R_ANSWER]);
		break;
	default:
		sender(mt, fo, r->f[R_MAIL_FROM], F_MAIL_FROM);
		sender(mt, fo, r->f[R_HDR_FROM], F_HDR_FROM);
		break;
	}
}

void
iocmatch_record(struct iocmatch *m, const struct im_rec *r)
{
	struct im_matcher mt = { m->set, m->miss };
	struct found fo;

	match(&mt, r, &fo);
	if (fo.n == 0)
		return;
	if (count(m, r, &fo) != 0)
		m->oom = 1;
	else
		m->events[r->log]++;
}

/*
 * The checks that reject an event (so that the rejection has its line):
 * LINE_USED with r filled, LINE_SKIPPED for a log the check does not
 * read, or LINE_REJECTED with the bad column and value (*what NULL:
 * the event has no time).
 */
static enum line_result
check_row(const struct evrow *row, struct im_rec *r, const char **what,
    struct slice *bad)
{
	static const int copied[R_SNI] = {
		IM_SRC_IP, IM_USER, IM_DST_HOST, IM_DST_IP, IM_URL, IM_QNAME,
		IM_ANSWER, IM_MAIL_FROM, IM_HDR_FROM, IM_BYTES_OUT,
		IM_BYTES_IN, IM_ORIGIN
	};
	struct slice lg = evrow_get(row, IM_LOG);
	struct slice port = evrow_get(row, IM_DST_PORT);
	struct slice dst = evrow_get(row, IM_DST_IP);
	struct slice action = evrow_get(row, IM_ACTION);
	uint64_t pv = 0;
	int log, i;

	for (log = 0; log < LOG_NKINDS && !slice_eq(lg, iocmatch_log_names[log]); log++)
		;
	if (log == LOG_NKINDS)
		return LINE_SKIPPED;
	/* An empty ts reads as INT64_MIN: no time a finding can show. */
	if (row->ts_ms == INT64_MIN) {
		*what = NULL;
		return LINE_REJECTED;
	}
	if (port.n > 0 && num_parse_u64(port, 65535, &pv) != 0) {
		*what = "dst_port";
		*bad = port;
		return LINE_REJECTED;
	}
	r->flags = 0;
	if ((log == LOG_PROXY || log == LOG_FIREWALL) && dst.n > 0) {
		if (!ip_valid(dst)) {
			*what = "dst_ip";
			*bad = dst;
			return LINE_REJECTED;
		}
		r->flags |= R_DST;
	}
	if (log == LOG_PROXY && slice_eq_nocase(evrow_get(row, IM_METHOD),
	    "CONNECT"))
		r->flags |= R_CONNECT;
	if (log == LOG_DNS && slice_eq_nocase(evrow_get(row, IM_QTYPE), "PTR"))
		r->flags |= R_PTR;
	r->flags |= slice_eq(action, "deny") ? R_DENY : action.n ? R_ALLOW : 0;
	r->log = (uint8_t)log;
	r->port = (uint16_t)pv;
	r->ts_ms = row->ts_ms;
	for (i = 0; i < R_SNI; i++)
		r->f[i] = evrow_get(row, copied[i]);
	r->f[R_SNI] = log == LOG_PROXY ? extra_get(evrow_get(row, IM_EXTRA),
	    "sni") : SLICE_NONE;
	return LINE_USED;
}

/* What iocmatch_prep found out about a row: aux[0]. */
enum { PREP_NOT_DONE, PREP_NO_MATCH };

/*
 * The reading thread matches a share of the events itself, with its own
 * miss memory (a partial hook: evstream.h), and the check's thread then
 * passes over the ones that matched nothing: matching costs more than
 * reading and splitting, and the share keeps the two threads even. The
 * findings cannot depend on it: an event that matched is matched again
 * and counted in the check's thread, in input order.
 */
void
iocmatch_prep(const void *arg, const struct evrow *row, uint64_t *aux)
{
	const struct iocmatch *m = arg;
	struct im_matcher mt = { m->set, m->prep_miss };
	const char *what;
	struct slice bad;
	struct found fo;
	struct im_rec r;

	aux[0] = PREP_NOT_DONE;
	if (check_row(row, &r, &what, &bad) != LINE_USED)
		return;
	match(&mt, &r, &fo);
	if (fo.n == 0)
		aux[0] = PREP_NO_MATCH;
}

enum line_result
iocmatch_event(void *arg, struct evrow *row)
{
	struct iocmatch *m = arg;
	enum line_result res;
	const char *what;
	struct slice bad;
	struct im_rec r;
	char q[80];

	/* Answers the parser could not keep were never checked: said. */
	if (slice_eq(evrow_get(row, IM_LOG), "dns")) {
		struct slice x = evrow_get(row, IM_EXTRA);

		if (slice_eq(extra_get(x, "answer_truncated"), "1"))
			m->answers_cut++;
	}
	if (row->aux != NULL && row->aux[0] == PREP_NO_MATCH)
		return LINE_USED;
	if ((res = check_row(row, &r, &what, &bad)) == LINE_REJECTED) {
		if (what == NULL)
			snprintf(row->reason, sizeof row->reason,
			    "event has no time");
		else
			snprintf(row->reason, sizeof row->reason,
			    "bad %s '%s'", what, diag_escape(q, sizeof q,
			    slice_make(bad.p, bad.n > 40 ? 40 : bad.n)));
		return LINE_REJECTED;
	}
	if (res == LINE_USED)
		iocmatch_record(m, &r);
	return res;
}

void
iocmatch_release(struct iocmatch *m)
{
	agg_release(&m->agg);
	agg_release(&m->seen);
	ioc_free(m->set);
	free(m->miss);
	free(m->prep_miss);
	memset(m, 0, sizeof *m);
}
