/*
 * learn.c: csm-authcheck --learn. The sources of the administrators'
 * successful events over a baseline period (the input), jump hosts left
 * out, become an [authcheck] usual-sources value that the check reads
 * back: "account:source" and more sources of that account as items of
 * their own, addresses first, each line short enough for csm.conf (inih
 * stops at 198 bytes), continued on indented lines. A name that the
 * configuration syntax cannot hold is left out with a comment saying so;
 * comments also count the events not learned from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "authcheck.h"
#include "esc.h"

#define LINE_MAX_OUT 100	/* bytes of a line before it is continued */
#define PUTS(ob, lit) outbuf_put((ob), (lit), sizeof (lit) - 1)

struct row {
	struct slice admin, src;
	int is_ip;
	int name_ip;		/* a client's name that reads as an address */
	struct ipaddr ip;
	uint64_t count;
};

static int
row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	size_t n = x->admin.n < y->admin.n ? x->admin.n : y->admin.n;
	int c = memcmp(x->admin.p, y->admin.p, n);

	if (c != 0 || x->admin.n != y->admin.n)
		return c != 0 ? c : x->admin.n < y->admin.n ? -1 : 1;
	if (x->is_ip != y->is_ip)
		return y->is_ip - x->is_ip;
	if (x->is_ip)
		return memcmp(x->ip.b, y->ip.b, sizeof x->ip.b);
	n = x->src.n < y->src.n ? x->src.n : y->src.n;
	c = memcmp(x->src.p, y->src.p, n);
	return c != 0 ? c : x->src.n < y->src.n ? -1 : x->src.n > y->src.n;
}

/*
 * How s can be written as (part of) an item: 0 as it is, 1 in double
 * quotes, -1 not at all (a quote, a colon, a control byte, a comment sign
 * after white space, which the reader would cut off even in quotes; in a
 * source also a slash, which only a block may hold).
 */
static int
writable(struct slice s, int source)
{
	int quote = s.n > 0 && (s.p[0] == '#' || s.p[0] == ';');
	size_t i;

	if (s.n == 0)
		return -1;
	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c == '"' || c == ':' || c < 0x20 || c == 0x7f ||
		    (source && c == '/'))
			return -1;
		if ((c == '#' || c == ';') && i > 0 && s.p[i - 1] == ' ')
			return -1;
		if (c == ' ' || c == ',')
			quote = 1;
	}
	return quote;
}

/* Puts one item: "admin:src" (head) or "src", quoted when it must be. */
static size_t
item(struct outbuf *ob, const struct row *r, int head, int quote)
{
	size_t n = r->src.n + (head ? r->admin.n + 1 : 0) + (quote ? 2 : 0);

	if (quote)
		outbuf_putc(ob, '"');
	if (head) {
		outbuf_put(ob, r->admin.p, r->admin.n);
		outbuf_putc(ob, ':');
	}
	outbuf_put(ob, r->src.p, r->src.n);
	if (quote)
		outbuf_putc(ob, '"');
	return n;
}

static void
left_out(struct outbuf *ob, const struct row *r)
{
	if (r->name_ip)
		PUTS(ob, "# left out, a client's name that reads as an "
		    "address: ");
	else
		PUTS(ob, "# left out, as csm.conf cannot hold it: ");
	outbuf_put_escaped(ob, r->admin, ESC_TSV);
	outbuf_putc(ob, ':');
	outbuf_put_escaped(ob, r->src, ESC_TSV);
	outbuf_putc(ob, '\n');
}

/*
 * How row i is written: 0 with its quoting in *qa and *qs; -1 when csm.conf
 * cannot hold it; 1 when the row before says the same.
 */
static int
quoting(const struct row *rows, size_t i, int *qa, int *qs)
{
	const struct row *r = &rows[i];

	/* A name as the client's and as a computer's: written once. */
	if (i > 0 && !r->is_ip && !rows[i - 1].is_ip &&
	    slice_eq_slice(r->admin, rows[i - 1].admin) &&
	    slice_eq_slice(r->src, rows[i - 1].src))
		return 1;
	*qa = writable(r->admin, 0);
	/* Read back, a name "10.1.30.10" would be an address. */
	*qs = r->is_ip ? 0 : r->name_ip ? -1 : writable(r->src, 1);
	return *qa < 0 || *qs < 0 ? -1 : 0;
}

