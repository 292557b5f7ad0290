/*
 * authcheck.h: what csm-authcheck's main.c hands to the per-event logic,
 * and what its files share: setup.c (the [authcheck] table, the
 * administrators and their usual sources), authcheck.c (one event read
 * once, handed to each rule family; the findings store and writer),
 * admin.c (admin-unusual-source, and what --learn gathers), learn.c
 * (--learn's output), rare.c (the events that never happen in normal
 * operation), fail.c (password guessing and spraying) and ambiguous.c
 * (records that read two ways).
 */
#ifndef CSM_AUTHCHECK_H
#define CSM_AUTHCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "agg.h"
#include "burst.h"
#include "config.h"
#include "evstream.h"
#include "finding.h"
#include "ipaddr.h"
#include "outbuf.h"
#include "timeconv.h"

/* The event columns the check reads, in evstream want order. */
enum ac_col {
	AC_LOG, AC_EVENT_ID, AC_ACCOUNT, AC_USER, AC_SRC_IP, AC_DEVICE,
	AC_LOGON_TYPE, AC_OUTCOME, AC_EXTRA, AC_ORIGIN, AC_NCOLS
};
extern const char *const authcheck_columns[AC_NCOLS];
#define AC_NREQUIRED (AC_ACCOUNT + 1)	/* log, event_id, account */

/* The rules, in the order of the output. */
enum ac_rule {
	AC_ADMIN,			/* admin-unusual-source (auth-1) */
	AC_LOG_CLEARED, AC_OTHER_LOG_CLEARED, AC_EVENTLOG_STOPPED,
	AC_AUDIT_POLICY, AC_ACCOUNT_CREATED, AC_ACCOUNT_DELETED,
	AC_PRIV_GROUP, AC_RISKY_FLAG, AC_MACHINE_RENAMED, AC_SERVICE,
	AC_TASK,			/* the never-normal table (auth-2) */
	AC_GUESSING, AC_SPRAY,		/* failure bursts (auth-2) */
	AC_AMBIGUOUS,			/* ambiguous-record (auth-2) */
	AC_NRULES
};
extern const char *const authcheck_rule_names[AC_NRULES];

/* Where an event came from, as the rules compare it. */
enum ac_src_kind {
	AC_FROM_NONE,
	AC_FROM_IP,		/* an address (not loopback) */
	AC_FROM_WORKSTATION,	/* a client's name the event gives */
	AC_FROM_DEVICE		/* the computer of the event itself */
};

struct ac_source {
	enum ac_src_kind kind;
	struct ipaddr ip;	/* AC_FROM_IP */
	struct slice text;	/* the address as text, or the name; raw */
	int loopback;		/* the log said 127.0.0.1 or ::1 */
	int local;		/* loopback, or a logon without an address */
};

#define AC_MAX_EXTRA 40

/* One event, its columns unescaped (raw bytes) and its extra split. */
struct ac_event {
	int64_t ts_ms;
	uint64_t id;		/* Windows EventID; 0 for other logs */
	struct slice kind;	/* event_id as written (Linux: sshd-failed) */
	struct slice account, user, src_ip, device, logon_type;
	struct slice origin;	/* escaped, as written */
	int success, failure;	/* the outcome column */
	uint64_t repeated;	/* "message repeated N times": N, or 1 */
	int ambiguous;		/* extra ambiguous=1: fields left empty */
	int nx;
	struct slice xk[AC_MAX_EXTRA], xv[AC_MAX_EXTRA];
};

/*
 * The value of extra key k (raw), or an empty slice. Inline: called with
 * a literal, its length is known when compiled.
 */
static inline struct slice
ac_extra(const struct ac_event *ev, const char *k)
{
	size_t kn = strlen(k);
	int i;

	for (i = 0; i < ev->nx; i++)
		if (ev->xk[i].n == kn && memcmp(ev->xk[i].p, k, kn) == 0)
			return ev->xv[i];
	return slice_make("", 0);
}

/*
 * The bytes ac_event_read may unescape a row into, and the row read into
 * ev: its columns unescaped (into buf when they hold escapes, else
 * pointing into the row) and its extra split.
 */
