/*
 * pftrail.c: Postfix's trailer read without trusting the client's text
 * (see pftrail.h). Every place a trailer may start is tried, left to
 * right, until two of them read: one reading that starts at the first
 * such place is the trailer; any other outcome is ambiguous. Addresses
 * in it are read whole (mailq_addr_end), so a quoted local part holding
 * "> to=<" is one address, not two fields.
 */
#include <string.h>
#include "ipaddr.h"
#include "mailq.h"
#include "num.h"
#include "pftrail.h"

enum { KEY_FROM, KEY_TO, KEY_PROTO, KEY_HELO, NKEYS };

static const char *const trail_keys[NKEYS] = { "from=<", "to=<", "proto=",
	"helo=<" };

/* Where a reading is found: a check line's "; KEY" or a header line's. */
typedef long (*start_fn)(struct slice s, size_t from, size_t *body);

int
pftrail_client(struct slice s, struct slice *name, struct slice *addr,
    struct slice *port, size_t *end)
{
	long open = slice_find(s, '['), close;
	struct ipaddr ip;
	uint64_t v;
	size_t i, j;

	if (open < 0 || (close = slice_find(slice_from(s, (size_t)open),
	    ']')) < 0)
		return -1;
	close += open;
	*name = slice_make(s.p, (size_t)open);
	*addr = slice_make(s.p + open + 1, (size_t)(close - open - 1));
	if (slice_find(*name, ' ') >= 0 || ip_parse(*addr, &ip) != 0)
		return -1;
	i = (size_t)close + 1;
	*port = SLICE_NONE;
	if (i + 1 < s.n && s.p[i] == ':' && s.p[i + 1] >= '0' &&
	    s.p[i + 1] <= '9') {
		for (j = i + 1; j < s.n && s.p[j] >= '0' && s.p[j] <= '9'; j++)
			;
		*port = slice_make(s.p + i + 1, j - i - 1);
		if (num_parse_u64(*port, 65535, &v) != 0)
			return -1;
		i = j;
	}
	*end = i;
	return 0;
}

/* The trail key s.p[i..] starts with, min or a later one; -1 for none. */
static int
key_at(struct slice s, size_t i, int min)
{
	int k;

	for (k = min; k < NKEYS; k++)
		if (slice_has_prefix(slice_from(s, i), trail_keys[k]))
			return k;
	return -1;
}

/*
 * At s.p[i]: " " or ", " (postscreen's) and then trail key min or a later
 * one. Returns the separator's length, or 0.
 */
static size_t
next_key(struct slice s, size_t i, int min)
{
	size_t sep = i < s.n && s.p[i] == ',';

	if (i + sep >= s.n || s.p[i + sep] != ' ')
		return 0;
	return key_at(s, i + sep + 1, min) >= 0 ? sep + 1 : 0;
}

/* Whether s.p[j..] ends a field: the end, a later key, or ": TEXT". */
static int
field_ends(struct slice s, size_t j, int next, int text_ok)
{
	return j == s.n || next_key(s, j, next) ||
	    (text_ok && slice_has_prefix(slice_from(s, j), ": "));
}

/*
 * The HELO from s.p[i] on: the client's and no address. Without text it
 * runs to the '>' that ends the line; else to the first '>' before ": "
 * or the end. Returns the offset of that '>', or -1.
 */
static long
helo_end(struct slice s, size_t i, int text_ok)
{
	size_t j;

	if (!text_ok)
		return s.n > i && s.p[s.n - 1] == '>' ? (long)s.n - 1 : -1;
	for (j = i; j < s.n; j++)
		if (s.p[j] == '>' && field_ends(s, j + 1, NKEYS, 1))
			return (long)j;
	return -1;
}

/*
 * Reads s, the text after ';': [ from=<S>][ to=<R>][ proto=P][ helo=<H>]
 * (postscreen puts commas between them), then, when text_ok, ": TEXT".
 * Returns 0 when it reads all of s.
 */
static int
parse_trail(struct slice s, int text_ok, struct pftrail *t)
{
	size_t i = 0, sep, j;
	int k = 0, w;
	long e;

	memset(t, 0, sizeof *t);
	while (i < s.n) {
		if ((sep = next_key(s, i, k)) == 0) {
			if (!text_ok || !slice_has_prefix(slice_from(s, i),
			    ": "))
				return -1;
			t->text = slice_from(s, i + 2);
			t->has_text = 1;
			return 0;
		}
		i += sep;
		w = key_at(s, i, k);
		i += strlen(trail_keys[w]);
		if (w == KEY_PROTO) {
			for (j = i; j < s.n && s.p[j] != ' ' && s.p[j] != ',' &&
			    s.p[j] != ':'; j++)
				;
			t->proto = slice_make(s.p + i, j - i);
			i = j;
		} else {
			/* The sender's and recipient's addresses, read
			 * whole: a quoted local part may hold "> to=<". */
			e = w == KEY_HELO ? helo_end(s, i, text_ok) :
			    mailq_addr_end(s, i - 1);
			if (e < 0 || !field_ends(s, (size_t)e + 1, w + 1,
			    text_ok))
				return -1;
			j = (size_t)e;
			/* A HELO with ">: " in it might end at either. */
			if (w == KEY_HELO && text_ok &&
			    helo_end(s, j + 1, 1) >= 0)
				t->helo_unsure = 1;
			*(w == KEY_FROM ? &t->from : w == KEY_TO ? &t->to :
			    &t->helo) = slice_make(s.p + i, j - i);
			i = j + 1;
		}
		k = w + 1;
	}
	return 0;
}

