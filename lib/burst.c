/*
 * burst.c: sliding-window bursts per key (burst.h). Keys hash into
 * chains; each holds its last depth events as (second key, time) items,
 * so a window is counted by one short scan and the oldest item is the
 * one replaced. Each key is also on one of two lists in the order it was
 * last noted: keys that have not hit, and keys that have. Each note first
 * drops from the old end of both the keys idle for longer than the window
 * before the latest time seen, ending their episodes, so a sweep costs
 * what it drops; events are expected in about the order of time, as a
 * log has them; one out of order still counts when it falls within the
 * window, and one far out of order does not move the clock (clock_waits). Past idle_max keys that have not hit, the oldest of them makes
 * room: a key that hit stays until its burst ends.
 */
#include <stdlib.h>
#include <string.h>
#include "burst.h"
#include "hash.h"

#define KEY_ROUND 64		/* key room of an entry, rounded up to this */
#define FREE_MAX 4096		/* entries kept for reuse */

void
burst_init(struct burst *b, size_t threshold, size_t depth,
    int64_t window_ms, int distinct, burst_done_fn done, void *arg)
{
	memset(b, 0, sizeof *b);
	b->threshold = threshold ? threshold : 1;
	b->depth = depth < b->threshold ? b->threshold : depth;
	b->window_ms = window_ms;
	b->distinct = distinct;
	b->done = done;
	b->arg = arg;
	b->newest = INT64_MIN;
	b->seed = hash_seed();
	b->idle_max = BURST_IDLE_MAX;
}

/* Takes e off its list. */
static void
unlist(struct burst_entry *e)
{
	struct burst_list *l = e->in;

	if (l == NULL)
		return;
	*(e->older ? &e->older->newer : &l->oldest) = e->newer;
	*(e->newer ? &e->newer->older : &l->newest) = e->older;
	e->older = e->newer = NULL;
	e->in = NULL;
	l->n--;
}

/* Puts e at the new end of list l. */
static void
enlist(struct burst_list *l, struct burst_entry *e)
{
	e->older = l->newest;
	e->newer = NULL;
	*(l->newest ? &l->newest->newer : &l->oldest) = e;
	l->newest = e;
	e->in = l;
	l->n++;
}

static uint64_t
hash(const struct burst *b, struct slice key)
{
	return hash_bytes(key.p, key.n, b->seed);
}

/* Ends e's episode: hands it to done when it hit. */
static void
end_episode(struct burst *b, struct burst_entry *e)
{
	if (e->hit && b->done != NULL && b->done(b->arg, e) != 0)
		b->failed = 1;
	e->count = 0;
	e->peak = 0;
	e->hit = 0;
	e->nitem = 0;
	e->origin[0] = '\0';
	e->aux_len = 0;
	e->flags = 0;
}

static void
free_entry(struct burst_entry *e)
{
	free(e->item);
	free(e);
}

/*
 * Keys come and go as they fall idle: an entry dropped is kept for the
 * next new key that fits it, up to FREE_MAX of them.
 */
static void
drop_entry(struct burst *b, struct burst_entry *e)
{
	if (b->nfree >= FREE_MAX) {
		free_entry(e);
		return;
	}
	e->next = b->free;
	b->free = e;
	b->nfree++;
}

/* Ends e's episode and drops e from the table. */
static void
remove_entry(struct burst *b, struct burst_entry *e)
{
	struct burst_entry **pp = &b->slot[e->hash & (b->cap - 1)];

	end_episode(b, e);
	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	unlist(e);
	drop_entry(b, e);
	b->n--;
}

/* Drops the keys idle for longer than the window before now. */
static void
sweep(struct burst *b, int64_t now)
{
	struct burst_list *l[2] = { &b->idle, &b->busy };
	int i;

	for (i = 0; i < 2; i++)
		while (l[i]->oldest != NULL &&
		    now - l[i]->oldest->last_ms > b->window_ms)
			remove_entry(b, l[i]->oldest);
}

