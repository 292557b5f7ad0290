/*
 * csm-offhours: HTTP and other traffic outside business hours (guideline
 * 19.1.2, web proxy item 5). Reads csm events, writes findings, one per
 * (source, destination, local day), or with --events the off-hours events
 * themselves. Options and wiring live here; the per-event work is
 * offhours.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "checkopt.h"
#include "offhours.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-offhours [-c file] [--set section.key=value] [--tz zone]\n"
"                    [--days days] [--hours ranges] [--events] [--stats]\n"
"                    [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads csm events (proxy and firewall; plain or gzip; '-' or none for\n"
"stdin) and reports traffic outside the organisation's business hours,\n"
"holidays included, as findings (see csm-events(5)).\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --tz zone         the site's time zone (as --set site.timezone=)\n"
"      --days days       business days, e.g. mon-fri (as --set hours.days=)\n"
"      --hours ranges    business hours, e.g. 09:00-18:00 (as\n"
"                        --set hours.hours=)\n"
"      --events          write the off-hours events, not findings\n"
CHECKOPT_HELP_TAIL;

enum { OPT_TZ = 256, OPT_DAYS, OPT_HOURS, OPT_EVENTS };

static const struct option longopts[] = {
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "hours", required_argument, NULL, OPT_HOURS },
	{ "events", no_argument, NULL, OPT_EVENTS },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	static struct outbuf out;
	struct checkopt co;
	struct offhours oh;
	struct evstream es;
	struct config *cfg;
	char err[CONFIG_ERR_MAX];
	int status, events = 0;
	const struct checkopt_own own[] = {
		{ OPT_TZ, "site.timezone=", 0, NULL },
		{ OPT_DAYS, "hours.days=", 0, NULL },
		{ OPT_HOURS, "hours.hours=", 0, NULL },
		{ OPT_EVENTS, NULL, 0, &events },
		{ 0, NULL, 0, NULL }
	};
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-offhours " CSM_VERSION, NULL,
		longopts, own, NULL, NULL
	};

	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE)
		return status;
	/* A configuration mistake is a usage error: nothing is read. */
	/* No keys of its own: one written in [offhours] is a mistake. */
	if ((cfg = checkopt_config(&co, "offhours", NULL, 0)) == NULL)
		return checkopt_exit(&co, EXIT_USAGE);
	memset(&oh, 0, sizeof oh);
	oh.cfg = cfg;
	oh.events_mode = events;
	oh.out = &out;
	if (bizcal_init(&oh.cal, cfg, err, sizeof err) != 0) {
		diag_msg("%s", err);
		config_free(cfg);
		return checkopt_exit(&co, EXIT_USAGE);
	}
	agg_init(&oh.agg);
	if (offhours_memo_new(&oh) != 0) {
		diag_msg("out of memory");
		bizcal_release(&oh.cal);
		config_free(cfg);
		return checkopt_exit(&co, EXIT_INCOMPLETE);
	}
	outbuf_init(&out, STDOUT_FILENO);

	co.prep = offhours_prep;
	co.ahead = offhours_ahead;
	status = checkopt_read(&co, &es, offhours_columns, OH_NCOLS,
	    OH_NREQUIRED, offhours_event, &oh, argv + optind, argc - optind);
	if (!events && offhours_write_findings(&oh) != 0)
		oh.oom = 1;
	if (oh.oom) {
		diag_msg("out of memory: findings incomplete");
		status = EXIT_INCOMPLETE;
	}
	if (co.stats)
		diag_msg("%llu events off hours in %zu findings; left out: "
		    "%llu in maintenance windows, %llu from proxies, %llu "
		    "from outside", (unsigned long long)es.total.used,
		    oh.agg.n, (unsigned long long)oh.maintenance,
		    (unsigned long long)oh.proxies,
		    (unsigned long long)oh.outside);
	status = checkopt_finish(&out, status);
	offhours_memo_free(&oh);
	agg_release(&oh.agg);
	bizcal_release(&oh.cal);
	config_free(cfg);
	checkopt_release(&co);
	return status;
}
