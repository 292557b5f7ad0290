/*
 * timeconv.h: calendar arithmetic without the C library's locale or global
 * state, RFC 3339 output with a per-second cache, and conversion of local
 * wall-clock times in a named zone (--tz) to UTC.
 */
#ifndef CSM_TIMECONV_H
#define CSM_TIMECONV_H

#include <stdint.h>
#include <string.h>
#include "slice.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12, d 1-31). */
int64_t time_days_from_civil(int64_t y, int m, int d);

/* Whether y-m-d exists (for rejecting 2026-02-30). */
int time_date_valid(int64_t y, int m, int d);

/* Month number 1-12 of an English abbreviation ("Nov", any case), or 0. */
int time_month_from_abbr(struct slice s);

/*
 * Seconds since the epoch of a UTC date and time given as fields; -1 when a
 * field is out of range (second 60 is accepted as a leap second and folded
 * into the next minute).
 */
int64_t time_utc_seconds(int64_t y, int mo, int d, int h, int mi, int s);

/*
 * The two decimal digits at p in *v; -1 when they are not both digits.
 * Inline: stamp parsers call it for every field of every line.
 */
static inline int
time_two_digits(const char *p, int *v)
{
	unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';

	if (a > 9 || b > 9)
		return -1;
	*v = (int)(a * 10 + b);
	return 0;
}

/*
 * Up to max decimal digits at s.p[*i], advancing *i: returns how many
 * (their value in *v), or 0 when there are none or more than max.
 */
int time_read_digits(struct slice s, size_t *i, int max, int *v);

/*
 * A date as Windows writes it in the local format, at s.p[*i] and followed
 * by a space (not taken): Y/M/D, D.M.Y or D-M-Y, and M/D/Y until a day
 * over 12 shows that the input writes D/M/Y, which sets *dayfirst for the
 * rest of it. Returns 0 with *i past the date, or -1.
 */
int time_parse_windows_date(struct slice s, size_t *i, int *dayfirst,
    int *y, int *mo, int *d);

#define TIME_RFC3339_LEN 24	/* 2026-11-25T00:00:01.250Z */

/* Remembers the last second formatted, so most events format in a copy. */
struct time_cache {
	int64_t sec;
	char text[20];		/* "YYYY-MM-DDTHH:MM:SS" of sec */
};

/* Prepares an empty cache. */
void time_cache_init(struct time_cache *tc);

/*
 * Writes ms (milliseconds since the epoch, UTC) as RFC 3339 with
 * milliseconds and "Z" into dst (TIME_RFC3339_LEN bytes, no NUL).
 */
void time_format_rfc3339(char *dst, int64_t ms, struct time_cache *tc);

/*
 * Parses "YYYY-MM-DDTHH:MM:SS[.fff][Z|+hh:mm]" (also with a space for T)
 * into milliseconds UTC; no zone means UTC. Returns 0 or -1.
 */
int time_parse_rfc3339(struct slice s, int64_t *ms);

/*
 * For s in the form csm writes, "YYYY-MM-DDTHH:MM:SS.fffZ": the
 * milliseconds into its minute (its last eight bytes, a leap second
 * included); -1 for any other s.
 */
static inline int32_t
time_csm_tail_ms(struct slice s)
{
	const char *p = s.p;
	unsigned s1, s2, a, b, c;

	if (s.n != 24 || p[16] != ':' || p[19] != '.' || p[23] != 'Z')
		return -1;
	s1 = (unsigned char)p[17] - (unsigned)'0';
	s2 = (unsigned char)p[18] - (unsigned)'0';
	a = (unsigned char)p[20] - (unsigned)'0';
	b = (unsigned char)p[21] - (unsigned)'0';
	c = (unsigned char)p[22] - (unsigned)'0';
	if (s1 > 9 || s2 > 9 || a > 9 || b > 9 || c > 9 || s1 * 10 + s2 > 60)
		return -1;
	return (int32_t)((s1 * 10 + s2) * 1000 + a * 100 + b * 10 + c);
}

/* The minute of the last time of csm's form parsed through it. */
struct time_minute {
	char text[16];		/* "YYYY-MM-DDTHH:MM" */
	int64_t ms;
	int valid;
};

/*
 * time_parse_rfc3339, for a reader of a stream whose times come in order
 * and mostly in csm's form: one of the minute in m is read inline, and
 * the minute of one of that form parsed in full is kept in m.
 */
static inline int
time_parse_rfc3339_in(struct time_minute *m, struct slice s, int64_t *ms)
{
	int32_t tail = time_csm_tail_ms(s);

	if (tail < 0)
		return time_parse_rfc3339(s, ms);
	if (m->valid && memcmp(s.p, m->text, 16) == 0) {
		*ms = m->ms + tail;
		return 0;
	}
	if (time_parse_rfc3339(s, ms) != 0)
		return -1;
	memcpy(m->text, s.p, 16);
	m->ms = *ms - tail;
	m->valid = 1;
	return 0;
}

/*
 * Parses a time given by a user (--since, --until): "YYYY-MM-DD", or
 * "YYYY-MM-DDTHH:MM[:SS[.fff]]" (a space for T also), with "Z" or
 * "+hh:mm" making it absolute and no zone meaning local time in the zone of
 * time_zone_set. A date alone is the first millisecond of that day, or with
 * end_of_day the last. Returns 0 with *ms set, or -1.
 */
int time_parse_user(struct slice s, int end_of_day, int64_t *ms);

/*
 * Selects the zone for time_local_to_utc: a tz database name
 * ("Asia/Tokyo"), "UTC", or a POSIX TZ string ("JST-9"). NULL or "" means
 * the TZ environment variable, else UTC. Returns 0, or -1 for an unknown
 * name.
 */
int time_zone_set(const char *name);

/* The zone selected by time_zone_set, for messages. */
const char *time_zone_name(void);

/*
 * Converts a local wall-clock time in the selected zone, given as seconds
 * since the epoch as if it were UTC, into true UTC seconds. A time in the
 * hour repeated as DST ends is taken as its first occurrence; one in the
 * hour skipped as DST starts, at the offset before (02:30 skipped in New
 * York is 07:30 UTC). Safe in several threads at once.
 */
int64_t time_local_to_utc(int64_t local_as_utc);

/*
 * Converts UTC seconds into the wall clock of the zone of time_zone_set,
 * as seconds since the epoch as if that were UTC (cached per quarter
 * hour of UTC).
 */
int64_t time_utc_to_local(int64_t utc);

/* A calendar day and minute, from time_split. */
struct time_parts {
	int year, month, day;	/* month 1-12, day 1-31 */
	int wday;		/* 0 Sunday .. 6 Saturday */
	int minute;		/* of the day, 0-1439 */
	int64_t days;		/* since 1970-01-01 */
};

/* Splits seconds since the epoch (UTC or local-as-UTC) into *tp. */
void time_split(int64_t secs, struct time_parts *tp);

#endif
