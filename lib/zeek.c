/*
 * zeek.c: reader state for one Zeek (Bro) ASCII log, shared by every Zeek
 * log format. Zeek describes each file in "#" meta lines: the separator
 * (spelled as an escape on the first line, since it is what every later
 * line is split by), the set separator, the empty and unset markers, the
 * log's path and its #fields and #types. The meta lines are read from the
 * file, never assumed, and a new header block (rotated or concatenated
 * logs) re-maps the columns. Values are attacker-controlled bytes that
 * Zeek wrote with \xHH escapes for separators and unprintable bytes.
 */
#include <stdio.h>
#include "diag.h"
#include "num.h"
#include "zeek.h"

void
zeek_init(struct zeek *z)
{
	z->sep = '\t';
	memcpy(z->set_sep.b, ",", 1);
	z->set_sep.n = 1;
	memcpy(z->empty.b, "(empty)", 7);
	z->empty.n = 7;
	memcpy(z->unset.b, "-", 1);
	z->unset.n = 1;
	z->path.n = 0;
	z->gen = 0;
	z->nfields = 0;
	z->ntypes = 0;
	z->nval = 0;
	z->why[0] = '\0';
}

size_t
zeek_unescape(char *dst, size_t cap, struct slice src)
{
	size_t i, o = 0;

	for (i = 0; i < src.n; i++) {
		char c = src.p[i];
		int hi, lo;

		if (c == '\\' && i + 3 < src.n &&
		    src.p[i + 1] == 'x' &&
		    (hi = num_hex_digit((unsigned char)src.p[i + 2])) >= 0 &&
		    (lo = num_hex_digit((unsigned char)src.p[i + 3])) >= 0) {
			c = (char)(hi << 4 | lo);
			i += 3;
		}
		if (o == cap)
			return cap + 1;
		dst[o++] = c;
	}
	return o;
}

/* Keeps the unescaped meta value v in m; -1 when it is too long. */
static int
set_meta(struct zeek_meta *m, struct slice v)
{
	size_t n = zeek_unescape(m->b, sizeof m->b, v);

	if (n > sizeof m->b)
		return -1;
	m->n = n;
	return 0;
}

static enum zeek_line
bad(struct zeek *z, const char *what, struct slice s)
{
	char q[120];

	snprintf(z->why, sizeof z->why, "%s '%s'", what,
	    diag_quote(q, sizeof q, s));
	return ZEEK_BAD;
}

/*
 * Splits the list v by the separator into out[] (at most ZEEK_MAX_FIELDS),
 * copying the names into buf (ZEEK_NAMES_MAX bytes). Returns the count, or
 * -1 when there are too many or they are too long.
 */
static int
split_names(const struct zeek *z, struct slice v, struct slice *out,
    char *buf)
{
	size_t used = 0;
	int n = 0;

	for (;;) {
		long end = slice_find(v, z->sep);
		struct slice w = end < 0 ? v : slice_make(v.p, (size_t)end);

		if (n == ZEEK_MAX_FIELDS || ZEEK_NAMES_MAX - used < w.n)
			return -1;
		if (w.n)	/* an empty name may have no pointer at all */
			memcpy(buf + used, w.p, w.n);
		out[n++] = slice_make(buf + used, w.n);
		used += w.n;
		if (end < 0)
			return n;
		v = slice_from(v, (size_t)end + 1);
	}
}

/* The "#separator \x09" line: starts a new header block. */
static enum zeek_line
read_separator(struct zeek *z, struct slice rest)
{
	struct zeek_meta m;
	uint64_t gen = z->gen;

	rest = slice_trim(rest);
	if (set_meta(&m, rest) != 0 || m.n != 1)
		return bad(z, "unsupported #separator", rest);
	zeek_init(z);
	z->gen = gen;
	z->sep = m.b[0];
	return ZEEK_META;
}

