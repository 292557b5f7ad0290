/*
 * admin.c: administrators' activity from unusual places (guideline
 * 19.1.2, authentication server item 1). Logons (4624, 4625), the use of
 * explicit credentials (4648), special-privilege logons (4672, which
 * carries no address and is joined to its logon: the same logon ID on the
 * same computer within JOIN_MS), Kerberos tickets and pre-authentication
 * (4768, 4769, 4771), NTLM validation (4776) and ssh logins of an
 * administrator are compared with that administrator's usual sources and
 * the jump hosts; the others are counted per (account, source). Failures
 * followed by a success, RC4 tickets and logons to many hosts in a short
 * time raise a finding's severity. With --learn the sources of successful
 * events are gathered instead and printed as usual-sources, never from a
 * record that reads two ways.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acct.h"
#include "authcheck.h"
#include "hash.h"
#include "num.h"

#define RING 1024		/* logons waiting for their 4672, and back */
#define JOIN_MS 10000

enum kind {
	K_LOGON, K_LOGON_FAIL, K_EXPLICIT, K_PRIV, K_TGT, K_TGT_FAIL,
	K_TICKET, K_TICKET_FAIL, K_PREAUTH_FAIL, K_NTLM, K_NTLM_FAIL, K_SSH,
	K_SSH_FAIL, K_NKINDS
};

static const char *const kind_names[K_NKINDS][2] = {
	{ "logon", "logons" }, { "failed logon", "failed logons" },
	{ "logon with explicit credentials",
	    "logons with explicit credentials" },
	{ "special-privilege logon", "special-privilege logons" },
	{ "Kerberos TGT", "Kerberos TGTs" },
	{ "refused Kerberos TGT request", "refused Kerberos TGT requests" },
	{ "Kerberos service ticket", "Kerberos service tickets" },
	{ "refused service ticket request", "refused service ticket requests" },
	{ "failed Kerberos pre-authentication",
	    "failed Kerberos pre-authentications" },
	{ "NTLM validation", "NTLM validations" },
	{ "failed NTLM validation", "failed NTLM validations" },
	{ "ssh login", "ssh logins" },
	{ "failed ssh login", "failed ssh logins" },
};

/* A 4624 waiting for its 4672, or a 4672 waiting for its 4624. */
struct ac_logon {
	int64_t ts;
	uint64_t luid, dev;
	int live;
	struct ac_source src;		/* 4624: text points into buf */
	char buf[256];
	char ltype[8];			/* 4624: its logon type */
	char account[128], sid[96], origin[256];	/* 4672 */
};

/*
 * What the preparation remembers of the accounts it asked ac_admin_known
 * about (the administrators known up front stay as they are while the
 * input is read): some hundreds of accounts log on, and comparing each
 * event's with the lists was most of its work. Each thread that runs
 * the preparation has one of its own (authcheck.h).
 */
#define MEMO_SLOTS 2048
#define MEMO_TEXT 60

struct memo_slot {
	char text[MEMO_TEXT];		/* the account, then the SID */
	uint8_t an, sn;			/* their lengths */
	int8_t known;			/* ac_admin_known's answer */
	uint8_t used;
};

struct ac_admin_memo {
	struct memo_slot slot[MEMO_SLOTS];
};

int
ac_admin_known_memo(const struct authcheck *ac, struct ac_admin_memo *memo,
    struct slice account, struct slice sid)
{
	struct memo_slot *m;
	uint64_t h;
	int known;

	if (memo == NULL || account.n + sid.n > MEMO_TEXT)
		return ac_admin_known(ac, account, sid);
	h = hash_bytes(account.p, account.n, sid.n);
	if (sid.n > 0)
		h ^= hash_mix64(hash_bytes(sid.p, sid.n, 0));
	m = &memo->slot[h % MEMO_SLOTS];
	if (m->used && m->an == account.n && m->sn == sid.n &&
	    memcmp(m->text, account.p, account.n) == 0 &&
	    memcmp(m->text + account.n, sid.p, sid.n) == 0)
		return m->known;
	known = ac_admin_known(ac, account, sid);
	memcpy(m->text, account.p, account.n);
	memcpy(m->text + account.n, sid.p, sid.n);
	m->an = (uint8_t)account.n;
	m->sn = (uint8_t)sid.n;
	m->known = (int8_t)known;
	m->used = 1;
	return known;
}

