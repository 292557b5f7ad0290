/*
 * mailcheck.h: what csm-mailcheck's main.c hands to the per-message
 * logic, and what the rule files share: mailcheck.c (set-up, columns,
 * the finding writer), spoof.c (sender spoofing), ambiguous.c (records
 * that read two ways) and attach.c (dangerous attachments).
 */
#ifndef CSM_MAILCHECK_H
#define CSM_MAILCHECK_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "evstream.h"
#include "listfile.h"
#include "lookalike.h"
#include "outbuf.h"
#include "regdomain.h"
#include "timeconv.h"

/* The event columns the check reads, in evstream want order. */
enum mc_col {
	MC_LOG, MC_MAIL_FROM, MC_HDR_FROM, MC_HDR_FROM_NAME, MC_SRC_IP,
	MC_ACTION, MC_RCPT, MC_ATTACH, MC_EXTRA, MC_ORIGIN, MC_NCOLS
};
extern const char *const mailcheck_columns[MC_NCOLS];
#define MC_NREQUIRED (MC_HDR_FROM + 1)	/* log, mail_from, hdr_from */

/*
 * The rules, in the order of their findings: those of clause mail-1
 * (spoofing, then a record forged to read two ways, which blanks the
 * sender), then from MC_FIRST_ATTACH those of mail-2 (attachments).
 */
enum mc_rule {
	MC_ENVELOPE, MC_NAME_ADDR, MC_NAME_AT, MC_PROTECTED, MC_LOOKALIKE,
	MC_HIDDEN, MC_AMBIGUOUS, MC_EXEC, MC_DOUBLE, MC_RTLO,
	MC_ARCHIVE_EXEC, MC_ENCRYPTED, MC_UNREADABLE, MC_MACRO, MC_CUT,
	MC_NRULES
};
#define MC_FIRST_ATTACH MC_EXEC
extern const char *const mailcheck_rule_names[MC_NRULES];

/* Severity levels, as finding_severities. */
enum { MC_INFO, MC_LOW, MC_MEDIUM, MC_HIGH, MC_CRITICAL };

/* The [mailcheck] keys. */
struct mc_tunables {
	struct config_strv rules;	/* rules */
	struct config_strv internal;	/* internal-domains */
	struct config_strv exec;	/* executable-extensions */
	struct config_strv macro;	/* macro-extensions */
	struct config_strv decoy;	/* decoy-extensions */
	struct config_strv envelope;	/* allowed-envelope-domains */
	uint64_t distance;		/* lookalike-distance */
	struct config_strv severity;	/* severity: rule=level ... */
};
#define MC_NKEYS 8

/* One of the organisation's domains: internal or from the list. */
struct mc_domain {
	char *canon;			/* canonical form */
	struct slice reg;		/* its registrable domain, in canon */
	uint32_t *skel;			/* skeleton of reg */
	size_t nskel;
	size_t label;			/* code points of reg's first label */
	int internal;			/* from internal-domains */
};

/* A protected name from [lists] protected-names. */
struct mc_name {
	const char *text;		/* as listed */
	uint32_t *skel;			/* letters and digits, skeleton */
	size_t nskel;
};

/* One message, its columns unescaped into the check's scratch. */
struct mc_msg {
	int64_t ts_ms;
	struct slice mail_from, hdr_from, name, src, rcpt, origin;
	struct slice reply_to, sender, spf, dkim, dmarc;
	struct slice from_more;		/* escaped list: From's other authors */
	struct slice reply_more;	/* escaped list: other Reply-To's */
	struct slice attach, types, members, encrypted, unreadable;
					/* escaped lists */
	int denied;			/* action deny: refused by the server */
	int attach_cut;			/* csm-parse left names out */
	int ambiguous;			/* ambiguous=1: fields left empty */
	/* Canonical domains of the two senders; "" when none. */
	char hdom[REGDOMAIN_MAX], mdom[REGDOMAIN_MAX];
	struct slice hreg, mreg;	/* their registrable domains */
};

