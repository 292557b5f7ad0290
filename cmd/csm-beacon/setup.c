/*
 * setup.c: csm-beacon's [beacon] table with its defaults, the checks of
 * values the table cannot express (the pair mode, the allowlist entries),
 * and the allowlist itself: domains that cover their subdomains, and
 * address blocks, applied when the pairs are analysed, so that changing
 * the list never needs anything but a new run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "detect.h"
#include "diag.h"
#include "esc.h"
#include "finding.h"
#include "listfile.h"

void
beacon_keys(struct bc_tunables *t, struct config_key *k)
{
	memset(t, 0, sizeof *t);
	t->min_events = 8;
	t->min_period = 10;
	t->max_period = 2 * 86400;
	t->burst_ms = 1000;
	t->min_score = 50;
	t->max_share = 50;
	t->prevalence_hosts = 10;
	t->max_stored = 65536;
	t->pair = "auto";
	t->daily_hosts = 3;
	t->daily_share = 90;
	t->daily_days = 3;
	k[0] = (struct config_key){ "min-events", CONFIG_UINT, &t->min_events,
	    3, 1000000 };
	k[1] = (struct config_key){ "min-period", CONFIG_DURATION,
	    &t->min_period, 1, 7 * 86400 };
	k[2] = (struct config_key){ "max-period", CONFIG_DURATION,
	    &t->max_period, 1, 30 * 86400 };
	k[3] = (struct config_key){ "burst-ms", CONFIG_UINT, &t->burst_ms,
	    0, 60000 };
	k[4] = (struct config_key){ "min-score", CONFIG_UINT, &t->min_score,
	    0, 100 };
	k[5] = (struct config_key){ "max-share", CONFIG_UINT, &t->max_share,
	    1, 100 };
	k[6] = (struct config_key){ "prevalence-hosts", CONFIG_UINT,
	    &t->prevalence_hosts, 1, 100000000 };
	k[7] = (struct config_key){ "max-timestamps", CONFIG_UINT,
	    &t->max_stored, 64, 100000000 };
	k[8] = (struct config_key){ "pair", CONFIG_STRING, &t->pair, 0, 0 };
	k[9] = (struct config_key){ "allow", CONFIG_LIST, &t->allow, 0, 0 };
	k[10] = (struct config_key){ "allow-files", CONFIG_PATHS,
	    &t->allow_files, 0, 0 };
	k[11] = (struct config_key){ "daily-hosts", CONFIG_UINT,
	    &t->daily_hosts, 1, 1000000 };
	k[12] = (struct config_key){ "daily-share", CONFIG_UINT,
	    &t->daily_share, 1, 100 };
	k[13] = (struct config_key){ "daily-days", CONFIG_UINT,
	    &t->daily_days, 2, 100000 };
}

static const char *const mode_names[] = {
	"auto", "host", "host-port", "ip", "ip-port"
};

/*
 * Adds one allowlist entry: an address or CIDR block, else a domain
 * ("example.jp", "*.example.jp" and ".example.jp" all cover example.jp
 * and every name under it). Returns 0, or -1 for an entry that is
 * neither (empty, or with a byte no host name has).
 */
static int
allow_add(struct bc_allow *al, struct slice s)
{
	char buf[256], *d, **v;
	long slash = slice_find(s, '/');
	size_t i, n = 0;

	if (ip_valid(slash >= 0 ? slice_make(s.p, (size_t)slash) : s)) {
		if (cidr_set_add(&al->nets, s) != 0)
			return -1;
		al->n++;
		return 0;
	}
	if (s.n >= 2 && s.p[0] == '*' && s.p[1] == '.')
		s = slice_from(s, 2);
	else if (s.n >= 1 && s.p[0] == '.')
		s = slice_from(s, 1);
	if (s.n > 0 && s.p[s.n - 1] == '.')
		s.n--;
	if (s.n == 0 || s.n >= sizeof buf || s.p[0] == '.' ||
	    s.p[s.n - 1] == '.')
		return -1;
	for (i = 0; i < s.n; i++) {
		char c = s.p[i];

		if (c == '.' && i > 0 && s.p[i - 1] == '.')
			return -1;	/* an empty label */

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' ||
		    (unsigned char)c >= 0x80))
			return -1;
		buf[n++] = c;
	}
	if (al->ndom == al->domcap) {
		size_t cap = al->domcap ? al->domcap * 2 : 64;

		if ((v = realloc(al->dom, cap * sizeof *v)) == NULL)
			return -1;
		al->dom = v;
		al->domcap = cap;
	}
	if ((d = malloc(n + 1)) == NULL)
		return -1;
	memcpy(d, buf, n);
	d[n] = '\0';
	al->dom[al->ndom++] = d;
	al->n++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the lower-case name s is one of the domains. */