int
ac_admin_init(struct authcheck *ac)
{
	if ((ac->admin_memo[0] = calloc(1, sizeof *ac->admin_memo[0])) ==
	    NULL || (ac->admin_memo[1] = calloc(1,
	    sizeof *ac->admin_memo[1])) == NULL)
		return -1;
	ac->logons = calloc(RING, sizeof *ac->logons);
	ac->privs = calloc(RING, sizeof *ac->privs);
	burst_init(&ac->spread, (size_t)ac->t.spread_hosts,
	    (size_t)ac->t.spread_hosts, (int64_t)ac->t.spread_window * 1000, 1,
	    NULL, NULL);
	agg_init(&ac->learned_src);
	ac->learn_first = INT64_MAX;
	ac->learn_last = INT64_MIN;
	return ac->logons && ac->privs ? 0 : -1;
}

void
ac_admin_release(struct authcheck *ac)
{
	free(ac->admin_memo[0]);
	free(ac->admin_memo[1]);
	free(ac->logons);
	free(ac->privs);
	burst_release(&ac->spread);
	agg_release(&ac->learned_src);
}

/* The kind of an administrator's event, or -1 when not one of ours. */
static int
kind_of(const struct ac_event *ev)
{
	int ok = ev->success;

	switch (ev->id) {
	case 4624: return K_LOGON;
	case 4625: return K_LOGON_FAIL;
	case 4648: return K_EXPLICIT;
	case 4672: return K_PRIV;
	case 4768: return ok ? K_TGT : K_TGT_FAIL;
	case 4769: return ok ? K_TICKET : K_TICKET_FAIL;
	case 4771: return K_PREAUTH_FAIL;
	case 4776: return ok ? K_NTLM : K_NTLM_FAIL;
	case 0:
		if (slice_eq(ev->kind, "sshd-accepted"))
			return K_SSH;
		if (slice_eq(ev->kind, "sshd-failed"))
			return K_SSH_FAIL;
	}
	return -1;
}

static int
kind_failed(int k)
{
	return k == K_LOGON_FAIL || k == K_TGT_FAIL || k == K_TICKET_FAIL ||
	    k == K_PREAUTH_FAIL || k == K_NTLM_FAIL || k == K_SSH_FAIL;
}

/* The SID of the account an event is about. */
static struct slice
sid_of(const struct ac_event *ev)
{
	struct slice s = ac_extra(ev, ev->id == 4672 ? "SubjectUserSid" :
	    "TargetUserSid");

	return s.n ? s : ac_extra(ev, "TargetSid");
}

/*
 * The host logged on to, for counting hosts per administrator: the
 * computer of a network or remote logon or an ssh login, the server of
 * explicit credentials, the computer a service ticket is for. Empty for
 * the rest (a TGT or an NTLM check is not a logon to a host).
 */
static struct slice
target_of(const struct ac_event *ev, int k, char *buf, size_t cap)
{
	struct slice s;
	uint64_t lt;

	switch (k) {
	case K_LOGON:
		if (num_parse_u64(ev->logon_type, 99, &lt) == 0 && lt != 3 &&
		    lt != 8 && lt != 10)
			return slice_make(buf, 0);
		return ev->device;
	case K_SSH:
		return ev->device;
	case K_EXPLICIT:
		s = ac_extra(ev, "TargetServerName");
		return slice_eq_nocase(s, "localhost") ? slice_make(buf, 0) : s;
	case K_TICKET:
		s = acct_name(ac_extra(ev, "ServiceName"));
		if (s.n < 2 || s.p[s.n - 1] != '$' || s.n > cap)
			return slice_make(buf, 0);
		memcpy(buf, s.p, s.n - 1);
		return slice_make(buf, s.n - 1);
	}
	return slice_make(buf, 0);
}

/* Folds s into buf (cap) as accounts compare; the length written. */
static size_t
lower(char *buf, size_t cap, struct slice s)
{
	return acct_fold(s, buf, cap).n;
}

