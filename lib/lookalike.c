/*
 * lookalike.c: folding, skeletons and edit distances for names that
 * senders choose to deceive (display names, domains, attachment names).
 * libunistring does the Unicode work (NFKC, NFD, case folding, character
 * properties); the table of characters that pass for ASCII letters is
 * ours, a small hand-picked subset of the usual confusables (Latin,
 * Greek, Cyrillic and Armenian letters that render like ASCII in common
 * fonts). Every buffer is a fixed array bounded by LOOKALIKE_MAX;
 * libunistring allocates only when a normalisation outgrows its buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include "lookalike.h"

/* Bytes of input looked at: enough for LOOKALIKE_MAX code points. */
#define IN_MAX (LOOKALIKE_MAX * 4)
/* Room for normalised text; libunistring mallocs beyond it. */
#define WORK_MAX (LOOKALIKE_MAX * 8)

struct confusable {
	uint32_t from;
	char to;
};

/* Sorted by code point: characters that render like an ASCII one. */
static const struct confusable confusables[] = {
	{ 0x0030, 'o' }, { 0x0031, 'l' }, { 0x0069, 'l' },
	{ 0x0131, 'l' }, { 0x0185, 'b' }, { 0x01c0, 'l' }, { 0x0251, 'a' },
	{ 0x0261, 'g' }, { 0x0269, 'l' }, { 0x026a, 'l' },
	{ 0x03b1, 'a' }, { 0x03b3, 'y' }, { 0x03b7, 'n' }, { 0x03b9, 'l' },
	{ 0x03ba, 'k' }, { 0x03bd, 'v' }, { 0x03bf, 'o' }, { 0x03c1, 'p' },
	{ 0x03c3, 'o' }, { 0x03c5, 'u' }, { 0x03c7, 'x' }, { 0x03f2, 'c' },
	{ 0x03f3, 'j' },
	{ 0x0430, 'a' }, { 0x0432, 'b' }, { 0x0433, 'r' }, { 0x0435, 'e' },
	{ 0x043a, 'k' }, { 0x043c, 'm' }, { 0x043d, 'h' }, { 0x043e, 'o' },
	{ 0x043f, 'n' }, { 0x0440, 'p' }, { 0x0441, 'c' }, { 0x0442, 't' },
	{ 0x0443, 'y' }, { 0x0445, 'x' }, { 0x044c, 'b' }, { 0x0455, 's' },
	{ 0x0456, 'l' }, { 0x0458, 'j' }, { 0x0461, 'w' }, { 0x0475, 'v' },
	{ 0x04af, 'y' }, { 0x04bb, 'h' }, { 0x04bd, 'e' }, { 0x04cf, 'l' },
	{ 0x0501, 'd' }, { 0x051b, 'q' }, { 0x051d, 'w' },
	{ 0x0563, 'q' }, { 0x0566, 'q' }, { 0x0570, 'h' }, { 0x0578, 'n' },
	{ 0x057d, 'u' }, { 0x0581, 'g' }, { 0x0585, 'o' },
	{ 0x1d04, 'c' }, { 0x1d0f, 'o' }, { 0x1d1c, 'u' }, { 0x1d20, 'v' },
	{ 0x1d21, 'w' }, { 0x1d22, 'z' },
	{ 0x2010, '-' }, { 0x2012, '-' }, { 0x2013, '-' }, { 0x2014, '-' },
	{ 0x2015, '-' }, { 0x2212, '-' }, { 0x3002, '.' },
};

