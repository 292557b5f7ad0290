/*
 * fuzz_config.c: libFuzzer harness for the organisation's configuration
 * (csm.conf(5)). The input up to its first pair of NUL bytes is written
 * to a file and read with config_load (the file reader, inih and every
 * section's value parser; a lone NUL stays in the file, which must
 * refuse it); each NUL-ended piece after the pair, up to MAX_SETS, is a
 * --set assignment given to config_set; then config_finish builds the
 * lookup tables, which are walked with addresses and times taken from
 * the input (each address and CIDR block written in it, its ends and the
 * addresses just outside them, instants around each date written in it)
 * and with fixed ones. Beyond "does not crash" it checks what config.h
 * promises: a failure always leaves a one-line message, queries answer
 * in range, segment names find their segment again, local time agrees
 * with the offset in force, business hours never widen on holidays, and
 * a flow permitted for an unknown port is permitted for every port. It
 * also compares each lookup table with a slow scan over what the file
 * said, read from the model in config_impl.h: the address maps
 * (internal, proxies, segments, egress) with a linear longest-prefix
 * search, [flows] with a scan of the rules, and maintenance windows with
 * a day-by-day search for their recurrences. The run does not depend on
 * the caller's TZ, TZDIR or home directory: TZ is pinned to UTC and
 * config_find is never called.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include "config.h"
#include "config_impl.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"

#define MAX_SETS 4		/* --set assignments from the tail */
#define MAX_PROBES 64		/* addresses taken from the input */
#define MAX_SEGS 12		/* segments walked in the flow matrix */
#define MAX_SLOW 24		/* addresses checked against slow scans */
#define MAX_TIMES 128		/* instants; the last 40 not from dates */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/fuzz_config.XXXXXX";
static char path[sizeof dir + 16];

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_config: %s\n", what);
	abort();
}

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_config: mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/csm.conf", dir);
	atexit(cleanup);
	/* A file without a timezone takes TZ: make that the same each run. */
	setenv("TZ", "UTC", 1);
	unsetenv("TZDIR");
	return 0;
}

static void
write_file(const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t off = 0;
	ssize_t w;

	if (fd < 0)
		fail("cannot create the input file");
	while (off < n) {
		if ((w = write(fd, p + off, n - off)) <= 0)
			fail("cannot write the input file");
		off += (size_t)w;
	}
	close(fd);
}

/* A failed call must leave one line of message, NUL-ended, in err. */
static void
check_err(const char *err, const char *who)
{
	const char *nul = memchr(err, '\0', CONFIG_ERR_MAX);
	const char *p;

	if (nul == NULL || nul == err) {
		fprintf(stderr, "fuzz_config: %s failed without a message\n",
		    who);
		abort();
	}
	for (p = err; p < nul; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "fuzz_config: %s: control byte in "
			    "message '%s'\n", who, err);
			abort();
		}
}

/* Adds one to (or, with down, subtracts one from) a 128-bit address. */
static struct ipaddr
ip_step(struct ipaddr ip, int down)
{
	int i;

	for (i = 15; i >= 0; i--)
		if (down ? ip.b[i]-- != 0 : ++ip.b[i] != 0)
			break;
	return ip;
}

struct probes {
	struct ipaddr ip[MAX_PROBES + 16];
	size_t n;
	int64_t t[MAX_TIMES];
	size_t nt;
};

static void
time_add(struct probes *pr, int64_t t)
{
	if (pr->nt < MAX_TIMES)
		pr->t[pr->nt++] = t;
}

/*
 * A word starting "YYYY-MM-DD" (a maintenance window, say) gives the two
 * days around that date in steps of three hours.
 */
