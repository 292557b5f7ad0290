/*
 * ipaddr.c: address parsing with inet_pton(3) on a bounded copy (log text
 * is not NUL-terminated), address text as inet_ntop(3) writes it, and
 * CIDR sets kept as sorted, merged ranges so that a lookup is a binary
 * search.
 */
#include <arpa/inet.h>
#ifdef __SSE2__
#include <emmintrin.h>
#define IPADDR_SSE2 1
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ipaddr.h"
#include "num.h"

static const uint8_t v4_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
    0xff };

#ifdef IPADDR_SSE2
/*
 * The n (7 to 15) bytes at p in one register, zeros after them, from loads
 * that stay inside them: the first eight, and the last eight shifted right
 * so that only bytes 8..n-1 remain (SSE2 shifts of 64 or more give zero,
 * which n == 8 needs).
 */
static inline __m128i
load_v4(const unsigned char *p, int n)
{
	uint32_t w0, w1;

	if (n >= 8)
		return _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)p),
		    _mm_srl_epi64(_mm_loadl_epi64((const __m128i *)(p + n - 8)),
		    _mm_cvtsi32_si128(8 * (16 - n))));
	memcpy(&w0, p, 4);
	memcpy(&w1, p + 3, 4);
	w1 >>= 8;				/* bytes 4..6 */
	return _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)w0),
	    _mm_cvtsi32_si128((int)w1));
}

/*
 * Whether the n bytes in x are only digits and exactly three dots, none
 * two together nor at an end; the masks of both go to *dig and *dot.
 * Returns 0 or -1.
 */
static inline int
v4_shape(__m128i x, int n, unsigned *dig, unsigned *dot)
{
	unsigned r;

	/* '0'-'9' moved to -128..-119: one signed compare finds digits. */
	*dig = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(x,
	    _mm_set1_epi8((char)(128 - '0'))), _mm_set1_epi8(-118)));
	*dot = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
	    _mm_set1_epi8('.')));
	/* Bytes n..15 are 0: neither digit nor dot, so outside the mask. */
	if ((*dig | *dot) != (1U << n) - 1 || (*dot & (*dot >> 1)) ||
	    (*dot & 1) || (*dot >> (n - 1)))
		return -1;
	r = *dot & (*dot - 1);
	r &= r - 1;
	return *dot == 0 || r == 0 || (r & (r - 1)) != 0 ? -1 : 0;
}

/*
 * parse_v4's verdict without the value, for callers that only ask: the
 * octet rules as bit masks over the sixteen bytes, no branch per octet.
 */
static int
valid_v4(struct slice s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	unsigned dig, dot, start, three, gt2, eq2, gt5, eq5;
	int n = (int)s.n;
	__m128i x;

	if (n < 7 || n > 15)
		return 0;
	x = load_v4(p, n);
	if (v4_shape(x, n, &dig, &dot) != 0)
		return 0;
	/* Where octets start; each is a digit, given the shape. */
	start = (1U | dot << 1) & ((1U << n) - 1);
	/* More than three digits in a row, or a leading zero. */
	if ((dig & dig >> 1 & dig >> 2 & dig >> 3) ||
	    ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
	    _mm_set1_epi8('0'))) & start & dig >> 1))
		return 0;
	/* A three-digit octet is at most 255: 1xx, 2[0-4]x or 25[0-5]. */
	three = start & dig >> 1 & dig >> 2;
	gt2 = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(x,
	    _mm_set1_epi8('2')));
	eq2 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
	    _mm_set1_epi8('2')));
	gt5 = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(x,
	    _mm_set1_epi8('5')));
	eq5 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x,
	    _mm_set1_epi8('5')));
	return (three & (gt2 | (eq2 & (gt5 >> 1 | (eq5 >> 1 & gt5 >> 2))))) ==
	    0;
}

/*
 * The value of the len digits at p, or -1 (more than three, a leading
 * zero, over 255). Reads only p[0..len).
 */
static inline int
octet(const unsigned char *p, int len)
{
	int v = p[0] - '0';

	if (len == 1)
		return v;
	if (v == 0 || len > 3)
		return -1;
	v = v * 10 + (p[1] - '0');
	if (len == 3)
		v = v * 10 + (p[2] - '0');
	return v <= 255 ? v : -1;
}

