/*
 * model.c: csm-report's findings in memory. Each record of a findings
 * stream is checked (time, severity, numbers), its text columns made
 * canonical (unescaped and escaped again, so that no raw control byte of
 * a hand-made or hostile stream survives to a terminal), and kept; then
 * the set is sorted and exact duplicates dropped (the same stream read
 * twice), the severity threshold and the allowlist are applied, and the
 * findings are gathered into the sections, summary rows and trends that
 * every writer draws from. Findings are few next to events, so one
 * allocation per finding is fine here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agg.h"
#include "diag.h"
#include "esc.h"
#include "num.h"
#include "report.h"

const char *const model_columns[] = {
	"check", "severity", "ts_last", "rule", "score", "src_ip", "user",
	"dst", "count", "bytes", "reason", "clause", "stage", "origin"
};
const int model_ncolumns = 14, model_nrequired = 2;

/* The findings column of each wanted column. */
static const int col_of[] = {
	FD_CHECK, FD_SEVERITY, FD_TS_LAST, FD_RULE, FD_SCORE, FD_SRC_IP,
	FD_USER, FD_DST, FD_COUNT, FD_BYTES, FD_REASON, FD_CLAUSE, FD_STAGE,
	FD_ORIGIN
};

static int
reject(struct evrow *row, const char *what, struct slice s)
{
	char q[200];	/* room for diag_quote's 40 bytes, escaped */

	snprintf(row->reason, sizeof row->reason, "%s '%s'", what,
	    diag_quote(q, sizeof q, s));
	return LINE_REJECTED;
}

static int
store_add(struct store *st, struct rfind *f)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 256;
		struct rfind **v = realloc(st->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		st->v = v;
		st->cap = cap;
	}
	st->v[st->n++] = f;
	return 0;
}

void
store_release(struct store *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->v[i]);
	free(st->v);
	memset(st, 0, sizeof *st);
}

/*
 * Whether a score that num_parse_milli read as 1 has more past its third
 * decimal ("1.0001"): thousandths are truncated, not rounded.
 */
static int
past_one(struct slice s)
{
	long dot = slice_find(s, '.');
	size_t i;

	for (i = dot < 0 ? s.n : (size_t)dot + 1; i < s.n; i++)
		if (s.p[i] != '0')
			return 1;
	return 0;
}

