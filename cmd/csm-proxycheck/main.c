/*
 * csm-proxycheck: CONNECT to unusual ports, non-standard User-Agents and
 * large uploads in web proxy events (guideline 19.1.2, web proxy items 2,
 * 3 and 6). Reads csm events, writes findings, or with --learn the
 * inventory of User-Agents. Options and wiring live here; the per-event
 * work is prep.c and proxycheck.c, the rules connect.c, useragent.c and
 * upload.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkopt.h"
#include "diag.h"
#include "proxycheck.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-proxycheck [-c file] [--set section.key=value] [--rules rules]\n"
"                      [--connect-ports ports] [--ua-list file] [--learn]\n"
"                      [--stats] [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads csm proxy events (plain or gzip; '-' or none for stdin) and\n"
"reports CONNECT tunnels to ports other than the allowed ones, User-Agents\n"
"that are not the organisation's standard, and large uploads, as findings\n"
"(see csm-events(5)).\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --rules rules     the rules to run: connect-port, user-agent,\n"
"                        large-upload (as --set proxycheck.rules=)\n"
"      --connect-ports ports\n"
"                        the allowed CONNECT ports, e.g. 80,443,8000-8099\n"
"                        (as --set proxycheck.connect-ports=)\n"
"      --ua-list file    the standard User-Agents, one a line, exact or\n"
"                        glob pattern (as --set lists.user-agents=)\n"
"      --learn           print the User-Agents seen, with their host and\n"
"                        event counts, instead of findings\n"
CHECKOPT_HELP_TAIL;

enum { OPT_RULES = 256, OPT_CONNECT_PORTS, OPT_UA_LIST, OPT_LEARN };

static const struct option longopts[] = {
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "connect-ports", required_argument, NULL, OPT_CONNECT_PORTS },
	{ "ua-list", required_argument, NULL, OPT_UA_LIST },
	{ "learn", no_argument, NULL, OPT_LEARN },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	static struct outbuf out;
	static struct proxycheck pc;
	struct config_key keys[PC_NKEYS];
	char err[CONFIG_ERR_MAX];
	struct checkopt co;
	struct evstream es;
	struct config *cfg;
	int status, rules_opt = 0;
	const struct checkopt_own own[] = {
		{ OPT_RULES, "proxycheck.rules=", 0, &rules_opt },
		{ OPT_CONNECT_PORTS, "proxycheck.connect-ports=", 0, NULL },
		{ OPT_UA_LIST, "lists.user-agents=", 1, NULL },
		{ OPT_LEARN, NULL, 0, &pc.learn },
		{ 0, NULL, 0, NULL }
	};
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-proxycheck " CSM_VERSION, NULL,
		longopts, own, NULL, NULL
	};

	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE)
		return status;
	if (pc.learn && rules_opt)
		return checkopt_exit(&co, checkopt_usage(&co,
		    "--learn runs no rules: drop", "--rules"));
	proxycheck_keys(&pc.t, keys);
	/* A configuration mistake is a usage error: nothing is read. */
	if ((cfg = checkopt_config(&co, "proxycheck", keys, PC_NKEYS)) == NULL)
		return checkopt_exit(&co, EXIT_USAGE);
	pc.cfg = cfg;
	if (proxycheck_setup(&pc, err, sizeof err) != 0 ||
	    (!pc.learn && (pc.rules & 1u << PC_UA) &&
	    pc_ua_load(&pc, err, sizeof err) != 0)) {
		diag_msg("%s", err);
		status = EXIT_USAGE;
		goto done;
	}
	pc.out = &out;
	time_cache_init(&pc.tc);
	outbuf_init(&out, STDOUT_FILENO);

	co.prep = proxycheck_prep;
	co.ahead = proxycheck_ahead;
	status = checkopt_read(&co, &es, proxycheck_columns, PC_NCOLS,
	    PC_NREQUIRED, proxycheck_event, &pc, argv + optind, argc - optind);
	if (pc.learn || (pc.rules & 1u << PC_UA))
		pc_ua_notes(&pc);
	if (proxycheck_write(&pc) != 0 || pc.oom) {
		diag_msg("out of memory: %s incomplete", pc.learn ?
		    "inventory" : "findings");
		status = EXIT_INCOMPLETE;
	}
	if (co.stats)
		diag_msg("%llu events checked; findings: %zu connect-port, %zu "
		    "user-agent, %zu large-upload; left out: %llu from "
		    "proxies, %llu from outside, %llu CONNECT without a port, "
		    "%llu denied POST, PUT or CONNECT",
		    (unsigned long long)es.total.used,
		    pc.nfindings[PC_CONNECT], pc.nfindings[PC_UA],
		    pc.nfindings[PC_UPLOAD], (unsigned long long)pc.proxies,
		    (unsigned long long)pc.outside,
		    (unsigned long long)pc.no_port,
		    (unsigned long long)pc.up.denied);
	status = checkopt_finish(&out, status);
done:
	proxycheck_release(&pc);
	config_free(cfg);
	checkopt_release(&co);
	return status;
}
