/*
 * geo_test.c: unit tests for geo.c: the special ranges at their edges,
 * finding the address in a destination field (hostile input included,
 * in buffers of the exact size so that ASan sees any over-read), opening
 * good and damaged MaxMind DB files, lookups in the MaxMind test
 * databases and in csm's own fixtures (testdata/geoip/csm-*.txt), the
 * order of several databases, the cache, and a database failing mid-way.
 */
#include <stdlib.h>
#include "diag.h"
#include "geo.h"
#include "test.h"

static char top[1024];

/* The checkout's top: argv[0] is TOP/BUILD/test/NAME under runtests. */
static void
find_top(const char *argv0)
{
	size_t n = strlen(argv0);
	int cut;

	for (cut = 0; cut < 3 && n > 0; cut++) {
		while (n > 0 && argv0[n - 1] != '/')
			n--;
		while (n > 0 && argv0[n - 1] == '/')
			n--;
	}
	if (cut < 3 || n == 0)
		snprintf(top, sizeof top, ".");
	else
		snprintf(top, sizeof top, "%.*s", (int)n, argv0);
}

static const char *
db(const char *name)
{
	static char path[4][1200];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/testdata/geoip/%s", top, name);
	return path[k];
}

static struct ipaddr
addr(const char *text)
{
	struct ipaddr ip;

	memset(&ip, 0, sizeof ip);
	if (ip_parse(slice_cstr(text), &ip) != 0)
		printf("# bad test address %s\n", text);
	return ip;
}

static void
test_classify(void)
{
	static const struct {
		const char *ip;
		enum geo_class cls;
	} t[] = {
		{ "10.0.0.0", GEO_PRIVATE }, { "10.255.255.255", GEO_PRIVATE },
		{ "11.0.0.0", GEO_PUBLIC }, { "9.255.255.255", GEO_PUBLIC },
		{ "172.15.255.255", GEO_PUBLIC }, { "172.16.0.0", GEO_PRIVATE },
		{ "172.31.255.255", GEO_PRIVATE }, { "172.32.0.0", GEO_PUBLIC },
		{ "192.168.0.1", GEO_PRIVATE }, { "192.169.0.1", GEO_PUBLIC },
		{ "100.63.255.255", GEO_PUBLIC }, { "100.64.0.0", GEO_SHARED },
		{ "100.127.255.255", GEO_SHARED }, { "100.128.0.0", GEO_PUBLIC },
		{ "127.0.0.1", GEO_LOOPBACK }, { "127.255.255.254", GEO_LOOPBACK },
		{ "169.254.0.1", GEO_LINK_LOCAL }, { "169.255.0.1", GEO_PUBLIC },
		{ "192.0.2.255", GEO_DOCUMENTATION },
		{ "192.0.3.0", GEO_PUBLIC },
		{ "198.51.100.7", GEO_DOCUMENTATION },
		{ "203.0.113.200", GEO_DOCUMENTATION },
		{ "203.0.114.1", GEO_PUBLIC },
		{ "224.0.0.1", GEO_MULTICAST }, { "239.255.255.255", GEO_MULTICAST },
		{ "223.255.255.255", GEO_PUBLIC },
		{ "0.0.0.0", GEO_RESERVED }, { "0.255.255.255", GEO_RESERVED },
		{ "1.0.0.0", GEO_PUBLIC }, { "192.0.0.170", GEO_RESERVED },
		{ "198.18.0.0", GEO_RESERVED }, { "198.19.255.255", GEO_RESERVED },
		{ "198.20.0.0", GEO_PUBLIC }, { "198.17.255.255", GEO_PUBLIC },
		{ "240.0.0.0", GEO_RESERVED }, { "255.255.255.255", GEO_RESERVED },
		{ "::ffff:10.1.2.3", GEO_PRIVATE }, { "::ffff:8.8.8.8", GEO_PUBLIC },
		{ "::1", GEO_LOOPBACK }, { "::", GEO_RESERVED },
		{ "::2", GEO_RESERVED }, { "::8.8.8.8", GEO_RESERVED },
		{ "fc00::", GEO_PRIVATE }, { "fdff:ffff::1", GEO_PRIVATE },
		{ "fe00::1", GEO_RESERVED }, { "fe80::1", GEO_LINK_LOCAL },
		{ "febf:ffff::1", GEO_LINK_LOCAL }, { "fec0::1", GEO_RESERVED },
		{ "ff02::1", GEO_MULTICAST }, { "ff0e::101", GEO_MULTICAST },
		{ "2001:db8::", GEO_DOCUMENTATION },
		{ "2001:db8:ffff::1", GEO_DOCUMENTATION },
		{ "2001:db9::1", GEO_PUBLIC }, { "2001:db7::1", GEO_PUBLIC },
		{ "3fff::1", GEO_DOCUMENTATION },
		{ "3fff:fff::1", GEO_DOCUMENTATION },
		{ "3fff:1000::1", GEO_PUBLIC },
		{ "2001:2::1", GEO_RESERVED }, { "2001:2:1::1", GEO_PUBLIC },
		{ "2000::1", GEO_PUBLIC }, { "3fff:ffff::1", GEO_PUBLIC },
		{ "1fff::1", GEO_RESERVED }, { "4000::1", GEO_RESERVED },
		{ "64:ff9b::808:808", GEO_PUBLIC },
		{ "64:ff9b::a00:1", GEO_PRIVATE },
		{ "64:ff9b::c000:201", GEO_DOCUMENTATION },
		{ "64:ff9b:1::1", GEO_RESERVED }, { "100::1", GEO_RESERVED },
		{ "2001:218::1", GEO_PUBLIC }, { "2002:b00:1::1", GEO_PUBLIC },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ipaddr ip = addr(t[i].ip);
		char what[120];

		snprintf(what, sizeof what, "classify %s: %s", t[i].ip,
		    t[i].cls ? geo_class_name(t[i].cls) : "public");
		TEST_OK(geo_classify(&ip) == t[i].cls, what);
	}
	TEST_OK(strcmp(geo_class_name(GEO_PUBLIC), "") == 0,
	    "class name: public is empty");
	TEST_OK(strcmp(geo_class_name(GEO_LINK_LOCAL), "link-local") == 0,
	    "class name: link-local");
	TEST_OK(strcmp(geo_class_name(GEO_NCLASSES), "") == 0,
	    "class name: out of range is empty");
}

