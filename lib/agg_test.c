/*
 * agg_test.c: unit tests for the aggregation table.
 */
#include <stdlib.h>
#include "agg.h"
#include "test.h"

/* Whether v[0..n) is in agg_sorted's order: first time, then key. */
static int
in_order(struct agg_entry **v, size_t n)
{
	size_t i;

	for (i = 1; v && i < n; i++)
		if (v[i - 1]->first_ms > v[i]->first_ms ||
		    (v[i - 1]->first_ms == v[i]->first_ms &&
		    strcmp(v[i - 1]->key, v[i]->key) >= 0))
			return 0;
	return v != NULL;
}

int
main(void)
{
	struct agg a;
	struct agg_entry *e, **v;
	char key[32];
	int i, n, ok = 1;

	agg_init(&a);
	e = agg_get(&a, SLICE_LIT("10.0.0.1\tevil.example\t2026-11-25"));
	TEST_OK(e != NULL && e->count == 0, "new key starts empty");
	agg_add(e, 2000, 10, SLICE_LIT("b.log:2"));
	agg_add(e, 1000, 5, SLICE_LIT("a.log:1"));
	agg_add(e, 3000, 1, SLICE_LIT("c.log:3"));
	TEST_OK(agg_get(&a, SLICE_LIT("10.0.0.1\tevil.example\t2026-11-25")) ==
	    e, "same key, same entry");
	TEST_OK(e->count == 3 && e->bytes == 16, "count and bytes");
	TEST_OK(e->first_ms == 1000 && e->last_ms == 3000, "first and last");
	TEST_OK(strcmp(e->origin, "a.log:1") == 0, "origin of the earliest");
	TEST_BYTES(agg_key_field(e, 1).p, agg_key_field(e, 1).n,
	    "evil.example", "key field 1");
	TEST_BYTES(agg_key_field(e, 2).p, agg_key_field(e, 2).n,
	    "2026-11-25", "last key field");
	TEST_OK(agg_key_field(e, 3).n == 0, "no such field");

	/* Growth keeps every entry; sorted by first time then key. */
	for (i = 0; i < 5000; i++) {
		n = snprintf(key, sizeof key, "host%d", i);
		e = agg_get(&a, slice_make(key, (size_t)n));
		if (e == NULL || agg_add(e, 5000 - i / 2, 1,
		    SLICE_LIT("x:1")) != 0)
			ok = 0;
	}
	TEST_OK(ok && a.n == 5001, "5000 more keys");
	v = agg_sorted(&a);
	ok &= in_order(v, a.n);
	TEST_OK(v && ok && v[0]->first_ms == 1000, "sorted");
	free(v);
	agg_release(&a);

	/*
	 * Times far apart, before 1970 and after, with ties: the sort's
	 * every digit and the sign of a time are used.
	 */
	agg_init(&a);
	ok = 1;
	for (i = 0; i < 3000; i++) {
		int64_t t = (int64_t)((uint64_t)(i % 1000) *
		    0x9e3779b97f4a7c15ULL);

		n = snprintf(key, sizeof key, "k%d", i);
		e = agg_get(&a, slice_make(key, (size_t)n));
		if (e == NULL || agg_add(e, t, 1, SLICE_LIT("x:1")) != 0)
			ok = 0;
	}
	v = agg_sorted(&a);
	ok &= in_order(v, a.n);
	TEST_OK(v && ok && a.n == 3000 && v[0]->first_ms < 0 &&
	    v[a.n - 1]->first_ms > 0, "sorted across the sign and all digits");
	free(v);
	agg_release(&a);
	return test_done();
}
