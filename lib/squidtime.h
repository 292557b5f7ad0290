/*
 * squidtime.h: Squid's "1754978486.449" (%ts.%03tu) read into UTC ms, as
 * num_parse_milli would, remembering the seconds of the last one: each
 * file including this has its own memory, one per thread, and a log's
 * consecutive lines mostly share their second, where comparing ten bytes
 * costs less than reading them as a number. For the native and the
 * recommended Squid formats' hot paths.
 */
#ifndef CSM_SQUIDTIME_H
#define CSM_SQUIDTIME_H

#include <stdint.h>
#include <string.h>
#include "num.h"
#include "slice.h"

static _Thread_local struct {
	char text[10];
	int valid;
	int64_t ms;
} squidtime_last;

/* num_parse_milli(w, ms), first trying the seconds remembered. */
static inline int
squidtime_parse(struct slice w, int64_t *ms)
{
	unsigned a, b, c;

	if (w.n != 14 || w.p[10] != '.')
		return num_parse_milli(w, ms);
	a = (unsigned char)w.p[11] - '0';
	b = (unsigned char)w.p[12] - '0';
	c = (unsigned char)w.p[13] - '0';
	if (a > 9 || b > 9 || c > 9)
		return -1;	/* as num_parse_milli with three decimals */
	if (!squidtime_last.valid ||
	    memcmp(w.p, squidtime_last.text, 10) != 0) {
		/* The value depends on the ten bytes only, given the rest. */
		if (num_parse_milli(w, ms) != 0)
			return -1;
		memcpy(squidtime_last.text, w.p, 10);
		squidtime_last.ms = *ms - (a * 100 + b * 10 + c);
		squidtime_last.valid = 1;
		return 0;
	}
	*ms = squidtime_last.ms + (a * 100 + b * 10 + c);
	return 0;
}

#endif