size_t ac_event_room(const struct evrow *row);
void ac_event_read(const struct evrow *row, char *buf, struct ac_event *ev);

/* What authcheck_prep says of a record: aux[ACX_KIND]. */
enum ac_prep_kind {
	ACK_SKIP,		/* not an auth event */
	ACK_NO_TIME,		/* rejected */
	ACK_QUIET,		/* no rule acts on it, bar what ACQ_* says */
	ACK_FULL		/* read it and run the rules */
};

/* The words of aux, and the bits of aux[ACX_QUIET]. */
enum { ACX_KIND, ACX_QUIET, ACX_GUESS, ACX_SPRAY };
#define ACQ_ADMIN 1u	/* an administrator's kind of event: an account
			 * that no list names may have been learned since */
#define ACQ_SUCCESS 2u	/* a success: a burst of its source (and
			 * account) may be on, aux[ACX_GUESS], [ACX_SPRAY]
			 * being the hashes of those keys (ac_fail_prep) */

/*
 * What a rule family's preparation says of an event: it does nothing
 * with it, or nothing unless (for admin.c) an administrator was learned
 * or (for fail.c) a burst of its keys is on, or it has work to do.
 */
enum ac_prep {
	AC_PREP_NONE, AC_PREP_IF_LEARNED, AC_PREP_IF_BURST, AC_PREP_WORK
};

/* The [authcheck] keys. */
struct ac_tunables {
	struct config_strv jump_hosts, usual_sources, privileged_groups;
	struct config_strv domains;
	uint64_t guess_failures, guess_window;
	uint64_t spray_accounts, spray_window;
	uint64_t spread_hosts, spread_window;
	uint64_t learn_min_events;
	const char *severity[AC_NRULES];	/* as written, or NULL */
};
#define AC_NKEYS (11 + AC_NRULES)

/* Usual sources: of one administrator, or the jump hosts of all. */
struct ac_usual {
	char *name;			/* account (acct_name) or SID */
	struct cidr_set nets;
	char **hosts;			/* host names */
	size_t nhosts;
	int *segs;			/* segments of the configuration */
	size_t nsegs;
};

/* A sorted set of account names or SIDs, compared as acct_cmp does. */
struct ac_names {
	char **v;
	size_t n, cap;
};

/* One finding being gathered (the aggregation's flags index these). */
struct ac_found {
	enum ac_rule rule;
	int severity;			/* -1: computed when written */
	char *src, *user, *dst, *text;	/* raw; text: a reason, or NULL */
	uint64_t kinds[16];		/* admin: events per kind */
	uint32_t logon_types;		/* admin: bit per logon type */
	uint64_t nfail, nsucc;
	int64_t last_fail_ms;
	unsigned flags;			/* AC_F_* */
	uint64_t target[8];		/* admin: distinct hosts, hashed */
	size_t ntarget;
	size_t peak;			/* bursts: most in one window */
	enum ac_src_kind src_kind;
};

#define AC_F_FAIL_THEN_OK 1u	/* a success after failures */
#define AC_F_RC4 2u		/* RC4 Kerberos tickets */
#define AC_F_SPREAD 4u		/* many hosts in a short time */
#define AC_F_ADMIN 8u		/* bursts: the account is an admin */
#define AC_F_SUCCEEDED 16u	/* bursts: a success from the source */
#define AC_F_LOOPBACK 32u	/* admin: the log gave a loopback address */
#define AC_F_MACHINE 64u	/* rare: the actor is a computer account */
#define AC_F_SUSPECT 128u	/* rare: one level up (see the reason) */
#define AC_F_LOCAL 256u		/* admin: a logon without an address */
#define AC_F_COUNTED 512u	/* bursts: the hit key is in ac->hits;
				 * a burst entry's only, never a finding's */

struct authcheck {
	const struct config *cfg;
	struct ac_tunables t;
	int sev[AC_NRULES];		/* -1: off */
	int learn;			/* --learn */
	struct outbuf *out;
	struct time_cache tc;

	struct ac_names admins, admin_sids, groups;	/* known up front */
	struct ac_names learned;	/* members added to admin groups */
	struct ac_usual *usual;		/* per account, sorted by name */
	size_t nusual;
	struct ac_usual jump;
	char **domains;			/* canonical (regdomain_canon) */
	size_t ndomains;

