/*
 * pftrail.c: Postfix's trailer read without trusting the client's text
 * (see pftrail.h). The trailer at the first place one may start is read
 * at first sight, its addresses whole (mailq_addr_end); then every '>'
 * where an address may end instead is tried against the shape Postfix
 * gives the rest (count_readings), and every later place a trailer may
 * start (reads_any_way). It is certain only when no other reading fits.
 * All of it is one pass over the line, however many '>' it holds.
 */
#include <string.h>
#include "ipaddr.h"
#include "mailq.h"
#include "num.h"
#include "pftrail.h"

enum { KEY_FROM, KEY_TO, KEY_PROTO, KEY_HELO, NKEYS };
#define KEY_BIT(k) (1u << (k))

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

/* Whether a HELO may end at the '>' s.p[j]: the end or ": TEXT" follows. */
static int
helo_may_end(struct slice s, size_t j, int text_ok)
{
	return s.p[j] == '>' && (j + 1 == s.n || (text_ok &&
	    slice_has_prefix(slice_from(s, j + 1), ": ")));
}

/*
 * How a line's trailer is read. text_ok: a header line's, which ": TEXT"
 * may end. raw: the line refuses the HELO as it was sent
 * (smtpd_delay_reject = no), never rewritten. no_to: a CONNECT or MAIL
 * line, before smtpd knows a recipient, so any to= in it is the
 * sender's text. helo_last, addr_last: the last place in the line a
 * HELO, or the trailer's last address, may end (NULL for none), found
 * once so that trying every '>' stays one pass.
 */
struct trail_rule {
	int text_ok, raw, no_to;
	const char *helo_last, *addr_last;
};

/*
 * The HELO from s.p[i] on. Postfix's smtpd (and its XCLIENT and XFORWARD)
 * writes '?' for each ' ', '<', '>', '(', ')', '\', '"', ';' and '@' of a
 * HELO, so one holding none of them before a '>' ends at that '>',
 * whatever the site's text after it holds. One holding another was not
 * written that way (an older Postfix) and may end at any '>' that the
 * end, or with text ": ", follows: the first is taken, and *unsure set
 * when a later one might end it too (NULL: only whether one fits is
 * asked). Returns the offset of its '>', or -1 when none fits.
 */
static long
helo_end(struct slice s, size_t i, const struct trail_rule *r, int *unsure)
{
	size_t j = i;

	if (!r->raw)
		while (j < s.n && memchr(" <>()\\\";@", s.p[j], 9) == NULL)
			j++;
	if (!r->raw && j < s.n && s.p[j] == '>') {
		if (unsure)
			*unsure = 0;
		return helo_may_end(s, j, r->text_ok) ? (long)j : -1;
	}
	if (r->helo_last == NULL || r->helo_last < s.p + i)
		return -1;
	if (unsure == NULL)
		return r->helo_last - s.p;
	for (j = i; !helo_may_end(s, j, r->text_ok); j++)
		;
	*unsure = r->helo_last != s.p + j;
	return (long)j;
}

/*
 * Reads s, the text after ';': [ from=<S>][ to=<R>][ proto=P][ helo=<H>]
 * (postscreen puts commas between them), then, when text_ok, ": TEXT".
 * Each address ends at its first '>' outside a quoted local part: the
 * line as it reads at first sight. Returns 0 when it reads all of s, with
 * the keys it holds as bits in *keys.
 */
static int
parse_trail(struct slice s, const struct trail_rule *r, struct pftrail *t,
    unsigned *keys)
{
	size_t i = 0, sep, j;
	int k = 0, w, unsure = 0;
	long e;

	memset(t, 0, sizeof *t);
	*keys = 0;
	while (i < s.n) {
		if ((sep = next_key(s, i, k)) == 0) {
			if (!r->text_ok || !slice_has_prefix(slice_from(s, i),
			    ": "))
				return -1;
			t->text = slice_from(s, i + 2);
			t->has_text = 1;
			return 0;
		}
		i += sep;
		w = key_at(s, i, k);
		*keys |= KEY_BIT(w);
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
			e = w == KEY_HELO ? helo_end(s, i, r, &unsure) :
			    mailq_addr_end(s, i - 1);
			if (e < 0 || !field_ends(s, (size_t)e + 1, w + 1,
			    r->text_ok))
				return -1;
			j = (size_t)e;
			t->helo_unsure = w == KEY_HELO && unsure;
			*(w == KEY_FROM ? &t->from : w == KEY_TO ? &t->to :
			    &t->helo) = slice_make(s.p + i, j - i);
			i = j + 1;
		}
		k = w + 1;
	}
	return 0;
}

