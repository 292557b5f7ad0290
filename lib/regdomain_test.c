/*
 * regdomain_test.c: the domain part of addresses, canonical domains
 * (punycode decoded, lower case, bad bytes refused) and registrable
 * domains by the Public Suffix List: a subdomain under co.jp belongs to
 * its organisation, co.jp itself and single labels are their own, and
 * string suffixes that are not label boundaries do not count.
 */
#include <stdio.h>
#include <string.h>
#include "regdomain.h"
#include "test.h"

static char buf[REGDOMAIN_MAX];

/* The canonical form of s, or "(bad)". */
static const char *
canon(const char *s)
{
	if (regdomain_canon(slice_cstr(s), buf, sizeof buf) < 0)
		return "(bad)";
	return buf;
}

/* The registrable domain of s, through its canonical form. */
static int
reg_is(const struct regdomain *rd, const char *s, const char *want)
{
	struct slice r;

	if (regdomain_canon(slice_cstr(s), buf, sizeof buf) < 0)
		return 0;
	r = regdomain_of(rd, buf);
	return slice_eq(r, want);
}

static int
dom_is(const char *addr, const char *want)
{
	return slice_eq(regdomain_addr_domain(slice_cstr(addr)), want);
}

int
main(void)
{
	struct regdomain *rd = regdomain_open();
	char big[600];

	TEST_OK(rd != NULL, "the Public Suffix List loads");
	if (rd == NULL)
		return test_done();

	TEST_OK(dom_is("alice@example.co.jp", "example.co.jp"),
	    "addr: domain after '@'");
	TEST_OK(dom_is(" <a@b@Mail.Example.ORG> ", "Mail.Example.ORG"),
	    "addr: the last '@', brackets and spaces dropped");
	TEST_OK(dom_is("<>", "") && dom_is("postmaster", "") &&
	    dom_is("", ""), "addr: null sender, no '@': empty");

	TEST_OK(strcmp(canon("Mail.Example.CO.JP."), "mail.example.co.jp")
	    == 0, "canon: lower case, trailing dot dropped");
	TEST_OK(strcmp(canon("xn--pypal-4ve.com"), "p\xd0\xb0ypal.com") == 0,
	    "canon: punycode decoded (Cyrillic a in paypal)");
	TEST_OK(strcmp(canon("XN--PYPAL-4VE.COM"), "p\xd0\xb0ypal.com") == 0,
	    "canon: upper-case ACE prefix decoded too");
	TEST_OK(strcmp(canon("xn--zz.example"), "xn--zz.example") == 0,
	    "canon: bad punycode kept as written");
	TEST_OK(strcmp(canon("\xd0\x9f\xd0\xa0\xd0\x98\xd0\x9c\xd0\x95\xd0\xa0"
	    ".\xd0\xa0\xd0\xa4"), "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5"
	    "\xd1\x80.\xd1\x80\xd1\x84") == 0,
	    "canon: Unicode lower-cased (ПРИМЕР.РФ)");
	TEST_OK(strcmp(canon("[192.0.2.1]"), "[192.0.2.1]") == 0 &&
	    strcmp(canon("[IPv6:2001:DB8::1]"), "[ipv6:2001:db8::1]") == 0,
	    "canon: address literals kept");
	TEST_OK(strcmp(canon("a b.example"), "(bad)") == 0 &&
	    strcmp(canon("a@b.example"), "(bad)") == 0 &&
	    strcmp(canon("a..example"), "(bad)") == 0 &&
	    strcmp(canon(".example"), "(bad)") == 0 &&
	    strcmp(canon(""), "(bad)") == 0 &&
	    strcmp(canon("bad\xff.example"), "(bad)") == 0 &&
	    strcmp(canon("[192.0.2.1"), "(bad)") == 0,
	    "canon: spaces, '@', empty labels, bad UTF-8 refused");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	TEST_OK(strcmp(canon(big), "(bad)") == 0, "canon: too long refused");

	TEST_OK(reg_is(rd, "bounce.example.co.jp", "example.co.jp") &&
	    reg_is(rd, "example.co.jp", "example.co.jp"),
	    "psl: co.jp is a public suffix");
	TEST_OK(reg_is(rd, "a.b.example.com", "example.com"),
	    "psl: .com");
	TEST_OK(reg_is(rd, "co.jp", "co.jp") && reg_is(rd, "pot", "pot"),
	    "psl: a public suffix or single label is its own");
	TEST_OK(reg_is(rd, "192.0.2.1", "192.0.2.1") &&
	    reg_is(rd, "[192.0.2.1]", "[192.0.2.1]"),
	    "psl: addresses whole");
	TEST_OK(reg_is(rd, "mail.xn--e1afmkfd.xn--p1ai",
	    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84"),
	    "psl: IDN suffix (пример.рф) after decoding");

	TEST_OK(regdomain_known_suffix(rd, "example.co.jp") &&
	    regdomain_known_suffix(rd, "paypal.com") &&
	    !regdomain_known_suffix(rd, "j.p.morgan") &&
	    !regdomain_known_suffix(rd, "localhost") &&
	    !regdomain_known_suffix(rd, "192.0.2.1") &&
	    !regdomain_known_suffix(rd, ""),
	    "known suffix: only suffixes the list names");
	TEST_OK(slice_eq(regdomain_label(slice_cstr("example.co.jp")),
	    "example") && slice_eq(regdomain_label(slice_cstr("pot")), "pot"),
	    "label: the first label");

	TEST_OK(regdomain_under(slice_cstr("mail.example.jp"),
	    slice_cstr("example.jp")) &&
	    regdomain_under(slice_cstr("example.jp"), slice_cstr("example.jp")),
	    "under: subdomain and itself");
	TEST_OK(!regdomain_under(slice_cstr("badexample.jp"),
	    slice_cstr("example.jp")) &&
	    !regdomain_under(slice_cstr("example.jp"),
	    slice_cstr("mail.example.jp")) &&
	    !regdomain_under(slice_cstr("example.jp"), slice_cstr("")),
	    "under: not across a label boundary");
	regdomain_close(rd);
	regdomain_close(NULL);
	return test_done();
}
