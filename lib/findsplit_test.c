/*
 * findsplit_test.c: unit tests of findings written by two threads: the
 * output must be exactly what one thread writes, in order, for counts
 * below the split, at run boundaries and between them, and each item's
 * time cache must be its own thread's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "findsplit.h"
#include "num.h"
#include "test.h"

/*
 * Item i: its number and a time from it, as a finding writes its ts. With
 * arg, item *arg fails (as out of memory).
 */
static int
write_item(void *arg, int thread, size_t i, struct outbuf *ob,
    struct time_cache *tc)
{
	char *d = outbuf_reserve(ob, 64);
	size_t n;

	(void)thread;
	if (d == NULL || (arg != NULL && i == *(size_t *)arg))
		return -1;
	n = num_format_u64(d, i);
	d[n++] = '\t';
	time_format_rfc3339(d + n, 1795000000000LL + (int64_t)i * 997, tc);
	n += TIME_RFC3339_LEN;
	d[n++] = '\n';
	ob->len += n;
	return 0;
}

/* What one thread writes for n items. */
static int
expected(size_t n, struct outbuf *ob)
{
	struct time_cache tc;
	size_t i;

	time_cache_init(&tc);
	outbuf_init_mem(ob);
	for (i = 0; i < n; i++)
		write_item(NULL, 0, i, ob, &tc);
	return ob->err;
}

/* Whether findsplit_write gives expected's output for n items. */
static int
same_as_one_thread(size_t n)
{
	struct outbuf got, want;
	int ok;

	outbuf_init_mem(&got);
	ok = expected(n, &want) == 0 &&
	    findsplit_write(&got, n, write_item, NULL) == 0 && got.err == 0 &&
	    got.len == want.len && memcmp(got.buf, want.buf, got.len) == 0;
	outbuf_release(&got);
	outbuf_release(&want);
	return ok;
}

/* Whether a failure at item bad of n ends the writing with -1. */
static int
fails_at(size_t n, size_t bad)
{
	struct outbuf got;
	int ok;

	outbuf_init_mem(&got);
	ok = findsplit_write(&got, n, write_item, &bad) == -1;
	outbuf_release(&got);
	return ok;
}

int
main(void)
{
	static const size_t counts[] = {
		0, 1, FINDSPLIT_RUN - 1, 4 * FINDSPLIT_RUN - 1,
		4 * FINDSPLIT_RUN, 4 * FINDSPLIT_RUN + 1, 7 * FINDSPLIT_RUN,
		9 * FINDSPLIT_RUN + 17, 100000
	};
	char name[96];
	size_t i;
	int round;

	for (round = 0; round < 2; round++) {
		if (round == 0)
			unsetenv("CSM_THREADS");
		else
			setenv("CSM_THREADS", "1", 1);
		for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
			snprintf(name, sizeof name, "%s: %zu items as one "
			    "thread writes them", round ? "CSM_THREADS=1" :
			    "two threads", counts[i]);
			TEST_OK(same_as_one_thread(counts[i]), name);
		}
		TEST_OK(fails_at(10 * FINDSPLIT_RUN, 5) &&
		    fails_at(10 * FINDSPLIT_RUN, FINDSPLIT_RUN + 5) &&
		    fails_at(10 * FINDSPLIT_RUN, 10 * FINDSPLIT_RUN - 1),
		    round ? "CSM_THREADS=1: a failing item ends it with -1" :
		    "two threads: a failing item in either ends it with -1");
	}
	return test_done();
}