/* geo_addr_from_text on exactly the bytes of s (no NUL after them). */
static int
from_text(const char *s, size_t n, char *out, size_t cap)
{
	char *buf = malloc(n ? n : 1);
	struct ipaddr ip;
	int r;

	memcpy(buf, s, n);
	r = geo_addr_from_text(slice_make(buf, n), &ip);
	free(buf);
	if (r == 0 && out != NULL && cap >= IPADDR_TEXT_MAX)
		ip_format(out, &ip);
	return r;
}

static void
test_from_text(void)
{
	static const struct {
		const char *in, *want;	/* want NULL: not an address */
	} t[] = {
		{ "89.160.20.113", "89.160.20.113" },
		{ "89.160.20.113:443", "89.160.20.113" },
		{ "89.160.20.113/tcp", "89.160.20.113" },
		{ "89.160.20.113:443/tcp", "89.160.20.113" },
		{ "89.160.20.113:0/47", "89.160.20.113" },
		{ "89.160.20.113:65535/ipv6-icmp", "89.160.20.113" },
		{ "10.0.0.0/8", "10.0.0.0" },
		{ "2001:218::1", "2001:218::1" },
		{ "2001:218::1/icmpv6", "2001:218::1" },
		{ "[2001:218::1]", "2001:218::1" },
		{ "[2001:218::1]:443", "2001:218::1" },
		{ "[2001:218::1]:443/tcp", "2001:218::1" },
		{ "[2001:218::1]/udp", "2001:218::1" },
		{ "[fe80::1%eth0]:22/tcp", "fe80::1" },
		{ "fe80::1%eth0", "fe80::1" },
		{ "[1.2.3.4]:80", "1.2.3.4" },
		{ "::ffff:1.2.3.4", "1.2.3.4" },
		{ "::ffff:1.2.3.4/tcp", "1.2.3.4" },
		/* Not addresses. */
		{ "", NULL }, { "www.example.com", NULL },
		{ "www.example.com:443/tcp", NULL }, { "localhost", NULL },
		{ "1.2.3.4:", NULL }, { "1.2.3.4:65536", NULL },
		{ "1.2.3.4:123456", NULL }, { "1.2.3.4:80:90", NULL },
		{ "1.2.3.4::80", NULL }, { "1.2.3.4:-1", NULL },
		{ "1.2.3.4:+80", NULL }, { "1.2.3.4: 80", NULL },
		{ "1.2.3.4/", NULL }, { "1.2.3.4:80/", NULL },
		{ "1.2.3.4/tcp/udp", NULL }, { "1.2.3.4/t.p", NULL },
		{ "1.2.3.4/abcdefghijklmnopq", NULL },
		{ "1.2.3.4 ", NULL }, { " 1.2.3.4", NULL },
		{ "1.2.3.4\t", NULL }, { "1.2.3.256", NULL },
		{ "1.2.3", NULL }, { "1.2.3.4.5", NULL },
		{ "2001:db8::1%eth0", NULL }, { "2001:218::1:443:1:1:1:1", NULL },
		{ "[", NULL }, { "]", NULL }, { "[]", NULL }, { "[]:80", NULL },
		{ "[::1", NULL }, { "[::1]x", NULL }, { "[::1]:", NULL },
		{ "[::1]:80x", NULL }, { "[::1]:99999", NULL },
		{ "[::1]]", NULL }, { "[[::1]]", NULL }, { "[%eth0]", NULL },
		{ "[::1]:80/", NULL }, { ":80", NULL }, { ":", NULL },
		{ "/tcp", NULL }, { "::1]:80", NULL }, { "[host]:80", NULL },
		{ "1.2.3.4\\t", NULL }, { "\\x31.2.3.4", NULL },
	};
	char got[IPADDR_TEXT_MAX], what[160];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		int r = from_text(t[i].in, strlen(t[i].in), got, sizeof got);

		snprintf(what, sizeof what, "address in '%s': %s", t[i].in,
		    t[i].want ? t[i].want : "none");
		if (t[i].want == NULL)
			TEST_OK(r == -1, what);
		else
			TEST_OK(r == 0 && strcmp(got, t[i].want) == 0, what);
	}
	/* A NUL byte is just another byte that makes it no address. */
	TEST_OK(from_text("1.2.3.4\0", 8, NULL, 0) == -1,
	    "address: a NUL after it");
	TEST_OK(from_text("1.2.3.4:80/tc\0p", 15, NULL, 0) == -1,
	    "address: a NUL in the protocol");
	TEST_OK(from_text("[::1\0]:80", 9, NULL, 0) == -1,
	    "address: a NUL inside brackets");
	/* The length is the end: what follows in memory is not read. */
	TEST_OK(geo_addr_from_text(slice_make("1.2.3.4:80/tcpXX", 14),
	    &(struct ipaddr){ { 0 } }) == 0, "address: slice ends the field");
	TEST_OK(geo_addr_from_text(slice_make("[::1]:80", 4),
	    &(struct ipaddr){ { 0 } }) == -1, "address: cut inside brackets");
}

