/*
 * beacon.c: the periodicity arithmetic of csm-beacon (see beacon.h).
 *
 * The idea, in short. Malware sleeps between calls home, usually with a
 * random "jitter" added to each sleep, sometimes misses calls (a laptop
 * asleep, a log line lost), and may only run while its host is switched
 * on. People and random (memoryless) processes produce gaps that follow a
 * heavy-tailed or exponential law. So the period is taken from the gaps:
 * the median gap, or half or a third of it when the gaps show a cluster
 * there (more than half the beats missing); the period is the median gap
 * of that cluster, so missed beats do not double it. Regularity is then a
 * test against random arrival: for windows of several widths around the
 * period (and around its multiples, which is where missed beats put
 * their gaps), the share of gaps inside is compared with the share an
 * exponential law with the same median would put there. The lower end of
 * a confidence interval for the observed share is used, so that a short
 * series needs a larger excess to count, and the best window wins. A
 * jitter of +-50% keeps every gap within half a period of the period; a
 * one-sided jitter of 90% keeps them within 0.1-1.9 times the median;
 * both are far from what random arrivals give. A second test, phase
 * coherence at the period fitted to the beat numbers (a periodogram at one
 * frequency), recognises schedules anchored to the clock ("every hour on
 * the hour") even across long silences.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "beacon.h"
#include "sort_double.h"

#define BEACON_PI 3.14159265358979323846
#define Z_CONF 3.0		/* standard deviations of the lower bound */
#define KMAX 4			/* multiples tried: missed beats */
#define BREAK_PERIODS 4.5	/* a longer gap is a pause, not a beat */
#define PHASE_MIN_BEATS 20	/* fewer cannot show a phase */

uint32_t
beacon_size_code(uint64_t bytes)
{
	uint32_t e = 0;

	if (bytes < 65536)
		return (uint32_t)bytes;
	while ((bytes >> e) >= 65536)
		e++;
	/* e is at most 48, so the code fits in 22 bits. */
	return e << 16 | (uint32_t)((bytes >> e) & 0xffff);
}

uint64_t
beacon_size_value(uint32_t code)
{
	uint32_t e = code >> 16;

	if (e == 0)
		return code;
	/* The mantissa is 32768-65535: its top bit is kept. */
	return (uint64_t)(code & 0xffff) << e;
}

int
beacon_pack(int64_t ts_ms, uint64_t bytes, uint64_t *out)
{
	int64_t rel = ts_ms - BEACON_EPOCH_MS;

	if (ts_ms < BEACON_EPOCH_MS || rel >= (int64_t)1 << BEACON_TS_BITS)
		return -1;
	*out = (uint64_t)rel << BEACON_SIZE_BITS | beacon_size_code(bytes);
	return 0;
}

