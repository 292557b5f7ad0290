/*
 * squidfmt_csm.c: the format csm recommends to sites (SQUIDFMT_CSM) read
 * at a glance. squidfmt_match reads it through its general search, as
 * its %[un may hold spaces, which took most of csm-parse's time on these
 * logs. But a line whose user name holds no space, whose User-Agent holds
 * no '"', and whose other values have their codes' shapes reads exactly
 * one way: its first nine words, its last three, and the User-Agent
 * between them. One pass over the line finds the first words (and whether
 * any byte needs escaping), a walk back from its end the last; any other
 * line goes to squidfmt_match, whose reading this must always equal
 * (fuzz_squidcsm.c compares the two).
 */
#include <stdint.h>
#include "linescan.h"
#include "squidfmt.h"
#include "squidfmt_shape.h"

/*
 * The edges read from the front: the words %ts.%03tu to %ru (eight, their
 * starts and ends) and the start of the next, the User-Agent's.
 */
#define HEAD_EDGES 17

/*
 * The starts and ends of the first words of line, space-separated, as
 * offsets (edge[2i], edge[2i + 1]), up to HEAD_EDGES of them; returns how
 * many. *plain says whether the whole line holds only bytes esc_tsv
 * copies as they are. The words after the first nine are not looked for:
 * a User-Agent has many.
 */
static int
split_head(struct slice line, size_t *edge, int *plain)
{
	const char *p = line.p;
	size_t n = line.n, o;
	uint64_t carry = 0;	/* 1: the byte before the group is in a word */
	struct linescan sc;
	int m = 0;

	linescan_init(&sc);
	for (o = 0; o < n; o += 64) {
		uint64_t in = linescan_group(&sc, p, n, o), edges;

		/* a word starts or ends where in-a-word changes */
		edges = in ^ (in << 1 | carry);
		carry = in >> 63;
		for (; edges; edges &= edges - 1) {
			edge[m++] = o + (size_t)__builtin_ctzll(edges);
			if (m == HEAD_EDGES)
				goto rest;
		}
	}
	*plain = !linescan_bad(&sc);
	return m;		/* fewer than HEAD_EDGES */
rest:
	/* The rest, for *plain only. */
	o += 64;
	*plain = !linescan_bad(&sc) && (o >= n || linescan_plain(p + o, n - o));
	return m;
}

/*
 * The last three words of line (which ends in one), from the end: word j
 * (0 the last) runs from start[j] to end[j]; *before gets the end of the
 * word before them. -1 when there are fewer than four words.
 */
static int
split_tail(struct slice line, const char **start, const char **end,
    const char **before)
{
	const char *p = line.p + line.n;
	int j;

	for (j = 0; j < 3; j++) {
		end[j] = p;
		while (p > line.p && p[-1] != ' ')
			p--;
		start[j] = p;
		while (p > line.p && p[-1] == ' ')
			p--;
		if (p == line.p)
			return -1;
	}
	*before = p;
	return 0;
}

static struct slice
word(struct slice line, const size_t *edge, int i)
{
	return slice_make(line.p + edge[2 * i], edge[2 * i + 1] - edge[2 * i]);
}

static struct slice
span(const char *from, const char *to)
{
	return slice_make(from, (size_t)(to - from));
}

/*
 * squidfmt_match's value of a code: its padding trimmed when it has a
 * width, and "-" (Squid's nothing) made empty.
 */
static struct slice
value(struct slice v, int padded)
{
	if (padded)
		v = slice_trim(v);
	if (v.n == 1 && v.p[0] == '-')
		v.n = 0;
	return v;
}

/* Whether v is empty (not checked, as by squidfmt_match) or passes ok. */
#define EMPTY_OR(v, ok) ((v).n == 0 || (ok))

