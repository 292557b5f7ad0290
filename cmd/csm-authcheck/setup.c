/*
 * setup.c: csm-authcheck's start-up. The [authcheck] table and its
 * defaults; the severity of each rule ("off" leaves it out); the usual
 * sources of each administrator ("ACCOUNT:SOURCE" items, more sources of
 * the same account following as items of their own, which is what
 * --learn prints) and the jump hosts, each source an address, a block, a
 * segment of the configuration or a host name; and the administrators:
 * root and the built-in Administrator always, the accounts and SIDs of
 * the [lists] admins files, and the accounts named in usual-sources. The
 * names and SIDs are kept sorted, compared as acct_cmp does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acct.h"
#include "authcheck.h"
#include "diag.h"
#include "esc.h"
#include "listfile.h"
#include "num.h"
#include "regdomain.h"

const char *const authcheck_rule_names[AC_NRULES] = {
	"admin-unusual-source", "log-cleared", "other-log-cleared",
	"eventlog-stopped", "audit-policy-changed", "account-created",
	"account-deleted", "priv-group-add", "risky-account-flag",
	"machine-account-renamed", "service-install", "task-created",
	"password-guessing", "password-spray", "ambiguous-record"
};

/* Default severities: 0 info .. 4 critical. */
static const int default_sev[AC_NRULES] = {
	3, 4, 3, 2, 3, 2, 2, 3, 3, 3, 2, 2, 2, 2, 2
};

void
authcheck_keys(struct ac_tunables *t, struct config_key *k)
{
	int i;

	memset(t, 0, sizeof *t);
	t->guess_failures = 5;
	t->guess_window = 600;
	t->spray_accounts = 5;
	t->spray_window = 600;
	t->spread_hosts = 5;
	t->spread_window = 600;
	t->learn_min_events = 1;
	k[0] = (struct config_key){ "jump-hosts", CONFIG_LIST, &t->jump_hosts,
	    0, 0 };
	k[1] = (struct config_key){ "usual-sources", CONFIG_LIST,
	    &t->usual_sources, 0, 0 };
	k[2] = (struct config_key){ "privileged-groups", CONFIG_LIST,
	    &t->privileged_groups, 0, 0 };
	k[3] = (struct config_key){ "guess-failures", CONFIG_UINT,
	    &t->guess_failures, 2, 10000 };
	k[4] = (struct config_key){ "guess-window", CONFIG_DURATION,
	    &t->guess_window, 1, 7 * 86400 };
	k[5] = (struct config_key){ "spray-accounts", CONFIG_UINT,
	    &t->spray_accounts, 2, 10000 };
	k[6] = (struct config_key){ "spray-window", CONFIG_DURATION,
	    &t->spray_window, 1, 7 * 86400 };
	k[7] = (struct config_key){ "spread-hosts", CONFIG_UINT,
	    &t->spread_hosts, 2, 10000 };
	k[8] = (struct config_key){ "spread-window", CONFIG_DURATION,
	    &t->spread_window, 1, 7 * 86400 };
	k[9] = (struct config_key){ "learn-min-events", CONFIG_UINT,
	    &t->learn_min_events, 1, 1000000000 };
	k[10] = (struct config_key){ "domains", CONFIG_LIST, &t->domains,
	    0, 0 };
	for (i = 0; i < AC_NRULES; i++)
		k[11 + i] = (struct config_key){ authcheck_rule_names[i],
		    CONFIG_STRING, &t->severity[i], 0, 0 };
}

char *
ac_strdup(struct slice s)
{
	char *p = malloc(s.n + 1);

	if (p != NULL) {
		if (s.n)
			memcpy(p, s.p, s.n);
		p[s.n] = '\0';
	}
	return p;
}