static int
grow(struct burst *b)
{
	size_t cap = b->cap ? b->cap * 2 : 64, i;
	struct burst_entry **slot = calloc(cap, sizeof *slot);

	if (slot == NULL)
		return -1;
	for (i = 0; i < b->cap; i++) {
		struct burst_entry *e = b->slot[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			e->next = slot[e->hash & (cap - 1)];
			slot[e->hash & (cap - 1)] = e;
		}
	}
	free(b->slot);
	b->slot = slot;
	b->cap = cap;
	return 0;
}

/* The entry of key, of hash h, or NULL. */
static struct burst_entry *
find(const struct burst *b, struct slice key, uint64_t h)
{
	struct burst_entry *e;

	if (b->cap > 0)
		for (e = b->slot[h & (b->cap - 1)]; e != NULL; e = e->next)
			if (e->hash == h && e->key_len == key.n &&
			    memcmp(e->key, key.p, key.n) == 0)
				return e;
	return NULL;
}

struct burst_entry *
burst_find(const struct burst *b, struct slice key)
{
	return find(b, key, hash(b, key));
}

/* A new entry with room for a key of n bytes: a kept one, or made. */
static struct burst_entry *
new_entry(struct burst *b, size_t n)
{
	struct burst_entry *e = b->free;
	struct burst_item *item;
	size_t room;

	if (e != NULL && e->key_room > n) {
		b->free = e->next;
		b->nfree--;
		item = e->item;
		room = e->key_room;
		memset(e, 0, offsetof(struct burst_entry, key));
		e->item = item;
		e->key_room = room;
		return e;
	}
	room = (n / KEY_ROUND + 1) * KEY_ROUND;
	if ((e = calloc(1, sizeof *e + room)) == NULL)
		return NULL;
	if ((e->item = calloc(b->depth, sizeof *e->item)) == NULL) {
		free(e);
		return NULL;
	}
	e->key_room = room;
	return e;
}

static struct burst_entry *
lookup(struct burst *b, struct slice key)
{
	uint64_t h = hash(b, key);
	struct burst_entry *e;

	if ((e = find(b, key, h)) != NULL)
		return e;
	/*
	 * Room among the keys that have not hit, whatever the input holds:
	 * the one noted longest ago goes, counted.
	 */
	while (b->idle.n >= b->idle_max && b->idle.oldest != NULL) {
		remove_entry(b, b->idle.oldest);
		b->evicted++;
	}
	if ((b->n >= b->cap && grow(b) != 0) ||
	    (e = new_entry(b, key.n)) == NULL)
		return NULL;
	e->hash = h;
	e->key_len = key.n;
	memcpy(e->key, key.p, key.n);
	e->key[key.n] = '\0';
	e->first_ms = e->last_ms = INT64_MIN;
	e->next = b->slot[h & (b->cap - 1)];
	b->slot[h & (b->cap - 1)] = e;
	enlist(&b->idle, e);
	b->n++;
	return e;
}

/* Puts (sub, ts) into e's items, replacing the oldest when full. */
static void
put(struct burst *b, struct burst_entry *e, uint64_t sub, int64_t ts)
{
	size_t i, old = 0;

	if (b->distinct)
		for (i = 0; i < e->nitem; i++)
			if (e->item[i].sub == sub) {
				if (ts > e->item[i].ts)
					e->item[i].ts = ts;
				return;
			}
	if (e->nitem < b->depth) {
		e->item[e->nitem].sub = sub;
		e->item[e->nitem++].ts = ts;
		return;
	}
	for (i = 1; i < e->nitem; i++)
		if (e->item[i].ts < e->item[old].ts)
			old = i;
	e->item[old].sub = sub;
	e->item[old].ts = ts;
}

/*
 * Moves the sweep's clock to ts. An event more than a window away from the
 * clock moves it only when BURST_LEAP_VOTES events in a row are as far
 * the same way, and then to the earliest of them: one event stamped years
 * ahead (a host whose clock is wrong, a forged syslog line) would
 * otherwise end every burst in progress at the next event, and a log
 * that goes back in time (a second file of the same days) would have
 * every key forgotten as soon as it was noted. A clock behind the events
 * only keeps keys longer (up to idle_max). Whether it stands still while
 * a leap is voted on.
 */
