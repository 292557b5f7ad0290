/*
 * fail.c: bursts of failed authentication (guideline 19.1.2,
 * authentication server item 2, on Windows and Linux alike). Password
 * guessing is guess-failures failures against one account from one
 * source within guess-window; password spraying is failures against
 * spray-accounts distinct accounts from one source within spray-window.
 * The failures are failed logons (4625, sshd), refused Kerberos TGTs and
 * pre-authentication (4768, 4771) and failed NTLM validation (4776); an
 * sshd "Invalid user" line names an account to spray too. A success from
 * the same source (and account) while the burst is on raises the finding.
 * One finding per source (and account) gathers every burst of the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acct.h"
#include "authcheck.h"
#include "fieldscan.h"
#include "hash.h"

/*
 * Slots of ac->hits: counts of the keys whose burst hit, so that most
 * successes (whose only work here is to mark such a burst) are passed
 * over without a look in the tables. A slot shared gives a look for
 * nothing, never a miss.
 */
#define HIT_SLOTS 16384
#define KEY_MAX 600		/* bytes of a key */

static uint32_t *
hit_slot(const struct authcheck *ac, const char *key, size_t n)
{
	return &ac->hits[hash_bytes(key, n, ac->hit_seed) & (HIT_SLOTS - 1)];
}

/* Counts e's key in hits once it has hit (until done, below). */
static void
count_hit(struct authcheck *ac, struct burst_entry *e)
{
	if (e->hit && !(e->flags & AC_F_COUNTED)) {
		(*hit_slot(ac, e->key, e->key_len))++;
		e->flags |= AC_F_COUNTED;
	}
}

/* How the two tables name their findings. */
static int
done(struct authcheck *ac, enum ac_rule rule, const struct burst_entry *e)
{
	/* The key: source tag (ac_source_tag), source, then TAB account. */
	struct slice key = slice_make(e->key, e->key_len);
	long tab = slice_find(key, '\t');
	struct slice src = slice_make(key.p + 1, (tab < 0 ? key.n :
	    (size_t)tab) - 1);
	int is_ip = key.p[0] == 'i';
	const char *dev = e->aux;
	const char *acc = e->aux + strlen(e->aux) + 1;
	char srcs[300];
	struct ac_found *f;

	/* A burst that hit ends here (and only here): its key is no more. */
	if (e->flags & AC_F_COUNTED)
		(*hit_slot(ac, e->key, e->key_len))--;
	snprintf(srcs, sizeof srcs, "%.*s", (int)src.n, src.p);
	if ((f = ac_found_add(ac, rule, key, is_ip ? srcs : NULL,
	    rule == AC_GUESSING && acc[0] ? acc : NULL, dev[0] ? dev : NULL,
	    e->first_ms, e->last_ms, e->count, slice_cstr(e->origin))) == NULL)
		return -1;
	f->src_kind = key.p[0] == 'i' ? AC_FROM_IP : key.p[0] == 'w' ?
	    AC_FROM_WORKSTATION : AC_FROM_DEVICE;
	if (!is_ip && f->text == NULL && (f->text = ac_strdup(src)) == NULL)
		return -1;
	if (e->peak > f->peak)
		f->peak = e->peak;
	f->flags |= (unsigned)e->flags & ~AC_F_COUNTED;
	return 0;
}

static int
guess_done(void *arg, const struct burst_entry *e)
{
	return done(arg, AC_GUESSING, e);
}

static int
spray_done(void *arg, const struct burst_entry *e)
{
	return done(arg, AC_SPRAY, e);
}

int
ac_fail_init(struct authcheck *ac)
{
	size_t sa = (size_t)ac->t.spray_accounts;

	size_t gf = (size_t)ac->t.guess_failures;

	/* Sixteen events or accounts are kept, so the reason can count. */
	burst_init(&ac->guess, gf, gf < 16 ? 16 : gf,
	    (int64_t)ac->t.guess_window * 1000, 0, guess_done, ac);
	burst_init(&ac->spray, sa, sa < 16 ? 16 : sa,
	    (int64_t)ac->t.spray_window * 1000, 1, spray_done, ac);
	ac->hit_seed = hash_seed();
	return (ac->hits = calloc(HIT_SLOTS, sizeof *ac->hits)) ? 0 : -1;
}

void
ac_fail_release(struct authcheck *ac)
{
	burst_release(&ac->guess);
	burst_release(&ac->spray);
	free(ac->hits);
	ac->hits = NULL;
}

/* 1 failure, 0 success, -1 neither, for the bursts. */
static int
outcome(const struct ac_event *ev, int *name_only)
{
	*name_only = 0;
	switch (ev->id) {
	case 4625: case 4771:
		return 1;
	case 4624:
		return 0;
	case 4768: case 4776:
		return ev->failure ? 1 : ev->success ? 0 : -1;
	case 0:
		if (slice_eq(ev->kind, "sshd-failed"))
			return 1;
		if (slice_eq(ev->kind, "sshd-accepted"))
			return 0;
		if (slice_eq(ev->kind, "sshd-invalid-user")) {
			*name_only = 1;
			return 1;
		}
	}
	return -1;
}

