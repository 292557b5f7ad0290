/*
 * ioc_match.c: the questions asked of an indicator set for every event
 * (see ioc.h). Names are one hash lookup per candidate: the name and
 * each parent domain, the URL and each of its directories. Networks are
 * flattened once, at ioc_finish, into sorted disjoint intervals that each
 * carry the most specific network over them, so that a lookup is one
 * binary search: the prefix map of config_net.c, for a million blocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ioc_impl.h"

const char *const ioc_kind_names[IOC_NKINDS] = {
	"ip", "cidr", "domain", "url", "email"
};

/* One network on its way into the interval map. */
struct net_e {
	struct ipaddr lo, hi;
	uint32_t id;
	unsigned plen;
};

static int
net_cmp(const void *a, const void *b)
{
	const struct net_e *x = a, *y = b;
	int r = memcmp(x->lo.b, y->lo.b, 16);

	if (r != 0)
		return r;
	return x->plen < y->plen ? -1 : x->plen > y->plen;
}

/* ip + 1; returns 1 when it wrapped past the last address. */
static int
ip_inc(struct ipaddr *ip)
{
	int i;

	for (i = 15; i >= 0; i--)
		if (++ip->b[i] != 0)
			return 0;
	return 1;
}

static void
ip_dec(struct ipaddr *ip)
{
	int i;

	for (i = 15; i >= 0; i--)
		if (ip->b[i]-- != 0)
			return;
}

/* The address as two host-order halves. */
static void
halves(const struct ipaddr *ip, uint64_t *h)
{
	int i;

	h[0] = h[1] = 0;
	for (i = 0; i < 8; i++) {
		h[0] = h[0] << 8 | ip->b[i];
		h[1] = h[1] << 8 | ip->b[i + 8];
	}
}

/* Whether a < b, as halves. */
static int
below(const uint64_t *a, const uint64_t *b)
{
	return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
}

static void
emit(struct ioc_set *s, const struct ipaddr *lo, const struct ipaddr *hi,
    uint32_t id)
{
	struct ioc_iv *v = &s->iv[s->niv];

	if (memcmp(lo->b, hi->b, 16) > 0)
		return;
	halves(lo, v->lo);
	halves(hi, v->hi);
	v->id = id;
	s->niv++;
}

static void
bloom_set(struct ioc_set *s, uint32_t h)
{
	uint32_t a, b;

	ioc_bloom_bits(s, h, &a, &b);
	s->bloom[a >> 6] |= (uint64_t)1 << (a & 63);
	s->bloom[b >> 6] |= (uint64_t)1 << (b & 63);
}

/*
 * Sixteen bits a key: about one miss in seventy passes the filter. The
 * hashes are those the tables keep, so no key is read again.
 */
static int
bloom_build(struct ioc_set *s)
{
	size_t keys = s->names.n + s->addrs.n + s->nurlhost, bits = 4096, i;

	while (bits < keys * 16 && bits < ((size_t)1 << 31))
		bits *= 2;
	if ((s->bloom = calloc(bits / 64, sizeof *s->bloom)) == NULL)
		return -1;
	s->bloom_mask = (uint32_t)(bits - 1);
	for (i = 0; i < s->names.cap; i++)
		if (s->names.slot[i] != 0)
			bloom_set(s, (uint32_t)(s->names.slot[i] >> 32));
	for (i = 0; i < s->addrs.cap; i++)
		if (s->addrs.slot[i] != 0)
			bloom_set(s, (uint32_t)(s->addrs.slot[i] >> 32));
	for (i = 0; i < s->nurlhost; i++)
		bloom_set(s, s->urlhost[i]);
	return 0;
}

/* The IPv4-mapped address k << 16, as halves. */
static void
v4_key(uint32_t k, uint64_t *h)
{
	h[0] = 0;
	h[1] = (uint64_t)0xffff << 32 | (uint64_t)k << 16;
}

/* Builds s->v4first (see ioc_impl.h) in one pass over the intervals. */
static int
v4_index(struct ioc_set *s)
{
	uint64_t key[2];
	size_t i = 0;
	uint32_t k;

	if ((s->v4first = malloc(65537 * sizeof *s->v4first)) == NULL)
		return -1;
	for (k = 0; k <= 65536; k++) {
		if (k == 65536) {
			s->v4first[k] = (uint32_t)s->niv;
			break;
		}
		v4_key(k, key);
		while (i < s->niv && below(s->iv[i].hi, key))
			i++;
		s->v4first[k] = (uint32_t)i;
	}
	return 0;
}

