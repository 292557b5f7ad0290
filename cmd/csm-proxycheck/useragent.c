/*
 * useragent.c: the user-agent rule (guideline 19.1.2, web proxy item 3).
 * Malware brings its own HTTP code and with it a User-Agent that the
 * organisation's browsers do not send. With the organisation's list
 * ([lists] user-agents: exact strings and fnmatch(3) patterns) every
 * User-Agent that matches no entry is reported (not-in-list); without
 * one, a User-Agent seen on very few of the organisation's hosts is
 * (rare). Requests without a User-Agent are reported either way (empty),
 * but only from log formats that record User-Agents at all; one that
 * csm-parse left empty because its header block read two ways is
 * reported apart (ambiguous), whatever its format. Findings are
 * per (source, User-Agent); --learn prints the inventory instead, so that
 * an operator can write the list.
 *
 * Rarity needs the whole input. Memory is bounded by the distinct
 * User-Agents and, for each, the hosts kept: all of them for a
 * User-Agent not in the list and with --learn, else at most N+1 (a
 * User-Agent on more than N hosts is not rare, whatever follows).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "num.h"
#include "proxycheck.h"

/* Compares two list items as byte strings (qsort and bsearch). */
static int
cmp_item(const void *pa, const void *pb)
{
	const struct slice *a = pa, *b = pb;
	size_t n = a->n < b->n ? a->n : b->n;
	int c = n ? memcmp(a->p, b->p, n) : 0;

	if (c != 0)
		return c;
	return a->n < b->n ? -1 : a->n > b->n;
}

int
pc_ua_load(struct proxycheck *pc, char *err, size_t errcap)
{
	const struct config_strv *paths = config_list_paths(pc->cfg,
	    CONFIG_LIST_USER_AGENTS);
	size_t i;

	if (paths->n == 0)
		return 0;
	pc->have_list = 1;
	for (i = 0; i < paths->n; i++)
		if (listfile_load(&pc->list, paths->v[i], err, errcap) != 0)
			return -1;
	pc->exact = calloc(pc->list.n ? pc->list.n : 1,
	    sizeof *pc->exact);
	pc->patterns = calloc(pc->list.n ? pc->list.n : 1,
	    sizeof *pc->patterns);
	if (pc->exact == NULL || pc->patterns == NULL) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	for (i = 0; i < pc->list.n; i++) {
		struct slice s = pc->list.item[i].s;

		/* Every item matches itself exactly: "Foo [bar]" too. */
		pc->exact[pc->nexact++] = s;
		if (memchr(s.p, '*', s.n) || memchr(s.p, '?', s.n) ||
		    memchr(s.p, '[', s.n))
			pc->patterns[pc->npatterns++] = s.p;
	}
	qsort(pc->exact, pc->nexact, sizeof *pc->exact, cmp_item);
	return 0;
}

/* Longer User-Agents match exact entries only (see listed). */
#define PC_UA_PATTERN_MAX 2048

/*
 * Whether ua (as written in the stream, escaped) is in the list. The
 * escaped form never holds a NUL, so it can be handed to fnmatch whole;
 * FNM_NOESCAPE keeps a backslash an ordinary byte, as it is in the
 * --learn output that the list is made from. A pattern with several
 * stars costs fnmatch time that grows as a power of the length of the
 * string, and the User-Agent is the client's to choose: one longer than
 * any browser sends is held against exact entries only.
 */
static int
listed(struct proxycheck *pc, struct slice ua)
{
	struct slice k[1];
	size_t i;
	char *z;
	int hit = 0;

	if (bsearch(&ua, pc->exact, pc->nexact, sizeof *pc->exact,
	    cmp_item) != NULL)
		return 1;
	if (pc->npatterns == 0 || ua.n > PC_UA_PATTERN_MAX)
		return 0;
	k[0] = ua;
	z = (char *)pc_key(pc, k, 1).p;
	if (z == NULL)
		return -1;
	z[ua.n] = '\0';		/* pc_key leaves room for one more byte */
	for (i = 0; i < pc->npatterns && !hit; i++)
		hit = fnmatch(pc->patterns[i], z, FNM_NOESCAPE) == 0;
	return hit;
}

