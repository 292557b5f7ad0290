/*
 * bizcal.h: the business calendar of the organisation: the configured
 * business days and hours, the built-in Japanese national holidays and the
 * holiday files the configuration names (Cabinet Office syukujitsu.csv or
 * company lists), combined into one answer per instant: open for
 * business, or closed and why.
 */
#ifndef CSM_BIZCAL_H
#define CSM_BIZCAL_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "holidayfile.h"

enum bizcal_state {
	BIZCAL_OPEN,		/* inside business hours */
	BIZCAL_AFTER_HOURS,	/* a business day, outside its hours */
	BIZCAL_DAY_OFF,		/* not a business weekday (weekend) */
	BIZCAL_HOLIDAY,		/* a national or company holiday */
	BIZCAL_NSTATES
};

/* Short names for the states ("open", "after-hours", "day-off", "holiday"). */
extern const char *const bizcal_state_names[BIZCAL_NSTATES];

struct bizcal {
	const struct config *cfg;
	struct holidayfile files;	/* every holiday file, merged */
	int japan;			/* built-in national holidays */
};

/*
 * Prepares bc from a finished configuration, loading its holiday files.
 * Returns 0, or -1 with err set ("path:line: reason").
 */
int bizcal_init(struct bizcal *bc, const struct config *cfg, char *err,
    size_t errcap);

void bizcal_release(struct bizcal *bc);

/*
 * Whether the local date (days since 1970-01-01) is a holiday: returns 1
 * and points *name at its name (national first, then files; "" when the
 * file gave none), else 0.
 */
int bizcal_holiday(const struct bizcal *bc, int64_t days, const char **name);

/*
 * Classifies the instant utc (seconds), filling *lt with its local time
 * and *name with the holiday's name for BIZCAL_HOLIDAY (else NULL).
 */
enum bizcal_state bizcal_classify(const struct bizcal *bc, int64_t utc,
    struct config_local *lt, const char **name);

#endif