static uint32_t
confusable(uint32_t c)
{
	size_t lo = 0, hi = sizeof confusables / sizeof confusables[0];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (confusables[mid].from == c)
			return (uint32_t)(unsigned char)confusables[mid].to;
		if (confusables[mid].from < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return c;
}

int
lookalike_bidi(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

int
lookalike_invisible(uint32_t c)
{
	if (c < 0xa0)
		return 0;	/* ASCII and C1: the TSV escaper's business */
	return lookalike_bidi(c) ||
	    uc_is_property_default_ignorable_code_point(c) ||
	    uc_is_general_category(c, UC_CATEGORY_Cf) ||
	    c == 0x2028 || c == 0x2029;
}

/*
 * Decodes UTF-8 (U+FFFD for bad bytes) into out, without invisible code
 * points; returns the count.
 */
static size_t
decode(struct slice s, uint32_t *out, size_t cap)
{
	const uint8_t *p = (const uint8_t *)s.p;
	size_t n = s.n < IN_MAX ? s.n : IN_MAX, i = 0, k = 0;
	ucs4_t c;
	int len;

	while (i < n && k < cap) {
		len = u8_mbtouc(&c, p + i, n - i);
		if (len <= 0)
			len = 1;
		/*
		 * Invisible code points go before normalising: one between a
		 * letter and its accent would otherwise keep them apart.
		 */
		if (!lookalike_invisible(c))
			out[k++] = c;
		i += (size_t)len;
	}
	return k;
}

/* Frees r unless it is the caller's buffer buf. */
static void
release(uint32_t *r, uint32_t *buf)
{
	if (r != NULL && r != buf)
		free(r);
}

size_t
lookalike_fold(struct slice s, uint32_t *out, size_t cap)
{
	uint32_t in[IN_MAX], nb[WORK_MAX], cb[WORK_MAX], *nr, *cr;
	size_t n, nn = WORK_MAX, cn = WORK_MAX, i, k = 0;

	n = decode(s, in, IN_MAX);
	if (n == 0)
		return 0;
	nr = u32_normalize(UNINORM_NFKC, in, n, nb, &nn);
	if (nr == NULL)
		return 0;
	cr = u32_casefold(nr, nn, NULL, UNINORM_NFKC, cb, &cn);
	release(nr, nb);
	if (cr == NULL)
		return 0;
	for (i = 0; i < cn && k < cap; i++)
		if (!lookalike_invisible(cr[i]))
			out[k++] = cr[i];
	release(cr, cb);
	return k;
}

size_t
lookalike_skeleton(const uint32_t *in, size_t n, uint32_t *out, size_t cap,
    int flags)
{
	uint32_t db[WORK_MAX], *dr, c;
	size_t dn = WORK_MAX, i, k = 0;

	if (n == 0)
		return 0;
	if (n > LOOKALIKE_MAX)
		n = LOOKALIKE_MAX;
	dr = u32_normalize(UNINORM_NFD, in, n, db, &dn);
	if (dr == NULL)
		return 0;
	for (i = 0; i < dn && k < cap; i++) {
		c = dr[i];
		if (uc_is_general_category(c, UC_CATEGORY_Mn))
			continue;	/* accents: 'é' passes for 'e' */
		c = confusable(c);
		if ((flags & LOOKALIKE_ALNUM) &&
		    !uc_is_general_category(c, UC_CATEGORY_L) &&
		    !uc_is_general_category(c, UC_CATEGORY_N))
			continue;
		/* Two letters that together pass for one. */
		if (k > 0 && ((out[k - 1] == 'r' && c == 'n') ||
		    (out[k - 1] == 'v' && c == 'v'))) {
			out[k - 1] = out[k - 1] == 'r' ? 'm' : 'w';
			continue;
		}
		out[k++] = c;
	}
	release(dr, db);
	return k;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * The optimal string alignment distance of a against b, or against the
 * best substring of b when free is set (the first row costs nothing and
 * the answer is the smallest of the last row). Three rows: i-2, i-1, i.
 */
static size_t
osa(const uint32_t *a, size_t an, const uint32_t *b, size_t bn, size_t max,
    int free_ends)
{
	size_t rows[3][LOOKALIKE_MAX + 1], *r0 = rows[0], *r1 = rows[1];
	size_t *r2 = rows[2], *t, i, j, v, best, rowmin, prevmin = 0;

	if (an > LOOKALIKE_MAX || bn > LOOKALIKE_MAX)
		return max + 1;
	if (!free_ends && (an > bn ? an - bn : bn - an) > max)
		return max + 1;
	for (j = 0; j <= bn; j++)
		r1[j] = free_ends ? 0 : j;
	for (i = 1; i <= an; i++) {
		r2[0] = i;
		rowmin = i;
		for (j = 1; j <= bn; j++) {
			v = min3(r1[j] + 1, r2[j - 1] + 1,
			    r1[j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && r0[j - 2] + 1 < v)
				v = r0[j - 2] + 1;
			r2[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		/* Two rows over max: no later cell can come back under. */
		if (rowmin > max && i > 1 && prevmin > max)
			return max + 1;
		prevmin = rowmin;
		t = r0;
		r0 = r1;
		r1 = r2;
		r2 = t;
	}
	if (!free_ends)
		best = r1[bn];
	else
		for (best = r1[0], j = 1; j <= bn; j++)
			if (r1[j] < best)
				best = r1[j];
	return best > max ? max + 1 : best;
}

size_t
lookalike_distance(const uint32_t *a, size_t an, const uint32_t *b,
    size_t bn, size_t max)
{
	return osa(a, an, b, bn, max, 0);
}

size_t
lookalike_find(const uint32_t *needle, size_t nn, const uint32_t *hay,
    size_t hn, size_t max)
{
	return osa(needle, nn, hay, hn, max, 1);
}

/* Hidden characters that are part of an emoji or script sequence. */
static int
sequence_part(uint32_t c)
{
	return (c >= 0xfe00 && c <= 0xfe0f) || c == 0x200c || c == 0x200d ||
	    (c >= 0xe0020 && c <= 0xe007f);
}

static int
ascii_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

size_t
lookalike_hidden(struct slice s)
{
	const uint8_t *p = (const uint8_t *)s.p;
	uint32_t prev = 0;
	size_t i = 0, count = 0;
	ucs4_t c;
	int len;

	while (i < s.n) {
		len = u8_mbtouc(&c, p + i, s.n - i);
		if (len <= 0)
			len = 1;
		i += (size_t)len;
		if (!lookalike_invisible(c)) {
			prev = c;
			continue;
		}
		if (sequence_part(c) && !ascii_alnum(prev))
			continue;
		count++;
	}
	return count;
}

int
lookalike_has_bidi(struct slice s)
{
	const uint8_t *p = (const uint8_t *)s.p;
	size_t i = 0;
	ucs4_t c;
	int len;

	while (i < s.n) {
		len = u8_mbtouc(&c, p + i, s.n - i);
		if (len <= 0)
			len = 1;
		if (lookalike_bidi(c))
			return 1;
		i += (size_t)len;
	}
	return 0;
}

/*
 * The next piece of s from *i for lookalike_show: a marker in m for an
 * invisible code point, else the bytes themselves. Returns its length
 * and sets *piece.
 */
static size_t
show_piece(struct slice s, size_t *i, char *m, size_t mcap,
    const char **piece)
{
	const uint8_t *p = (const uint8_t *)s.p + *i;
	ucs4_t c;
	int len = u8_mbtouc(&c, p, s.n - *i);

	if (len <= 0)
		len = 1;
	*i += (size_t)len;
	/* A control too: a NUL would end the text it is put in. */
	if ((c < 0x20 || lookalike_invisible(c)) &&
	    u8_mbtouc(&c, p, (size_t)len) == len) {
		*piece = m;
		return (size_t)snprintf(m, mcap, "<U+%04X>", (unsigned)c);
	}
	*piece = (const char *)p;
	return (size_t)len;
}

size_t
lookalike_show(struct slice s, char *out, size_t cap)
{
	char m[16];
	const char *piece;
	size_t i = 0, n = 0, total = 0, len;

	if (cap < 4) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	while (i < s.n)
		total += show_piece(s, &i, m, sizeof m, &piece);
	i = 0;
	while (i < s.n) {
		len = show_piece(s, &i, m, sizeof m, &piece);
		if (total >= cap && n + len > cap - 4) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		memcpy(out + n, piece, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

size_t
lookalike_strip(struct slice s, char *out, size_t cap)
{
	const uint8_t *p = (const uint8_t *)s.p;
	size_t i = 0, k = 0;
	ucs4_t c;
	int len;

	if (cap == 0)
		return 0;
	while (i < s.n) {
		len = u8_mbtouc(&c, p + i, s.n - i);
		if (len <= 0)
			len = 1;
		if (c == 0xfffd && u8_mbtouc(&c, p + i, (size_t)len) != 3) {
			/*
			 * A bad byte becomes U+FFFD: kept raw, it could join
			 * the bytes after a dropped character into a new one.
			 */
			if (k + 3 >= cap)
				break;
			memcpy(out + k, "\xef\xbf\xbd", 3);
			k += 3;
		} else if (c >= 0x20 && !lookalike_invisible(c)) {
			/*
			 * A C0 control goes too, as lookalike_show marks it:
			 * no reader sees one, and a NUL kept here would end
			 * the reason the text is put in ("it reads 'Pay'"
			 * for "Pay\0Pal"), hiding the rest of the name.
			 */
			if (k + (size_t)len >= cap)
				break;
			memcpy(out + k, p + i, (size_t)len);
			k += (size_t)len;
		}
		i += (size_t)len;
	}
	out[k] = '\0';
	return k;
}

size_t
lookalike_utf8(const uint32_t *cp, size_t n, char *out, size_t cap)
{
	uint8_t b[6];
	size_t i, k = 0;
	int len;

	if (cap == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if ((len = u8_uctomb(b, cp[i], sizeof b)) <= 0)
			continue;
		if (k + (size_t)len >= cap)
			break;
		memcpy(out + k, b, (size_t)len);
		k += (size_t)len;
	}
	out[k] = '\0';
	return k;
}
