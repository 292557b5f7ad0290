/*
 * fieldscan.h: scans of the short fields of a log line (a word, a name,
 * an address, a port), inline. Such a field is a few bytes long: a call to
 * memchr or num_parse_u64 for it, or a byte loop that ends on a branch the
 * CPU cannot predict, costs more than the field. With SSE2 sixteen bytes
 * are classified at once and the first that matters is found with a bit
 * scan. Every load stays inside the bytes given, whatever their length.
 */
#ifndef CSM_FIELDSCAN_H
#define CSM_FIELDSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "slice.h"

#if defined(__SSE2__)
/*
 * The first min(n, 16) bytes at p in a register, zeros after them. Only
 * those bytes are read: below 16, two overlapping 8-byte loads (the second
 * shifted so that just bytes 8..n-1 remain; SSE2 shifts of 64 give zero),
 * below 8 two 4-byte ones, below 4 the bytes one by one.
 */
static inline __m128i
fieldscan_load16(const char *p, size_t n)
{
	uint32_t a, b;

	if (n >= 16)
		return _mm_loadu_si128((const __m128i *)(const void *)p);
	if (n >= 8)
		return _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)
		    (const void *)p), _mm_srl_epi64(_mm_loadl_epi64(
		    (const __m128i *)(const void *)(p + n - 8)),
		    _mm_cvtsi32_si128((int)(8 * (16 - n)))));
	if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		b = n == 4 ? 0 : b >> (8 * (8 - n));
		return _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)a),
		    _mm_cvtsi32_si128((int)b));
	}
	a = 0;
	while (n-- > 0)
		a = a << 8 | (unsigned char)p[n];
	return _mm_cvtsi32_si128((int)a);
}

/* Bit i set where byte i of x is c. */
static inline unsigned
fieldscan_eq(__m128i x, char c)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)));
}

/* The bits of the first n of sixteen bytes (all sixteen from 16 on). */
static inline unsigned
fieldscan_first(size_t n)
{
	return n >= 16 ? 0xffffU : (1U << n) - 1;
}
#endif

/* Offset of the first byte c in the n bytes at p, or n when none. */
static inline size_t
fieldscan_byte(const char *p, size_t n, char c)
{
	size_t i = 0;

#if defined(__SSE2__)
	if (c != '\0') {	/* a NUL would match the zeros after n */
		for (;; i += 16) {
			unsigned m = fieldscan_eq(fieldscan_load16(p + i,
			    n - i), c);

			if (m != 0)
				return i + (size_t)__builtin_ctz(m);
			if (n - i <= 16)
				return n;
		}
	}
#endif
	while (i < n && p[i] != c)
		i++;
	return i;
}

/* How many of the n bytes at p, from the first, are hex digits. */
static inline size_t
fieldscan_hex(const char *p, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	for (;; i += 16) {
		__m128i x = fieldscan_load16(p + i, n - i);
		/*
		 * '0'-'9', and 'a'-'f' once x | 0x20 folds the case, moved
		 * to the bottom of the signed range: one compare each.
		 */
		__m128i dig = _mm_cmplt_epi8(_mm_add_epi8(x,
		    _mm_set1_epi8((char)(128 - '0'))), _mm_set1_epi8(-118));
		__m128i let = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x,
		    _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(128 - 'a'))),
		    _mm_set1_epi8(-122));
		unsigned stop = ~(unsigned)_mm_movemask_epi8(_mm_or_si128(dig,
		    let)) & fieldscan_first(n - i);

		if (stop != 0)
			return i + (size_t)__builtin_ctz(stop);
		if (n - i <= 16)
			return n;
	}
#endif
	for (; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' &&
		    p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))
			break;
	return i;
}

/* What fieldscan_kinds finds. */
#define FIELDSCAN_UPPER 1	/* an ASCII upper-case letter */
#define FIELDSCAN_ESCAPE 2	/* a byte esc_tsv may change: not printable
				 * ASCII (0x20-0x7e), or a backslash */

/* The FIELDSCAN_ bits of the kinds of byte among the n at p. */
static inline unsigned
fieldscan_kinds(const char *p, size_t n)
{
	unsigned upper = 0, esc = 0;
	size_t i = 0;

#if defined(__SSE2__)
	for (; i < n; i += 16) {
		__m128i x = fieldscan_load16(p + i, n - i);
		unsigned m = fieldscan_first(n - i);

		/* 'A'-'Z' moved to the bottom of the signed range; signed,
		 * below 0x20 is also 0x80 and above. */
		upper |= (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(
		    _mm_add_epi8(x, _mm_set1_epi8((char)(128 - 'A'))),
		    _mm_set1_epi8(-102))) & m;
		esc |= ((unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(x,
		    _mm_set1_epi8(0x20))) | fieldscan_eq(x, 0x7f) |
		    fieldscan_eq(x, '\\')) & m;
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		upper |= c >= 'A' && c <= 'Z';
		esc |= c < 0x20 || c >= 0x7f || c == '\\';
	}
	return (upper ? FIELDSCAN_UPPER : 0) | (esc ? FIELDSCAN_ESCAPE : 0);
}

/*
 * num_parse_u64 (lib/num.h) for a max below UINT64_MAX / 10, inline: one
 * to twenty digits, leading zeros allowed, value at most max; 0, or -1
 * with *out untouched. A value only grows digit by digit, so the first
 * digit that takes it past max ends the scan.
 */
static inline int
fieldscan_u64(struct slice s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s.n == 0 || s.n > 20)
		return -1;
	for (i = 0; i < s.n; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';

		if (d > 9 || (v = v * 10 + d) > max)
			return -1;
	}
	*out = v;
	return 0;
}

#endif