int
ioc_finish(struct ioc_set *s)
{
	struct net_e *e, *stack[130];
	struct ipaddr cursor;
	size_t n = s->count[IOC_NET], i, k = 0, sp = 0;
	int done = 0;

	s->finished = 1;
	if (bloom_build(s) != 0)
		return -1;
	if (n == 0)
		return 0;
	if ((e = malloc(n * sizeof *e)) == NULL ||
	    (s->iv = malloc((2 * n + 1) * sizeof *s->iv)) == NULL) {
		free(e);
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		const struct ioc_ind *d = &s->ind[i];

		if (d->kind != IOC_NET)
			continue;
		memcpy(e[k].lo.b, s->pool + d->off, 16);
		ioc_prefix_range(&e[k].lo, &e[k].hi, d->port);
		e[k].id = (uint32_t)i;
		e[k].plen = d->port;
		k++;
	}
	qsort(e, n, sizeof *e, net_cmp);
	/*
	 * Sorted by start, wider first, and no block twice: a block nests in
	 * the one on top of the stack or starts after it ends.
	 */
	memset(&cursor, 0, sizeof cursor);
	for (i = 0; i < n; i++) {
		while (sp > 0 && memcmp(stack[sp - 1]->hi.b, e[i].lo.b, 16) <
		    0) {
			struct net_e *top = stack[--sp];

			if (!done)
				emit(s, &cursor, &top->hi, top->id);
			cursor = top->hi;
			done = ip_inc(&cursor);
		}
		if (sp > 0 && memcmp(cursor.b, e[i].lo.b, 16) < 0) {
			struct ipaddr before = e[i].lo;

			ip_dec(&before);
			emit(s, &cursor, &before, stack[sp - 1]->id);
		}
		cursor = e[i].lo;
		done = 0;
		stack[sp++] = &e[i];
	}
	while (sp > 0) {
		struct net_e *top = stack[--sp];

		if (!done)
			emit(s, &cursor, &top->hi, top->id);
		cursor = top->hi;
		done = ip_inc(&cursor);
	}
	free(e);
	return v4_index(s);
}

/* Appends id to out unless it is there; returns the new count. */
static size_t
hit(struct ioc_hit *out, size_t n, size_t max, uint32_t id, int exact)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (out[i].id == id)
			return n;
	if (n < max) {
		out[n].id = id;
		out[n].exact = exact;
		n++;
	}
	return n;
}

size_t
ioc_match_addr(const struct ioc_set *s, const struct ipaddr *ip,
    unsigned port, struct ioc_hit *out, size_t max)
{
	size_t n = 0, lo = 0, hi = s->niv;
	uint64_t a[2];

	if (s->count[IOC_ADDR] > 0) {
		uint32_t h = ioc_hash(ip->b, 16, SEED_ADDR);
		size_t mask = s->addrs.cap - 1, i;
		uint64_t x;

		for (i = h & mask; ioc_bloom_may(s, h) &&
		    (x = s->addrs.slot[i]) != 0; i = (i + 1) & mask) {
			const struct ioc_ind *d;

			if ((uint32_t)(x >> 32) != h)
				continue;
			d = &s->ind[(x & 0xffffffffu) - 1];
			if (d->kind == IOC_ADDR && (d->port == 0 || port == 0 ||
			    d->port == port) && memcmp(s->pool + d->off, ip->b,
			    16) == 0)
				n = hit(out, n, max, (uint32_t)(x & 0xffffffffu) -
				    1, 1);
		}
	}
	if (s->niv == 0)
		return n;
	halves(ip, a);
	if (ip_is_v4(ip) && s->v4first != NULL) {
		/* Its /16's intervals, and the one running into the next. */
		uint32_t k = (uint32_t)ip->b[12] << 8 | ip->b[13];

		lo = s->v4first[k];
		hi = s->v4first[k + 1] < s->niv ? s->v4first[k + 1] + 1 :
		    s->niv;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (below(s->iv[mid].hi, a))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->niv && !below(a, s->iv[lo].lo))
		n = hit(out, n, max, s->iv[lo].id, 0);
	return n;
}

/*
 * Where the label of buf[0..len) that starts at p ends: at the next '.'
 * that is not escaped, or at len. BIND writes a '.' inside a label as
 * "\." (and a backslash as "\\"), so "x\.evil.example" has the labels
 * "x.evil" and "example" and is not under "evil.example": a backslash
 * takes the byte after it into the label.
 */
static size_t
label_end(const char *buf, size_t len, size_t p)
{
	while (p < len && buf[p] != '.')
		p += buf[p] == '\\' ? 2 : 1;
	return p < len ? p : len;
}

/*
 * Looks up the lower-case name buf[0..len) and each parent domain,
 * appending to out. A top-level name is never listed, so the last label
 * alone is not looked up.
 */
static size_t
domains(const struct ioc_set *s, const char *buf, size_t len,
    struct ioc_hit *out, size_t n, size_t max)
{
	size_t p = 0, i;
	long id;

	for (;;) {
		i = label_end(buf, len, p);
		if (i >= len)
			return n;
		if ((id = ioc_name_find(s, IOC_DOMAIN, buf + p, len - p)) >= 0)
			n = hit(out, n, max, (uint32_t)id, p == 0);
		p = i + 1;
	}
}

size_t
ioc_match_domain(const struct ioc_set *s, struct slice name,
    struct ioc_hit *out, size_t max)
{
	char buf[1024];
	size_t i;