enum line_result
model_row(void *arg, struct evrow *row)
{
	struct report *r = arg;
	struct slice v[FD_NCOLS];
	struct rfind *f;
	uint64_t u;
	int64_t ms;
	size_t need = 0, i, off;
	char *tmp;

	memset(v, 0, sizeof v);
	for (i = 0; i < (size_t)model_ncolumns; i++)
		v[col_of[i]] = evrow_get(row, (int)i);
	if (row->ts_ms == INT64_MIN) {
		snprintf(row->reason, sizeof row->reason,
		    "finding has no time");
		return LINE_REJECTED;
	}
	if (v[FD_CHECK].n == 0) {
		snprintf(row->reason, sizeof row->reason,
		    "finding has no check");
		return LINE_REJECTED;
	}
	if (finding_severity_level(v[FD_SEVERITY]) < 0)
		return reject(row, "bad severity", v[FD_SEVERITY]);
	ms = row->ts_ms;
	if (v[FD_TS_LAST].n > 0 && (time_parse_rfc3339(v[FD_TS_LAST], &ms) !=
	    0 || ms < row->ts_ms))
		return reject(row, "bad ts_last", v[FD_TS_LAST]);
	if (v[FD_COUNT].n > 0 && num_parse_u64(v[FD_COUNT], UINT64_MAX,
	    &u) != 0)
		return reject(row, "bad count", v[FD_COUNT]);
	if (v[FD_BYTES].n > 0 && num_parse_u64(v[FD_BYTES], UINT64_MAX,
	    &u) != 0)
		return reject(row, "bad bytes", v[FD_BYTES]);
	{
		int64_t m;

		if (v[FD_SCORE].n > 0 && (num_parse_milli(v[FD_SCORE], &m) !=
		    0 || m > 1000 || (m == 1000 && past_one(v[FD_SCORE]))))
			return reject(row, "bad score", v[FD_SCORE]);
	}

	/* Canonical text: unescape, then escape again, per column. */
	for (i = 0; i < FD_NCOLS; i++)
		need += v[i].n * (1 + ESC_MAX_GROWTH);
	if ((tmp = malloc(need + 1)) == NULL)
		goto oom;
	off = 0;
	for (i = 0; i < FD_NCOLS; i++)
		off += v[i].n * ESC_MAX_GROWTH;
	{
		char *raw = tmp + off;
		size_t o = 0;
		struct slice canon[FD_NCOLS];

		for (i = 0; i < FD_NCOLS; i++) {
			size_t n = esc_unescape(raw, v[i]);

			canon[i] = slice_make(tmp + o, esc_tsv(tmp + o,
			    slice_make(raw, n), ESC_TSV));
			o += canon[i].n;
		}
		if ((f = malloc(sizeof *f + o + 1)) == NULL) {
			free(tmp);
			goto oom;
		}
		memset(f, 0, sizeof *f);
		memcpy(f->text, tmp, o);
		f->text[o] = '\0';
		o = 0;
		for (i = 0; i < FD_NCOLS; i++) {
			f->f[i] = slice_make(f->text + o, canon[i].n);
			o += canon[i].n;
		}
	}
	free(tmp);
	f->ts = row->ts_ms;
	f->ts_last = ms;
	f->sev = finding_severity_level(v[FD_SEVERITY]);
	if (v[FD_SCORE].n > 0) {
		int64_t m;

		num_parse_milli(v[FD_SCORE], &m);
		f->score = (int)m;
	}
	if (v[FD_COUNT].n > 0)
		num_parse_u64(v[FD_COUNT], UINT64_MAX, &f->count);
	if (v[FD_BYTES].n > 0)
		num_parse_u64(v[FD_BYTES], UINT64_MAX, &f->bytes);
	f->allow = -1;
	if (store_add(r->load, f) != 0) {
		free(f);
		goto oom;
	}
	if (r->load == &r->all)
		r->read++;
	return LINE_USED;
oom:
	r->oom = 1;
	snprintf(row->reason, sizeof row->reason, "out of memory");
	return LINE_REJECTED;
}

static int
cmp_slice(struct slice a, struct slice b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;

	if (c)
		return c;
	return (a.n > b.n) - (a.n < b.n);
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } \
	while (0)

/* Stream order: time, then every other column. */
static int
cmp_canon(const struct rfind *a, const struct rfind *b)
{
	static const int text[] = {
		FD_CHECK, FD_RULE, FD_SRC_IP, FD_USER, FD_DST, FD_REASON,
		FD_CLAUSE, FD_STAGE, FD_ORIGIN
	};
	size_t i;
	int c;

	CMP(a->ts, b->ts);
	CMP(a->ts_last, b->ts_last);
	for (i = 0; i < sizeof text / sizeof text[0]; i++)
		if ((c = cmp_slice(a->f[text[i]], b->f[text[i]])) != 0)
			return c;
	CMP(a->sev, b->sev);
	CMP(a->score, b->score);
	CMP(a->count, b->count);
	CMP(a->bytes, b->bytes);
	return 0;
}

static int
qcmp_canon(const void *x, const void *y)
{
	return cmp_canon(*(struct rfind *const *)x, *(struct rfind *const *)y);
}

uint64_t
model_dedup(struct store *st)
{
	size_t i, o = 0;
	uint64_t dropped = 0;

	if (st->n > 1)
		qsort(st->v, st->n, sizeof *st->v, qcmp_canon);
	for (i = 0; i < st->n; i++) {
		if (o > 0 && cmp_canon(st->v[o - 1], st->v[i]) == 0) {
			free(st->v[i]);
			dropped++;
			continue;
		}
		st->v[o++] = st->v[i];
	}
	st->n = o;
	return dropped;
}

struct slice
model_host(const struct rfind *f)
{
	if (f->f[FD_SRC_IP].n > 0)
		return f->f[FD_SRC_IP];
	if (f->f[FD_USER].n > 0)
		return f->f[FD_USER];
	return SLICE_LIT("-");
}

int
model_shown(struct report *r, struct rfind *f)
{
	if (f->sev < r->min_sev)
		return 0;
	f->allow = allow_match(&r->allow, f);
	return f->allow < 0;
}