/*
 * Random fields: half made of the bytes the forms are made of, half
 * valid forms with a few bytes changed, inserted or dropped. No crash,
 * and whatever is accepted formats as an address that parses again.
 */
static void
test_from_text_random(void)
{
	static const char alpha[] = "[]:./%0123456789abcdefABCDEF \t\\x-_";
	static const char *const seeds[] = {
		"89.160.20.113:443/tcp", "[2001:218::1]:443/tcp",
		"[fe80::1%eth0]:22/udp", "::ffff:1.2.3.4/icmp", "10.0.0.1",
		"2001:db8::1/tcp", "[::1]", "1.2.3.4:65535",
	};
	uint32_t seed = 12345;
	int i, accepted = 0, roundtrip = 1;

	for (i = 0; i < 200000; i++) {
		char s[48], got[IPADDR_TEXT_MAX];
		size_t n, j, k;

		seed = seed * 1103515245 + 12345;
		if (i % 2) {
			const char *from = seeds[(seed >> 16) %
			    (sizeof seeds / sizeof seeds[0])];

			n = strlen(from);
			memcpy(s, from, n);
			for (k = 0; k < (size_t)(1 + i % 3); k++) {
				seed = seed * 1103515245 + 12345;
				j = (seed >> 16) % (n + 1);
				seed = seed * 1103515245 + 12345;
				if (k == 1 && n > 1 && j < n) {
					memmove(s + j, s + j + 1, n - j - 1);
					n--;
				} else if (k == 2 && n < sizeof s) {
					memmove(s + j + 1, s + j, n - j);
					s[j] = alpha[(seed >> 16) %
					    (sizeof alpha - 1)];
					n++;
				} else if (j < n) {
					s[j] = alpha[(seed >> 16) %
					    (sizeof alpha - 1)];
				}
			}
		} else {
			n = (seed >> 16) % sizeof s;
			for (j = 0; j < n; j++) {
				seed = seed * 1103515245 + 12345;
				s[j] = alpha[(seed >> 16) % (sizeof alpha - 1)];
			}
		}
		if (from_text(s, n, got, sizeof got) == 0) {
			struct ipaddr ip;

			accepted++;
			if (ip_parse(slice_cstr(got), &ip) != 0)
				roundtrip = 0;
		}
	}
	printf("# %d of 200000 random fields held an address\n", accepted);
	TEST_OK(roundtrip, "address: random fields, accepted ones round-trip");
	{
		/* A megabyte of brackets and colons. */
		size_t n = 1 << 20, j;
		char *big = malloc(n);

		for (j = 0; j < n; j++)
			big[j] = "[:]"[j % 3];
		TEST_OK(geo_addr_from_text(slice_make(big, n),
		    &(struct ipaddr){ { 0 } }) == -1, "address: 1 MB of '[:]'");
		big[0] = '[';
		memset(big + 1, ':', n - 1);
		TEST_OK(geo_addr_from_text(slice_make(big, n),
		    &(struct ipaddr){ { 0 } }) == -1,
		    "address: '[' and 1 MB of ':'");
		free(big);
	}
}

