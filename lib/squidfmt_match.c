/*
 * squidfmt_match.c: cuts a log line into the values of a Squid logformat
 * compiled by squidfmt.c. Each value runs up to the first place its
 * following literal text matches: a left-to-right scan with memmem, no
 * copying and no allocation per line.
 * User names are the exception. Squid writes %un, %ul, %ui and %ue as the
 * client or the authentication helper gave them, spaces included (its
 * QuoteMimeBlob and "[" encoding escape [ ] % and controls, not spaces),
 * and an ident or Proxy-Authorization name is the client's choice: a name
 * such as "x GET http://decoy.example/" would shift every later value.
 * In a format with such a code, each place the name could end is tried,
 * the other values must look like what their codes write, and a line is
 * only read when exactly one reading fits; the tries are capped so that a
 * line of many spaces costs a bounded number of passes.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "squidfmt.h"
#include "squidfmt_shape.h"

/*
 * Matches literal text lit at line offset pos, a run of spaces in lit
 * matching a run of one or more spaces in the line. Returns the offset
 * after it, or -1.
 */
static long
lit_match(struct slice line, size_t pos, struct slice lit)
{
	size_t i = 0, p = pos;

	/* most literals are one byte: "/", ".", " " */
	if (lit.n == 1 && lit.p[0] != ' ')
		return p < line.n && line.p[p] == lit.p[0] ? (long)p + 1 : -1;

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

/*
 * The first offset at or after p holding c, or line.n. Most values are a
 * few bytes long: the call to memchr costs more than looking at them
 * here, sixteen at a time where SSE2 is at hand.
 */
static inline size_t
find_byte(struct slice line, size_t p, char c)
{
#ifdef __SSE2__
	/* not _mm_set1_epi8: gcc goes through the stack, a stall */
	__m128i want = _mm_set1_epi32((int)((unsigned char)c * 0x01010101u));

	for (; p + 16 <= line.n; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(line.p + p));
		unsigned hit = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(v, want));

		if (hit)
			return p + (size_t)__builtin_ctz(hit);
	}
#endif
	for (; p < line.n; p++)
		if (line.p[p] == c)
			return p;
	return line.n;
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
 * value_end for the commonest literal, one byte ("/", "." or a space) with
 * more text after it: its first place at or after from is the end, for
 * lit_match cannot fail there.
 */
static inline long
byte_end(struct slice line, size_t from, char c, size_t *next)
{
	size_t off, p;

	if (from >= line.n || (off = find_byte(line, from, c)) == line.n)
		return -1;
	p = off + 1;
	/* a space in literal text matches a run of them */
	if (c == ' ')
		while (p < line.n && line.p[p] == ' ')
			p++;
	*next = p;
	return (long)off;
}

/*
 * Finds where the value of f starting at pos ends: the first place at or
 * after from where its literal text matches (skipping \" inside a quoted
 * value; for the last literal of the format, only where it ends the line).
 * Sets *next to the offset after the literal. Returns the end of the
 * value, or -1.
 */
