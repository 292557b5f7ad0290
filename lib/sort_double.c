/*
 * sort_double.c: sorting and selection of doubles for the beacon fits
 * (gaps, sizes): quicksort and quickselect on the median of three, heap
 * sort past a depth of twice log2 n so that no input (a log's) can make
 * them quadratic, insertion sort below 32 elements; no comparison
 * function to call, as qsort would.
 */
#include "sort_double.h"

static void
insertion_sort(double *x, size_t n)
{
	size_t i, j;
	double t;

	for (i = 1; i < n; i++) {
		t = x[i];
		for (j = i; j > 0 && x[j - 1] > t; j--)
			x[j] = x[j - 1];
		x[j] = t;
	}
}

/* Sifts x[i] down the max-heap x[0..n). */
static void
sift_down(double *x, size_t i, size_t n)
{
	double t = x[i];
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && x[c + 1] > x[c])
			c++;
		if (!(x[c] > t))
			break;
		x[i] = x[c];
		i = c;
	}
	x[i] = t;
}

static void
heap_sort(double *x, size_t n)
{
	size_t i;
	double t;

	for (i = n / 2; i > 0; i--)
		sift_down(x, i - 1, n);
	for (i = n; i > 1; i--) {
		t = x[0];
		x[0] = x[i - 1];
		x[i - 1] = t;
		sift_down(x, 0, i - 1);
	}
}

/*
 * Partitions x[0..n) (n > 2) around the median of its first, middle and
 * last elements: returns j with x[0..j] <= pivot <= x[j+1..n), both
 * sides non-empty.
 */
static size_t
partition(double *x, size_t n)
{
	size_t i = 0, j = n - 1, m = n / 2;
	double pivot, t;

	if (x[m] < x[0]) {
		t = x[m]; x[m] = x[0]; x[0] = t;
	}
	if (x[j] < x[m]) {
		t = x[j]; x[j] = x[m]; x[m] = t;
		if (x[m] < x[0]) {
			t = x[m]; x[m] = x[0]; x[0] = t;
		}
	}
	pivot = x[m];
	for (;;) {
		while (x[i] < pivot)
			i++;
		while (pivot < x[j])
			j--;
		if (i >= j)
			return j;
		t = x[i]; x[i] = x[j]; x[j] = t;
		i++;
		j--;
	}
}

/*
 * Quicksort, the smaller side first by recursion and the larger by the
 * loop; past depth levels the rest goes to heap sort, so that no input
 * (the gaps are a log's) can make it quadratic.
 */
static void
intro_sort(double *x, size_t n, unsigned depth)
{
	size_t j;

	while (n > 32) {
		if (depth-- == 0) {
			heap_sort(x, n);
			return;
		}
		j = partition(x, n);
		if (j + 1 < n - j - 1) {
			intro_sort(x, j + 1, depth);
			x += j + 1;
			n -= j + 1;
		} else {
			intro_sort(x + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	insertion_sort(x, n);
}

/* Twice the base-2 logarithm of n: the depth an introsort allows. */
static unsigned
depth_of(size_t n)
{
	unsigned depth = 0;

	for (; n > 1; n >>= 1)
		depth += 2;
	return depth;
}

void
select_double(double *x, size_t n, size_t k)
{
	unsigned depth = depth_of(n);
	size_t lo = 0, j;

	while (n > 32) {
		if (depth-- == 0) {
			heap_sort(x + lo, n);
			return;
		}
		j = partition(x + lo, n);
		if (k <= lo + j)
			n = j + 1;
		else {
			lo += j + 1;
			n -= j + 1;
		}
	}
	insertion_sort(x + lo, n);
}

void
sort_double(double *x, size_t n)
{
	intro_sort(x, n, depth_of(n));
}
