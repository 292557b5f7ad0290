/*
 * test.h: a tiny TAP producer for the unit tests beside each module
 * (lib/<module>_test.c). No framework: each test binary prints "ok N - what"
 * or "not ok N - what" and exits non-zero when anything failed.
 */
#ifndef CSM_TEST_H
#define CSM_TEST_H

#include <stdio.h>
#include <string.h>

static int test_count, test_failed;

/* Records one check; what describes it in the TAP line. */
#define TEST_OK(cond, what) do { \
	test_count++; \
	if (cond) { \
		printf("ok %d - %s\n", test_count, (what)); \
	} else { \
		test_failed++; \
		printf("not ok %d - %s (%s:%d)\n", test_count, (what), \
		    __FILE__, __LINE__); \
	} \
} while (0)

/* Checks that n bytes at got equal the C string want. */
#define TEST_BYTES(got, n, want, what) \
	TEST_OK((n) == strlen(want) && memcmp((got), (want), (n)) == 0, what)

/* Prints the plan and returns the exit status for main. */
static inline int
test_done(void)
{
	printf("1..%d\n", test_count);
	return test_failed ? 1 : 0;
}

#endif