int
model_parse_date(const char *s, int64_t *days)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    num_parse_digits(s, 4, &y) != 0 ||
	    num_parse_digits(s + 5, 2, &m) != 0 ||
	    num_parse_digits(s + 8, 2, &d) != 0 || !time_date_valid(y, m, d))
		return -1;
	*days = time_days_from_civil(y, m, d);
	return 0;
}

void
model_date(struct report *r)
{
	struct config_local lt;
	struct time_parts tp;
	size_t i;

	if (r->date_opt != NULL) {
		r->have_day = model_parse_date(r->date_opt, &r->day) == 0;
	} else if (r->all.n > 0) {
		int64_t last = r->all.v[0]->ts;

		for (i = 1; i < r->all.n; i++)
			if (r->all.v[i]->ts > last)
				last = r->all.v[i]->ts;
		model_local(r, last, &lt);
		r->day = lt.days;
		r->have_day = 1;
	}
	if (r->have_day) {
		time_split(r->day * 86400, &tp);
		snprintf(r->date, sizeof r->date, "%04d-%02d-%02d", tp.year,
		    tp.month, tp.day);
	}
}

void
model_local(const struct report *r, int64_t ms, struct config_local *lt)
{
	int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);

	config_local_time(r->cfg, s, lt);
}

/* Most severe first, then highest score, most events, earliest. */
static int
cmp_rank(const struct rfind *a, const struct rfind *b)
{
	CMP(b->sev, a->sev);
	CMP(b->score, a->score);
	CMP(b->count, a->count);
	return cmp_canon(a, b);
}

static int
qcmp_supp(const void *x, const void *y)
{
	const struct rfind *a = *(struct rfind *const *)x;
	const struct rfind *b = *(struct rfind *const *)y;

	CMP(a->allow, b->allow);
	return cmp_rank(a, b);
}

static int by_host_key;		/* qsort has no context argument */

static struct slice
group_key(const struct rfind *f, int host)
{
	return host ? model_host(f) : f->f[FD_CHECK];
}

static int
qcmp_key_rank(const void *x, const void *y)
{
	const struct rfind *a = *(struct rfind *const *)x;
	const struct rfind *b = *(struct rfind *const *)y;
	int c = cmp_slice(group_key(a, by_host_key), group_key(b,
	    by_host_key));

	return c ? c : cmp_rank(a, b);
}

static int
qcmp_group(const void *x, const void *y)
{
	const struct rgroup *a = x, *b = y;

	CMP(b->maxsev, a->maxsev);
	CMP(b->n, a->n);
	return cmp_slice(a->key, b->key);
}

static int
qcmp_group_key(const void *x, const void *y)
{
	return cmp_slice(((const struct rgroup *)x)->key,
	    ((const struct rgroup *)y)->key);
}

/*
 * Gathers the shown findings into groups by check or host, each sorted
 * by rank; the groups come out ordered by key (for the trend lookups).
 */
static struct rgroup *
make_groups(struct report *r, int host, size_t *ngroups,
    struct rfind ***base)
{
	struct rfind **v;
	struct rgroup *g;
	size_t i, n = 0;

	*ngroups = 0;
	if ((*base = v = malloc((r->nshown + 1) * sizeof *v)) == NULL)
		return NULL;
	if (r->nshown)
		memcpy(v, r->shown, r->nshown * sizeof *v);
	by_host_key = host;
	qsort(v, r->nshown, sizeof *v, qcmp_key_rank);
	if ((g = calloc(r->nshown + 1, sizeof *g)) == NULL)
		return NULL;
	for (i = 0; i < r->nshown; i++) {
		struct rgroup *cur;
		struct slice k = group_key(v[i], host);
		size_t j;
		int st;

		if (n == 0 || cmp_slice(g[n - 1].key, k) != 0) {
			cur = &g[n++];
			cur->key = k;
			cur->v = v + i;
			cur->maxsev = -1;
			for (j = 0; j < HIST_MAX_DAYS; j++)
				cur->trend[j] = -1;
		}
		cur = &g[n - 1];
		cur->n++;
		cur->sev[v[i]->sev]++;
		if (v[i]->sev > cur->maxsev)
			cur->maxsev = v[i]->sev;
		if ((st = i18n_stage_index(v[i]->f[FD_STAGE])) >= 0)
			cur->stage[st]++;
		for (j = 0; j < cur->nclause; j++)
			if (cmp_slice(cur->clause[j], v[i]->f[FD_CLAUSE]) == 0)
				break;
		if (j == cur->nclause && j < 8 && v[i]->f[FD_CLAUSE].n > 0)
			cur->clause[cur->nclause++] = v[i]->f[FD_CLAUSE];
	}
	/* The clauses of a group in order, fw-1 before fw-2. */
	for (i = 0; i < n; i++) {
		size_t a, b;

		for (a = 1; a < g[i].nclause; a++)
			for (b = a; b > 0 && cmp_slice(g[i].clause[b - 1],
			    g[i].clause[b]) > 0; b--) {
				struct slice t = g[i].clause[b];

				g[i].clause[b] = g[i].clause[b - 1];
				g[i].clause[b - 1] = t;
			}
	}
	*ngroups = n;
	return g;
}

