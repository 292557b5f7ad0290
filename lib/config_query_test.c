/*
 * config_query_test.c: the lookups the checks make per event: longest
 * prefix segments and egress labels (IPv4 and IPv6, nesting, the top of
 * the address space), the flow matrix (port ranges, '*', any, none,
 * protocol names and numbers, deny by default), business hours (weekday
 * syntax in English and Japanese, ranges crossing midnight, holidays),
 * time in the site's zone with and without DST (Europe/Berlin,
 * Asia/Tokyo), and maintenance windows, one-off and recurring.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "test.h"
#include "timeconv.h"

/* Loads text (written to a temporary file) and finishes; NULL on error. */
static struct config *
load(const char *text)
{
	char path[] = "/tmp/csm-config-query-XXXXXX", err[CONFIG_ERR_MAX];
	struct config *cfg = config_new();
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0 || cfg == NULL || (f = fdopen(fd, "w")) == NULL ||
	    fputs(text, f) < 0 || fclose(f) != 0)
		abort();
	if (config_load(cfg, path, err, sizeof err) != 0 ||
	    config_finish(cfg, err, sizeof err) != 0) {
		printf("# %s\n", err);
		config_free(cfg);
		cfg = NULL;
	}
	unlink(path);
	return cfg;
}

static struct ipaddr
ip(const char *s)
{
	struct ipaddr a;

	if (ip_parse(slice_cstr(s), &a) != 0)
		abort();
	return a;
}

static const char *
seg(const struct config *cfg, const char *addr)
{
	struct ipaddr a = ip(addr);

	return config_segment_name(cfg, config_segment_of(cfg, &a));
}

static int
is(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	return time_utc_seconds(y, mo, d, h, mi, s);
}