/* Any other meta line: "#key<sep>value". */
static enum zeek_line
read_meta(struct zeek *z, struct slice line)
{
	long end = slice_find(line, z->sep);
	struct slice key = end < 0 ? line : slice_make(line.p, (size_t)end);
	struct slice v = end < 0 ? SLICE_NONE : slice_from(line, (size_t)end + 1);
	int n;

	if (slice_eq(key, "#fields")) {
		n = split_names(z, v, z->name, z->names);
		z->gen++;
		z->nfields = n < 0 ? 0 : n;
		z->ntypes = 0;
		if (n < 0)
			return bad(z, "too many or too long #fields", v);
	} else if (slice_eq(key, "#types")) {
		n = split_names(z, v, z->type, z->types);
		z->ntypes = n < 0 ? 0 : n;
		if (n < 0)
			return bad(z, "too many or too long #types", v);
	} else if (slice_eq(key, "#set_separator")) {
		if (set_meta(&z->set_sep, v) != 0)
			return bad(z, "#set_separator too long", v);
	} else if (slice_eq(key, "#empty_field")) {
		if (set_meta(&z->empty, v) != 0)
			return bad(z, "#empty_field too long", v);
	} else if (slice_eq(key, "#unset_field")) {
		if (set_meta(&z->unset, v) != 0)
			return bad(z, "#unset_field too long", v);
	} else if (slice_eq(key, "#path")) {
		if (set_meta(&z->path, v) != 0)
			return bad(z, "#path too long", v);
	}
	/* #open, #close and meta lines of newer writers carry nothing. */
	return ZEEK_META;
}

enum zeek_line
zeek_read(struct zeek *z, struct slice line)
{
	struct slice t;
	int n = 0;

	z->nval = 0;
	if (line.n == 0)
		return ZEEK_META;
	/*
	 * The separator line is found even after stray blanks: some tools
	 * write "\t#separator \x09" when they glue a header together.
	 */
	t = line;
	while (t.n && (t.p[0] == ' ' || t.p[0] == '\t'))
		t = slice_from(t, 1);
	if (slice_has_prefix(t, "#separator") && t.n > 10 &&
	    (t.p[10] == ' ' || t.p[10] == '\t'))
		return read_separator(z, slice_from(t, 10));
	if (line.p[0] == '#')
		return read_meta(z, line);
	if (z->nfields == 0) {
		snprintf(z->why, sizeof z->why,
		    "data line before the #fields header");
		return ZEEK_BAD;
	}
	for (;;) {
		const char *q = memchr(line.p, z->sep, line.n);
		size_t len = q ? (size_t)(q - line.p) : line.n;

		if (n < ZEEK_MAX_FIELDS)
			z->val[n] = slice_make(line.p, len);
		n++;
		if (q == NULL)
			break;
		line = slice_from(line, len + 1);
	}
	if (n != z->nfields) {
		snprintf(z->why, sizeof z->why, "%d fields, want %d", n,
		    z->nfields);
		return ZEEK_BAD;
	}
	z->nval = n;
	return ZEEK_DATA;
}

int
zeek_col(const struct zeek *z, const char *name)
{
	int i;

	for (i = 0; i < z->nfields; i++)
		if (slice_eq(z->name[i], name))
			return i;
	return -1;
}

enum zeek_kind
zeek_kind(const struct zeek *z, int col)
{
	struct slice v;

	if (col < 0 || col >= z->nval)
		return ZEEK_ABSENT;
	v = z->val[col];
	if (v.n == z->unset.n && memcmp(v.p, z->unset.b, v.n) == 0)
		return ZEEK_UNSET;
	if (v.n == 0 ||
	    (v.n == z->empty.n && memcmp(v.p, z->empty.b, v.n) == 0))
		return ZEEK_EMPTY;
	return ZEEK_VALUE;
}

struct slice
zeek_str(const struct zeek *z, int col, struct event *ev)
{
	char tmp[EVENT_SCRATCH];
	struct slice v;
	size_t n;

	if (zeek_kind(z, col) != ZEEK_VALUE)
		return SLICE_NONE;
	v = z->val[col];
	if (memchr(v.p, '\\', v.n) == NULL)
		return v;
	n = zeek_unescape(tmp, sizeof tmp, v);
	if (n > sizeof tmp)
		return SLICE_NONE;	/* could not be kept anyway */
	return event_keep(ev, tmp, n);
}

int
zeek_time_ms(struct slice s, int64_t *ms)
{
	return num_parse_milli(s, ms);
}

int
zeek_sniff_header(struct zeek *z, const struct slice *lines, int n)
{
	struct slice t;
	int i;

	zeek_init(z);
	if (n == 0)
		return 0;
	t = slice_trim(lines[0]);
	if (!slice_has_prefix(t, "#separator"))
		return 0;
	for (i = 0; i < n; i++)
		if (lines[i].n == 0 || zeek_read(z, lines[i]) != ZEEK_META)
			break;
	return z->nfields > 0;
}
