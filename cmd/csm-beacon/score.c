/*
 * score.c: csm-beacon's analysis at the end of the input. Every pair with
 * enough connections has its words sorted, its retry bursts collapsed and
 * its gaps fitted (lib/beacon.c); the score multiplies the components an
 * analyst can check one by one: regularity (gaps against random arrival,
 * or phase coherence), persistence (the hours it ran), size
 * regularity, and prevalence (a destination many internal hosts contact
 * is weighted down, and at max-share suppressed). Findings are sorted by
 * score, then source and destination text, so the output is the same for
 * any order of the same events, and whichever of two threads analysed
 * which pair.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "beacon.h"
#include "detect.h"
#include "finding.h"
#include "findsplit.h"
#include "threadenv.h"

enum bc_rule {
	R_PERIODIC, R_STROBE, R_BELOW, R_POPULAR, R_ALLOWED, R_NONE
};
/* R_NONE is never written (not shown); named so no rule reads past. */
static const char *const rule_names[R_NONE + 1] = {
	"periodic", "strobe", "below-threshold", "popular", "allowed",
	"unscored"
};

/* Everything known about one pair, for its score and its reason. */
struct analysis {
	struct beacon_fit fit;
	size_t beats, collapsed;
	size_t days;			/* local dates with beats */
	uint32_t hosts;			/* hosts of the destination */
	double reg, pers, sizef, prev, score;
	enum bc_rule rule;
	int fitted;			/* scored at all */
	int bounded;			/* not fitted: could not reach min-score */
	double active_h;		/* hours it ran */
};

/* What analysing reads, and (per thread) the room it works in. */
struct ctx {
	struct beacon *b;
	uint32_t *hosts;		/* per destination id */
	size_t population;		/* sources with any pair */
	size_t ndays;			/* local dates with data */
	struct bc_words words;		/* the pair's words */
	double *scratch;
	size_t scratch_cap;
	struct bc_days *days;		/* the thread's date cache */
};

/*
 * Whether pair p could not be reported whatever its fit: its score,
 * regularity x persistence x size x prevalence, cannot reach min-score
 * with regularity at its bound for the beats stored, persistence at that
 * of the whole span and size at 1; and it has too few beats for a strobe
 * (beats >= hours x 1800 / min-period over at least 4 hours). Most pairs
 * of a day are such, and the fit is most of the analysis.
 */
static int
out_of_reach(const struct bc_tunables *t, const struct bc_pair *p,
    double prev)
{
	double span_h = (double)(p->last_ms - p->first_ms) / 3600000;
	double most = beacon_regularity_bound(p->stored) *
	    (1 - exp(-span_h / 4)) * prev;

	/* A margin for rounding: the bound must never cut a finding. */
	return most * 100 < (double)t->min_score * (1 - 1e-9) &&
	    (uint64_t)p->stored * t->min_period < 4 * 1800;
}

struct result {
	double score;
	uint32_t pair;
};

