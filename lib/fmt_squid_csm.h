/*
 * fmt_squid_csm.h: the event of a line of the recommended Squid format,
 * read at a glance (fmt_squid_csm.c).
 */
#ifndef CSM_FMT_SQUID_CSM_H
#define CSM_FMT_SQUID_CSM_H

#include "event.h"

/*
 * Sets ev's columns and extras from v, the SQUIDFMT_CSM_FIELDS values
 * squidfmt_match_csm read, as fmt_squid_logformat.c's general mapping
 * would. Returns 0, or -1 (ev untouched) for a value that mapping would
 * refuse, which it then says why.
 */
int squidcsm_fill(struct event *ev, const struct slice *v);

/*
 * Whether lines of the recommended format are read at a glance: yes,
 * unless the environment has CSM_SQUID_GLANCE=0 (to compare with the
 * general reading, which must give the same output).
 */
int squidcsm_glance_wanted(void);

#endif
