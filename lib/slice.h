/*
 * slice.h: a (pointer, length) view of bytes. Log data is never assumed to
 * be NUL-terminated; parsers hand slices around instead of copying.
 */
#ifndef CSM_SLICE_H
#define CSM_SLICE_H

#include <stddef.h>
#include <string.h>

struct slice {
	const char *p;
	size_t n;
};

#define SLICE_LIT(s) ((struct slice){ (s), sizeof(s) - 1 })
#define SLICE_NONE ((struct slice){ NULL, 0 })

static inline struct slice
slice_make(const char *p, size_t n)
{
	struct slice s = { p, n };
	return s;
}

static inline struct slice
slice_cstr(const char *s)
{
	return slice_make(s, strlen(s));
}

/* Whether s holds exactly the bytes of the C string lit. */
static inline int
slice_eq(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

/* Whether a and b hold the same bytes. */
static inline int
slice_eq_slice(struct slice a, struct slice b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* Whether s begins with the C string lit. */
static inline int
slice_has_prefix(struct slice s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* The part of s from offset off on (empty when off is past the end). */
static inline struct slice
slice_from(struct slice s, size_t off)
{
	if (off >= s.n)
		return slice_make(s.p + s.n, 0);
	return slice_make(s.p + off, s.n - off);
}

/*
 * Splits the next token off *rest: skips leading spaces and tabs, returns the
 * bytes up to the next space or tab and advances *rest past them. Returns an
 * empty slice at the end.
 */
struct slice slice_next_word(struct slice *rest);

/*
 * Splits the next token off *rest at exactly one space (no run of spaces
 * is skipped: an empty token stands between two spaces) and advances
 * *rest past that space. The whole of *rest when it holds no space.
 */
struct slice slice_next_token(struct slice *rest);

/* Removes leading and trailing spaces and tabs. */
struct slice slice_trim(struct slice s);

/* Offset of the first byte c in s, or -1. */
static inline long
slice_find(struct slice s, char c)
{
	const char *q;
	size_t i;

	/* Log fields are mostly short: a plain loop beats a memchr call. */
	if (s.n < 32) {
		for (i = 0; i < s.n; i++)
			if (s.p[i] == c)
				return (long)i;
		return -1;
	}
	q = memchr(s.p, c, s.n);
	return q ? (long)(q - s.p) : -1;
}

/* Whether s equals lit ignoring ASCII case. */
int slice_eq_nocase(struct slice s, const char *lit);

/*
 * Offset of the last occurrence of the bytes of lit in s, or -1: a log's
 * fixed words after a field a user chose ("... from ADDR") are found from
 * the end, which the user's text cannot reach past.
 */
long slice_find_last(struct slice s, const char *lit);

#endif