static void
test_nets(void)
{
	struct config *cfg = load("[networks]\n"
	    "internal = private 203.0.113.0/24\n"
	    "proxies = 10.0.0.8 2001:db8::8\n"
	    "[egress]\ndns = 10.0.0.0/24\nresolver = 10.0.0.53\n"
	    "v6 = 2001:db8:53::/48\n"
	    "[segment world]\nnetworks = 0.0.0.0/0\n"
	    "[segment big]\nnetworks = 10.0.0.0/8\n"
	    "[segment mid]\nnetworks = 10.1.0.0/16\n"
	    "[segment small]\nnetworks = 10.1.2.0/24\n"
	    "[segment host]\nnetworks = 10.1.2.3\n"
	    "[segment v6]\nnetworks = 2001:db8::/32\n"
	    "[segment v6sub]\nnetworks = 2001:DB8:1::/48\n"
	    "[segment top]\nnetworks = ffff::/16\n"
	    "[segment first]\nnetworks = 10.1.0.0/24 10.4.0.0/24\n"
	    "[segment firstbig]\nnetworks = 10.4.0.0/16\n");
	struct ipaddr a;

	TEST_OK(cfg != NULL, "nets: loads");
	if (cfg == NULL)
		return;
	TEST_OK(is(seg(cfg, "10.1.2.3"), "host") &&
	    is(seg(cfg, "10.1.2.4"), "small") &&
	    is(seg(cfg, "10.1.2.2"), "small") &&
	    is(seg(cfg, "10.1.1.255"), "mid") &&
	    is(seg(cfg, "10.1.3.0"), "mid") &&
	    is(seg(cfg, "10.1.1.1"), "mid") &&
	    is(seg(cfg, "10.1.255.255"), "mid") &&
	    is(seg(cfg, "10.2.0.0"), "big") &&
	    is(seg(cfg, "10.0.255.255"), "big") &&
	    is(seg(cfg, "9.255.255.255"), "world") &&
	    is(seg(cfg, "11.0.0.0"), "world") &&
	    is(seg(cfg, "255.255.255.255"), "world"),
	    "nets: longest prefix, at every edge of the nesting");
	TEST_OK(is(seg(cfg, "10.1.0.0"), "first") &&
	    is(seg(cfg, "10.1.0.255"), "first") &&
	    is(seg(cfg, "10.1.1.0"), "mid") &&
	    is(seg(cfg, "10.4.0.7"), "first") &&
	    is(seg(cfg, "10.4.1.0"), "firstbig"),
	    "nets: nested blocks with the same start, either order");
	TEST_OK(is(seg(cfg, "2001:db8:1::5"), "v6sub") &&
	    is(seg(cfg, "2001:db8:2::5"), "v6") &&
	    is(seg(cfg, "2001:db9::1"), NULL) &&
	    is(seg(cfg, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "top") &&
	    is(seg(cfg, "fffe::1"), NULL) && is(seg(cfg, "::1"), NULL),
	    "nets: IPv6 segments, up to the last address");
	TEST_OK(config_segment_count(cfg) == 10 &&
	    config_segment_find(cfg, "mid") == 2 &&
	    config_segment_find(cfg, "nope") == CONFIG_NO_SEGMENT &&
	    config_segment_name(cfg, CONFIG_NO_SEGMENT) == NULL &&
	    config_segment_name(cfg, 10) == NULL &&
	    is(config_segment_description(cfg, 0), ""),
	    "nets: segment index, find, name, no description");
	a = ip("203.0.113.9");
	TEST_OK(config_is_internal(cfg, &a), "nets: private plus a block");
	a = ip("172.31.255.255");
	TEST_OK(config_is_internal(cfg, &a), "nets: 172.16.0.0/12 end");
	a = ip("172.32.0.0");
	TEST_OK(!config_is_internal(cfg, &a), "nets: past 172.16.0.0/12");
	a = ip("fdff::1");
	TEST_OK(config_is_internal(cfg, &a), "nets: fc00::/7");
	a = ip("2001:db8::1");
	TEST_OK(!config_is_internal(cfg, &a), "nets: 2001:db8:: is not");
	a = ip("2001:db8::8");
	TEST_OK(config_is_proxy(cfg, &a), "nets: IPv6 proxy");
	a = ip("10.0.0.53");
	TEST_OK(is(config_egress_label(cfg, &a), "resolver"),
	    "nets: egress longest prefix");
	a = ip("10.0.0.54");
	TEST_OK(is(config_egress_label(cfg, &a), "dns"),
	    "nets: egress wider block");
	a = ip("10.0.1.1");
	TEST_OK(config_egress_label(cfg, &a) == NULL, "nets: no egress");
	a = ip("2001:db8:53:1::1");
	TEST_OK(is(config_egress_label(cfg, &a), "v6"), "nets: IPv6 egress");
	config_free(cfg);
}

static int
ok(const struct config *cfg, int f, int t, const char *proto, int port)
{
	return config_flow_permitted(cfg, f, t, slice_cstr(proto), port);
}

static void
test_flows(void)
{
	struct config *cfg = load("[segment a]\nnetworks = 10.1.0.0/16\n"
	    "[segment b]\nnetworks = 10.2.0.0/16\n"
	    "[segment c]\nnetworks = 10.3.0.0/16\n"
	    "[flows]\n"
	    "a -> b = tcp/80,443 tcp/1024-65535 udp/53 icmp\n"
	    "a -> c = tcp\n"
	    "* -> c = udp/123\n"
	    "b -> * = tcp/22\n"
	    "c -> c = any\n"
	    "b -> a = tcp/0-1023, 1024 - 65535\n"
	    "a -> a = icmp6 sctp/9\n"
	    "* -> * = gre\n");
	int n = CONFIG_NO_SEGMENT;

	TEST_OK(cfg != NULL, "flows: loads");
	if (cfg == NULL)
		return;
	TEST_OK(ok(cfg, 0, 1, "tcp", 80) && ok(cfg, 0, 1, "tcp", 443) &&
	    !ok(cfg, 0, 1, "tcp", 81) && !ok(cfg, 0, 1, "tcp", 1023) &&
	    ok(cfg, 0, 1, "tcp", 1024) && ok(cfg, 0, 1, "tcp", 65535) &&
	    !ok(cfg, 0, 1, "tcp", 0), "flows: ports and a port range");
	TEST_OK(ok(cfg, 0, 1, "udp", 53) && !ok(cfg, 0, 1, "udp", 54) &&
	    !ok(cfg, 0, 1, "udp", 80), "flows: udp apart from tcp");
	TEST_OK(ok(cfg, 0, 1, "icmp", -1) && ok(cfg, 0, 1, "ICMPv6", -1) &&
	    ok(cfg, 0, 1, "ipv6-icmp", 0), "flows: icmp covers ICMPv6");
	TEST_OK(ok(cfg, 0, 1, "TCP", 80) && ok(cfg, 0, 1, "6", 80) &&
	    ok(cfg, 0, 1, "17", 53), "flows: protocol case and numbers");
	TEST_OK(!ok(cfg, 0, 1, "tcp", -1) && !ok(cfg, 0, 1, "tcp", 70000),
	    "flows: unknown port needs every port");
	TEST_OK(!ok(cfg, 0, 1, "sctp", 80) && !ok(cfg, 0, 1, "http", 80) &&
	    !ok(cfg, 0, 1, "", 80), "flows: other protocols denied");
	TEST_OK(ok(cfg, 0, 2, "tcp", 1) && ok(cfg, 0, 2, "tcp", -1) &&
	    ok(cfg, 0, 2, "tcp", 65535), "flows: a bare protocol, every port");
	TEST_OK(ok(cfg, 0, 2, "udp", 123) && !ok(cfg, 0, 2, "udp", 124) &&
	    ok(cfg, 1, 2, "udp", 123) && ok(cfg, n, 2, "udp", 123) &&
	    !ok(cfg, n, 2, "tcp", 80), "flows: '*' as source");
	TEST_OK(ok(cfg, 1, 0, "tcp", 22) && ok(cfg, 1, 2, "tcp", 22) &&
	    ok(cfg, 1, n, "tcp", 22) && !ok(cfg, 2, 1, "tcp", 22),
	    "flows: '*' as destination");
	TEST_OK(ok(cfg, 2, 2, "tcp", 3389) && ok(cfg, 2, 2, "weird", -1),
	    "flows: any");
	TEST_OK(!ok(cfg, 0, 0, "tcp", 445) && !ok(cfg, 1, 1, "tcp", 445),
	    "flows: nothing within a segment unless listed");
	TEST_OK(ok(cfg, 1, 0, "tcp", -1) && ok(cfg, 1, 0, "tcp", 1023) &&
	    ok(cfg, 1, 0, "tcp", 1024), "flows: touching ranges merged");
	TEST_OK(!ok(cfg, 0, 0, "icmp", -1) && ok(cfg, 0, 0, "icmpv6", -1) &&
	    ok(cfg, 0, 0, "sctp", 9) && !ok(cfg, 0, 0, "sctp", 10),
	    "flows: icmp6 alone, sctp ports");
	TEST_OK(ok(cfg, n, n, "gre", -1) && ok(cfg, 0, 1, "47", -1) &&
	    !ok(cfg, n, n, "esp", -1), "flows: * -> *");
	config_free(cfg);
	cfg = load("");
	TEST_OK(cfg != NULL && !ok(cfg, n, n, "tcp", 80),
	    "flows: none configured, none permitted");
	config_free(cfg);
}

/* Business hours at weekday wd, hh:mm, with holiday flags. */
static int
open_at(const struct config *cfg, int wd, int hh, int mm, int hol, int yhol)
{
	struct config_local lt;

	memset(&lt, 0, sizeof lt);
	lt.wday = wd;
	lt.minute = hh * 60 + mm;
	return config_hours_open(cfg, &lt, hol, yhol);
}

static unsigned
days_of(const char *value)
{
	char text[200];
	struct config *cfg;
	unsigned d;

	snprintf(text, sizeof text, "[hours]\ndays = %s\n", value);
	if ((cfg = load(text)) == NULL)
		return 0xffff;
	d = config_hours(cfg)->days;
	config_free(cfg);
	return d;
}

static void
test_hours(void)
{
	struct config *cfg;

	TEST_OK(days_of("mon-fri") == 0x3e && days_of("Mon, WED") == 0x0a &&
	    days_of("thurs tues") == 0x14 && days_of("fri-mon") == 0x63 &&
	    days_of("saturday sunday") == 0x41 && days_of("sun-sat") == 0x7f,
	    "hours: English weekdays, lists, wrapping ranges");
	TEST_OK(days_of("\xe6\x9c\x88-\xe9\x87\x91") == 0x3e &&
	    days_of("\xe6\x9c\x88\xe6\x9b\x9c-\xe9\x87\x91\xe6\x9b\x9c") ==
	    0x3e && days_of("\xe5\x9c\x9f\xe6\x9b\x9c\xe6\x97\xa5,"
	    "\xe6\x97\xa5\xe6\x9b\x9c\xe6\x97\xa5") == 0x41 &&
	    days_of("\xe6\x9c\x88\xe3\x80\x9c\xe6\xb0\xb4") == 0x0e &&
	    days_of("\xe7\x81\xab\xef\xbd\x9e\xe6\x9c\xa8") == 0x1c,
	    "hours: 月-金, 月曜-金曜, 土曜日,日曜日, "
	    "月〜水, 火～木");
	cfg = load("[hours]\ndays = mon-fri\nhours = 22:00-06:00\n");
	TEST_OK(cfg != NULL, "hours: night shift loads");
	if (cfg != NULL) {
		TEST_OK(open_at(cfg, 1, 23, 0, 0, 0) &&
		    open_at(cfg, 1, 22, 0, 0, 0) && !open_at(cfg, 1, 21, 59,
		    0, 0), "hours: Monday evening");
		TEST_OK(open_at(cfg, 2, 5, 59, 0, 0) &&
		    !open_at(cfg, 2, 6, 0, 0, 0), "hours: Tuesday morning");
		TEST_OK(open_at(cfg, 6, 2, 0, 0, 0) &&
		    !open_at(cfg, 6, 22, 0, 0, 0),
		    "hours: Friday's night runs into Saturday");
		TEST_OK(!open_at(cfg, 1, 2, 0, 0, 0),
		    "hours: Sunday's night is not worked");
		TEST_OK(!open_at(cfg, 2, 3, 0, 0, 1) &&
		    open_at(cfg, 2, 23, 0, 0, 1) &&
		    !open_at(cfg, 1, 23, 0, 1, 0) &&
		    open_at(cfg, 2, 3, 0, 1, 0),
		    "hours: a holiday's night belongs to the holiday");
		config_free(cfg);
	}
	cfg = load("[hours]\nhours = 9:00 - 12:00, 13:00-24:00\n"
	    "sun = 10:00-15:00\nmon = closed\n");
	TEST_OK(cfg != NULL && config_hours(cfg)->days == 0x3d &&
	    config_hours(cfg)->n[0] == 1 && config_hours(cfg)->n[1] == 0 &&
	    config_hours(cfg)->n[2] == 2, "hours: weekday keys");
	if (cfg != NULL) {
		TEST_OK(open_at(cfg, 2, 9, 0, 0, 0) &&
		    !open_at(cfg, 2, 12, 30, 0, 0) &&
		    open_at(cfg, 2, 23, 59, 0, 0) &&
		    !open_at(cfg, 3, 0, 0, 0, 0), "hours: two ranges, 24:00");
		TEST_OK(open_at(cfg, 0, 10, 0, 0, 0) &&
		    !open_at(cfg, 0, 15, 0, 0, 0) &&
		    !open_at(cfg, 1, 10, 0, 0, 0), "hours: Sunday in, Monday out");
		config_free(cfg);
	}
}

static void
test_zone(void)
{
	struct config_local lt;
	struct config *cfg;
	const char *tz;

	cfg = load("[site]\ntimezone = Asia/Tokyo\n");
	config_local_time(cfg, utc(2026, 1, 1, 0, 0, 0), &lt);
	TEST_OK(lt.year == 2026 && lt.month == 1 && lt.day == 1 &&
	    lt.wday == 4 && lt.minute == 540 && lt.second == 0 &&
	    lt.offset == 32400, "zone: Tokyo, New Year 09:00 Thursday");
	config_local_time(cfg, utc(2026, 12, 31, 15, 0, 1), &lt);
	TEST_OK(lt.year == 2027 && lt.month == 1 && lt.day == 1 &&
	    lt.minute == 0 && lt.second == 1, "zone: Tokyo, across the year");
	config_free(cfg);

	cfg = load("[site]\ntimezone = Europe/Berlin\n");
	config_local_time(cfg, utc(2026, 3, 29, 0, 59, 59), &lt);
	TEST_OK(lt.minute == 119 && lt.second == 59 && lt.offset == 3600,
	    "zone: Berlin 01:59:59 CET before the change");
	config_local_time(cfg, utc(2026, 3, 29, 1, 0, 0), &lt);
	TEST_OK(lt.minute == 180 && lt.offset == 7200 && lt.wday == 0,
	    "zone: Berlin 03:00 CEST after it, a Sunday");
	config_local_time(cfg, utc(2026, 10, 25, 0, 59, 59), &lt);
	TEST_OK(lt.minute == 179 && lt.offset == 7200,
	    "zone: Berlin 02:59:59 CEST in autumn");
	config_local_time(cfg, utc(2026, 10, 25, 1, 0, 0), &lt);
	TEST_OK(lt.minute == 120 && lt.offset == 3600,
	    "zone: Berlin 02:00 CET, the hour again");
	config_local_time(cfg, utc(2150, 1, 1, 0, 0, 0), &lt);
	TEST_OK(lt.offset == 3600 && lt.year == 2150,
	    "zone: beyond the table, the last offset");
	config_local_time(cfg, -1, &lt);
	TEST_OK(lt.year == 1970 && lt.month == 1 && lt.day == 1 &&
	    lt.minute == 59 && lt.second == 59 && lt.days == 0,
	    "zone: a second before the epoch, in Berlin");
	config_free(cfg);

	unsetenv("TZ");
	cfg = load("");
	config_local_time(cfg, -1, &lt);
	TEST_OK(is(config_timezone(cfg), "UTC") && lt.days == -1 &&
	    lt.year == 1969 && lt.month == 12 && lt.day == 31 &&
	    lt.wday == 3 && lt.minute == 1439 && lt.offset == 0,
	    "zone: UTC without TZ, before the epoch");
	config_free(cfg);
	setenv("TZ", "America/New_York", 1);
	cfg = load("");
	TEST_OK(cfg != NULL && is(config_timezone(cfg), "America/New_York"),
	    "zone: TZ is the default");
	config_free(cfg);
	cfg = load("[site]\ntimezone = Asia/Tokyo\n");
	tz = getenv("TZ");
	TEST_OK(cfg != NULL && is(tz, "America/New_York"),
	    "zone: TZ restored after the finish");
	config_free(cfg);
	unsetenv("TZ");
	cfg = load("[site]\ntimezone = Asia/Tokyo\n");
	TEST_OK(cfg != NULL && getenv("TZ") == NULL,
	    "zone: TZ left unset after the finish");
	config_free(cfg);
	cfg = load("[site]\ntimezone = JST-9\n");
	config_local_time(cfg, 0, &lt);
	TEST_OK(cfg != NULL && lt.offset == 32400, "zone: a POSIX rule");
	config_free(cfg);
	cfg = load("[site]\ntimezone = Etc/GMT+9\n");
	config_local_time(cfg, 0, &lt);
	TEST_OK(cfg != NULL && lt.offset == -32400,
	    "zone: a tz name with digits");
	config_free(cfg);
}

/* The window covering addr at t, or NULL. */
static const char *
win(const struct config *cfg, int64_t t, const char *addr)
{
	struct ipaddr a = ip(addr);

	return config_in_maintenance(cfg, t, &a);
}

static void
test_maintenance(void)
{
	struct config *cfg;
	const char *h = "10.1.0.1";

	cfg = load("[site]\ntimezone = Asia/Tokyo\n"
	    "[segment servers]\nnetworks = 10.1.0.0/16\n"
	    "[segment pcs]\nnetworks = 10.2.0.0/16\n"
	    "[maintenance ye]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-30 06:00\nhosts = servers 10.2.0.7 10.3.0.0/24\n"
	    "[maintenance all]\nstart = 2026-06-01 00:00Z\n"
	    "end = 2026-06-01 02:00+01:00\n"
	    "[maintenance star]\nstart = 2026-06-02 00:00Z\n"
	    "end = 2026-06-02T01:00:00Z\nhosts = *\n"
	    "[maintenance long]\nstart = 2026-01-01 00:00\n"
	    "end = 2026-02-01 00:00\nhosts = 10.9.0.1\n"
	    "[maintenance short]\nstart = 2026-01-10 00:00\n"
	    "end = 2026-01-11 00:00\nhosts = 10.9.0.2\n"
	    "[maintenance lastfri]\nmonthly = last fri 18:00-mon 08:00\n"
	    "hosts = pcs\n"
	    "[maintenance fifth]\nmonthly = 5th wed 12:00-13:00\n"
	    "hosts = 10.8.0.1\n"
	    "[maintenance nightly]\nweekly = sun 23:00-mon 01:00, "
	    "wed 12:00-12:30\nstart = 2026-03-01 00:00\nhosts = 10.7.0.1\n");
	TEST_OK(cfg != NULL, "maintenance: Tokyo windows load");
	if (cfg == NULL)
		return;
	TEST_OK(win(cfg, utc(2026, 12, 29, 12, 59, 59), h) == NULL &&
	    is(win(cfg, utc(2026, 12, 29, 13, 0, 0), h), "ye") &&
	    is(win(cfg, utc(2026, 12, 29, 20, 59, 59), h), "ye") &&
	    win(cfg, utc(2026, 12, 29, 21, 0, 0), h) == NULL,
	    "maintenance: 22:00-06:00 JST is 13:00-21:00 UTC");
	TEST_OK(is(win(cfg, utc(2026, 12, 29, 14, 0, 0), "10.2.0.7"), "ye") &&
	    win(cfg, utc(2026, 12, 29, 14, 0, 0), "10.2.0.8") == NULL &&
	    is(win(cfg, utc(2026, 12, 29, 14, 0, 0), "10.3.0.200"), "ye") &&
	    win(cfg, utc(2026, 12, 29, 14, 0, 0), "10.4.0.1") == NULL,
	    "maintenance: hosts by segment, address, network");
	TEST_OK(is(win(cfg, utc(2026, 6, 1, 0, 59, 59), "192.0.2.1"), "all") &&
	    win(cfg, utc(2026, 6, 1, 1, 0, 0), "192.0.2.1") == NULL &&
	    win(cfg, utc(2026, 5, 31, 23, 59, 59), "192.0.2.1") == NULL,
	    "maintenance: explicit offsets, no hosts is every host");
	TEST_OK(is(win(cfg, utc(2026, 6, 2, 0, 30, 0), "2001:db8::1"), "star"),
	    "maintenance: hosts = *");
	TEST_OK(is(win(cfg, utc(2026, 1, 10, 0, 0, 0), "10.9.0.1"), "long") &&
	    is(win(cfg, utc(2026, 1, 20, 0, 0, 0), "10.9.0.1"), "long") &&
	    is(win(cfg, utc(2026, 1, 10, 3, 0, 0), "10.9.0.2"), "short") &&
	    win(cfg, utc(2026, 1, 20, 0, 0, 0), "10.9.0.2") == NULL,
	    "maintenance: a short window inside a long one");
	/* January 2026: the last Friday is the 30th. */
	TEST_OK(is(win(cfg, utc(2026, 1, 30, 9, 0, 0), "10.2.0.1"),
	    "lastfri") && win(cfg, utc(2026, 1, 30, 8, 59, 59),
	    "10.2.0.1") == NULL && is(win(cfg, utc(2026, 2, 1, 3, 0, 0),
	    "10.2.0.1"), "lastfri") && win(cfg, utc(2026, 2, 1, 23, 0, 0),
	    "10.2.0.1") == NULL && win(cfg, utc(2026, 1, 23, 10, 0, 0),
	    "10.2.0.1") == NULL, "maintenance: last Friday to Monday, "
	    "into the next month");
	/* 2026-12-30 is a fifth Wednesday; January 2027 has none. */
	TEST_OK(is(win(cfg, utc(2026, 12, 30, 3, 30, 0), "10.8.0.1"),
	    "fifth") && win(cfg, utc(2027, 1, 27, 3, 30, 0), "10.8.0.1") ==
	    NULL && win(cfg, utc(2026, 12, 23, 3, 30, 0), "10.8.0.1") == NULL,
	    "maintenance: 5th Wednesday");
	/* 2026-03-08 is a Sunday; 23:00 JST is 14:00 UTC. */
	TEST_OK(is(win(cfg, utc(2026, 3, 8, 14, 30, 0), "10.7.0.1"),
	    "nightly") && is(win(cfg, utc(2026, 3, 8, 15, 59, 0),
	    "10.7.0.1"), "nightly") && win(cfg, utc(2026, 3, 8, 16, 0, 0),
	    "10.7.0.1") == NULL && win(cfg, utc(2026, 3, 8, 13, 59, 0),
	    "10.7.0.1") == NULL, "maintenance: weekly over the week's end");
	TEST_OK(is(win(cfg, utc(2026, 3, 11, 3, 15, 0), "10.7.0.1"),
	    "nightly") && win(cfg, utc(2026, 3, 11, 3, 30, 0), "10.7.0.1") ==
	    NULL, "maintenance: a second weekly range");
	TEST_OK(win(cfg, utc(2026, 2, 22, 14, 30, 0), "10.7.0.1") == NULL,
	    "maintenance: weekly not before its start");
	config_free(cfg);

	cfg = load("[site]\ntimezone = Europe/Berlin\n"
	    "[maintenance spring]\nstart = 2026-03-29 01:30\n"
	    "end = 2026-03-29 03:30\n"
	    "[maintenance autumn]\nstart = 2026-10-25 02:30\n"
	    "end = 2026-10-25 02:45\n"
	    "[maintenance weekend]\nweekly = sat 22:00-sun 06:00\n"
	    "hosts = 10.5.0.1\n");
	TEST_OK(cfg != NULL, "maintenance: Berlin windows load");
	if (cfg == NULL)
		return;
	TEST_OK(win(cfg, utc(2026, 3, 29, 0, 29, 59), h) == NULL &&
	    is(win(cfg, utc(2026, 3, 29, 0, 30, 0), h), "spring") &&
	    is(win(cfg, utc(2026, 3, 29, 1, 29, 59), h), "spring") &&
	    win(cfg, utc(2026, 3, 29, 1, 30, 0), h) == NULL,
	    "maintenance: 01:30 CET to 03:30 CEST is one real hour");
	TEST_OK(win(cfg, utc(2026, 10, 25, 0, 29, 59), h) == NULL &&
	    is(win(cfg, utc(2026, 10, 25, 0, 30, 0), h), "autumn") &&
	    is(win(cfg, utc(2026, 10, 25, 1, 44, 59), h), "autumn") &&
	    win(cfg, utc(2026, 10, 25, 1, 45, 0), h) == NULL,
	    "maintenance: twice-seen times: first start, last end");
	h = "10.5.0.1";
	TEST_OK(is(win(cfg, utc(2026, 1, 10, 21, 0, 0), h), "weekend") &&
	    win(cfg, utc(2026, 1, 10, 20, 59, 59), h) == NULL &&
	    is(win(cfg, utc(2026, 1, 11, 4, 59, 59), h), "weekend") &&
	    win(cfg, utc(2026, 1, 11, 5, 0, 0), h) == NULL,
	    "maintenance: weekly in winter (CET)");
	TEST_OK(is(win(cfg, utc(2026, 7, 11, 20, 0, 0), h), "weekend") &&
	    win(cfg, utc(2026, 7, 11, 19, 59, 59), h) == NULL &&
	    is(win(cfg, utc(2026, 7, 12, 3, 59, 59), h), "weekend") &&
	    win(cfg, utc(2026, 7, 12, 4, 0, 0), h) == NULL,
	    "maintenance: weekly in summer (CEST)");
	TEST_OK(win(cfg, utc(2026, 1, 10, 21, 0, 0), "10.5.0.2") == NULL,
	    "maintenance: weekly for its host only");
	config_free(cfg);
}

int
main(void)
{
	test_nets();
	test_flows();
	test_hours();
	test_zone();
	test_maintenance();
	return test_done();
}
