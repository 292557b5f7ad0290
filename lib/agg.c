/*
 * agg.c: a hash table from byte-string keys to counters (see agg.h).
 * Keys are attacker-influenced (hosts, URLs), so the hash is seeded per
 * process and collisions cost a probe, not a crash.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "agg.h"
#include "hash.h"

static uint64_t agg_seed;

void
agg_init(struct agg *a)
{
	memset(a, 0, sizeof *a);
	if (agg_seed == 0)
		agg_seed = hash_seed();
}

/* A block of entries; an entry bigger than BLOCK_SIZE has one alone. */
struct agg_block {
	struct agg_block *next;
	size_t used;			/* bytes of data carved */
	max_align_t data[];
};

/* The bytes an entry with a key of n bytes takes in its block. */
static size_t
entry_size(size_t n)
{
	return (sizeof(struct agg_entry) + n + 1 + 7) & ~(size_t)7;
}

#define BLOCK_SIZE (64 * 1024)

void
agg_release(struct agg *a)
{
	struct agg_block *b, *next;
	size_t at;

	/*
	 * Entry by entry through the blocks, in the order they were made
	 * (and their origins, mostly), not through the slots in hash order:
	 * freeing 190,000 origins that way was a tenth of a check's run.
	 */
	for (b = a->blocks; b != NULL; b = next) {
		next = b->next;
		for (at = 0; at < b->used; ) {
			struct agg_entry *e = (struct agg_entry *)(void *)
			    ((char *)b->data + at);

			free(e->origin);
			at += entry_size(e->key_len);
		}
		free(b);
	}
	free(a->slot);
	memset(a, 0, sizeof *a);
}

/* Room for a new entry with a key of n bytes, zeroed; NULL: no memory. */
static struct agg_entry *
entry_new(struct agg *a, size_t n)
{
	size_t need = entry_size(n);
	struct agg_entry *e;

	if (need > a->room_n) {
		size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
		struct agg_block *b = malloc(sizeof *b + size);

		if (b == NULL)
			return NULL;
		b->next = a->blocks;
		b->used = 0;
		a->blocks = b;
		a->room = (char *)b->data;
		a->room_n = size;
	}
	e = (struct agg_entry *)(void *)a->room;
	a->room += need;
	a->room_n -= need;
	a->blocks->used += need;
	memset(e, 0, sizeof *e);
	return e;
}

uint64_t
agg_hash(struct slice key)
{
	return hash_bytes(key.p, key.n, agg_seed);
}

static int
grow(struct agg *a)
{
	size_t cap = a->cap ? a->cap * 2 : 1024, i, j;
	struct agg_slot *slot = calloc(cap, sizeof *slot);

	if (slot == NULL)
		return -1;
	for (i = 0; i < a->cap; i++) {
		if (a->slot[i].e == NULL)
			continue;
		j = a->slot[i].hash & (cap - 1);
		while (slot[j].e)
			j = (j + 1) & (cap - 1);
		slot[j] = a->slot[i];
	}
	free(a->slot);
	a->slot = slot;
	a->cap = cap;
	return 0;
}

struct agg_entry *
agg_get(struct agg *a, struct slice key)
{
	return agg_get_hashed(a, key, agg_hash(key));
}

struct agg_entry *
agg_get_hashed(struct agg *a, struct slice key, uint64_t h)
{
	struct agg_entry *e;
	size_t j;

	/* At most half full: probes stay short. */
	if ((a->n + 1) * 2 > a->cap && grow(a) != 0)
		return NULL;
	j = h & (a->cap - 1);
	while ((e = a->slot[j].e) != NULL) {
		if (a->slot[j].hash == h && e->key_len == key.n &&
		    memcmp(e->key, key.p, key.n) == 0)
			return e;
		j = (j + 1) & (a->cap - 1);
	}
	if ((e = entry_new(a, key.n)) == NULL)
		return NULL;
	memcpy(e->key, key.p, key.n);
	e->key[key.n] = '\0';
	e->key_len = key.n;
	a->slot[j].hash = h;
	a->slot[j].e = e;
	a->n++;
	return e;
}

