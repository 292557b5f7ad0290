/*
 * fuzz_tsv.c: libFuzzer harness for the small pieces that take hostile
 * bytes on every stream: the TSV field splitter, the escaper and its
 * inverse, RFC 3339 times, IP addresses, CIDR sets and decimal numbers.
 * Beyond "does not crash" it checks properties: unescape(escape(x)) == x
 * and escaped text holds no control byte, a parsed time or address
 * formats and parses back to the same value, and a CIDR set answers
 * exactly as a linear scan of the ranges added to it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "esc.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"
#include "tsv.h"

#define MAX_RANGES 64
#define MAX_PROBES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_tsv: %s\n", what);
	abort();
}

/* Fields of a split must tile the line exactly, TABs between them. */
static void
check_split(struct slice line, int max)
{
	struct slice fields[TSV_MAX_COLS];
	size_t tabs = 0, i;
	int n, k;

	for (i = 0; i < line.n; i++)
		tabs += line.p[i] == '\t';
	n = tsv_split(line, fields, max);
	if (n < 1 || n > max + 1)
		fail("tsv_split: field count out of range");
	if (n == max + 1) {
		if (tabs < (size_t)max)
			fail("tsv_split: too many fields without the TABs");
		return;
	}
	if ((size_t)n != tabs + 1)
		fail("tsv_split: field count is not TABs + 1");
	if (fields[0].p != line.p)
		fail("tsv_split: first field does not start the line");
	for (k = 0; k < n; k++) {
		if (memchr(fields[k].p, '\t', fields[k].n) != NULL)
			fail("tsv_split: TAB inside a field");
		if (k + 1 < n && fields[k + 1].p != fields[k].p +
		    fields[k].n + 1)
			fail("tsv_split: fields do not follow each other");
	}
	if (fields[n - 1].p + fields[n - 1].n != line.p + line.n)
		fail("tsv_split: last field does not end the line");
}

/* escape then unescape must give x back; the escaped text must be inert. */
static void
check_escape(struct slice x, int flags)
{
	char *esc, *back;
	size_t n, m, i;

	esc = malloc(x.n * ESC_MAX_GROWTH + 1);
	back = malloc(x.n * ESC_MAX_GROWTH + 1);
	if (esc == NULL || back == NULL)
		fail("out of memory");
	n = esc_tsv(esc, x, flags);
	if (n > x.n * ESC_MAX_GROWTH)
		fail("esc_tsv: wrote past the worst case");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)esc[i];
		if (c < 0x20 || c == 0x7f)
			fail("esc_tsv: control byte in escaped text");
		if (c == ';' && (flags & ESC_EXTRA))
			fail("esc_tsv: ';' left in an extra value");
	}
	if (flags == ESC_TSV && esc_is_clean(x) &&
	    (n != x.n || memcmp(esc, x.p, n) != 0))
		fail("esc_tsv: changed text that esc_is_clean passed");
	m = esc_unescape(back, slice_make(esc, n));
	if (m != x.n || memcmp(back, x.p, m) != 0)
		fail("esc_unescape(esc_tsv(x)) != x");
	/* Unescaping arbitrary text must stay within its size. */
	if (esc_unescape(back, x) > x.n)
		fail("esc_unescape: grew its input");
	free(esc);
	free(back);
}

/* A parsed time in range formats and parses back to itself. */
static void
check_time(struct slice s)
{
	char text[TIME_RFC3339_LEN];
	struct time_cache tc;
	int64_t ms, again;

	if (time_parse_rfc3339(s, &ms) != 0)
		return;
	if (ms < 0 || ms >= INT64_C(253402300800000))
		return;		/* an offset moved it out of 1970-9999 */
	time_cache_init(&tc);
	time_format_rfc3339(text, ms, &tc);
	if (time_parse_rfc3339(slice_make(text, sizeof text), &again) != 0)
		fail("time_parse_rfc3339: cannot read back its own format");
	if (again != ms)
		fail("time_parse_rfc3339: format/parse round trip differs");
}

/* A parsed address formats and parses back to the same bytes. */
static int
check_ip(struct slice s, struct ipaddr *ip)
{
	char text[IPADDR_TEXT_MAX];
	struct ipaddr again;
	const char *zone;
	size_t n;

	if (ip_parse(s, ip) != 0)
		return -1;
	/*
	 * Parsers write an accepted address unescaped (event_set_checked),
	 * so it must be address characters only: no NUL cutting it short.
	 * A link-local address may end in a zone ("%eth0"): letters,
	 * digits, '.', '_' and '-', none of which breaks a stream either.
	 */
	zone = memchr(s.p, '%', s.n);
	for (n = 0; n < s.n; n++)
		if (strchr(zone != NULL && s.p + n > zone ? "0123456789"
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-" :
		    "0123456789abcdefABCDEF:.%", s.p[n]) == NULL ||
		    s.p[n] == '\0' || (s.p[n] == '%' && s.p + n != zone))
			fail("ip_parse: accepted a byte no address has");
	n = ip_format(text, ip);
	if (n == 0 || n >= IPADDR_TEXT_MAX)
		fail("ip_format: bad length");
	if (ip_parse(slice_make(text, n), &again) != 0 ||
	    memcmp(again.b, ip->b, 16) != 0)
		fail("ip_parse/ip_format round trip differs");
	return 0;
}

