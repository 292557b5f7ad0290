/*
 * bizcal.c: business hours with holidays (see bizcal.h). The hours logic
 * itself (ranges crossing midnight belong to the day they start on) is
 * config_hours_open's; this file only says which days are holidays and
 * names why an instant is closed.
 */
#include <string.h>
#include "bizcal.h"
#include "jpholiday.h"

const char *const bizcal_state_names[BIZCAL_NSTATES] = {
	"open", "after-hours", "day-off", "holiday"
};

int
bizcal_init(struct bizcal *bc, const struct config *cfg, char *err,
    size_t errcap)
{
	const struct config_hours *h = config_hours(cfg);
	size_t i;

	memset(bc, 0, sizeof *bc);
	bc->cfg = cfg;
	bc->japan = h->japan_holidays;
	holidayfile_init(&bc->files);
	for (i = 0; i < h->holiday_files.n; i++)
		if (holidayfile_load(&bc->files, h->holiday_files.v[i], err,
		    errcap) != HOLIDAYFILE_OK) {
			holidayfile_release(&bc->files);
			return -1;
		}
	return 0;
}

void
bizcal_release(struct bizcal *bc)
{
	holidayfile_release(&bc->files);
}

int
bizcal_holiday(const struct bizcal *bc, int64_t days, const char **name)
{
	const char *n = NULL;

	if ((bc->japan && jpholiday_lookup_days(days, &n) > 0) ||
	    holidayfile_lookup_days(&bc->files, days, &n) == 1) {
		if (name)
			*name = n ? n : "";
		return 1;
	}
	if (name)
		*name = NULL;
	return 0;
}

enum bizcal_state
bizcal_classify(const struct bizcal *bc, int64_t utc,
    struct config_local *lt, const char **name)
{
	const struct config_hours *h = config_hours(bc->cfg);
	const char *hname;
	int today, yesterday;

	config_local_time(bc->cfg, utc, lt);
	today = bizcal_holiday(bc, lt->days, &hname);
	yesterday = bizcal_holiday(bc, lt->days - 1, NULL);
	*name = NULL;
	if (config_hours_open(bc->cfg, lt, today, yesterday))
		return BIZCAL_OPEN;
	if (today) {
		*name = hname;
		return BIZCAL_HOLIDAY;
	}
	if (!(h->days & (1u << lt->wday)))
		return BIZCAL_DAY_OFF;
	return BIZCAL_AFTER_HOURS;
}
