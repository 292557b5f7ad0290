/*
 * acct_test.c: account names in their three Windows spellings, computer
 * accounts, names folded in any script and width (and bytes that are not
 * UTF-8 left as they are), SIDs (domain RIDs, the identities of Windows itself, text that
 * only looks like a SID), the well-known privileged groups by SID, RID and
 * name, the CN of a distinguished name, and Windows' hex numbers.
 */
#include <stdint.h>
#include "acct.h"
#include "test.h"

static struct slice
S(const char *s)
{
	return slice_cstr(s);
}

static int
is(const char *got, const char *want)
{
	return got != NULL && want != NULL && strcmp(got, want) == 0;
}

static void
test_names(void)
{
	struct slice n = acct_name(S("CORP\\adm-tanaka"));

	TEST_BYTES(n.p, n.n, "adm-tanaka", "name: DOMAIN\\ prefix dropped");
	n = acct_name(S(" lgrove@THREEBEESCO.COM "));
	TEST_BYTES(n.p, n.n, "lgrove", "name: @realm suffix dropped, trimmed");
	n = acct_name(S("a\\b\\c@x@y"));
	TEST_BYTES(n.p, n.n, "c@x", "name: last backslash, last at sign");
	n = acct_name(S("root"));
	TEST_BYTES(n.p, n.n, "root", "name: a plain name is itself");
	TEST_OK(acct_eq(S("CORP\\Administrator"), S("administrator@corp")) &&
	    acct_eq(S("ADM-TANAKA"), S("adm-tanaka")),
	    "eq: spellings and case of one account");
	TEST_OK(!acct_eq(S("alice"), S("alice2")) &&
	    !acct_eq(S("alice"), S("")) && acct_eq(S(""), S("CORP\\")),
	    "eq: prefixes differ, empty names");
	TEST_OK(acct_cmp(S("Bob"), S("alice")) > 0 &&
	    acct_cmp(S("alice"), S("ALICE2")) < 0 &&
	    acct_cmp(S("\xe7\x94\xb0"), S("z")) > 0,
	    "cmp: folded order, UTF-8 after ASCII");
	TEST_OK(acct_is_machine(S("CORP\\WS01$")) &&
	    !acct_is_machine(S("$")) && !acct_is_machine(S("alice")),
	    "machine: names ending in $");
}

static void
test_fold(void)
{
	char buf[ACCT_FOLD_MAX], big[3 * ACCT_FOLD_MAX], big2[sizeof big];
	struct slice f;
	size_t i;

	f = acct_fold(S("\xc3\x84" "DMIN"), buf, sizeof buf);
	TEST_BYTES(f.p, f.n, "\xc3\xa4" "dmin", "fold: upper case beyond ASCII");
	f = acct_fold(S("a\xcc\x88" "dmin"), buf, sizeof buf);
	TEST_BYTES(f.p, f.n, "\xc3\xa4" "dmin", "fold: a combining mark composes");
	f = acct_fold(S("\xef\xbc\xa1\xef\xbc\xa4\xef\xbc\xad\xef\xbc\xa9"
	    "\xef\xbc\xae"), buf, sizeof buf);
	TEST_BYTES(f.p, f.n, "admin", "fold: fullwidth is ASCII");
	f = acct_fold(S("ADM\xff"), buf, sizeof buf);
	TEST_BYTES(f.p, f.n, "adm\xff", "fold: not UTF-8, bytes stand");
	f = acct_fold(S("\xc3\x84\xc3\x84\xc3\x84"), buf, 4);
	TEST_BYTES(f.p, f.n, "\xc3\x84\xc3\x84", "fold: too long, bytes cut");
	TEST_OK(acct_eq(S("\xc3\x84" "DMIN"), S("CORP\\\xc3\xa4" "dmin")) &&
	    acct_eq(S("\xd0\x90\xd0\x94\xd0\x9c\xd0\x98\xd0\x9d"),
	    S("\xd0\xb0\xd0\xb4\xd0\xbc\xd0\xb8\xd0\xbd@CORP")) &&
	    acct_eq(S("\xef\xbc\xa1\xef\xbc\xa4\xef\xbc\xad\xef\xbc\xa9"
	    "\xef\xbc\xae"), S("admin")), "eq: any script and width");
	TEST_OK(!acct_eq(S("\xd0\xb0" "dmin"), S("admin")) &&
	    !acct_eq(S("\xc3\xa4" "dmin"), S("admin")) &&
	    !acct_eq(S("ADM\xff"), S("adm\xdf")),
	    "eq: look-alikes and other bytes stay apart");
	/* Past the buffer a name is its bytes, whole: no two cut alike. */
	for (i = 0; i < sizeof big - 2; i += 2)
		memcpy(big + i, "\xc3\x84", 2);
	big[i] = '\0';
	memcpy(big2, big, sizeof big);
	big2[i - 3] = 'x';
	TEST_OK(acct_cmp(S(big), S(big)) == 0 && acct_cmp(S(big),
	    S(big2)) != 0, "cmp: a name too long to fold compares whole");
	TEST_OK(acct_cmp(S("\xc3\x84"), S("\xc3\xa4")) == 0 &&
	    acct_cmp(S("\xc3\xa4"), S("b")) > 0 &&
	    acct_cmp(S("ADM\xff"), S("adm\xff")) == 0,
	    "cmp: by the folds, bytes folded as ASCII");
}

