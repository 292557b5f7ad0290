/*
 * csm-authcheck: administrators' activity from unusual places and events
 * that never happen in normal operation, in Windows and Linux
 * authentication events (guideline 19.1.2, authentication server items 1
 * and 2). Reads csm events, writes findings, or with --learn the usual
 * sources of the administrators in csm.conf form. Options and wiring live
 * here; the rules are admin.c, rare.c, fail.c and ambiguous.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "authcheck.h"
#include "checkopt.h"
#include "diag.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-authcheck [-c file] [--set section.key=value] [--admins file]\n"
"                     [--jump-hosts hosts] [--learn] [--stats]\n"
"                     [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads csm auth events (Windows event logs, Linux auth logs; plain or\n"
"gzip; '-' or none for stdin) and reports administrators' logons from\n"
"sources that are not their usual ones, events that never happen in\n"
"normal operation (logs cleared, services installed, members added to\n"
"admin groups, ...), bursts of failed logons and records that read two\n"
"ways because of a user's text, as findings (see csm-events(5)).\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --admins file     the administrator accounts, one a line (as\n"
"                        --set lists.admins=)\n"
"      --jump-hosts hosts\n"
"                        sources usual for every administrator (as\n"
"                        --set authcheck.jump-hosts=)\n"
"      --learn           print the administrators' sources in the input\n"
"                        as an [authcheck] usual-sources value\n"
CHECKOPT_HELP_TAIL;

enum { OPT_ADMINS = 256, OPT_JUMP_HOSTS, OPT_LEARN };

static const struct option longopts[] = {
	{ "admins", required_argument, NULL, OPT_ADMINS },
	{ "jump-hosts", required_argument, NULL, OPT_JUMP_HOSTS },
	{ "learn", no_argument, NULL, OPT_LEARN },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	static struct outbuf out;
	static struct authcheck ac;
	struct config_key keys[AC_NKEYS];
	char err[CONFIG_ERR_MAX];
	struct checkopt co;
	struct evstream es;
	struct config *cfg;
	int status;
	uint64_t dropped;
	const struct checkopt_own own[] = {
		{ OPT_ADMINS, "lists.admins=", 1, NULL },
		{ OPT_JUMP_HOSTS, "authcheck.jump-hosts=", 0, NULL },
		{ OPT_LEARN, NULL, 0, &ac.learn },
		{ 0, NULL, 0, NULL }
	};
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-authcheck " CSM_VERSION, NULL,
		longopts, own, NULL, NULL
	};

	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE)
		return status;
	authcheck_keys(&ac.t, keys);
	/* A configuration mistake is a usage error: nothing is read. */
	if ((cfg = checkopt_config(&co, "authcheck", keys, AC_NKEYS)) == NULL)
		return checkopt_exit(&co, EXIT_USAGE);
	ac.cfg = cfg;
	if (authcheck_setup(&ac, err, sizeof err) != 0) {
		diag_msg("%s", err);
		status = EXIT_USAGE;
		goto done;
	}
	ac.out = &out;
	time_cache_init(&ac.tc);
	outbuf_init(&out, STDOUT_FILENO);

	/* The reading thread takes as much of the work as keeps them even. */
	co.prep = authcheck_prep;
	co.prep_partial = 1;
	co.ahead = authcheck_ahead;
	status = checkopt_read(&co, &es, authcheck_columns, AC_NCOLS,
	    AC_NREQUIRED, authcheck_event, &ac, argv + optind, argc - optind);
	if (authcheck_finish(&ac) != 0 || authcheck_write(&ac) != 0 ||
	    ac.oom) {
		diag_msg("out of memory: %s incomplete", ac.learn ?
		    "usual sources" : "findings");
		status = EXIT_INCOMPLETE;
	}
	if (co.stats)
		diag_msg("%llu auth events checked, %llu of administrators, "
		    "%llu never normal, %llu failures; %zu findings; left "
		    "out: %llu from usual sources, %llu in maintenance "
		    "windows, %llu special-privilege logons without their "
		    "logon, %llu without a source",
		    (unsigned long long)es.total.used,
		    (unsigned long long)ac.admin_events,
		    (unsigned long long)ac.rare_events,
		    (unsigned long long)ac.failures, ac.found.n,
		    (unsigned long long)ac.usual_events,
		    (unsigned long long)ac.maintenance,
		    (unsigned long long)ac.unjoined,
		    (unsigned long long)ac.no_source);
	/* Bursts lost to the cap on keys are said, never silent. */
	if (co.stats && (dropped = burst_evicted(&ac.guess) +
	    burst_evicted(&ac.spray) + burst_evicted(&ac.spread)) > 0)
		diag_msg("%llu failure keys (a source, or a source and "
		    "account) dropped for room before they made a burst "
		    "(more than %d at once)",
		    (unsigned long long)dropped, BURST_IDLE_MAX);
	status = checkopt_finish(&out, status);
done:
	authcheck_release(&ac);
	config_free(cfg);
	checkopt_release(&co);
	return status;
}
