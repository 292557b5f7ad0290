/*
 * csm-mailcheck: sender spoofing and dangerous attachments in mail events
 * (guideline 19.1.2, mail items 1 and 2). Reads csm events, writes one
 * finding per message and rule. Options and wiring live here; the rules
 * are spoof.c, ambiguous.c and attach.c, their set-up mailcheck.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkopt.h"
#include "diag.h"
#include "finding.h"
#include "mailcheck.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-mailcheck [-c file] [--set section.key=value] [--rules rules]\n"
"                     [--internal-domains domains] [--protected-names file]\n"
"                     [--stats] [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads csm mail events (plain or gzip; '-' or none for stdin) and reports\n"
"spoofed senders and dangerous attachments, one finding per message and\n"
"rule (see csm-events(5)).\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --rules rules     the rules to run, e.g. executable,macro\n"
"                        (as --set mailcheck.rules=)\n"
"      --internal-domains domains\n"
"                        the organisation's mail domains\n"
"                        (as --set mailcheck.internal-domains=)\n"
"      --protected-names file\n"
"                        names and domains to guard, one a line\n"
"                        (as --set lists.protected-names=)\n"
CHECKOPT_HELP_TAIL;

enum { OPT_RULES = 256, OPT_INTERNAL, OPT_PROTECTED };

static const struct option longopts[] = {
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "internal-domains", required_argument, NULL, OPT_INTERNAL },
	{ "protected-names", required_argument, NULL, OPT_PROTECTED },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	static struct outbuf out;
	static struct mailcheck mc;
	struct config_key keys[MC_NKEYS];
	char err[CONFIG_ERR_MAX];
	struct checkopt co;
	struct evstream es;
	struct config *cfg;
	int i, status;
	const struct checkopt_own own[] = {
		{ OPT_RULES, "mailcheck.rules=", 0, NULL },
		{ OPT_INTERNAL, "mailcheck.internal-domains=", 0, NULL },
		{ OPT_PROTECTED, "lists.protected-names=", 1, NULL },
		{ 0, NULL, 0, NULL }
	};
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-mailcheck " CSM_VERSION, NULL,
		longopts, own, NULL, NULL
	};

	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE)
		return status;
	mailcheck_keys(&mc.t, keys);
	/* A configuration mistake is a usage error: nothing is read. */
	if ((cfg = checkopt_config(&co, "mailcheck", keys, MC_NKEYS)) == NULL)
		return checkopt_exit(&co, EXIT_USAGE);
	mc.cfg = cfg;
	if (mailcheck_setup(&mc, err, sizeof err) != 0) {
		diag_msg("%s", err);
		status = EXIT_USAGE;
		goto done;
	}
	mc.out = &out;
	time_cache_init(&mc.tc);
	outbuf_init(&out, STDOUT_FILENO);
	finding_write_header(&out);

	status = checkopt_read(&co, &es, mailcheck_columns, MC_NCOLS,
	    MC_NREQUIRED, mailcheck_event, &mc, argv + optind, argc - optind);
	if (mc.oom) {
		diag_msg("out of memory: findings incomplete");
		status = EXIT_INCOMPLETE;
	}
	if (co.stats) {
		size_t total = 0, n = 0;

		for (i = 0; i < MC_NRULES; i++)
			total += mc.nfindings[i];
		diag_msg("%llu message%s checked, %llu other event%s "
		    "skipped; %zu finding%s", (unsigned long long)mc.messages,
		    mc.messages == 1 ? "" : "s",
		    (unsigned long long)mc.skipped, mc.skipped == 1 ? "" : "s",
		    total, total == 1 ? "" : "s");
		for (i = 0; i < MC_NRULES; i++)
			if (mc.nfindings[i] > 0)
				mc_append(err, sizeof err, &n, "%s%s %zu",
				    n ? ", " : "", mailcheck_rule_names[i],
				    mc.nfindings[i]);
		if (n > 0)
			diag_msg("findings by rule: %s", err);
	}
	status = checkopt_finish(&out, status);
done:
	mailcheck_release(&mc);
	config_free(cfg);
	checkopt_release(&co);
	return status;
}
