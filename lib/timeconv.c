/*
 * timeconv.c: time arithmetic. The civil-date algorithm is Howard
 * Hinnant's days_from_civil, exact for every proleptic Gregorian date. Local
 * time conversion asks localtime_r(3) once per local hour and caches the
 * offset, because a call per line would dominate parsing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "num.h"
#include "timeconv.h"

int64_t
time_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse: civil date of a day number. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
time_date_valid(int64_t y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int
time_month_from_abbr(struct slice s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char low[3];
	int i;

	if (s.n != 3)
		return 0;
	for (i = 0; i < 3; i++) {
		unsigned char c = (unsigned char)s.p[i];
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	for (i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, low, 3) == 0)
			return i + 1;
	return 0;
}

int64_t
time_utc_seconds(int64_t y, int mo, int d, int h, int mi, int s)
{
	if (y < 1 || y > 9999 || !time_date_valid(y, mo, d) || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return -1;
	return time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    s;
}

void
time_cache_init(struct time_cache *tc)
{
	tc->sec = INT64_MIN;
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void
time_format_rfc3339(char *dst, int64_t ms, struct time_cache *tc)
{
	int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int milli = (int)(ms - sec * 1000);

	/* Another second of the cached day: only its time of day changes. */
	if (sec != tc->sec && tc->sec >= 0 && sec >= 0 &&
	    sec / 86400 == tc->sec / 86400) {
		int64_t rem = sec % 86400;

		put2(tc->text + 11, (int)(rem / 3600));
		put2(tc->text + 14, (int)(rem / 60 % 60));
		put2(tc->text + 17, (int)(rem % 60));
		tc->sec = sec;
	} else if (sec != tc->sec) {
		int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
		int64_t rem = sec - days * 86400, y;
		int m, d;

		civil_from_days(days, &y, &m, &d);
		if (y < 0 || y > 9999)
			y = y < 0 ? 0 : 9999;	/* cannot happen for parsed input */
		put2(tc->text, (int)(y / 100));
		put2(tc->text + 2, (int)(y % 100));
		tc->text[4] = '-';
		put2(tc->text + 5, m);
		tc->text[7] = '-';
		put2(tc->text + 8, d);
		tc->text[10] = 'T';
		put2(tc->text + 11, (int)(rem / 3600));
		tc->text[13] = ':';
		put2(tc->text + 14, (int)(rem / 60 % 60));
		tc->text[16] = ':';
		put2(tc->text + 17, (int)(rem % 60));
		tc->sec = sec;
	}
	memcpy(dst, tc->text, 19);
	dst[19] = '.';
	dst[20] = (char)('0' + milli / 100);
	dst[21] = (char)('0' + milli / 10 % 10);
	dst[22] = (char)('0' + milli % 10);
	dst[23] = 'Z';
}