static struct rgroup *
find_group(struct rgroup *g, size_t n, struct slice key)
{
	struct rgroup k;

	memset(&k, 0, sizeof k);
	k.key = key;
	return n ? bsearch(&k, g, n, sizeof *g, qcmp_group_key) : NULL;
}

/*
 * The trends and "new" marks: the earlier days' findings, filtered as
 * today's are, counted per check and per host, and their (check, host)
 * pairs remembered in a table.
 */
/*
 * Adds a group without findings today for each check seen only on the
 * earlier days, so that the trend shows what stopped too. The groups
 * stay ordered by key.
 */
static int
add_past_checks(struct report *r)
{
	size_t i, d, n = r->nchecks;
	struct rgroup *g;

	for (d = 0; d < (size_t)r->hist.ndays; d++) {
		struct store *st = &r->hist.day_store[d];

		for (i = 0; i < st->n; i++) {
			struct slice c = st->v[i]->f[FD_CHECK];
			size_t j;

			if (!model_shown(r, st->v[i]) ||
			    find_group(r->checks, r->nchecks, c) != NULL)
				continue;
			for (j = r->nchecks; j < n; j++)
				if (cmp_slice(r->checks[j].key, c) == 0)
					break;
			if (j < n)
				continue;
			if ((g = realloc(r->checks, (n + 1) * sizeof *g)) ==
			    NULL)
				return -1;
			r->checks = g;
			memset(&g[n], 0, sizeof g[n]);
			g[n].key = c;
			g[n].maxsev = -1;
			for (j = 0; j < HIST_MAX_DAYS; j++)
				g[n].trend[j] = -1;
			n++;
		}
	}
	r->ntoday_checks = r->nchecks;
	r->nchecks = n;
	qsort(r->checks, r->nchecks, sizeof *r->checks, qcmp_group_key);
	return 0;
}

static int
mark_history(struct report *r)
{
	struct agg seen;
	char key[600];
	size_t i, d, n;
	int rc = 0;

	if (add_past_checks(r) != 0)
		return -1;
	agg_init(&seen);
	for (d = 0; d < (size_t)r->hist.ndays; d++) {
		struct store *st = &r->hist.day_store[d];

		if (!r->hist.have[d])
			continue;
		for (i = 0; i < r->nchecks; i++)
			r->checks[i].trend[d] = 0;
		for (i = 0; i < r->nhosts; i++)
			r->hosts[i].trend[d] = 0;
		for (i = 0; i < st->n; i++) {
			struct rfind *f = st->v[i];
			struct slice c = f->f[FD_CHECK], h = model_host(f);
			struct rgroup *g;
			struct agg_entry *e;

			if (!model_shown(r, f))
				continue;
			if ((g = find_group(r->checks, r->nchecks, c)) != NULL)
				g->trend[d]++;
			if ((g = find_group(r->hosts, r->nhosts, h)) != NULL)
				g->trend[d]++;
			n = c.n < 200 ? c.n : 200;
			memcpy(key, c.p, n);
			key[n++] = '\t';
			memcpy(key + n, h.p, h.n < 300 ? h.n : 300);
			n += h.n < 300 ? h.n : 300;
			if ((e = agg_get(&seen, slice_make(key, n))) == NULL ||
			    agg_add(e, f->ts, 0, SLICE_LIT("")) != 0) {
				rc = -1;
				goto out;
			}
		}
	}
	for (i = 0; i < r->nshown; i++) {
		struct rfind *f = r->shown[i];
		struct slice c = f->f[FD_CHECK], h = model_host(f);
		struct agg_entry *e;

		n = c.n < 200 ? c.n : 200;
		memcpy(key, c.p, n);
		key[n++] = '\t';
		memcpy(key + n, h.p, h.n < 300 ? h.n : 300);
		n += h.n < 300 ? h.n : 300;
		if ((e = agg_get(&seen, slice_make(key, n))) == NULL) {
			rc = -1;
			goto out;
		}
		f->is_new = e->count == 0;
	}
	for (i = 0; i < r->nchecks + r->nhosts; i++) {
		struct rgroup *g = i < r->nchecks ? &r->checks[i] :
		    &r->hosts[i - r->nchecks];

		g->is_new = 1;
		for (d = 0; d < (size_t)r->hist.ndays; d++)
			if (g->trend[d] > 0)
				g->is_new = 0;
	}
out:
	agg_release(&seen);
	return rc;
}