	if (s->count[IOC_DOMAIN] == 0)
		return 0;
	if (name.n == 0 || name.n > sizeof buf)
		return 0;
	for (i = 0; i < name.n; i++) {
		char c = name.p[i];

		buf[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	/* The root's dot, unless escaped: "a\." ends in a label's '.'. */
	for (i = name.n - 1; i > 0 && buf[i - 1] == '\\'; i--)
		;
	if (buf[name.n - 1] == '.' && (name.n - 1 - i) % 2 == 0)
		name.n--;
	/* A log that writes a name in Unicode: lists hold its A-labels. */
	name.n = ioc_name_ascii(buf, name.n, sizeof buf);
	return domains(s, buf, name.n, out, 0, max);
}

int
ioc_url_host_listed(const struct ioc_set *s, struct slice url)
{
	char buf[300];
	size_t hostlen;
	int trunc;

	return s->count[IOC_URL] > 0 && ioc_url_norm(buf, sizeof buf, url,
	    &hostlen, &trunc, 1) > 0 && ioc_bloom_may(s, ioc_hash(buf,
	    hostlen, SEED_URLHOST));
}

int
ioc_has_site_urls(const struct ioc_set *s)
{
	return s->site_urls > 0;
}

size_t
ioc_match_url(const struct ioc_set *s, struct slice url,
    struct ioc_hit *out, size_t max)
{
	char buf[8192];
	size_t hostlen, q, i, n = 0, tries = 0;
	int trunc;
	long len, id;

	/*
	 * The host first, in a short buffer: most hosts have no URL listed,
	 * and their paths need not be normalised at all.
	 */
	if (!ioc_url_host_listed(s, url) || (len = ioc_url_norm(buf,
	    sizeof buf, url, &hostlen, &trunc, 0)) < 0)
		return 0;
	for (q = hostlen; q < (size_t)len && buf[q] != '?'; q++)
		;
	if (!trunc && (id = ioc_name_find(s, IOC_URL, buf, (size_t)len)) >= 0)
		n = hit(out, n, max, (uint32_t)id, 1);
	if (!trunc && q < (size_t)len &&
	    (id = ioc_name_find(s, IOC_URL, buf, q)) >= 0)
		n = hit(out, n, max, (uint32_t)id, 0);
	/*
	 * Each directory, from the root down: a listed kit is near it, and
	 * a path padded with directories is cut short at its far end.
	 */
	for (i = hostlen; i < q && tries < 64; i++) {
		if (buf[i] != '/')
			continue;
		tries++;
		if (i + 1 < (size_t)len && (id = ioc_name_find(s, IOC_URL, buf,
		    i + 1)) >= 0)
			n = hit(out, n, max, (uint32_t)id, 0);
		if (i > hostlen && i < q && (id = ioc_name_find(s, IOC_URL, buf,
		    i)) >= 0)
			n = hit(out, n, max, (uint32_t)id, 0);
	}
	return n;
}

size_t
ioc_match_email(const struct ioc_set *s, struct slice addr,
    struct ioc_hit *out, size_t max)
{
	char buf[1024];
	size_t at, n = 0, dlen;
	long len = ioc_email_norm(buf, sizeof buf, addr, &at), id;

	if (len < 0)
		return 0;
	if (s->count[IOC_EMAIL] > 0 &&
	    (id = ioc_name_find(s, IOC_EMAIL, buf, (size_t)len)) >= 0)
		n = hit(out, n, max, (uint32_t)id, 1);
	dlen = (size_t)len - at - 1;
	if (s->count[IOC_DOMAIN] > 0)
		n = domains(s, buf + at + 1, dlen, out, n, max);
	return n;
}

void
ioc_get(const struct ioc_set *s, uint32_t id, struct ioc_info *info)
{
	const struct ioc_ind *d = &s->ind[id];

	info->kind = (enum ioc_kind)d->kind;
	info->source = ioc_str_get(s, d->source);
	info->tag = ioc_str_get(s, d->tag);
	info->severity = d->severity;
	info->confidence = d->confidence;
	info->stage = (enum ioc_stage)d->stage;
}

size_t
ioc_text(const struct ioc_set *s, uint32_t id, char *buf, size_t cap)
{
	const struct ioc_ind *d = &s->ind[id];
	char a[IPADDR_TEXT_MAX];
	struct ipaddr ip;
	int n;

	if (cap == 0)
		return 0;
	if (d->kind != IOC_ADDR && d->kind != IOC_NET) {
		size_t k = d->len < cap - 1 ? d->len : cap - 1;

		memcpy(buf, s->pool + d->off, k);
		buf[k] = '\0';
		return k;
	} else {
		memcpy(ip.b, s->pool + d->off, 16);
		ip_format(a, &ip);
		if (d->kind == IOC_NET)
			n = snprintf(buf, cap, "%s/%u", a, ip_is_v4(&ip) ?
			    d->port - 96u : (unsigned)d->port);
		else if (d->port == 0)
			n = snprintf(buf, cap, "%s", a);
		else
			n = snprintf(buf, cap, ip_is_v4(&ip) ? "%s:%u" :
			    "[%s]:%u", a, (unsigned)d->port);
	}
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}