int
agg_add(struct agg_entry *e, int64_t ts_ms, uint64_t bytes,
    struct slice origin)
{
	if (e->count == 0 || ts_ms < e->first_ms) {
		char *o = malloc(origin.n + 1);

		if (o == NULL)
			return -1;
		memcpy(o, origin.p, origin.n);
		o[origin.n] = '\0';
		free(e->origin);
		e->origin = o;
		e->first_ms = ts_ms;
	}
	if (e->count == 0 || ts_ms > e->last_ms)
		e->last_ms = ts_ms;
	e->count++;
	e->bytes = bytes > UINT64_MAX - e->bytes ? UINT64_MAX : e->bytes +
	    bytes;
	return 0;
}

/* Two entries of the same first time: by key, then by key length. */
static int
by_key(const void *pa, const void *pb)
{
	const struct agg_entry *a = *(struct agg_entry *const *)pa;
	const struct agg_entry *b = *(struct agg_entry *const *)pb;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);

	if (c != 0)
		return c;
	return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

/* An entry with its first time as an unsigned sort key. */
struct timed {
	uint64_t t;
	struct agg_entry *e;
};

#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)

/*
 * Sorts v[0..n) by t, stable, through tmp (n more), and returns which of
 * the two holds the result: LSD radix, 11 bits a pass, passing over the
 * digits that all entries share (a day's times differ in their low 30-odd
 * bits). A check's findings can number hundreds of thousands, where
 * qsort's calls to a comparator that reads both entries took most of the
 * time spent writing them.
 */
static struct timed *
radix_sort(struct timed *v, struct timed *tmp, size_t n)
{
	size_t count[RADIX];
	unsigned shift;
	size_t i, sum;

	for (shift = 0; shift < 64; shift += RADIX_BITS) {
		struct timed *swap;
		size_t d0 = (size_t)(v[0].t >> shift) & (RADIX - 1);
		int same = 1;

		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++) {
			size_t d = (size_t)(v[i].t >> shift) & (RADIX - 1);

			count[d]++;
			same &= d == d0;
		}
		if (same)
			continue;
		for (i = 0, sum = 0; i < RADIX; i++) {
			size_t c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[count[(size_t)(v[i].t >> shift) & (RADIX - 1)]++] =
			    v[i];
		swap = v;
		v = tmp;
		tmp = swap;
	}
	return v;
}

struct agg_entry **
agg_sorted(const struct agg *a)
{
	struct agg_entry **v = malloc((a->n ? a->n : 1) * sizeof *v);
	struct timed *t = malloc((2 * a->n + 1) * sizeof *t);
	struct timed *sorted;
	size_t i, k = 0, run;

	if (v == NULL || t == NULL) {
		free(v);
		free(t);
		return NULL;
	}
	for (i = 0; i < a->cap; i++)
		if (a->slot[i].e) {
			/* Signed times in unsigned order: flip the sign bit. */
			t[k].t = (uint64_t)a->slot[i].e->first_ms ^
			    (1ULL << 63);
			t[k++].e = a->slot[i].e;
		}
	sorted = k > 0 ? radix_sort(t, t + k, k) : t;
	for (i = 0; i < k; i++)
		v[i] = sorted[i].e;
	/* Entries of the same first time: by key (short runs, mostly). */
	for (i = 0; i < k; i += run) {
		for (run = 1; i + run < k &&
		    v[i + run]->first_ms == v[i]->first_ms; run++)
			;
		if (run > 1)
			qsort(v + i, run, sizeof *v, by_key);
	}
	free(t);
	return v;
}

struct slice
agg_key_field(const struct agg_entry *e, int i)
{
	struct slice rest = slice_make(e->key, e->key_len);
	const char *tab;

	for (;;) {
		tab = memchr(rest.p, '\t', rest.n);
		if (i == 0)
			return slice_make(rest.p, tab ? (size_t)(tab - rest.p) :
			    rest.n);
		if (tab == NULL)
			return slice_make(rest.p, 0);
		rest = slice_make(tab + 1, rest.n - (size_t)(tab + 1 - rest.p));
		i--;
	}
}