static void
times_from_word(struct probes *pr, struct slice w)
{
	int y, m, d, k;
	int64_t day;

	if (w.n < 10 || w.p[4] != '-' || w.p[7] != '-' ||
	    num_parse_digits(w.p, 4, &y) != 0 ||
	    num_parse_digits(w.p + 5, 2, &m) != 0 ||
	    num_parse_digits(w.p + 8, 2, &d) != 0 ||
	    !time_date_valid(y, m, d) || y < 1970 ||
	    pr->nt + 24 > MAX_TIMES - 40)
		return;
	day = time_days_from_civil(y, m, d) * 86400;
	for (k = -8; k < 16; k++)
		time_add(pr, day + k * 10800);
}

static void
probe_add(struct probes *pr, struct ipaddr ip)
{
	if (pr->n < sizeof pr->ip / sizeof pr->ip[0])
		pr->ip[pr->n++] = ip;
}

/*
 * Every word of the text that is an address or a CIDR block gives
 * probes: the address, or the block's ends and their outer neighbours;
 * a date gives instants around it.
 */
static void
probes_from(struct probes *pr, const char *p, size_t n)
{
	static const char *const fixed[] = {
		"0.0.0.0", "10.0.0.1", "10.10.1.53", "172.16.0.25",
		"192.168.1.1", "8.8.8.8", "255.255.255.255", "::",
		"::1", "fd12:3456:789a:10::1", "2001:db8::1",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	const char *end = p + n;
	struct cidr_set set;
	struct ipaddr ip;
	size_t i;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (ip_parse(slice_cstr(fixed[i]), &ip) == 0)
			probe_add(pr, ip);
	cidr_set_init(&set);
	while (p < end && pr->n + 4 <= MAX_PROBES + 16) {
		const char *w = p;
		struct slice word;

		while (p < end && strchr(" \t\r\n,\"=", *p) == NULL)
			p++;
		word = slice_make(w, (size_t)(p - w));
		if (p < end)
			p++;
		if (word.n == 0 || word.n > 64)
			continue;
		times_from_word(pr, word);
		if (cidr_set_add(&set, word) == 0) {
			struct ipaddr lo = set.r[set.n - 1].lo;
			struct ipaddr hi = set.r[set.n - 1].hi;

			probe_add(pr, lo);
			probe_add(pr, hi);
			probe_add(pr, ip_step(lo, 1));
			probe_add(pr, ip_step(hi, 0));
		} else if (ip_parse(word, &ip) == 0) {
			probe_add(pr, ip);
		}
	}
	cidr_set_release(&set);
}

/*
 * The list of nets[0..n) holding ip by longest prefix, the slow and
 * obvious way, or -1.
 */
static int
linear(const struct cfg_nets *const *nets, size_t n, const struct ipaddr *ip)
{
	int best = -1, bestlen = -1;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < nets[i]->n; j++) {
			const struct cfg_cidr *c = &nets[i]->v[j];

			if (memcmp(c->lo.b, ip->b, 16) <= 0 &&
			    memcmp(ip->b, c->hi.b, 16) <= 0 &&
			    c->plen > bestlen) {
				best = (int)i;
				bestlen = c->plen;
			}
		}
	return best;
}

/* Each address map answers as the linear scan over its blocks. */
static void
check_maps(const struct config *cfg, const struct ipaddr *ip)
{
	const struct cfg_nets *one, *many[MAX_SEGS * 4];
	const char *label;
	size_t i, n;
	int v;

	one = &cfg->internal;
	if (config_is_internal(cfg, ip) != (linear(&one, 1, ip) >= 0))
		fail("config_is_internal disagrees with a linear scan");
	one = &cfg->proxies;
	if (config_is_proxy(cfg, ip) != (linear(&one, 1, ip) >= 0))
		fail("config_is_proxy disagrees with a linear scan");
	if ((n = cfg->nseg) <= sizeof many / sizeof many[0]) {
		for (i = 0; i < n; i++)
			many[i] = &cfg->seg[i].nets;
		if (config_segment_of(cfg, ip) != linear(many, n, ip))
			fail("config_segment_of disagrees with a linear scan");
	}
	if ((n = cfg->negress) <= sizeof many / sizeof many[0]) {
		for (i = 0; i < n; i++)
			many[i] = &cfg->egress[i].nets;
		v = linear(many, n, ip);
		label = config_egress_label(cfg, ip);
		if (v < 0 ? label != NULL : label != cfg->egress[v].label)
			fail("config_egress_label disagrees with a linear "
			    "scan");
	}
}

