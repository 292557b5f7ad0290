/*
 * num.c: number parsing and formatting for attacker-supplied text. Every
 * count, port and timestamp from a log goes through here, so overflow and
 * stray bytes are rejected in one place.
 */
#include "num.h"

#ifdef NUM_DIGITS8
/* Eight ASCII digits at p as a number, or -1 (num_digits8). */
static inline int64_t
digits8(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return num_digits8(x);
}
#endif

int
num_parse_u64(struct slice s, uint64_t max, uint64_t *out)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, n = s.n, safe = n < 20 ? n : 19;
	uint64_t v = 0;

	if (n == 0 || n > 20)
		return -1;
#ifdef NUM_DIGITS8
	/* Eight at a time while they last. */
	for (; safe - i >= 8; i += 8) {
		int64_t d8 = digits8(s.p + i);

		if (d8 < 0)
			return -1;
		v = v * 100000000 + (uint64_t)d8;
	}
#endif
	/* One bound: up to 19 digits cannot overflow; a 20th is checked. */
	for (; i < safe; i++) {
		unsigned d = p[i] - (unsigned)'0';

		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	if (n == 20) {
		unsigned d = p[19] - (unsigned)'0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
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
	long dot;
	struct slice whole = s, frac = SLICE_NONE;
	uint64_t w, f = 0;
	size_t i;

	/*
	 * Logs nearly always give exactly three decimals: then the dot is
	 * four bytes from the end. (An earlier dot would make the whole part
	 * fail as a number, as it does below.)
	 */
	if (s.n >= 5 && s.p[s.n - 4] == '.') {
		unsigned a = (unsigned char)s.p[s.n - 3] - '0';
		unsigned b = (unsigned char)s.p[s.n - 2] - '0';
		unsigned c = (unsigned char)s.p[s.n - 1] - '0';
#ifdef NUM_DIGITS8
		size_t wn = s.n - 4;

		/*
		 * 9 to 15 whole digits (Unix seconds have 10): two
		 * overlapping loads of eight, no loop. Below 10^15 the value
		 * is within range.
		 */
		if (wn >= 9 && wn <= 15 && a <= 9 && b <= 9 && c <= 9) {
			static const uint64_t scale[8] = { 1, 10, 100, 1000,
			    10000, 100000, 1000000, 10000000 };
			int64_t hi = digits8(s.p), lo = digits8(s.p + wn - 8);

			if (hi < 0 || lo < 0)
				return -1;
			/*
			 * The last wn - 8 digits of lo follow hi's eight; for
			 * Unix seconds a modulus by a constant (a multiply),
			 * not by a variable (a divide).
			 */
			if (wn == 10)
				w = (uint64_t)hi * 100 + (uint64_t)lo % 100;
			else
				w = (uint64_t)hi * scale[wn - 8] +
				    (uint64_t)lo % scale[wn - 8];
			*out = (int64_t)(w * 1000 + a * 100 + b * 10 + c);
			return 0;
		}
#endif
		if (a > 9 || b > 9 || c > 9 ||
		    num_parse_u64(slice_make(s.p, s.n - 4),
		    (uint64_t)INT64_MAX / 1000 - 1, &w) != 0)
			return -1;
		*out = (int64_t)(w * 1000 + a * 100 + b * 10 + c);
		return 0;
	}
	dot = slice_find(s, '.');
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
	static const uint64_t pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
		10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL,
		10000000000000000000ULL
	};
	size_t n, t;
	char *p;

	if (v < 10) {
		dst[0] = (char)('0' + v);
		return 1;
	}
	/*
	 * The digit count first, so the digits go straight to their place:
	 * log10 estimated from the bit length (1233 / 4096 ~ log10(2)), then
	 * corrected by one comparison.
	 */
	t = (size_t)((64 - __builtin_clzll(v)) * 1233) >> 12;
	n = t + (v >= pow10[t]);
	p = dst + n;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		p[-1] = (char)('0' + v);
	}
	return n;
}
