/*
 * envelope_test.c: the syslog envelope variants (RFC 3164 with and without
 * PRI, host and tag; RFC 5424 with and without structured data; rsyslog's
 * RFC 3339 prefix), the RFC 3164 year rule, the day cache that spares
 * the lines of one day the calendar, and lines that are no envelope.
 */
#include "envelope.h"
#include "test.h"
#include "timeconv.h"

/* Whether slice s holds the C string want. */
#define TEST_SLICE(s, want, what) TEST_BYTES((s).p, (s).n, want, what)

/* UTC milliseconds of a date and time. */
static int64_t
utc_ms(int y, int mo, int d, int h, int mi, int s)
{
	return time_utc_seconds(y, mo, d, h, mi, s) * 1000;
}

/* Parses a C string with a fresh year state (--year year, now now). */
static int
parse(const char *line, int year, int64_t now, struct envelope *env)
{
	struct envelope_year ey;

	envelope_year_init(&ey, year, now);
	return envelope_parse(slice_cstr(line), &ey, env);
}

static void
test_3164(void)
{
	struct envelope env;

	TEST_OK(parse("Nov 25 17:06:35 fw01 kernel: IN=eth0 OUT=", 2026, 0,
	    &env) == 0, "3164 parses");
	TEST_OK(env.has_ts && env.ts_ms == 1795626395000LL, "3164 time");
	TEST_OK(env.pri == -1, "3164 without PRI");
	TEST_SLICE(env.host, "fw01", "3164 host");
	TEST_SLICE(env.tag, "kernel", "3164 tag");
	TEST_SLICE(env.pid, "", "3164 no pid");
	TEST_SLICE(env.msg, "IN=eth0 OUT=", "3164 message");

	TEST_OK(parse("<13>Nov  5 01:02:03 fw01 sshd[812]: Accepted", 2026, 0,
	    &env) == 0, "PRI and padded day parse");
	TEST_OK(env.pri == 13, "PRI value");
	TEST_OK(env.ts_ms == utc_ms(2026, 11, 5, 1, 2, 3), "padded day time");
	TEST_SLICE(env.host, "fw01", "PRI host");
	TEST_SLICE(env.tag, "sshd", "tag without pid");
	TEST_SLICE(env.pid, "812", "pid");
	TEST_SLICE(env.msg, "Accepted", "PRI message");

	TEST_OK(parse("Nov 05 01:02:03.250 h postfix/smtpd[9]: x", 2026, 0,
	    &env) == 0 && env.ts_ms == utc_ms(2026, 11, 5, 1, 2, 3) + 250,
	    "zero-padded day, fraction");
	TEST_SLICE(env.tag, "postfix/smtpd", "tag with slash");

	TEST_OK(parse("Nov 25 17:06:35 dnsmasq[812]: query[A] a.example from "
	    "10.0.0.1", 2026, 0, &env) == 0, "no host parses");
	TEST_SLICE(env.host, "", "no host");
	TEST_SLICE(env.tag, "dnsmasq", "no host: tag");
	TEST_SLICE(env.pid, "812", "no host: pid");
	TEST_SLICE(env.msg, "query[A] a.example from 10.0.0.1",
	    "no host: message");

	TEST_OK(parse("Nov 25 17:06:35 kernel: hi", 2026, 0, &env) == 0,
	    "no host, no pid");
	TEST_SLICE(env.host, "", "no host, no pid: host");
	TEST_SLICE(env.tag, "kernel", "no host, no pid: tag");

	TEST_OK(parse("Nov 25 17:06:35 fw01 last message repeated 2 times",
	    2026, 0, &env) == 0, "no tag parses");
	TEST_SLICE(env.host, "fw01", "no tag: host");
	TEST_SLICE(env.tag, "", "no tag: tag empty");
	TEST_SLICE(env.msg, "last message repeated 2 times", "no tag: message");

	/* --tz: the stamp is local time. */
	time_zone_set("Asia/Tokyo");
	TEST_OK(parse("Nov 25 17:06:35 fw01 kernel: x", 2026, 0, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 25, 8, 6, 35), "3164 in Asia/Tokyo");
	time_zone_set("UTC");
}

