/*
 * pairs.c: csm-beacon's pair store. A pair is found in an open-addressing
 * table of 64-bit slots (half its hash, its index), and each event's time
 * and size are appended as one 64-bit word to the pair's chain of chunks
 * in a single word store (chunks of 2, 4, ... 4096 words, so a pair of n
 * events costs at most about 2n words plus a header per chunk, and nothing
 * is allocated per event). Memory grows with pairs and their events up to
 * max-timestamps words a pair; past that a pair keeps a deterministic
 * sample of its clock hours (by a hash of the hour), so the result does
 * not depend on the input order.
 */
#include <stdlib.h>
#include <string.h>
#include "beacon.h"
#include "detect.h"
#include "hash.h"

#define CLOG_MAX 12		/* chunks of at most 4096 words */
#define CACHE_LINE 64

/*
 * Whether word w survives sampling level shift (always at level 0): the
 * clock hours are sampled, by a hash of the hour, not the connections,
 * since thinning single beats would turn a beacon into random arrivals
 * while a kept hour keeps every gap of it. Each level keeps half of the
 * hours of the one below, whatever the order the words came in.
 */
static int
kept(uint64_t w, unsigned shift)
{
	uint64_t hour = (w >> BEACON_SIZE_BITS) / 3600000;

	return shift == 0 || hash_mix64(hour + 0x9e3779b97f4a7c15ULL) >>
	    (64 - shift) == 0;
}

/* A new chunk of 2^clog words (plus header) linked after prev. */
static int64_t
chunk_new(struct beacon *b, unsigned clog, uint32_t prev)
{
	size_t need = ((size_t)1 << clog) + 1, at;
	uint32_t f = b->free_chunk[clog];

	if (f != 0) {
		at = f - 1;
		b->free_chunk[clog] = (uint32_t)(b->w[at] & 0xffffffffu);
	} else {
		if (b->wlen + need > b->wcap) {
			size_t cap = b->wcap ? b->wcap * 2 : 1 << 16;
			uint64_t *w;

			while (cap < b->wlen + need)
				cap *= 2;
			if (cap > UINT32_MAX)
				return -1;	/* 32 GiB of words */
			if ((w = realloc(b->w, cap * sizeof *w)) == NULL)
				return -1;
			b->w = w;
			b->wcap = cap;
		}
		at = b->wlen;
		b->wlen += need;
	}
	b->w[at] = (uint64_t)clog << 32 | prev;
	return (int64_t)at;
}

/* Appends word w to p's chain; -1 when out of memory. */
static int
store(struct beacon *b, struct bc_pair *p, uint64_t w)
{
	int64_t at;

	if (p->chunk == 0 || p->used == 1u << p->clog) {
		unsigned clog = p->chunk == 0 ? 1 : p->clog < CLOG_MAX ?
		    p->clog + 1u : CLOG_MAX;

		if ((at = chunk_new(b, clog, p->chunk)) < 0)
			return -1;
		p->chunk = (uint32_t)at + 1;
		p->clog = (uint8_t)clog;
		p->used = 0;
	}
	b->w[p->chunk + p->used] = w;	/* chunk is header index + 1 */
	p->used++;
	p->stored++;
	return 0;
}

/*
 * Copies p's words into into->v, oldest chunk first (the chain runs from
 * the newest), so that the words of a log read in time order come out
 * sorted; returns how many or -1.
 */
static int64_t
copy_words(const struct beacon *b, const struct bc_pair *p,
    struct bc_words *into)
{
	uint32_t c = p->chunk;
	size_t k = p->stored, used = p->used;

	if (into->cap < p->stored) {
		size_t cap = p->stored < 1024 ? 1024 : p->stored;
		uint64_t *t = realloc(into->v, cap * sizeof *t);

		if (t == NULL)
			return -1;
		into->v = t;
		into->cap = cap;
	}
	/* Every chunk but the newest is full: they add up to p->stored. */
	while (c != 0 && used <= k) {
		uint64_t hdr = b->w[c - 1];

		k -= used;
		memcpy(into->v + k, b->w + c, used * sizeof *into->v);
		c = (uint32_t)(hdr & 0xffffffffu);
		if (c != 0)
			used = (size_t)1 << (b->w[c - 1] >> 32 & 0xff);
	}
	return (int64_t)p->stored;
}

