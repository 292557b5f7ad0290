/*
 * num.c: number parsing and formatting for attacker-supplied text. Every
 * count, port and timestamp from a log goes through here, so overflow and
 * stray bytes are rejected in one place.
 */
#include "num.h"

int
num_parse_u64(struct slice s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s.n == 0 || s.n > 20)
		return -1;
	for (i = 0; i < s.n; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return -1;
		/* Up to 19 digits cannot overflow; only the 20th is checked. */
		if (i == 19 && v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int
num_parse_milli(struct slice s, int64_t *out)
{
	long dot = slice_find(s, '.');
	struct slice whole = s, frac = SLICE_NONE;
	uint64_t w, f = 0;
	size_t i;

	if (dot >= 0) {
		whole = slice_make(s.p, (size_t)dot);
		frac = slice_from(s, (size_t)dot + 1);
		if (frac.n == 0)
			return -1;
	}
	if (num_parse_u64(whole, (uint64_t)INT64_MAX / 1000 - 1, &w) != 0)
		return -1;
	for (i = 0; i < frac.n; i++) {
		unsigned d = (unsigned char)frac.p[i] - '0';
		if (d > 9)
			return -1;
		if (i < 3)
			f = f * 10 + d;
	}
	for (; i < 3; i++)
		f *= 10;
	*out = (int64_t)(w * 1000 + f);
	return 0;
}

int
num_parse_digits(const char *p, size_t n, int *v)
{
	uint64_t u;

	if (n > 9 || num_parse_u64(slice_make(p, n), 999999999, &u) != 0)
		return -1;
	*v = (int)u;
	return 0;
}

size_t
num_format_u64(char *dst, uint64_t v)
{
	/* Two digits per division: line numbers are written on every event. */
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930"
	    "31323334353637383940414243444546474849505152535455565758596061"
	    "62636465666768697071727374757677787980818283848586878889909192"
	    "93949596979899";
	char tmp[20];
	size_t n = 0;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		tmp[n++] = pairs[2 * r + 1];
		tmp[n++] = pairs[2 * r];
	}
	if (v >= 10) {
		tmp[n++] = pairs[2 * v + 1];
		tmp[n++] = pairs[2 * v];
	} else {
		tmp[n++] = (char)('0' + v);
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}