static void
test_5424(void)
{
	struct envelope env;

	TEST_OK(parse("<134>1 2026-11-25T17:06:35.123+09:00 fw01 filterlog "
	    "4242 ID47 [ex@32473 a=\"x]y\" b=\"q\\\"]z\"][two k=\"v\"] the msg",
	    0, 0, &env) == 0, "5424 with SD parses");
	TEST_OK(env.pri == 134, "5424 PRI");
	TEST_OK(env.has_ts && env.ts_ms == utc_ms(2026, 11, 25, 8, 6, 35) +
	    123, "5424 time with offset");
	TEST_SLICE(env.host, "fw01", "5424 host");
	TEST_SLICE(env.tag, "filterlog", "5424 app-name");
	TEST_SLICE(env.pid, "4242", "5424 procid");
	TEST_SLICE(env.msgid, "ID47", "5424 msgid");
	TEST_SLICE(env.sd, "[ex@32473 a=\"x]y\" b=\"q\\\"]z\"][two k=\"v\"]",
	    "5424 SD with ] in quoted values");
	TEST_SLICE(env.msg, "the msg", "5424 message after SD");

	TEST_OK(parse("<14>1 2026-11-25T08:06:35Z h app - - - \xef\xbb\xbfhi",
	    0, 0, &env) == 0, "5424 without SD parses");
	TEST_OK(env.ts_ms == utc_ms(2026, 11, 25, 8, 6, 35), "5424 Z time");
	TEST_SLICE(env.pid, "", "5424 nil procid");
	TEST_SLICE(env.msgid, "", "5424 nil msgid");
	TEST_SLICE(env.sd, "", "5424 nil SD");
	TEST_SLICE(env.msg, "hi", "5424 BOM dropped");

	TEST_OK(parse("<14>1 - - - - - -", 0, 0, &env) == 0, "5424 all nil");
	TEST_OK(!env.has_ts, "5424 nil time");
	TEST_SLICE(env.host, "", "5424 nil host");
	TEST_SLICE(env.tag, "", "5424 nil app-name");
	TEST_SLICE(env.msg, "", "5424 no message");

	TEST_OK(parse("<14>1 2026-11-25T08:06:35Z h a p m [x k=\"v]", 0, 0,
	    &env) != 0, "5424 unterminated SD rejected");
	TEST_OK(parse("<14>1 2026-11-25T08:06:35Z h a p m [x]junk", 0, 0,
	    &env) != 0, "5424 text glued to SD rejected");
	TEST_OK(parse("<14>1 2026-11-25T08:06:35Z h a p", 0, 0, &env) != 0,
	    "5424 truncated header rejected");
	TEST_OK(parse("<14>1 2026-13-25T08:06:35Z h a p m -", 0, 0, &env) != 0,
	    "5424 bad time rejected");
}

static void
test_rfc3339(void)
{
	struct envelope env;

	TEST_OK(parse("2026-11-25T17:06:35.123456+09:00 fw01 sshd[812]: "
	    "Accepted", 0, 0, &env) == 0, "rsyslog prefix parses");
	TEST_OK(env.has_ts && env.ts_ms == utc_ms(2026, 11, 25, 8, 6, 35) +
	    123, "rsyslog time with microseconds");
	TEST_SLICE(env.host, "fw01", "rsyslog host");
	TEST_SLICE(env.tag, "sshd", "rsyslog tag");
	TEST_SLICE(env.pid, "812", "rsyslog pid");
	TEST_SLICE(env.msg, "Accepted", "rsyslog message");

	TEST_OK(parse("<30>2026-11-25T08:06:35Z fw01 kernel: x", 0, 0,
	    &env) == 0 && env.pri == 30 && env.ts_ms == utc_ms(2026, 11, 25,
	    8, 6, 35), "rsyslog prefix with PRI");

	time_zone_set("Asia/Tokyo");
	TEST_OK(parse("2026-11-25T17:06:35 fw01 kernel: x", 0, 0, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 25, 8, 6, 35),
	    "RFC 3339 without a zone is --tz local time");
	time_zone_set("UTC");
	TEST_OK(parse("2026-11-25T17:06:35+0900 fw01 kernel: x", 0, 0,
	    &env) != 0, "offset without colon rejected");
}

