/*
 * burst.h: bursts of events per key in a sliding time window, such as
 * failed logons per source address and account (password guessing) or
 * the distinct accounts failing from one source (password spraying).
 * For each key the table keeps the last few events only (depth, at least
 * the threshold asked about) and the current episode: the key's events
 * with no gap longer than the window between them. An episode that
 * reached depth events (or depth distinct values of the second key)
 * within one window has "hit"; when it ends (a later event after a longer
 * gap, a sweep, burst_finish) the caller's function gets it. Keys idle
 * for longer than the window before the latest event are forgotten as
 * each event is noted (up to 4096 of their entries kept for new keys),
 * so memory follows the keys active within one window, not the size of
 * the input. Keys whose episode has not hit are kept up to idle_max
 * (BURST_IDLE_MAX): past it the one noted longest ago is dropped and
 * counted, so that an attacker noting many keys (a spray from a botnet)
 * cannot grow the table without bound. A key whose episode hit is never
 * dropped for room: a burst in progress runs to its end.
 */
#ifndef CSM_BURST_H
#define CSM_BURST_H

#include <stddef.h>
#include <stdint.h>
#include "slice.h"

#define BURST_ORIGIN_MAX 256	/* origin kept, with its NUL */
#define BURST_AUX_MAX 256	/* the caller's own bytes per episode */
#define BURST_IDLE_MAX 16384	/* keys kept that have not hit */
#define BURST_LEAP_VOTES 8	/* events in a row to move the clock far */

struct burst_item {
	uint64_t sub;		/* second key (distinct mode) */
	int64_t ts;
};

struct burst_list;

struct burst_entry {
	struct burst_entry *next;	/* hash chain */
	struct burst_entry *older, *newer;	/* in its list */
	struct burst_list *in;		/* that list */
	uint64_t hash;
	int64_t first_ms, last_ms;	/* of the episode */
	uint64_t count;			/* events of the episode */
	size_t peak;			/* most in a window */
	int hit;			/* peak reached the threshold */
	char origin[BURST_ORIGIN_MAX];	/* of the episode's first event */
	char aux[BURST_AUX_MAX];	/* the caller's, zeroed per episode */
	size_t aux_len;
	uint64_t flags;			/* the caller's, zeroed too */
	size_t nitem;
	struct burst_item *item;	/* depth of them */
	size_t key_len;
	size_t key_room;		/* bytes at key, more than key_len */
	char key[];			/* key_len bytes, then a NUL */
};

/* Called for an episode that hit, when it ends; returns 0 or -1. */
typedef int (*burst_done_fn)(void *arg, const struct burst_entry *e);

/* Entries in the order they were last noted, oldest first. */
struct burst_list {
	struct burst_entry *oldest, *newest;
	size_t n;
};

struct burst {
	size_t threshold;	/* events (values) in a window for a hit */
	size_t depth;		/* items kept per key, >= threshold */
	int64_t window_ms;
	int distinct;		/* count second keys, not events */
	burst_done_fn done;
	void *arg;
	struct burst_entry **slot;	/* chains; power of two */
	size_t cap, n;
	int64_t newest;		/* the sweep's clock: latest time noted */
	int64_t leap_to;	/* the earliest time voting for a leap */
	int leap_dir;		/* +1 ahead, -1 back */
	unsigned leap_votes;	/* events in a row that voted for it */
	uint64_t seed;		/* of the key hash (hash.h) */
	struct burst_entry *free;	/* dropped entries kept for reuse */
	size_t nfree;
	struct burst_list idle;	/* keys whose episode has not hit */
	struct burst_list busy;	/* keys whose episode hit */
	size_t idle_max;	/* BURST_IDLE_MAX; a test may lower it */
	uint64_t evicted;	/* idle keys dropped for room */
	int failed;		/* done returned -1 or memory ran out */
};

/*
 * Prepares an empty table: a hit is threshold (at least 1) events, or
 * with distinct threshold distinct second keys, within window_ms; depth
 * (raised to threshold) items are kept per key, so that peak can say up
 * to depth. done (may be NULL) gets each ended episode that hit.
 */
void burst_init(struct burst *b, size_t threshold, size_t depth,
    int64_t window_ms, int distinct, burst_done_fn done, void *arg);

/*
 * Notes n events (n >= 1; with distinct, one value sub) of key at ts_ms,
 * origin being the evidence of the first (kept when it starts an
 * episode). Returns the events (distinct values) of key within the
 * window that ends at ts_ms, at most depth, and sets *ep to the entry
 * (its episode, peak and hit updated; count == n tells a new episode);
 * -1 when out of memory or done failed.
 */
long burst_note(struct burst *b, struct slice key, uint64_t sub, uint64_t n,
    int64_t ts_ms, struct slice origin, struct burst_entry **ep);

/* The entry of key, or NULL when the table holds none. */
struct burst_entry *burst_find(const struct burst *b, struct slice key);

/*
 * Ends every episode, handing those that hit to done, and empties the
 * table. Returns 0, or -1 when done failed (now or before).
 */
int burst_finish(struct burst *b);

/* Frees the table without calling done. */
void burst_release(struct burst *b);

/* The number of keys held, for tests and statistics. */
size_t burst_keys(const struct burst *b);

/* The keys dropped for room (idle_max) so far, for statistics. */
uint64_t burst_evicted(const struct burst *b);

#endif
