/*
 * config_maint.c: [maintenance NAME] windows, during which off-hours and
 * other findings are expected. A window is either one-off (start and end,
 * local times in the site's zone, turned into UTC at the finish) or
 * recurring (weekly = "sat 22:00-sun 06:00", monthly = "2nd wed
 * 22:00-thu 06:00", wall-clock times in the site's zone, optionally
 * bounded by start and end); it covers the hosts listed (addresses,
 * networks, segment names) or every host, and may name the change
 * operators (accounts) whose actions it excuses. One-off windows are
 * sorted by start with a running maximum of ends, so a lookup is a binary
 * search and a short walk back; recurring windows are few and tried in
 * turn.
 */
#include <stdlib.h>
#include <string.h>
#include "acct.h"
#include "config_impl.h"
#include "timeconv.h"

static struct cfg_window *
window(struct config *cfg, struct slice name, uint64_t line)
{
	struct cfg_window *w;
	size_t i;

	for (i = 0; i < cfg->nwin; i++)
		if (slice_eq(name, cfg->win[i].name))
			return &cfg->win[i];
	cfg->win = cfg_grow(cfg, cfg->win, cfg->nwin, &cfg->win_cap,
	    sizeof *cfg->win);
	if (cfg->win == NULL)
		return NULL;
	w = &cfg->win[cfg->nwin];
	if ((w->name = cfg_strdup(cfg, name)) == NULL)
		return NULL;
	w->line = line;
	cfg->nwin++;
	return w;
}