static void
test_open(void)
{
	static const struct {
		const char *file, *want;	/* want: how err ends */
	} bad[] = {
		{ "libmaxminddb-corrupt-search-tree.mmdb",
		    "search tree nodes that no address reaches" },
		{ "libmaxminddb-offset-integer-overflow.mmdb",
		    "corrupt data section" },
		{ "invalid-string-length.mmdb", "corrupt data section" },
		{ "csm-test.txt",
		    "no valid metadata (not a MaxMind DB file?)" },
		{ "no-such.mmdb", "No such file or directory" },
		{ "", "not a regular file" },	/* the directory */
	};
	static const char *const good[] = {
		"GeoLite2-Country-Test.mmdb", "GeoLite2-ASN-Test.mmdb",
		"MaxMind-DB-test-ipv4-24.mmdb", "csm-test.mmdb",
		"csm-broken.mmdb",
	};
	char err[DIAG_NAME_MAX + 512], what[200];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct geo g;

		geo_init(&g);
		snprintf(what, sizeof what, "open %s", good[i]);
		TEST_OK(geo_open(&g, db(good[i]), err, sizeof err) == 0 &&
		    g.ndb == 1, what);
		geo_release(&g);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct geo g;
		const char *path = db(bad[i].file);
		size_t n, w = strlen(bad[i].want);
		int r;

		geo_init(&g);
		err[0] = '\0';
		r = geo_open(&g, path, err, sizeof err);
		n = strlen(err);
		snprintf(what, sizeof what, "refuse '%s': %s", bad[i].file,
		    bad[i].want);
		TEST_OK(r == -1 && g.ndb == 0 && n >= w &&
		    strcmp(err + n - w, bad[i].want) == 0 &&
		    strstr(err, path) != NULL, what);
		if (r != -1 || strstr(err, path) == NULL)
			printf("# got: %s\n", err);
		geo_release(&g);
	}
	{
		struct geo g;

		geo_init(&g);
		(void)geo_open(&g, "bad\tname\n.mmdb", err, sizeof err);
		TEST_OK(strcmp(err, "cannot open database 'bad\\tname\\n.mmdb':"
		    " No such file or directory") == 0,
		    "open: the path in the message is escaped");
		geo_release(&g);
	}
}

