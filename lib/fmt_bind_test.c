/*
 * fmt_bind_test.c: the BIND query log parser through its fmt row, where
 * it keeps state and scans bytes in bulk. The day cache of print-time
 * stamps must give what a state opened afresh for the line gives (other
 * days of one length, one- and two-digit days, a zone set between two
 * lines of a day, bad times on a cached day, days before 1970); the scans
 * of a client message, sixteen bytes at a time, must find the pointer,
 * the peer and the name wherever their ends fall, and leave in the name
 * exactly the bytes the writer has to escape.
 */
#include <stdio.h>
#include <stdlib.h>
#include "esc.h"
#include "fmt.h"
#include "fmt_test.h"
#include "test.h"
#include "timeconv.h"

static const struct fmt *bind;
static struct event *ev;
/* A line through the bind row (fmt_test_run). */
static const char *
run(void *state, const char *line, size_t n, char *out, size_t cap)
{
	return fmt_test_run(bind, ev, state, slice_make(line, n), out, cap);
}

#define QUERY " queries: info: client 10.0.0.1#5 (a): query: a IN A + " \
	"(10.0.0.2)"

/* Whether line gives the same with the state st and with a fresh one. */
static int
same_fresh(void *st, const char *line, const char **got)
{
	static char a[8192], b[8192];

	*got = run(st, line, strlen(line), a, sizeof a);
	run(NULL, line, strlen(line), b, sizeof b);
	if (strcmp(a, b) != 0)
		printf("# '%s': '%s', fresh '%s'\n", line, a, b);
	return strcmp(a, b) == 0;
}

static void
test_day_cache(void)
{
	static const struct {
		const char *stamp;
		const char *ts;		/* NULL: the line is rejected */
	} days[] = {
		{ "25-Nov-2026 17:06:35.123", "2026-11-25T17:06:35.123Z" },
		{ "25-Nov-2026 17:06:36", "2026-11-25T17:06:36.000Z" },
		{ "26-Nov-2026 17:06:35.123", "2026-11-26T17:06:35.123Z" },
		{ "25-Dec-2026 17:06:35.123", "2026-12-25T17:06:35.123Z" },
		{ "25-Nov-2025 17:06:35.123", "2025-11-25T17:06:35.123Z" },
		{ "25-nov-2025 17:06:35.5", "2025-11-25T17:06:35.500Z" },
		{ "5-Nov-2026 01:00:00.000", "2026-11-05T01:00:00.000Z" },
		{ "05-Nov-2026 01:00:00.001", "2026-11-05T01:00:00.001Z" },
		{ "5-Nov-2026 23:59:60.000", "2026-11-06T00:00:00.000Z" },
		{ "5-Nov-2026 24:00:00.000", NULL },
		{ "5-Nov-2026 23:60:00.000", NULL },
		{ "5-Nov-2026 23:00:61.000", NULL },
		{ "5-Nov-2026 23:00:00,000", NULL },
		{ "31-Nov-2026 23:00:00.000", NULL },
		{ "31-Dec-1969 23:59:59.999", NULL },
		{ "01-Jan-1970 00:00:00.000", "1970-01-01T00:00:00.000Z" },
		{ "01-Jan-1970 00:00:01.000", "1970-01-01T00:00:01.000Z" },
		{ "29-Feb-2024 12:00:00.000", "2024-02-29T12:00:00.000Z" },
		{ "29-Feb-2026 12:00:00.000", NULL },
	};
	struct parse_opts opts;
	struct parse_ctx ctx;
	char line[256], what[300];
	const char *got;
	void *st;
	size_t i;

	fmt_test_ctx(&ctx, &opts, ev);
	st = bind->open(&ctx);
	for (i = 0; i < sizeof days / sizeof days[0]; i++) {
		int ok;

		snprintf(line, sizeof line, "%s%s", days[i].stamp, QUERY);
		ok = same_fresh(st, line, &got);
		if (days[i].ts)
			ok = ok && strncmp(got, days[i].ts, 24) == 0;
		else
			ok = ok && strncmp(got, "rejected: ", 10) == 0;
		snprintf(what, sizeof what, "day cache: %s", days[i].stamp);
		TEST_OK(ok, what);
	}

	/* The zone is applied on every line, not kept with the day. */
	snprintf(line, sizeof line, "25-Nov-2026 17:06:35.123%s", QUERY);
	TEST_OK(same_fresh(st, line, &got) &&
	    strncmp(got, "2026-11-25T17:06:35.123Z", 24) == 0,
	    "day cache: UTC");
	time_zone_set("Asia/Tokyo");
	snprintf(line, sizeof line, "25-Nov-2026 17:06:36.123%s", QUERY);
	TEST_OK(same_fresh(st, line, &got) &&
	    strncmp(got, "2026-11-25T08:06:36.123Z", 24) == 0,
	    "day cache: Asia/Tokyo set between lines of the day");
	time_zone_set("UTC");

	/* Inside a syslog envelope too. */
	snprintf(line, sizeof line, "Nov 25 17:06:35 ns1 named[1]: "
	    "24-Nov-2026 17:06:34.999%s", QUERY);
	TEST_OK(same_fresh(st, line, &got) &&
	    strncmp(got, "2026-11-24T17:06:34.999Z", 24) == 0,
	    "day cache: print-time inside syslog");
	bind->close(st);
}

