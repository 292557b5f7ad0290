/*
 * url.c: request-target splitting for proxy events. Only the authority part
 * is looked at; the rest of the URL stays in the url column as logged.
 * This runs for every proxy line, so the common shapes ("http://host/...",
 * "host:443") are found in one pass over the authority.
 */
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "ipaddr.h"
#include "num.h"
#include "url.h"

/*
 * Whether port is what num_parse_u64(port, 65535, ...) accepts. One to
 * four digits always are (leading zeros too), the common case.
 */
static inline int
is_port(struct slice port)
{
	uint64_t pn;
	size_t i;

	if (port.n == 0 || port.n > 4)
		return port.n != 0 && num_parse_u64(port, 65535, &pn) == 0;
	for (i = 0; i < port.n; i++)
		if ((unsigned)((unsigned char)port.p[i] - '0') > 9)
			return 0;
	return 1;
}

/* Sets host, and port when it is a valid port number; dst_ip for an IP. */
static void
set_host_port(struct event *ev, struct slice host, struct slice port)
{
	if (host.n == 0)
		return;
	ev->f[EV_DST_HOST] = host;
	if (is_port(port))
		ev->f[EV_DST_PORT] = port;
	if (ev->f[EV_DST_IP].n == 0 && ip_valid(host))
		ev->f[EV_DST_IP] = host;
}

/* Sets host (and port when present) from "host[:port]" or "[v6][:port]". */
static void
fill_authority(struct event *ev, struct slice auth, struct slice def_port)
{
	struct slice host = auth, port = def_port;
	long colon;

	if (auth.n && auth.p[0] == '[') {
		long close = slice_find(auth, ']');
		if (close < 0)
			return;
		host = slice_make(auth.p + 1, (size_t)close - 1);
		if ((size_t)close + 1 < auth.n && auth.p[close + 1] == ':')
			port = slice_from(auth, (size_t)close + 2);
	} else if ((colon = slice_find(auth, ':')) >= 0 &&
	    slice_find(slice_from(auth, (size_t)colon + 1), ':') < 0) {
		host = slice_make(auth.p, (size_t)colon);
		port = slice_from(auth, (size_t)colon + 1);
	}
	set_host_port(ev, host, port);
}

/*
 * Where the authority of "scheme://" + s ends and what is in it: the
 * authority runs to the first '/', '?' or '#'; the part after the last
 * '@' (userinfo dropped) starts at start, and colon is its first ':' when
 * colons is not 0 (2 means two or more).
 */
struct auth_scan {
	size_t start, end, colon;
	int colons;
};

enum { U_END = 1, U_AT = 2, U_COLON = 4 };

static const unsigned char url_class[256] = {
	['/'] = U_END, ['?'] = U_END, ['#'] = U_END, ['@'] = U_AT,
	[':'] = U_COLON
};

static void
scan_authority(struct slice s, struct auth_scan *as)
{
	size_t i = 0;

	as->start = 0;
	as->colons = 0;
	as->colon = 0;
#ifdef __SSE2__
	/* Sixteen bytes at a time while they are all inside s. */
	for (; s.n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s.p + i));
		unsigned e = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('#'))));
		unsigned a = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    _mm_set1_epi8('@')));
		unsigned c = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    _mm_set1_epi8(':')));

		if (e) {
			unsigned keep = (1U << __builtin_ctz(e)) - 1;
			a &= keep;
			c &= keep;
		}
		if (a) {
			int last = 31 - __builtin_clz(a);
			as->start = i + (size_t)last + 1;
			as->colons = 0;
			c &= ~((2U << last) - 1);	/* colons after it */
		}
		if (c) {
			if (as->colons == 0)
				as->colon = i + (size_t)__builtin_ctz(c);
			as->colons += (c & (c - 1)) ? 2 : 1;
		}
		if (e) {
			as->end = i + (size_t)__builtin_ctz(e);
			return;
		}
	}
#endif
	for (; i < s.n; i++) {
		unsigned k = url_class[(unsigned char)s.p[i]];

		if (k == 0)
			continue;
		if (k == U_END)
			break;
		if (k == U_AT) {
			as->start = i + 1;
			as->colons = 0;
		} else {
			if (as->colons == 0)
				as->colon = i;
			as->colons++;
		}
	}
	as->end = i;
}

