/*
 * prep.c: what csm-authcheck's reading thread works out of each event
 * before the check sees it. Most auth events are ordinary logons that no
 * rule acts on: not an administrator's, not a failure, not one the
 * never-normal table or the ambiguous-record rule knows. The preparation
 * reads the event as the check would (ac_event_read) and asks each rule
 * family what it would do with it, using only what setup fixed; the
 * check then passes such an event over at the cost of two questions on
 * what it has learned since: an administrator named by a group change,
 * a burst of failures that a success would mark (whose counts the
 * look-ahead fetches some rows before). The hook is partial: the check
 * prepares the rows the reading thread leaves, each thread with its own
 * memory of accounts (ac->admin_memo), so neither writes what the other
 * reads.
 */
#include "authcheck.h"

/* An event whose columns need more room is left to the check. */
#define PREP_ROOM 4096

static void
prep_row(const struct authcheck *ac, struct ac_admin_memo *memo,
    const struct evrow *row, uint64_t *aux)
{
	char buf[PREP_ROOM];
	struct ac_event ev;
	enum ac_prep admin, fail = AC_PREP_NONE;

	if (!slice_eq(evrow_get(row, AC_LOG), "auth")) {
		aux[ACX_KIND] = ACK_SKIP;
		return;
	}
	if (row->ts_ms == INT64_MIN) {
		aux[ACX_KIND] = ACK_NO_TIME;
		return;
	}
	aux[ACX_KIND] = ACK_FULL;
	if (ac_event_room(row) > sizeof buf)
		return;
	ac_event_read(row, buf, &ev);
	/* In the order authcheck_event runs the families. */
	if (ac_rare_prep(&ev) == AC_PREP_WORK ||
	    (admin = ac_admin_prep(ac, memo, &ev)) == AC_PREP_WORK ||
	    (!ac->learn && (fail = ac_fail_prep(ac, &ev, &aux[ACX_GUESS],
	    &aux[ACX_SPRAY])) == AC_PREP_WORK) ||
	    ac_ambiguous_prep(ac, &ev) == AC_PREP_WORK)
		return;
	aux[ACX_KIND] = ACK_QUIET;
	aux[ACX_QUIET] = (admin == AC_PREP_IF_LEARNED ? ACQ_ADMIN : 0) |
	    (fail == AC_PREP_IF_BURST ? ACQ_SUCCESS : 0);
}

void
authcheck_prep(const void *arg, const struct evrow *row, uint64_t *aux)
{
	const struct authcheck *ac = arg;

	prep_row(ac, ac->admin_memo[0], row, aux);
}

void
ac_prep_here(struct authcheck *ac, const struct evrow *row, uint64_t *aux)
{
	prep_row(ac, ac->admin_memo[1], row, aux);
}

void
authcheck_ahead(void *arg, const uint64_t *aux)
{
	if (aux[ACX_KIND] == ACK_QUIET && (aux[ACX_QUIET] & ACQ_SUCCESS))
		ac_fail_prefetch(arg, aux[ACX_GUESS], aux[ACX_SPRAY]);
}

int
ac_still_quiet(const struct authcheck *ac, const uint64_t *aux)
{
	if ((aux[ACX_QUIET] & ACQ_ADMIN) && ac->learned.n > 0)
		return 0;
	return !(aux[ACX_QUIET] & ACQ_SUCCESS) ||
	    ac_fail_quiet(ac, aux[ACX_GUESS], aux[ACX_SPRAY]);
}