/*
 * Dotted quad, as strict as inet_pton(3): four decimal octets of at most
 * 255, no leading zeros (which some tools read as octal), nothing else.
 * It runs for most columns of most lines, so the bytes are classified
 * sixteen at a time: only digits and exactly three dots, no two together
 * nor at an end; then each octet is read knowing its length.
 */
static int
parse_v4(struct slice s, uint8_t *out)
{
	const unsigned char *p = (const unsigned char *)s.p;
	unsigned dig, dot, r;
	int n = (int)s.n, d1, d2, d3, v[4], i;
	__m128i x;

	if (n < 7 || n > 15)
		return -1;
	x = load_v4(p, n);
	if (v4_shape(x, n, &dig, &dot) != 0)
		return -1;
	r = dot & (dot - 1);
	r &= r - 1;
	d1 = __builtin_ctz(dot);
	d2 = __builtin_ctz(dot & (dot - 1));
	d3 = __builtin_ctz(r);
	v[0] = octet(p, d1);
	v[1] = octet(p + d1 + 1, d2 - d1 - 1);
	v[2] = octet(p + d2 + 1, d3 - d2 - 1);
	v[3] = octet(p + d3 + 1, n - d3 - 1);
	if ((v[0] | v[1] | v[2] | v[3]) < 0)
		return -1;
	for (i = 0; i < 4; i++)
		out[i] = (uint8_t)v[i];
	return 0;
}
#else
/*
 * Dotted quad, as strict as inet_pton(3): four decimal octets of at most
 * 255, no leading zeros (which some tools read as octal), nothing else.
 * Written out because it runs for most columns of most lines.
 */
static int
parse_v4(struct slice s, uint8_t *out)
{
	const char *p = s.p, *end = s.p + s.n;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v, d;

		if (part > 0 && (p == end || *p++ != '.'))
			return -1;
		if (p == end || (v = (unsigned)(*p - '0')) > 9)
			return -1;
		p++;
		if (p < end && (d = (unsigned)(*p - '0')) <= 9) {
			if (v == 0)
				return -1;	/* leading zero */
			v = v * 10 + d;
			p++;
			if (p < end && (d = (unsigned)(*p - '0')) <= 9) {
				v = v * 10 + d;
				p++;
				if (v > 255)
					return -1;
			}
		}
		out[part] = (uint8_t)v;
	}
	return p == end ? 0 : -1;
}
#endif

/*
 * The length of s without a zone ("fe80::1%11", "fe80::1%eth0": Windows
 * writes one in a logon's source address), which names the host's own
 * interface, not the peer: ip_parse takes it on a link-local address.
 */
static size_t
without_zone(struct slice s)
{
	const char *pct = memchr(s.p, '%', s.n);
	size_t i, n;

	if (pct == NULL || (n = (size_t)(pct - s.p)) + 1 == s.n)
		return s.n;
	for (i = n + 1; i < s.n; i++) {
		char c = s.p[i];

		if (!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
		    (c | 0x20) <= 'z') || c == '.' || c == '_' || c == '-'))
			return s.n;
	}
	return n;
}

/*
 * One part of a URL's IPv4 host: decimal, "0x" hex (digits may be none)
 * or "0" octal; -1 when it is none of these or passes 2^32.
 */
