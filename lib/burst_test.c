/*
 * burst_test.c: sliding windows per key: a burst reached and one that
 * slides past without being reached, episodes ended by a gap (handed on
 * with their first and last time, count and origin), distinct counting,
 * several events at once, idle keys swept away by the time of each event,
 * a clock that one event far out of time does not move,
 * the cap on keys that have not hit (the oldest dropped and counted, a
 * burst in progress kept), and the end of input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "burst.h"
#include "test.h"

#define SEC 1000

struct got {
	int calls;
	char key[BURST_ORIGIN_MAX];
	int64_t first, last;
	uint64_t count;
	size_t peak;
	char origin[BURST_ORIGIN_MAX];
};

static int
done(void *arg, const struct burst_entry *e)
{
	struct got *g = arg;

	g->calls++;
	snprintf(g->key, sizeof g->key, "%s", e->key);
	g->first = e->first_ms;
	g->last = e->last_ms;
	g->count = e->count;
	g->peak = e->peak;
	snprintf(g->origin, sizeof g->origin, "%s", e->origin);
	return 0;
}

static long
note(struct burst *b, const char *key, uint64_t sub, uint64_t n, int64_t t,
    const char *origin)
{
	struct burst_entry *e;

	return burst_note(b, slice_cstr(key), sub, n, t, slice_cstr(origin),
	    &e);
}

static void
test_events(void)
{
	struct burst b;
	struct got g = { 0 };
	struct burst_entry *e;
	long r[4];

	burst_init(&b, 3, 3, 60 * SEC, 0, done, &g);
	r[0] = note(&b, "a", 0, 1, 0, "f:1");
	r[1] = note(&b, "a", 0, 1, 50 * SEC, "f:2");
	r[2] = note(&b, "a", 0, 1, 100 * SEC, "f:3");
	r[3] = note(&b, "a", 0, 1, 150 * SEC, "f:4");
	TEST_OK(r[0] == 1 && r[1] == 2 && r[2] == 2 && r[3] == 2,
	    "events: the window slides, never three in a minute");
	TEST_OK(burst_note(&b, slice_cstr("a"), 0, 1, 160 * SEC,
	    slice_cstr("f:5"), &e) == 3 && e->hit && e->count == 5 &&
	    e->first_ms == 0, "events: the third within a minute hits");
	TEST_OK(g.calls == 0, "events: nothing handed on yet");
	note(&b, "a", 0, 1, 400 * SEC, "f:9");
	TEST_OK(g.calls == 1 && g.first == 0 && g.last == 160 * SEC &&
	    g.count == 5 && g.peak == 3 && strcmp(g.origin, "f:1") == 0,
	    "events: a gap ends the episode, handed on whole");
	TEST_OK(burst_note(&b, slice_cstr("a"), 0, 1, 401 * SEC,
	    slice_cstr("f:10"), &e) == 2 && !e->hit && e->count == 2 &&
	    strcmp(e->origin, "f:9") == 0, "events: a new episode");
	TEST_OK(burst_finish(&b) == 0 && g.calls == 1,
	    "events: an episode without a hit is not handed on");
	burst_release(&b);

	burst_init(&b, 3, 3, 60 * SEC, 0, done, &g);
	g.calls = 0;
	TEST_OK(burst_note(&b, slice_cstr("k"), 0, 4, 10 * SEC,
	    slice_cstr("f:1"), &e) == 3 && e->hit && e->count == 4,
	    "events: four at once (a repeated message)");
	TEST_OK(burst_finish(&b) == 0 && g.calls == 1 && g.count == 4,
	    "events: the end of input hands on a hit");
	burst_release(&b);
}

static void
test_distinct(void)
{
	struct burst b;
	struct got g = { 0 };
	struct burst_entry *e;
	long r;

	burst_init(&b, 3, 8, 60 * SEC, 1, done, &g);
	note(&b, "10.0.0.1", 11, 1, 0, "f:1");
	note(&b, "10.0.0.1", 11, 1, SEC, "f:2");
	r = note(&b, "10.0.0.1", 12, 1, 2 * SEC, "f:3");
	TEST_OK(r == 2, "distinct: a repeated value counts once");
	note(&b, "10.0.0.2", 13, 1, 2 * SEC, "f:4");
	TEST_OK(note(&b, "10.0.0.1", 13, 1, 3 * SEC, "f:5") == 3,
	    "distinct: per key");
	note(&b, "10.0.0.1", 14, 1, 4 * SEC, "f:6");
	r = burst_note(&b, slice_cstr("10.0.0.1"), 15, 1, 5 * SEC,
	    slice_cstr("f:7"), &e);
	TEST_OK(r == 5 && e->peak == 5 && e->count == 6,
	    "distinct: peak counts past the threshold up to depth");
	TEST_OK(burst_keys(&b) == 2, "distinct: two keys held");
	TEST_OK(burst_find(&b, slice_cstr("10.0.0.2")) != NULL &&
	    burst_find(&b, slice_cstr("10.0.0.3")) == NULL &&
	    burst_keys(&b) == 2, "find: no entry made");
	burst_finish(&b);
	TEST_OK(g.calls == 1 && strcmp(g.key, "10.0.0.1") == 0,
	    "distinct: only the key that hit is handed on");
	burst_release(&b);
}

static void
test_sweep(void)
{
	struct burst b;
	struct got g = { 0 };
	char key[32];
	int i;

	burst_init(&b, 2, 2, 60 * SEC, 0, done, &g);
	note(&b, "old", 0, 1, 0, "f:1");
	note(&b, "old", 0, 1, SEC, "f:2");
	note(&b, "idle", 0, 1, 0, "f:3");
	for (i = 0; i < 1100; i++) {
		snprintf(key, sizeof key, "k%d", i % 10);
		note(&b, key, 0, 1, 3600 * SEC + i, "f:9");
	}
	TEST_OK(g.calls == 1 && strcmp(g.key, "old") == 0 &&
	    burst_keys(&b) == 10, "sweep: idle keys dropped, hits handed on");
	burst_release(&b);
}

static void
test_sweep_by_time(void)
{
	struct burst b;
	struct got g = { 0 };
	int i;

	/* No waiting for a count of notes: the next event's time sweeps. */
	burst_init(&b, 2, 2, 60 * SEC, 0, done, &g);
	note(&b, "a", 0, 1, 0, "f:1");
	note(&b, "a", 0, 1, SEC, "f:2");
	note(&b, "b", 0, 1, 2 * SEC, "f:3");
	TEST_OK(burst_keys(&b) == 2 && g.calls == 0, "time: two keys live");
	note(&b, "c", 0, 1, 62 * SEC, "f:4");
	TEST_OK(burst_keys(&b) == 2 && g.calls == 1 &&
	    strcmp(g.key, "a") == 0 && burst_find(&b, slice_cstr("a")) ==
	    NULL, "time: the hit of 'a' handed on as 'c' comes");
	/* A leap of the clock takes BURST_LEAP_VOTES events in a row. */
	for (i = 0; i < BURST_LEAP_VOTES - 1; i++)
		note(&b, "c", 0, 1, 3600 * SEC + i, "f:5");
	TEST_OK(burst_keys(&b) == 2, "time: 'b' held while a leap is voted");
	note(&b, "c", 0, 1, 3600 * SEC + i, "f:6");
	TEST_OK(burst_keys(&b) == 1 && burst_find(&b, slice_cstr("b")) == NULL,
	    "time: an hour later only 'c' is held");
	burst_release(&b);
}

