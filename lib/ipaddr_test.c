/*
 * ipaddr_test.c: address parsing and CIDR sets, v4 and v6, and address
 * text as inet_ntop(3) writes it.
 */
#include <arpa/inet.h>
#include "ipaddr.h"
#include "test.h"

static int
in_set(struct cidr_set *s, const char *addr)
{
	struct ipaddr ip;

	return ip_parse(slice_cstr(addr), &ip) == 0 &&
	    cidr_set_contains(s, &ip);
}

/* Whether ip_format writes what inet_ntop does for the 16 bytes at b. */
static int
same_text(const unsigned char *b)
{
	struct ipaddr ip;
	char got[IPADDR_TEXT_MAX], want[INET6_ADDRSTRLEN];
	size_t n;
	int v4;

	memcpy(ip.b, b, 16);
	v4 = ip_is_v4(&ip);
	n = ip_format(got, &ip);
	if (inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? b + 12 : b, want,
	    sizeof want) == NULL)
		return 0;
	if (n != strlen(got) || strcmp(got, want) != 0) {
		printf("# '%s', not '%s'\n", got, want);
		return 0;
	}
	return 1;
}

/*
 * ip_format against inet_ntop: each of the 256 patterns of zero and
 * non-zero words (with several non-zero values, so that the zero runs,
 * the ffff of a mapped address and the dotted quads all come), then
 * random addresses, half their words zero, and random IPv4.
 */
static void
test_format(void)
{
	static const unsigned vals[] = { 1, 0xffff, 0xabc, 0x10, 0x102 };
	unsigned char b[16];
	unsigned pat, v, seed = 1;
	int i, ok = 1;

	for (pat = 0; pat < 256 && ok; pat++) {
		for (v = 0; v < 5 && ok; v++) {
			for (i = 0; i < 8; i++) {
				unsigned x = pat >> i & 1 ?
				    vals[(v + (unsigned)i) % 5] : 0;

				b[2 * i] = (unsigned char)(x >> 8);
				b[2 * i + 1] = (unsigned char)x;
			}
			ok = same_text(b);
		}
	}
	for (v = 0; v < 100000 && ok; v++) {
		for (i = 0; i < 8; i++) {
			seed = seed * 1103515245 + 12345;
			b[2 * i] = (seed >> 17) % 2 ? (unsigned char)(seed >> 8) :
			    0;
			b[2 * i + 1] = (seed >> 18) % 2 ?
			    (unsigned char)(seed >> 20) : 0;
		}
		if (v % 4 == 0) {	/* IPv4, as ip_parse keeps it */
			memset(b, 0, 10);
			b[10] = b[11] = 0xff;
		}
		ok = same_text(b);
	}
	TEST_OK(ok, "address text as inet_ntop writes it");
}

/* What ip_parse_url_v4 makes of host, as dotted text; "-" when nothing. */
static const char *
url_v4(const char *host)
{
	static char t[IPADDR_TEXT_MAX];
	struct ipaddr ip;

	if (ip_parse_url_v4(slice_cstr(host), &ip) != 0)
		return "-";
	t[ip_format(t, &ip)] = '\0';
	return t;
}

