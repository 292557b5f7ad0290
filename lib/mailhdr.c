/*
 * mailhdr.c: reading the header texts of a mail message that GMime leaves
 * as text (see mailhdr.h): the Received chain walked word by word with
 * comment nesting tracked, Authentication-Results verdicts, Return-Path,
 * mbox "From " lines, and the escaped ','-joined lists of csm-events(5).
 * Senders write these headers as they like, and attackers forge the lower
 * hops: nothing here trusts a length, a bracket or a parenthesis to be
 * closed.
 */
#include <stdlib.h>
#include <string.h>
#include "esc.h"
#include "mailhdr.h"
#include "num.h"
#include "timeconv.h"

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether s begins with lit, ignoring case. */
static int
has_prefix_nocase(struct slice s, const char *lit)
{
	size_t i, n = strlen(lit);

	if (s.n < n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s.p[i]) != lit[i])
			return 0;
	return 1;
}

/* A word of a Received value and the comment depth it sits at. */
struct rtok {
	struct slice w;
	int depth;
	int crossed;		/* a comment opened or closed before it */
	int end;		/* ';' at depth 0 or the end: no more words */
};

/*
 * The next word of *rest: parentheses are not part of words but open and
 * close comments; a ';' outside comments ends the words (the date follows).
 */
static struct rtok
next_tok(struct slice *rest, int *depth)
{
	const char *p = rest->p, *end = rest->p + rest->n, *w;
	struct rtok t = { SLICE_NONE, 0, 0, 0 };

	for (;;) {
		while (p < end && is_ws(*p))
			p++;
		if (p == end || (*p == ';' && *depth == 0)) {
			t.end = 1;
			break;
		}
		if (*p == '(') {
			(*depth)++;
			p++;
			t.crossed = 1;
			continue;
		}
		if (*p == ')') {
			if (*depth > 0)
				(*depth)--;
			p++;
			t.crossed = 1;
			continue;
		}
		w = p;
		while (p < end && !is_ws(*p) && *p != '(' && *p != ')' &&
		    !(*p == ';' && *depth == 0))
			p++;
		t.w = slice_make(w, (size_t)(p - w));
		t.depth = *depth;
		break;
	}
	rest->p = p;
	rest->n = (size_t)(end - p);
	return t;
}

/*
 * The address a word holds: "192.0.2.1", "[192.0.2.1]", "[192.0.2.1]:25",
 * "[IPv6:2001:db8::1]", "192.0.2.1:25", with a ',' or ';' after it.
 */
static int
word_addr(struct slice w, struct ipaddr *ip)
{
	long c;

	while (w.n && (w.p[w.n - 1] == ',' || w.p[w.n - 1] == ';'))
		w.n--;
	if (w.n && w.p[0] == '[') {
		w = slice_from(w, 1);
		if ((c = slice_find(w, ']')) < 0)
			return -1;
		w.n = (size_t)c;
		if (has_prefix_nocase(w, "ipv6:"))
			w = slice_from(w, 5);
		return ip_parse(w, ip);
	}
	if (ip_parse(w, ip) == 0)
		return 0;
	/* An IPv4 address with a port: one ':' after the dots. */
	if ((c = slice_find(w, ':')) > 0 && slice_find(slice_from(w,
	    (size_t)c + 1), ':') < 0 && memchr(w.p, '.', (size_t)c) != NULL)
		return ip_parse(slice_make(w.p, (size_t)c), ip);
	return -1;
}

