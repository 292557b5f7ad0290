/*
 * holidayfile.h: sets of holidays loaded from the lists organisations
 * keep: the Cabinet Office's syukujitsu.csv ("国民の祝日について",
 * Shift_JIS or UTF-8) and a company's own file of dates and date ranges
 * (年末年始, お盆, 創立記念日). Files may be gzip-compressed. Loading never
 * prints: a bad line stops it with "path:line: reason" in a buffer the
 * caller owns.
 *
 * Company file, UTF-8 (a BOM is skipped), one entry a line:
 *	# comment; blank lines are skipped
 *	2026-12-29..2027-01-03 年末年始
 *	2026-08-13..2026-08-16, 夏季休業
 *	2026/6/1 創立記念日	# a comment after a space or tab
 *	2026-11-20
 * A date is YYYY-MM-DD or YYYY/M/D (months and days of one or two
 * digits); a range A..B includes both ends, B not before A, at most
 * HOLIDAYFILE_RANGE_MAX days. The name, optional, follows after spaces,
 * tabs or one comma. A file whose first line is the Cabinet Office's
 * header "国民の祝日・休日月日,国民の祝日・休日名称" (in Shift_JIS/CP932
 * or UTF-8) is read as that CSV instead: rows "YYYY/M/D,name" parsed with
 * libcsv, each with a name.
 */
#ifndef CSM_HOLIDAYFILE_H
#define CSM_HOLIDAYFILE_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"

#define HOLIDAYFILE_RANGE_MAX 366	/* longest range, in days */
#define HOLIDAYFILE_ERR_SIZE (DIAG_NAME_MAX + 512)	/* any message */

enum holidayfile_status {
	HOLIDAYFILE_OK = 0,
	HOLIDAYFILE_BAD = -1,	/* a line is wrong: "path:line: reason" */
	HOLIDAYFILE_IO = -2	/* open, read, gzip or memory: "path: reason" */
};

struct holidayfile_day {
	int32_t days;		/* days since 1970-01-01 */
	uint32_t name;		/* offset of its NUL-ended name in names */
	uint32_t seq;		/* load order, so the first name wins */
};

/* A set of dates with names. Read v[0..n) and names; change nothing. */
struct holidayfile {
	struct holidayfile_day *v;	/* sorted by days, each day once */
	size_t n, cap;
	char *names;			/* UTF-8 names, "" for none */
	size_t names_len, names_cap;
	uint32_t seq;
};

/* Prepares an empty set. */
void holidayfile_init(struct holidayfile *set);

/*
 * Adds the dates of the file at path ("-" is standard input, gzip is
 * recognised by its magic bytes) to set; a date already in the set keeps
 * the name it was first loaded with. Returns HOLIDAYFILE_OK, or an error
 * status with a NUL-terminated message in err (errcap bytes;
 * HOLIDAYFILE_ERR_SIZE is always enough), "path:line: reason" for a bad
 * line, with the path and the offending bytes escaped (lib/esc.h); on
 * error the set is left as it was before the call.
 */
int holidayfile_load(struct holidayfile *set, const char *path, char *err,
    size_t errcap);

/*
 * Whether the day (days since 1970-01-01) is in the set: returns 1 and
 * points *name (when name is not NULL) at its name, valid until the set
 * is changed or released ("" when the file gave none); returns 0 with
 * *name NULL otherwise. O(log n).
 */
int holidayfile_lookup_days(const struct holidayfile *set, int64_t days,
    const char **name);

/*
 * The same by date; returns -1 (and *name NULL) for a date that does not
 * exist (2026-02-30).
 */
int holidayfile_lookup(const struct holidayfile *set, int year, int month,
    int day, const char **name);

/* The name of v[i] ("" for none). */
const char *holidayfile_name(const struct holidayfile *set, size_t i);

/* Frees the set's memory; the set is empty afterwards. */
void holidayfile_release(struct holidayfile *set);

#endif