/* --learn: one more success of account from src. */
static int
learn(struct authcheck *ac, struct slice account, const struct ac_source *src,
    int64_t ts, struct slice origin)
{
	char key[600];
	size_t n;
	struct agg_entry *e;

	/* The computer itself never becomes usual: see ac_event_source. */
	if (src->local) {
		ac->learn_local++;
		return 0;
	}
	if (ac_is_usual(ac, slice_make("", 0), slice_make("", 0), src))
		return 0;	/* a jump host: usual for everyone */
	n = lower(key, 250, acct_name(account));
	key[n++] = '\t';
	key[n++] = ac_source_tag(src->kind);
	key[n++] = '\t';
	n += lower(key + n, 300, src->text);
	if ((e = agg_get(&ac->learned_src, slice_make(key, n))) == NULL ||
	    agg_add(e, ts, 0, origin) != 0)
		return -1;
	if (ts < ac->learn_first)
		ac->learn_first = ts;
	if (ts > ac->learn_last)
		ac->learn_last = ts;
	return 0;
}

/* Counts one administrator event from src into its finding. */
static int
count(struct authcheck *ac, const struct ac_event *ev, int k,
    struct slice account, struct slice sid, const struct ac_source *src,
    int64_t ts, struct slice origin, struct slice logon_type)
{
	char key[600], tbuf[256], acc[256], srcs[256], dst[256];
	struct slice target = target_of(ev, k, tbuf, sizeof tbuf);
	struct burst_entry *be;
	struct ac_found *f;
	uint64_t h, lt, et, rep = ev->id == 0 ? ev->repeated : 1;
	long hosts = 0;
	size_t n, i;

	if (!kind_failed(k) && target.n > 0) {
		n = lower(key, sizeof key, acct_name(account));
		if ((hosts = burst_note(&ac->spread, slice_make(key, n),
		    ac_host_hash(target), 1, ts, origin, &be)) < 0)
			return -1;
	}
	if (ac->learn)
		return kind_failed(k) ? 0 : learn(ac, account, src, ts, origin);
	if (ac_is_usual(ac, account, sid, src)) {
		ac->usual_events++;
		return 0;
	}
	/* One finding per kind of source: see ac_source_tag. */
	n = lower(key, 250, acct_name(account));
	key[n++] = '\t';
	key[n++] = ac_source_tag(src->kind);
	key[n++] = src->loopback ? 'l' : src->local ? 'n' : '-';
	key[n++] = '\t';
	n += lower(key + n, 300, src->text);
	snprintf(acc, sizeof acc, "%.*s", (int)account.n, account.p);
	snprintf(srcs, sizeof srcs, "%.*s", (int)src->text.n, src->text.p);
	snprintf(dst, sizeof dst, "%.*s", (int)(target.n ? target.n :
	    ev->device.n), target.n ? target.p : ev->device.p);
	if ((f = ac_found_add(ac, AC_ADMIN, slice_make(key, n),
	    src->kind == AC_FROM_IP ? srcs : NULL, acc, dst, ts, ts, rep,
	    origin)) == NULL)
		return -1;
	if (f->text == NULL && src->kind != AC_FROM_IP &&
	    (f->text = ac_strdup(src->text)) == NULL)
		return -1;
	f->src_kind = src->kind;
	if (src->loopback)
		f->flags |= AC_F_LOOPBACK;
	else if (src->local)
		f->flags |= AC_F_LOCAL;
	f->kinds[k] += rep;
	if (num_parse_u64(logon_type, 31, &lt) == 0)
		f->logon_types |= 1u << lt;
	if (kind_failed(k)) {
		f->nfail += rep;
		f->last_fail_ms = ts;
	} else {
		if (f->nfail > 0 && ts - f->last_fail_ms <=
		    (int64_t)ac->t.guess_window * 1000)
			f->flags |= AC_F_FAIL_THEN_OK;
		f->nsucc += rep;
		/* RC4-HMAC (0x17) and its export variant (0x18). */
		if ((k == K_TGT || k == K_TICKET) &&
		    acct_parse_hex(ac_extra(ev, "TicketEncryptionType"),
		    &et) == 0 && (et == 0x17 || et == 0x18))
			f->flags |= AC_F_RC4;
	}
	if (hosts >= (long)ac->t.spread_hosts)
		f->flags |= AC_F_SPREAD;
	if (target.n > 0) {
		/* Eight hosts are told apart; past them, "more than 8". */
		h = ac_host_hash(target);
		for (i = 0; i < f->ntarget && i < 8; i++)
			if (f->target[i] == h)
				break;
		if (i == f->ntarget && f->ntarget < 8)
			f->target[f->ntarget++] = h;
		else if (i == 8)
			f->ntarget = 9;
	}
	return 0;
}

