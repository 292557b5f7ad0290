/*
 * rconf.c: the [report] section of csm.conf(5), the site's defaults for
 * csm-report: the language, the severity threshold, the limit per
 * section, the grouping, the allowlist and the history. The keys are
 * declared to the configuration (an unknown key is an error); the values
 * a table cannot check are checked here, and each applies only where the
 * command line did not give the option, which always wins.
 */
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "report.h"

void
rconf_keys(struct rconf *rc, struct config_key *k)
{
	memset(rc, 0, sizeof *rc);
	k[0] = (struct config_key){ "lang", CONFIG_STRING, &rc->lang, 0, 0 };
	k[1] = (struct config_key){ "min-severity", CONFIG_STRING,
	    &rc->min_sev, 0, 0 };
	k[2] = (struct config_key){ "top", CONFIG_UINT, &rc->top, 1,
	    1000000 };
	k[3] = (struct config_key){ "group-by", CONFIG_STRING, &rc->group_by,
	    0, 0 };
	k[4] = (struct config_key){ "allow", CONFIG_PATH, &rc->allow, 0, 0 };
	k[5] = (struct config_key){ "history", CONFIG_PATH, &rc->history,
	    0, 0 };
	k[6] = (struct config_key){ "history-days", CONFIG_UINT,
	    &rc->history_days, 1, HIST_MAX_DAYS };
}

/* Says that the value of key (stored at dst) is bad, and where it is. */
static int
bad(const struct config *cfg, const void *dst, char *err, size_t errcap,
    const char *key, const char *value, const char *hint)
{
	char q[80], at[CONFIG_WHERE_MAX];

	snprintf(err, errcap, "%sbad value '%s' for '%s' in [report] (%s)",
	    config_key_where(cfg, dst, at, sizeof at),
	    diag_quote(q, sizeof q, slice_cstr(value)), key, hint);
	return -1;
}

int
rconf_apply(const struct rconf *rc, const struct config *cfg, unsigned given,
    struct report *r, const char **allow, char *err, size_t errcap)
{
	if (rc->lang && !(given & GIVEN_LANG)) {
		if (strcmp(rc->lang, "ja") && strcmp(rc->lang, "en"))
			return bad(cfg, &rc->lang, err, errcap, "lang", rc->lang, "ja or en");
		r->lang = rc->lang[0] == 'j' ? LANG_JA : LANG_EN;
	}
	if (rc->min_sev && !(given & GIVEN_MIN_SEV) &&
	    (r->min_sev = finding_severity_level(slice_cstr(rc->min_sev))) < 0)
		return bad(cfg, &rc->min_sev, err, errcap, "min-severity",
		    rc->min_sev,
		    "info, low, medium, high or critical");
	if (rc->top && !(given & GIVEN_TOP))
		r->top = (size_t)rc->top;
	if (rc->group_by && !(given & GIVEN_GROUP_BY)) {
		if (strcmp(rc->group_by, "host") && strcmp(rc->group_by,
		    "check"))
			return bad(cfg, &rc->group_by, err, errcap,
			    "group-by", rc->group_by, "check or host");
		r->by_host = rc->group_by[0] == 'h';
	}
	if (rc->allow && !(given & GIVEN_ALLOW))
		*allow = rc->allow;
	if (rc->history && !(given & GIVEN_HISTORY)) {
		r->hist.dir = rc->history;
		r->use_history = 1;
	}
	if (rc->history_days && !(given & GIVEN_HISTORY_DAYS))
		r->hist.ndays = (int)rc->history_days;
	return 0;
}
