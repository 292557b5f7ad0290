/*
 * esc.c: the escaper every log-derived byte passes through on its way to a
 * stream or to stderr. It validates UTF-8 itself (overlongs, surrogates and
 * code points past U+10FFFF are invalid) because an invalid sequence that
 * reaches a terminal or a browser can be read as something else; and it
 * escapes the characters that a terminal or a browser obeys unseen, such as
 * U+202E, which shows "invoice<U+202E>gpj.exe" as "invoiceexe.jpg".
 */
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "esc.h"
#include "num.h"

static const char hexdigits[] = "0123456789abcdef";

size_t
esc_utf8_char(const char *s, size_t left, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	size_t k, i;

	if (c >= 0xc2 && c <= 0xdf)
		k = 2;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4;
	else
		return 0;
	if (left < k)
		return 0;
	for (i = 1; i < k; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* U+0080-U+009F are C1 controls (CSI is U+009B). */
	if ((c == 0xc2 && p[1] < 0xa0) ||
	    (c == 0xe0 && p[1] < 0xa0) ||	/* overlong */
	    (c == 0xed && p[1] >= 0xa0) ||	/* surrogate */
	    (c == 0xf0 && p[1] < 0x90) ||	/* overlong */
	    (c == 0xf4 && p[1] >= 0x90))	/* past U+10FFFF */
		return 0;
	*cp = c & (0x7fu >> k);
	for (i = 1; i < k; i++)
		*cp = *cp << 6 | (p[i] & 0x3fu);
	return k;
}

/*
 * Length of the valid UTF-8 sequence at p (at most left bytes) that may
 * be written as it is, or 0: C1 controls and the invisible characters a
 * display obeys (esc_is_invisible) are escaped like invalid bytes. Their
 * lead bytes are few (D8 E1 E2 EF F3), so only those are decoded: this is
 * esc_utf8_char unrolled for esc_tsv, csm-parse's hot path, where the
 * general form cost 12% more instructions on Japanese text.
 */
static size_t
utf8_valid_len(const unsigned char *p, size_t left)
{
	unsigned c = p[0];

	if (c >= 0xc2 && c <= 0xdf) {
		if (left < 2 || (p[1] & 0xc0) != 0x80)
			return 0;
		/* U+0080-U+009F are C1 controls (CSI is U+009B): escape. */
		if (c == 0xc2 && p[1] < 0xa0)
			return 0;
		if (c == 0xd8 && esc_is_invisible((c & 0x1fu) << 6 |
		    (p[1] & 0x3fu)))
			return 0;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (left < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0;	/* surrogate */
		if ((c == 0xe1 || c == 0xe2 || c == 0xef) &&
		    esc_is_invisible((c & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 |
		    (p[2] & 0x3fu)))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (left < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;	/* past U+10FFFF */
		if (c == 0xf3 && p[1] == 0xa0 && p[2] <= 0x81)
			return 0;	/* tags, U+E0000-U+E007F */
		return 4;
	}
	return 0;
}

static inline int
byte_is_plain(unsigned char c, int flags)
{
	if (c < 0x20 || c >= 0x7f || c == '\\')
		return 0;
	return !(c == ';' && (flags & ESC_EXTRA));
}

int
esc_is_clean(struct slice src)
{
	const unsigned char *p = (const unsigned char *)src.p;
	size_t i;

	for (i = 0; i < src.n; i++)
		if (!byte_is_plain(p[i], ESC_TSV))
			return 0;
	return 1;
}

/*
 * Per byte: 1 when it cannot be copied as it is into a TSV field (control,
 * DEL, backslash, and bytes >= 0x80, which need a UTF-8 check), 2 for ';',
 * which extra values escape too.
 */
static const unsigned char byte_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Broadcasts a byte to all eight lanes of a word. */
#define LANES(c) (0x0101010101010101ULL * (uint64_t)(c))
/* Non-zero when some byte of x is zero (the classic SWAR test). */
#define HAS_ZERO(x) (((x) - LANES(1)) & ~(x) & LANES(0x80))

/*
 * Whether the eight bytes of x all pass as they are: no byte below 0x20,
 * none at or above 0x7f (those need a closer look), no backslash, and no
 * ';' when escaping for extra.
 */
static inline int
word_is_plain(uint64_t x, int flags)
{
	uint64_t bad = (x - LANES(0x20)) | x | (x + LANES(0x01)) |
	    HAS_ZERO(x ^ LANES('\\'));

	if (flags & ESC_EXTRA)
		bad |= HAS_ZERO(x ^ LANES(';'));
	/* x + 1 sets the top bit of a lane that was 0x7f. */
	return (bad & LANES(0x80)) == 0;
}

size_t
esc_tsv(char *dst, struct slice src, int flags)
{
	const unsigned char *p = (const unsigned char *)src.p;
	size_t i = 0, o = 0, run;

	if (src.n == 0)
		return 0;	/* an empty slice may have no pointer at all */
	/* Short fields (methods, codes, names) are most: one table pass. */
	if (src.n < 16) {
		unsigned bad = 0, mask = (flags & ESC_EXTRA) ? 3 : 1;

		for (i = 0; i < src.n; i++)
			bad |= byte_class[p[i]];
		if ((bad & mask) == 0) {
			memcpy(dst, p, src.n);
			return src.n;
		}
		i = 0;
	}

	while (i < src.n) {
		unsigned char c;

#ifdef __SSE2__
		/*
		 * Sixteen bytes at a time: a signed compare with 0x20 catches
		 * the C0 controls and every byte >= 0x80 in one go.
		 */
		while (i + 16 <= src.n) {
			__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
			__m128i bad = _mm_or_si128(
			    _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
			    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
			if (flags & ESC_EXTRA)
				bad = _mm_or_si128(bad,
				    _mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
			if (_mm_movemask_epi8(bad))
				break;
			_mm_storeu_si128((__m128i *)(dst + o), v);
			i += 16;
			o += 16;
		}
#endif
		/* Eight plain bytes at a time. */
		while (i + 8 <= src.n) {
			uint64_t x;
			memcpy(&x, p + i, 8);
			if (!word_is_plain(x, flags))
				break;
			memcpy(dst + o, &x, 8);
			i += 8;
			o += 8;
		}
		if (i == src.n)
			break;
		/*
		 * Fewer than eight left: when the last eight bytes (which
		 * overlap what was already copied) are plain, copy them.
		 */
		if (src.n >= 8 && src.n - i < 8) {
			uint64_t x;
			memcpy(&x, p + src.n - 8, 8);
			if (word_is_plain(x, flags)) {
				memcpy(dst + o - (8 - (src.n - i)), &x, 8);
				o += src.n - i;
				break;
			}
		}
		c = p[i];
		if (byte_is_plain(c, flags) ||
		    (c == '\\' && (flags & ESC_MEND))) {
			dst[o++] = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80 && (run = utf8_valid_len(p + i, src.n - i))) {
			memcpy(dst + o, p + i, run);
			o += run;
			i += run;
			continue;
		}
		dst[o++] = '\\';
		switch (c) {
		case '\t': dst[o++] = 't'; break;
		case '\n': dst[o++] = 'n'; break;
		case '\r': dst[o++] = 'r'; break;
		case '\\': dst[o++] = '\\'; break;
		default:
			dst[o++] = 'x';
			dst[o++] = hexdigits[c >> 4];
			dst[o++] = hexdigits[c & 15];
		}
		i++;
	}
	return o;
}

size_t
esc_list_item(char *dst, struct slice src, int flags)
{
	size_t k = esc_tsv(dst, src, flags), commas = 0, i, j;

	for (i = 0; i < k; i++)
		commas += dst[i] == ',';
	/*
	 * Spread from the end, in place: a ',' came from one input byte,
	 * so the result still fits in ESC_MAX_GROWTH * src.n.
	 */
	for (i = k, j = k + 3 * commas; i > 0; i--)
		if (dst[i - 1] == ',') {
			j -= 4;
			memcpy(dst + j, "\\x2c", 4);
		} else {
			dst[--j] = dst[i - 1];
		}
	return k + 3 * commas;
}

size_t
esc_unescape(char *dst, struct slice src)
{
	size_t i = 0, o = 0;

	while (i < src.n) {
		char c = src.p[i];
		int hi, lo;

		if (c != '\\' || i + 1 >= src.n) {
			dst[o++] = c;
			i++;
			continue;
		}
		switch (src.p[i + 1]) {
		case 't': dst[o++] = '\t'; i += 2; continue;
		case 'n': dst[o++] = '\n'; i += 2; continue;
		case 'r': dst[o++] = '\r'; i += 2; continue;
		case '\\': dst[o++] = '\\'; i += 2; continue;
		case 'x':
			if (i + 3 < src.n &&
			    (hi = num_hex_digit((unsigned char)src.p[i + 2])) >= 0 &&
			    (lo = num_hex_digit((unsigned char)src.p[i + 3])) >= 0) {
				dst[o++] = (char)(hi << 4 | lo);
				i += 4;
				continue;
			}
			break;
		default:
			break;
		}
		dst[o++] = c;
		i++;
	}
	return o;
}

int
esc_is_invisible(uint32_t cp)
{
	return cp == 0x061c || cp == 0x180e ||
	    (cp >= 0x200b && cp <= 0x200f) ||	/* zero width, LRM, RLM */
	    (cp >= 0x2028 && cp <= 0x202e) ||	/* separators, bidi */
	    (cp >= 0x2060 && cp <= 0x206f) ||	/* joiners, isolates */
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
	    (cp >= 0xe0000 && cp <= 0xe007f);	/* tags */
}

size_t
esc_show(char *dst, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = cp > 0xffff ? 5 : 4, i;

	dst[0] = '\\';
	dst[1] = 'u';
	for (i = 0; i < n; i++)
		dst[2 + i] = hex[cp >> (4 * (n - 1 - i)) & 15];
	return n + 2;
}