/* Adds k connections on local date day to p's day table. */
static int
daytab_add(struct beacon *b, struct bc_pair *p, int64_t day, uint32_t k)
{
	struct bc_daytab *d = &b->daytab[p->daytab - 1];
	size_t lead, n;
	uint32_t *c;

	if (d->n == 0) {
		if ((d->count = calloc(1, sizeof *d->count)) == NULL)
			return -1;
		d->first = day;
		d->n = 1;
	} else if (day < d->first || day >= d->first + (int64_t)d->n) {
		/* Grow to cover day, on whichever side it lies. */
		lead = day < d->first ? (size_t)(d->first - day) : 0;
		n = day < d->first ? d->n + lead : (size_t)(day - d->first) + 1;
		if ((c = calloc(n, sizeof *c)) == NULL)
			return -1;
		memcpy(c + lead, d->count, d->n * sizeof *c);
		free(d->count);
		d->count = c;
		d->n = n;
		d->first -= (int64_t)lead;
	}
	c = &d->count[day - d->first];
	*c = *c > UINT32_MAX - k ? UINT32_MAX : *c + k;
	return 0;
}

/* Starts p's day table from the words it holds (all of them so far). */
static int
daytab_start(struct beacon *b, struct bc_pair *p, size_t n)
{
	size_t i;

	if (b->ndaytab == b->daytab_cap) {
		size_t cap = b->daytab_cap ? b->daytab_cap * 2 : 16;
		struct bc_daytab *d = realloc(b->daytab, cap * sizeof *d);

		if (d == NULL)
			return -1;
		b->daytab = d;
		b->daytab_cap = cap;
	}
	memset(&b->daytab[b->ndaytab], 0, sizeof *b->daytab);
	p->daytab = (uint32_t)++b->ndaytab;
	for (i = 0; i < n; i++)
		if (daytab_add(b, p, bc_day(b->days, beacon_ts(b->tmp.v[i])),
		    1) != 0)
			return -1;
	return 0;
}

/*
 * Halves p's sample until it fits: the chunks go back to their free
 * lists and the words that survive the next level are stored again.
 */
static int
thin(struct beacon *b, struct bc_pair *p)
{
	int64_t n;
	size_t i, k;
	uint32_t c;

	while (p->stored > b->t.max_stored && p->shift < 63) {
		if ((n = copy_words(b, p, &b->tmp)) < 0)
			return -1;
		if (p->daytab == 0 && daytab_start(b, p, (size_t)n) != 0)
			return -1;
		for (c = p->chunk; c != 0; ) {
			uint64_t hdr = b->w[c - 1];
			unsigned clog = (unsigned)(hdr >> 32 & 0xff);

			b->w[c - 1] = (uint64_t)clog << 32 |
			    b->free_chunk[clog];
			b->free_chunk[clog] = c;
			c = (uint32_t)(hdr & 0xffffffffu);
		}
		p->chunk = 0;
		p->stored = 0;
		p->used = 0;
		p->shift++;
		for (i = k = 0; i < (size_t)n; i++)
			if (kept(b->tmp.v[i], p->shift))
				b->tmp.v[k++] = b->tmp.v[i];
		for (i = 0; i < k; i++)
			if (store(b, p, b->tmp.v[i]) != 0)
				return -1;
	}
	return 0;
}

size_t
bc_gather(const struct beacon *b, const struct bc_pair *p,
    struct bc_words *into)
{
	int64_t n = copy_words(b, p, into);

	if (n < 0)
		return (size_t)-1;
	beacon_sort_words(into->v, (size_t)n);
	return (size_t)n;
}

/*
 * The hash of a pair: agg_hash (seeded per process, so that logs cannot
 * be shaped to collide in the table; the output is sorted and never
 * depends on it) of "src TAB dst", which names the pair, as no field
 * holds a TAB. Where the stream has the two side by side (csm-parse's
 * order) that is one pass over the line's own text, else over a copy.
 */
uint64_t
bc_pair_hash(struct slice src, struct slice dst)
{
	char buf[BC_SRC_MAX + 1 + BC_KEY_MAX];

	if (src.p + src.n + 1 == dst.p && src.p[src.n] == '\t')
		return agg_hash(slice_make(src.p, src.n + 1 + dst.n));
	if (src.n > BC_SRC_MAX || dst.n > BC_KEY_MAX)
		return 0;	/* never (the callers cap both); and still right */
	memcpy(buf, src.p, src.n);
	buf[src.n] = '\t';
	memcpy(buf + src.n + 1, dst.p, dst.n);
	return agg_hash(slice_make(buf, src.n + 1 + dst.n));
}