static void
test_year(void)
{
	struct envelope_year ey;
	struct envelope env;
	int64_t now = time_utc_seconds(2027, 1, 2, 0, 0, 0);

	/* Started on 2 Jan 2027: a file from 31 Dec is last year's. */
	envelope_year_init(&ey, 0, now);
	TEST_OK(envelope_parse(SLICE_LIT("Dec 31 23:59:59 h t: a"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2026, 12, 31, 23, 59, 59),
	    "first stamp in the future goes to the year before");
	TEST_OK(envelope_parse(SLICE_LIT("Jan  1 00:00:01 h t: b"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2027, 1, 1, 0, 0, 1),
	    "Dec -> Jan rolls over to the next year");
	TEST_OK(envelope_parse(SLICE_LIT("Dec 31 23:59:58 h t: c"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2026, 12, 31, 23, 59, 58),
	    "a late December line goes back to the old year");
	TEST_OK(envelope_parse(SLICE_LIT("Jan  2 00:00:00 h t: d"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2027, 1, 2, 0, 0, 0),
	    "and January again is the new year");
	TEST_OK(envelope_parse(SLICE_LIT("Feb 14 00:00:00 h t: e"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2027, 2, 14, 0, 0, 0),
	    "a later month stays in the year (up to a day ahead is fine)");

	/* The first stamp: within a day ahead of now is kept this year. */
	now = time_utc_seconds(2026, 11, 25, 12, 0, 0);
	TEST_OK(parse("Nov 26 11:00:00 h t: x", 0, now, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 26, 11, 0, 0),
	    "23 hours ahead: this year");
	TEST_OK(parse("Nov 26 13:00:00 h t: x", 0, now, &env) == 0 &&
	    env.ts_ms == utc_ms(2025, 11, 26, 13, 0, 0),
	    "25 hours ahead: last year");

	/* --year wins, even in the future, and still rolls over. */
	envelope_year_init(&ey, 2030, now);
	TEST_OK(envelope_parse(SLICE_LIT("Dec 31 23:00:00 h t: a"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2030, 12, 31, 23, 0, 0),
	    "--year sets the year");
	TEST_OK(envelope_parse(SLICE_LIT("Jan  1 01:00:00 h t: b"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2031, 1, 1, 1, 0, 0),
	    "--year: roll-over to the next year");

	/* A bad date leaves the state alone. */
	envelope_year_init(&ey, 2026, now);
	TEST_OK(envelope_parse(SLICE_LIT("Feb 29 00:00:00 h t: x"), &ey,
	    &env) != 0, "Feb 29 of a common year rejected");
	TEST_OK(envelope_parse(SLICE_LIT("Jul  1 00:00:00 h t: x"), &ey,
	    &env) == 0 && env.ts_ms == utc_ms(2026, 7, 1, 0, 0, 0),
	    "state untouched by the rejected line");
	TEST_OK(parse("Feb 29 00:00:00 h t: x", 2024, 0, &env) == 0,
	    "Feb 29 of a leap year");
}

/* Parses a C string with the state ey. */
static int
parse_ey(const char *line, struct envelope_year *ey, struct envelope *env)
{
	return envelope_parse(slice_cstr(line), ey, env);
}

/*
 * The day cache of struct envelope_year: a stamp of the day it holds
 * skips the calendar, so each of these would come out wrong if it
 * answered from a stale day or year.
 */
static void
test_day_cache(void)
{
	struct envelope_year ey;
	struct envelope env;

	/* Roll-over and back, with hits on both sides. */
	envelope_year_init(&ey, 2026, 0);
	TEST_OK(parse_ey("Dec 31 23:59:58 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 12, 31, 23, 59, 58), "cache: Dec 31");
	TEST_OK(parse_ey("Dec 31 23:59:59 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 12, 31, 23, 59, 59),
	    "cache: same day, next second");
	TEST_OK(parse_ey("Jan  1 00:00:00 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2027, 1, 1, 0, 0, 0),
	    "cache: Jan 1 rolls over");
	TEST_OK(parse_ey("Jan  1 00:00:01.5 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2027, 1, 1, 0, 0, 1) + 500,
	    "cache: Jan 1 again, with a fraction, stays in the new year");
	TEST_OK(parse_ey("Dec 31 23:59:59 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 12, 31, 23, 59, 59),
	    "cache: a late Dec 31 line goes back to the old year");
	TEST_OK(parse_ey("Jan  1 00:00:02 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2027, 1, 1, 0, 0, 2),
	    "cache: and Jan 1 is the new year once more");

	/*
	 * The year state moves under a cached day: "Jul 1" and "Dec 1"
	 * (day not padded) are parsed without touching the cache, and
	 * "Jan  5" is then a roll-over, not the cached Jan 5 of 2026.
	 */
	envelope_year_init(&ey, 2026, 0);
	TEST_OK(parse_ey("Jan  5 10:00:00 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 1, 5, 10, 0, 0), "cache: Jan 5 2026");
	TEST_OK(parse_ey("Jul 1 10:00:00 h t: a", &ey, &env) == 0 &&
	    parse_ey("Dec 1 10:00:00 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 12, 1, 10, 0, 0),
	    "cache: unpadded days move the year state");
	TEST_OK(parse_ey("Jan  5 11:00:00 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2027, 1, 5, 11, 0, 0),
	    "cache: same day bytes under a new year state");

	/* Stamps of one length but other days, and spellings of one day. */
	envelope_year_init(&ey, 2026, 0);
	TEST_OK(parse_ey("Nov 25 17:06:35 h t: a", &ey, &env) == 0 &&
	    parse_ey("Nov 26 17:06:35 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 26, 17, 6, 35),
	    "cache: next day, same length");
	TEST_OK(parse_ey("Oct 26 17:06:35 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 10, 26, 17, 6, 35),
	    "cache: other month, same day number");
	TEST_OK(parse_ey("Nov  5 01:00:00 h t: a", &ey, &env) == 0 &&
	    parse_ey("Nov 05 02:00:00 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 5, 2, 0, 0) &&
	    parse_ey("nov 05 03:00:00 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 5, 3, 0, 0) &&
	    parse_ey("Nov  5 04:00:00 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 5, 4, 0, 0),
	    "cache: \"Nov  5\", \"Nov 05\", \"nov 05\"");

	/* Bad times on a cached day fail as they would without it. */
	TEST_OK(parse_ey("Nov  5 24:00:00 h t: a", &ey, &env) != 0 &&
	    strcmp(env.err, "bad rfc 3164 date") == 0,
	    "cache: hour 24 rejected");
	TEST_OK(parse_ey("Nov  5 04:6:00 h t: a", &ey, &env) != 0 &&
	    strcmp(env.err, "bad rfc 3164 time") == 0,
	    "cache: one-digit minute rejected");
	TEST_OK(parse_ey("Nov  5 23:59:60 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 6, 0, 0, 0),
	    "cache: leap second folded into the next day");

	/* The zone is not cached: --tz set between two lines of a day. */
	envelope_year_init(&ey, 2026, 0);
	TEST_OK(parse_ey("Nov 25 17:06:35 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 25, 17, 6, 35), "cache: UTC");
	time_zone_set("Asia/Tokyo");
	TEST_OK(parse_ey("Nov 25 17:06:36 h t: a", &ey, &env) == 0 &&
	    env.ts_ms == utc_ms(2026, 11, 25, 8, 6, 36),
	    "cache: then Asia/Tokyo on the same day");
	time_zone_set("UTC");
}

/*
 * Random runs of stamps (months jumping back and forth, days padded or
 * not, bad dates and times) through one state, and through a second
 * whose cache is emptied before every line: each line must give the same
 * result, time, reason and year state.
 */
static void
test_day_cache_random(void)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "nov" };
	struct envelope_year a, b;
	struct envelope ea, eb;
	unsigned seed = 12345, r;
	char line[64], day[16];
	int i, mo = 10, d = 25, same = 1, hits = 0;

	envelope_year_init(&a, 0, time_utc_seconds(2026, 11, 26, 4, 0, 0));
	b = a;
	for (i = 0; i < 200000 && same; i++) {
		int ra, rb, hit;

		seed = seed * 1103515245 + 12345;
		r = seed >> 8;
		if (r % 8 == 0) {	/* another day */
			mo = (int)(r / 8 % 13);
			d = (int)(r / 104 % 33);
		}
		seed = seed * 1103515245 + 12345;
		r = seed >> 4;
		/* The day unpadded, zero-padded or space-padded. */
		if (r % 4 == 0)
			snprintf(day, sizeof day, "%d", d);
		else if (r % 4 == 1)
			snprintf(day, sizeof day, "%02d", d);
		else
			snprintf(day, sizeof day, "%2d", d);
		snprintf(line, sizeof line, "%s %s %02u:%02u:%02u%s h t: x",
		    months[mo], day, r / 4 % 25, r / 100 % 61, r / 6100 % 62,
		    r / 378200 % 4 == 0 ? ".25" : "");
		hit = a.day_year != 0 && a.cur == a.day_year &&
		    a.month == a.day_month && memcmp(line, a.day_key, 6) == 0;
		b.day_year = 0;		/* never a cached day */
		ra = envelope_parse(slice_cstr(line), &a, &ea);
		rb = envelope_parse(slice_cstr(line), &b, &eb);
		if (ra != rb || (ra == 0 && ea.ts_ms != eb.ts_ms) ||
		    (ra != 0 && strcmp(ea.err, eb.err) != 0) ||
		    a.cur != b.cur || a.month != b.month) {
			same = 0;
			printf("# differs at '%s'\n", line);
		}
		hits += hit && ra == 0;
	}
	TEST_OK(same, "cache: random stamps as without it");
	TEST_OK(hits > 10000, "cache: random stamps did hit it");
}

static void
test_garbage(void)
{
	static const char *const bad[] = {
		"",
		"hello world",
		"<13",
		"<999>Nov 25 17:06:35 h t: x",
		"<>Nov 25 17:06:35 h t: x",
		"<1a>Nov 25 17:06:35 h t: x",
		"Nox 25 17:06:35 h t: x",
		"Nov25 17:06:35 h t: x",
		"Nov 32 17:06:35 h t: x",
		"Nov 123 17:06:35 h t: x",
		"Nov 25 25:06:35 h t: x",
		"Nov 25 17:6:35 h t: x",
		"Nov 25 17:06:35",
		"Nov 25 17:06:35:x",
		"2026-11-25X17:06:35Z h t: x",
		"2026-11-25T17:06:35+09:00",
		"1 x",
	};
	struct envelope_year ey;
	struct envelope env;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int r = parse(bad[i], 2026, 0, &env);
		TEST_OK(r != 0 && env.err != NULL, bad[i]);
	}
	TEST_OK(parse("hello world", 2026, 0, &env) != 0 &&
	    strcmp(env.err, ENVELOPE_NONE) == 0, "no header at all");
	TEST_OK(parse("Nov 31 17:06:35 h t: x", 2026, 0, &env) != 0 &&
	    strcmp(env.err, ENVELOPE_NONE) != 0, "a broken header says so");
	/* Log bytes are never read past the slice: a line cut mid-header. */
	envelope_year_init(&ey, 2026, 0);
	TEST_OK(envelope_parse(slice_make("Nov 25 17:06:35 h t: x", 10),
	    &ey, &env) != 0, "cut line rejected");
}

int
main(void)
{
	time_zone_set("UTC");
	test_3164();
	test_5424();
	test_rfc3339();
	test_year();
	test_day_cache();
	test_day_cache_random();
	test_garbage();
	return test_done();
}