static long
value_end(struct slice line, size_t pos, size_t from,
    const struct squidfmt_field *f, int last, size_t *next)
{
	struct slice lit = f->after;
	size_t seek = 1, p = from;
	long e;

	if (lit.n == 0) {
		if (from > line.n)
			return -1;
		*next = line.n;
		return (long)line.n;
	}
	if (f->fixed) {
		if (from != pos || line.n - pos < (size_t)f->fixed)
			return -1;
		p = pos + (size_t)f->fixed;
		e = lit_match(line, p, lit);
		if (e < 0 || (last && (size_t)e != line.n))
			return -1;
		*next = (size_t)e;
		return (long)p;
	}
	if (lit.n == 1 && !f->quoted && !last)
		return byte_end(line, from, lit.p[0], next);
	if (lit.p[0] != ' ')
		while (seek < lit.n && lit.p[seek] != ' ')
			seek++;
	while (p < line.n) {
		size_t off;

		if (seek == 1) {
			off = find_byte(line, p, lit.p[0]);
			if (off == line.n)
				return -1;
		} else {
			const char *q = memmem(line.p + p, line.n - p, lit.p,
			    seek);

			if (q == NULL)
				return -1;
			off = (size_t)(q - line.p);
		}
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

/* Whether s holds a '"' that no backslash escapes. */
static int
has_bare_quote(struct slice s)
{
	size_t i;

	/* quotes are rare in a value: skip from one to the next */
	for (i = 0; (i = find_byte(s, i, '"')) < s.n; i++)
		if (!is_escaped(s, 0, i))
			return 1;
	return 0;
}

/*
 * Whether s holds a space; asked only of the codes whose shape does not
 * already rule spaces out.
 */
static int
has_space(struct slice s)
{
	return find_byte(s, 0, ' ') != s.n;
}

/*
 * Whether the literal text after f pins its end down by more than spaces
 * (" HTTP/" in "%rm %ru HTTP/%rv"), so a value with spaces cannot run on
 * into the next one.
 */
static int
is_anchored(const struct squidfmt_field *f)
{
	size_t i;

	for (i = 0; i < f->after.n; i++)
		if (f->after.p[i] != ' ')
			return 1;
	return 0;
}

/*
 * Checks a value (not empty, not "-") against what its code writes, in a
 * format whose user names may hold spaces: there, a value with a stray
 * space or the wrong shape is what a shifted reading looks like. Returns
 * NULL, or a reason worded as fmt_squid_logformat.c's.
 */
static const char *
value_shape(const struct squidfmt_field *f, struct slice v)
{
	if (f->quoted)
		/* Squid's "..." quoting writes a " inside as \" */
		return f->enc == '"' && has_bare_quote(v) ?
		    "bare quote in a quoted value" : NULL;
	switch (f->code) {
	case SQUIDFMT_TS:
		return shape_decimal(v) ? NULL : "bad timestamp";
	case SQUIDFMT_TSTART:
		return shape_decimal(v) ? NULL : "bad start time";
	case SQUIDFMT_TU:
		return shape_digits(v) ? NULL : "bad sub-second time";
	case SQUIDFMT_TR:
		return shape_decimal(v) ? NULL : "bad response time";
	case SQUIDFMT_TL:
	case SQUIDFMT_TG:
		return f->fixed || !has_space(v) || is_anchored(f) ? NULL :
		    "unexpected space in value";
	case SQUIDFMT_CLIENT_PORT:
		return shape_digits(v) ? NULL : "bad client port";
	case SQUIDFMT_SERVER_PORT:
		return shape_digits(v) ? NULL : "bad server port";
	case SQUIDFMT_LOCAL_PORT:
		return shape_digits(v) ? NULL : "bad local port";
	case SQUIDFMT_URL_PORT:
		return shape_digits(v) ? NULL : "bad URL port";
	case SQUIDFMT_STATUS:
		return shape_digits(v) ? NULL : "bad HTTP status";
	case SQUIDFMT_SERVER_STATUS:
		return shape_digits(v) ? NULL : "bad server HTTP status";
	case SQUIDFMT_BYTES_REPLY:
	case SQUIDFMT_BYTES_REQUEST:
	case SQUIDFMT_BYTES_TOTAL:
		return shape_digits(v) ? NULL : "bad byte count";
	case SQUIDFMT_RESULT:
		return shape_code_word(v) ? NULL : "bad result code";
	case SQUIDFMT_HIER:
		/* Squid prefixes TIMEOUT_ to the code, nothing else */
		return shape_code_word(v) ? NULL : "bad hierarchy code";
	case SQUIDFMT_METHOD:
		return shape_token(v) ? NULL : "bad method";
	case SQUIDFMT_USER:
		/*
		 * Squid writes an empty name as "-": a name read as "- x" or
		 * "x -" has taken in the "-" of the value beside it.
		 */
		if (f->flex && ((v.n > 2 && v.p[0] == '-' &&
		    v.p[1] == ' ') || (v.n > 2 && v.p[v.n - 1] == '-' &&
		    v.p[v.n - 2] == ' ')))
			return "bad user name";
		return NULL;
	case SQUIDFMT_URL:
	case SQUIDFMT_PATH:
	case SQUIDFMT_REQ_HEADER:
	case SQUIDFMT_REPLY_HEADER:
	case SQUIDFMT_ERR_DETAIL:
	case SQUIDFMT_OTHER:
		/* may hold spaces where literal text marks their end */
		return !has_space(v) || is_anchored(f) ? NULL :
		    "unexpected space in value";
	case SQUIDFMT_CLIENT_IP:
	case SQUIDFMT_CLIENT_FQDN:
	case SQUIDFMT_SERVER_IP:
	case SQUIDFMT_SERVER_NAME:
	case SQUIDFMT_LOCAL_IP:
	case SQUIDFMT_VERSION:
	case SQUIDFMT_DOMAIN:
	case SQUIDFMT_MIME:
	case SQUIDFMT_SNI:
	case SQUIDFMT_ERR_CODE:
		break;
	}
	return has_space(v) ? "unexpected space in value" : NULL;
}

/* User names read with spaces per line; later ones are read leftmost. */
#define FIT_FLEX_MAX 8
/* Readings of the fields after the last user name that are remembered. */
#define FIT_TAILS 64
/* Codes of a format whose first fit is kept aside, not read again. */
#define FIT_KEEP 24

/* The search for readings of one line. */
struct fit {
	const struct squidfmt *sf;
	struct slice line;
	struct slice *vals;
	struct squidfmt_miss *miss;
	int last_flex;		/* field index of the last name read so */
	size_t end[FIT_FLEX_MAX];	/* name ends on this path */
	size_t won[FIT_FLEX_MAX];	/* those of the first fit */
	int replay;		/* follow won[] only */
	int fits;
	int tries;		/* places a name could end, tried */
	/*
	 * Whether the fields after the last name fit depends only on where
	 * they start: each start is read once, so two names side by side
	 * cost one pass per place, not one per pair of places.
	 */
	size_t tail_at[FIT_TAILS];
	unsigned char tail_ok[FIT_TAILS];
	int tails;
	int too_many;
	int missed;		/* *miss holds the first failure */
	/*
	 * The values of the first fit, kept for formats of up to FIT_KEEP
	 * codes so that they need not be read again; vals is overwritten
	 * by the search for a second fit.
	 */
	struct slice kept[FIT_KEEP];
};

static void
fit_text_miss(struct fit *ft, int field, size_t at)
{
	if (ft->missed++)
		return;
	ft->miss->kind = SQUIDFMT_MISS_TEXT;
	ft->miss->field = field;
	ft->miss->at = at;
}

static void
fit_value_miss(struct fit *ft, int field, size_t at, const char *why,
    struct slice v)
{
	if (ft->missed++)
		return;
	ft->miss->kind = SQUIDFMT_MISS_VALUE;
	ft->miss->field = field;
	ft->miss->at = at;
	ft->miss->why = why;
	ft->miss->val = v;
}

/* The value of f from pos to end, padding trimmed, "-" made empty. */
static struct slice
value_at(struct slice line, const struct squidfmt_field *f, size_t pos,
    size_t end)
{
	struct slice v = slice_make(line.p + pos, end - pos);

	if (f->width > 0)
		v = slice_trim(v);
	if (v.n == 1 && v.p[0] == '-')
		v.n = 0;
	return v;
}

static void fit_from(struct fit *, int, size_t, int);

/*
 * fit_from for the fields after the last user name, remembering for each
 * start whether they fit. More starts than FIT_TAILS end the search.
 */
static void
fit_tail(struct fit *ft, int i, size_t pos, int k)
{
	int j, before;

	for (j = 0; j < ft->tails; j++)
		if (ft->tail_at[j] == pos) {
			if (ft->tail_ok[j] && ft->fits++ == 0)
				memcpy(ft->won, ft->end, sizeof ft->end);
			return;
		}
	if (ft->tails == FIT_TAILS) {
		ft->too_many = 1;
		return;
	}
	before = ft->fits;
	fit_from(ft, i, pos, k);
	ft->tail_at[ft->tails] = pos;
	ft->tail_ok[ft->tails++] = ft->fits > before;
}

/*
 * Reads fields i on from pos, k user names with spaces read so far. The
 * first failure seen is on the leftmost reading (it is tried first), so
 * *miss says what the plain left-to-right match would have said. Stops
 * at a second fit or when the tries run out.
 */
static void
fit_from(struct fit *ft, int i, size_t pos, int k)
{
	const struct squidfmt *sf = ft->sf;
	struct slice line = ft->line, v;
	const char *why;
	size_t next, from;
	long e;

	for (; i < sf->n; i++) {
		const struct squidfmt_field *f = &sf->f[i];
		int last = i == sf->n - 1;

		if (f->width > 0 && !f->left)
			while (pos < line.n && line.p[pos] == ' ')
				pos++;
		if (sf->nflex && f->flex && k < FIT_FLEX_MAX)
			break;
		/* byte_end is value_end's answer there, without the call */
		if (f->after.n == 1 && !f->fixed && !f->quoted && !last)
			e = byte_end(line, pos, f->after.p[0], &next);
		else
			e = value_end(line, pos, pos, f, last, &next);
		if (e < 0) {
			fit_text_miss(ft, i, pos);
			return;
		}
		v = value_at(line, f, pos, (size_t)e);
		if (sf->nflex && v.n && (why = value_shape(f, v)) != NULL) {
			fit_value_miss(ft, i, pos, why, v);
			return;
		}
		ft->vals[i] = v;
		pos = next;
	}
	if (i == sf->n) {
		if (pos != line.n)
			fit_text_miss(ft, sf->n - 1, pos);
		else if (ft->fits++ == 0) {
			/* the first fit is never a remembered tail: all set */
			memcpy(ft->won, ft->end, sizeof ft->end);
			if (sf->n <= FIT_KEEP && !ft->replay)
				memcpy(ft->kept, ft->vals, (size_t)sf->n *
				    sizeof *ft->vals);
		}
		return;
	}
	/* a user name: each place it could end, leftmost first */
	for (from = pos; (e = value_end(line, pos, from, &sf->f[i],
	    i == sf->n - 1, &next)) >= 0; ) {
		from = (size_t)e + 1;
		/*
		 * An end inside a run of spaces is the same reading again:
		 * go past the run, or 10,000 spaces cost 10,000 scans of it.
		 */
		if (sf->f[i].after.n && sf->f[i].after.p[0] == ' ')
			while (from < line.n && line.p[from] == ' ')
				from++;
		if (ft->replay && (size_t)e != ft->won[k])
			continue;
		if (ft->tries++ == SQUIDFMT_FIT_TRIES) {
			ft->too_many = 1;
			return;
		}
		v = value_at(line, &sf->f[i], pos, (size_t)e);
		if (v.n && (why = value_shape(&sf->f[i], v)) != NULL) {
			fit_value_miss(ft, i, pos, why, v);
			continue;
		}
		ft->vals[i] = v;
		ft->end[k] = (size_t)e;
		if (i == ft->last_flex && !ft->replay)
			fit_tail(ft, i + 1, next, k + 1);
		else
			fit_from(ft, i + 1, next, k + 1);
		if (ft->fits > 1 || ft->too_many || ft->replay)
			return;
	}
	if (from == pos)
		fit_text_miss(ft, i, pos);
}

/* Offset in line of the first user name with spaces (or 0). */
static size_t
first_flex_at(const struct squidfmt *sf, const struct slice *vals,
    struct slice line, int *field)
{
	int i;

	for (i = 0; i < sf->n; i++)
		if (sf->f[i].flex) {
			*field = i;
			/* an empty value may point anywhere: use its start */
			return vals[i].p >= line.p && vals[i].p <= line.p +
			    line.n ? (size_t)(vals[i].p - line.p) : 0;
		}
	*field = -1;
	return 0;
}

int
squidfmt_match(const struct squidfmt *sf, struct slice line,
    struct slice *vals, struct squidfmt_miss *miss)
{
	struct fit ft;
	long e;
	int i, k;

	while (line.n && (line.p[line.n - 1] == ' ' ||
	    line.p[line.n - 1] == '\t'))
		line.n--;
	memset(miss, 0, sizeof *miss);
	if ((e = lit_match(line, 0, sf->lead)) < 0) {
		miss->field = -1;
		miss->at = 0;
		return -1;
	}
	/* not memset: the arrays are written before they are read */
	ft.replay = ft.fits = ft.tries = ft.tails = ft.too_many = 0;
	ft.missed = 0;
	ft.sf = sf;
	ft.line = line;
	ft.vals = vals;
	ft.miss = miss;
	ft.last_flex = -1;
	for (i = 0, k = 0; i < sf->n; i++) {
		vals[i] = slice_make(line.p, 0);
		if (sf->f[i].flex && k++ < FIT_FLEX_MAX)
			ft.last_flex = i;
	}
	fit_from(&ft, 0, (size_t)e, 0);
	if (ft.fits == 1 && !ft.too_many) {
		if (sf->nflex == 0)
			return 0;
		if (sf->n <= FIT_KEEP) {
			memcpy(vals, ft.kept, (size_t)sf->n * sizeof *vals);
			return 0;
		}
		/* the search went on past the fit: read it again */
		ft.replay = 1;
		ft.fits = ft.tries = 0;
		fit_from(&ft, 0, (size_t)e, 0);
		return ft.fits == 1 ? 0 : -1;
	}
	if (ft.fits == 0 && !ft.too_many)
		return -1;
	miss->kind = ft.fits > 1 ? SQUIDFMT_MISS_AMBIGUOUS :
	    SQUIDFMT_MISS_TOO_MANY;
	miss->at = first_flex_at(sf, vals, line, &miss->field);
	return -1;
}