/* Two decimal digits at p, or -1. */
static inline int
two_digits(const char *p)
{
	unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/*
 * Every check parses the ts of every event, and a stream's events share
 * their date for hours on end: the day of the last date seen is kept (per
 * thread, since csm-parse parses on several).
 */
static _Thread_local char last_date[10];
static _Thread_local int64_t last_days = INT64_MIN;
/* And the last minute ("YYYY-MM-DDTHH:MM"): a busy log repeats it. */
static _Thread_local char last_minute[16];
static _Thread_local int64_t last_minute_s = INT64_MIN;

int
time_parse_rfc3339(struct slice s, int64_t *ms)
{
	static const int place[3] = { 100, 10, 1 };
	int h, mi, sec, oh, om, frac = 0, k;
	int32_t tail;
	size_t i = 19;
	int64_t t;

	if (s.n < 19)
		return -1;
	/* The cached minute passed the checks below when it was parsed. */
	if (last_minute_s != INT64_MIN && memcmp(s.p, last_minute, 16) == 0)
		t = last_minute_s;
	else {
		if (s.p[4] != '-' || s.p[7] != '-' ||
		    (s.p[10] != 'T' && s.p[10] != ' ') || s.p[13] != ':')
			return -1;
		if (last_days == INT64_MIN || memcmp(s.p, last_date, 10) != 0) {
			int y, mo, d;

			if (num_parse_digits(s.p, 4, &y) || y < 1 ||
			    (mo = two_digits(s.p + 5)) < 0 ||
			    (d = two_digits(s.p + 8)) < 0 ||
			    !time_date_valid(y, mo, d))
				return -1;
			memcpy(last_date, s.p, 10);
			last_days = time_days_from_civil(y, mo, d);
		}
		if ((h = two_digits(s.p + 11)) < 0 || h > 23 ||
		    (mi = two_digits(s.p + 14)) < 0 || mi > 59)
			return -1;
		t = last_days * 86400 + h * 3600 + mi * 60;
		memcpy(last_minute, s.p, 16);
		last_minute_s = t;
	}
	/* Seconds, three decimals and a Z, as csm writes them: no loop. */
	if ((tail = time_csm_tail_ms(s)) >= 0) {
		*ms = t * 1000 + tail;
		return 0;
	}
	if (s.p[16] != ':' || (sec = two_digits(s.p + 17)) < 0 || sec > 60)
		return -1;
	t += sec;
	/* Milliseconds: the first three digits count, the rest must be digits. */
	if (i < s.n && s.p[i] == '.')
		for (i++, k = 0; i < s.n && s.p[i] >= '0' && s.p[i] <= '9';
		    i++, k++)
			if (k < 3)
				frac += (s.p[i] - '0') * place[k];
	t *= 1000;
	if (i == s.n || (s.p[i] == 'Z' && i + 1 == s.n)) {
		*ms = t + frac;
		return 0;
	}
	if (s.n - i != 6 || (s.p[i] != '+' && s.p[i] != '-') ||
	    s.p[i + 3] != ':' ||
	    num_parse_digits(s.p + i + 1, 2, &oh) ||
	    num_parse_digits(s.p + i + 4, 2, &om) || oh > 23 || om > 59)
		return -1;
	t -= (s.p[i] == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60) * 1000;
	*ms = t + frac;
	return 0;
}

int
time_parse_user(struct slice s, int end_of_day, int64_t *ms)
{
	char buf[40];
	int y, mo, d;
	int64_t t;
	size_t n = s.n;

	if (n == 10) {
		if (s.p[4] != '-' || s.p[7] != '-' ||
		    num_parse_digits(s.p, 4, &y) ||
		    num_parse_digits(s.p + 5, 2, &mo) ||
		    num_parse_digits(s.p + 8, 2, &d) ||
		    (t = time_utc_seconds(y, mo, d, 0, 0, 0)) < 0)
			return -1;
		t = time_local_to_utc(t + (end_of_day ? 86400 : 0)) * 1000;
		*ms = end_of_day ? t - 1 : t;
		return 0;
	}
	/* Minutes only: add ":00" so the RFC 3339 parser takes it. */
	if (n == 16 || (n > 16 && s.p[16] != ':')) {
		if (n + 3 > sizeof buf)
			return -1;
		memcpy(buf, s.p, 16);
		memcpy(buf + 16, ":00", 3);
		memcpy(buf + 19, s.p + 16, n - 16);
		s = slice_make(buf, n + 3);
		n += 3;
	}
	if (time_parse_rfc3339(s, ms) != 0)
		return -1;
	/* No zone written: the wall clock of the selected zone. */
	if (s.p[n - 1] != 'Z' && !(n >= 25 && (s.p[n - 6] == '+' ||
	    s.p[n - 6] == '-'))) {
		int64_t frac = *ms % 1000;
		*ms = time_local_to_utc(*ms / 1000) * 1000 + frac;
	}
	return 0;
}

/*
 * Offset cache for local time, keyed by the local hour, and the other way
 * by UTC quarter hour (some zones shift on :30). Each thread has its own
 * (parsers convert in several at once); zone_gen, bumped by
 * time_zone_set, empties them all.
 */
#define ZONE_CACHE 64
static _Thread_local struct {
	int64_t hour;
	int64_t offset;
	int used;
} zone_cache[ZONE_CACHE];
static _Thread_local struct {
	int64_t quarter;
	int64_t offset;
	int used;
} utc_cache[ZONE_CACHE];
static _Thread_local unsigned cache_gen;
static unsigned zone_gen = 1;
static char zone_name[256] = "UTC";

/* Empties this thread's caches when the zone changed since they filled. */
static void
caches_check(void)
{
	if (cache_gen != zone_gen) {
		memset(zone_cache, 0, sizeof zone_cache);
		memset(utc_cache, 0, sizeof utc_cache);
		cache_gen = zone_gen;
	}
}

int
time_zone_set(const char *name)
{
	if (name == NULL || *name == '\0')
		name = getenv("TZ");
	if (name == NULL || *name == '\0')
		name = "UTC";
	if (strlen(name) >= sizeof zone_name)
		return -1;
	/*
	 * glibc quietly treats an unknown zone name as UTC; refuse it instead,
	 * since a wrong zone shifts every event. A name with a digit is a
	 * POSIX rule ("JST-9") and needs no file.
	 */
	if (strcmp(name, "UTC") != 0 && strpbrk(name, "0123456789") == NULL) {
		char path[512];
		const char *n = name[0] == ':' ? name + 1 : name;

		if (n[0] == '/')
			snprintf(path, sizeof path, "%s", n);
		else
			snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", n);
		if (strstr(n, "..") != NULL || access(path, R_OK) != 0)
			return -1;
	}
	memcpy(zone_name, name, strlen(name) + 1);
	setenv("TZ", zone_name, 1);
	tzset();
	zone_gen++;
	return 0;
}

const char *
time_zone_name(void)
{
	return zone_name;
}

/* The zone's offset from UTC at instant t, in seconds. */
static int64_t
offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	return localtime_r(&tt, &tm) != NULL ? tm.tm_gmtoff : 0;
}

