/*
 * agg.h: the aggregation table of the checks: one entry per key (the
 * fields of a grouping, e.g. source, destination and day, joined by TABs),
 * counting events and bytes and keeping the first and last time and the
 * origin of the first evidence. Memory grows with the number of distinct
 * keys, never with the number of events.
 */
#ifndef CSM_AGG_H
#define CSM_AGG_H

#include <stddef.h>
#include <stdint.h>
#include "slice.h"

struct agg_entry {
	int64_t first_ms, last_ms;
	uint64_t count, bytes;
	uint64_t flags;			/* the check's own bits */
	char *origin;			/* of the earliest event; owned */
	size_t key_len;
	char key[];			/* key_len bytes, then a NUL */
};

struct agg_slot {
	uint64_t hash;			/* compared before the key is */
	struct agg_entry *e;		/* NULL: free */
};

struct agg_block;

struct agg {
	struct agg_slot *slot;		/* open addressing, power of two */
	size_t cap, n;
	/*
	 * The entries, in blocks carved in turn (never freed one by one):
	 * no malloc per key, and one free per block at the end.
	 */
	struct agg_block *blocks;	/* newest first */
	char *room;			/* free space of the newest */
	size_t room_n;
};

void agg_init(struct agg *a);
void agg_release(struct agg *a);

/*
 * The entry for key, created empty (count 0) when new. Returns NULL when
 * out of memory.
 */
struct agg_entry *agg_get(struct agg *a, struct slice key);

/*
 * The hash agg_get uses (seeded per process, after the first agg_init),
 * and agg_get with it worked out beforehand, e.g. in another thread.
 */
uint64_t agg_hash(struct slice key);
struct agg_entry *agg_get_hashed(struct agg *a, struct slice key,
    uint64_t h);

/*
 * For a look-ahead hook (evrow.h): prefetches the slot where the key of
 * hash h is looked for first; then, some rows later, the entry that slot
 * holds when its hash is h. Only loads: the table may have grown since.
 */
static inline void
agg_prefetch_slot(const struct agg *a, uint64_t h)
{
	if (a->cap > 0)
		__builtin_prefetch(&a->slot[h & (a->cap - 1)]);
}

static inline void
agg_prefetch_entry(const struct agg *a, uint64_t h)
{
	const struct agg_slot *s;

	if (a->cap == 0)
		return;
	s = &a->slot[h & (a->cap - 1)];
	if (s->e != NULL && s->hash == h) {
		__builtin_prefetch(s->e);
		__builtin_prefetch((const char *)s->e + 64);
	}
}

/*
 * Counts one event at ts_ms with bytes into e; origin (the event's, as
 * written) replaces the kept one when the event is the earliest so far.
 * Returns 0, or -1 when out of memory.
 */
int agg_add(struct agg_entry *e, int64_t ts_ms, uint64_t bytes,
    struct slice origin);

/*
 * All entries ordered by first time, then key: an array of a->n pointers
 * the caller frees (the entries stay the table's), or NULL when out of
 * memory.
 */
struct agg_entry **agg_sorted(const struct agg *a);

/* Field i (TAB-separated) of e's key, or an empty slice. */
struct slice agg_key_field(const struct agg_entry *e, int i);

#endif