/* Remembers dst as the destination of pair e's earliest request. */
static int
pair_dst(struct proxycheck *pc, struct agg_entry *e, struct slice dst)
{
	char *s = malloc(dst.n + 1);

	if (s == NULL)
		return -1;
	memcpy(s, dst.p, dst.n);
	s[dst.n] = '\0';
	if (e->count > 0) {
		free(pc->pair_dst[e->flags]);
		pc->pair_dst[e->flags] = s;
		return 0;
	}
	if (pc->npair_dst == pc->pair_dst_cap) {
		size_t cap = pc->pair_dst_cap ? pc->pair_dst_cap * 2 : 1024;
		char **v = realloc(pc->pair_dst, cap * sizeof *v);

		if (v == NULL) {
			free(s);
			return -1;
		}
		pc->pair_dst = v;
		pc->pair_dst_cap = cap;
	}
	e->flags = pc->npair_dst;
	pc->pair_dst[pc->npair_dst++] = s;
	return 0;
}

/* Whether e's key is the n parts joined by TABs. */
static int
key_is(const struct agg_entry *e, const struct slice *parts, int n)
{
	size_t at = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0 && (at >= e->key_len || e->key[at++] != '\t'))
			return 0;
		if (parts[i].n > e->key_len - at ||
		    memcmp(e->key + at, parts[i].p, parts[i].n) != 0)
			return 0;
		at += parts[i].n;
	}
	return at == e->key_len;
}

/*
 * The pair of the n parts, whose key hashes to h (0: not worked out).
 * Each request looks its pair up, and a day's pairs are few: the recent
 * ones are remembered by hash (entries never move), so that the key is
 * neither joined nor looked up again. NULL when out of memory.
 */
static struct agg_entry *
pair_get(struct proxycheck *pc, const struct slice *parts, int n,
    uint64_t h)
{
	struct pc_seen_pair *seen = &pc->seen_pair[h & (PC_SEEN_PAIRS - 1)];
	struct agg_entry *e;
	struct slice key;

	if (h != 0 && seen->h == h && seen->e != NULL &&
	    key_is(seen->e, parts, n))
		return seen->e;
	key = pc_key(pc, parts, n);
	if (key.p == NULL)
		return NULL;
	if (h == 0)
		seen = &pc->seen_pair[(h = agg_hash(key)) &
		    (PC_SEEN_PAIRS - 1)];
	if ((e = agg_get_hashed(&pc->pairs, key, h)) != NULL) {
		seen->h = h;
		seen->e = e;
	}
	return e;
}

int
pc_ua_event(struct proxycheck *pc, const struct pc_event *ev)
{
	struct slice parts[4];
	struct agg_entry *u, *p, *h;
	uint64_t hosts;
	int verdict, track;

	if (ev->method == PCM_NONE)
		return 0;	/* no request was read: nothing was sent */
	pc->fmt[ev->fmt].requests++;
	if (ev->ua.n > 0) {
		pc->fmt[ev->fmt].ua_events++;
		if ((h = agg_get(&pc->hosts, ev->src)) == NULL)
			return -1;
		h->count = 1;
	}
	if ((u = agg_get_hashed(&pc->uas, ev->ua, ev->h_ua ? ev->h_ua :
	    agg_hash(ev->ua))) == NULL)
		return -1;
	if (u->count == 0 && pc->have_list && ev->ua.n > 0 && !pc->learn) {
		if ((verdict = listed(pc, ev->ua)) < 0)
			return -1;
		u->flags = verdict ? PC_UA_LISTED : PC_UA_UNLISTED;
	}
	u->count++;
	hosts = PC_UA_HOSTS(u->flags);
	if (pc->learn || ev->ua.n == 0)
		track = 1;
	else if (pc->have_list)
		track = PC_UA_VERDICT(u->flags) == PC_UA_UNLISTED;
	else
		track = hosts <= pc->t.rare_hosts;	/* keep N+1 at most */
	if (!track)
		return 0;
	parts[0] = ev->ua;
	parts[1] = ev->src;
	/*
	 * An empty User-Agent is judged by its format (pc_ua_write); one
	 * csm-parse left empty because the record read two ways is kept
	 * apart: it is no request without a User-Agent.
	 */
	parts[2] = slice_cstr(pc->fmt[ev->fmt].name);
	parts[3] = slice_cstr("ambiguous");
	if ((p = pair_get(pc, parts, ev->ua.n > 0 ? 2 : ev->ambiguous ? 4 : 3,
	    ev->h_ua_pair)) == NULL)
		return -1;
	if (p->count == 0)
		u->flags += 1u << 2;	/* one more host */
	if ((p->count == 0 || ev->ts_ms < p->first_ms) &&
	    pair_dst(pc, p, ev->host) != 0)
		return -1;
	return agg_add(p, ev->ts_ms, pc_sat_add(ev->out, ev->in),
	    ev->origin);
}