/* Looks up text; checks every part of the answer. */
static void
check(struct geo *g, const char *text, enum geo_class cls,
    const char *country, long long asn, const char *org)
{
	struct ipaddr ip = addr(text);
	struct geo_info gi;
	char err[DIAG_NAME_MAX + 512], what[400], qc[40], qo[200];
	int r;

	r = geo_lookup(g, &ip, &gi, err, sizeof err);
	/* The expected strings are hostile too: escaped for TAP. */
	snprintf(what, sizeof what, "lookup %s: %s %lld %s", text,
	    cls ? geo_class_name(cls) : diag_escape(qc, sizeof qc,
	    slice_cstr(country)), asn, diag_escape(qo, sizeof qo,
	    slice_cstr(org)));
	TEST_OK(r == 0 && gi.cls == cls &&
	    slice_eq(gi.country, country) && slice_eq(gi.org, org) &&
	    (asn < 0 ? !gi.has_asn : gi.has_asn &&
	    gi.asn == (uint64_t)asn), what);
}

static void
test_lookup(void)
{
	struct geo g;
	char err[DIAG_NAME_MAX + 512];

	geo_init(&g);
	TEST_OK(geo_open(&g, db("GeoLite2-Country-Test.mmdb"), err,
	    sizeof err) == 0 && geo_open(&g, db("GeoLite2-ASN-Test.mmdb"),
	    err, sizeof err) == 0 && geo_open(&g,
	    db("MaxMind-DB-test-ipv4-24.mmdb"), err, sizeof err) == 0,
	    "open Country, ASN and an IPv4-only database");
	check(&g, "89.160.20.113", GEO_PUBLIC, "SE", 29518, "Bredband2 AB");
	check(&g, "67.43.156.1", GEO_PUBLIC, "BT", 35908, "");
	check(&g, "81.2.69.142", GEO_PUBLIC, "GB", -1, "");
	check(&g, "2001:218::1", GEO_PUBLIC, "JP", -1, "");
	check(&g, "2600:7000::1", GEO_PUBLIC, "", 6939,
	    "Hurricane Electric, Inc.");
	/* Found, but with only a continent: no country. */
	check(&g, "2a02:d500::1", GEO_PUBLIC, "", -1, "");
	check(&g, "8.8.8.8", GEO_PUBLIC, "", -1, "");
	check(&g, "::ffff:89.160.20.113", GEO_PUBLIC, "SE", 29518,
	    "Bredband2 AB");
	check(&g, "10.0.0.1", GEO_PRIVATE, "", -1, "");
	TEST_OK(g.st.lookups == 9 && g.st.cached == 1 && g.st.special == 1 &&
	    g.st.searched == 7 && g.st.unknown == 2,
	    "lookup: the counters add up (one cached: the mapped address)");
	check(&g, "89.160.20.113", GEO_PUBLIC, "SE", 29518, "Bredband2 AB");
	TEST_OK(g.st.cached == 2, "lookup: a repeated address is cached");
	geo_release(&g);
	TEST_OK(g.ndb == 0 && g.cache == NULL, "release empties");
	geo_release(&g);
	TEST_OK(1, "release twice");
}

static void
test_fixtures(void)
{
	struct geo g;
	char err[DIAG_NAME_MAX + 512];

	geo_init(&g);
	TEST_OK(geo_open(&g, db("csm-test.mmdb"), err, sizeof err) == 0,
	    "open csm-test.mmdb");
	check(&g, "11.0.0.1", GEO_PUBLIC, "US", 64496, "Tab\there");
	check(&g, "11.0.1.1", GEO_PUBLIC, "US", 64497,
	    "Line\nbreak\rand \\ backslash");
	check(&g, "11.0.2.1", GEO_PUBLIC, "US", 64498,
	    "\x1b[31mred\x1b[0m and DEL\x7f");
	check(&g, "11.0.3.1", GEO_PUBLIC, "JP", 64499,
	    "NEL\xc2\x85 \xe6\x97\xa5\xe6\x9c\xac\xe9\x9b\xbb\xe4\xbf\xa1"
	    "\xe9\x9b\xbb\xe8\xa9\xb1");
	check(&g, "11.0.4.1", GEO_PUBLIC, "US", 64500,
	    "bad \xff\xfe\xc0\x80 bytes");
	check(&g, "11.0.5.1", GEO_PUBLIC, "NL", 4294967295LL,
	    "Enterprise layout");
	check(&g, "11.0.6.1", GEO_PUBLIC, "FR", 64502, "Registered only");
	check(&g, "11.0.7.1", GEO_PUBLIC, "DE", -1, "Text ASN");
	check(&g, "11.0.8.1", GEO_PUBLIC, "J\tP", -1, "");
	check(&g, "2600:1f00::1", GEO_PUBLIC, "US", 64510, "IPv6 network");
	/* The database has entries for these: never asked. */
	check(&g, "10.9.9.9", GEO_PRIVATE, "", -1, "");
	check(&g, "203.0.113.9", GEO_DOCUMENTATION, "", -1, "");
	check(&g, "fd00::9", GEO_PRIVATE, "", -1, "");
	geo_release(&g);

	/* Two databases that both know 11.0.1.0/24: the first one says. */
	geo_init(&g);
	(void)geo_open(&g, db("csm-test.mmdb"), err, sizeof err);
	(void)geo_open(&g, db("csm-broken.mmdb"), err, sizeof err);
	check(&g, "11.0.1.1", GEO_PUBLIC, "US", 64497,
	    "Line\nbreak\rand \\ backslash");
	geo_release(&g);
	geo_init(&g);
	(void)geo_open(&g, db("csm-broken.mmdb"), err, sizeof err);
	(void)geo_open(&g, db("csm-test.mmdb"), err, sizeof err);
	check(&g, "11.0.1.1", GEO_PUBLIC, "GB", 64500, "Fine");
	geo_release(&g);
}