/* Where name is, or would go, in the sorted set s. */
static size_t
names_find(const struct ac_names *s, struct slice name, int *found)
{
	size_t lo = 0, hi = s->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = acct_cmp(slice_cstr(s->v[mid]), name);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
names_has(const struct ac_names *s, struct slice name)
{
	int found;

	if (acct_name(name).n == 0)
		return 0;
	(void)names_find(s, name, &found);
	return found;
}

/* Adds acct_name(name) to s (once); -1 when out of memory. */
static int
names_add(struct ac_names *s, struct slice name)
{
	size_t at;
	int found;
	char *p;

	name = acct_name(name);
	if (name.n == 0)
		return 0;
	at = names_find(s, name, &found);
	if (found)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = realloc(s->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	if ((p = ac_strdup(name)) == NULL)
		return -1;
	memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof *s->v);
	s->v[at] = p;
	s->n++;
	return 0;
}

static void
names_free(struct ac_names *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* Learned administrators are capped: group additions are few. */
#define MAX_LEARNED 10000

int
ac_add_admin(struct authcheck *ac, struct slice account, struct slice sid)
{
	if (ac->learned.n >= MAX_LEARNED)
		return 0;
	if (names_add(&ac->learned, account) != 0 ||
	    (sid.n > 0 && names_add(&ac->learned, sid) != 0))
		return -1;
	return 0;
}

int
ac_admin_known(const struct authcheck *ac, struct slice account,
    struct slice sid)
{
	/*
	 * The null SID is "no SID": every 4625 names its account with it,
	 * an administrator's too. The name decides.
	 */
	if (slice_eq(sid, "S-1-0-0"))
		sid = SLICE_NONE;
	if (acct_is_machine(account) || (sid.n > 0 && acct_sid_is_system(sid)))
		return -1;
	if (names_has(&ac->admins, account))
		return 1;
	if (sid.n == 0 && acct_is_sid(account))
		sid = account;
	return sid.n > 0 && (acct_sid_rid(sid) == 500 ||
	    names_has(&ac->admin_sids, sid));
}

int
ac_is_admin(const struct authcheck *ac, struct slice account,
    struct slice sid)
{
	/* Only the check's thread asks: its own memory (admin.c). */
	int known = ac_admin_known_memo(ac, ac->admin_memo[1], account, sid);

	if (known != 0 || ac->learned.n == 0)
		return known > 0;
	if (names_has(&ac->learned, account))
		return 1;
	if (sid.n == 0 && acct_is_sid(account))
		sid = account;
	return sid.n > 0 && names_has(&ac->learned, sid);
}

int
ac_is_priv_group(const struct authcheck *ac, struct slice sid,
    struct slice name, const char **label)
{
	*label = acct_privileged_group(sid, name);
	if (*label != NULL)
		return 1;
	return names_has(&ac->groups, name) || names_has(&ac->groups, sid);
}

/* Whether name is one of the organisation's domains ([authcheck] domains). */
static int
in_domains(const struct authcheck *ac, struct slice name)
{
	char canon[REGDOMAIN_MAX];
	size_t i;

	if (ac->ndomains == 0 || regdomain_canon(name, canon, sizeof canon) < 0)
		return 0;
	for (i = 0; i < ac->ndomains; i++)
		if (strcmp(canon, ac->domains[i]) == 0)
			return 1;
	return 0;
}

/*
 * Whether two host names are one: equal, or one is the first label of
 * the other and the rest of that is one of the organisation's domains.
 * "dc01" is "dc01.corp.example" when corp.example is ours, never
 * "dc01.evil.example": a client names itself, and anyone can name a host
 * so in a domain of his own.
 */
static int
host_eq(const struct authcheck *ac, struct slice a, const char *b)
{
	struct slice s = slice_cstr(b), full;
	long da = slice_find(a, '.'), db = slice_find(s, '.'), dot;

	if (acct_cmp(a, s) == 0)
		return 1;
	if (da < 0 && db >= 0) {
		full = s;
		dot = db;
		s.n = (size_t)db;
	} else if (db < 0 && da >= 0) {
		full = a;
		dot = da;
		a.n = (size_t)da;
	} else {
		return 0;
	}
	return a.n > 0 && acct_cmp(a, s) == 0 &&
	    in_domains(ac, slice_from(full, (size_t)dot + 1));
}

uint64_t
ac_fold_hash(struct slice s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		h ^= c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
ac_host_hash(struct slice name)
{
	long dot = slice_find(name, '.');

	return ac_fold_hash(dot < 0 ? name : slice_make(name.p, (size_t)dot));
}

static int
usual_match(const struct authcheck *ac, struct ac_usual *u,
    const struct ac_source *src)
{
	size_t i;
	int seg;

	/* Only an address the log saw: a client may call itself 10.1.30.10. */
	if (src->kind == AC_FROM_IP) {
		if (u->nets.n > 0 && cidr_set_contains(&u->nets, &src->ip))
			return 1;
		if (u->nsegs > 0) {
			seg = config_segment_of(ac->cfg, &src->ip);
			for (i = 0; i < u->nsegs; i++)
				if (u->segs[i] == seg)
					return 1;
		}
		return 0;
	}
	for (i = 0; i < u->nhosts; i++)
		if (host_eq(ac, src->text, u->hosts[i]))
			return 1;
	return 0;
}

static struct ac_usual *
usual_of(const struct authcheck *ac, struct slice name)
{
	size_t lo = 0, hi = ac->nusual;

	if (acct_name(name).n == 0)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = acct_cmp(slice_cstr(ac->usual[mid].name), name);

		if (c == 0)
			return &ac->usual[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
ac_is_usual(const struct authcheck *ac, struct slice account,
    struct slice sid, const struct ac_source *src)
{
	/* The sets sort themselves on first use: not a visible change. */
	struct authcheck *w = (struct authcheck *)ac;
	struct ac_usual *u;

	/* Anyone on the computer can log on to it over loopback. */
	if (src->local)
		return 0;
	if (usual_match(ac, &w->jump, src))
		return 1;
	if ((u = usual_of(ac, account)) != NULL && usual_match(ac, u, src))
		return 1;
	return sid.n > 0 && (u = usual_of(ac, sid)) != NULL &&
	    usual_match(ac, u, src);
}

/* Whether s is "addr" or "addr/len". */
static int
is_net(struct slice s)
{
	long slash = slice_find(s, '/');
	struct ipaddr ip;
	uint64_t len;

	if (slash < 0)
		return ip_parse(s, &ip) == 0;
	return ip_parse(slice_make(s.p, (size_t)slash), &ip) == 0 &&
	    num_parse_u64(slice_from(s, (size_t)slash + 1), 128, &len) == 0;
}

/* Adds one source (address, block, segment or host name) to u. */
static int
add_source(struct authcheck *ac, struct ac_usual *u, struct slice s,
    const char *key, const void *dst, char *err, size_t errcap)
{
	char q[120], name[256], at[CONFIG_WHERE_MAX];
	int seg;

	if (is_net(s)) {
		if (cidr_set_add(&u->nets, s) != 0) {
			snprintf(err, errcap, "%sbad address block '%s' in "
			    "[authcheck] %s", config_key_where(ac->cfg, dst, at,
			    sizeof at), diag_quote(q, sizeof q, s), key);
			return -1;
		}
		return 0;
	}
	if (s.n == 0 || s.n >= sizeof name || memchr(s.p, '/', s.n) ||
	    memchr(s.p, ':', s.n)) {
		snprintf(err, errcap, "%sbad source '%s' in [authcheck] %s (an "
		    "address, a block, a segment or a host name)",
		    config_key_where(ac->cfg, dst, at, sizeof at),
		    diag_quote(q, sizeof q, s), key);
		return -1;
	}
	memcpy(name, s.p, s.n);
	name[s.n] = '\0';
	if ((seg = config_segment_find(ac->cfg, name)) != CONFIG_NO_SEGMENT) {
		int *v = realloc(u->segs, (u->nsegs + 1) * sizeof *v);

		if (v == NULL)
			goto oom;
		u->segs = v;
		u->segs[u->nsegs++] = seg;
		return 0;
	} else {
		char **v = realloc(u->hosts, (u->nhosts + 1) * sizeof *v);

		if (v == NULL)
			goto oom;
		u->hosts = v;
		if ((u->hosts[u->nhosts] = ac_strdup(s)) == NULL)
			goto oom;
		u->nhosts++;
		return 0;
	}
oom:
	snprintf(err, errcap, "out of memory");
	return -1;
}

/* The usual sources of account name, made when new. */
static struct ac_usual *
usual_get(struct authcheck *ac, struct slice name)
{
	struct ac_usual *v;
	size_t i;

	for (i = 0; i < ac->nusual; i++)
		if (acct_eq(slice_cstr(ac->usual[i].name), name))
			return &ac->usual[i];
	if ((v = realloc(ac->usual, (ac->nusual + 1) * sizeof *v)) == NULL)
		return NULL;
	ac->usual = v;
	v = &ac->usual[ac->nusual];
	memset(v, 0, sizeof *v);
	cidr_set_init(&v->nets);
	if ((v->name = ac_strdup(acct_name(name))) == NULL)
		return NULL;
	ac->nusual++;
	return v;
}

static int
usual_cmp(const void *a, const void *b)
{
	const struct ac_usual *x = a, *y = b;

	return acct_cmp(slice_cstr(x->name), slice_cstr(y->name));
}

/* usual-sources: "ACCOUNT:SOURCE", then more sources of that account. */
static int
load_usual(struct authcheck *ac, char *err, size_t errcap)
{
	const struct config_strv *v = &ac->t.usual_sources;
	struct ac_usual *cur = NULL;
	char q[120], at[CONFIG_WHERE_MAX];
	size_t i;

	for (i = 0; i < v->n; i++) {
		struct slice item = slice_cstr(v->v[i]), src = item;
		long colon = slice_find(item, ':');

		if (!is_net(item) && colon >= 0) {
			struct slice name = slice_make(item.p, (size_t)colon);

			if (acct_name(name).n == 0) {
				snprintf(err, errcap, "%sbad account in '%s' in "
				    "[authcheck] usual-sources",
				    config_key_where(ac->cfg, v, at, sizeof at),
				    diag_quote(q, sizeof q, item));
				return -1;
			}
			if ((cur = usual_get(ac, name)) == NULL ||
			    names_add(acct_is_sid(name) ? &ac->admin_sids :
			    &ac->admins, name) != 0) {
				snprintf(err, errcap, "out of memory");
				return -1;
			}
			src = slice_from(item, (size_t)colon + 1);
		} else if (cur == NULL) {
			snprintf(err, errcap, "%s'%s' in [authcheck] "
			    "usual-sources names no account (write "
			    "ACCOUNT:SOURCE)", config_key_where(ac->cfg, v, at,
			    sizeof at), diag_quote(q, sizeof q, item));
			return -1;
		}
		if (add_source(ac, cur, src, "usual-sources", v, err,
		    errcap) != 0)
			return -1;
	}
	if (ac->nusual > 1)
		qsort(ac->usual, ac->nusual, sizeof *ac->usual, usual_cmp);
	for (i = 0; i < ac->t.jump_hosts.n; i++)
		if (add_source(ac, &ac->jump, slice_cstr(ac->t.jump_hosts.v[i]),
		    "jump-hosts", &ac->t.jump_hosts, err, errcap) != 0)
			return -1;
	for (i = 0; i < ac->nusual; i++)
		cidr_set_finish(&ac->usual[i].nets);
	cidr_set_finish(&ac->jump.nets);
	return 0;
}

/* [authcheck] domains: checked, kept in canonical form. */
static int
load_domains(struct authcheck *ac, char *err, size_t errcap)
{
	const struct config_strv *v = &ac->t.domains;
	char canon[REGDOMAIN_MAX], q[120], at[CONFIG_WHERE_MAX];
	size_t i;

	if (v->n > 0 && (ac->domains = calloc(v->n, sizeof *ac->domains)) ==
	    NULL) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	for (i = 0; i < v->n; i++) {
		struct slice s = slice_cstr(v->v[i]);

		/* A name, not an address: "10.1.0.1" has no hosts under it. */
		if (regdomain_canon(s, canon, sizeof canon) < 0 ||
		    canon[0] == '[' || ip_valid(s)) {
			snprintf(err, errcap, "%sbad domain '%s' in "
			    "[authcheck] domains", config_key_where(ac->cfg, v,
			    at, sizeof at), diag_quote(q, sizeof q, s));
			return -1;
		}
		if ((ac->domains[ac->ndomains] = strdup(canon)) == NULL) {
			snprintf(err, errcap, "out of memory");
			return -1;
		}
		ac->ndomains++;
	}
	return 0;
}

/* The [lists] admins files: accounts, SIDs and groups, one a line. */
static int
load_admins(struct authcheck *ac, char *err, size_t errcap)
{
	const struct config_strv *paths = config_list_paths(ac->cfg,
	    CONFIG_LIST_ADMINS);
	struct listfile lf;
	size_t i;
	int r = 0;

	listfile_init(&lf);
	for (i = 0; i < paths->n && r == 0; i++)
		r = listfile_load(&lf, paths->v[i], err, errcap);
	for (i = 0; i < lf.n && r == 0; i++) {
		struct slice s = lf.item[i].s;

		if ((acct_is_sid(s) ? names_add(&ac->admin_sids, s) :
		    names_add(&ac->admins, s)) != 0 ||
		    names_add(&ac->groups, s) != 0) {
			snprintf(err, errcap, "out of memory");
			r = -1;
		}
	}
	listfile_release(&lf);
	return r;
}

static int
severities(struct authcheck *ac, char *err, size_t errcap)
{
	char q[80], at[CONFIG_WHERE_MAX];
	int i;

	for (i = 0; i < AC_NRULES; i++) {
		struct slice s;

		ac->sev[i] = default_sev[i];
		if (ac->t.severity[i] == NULL)
			continue;
		s = slice_trim(slice_cstr(ac->t.severity[i]));
		if (slice_eq(s, "off"))
			ac->sev[i] = -1;
		else if ((ac->sev[i] = finding_severity_level(s)) < 0) {
			snprintf(err, errcap, "%sbad severity '%s' for '%s' "
			    "in [authcheck] (info, low, medium, high, critical "
			    "or off)", config_key_where(ac->cfg,
			    &ac->t.severity[i], at, sizeof at),
			    diag_quote(q, sizeof q, s),
			    authcheck_rule_names[i]);
			return -1;
		}
	}
	return 0;
}

int
authcheck_setup(struct authcheck *ac, char *err, size_t errcap)
{
	size_t i;

	agg_init(&ac->found);
	cidr_set_init(&ac->jump.nets);
	ac->scratch_cap = 64 * 1024;
	if ((ac->scratch = malloc(ac->scratch_cap)) == NULL ||
	    names_add(&ac->admins, slice_cstr("root")) != 0 ||
	    names_add(&ac->admins, slice_cstr("Administrator")) != 0) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	if (severities(ac, err, errcap) != 0 ||
	    load_domains(ac, err, errcap) != 0 ||
	    load_usual(ac, err, errcap) != 0 ||
	    load_admins(ac, err, errcap) != 0)
		return -1;
	for (i = 0; i < ac->t.privileged_groups.n; i++)
		if (names_add(&ac->groups,
		    slice_cstr(ac->t.privileged_groups.v[i])) != 0) {
			snprintf(err, errcap, "out of memory");
			return -1;
		}
	if (ac_admin_init(ac) != 0 || ac_fail_init(ac) != 0) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	return 0;
}

static void
usual_free(struct ac_usual *u)
{
	size_t i;

	free(u->name);
	cidr_set_release(&u->nets);
	for (i = 0; i < u->nhosts; i++)
		free(u->hosts[i]);
	free(u->hosts);
	free(u->segs);
}

void
authcheck_release(struct authcheck *ac)
{
	size_t i;

	ac_admin_release(ac);
	ac_fail_release(ac);
	for (i = 0; i < ac->nfv; i++) {
		free(ac->fv[i]->src);
		free(ac->fv[i]->user);
		free(ac->fv[i]->dst);
		free(ac->fv[i]->text);
		free(ac->fv[i]);
	}
	free(ac->fv);
	agg_release(&ac->found);
	names_free(&ac->admins);
	names_free(&ac->admin_sids);
	names_free(&ac->groups);
	names_free(&ac->learned);
	for (i = 0; i < ac->nusual; i++)
		usual_free(&ac->usual[i]);
	free(ac->usual);
	usual_free(&ac->jump);
	for (i = 0; i < ac->ndomains; i++)
		free(ac->domains[i]);
	free(ac->domains);
	free(ac->scratch);
}