/* The next ';' at or after i that " KEY" follows, or -1; *body past it. */
static long
check_start(struct slice s, size_t i, size_t *body)
{
	const char *p;

	while (i < s.n && (p = memchr(s.p + i, ';', s.n - i)) != NULL) {
		i = (size_t)(p - s.p);
		if (i + 1 < s.n && s.p[i + 1] == ' ' && key_at(s, i + 2,
		    0) >= 0) {
			*body = i + 1;
			return (long)i;
		}
		i++;
	}
	return -1;
}

/*
 * The next " from ORIGIN; KEY" at or after i (ORIGIN one word), or -1;
 * *body is the offset past its ';'.
 */
static long
header_start(struct slice s, size_t i, size_t *body)
{
	const char *p;
	size_t j;

	while (i < s.n && (p = memchr(s.p + i, ' ', s.n - i)) != NULL) {
		i = (size_t)(p - s.p);
		if (slice_has_prefix(slice_from(s, i), " from ")) {
			for (j = i + 6; j < s.n && s.p[j] != ' ' &&
			    s.p[j] != ';'; j++)
				;
			if (j > i + 6 && j + 1 < s.n && s.p[j] == ';' &&
			    s.p[j + 1] == ' ' && key_at(s, j + 2, 0) >= 0) {
				*body = j + 1;
				return (long)i;
			}
		}
		i++;
	}
	return -1;
}

enum { TRAIL_NONE, TRAIL_ONE, TRAIL_AMBIGUOUS };

/*
 * Finds the trailer of s among the places next finds: TRAIL_ONE when the
 * first of them reads to the end and no other does (t filled, *at and
 * *body its place), TRAIL_AMBIGUOUS when another reads (*at and *body the
 * first place; t empty), TRAIL_NONE when none reads or there is no such
 * place (*at -1 then).
 */
static int
find_trail(struct slice s, start_fn next, int text_ok, struct pftrail *t,
    long *at, size_t *body)
{
	struct pftrail r;
	size_t b;
	long k;
	int read = 0;

	memset(t, 0, sizeof *t);
	if ((*at = next(s, 0, body)) < 0)
		return TRAIL_NONE;
	for (k = *at, b = *body; k >= 0; k = next(s, (size_t)k + 1, &b)) {
		if (parse_trail(slice_from(s, b), text_ok, &r) != 0)
			continue;
		/* A second reading, or one where the first place is not. */
		if (read || k != *at) {
			memset(t, 0, sizeof *t);
			return TRAIL_AMBIGUOUS;
		}
		*t = r;
		read = 1;
	}
	return read ? TRAIL_ONE : TRAIL_NONE;
}

int
pftrail_check(struct slice s, struct pftrail_check *c)
{
	struct slice rest;
	size_t end, i, body;
	long at;
	int r;

	memset(c, 0, sizeof *c);
	c->stage = slice_next_token(&s);
	if (c->stage.n == 0 || !slice_has_prefix(s, "from "))
		return -1;
	for (i = 0; i < c->stage.n; i++)
		if (!((c->stage.p[i] >= 'A' && c->stage.p[i] <= 'Z') ||
		    c->stage.p[i] == '-'))
			return -1;
	s = slice_from(s, 5);
	if (pftrail_client(s, &c->name, &c->addr, &c->port, &end) != 0 ||
	    !slice_has_prefix(slice_from(s, end), ": "))
		return -1;
	rest = slice_from(s, end + 2);
	c->reply = rest;
	r = find_trail(rest, check_start, 0, &c->t, &at, &body);
	if (r != TRAIL_NONE)
		c->reply.n = (size_t)at;
	else if (rest.n && rest.p[rest.n - 1] == ';')
		c->reply.n--;	/* an empty trailer */
	if (r == TRAIL_AMBIGUOUS) {
		c->ambiguous = 1;
		c->unparsed = slice_trim(slice_from(rest, body));
	}
	return 0;
}

int
pftrail_header(struct slice s, struct pftrail_header *h)
{
	size_t body, j;
	long at;
	int r;

	memset(h, 0, sizeof *h);
	r = find_trail(s, header_start, 1, &h->t, &at, &body);
	if (at < 0)
		return -1;
	if (r == TRAIL_AMBIGUOUS) {
		h->ambiguous = 1;
		h->unparsed = s;
		return 0;
	}
	if (r == TRAIL_NONE)
		return -1;
	h->value = slice_make(s.p, (size_t)at);
	j = (size_t)at + 6;
	h->origin = slice_make(s.p + j, body - 1 - j);
	if (h->t.helo_unsure) {
		h->unparsed = slice_make(h->t.helo.p, (size_t)(s.p + s.n -
		    h->t.helo.p));
		h->t.helo = h->t.text = SLICE_NONE;
		h->t.has_text = 0;
	}
	return 0;
}