/* Copies s into a fixed buffer of a ring entry, cut to fit. */
static struct slice
keep(char *buf, size_t cap, struct slice s)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;

	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return slice_make(buf, n);
}

/*
 * The live ring entry for (dev, luid) near ts, or NULL. The ring is
 * filled in the order of the log, so the search goes back from the
 * newest entry (next - 1) and stops at one a minute older than ts.
 */
static struct ac_logon *
ring_find(struct ac_logon *ring, size_t next, uint64_t dev, uint64_t luid,
    int64_t ts)
{
	size_t k;

	for (k = 0; k < RING && k < next; k++) {
		struct ac_logon *l = &ring[(next - 1 - k) % RING];

		if (!l->live)
			continue;
		if (ts - l->ts > 60000)
			break;
		if (l->dev == dev && l->luid == luid &&
		    ts - l->ts <= JOIN_MS && l->ts - ts <= JOIN_MS)
			return l;
	}
	return NULL;
}

/* The next slot of a ring; an unjoined 4672 pushed out is counted. */
static struct ac_logon *
ring_put(struct authcheck *ac, struct ac_logon *ring, size_t *next)
{
	struct ac_logon *l = &ring[*next % RING];

	if (l->live && ring == ac->privs)
		ac->unjoined++;
	memset(l, 0, sizeof *l);
	*next = *next + 1;
	l->live = 1;
	return l;
}

/* A 4672: joined to its logon now, or kept until the logon comes. */
static int
privileged(struct authcheck *ac, const struct ac_event *ev,
    struct slice sid)
{
	uint64_t luid, dev = ac_fold_hash(ev->device);
	struct ac_logon *l;

	if (acct_parse_hex(ac_extra(ev, "SubjectLogonId"), &luid) != 0) {
		ac->unjoined++;
		return 0;
	}
	if ((l = ring_find(ac->logons, ac->nlogons, dev, luid,
	    ev->ts_ms)) != NULL)
		return count(ac, ev, K_PRIV, ev->account, sid, &l->src,
		    ev->ts_ms, ev->origin, slice_cstr(l->ltype));
	l = ring_put(ac, ac->privs, &ac->nprivs);
	l->ts = ev->ts_ms;
	l->luid = luid;
	l->dev = dev;
	keep(l->account, sizeof l->account, ev->account);
	keep(l->sid, sizeof l->sid, sid);
	keep(l->origin, sizeof l->origin, ev->origin);
	return 0;
}

/* A 4624: kept for its 4672, and any 4672 that came first counted. */
static int
logon(struct authcheck *ac, const struct ac_event *ev,
    const struct ac_source *src)
{
	uint64_t luid, dev = ac_fold_hash(ev->device);
	struct ac_logon *l, *p;

	if (acct_parse_hex(ac_extra(ev, "TargetLogonId"), &luid) != 0)
		return 0;
	l = ring_put(ac, ac->logons, &ac->nlogons);
	l->ts = ev->ts_ms;
	l->luid = luid;
	l->dev = dev;
	l->src = *src;
	l->src.text = keep(l->buf, sizeof l->buf, src->text);
	keep(l->ltype, sizeof l->ltype, ev->logon_type);
	if ((p = ring_find(ac->privs, ac->nprivs, dev, luid,
	    ev->ts_ms)) == NULL)
		return 0;
	p->live = 0;
	return count(ac, ev, K_PRIV, slice_cstr(p->account),
	    slice_cstr(p->sid), &l->src, p->ts, slice_cstr(p->origin),
	    slice_cstr(l->ltype));
}

