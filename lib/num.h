/*
 * num.h: the one range-checked number parser (in the spirit of OpenBSD's
 * strtonum) for numbers taken from logs, and fast integer formatting.
 */
#ifndef CSM_NUM_H
#define CSM_NUM_H

#include <stdint.h>
#include "slice.h"

/*
 * Parses s, made only of ASCII digits, into *out. Returns 0, or -1 when s is
 * empty, holds another byte, or the value exceeds max.
 */
int num_parse_u64(struct slice s, uint64_t max, uint64_t *out);

/*
 * A count from an optional event column (bytes, a duration): its value,
 * or 0 when empty or not a number, as if the log had not said. Inline for
 * up to eight digits, as such counts nearly always are: the checks read
 * two or three on every event.
 */
static inline uint64_t
num_field_u64(struct slice s)
{
	uint64_t v = 0;
	size_t i;

	if (s.n > 8 || s.n == 0)
		return num_parse_u64(s, UINT64_MAX, &v) == 0 ? v : 0;
	for (i = 0; i < s.n; i++) {
		unsigned d = (unsigned char)s.p[i] - (unsigned)'0';

		if (d > 9)
			return 0;
		v = v * 10 + d;
	}
	return v;
}

/*
 * Parses a non-negative decimal with an optional fraction ("1795593995.412",
 * "0.25", "17") into thousandths, truncating digits past the third.
 * Returns 0, or -1 on any other text or overflow.
 */
int num_parse_milli(struct slice s, int64_t *out);

/*
 * Parses exactly n ASCII digits at p (n <= 9) into *v, as in the fixed
 * fields of a date. Returns 0 or -1.
 */
int num_parse_digits(const char *p, size_t n, int *v);

/* Writes v in decimal to dst (room for 20 bytes); returns the length. */
size_t num_format_u64(char *dst, uint64_t v);

#endif
