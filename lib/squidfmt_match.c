/*
 * squidfmt_match.c: cuts a log line into the values of a Squid logformat
 * compiled by squidfmt.c. Each value runs up to the first place its
 * following literal text matches: a left-to-right scan with memmem, no
 * copying and no allocation per line.
 */
#include <string.h>
#include "squidfmt.h"

/*
 * Matches literal text lit at line offset pos, a run of spaces in lit
 * matching a run of one or more spaces in the line. Returns the offset
 * after it, or -1.
 */
static long
lit_match(struct slice line, size_t pos, struct slice lit)
{
	size_t i = 0, p = pos;

	while (i < lit.n) {
		if (lit.p[i] == ' ') {
			if (p >= line.n || line.p[p] != ' ')
				return -1;
			while (p < line.n && line.p[p] == ' ')
				p++;
			while (i < lit.n && lit.p[i] == ' ')
				i++;
			continue;
		}
		if (p >= line.n || line.p[p] != lit.p[i])
			return -1;
		p++;
		i++;
	}
	return (long)p;
}

/* Whether the byte at off is escaped by an odd run of backslashes. */
static int
is_escaped(struct slice line, size_t from, size_t off)
{
	size_t k = 0;

	while (off > from + k && line.p[off - k - 1] == '\\')
		k++;
	return k & 1;
}

/*
 * Finds where the value of f starting at pos ends: the first place its
 * literal text matches (skipping \" inside a quoted value; for the last
 * literal of the format, only where it ends the line). Sets *next to the
 * offset after the literal. Returns the end of the value, or -1.
 */
static long
value_end(struct slice line, size_t pos, const struct squidfmt_field *f,
    int last, size_t *next)
{
	struct slice lit = f->after;
	size_t seek = 1, p = pos;
	long e;

	if (lit.n == 0) {
		*next = line.n;
		return (long)line.n;
	}
	if (f->fixed) {
		if (line.n - pos < (size_t)f->fixed)
			return -1;
		p = pos + (size_t)f->fixed;
		e = lit_match(line, p, lit);
		if (e < 0 || (last && (size_t)e != line.n))
			return -1;
		*next = (size_t)e;
		return (long)p;
	}
	if (lit.p[0] != ' ')
		while (seek < lit.n && lit.p[seek] != ' ')
			seek++;
	while (p < line.n) {
		const char *q = seek == 1 ? memchr(line.p + p, lit.p[0],
		    line.n - p) : memmem(line.p + p, line.n - p, lit.p, seek);
		size_t off;

		if (q == NULL)
			return -1;
		off = (size_t)(q - line.p);
		p = off + 1;
		if (f->quoted && is_escaped(line, pos, off))
			continue;
		e = lit_match(line, off, lit);
		if (e < 0 || (last && (size_t)e != line.n))
			continue;
		*next = (size_t)e;
		return (long)off;
	}
	return -1;
}

int
squidfmt_match(const struct squidfmt *sf, struct slice line,
    struct slice *vals, struct squidfmt_miss *miss)
{
	size_t pos = 0, next;
	long e;
	int i;

	while (line.n && (line.p[line.n - 1] == ' ' ||
	    line.p[line.n - 1] == '\t'))
		line.n--;
	if ((e = lit_match(line, 0, sf->lead)) < 0) {
		miss->field = -1;
		miss->at = 0;
		return -1;
	}
	pos = (size_t)e;
	for (i = 0; i < sf->n; i++) {
		const struct squidfmt_field *f = &sf->f[i];
		struct slice v;

		if (f->width > 0 && !f->left)
			while (pos < line.n && line.p[pos] == ' ')
				pos++;
		e = value_end(line, pos, f, i == sf->n - 1, &next);
		if (e < 0) {
			miss->field = i;
			miss->at = pos;
			return -1;
		}
		v = slice_make(line.p + pos, (size_t)e - pos);
		if (f->width > 0)
			v = slice_trim(v);
		if (v.n == 1 && v.p[0] == '-')
			v.n = 0;
		vals[i] = v;
		pos = next;
	}
	if (pos != line.n) {
		miss->field = sf->n - 1;
		miss->at = pos;
		return -1;
	}
	return 0;
}
