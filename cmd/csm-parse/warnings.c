/*
 * warnings.c: csm-parse's warnings about records that gave their event
 * but were broken (fmt_warn), for one input: shown like rejections, with
 * the input's name and the record's line, as many as --max-errors allows,
 * and the rest counted in one closing line. Both the one-thread and the
 * multi-thread path (which replays its workers' warnings in input order)
 * report through here.
 */
#include <stdio.h>
#include "diag.h"
#include "esc.h"
#include "parse.h"

void
warn_show(struct warn_tally *wt, uint64_t line, const char *msg)
{
	char q[DIAG_NAME_MAX];

	if (wt->warned++ >= wt->max)
		return;
	diag_msg("%s:%llu: warning: %s", diag_escape(q, sizeof q,
	    slice_cstr(wt->name)), (unsigned long long)line, msg);
}

void
warn_summary(const struct warn_tally *wt)
{
	char q[DIAG_NAME_MAX];

	if (wt->warned > wt->max)
		diag_msg("%s: %llu more warnings not shown", diag_escape(q,
		    sizeof q, slice_cstr(wt->name)), (unsigned long long)
		    (wt->warned - wt->max));
}