static void
test_broken(void)
{
	struct ipaddr ip = addr("11.0.9.1");
	struct geo_info gi;
	struct geo g;
	char err[DIAG_NAME_MAX + 512], want[1400];
	int r;

	geo_init(&g);
	(void)geo_open(&g, db("csm-broken.mmdb"), err, sizeof err);
	(void)geo_open(&g, db("csm-test.mmdb"), err, sizeof err);
	check(&g, "11.0.1.1", GEO_PUBLIC, "GB", 64500, "Fine");
	err[0] = '\0';
	r = geo_lookup(&g, &ip, &gi, err, sizeof err);
	snprintf(want, sizeof want, "bad database '%s': corrupt data section",
	    db("csm-broken.mmdb"));
	TEST_OK(r == -1 && strcmp(err, want) == 0,
	    "broken: the damaged entry fails, naming the file");
	TEST_OK(geo_lookup(&g, &ip, &gi, err, sizeof err) == 0 &&
	    gi.country.n == 0 && !gi.has_asn,
	    "broken: asked again, the others answer (nothing here)");
	/* The failed database is out, its earlier answer forgotten. */
	check(&g, "11.0.1.1", GEO_PUBLIC, "US", 64497,
	    "Line\nbreak\rand \\ backslash");
	check(&g, "11.0.0.1", GEO_PUBLIC, "US", 64496, "Tab\there");
	geo_release(&g);
}

static void
test_cache(void)
{
	struct geo g;
	char err[DIAG_NAME_MAX + 512];
	uint32_t i;
	int same = 1;

	/* Far more addresses than slots, each asked twice in a row. */
	geo_init(&g);
	(void)geo_open(&g, db("GeoLite2-ASN-Test.mmdb"), err, sizeof err);
	for (i = 0; i < 3 * GEO_CACHE_SLOTS; i++) {
		struct ipaddr ip = addr("89.160.0.0");
		struct geo_info a, b;

		ip.b[14] = (uint8_t)(i >> 8);
		ip.b[15] = (uint8_t)i;
		ip.b[13] = (uint8_t)(160 + (i >> 16));
		if (geo_lookup(&g, &ip, &a, err, sizeof err) != 0 ||
		    geo_lookup(&g, &ip, &b, err, sizeof err) != 0 ||
		    a.has_asn != b.has_asn || a.asn != b.asn ||
		    a.org.n != b.org.n)
			same = 0;
	}
	TEST_OK(same, "cache: the second answer is the first");
	TEST_OK(g.st.cached == 3 * GEO_CACHE_SLOTS,
	    "cache: every second lookup is a hit");
	geo_release(&g);
}

int
main(int argc, char **argv)
{
	(void)argc;
	find_top(argv[0]);
	test_classify();
	test_from_text();
	test_from_text_random();
	test_open();
	test_lookup();
	test_fixtures();
	test_broken();
	test_cache();
	return test_done();
}
