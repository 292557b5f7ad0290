/*
 * squidfmt_shape.h: what the values of some Squid logformat codes look
 * like, for the two readers of the recommended format that must agree on
 * every line: squidfmt_match.c's general search and squidfmt_csm.c's
 * reading at a glance.
 */
#ifndef CSM_SQUIDFMT_SHAPE_H
#define CSM_SQUIDFMT_SHAPE_H

#include <string.h>
#include "slice.h"

/* Whether s is one or more digits, with at most one '.' among them. */
static inline int
shape_decimal(struct slice s)
{
	size_t i, dots = 0;

	for (i = 0; i < s.n; i++)
		if (s.p[i] == '.')
			dots++;
		else if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
	return s.n > dots && dots <= 1;
}

/* Whether s is one or more digits. */
static inline int
shape_digits(struct slice s)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
	return s.n > 0;
}

/*
 * Whether s is a Squid result or hierarchy code: TCP_MISS, HIER_DIRECT
 * (Squid's tables hold capitals, digits and '_' only).
 */
static inline int
shape_code_word(struct slice s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_'))
			return 0;
	}
	return s.n > 0;
}

/* Whether s is an HTTP token (RFC 9110 tchar), as a method is. */
static inline int
shape_token(struct slice s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~",
		    c) != NULL) || c == '\0')
			return 0;
	}
	return s.n > 0;
}

#endif
