/*
 * findsplit.h: a check's findings written by two threads. A day with a
 * finding per key (csm-offhours' source, destination and day) ends with a
 * long serial stretch of formatting while the reading thread's core sits
 * idle; here a helper formats every other run of findings into memory and
 * this thread writes the runs in order, so the output is byte for byte
 * what one thread writes.
 */
#ifndef CSM_FINDSPLIT_H
#define CSM_FINDSPLIT_H

#include <stddef.h>
#include "agg.h"
#include "outbuf.h"
#include "timeconv.h"

/*
 * Writes finding i to ob; returns 0, or -1 when out of memory. It runs in
 * either thread, each with its own ob and time cache, so it may only read
 * what the two share, and keep what it changes under its thread's number
 * (0: the calling thread, 1: the helper).
 */
typedef int (*findsplit_fn)(void *arg, int thread, size_t i,
    struct outbuf *ob, struct time_cache *tc);

/*
 * Writes findings 0 to n - 1 to ob through fn, in order: in two threads
 * when there are enough of them, unless CSM_THREADS=1. Memory: two runs
 * of findings (FINDSPLIT_RUN each) formatted ahead. Returns 0, or -1 when
 * out of memory, here or in fn (ob then holds the findings before).
 */
int findsplit_write(struct outbuf *ob, size_t n, findsplit_fn fn, void *arg);

/*
 * Writes the finding of entry e of an aggregation to ob; returns 0, or -1
 * when out of memory. As findsplit_fn, in either thread: it only reads.
 */
typedef int (*findsplit_entry_fn)(const void *arg,
    const struct agg_entry *e, struct outbuf *ob, struct time_cache *tc);

/*
 * findsplit_write over a's entries in agg_sorted's order (first time,
 * then key): a check's one finding per key. Returns 0, or -1 when out of
 * memory.
 */
int findsplit_write_agg(struct outbuf *ob, const struct agg *a,
    findsplit_entry_fn fn, const void *arg);

#define FINDSPLIT_RUN 2048

#endif