int
model_build(struct report *r)
{
	size_t i;

	r->shown = malloc((r->all.n + 1) * sizeof *r->shown);
	r->supp = malloc((r->all.n + 1) * sizeof *r->supp);
	if (r->shown == NULL || r->supp == NULL)
		return -1;
	r->first_ts = INT64_MAX;
	r->last_ts = INT64_MIN;
	for (i = 0; i < r->all.n; i++) {
		struct rfind *f = r->all.v[i];

		if (model_shown(r, f)) {
			r->shown[r->nshown++] = f;
			if (f->ts < r->first_ts)
				r->first_ts = f->ts;
			if (f->ts_last > r->last_ts)
				r->last_ts = f->ts_last;
		} else if (f->sev < r->min_sev) {
			r->below++;
		} else {
			r->supp[r->nsupp++] = f;
		}
	}
	/* The suppressed findings under the allow rule that took them. */
	qsort(r->supp, r->nsupp, sizeof *r->supp, qcmp_supp);
	if ((r->checks = make_groups(r, 0, &r->nchecks,
	    &r->checks_base)) == NULL ||
	    (r->hosts = make_groups(r, 1, &r->nhosts, &r->hosts_base)) ==
	    NULL)
		return -1;
	r->ntoday_checks = r->nchecks;
	if (r->use_history && r->hist.any && mark_history(r) != 0)
		return -1;

	/* Summary rows: (check, clause), in the checks' display order. */
	qsort(r->checks, r->nchecks, sizeof *r->checks, qcmp_group);
	qsort(r->hosts, r->nhosts, sizeof *r->hosts, qcmp_group);
	if ((r->rows = calloc(r->nshown + 1, sizeof *r->rows)) == NULL)
		return -1;
	for (i = 0; i < r->nchecks; i++) {
		struct rgroup *g = &r->checks[i];
		size_t j, k, first = r->nrows;

		for (j = 0; j < g->n; j++) {
			struct rfind *f = g->v[j];

			for (k = first; k < r->nrows; k++)
				if (cmp_slice(r->rows[k].clause,
				    f->f[FD_CLAUSE]) == 0)
					break;
			if (k == r->nrows) {
				r->rows[k].check = g->key;
				r->rows[k].clause = f->f[FD_CLAUSE];
				r->nrows++;
			}
			r->rows[k].sev[f->sev]++;
			r->rows[k].total++;
		}
		/* Clauses in order within the check. */
		for (j = first + 1; j < r->nrows; j++)
			for (k = j; k > first && cmp_slice(
			    r->rows[k - 1].clause, r->rows[k].clause) > 0;
			    k--) {
				struct srow t = r->rows[k];

				r->rows[k] = r->rows[k - 1];
				r->rows[k - 1] = t;
			}
	}
	/* Checks only seen on earlier days sort last: no section. */
	r->groups = r->by_host ? r->hosts : r->checks;
	r->ngroups = r->by_host ? r->nhosts : r->ntoday_checks;
	return 0;
}

void
model_release(struct report *r)
{
	int d;

	free(r->checks);
	free(r->hosts);
	free(r->checks_base);
	free(r->hosts_base);
	free(r->rows);
	free(r->shown);
	free(r->supp);
	store_release(&r->all);
	for (d = 0; d < HIST_MAX_DAYS; d++)
		store_release(&r->hist.day_store[d]);
}