struct mailcheck {
	const struct config *cfg;
	struct mc_tunables t;
	unsigned rules;			/* 1 << enum mc_rule */
	int level[MC_NRULES];		/* base severity of each rule */
	struct regdomain *rd;
	struct mc_domain *dom;		/* internal first, then listed */
	size_t ndom;
	char **envelope;		/* allowed-envelope-domains, canonical */
	size_t nenvelope;
	struct listfile list;		/* protected-names */
	struct mc_name *names;
	size_t nnames;
	char **exts[3];			/* exec, macro, decoy: folded, sorted */
	size_t next[3];
	struct outbuf *out;
	struct time_cache tc;
	char *scratch;			/* per message: unescaped fields */
	size_t scratch_cap, scratch_used;
	uint64_t messages, skipped;
	size_t nfindings[MC_NRULES];
	int oom;
};

/* Extension lists of struct mailcheck exts. */
enum { MC_EXT_EXEC, MC_EXT_MACRO, MC_EXT_DECOY };

/*
 * Sets the defaults of t and fills keys (MC_NKEYS rows) with the
 * [mailcheck] table that stores into t.
 */
void mailcheck_keys(struct mc_tunables *t, struct config_key *keys);

/*
 * Applies the tunables after the configuration was read: rules,
 * severities, extension lists, the organisation's domains, the Public
 * Suffix List and the protected names (reading [lists] protected-names).
 * Returns 0, or -1 with err set to the mistake.
 */
int mailcheck_setup(struct mailcheck *mc, char *err, size_t errcap);

/* Frees what mc holds (not mc->cfg). */
void mailcheck_release(struct mailcheck *mc);

/* The evstream callback: one event. */
enum line_result mailcheck_event(void *arg, struct evrow *row);

/* Shared by the rules (mailcheck.c). */

/* Escaped field s unescaped into the message scratch (empty: no room). */
struct slice mc_raw(struct mailcheck *mc, struct slice s);

/*
 * Splits the next item off an escaped ','-separated list *rest and
 * returns it unescaped (a ',' inside an item is written \x2c). Returns 0
 * at the end of the list.
 */
int mc_list_next(struct mailcheck *mc, struct slice *rest, struct slice *item);

/*
 * The canonical domain of address a into buf (REGDOMAIN_MAX bytes, ""
 * when none), returned, and its registrable domain into *reg.
 */
struct slice mc_sender_domain(struct mailcheck *mc, struct slice a,
    char *buf, struct slice *reg);

/*
 * Whether canonical domain d is under one of the organisation's domains:
 * MC_OWN_INTERNAL (internal-domains), MC_OWN_LISTED (a domain of the
 * protected-names list), or 0.
 */
enum { MC_OWN_INTERNAL = 1, MC_OWN_LISTED };
int mc_own(const struct mailcheck *mc, struct slice d);

/* Words for what mc_own said: "a domain of the organisation", ... */
const char *mc_own_words(int own);

/*
 * Whether canonical domain d is under one of allowed-envelope-domains
 * (bulk senders that send for others).
 */
int mc_envelope_allowed(const struct mailcheck *mc, struct slice d);

/* Whether folded extension ext is in list which (MC_EXT_*). */
int mc_ext_in(const struct mailcheck *mc, int which, const char *ext);

/*
 * Writes one finding of rule about msg: base severity from the
 * configuration plus raise (the spoofing rules add one for failed
 * authentication), one less when the server refused the message, within
 * low..critical; reason is the evidence sentence.
 */
void mc_emit(struct mailcheck *mc, const struct mc_msg *msg,
    enum mc_rule rule, int raise, const char *reason);

/* Appends printf-style text to buf (cap) at *n, cut with "..." at cap. */
void mc_append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The rules on one message. */
void mc_spoof(struct mailcheck *mc, struct mc_msg *msg);	/* spoof.c */
void mc_ambiguous(struct mailcheck *mc, const struct mc_msg *msg);
							/* ambiguous.c */
void mc_attach(struct mailcheck *mc, struct mc_msg *msg);	/* attach.c */

#endif