void
mailhdr_received(struct slice v, struct mailhdr_received *r)
{
	struct slice rest = v, semi;
	struct rtok t;
	struct ipaddr ip;
	int depth = 0, in_from = 0, skip_next = 0, first = 1, outside = 0;
	struct ipaddr out_ip;
	long i;

	memset(r, 0, sizeof *r);
	/* The date follows the last ';' (RFC 5322 section 3.6.7). */
	for (i = (long)v.n - 1; i >= 0 && v.p[i] != ';'; i--)
		continue;
	if (i >= 0) {
		semi = slice_from(v, (size_t)i + 1);
		while (semi.n && is_ws(semi.p[0]))
			semi = slice_from(semi, 1);
		while (semi.n && is_ws(semi.p[semi.n - 1]))
			semi.n--;
		r->date = semi;
	}
	for (;;) {
		t = next_tok(&rest, &depth);
		if (t.end)
			break;
		if (t.depth == 0 && slice_eq_nocase(t.w, "by")) {
			in_from = 0;
			if (r->by.n == 0) {
				struct rtok h = next_tok(&rest, &depth);

				/* "by (Postfix) with": no host named. */
				if (!h.end && h.depth == 0 && !h.crossed)
					r->by = h.w;
			}
			continue;
		}
		if (first) {
			first = 0;
			if (t.depth == 0 && slice_eq_nocase(t.w, "from")) {
				r->has_from = in_from = 1;
				continue;
			}
		}
		if (!in_from || r->has_ip)
			continue;
		/* Other clauses end the from part too. */
		if (t.depth == 0 && (slice_eq_nocase(t.w, "with") ||
		    slice_eq_nocase(t.w, "id") || slice_eq_nocase(t.w, "via") ||
		    slice_eq_nocase(t.w, "for"))) {
			in_from = 0;
			continue;
		}
		/*
		 * What the sender said of itself is no evidence: the word
		 * after HELO, unless the comment ended first ("(HELO )").
		 */
		if (skip_next && !t.crossed) {
			skip_next = 0;
			continue;
		}
		skip_next = 0;
		if (slice_eq_nocase(t.w, "helo") || slice_eq_nocase(t.w,
		    "ehlo")) {
			skip_next = 1;
			continue;
		}
		if (has_prefix_nocase(t.w, "helo=") ||
		    has_prefix_nocase(t.w, "ehlo="))
			continue;
		if (word_addr(t.w, &ip) != 0)
			continue;
		if (t.depth > 0) {
			r->ip = ip;
			r->has_ip = 1;
		} else if (!outside) {
			out_ip = ip;
			outside = 1;
		}
	}
	if (!r->has_ip && outside) {
		r->ip = out_ip;
		r->has_ip = 1;
	}
	while (r->by.n && r->by.p[r->by.n - 1] == ';')
		r->by.n--;
}

static const char *const verdicts[] = {
	"pass", "fail", "softfail", "neutral", "none", "temperror",
	"permerror", "policy", NULL
};

const char *
mailhdr_auth_verdict(struct slice v, const char *method)
{
	size_t i = 0, mn = strlen(method), k;
	int depth = 0, word_start = 1;

	while (i < v.n) {
		char c = v.p[i];

		/*
		 * A quoted string is a value, whatever it holds: the sender
		 * chooses smtp.mailfrom="a dmarc=pass"@x or "a(b"@x.
		 */
		if (c == '"' && depth == 0) {
			for (i++; i < v.n && v.p[i] != '"'; i++)
				if (v.p[i] == '\\' && i + 1 < v.n)
					i++;
			i++;
			word_start = 0;
			continue;
		}
		if (c == '(') {
			depth++;
			i++;
			continue;
		}
		if (c == ')') {
			if (depth > 0)
				depth--;
			i++;
			word_start = 1;
			continue;
		}
		if (depth > 0 || !word_start) {
			word_start = is_ws(c) || c == ';';
			i++;
			continue;
		}
		if (is_ws(c) || c == ';') {
			i++;
			continue;
		}
		word_start = 0;
		if (!has_prefix_nocase(slice_from(v, i), method)) {
			i++;
			continue;
		}
		/* method [CFWS] "=" [CFWS] result */
		k = i + mn;
		while (k < v.n && is_ws(v.p[k]))
			k++;
		if (k >= v.n || v.p[k] != '=') {
			i++;
			continue;
		}
		k++;
		while (k < v.n && is_ws(v.p[k]))
			k++;
		{
			size_t s = k;
			int j;

			while (k < v.n && ((v.p[k] >= 'a' && v.p[k] <= 'z') ||
			    (v.p[k] >= 'A' && v.p[k] <= 'Z')))
				k++;
			for (j = 0; verdicts[j]; j++)
				if (slice_eq_nocase(slice_make(v.p + s, k - s),
				    verdicts[j]))
					return verdicts[j];
			return NULL;	/* the first result is another word */
		}
	}
	return NULL;
}

struct slice
mailhdr_return_path(struct slice v)
{
	long a, b;

	v = slice_trim(v);
	while (v.n && is_ws(v.p[0]))
		v = slice_from(v, 1);
	while (v.n && is_ws(v.p[v.n - 1]))
		v.n--;
	if ((a = slice_find(v, '<')) >= 0) {
		struct slice in = slice_from(v, (size_t)a + 1);

		b = slice_find(in, '>');
		in.n = b >= 0 ? (size_t)b : in.n;
		in = slice_trim(in);
		return in.n ? in : SLICE_LIT("<>");
	}
	return v;
}