/* The separator's length when key k, and only k, follows at s.p[i]. */
static size_t
sep_key(struct slice s, size_t i, int k)
{
	size_t sep = next_key(s, i, k);

	return sep && key_at(s, i + sep, k) == k ? sep : 0;
}

/*
 * Whether s.p[i..] is exactly the trailer's proto= and helo= that keys
 * names (none, either or both), then the end or ": TEXT". first: s.p[i]
 * starts a key, no separator before it. Its work ends at the first ' '
 * or '>' after the HELO opens, so one call from each '>' of a line costs
 * no more than a pass over it.
 */
static int
rest_fits(struct slice s, size_t i, unsigned keys, int first,
    const struct trail_rule *r)
{
	size_t sep;

	if (keys & KEY_BIT(KEY_PROTO)) {
		sep = first ? 0 : sep_key(s, i, KEY_PROTO);
		if (key_at(s, i + sep, KEY_PROTO) != KEY_PROTO ||
		    (!first && sep == 0))
			return 0;
		for (i += sep + 6; i < s.n && s.p[i] != ' ' && s.p[i] != ',' &&
		    s.p[i] != ':'; i++)
			;
		first = 0;
	}
	if (keys & KEY_BIT(KEY_HELO)) {
		sep = first ? 0 : sep_key(s, i, KEY_HELO);
		if (key_at(s, i + sep, KEY_HELO) != KEY_HELO ||
		    (!first && sep == 0))
			return 0;
		return helo_end(s, i + sep + 6, r, NULL) >= 0;
	}
	return i == s.n || (r->text_ok && slice_has_prefix(slice_from(s, i),
	    ": "));
}

#define TAIL_KEYS(keys) ((keys) & (KEY_BIT(KEY_PROTO) | KEY_BIT(KEY_HELO)))

/* Whether some proto= and helo= in Postfix's shape end s from s.p[i]. */
static int
any_rest_fits(struct slice s, size_t i, const struct trail_rule *r)
{
	unsigned tail;

	for (tail = 0; tail < 4; tail++)
		if (rest_fits(s, i, tail << KEY_PROTO, 0, r))
			return 1;
	return 0;
}

/*
 * How the addresses of s, a trailer from its first key on holding the
 * keys in keys, may end. Postfix before 3.5, and later ones with
 * info_log_address_format = internal, log a quoted local part without
 * its quotes, so a sender may spell "> to=<R> proto=P helo=<H" and a
 * recipient "> proto=P helo=<H". Every '>' is tried, in one pass: a
 * sender may end at one that " to=<" follows, the last address at one
 * that the trailer's proto= and helo= follow to the end. Returns how many
 * readings with these keys there are (2 for two or more), the first's
 * ends in *from_end and *to_end (NULL when it has no such address).
 */
static int
count_readings(struct slice s, unsigned keys, const struct trail_rule *r,
    const char **from_end, const char **to_end)
{
	int has_from = (keys & KEY_BIT(KEY_FROM)) != 0;
	int has_to = (keys & KEY_BIT(KEY_TO)) != 0;
	size_t i, nf = 0, f1 = 0;
	const char *p;
	int n = 0;

	*from_end = *to_end = NULL;
	if (!has_from && !has_to)
		return rest_fits(s, 0, TAIL_KEYS(keys), 1, r);
	i = has_from ? 6 : 4;
	while (n < 2 && i < s.n && (p = memchr(s.p + i, '>', s.n - i))) {
		i = (size_t)(p - s.p);
		if (has_from && has_to && sep_key(s, i + 1, KEY_TO)) {
			if (nf++ == 0)
				f1 = i;
		} else if ((!has_from || !has_to || nf > 0) &&
		    rest_fits(s, i + 1, TAIL_KEYS(keys), 0, r)) {
			/* One reading for each place the sender may end. */
			if (n == 0) {
				*from_end = !has_from ? NULL : has_to ?
				    s.p + f1 : p;
				*to_end = has_to ? p : NULL;
			}
			n += has_from && has_to && nf > 1 ? 2 : 1;
		}
		i++;
	}
	return n < 2 ? n : 2;
}

/*
 * Fills r->helo_last and r->addr_last for the line s: the last '>' a
 * HELO may end at, and the last after which some proto= and helo= in
 * Postfix's shape run to the end (the furthest a trailer's last address
 * may end, wherever the trailer starts). One pass.
 */