/* Doubles the pair slots; -1 when out of memory. */
static int
pair_grow(struct beacon *b)
{
	size_t n = b->nslot ? b->nslot * 2 : 4096, i, j;
	uint64_t *s = calloc(n, sizeof *s);

	if (s == NULL)
		return -1;
	for (j = 0; j < b->nslot; j++) {
		if (b->slot[j] == 0)
			continue;
		for (i = (b->slot[j] >> 32) & (n - 1); s[i] != 0;
		    i = (i + 1) & (n - 1))
			;
		s[i] = b->slot[j];
	}
	free(b->slot);
	b->slot = s;
	b->nslot = n;
	return 0;
}

/*
 * Grows *mem (the allocation of the array at, used bytes of it in use) to
 * hold cap bytes from a cache line's start, which it returns, or NULL
 * when out of memory. A pair read whole then costs one cache line, not
 * two: malloc aligns to 16 bytes only.
 */
static void *
realloc_lines(void **mem, void *at, size_t used, size_t cap)
{
	size_t was = *mem ? (size_t)((char *)at - (char *)*mem) : 0, now;
	char *m = realloc(*mem, cap + CACHE_LINE - 1);

	if (m == NULL)
		return NULL;
	now = (size_t)(-(uintptr_t)m & (CACHE_LINE - 1));
	if (now != was)
		memmove(m + now, m + was, used);
	*mem = m;
	return m + now;
}

/*
 * A new pair in the first free slot of hash h's probe: a slot holds the
 * hash's top half beside the pair's index, so a probe (bc_pair_find)
 * reads a pair only when that half matches.
 */
struct bc_pair *
bc_pair_new(struct beacon *b, uint32_t src, uint32_t dst, uint64_t h)
{
	uint32_t tag = (uint32_t)(h >> 32);
	size_t i, mask;
	struct bc_pair *p;

	if (2 * (b->npair + 1) > b->nslot && pair_grow(b) != 0)
		return NULL;
	mask = b->nslot - 1;
	for (i = tag & mask; b->slot[i] != 0; i = (i + 1) & mask)
		;
	if (b->npair == b->pair_cap) {
		size_t cap = b->pair_cap ? b->pair_cap * 2 : 4096;

		if (cap > UINT32_MAX - 1 || (p = realloc_lines(&b->pair_mem,
		    b->pair, b->npair * sizeof *p, cap * sizeof *p)) == NULL)
			return NULL;
		b->pair = p;
		b->pair_cap = cap;
	}
	p = &b->pair[b->npair];
	memset(p, 0, sizeof *p);
	p->src = src;
	p->dst = dst;
	p->first_ms = INT64_MAX;
	p->last_ms = INT64_MIN;
	b->slot[i] = (uint64_t)tag << 32 | (uint32_t)++b->npair;
	return p;
}

struct bc_pair *
bc_pair_find(const struct beacon *b, uint64_t h, struct slice src,
    struct slice dst)
{
	uint32_t tag = (uint32_t)(h >> 32);
	size_t i, mask;
	struct bc_pair *p;

	if (b->nslot == 0)
		return NULL;
	mask = b->nslot - 1;
	for (i = tag & mask; b->slot[i] != 0; i = (i + 1) & mask) {
		if ((uint32_t)(b->slot[i] >> 32) != tag)
			continue;
		p = &b->pair[(uint32_t)b->slot[i] - 1];
		if (bc_name_is(&b->srcs, p->src, src) &&
		    bc_name_is(&b->dsts, p->dst, dst))
			return p;
	}
	return NULL;
}

int
bc_pair_store(struct beacon *b, struct bc_pair *p, uint64_t w)
{
	if (!kept(w, p->shift))
		return 0;
	if (store(b, p, w) != 0)
		return -1;
	if (p->stored <= b->t.max_stored)
		return 0;
	if (p->shift == 0)
		b->sampled++;
	return thin(b, p);
}

int
bc_pair_day_add(struct beacon *b, struct bc_pair *p, int64_t ts_ms)
{
	return daytab_add(b, p, bc_day(b->days, ts_ms), 1);
}