/* The format called name, or NULL. */
static const struct pc_format *
format_named(const struct proxycheck *pc, struct slice name)
{
	int i;

	for (i = 0; i < pc->nfmt; i++)
		if (slice_eq(name, pc->fmt[i].name))
			return &pc->fmt[i];
	return NULL;
}

/* ua unescaped into buf, cut at a character boundary with "...". */
static const char *
ua_text(struct slice ua, char *buf, size_t cap)
{
	struct slice r = pc_raw(ua, buf, cap - 4);
	size_t n = r.n, max = 200;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	/* A NUL byte the log carried ends the text here: it is cut. */
	return buf;
}

/* The reason and weight of pair e's finding; 0 when it is none. */
static int
judge(struct proxycheck *pc, const struct agg_entry *e, struct finding *fd,
    char *why, size_t cap)
{
	struct slice ua = agg_key_field(e, 0);
	const struct pc_format *f;
	struct agg_entry *u;
	char text[1100];
	uint64_t hosts;
	const char *reqs = e->count == 1 ? "request" : "requests";

	if (ua.n == 0 && agg_key_field(e, 3).n > 0) {
		fd->severity = 2;
		fd->score = 0.5;
		snprintf(why, cap, "ambiguous: %llu %s whose record csm-parse "
		    "read neither of two ways (a header block with two "
		    "User-Agent lines, one maybe planted in another header): "
		    "the User-Agent was left empty; read the raw line at "
		    "origin", (unsigned long long)e->count, reqs);
		return 1;
	}
	if (ua.n == 0) {
		f = format_named(pc, agg_key_field(e, 2));
		if (f == NULL || f->ua_events == 0)
			return 0;	/* the log records no User-Agents */
		fd->severity = 2;
		fd->score = 0.5;
		snprintf(why, cap, "empty: %llu %s without a User-Agent, from "
		    "a log that records them", (unsigned long long)e->count,
		    reqs);
		return 1;
	}
	if ((u = agg_get(&pc->uas, ua)) == NULL)
		return -1;
	hosts = PC_UA_HOSTS(u->flags);
	ua_text(ua, text, sizeof text);
	if (pc->have_list) {
		if (PC_UA_VERDICT(u->flags) != PC_UA_UNLISTED)
			return 0;
		fd->severity = 2;
		fd->score = 0.6;
		snprintf(why, cap, "not-in-list: %llu %s with User-Agent '%s', "
		    "which no entry of the organisation's list matches; seen "
		    "on %llu of %zu hosts", (unsigned long long)e->count, reqs,
		    text, (unsigned long long)hosts, pc->hosts.n);
		return 1;
	}
	if (hosts > pc->t.rare_hosts || pc->hosts.n < pc->t.min_org_hosts)
		return 0;
	fd->severity = 1;
	fd->score = 0.4;
	snprintf(why, cap, "rare: %llu %s with User-Agent '%s', seen on only "
	    "%llu of the %zu hosts that sent one (rare: at most %llu host%s "
	    "in an organisation of at least %llu)",
	    (unsigned long long)e->count, reqs, text,
	    (unsigned long long)hosts, pc->hosts.n,
	    (unsigned long long)pc->t.rare_hosts,
	    pc->t.rare_hosts == 1 ? "" : "s",
	    (unsigned long long)pc->t.min_org_hosts);
	return 1;
}

int
pc_ua_write(struct proxycheck *pc)
{
	struct agg_entry **v = agg_sorted(&pc->pairs);
	char src[300], dst[1100], origin[1100], why[1600];
	struct finding fd;
	size_t i;
	int r;

	if (v == NULL)
		return -1;
	for (i = 0; i < pc->pairs.n; i++) {
		const struct agg_entry *e = v[i];

		pc_finding_init(&fd, e, PC_UA);
		if ((r = judge(pc, e, &fd, why, sizeof why)) <= 0) {
			if (r < 0) {
				free(v);
				return -1;
			}
			continue;
		}
		fd.f[FD_SRC_IP] = finding_raw(agg_key_field(e, 1), src,
		    sizeof src);
		fd.f[FD_DST] = finding_raw(slice_cstr(pc->pair_dst[e->flags]),
		    dst, sizeof dst);
		fd.f[FD_REASON] = slice_cstr(why);
		fd.f[FD_STAGE] = slice_cstr("c2");
		fd.f[FD_ORIGIN] = finding_raw(slice_cstr(e->origin), origin,
		    sizeof origin);
		finding_write(pc->out, &fd, &pc->tc);
		pc->nfindings[PC_UA]++;
	}
	free(v);
	return 0;
}