/*
 * Whether recurrence r covers local time lt, found another way than
 * config_maint.c: the days of the last week before lt are tried as the
 * start day, each taken apart with time_split.
 */
static int
slow_recurs(const struct cfg_recur *r, const struct config_local *lt)
{
	int64_t now = lt->days * 1440 + lt->minute, d, start;
	struct time_parts tp, next;
	int nth;

	for (d = lt->days - 8; d <= lt->days; d++) {
		time_split(d * 86400, &tp);
		if (tp.wday != r->wday)
			continue;
		if (r->nth != 0) {
			nth = (tp.day - 1) / 7 + 1;
			time_split((d + 7) * 86400, &next);
			if (r->nth > 0 ? nth != r->nth : next.month == tp.month)
				continue;
		}
		start = d * 1440 + r->minute;
		if (now >= start && now - start < r->len)
			return 1;
	}
	return 0;
}

/* Whether window w covers ip at utc, the slow way. */
static int
slow_window(const struct config *cfg, const struct cfg_window *w,
    int64_t utc, const struct ipaddr *ip)
{
	const struct cfg_nets *one = &w->nets;
	struct config_local lt;
	int in = 0, seg;
	size_t j;

	if (utc < w->ustart || utc >= w->uend)
		return 0;
	if (w->nweekly + w->nmonthly > 0) {
		config_local_time(cfg, utc, &lt);
		for (j = 0; j < w->nweekly; j++)
			in |= slow_recurs(&w->weekly[j], &lt);
		for (j = 0; j < w->nmonthly; j++)
			in |= slow_recurs(&w->monthly[j], &lt);
		if (!in)
			return 0;
	}
	if (!w->hosts_given || linear(&one, 1, ip) >= 0)
		return 1;
	seg = config_segment_of(cfg, ip);
	for (j = 0; j < w->nseg; j++)
		if (w->seg[j] == seg)
			return 1;
	return 0;
}

/*
 * config_in_maintenance names a window that covers ip at utc, and
 * answers NULL only when none does.
 */
static void
check_maintenance(const struct config *cfg, int64_t utc,
    const struct ipaddr *ip)
{
	const char *name = config_in_maintenance(cfg, utc, ip);
	size_t i;
	int any = 0;

	for (i = 0; i < cfg->nwin; i++) {
		const struct cfg_window *w = &cfg->win[i];
		int in = slow_window(cfg, w, utc, ip);

		any |= in;
		if (name == w->name && !in)
			fail("config_in_maintenance: names a window that "
			    "does not cover the host then");
	}
	if (any && name == NULL)
		fail("config_in_maintenance: misses a window");
	if (name != NULL && !any)
		fail("config_in_maintenance: a window no scan finds");
}

static void
check_local(const struct config *cfg, int64_t utc, struct config_local *lt)
{
	int64_t l, days;

	config_local_time(cfg, utc, lt);
	if (lt->month < 1 || lt->month > 12 || lt->day < 1 || lt->day > 31 ||
	    lt->wday < 0 || lt->wday > 6 || lt->minute < 0 ||
	    lt->minute > 1439 || lt->second < 0 || lt->second > 59)
		fail("config_local_time: a field out of range");
	if (lt->offset < -86400 || lt->offset > 86400)
		fail("config_local_time: offset over a day");
	l = utc + lt->offset;
	days = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
	if (lt->days != days || l - days * 86400 !=
	    (int64_t)lt->minute * 60 + lt->second)
		fail("config_local_time: disagrees with its offset");
	if (time_days_from_civil(lt->year, lt->month, lt->day) != lt->days)
		fail("config_local_time: date and day number differ");
	if (((lt->days % 7 + 7) % 7 + 4) % 7 != lt->wday)
		fail("config_local_time: wrong weekday");
}