static void
rule_ends(struct slice s, struct trail_rule *r)
{
	const char *p;
	size_t i;

	r->helo_last = r->addr_last = NULL;
	for (i = 0; i < s.n && (p = memchr(s.p + i, '>', s.n - i)); i++) {
		i = (size_t)(p - s.p);
		if (helo_may_end(s, i, r->text_ok))
			r->helo_last = p;
		if (any_rest_fits(s, i + 1, r))
			r->addr_last = p;
	}
}

/*
 * Whether s, from a trailer's first key on, reads to the end with any of
 * the keys it spells: an address may swallow the later ones, so one that
 * opens with an address reads when it can end at or before last.
 */
static int
reads_any_way(struct slice s, const struct trail_rule *r)
{
	const char *last = r->addr_last;
	int k = key_at(s, 0, 0);
	size_t open = k == KEY_FROM ? 6 : 4;

	if (k == KEY_FROM || k == KEY_TO)
		return last != NULL && last >= s.p + open;
	return rest_fits(s, 0, KEY_BIT(KEY_PROTO), 1, r) ||
	    rest_fits(s, 0, KEY_BIT(KEY_PROTO) | KEY_BIT(KEY_HELO), 1, r) ||
	    rest_fits(s, 0, KEY_BIT(KEY_HELO), 1, r);
}

enum { TRAIL_NONE, TRAIL_ONE, TRAIL_AMBIGUOUS };

/*
 * Reads the trailer at s (from the separator before its first key):
 * TRAIL_ONE when it reads at first sight and no other place its
 * addresses may end gives a reading with the same keys (t filled),
 * TRAIL_AMBIGUOUS when one does, or only another reading fits, and
 * TRAIL_NONE when none reads at all.
 */
static int
read_trail(struct slice s, const struct trail_rule *r, struct pftrail *t)
{
	struct slice k = slice_from(s, next_key(s, 0, 0));
	const char *fe, *te;
	unsigned keys;

	if (parse_trail(s, r, t, &keys) != 0)
		return reads_any_way(k, r) ? TRAIL_AMBIGUOUS :
		    TRAIL_NONE;
	if (r->no_to && (keys & KEY_BIT(KEY_TO)))
		return TRAIL_AMBIGUOUS;
	if (count_readings(k, keys, r, &fe, &te) != 1 ||
	    (fe && fe != t->from.p + t->from.n) ||
	    (te && te != t->to.p + t->to.n))
		return TRAIL_AMBIGUOUS;
	return TRAIL_ONE;
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

/*
 * Finds the trailer of s among the places next finds: TRAIL_ONE when the
 * first of them reads one way and no other reads at all (t filled, *at
 * and *body its place), TRAIL_AMBIGUOUS when the first reads two ways or
 * another reads (*at and *body the first place; t empty), TRAIL_NONE
 * when none reads or there is no such place (*at -1 then).
 */
static int
find_trail(struct slice s, start_fn next, struct trail_rule *r,
    struct pftrail *t, long *at, size_t *body)
{
	struct slice b;
	size_t bk;
	long k;
	int res;

	memset(t, 0, sizeof *t);
	if ((*at = next(s, 0, body)) < 0)
		return TRAIL_NONE;
	rule_ends(s, r);
	b = slice_from(s, *body);
	if ((res = read_trail(b, r, t)) == TRAIL_NONE)
		memset(t, 0, sizeof *t);
	for (k = next(s, (size_t)*at + 1, &bk); k >= 0 &&
	    res != TRAIL_AMBIGUOUS; k = next(s, (size_t)k + 1, &bk)) {
		b = slice_from(s, bk);
		if (reads_any_way(slice_from(b, next_key(b, 0, 0)), r))
			res = TRAIL_AMBIGUOUS;
	}
	if (res == TRAIL_AMBIGUOUS)
		memset(t, 0, sizeof *t);
	return res;
}

int
pftrail_check(struct slice s, struct pftrail_check *c)
{
	struct trail_rule rule = { 0, 0, 0, NULL, NULL };
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
	/* A HELO refused as it was sent was never rewritten. */
	rule.raw = slice_eq(c->stage, "HELO") || slice_eq(c->stage, "EHLO");
	rule.no_to = slice_eq(c->stage, "CONNECT") ||
	    slice_eq(c->stage, "MAIL");
	r = find_trail(rest, check_start, &rule, &c->t, &at, &body);
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
	struct trail_rule rule = { 1, 0, 0, NULL, NULL };
	size_t body, j;
	long at;
	int r;

	memset(h, 0, sizeof *h);
	r = find_trail(s, header_start, &rule, &h->t, &at, &body);
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