/* Folds s into buf at *n as accounts compare (at most cap bytes in all). */
static void
lower(char *buf, size_t cap, size_t *n, struct slice s)
{
	size_t i, m;
	char *o;

	if (*n >= cap)
		return;
#if defined(__SSE2__)
	/* Up to 16 bytes of ASCII at once, when buf has room for 16. */
	if (s.n <= 16 && cap - *n >= 16) {
		__m128i x = fieldscan_load16(s.p, s.n);

		if (_mm_movemask_epi8(x) == 0) {
			__m128i up = _mm_and_si128(_mm_cmpgt_epi8(x,
			    _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(x,
			    _mm_set1_epi8('Z' + 1)));

			_mm_storeu_si128((__m128i *)(void *)(buf + *n),
			    _mm_add_epi8(x, _mm_and_si128(up,
			    _mm_set1_epi8('a' - 'A'))));
			*n += s.n;
			return;
		}
	}
#endif
	/* ASCII, as nearly every name is: what acct_fold gives, in one pass. */
	m = s.n < cap - *n ? s.n : cap - *n;
	o = buf + *n;
	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c >= 0x80) {
			*n += acct_fold(s, buf + *n, cap - *n).n;
			return;
		}
		if (i < m)
			o[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' :
			    c);
	}
	*n += m;
}

/* Marks a burst of key that is on at ts: a success came from it. */
static void
succeeded(struct burst *b, struct slice key, int64_t ts)
{
	struct burst_entry *e = burst_find(b, key);

	if (e != NULL && e->hit && ts - e->last_ms <= b->window_ms)
		e->flags |= AC_F_SUCCEEDED;
}

/* Fills a new episode's own bytes: the computer, then the account. */
static void
first_of_episode(struct burst_entry *e, const struct ac_event *ev,
    struct slice acc)
{
	size_t dn = ev->device.n < 120 ? ev->device.n : 120;
	size_t an = acc.n < BURST_AUX_MAX - dn - 2 ? acc.n :
	    BURST_AUX_MAX - dn - 2;

	memcpy(e->aux, ev->device.p, dn);
	e->aux[dn] = '\0';
	memcpy(e->aux + dn + 1, acc.p, an);
	e->aux[dn + 1 + an] = '\0';
	e->aux_len = dn + an + 2;
}

/*
 * acct_name(s), without its scans when s is a short plain name (no
 * domain, realm, space or tab: it is its own account part).
 */
static struct slice
plain_name(struct slice s)
{
#if defined(__SSE2__)
	if (s.n <= 16) {
		__m128i x = fieldscan_load16(s.p, s.n);

		if ((fieldscan_eq(x, '\\') | fieldscan_eq(x, '@') |
		    fieldscan_eq(x, ' ') | fieldscan_eq(x, '\t')) == 0)
			return s;
	}
#endif
	return acct_name(s);
}

/*
 * The keys of ev's bursts, into key (KEY_MAX bytes): the source tag
 * (ac_source_tag) and the source, then TAB and the account. Its length,
 * with the source's part (the spray key) in *sn; 0 when the event has no
 * source or no account.
 */
static size_t
fail_key(const struct ac_event *ev, char *key, size_t *sn)
{
	struct slice acc = plain_name(ev->account);
	struct ac_source src;
	size_t n = 0;

	ac_event_source(ev, &src);
	if (src.kind == AC_FROM_NONE || acc.n == 0)
		return 0;
	/* A name the client gave is never merged with an address. */
	key[n++] = ac_source_tag(src.kind);
	lower(key, 300, &n, src.text);
	*sn = n;
	key[n++] = '\t';
	lower(key, KEY_MAX, &n, acc);
	return n;
}

enum ac_prep
ac_fail_prep(const struct authcheck *ac, const struct ac_event *ev,
    uint64_t *guess, uint64_t *spray)
{
	char key[KEY_MAX];
	size_t n, sn;
	int r, name_only;

	/* A failure is work even without a key: the check will see. */
	if ((r = outcome(ev, &name_only)) != 0)
		return r < 0 ? AC_PREP_NONE : AC_PREP_WORK;
	if ((n = fail_key(ev, key, &sn)) == 0)
		return AC_PREP_NONE;
	*guess = hash_bytes(key, n, ac->hit_seed);
	*spray = hash_bytes(key, sn, ac->hit_seed);
	return AC_PREP_IF_BURST;
}

