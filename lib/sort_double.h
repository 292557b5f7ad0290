/*
 * sort_double.h: in-place sorting and selection of doubles (no NaN), in
 * O(n log n) and O(n) at worst whatever the input.
 */
#ifndef CSM_SORT_DOUBLE_H
#define CSM_SORT_DOUBLE_H

#include <stddef.h>

/* Sorts x[0..n) ascending. */
void sort_double(double *x, size_t n);

/*
 * Moves the k-th smallest (from 0) of x[0..n) to x[k], with none larger
 * before it and none smaller after.
 */
void select_double(double *x, size_t n, size_t k);

#endif