/*
 * One event stamped far ahead (a wrong clock, a forged line) neither ends
 * a burst in progress nor stays; a second log going back in time (the
 * same days from another host) is counted as the first was.
 */
static void
test_clock_outliers(void)
{
	struct burst b;
	struct got g = { 0 };
	struct burst_entry *e;
	int i;

	burst_init(&b, 3, 3, 60 * SEC, 0, done, &g);
	note(&b, "a", 0, 1, 0, "f:1");
	note(&b, "a", 0, 1, SEC, "f:2");
	note(&b, "x", 0, 1, 10LL * 365 * 86400 * SEC, "f:3");
	note(&b, "a", 0, 1, 2 * SEC, "f:4");
	note(&b, "a", 0, 1, 3 * SEC, "f:5");
	TEST_OK(g.calls == 0 && (e = burst_find(&b, slice_cstr("a"))) !=
	    NULL && e->count == 4, "outlier: the burst of 'a' goes on");
	/* The same minutes again, an hour earlier: a second file. */
	for (i = 0; i < 2 * BURST_LEAP_VOTES; i++)
		note(&b, "y", 0, 1, -3600 * SEC + i * SEC, "g:1");
	TEST_OK((e = burst_find(&b, slice_cstr("y"))) != NULL &&
	    e->count == 2 * BURST_LEAP_VOTES,
	    "back in time: every event of 'y' counted");
	TEST_OK(g.calls == 0, "back in time: the burst of 'a' runs on");
	note(&b, "a", 0, 1, -3500 * SEC, "g:2");
	TEST_OK(g.calls == 1 && strcmp(g.key, "a") == 0 && g.count == 4,
	    "back in time: 'a' an hour before its burst starts another");
	TEST_OK(burst_finish(&b) == 0 && g.calls == 2 && strcmp(g.key, "y") ==
	    0, "back in time: the burst of 'y' runs to the end of input");
	burst_release(&b);
}

