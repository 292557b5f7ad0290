/*
 * agg.c: a hash table from byte-string keys to counters (see agg.h).
 * Keys are attacker-influenced (hosts, URLs), so the hash is seeded per
 * process and collisions cost a probe, not a crash.
 */
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

void
agg_release(struct agg *a)
{
	size_t i;

	for (i = 0; i < a->cap; i++)
		if (a->slot[i].e) {
			free(a->slot[i].e->origin);
			free(a->slot[i].e);
		}
	free(a->slot);
	memset(a, 0, sizeof *a);
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
	if ((e = calloc(1, sizeof *e + key.n + 1)) == NULL)
		return NULL;
	memcpy(e->key, key.p, key.n);
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

static int
by_time_then_key(const void *pa, const void *pb)
{
	const struct agg_entry *a = *(struct agg_entry *const *)pa;
	const struct agg_entry *b = *(struct agg_entry *const *)pb;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c;

	if (a->first_ms != b->first_ms)
		return a->first_ms < b->first_ms ? -1 : 1;
	if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

struct agg_entry **
agg_sorted(const struct agg *a)
{
	struct agg_entry **v = malloc((a->n ? a->n : 1) * sizeof *v);
	size_t i, k = 0;

	if (v == NULL)
		return NULL;
	for (i = 0; i < a->cap; i++)
		if (a->slot[i].e)
			v[k++] = a->slot[i].e;
	qsort(v, k, sizeof *v, by_time_then_key);
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