static int
clock_waits(struct burst *b, int64_t ts)
{
	uint64_t w = (uint64_t)b->window_ms;
	int dir;

	if (b->newest == INT64_MIN) {
		b->newest = ts;
		return 0;
	}
	/* Unsigned: the distance of two int64 fits in a uint64. */
	dir = ts > b->newest && (uint64_t)ts - (uint64_t)b->newest > w ? 1 :
	    ts < b->newest && (uint64_t)b->newest - (uint64_t)ts > w ? -1 : 0;
	if (dir == 0) {
		if (ts > b->newest)
			b->newest = ts;
		b->leap_votes = 0;
		return 0;
	}
	if (b->leap_votes == 0 || dir != b->leap_dir || ts < b->leap_to)
		b->leap_to = ts;
	if (dir != b->leap_dir)
		b->leap_votes = 0;
	b->leap_dir = dir;
	if (++b->leap_votes < BURST_LEAP_VOTES)
		return 1;
	b->newest = b->leap_to;
	b->leap_votes = 0;
	return 0;
}

long
burst_note(struct burst *b, struct slice key, uint64_t sub, uint64_t n,
    int64_t ts_ms, struct slice origin, struct burst_entry **ep)
{
	struct burst_entry *e;
	size_t i, in = 0;
	uint64_t k;

	if (b->failed)
		return -1;
	if (!clock_waits(b, ts_ms))
		sweep(b, b->newest);
	if ((e = lookup(b, key)) == NULL) {
		b->failed = 1;
		return -1;
	}
	/* A gap ends an episode; so does going back before its start. */
	if (e->count > 0 && (ts_ms - e->last_ms > b->window_ms ||
	    e->first_ms - ts_ms > b->window_ms))
		end_episode(b, e);
	if (e->count == 0) {
		size_t on = origin.n < BURST_ORIGIN_MAX - 1 ? origin.n :
		    BURST_ORIGIN_MAX - 1;

		memcpy(e->origin, origin.p, on);
		e->origin[on] = '\0';
		e->first_ms = e->last_ms = ts_ms;
	}
	if (ts_ms < e->first_ms)
		e->first_ms = ts_ms;
	if (ts_ms > e->last_ms)
		e->last_ms = ts_ms;
	e->count += n ? n : 1;
	/* n events at one time: more than depth of them say no more. */
	for (k = 0; k < (n ? n : 1) && k < b->depth; k++)
		put(b, e, b->distinct ? sub : e->count - k, ts_ms);
	for (i = 0; i < e->nitem; i++)
		if (e->item[i].ts >= ts_ms - b->window_ms)
			in++;
	if (in > e->peak)
		e->peak = in;
	if (in >= b->threshold)
		e->hit = 1;
	/* Newest on its list; a gap may have ended a hit, a note made one. */
	unlist(e);
	enlist(e->hit ? &b->busy : &b->idle, e);
	*ep = e;
	return b->failed ? -1 : (long)in;
}

int
burst_finish(struct burst *b)
{
	size_t i;

	for (i = 0; i < b->cap; i++) {
		struct burst_entry *e = b->slot[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			end_episode(b, e);
			free_entry(e);
		}
		b->slot[i] = NULL;
	}
	b->n = 0;
	memset(&b->idle, 0, sizeof b->idle);
	memset(&b->busy, 0, sizeof b->busy);
	return b->failed ? -1 : 0;
}

void
burst_release(struct burst *b)
{
	struct burst_entry *e, *next;
	size_t i;

	for (e = b->free; e != NULL; e = next) {
		next = e->next;
		free_entry(e);
	}
	for (i = 0; i < b->cap; i++)
		for (e = b->slot[i]; e != NULL; e = next) {
			next = e->next;
			free_entry(e);
		}
	free(b->slot);
	memset(b, 0, sizeof *b);
}

size_t
burst_keys(const struct burst *b)
{
	return b->n;
}

uint64_t
burst_evicted(const struct burst *b)
{
	return b->evicted;
}