size_t
beacon_collapse(uint64_t *v, size_t n, int64_t window_ms)
{
	size_t i, k;
	int64_t last;

	if (n == 0)
		return 0;
	last = beacon_ts(v[0]);
	for (i = k = 1; i < n; i++) {
		int64_t t = beacon_ts(v[i]);

		if (t - last < window_ms)
			continue;
		v[k++] = v[i];
		last = t;
	}
	return k;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void
beacon_sort_words(uint64_t *v, size_t n)
{
	size_t i, j;
	uint64_t t;

	/* A log read in time order gives them sorted already. */
	for (i = 1; i < n && v[i - 1] <= v[i]; i++)
		;
	if (i >= n)
		return;
	if (n > 32) {
		qsort(v, n, sizeof *v, cmp_u64);
		return;
	}
	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && v[j - 1] > t; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/* The q-quantile (0-1) of sorted x[0..n), interpolated. */
static double
quantile(const double *x, size_t n, double q)
{
	double pos, frac;
	size_t i;

	if (n == 0)
		return 0;
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + frac * (x[i + 1] - x[i]);
}

double
beacon_median(double *x, size_t n)
{
	/* Sorted, not selected: the fit reads the gaps in order after. */
	sort_double(x, n);
	return quantile(x, n, 0.5);
}

double
beacon_wilson_lower(double k, double n, double z)
{
	double p, z2, centre, half;

	if (n <= 0)
		return 0;
	p = k / n;
	z2 = z * z;
	centre = p + z2 / (2 * n);
	half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	p = (centre - half) / (1 + z2 / n);
	return p < 0 ? 0 : p;
}

double
beacon_poisson_share(double p, double m, double d, double w, int kmax)
{
	double sum = 0, prev = 0, lo, hi, scale = m - d;
	int k;

	/*
	 * Random arrivals thinned by the burst collapse: each kept gap is the
	 * dead time d plus an exponential one, so with median m
	 * P(gap > x) = 2^-((x - d) / (m - d)) beyond d.
	 */
	if (!(scale > 0))
		return 1;
	for (k = 1; k <= kmax; k++) {
		lo = ((double)k - w) * p;
		hi = ((double)k + w) * p;
		if (lo < prev)
			lo = prev;
		if (lo < d)
			lo = d;
		if (hi > lo)
			sum += exp2(-(lo - d) / scale) -
			    exp2(-(hi - d) / scale);
		prev = hi;
	}
	return sum;
}

double
beacon_regularity_bound(size_t n)
{
	double gaps;

	if (n < 3)
		return 0;
	if (n >= PHASE_MIN_BEATS)
		return 1;
	/* regularity's (lb - p0) / (1 - p0) is at most lb, lb at most this. */
	gaps = (double)(n - 1);
	return beacon_wilson_lower(gaps, gaps, Z_CONF);
}

/* Index of the first element of sorted x[0..n) that is >= v. */
static size_t
lower_bound(const double *x, size_t n, double v)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first element of sorted x[0..n) that is > v. */
static size_t
upper_bound(const double *x, size_t n, double v)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Gaps of sorted g[0..n) in [lo, hi]. */
static size_t
count_in(const double *g, size_t n, double lo, double hi)
{
	size_t a = lower_bound(g, n, lo), b = upper_bound(g, n, hi);

	return b > a ? b - a : 0;
}

/*
 * Gaps within w * p of p, 2p, ... kmax * p, windows merged. The windows
 * rise, so each search starts where the last one ended, and none is made
 * past the longest gap: a million pairs of ten gaps each are fitted.
 */
static size_t
count_windows(const double *g, size_t n, double p, double w, int kmax)
{
	double prev = 0, lo, hi;
	size_t sum = 0, i = 0, j;
	int k;

	for (k = 1; k <= kmax && i < n; k++) {
		lo = ((double)k - w) * p;
		hi = ((double)k + w) * p;
		if (lo < prev)
			lo = prev;
		if (hi > lo) {
			i += lower_bound(g + i, n - i, lo);
			j = i + upper_bound(g + i, n - i, hi);
			sum += j - i;
			i = j;
		}
		prev = hi * (1 + 1e-12);	/* no gap counted twice */
	}
	return sum;
}

/*
 * The fundamental: the median gap m, or m/j (j = 3, then 2) when gaps
 * cluster around m/j with a clear valley after it, as when more than
 * half the beats are missing and the median sits on a multiple.
 */
static double
fundamental(const double *g, size_t n, double m, int *harmonic)
{
	size_t a, b, need = n / 5 > 3 ? n / 5 : 3;
	int j;

	for (j = 3; j >= 2; j--) {
		double c = m / j;

		a = count_in(g, n, 0.75 * c, 1.25 * c);
		b = count_in(g, n, 1.25 * c * (1 + 1e-12), 1.75 * c);
		if (a >= need && 3 * b <= a) {
			*harmonic = j;
			return c;
		}
	}
	*harmonic = 1;
	return m;
}

/* Window half-widths tried, as shares of the period. */
static const double widths[] = {
	0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9
};

/*
 * The regularity: the best excess, over all windows, of the lower bound
 * of the observed share of gaps in the windows over the share random
 * arrivals would give, scaled to 0-1.
 */
static void
regularity(const double *g, size_t n, double p, double m, double d,
    struct beacon_fit *fit)
{
	double best = 0, scale = m - d, ak[KMAX + 1], lo, bw, p0, lb, e;
	size_t i, x;
	int fam, k, kmax;

	fit->window = 0;
	fit->multiples = 0;
	fit->regularity = 0;
	if (!(scale > 0))
		return;
	/*
	 * beacon_poisson_share with its powers of two taken apart: the
	 * window around k p of half-width w p holds
	 * 2^-((k - w) p - d) / s - 2^-((k + w) p - d) / s, which is
	 * a_k (b_w - 1 / b_w) with a_k = 2^-(k p - d) / s and
	 * b_w = 2^(w p / s); below d the law starts at 1. The windows
	 * tried never overlap, so none needs merging.
	 */
	for (k = 1; k <= KMAX; k++)
		ak[k] = exp2(-((double)k * p - d) / scale);
	for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		bw = exp2(widths[i] * p / scale);
		for (fam = 0; fam < 2; fam++) {
			/* Wide windows around multiples would cover all. */
			if (fam && widths[i] > 0.5)
				continue;
			kmax = fam ? KMAX : 1;
			p0 = 0;
			for (k = 1; k <= kmax; k++) {
				lo = ((double)k - widths[i]) * p;
				p0 += (lo < d ? 1 : ak[k] * bw) - ak[k] / bw;
			}
			if (p0 >= 1)
				continue;
			x = count_windows(g, n, p, widths[i], kmax);
			if ((double)x <= p0 * (double)n)
				continue;	/* no excess at all */
			/*
			 * The lower bound is below the share seen: when even
			 * that share could not beat the best (by a margin
			 * beyond rounding), the bound need not be computed.
			 */
			if (((double)x / (double)n - p0) / (1 - p0) + 1e-9 <=
			    best)
				continue;
			lb = beacon_wilson_lower((double)x, (double)n, Z_CONF);
			e = (lb - p0) / (1 - p0);
			if (e > best) {
				best = e;
				fit->window = widths[i];
				fit->multiples = fam;
			}
		}
	}
	fit->regularity = best > 1 ? 1 : best;
}

/*
 * Phase coherence: beats are numbered by rounding each gap to a whole
 * number of periods, the period is refitted by least squares of time on
 * beat number, and the Rayleigh statistic (the length of the mean unit
 * vector of the phases) is taken there. A clock-anchored schedule keeps
 * its phase; sleeping with jitter lets it wander, and random arrivals
 * have none. Beats less than half a period after the last one used are
 * left out: a cluster of requests would otherwise count as many beats of
 * one phase. The null level, about 1/sqrt(n), is taken off.
 */
static void
phase(const uint64_t *v, size_t n, double p, struct beacon_fit *fit)
{
	double t0 = (double)beacon_ts(v[0]), k = 0, sk = 0, st = 0, skk = 0;
	double skt = 0, last = 0, b, re = 0, im = 0, r, null, m = 0, t, ph;
	size_t i;

	fit->phase = 0;
	fit->refined_ms = p;
	for (i = 0; i < n; i++) {
		t = (double)beacon_ts(v[i]) - t0;
		if (i > 0) {
			if (t - last < 0.5 * p)
				continue;
			k += floor((t - last) / p + 0.5);
		}
		last = t;
		m++;
		sk += k;
		st += t;
		skk += k * k;
		skt += k * t;
	}
	if (m < PHASE_MIN_BEATS || m * skk - sk * sk <= 0)
		return;
	b = (m * skt - sk * st) / (m * skk - sk * sk);
	if (!(b > 0))
		return;
	fit->refined_ms = b;
	for (i = 0; i < n; i++) {
		t = (double)beacon_ts(v[i]) - t0;
		if (i > 0 && t - last < 0.5 * p)
			continue;
		last = t;
		ph = 2 * BEACON_PI * fmod(t, b) / b;
		re += cos(ph);
		im += sin(ph);
	}
	r = sqrt(re * re + im * im) / m;
	null = 4 / sqrt(m);
	if (r <= null)
		return;
	fit->phase = (r - null) / (1 - null);
}

/*
 * The median of x[0..n) as beacon_median gives it, the same bits, by
 * selection: x is reordered, not sorted.
 */
static double
select_median(double *x, size_t n)
{
	size_t k, i;
	double next;

	if (n == 0)
		return 0;
	k = (size_t)(0.5 * (double)(n - 1));
	select_double(x, n, k);
	if (k + 1 >= n)
		return x[k];
	/* quantile's x[k + 1]: the smallest of those after x[k]. */
	for (next = x[k + 1], i = k + 2; i < n; i++)
		if (x[i] < next)
			next = x[i];
	return x[k] + (0.5 * (double)(n - 1) - (double)k) * (next - x[k]);
}

/* Size regularity: 1 - MAD / median of the beats' sizes. */
static void
sizes(const uint64_t *v, size_t n, double *x, struct beacon_fit *fit)
{
	double med, mad;
	size_t i;

	for (i = 0; i < n; i++)
		x[i] = (double)beacon_bytes(v[i]);
	med = select_median(x, n);
	fit->size_median = (uint64_t)med;
	if (med <= 0) {
		fit->size_reg = -1;
		return;
	}
	for (i = 0; i < n; i++)
		x[i] = fabs(x[i] - med);
	mad = select_median(x, n);
	fit->size_reg = mad >= med ? 0 : 1 - mad / med;
}

int
beacon_fit(const uint64_t *v, size_t n, int64_t dead_ms, double *scratch,
    struct beacon_fit *fit)
{
	double *g = scratch, *band = scratch + n, m, c, p, lo, hi;
	double kb = 0, kall = 0;
	size_t i, ng, nb, a, b;
	int64_t hour, last_hour = INT64_MIN;

	memset(fit, 0, sizeof *fit);
	if (n < 3)
		return -1;
	fit->beats = n;
	ng = n - 1;
	fit->gaps = ng;
	for (i = 0; i < ng; i++)
		g[i] = (double)(beacon_ts(v[i + 1]) - beacon_ts(v[i]));
	for (i = 0; i < n; i++) {
		hour = beacon_ts(v[i]) / 3600000;
		if (hour != last_hour)
			fit->hours++;
		last_hour = hour;
	}
	m = beacon_median(g, ng);	/* g is sorted from here on */
	if (!(m > 0))
		return -1;
	fit->median_ms = m;
	c = fundamental(g, ng, m, &fit->harmonic);
	a = lower_bound(g, ng, 0.5 * c);
	b = lower_bound(g, ng, 1.5 * c);
	p = b - a >= 1 ? quantile(g + a, b - a, 0.5) : c;
	fit->period_ms = p;
	regularity(g, ng, p, m, (double)dead_ms, fit);

	/*
	 * Jitter: the spread of the gaps of one period (the band of the
	 * winning window, or +-50% without one), from the 10th to the 90th
	 * percentile; for a uniform jitter of +-j that spread is 1.6 j.
	 */
	lo = (1 - (fit->window > 0 ? fit->window : 0.5)) * p;
	hi = (1 + (fit->window > 0 ? fit->window : 0.5)) * p;
	a = lower_bound(g, ng, lo);
	nb = upper_bound(g, ng, hi) - a;
	memcpy(band, g + a, nb * sizeof *band);
	if (nb >= 2)
		fit->jitter = (quantile(band, nb, 0.9) - quantile(band, nb,
		    0.1)) / (1.6 * p);

	/* Missing beats and pauses, counted on the multiples. */
	for (i = 0; i < ng; i++) {
		double k = floor(g[i] / p + 0.5);

		if (g[i] > BREAK_PERIODS * p) {
			fit->breaks++;
			continue;
		}
		fit->active_ms += g[i];
		if (k >= 1) {
			kb += k - 1;
			kall += k;
		}
	}
	fit->missing = kall > 0 ? kb / kall : 0;
	phase(v, n, p, fit);
	sizes(v, n, scratch, fit);
	return 0;
}