/*
 * The offset of local time l (as if UTC), from the offsets a day before
 * and a day after (a zone changes at most once in between): the one that
 * maps l back to itself. When both do (the hour repeated as DST ends),
 * the first time that hour came, as an event logged then most likely
 * did; when neither does (the hour skipped as DST starts), the offset
 * before. mktime's own choice there depended on its earlier calls.
 */
static int64_t
local_offset(int64_t l)
{
	int64_t before = offset_at(l - 86400), after = offset_at(l + 86400);
	int ok_before = offset_at(l - before) == before;
	int ok_after = offset_at(l - after) == after;

	if (ok_before && ok_after)
		return before > after ? before : after;
	return ok_after && !ok_before ? after : before;
}

int64_t
time_local_to_utc(int64_t local_as_utc)
{
	int64_t hour = local_as_utc >= 0 ? local_as_utc / 3600 :
	    -((-local_as_utc + 3599) / 3600);
	unsigned slot = (unsigned)((uint64_t)hour % ZONE_CACHE);

	caches_check();
	if (zone_cache[slot].used && zone_cache[slot].hour == hour)
		return local_as_utc - zone_cache[slot].offset;
	/* At the top of the hour: offsets change on hour marks. */
	zone_cache[slot].hour = hour;
	zone_cache[slot].offset = local_offset(hour * 3600);
	zone_cache[slot].used = 1;
	return local_as_utc - zone_cache[slot].offset;
}

int64_t
time_utc_to_local(int64_t utc)
{
	int64_t quarter = utc >= 0 ? utc / 900 : -((-utc + 899) / 900);
	unsigned slot = (unsigned)((uint64_t)quarter % ZONE_CACHE);
	struct tm tm;
	time_t t = (time_t)(quarter * 900);

	caches_check();
	if (utc_cache[slot].used && utc_cache[slot].quarter == quarter)
		return utc + utc_cache[slot].offset;
	if (localtime_r(&t, &tm) == NULL)
		return utc;
	utc_cache[slot].quarter = quarter;
	utc_cache[slot].offset = tm.tm_gmtoff;
	utc_cache[slot].used = 1;
	return utc + tm.tm_gmtoff;
}

void
time_split(int64_t secs, struct time_parts *tp)
{
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t y;

	civil_from_days(days, &y, &tp->month, &tp->day);
	tp->year = (int)y;
	/* 1970-01-01 was a Thursday (4). */
	tp->wday = (int)(((days % 7) + 11) % 7);
	tp->minute = (int)((secs - days * 86400) / 60);
	tp->days = days;
}

int
time_read_digits(struct slice s, size_t *i, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (*i < s.n && s.p[*i] >= '0' && s.p[*i] <= '9') {
		if (++n > max)
			return 0;
		*v = *v * 10 + (s.p[*i] - '0');
		(*i)++;
	}
	return n;
}

int
time_parse_windows_date(struct slice s, size_t *i, int *dayfirst,
    int *y, int *mo, int *d)
{
	int a, b, c, na, nc;
	size_t j = *i;
	char sep;

	if ((na = time_read_digits(s, &j, 4, &a)) == 0 || j >= s.n ||
	    (s.p[j] != '/' && s.p[j] != '.' && s.p[j] != '-'))
		return -1;
	sep = s.p[j++];
	if (time_read_digits(s, &j, 2, &b) == 0 || j >= s.n ||
	    s.p[j++] != sep || (nc = time_read_digits(s, &j, 4, &c)) == 0 ||
	    j >= s.n || s.p[j] != ' ')
		return -1;
	if (na == 4 && nc <= 2) {
		*y = a;
		*mo = b;
		*d = c;
	} else if (na <= 2 && nc == 4) {
		*y = c;
		if (sep == '/' && !*dayfirst && a > 12 && b <= 12 &&
		    time_date_valid(c, b, a))
			*dayfirst = 1;	/* 25/11/2026: day first from now on */
		if (sep != '/' || *dayfirst) {
			*d = a;
			*mo = b;
		} else {
			*mo = a;
			*d = b;
		}
	} else {
		return -1;
	}
	if (!time_date_valid(*y, *mo, *d))
		return -1;
	*i = j;
	return 0;
}
