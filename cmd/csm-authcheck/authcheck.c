/*
 * authcheck.c: csm-authcheck's shared per-event work. Each auth event has
 * its columns unescaped once (names are compared as the log wrote them,
 * and findings escape them again on output) and its extra column split
 * into key=value pairs, then goes to each rule family: administrators'
 * activity from unusual sources (admin.c), the events that never happen
 * in normal operation (rare.c), bursts of failures (fail.c) and records
 * that read two ways (ambiguous.c). Also the findings store the families
 * share, keyed by rule and what a finding is about, and the writer that
 * gives each rule its clause and stage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acct.h"
#include "authcheck.h"
#include "esc.h"
#include "fieldscan.h"
#include "num.h"

const char *const authcheck_columns[AC_NCOLS] = {
	"log", "event_id", "account", "user", "src_ip", "device",
	"logon_type", "outcome", "extra", "origin"
};

/* The attack stage of each rule (csm-events(5)). */
static const char *const stages[AC_NRULES] = {
	"objectives", "objectives", "objectives", "objectives", "objectives",
	"install", "objectives", "install", "install", "exploit", "install",
	"install", "exploit", "exploit", "objectives"
};

/* s unescaped into buf at *used. */
static struct slice
unesc_copy(char *buf, size_t *used, struct slice s)
{
	char *p = buf + *used;
	size_t n = esc_unescape(p, s);

	*used += n;
	return slice_make(p, n);
}

/*
 * s unescaped: s itself when it holds no backslash (most fields), else
 * its bytes unescaped into buf at *used. Inline: a call cost more than
 * the look at a short field.
 */
static inline struct slice
unesc(char *buf, size_t *used, struct slice s)
{
	return fieldscan_byte(s.p, s.n, '\\') == s.n ? s :
	    unesc_copy(buf, used, s);
}

/* Splits extra ("k=v;k=v", ';' inside a value escaped) into ev. */
static void
split_extra(char *buf, size_t *used, struct slice x, struct ac_event *ev)
{
	while (x.n > 0 && ev->nx < AC_MAX_EXTRA) {
		size_t semi = fieldscan_byte(x.p, x.n, ';');
		struct slice pair = slice_make(x.p, semi);
		size_t eq = fieldscan_byte(pair.p, pair.n, '=');

		x = slice_from(x, semi + 1);
		if (eq == 0 || eq == pair.n)
			continue;
		ev->xk[ev->nx] = slice_make(pair.p, eq);
		ev->xv[ev->nx++] = unesc(buf, used, slice_from(pair, eq + 1));
	}
}

/* 127.0.0.0/8, 0.0.0.0, ::1 and ::: the computer itself, or nobody. */
static int
is_loopback(const struct ipaddr *ip)
{
	int i;

	if (ip_is_v4(ip))
		return ip->b[12] == 127 || (ip->b[12] | ip->b[13] |
		    ip->b[14] | ip->b[15]) == 0;
	for (i = 0; i < 15; i++)
		if (ip->b[i] != 0)
			return 0;
	return ip->b[15] <= 1;
}

/*
 * Whether the event records where its client was in src_ip: not 4776
 * (which has only the client's own name) nor 4648 (the server's
 * address); a Windows logon without one ("-") came from the computer
 * itself. sshd always gives one: without it, rhost says who.
 */
static int
has_address(const struct ac_event *ev)
{
	return ev->id != 0 && ev->id != 4648 && ev->id != 4776;
}

void
ac_event_source(const struct ac_event *ev, struct ac_source *src)
{
	struct slice ws;

	memset(src, 0, sizeof *src);
	/* 4648's address is the server the credentials were sent to. */
	if (ev->id != 4648 && ev->src_ip.n > 0 &&
	    ip_parse(ev->src_ip, &src->ip) == 0) {
		if (!is_loopback(&src->ip)) {
			src->kind = AC_FROM_IP;
			src->text = ev->src_ip;
			return;
		}
		src->loopback = 1;
	}
	/*
	 * Loopback, or no address: the computer itself. Whoever is on it
	 * (a relay to localhost, a local tool) is the source, so it is
	 * never usual; the workstation name, when the event gives one, at
	 * least tells the logons apart.
	 */
	src->local = src->loopback || (has_address(ev) &&
	    (ev->src_ip.n == 0 || slice_eq(ev->src_ip, "-")));
	ws = ac_extra(ev, ev->id == 0 ? "rhost" : ev->id == 4776 ?
	    "Workstation" : "WorkstationName");
	/* sshd's rhost is the peer it saw; Windows' names are the client's. */
	if (ev->id == 0 && !src->local && ip_parse(ws, &src->ip) == 0 &&
	    !is_loopback(&src->ip)) {
		src->kind = AC_FROM_IP;
		src->text = ws;
		return;
	}
	if (ev->id != 4648 && ws.n > 0 && !slice_eq(ws, "-")) {
		src->kind = AC_FROM_WORKSTATION;
		src->text = ws;
		return;
	}
	if (ev->device.n > 0) {
		src->kind = AC_FROM_DEVICE;
		src->text = ev->device;
	}
}