/* Analyses pair p into *a; -1 when out of memory. */
static int
analyse(struct ctx *c, const struct bc_pair *p, struct analysis *a)
{
	struct beacon *b = c->b;
	const struct bc_tunables *t = &b->t;
	size_t n, i;
	double share, maxs = (double)t->max_share / 100, hours, span;
	int64_t day, last = INT64_MIN;
	int allowed, popular;

	memset(a, 0, sizeof *a);
	a->rule = R_NONE;
	if (p->stored < t->min_events)
		return 0;
	a->hosts = c->hosts[p->dst];
	share = c->population ? (double)a->hosts / (double)c->population : 0;
	popular = c->population >= t->prevalence_hosts && share >= maxs;
	allowed = bc_allowed(b, bc_name(&b->dsts, p->dst));
	/* Suppressed either way: not worth a fit unless --all shows it. */
	if ((popular || allowed) && !b->all) {
		a->rule = allowed ? R_ALLOWED : R_POPULAR;
		return 0;
	}
	a->prev = 1;
	if (c->population >= t->prevalence_hosts && a->hosts > 1)
		a->prev = 1 - 0.5 * (share >= maxs ? 1 : share / maxs);
	if (!b->all && out_of_reach(t, p, a->prev)) {
		a->rule = R_BELOW;
		a->bounded = 1;
		return 0;
	}
	if ((n = bc_gather(b, p, &c->words)) == (size_t)-1)
		return -1;
	a->beats = beacon_collapse(c->words.v, n, (int64_t)t->burst_ms);
	a->collapsed = n - a->beats;
	if (a->beats < t->min_events)
		return 0;
	if (c->scratch_cap < 2 * a->beats) {
		double *s = realloc(c->scratch, 2 * a->beats * sizeof *s);

		if (s == NULL)
			return -1;
		c->scratch = s;
		c->scratch_cap = 2 * a->beats;
	}
	if (beacon_fit(c->words.v, a->beats, (int64_t)t->burst_ms, c->scratch,
	    &a->fit) != 0)
		return 0;
	if (a->fit.period_ms > (double)t->max_period * 1000)
		return 0;
	a->fitted = 1;
	if (p->daytab != 0) {
		const struct bc_daytab *dt = &b->daytab[p->daytab - 1];

		for (i = 0; i < dt->n; i++)
			a->days += dt->count[i] > 0;
	} else {
		for (i = 0; i < a->beats; i++) {
			day = bc_day(c->days, beacon_ts(c->words.v[i]));
			if (day != last)
				a->days++;
			last = day;
		}
	}
	a->reg = a->fit.regularity > a->fit.phase ? a->fit.regularity :
	    a->fit.phase;
	/*
	 * The hours it ran: the gaps that are no pause. A sample keeps 1 in
	 * 2^shift clock hours: scale back up, at most to the span.
	 */
	hours = a->fit.active_ms / 3600000 * (double)(1ULL << p->shift);
	span = (double)(p->last_ms - p->first_ms) / 3600000;
	a->active_h = hours < span ? hours : span;
	a->pers = 1 - exp(-a->active_h / 4);
	a->sizef = 0.85 + 0.15 * (a->fit.size_reg < 0 ? 0.5 :
	    a->fit.size_reg);
	a->score = a->reg * a->pers * a->sizef * a->prev;
	if (allowed)
		a->rule = R_ALLOWED;
	else if (a->fit.period_ms < (double)t->min_period * 1000) {
		/* Faster than any beacon: a strobe when it keeps going. */
		if (a->fit.hours >= 4 && (double)a->beats >= (double)
		    a->fit.hours * 1800 / (double)t->min_period) {
			a->rule = R_STROBE;
			a->score = 0.5 * a->pers;
		}
	} else if (popular)
		a->rule = R_POPULAR;
	else if (a->score * 100 >= (double)t->min_score)
		a->rule = R_PERIODIC;
	else
		a->rule = R_BELOW;
	return 0;
}

/* A duration for people: 45.0s, 12.5min, 4.00h, 3.0d. */
static const char *
duration(char *buf, size_t cap, double ms)
{
	double s = ms / 1000;

	if (s < 120)
		snprintf(buf, cap, "%.1fs", s);
	else if (s < 7200)
		snprintf(buf, cap, "%.1fmin", s / 60);
	else if (s < 4 * 86400)
		snprintf(buf, cap, "%.2fh", s / 3600);
	else
		snprintf(buf, cap, "%.1fd", s / 86400);
	return buf;
}

/* The reason column: what was seen, and the score's parts. */
static void
reason(const struct ctx *c, const struct bc_pair *p,
    const struct analysis *a, char *buf, size_t cap)
{
	const struct beacon_fit *f = &a->fit;
	char per[32], span[32], act[32], extra[160], parts[200], size[40];
	size_t n = 0;
	int phased = f->phase > f->regularity;

	extra[0] = '\0';
	if (a->collapsed > 0)
		n += (size_t)snprintf(extra + n, sizeof extra - n, " (%zu "
		    "within %llums of the one before merged)", a->collapsed,
		    (unsigned long long)c->b->t.burst_ms);
	if (f->multiples && f->missing >= 0.05 && n < sizeof extra)
		n += (size_t)snprintf(extra + n, sizeof extra - n, ", %.0f%% "
		    "of beats missing", f->missing * 100);
	if (p->shift > 0 && n < sizeof extra)
		snprintf(extra + n, sizeof extra - n, ", sampled: 1 in %llu "
		    "clock hours kept", 1ULL << p->shift);
	if (phased)
		snprintf(parts, sizeof parts, "phase %.2f (locked to a clock)",
		    a->reg);
	else
		snprintf(parts, sizeof parts, "regularity %.2f (gaps within "
		    "%.0f%% of %s)", a->reg, f->window * 100, f->multiples ?
		    "the period or a multiple" : "the period");
	if (f->size_reg < 0)
		snprintf(size, sizeof size, "no sizes in the log");
	else
		snprintf(size, sizeof size, "median %llu bytes",
		    (unsigned long long)f->size_median);
	if (a->rule == R_STROBE) {
		snprintf(buf, cap, "a connection every %s on average, %zu in "
		    "%zu hours%s: faster than any beacon (min-period), a "
		    "strobe",
		    duration(per, sizeof per, f->median_ms), a->beats,
		    f->hours, extra);
		return;
	}
	snprintf(buf, cap, "every %s +-%.0f%% over %s: %zu beats of %llu "
	    "connections%s, on %zu of the %zu days with data, active for %s; "
	    "%u of %zu hosts (%.1f%%) contact%s the destination; score %.3f = "
	    "%s x persistence %.2f x size %.2f (%s) x prevalence %.2f",
	    duration(per, sizeof per, f->period_ms), f->jitter * 100,
	    duration(span, sizeof span, (double)(p->last_ms - p->first_ms)),
	    a->beats, (unsigned long long)p->n, extra, a->days, c->ndays,
	    duration(act, sizeof act, a->active_h * 3600000), a->hosts, c->population, c->population ? 100.0 *
	    a->hosts / (double)c->population : 0, a->hosts == 1 ? "s" : "",
	    a->score, parts, a->pers, a->sizef, size, a->prev);
}

