/*
 * linescan.h: one pass over a log line, sixteen bytes at a time, that
 * finds its spaces and notes whether any byte would need escaping in a
 * TSV column (or, ';' too, in an extra value). The Squid parsers split
 * their space-separated fields with it and then write clean fields
 * without scanning them again.
 */
#ifndef CSM_LINESCAN_H
#define CSM_LINESCAN_H

#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifdef __SSE2__
struct linescan {
	__m128i bad, semi;
};

/*
 * Returns the mask of spaces of the 16 bytes at c (bit i for byte i) and
 * notes bytes that would need escaping: a signed compare with 0x20 catches
 * the C0 controls and every byte >= 0x80 (UTF-8 is left to esc_tsv), then
 * DEL and backslash; ';' is noted apart, as only extra escapes it.
 */
static inline unsigned
linescan_chunk(struct linescan *sc, const char *c)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)c);

	sc->bad = _mm_or_si128(sc->bad, _mm_or_si128(
	    _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
	    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))));
	sc->semi = _mm_or_si128(sc->semi,
	    _mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8(' ')));
}

static inline void
linescan_init(struct linescan *sc)
{
	sc->bad = _mm_setzero_si128();
	sc->semi = _mm_setzero_si128();
}

/* Whether a byte seen would need escaping in a TSV column. */
static inline int
linescan_bad(const struct linescan *sc)
{
	return _mm_movemask_epi8(sc->bad) != 0;
}

/* Whether a byte seen was ';' (escaped in an extra value). */
static inline int
linescan_semi(const struct linescan *sc)
{
	return _mm_movemask_epi8(sc->semi) != 0;
}
#else
struct linescan {
	int bad, semi;
};

/* The portable linescan_chunk: the same masks, byte by byte. */
static inline unsigned
linescan_chunk(struct linescan *sc, const char *c)
{
	unsigned sp = 0;
	int i;

	for (i = 0; i < 16; i++) {
		unsigned char b = (unsigned char)c[i];
		sp |= (unsigned)(b == ' ') << i;
		sc->bad |= b < 0x20 || b >= 0x7f || b == '\\';
		sc->semi |= b == ';';
	}
	return sp;
}

static inline void
linescan_init(struct linescan *sc)
{
	sc->bad = sc->semi = 0;
}

static inline int
linescan_bad(const struct linescan *sc)
{
	return sc->bad;
}

static inline int
linescan_semi(const struct linescan *sc)
{
	return sc->semi;
}
#endif

/*
 * The mask of bytes in a field (not spaces) of the sixteen at p + o, o < n;
 * those past the line's end count as spaces. Never reads past the line.
 */
static inline unsigned
linescan_words(struct linescan *sc, const char *p, size_t n, size_t o)
{
	char tail[16];

	if (n - o >= 16)
		return ~linescan_chunk(sc, p + o) & 0xffff;
	/*
	 * The tail: the line's last sixteen bytes, shifted so the ones seen
	 * already drop out and zeros (spaces) come in after the end.
	 */
	if (n >= 16)
		return (~linescan_chunk(sc, p + n - 16) & 0xffff) >>
		    (16 - (n - o));
	/* A short line, padded with spaces. */
	memset(tail, ' ', sizeof tail);
	memcpy(tail, p + o, n - o);
	return ~linescan_chunk(sc, tail) & 0xffff;
}

/*
 * The in-a-word mask (linescan_words) of the 64 bytes at p + o, o < n:
 * bit i for byte o + i, those past the line's end 0.
 */
static inline uint64_t
linescan_group(struct linescan *sc, const char *p, size_t n, size_t o)
{
	uint64_t in = 0;
	int k;

	for (k = 0; k < 4 && o + 16 * (size_t)k < n; k++)
		in |= (uint64_t)linescan_words(sc, p, n, o + 16 * (size_t)k) <<
		    16 * k;
	return in;
}

/*
 * Whether the n bytes at p are all printable ASCII but backslash: bytes
 * esc_tsv copies as they are (';' allowed, which only extras escape).
 */
static inline int
linescan_plain(const char *p, size_t n)
{
	struct linescan sc;
	size_t o;

	linescan_init(&sc);
	for (o = 0; o < n; o += 16)
		(void)linescan_words(&sc, p, n, o);
	return !linescan_bad(&sc);
}

/*
 * The places of byte c among the n bytes at p (at most 64 of them looked
 * at: fewer past a block's end) as bits, bit i for p[i].
 */
static inline uint64_t
linescan_byte_mask(const char *p, size_t n, char c)
{
	char tail[64];
	uint64_t m = 0;
	int k;

	if (n < 64) {
		memset(tail, c == 0 ? 1 : 0, sizeof tail);
		memcpy(tail, p, n);
		p = tail;
	}
#ifdef __SSE2__
	for (k = 0; k < 4; k++)
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(p +
		    16 * k)), _mm_set1_epi8(c))) << 16 * k;
#else
	for (k = 0; k < 64; k++)
		m |= (uint64_t)(p[k] == c) << k;
#endif
	return m;
}

#endif