/* Random stamps, each line checked against a fresh state. */
static void
test_day_cache_random(void)
{
	static const char *const months[] = { "Jan", "Feb", "Nov", "Dec",
	    "dec", "Xyz" };
	static const int years[] = { 1969, 1970, 2024, 2026, 2026, 9999, 0 };
	struct parse_opts opts;
	struct parse_ctx ctx;
	unsigned seed = 99, r;
	int i, d = 1, mo = 0, y = 2026, same = 1, used = 0;
	char line[256];
	const char *got;
	void *st;

	fmt_test_ctx(&ctx, &opts, ev);
	st = bind->open(&ctx);
	for (i = 0; i < 20000 && same; i++) {
		seed = seed * 1103515245 + 12345;
		r = seed >> 4;
		if (r % 6 == 0) {	/* another day */
			d = (int)(r / 6 % 33);
			mo = (int)(r / 198 % 6);
			y = years[r / 1188 % 7];
		}
		seed = seed * 1103515245 + 12345;
		r = seed >> 4;
		snprintf(line, sizeof line, r % 2 ? "%d-%s-%04d %02u:%02u:%02u"
		    ".%03u%s" : "%02d-%s-%04d %02u:%02u:%02u.%03u%s", d,
		    months[mo], y, r / 2 % 25, r / 50 % 61, r / 3050 % 62,
		    r / 189100 % 1000, QUERY);
		same = same_fresh(st, line, &got);
		used += strncmp(got, "rejected", 8) != 0;
	}
	TEST_OK(same, "day cache: random stamps as with a fresh state");
	TEST_OK(used > 5000, "day cache: random stamps mostly good");
	bind->close(st);
}

/* The client pointer "@0x<hex>": every length, a bad byte anywhere. */
static void
test_pointer(void)
{
	char line[256], out[8192], hex[64];
	int n, bad, ok = 1;

	for (n = 0; n <= 40 && ok; n++) {
		for (bad = -1; bad < n && ok; bad++) {
			int i;

			for (i = 0; i < n; i++)
				hex[i] = "0123456789abcdefABCDEF"[(i * 7) % 22];
			if (bad >= 0)
				hex[bad] = bad % 2 ? 'g' : ':';
			hex[n] = '\0';
			snprintf(line, sizeof line, "client @0x%s 10.0.0.1#5 "
			    "(a): query: a IN A + (10.0.0.2)", hex);
			run(NULL, line, strlen(line), out, sizeof out);
			if (n == 0 || bad >= 0)
				ok = strncmp(out, "rejected: bind: bad client "
				    "pointer", 33) == 0;
			else
				ok = strcmp(fmt_test_column(out, EV_SRC_IP),
				    "10.0.0.1") == 0;
			if (!ok)
				printf("# '%s': '%s'\n", line, out);
		}
	}
	TEST_OK(ok, "pointer: hex digits of every length, a bad byte anywhere");
	TEST_OK(strcmp(run(NULL, "client @0xabc", 13, out, sizeof out),
	    "rejected: bind: no client address#port ''") == 0,
	    "pointer: the line ends after it");
}