	/*
	 * admin.c: the preparation's memory, the reading thread's and the
	 * check's (prep.c); 4624 and 4672 waiting for each other
	 */
	struct ac_admin_memo *admin_memo[2];
	struct ac_logon *logons, *privs;	/* rings */
	size_t nlogons, nprivs;
	struct burst spread;		/* admin -> distinct hosts */
	struct agg learned_src;		/* --learn: admin \t source */
	uint64_t learn_local;		/* --learn: from the computer itself */
	uint64_t learn_ambiguous;	/* --learn: records read two ways */
	int64_t learn_first, learn_last;

	/* fail.c */
	struct burst guess, spray;
	uint32_t *hits;			/* keys of bursts that hit, counted
					 * per slot of their hit_seed hash */
	uint64_t hit_seed;

	/* the findings */
	struct agg found;		/* key -> index into fv */
	struct ac_found **fv;
	size_t nfv, fv_cap;

	char *scratch;			/* one event's columns, raw */
	size_t scratch_cap;
	uint64_t usual_events, maintenance, unjoined, no_source;
	uint64_t admin_events, rare_events, failures;
	size_t nfindings[AC_NRULES];
	int quiet_off;			/* every auth event through the rules
					 * (fuzz_authcheck's reference) */
	int oom;
};

/* setup.c */

/* Sets the defaults of t and fills keys (AC_NKEYS rows) for [authcheck]. */
void authcheck_keys(struct ac_tunables *t, struct config_key *keys);

/*
 * After the configuration: the severities, the usual sources and jump
 * hosts, the administrators (the [lists] admins files, which are read
 * here) and the tables. Returns 0, or -1 with err set to the mistake.
 */
int authcheck_setup(struct authcheck *ac, char *err, size_t errcap);

/* Frees what ac holds (not ac->cfg). */
void authcheck_release(struct authcheck *ac);

/* Whether the account (raw) or its SID is an administrator's. */
int ac_is_admin(const struct authcheck *ac, struct slice account,
    struct slice sid);

/*
 * The part of ac_is_admin that depends on what was known up front (and
 * so may run in the reading thread): 1 an administrator, -1 never (a
 * computer, Windows itself), 0 only if learned (ac_add_admin) since.
 */
int ac_admin_known(const struct authcheck *ac, struct slice account,
    struct slice sid);

/* Makes account (and sid, when not empty) an administrator; -1: memory. */
int ac_add_admin(struct authcheck *ac, struct slice account,
    struct slice sid);

/* Whether a group (name or SID, raw) is privileged. */
int ac_is_priv_group(const struct authcheck *ac, struct slice sid,
    struct slice name, const char **label);

/*
 * Whether src is a usual source of the administrator account (or sid),
 * or a jump host. A source that is the computer itself (src->local)
 * never is.
 */
int ac_is_usual(const struct authcheck *ac, struct slice account,
    struct slice sid, const struct ac_source *src);

/* authcheck.c */

/*
 * The evstream callback: one event, with what authcheck_prep wrote for it
 * in row->aux (or, when NULL, worked out here).
 */
enum line_result authcheck_event(void *arg, struct evrow *row);

/*
 * prep.c: the preparation hook (in the reading thread: it reads only what
 * setup fixed, and writes only its own memory), the look-ahead (evrow.h)
 * that fetches what a quiet row will be asked, the same preparation in
 * the check's thread for a row the hook left (evstream.h: prep_partial),
 * and whether an event found quiet still is, given what the check has
 * learned and the bursts on.
 */
void authcheck_prep(const void *arg, const struct evrow *row, uint64_t *aux);
void authcheck_ahead(void *arg, const uint64_t *aux);
void ac_prep_here(struct authcheck *ac, const struct evrow *row,
    uint64_t *aux);
int ac_still_quiet(const struct authcheck *ac, const uint64_t *aux);

/* Ends the input: episodes still open, logons never joined. -1: memory. */
int authcheck_finish(struct authcheck *ac);