/* "hh:mm" or "hh:mm:ss" into seconds of the day. */
static int
clock_secs(struct slice w, int *secs)
{
	int h, m, s = 0;

	if (w.n != 5 && w.n != 8)
		return -1;
	if (num_parse_digits(w.p, 2, &h) != 0 || w.p[2] != ':' ||
	    num_parse_digits(w.p + 3, 2, &m) != 0 || h > 23 || m > 59)
		return -1;
	if (w.n == 8 && (w.p[5] != ':' || num_parse_digits(w.p + 6, 2, &s) !=
	    0 || s > 60))
		return -1;
	*secs = h * 3600 + m * 60 + s;
	return 0;
}

/* "+0900" or "-0500" into seconds east of UTC. */
static int
zone_secs(struct slice w, int *off)
{
	int h, m;

	if (w.n != 5 || (w.p[0] != '+' && w.p[0] != '-') ||
	    num_parse_digits(w.p + 1, 2, &h) != 0 ||
	    num_parse_digits(w.p + 3, 2, &m) != 0 || h > 23 || m > 59)
		return -1;
	*off = (h * 3600 + m * 60) * (w.p[0] == '-' ? -1 : 1);
	return 0;
}

int
mailhdr_mbox_from(struct slice line, struct slice *sender, int64_t *ms)
{
	struct slice rest, w;
	uint64_t day = 0, year = 0;
	int mon = 0, secs = -1, off = 0, has_off = 0, i;
	int64_t t;

	if (!slice_has_prefix(line, "From "))
		return -1;
	rest = slice_from(line, 5);
	*sender = slice_next_word(&rest);
	if (sender->n == 0)
		return -1;
	/* asctime(3): [weekday] month day hh:mm:ss [zone] year */
	for (i = 0; i < 8 && (w = slice_next_word(&rest)).n > 0; i++) {
		if (mon == 0) {
			if (w.n == 3)
				mon = time_month_from_abbr(w);
		} else if (day == 0) {
			if (num_parse_u64(w, 31, &day) != 0 || day == 0)
				return 1;
		} else if (secs < 0) {
			if (clock_secs(w, &secs) != 0)
				return 1;
		} else if (zone_secs(w, &off) == 0) {
			has_off = 1;
		} else if (year == 0 && w.n == 4 &&
		    num_parse_u64(w, 9999, &year) == 0) {
			continue;
		}
	}
	if (mon == 0 || day == 0 || secs < 0 || year < 1970 ||
	    !time_date_valid((int64_t)year, mon, (int)day))
		return 1;
	t = time_utc_seconds((int64_t)year, mon, (int)day, secs / 3600,
	    secs / 60 % 60, secs % 60);
	if (t < 0)
		return 1;
	t = has_off ? t - off : time_local_to_utc(t);
	*ms = t * 1000;
	return 0;
}

void
mailhdr_list_init(struct mailhdr_list *l, int flags)
{
	memset(l, 0, sizeof *l);
	l->flags = flags;
}

void
mailhdr_list_clear(struct mailhdr_list *l)
{
	l->n = 0;
	l->count = 0;
	l->cut = 0;
}

/* Makes room for need more bytes. Returns 0 or -1. */
static int
list_room(struct mailhdr_list *l, size_t need)
{
	size_t cap;
	char *np;

	if (need <= l->cap - l->n)
		return 0;
	cap = l->cap ? l->cap : 256;
	while (cap - l->n < need)
		cap *= 2;
	if ((np = realloc(l->p, cap)) == NULL)
		return -1;
	l->p = np;
	l->cap = cap;
	return 0;
}

int
mailhdr_list_add(struct mailhdr_list *l, struct slice item)
{
	/* The separator and the item escaped: 4 bytes from one at most. */
	size_t worst = 1 + item.n * ESC_MAX_GROWTH;

	if (l->n + worst > MAILHDR_LIST_MAX || list_room(l, worst) != 0) {
		l->cut = 1;
		return -1;
	}
	if (l->count++ > 0)
		l->p[l->n++] = ',';
	l->n += esc_list_item(l->p + l->n, item, l->flags);
	return 0;
}

void
mailhdr_list_release(struct mailhdr_list *l)
{
	free(l->p);
	memset(l, 0, sizeof *l);
}