/* The spellings of an IPv4 host that browsers and curl accept. */
static void
test_url_v4(void)
{
	static const struct {
		const char *host, *want, *what;
	} t[] = {
		{ "198.51.100.66", "198.51.100.66",
		    "url v4: dotted" },
		{ "3325256770", "198.51.100.66",
		    "url v4: one number" },
		{ "0xC6336442", "198.51.100.66",
		    "url v4: hex" },
		{ "0xc6.0x33.0x64.0x42", "198.51.100.66",
		    "url v4: hex parts" },
		{ "0306.0063.0144.0102", "198.51.100.66",
		    "url v4: octal parts" },
		{ "198.51.25666", "198.51.100.66",
		    "url v4: three parts, the last two bytes" },
		{ "198.3368002", "198.51.100.66",
		    "url v4: two parts, the last three bytes" },
		{ "198.51.100.66.", "198.51.100.66",
		    "url v4: a trailing dot" },
		{ "0x", "0.0.0.0",
		    "url v4: 0x alone is 0" },
		{ "4294967296", "-",
		    "url v4: past 2^32" },
		{ "256.1.1.1", "-",
		    "url v4: a part past 255" },
		{ "1.2.3.256", "-",
		    "url v4: last part past 255" },
		{ "1.2.65536", "-",
		    "url v4: last part past 2 bytes" },
		{ "1.2.3.4.5", "-",
		    "url v4: five parts" },
		{ "09.1.1.1", "-",
		    "url v4: 9 is no octal digit" },
		{ "1..2", "-",
		    "url v4: an empty part" },
		{ "example.123", "-",
		    "url v4: a name" },
		{ "0xg", "-",
		    "url v4: no hex digit" },
		{ "", "-",
		    "url v4: empty" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *got = url_v4(t[i].host);

		if (strcmp(got, t[i].want) != 0)
			printf("# '%s' gave %s\n", t[i].host, got);
		TEST_OK(strcmp(got, t[i].want) == 0, t[i].what);
	}
}

int
main(void)
{
	struct cidr_set s;
	struct ipaddr ip;
	char text[IPADDR_TEXT_MAX];

	test_format();
	test_url_v4();
	TEST_OK(ip_parse(SLICE_LIT("192.0.2.1"), &ip) == 0 && ip_is_v4(&ip),
	    "v4");
	TEST_OK(ip_parse(SLICE_LIT("2001:db8::1"), &ip) == 0 && !ip_is_v4(&ip),
	    "v6");
	TEST_BYTES(text, ip_format(text, &ip), "2001:db8::1", "v6 text");
	{
		char rev[IPADDR_REVERSE_MAX];

		TEST_BYTES(rev, ip_reverse_name(rev, &ip), "1.0.0.0.0.0.0.0.0.0.0.0."
		    "0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
		    "v6 reverse name");
		ip_parse(SLICE_LIT("203.0.113.9"), &ip);
		TEST_BYTES(rev, ip_reverse_name(rev, &ip),
		    "9.113.0.203.in-addr.arpa", "v4 reverse name");
		ip_parse(SLICE_LIT("fe80::abcd"), &ip);
		TEST_OK(ip_reverse_name(rev, &ip) == IPADDR_REVERSE_MAX - 1 &&
		    memcmp(rev, "d.c.b.a.0.", 10) == 0, "v6 reverse, longest");
		ip_parse(SLICE_LIT("2001:db8::1"), &ip);
	}
	TEST_OK(ip_parse(SLICE_LIT("192.0.2.256"), &ip) != 0, "octet > 255");
	TEST_OK(ip_parse(SLICE_LIT("fe80::1%11"), &ip) == 0 && ip.b[0] == 0xfe &&
	    ip.b[15] == 1, "link-local with a zone: the zone dropped");
	TEST_OK(ip_parse(SLICE_LIT("FE80::1%eth0"), &ip) == 0,
	    "link-local with a named zone");
	TEST_OK(ip_parse(SLICE_LIT("2001:db8::1%11"), &ip) != 0,
	    "a zone only on a link-local address");
	TEST_OK(ip_parse(SLICE_LIT("fe80::1%"), &ip) != 0 &&
	    ip_parse(SLICE_LIT("fe80::1%1 x"), &ip) != 0 &&
	    ip_parse(SLICE_LIT("fe80::1%%1"), &ip) != 0, "an empty or odd zone");
	TEST_OK(ip_parse(SLICE_LIT("192.0.2"), &ip) != 0, "three octets");
	TEST_OK(ip_parse(SLICE_LIT("example.com"), &ip) != 0, "name");
	TEST_OK(ip_parse(SLICE_LIT(""), &ip) != 0, "empty");
	TEST_OK(ip_parse(SLICE_LIT("1.2.3.4 "), &ip) != 0, "trailing space");
	TEST_OK(ip_parse(slice_make("2001:db8::1\0\033]0;x\007", 18), &ip) != 0,
	    "NUL inside a v6 field rejected");
	TEST_OK(ip_parse(slice_make("10.0.0.1\0x", 10), &ip) != 0,
	    "NUL inside a v4 field rejected");
	TEST_OK(ip_parse(SLICE_LIT("::ffff:192.0.2.1"), &ip) == 0 &&
	    ip_is_v4(&ip), "mapped v4 in v6 text");
	{
		struct cidr_set empty;
		cidr_set_init(&empty);
		TEST_OK(!cidr_set_contains(&empty, &ip), "empty set");
		cidr_set_release(&empty);
	}

	{
		/* ip_valid must agree with ip_parse, which builds the address. */
		static const char *const probe[] = { "192.0.2.1", "0.0.0.0",
		    "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3",
		    "1.2.3.4.5", "1..2.3", "1.2.3.4 ", "2001:db8::1", "::",
		    "::ffff:10.0.0.1", "2001:db8::g", "", "1234.1.1.1",
		    "10.0.0.1\n", "-", "a.b.c.d" };
		size_t k;
		int agree = 1;

		for (k = 0; k < sizeof probe / sizeof probe[0]; k++)
			if (ip_valid(slice_cstr(probe[k])) !=
			    (ip_parse(slice_cstr(probe[k]), &ip) == 0))
				agree = 0;
		TEST_OK(agree, "ip_valid agrees with ip_parse");
	}

	cidr_set_init(&s);
	TEST_OK(cidr_set_add(&s, SLICE_LIT("10.0.0.0/8")) == 0, "add /8");
	TEST_OK(cidr_set_add(&s, SLICE_LIT("192.168.1.77/24")) == 0,
	    "host bits cleared");
	TEST_OK(cidr_set_add(&s, SLICE_LIT("2001:db8::/32")) == 0, "add v6");
	TEST_OK(cidr_set_add(&s, SLICE_LIT("10.1.0.0/16")) == 0, "overlap");
	TEST_OK(cidr_set_add(&s, SLICE_LIT("203.0.113.9")) == 0, "single");
	TEST_OK(cidr_set_add(&s, SLICE_LIT("10.0.0.0/33")) != 0, "bad len");
	TEST_OK(cidr_set_add(&s, SLICE_LIT("10.0.0.0/")) != 0, "empty len");
	/* Before cidr_set_finish, lookups scan the ranges: the same answers. */
	TEST_OK(in_set(&s, "10.255.255.255") && !in_set(&s, "11.0.0.0") &&
	    in_set(&s, "192.168.1.1") && !in_set(&s, "192.168.2.1") &&
	    in_set(&s, "2001:db8:ffff::1") && !in_set(&s, "2001:db9::1") &&
	    in_set(&s, "203.0.113.9") && !in_set(&s, "203.0.113.10") &&
	    s.sorted == 0, "unfinished set: the same answers, unsorted");
	cidr_set_finish(&s);
	TEST_OK(s.sorted && s.n == 4, "finished: overlaps merged");
	TEST_OK(in_set(&s, "10.255.255.255"), "end of /8");
	TEST_OK(!in_set(&s, "11.0.0.0"), "after /8");
	TEST_OK(in_set(&s, "192.168.1.1"), "in /24");
	TEST_OK(!in_set(&s, "192.168.2.1"), "outside /24");
	TEST_OK(in_set(&s, "2001:db8:ffff::1"), "in v6 /32");
	TEST_OK(!in_set(&s, "2001:db9::1"), "outside v6");
	TEST_OK(in_set(&s, "203.0.113.9") && !in_set(&s, "203.0.113.10"),
	    "single address");
	TEST_OK(!in_set(&s, "::ffff:11.0.0.1"), "mapped outside");
	cidr_set_release(&s);
	{
		struct ipaddr a, v4;
		char t[IPADDR_TEXT_MAX];

		TEST_OK(ip_parse(SLICE_LIT("64:ff9b::198.51.100.66"), &a) == 0 &&
		    ip_nat64_v4(&a, &v4) && ip_format(t, &v4) > 0 &&
		    strcmp(t, "198.51.100.66") == 0, "NAT64: the IPv4 inside");
		TEST_OK(ip_parse(SLICE_LIT("64:ff9b:1::c633:6442"), &a) == 0 &&
		    !ip_nat64_v4(&a, &v4) && ip_parse(SLICE_LIT(
		    "198.51.100.66"), &a) == 0 && !ip_nat64_v4(&a, &v4),
		    "NAT64: only the well-known prefix");
	}
	return test_done();
}