char
ac_source_tag(enum ac_src_kind kind)
{
	return kind == AC_FROM_IP ? 'i' : kind == AC_FROM_WORKSTATION ? 'w' :
	    'd';
}

size_t
ac_event_room(const struct evrow *row)
{
	static const int cols[] = { AC_ACCOUNT, AC_USER, AC_SRC_IP, AC_DEVICE,
	    AC_LOGON_TYPE, AC_EXTRA };
	size_t need = 0, i;

	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		need += evrow_get(row, cols[i]).n;
	return need;
}

void
ac_event_read(const struct evrow *row, char *buf, struct ac_event *ev)
{
	struct slice outcome, rep;
	size_t used = 0;
	uint64_t v;

	/* Field by field: xk and xv are read only up to nx. */
	ev->ts_ms = row->ts_ms;
	ev->kind = evrow_get(row, AC_EVENT_ID);
	/* Most kinds are names (sshd-accepted): no number to parse. */
	ev->id = ev->kind.n > 0 && ev->kind.p[0] >= '0' && ev->kind.p[0] <= '9' &&
	    num_parse_u64(ev->kind, 65535, &v) == 0 ? v : 0;
	ev->account = unesc(buf, &used, evrow_get(row, AC_ACCOUNT));
	ev->user = unesc(buf, &used, evrow_get(row, AC_USER));
	ev->src_ip = unesc(buf, &used, evrow_get(row, AC_SRC_IP));
	ev->device = unesc(buf, &used, evrow_get(row, AC_DEVICE));
	ev->logon_type = unesc(buf, &used, evrow_get(row, AC_LOGON_TYPE));
	ev->origin = evrow_get(row, AC_ORIGIN);
	outcome = evrow_get(row, AC_OUTCOME);
	ev->success = slice_eq(outcome, "success");
	ev->failure = slice_eq(outcome, "failure");
	ev->nx = 0;
	split_extra(buf, &used, evrow_get(row, AC_EXTRA), ev);
	ev->repeated = 1;
	rep = ac_extra(ev, "repeated");
	if (ev->id == 0 && num_parse_u64(rep, 1000000, &v) == 0 && v > 0)
		ev->repeated = v;
	/* From the pairs split above: the column is not read again. */
	ev->ambiguous = slice_eq(ac_extra(ev, "ambiguous"), "1");
}

enum line_result
authcheck_event(void *arg, struct evrow *row)
{
	struct authcheck *ac = arg;
	const uint64_t *aux = row->aux;
	uint64_t mine[EVROW_AUX];
	struct ac_event ev;
	size_t need;

	if (aux == NULL) {
		ac_prep_here(ac, row, mine);
		aux = mine;
	}
	switch ((enum ac_prep_kind)aux[ACX_KIND]) {
	case ACK_SKIP:
		return LINE_SKIPPED;
	case ACK_NO_TIME:
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	case ACK_QUIET:
		if (!ac->quiet_off && ac_still_quiet(ac, aux))
			return LINE_USED;
		break;
	case ACK_FULL:
		break;
	}
	if ((need = ac_event_room(row)) > ac->scratch_cap) {
		char *p = realloc(ac->scratch, need);

		if (p == NULL)
			goto oom;
		ac->scratch = p;
		ac->scratch_cap = need;
	}
	ac_event_read(row, ac->scratch, &ev);

	/* rare.c learns administrators from group changes, even for --learn. */
	if (ac_rare_event(ac, &ev) != 0 || ac_admin_event(ac, &ev) != 0 ||
	    (!ac->learn && ac_fail_event(ac, &ev) != 0) ||
	    ac_ambiguous_event(ac, &ev) != 0)
		goto oom;
	return LINE_USED;
oom:
	ac->oom = 1;
	snprintf(row->reason, sizeof row->reason, "out of memory");
	return LINE_REJECTED;
}