void
pc_ua_notes(const struct proxycheck *pc)
{
	int i;

	for (i = 0; i < pc->nfmt; i++)
		if (pc->fmt[i].ua_events == 0 && pc->fmt[i].requests > 0)
			diag_msg("%s%s%s events carry no User-Agent (the log "
			    "does not record it): user-agent cannot judge "
			    "them", pc->fmt[i].name[0] ? "'" : "",
			    pc->fmt[i].name[0] ? pc->fmt[i].name :
			    "format-less", pc->fmt[i].name[0] ? "'" : "");
}

/* One row of the inventory. */
struct inv {
	struct slice ua;
	uint64_t hosts, events;
};

/* Most hosts first, then most events, then the User-Agent. */
static int
cmp_inv(const void *pa, const void *pb)
{
	const struct inv *a = pa, *b = pb;

	if (a->hosts != b->hosts)
		return a->hosts > b->hosts ? -1 : 1;
	if (a->events != b->events)
		return a->events > b->events ? -1 : 1;
	return cmp_item(&a->ua, &b->ua);
}

/*
 * The empty User-Agent's row: requests and distinct hosts from formats
 * that record User-Agents (a log without them says nothing), those that
 * read two ways left out.
 */
static int
empty_row(struct proxycheck *pc, struct inv *row)
{
	struct slice *src = malloc((pc->pairs.n ? pc->pairs.n : 1) *
	    sizeof *src);
	size_t i, n = 0;

	if (src == NULL)
		return -1;
	row->ua = slice_make("", 0);
	row->hosts = row->events = 0;
	for (i = 0; i < pc->pairs.cap; i++) {
		const struct agg_entry *e = pc->pairs.slot[i].e;
		const struct pc_format *f;

		/* Nor those that read two ways: they had two. */
		if (e == NULL || agg_key_field(e, 0).n > 0 ||
		    agg_key_field(e, 3).n > 0)
			continue;
		f = format_named(pc, agg_key_field(e, 2));
		if (f == NULL || f->ua_events == 0)
			continue;
		row->events += e->count;
		src[n++] = agg_key_field(e, 1);
	}
	qsort(src, n, sizeof *src, cmp_item);
	for (i = 0; i < n; i++)
		if (i == 0 || cmp_item(&src[i - 1], &src[i]) != 0)
			row->hosts++;
	free(src);
	return 0;
}

int
pc_ua_learn(struct proxycheck *pc)
{
	struct inv *v = malloc((pc->uas.n + 1) * sizeof *v);
	char num[24];
	size_t i, n = 0;

	if (v == NULL)
		return -1;
	for (i = 0; i < pc->uas.cap; i++) {
		const struct agg_entry *e = pc->uas.slot[i].e;

		if (e == NULL || e->key_len == 0)
			continue;
		v[n].ua = slice_make(e->key, e->key_len);
		v[n].hosts = PC_UA_HOSTS(e->flags);
		v[n++].events = e->count;
	}
	if (empty_row(pc, &v[n]) != 0) {
		free(v);
		return -1;
	}
	if (v[n].events > 0)
		n++;
	qsort(v, n, sizeof *v, cmp_inv);
	outbuf_put(pc->out, "hosts\tevents\tua\n", 16);
	for (i = 0; i < n; i++) {
		outbuf_put(pc->out, num, num_format_u64(num, v[i].hosts));
		outbuf_putc(pc->out, '\t');
		outbuf_put(pc->out, num, num_format_u64(num, v[i].events));
		outbuf_putc(pc->out, '\t');
		/*
		 * Escaped already: written as the stream had it, but for a
		 * raw byte the contract forbids (a hand-made stream's).
		 */
		outbuf_put_escaped(pc->out, v[i].ua, ESC_MEND);
		outbuf_putc(pc->out, '\n');
	}
	free(v);
	return 0;
}