static int
url_v4_part(struct slice s, uint64_t *v)
{
	unsigned base = 10;
	size_t i = 0;

	*v = 0;
	if (s.n == 0)
		return -1;
	if (s.n >= 2 && s.p[0] == '0' && (s.p[1] == 'x' || s.p[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (s.n >= 2 && s.p[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < s.n; i++) {
		int c = (unsigned char)s.p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		if ((unsigned)d >= base)
			return -1;
		*v = *v * base + (unsigned)d;
		if (*v > UINT32_MAX)
			return -1;
	}
	return 0;
}

int
ip_parse_url_v4(struct slice s, struct ipaddr *ip)
{
	uint64_t part[4], v;
	size_t n = 0, i, start = 0;

	if (s.n > 0 && s.p[s.n - 1] == '.')
		s.n--;
	for (i = 0; i <= s.n; i++) {
		if (i < s.n && s.p[i] != '.')
			continue;
		if (n == 4 || url_v4_part(slice_make(s.p + start, i - start),
		    &part[n]) != 0)
			return -1;
		n++;
		start = i + 1;
	}
	/* Every part but the last is a byte; the last fills the rest. */
	for (i = 0, v = 0; i + 1 < n; i++) {
		if (part[i] > 255)
			return -1;
		v |= part[i] << (8 * (3 - i));
	}
	if (part[n - 1] >> (8 * (5 - n)) != 0)
		return -1;
	v |= part[n - 1];
	memcpy(ip->b, v4_prefix, 12);
	for (i = 0; i < 4; i++)
		ip->b[12 + i] = (uint8_t)(v >> (8 * (3 - i)));
	return 0;
}

int
ip_parse(struct slice s, struct ipaddr *ip)
{
	char tmp[IPADDR_TEXT_MAX];
	size_t i, n;

	if (s.n == 0 || s.n >= sizeof tmp)
		return -1;
	if (parse_v4(s, ip->b + 12) == 0) {
		memcpy(ip->b, v4_prefix, 12);
		return 0;
	}
	if (memchr(s.p, ':', s.n) == NULL)
		return -1;
	n = without_zone(s);
	/*
	 * inet_pton stops at a NUL: "2001:db8::1\0<ESC>..." would pass and the
	 * whole field be trusted as clean. Only address characters may come.
	 */
	for (i = 0; i < n; i++) {
		char c = s.p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
			return -1;
	}
	memcpy(tmp, s.p, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET6, tmp, ip->b) != 1)
		return -1;
	/* A zone only on fe80::/10. */
	return n == s.n || (ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80) ?
	    0 : -1;
}

int
ip_valid(struct slice s)
{
	struct ipaddr ip;

#ifdef IPADDR_SSE2
	if (valid_v4(s))
		return 1;
	/* Not IPv4: only IPv6 is left, which needs a colon. */
	if (s.n == 0 || memchr(s.p, ':', s.n) == NULL)
		return 0;
#endif
	return ip_parse(s, &ip) == 0;
}

int
ip_is_v4(const struct ipaddr *ip)
{
	return memcmp(ip->b, v4_prefix, 12) == 0;
}

int
ip_nat64_v4(const struct ipaddr *ip, struct ipaddr *v4)
{
	static const uint8_t wkp[12] = { 0, 0x64, 0xff, 0x9b };

	if (memcmp(ip->b, wkp, sizeof wkp) != 0)
		return 0;
	memcpy(v4->b, v4_prefix, 12);
	memcpy(v4->b + 12, ip->b + 12, 4);
	return 1;
}

/* The dotted quad of the four bytes at b, at d; returns its length. */
static size_t
put_v4(char *d, const uint8_t *b)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			d[n++] = '.';
		n += num_format_u64(d + n, b[i]);
	}
	return n;
}

/* v (16 bits) in lower-case hex without leading zeros, at d; the length. */
static size_t
put_hex16(char *d, unsigned v)
{
	size_t n = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1, i;

	for (i = n; i > 0; i--, v >>= 4)
		d[i - 1] = "0123456789abcdef"[v & 15];
	return n;
}

/*
 * inet_ntop(3)'s text, written here: through its sprintf the C library's
 * took 2% of parsing a firewall log with some IPv6 in it. The same rules:
 * the first longest run of two or more zero words becomes "::", and an
 * address of five zero words and ffff, or of six zero words (but for
 * ::1 and the like, a word alone), ends in a dotted quad.
 */
size_t
ip_format(char *dst, const struct ipaddr *ip)
{
	unsigned w[8];
	int i, best = -1, blen = 0, cur = -1, clen = 0;
	size_t n = 0;

	if (ip_is_v4(ip)) {
		n = put_v4(dst, ip->b + 12);
		dst[n] = '\0';
		return n;
	}
	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)ip->b[2 * i] << 8 | ip->b[2 * i + 1];
		if (w[i] != 0) {
			cur = -1;
			continue;
		}
		if (cur < 0) {
			cur = i;
			clen = 0;
		}
		if (++clen > blen) {	/* a later run only if longer */
			best = cur;
			blen = clen;
		}
	}
	if (blen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + blen) {
			if (i == best)
				dst[n++] = ':';
			continue;
		}
		if (i)
			dst[n++] = ':';
		if (i == 6 && best == 0 && (blen == 6 || (blen == 5 &&
		    w[5] == 0xffff))) {
			n += put_v4(dst + n, ip->b + 12);
			break;
		}
		n += put_hex16(dst + n, w[i]);
	}
	if (best >= 0 && best + blen == 8)
		dst[n++] = ':';
	dst[n] = '\0';
	return n;
}