static void
write_one(const struct ctx *c, const struct bc_pair *p,
    const struct analysis *a, struct outbuf *out, struct time_cache *tc)
{
	const struct beacon *b = c->b;
	char src[128], dst[1100], ob[1100], origin[1100], why[1024];
	struct finding fd;
	int sev = 0;

	memset(&fd, 0, sizeof fd);
	fd.ts_ms = p->first_ms;
	fd.ts_last_ms = p->last_ms;
	fd.f[FD_CHECK] = slice_cstr("beacon");
	fd.f[FD_RULE] = slice_cstr(rule_names[a->rule]);
	if (a->rule == R_PERIODIC)
		sev = a->score >= 0.8 ? 3 : a->score >= 0.65 ? 2 : 1;
	else if (a->rule == R_STROBE)
		sev = 1;
	fd.severity = sev;
	fd.score = a->score;
	fd.f[FD_SRC_IP] = finding_raw(bc_name(&b->srcs, p->src), src, sizeof src);
	fd.f[FD_DST] = finding_raw(bc_name(&b->dsts, p->dst), dst, sizeof dst);
	fd.count = p->n;
	fd.bytes = p->bytes;
	reason(c, p, a, why, sizeof why);
	fd.f[FD_REASON] = slice_cstr(why);
	fd.f[FD_CLAUSE] = slice_cstr("19.1.2 proxy-4");
	fd.f[FD_STAGE] = slice_cstr("c2");
	fd.f[FD_ORIGIN] = finding_raw(bc_origin(b, p, ob, sizeof ob), origin,
	    sizeof origin);
	finding_write(out, &fd, tc);
}

static const struct beacon *sort_b;	/* for qsort: no context argument */

/* Score descending, then source and destination text: a total order. */
static int
cmp_result(const void *x, const void *y)
{
	const struct result *r = x, *s = y;

	if (r->score != s->score)
		return r->score > s->score ? -1 : 1;
	return bc_pair_order(sort_b, &sort_b->pair[r->pair],
	    &sort_b->pair[s->pair]);
}

/* Whether a pair of this rule is written. */
static int
shown(const struct beacon *b, enum bc_rule r)
{
	return r == R_PERIODIC || r == R_STROBE || (b->all && r != R_NONE);
}

/*
 * One thread's part of the first pass: the pairs it took, BATCH_PAIRS at
 * a time from a shared counter (pairs differ a lot in size), and what it
 * found.
 */
#define BATCH_PAIRS 256
struct pass {
	struct ctx c;
	atomic_size_t *next;
	struct result *res;
	size_t nres, cap;
	uint64_t scored, bounded, popular, allowed, strobes;
	int failed;
};

/* Notes pair i's analysis a in ps; -1 when out of memory. */
static int
tally(struct pass *ps, size_t i, const struct analysis *a)
{
	ps->scored += (uint64_t)a->fitted;
	ps->bounded += (uint64_t)a->bounded;
	if (a->rule == R_POPULAR)
		ps->popular++;
	else if (a->rule == R_ALLOWED)
		ps->allowed++;
	else if (a->rule == R_STROBE)
		ps->strobes++;
	if (!shown(ps->c.b, a->rule))
		return 0;
	if (ps->nres == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 256;
		struct result *r = realloc(ps->res, cap * sizeof *r);

		if (r == NULL)
			return -1;
		ps->res = r;
		ps->cap = cap;
	}
	ps->res[ps->nres].score = a->score;
	ps->res[ps->nres].pair = (uint32_t)i;
	ps->nres++;
	return 0;
}

static void *
first_pass(void *arg)
{
	struct pass *ps = arg;
	struct beacon *b = ps->c.b;
	struct analysis a;
	size_t i, end;

	while (!ps->failed && (i = atomic_fetch_add(ps->next, BATCH_PAIRS)) <
	    b->npair)
		for (end = i + BATCH_PAIRS < b->npair ? i + BATCH_PAIRS :
		    b->npair; i < end && !ps->failed; i++)
			if (analyse(&ps->c, &b->pair[i], &a) != 0 ||
			    tally(ps, i, &a) != 0)
				ps->failed = 1;
	return NULL;
}