static void
check_hours(const struct config *cfg, const struct config_local *lt)
{
	const struct config_hours *h = config_hours(cfg);
	int open[2][2], t, y, d;
	size_t i;

	for (d = 0; d < 7; d++) {
		if (h->n[d] > 0 && h->r[d] == NULL)
			fail("config_hours: ranges without an array");
		for (i = 0; i < h->n[d]; i++)
			if (h->r[d][i].start < 0 || h->r[d][i].start > 1439 ||
			    h->r[d][i].end < 1 || h->r[d][i].end > 1440)
				fail("config_hours: range out of the day");
	}
	for (t = 0; t < 2; t++)
		for (y = 0; y < 2; y++) {
			open[t][y] = config_hours_open(cfg, lt, t, y);
			if (open[t][y] != 0 && open[t][y] != 1)
				fail("config_hours_open: not 0 or 1");
		}
	if (open[1][1])
		fail("config_hours_open: open when both days are holidays");
	if (open[1][0] > open[0][0] || open[0][1] > open[0][0])
		fail("config_hours_open: a holiday opened the office");
}

static void
check_segments(const struct config *cfg)
{
	int n = config_segment_count(cfg), i;
	const char *name;

	if (n < 0)
		fail("config_segment_count: negative");
	if (config_segment_name(cfg, CONFIG_NO_SEGMENT) != NULL ||
	    config_segment_name(cfg, n) != NULL)
		fail("config_segment_name: a name out of range");
	for (i = 0; i < n; i++) {
		if ((name = config_segment_name(cfg, i)) == NULL ||
		    name[0] == '\0')
			fail("config_segment_name: no name");
		if (config_segment_find(cfg, name) != i)
			fail("config_segment_find: does not find its name");
		if (config_segment_description(cfg, i) == NULL)
			fail("config_segment_description: NULL");
	}
}

/* Whether rule r permits protocol p to port, scanning its services. */
static int
slow_permits(const struct cfg_flow *r, int p, int port)
{
	int ported = p == 6 || p == 17 || p == 132, cur = 0, moved;
	size_t i;

	if (r->any)
		return 1;
	if (p < 0)
		return 0;
	if (!ported || port >= 0) {
		for (i = 0; i < r->nsvc; i++)
			if (r->svc[i].proto == p && r->svc[i].lo <=
			    (ported ? port : 0) && (ported ? port : 0) <=
			    r->svc[i].hi)
				return 1;
		return 0;
	}
	/* An unknown port: the ranges together must hold every port. */
	do {
		moved = 0;
		for (i = 0; i < r->nsvc; i++)
			if (r->svc[i].proto == p && r->svc[i].lo <= cur &&
			    cur <= r->svc[i].hi) {
				cur = r->svc[i].hi + 1;
				moved = 1;
			}
	} while (moved && cur <= 65535);
	return cur > 65535;
}

/*
 * Traffic from segment f to segment t with one protocol: an unknown port
 * is the strictest, and every answer is that of a scan over the rules
 * naming the two segments or '*'.
 */
static void
check_flow(const struct config *cfg, int f, int t, const char *name,
    int proto)
{
	static const int ports[] = { -1, 0, 22, 53, 443, 8080, 65535 };
	const struct cfg_flow *fl;
	size_t k, r;
	int got, want, any = 0;

	for (k = 0; k < sizeof ports / sizeof ports[0]; k++) {
		got = config_flow_permitted(cfg, f, t, slice_cstr(name),
		    ports[k]);
		if (got != 0 && got != 1)
			fail("config_flow_permitted: not 0 or 1");
		if (k == 0)
			any = got;
		else if (any && !got)
			fail("config_flow_permitted: any port but not this "
			    "one");
		want = 0;
		for (r = 0; r < cfg->nflow; r++) {
			fl = &cfg->flow[r];
			if ((fl->fi == f || fl->fi == CFG_ANY) &&
			    (fl->ti == t || fl->ti == CFG_ANY))
				want |= slow_permits(fl, proto, ports[k]);
		}
		if (got != want)
			fail("config_flow_permitted disagrees with a scan of "
			    "the rules");
	}
}