size_t
ip_reverse_name(char *dst, const struct ipaddr *ip)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int i;

	if (ip_is_v4(ip)) {
		for (i = 15; i >= 12; i--) {
			n += num_format_u64(dst + n, ip->b[i]);
			dst[n++] = '.';
		}
		memcpy(dst + n, "in-addr.arpa", 12);
		return n + 12;
	}
	for (i = 15; i >= 0; i--) {
		dst[n++] = hex[ip->b[i] & 15];
		dst[n++] = '.';
		dst[n++] = hex[ip->b[i] >> 4];
		dst[n++] = '.';
	}
	memcpy(dst + n, "ip6.arpa", 8);
	return n + 8;
}

void
cidr_set_init(struct cidr_set *set)
{
	memset(set, 0, sizeof *set);
}

int
cidr_set_add(struct cidr_set *set, struct slice text)
{
	long slash = slice_find(text, '/');
	struct slice addr = text;
	struct ipaddr lo, hi;
	uint64_t len = 128;
	int i;

	if (slash >= 0)
		addr = slice_make(text.p, (size_t)slash);
	if (ip_parse(addr, &lo) != 0)
		return -1;
	if (slash >= 0) {
		uint64_t max = ip_is_v4(&lo) ? 32 : 128;
		if (num_parse_u64(slice_from(text, (size_t)slash + 1), max,
		    &len) != 0)
			return -1;
		if (ip_is_v4(&lo))
			len += 96;
	}
	hi = lo;
	for (i = 0; i < 16; i++) {
		int bits = (int)len - i * 8;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
		    (uint8_t)(0xff << (8 - bits));
		lo.b[i] &= mask;
		hi.b[i] |= (uint8_t)~mask;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct cidr_range *r = realloc(set->r, cap * sizeof *r);
		if (r == NULL)
			return -1;
		set->r = r;
		set->cap = cap;
	}
	set->r[set->n].lo = lo;
	set->r[set->n].hi = hi;
	set->n++;
	set->sorted = 0;
	return 0;
}

static int
range_cmp(const void *a, const void *b)
{
	return memcmp(((const struct cidr_range *)a)->lo.b,
	    ((const struct cidr_range *)b)->lo.b, 16);
}

/* Sorts by low end and merges overlaps, so ranges are disjoint. */
void
cidr_set_finish(struct cidr_set *set)
{
	size_t i, out = 0;

	if (set->n > 1)
		qsort(set->r, set->n, sizeof *set->r, range_cmp);
	for (i = 0; i < set->n; i++) {
		if (out > 0 &&
		    memcmp(set->r[i].lo.b, set->r[out - 1].hi.b, 16) <= 0) {
			if (memcmp(set->r[i].hi.b, set->r[out - 1].hi.b, 16) > 0)
				set->r[out - 1].hi = set->r[i].hi;
			continue;
		}
		set->r[out++] = set->r[i];
	}
	set->n = out;
	set->sorted = 1;
}

int
cidr_set_contains(const struct cidr_set *set, const struct ipaddr *ip)
{
	size_t lo = 0, hi;

	if (!set->sorted) {
		for (hi = 0; hi < set->n; hi++)
			if (memcmp(set->r[hi].lo.b, ip->b, 16) <= 0 &&
			    memcmp(ip->b, set->r[hi].hi.b, 16) <= 0)
				return 1;
		return 0;
	}
	hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(set->r[mid].hi.b, ip->b, 16) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < set->n && memcmp(set->r[lo].lo.b, ip->b, 16) <= 0;
}

void
cidr_set_release(struct cidr_set *set)
{
	free(set->r);
	memset(set, 0, sizeof *set);
}