static void
test_cap(void)
{
	struct burst b;
	struct got g = { 0 };
	struct burst_entry *e;
	char key[32];
	int i, n = BURST_IDLE_MAX + 4000;

	burst_init(&b, 3, 3, 600 * SEC, 0, done, &g);
	note(&b, "hit", 0, 1, 0, "f:1");
	note(&b, "hit", 0, 1, 1, "f:2");
	note(&b, "hit", 0, 1, 2, "f:3");
	note(&b, "cold", 0, 1, 3, "f:4");
	note(&b, "cold", 0, 1, 4, "f:5");
	/* One key per event, all within the window, as from a botnet. */
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "10.%d.%d.%d", i >> 16 & 255,
		    i >> 8 & 255, i & 255);
		note(&b, key, 0, 1, 10 + i / 100, "f:9");
		if (i % 10000 == 5000)	/* twice: never a hit */
			note(&b, "warm", 0, 1, 10 + i / 100, "f:8");
	}
	TEST_OK(burst_keys(&b) <= BURST_IDLE_MAX + 1,
	    "cap: keys that have not hit stay within BURST_IDLE_MAX");
	TEST_OK(burst_evicted(&b) >= (uint64_t)n - BURST_IDLE_MAX,
	    "cap: the keys dropped for room are counted");
	TEST_OK(burst_find(&b, slice_cstr("cold")) == NULL &&
	    burst_find(&b, slice_cstr("warm")) != NULL &&
	    burst_find(&b, slice_cstr("warm"))->count == 2,
	    "cap: the key noted longest ago goes, one noted lately stays");
	TEST_OK(burst_note(&b, slice_cstr("hit"), 0, 1, 20 * SEC,
	    slice_cstr("f:10"), &e) >= 1 && e->hit && e->count == 4 &&
	    e->first_ms == 0 && g.calls == 0,
	    "cap: a burst in progress is never dropped for room");
	TEST_OK(burst_finish(&b) == 0 && g.calls == 1 && g.count == 4 &&
	    strcmp(g.key, "hit") == 0, "cap: and is handed on whole");
	burst_release(&b);

	/* A lower cap, as a test may set: the count is exact. */
	burst_init(&b, 2, 2, 600 * SEC, 0, done, &g);
	b.idle_max = 4;
	for (i = 0; i < 10; i++) {
		snprintf(key, sizeof key, "k%d", i);
		note(&b, key, 0, 1, i, "f:1");
	}
	TEST_OK(burst_keys(&b) == 4 && burst_evicted(&b) == 6 &&
	    burst_find(&b, slice_cstr("k5")) == NULL &&
	    burst_find(&b, slice_cstr("k6")) != NULL, "cap: 4 kept, 6 dropped");
	burst_release(&b);
}

int
main(void)
{
	test_events();
	test_distinct();
	test_sweep();
	test_sweep_by_time();
	test_clock_outliers();
	test_cap();
	return test_done();
}
