/*
 * ambiguous.c: records that read two ways (guideline 19.1.2,
 * authentication server item 2). csm-parse says ambiguous=1 when text a
 * user chose (a workstation or user name, a directory, a command) spells
 * the log's own structure, and leaves empty the fields the two readings
 * disagree on rather than take the forged one. Those are the fields the
 * other rules read (a source address, the target account), so without
 * this rule the planted text would only make evidence disappear; no
 * program writes such a record in normal operation. Such records make
 * one finding per computer, event, source and actor, with a count, what
 * the first one still says and its origin, the raw record to read. The
 * event also goes through the other rules with the fields it has;
 * --learn leaves it out (admin.c). No maintenance window excuses it: the
 * text is a user's, not an operator's change.
 */
#include <stdio.h>
#include "acct.h"
#include "authcheck.h"

/* Bytes of one field in the reason, so that its explanation is kept. */
#define FIELD_MAX 128

static int
cut(struct slice s)
{
	return (int)(s.n < FIELD_MAX ? s.n : FIELD_MAX);
}

enum ac_prep
ac_ambiguous_prep(const struct authcheck *ac, const struct ac_event *ev)
{
	return ev->ambiguous && !ac->learn && ac->sev[AC_AMBIGUOUS] >= 0 ?
	    AC_PREP_WORK : AC_PREP_NONE;
}

int
ac_ambiguous_event(struct authcheck *ac, const struct ac_event *ev)
{
	struct slice user = ev->user, acc = ev->account;
	struct slice actor = user.n ? user : acc;
	char why[900], key[700], actor_s[300], dev[300], src[64];
	struct ac_found *f;
	size_t n;
	int sev;

	if (!ev->ambiguous || ac->learn || (sev = ac->sev[AC_AMBIGUOUS]) < 0)
		return 0;
	/* The target is said apart from the actor only when it differs. */
	if (slice_eq(acc, "-") || (user.n > 0 && acct_eq(acc, user)))
		acc = slice_make("", 0);
	snprintf(actor_s, sizeof actor_s, "%.*s", (int)actor.n, actor.p);
	snprintf(dev, sizeof dev, "%.*s", (int)ev->device.n, ev->device.p);
	snprintf(src, sizeof src, "%.*s", (int)ev->src_ip.n, ev->src_ip.p);
	/*
	 * One finding per computer, event, source and actor, with a count:
	 * the target account (and, without an actor, the one who logged
	 * on) is not in the key, since a failed logon's sender picks it
	 * freely, and a flood of planted records must not grow memory per
	 * record. The finding names the first record's.
	 */
	n = (size_t)snprintf(key, sizeof key, "%s\t%.*s\t%s\t%.*s", dev,
	    cut(ev->kind), ev->kind.p, src, cut(user), user.p);
	/* The fields are arguments, never the format: they are a user's. */
	snprintf(why, sizeof why, "fields left empty: %s%.*s%s%.*s%s%s%.*s "
	    "could be read two ways: text a user chose spells the log's own "
	    "fields, and csm-parse left the fields the readings disagree on "
	    "empty; read the raw record (origin)%s%.*s%s",
	    ev->kind.n ? "event " : "an event", cut(ev->kind), ev->kind.p,
	    user.n ? " by '" : "", cut(user), user.p, user.n ? "'" : "",
	    ev->device.n ? " on " : "", cut(ev->device), ev->device.p,
	    acc.n ? "; the first for '" : "", cut(acc), acc.p,
	    acc.n ? "'" : "");
	if ((f = ac_found_add(ac, AC_AMBIGUOUS, slice_make(key,
	    n < sizeof key ? n : sizeof key - 1),
	    src[0] && !slice_eq(ev->src_ip, "-") ? src : NULL,
	    actor_s[0] ? actor_s : NULL, dev[0] ? dev : NULL, ev->ts_ms,
	    ev->ts_ms, ev->repeated, ev->origin)) == NULL)
		return -1;
	if (f->text == NULL && (f->text = ac_strdup(slice_cstr(why))) == NULL)
		return -1;
	f->severity = sev;
	return 0;
}