static int
allow_domain(const struct bc_allow *al, struct slice s)
{
	size_t lo = 0, hi = al->ndom, mid, n;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		n = strlen(al->dom[mid]);
		c = memcmp(s.p, al->dom[mid], s.n < n ? s.n : n);
		if (c == 0)
			c = (s.n > n) - (s.n < n);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* Where key dst was given, without the colon; "default" when not. */
static const char *
place(const struct config *cfg, const void *dst, char *buf, size_t cap)
{
	size_t n = strlen(config_key_where(cfg, dst, buf, cap));

	if (n == 0)
		return "default";
	if (n >= 2 && buf[n - 2] == ':')
		buf[n - 2] = '\0';
	return buf;
}

static int
allow_fail(char *err, size_t errcap, const char *where, uint64_t line,
    struct slice s)
{
	char q[80];

	if (line > 0)
		snprintf(err, errcap, "%s:%llu: bad allowlist entry '%s' (a "
		    "domain, an address or a CIDR block)", where,
		    (unsigned long long)line, diag_quote(q, sizeof q, s));
	else
		snprintf(err, errcap, "%sbad allowlist entry '%s' in [beacon] "
		    "allow (a domain, an address or a CIDR block)", where,
		    diag_quote(q, sizeof q, s));
	return -1;
}

int
beacon_setup(struct beacon *b, char *err, size_t errcap)
{
	struct listfile lf;
	char q[80], at[CONFIG_WHERE_MAX];
	size_t i, m;

	for (m = 0; m < sizeof mode_names / sizeof mode_names[0]; m++)
		if (strcmp(b->t.pair, mode_names[m]) == 0)
			break;
	if (m == sizeof mode_names / sizeof mode_names[0]) {
		snprintf(err, errcap, "%sunknown pair mode '%s' (auto, host, "
		    "host-port, ip, ip-port)", config_key_where(b->cfg,
		    &b->t.pair, at, sizeof at), diag_quote(q, sizeof q,
		    slice_cstr(b->t.pair)));
		return -1;
	}
	b->mode = (enum bc_pair_mode)m;
	if (b->t.min_period > b->t.max_period) {
		char at2[CONFIG_WHERE_MAX];

		/* Either may be the mistake: both places are named. */
		snprintf(err, errcap, "min-period is longer than max-period in "
		    "[beacon] (min-period: %s, max-period: %s)",
		    place(b->cfg, &b->t.min_period, at, sizeof at),
		    place(b->cfg, &b->t.max_period, at2, sizeof at2));
		return -1;
	}
	if ((b->days = malloc(sizeof *b->days)) == NULL) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	bc_days_init(b->days, b->cfg);
	agg_init(&b->srcs.a);
	agg_init(&b->dsts.a);
	agg_init(&b->files.a);
	cidr_set_init(&b->allow.nets);
	time_cache_init(&b->tc);
	for (i = 0; i < b->t.allow.n; i++) {
		struct slice s = slice_cstr(b->t.allow.v[i]);

		if (allow_add(&b->allow, s) != 0)
			return allow_fail(err, errcap, config_key_where(b->cfg,
			    &b->t.allow, at, sizeof at), 0, s);
	}
	for (i = 0; i < b->t.allow_files.n; i++) {
		size_t j;

		listfile_init(&lf);
		if (listfile_load(&lf, b->t.allow_files.v[i], err,
		    errcap) != 0) {
			listfile_release(&lf);
			return -1;
		}
		for (j = 0; j < lf.n; j++)
			if (allow_add(&b->allow, lf.item[j].s) != 0) {
				char file[DIAG_NAME_MAX];

				diag_escape(file, sizeof file,
				    slice_cstr(lf.item[j].file));
				allow_fail(err, errcap, file, lf.item[j].line,
				    lf.item[j].s);
				listfile_release(&lf);
				return -1;
			}
		listfile_release(&lf);
	}
	/* Sorted once here: both analysis threads look up at once. */
	cidr_set_finish(&b->allow.nets);
	/* Sorted by strcmp, which is memcmp order for these bytes. */
	if (b->allow.ndom > 1)
		qsort(b->allow.dom, b->allow.ndom, sizeof *b->allow.dom,
		    cmp_str);
	return 0;
}

void
beacon_release(struct beacon *b)
{
	size_t i;

	bc_names_release(&b->srcs);
	bc_names_release(&b->dsts);
	bc_names_release(&b->files);
	for (i = 0; i < b->allow.ndom; i++)
		free(b->allow.dom[i]);
	free(b->allow.dom);
	cidr_set_release(&b->allow.nets);
	free(b->pair_mem);
	free(b->slot);
	free(b->w);
	free(b->tmp.v);
	free(b->quarters);
	for (i = 0; i < b->ndaytab; i++)
		free(b->daytab[i].count);
	free(b->daytab);
	free(b->days);
}

int
bc_allowed(const struct beacon *b, struct slice dst)
{
	char buf[1100];
	struct slice host;
	struct ipaddr ip;
	long colon;
	size_t i;

	if (b->allow.n == 0)
		return 0;
	host = finding_raw(dst, buf, sizeof buf);
	/* "[v6]:port", "host:port", a bare IPv6 address, or a name. */
	if (host.n > 0 && host.p[0] == '[') {
		colon = slice_find(host, ']');
		if (colon > 0)
			host = slice_make(host.p + 1, (size_t)colon - 1);
	} else if ((colon = slice_find(host, ':')) >= 0 &&
	    memchr(host.p + colon + 1, ':', host.n - (size_t)colon - 1) ==
	    NULL)
		host.n = (size_t)colon;
	if (ip_parse(host, &ip) == 0)
		return b->allow.nets.n > 0 &&
		    cidr_set_contains(&b->allow.nets, &ip);
	if (host.n > 0 && host.p[host.n - 1] == '.')
		host.n--;
	/* The name itself, then each parent domain (names are lower case). */
	for (i = 0; i < host.n; i++) {
		if (i > 0 && host.p[i - 1] != '.')
			continue;
		if (allow_domain(&b->allow, slice_from(host, i)))
			return 1;
	}
	return 0;
}
