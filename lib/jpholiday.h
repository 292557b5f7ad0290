/*
 * jpholiday.h: the national holidays of Japan as the 国民の祝日に関する法律
 * (Act No. 178 of 1948) and the one-off laws beside it defined them in
 * each year, from the law's start on 1948-07-20 to the end of 2099:
 * 国民の祝日 with the years each was added, moved or renamed, the equinox
 * days, 振替休日, 国民の休日 and the special days off (大喪の礼, 2019-05-01,
 * the 2020 and 2021 Olympic moves).
 *
 * The equinox days come from the usual approximation (Japanese
 * almanacs' 1900-2099 formula); it agrees with every date the Cabinet
 * Office has published (1955-2027) and with an ephemeris for every year
 * of the window, but the law lets only the NAOJ announcement of each
 * February fix the next year. Laws passed after this code was written
 * are of course not in it.
 */
#ifndef CSM_JPHOLIDAY_H
#define CSM_JPHOLIDAY_H

#include <stdint.h>

#define JPHOLIDAY_FIRST_YEAR 1948	/* the law took effect on 1948-07-20 */
#define JPHOLIDAY_LAST_YEAR 2099	/* end of the equinox formula's range */

enum jpholiday_kind {
	JPHOLIDAY_NONE = 0,
	JPHOLIDAY_NATIONAL,	/* 国民の祝日 named in the law (元日...) */
	JPHOLIDAY_SUBSTITUTE,	/* 振替休日: for a 国民の祝日 on a Sunday */
	JPHOLIDAY_CITIZENS,	/* 国民の休日: between two 国民の祝日 */
	JPHOLIDAY_SPECIAL	/* made a day off by a law of its own */
};

/*
 * Tells whether year-month-day (Gregorian, local date in Japan) is a
 * holiday. Returns its kind (> 0) and points *name (when name is not NULL)
 * at its Japanese name in UTF-8: a static string, "振替休日" and "国民の休日"
 * for the two rule-made kinds. Returns JPHOLIDAY_NONE (0) with *name NULL
 * for a working day or a weekend day that is no holiday (dates before
 * 1948-07-20 included), and -1 with *name NULL for a date that does not
 * exist or lies outside JPHOLIDAY_FIRST_YEAR..JPHOLIDAY_LAST_YEAR.
 *
 * The first call of either lookup fills a table of the whole window
 * (about 55 000 days, a byte each, under pthread_once); every call after
 * that is a bounds check and an array read. Safe to call from threads.
 */
int jpholiday_lookup(int year, int month, int day, const char **name);

/*
 * The same for a day number: days since 1970-01-01 as
 * time_days_from_civil (lib/timeconv.h) counts them, which a day-by-day
 * scan or an event's local time gives without a calendar conversion.
 */
int jpholiday_lookup_days(int64_t days, const char **name);

#endif
