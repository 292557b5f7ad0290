/*
 * daily.c: csm-beacon's daily view (--daily), JPCERT/CC's way of finding
 * C&C traffic without looking at timing: count, per local day, each
 * host's connections to destinations that only a few hosts use, and list
 * the pairs seen on every day of the input, or nearly every day
 * (daily-share), with the count per day. Days are local dates in the
 * site's zone; only dates on which the input has any event count, so a
 * gap in the logs does not hide a pair.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "beacon.h"
#include "detect.h"
#include "finding.h"

struct daily {
	struct beacon *b;
	int64_t *days;			/* dates with data, ascending */
	size_t ndays, need;		/* their number; days a pair needs */
	uint32_t *hosts;		/* hosts per destination */
	size_t population;
	uint64_t *count;		/* per date of days[], for one pair */
};

struct dresult {
	uint32_t pair;
	uint32_t seen;			/* dates with connections */
	uint64_t total;
};

/* Index of date d in days[], or -1. */
static long
day_index(const struct daily *d, int64_t day)
{
	size_t lo = 0, hi = d->ndays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->days[mid] == day)
			return (long)mid;
		if (d->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Counts pair p's connections per date into d->count (from its day table
 * when the pair is sampled); returns the number of dates seen, or -1
 * when out of memory.
 */
static long
per_day(struct daily *d, const struct bc_pair *p)
{
	size_t n, i;
	long k, seen = 0;

	memset(d->count, 0, d->ndays * sizeof *d->count);
	if (p->daytab != 0) {
		const struct bc_daytab *dt = &d->b->daytab[p->daytab - 1];

		for (i = 0; i < dt->n; i++) {
			if (dt->count[i] == 0 || (k = day_index(d,
			    dt->first + (int64_t)i)) < 0)
				continue;
			d->count[k] = dt->count[i];
			seen++;
		}
		return seen;
	}
	if ((n = bc_gather(d->b, p, &d->b->tmp)) == (size_t)-1)
		return -1;
	/* The collection's date cache: the collection is over. */
	for (i = 0; i < n; i++) {
		k = day_index(d, bc_day(d->b->days, beacon_ts(d->b->tmp.v[i])));
		if (k < 0)
			continue;	/* cannot happen: every event marks */
		if (d->count[k] == 0)
			seen++;
		d->count[k]++;
	}
	return seen;
}

/* Whether pair p qualifies before its days are counted. */
static int
candidate(struct daily *d, const struct bc_pair *p)
{
	struct beacon *b = d->b;
	double share;

	if (p->n < d->need || d->hosts[p->dst] > b->t.daily_hosts)
		return 0;
	share = d->population ? (double)d->hosts[p->dst] /
	    (double)d->population : 0;
	if (d->population >= b->t.prevalence_hosts &&
	    share * 100 >= (double)b->t.max_share)
		return 0;
	return !bc_allowed(b, bc_name(&b->dsts, p->dst));
}

/* A local date (days since 1970-01-01) as YYYY-MM-DD (civil calendar). */
static void
date_text(int64_t day, char *buf, size_t cap)
{
	int64_t z = day + 719468, era, doe, yoe, y, doy, mp, dd, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dd = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, cap, "%04d-%02d-%02d", (int)(y + (m <= 2)) % 10000,
	    (int)m % 100, (int)dd % 100);
}

