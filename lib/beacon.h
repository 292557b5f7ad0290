/*
 * beacon.h: the periodicity arithmetic of csm-beacon, kept apart from the
 * program so that each step can be tested on made-up series: packing a
 * connection's time and size into one word, collapsing retry bursts,
 * estimating a beacon's period from the gaps between connections (robust
 * to jitter and to missing beats), scoring how much more regular the gaps
 * are than random (Poisson) arrivals would be, a phase-coherence test at
 * the period, and the regularity of sizes. Nothing here allocates, prints
 * or keeps state.
 */
#ifndef CSM_BEACON_H
#define CSM_BEACON_H

#include <stddef.h>
#include <stdint.h>

/*
 * A connection is stored as one 64-bit word: milliseconds since
 * 2000-01-01T00:00Z in the upper 42 bits (until the year 2139), a size
 * code (beacon_size_code) in the lower 22. Sorting the words sorts by
 * time, then size.
 */
#define BEACON_EPOCH_MS 946684800000LL
#define BEACON_SIZE_BITS 22
#define BEACON_TS_BITS 42

/*
 * A byte count as a 22-bit code: exact below 65536, else a 16-bit
 * mantissa and an exponent (relative error below 2^-15); monotonic.
 */
uint32_t beacon_size_code(uint64_t bytes);

/* The byte count a size code stands for (exact below 65536). */
uint64_t beacon_size_value(uint32_t code);

/*
 * Packs ts_ms (UTC milliseconds) and bytes into *out. Returns 0, or -1
 * when the time is outside 2000-2139.
 */
int beacon_pack(int64_t ts_ms, uint64_t bytes, uint64_t *out);

static inline int64_t
beacon_ts(uint64_t v)
{
	return (int64_t)(v >> BEACON_SIZE_BITS) + BEACON_EPOCH_MS;
}

static inline uint64_t
beacon_bytes(uint64_t v)
{
	return beacon_size_value((uint32_t)(v & ((1u << BEACON_SIZE_BITS) -
	    1)));
}

/*
 * Collapses retry bursts in the sorted words v[0..n): a connection less
 * than window_ms after the last one kept is dropped (the first of a burst
 * stays, with its size). Works in place; returns the number kept.
 */
size_t beacon_collapse(uint64_t *v, size_t n, int64_t window_ms);

/* Sorts the words v[0..n) in place, ascending. */
void beacon_sort_words(uint64_t *v, size_t n);

/* The median of x[0..n) after sorting x in place; 0 when n is 0. */
double beacon_median(double *x, size_t n);

/*
 * The lower end of the Wilson score interval for k successes in n trials
 * at z standard deviations: a share that is k/n "at least, with
 * confidence". 0 when n is 0.
 */
double beacon_wilson_lower(double k, double n, double z);

/*
 * The probability that a gap of random (Poisson) arrivals, collapsed with
 * a dead time of d after each kept one (so that gaps are d plus an
 * exponential), with median gap m, falls within w * p of p, 2p, ...
 * kmax * p (windows merged where they touch): the share a window test
 * finds by chance. 1 when m <= d.
 */
double beacon_poisson_share(double p, double m, double d, double w,
    int kmax);

/* What beacon_fit learns about one pair's connections. */
struct beacon_fit {
	size_t beats;		/* connections after collapsing bursts */
	size_t gaps;		/* beats - 1 */
	double median_ms;	/* median gap */
	double period_ms;	/* the period: median gap of its cluster */
	int harmonic;		/* the period is median / harmonic */
	double jitter;		/* +-: 10-90% spread / 1.6 period */
	double regularity;	/* 0-1: gap evidence against random arrival */
	double window;		/* its window, as a share of the period */
	int multiples;		/* whether missed beats were counted in */
	double phase;		/* 0-1: phase coherence at refined_ms */
	double refined_ms;	/* the period a fit of beat numbers gives */
	double missing;		/* estimated share of beats missing */
	size_t breaks;		/* gaps longer than 4.5 periods */
	double size_reg;	/* 0-1 size regularity, -1 without sizes */
	uint64_t size_median;	/* median bytes of the beats */
	size_t hours;		/* distinct clock hours (UTC) with beats */
	double active_ms;	/* time it ran: the gaps that are no pause */
};

/*
 * The highest regularity (or phase) beacon_fit can give a pair of at most
 * n beats: 0 below three, 1 from the beats a phase needs, else the
 * Wilson lower bound of n - 1 gaps all in the window. A pair whose score
 * could not reach the threshold even so need not be fitted.
 */
double beacon_regularity_bound(size_t n);

/*
 * Fits the sorted words v[0..n) (n >= 3), collapsed with window dead_ms
 * (beacon_collapse): period, jitter, regularity, phase and sizes. scratch
 * must hold 2 * n doubles. Returns 0, or -1 when n < 3 or all beats fall
 * at one instant.
 */
int beacon_fit(const uint64_t *v, size_t n, int64_t dead_ms,
    double *scratch, struct beacon_fit *fit);

#endif
