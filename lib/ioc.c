/*
 * ioc.c: building the indicator set of ioc.h. Indicators live in one
 * array, their texts in one pool, and hash tables find names (domains,
 * URLs, e-mail addresses) and addresses; sources and tags are interned,
 * since a list repeats a few of them a million times. Every value is
 * brought to one form by ioc_name.c first, the list's and the log's
 * alike; a value listed twice is one indicator. The lookups are
 * ioc_match.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "ioc_impl.h"
#include "num.h"

#define VALUE_MAX 8192		/* longest indicator taken */

uint32_t
ioc_hash(const void *p, size_t n, uint32_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ seed ^ ((uint64_t)n << 40), v = 0;
	uint32_t a, b;
	size_t len = n;

	while (n > 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	/*
	 * The last one to eight bytes in one load, overlapping bytes hashed
	 * already when the key is long enough: names are short, and a call
	 * to memcpy of a variable length would cost more than the rest.
	 */
	if (len >= 8)
		memcpy(&v, s + n - 8, 8);
	else if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		v = (uint64_t)a << 32 | b;
	} else if (n > 0)
		v = (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | s[n - 1];
	h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static void
tab_insert(uint64_t *slot, size_t cap, uint64_t v)
{
	size_t mask = cap - 1, i = (uint32_t)(v >> 32) & mask;

	while (slot[i] != 0)
		i = (i + 1) & mask;
	slot[i] = v;
}

int
ioc_tab_put(struct ioc_tab *t, uint32_t h, uint32_t id)
{
	if ((t->n + 1) * 10 > t->cap * 7) {
		size_t cap = t->cap ? t->cap * 2 : 64, i;
		uint64_t *slot;

		if (cap > ((size_t)1 << 32) || (slot = calloc(cap,
		    sizeof *slot)) == NULL)
			return -1;
		for (i = 0; i < t->cap; i++)
			if (t->slot[i] != 0)
				tab_insert(slot, cap, t->slot[i]);
		free(t->slot);
		t->slot = slot;
		t->cap = cap;
	}
	tab_insert(t->slot, t->cap, (uint64_t)h << 32 | ((uint64_t)id + 1));
	t->n++;
	return 0;
}

void
ioc_tab_release(struct ioc_tab *t)
{
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* Appends n bytes to the pool; *off is where they start. */
static int
pool_put(struct ioc_set *s, const void *p, size_t n, uint32_t *off)
{
	if (s->plen + n > UINT32_MAX)
		return -1;
	if (s->pcap - s->plen < n) {
		size_t cap = s->pcap ? s->pcap : 65536;
		char *b;

		while (cap - s->plen < n)
			cap *= 2;
		if ((b = realloc(s->pool, cap)) == NULL)
			return -1;
		s->pool = b;
		s->pcap = cap;
	}
	if (n > 0)
		memcpy(s->pool + s->plen, p, n);
	*off = (uint32_t)s->plen;
	s->plen += n;
	return 0;
}

struct slice
ioc_str_get(const struct ioc_set *s, uint32_t id)
{
	return slice_make(s->pool + s->str[id].off, s->str[id].len);
}

int
ioc_intern(struct ioc_set *s, struct slice v, uint32_t *id)
{
	uint32_t h = ioc_hash(v.p, v.n, SEED_STR);
	size_t mask = s->strs.cap - 1, i;
	uint64_t x;

	if (s->strs.cap > 0)
		for (i = h & mask; (x = s->strs.slot[i]) != 0;
		    i = (i + 1) & mask) {
			uint32_t k = (uint32_t)(x & 0xffffffffu) - 1;

			/* The pool is still NULL when "" is looked up first. */
			if ((uint32_t)(x >> 32) == h && s->str[k].len == v.n &&
			    (v.n == 0 || memcmp(s->pool + s->str[k].off, v.p,
			    v.n) == 0)) {
				*id = k;
				return 0;
			}
		}
	if (s->nstr == s->strcap) {
		size_t cap = s->strcap ? s->strcap * 2 : 64;
		struct ioc_str *p = realloc(s->str, cap * sizeof *p);

		if (p == NULL)
			return -1;
		s->str = p;
		s->strcap = cap;
	}
	if (s->nstr >= UINT32_MAX - 1 || pool_put(s, v.p, v.n,
	    &s->str[s->nstr].off) != 0)
		return -1;
	s->str[s->nstr].len = (uint32_t)v.n;
	if (ioc_tab_put(&s->strs, h, (uint32_t)s->nstr) != 0)
		return -1;
	*id = (uint32_t)s->nstr++;
	return 0;
}

struct ioc_set *
ioc_new(void)
{
	struct ioc_set *s = calloc(1, sizeof *s);
	uint32_t id;

	if (s == NULL)
		return NULL;
	/* String 0 is the empty string: no tag. */
	if (ioc_intern(s, SLICE_LIT(""), &id) != 0 ||
	    ioc_suffix_builtin(s) != 0) {
		ioc_free(s);
		return NULL;
	}
	return s;
}

void
ioc_free(struct ioc_set *s)
{
	if (s == NULL)
		return;
	free(s->ind);
	free(s->pool);
	free(s->str);
	free(s->iv);
	free(s->v4first);
	free(s->urlhost);
	free(s->bloom);
	ioc_tab_release(&s->names);
	ioc_tab_release(&s->addrs);
	ioc_tab_release(&s->strs);
	ioc_tab_release(&s->psl);
	free(s);
}

void
ioc_set_min_confidence(struct ioc_set *s, int min)
{
	s->min_confidence = min;
}

size_t
ioc_count(const struct ioc_set *s, enum ioc_kind k)
{
	return k == IOC_NKINDS ? s->n : s->count[k];
}

long
ioc_name_find(const struct ioc_set *s, int k, const char *p, size_t n)
{
	uint32_t h = ioc_hash(p, n, (uint32_t)k + 1);
	size_t mask = s->names.cap - 1, i;
	uint64_t x;

	if (s->names.cap == 0 || !ioc_bloom_may(s, h))
		return -1;
	for (i = h & mask; (x = s->names.slot[i]) != 0; i = (i + 1) & mask) {
		const struct ioc_ind *d;

		if ((uint32_t)(x >> 32) != h)
			continue;
		d = &s->ind[(x & 0xffffffffu) - 1];
		if (d->kind == k && d->len == n &&
		    memcmp(s->pool + d->off, p, n) == 0)
			return (long)((x & 0xffffffffu) - 1);
	}
	return -1;
}

/* The address or network with these bytes and port (prefix), or -1. */
static long
addr_find(const struct ioc_set *s, int k, const struct ipaddr *ip,
    unsigned port)
{
	uint32_t h = k == IOC_NET ? ioc_hash(ip->b, 16, SEED_NET + port) :
	    ioc_hash(ip->b, 16, SEED_ADDR);
	size_t mask = s->addrs.cap - 1, i;
	uint64_t x;

	if (s->addrs.cap == 0)
		return -1;
	for (i = h & mask; (x = s->addrs.slot[i]) != 0; i = (i + 1) & mask) {
		const struct ioc_ind *d;

		if ((uint32_t)(x >> 32) != h)
			continue;
		d = &s->ind[(x & 0xffffffffu) - 1];
		if (d->kind == k && d->port == port &&
		    memcmp(s->pool + d->off, ip->b, 16) == 0)
			return (long)((x & 0xffffffffu) - 1);
	}
	return -1;
}

static void
merge(struct ioc_set *s, struct ioc_ind *d, const struct ioc_meta *m,
    int severity)
{
	uint32_t tag;

	if (severity > d->severity)
		d->severity = (uint8_t)severity;
	if (m->confidence > d->confidence)
		d->confidence = (int8_t)m->confidence;
	if (d->stage == IOC_STAGE_NONE)
		d->stage = (uint8_t)m->stage;
	if (d->tag == 0 && m->tag.n > 0 && ioc_intern(s, m->tag, &tag) == 0)
		d->tag = tag;
}

/* Adds a new indicator, or merges into the one already there. */
static int
store(struct ioc_set *s, int k, const void *key, size_t n, unsigned port,
    const struct ioc_meta *m)
{
	struct ioc_ind *d;
	uint32_t h;
	long old;
	int sev = m->severity;

	/* No severity: from the confidence (75 high, 50 medium), else high. */
	if (sev < 0)
		sev = m->confidence < 0 ? 3 : m->confidence >= 75 ? 3 :
		    m->confidence >= 50 ? 2 : 1;
	if (sev > 4)
		sev = 4;

	if (k == IOC_ADDR || k == IOC_NET) {
		old = addr_find(s, k, key, port);
		h = k == IOC_NET ? ioc_hash(key, 16, SEED_NET + port) :
		    ioc_hash(key, 16, SEED_ADDR);
	} else {
		old = ioc_name_find(s, k, key, n);
		h = ioc_hash(key, n, (uint32_t)k + 1);
	}
	if (old >= 0) {
		merge(s, &s->ind[old], m, sev);
		return IOC_MERGED;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;

		if (cap >= UINT32_MAX || (d = realloc(s->ind,
		    cap * sizeof *d)) == NULL)
			return IOC_NOMEM;
		s->ind = d;
		s->cap = cap;
	}
	d = &s->ind[s->n];
	memset(d, 0, sizeof *d);
	d->kind = (uint8_t)k;
	d->port = (uint16_t)port;
	d->severity = (uint8_t)sev;
	d->confidence = (int8_t)(m->confidence > 100 ? 100 : m->confidence);
	d->stage = (uint8_t)m->stage;
	d->len = (uint32_t)n;
	if (pool_put(s, key, n, &d->off) != 0 ||
	    ioc_intern(s, m->source, &d->source) != 0 ||
	    ioc_intern(s, m->tag, &d->tag) != 0 ||
	    ioc_tab_put(k == IOC_ADDR || k == IOC_NET ? &s->addrs :
	    &s->names, h, (uint32_t)s->n) != 0)
		return IOC_NOMEM;
	s->n++;
	s->count[k]++;
	return IOC_ADDED;
}

/* Whether ip is one no event goes to: unspecified or loopback. */
static int
addr_unusable(const struct ipaddr *ip)
{
	static const uint8_t zero[16], one[16] = { [15] = 1 };

	if (ip_is_v4(ip))
		return ip->b[12] == 0 || ip->b[12] == 127;
	return memcmp(ip->b, zero, 16) == 0 || memcmp(ip->b, one, 16) == 0;
}

/* Whether [lo, hi] holds x. */
static int
holds(const struct ipaddr *lo, const struct ipaddr *hi, const uint8_t *x)
{
	return memcmp(lo->b, x, 16) <= 0 && memcmp(x, hi->b, 16) <= 0;
}

void
ioc_prefix_range(struct ipaddr *lo, struct ipaddr *hi, unsigned len)
{
	int i;

	*hi = *lo;
	for (i = 0; i < 16; i++) {
		int bits = (int)len - i * 8;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
		    (uint8_t)(0xff << (8 - bits));

		lo->b[i] &= mask;
		hi->b[i] |= (uint8_t)~mask;
	}
}

/* An address, or a CIDR block, maybe with a port (not both). */
static int
add_addr(struct ioc_set *s, struct slice v, unsigned port,
    const struct ioc_meta *m, const char **why)
{
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t lo4[16] = { [10] = 0xff, [11] = 0xff, [12] = 127,
	    [15] = 1 };
	static const uint8_t one[16] = { [15] = 1 };
	long slash = slice_find(v, '/');
	struct ipaddr ip, hi;
	uint64_t len = 128;
	int v4;

	if (ip_parse(slash < 0 ? v : slice_make(v.p, (size_t)slash),
	    &ip) != 0) {
		*why = "bad address or network";
		return IOC_BAD;
	}
	v4 = ip_is_v4(&ip);
	if (slash >= 0) {
		if (port != 0 || num_parse_u64(slice_from(v, (size_t)slash +
		    1), v4 ? 32 : 128, &len) != 0) {
			*why = "bad prefix length in";
			return IOC_BAD;
		}
		if (len < (v4 ? 8u : 16u)) {
			*why = "network|refused: shorter than /8 (/16 for IPv6), "
			    "too broad";
			return IOC_BAD;
		}
		len += v4 ? 96 : 0;
	}
	ioc_prefix_range(&ip, &hi, (unsigned)len);
	if (len == 128) {
		if (addr_unusable(&ip)) {
			*why = "unspecified or loopback address|refused";
			return IOC_BAD;
		}
		return store(s, IOC_ADDR, ip.b, 16, port, m);
	}
	if ((!v4 && holds(&ip, &hi, mapped)) || holds(&ip, &hi, lo4) ||
	    holds(&ip, &hi, one) || (v4 && ip.b[12] == 0)) {
		*why = "network|refused: it holds loopback, unspecified "
		    "or IPv4-mapped addresses";
		return IOC_BAD;
	}
	return store(s, IOC_NET, ip.b, 16, (unsigned)len, m);
}

/* "addr:port", "[v6]:port" or "addr|port". */
static int
add_addr_port(struct ioc_set *s, struct slice v, const struct ioc_meta *m,
    const char **why)
{
	long bar = slice_find(v, '|'), colon = -1, i;
	struct slice a = v, p = SLICE_NONE;
	uint64_t port;

	if (bar >= 0) {
		a = slice_make(v.p, (size_t)bar);
		p = slice_from(v, (size_t)bar + 1);
	} else {
		for (i = (long)v.n - 1; i >= 0 && colon < 0; i--)
			if (v.p[i] == ':')
				colon = i;
		if (colon > 0) {
			a = slice_make(v.p, (size_t)colon);
			p = slice_from(v, (size_t)colon + 1);
		}
		if (a.n >= 2 && a.p[0] == '[' && a.p[a.n - 1] == ']')
			a = slice_make(a.p + 1, a.n - 2);
		else if (slice_find(a, ':') >= 0)
			a.n = 0;	/* IPv6 needs its brackets here */
	}
	if (p.n == 0 || num_parse_u64(p, 65535, &port) != 0 || port == 0) {
		*why = "bad address:port";
		return IOC_BAD;
	}
	if (slice_find(a, '/') >= 0 || a.n == 0) {
		*why = "bad address:port";
		return IOC_BAD;
	}
	return add_addr(s, a, (unsigned)port, m, why);
}

static int
add_domain(struct ioc_set *s, struct slice v, const struct ioc_meta *m,
    const char **why)
{
	char buf[260];
	long n = ioc_domain_norm(s, v, buf, sizeof buf, why);

	return n < 0 ? IOC_BAD : store(s, IOC_DOMAIN, buf, (size_t)n, 0, m);
}

static int
add_url(struct ioc_set *s, struct slice v, const struct ioc_meta *m,
    const char **why)
{
	char buf[VALUE_MAX + 16], host[260];
	size_t hostlen, i;
	struct slice h;
	long n, colon;
	int trunc, rc;

	n = ioc_url_norm(buf, sizeof buf, v, &hostlen, &trunc, 0);
	if (n < 0 || trunc) {
		*why = "bad URL (no host, or a bad port)";
		return IOC_BAD;
	}
	for (i = 0; i < (size_t)n; i++)
		if ((unsigned char)buf[i] <= ' ' || buf[i] == 0x7f) {
			*why = "bad URL (a space or control byte)";
			return IOC_BAD;
		}
	h = slice_make(buf, hostlen);
	if (h.p[0] == '[') {
		long close = slice_find(h, ']');
		struct ipaddr ip;

		if (close < 2 || ip_parse(slice_make(h.p + 1, (size_t)close -
		    1), &ip) != 0 || ip_is_v4(&ip)) {
			*why = "bad IPv6 address in URL";
			return IOC_BAD;
		}
	} else {
		if ((colon = slice_find(h, ':')) >= 0)
			h.n = (size_t)colon;
		if (h.n > 0 && h.p[h.n - 1] == '.') {
			*why = "empty label in";	/* "evil.example.." */
			return IOC_BAD;
		}
		if (!ip_valid(h) && ioc_domain_norm(NULL, h, host,
		    sizeof host, why) < 0)
			return IOC_BAD;
	}
	if ((rc = store(s, IOC_URL, buf, (size_t)n, 0, m)) != IOC_ADDED)
		return rc;
	if ((size_t)n == hostlen + 1 && buf[hostlen] == '/')
		s->site_urls++;
	/* The host, for ioc_match_url to skip hosts no URL is listed on. */
	if (s->nurlhost == s->urlhostcap) {
		size_t cap = s->urlhostcap ? s->urlhostcap * 2 : 256;
		uint32_t *p = realloc(s->urlhost, cap * sizeof *p);

		if (p == NULL)
			return IOC_NOMEM;
		s->urlhost = p;
		s->urlhostcap = cap;
	}
	s->urlhost[s->nurlhost++] = ioc_hash(buf, hostlen, SEED_URLHOST);
	return rc;
}

static int
add_email(struct ioc_set *s, struct slice v, const struct ioc_meta *m,
    const char **why)
{
	char buf[600], dom[260];
	size_t at, i;
	long n = ioc_email_norm(buf, sizeof buf, v, &at);

	if (n < 0) {
		*why = "bad e-mail address";
		return IOC_BAD;
	}
	for (i = 0; i < at; i++)
		if ((unsigned char)buf[i] <= ' ' || buf[i] == '<' ||
		    buf[i] == '>' || buf[i] == '@') {
			*why = "bad e-mail address";
			return IOC_BAD;
		}
	if (ioc_domain_norm(NULL, slice_make(buf + at + 1, (size_t)n - at -
	    1), dom, sizeof dom, why) < 0)
		return IOC_BAD;
	return store(s, IOC_EMAIL, buf, (size_t)n, 0, m);
}

/* Whether v is only hex digits, as long as an MD5 to SHA-512 digest. */
static int
is_hash(struct slice v)
{
	size_t i;

	if (v.n != 32 && v.n != 40 && v.n != 64 && v.n != 128)
		return 0;
	for (i = 0; i < v.n; i++) {
		char c = v.p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

/* What a value of a plain list is: -1 for a file hash. */
static int
classify(struct slice v)
{
	long slash = slice_find(v, '/'), i;

	if (v.n >= 3 && memmem(v.p, v.n, "://", 3) != NULL)
		return IOC_DECL_URL;
	if (ip_valid(v))
		return IOC_DECL_ADDR;
	if (slash >= 0)
		return ip_valid(slice_make(v.p, (size_t)slash)) ?
		    IOC_DECL_ADDR : IOC_DECL_URL;
	if (slice_find(v, '@') >= 0)
		return IOC_DECL_EMAIL;
	if (v.n > 0 && v.p[0] == '[')
		return IOC_DECL_ADDR_PORT;
	for (i = (long)v.n - 1; i > 0 && v.p[i] != ':'; i--)
		;
	if (i > 0 && ip_valid(slice_make(v.p, (size_t)i)))
		return IOC_DECL_ADDR_PORT;
	if (is_hash(v))
		return -1;
	return IOC_DECL_DOMAIN;
}

int
ioc_add(struct ioc_set *s, enum ioc_decl decl, struct slice value,
    const struct ioc_meta *meta, char *why, size_t whycap)
{
	const char *reason = NULL, *bar;
	struct slice v = slice_trim(value);
	char fang[VALUE_MAX], q[100];
	int rc, d = (int)decl;

	if (meta->confidence >= 0 && meta->confidence < s->min_confidence)
		return IOC_LOW;
	if (s->finished)
		reason = "the set is finished";
	else if (v.n == 0)
		reason = "empty indicator";
	else if (v.n >= VALUE_MAX)
		reason = "indicator longer than 8 KB";
	if (reason != NULL)
		goto bad;
	v = ioc_refang(v, fang, sizeof fang);
	if (d == IOC_DECL_AUTO && (d = classify(v)) < 0)
		return IOC_UNUSED;
	switch (d) {
	case IOC_DECL_ADDR:
		rc = add_addr(s, v, 0, meta, &reason);
		break;
	case IOC_DECL_ADDR_PORT:
		rc = add_addr_port(s, v, meta, &reason);
		break;
	case IOC_DECL_DOMAIN:
		rc = add_domain(s, v, meta, &reason);
		break;
	case IOC_DECL_URL:
		rc = add_url(s, v, meta, &reason);
		break;
	default:
		rc = add_email(s, v, meta, &reason);
		break;
	}
	if (rc != IOC_BAD)
		return rc;
bad:
	/* "what|note": the value goes between the two. */
	v = slice_trim(value);
	bar = strchr(reason, '|');
	snprintf(why, whycap, "%.*s '%s'%s%s", bar ? (int)(bar - reason) :
	    (int)strlen(reason), reason, diag_escape(q, sizeof q,
	    slice_make(v.p, v.n > 60 ? 60 : v.n)), bar ? " " : "",
	    bar ? bar + 1 : "");
	return IOC_BAD;
}

