/*
 * textcol.c: how many terminal columns a string takes, so that the text
 * report lines up Japanese and ASCII alike and never passes 80 columns.
 * The table of East Asian Wide and Fullwidth ranges is our own (after
 * Unicode's EastAsianWidth.txt, W and F), not wcwidth(3), so that the
 * output is the same whatever locale cron or the tests run under;
 * Ambiguous characters count as one column, which is why the report's
 * own strings use none. Characters that would reorder or hide text are
 * shown as \uXXXX, and take that many columns.
 */
#include "esc.h"
#include "report.h"

struct range {
	uint32_t lo, hi;
};

/* Wide (W) and Fullwidth (F) ranges, in order. */
static const struct range wide[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
	{ 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
	{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 }, { 0x2e80, 0x303e },
	{ 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
	{ 0xa000, 0xa4cf }, { 0xa960, 0xa97f }, { 0xac00, 0xd7a3 },
	{ 0xf900, 0xfaff }, { 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x16fe0, 0x16fe4 },
	{ 0x17000, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 },
	{ 0x1f0cf, 0x1f0cf }, { 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a },
	{ 0x1f200, 0x1f265 }, { 0x1f300, 0x1f320 }, { 0x1f32d, 0x1f335 },
	{ 0x1f337, 0x1f37c }, { 0x1f37e, 0x1f393 }, { 0x1f3a0, 0x1f3ca },
	{ 0x1f3cf, 0x1f3d3 }, { 0x1f3e0, 0x1f3f0 }, { 0x1f3f4, 0x1f3f4 },
	{ 0x1f3f8, 0x1f43e }, { 0x1f440, 0x1f440 }, { 0x1f442, 0x1f4fc },
	{ 0x1f4ff, 0x1f53d }, { 0x1f54b, 0x1f54e }, { 0x1f550, 0x1f567 },
	{ 0x1f57a, 0x1f57a }, { 0x1f595, 0x1f596 }, { 0x1f5a4, 0x1f5a4 },
	{ 0x1f5fb, 0x1f64f }, { 0x1f680, 0x1f6c5 }, { 0x1f6cc, 0x1f6cc },
	{ 0x1f6d0, 0x1f6d2 }, { 0x1f6d5, 0x1f6d7 }, { 0x1f6eb, 0x1f6ec },
	{ 0x1f6f4, 0x1f6fc }, { 0x1f7e0, 0x1f7eb }, { 0x1f90c, 0x1f93a },
	{ 0x1f93c, 0x1f945 }, { 0x1f947, 0x1f9ff }, { 0x1fa70, 0x1faff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

/* Combining marks and other zero-width characters. */
static const struct range zero[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
	{ 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e }, { 0x1160, 0x11ff },
	{ 0x200b, 0x200f }, { 0x202a, 0x202e }, { 0x2060, 0x2064 },
	{ 0x20d0, 0x20ff }, { 0x3099, 0x309a }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff }, { 0xe0100, 0xe01ef },
};

static int
in_table(const struct range *t, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < t[mid].lo)
			hi = mid;
		else if (cp > t[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

static int
cp_width(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (esc_is_invisible(cp))	/* shown as \uXXXX (textcol_put) */
		return cp > 0xffff ? 7 : 6;
	if (in_table(zero, sizeof zero / sizeof zero[0], cp))
		return 0;
	return in_table(wide, sizeof wide / sizeof wide[0], cp) ? 2 : 1;
}

size_t
utf8_seq(const char *s, size_t left, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		if (left < 2 || (p[1] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x1fu) << 6 | (p[1] & 0x3fu);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (left < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0))
			return 0;
		*cp = (c & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (left < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
			return 0;
		*cp = (c & 0x07u) << 18 | (p[1] & 0x3fu) << 12 |
		    (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
		return 4;
	}
	return 0;
}

/* One character at s.p + i: its length (at least 1) and width. */
static size_t
next_char(struct slice s, size_t i, int *w)
{
	uint32_t cp;
	size_t k = utf8_seq(s.p + i, s.n - i, &cp);

	if (k == 0) {
		*w = 1;		/* cannot happen in escaped text */
		return 1;
	}
	*w = cp_width(cp);
	return k;
}

size_t
textcol_put(char *dst, struct slice s)
{
	size_t i = 0, o = 0, k;
	uint32_t cp;

	while (i < s.n) {
		k = utf8_seq(s.p + i, s.n - i, &cp);
		if (k > 1 && esc_is_invisible(cp)) {
			o += esc_show(dst + o, cp);
		} else {
			k = k ? k : 1;
			memcpy(dst + o, s.p + i, k);
			o += k;
		}
		i += k;
	}
	return o;
}

size_t
textcol_width(struct slice s)
{
	size_t i = 0, cols = 0;
	int w;

	while (i < s.n) {
		i += next_char(s, i, &w);
		cols += (size_t)w;
	}
	return cols;
}

size_t
textcol_prefix(struct slice s, size_t cols, size_t *wout)
{
	size_t i = 0, used = 0, k;
	int w;

	while (i < s.n) {
		k = next_char(s, i, &w);
		if (used + (size_t)w > cols)
			break;
		used += (size_t)w;
		i += k;
	}
	/* Keep combining marks with the character they follow. */
	while (i < s.n) {
		k = next_char(s, i, &w);
		if (w != 0)
			break;
		i += k;
	}
	*wout = used;
	return i;
}

size_t
textcol_suffix(struct slice s, size_t cols, size_t *wout)
{
	size_t total = textcol_width(s), i = 0, k;
	int w;

	/* Walk forward until what is left fits: lengths run forwards. */
	while (i < s.n && total > cols) {
		k = next_char(s, i, &w);
		total -= (size_t)w;
		i += k;
	}
	*wout = total;
	return i;
}