int
ac_admin_event(struct authcheck *ac, const struct ac_event *ev)
{
	struct slice sid = sid_of(ev);
	struct ac_source src;
	int k = kind_of(ev);

	if (k < 0 || (ac->sev[AC_ADMIN] < 0 && !ac->learn) ||
	    !ac_is_admin(ac, ev->account, sid))
		return 0;
	/*
	 * A record that reads two ways (ambiguous.c) has a user's text where
	 * its source may be: it never teaches a usual source, nor joins its
	 * 4672 to teach one. Without --learn it is checked as it is.
	 */
	if (ac->learn && ev->ambiguous) {
		if (!kind_failed(k))
			ac->learn_ambiguous++;
		return 0;
	}
	ac->admin_events++;
	if (k == K_PRIV)
		return privileged(ac, ev, sid);
	ac_event_source(ev, &src);
	if (src.kind == AC_FROM_NONE) {
		ac->no_source++;
		return 0;
	}
	if (k == K_LOGON && logon(ac, ev, &src) != 0)
		return -1;
	return count(ac, ev, k, ev->account, sid, &src, ev->ts_ms,
	    ev->origin, ev->logon_type);
}

enum ac_prep
ac_admin_prep(const struct authcheck *ac, struct ac_admin_memo *memo,
    const struct ac_event *ev)
{
	int known;

	/* As ac_admin_event starts, with the administrators known up front. */
	if (kind_of(ev) < 0 || (ac->sev[AC_ADMIN] < 0 && !ac->learn))
		return AC_PREP_NONE;
	known = ac_admin_known_memo(ac, memo, ev->account, sid_of(ev));
	return known > 0 ? AC_PREP_WORK : known == 0 ? AC_PREP_IF_LEARNED :
	    AC_PREP_NONE;
}

int
ac_admin_finish(struct authcheck *ac)
{
	size_t i;

	for (i = 0; i < RING; i++)
		if (ac->privs[i].live) {
			ac->unjoined++;
			ac->privs[i].live = 0;
		}
	return 0;
}

/* Appends to buf at *n (cap) as snprintf does, never past the end. */
static void
add(char *buf, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n >= cap)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n = *n + (size_t)r < cap ? *n + (size_t)r : cap - 1;
}

void
ac_admin_describe(const struct authcheck *ac, const struct ac_found *f,
    uint64_t n_events, int *severity, char *buf, size_t cap)
{
	size_t n = 0;
	int k, first = 1, sev = ac->sev[AC_ADMIN], lt;

	(void)n_events;
	add(buf, cap, &n, "%s:", f->user ? f->user : "");
	for (k = 0; k < K_NKINDS; k++) {
		if (f->kinds[k] == 0)
			continue;
		add(buf, cap, &n, "%s %llu %s", first ? "" : ",",
		    (unsigned long long)f->kinds[k],
		    kind_names[k][f->kinds[k] != 1]);
		first = 0;
		if (k == K_LOGON && f->logon_types) {
			int m = 0;

			add(buf, cap, &n, " (type");
			for (lt = 0; lt < 32; lt++)
				if (f->logon_types & 1u << lt)
					add(buf, cap, &n, "%s %d",
					    m++ ? "," : "", lt);
			add(buf, cap, &n, ")");
		}
	}
	switch (f->src_kind) {
	case AC_FROM_IP:
		add(buf, cap, &n, " from %s", f->src ? f->src : "");
		break;
	case AC_FROM_WORKSTATION:
		add(buf, cap, &n, " from %sworkstation %s%s",
		    f->flags & AC_F_LOOPBACK ? "a loopback address, " : "",
		    f->text, f->flags & AC_F_LOCAL ? " without an address" :
		    "");
		break;
	default:
		add(buf, cap, &n, " %son %s itself", f->flags & AC_F_LOOPBACK ?
		    "from a loopback address, " : "", f->text);
		break;
	}
	add(buf, cap, &n, ", not one of the account's usual sources");
	if (f->ntarget > 1)
		add(buf, cap, &n, "; to %s%zu hosts", f->ntarget > 8 ?
		    "more than " : "", f->ntarget > 8 ? (size_t)8 : f->ntarget);
	if (f->nsucc == 0) {
		add(buf, cap, &n, "; failures only");
		sev--;
	}
	if (f->flags & AC_F_FAIL_THEN_OK) {
		add(buf, cap, &n, "; a success after failures");
		sev++;
	}
	if (f->flags & AC_F_RC4) {
		add(buf, cap, &n, "; RC4 Kerberos tickets");
		sev++;
	}
	if (f->flags & AC_F_SPREAD) {
		add(buf, cap, &n, "; logons to %llu or more hosts within %llu "
		    "minutes", (unsigned long long)ac->t.spread_hosts,
		    (unsigned long long)(ac->t.spread_window + 59) / 60);
		sev++;
	}
	*severity = sev;
}