int
ac_fail_quiet(const struct authcheck *ac, uint64_t guess, uint64_t spray)
{
	return ac->hits[guess & (HIT_SLOTS - 1)] == 0 &&
	    ac->hits[spray & (HIT_SLOTS - 1)] == 0;
}

void
ac_fail_prefetch(const struct authcheck *ac, uint64_t guess, uint64_t spray)
{
	__builtin_prefetch(&ac->hits[guess & (HIT_SLOTS - 1)]);
	__builtin_prefetch(&ac->hits[spray & (HIT_SLOTS - 1)]);
}

int
ac_fail_event(struct authcheck *ac, const struct ac_event *ev)
{
	struct slice sid;
	struct burst_entry *e;
	char key[KEY_MAX];
	size_t n, sn;
	int r, name_only, admin;
	uint64_t sub;

	if ((r = outcome(ev, &name_only)) < 0 ||
	    (n = fail_key(ev, key, &sn)) == 0)
		return 0;
	if (r == 0) {
		succeeded(&ac->guess, slice_make(key, n), ev->ts_ms);
		succeeded(&ac->spray, slice_make(key, sn), ev->ts_ms);
		return 0;
	}
	ac->failures++;
	sid = ac_extra(ev, "TargetUserSid");
	admin = ac_is_admin(ac, ev->account, sid.n ? sid :
	    ac_extra(ev, "TargetSid"));
	if (ac->sev[AC_GUESSING] >= 0 && !name_only) {
		if (burst_note(&ac->guess, slice_make(key, n), 0, ev->repeated,
		    ev->ts_ms, ev->origin, &e) < 0)
			return -1;
		count_hit(ac, e);
		if (e->count == ev->repeated)
			first_of_episode(e, ev, ev->account);
		if (admin)
			e->flags |= AC_F_ADMIN;
	}
	if (ac->sev[AC_SPRAY] >= 0) {
		sub = ac_fold_hash(slice_make(key + sn + 1, n - sn - 1));
		if (burst_note(&ac->spray, slice_make(key, sn), sub,
		    ev->repeated, ev->ts_ms, ev->origin, &e) < 0)
			return -1;
		count_hit(ac, e);
		if (e->count == ev->repeated)
			first_of_episode(e, ev, slice_make("", 0));
		if (admin)
			e->flags |= AC_F_ADMIN;
	}
	return 0;
}

int
ac_fail_finish(struct authcheck *ac)
{
	int a = burst_finish(&ac->guess), b = burst_finish(&ac->spray);

	return a != 0 || b != 0 ? -1 : 0;
}

/* A window for people: "90 seconds", "10 minutes", "2 hours". */
static void
span(char *buf, size_t cap, uint64_t s)
{
	if (s % 3600 == 0)
		snprintf(buf, cap, "%llu hour%s", (unsigned long long)s / 3600,
		    s == 3600 ? "" : "s");
	else if (s % 60 == 0)
		snprintf(buf, cap, "%llu minute%s", (unsigned long long)s / 60,
		    s == 60 ? "" : "s");
	else
		snprintf(buf, cap, "%llu second%s", (unsigned long long)s,
		    s == 1 ? "" : "s");
}

void
ac_fail_describe(const struct authcheck *ac, const struct ac_found *f,
    uint64_t count, int *severity, char *buf, size_t cap)
{
	char w[32], from[320];
	int sev = ac->sev[f->rule];
	size_t n;

	snprintf(from, sizeof from, "%s%s", f->src ? "" :
	    f->src_kind == AC_FROM_WORKSTATION ? "workstation " : "computer ",
	    f->src ? f->src : f->text ? f->text : "");
	if (f->rule == AC_GUESSING) {
		span(w, sizeof w, ac->t.guess_window);
		n = (size_t)snprintf(buf, cap, "%llu failed logon%s for "
		    "account '%s' from %s, %s%zu of them within %s",
		    (unsigned long long)count, count == 1 ? "" : "s",
		    f->user ? f->user : "", from, f->peak >= ac->guess.depth ?
		    "at least " : "", f->peak, w);
	} else {
		span(w, sizeof w, ac->t.spray_window);
		n = (size_t)snprintf(buf, cap, "%llu authentication "
		    "failure%s from %s against %s%zu accounts within %s",
		    (unsigned long long)count, count == 1 ? "" : "s", from,
		    f->peak >= ac->spray.depth ? "at least " : "", f->peak, w);
	}
	if ((f->flags & AC_F_ADMIN) && n < cap) {
		n += (size_t)snprintf(buf + n, cap - n, "; %s",
		    f->rule == AC_GUESSING ? "an administrator account" :
		    "administrator accounts among them");
		if (f->rule == AC_GUESSING)
			sev++;
	}
	if ((f->flags & AC_F_SUCCEEDED) && n < cap) {
		snprintf(buf + n, cap - n, "; then a successful logon from "
		    "the same source");
		sev++;
	}
	*severity = sev;
}
