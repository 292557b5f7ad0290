/*
 * ipaddr_test.c: address parsing and CIDR sets, v4 and v6.
 */
#include "ipaddr.h"
#include "test.h"

static int
in_set(struct cidr_set *s, const char *addr)
{
	struct ipaddr ip;

	return ip_parse(slice_cstr(addr), &ip) == 0 &&
	    cidr_set_contains(s, &ip);
}

int
main(void)
{
	struct cidr_set s;
	struct ipaddr ip;
	char text[IPADDR_TEXT_MAX];

	TEST_OK(ip_parse(SLICE_LIT("192.0.2.1"), &ip) == 0 && ip_is_v4(&ip),
	    "v4");
	TEST_OK(ip_parse(SLICE_LIT("2001:db8::1"), &ip) == 0 && !ip_is_v4(&ip),
	    "v6");
	TEST_BYTES(text, ip_format(text, &ip), "2001:db8::1", "v6 text");
	TEST_OK(ip_parse(SLICE_LIT("192.0.2.256"), &ip) != 0, "octet > 255");
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
	return test_done();
}
