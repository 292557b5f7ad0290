/*
 * timeconv_test.c: calendar arithmetic, RFC 3339 in and out, and local
 * time in named zones (including a DST zone): the hours DST repeats and
 * skips, whatever came before, and from two threads at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include "test.h"
#include "timeconv.h"

/* New York's local hours of 2026 (as if UTC), converted; 0: agreed. */
#define NY_HOURS (365 * 24)

static void *
convert_year(void *arg)
{
	int64_t *out = arg, t0 = time_utc_seconds(2026, 1, 1, 0, 30, 0);
	int i;

	for (i = 0; i < NY_HOURS; i++)
		out[i] = time_local_to_utc(t0 + (int64_t)i * 3600);
	return NULL;
}

/* The repeated and skipped hours of 2026 in New York, and threads. */
static void
dst_edges(void)
{
	static int64_t one[NY_HOURS], a[NY_HOURS], b[NY_HOURS];
	int64_t repeat = time_utc_seconds(2026, 11, 1, 1, 30, 0);
	int64_t skip = time_utc_seconds(2026, 3, 8, 2, 30, 0);
	pthread_t ta, tb;
	int same = 1, i;

	TEST_OK(time_zone_set("America/New_York") == 0, "New York known");
	/* Earlier calls on either side of the change must not matter. */
	(void)time_local_to_utc(time_utc_seconds(2026, 12, 1, 12, 0, 0));
	TEST_OK(time_local_to_utc(repeat) == time_utc_seconds(2026, 11, 1,
	    5, 30, 0), "repeated hour: its first time (EDT)");
	TEST_OK(time_zone_set("America/New_York") == 0, "zone set again");
	(void)time_local_to_utc(time_utc_seconds(2026, 7, 1, 12, 0, 0));
	TEST_OK(time_local_to_utc(repeat) == time_utc_seconds(2026, 11, 1,
	    5, 30, 0), "repeated hour: the same after a summer time");
	TEST_OK(time_local_to_utc(skip) == time_utc_seconds(2026, 3, 8, 7, 30,
	    0), "skipped hour: the offset before (EST)");
	TEST_OK(time_local_to_utc(repeat + 3600) == time_utc_seconds(2026, 11,
	    1, 7, 30, 0), "the hour after the repeat: EST");
	convert_year(one);
	TEST_OK(time_zone_set("America/New_York") == 0, "caches emptied");
	if (pthread_create(&ta, NULL, convert_year, a) != 0 ||
	    pthread_create(&tb, NULL, convert_year, b) != 0)
		abort();
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	for (i = 0; i < NY_HOURS; i++)
		same &= a[i] == one[i] && b[i] == one[i];
	TEST_OK(same, "two threads convert a year as one does");
}

static void
check_fmt(int64_t ms, const char *want)
{
	struct time_cache tc;
	char out[TIME_RFC3339_LEN];

	time_cache_init(&tc);
	time_format_rfc3339(out, ms, &tc);
	TEST_BYTES(out, sizeof out, want, want);
	time_format_rfc3339(out, ms, &tc);	/* from the cache */
	TEST_BYTES(out, sizeof out, want, "cached");
}

/*
 * One cache through times of one day and of others, as a finding's first
 * and last times alternate: each as a fresh cache writes it.
 */
static void
check_fmt_sequence(void)
{
	static const int64_t ms[] = {
		1795564800000LL, 1795651199999LL, 1795564801500LL,
		1795651200000LL, 1795565000123LL, 86399999LL, 0LL,
		1795564800000LL, -1LL, 1795600000000LL
	};
	struct time_cache tc, fresh;
	char a[TIME_RFC3339_LEN], b[TIME_RFC3339_LEN];
	size_t i;
	int same = 1;

	time_cache_init(&tc);
	for (i = 0; i < sizeof ms / sizeof ms[0]; i++) {
		time_cache_init(&fresh);
		time_format_rfc3339(a, ms[i], &tc);
		time_format_rfc3339(b, ms[i], &fresh);
		same &= memcmp(a, b, sizeof a) == 0;
	}
	TEST_OK(same, "a cache moved within a day and across days");
}

