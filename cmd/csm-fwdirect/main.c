/*
 * csm-fwdirect: proxy bypass and lateral traffic in firewall events
 * (guideline 19.1.2, firewall items 1 and 2). Reads csm events, writes
 * findings. Options and wiring live here; the per-event work is
 * fwdirect.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkopt.h"
#include "diag.h"
#include "fwdirect.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-fwdirect [-c file] [--set section.key=value] [--internal cidrs]\n"
"                    [--proxies addrs] [--no-bypass | --no-lateral]\n"
"                    [--stats] [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads csm firewall events (plain or gzip; '-' or none for stdin) and\n"
"reports internal hosts that reach the internet without the proxy, and\n"
"traffic between internal segments that the configured flow matrix does\n"
"not permit, as findings (see csm-events(5)).\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --internal cidrs  internal networks (as --set networks.internal=)\n"
"      --proxies addrs   the web proxies (as --set networks.proxies=)\n"
"      --no-bypass       leave out the proxy-bypass rule\n"
"      --no-lateral      leave out the lateral rule\n"
CHECKOPT_HELP_TAIL;

enum { OPT_INTERNAL = 256, OPT_PROXIES, OPT_NO_BYPASS, OPT_NO_LATERAL };

static const struct option longopts[] = {
	{ "internal", required_argument, NULL, OPT_INTERNAL },
	{ "proxies", required_argument, NULL, OPT_PROXIES },
	{ "no-bypass", no_argument, NULL, OPT_NO_BYPASS },
	{ "no-lateral", no_argument, NULL, OPT_NO_LATERAL },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	static struct outbuf out;
	struct checkopt co;
	struct fwdirect fw;
	struct evstream es;
	struct config *cfg;
	int status;
	const struct checkopt_own own[] = {
		{ OPT_INTERNAL, "networks.internal=", 0, NULL },
		{ OPT_PROXIES, "networks.proxies=", 0, NULL },
		{ OPT_NO_BYPASS, NULL, 0, &fw.no_bypass },
		{ OPT_NO_LATERAL, NULL, 0, &fw.no_lateral },
		{ 0, NULL, 0, NULL }
	};
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-fwdirect " CSM_VERSION, NULL,
		longopts, own, NULL, NULL
	};

	memset(&fw, 0, sizeof fw);
	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE)
		return status;
	if (fw.no_bypass && fw.no_lateral)
		return checkopt_exit(&co, checkopt_usage(&co,
		    "nothing left to check with", "--no-bypass --no-lateral"));
	/* No keys of its own: one written in [fwdirect] is a mistake. */
	if ((cfg = checkopt_config(&co, "fwdirect", NULL, 0)) == NULL)
		return checkopt_exit(&co, EXIT_USAGE);
	fw.cfg = cfg;
	fw.out = &out;
	agg_init(&fw.flows);
	agg_init(&fw.unknown);
	outbuf_init(&out, STDOUT_FILENO);

	status = checkopt_read(&co, &es, fwdirect_columns, FW_NCOLS,
	    FW_NREQUIRED, fwdirect_event, &fw, argv + optind, argc - optind);
	if (fwdirect_write_findings(&fw) != 0 || fw.oom) {
		diag_msg("out of memory: findings incomplete");
		status = EXIT_INCOMPLETE;
	}
	if (fw.unknown.n > 0)
		diag_msg("%zu internal host%s in no [segment] of the "
		    "configuration (see the unknown-segment findings)",
		    fw.unknown.n, fw.unknown.n == 1 ? " is" : "s are");
	if (co.stats)
		diag_msg("%llu events in %zu findings; left out: %llu from "
		    "egress exceptions, %llu from outside, %llu of unknown "
		    "direction, %llu without two addresses",
		    (unsigned long long)es.total.used, fw.flows.n,
		    (unsigned long long)fw.egress,
		    (unsigned long long)fw.inbound,
		    (unsigned long long)fw.undirected,
		    (unsigned long long)fw.addrless);
	status = checkopt_finish(&out, status);
	agg_release(&fw.flows);
	agg_release(&fw.unknown);
	config_free(cfg);
	checkopt_release(&co);
	return status;
}