/* The peer "addr#port" and where it ends. */
static void
test_peer(void)
{
	static const struct {
		const char *msg;
		const char *ip;		/* NULL: rejected for port */
		const char *port;
	} peers[] = {
		{ "client 10.0.0.1#53: query: a IN A + (10.0.0.2)", "10.0.0.1",
		    "53" },
		{ "client 2001:0db8:0000:0000:0000:ff00:0042:8329#65535 (a): "
		    "query: a IN A + (10.0.0.2)", "2001:db8::ff00:42:8329",
		    "65535" },
		{ "client fe80::1%eth0#1/key k.example: query: a IN A +",
		    "fe80::1", "1" },
		/* An IPv4-mapped address is written as IPv4 (fmt_set_addr). */
		{ "client ::ffff:10.0.0.1#00053 (a): query: a IN A +",
		    "10.0.0.1", "00053" },
		{ "client 1.2.3.4#5#6 (a): query: a IN A +", NULL,
		    "bad client address '1.2.3.4#5'" },
		{ "client 1.2.3.4#65536 (a): query: a IN A +", NULL,
		    "bad client port '65536'" },
		{ "client 1.2.3.4 (a#b): query: a IN A +", NULL,
		    "no client address#port '1.2.3.4'" },
		{ "client 1.2.3.4/key k#1: query: a IN A +", NULL,
		    "no client address#port '1.2.3.4'" },
		{ "client 1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:0#1:", NULL,
		    "bad client address '1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:0'" },
		{ "client 10.0.0.1#5", NULL, "no ':' after the client ''" },
	};
	char out[8192], what[300];
	size_t i;

	for (i = 0; i < sizeof peers / sizeof peers[0]; i++) {
		int ok;

		run(NULL, peers[i].msg, strlen(peers[i].msg), out, sizeof out);
		if (peers[i].ip)
			ok = strcmp(fmt_test_column(out, EV_SRC_IP), peers[i].ip) ==
			    0 && strcmp(fmt_test_column(out, EV_SRC_PORT),
			    peers[i].port) == 0;
		else
			ok = strncmp(out, "rejected: bind: ", 16) == 0 &&
			    strcmp(out + 16, peers[i].port) == 0;
		if (!ok)
			printf("# '%s'\n", out);
		snprintf(what, sizeof what, "peer: %s", peers[i].msg);
		TEST_OK(ok, what);
	}
}

/*
 * Names of every length up to 70, with an upper-case letter or a byte to
 * escape at each place: the qname column must be the name lower-cased and
 * escaped as esc_tsv escapes it.
 */
static void
test_qname(void)
{
	static const char *const odd[] = { "Q", "\\", "\x01", "\x7f",
	    "\xc3\xa9", "\xff", "\t" };
	char name[128], low[128], line[512], out[8192], want[600];
	size_t n, at, k, i;
	int ok = 1;

	for (n = 1; n <= 70 && ok; n++) {
		for (k = 0; k < sizeof odd / sizeof odd[0] && ok; k++) {
			for (at = 0; at + strlen(odd[k]) <= n && ok; at++) {
				size_t len = n;

				for (i = 0; i < n; i++)
					name[i] = "abcdefghij.-"[i % 12];
				memcpy(name + at, odd[k], strlen(odd[k]));
				name[len] = '\0';
				for (i = 0; i < len; i++)
					low[i] = (char)(name[i] >= 'A' &&
					    name[i] <= 'Z' ? name[i] + 32 :
					    name[i]);
				/*
				 * A trailing dot goes, unless a backslash
				 * escapes it; a TAB ends the token.
				 */
				if (len > 1 && low[len - 1] == '.' &&
				    low[len - 2] != '\\')
					len--;
				want[esc_tsv(want, slice_make(low, len),
				    ESC_TSV)] = '\0';
				snprintf(line, sizeof line, "client 10.0.0.1#5 "
				    "(x): query: %s IN A + (10.0.0.2)", name);
				run(NULL, line, strlen(line), out, sizeof out);
				if (k == 6)	/* the TAB splits no token */
					continue;
				ok = strcmp(fmt_test_column(out, EV_QNAME), want) == 0;
				if (!ok)
					printf("# '%s': '%s', want '%s'\n",
					    name, fmt_test_column(out, EV_QNAME), want);
			}
		}
	}
	TEST_OK(ok, "qname: lower-cased and escaped at every length");
}

int
main(void)
{
	time_zone_set("UTC");
	bind = fmt_lookup("bind");
	ev = calloc(1, sizeof *ev);
	if (bind == NULL || ev == NULL) {
		TEST_OK(0, "setup");
		return test_done();
	}
	test_day_cache();
	test_day_cache_random();
	test_pointer();
	test_peer();
	test_qname();
	free(ev);
	return test_done();
}