static int
when(struct config *cfg, struct cfg_when *w, struct slice value,
    uint64_t line)
{
	if (cfg_parse_when(value, w) != 0)
		return cfg_fail(cfg, line, "bad date and time '%s' (expected "
		    "YYYY-MM-DD HH:MM)", cfg_q(cfg, value));
	if ((w->text = cfg_strdup(cfg, value)) == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	w->given = 1;
	w->line = line;
	return 0;
}

static int
hosts(struct config *cfg, struct cfg_window *w, struct slice value,
    uint64_t line)
{
	struct slice rest = value, item;
	size_t ncap = 0, scap = 0;
	struct cfg_nets nets = { NULL, 0, line, 1 };
	const char **names = NULL;
	size_t nnames = 0;
	int r, all = 0;

	while ((r = cfg_next_item(&rest, &item)) == 1) {
		struct cfg_cidr c;
		int pr;

		if (slice_eq(item, "*")) {
			all = 1;
			continue;
		}
		pr = cfg_parse_cidr(item, &c);
		if (pr == 0) {
			nets.v = cfg_grow(cfg, nets.v, nets.n, &ncap,
			    sizeof *nets.v);
			if (nets.v == NULL ||
			    (c.text = cfg_strdup(cfg, item)) == NULL)
				return cfg_fail(cfg, CFG_NOLINE,
				    "out of memory");
			nets.v[nets.n++] = c;
			continue;
		}
		if (pr == -2 || !cfg_name_valid(item))
			return cfg_parse_nets(cfg, item, line, &nets, 0);
		names = cfg_grow(cfg, names, nnames, &scap, sizeof *names);
		if (names == NULL ||
		    (names[nnames] = cfg_strdup(cfg, item)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		nnames++;
	}
	if (r < 0 || (nets.n == 0 && nnames == 0 && !all))
		return cfg_fail(cfg, line, "no host in '%s'",
		    cfg_q(cfg, value));
	w->hosts_given = !all;
	w->hosts_line = line;
	w->nets = nets;
	w->segname = names;
	w->nseg = nnames;
	return 0;
}

/* The change operators: account names, as a log writes them. */
static int
operators(struct config *cfg, struct cfg_window *w, struct slice value,
    uint64_t line)
{
	struct slice rest = value, item;
	const char **v = NULL;
	size_t n = 0, cap = 0;
	int r;

	while ((r = cfg_next_item(&rest, &item)) == 1) {
		if (acct_name(item).n == 0)
			return cfg_fail(cfg, line, "bad account '%s' in "
			    "operators", cfg_q(cfg, item));
		if ((v = cfg_grow(cfg, v, n, &cap, sizeof *v)) == NULL ||
		    (v[n++] = cfg_strdup(cfg, item)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	}
	if (r < 0)
		return cfg_fail(cfg, line, "unterminated quote in '%s'",
		    cfg_q(cfg, value));
	if (n == 0)
		return cfg_fail(cfg, line, "no account in operators");
	w->operators = v;
	w->noperators = n;
	return 0;
}

/*
 * One recurrence: "[NTH] DAY HH:MM-[DAY] HH:MM". nth is 0 for weekly,
 * else the week of the month (1-5, -1 for the last).
 */
static int
recurrence(struct slice s, int monthly, struct cfg_recur *rc)
{
	struct slice a = SLICE_NONE, b = SLICE_NONE, w1, w2, w3;
	int ed, em;
	long dash = slice_find(s, '-');

	if (dash < 0)
		return -1;
	a = slice_make(s.p, (size_t)dash);
	b = slice_from(s, (size_t)dash + 1);
	rc->nth = 0;
	if (monthly) {
		static const char *const nth[] = { "1st", "2nd", "3rd", "4th",
		    "5th" };
		int k;

		w1 = slice_next_word(&a);
		for (k = 0; k < 5; k++)
			if (slice_eq_nocase(w1, nth[k]))
				rc->nth = k + 1;
		if (slice_eq_nocase(w1, "last"))
			rc->nth = -1;
		if (rc->nth == 0)
			return -1;
	}
	w1 = slice_next_word(&a);
	w2 = slice_next_word(&a);
	if (slice_next_word(&a).n > 0 || (rc->wday = cfg_parse_weekday(w1)) < 0 ||
	    (rc->minute = cfg_parse_clock(w2, 0)) < 0)
		return -1;
	w1 = slice_next_word(&b);
	w2 = slice_next_word(&b);
	w3 = slice_next_word(&b);
	if (w3.n > 0)
		return -1;
	if (w2.n == 0) {
		/* An end time alone: the same day, or the next past midnight. */
		if ((em = cfg_parse_clock(w1, 1)) < 0)
			return -1;
		rc->len = em - rc->minute;
		if (rc->len <= 0)
			rc->len += 1440;
		return 0;
	}
	if ((ed = cfg_parse_weekday(w1)) < 0 || (em = cfg_parse_clock(w2, 1)) < 0)
		return -1;
	rc->len = ((ed - rc->wday + 7) % 7) * 1440 + em - rc->minute;
	return rc->len > 0 ? 0 : -1;
}

static int
recurrences(struct config *cfg, struct slice value, uint64_t line,
    int monthly, struct cfg_recur **out, size_t *nout)
{
	struct cfg_recur *v = NULL;
	size_t n = 0, cap = 0;
	struct slice rest = value;

	while (rest.n > 0) {
		long comma = slice_find(rest, ',');
		struct slice one = comma < 0 ? rest :
		    slice_make(rest.p, (size_t)comma);

		rest = comma < 0 ? slice_make(rest.p + rest.n, 0) :
		    slice_from(rest, (size_t)comma + 1);
		one = slice_trim(one);
		if ((v = cfg_grow(cfg, v, n, &cap, sizeof *v)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		if (recurrence(one, monthly, &v[n]) != 0)
			return cfg_fail(cfg, line, "bad %s window '%s' "
			    "(expected %sDAY HH:MM-[DAY] HH:MM)",
			    monthly ? "monthly" : "weekly", cfg_q(cfg, one),
			    monthly ? "1st-5th or last, " : "");
		n++;
	}
	*out = v;
	*nout = n;
	return 0;
}

int
cfg_maint_apply(struct config *cfg, struct slice name, struct slice key,
    struct slice value, uint64_t line)
{
	struct cfg_window *w = window(cfg, name, line);

	if (w == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	if (key.p == NULL)
		return 0;
	if (slice_eq_nocase(key, "start"))
		return when(cfg, &w->start, value, line);
	if (slice_eq_nocase(key, "end"))
		return when(cfg, &w->end, value, line);
	if (slice_eq_nocase(key, "hosts"))
		return hosts(cfg, w, value, line);
	if (slice_eq_nocase(key, "operators"))
		return operators(cfg, w, value, line);
	if (slice_eq_nocase(key, "weekly"))
		return recurrences(cfg, value, line, 0, &w->weekly,
		    &w->nweekly);
	if (slice_eq_nocase(key, "monthly"))
		return recurrences(cfg, value, line, 1, &w->monthly,
		    &w->nmonthly);
	if (slice_eq_nocase(key, "description")) {
		if ((w->desc = cfg_strdup(cfg, value)) == NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		return 0;
	}
	return cfg_fail(cfg, line, "unknown key '%s' in %s", cfg_q(cfg, key),
	    cfg_where(cfg, SECT_MAINT, name));
}

/* A window's date and time in UTC; late picks the later of two. */
static int
resolve_when(struct config *cfg, const struct cfg_when *w, int late,
    int64_t *utc)
{
	int64_t u[2];
	int n;

	if (w->has_off) {
		*utc = w->wall - w->off;
		return 0;
	}
	n = cfg_zone_to_utc(cfg, w->wall, u);
	if (n == 0)
		return cfg_fail(cfg, w->line, "'%s' does not exist in %s (the "
		    "clocks go forward)", cfg_qs(cfg, w->text),
		    cfg_qs(cfg, cfg->tz));
	*utc = late ? u[n - 1] : u[0];
	return 0;
}

/* A one-off window on its way into the index. */
struct by_start {
	int64_t start;
	size_t idx;
};

static int
start_cmp(const void *a, const void *b)
{
	const struct by_start *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int
cfg_maint_finish(struct config *cfg)
{
	struct by_start *order;
	size_t i, j, k;

	for (i = 0; i < cfg->nwin; i++) {
		struct cfg_window *w = &cfg->win[i];
		struct cfg_nets *one = &w->nets;
		int rec = w->nweekly + w->nmonthly > 0;

		if (!rec && !w->start.given)
			return cfg_fail(cfg, w->line, "maintenance '%s' has no "
			    "start (or weekly or monthly)", cfg_qs(cfg, w->name));
		if (!rec && !w->end.given)
			return cfg_fail(cfg, w->line, "maintenance '%s' has no "
			    "end", cfg_qs(cfg, w->name));
		w->ustart = INT64_MIN;
		w->uend = INT64_MAX;
		if (w->start.given &&
		    resolve_when(cfg, &w->start, 0, &w->ustart) != 0)
			return -1;
		if (w->end.given && resolve_when(cfg, &w->end, 1, &w->uend) != 0)
			return -1;
		if (w->uend <= w->ustart)
			return cfg_fail(cfg, w->end.line, "end '%s' is not after "
			    "start '%s'", cfg_qs(cfg, w->end.text),
			    cfg_qs(cfg, w->start.text));
		if ((w->seg = cfg_alloc(cfg, (w->nseg + 1) * sizeof *w->seg)) ==
		    NULL)
			return cfg_fail(cfg, CFG_NOLINE, "out of memory");
		for (j = 0; j < w->nseg; j++)
			if ((w->seg[j] = cfg_segment_lookup(cfg,
			    slice_cstr(w->segname[j]))) < 0)
				return cfg_fail(cfg, w->hosts_line, "unknown "
				    "segment '%s' in %s", cfg_qs(cfg,
				    w->segname[j]), cfg_where(cfg, SECT_MAINT,
				    slice_cstr(w->name)));
		if (cfg_map_build(cfg, &w->map, &one, NULL, 1, NULL) != 0)
			return -1;
	}
	cfg->once = cfg_alloc(cfg, (cfg->nwin + 1) * sizeof *cfg->once);
	cfg->once_maxend = cfg_alloc(cfg, (cfg->nwin + 1) *
	    sizeof *cfg->once_maxend);
	cfg->recurring = cfg_alloc(cfg, (cfg->nwin + 1) *
	    sizeof *cfg->recurring);
	if (cfg->once == NULL || cfg->once_maxend == NULL ||
	    cfg->recurring == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	if ((order = cfg_alloc(cfg, (cfg->nwin + 1) * sizeof *order)) == NULL)
		return cfg_fail(cfg, CFG_NOLINE, "out of memory");
	for (i = 0; i < cfg->nwin; i++) {
		if (cfg->win[i].nweekly + cfg->win[i].nmonthly > 0) {
			cfg->recurring[cfg->nrecurring++] = i;
		} else {
			order[cfg->nonce].start = cfg->win[i].ustart;
			order[cfg->nonce++].idx = i;
		}
	}
	if (cfg->nonce > 1)
		qsort(order, cfg->nonce, sizeof *order, start_cmp);
	for (k = 0; k < cfg->nonce; k++) {
		int64_t e = cfg->win[order[k].idx].uend;

		cfg->once[k] = order[k].idx;
		cfg->once_maxend[k] = k > 0 && cfg->once_maxend[k - 1] > e ?
		    cfg->once_maxend[k - 1] : e;
	}
	return 0;
}

/*
 * Whether window w covers ip (NULL: a host known by name only, which only
 * a window for every host covers) and, when actor is not NULL, excuses
 * its actions; *seg is ip's segment once looked up.
 */
static int
covers(const struct config *cfg, const struct cfg_window *w,
    const struct ipaddr *ip, const struct slice *actor, int *seg)
{
	size_t i;

	if (actor != NULL && w->noperators > 0) {
		for (i = 0; i < w->noperators; i++)
			if (actor->n > 0 &&
			    acct_eq(*actor, slice_cstr(w->operators[i])))
				break;
		if (i == w->noperators)
			return 0;
	}
	if (!w->hosts_given)
		return 1;
	if (ip == NULL)
		return 0;
	if (cfg_map_lookup(&w->map, ip) >= 0)
		return 1;
	if (w->nseg == 0)
		return 0;
	if (*seg == CFG_ANY)
		*seg = config_segment_of(cfg, ip);
	for (i = 0; i < w->nseg; i++)
		if (w->seg[i] == *seg)
			return 1;
	return 0;
}

/* The day number of the nth (or last) weekday wd of month y-m, or -1. */
static int64_t
nth_weekday(int y, int m, int nth, int wd)
{
	int64_t first = time_days_from_civil(y, m, 1), last, d;
	int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;

	last = time_days_from_civil(ny, nm, 1) - 1;
	if (nth < 0)
		return last - (((last % 7) + 11) % 7 - wd + 7) % 7;
	d = first + (wd - ((first % 7) + 11) % 7 + 7) % 7 + (nth - 1) * 7;
	return d <= last ? d : -1;
}

/* Whether local time lt falls in recurrence r. */
static int
recurs(const struct cfg_recur *r, const struct config_local *lt)
{
	int64_t now, start, d;
	int y = lt->year, m = lt->month, k;

	if (r->nth == 0) {
		int64_t mow = lt->wday * 1440 + lt->minute;
		int64_t s = r->wday * 1440 + r->minute;
		return ((mow - s) % 10080 + 10080) % 10080 < r->len;
	}
	/* This month's occurrence, or last month's running over. */
	now = lt->days * 1440 + lt->minute;
	for (k = 0; k < 2; k++) {
		if ((d = nth_weekday(y, m, r->nth, r->wday)) >= 0) {
			start = d * 1440 + r->minute;
			if (now >= start && now - start < r->len)
				return 1;
		}
		if (--m == 0) {
			m = 12;
			y--;
		}
	}
	return 0;
}

/* The first window covering ip at utc (for actor, when not NULL). */
static const char *
lookup(const struct config *cfg, int64_t utc, const struct ipaddr *ip,
    const struct slice *actor)
{
	size_t lo = 0, hi = cfg->nonce, i;
	struct config_local lt;
	int seg = CFG_ANY, have_lt = 0;

	/* The one-off windows starting at or before utc: [0, lo). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cfg->win[cfg->once[mid]].ustart <= utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0 && cfg->once_maxend[lo - 1] > utc) {
		const struct cfg_window *w = &cfg->win[cfg->once[--lo]];
		if (utc < w->uend && covers(cfg, w, ip, actor, &seg))
			return w->name;
	}
	for (i = 0; i < cfg->nrecurring; i++) {
		const struct cfg_window *w = &cfg->win[cfg->recurring[i]];
		size_t j;
		int in = 0;

		if (utc < w->ustart || utc >= w->uend)
			continue;
		if (!have_lt) {
			config_local_time(cfg, utc, &lt);
			have_lt = 1;
		}
		for (j = 0; j < w->nweekly && !in; j++)
			in = recurs(&w->weekly[j], &lt);
		for (j = 0; j < w->nmonthly && !in; j++)
			in = recurs(&w->monthly[j], &lt);
		if (in && covers(cfg, w, ip, actor, &seg))
			return w->name;
	}
	return NULL;
}

const char *
config_in_maintenance(const struct config *cfg, int64_t utc,
    const struct ipaddr *ip)
{
	return lookup(cfg, utc, ip, NULL);
}

int
config_has_maintenance(const struct config *cfg)
{
	return cfg->nonce > 0 || cfg->nrecurring > 0;
}

const char *
config_maintenance_excuses(const struct config *cfg, int64_t utc,
    const struct ipaddr *ip, struct slice actor)
{
	return lookup(cfg, utc, ip, &actor);
}
