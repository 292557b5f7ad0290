/*
 * num.h: the one range-checked number parser (in the spirit of OpenBSD's
 * strtonum) for numbers taken from logs, and fast integer formatting.
 */
#ifndef CSM_NUM_H
#define CSM_NUM_H

#include <stdint.h>
#include <string.h>
#include "slice.h"

/* The value of hex digit c (either case), or -1 when c is none. */
static inline int
num_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * Eight ASCII digits, loaded little-endian into x (the first digit in the
 * lowest byte), as a number, or -1 when a byte is not a digit: a check of
 * all eight bytes at once, and three multiplies that combine digit pairs,
 * then pairs of pairs.
 */
static inline int64_t
num_digits8(uint64_t x)
{
	/* A digit is 0x3_ and stays 0x3_ when 6 is added. */
	if (((x & 0xf0f0f0f0f0f0f0f0ULL) |
	    ((x + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) >> 4) !=
	    0x3333333333333333ULL)
		return -1;
	x -= 0x3030303030303030ULL;
	x = x * 10 + (x >> 8);
	x = ((x & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32)) +
	    ((x >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32))) >> 32;
	return (int64_t)x;
}
#define NUM_DIGITS8 1
#endif

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
 * num_field_u64 of a field followed by at least eight readable bytes (as
 * an evread row's are: EVROW_SLACK): up to eight digits in one load, the
 * bytes past the field replaced by leading zeros.
 */
static inline uint64_t
num_field_u64_padded(struct slice s)
{
#ifdef NUM_DIGITS8
	uint64_t x;
	int64_t v;

	if (s.n == 0 || s.n > 8)
		return num_field_u64(s);
	memcpy(&x, s.p, 8);
	if (s.n < 8)
		x = x << (8 * (8 - s.n)) | 0x3030303030303030ULL >> (8 * s.n);
	v = num_digits8(x);
	return v < 0 ? 0 : (uint64_t)v;
#else
	return num_field_u64(s);
#endif
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