int
squidfmt_match_csm(struct slice line, struct slice *v, int *plain)
{
	size_t edge[HEAD_EDGES];
	const char *ws[3], *we[3], *dot, *slash, *open, *close;
	struct slice w0, w3;

	while (line.n && (line.p[line.n - 1] == ' ' ||
	    line.p[line.n - 1] == '\t'))
		line.n--;
	if (split_head(line, edge, plain) < HEAD_EDGES || edge[0] != 0 ||
	    split_tail(line, ws, we, &close) != 0)
		return -1;
	/* %ts.%03tu: the seconds run to the first '.' */
	w0 = word(line, edge, 0);
	if ((dot = memchr(w0.p, '.', w0.n)) == NULL || dot == w0.p + w0.n - 1)
		return -1;
	v[0] = value(span(w0.p, dot), 0);
	v[1] = value(span(dot + 1, w0.p + w0.n), 1);
	v[2] = value(word(line, edge, 1), 1);		/* %6tr */
	v[3] = value(word(line, edge, 2), 0);		/* %>a */
	/* %Ss/%03>Hs */
	w3 = word(line, edge, 3);
	if ((slash = memchr(w3.p, '/', w3.n)) == NULL ||
	    slash == w3.p + w3.n - 1)
		return -1;
	v[4] = value(span(w3.p, slash), 0);
	v[5] = value(span(slash + 1, w3.p + w3.n), 1);
	v[6] = value(word(line, edge, 4), 0);		/* %>st */
	v[7] = value(word(line, edge, 5), 0);		/* %<st */
	v[8] = value(word(line, edge, 6), 0);		/* %rm */
	v[9] = value(word(line, edge, 7), 0);		/* %ru */
	/*
	 * "%{User-Agent}>h": from the '"' that starts word 8 to the one that
	 * ends the word before the last three (so that is word 8 or later),
	 * with none between (the first one followed by a space ends the
	 * value) and no backslash before the last (which could escape it).
	 */
	open = line.p + edge[16];
	close--;
	if (close <= open || *open != '"' || *close != '"' ||
	    memchr(open + 1, '"', (size_t)(close - open - 1)) != NULL ||
	    (close > open + 1 && close[-1] == '\\'))
		return -1;
	v[10] = value(span(open + 1, close), 0);
	v[11] = value(span(ws[2], we[2]), 0);		/* %[un */
	/* %Sh/%<a: the hierarchy code runs to the first '/' */
	if ((slash = memchr(ws[1], '/', (size_t)(we[1] - ws[1]))) == NULL)
		return -1;
	v[12] = value(span(ws[1], slash), 0);
	v[13] = value(span(slash + 1, we[1]), 0);
	v[14] = value(span(ws[0], we[0]), 0);		/* %mt */
	if (!EMPTY_OR(v[0], shape_decimal(v[0])) ||
	    !EMPTY_OR(v[1], shape_digits(v[1])) ||
	    !EMPTY_OR(v[2], shape_decimal(v[2])) ||
	    !EMPTY_OR(v[4], shape_code_word(v[4])) ||
	    !EMPTY_OR(v[5], shape_digits(v[5])) ||
	    !EMPTY_OR(v[6], shape_digits(v[6])) ||
	    !EMPTY_OR(v[7], shape_digits(v[7])) ||
	    !EMPTY_OR(v[8], shape_token(v[8])) ||
	    !EMPTY_OR(v[12], shape_code_word(v[12])))
		return -1;
	return 0;
}

static int
same_text(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Whether two compiled fields read and map their values alike. */
static int
same_field(const struct squidfmt_field *a, const struct squidfmt_field *b)
{
	return a->code == b->code && same_text(a->name, b->name) &&
	    same_text(a->key, b->key) && a->enc == b->enc &&
	    a->left == b->left && a->zero == b->zero &&
	    a->width == b->width && a->precision == b->precision &&
	    a->quoted == b->quoted && a->fixed == b->fixed &&
	    a->flex == b->flex && slice_eq_slice(a->after, b->after);
}

int
squidfmt_is_csm(const struct squidfmt *sf)
{
	struct squidfmt csm;
	char err[100];
	int i, same;

	if (squidfmt_compile(&csm, SQUIDFMT_CSM, err, sizeof err) != 0) {
		squidfmt_release(&csm);
		return 0;
	}
	same = sf->n == csm.n && csm.n == SQUIDFMT_CSM_FIELDS &&
	    slice_eq_slice(sf->lead, csm.lead);
	for (i = 0; same && i < csm.n; i++)
		same = same_field(&sf->f[i], &csm.f[i]);
	squidfmt_release(&csm);
	return same;
}