static void
write_one(struct daily *d, const struct dresult *r)
{
	struct beacon *b = d->b;
	const struct bc_pair *p = &b->pair[r->pair];
	char src[128], dst[1100], ob[1100], origin[1100], why[2048];
	char first[40], last[40];
	struct finding fd;
	size_t i, n;

	memset(&fd, 0, sizeof fd);
	fd.ts_ms = p->first_ms;
	fd.ts_last_ms = p->last_ms;
	fd.f[FD_CHECK] = slice_cstr("beacon");
	fd.f[FD_RULE] = slice_cstr("daily");
	fd.severity = r->seen == d->ndays ? 2 : 1;
	fd.score = (double)r->seen / (double)d->ndays;
	fd.f[FD_SRC_IP] = finding_raw(bc_name(&b->srcs, p->src), src, sizeof src);
	fd.f[FD_DST] = finding_raw(bc_name(&b->dsts, p->dst), dst, sizeof dst);
	fd.count = p->n;
	fd.bytes = p->bytes;
	date_text(d->days[0], first, sizeof first);
	date_text(d->days[d->ndays - 1], last, sizeof last);
	n = (size_t)snprintf(why, sizeof why, "seen on %u of %zu days with "
	    "data (%s to %s %s); %u host%s contact%s the destination; "
	    "connections per day:", r->seen, d->ndays, first, last,
	    config_timezone(b->cfg), d->hosts[p->dst], d->hosts[p->dst] == 1 ?
	    "" : "s", d->hosts[p->dst] == 1 ? "s" : "");
	for (i = 0; i < d->ndays && n < sizeof why - 40; i++)
		n += (size_t)snprintf(why + n, sizeof why - n, " %llu",
		    (unsigned long long)d->count[i]);
	if (i < d->ndays)
		snprintf(why + n, sizeof why - n, " ... (%zu more days)",
		    d->ndays - i);
	fd.f[FD_REASON] = slice_cstr(why);
	fd.f[FD_CLAUSE] = slice_cstr("19.1.2 proxy-4");
	fd.f[FD_STAGE] = slice_cstr("c2");
	fd.f[FD_ORIGIN] = finding_raw(bc_origin(b, p, ob, sizeof ob), origin,
	    sizeof origin);
	finding_write(b->out, &fd, &b->tc);
}

static const struct beacon *sort_b;	/* for qsort: no context argument */

/* Most days first, then most connections, then source and destination. */
static int
cmp_dresult(const void *x, const void *y)
{
	const struct dresult *r = x, *s = y;

	if (r->seen != s->seen)
		return r->seen > s->seen ? -1 : 1;
	if (r->total != s->total)
		return r->total > s->total ? -1 : 1;
	return bc_pair_order(sort_b, &sort_b->pair[r->pair],
	    &sort_b->pair[s->pair]);
}

int
beacon_write_daily(struct beacon *b)
{
	struct daily d;
	struct dresult *res = NULL;
	size_t i, nres = 0, cap = 0;
	long seen;
	int rc = -1;

	memset(&d, 0, sizeof d);
	d.b = b;
	finding_write_header(b->out);
	if ((d.population = bc_host_counts(b, &d.hosts)) == SIZE_MAX)
		return -1;
	b->population = d.population;
	d.days = bc_data_days(b, &d.ndays);
	if (d.days == NULL) {
		rc = d.ndays == SIZE_MAX ? -1 : 0;
		goto out;
	}
	if (d.ndays < b->t.daily_days) {
		rc = 0;
		b->daily_short = 1;
		b->ndays = d.ndays;
		goto out;
	}
	d.need = (size_t)ceil((double)d.ndays * (double)b->t.daily_share /
	    100 - 1e-9);
	if (d.need < 1)
		d.need = 1;
	if ((d.count = calloc(d.ndays, sizeof *d.count)) == NULL)
		goto out;
	for (i = 0; i < b->npair; i++) {
		const struct bc_pair *p = &b->pair[i];
		size_t k;

		if (!candidate(&d, p))
			continue;
		if ((seen = per_day(&d, p)) < 0)
			goto out;
		if ((size_t)seen < d.need)
			continue;
		if (nres == cap) {
			struct dresult *r;

			cap = cap ? cap * 2 : 64;
			if ((r = realloc(res, cap * sizeof *r)) == NULL)
				goto out;
			res = r;
		}
		res[nres].pair = (uint32_t)i;
		res[nres].seen = (uint32_t)seen;
		res[nres].total = 0;
		for (k = 0; k < d.ndays; k++)
			res[nres].total += d.count[k];
		nres++;
	}
	sort_b = b;
	if (nres > 1)
		qsort(res, nres, sizeof *res, cmp_dresult);
	for (i = 0; i < nres; i++) {
		if (per_day(&d, &b->pair[res[i].pair]) < 0)
			goto out;
		write_one(&d, &res[i]);
	}
	b->findings = nres;
	rc = 0;
out:
	free(res);
	free(d.days);
	free(d.hosts);
	free(d.count);
	return rc;
}