struct ac_found *
ac_found_add(struct authcheck *ac, enum ac_rule rule, struct slice key,
    const char *src, const char *user, const char *dst, int64_t first_ms,
    int64_t last_ms, uint64_t n, struct slice origin)
{
	char buf[2048];
	struct agg_entry *e;
	struct ac_found *f;
	size_t kn = key.n < sizeof buf - 4 ? key.n : sizeof buf - 4;

	/* The rule first: the same subject under two rules is two findings. */
	buf[0] = (char)('A' + rule);
	buf[1] = '\t';
	memcpy(buf + 2, key.p, kn);
	if ((e = agg_get(&ac->found, slice_make(buf, kn + 2))) == NULL)
		return NULL;
	if (e->count == 0) {
		if (ac->nfv == ac->fv_cap) {
			size_t cap = ac->fv_cap ? ac->fv_cap * 2 : 64;
			struct ac_found **v = realloc(ac->fv, cap * sizeof *v);

			if (v == NULL)
				return NULL;
			ac->fv = v;
			ac->fv_cap = cap;
		}
		if ((f = calloc(1, sizeof *f)) == NULL)
			return NULL;
		f->rule = rule;
		f->severity = -1;
		if ((src && (f->src = ac_strdup(slice_cstr(src))) == NULL) ||
		    (user && (f->user = ac_strdup(slice_cstr(user))) == NULL) ||
		    (dst && (f->dst = ac_strdup(slice_cstr(dst))) == NULL)) {
			free(f->src);
			free(f->user);
			free(f);
			return NULL;
		}
		e->flags = ac->nfv;
		ac->fv[ac->nfv++] = f;
		ac->nfindings[rule]++;
	}
	if (agg_add(e, first_ms, 0, origin) != 0)
		return NULL;
	e->count += n > 0 ? n - 1 : 0;
	if (last_ms > e->last_ms)
		e->last_ms = last_ms;
	return ac->fv[e->flags];
}

int
authcheck_finish(struct authcheck *ac)
{
	return ac_admin_finish(ac) != 0 || ac_fail_finish(ac) != 0 ? -1 : 0;
}

static void
write_one(struct authcheck *ac, const struct agg_entry *e)
{
	static const double score[5] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
	const struct ac_found *f = ac->fv[e->flags];
	char why[1024], origin[1100];
	struct finding fd;
	int sev = f->severity;

	if (f->rule == AC_ADMIN) {
		ac_admin_describe(ac, f, e->count, &sev, why, sizeof why);
	} else if (f->rule == AC_GUESSING || f->rule == AC_SPRAY) {
		ac_fail_describe(ac, f, e->count, &sev, why, sizeof why);
	} else if (e->count > 1) {
		snprintf(why, sizeof why, "%s (%llu times)", f->text,
		    (unsigned long long)e->count);
	} else {
		snprintf(why, sizeof why, "%s", f->text);
	}
	if (sev < 0)
		sev = 0;
	if (sev > 4)
		sev = 4;
	memset(&fd, 0, sizeof fd);
	fd.ts_ms = e->first_ms;
	fd.ts_last_ms = e->last_ms;
	fd.f[FD_CHECK] = slice_cstr("authcheck");
	fd.f[FD_RULE] = slice_cstr(authcheck_rule_names[f->rule]);
	fd.severity = sev;
	fd.score = score[sev];
	if (f->src)
		fd.f[FD_SRC_IP] = slice_cstr(f->src);
	if (f->user)
		fd.f[FD_USER] = slice_cstr(f->user);
	if (f->dst)
		fd.f[FD_DST] = slice_cstr(f->dst);
	fd.count = e->count;
	fd.f[FD_REASON] = slice_cstr(why);
	fd.f[FD_CLAUSE] = slice_cstr(f->rule == AC_ADMIN ? "19.1.2 auth-1" :
	    "19.1.2 auth-2");
	/* Failures alone are an attempt; a success is use of the account. */
	fd.f[FD_STAGE] = slice_cstr(f->rule == AC_ADMIN && f->nsucc == 0 ?
	    "exploit" : stages[f->rule]);
	fd.f[FD_ORIGIN] = finding_raw(slice_cstr(e->origin), origin, sizeof origin);
	finding_write(ac->out, &fd, &ac->tc);
}

int
authcheck_write(struct authcheck *ac)
{
	struct agg_entry **v;
	size_t i;
	int pass;

	if (ac->learn)
		return ac_learn_write(ac);
	if ((v = agg_sorted(&ac->found)) == NULL)
		return -1;
	finding_write_header(ac->out);
	/*
	 * Administrators first, then the never-normal table, then bursts,
	 * then the records that read two ways.
	 */
	for (pass = 0; pass < 4; pass++)
		for (i = 0; i < ac->found.n; i++) {
			enum ac_rule r = ac->fv[v[i]->flags]->rule;
			int p = r == AC_ADMIN ? 0 : r < AC_GUESSING ? 1 :
			    r < AC_AMBIGUOUS ? 2 : 3;

			if (p == pass)
				write_one(ac, v[i]);
		}
	free(v);
	return 0;
}
