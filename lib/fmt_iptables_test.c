/*
 * fmt_iptables_test.c: the netfilter LOG parser through its fmt row, on
 * what its faster paths decide: the action read from the prefix (deny
 * words win wherever they stand, any case, prefixes of any length), the
 * start of the fields found wherever "IN=" falls, which of a repeated key
 * counts, and the numbers checked without num_parse_u64 (leading zeros,
 * the largest value, one past it).
 */
#include <stdio.h>
#include <stdlib.h>
#include "fmt.h"
#include "fmt_test.h"
#include "test.h"
#include "timeconv.h"

static const struct fmt *ipt;
static struct event *ev;
/* A line through a fresh iptables state (in a static buffer). */
static const char *
run(const char *line)
{
	static char out[8192];

	return fmt_test_run(ipt, ev, NULL, slice_cstr(line), out, sizeof out);
}

#define FIELDS "IN=eth0 OUT=eth1 SRC=10.0.0.1 DST=10.0.0.2 LEN=60 " \
	"PROTO=TCP SPT=1 DPT=2 SYN"

static void
test_action(void)
{
	static const struct {
		const char *prefix, *action;
	} cases[] = {
		{ "FW-DROP:", "deny" },
		{ "fw-accept:", "allow" },
		{ "Accept-then-Drop", "deny" },
		{ "policy PASS", "allow" },
		{ "xdenyx", "deny" },
		{ "DENIED", "deny" },
		{ "[UFW BLOCK]", "deny" },
		{ "reJect", "deny" },
		{ "ALLOW", "allow" },
		{ "BLOC PAS ACCEP DRO", "" },
		{ "nothing", "" },
		{ "a prefix of more than sixty-four bytes, as a syslog "
		    "daemon may write, ending in drop", "deny" },
		{ "a prefix of more than sixty-four bytes, as a syslog "
		    "daemon may write, ending in pass", "allow" },
		{ "a prefix of more than sixty-four bytes, as a syslog "
		    "daemon may write, ending in dro", "" },
	};
	char line[512], what[300];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *r;

		snprintf(line, sizeof line, "Nov 25 17:06:35 gw kernel: %s "
		    FIELDS, cases[i].prefix);
		r = run(line);
		snprintf(what, sizeof what, "action of '%s': '%s'",
		    cases[i].prefix, cases[i].action);
		TEST_OK(strcmp(fmt_test_column(r, EV_ACTION), cases[i].action) == 0,
		    what);
	}
}

/* "IN=" at every offset up to 40, glued to the prefix or not. */
static void
test_start(void)
{
	char line[512], prefix[64], want[128];
	int n, ok = 1;

	for (n = 0; n <= 40 && ok; n++) {
		const char *r;

		memset(prefix, 'x', (size_t)n);
		prefix[n] = '\0';
		snprintf(line, sizeof line, "Nov 25 17:06:35 gw kernel: %s"
		    FIELDS, prefix);
		r = run(line);
		snprintf(want, sizeof want, n ? "prefix=%s;in=eth0" :
		    "in=eth0%s", prefix);
		ok = strncmp(fmt_test_column(r, EV_EXTRA), want, strlen(want)) == 0 &&
		    strcmp(fmt_test_column(r, EV_SRC_IP), "10.0.0.1") == 0;
		if (!ok)
			printf("# %d: '%s'\n", n, r);
	}
	TEST_OK(ok, "fields found wherever IN= starts");
	TEST_OK(strcmp(run("Nov 25 17:06:35 gw kernel: xIN=eth0 OUTX=eth1 "
	    "SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP"), "skipped") == 0,
	    "IN= without OUT= after its value, not a word, is no LOG line");
}

static void
test_keys(void)
{
	const char *r;

	r = run("Nov 25 17:06:35 gw kernel: DROP IN=a OUT=b PHYSIN=p1 "
	    "PHYSOUT=o1 SRC=10.0.0.1 DST=10.0.0.2 LEN=60 LEN=20 PROTO=ICMP "
	    "TYPE=3 CODE=1 [SRC=10.0.0.9 DST=10.0.0.8 LEN=5 PROTO=UDP "
	    "SPT=53 DPT=9] PHYSIN=p2 PHYSOUT=o2 IN=c SRC=10.0.0.7");
	TEST_OK(strcmp(fmt_test_column(r, EV_SRC_IP), "10.0.0.1") == 0 &&
	    strcmp(fmt_test_column(r, EV_SRC_PORT), "") == 0 &&
	    strcmp(fmt_test_column(r, EV_PROTO), "icmp") == 0,
	    "first SRC counts, bracketed fields passed over");
	TEST_OK(strcmp(fmt_test_column(r, EV_EXTRA), "prefix=DROP;in=a;out=b;"
	    "physin=p2;physout=o2;len=60;icmp_type=3;icmp_code=1") == 0,
	    "first LEN and IN count, last PHYSIN and PHYSOUT");
	r = run("IN=eth0 OUT= ARP HTYPE=1 IPSRC=10.0.0.1 IPDST=10.0.0.2");
	TEST_OK(strcmp(fmt_test_column(r, EV_SRC_IP), "10.0.0.1") == 0 &&
	    strcmp(fmt_test_column(r, EV_DST_IP), "10.0.0.2") == 0 &&
	    strcmp(fmt_test_column(r, EV_PROTO), "arp") == 0, "ARP: IPSRC, IPDST");
}

static void
test_numbers(void)
{
	static const struct {
		const char *fields, *want;
	} cases[] = {
		{ "SPT=0080 DPT=65535 LEN=4294967295", "0080" },
		{ "SPT=65536", "rejected: iptables: bad SPT '65536'" },
		{ "SPT=1 DPT=00000000000000065535", "1" },
		{ "SPT=1 DPT=000000000000000065535",
		    "rejected: iptables: bad DPT '000000000000000065535'" },
		{ "SPT=1 LEN=4294967296",
		    "rejected: iptables: bad LEN '4294967296'" },
		{ "SPT=1 TYPE=256", "rejected: iptables: bad TYPE '256'" },
		{ "SPT=", "rejected: iptables: bad SPT ''" },
		{ "SPT=+1", "rejected: iptables: bad SPT '+1'" },
		{ "SPT=99999999999999999999",
		    "rejected: iptables: bad SPT '99999999999999999999'" },
	};
	char line[512], what[300];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *r;

		snprintf(line, sizeof line, "Nov 25 17:06:35 gw kernel: DROP "
		    "IN=a OUT=b SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP %s",
		    cases[i].fields);
		r = run(line);
		if (strncmp(cases[i].want, "rejected", 8) != 0)
			r = fmt_test_column(r, EV_SRC_PORT);
		snprintf(what, sizeof what, "numbers: %s", cases[i].fields);
		TEST_OK(strcmp(r, cases[i].want) == 0, what);
	}
}

int
main(void)
{
	time_zone_set("UTC");
	ipt = fmt_lookup("iptables");
	ev = calloc(1, sizeof *ev);
	if (ipt == NULL || ev == NULL) {
		TEST_OK(0, "setup");
		return test_done();
	}
	test_action();
	test_start();
	test_keys();
	test_numbers();
	free(ev);
	return test_done();
}
