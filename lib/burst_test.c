/*
 * burst_test.c: sliding windows per key: a burst reached and one that
 * slides past without being reached, episodes ended by a gap (handed on
 * with their first and last time, count and origin), distinct counting,
 * several events at once, idle keys swept away, and the end of input.
 */
#include <stdio.h>
#include <stdlib.h>
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

int
main(void)
{
	test_events();
	test_distinct();
	test_sweep();
	return test_done();
}