/* Writes the findings, or with --learn the usual sources. -1: memory. */
int authcheck_write(struct authcheck *ac);

/*
 * The finding under key (rule first), created with the given columns
 * (raw; NULL for none) when new, and n events counted into it (from
 * first_ms to last_ms, evidence origin escaped as in the stream). NULL
 * when out of memory.
 */
struct ac_found *ac_found_add(struct authcheck *ac, enum ac_rule rule,
    struct slice key, const char *src, const char *user, const char *dst,
    int64_t first_ms, int64_t last_ms, uint64_t n, struct slice origin);

/* A NUL-terminated copy of s (raw), or NULL; the caller frees. */
char *ac_strdup(struct slice s);

/* The source of an event: an address, a workstation or the computer. */
void ac_event_source(const struct ac_event *ev, struct ac_source *src);

/*
 * The letter that starts a source in the keys of findings and bursts:
 * 'i' an address, 'w' a name the client gave, 'd' the computer itself.
 * A client may call itself "10.1.30.10" or after a real computer: what
 * it says is never merged with an address, or with a computer's name.
 */
char ac_source_tag(enum ac_src_kind kind);

/*
 * FNV-1a of s, ASCII case folded: names (accounts, computers) that differ
 * only in case are one. ac_host_hash hashes a host name's first label.
 */
uint64_t ac_fold_hash(struct slice s);
uint64_t ac_host_hash(struct slice name);

/*
 * admin.c: the rings and tables (-1: out of memory), one event (0, or -1
 * when out of memory), the end of input, and a finding's reason and
 * severity.
 */
int ac_admin_init(struct authcheck *ac);
void ac_admin_release(struct authcheck *ac);
int ac_admin_event(struct authcheck *ac, const struct ac_event *ev);
enum ac_prep ac_admin_prep(const struct authcheck *ac,
    struct ac_admin_memo *memo, const struct ac_event *ev);

/*
 * ac_admin_known, from memo (one thread's: authcheck.h) when it has the
 * answer, kept there when not; memo NULL asks each time.
 */
int ac_admin_known_memo(const struct authcheck *ac,
    struct ac_admin_memo *memo, struct slice account, struct slice sid);
int ac_admin_finish(struct authcheck *ac);
void ac_admin_describe(const struct authcheck *ac, const struct ac_found *f,
    uint64_t count, int *severity, char *buf, size_t cap);

/* learn.c: writes the usual sources --learn gathered; -1: no memory. */
int ac_learn_write(struct authcheck *ac);

/*
 * rare.c: one event (learning administrators from group changes even with
 * --learn); 0, or -1 when out of memory.
 */
int ac_rare_event(struct authcheck *ac, const struct ac_event *ev);
enum ac_prep ac_rare_prep(const struct ac_event *ev);

/*
 * fail.c: the two burst tables, one event, the end of input (0, or -1
 * when out of memory), and a finding's reason and severity. ac_fail_prep
 * gives a success's key hashes for ac_fail_quiet, which says whether no
 * burst of either key has hit (may say no when one has not), and which
 * ac_fail_prefetch fetches beforehand.
 */
int ac_fail_init(struct authcheck *ac);
void ac_fail_release(struct authcheck *ac);
int ac_fail_event(struct authcheck *ac, const struct ac_event *ev);
enum ac_prep ac_fail_prep(const struct authcheck *ac,
    const struct ac_event *ev, uint64_t *guess, uint64_t *spray);
int ac_fail_quiet(const struct authcheck *ac, uint64_t guess, uint64_t spray);
void ac_fail_prefetch(const struct authcheck *ac, uint64_t guess,
    uint64_t spray);
int ac_fail_finish(struct authcheck *ac);
void ac_fail_describe(const struct authcheck *ac, const struct ac_found *f,
    uint64_t count, int *severity, char *buf, size_t cap);

/*
 * ambiguous.c: one event; a finding of its own when csm-parse could not
 * read it one way (never with --learn). 0, or -1 when out of memory.
 */
int ac_ambiguous_event(struct authcheck *ac, const struct ac_event *ev);
enum ac_prep ac_ambiguous_prep(const struct authcheck *ac,
    const struct ac_event *ev);

#endif
