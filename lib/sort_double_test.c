/*
 * sort_double_test.c: sorting and selection of doubles against insertion
 * sort, on series of every shape that trips a quicksort.
 */
#include <stdint.h>
#include "sort_double.h"
#include "test.h"

#define MAXN 5000

static double x[MAXN], ref[MAXN];
static uint64_t rng = 88172645463325252ULL;

static double
uni(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/*
 * Fills x and ref with n values of a shape: 0 random, 1 few distinct,
 * 2 ascending, 3 descending, 4 all equal, 5 organ pipe, 6 median-of-3
 * killer (alternating ends); ref sorted by insertion.
 */
static void
make(size_t n, int form)
{
	size_t i, j;
	double t;

	for (i = 0; i < n; i++) {
		switch (form) {
		case 0: x[i] = uni() * 1e6; break;
		case 1: x[i] = (double)(int)(uni() * 4); break;
		case 2: x[i] = (double)i; break;
		case 3: x[i] = (double)(n - i); break;
		case 4: x[i] = 7; break;
		case 5: x[i] = (double)(i < n / 2 ? i : n - i); break;
		default: x[i] = (double)(i % 2 ? i : n - i); break;
		}
		ref[i] = x[i];
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && ref[j - 1] > ref[j]; j--) {
			t = ref[j];
			ref[j] = ref[j - 1];
			ref[j - 1] = t;
		}
}

static int
sorts(size_t n, int form)
{
	size_t i;

	make(n, form);
	sort_double(x, n);
	for (i = 0; i < n; i++)
		if (x[i] != ref[i])
			return 0;
	return 1;
}

/* Whether select_double puts ref[k] at k with the order around it kept. */
static int
selects(size_t n, int form, size_t k)
{
	size_t i;

	make(n, form);
	select_double(x, n, k);
	if (x[k] != ref[k])
		return 0;
	for (i = 0; i < n; i++)
		if ((i < k && x[i] > x[k]) || (i > k && x[i] < x[k]))
			return 0;
	return 1;
}

int
main(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 31, 32, 33, 100, 1001,
	    MAXN };
	size_t i, k;
	int form, sorted = 1, selected = 1;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (form = 0; form < 7; form++) {
			sorted &= sorts(sizes[i], form);
			/* Every k up to 100 long, then a few. */
			for (k = 0; k < sizes[i]; k += sizes[i] <= 100 ? 1 :
			    sizes[i] / 7 + 1)
				selected &= selects(sizes[i], form, k);
			if (sizes[i] > 0)
				selected &= selects(sizes[i], form,
				    sizes[i] - 1);
		}
	TEST_OK(sorted, "sorts series of seven shapes, 0 to 5000 long");
	TEST_OK(selected, "selects any k-th of them");
	return test_done();
}