static void
test_sids(void)
{
	struct slice adm = S("S-1-5-21-308926384-506822093-3341789130-500");

	TEST_OK(acct_is_sid(adm) && acct_is_sid(S("S-1-5-32-544")) &&
	    acct_is_sid(S("s-1-0-0")), "sid: written as SIDs");
	TEST_OK(!acct_is_sid(S("S-1-")) && !acct_is_sid(S("S-1-5--21")) &&
	    !acct_is_sid(S("S-1-5-")) && !acct_is_sid(S("S-2-5")) &&
	    !acct_is_sid(S("S-1-5-x")) && !acct_is_sid(S("alice")),
	    "sid: look-alikes refused");
	TEST_OK(acct_sid_rid(adm) == 500 &&
	    acct_sid_rid(S("S-1-5-21-1-2-3-1105")) == 1105,
	    "rid: domain account SIDs");
	TEST_OK(acct_sid_rid(S("S-1-5-32-544")) == -1 &&
	    acct_sid_rid(S("S-1-5-21-1-2-500")) == -1 &&
	    acct_sid_rid(S("S-1-5-21-1-2-3-4-5")) == -1 &&
	    acct_sid_rid(S("S-1-5-21-1-2-3-99999999999999999999")) == -1 &&
	    acct_sid_rid(S("Administrator")) == -1,
	    "rid: not a domain account SID");
	TEST_OK(acct_sid_is_system(S("S-1-5-18")) &&
	    acct_sid_is_system(S("S-1-0-0")) &&
	    !acct_sid_is_system(S("S-1-5-180")) &&
	    !acct_sid_is_system(adm), "system: Windows' own identities");
}

static void
test_groups(void)
{
	TEST_OK(is(acct_privileged_group(S("S-1-5-32-544"), S("")),
	    "Administrators") && is(acct_privileged_group(
	    S("S-1-5-21-1-2-3-512"), S("whatever")), "Domain Admins") &&
	    is(acct_privileged_group(S("S-1-5-21-1-2-3-519"), S("")),
	    "Enterprise Admins"), "groups: by SID and RID");
	TEST_OK(is(acct_privileged_group(S(""), S("CORP\\domain admins")),
	    "Domain Admins") && is(acct_privileged_group(
	    S("S-1-5-21-1-2-3-1101"), S("DnsAdmins")), "DnsAdmins"),
	    "groups: by name when the SID says nothing");
	TEST_OK(acct_privileged_group(S("S-1-5-21-1-2-3-513"),
	    S("Domain Users")) == NULL && acct_privileged_group(
	    S("S-1-5-32-545"), S("Users")) == NULL &&
	    acct_privileged_group(S(""), S("")) == NULL,
	    "groups: ordinary groups are not privileged");
}

static void
test_dn_hex(void)
{
	char buf[32];
	struct slice cn;
	uint64_t v = 7;

	cn = acct_dn_cn(S("CN=Bob Smith,OU=Staff,DC=corp"), buf, sizeof buf);
	TEST_BYTES(cn.p, cn.n, "Bob Smith", "dn: the CN");
	cn = acct_dn_cn(S("cn=Smith\\, Bob\\2cJr,DC=x"), buf, sizeof buf);
	TEST_BYTES(cn.p, cn.n, "Smith, Bob,Jr", "dn: escapes undone");
	cn = acct_dn_cn(S("OU=x,CN=y"), buf, sizeof buf);
	TEST_OK(cn.n == 0, "dn: no leading CN");
	cn = acct_dn_cn(S("CN=abcdefghij"), buf, 4);
	TEST_OK(cn.n == 0, "dn: too long for the buffer");
	TEST_OK(acct_parse_hex(S("0x00000017"), &v) == 0 && v == 0x17 &&
	    acct_parse_hex(S("0X5C1a2B"), &v) == 0 && v == 0x5c1a2b &&
	    acct_parse_hex(S("0xffffffffffffffff"), &v) == 0 &&
	    v == UINT64_MAX, "hex: Windows' numbers");
	TEST_OK(acct_parse_hex(S("0x"), &v) != 0 &&
	    acct_parse_hex(S("17"), &v) != 0 &&
	    acct_parse_hex(S("0x1g"), &v) != 0 &&
	    acct_parse_hex(S("0x10000000000000000"), &v) != 0,
	    "hex: other text refused");
}

int
main(void)
{
	test_names();
	test_fold();
	test_sids();
	test_groups();
	test_dn_hex();
	return test_done();
}