/*
 * The colons of s for fill_authority: the first in colon, and colons
 * 0, 1 or 2 (two or more).
 */
static void
scan_colons(struct slice s, struct auth_scan *as)
{
	size_t i = 0;

	as->colons = 0;
	as->colon = 0;
#ifdef __SSE2__
	for (; i < s.n && s.n >= 16 && as->colons < 2; i += 16) {
		unsigned c;

		/*
		 * The last chunk overlaps the one before, shifted so that the
		 * bytes seen already drop out: no byte loop for the tail.
		 */
		if (s.n - i >= 16)
			c = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(s.p + i)),
			    _mm_set1_epi8(':')));
		else
			c = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(s.p + s.n - 16)),
			    _mm_set1_epi8(':'))) >> (16 - (s.n - i));
		if (c) {
			if (as->colons == 0)
				as->colon = i + (size_t)__builtin_ctz(c);
			as->colons += (c & (c - 1)) ? 2 : 1;
		}
	}
#endif
	for (; i < s.n && as->colons < 2; i++) {
		if (s.p[i] != ':')
			continue;
		if (as->colons++ == 0)
			as->colon = i;
	}
}

/* Whether the n bytes at p are lit (lowercase letters) in any case. */
static inline int
letters_eq(const char *p, const char *lit, size_t n)
{
	size_t i;

	/* OR 0x20 folds only 'A'-'Z' onto a lowercase letter. */
	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] | 0x20) != (unsigned char)lit[i])
			return 0;
	return 1;
}

void
url_fill_target(struct event *ev, struct slice method, struct slice target)
{
	struct slice rest, scheme, def = SLICE_NONE, port;
	struct auth_scan as;
	long sep;
	size_t i;

	/* Squid takes "connect" in any case, and opens the tunnel. */
	if (slice_eq_nocase(method, "CONNECT")) {
		/* "host:port" mostly: find its colons in one pass. */
		if (target.n == 0 || target.p[0] == '[') {
			fill_authority(ev, target, SLICE_NONE);
			return;
		}
		scan_colons(target, &as);
		port = SLICE_NONE;
		if (as.colons == 1) {
			port = slice_from(target, as.colon + 1);
			target.n = as.colon;
		}
		set_host_port(ev, target, port);
		return;
	}
	/* "http://" and "https://" first: what the loop below would find. */
	if (target.n >= 7 && memcmp(target.p + 4, "://", 3) == 0 &&
	    letters_eq(target.p, "http", 4)) {
		sep = 4;
		def = SLICE_LIT("80");
	} else if (target.n >= 8 && memcmp(target.p + 5, "://", 3) == 0 &&
	    letters_eq(target.p, "https", 5)) {
		sep = 5;
		def = SLICE_LIT("443");
	} else {
		sep = -1;
		for (i = 0; i + 2 < target.n; i++) {
			if (target.p[i] == ':' && target.p[i + 1] == '/' &&
			    target.p[i + 2] == '/') {
				sep = (long)i;
				break;
			}
			if (target.p[i] == '/' || target.p[i] == '?')
				break;
		}
		if (sep <= 0)
			return;
		scheme = slice_make(target.p, (size_t)sep);
		if (slice_eq_nocase(scheme, "http"))
			def = SLICE_LIT("80");
		else if (slice_eq_nocase(scheme, "https"))
			def = SLICE_LIT("443");
		else if (slice_eq_nocase(scheme, "ftp"))
			def = SLICE_LIT("21");
	}
	rest = slice_from(target, (size_t)sep + 3);
	scan_authority(rest, &as);
	rest = slice_make(rest.p + as.start, as.end - as.start);
	if (rest.n && rest.p[0] == '[') {
		fill_authority(ev, rest, def);
		return;
	}
	/* As fill_authority: a port only after a single ':'. */
	port = def;
	if (as.colons == 1) {
		port = slice_from(rest, as.colon - as.start + 1);
		rest.n = as.colon - as.start;
	}
	set_host_port(ev, rest, port);
}