int
main(void)
{
	int64_t ms;

	check_fmt_sequence();

	TEST_OK(time_days_from_civil(1970, 1, 1) == 0, "epoch day");
	TEST_OK(time_days_from_civil(2000, 3, 1) == 11017, "2000-03-01");
	TEST_OK(time_date_valid(2024, 2, 29), "leap day");
	TEST_OK(!time_date_valid(2026, 2, 29), "no leap day");
	TEST_OK(!time_date_valid(2100, 2, 29), "century not leap");
	TEST_OK(time_month_from_abbr(SLICE_LIT("Nov")) == 11, "Nov");
	TEST_OK(time_month_from_abbr(SLICE_LIT("dec")) == 12, "dec");
	TEST_OK(time_month_from_abbr(SLICE_LIT("Nox")) == 0, "bad month");
	check_fmt(0, "1970-01-01T00:00:00.000Z");
	check_fmt(1795593995412LL, "2026-11-25T08:06:35.412Z");
	check_fmt(951782400000LL + 5, "2000-02-29T00:00:00.005Z");
	TEST_OK(time_utc_seconds(2026, 2, 30, 0, 0, 0) == -1, "bad date");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T00:00:01.250Z"),
	    &ms) == 0 && ms == 1795564801250LL, "parse Z");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T09:00:01+09:00"),
	    &ms) == 0 && ms == 1795564801000LL, "parse offset");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25 00:00:01"), &ms) == 0
	    && ms == 1795564801000LL, "parse space, no zone");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T00:00:01+0900"),
	    &ms) != 0, "offset without colon rejected");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-13-25T00:00:01Z"), &ms) != 0,
	    "month 13 rejected");
	/* The day of the last date is kept: the time must still be checked. */
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T24:00:00Z"), &ms) != 0,
	    "hour 24 rejected on a known date");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T23:6x:00Z"), &ms) != 0,
	    "bad minute rejected on a known date");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-26T00:00:00Z"), &ms) == 0
	    && ms == 1795564800000LL + 86400000, "next date");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-02-29T00:00:00Z"), &ms) != 0,
	    "29 February 2026 rejected");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T00:00:01.250Z"),
	    &ms) == 0 && ms == 1795564801250LL, "back to the first date");
	/* csm's own form, read by time_csm_tail_ms, in its cached minute. */
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T00:00:60.999Z"),
	    &ms) == 0 && ms == 1795564860999LL, "leap second, csm's form");
	TEST_OK(time_parse_rfc3339(SLICE_LIT("2026-11-25T00:00:61.000Z"),
	    &ms) != 0 && time_parse_rfc3339(SLICE_LIT(
	    "2026-11-25T00:00:5x.000Z"), &ms) != 0 && time_parse_rfc3339(
	    SLICE_LIT("2026-11-25T00:00:59.0x0Z"), &ms) != 0,
	    "bad seconds or decimals in csm's form rejected");
	{
		struct time_minute m = { "", 0, 0 };
		int64_t a2, b2, c2;

		TEST_OK(time_parse_rfc3339_in(&m, SLICE_LIT(
		    "2026-11-25T00:00:01.250Z"), &a2) == 0 &&
		    time_parse_rfc3339_in(&m, SLICE_LIT(
		    "2026-11-25T00:00:59.001Z"), &b2) == 0 &&
		    time_parse_rfc3339_in(&m, SLICE_LIT(
		    "2026-11-25T09:00:02+09:00"), &c2) == 0 &&
		    a2 == 1795564801250LL && b2 == 1795564859001LL &&
		    c2 == 1795564802000LL, "a caller's minute: same values");
		TEST_OK(time_parse_rfc3339_in(&m, SLICE_LIT(
		    "2026-11-25T00:00:61.000Z"), &a2) != 0 &&
		    time_parse_rfc3339_in(&m, SLICE_LIT(
		    "2026-02-30T00:00:00.000Z"), &a2) != 0 &&
		    time_parse_rfc3339_in(&m, SLICE_LIT(
		    "2026-02-30T00:00:01.000Z"), &a2) != 0,
		    "a caller's minute: bad times rejected, not kept");
	}

	{
		int df = 0, y = 0, mo = 0, d = 0;
		size_t i = 0;

		TEST_OK(time_parse_windows_date(SLICE_LIT("2026/11/25 9:00"), &i,
		    &df, &y, &mo, &d) == 0 && y == 2026 && mo == 11 &&
		    d == 25 && i == 10, "windows date: y/m/d");
		i = 0;
		TEST_OK(time_parse_windows_date(SLICE_LIT("11/5/2026 x"), &i,
		    &df, &y, &mo, &d) == 0 && mo == 11 && d == 5 && !df,
		    "windows date: m/d/y by default");
		i = 0;
		TEST_OK(time_parse_windows_date(SLICE_LIT("25/11/2026 x"), &i,
		    &df, &y, &mo, &d) == 0 && mo == 11 && d == 25 && df,
		    "windows date: a day over 12 turns d/m/y on");
		i = 0;
		TEST_OK(time_parse_windows_date(SLICE_LIT("11/5/2026 x"), &i,
		    &df, &y, &mo, &d) == 0 && mo == 5 && d == 11,
		    "windows date: and it stays on");
		i = 0;
		TEST_OK(time_parse_windows_date(SLICE_LIT("17.05.2026 x"), &i,
		    &df, &y, &mo, &d) == 0 && mo == 5 && d == 17,
		    "windows date: d.m.y");
		i = 0;
		TEST_OK(time_parse_windows_date(SLICE_LIT("2026/02/30 x"), &i,
		    &df, &y, &mo, &d) != 0 && i == 0,
		    "windows date: 30 February rejected, nothing taken");
		i = 0;
		TEST_OK(time_parse_windows_date(SLICE_LIT("2026/11/25"), &i,
		    &df, &y, &mo, &d) != 0, "windows date: needs a space after");
	}

	TEST_OK(time_zone_set("Asia/Tokyo") == 0, "Asia/Tokyo known");
	TEST_OK(time_local_to_utc(1795597200) == 1795597200 - 9 * 3600,
	    "Tokyo is UTC+9");
	TEST_OK(time_zone_set("Europe/Berlin") == 0, "Europe/Berlin known");
	/* 2026-07-01 12:00 local is CEST (+2); 2026-01-15 12:00 is CET (+1). */
	TEST_OK(time_local_to_utc(time_utc_seconds(2026, 7, 1, 12, 0, 0)) ==
	    time_utc_seconds(2026, 7, 1, 10, 0, 0), "summer time");
	TEST_OK(time_local_to_utc(time_utc_seconds(2026, 1, 15, 12, 0, 0)) ==
	    time_utc_seconds(2026, 1, 15, 11, 0, 0), "winter time");
	/* User times: local in the zone unless they carry one. */
	TEST_OK(time_parse_user(SLICE_LIT("2026-03-29"), 0, &ms) == 0 &&
	    ms == (int64_t)time_utc_seconds(2026, 3, 28, 23, 0, 0) * 1000,
	    "date: local midnight (CET)");
	TEST_OK(time_parse_user(SLICE_LIT("2026-03-29"), 1, &ms) == 0 &&
	    ms == (int64_t)time_utc_seconds(2026, 3, 29, 22, 0, 0) * 1000 - 1,
	    "date as end of day: a 23-hour day in Berlin");
	TEST_OK(time_parse_user(SLICE_LIT("2026-07-01T12:30"), 0, &ms) == 0 &&
	    ms == (int64_t)time_utc_seconds(2026, 7, 1, 10, 30, 0) * 1000,
	    "minutes, local (CEST)");
	TEST_OK(time_parse_user(SLICE_LIT("2026-07-01 12:30:05.250"), 0,
	    &ms) == 0 && ms == (int64_t)time_utc_seconds(2026, 7, 1, 10, 30,
	    5) * 1000 + 250, "seconds and fraction, local");
	TEST_OK(time_parse_user(SLICE_LIT("2026-07-01T12:30Z"), 0, &ms) == 0 &&
	    ms == (int64_t)time_utc_seconds(2026, 7, 1, 12, 30, 0) * 1000,
	    "minutes with Z: UTC");
	TEST_OK(time_parse_user(SLICE_LIT("2026-07-01T12:30:00+09:00"), 0,
	    &ms) == 0 && ms == (int64_t)time_utc_seconds(2026, 7, 1, 3, 30,
	    0) * 1000, "offset: absolute");
	TEST_OK(time_parse_user(SLICE_LIT("2026-07-01T12:30-05:00"), 0,
	    &ms) == 0 && ms == (int64_t)time_utc_seconds(2026, 7, 1, 17, 30,
	    0) * 1000, "minutes with a negative offset");
	TEST_OK(time_parse_user(SLICE_LIT("2026-02-30"), 0, &ms) != 0,
	    "bad date refused");
	TEST_OK(time_parse_user(SLICE_LIT("2026-07-01T"), 0, &ms) != 0,
	    "dangling T refused");
	TEST_OK(time_parse_user(SLICE_LIT("yesterday"), 0, &ms) != 0,
	    "words refused");
	/* UTC to wall clock, across Berlin's spring-forward hour. */
	{
		struct time_parts tp;
		int64_t t = time_utc_seconds(2026, 3, 29, 0, 59, 59);

		TEST_OK(time_utc_to_local(t) == t + 3600, "CET before the change");
		TEST_OK(time_utc_to_local(t + 1) == t + 1 + 7200,
		    "CEST from 01:00Z");
		time_split(time_utc_to_local(t + 1), &tp);
		TEST_OK(tp.year == 2026 && tp.month == 3 && tp.day == 29 &&
		    tp.wday == 0 && tp.minute == 180, "03:00 on a Sunday");
		time_split(-1, &tp);
		TEST_OK(tp.year == 1969 && tp.month == 12 && tp.day == 31 &&
		    tp.wday == 3 && tp.minute == 1439, "before the epoch");
	}
	dst_edges();
	TEST_OK(time_zone_set("Mars/Olympus") != 0, "unknown zone refused");
	TEST_OK(time_zone_set("JST-9") == 0, "POSIX rule accepted");
	TEST_OK(time_local_to_utc(32400) == 0, "POSIX rule offset");
	TEST_OK(time_utc_to_local(0) == 32400, "POSIX rule, UTC to local");
	TEST_OK(time_zone_set("../../etc/passwd") != 0, "path escape refused");
	return test_done();
}