/* Says how many records that read two ways were not learned from. */
static void
ambiguous_left_out(struct authcheck *ac)
{
	char line[200];
	uint64_t n = ac->learn_ambiguous;

	if (n == 0)
		return;
	snprintf(line, sizeof line, "# %llu administrator event%s that "
	    "read%s two ways (ambiguous=1) left out: a user's text may "
	    "stand where its source is.\n", (unsigned long long)n,
	    n == 1 ? "" : "s", n == 1 ? "s" : "");
	outbuf_put(ac->out, line, strlen(line));
}

static void
write_rows(struct authcheck *ac, struct row *rows, size_t n, uint64_t events,
    size_t admins, uint64_t few)
{
	struct outbuf *ob = ac->out;
	struct slice cur = slice_make("", 0);
	char a[32], b[32], line[300];
	size_t i, len = 0;
	int started = 0, qa, qs, head;

	time_format_rfc3339(a, ac->learn_first, &ac->tc);
	time_format_rfc3339(b, ac->learn_last, &ac->tc);
	snprintf(line, sizeof line, "# csm-authcheck --learn: the usual "
	    "sources of %zu administrator account%s,\n# from %llu successful "
	    "event%s between %.24s and %.24s.\n", admins, admins == 1 ? "" :
	    "s", (unsigned long long)events, events == 1 ? "" : "s", a, b);
	outbuf_put(ob, line, strlen(line));
	if (few > 0) {
		snprintf(line, sizeof line, "# %llu source%s seen fewer than "
		    "%llu times left out (learn-min-events).\n",
		    (unsigned long long)few, few == 1 ? "" : "s",
		    (unsigned long long)ac->t.learn_min_events);
		outbuf_put(ob, line, strlen(line));
	}
	if (ac->learn_local > 0) {
		snprintf(line, sizeof line, "# %llu event%s from the computer "
		    "itself (a loopback address, or none) left out: never "
		    "usual.\n", (unsigned long long)ac->learn_local,
		    ac->learn_local == 1 ? "" : "s");
		outbuf_put(ob, line, strlen(line));
	}
	ambiguous_left_out(ac);
	PUTS(ob, "[authcheck]\n");
	/* What cannot be written is said first: a comment ends a value. */
	for (i = 0; i < n; i++)
		if (quoting(rows, i, &qa, &qs) < 0)
			left_out(ob, &rows[i]);
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		if (quoting(rows, i, &qa, &qs) != 0)
			continue;
		/* A new account, or a full line, starts an "account:" item. */
		head = !started || !slice_eq_slice(r->admin, cur) ||
		    len + r->src.n + 3 > LINE_MAX_OUT;
		if (!started)
			PUTS(ob, "usual-sources = ");
		else if (head)
			PUTS(ob, "\n\t");
		else
			outbuf_putc(ob, ',');
		len = !started ? 16 : head ? 8 : len + 1;
		started = 1;
		cur = r->admin;
		len += item(ob, r, head, head ? qa | qs : qs);
	}
	if (started)
		outbuf_putc(ob, '\n');
}

int
ac_learn_write(struct authcheck *ac)
{
	static const char none[] = "# csm-authcheck --learn: no administrator "
	    "logged on from a source other than a jump host\n";
	struct agg_entry **v = agg_sorted(&ac->learned_src);
	struct row *rows;
	uint64_t events = 0, few = 0;
	size_t i, n = 0, admins = 0;

	if (v == NULL || (rows = calloc(ac->learned_src.n + 1,
	    sizeof *rows)) == NULL) {
		free(v);
		return -1;
	}
	for (i = 0; i < ac->learned_src.n; i++) {
		/* "account \t tag \t source", tag from ac_source_tag */
		struct slice k = slice_make(v[i]->key, v[i]->key_len);
		long tab = slice_find(k, '\t');
		struct row *r = &rows[n];

		if (v[i]->count < ac->t.learn_min_events) {
			few++;
			continue;
		}
		r->admin = slice_make(k.p, (size_t)tab);
		r->src = slice_from(k, (size_t)tab + 3);
		r->is_ip = k.p[tab + 1] == 'i' && ip_parse(r->src, &r->ip) == 0;
		r->name_ip = !r->is_ip && ip_valid(r->src);
		r->count = v[i]->count;
		events += r->count;
		n++;
	}
	qsort(rows, n, sizeof *rows, row_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || !slice_eq_slice(rows[i].admin, rows[i - 1].admin))
			admins++;
	if (n == 0) {
		outbuf_put(ac->out, none, sizeof none - 1);
		ambiguous_left_out(ac);
	} else {
		write_rows(ac, rows, n, events, admins, few);
	}
	free(rows);
	free(v);
	return 0;
}