static void
check_numbers(struct slice s)
{
	char text[20];
	uint64_t u;
	int64_t ms;
	int ok_u, ok_m;

	ok_u = num_parse_u64(s, (uint64_t)INT64_MAX / 1000 - 1, &u) == 0;
	ok_m = num_parse_milli(s, &ms) == 0;
	if (ok_m && ms < 0)
		fail("num_parse_milli: negative result");
	if (memchr(s.p, '.', s.n) == NULL && s.n > 0 && s.n <= 20) {
		if (ok_u != ok_m)
			fail("num_parse_milli disagrees with num_parse_u64");
		if (ok_u && ms != (int64_t)u * 1000)
			fail("num_parse_milli: wrong value");
	}
	if (num_parse_u64(s, UINT64_MAX, &u) == 0 &&
	    (s.n == 1 || s.p[0] != '0') &&
	    (num_format_u64(text, u) != s.n || memcmp(text, s.p, s.n) != 0))
		fail("num_parse_u64/num_format_u64 round trip differs");
}

/* Whether ip lies in one of the n ranges: the slow, obvious answer. */
static int
in_ranges(const struct cidr_range *r, int n, const struct ipaddr *ip)
{
	int i;

	for (i = 0; i < n; i++)
		if (memcmp(r[i].lo.b, ip->b, 16) <= 0 &&
		    memcmp(ip->b, r[i].hi.b, 16) <= 0)
			return 1;
	return 0;
}

/* Adds one to (or, with down, subtracts one from) a 128-bit address. */
static struct ipaddr
ip_step(struct ipaddr ip, int down)
{
	int i;

	for (i = 15; i >= 0; i--) {
		if (down ? ip.b[i]-- != 0 : ++ip.b[i] != 0)
			break;
	}
	return ip;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slice all = slice_make((const char *)data, size);
	struct cidr_range ranges[MAX_RANGES];
	struct ipaddr probes[MAX_PROBES];
	struct cidr_set set;
	const char *p = all.p, *end = all.p + all.n;
	int nranges = 0, nprobes = 0, i;

	check_escape(all, ESC_TSV);
	check_escape(all, ESC_EXTRA);
	if (size > 0)
		check_split(slice_from(all, 1), 1 + data[0] % TSV_MAX_COLS);

	cidr_set_init(&set);
	if (size == 0) {
		/* An empty set (no --internal given, say) holds nothing. */
		memset(&probes[0], 0, sizeof probes[0]);
		if (cidr_set_contains(&set, &probes[0]))
			fail("cidr_set_contains: an empty set holds an address");
		cidr_set_finish(&set);
		if (cidr_set_contains(&set, &probes[0]))
			fail("cidr_set_contains: a finished empty set holds an "
			    "address");
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct slice line = slice_make(p, len);
		struct ipaddr ip;

		p = nl ? nl + 1 : end;
		check_split(line, TSV_MAX_COLS);
		check_time(line);
		check_numbers(line);
		if (check_ip(line, &ip) == 0 && nprobes < MAX_PROBES)
			probes[nprobes++] = ip;
		if (nranges < MAX_RANGES && cidr_set_add(&set, line) == 0) {
			long slash = slice_find(line, '/');
			struct ipaddr host;

			/* The set keeps ranges unsorted until cidr_set_finish. */
			ranges[nranges] = set.r[set.n - 1];
			/* The address written is inside its own block. */
			if (ip_parse(slash < 0 ? line : slice_make(line.p,
			    (size_t)slash), &host) != 0 ||
			    !in_ranges(&ranges[nranges], 1, &host))
				fail("cidr_set_add: block misses its address");
			if (nprobes + 4 <= MAX_PROBES) {
				struct ipaddr lo = ranges[nranges].lo;
				struct ipaddr hi = ranges[nranges].hi;

				probes[nprobes++] = lo;
				probes[nprobes++] = hi;
				probes[nprobes++] = ip_step(lo, 1);
				probes[nprobes++] = ip_step(hi, 0);
			}
			nranges++;
		}
	}
	/* Unfinished (ranges scanned), then finished (binary search). */
	for (i = 0; i < nprobes; i++)
		if (cidr_set_contains(&set, &probes[i]) !=
		    in_ranges(ranges, nranges, &probes[i]))
			fail("cidr_set_contains (unfinished) disagrees with a "
			    "linear scan");
	cidr_set_finish(&set);
	for (i = 0; i < nprobes; i++)
		if (cidr_set_contains(&set, &probes[i]) !=
		    in_ranges(ranges, nranges, &probes[i]))
			fail("cidr_set_contains disagrees with a linear scan");
	cidr_set_release(&set);
	return 0;
}
