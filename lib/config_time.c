/*
 * config_time.c: time in the site's zone and the business hours. The C
 * library converts time only in the zone of the TZ variable, so at the
 * finish the site's zone is put in TZ for a moment and its UTC offsets
 * for 1970-2099 are learned into a table (a probe a week, then bisection
 * to the second at each change); after that every conversion, either way,
 * is a binary search in the table, with no global state. The [hours]
 * section becomes the ranges of each weekday.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "config_impl.h"
#include "timeconv.h"

#define ZONE_FROM INT64_C(0)			/* 1970-01-01 */
#define ZONE_TO INT64_C(4102444800)		/* 2100-01-01 */
#define ZONE_STEP INT64_C(604800)

static int32_t
offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

static int
zone_add(struct config *cfg, size_t *cap, int64_t t, int32_t off)
{
	struct cfg_zone *z = &cfg->zone;
	size_t c = *cap;	/* both arrays grow alike; the second sets *cap */

	if ((z->t = cfg_grow(cfg, z->t, z->n, &c, sizeof *z->t)) == NULL ||
	    (z->off = cfg_grow(cfg, z->off, z->n, cap, sizeof *z->off)) ==
	    NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	z->t[z->n] = t;
	z->off[z->n] = off;
	z->n++;
	return 0;
}

/* Fills the table from the C library's view of the current TZ. */
static int
zone_probe(struct config *cfg)
{
	size_t cap = 0;
	int64_t t, lo, hi;
	int32_t prev = offset_at(ZONE_FROM);

	if (zone_add(cfg, &cap, INT64_MIN, prev) != 0)
		return -1;
	for (t = ZONE_FROM + ZONE_STEP; t < ZONE_TO + ZONE_STEP;
	    t += ZONE_STEP) {
		lo = t - ZONE_STEP;
		/* Several changes within a step are found one by one. */
		while (offset_at(t) != prev) {
			hi = t;
			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;
				if (offset_at(mid) == prev)
					lo = mid;
				else
					hi = mid;
			}
			prev = offset_at(hi);
			if (zone_add(cfg, &cap, hi, prev) != 0)
				return -1;
			lo = hi;
		}
	}
	return 0;
}

int
cfg_zone_finish(struct config *cfg)
{
	const char *env = getenv("TZ");
	char *old = NULL;
	int r;

	if (env != NULL && (old = strdup(env)) == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	if (setenv("TZ", cfg->tz, 1) != 0) {
		free(old);
		return cfg_fail(cfg, CFG_NOLINE, "cannot set TZ");
	}
	tzset();
	r = zone_probe(cfg);
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
	return r;
}

/* The index of the offset in force at utc. */
static size_t
zone_index(const struct cfg_zone *z, int64_t utc)
{
	size_t lo = 0, hi = z->n;

	/* The last i with t[i] <= utc; t[0] is INT64_MIN. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->t[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
cfg_zone_to_utc(const struct config *cfg, int64_t wall, int64_t out[2])
{
	const struct cfg_zone *z = &cfg->zone;
	size_t i, first, last;
	int n = 0;

	/* Offsets stay within a day of UTC: look at the changes near. */
	first = zone_index(z, wall - 2 * 86400);
	last = zone_index(z, wall + 2 * 86400);
	for (i = first; i <= last && n < 2; i++) {
		int64_t u = wall - z->off[i];
		if (u >= z->t[i] && (i + 1 == z->n || u < z->t[i + 1]))
			out[n++] = u;
	}
	return n;
}

void
config_local_time(const struct config *cfg, int64_t utc,
    struct config_local *lt)
{
	int32_t off = cfg->zone.n ? cfg->zone.off[zone_index(&cfg->zone,
	    utc)] : 0;
	int64_t l = utc + off;
	struct time_parts tp;

	time_split(l, &tp);
	lt->days = tp.days;
	lt->year = tp.year;
	lt->month = tp.month;
	lt->day = tp.day;
	lt->wday = tp.wday;
	lt->minute = tp.minute;
	lt->second = (int)(l - tp.days * 86400) % 60;
	lt->offset = off;
}

/* A weekday key of [hours] ("sat = 09:00-12:00"): the weekday, or -1. */
static int
day_key(struct slice key)
{
	return cfg_parse_weekday(key);
}

int
cfg_hours_apply(struct config *cfg, struct slice key, struct slice value,
    uint64_t line)
{
	struct cfg_hours_src *h = &cfg->hsrc;
	int d;

	if (slice_eq_nocase(key, "days"))
		return cfg_parse_days(cfg, value, line, &h->days);
	if (slice_eq_nocase(key, "hours"))
		return cfg_parse_ranges(cfg, value, line, &h->r, &h->n);
	if (slice_eq_nocase(key, "japan-holidays")) {
		if (cfg_parse_bool(value, &h->japan) != 0)
			return cfg_fail(cfg, line, "bad boolean '%s' for "
			    "'japan-holidays' (yes or no)", cfg_q(cfg, value));
		return 0;
	}
	if (slice_eq_nocase(key, "holiday-files"))
		return cfg_parse_paths(cfg, value, line, &h->files, 0);
	if ((d = day_key(key)) >= 0) {
		h->day[d].given = 1;
		if (slice_eq_nocase(value, "closed")) {
			h->day[d].r = NULL;
			h->day[d].n = 0;
			return 0;
		}
		return cfg_parse_ranges(cfg, value, line, &h->day[d].r,
		    &h->day[d].n);
	}
	return cfg_fail(cfg, line, "unknown key '%s' in [hours]",
	    cfg_q(cfg, key));
}

int
cfg_hours_finish(struct config *cfg)
{
	struct cfg_hours_src *h = &cfg->hsrc;
	struct config_hours *o = &cfg->hours;
	int d;

	o->days = 0;
	for (d = 0; d < 7; d++) {
		if (h->day[d].given) {
			o->r[d] = h->day[d].r;
			o->n[d] = h->day[d].n;
		} else if (h->days & (1u << d)) {
			o->r[d] = h->r;
			o->n[d] = h->n;
		} else {
			o->r[d] = NULL;
			o->n[d] = 0;
		}
		if (o->n[d] > 0)
			o->days |= 1u << d;
	}
	o->japan_holidays = h->japan;
	o->holiday_files = h->files;
	return 0;
}

const struct config_hours *
config_hours(const struct config *cfg)
{
	return &cfg->hours;
}

int
config_hours_open(const struct config *cfg, const struct config_local *lt,
    int holiday_today, int holiday_yesterday)
{
	const struct config_hours *h = &cfg->hours;
	int d = lt->wday, y = (lt->wday + 6) % 7, m = lt->minute;
	size_t i;

	if (!holiday_today)
		for (i = 0; i < h->n[d]; i++) {
			const struct config_range *r = &h->r[d][i];
			if (r->start < r->end ? m >= r->start && m < r->end :
			    m >= r->start)
				return 1;
		}
	/* The part after midnight of yesterday's crossing ranges. */
	if (!holiday_yesterday)
		for (i = 0; i < h->n[y]; i++) {
			const struct config_range *r = &h->r[y][i];
			if (r->end < r->start && m < r->end)
				return 1;
		}
	return 0;
}
