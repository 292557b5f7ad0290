/*
 * beacon_test.c: the periodicity arithmetic on made-up series, from a
 * fixed pseudo-random sequence: exact and jittered beacons, missed beats,
 * office hours, random (Poisson) arrivals, and the small helpers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "beacon.h"
#include "test.h"

#define T0 1795000000000LL	/* 2026-11-18T11:06:40Z */
#define MAXN 20000

static uint64_t rng = 88172645463325252ULL;
static uint64_t v[MAXN];
static double scratch[2 * MAXN];

/* Uniform in (0, 1), xorshift64. */
static double
uni(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

/*
 * Whether beacon_median sorts x[0..n) (made by form: 0 random, 1 few
 * distinct values, 2 ascending, 3 descending, 4 all equal, 5 organ pipe)
 * and gives the middle of the sorted copy.
 */
static int
median_sorts(size_t n, int form)
{
	static double copy[MAXN];
	size_t i, j;
	double t, m;

	for (i = 0; i < n; i++) {
		switch (form) {
		case 0: scratch[i] = uni() * 1e6; break;
		case 1: scratch[i] = (double)(int)(uni() * 4); break;
		case 2: scratch[i] = (double)i; break;
		case 3: scratch[i] = (double)(n - i); break;
		case 4: scratch[i] = 7; break;
		default: scratch[i] = (double)(i < n / 2 ? i : n - i); break;
		}
		copy[i] = scratch[i];
	}
	for (i = 1; i < n; i++)		/* the reference: insertion sort */
		for (j = i; j > 0 && copy[j - 1] > copy[j]; j--) {
			t = copy[j];
			copy[j] = copy[j - 1];
			copy[j - 1] = t;
		}
	m = beacon_median(scratch, n);
	for (i = 0; i < n; i++)
		if (scratch[i] != copy[i])
			return 0;
	return n % 2 ? m == copy[n / 2] :
	    m == copy[n / 2 - 1] + 0.5 * (copy[n / 2] - copy[n / 2 - 1]);
}

/*
 * Whether beacon_fit's size median and regularity (found by selection)
 * are those of sorted sizes, to the bit, for n beats of sizes of a shape
 * (form): 0 few random values, 1 many, 2 descending, 3 organ pipe.
 */
static int
sizes_agree(size_t n, int form)
{
	static double x[MAXN];
	struct beacon_fit f;
	double med, mad;
	size_t i;

	for (i = 0; i < n; i++)
		if (beacon_pack(T0 + (int64_t)i * 60000, form == 0 ?
		    300 + 100 * (uint64_t)(uni() * 3) : form == 1 ?
		    (uint64_t)(uni() * 1e6) : form == 2 ? 100 * (n - i) :
		    100 * (i < n / 2 ? i + 1 : n - i), &v[i]) != 0)
			return 0;
	if (beacon_fit(v, n, 1000, scratch, &f) != 0)
		return 0;
	for (i = 0; i < n; i++)
		x[i] = (double)beacon_bytes(v[i]);
	med = beacon_median(x, n);
	for (i = 0; i < n; i++)
		x[i] = fabs(x[i] - med);
	mad = beacon_median(x, n);
	return f.size_median == (uint64_t)med &&
	    f.size_reg == (mad >= med ? 0 : 1 - mad / med);
}

enum kind { SYM, ONESIDED, POISSON, OFFICE };

/*
 * A series of gaps of period p seconds over span seconds: SYM sleeps
 * p(1 + j u) with u uniform in [-1, 1], ONESIDED p(1 - j u) with u in
 * [0, 1], POISSON exponential with mean p, OFFICE as SYM but only
 * 09:00-18:00 UTC. Each beat is dropped with probability miss.
 */
static size_t
series(enum kind k, double p, double j, double span, double miss)
{
	double t = 0, g, h;
	size_t n = 0;

	while (t < span * 1000 && n < MAXN) {
		if (k == SYM || k == OFFICE)
			g = p * (1 + j * (2 * uni() - 1));
		else if (k == ONESIDED)
			g = p * (1 - j * uni());
		else
			g = -p * log(uni());
		t += g * 1000;
		if (k == OFFICE) {
			h = fmod((double)T0 / 3600000 + t / 3600000, 24);
			if (h >= 18 || h < 9)
				continue;
		}
		if (uni() < miss)
			continue;
		if (beacon_pack(T0 + (int64_t)t, 480 + (uint64_t)(uni() * 80),
		    &v[n]) == 0)
			n++;
	}
	return n;
}

static struct beacon_fit
fit_of(size_t n)
{
	struct beacon_fit f;

	n = beacon_collapse(v, n, 1000);
	if (beacon_fit(v, n, 1000, scratch, &f) != 0)
		f.regularity = -1;
	return f;
}

static int
near(double got, double want, double rel)
{
	return fabs(got - want) <= rel * want;
}

int
main(void)
{
	struct beacon_fit f;
	uint64_t w, x, prev;
	size_t n, i;
	int ok;

	/* Sizes and packing. */
	TEST_OK(beacon_size_value(beacon_size_code(65535)) == 65535,
	    "size: exact below 65536");
	ok = 1;
	prev = 0;
	for (x = 1; x < (1ULL << 40); x = x * 3 + 1) {
		uint32_t c = beacon_size_code(x);

		if (c >= 1u << BEACON_SIZE_BITS || c < prev ||
		    beacon_size_value(c) > x ||
		    (double)(x - beacon_size_value(c)) > (double)x / 32768)
			ok = 0;
		prev = c;
	}
	TEST_OK(ok, "size: monotonic, 22 bits, error below 2^-15");
	TEST_OK(beacon_size_code(UINT64_MAX) < 1u << BEACON_SIZE_BITS,
	    "size: the largest count fits");
	TEST_OK(beacon_pack(T0 + 250, 1234, &w) == 0 &&
	    beacon_ts(w) == T0 + 250 && beacon_bytes(w) == 1234,
	    "pack: time and size round trip");
	TEST_OK(beacon_pack(BEACON_EPOCH_MS - 1, 0, &w) != 0,
	    "pack: before 2000 refused");
	TEST_OK(beacon_pack(BEACON_EPOCH_MS + (1LL << 42), 0, &w) != 0,
	    "pack: after 2139 refused");

	/* Collapsing retry bursts. */
	beacon_pack(T0, 10, &v[0]);
	beacon_pack(T0 + 300, 20, &v[1]);
	beacon_pack(T0 + 999, 30, &v[2]);
	beacon_pack(T0 + 1999, 40, &v[3]);
	beacon_pack(T0 + 60000, 50, &v[4]);
	n = beacon_collapse(v, 5, 1000);
	TEST_OK(n == 3 && beacon_bytes(v[0]) == 10 &&
	    beacon_bytes(v[1]) == 40 && beacon_bytes(v[2]) == 50,
	    "collapse: a burst keeps its first, 1s later is a new beat");

	/* Helpers. */
	TEST_OK(beacon_wilson_lower(0, 0, 3) == 0, "wilson: no trials");
	TEST_OK(fabs(beacon_wilson_lower(100, 100, 3) - 100.0 / 109) < 1e-9,
	    "wilson: all successes give n / (n + z^2)");
	TEST_OK(beacon_wilson_lower(50, 100, 3) < 0.5 &&
	    beacon_wilson_lower(50, 100, 3) > 0.35, "wilson: half");
	TEST_OK(fabs(beacon_poisson_share(1, 1, 0, 0.5, 1) -
	    (exp2(-0.5) - exp2(-1.5))) < 1e-12,
	    "poisson share: one window around the median");
	TEST_OK(fabs(beacon_poisson_share(1, 1, 0, 0.5, 4) -
	    (exp2(-0.5) - exp2(-4.5))) < 1e-12,
	    "poisson share: touching windows merge");
	TEST_OK(fabs(beacon_poisson_share(3, 3, 1, 0.5, 1) -
	    (exp2(-0.25) - exp2(-1.75))) < 1e-12,
	    "poisson share: dead time shifts the law");
	TEST_OK(beacon_poisson_share(1, 1, 1, 0.5, 1) == 1,
	    "poisson share: median within the dead time");
	for (i = 0; i < 9; i++)
		scratch[i] = (double)(9 - i);
	TEST_OK(beacon_median(scratch, 9) == 5 && scratch[0] == 1,
	    "median sorts and takes the middle");
	{
		static const size_t sizes[] = { 2, 31, 32, 33, 100, 1001, 5000 };
		int form, good = 1;

		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
			for (form = 0; form < 6; form++)
				good &= median_sorts(sizes[i], form);
		TEST_OK(good, "median sorts long series of every shape");
		for (good = 1, i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
			for (form = 0; form < 4; form++)
				good &= sizes_agree(sizes[i] + 3, form) &&
				    sizes_agree(sizes[i] + 4, form);
		TEST_OK(good, "size median and spread by selection, as sorted");
	}

	/* Beacons. */
	f = fit_of(series(SYM, 60, 0, 86400, 0));
	TEST_OK(f.period_ms == 60000 && f.jitter == 0 &&
	    f.regularity > 0.95 && f.phase > 0.95, "exact 60s: period, "
	    "no jitter, regular, phase-locked");
	f = fit_of(series(SYM, 60, 0.2, 86400, 0));
	TEST_OK(near(f.period_ms, 60000, 0.02) && near(f.jitter, 0.2, 0.15) &&
	    f.regularity > 0.95, "60s +-20%: period and jitter");
	f = fit_of(series(SYM, 60, 0.5, 86400, 0));
	TEST_OK(near(f.period_ms, 60000, 0.05) && f.regularity > 0.9 &&
	    f.phase < 0.2, "60s +-50%: still regular, phase wanders");
	f = fit_of(series(ONESIDED, 60, 0.9, 86400, 0));
	TEST_OK(near(f.period_ms, 33000, 0.05) && f.regularity > 0.9,
	    "60s one-sided 90%: regular, period the median 33s");
	f = fit_of(series(SYM, 60, 0.2, 86400, 0.3));
	TEST_OK(near(f.period_ms, 60000, 0.03) && f.harmonic == 1 &&
	    f.multiples && near(f.missing, 0.3, 0.2) && f.regularity > 0.85,
	    "30% of beats missing: 60s, not doubled; missing share seen");
	f = fit_of(series(SYM, 60, 0.2, 86400, 0.6));
	TEST_OK(near(f.period_ms, 60000, 0.05) && f.harmonic == 2 &&
	    f.regularity > 0.4, "60% missing: the median is 2 periods, "
	    "the cluster at half of it is found");
	f = fit_of(series(SYM, 14400, 0.1, 14 * 86400, 0));
	TEST_OK(near(f.period_ms, 14400000, 0.03) && f.regularity > 0.8 &&
	    f.hours == f.beats, "4h over 14 days: 84 beats are enough");
	f = fit_of(series(OFFICE, 60, 0.1, 5 * 86400, 0));
	TEST_OK(near(f.period_ms, 60000, 0.02) && f.regularity > 0.95 &&
	    f.breaks >= 4 && f.hours >= 40 && f.hours <= 48 &&
	    near(f.active_ms, f.hours * 3600000.0, 0.1),
	    "office hours: nights are pauses, not irregularity");
	f = fit_of(series(SYM, 86400, 0.02, 20 * 86400, 0));
	TEST_OK(near(f.period_ms, 86400000, 0.02) && f.regularity > 0.5,
	    "daily beacon over 20 days");

	/* Random arrivals of every rate stay below any threshold. */
	ok = 1;
	for (i = 0; i < 40; i++) {
		double mean = 10 * pow(1.25, (double)i);

		f = fit_of(series(POISSON, mean, 0, 86400 * (mean > 600 ? 7 :
		    1), 0));
		if (f.regularity > 0.15 || f.phase > 0.15) {
			printf("# poisson mean %.0fs: regularity %.3f phase "
			    "%.3f\n", mean, f.regularity, f.phase);
			ok = 0;
		}
	}
	TEST_OK(ok, "40 Poisson streams, means 10s to 1.5 days: none regular");

	/*
	 * Sessions of a few requests 20-60 s apart at random times over 10
	 * days: clusters must not pass for phase-locked beats, and the time
	 * the series "ran" is only the sessions' (its gaps look regular, but
	 * persistence will weigh 2 hours of running, not 10 days).
	 */
	n = 0;
	for (i = 0; i < 40 && n < MAXN - 8; i++) {
		double t = uni() * 10 * 86400000.0;
		int k, m = 3 + (int)(uni() * 3);

		for (k = 0; k < m; k++) {
			t += 20000 + uni() * 40000;
			beacon_pack(T0 + (int64_t)t, 500, &v[n++]);
		}
	}
	beacon_sort_words(v, n);
	f = fit_of(n);
	TEST_OK(f.phase == 0 && f.breaks >= 35 && f.active_ms < 3 * 3600000.0,
	    "sessions at random times: no phase, ran only between pauses");

	/* Sorting words, short (insertion) and long (qsort). */
	ok = 1;
	for (n = 5; n <= 500; n += 495) {
		for (i = 0; i < n; i++)
			v[i] = (uint64_t)(uni() * 1e12);
		beacon_sort_words(v, n);
		for (i = 1; i < n; i++)
			if (v[i - 1] > v[i])
				ok = 0;
	}
	TEST_OK(ok, "words sort ascending, 5 and 500 of them");

	/* Sizes. */
	for (i = 0; i < 10; i++)
		beacon_pack(T0 + (int64_t)i * 60000, 512, &v[i]);
	TEST_OK(beacon_fit(v, 10, 1000, scratch, &f) == 0 &&
	    f.size_reg == 1 && f.size_median == 512, "constant size");
	for (i = 0; i < 10; i++)
		beacon_pack(T0 + (int64_t)i * 60000, 0, &v[i]);
	TEST_OK(beacon_fit(v, 10, 1000, scratch, &f) == 0 &&
	    f.size_reg == -1, "no sizes: unknown, not regular");
	TEST_OK(beacon_fit(v, 2, 1000, scratch, &f) != 0,
	    "two beats are not a series");
	for (i = 0; i < 5; i++)
		beacon_pack(T0, 1, &v[i]);
	TEST_OK(beacon_fit(v, 5, 1000, scratch, &f) != 0,
	    "all at one instant: no gaps");

	/*
	 * The bound: no series of fewer beats than a phase needs scores
	 * above it, exact and clock-locked ones included, and it rises.
	 */
	ok = beacon_regularity_bound(2) == 0 &&
	    beacon_regularity_bound(20) == 1;
	for (n = 3; n < 20; n++) {
		enum kind k;
		double bound = beacon_regularity_bound(n), most = 0;

		if (!(bound > beacon_regularity_bound(n - 1) && bound < 1))
			ok = 0;
		for (k = SYM; k <= POISSON; k++)
			for (i = 0; i < 40; i++) {
				size_t got = series(k, 60, 0.1 * (double)(i % 4),
				    60.0 * (double)n, 0);

				f = fit_of(got < n ? got : n);
				if (f.regularity > most)
					most = f.regularity;
				if (f.phase > most)
					most = f.phase;
			}
		if (most > bound || most < 0.9 * bound)
			ok = 0;
	}
	TEST_OK(ok, "regularity bound: above every fit of 3-19 beats, "
	    "reached within 10%");
	return test_done();
}