/* Flows between the first segments (and none), for a few protocols. */
static void
check_flows(const struct config *cfg)
{
	static const struct {
		const char *name;
		int proto;
	} protos[] = {
		{ "tcp", 6 }, { "UDP", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
		{ "47", 47 }, { "", -1 }, { "sctp", 132 }, { "300", -1 },
	};
	int n = config_segment_count(cfg), f, t;
	size_t p;

	if (n > MAX_SEGS)
		n = MAX_SEGS;
	for (f = CONFIG_NO_SEGMENT; f < n; f++)
		for (t = CONFIG_NO_SEGMENT; t < n; t++)
			for (p = 0; p < sizeof protos / sizeof protos[0]; p++)
				check_flow(cfg, f, t, protos[p].name,
				    protos[p].proto);
}

static void
check_lists(const struct config *cfg)
{
	const struct config_strv *v;
	size_t i;
	int k;

	for (k = 0; k < CONFIG_LIST_COUNT; k++) {
		v = config_list_paths(cfg, (enum config_list)k);
		for (i = 0; i < v->n; i++)
			if (v->v[i] == NULL || v->v[i][0] == '\0')
				fail("config_list_paths: empty path");
	}
	v = &config_hours(cfg)->holiday_files;
	for (i = 0; i < v->n; i++)
		if (v->v[i] == NULL || v->v[i][0] == '\0')
			fail("config_hours: empty holiday file");
}

/* A check's section, with a key of every type. */
struct check_vals {
	uint64_t min_events, window, limit;
	int enabled;
	const char *label, *state;
	struct config_strv ignore, allow;
};

/* Asks every query of a finished configuration, with pr and more times. */
static void
walk(const struct config *cfg, struct probes *pr, uint64_t seed)
{
	static const int64_t fixed[] = {
		0, 1, 86399, 951782400, 1700000000, 1774829000, 1798761599,
		1798761600, 4102444799, 4102444800, INT64_C(253402300799),
	};
	struct config_local lt;
	size_t i, j;
	const char *s;
	int seg, n = config_segment_count(cfg);

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		time_add(pr, fixed[i]);
	/* A week in steps of 7 hours, from a start the input chooses. */
	for (i = 0; i < 24; i++)
		time_add(pr, (int64_t)(seed % 4102444800u) + (int64_t)i *
		    25200);
	for (i = 0; i < 4; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		time_add(pr, (int64_t)(seed >> 28) % INT64_C(253402300800));
	}

	if (config_timezone(cfg) == NULL || config_site_name(cfg) == NULL ||
	    config_path(cfg) == NULL || strcmp(config_path(cfg), path) != 0)
		fail("config accessors: NULL or the wrong path");
	check_segments(cfg);
	check_flows(cfg);
	check_lists(cfg);
	for (j = 0; j < pr->nt; j++) {
		check_local(cfg, pr->t[j], &lt);
		check_hours(cfg, &lt);
	}
	for (i = 0; i < pr->n; i++) {
		const struct ipaddr *ip = &pr->ip[i];
		int internal = config_is_internal(cfg, ip);
		int proxy = config_is_proxy(cfg, ip);

		if ((internal != 0 && internal != 1) ||
		    (proxy != 0 && proxy != 1))
			fail("config_is_internal/proxy: not 0 or 1");
		seg = config_segment_of(cfg, ip);
		if (seg != CONFIG_NO_SEGMENT && (seg < 0 || seg >= n))
			fail("config_segment_of: out of range");
		check_maps(cfg, ip);
		if ((s = config_egress_label(cfg, ip)) != NULL && s[0] == '\0')
			fail("config_egress_label: empty label");
		for (j = 0; j < pr->nt; j++) {
			if ((s = config_in_maintenance(cfg, pr->t[j], ip)) !=
			    NULL && s[0] == '\0')
				fail("config_in_maintenance: empty name");
			if (i < MAX_SLOW)
				check_maintenance(cfg, pr->t[j], ip);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nul;
	char err[CONFIG_ERR_MAX], *sets[MAX_SETS];
	struct check_vals cv;
	struct config_key keys[8] = {
		{ "min-events", CONFIG_UINT, &cv.min_events, 1, 1000 },
		{ "limit", CONFIG_UINT, &cv.limit, 5, 0 },
		{ "window", CONFIG_DURATION, &cv.window, 60, 30 * 86400 },
		{ "enabled", CONFIG_BOOL, &cv.enabled, 0, 0 },
		{ "label", CONFIG_STRING, &cv.label, 0, 0 },
		{ "state", CONFIG_PATH, &cv.state, 0, 0 },
		{ "ignore", CONFIG_LIST, &cv.ignore, 0, 0 },
		{ "allow", CONFIG_PATHS, &cv.allow, 0, 0 },
	};
	struct config *cfg;
	struct probes pr;
	size_t nsets = 0, i, flen;
	uint64_t seed = 1469598103934665603u;
	int ok = 1;

	for (nul = p; (nul = memchr(nul, '\0', (size_t)(end - nul))) != NULL;
	    nul++)
		if (nul + 1 < end && nul[1] == '\0')
			break;
	flen = nul ? (size_t)(nul - p) : size;
	write_file(p, flen);
	for (i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 1099511628211u;
	/* The pieces after the pair, each a NUL-ended --set string. */
	p += flen + (nul ? 1 : 0);
	while (p < end && nsets < MAX_SETS) {
		const char *s = p + 1;
		const char *e = memchr(s, '\0', (size_t)(end - s));
		size_t len = e ? (size_t)(e - s) : (size_t)(end - s);

		if ((sets[nsets] = malloc(len + 1)) == NULL)
			fail("out of memory");
		memcpy(sets[nsets], s, len);
		sets[nsets++][len] = '\0';
		p = s + len;
	}

	memset(&cv, 0, sizeof cv);
	cv.min_events = 7;
	if ((cfg = config_new()) == NULL)
		fail("config_new: out of memory");
	if (config_declare(cfg, "beacon", keys, 8) != 0 ||
	    config_declare(cfg, "BEACON", keys, 8) == 0 ||
	    config_declare(cfg, "hours", keys, 8) == 0)
		fail("config_declare: wrong answer");
	if (config_load(cfg, path, err, sizeof err) != 0) {
		check_err(err, "config_load");
		ok = 0;
	}
	for (i = 0; ok && i < nsets; i++)
		if (config_set(cfg, sets[i], err, sizeof err) != 0) {
			check_err(err, "config_set");
			if (strncmp(err, "command line: ", 14) != 0)
				fail("config_set: message without its source");
			ok = 0;
		}
	if (ok && config_finish(cfg, err, sizeof err) != 0) {
		check_err(err, "config_finish");
		ok = 0;
	}
	if (ok) {
		if (config_finish(cfg, err, sizeof err) == 0)
			fail("config_finish: finished twice");
		if (config_set(cfg, "site.name=x", err, sizeof err) == 0)
			fail("config_set: accepted after the finish");
		if (cv.min_events < 1 || cv.min_events > 1000 ||
		    (cv.limit != 0 && cv.limit < 5) ||
		    (cv.window != 0 && (cv.window < 60 ||
		    cv.window > 30 * 86400)))
			fail("config_finish: stored a value out of range");
		for (i = 0; i < cv.ignore.n; i++)
			if (cv.ignore.v[i] == NULL)
				fail("config_finish: NULL list item");
		pr.n = 0;
		pr.nt = 0;
		probes_from(&pr, (const char *)data, size);
		walk(cfg, &pr, seed);
	}
	config_free(cfg);
	for (i = 0; i < nsets; i++)
		free(sets[i]);
	return 0;
}