/*
 * Whether the first pass gets a second thread: for enough pairs to pay
 * for it, unless CSM_THREADS=1.
 */
static int
want_helper(const struct beacon *b)
{
	return b->npair >= 4 * BATCH_PAIRS && !threadenv_single();
}

/*
 * A second thread's context: c's tables, with words, scratch and a date
 * cache (days, initialised here) of its own. Free with ctx_release.
 */
static void
ctx_fork(struct ctx *to, const struct ctx *c, struct bc_days *days)
{
	*to = *c;
	bc_days_init(days, c->b->cfg);
	to->days = days;
	memset(&to->words, 0, sizeof to->words);
	to->scratch = NULL;
	to->scratch_cap = 0;
}

/* Frees what a context owns: its words and scratch. */
static void
ctx_release(struct ctx *c)
{
	free(c->words.v);
	free(c->scratch);
}

/*
 * The first pass over every pair, in two threads when it pays: each
 * pair's analysis depends on that pair alone, and the results are sorted
 * into one total order after, so the output cannot depend on who did
 * which. Fills the calling thread's pass with the whole; -1 when out of
 * memory.
 */
static int
analyse_all(struct pass *mine)
{
	struct pass help;
	struct bc_days days;
	pthread_t th;
	int helped = 0;

	help = *mine;
	ctx_fork(&help.c, &mine->c, &days);
	help.res = NULL;
	if (want_helper(mine->c.b))
		helped = pthread_create(&th, NULL, first_pass, &help) == 0;
	first_pass(mine);
	if (helped)
		pthread_join(th, NULL);
	ctx_release(&help.c);
	if (helped && help.nres > 0 && !mine->failed) {
		struct result *r = realloc(mine->res, (mine->nres + help.nres) *
		    sizeof *r);

		if (r == NULL)
			mine->failed = 1;
		else {
			memcpy(r + mine->nres, help.res, help.nres * sizeof *r);
			mine->res = r;
			mine->nres += help.nres;
		}
	}
	free(help.res);
	if (helped) {
		mine->failed |= help.failed;
		mine->scored += help.scored;
		mine->bounded += help.bounded;
		mine->popular += help.popular;
		mine->allowed += help.allowed;
		mine->strobes += help.strobes;
	}
	return mine->failed ? -1 : 0;
}

/*
 * The results in order, for findsplit_write: each thread analyses its
 * pairs again with a context of its own, and counts its findings.
 */
struct writing {
	const struct result *res;
	struct ctx *c[2];
	uint64_t findings[2];
};

static int
write_result(void *arg, int thread, size_t i, struct outbuf *ob,
    struct time_cache *tc)
{
	struct writing *w = arg;
	struct ctx *c = w->c[thread];
	const struct bc_pair *p = &c->b->pair[w->res[i].pair];
	struct analysis a;

	/* The details are computed again: cheaper than keeping them all. */
	if (analyse(c, p, &a) != 0)
		return -1;
	if (a.rule == R_PERIODIC)
		w->findings[thread]++;
	write_one(c, p, &a, ob, tc);
	return 0;
}

int
beacon_write_findings(struct beacon *b)
{
	atomic_size_t next = 0;
	struct bc_days dd, dd2;
	struct pass ps;
	struct ctx c2;
	struct writing w;
	int64_t *days;
	int rc = -1;

	memset(&ps, 0, sizeof ps);
	ps.c.b = b;
	bc_days_init(&dd, b->cfg);
	ps.c.days = &dd;
	ps.next = &next;
	finding_write_header(b->out);
	if ((ps.c.population = bc_host_counts(b, &ps.c.hosts)) == SIZE_MAX)
		return -1;
	b->population = ps.c.population;
	days = bc_data_days(b, &ps.c.ndays);
	if (days == NULL && ps.c.ndays == SIZE_MAX)
		goto out;
	free(days);
	if (analyse_all(&ps) != 0)
		goto out;
	b->scored += ps.scored;
	b->bounded += ps.bounded;
	b->popular += ps.popular;
	b->allowed += ps.allowed;
	b->strobes += ps.strobes;
	sort_b = b;
	if (ps.nres > 1)
		qsort(ps.res, ps.nres, sizeof *ps.res, cmp_result);
	ctx_fork(&c2, &ps.c, &dd2);
	memset(&w, 0, sizeof w);
	w.res = ps.res;
	w.c[0] = &ps.c;
	w.c[1] = &c2;
	rc = findsplit_write(b->out, ps.nres, write_result, &w);
	b->findings += w.findings[0] + w.findings[1];
	ctx_release(&c2);
out:
	free(ps.res);
	free(ps.c.hosts);
	ctx_release(&ps.c);
	return rc;
}
