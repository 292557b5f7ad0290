/*
 * csm-beacon: periodic communication with a command-and-control server
 * (guideline 19.1.2, web proxy item 4). Reads csm events, keeps each
 * (source, destination) pair's connection times, and at the end writes
 * the pairs whose timing is beacon-like as findings, or with --daily the
 * JPCERT/CC daily view. Options and wiring live here; the per-event work
 * is collect.c, the analysis score.c and daily.c, the arithmetic
 * lib/beacon.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkopt.h"
#include "detect.h"
#include "diag.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-beacon [-c file] [--set section.key=value] [--tz zone]\n"
"                  [--pair mode] [--allow list] [--min-events n]\n"
"                  [--min-score n] [--daily] [--all] [--stats]\n"
"                  [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads csm events (proxy and firewall; plain or gzip; '-' or none for\n"
"stdin) and reports internal hosts that contact a destination at regular\n"
"intervals, as a beacon to a command-and-control server does, as\n"
"findings (see csm-events(5)).\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --tz zone         the site's time zone, for days (as\n"
"                        --set site.timezone=)\n"
"      --pair mode       how destinations are named: auto, host,\n"
"                        host-port, ip, ip-port (as --set beacon.pair=)\n"
"      --allow list      domains (with subdomains) and CIDR blocks never\n"
"                        reported (as --set beacon.allow=)\n"
"      --min-events n    connections a pair needs (default 8)\n"
"      --min-score n     score in percent a finding needs (default 50)\n"
"      --daily           the daily view: pairs to rare destinations seen on\n"
"                        (nearly) every day, with the count per day\n"
"      --all             also write scored pairs below the threshold,\n"
"                        suppressed as popular or allowed\n"
CHECKOPT_HELP_TAIL;

enum {
	OPT_TZ = 256, OPT_PAIR, OPT_ALLOW, OPT_MIN_EVENTS, OPT_MIN_SCORE,
	OPT_DAILY, OPT_ALL
};

static const struct option longopts[] = {
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "pair", required_argument, NULL, OPT_PAIR },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "min-events", required_argument, NULL, OPT_MIN_EVENTS },
	{ "min-score", required_argument, NULL, OPT_MIN_SCORE },
	{ "daily", no_argument, NULL, OPT_DAILY },
	{ "all", no_argument, NULL, OPT_ALL },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	static struct outbuf out;
	static struct beacon b;
	struct config_key keys[BC_NKEYS];
	struct checkopt co;
	struct evstream es;
	struct config *cfg;
	char err[CONFIG_ERR_MAX];
	int status;
	const struct checkopt_own own[] = {
		{ OPT_TZ, "site.timezone=", 0, NULL },
		{ OPT_PAIR, "beacon.pair=", 0, NULL },
		{ OPT_ALLOW, "beacon.allow=", 0, NULL },
		{ OPT_MIN_EVENTS, "beacon.min-events=", 0, NULL },
		{ OPT_MIN_SCORE, "beacon.min-score=", 0, NULL },
		{ OPT_DAILY, NULL, 0, &b.daily },
		{ OPT_ALL, NULL, 0, &b.all },
		{ 0, NULL, 0, NULL }
	};
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-beacon " CSM_VERSION, NULL,
		longopts, own, NULL, NULL
	};

	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE)
		return status;
	if (b.daily && b.all)
		return checkopt_exit(&co, checkopt_usage(&co,
		    "--all has no meaning with", "--daily"));
	beacon_keys(&b.t, keys);
	/* A configuration mistake is a usage error: nothing is read. */
	if ((cfg = checkopt_config(&co, "beacon", keys, BC_NKEYS)) == NULL)
		return checkopt_exit(&co, EXIT_USAGE);
	b.cfg = cfg;
	b.out = &out;
	if (beacon_setup(&b, err, sizeof err) != 0) {
		diag_msg("%s", err);
		beacon_release(&b);
		config_free(cfg);
		return checkopt_exit(&co, EXIT_USAGE);
	}
	outbuf_init(&out, STDOUT_FILENO);

	co.prep = beacon_prep;
	co.ahead = beacon_ahead;
	status = checkopt_read(&co, &es, beacon_columns, BC_NCOLS,
	    BC_NREQUIRED, beacon_event, &b, argv + optind, argc - optind);
	if ((b.daily ? beacon_write_daily(&b) : beacon_write_findings(&b)) !=
	    0 || b.oom) {
		diag_msg("out of memory: findings incomplete");
		status = EXIT_INCOMPLETE;
	}
	if (b.daily_short)
		diag_msg("the daily view needs %llu days with data, the input "
		    "has %zu", (unsigned long long)b.t.daily_days, b.ndays);
	if (co.stats)
		diag_msg("%llu events in %zu pairs from %zu hosts to %zu "
		    "destinations; %llu pairs scored (%llu more could not reach "
		    "min-score, not fitted), %llu findings, %llu "
		    "popular, %llu allowed, %llu strobes, %llu sampled; left "
		    "out: %llu from proxies, %llu from outside, %llu to a "
		    "proxy, %llu without destination",
		    (unsigned long long)es.total.used, b.npair, b.population,
		    b.ndst, (unsigned long long)b.scored,
		    (unsigned long long)b.bounded,
		    (unsigned long long)b.findings,
		    (unsigned long long)b.popular,
		    (unsigned long long)b.allowed,
		    (unsigned long long)b.strobes,
		    (unsigned long long)b.sampled,
		    (unsigned long long)b.proxies,
		    (unsigned long long)b.outside,
		    (unsigned long long)b.to_proxy,
		    (unsigned long long)b.nodst);
	status = checkopt_finish(&out, status);
	beacon_release(&b);
	config_free(cfg);
	checkopt_release(&co);
	return status;
}
