/*
 * slice.c: the few slice helpers too long to inline: word splitting and
 * trimming, used by every whitespace-separated log format.
 */
#include "slice.h"

struct slice
slice_next_word(struct slice *rest)
{
	const char *p = rest->p, *end = rest->p + rest->n;
	const char *w;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	w = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	rest->p = p;
	rest->n = (size_t)(end - p);
	return slice_make(w, (size_t)(p - w));
}

struct slice
slice_next_token(struct slice *rest)
{
	const char *sp = rest->n ? memchr(rest->p, ' ', rest->n) : NULL;
	struct slice w;

	if (sp == NULL) {
		w = *rest;
		*rest = slice_make(rest->p + rest->n, 0);
		return w;
	}
	w = slice_make(rest->p, (size_t)(sp - rest->p));
	*rest = slice_from(*rest, w.n + 1);
	return w;
}

struct slice
slice_trim(struct slice s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

int
slice_eq_nocase(struct slice s, const char *lit)
{
	size_t i, n = strlen(lit);

	if (s.n != n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)s.p[i], b = (unsigned char)lit[i];
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

long
slice_find_last(struct slice s, const char *lit)
{
	size_t n = strlen(lit), i;

	if (s.n < n)
		return -1;
	for (i = s.n - n + 1; i-- > 0;)
		if (memcmp(s.p + i, lit, n) == 0)
			return (long)i;
	return -1;
}
