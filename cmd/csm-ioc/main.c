/*
 * csm-ioc: events that reach destinations named by threat intelligence
 * (guideline 19.1.2, proxy item 1 and DNS item 1, and the same lists on
 * firewall and mail events). Reads indicator lists, then csm events, and
 * writes findings, one per (source, indicator, log). Options and wiring
 * live here; lists.c reads the lists, iocmatch.c matches events and
 * findings.c writes what matched.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkopt.h"
#include "diag.h"
#include "iocmatch.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-ioc [-c file] [--set section.key=value] [--format fmt]\n"
"               [--ioc file ...] [--stats] [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads indicator lists (addresses, networks, domains, URLs, e-mail\n"
"addresses), then csm events (proxy, DNS, firewall and mail; plain or\n"
"gzip; '-' or none for stdin), and reports the events that reach a\n"
"listed destination as findings (see csm-events(5)).\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --format fmt      format of the --ioc lists after it: auto (the\n"
"                        default), plain, csv, misp-json or zeek\n"
"      --ioc file        an indicator list (repeatable; with the [lists]\n"
"                        ioc files of the configuration)\n"
CHECKOPT_HELP_TAIL;

enum { OPT_FORMAT = 256, OPT_IOC };

static const struct option longopts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "ioc", required_argument, NULL, OPT_IOC },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* [ioc] of csm.conf(5). */
static const char *conf_format = "auto", *conf_psl;
static uint64_t conf_min_conf;
static const struct config_key keys[] = {
	{ "format", CONFIG_STRING, &conf_format, 0, 0 },
	{ "public-suffixes", CONFIG_PATH, &conf_psl, 0, 0 },
	{ "min-confidence", CONFIG_UINT, &conf_min_conf, 0, 100 },
};

/* The --ioc lists of the command line, each with the --format before it. */
struct cmdline {
	struct iocfile *files;		/* room for one per word */
	size_t n;
	int fmt;
};

static int
ioc_option(void *arg, struct checkopt *co, int c, const char *value)
{
	struct cmdline *cl = arg;

	if (c == OPT_FORMAT && (cl->fmt = ioc_format_lookup(value)) < 0)
		return checkopt_usage(co, "unknown --format", value);
	if (c == OPT_IOC) {
		cl->files[cl->n].path = value;
		cl->files[cl->n++].format = (enum ioc_format)cl->fmt;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct outbuf out;
	struct checkopt co;
	struct iocmatch m;
	struct evstream es;
	struct config *cfg;
	struct cmdline cl = { NULL, 0, IOC_FMT_AUTO };
	int status, cfmt;
	char q[100], at[CONFIG_WHERE_MAX];
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-ioc " CSM_VERSION, NULL, longopts,
		NULL, ioc_option, &cl
	};

	diag_init(argv[0]);
	memset(&m, 0, sizeof m);
	if ((cl.files = calloc((size_t)argc + 1, sizeof *cl.files)) == NULL) {
		diag_msg("out of memory");
		return EXIT_INCOMPLETE;
	}
	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE) {
		free(cl.files);
		return status;
	}
	if ((cfg = checkopt_config(&co, "ioc", keys, sizeof keys /
	    sizeof keys[0])) == NULL || (cfmt = ioc_format_lookup(
	    conf_format)) < 0) {
		if (cfg != NULL)
			diag_msg("%sunknown [ioc] format '%s'",
			    config_key_where(cfg, &conf_format, at, sizeof at),
			    diag_escape(q, sizeof q, slice_cstr(conf_format)));
		config_free(cfg);
		free(cl.files);
		return checkopt_exit(&co, EXIT_USAGE);
	}
	status = iocmatch_load(&m, config_list_paths(cfg, CONFIG_LIST_IOC),
	    (enum ioc_format)cfmt, cl.files, cl.n, conf_psl, (int)conf_min_conf,
	    co.max_errors, co.stats);
	free(cl.files);
	if (status < 0 || status == EXIT_USAGE) {
		if (status < 0)
			diag_msg("out of memory");
		iocmatch_release(&m);
		config_free(cfg);
		return checkopt_exit(&co, status < 0 ? EXIT_INCOMPLETE : status);
	}
	m.out = &out;
	time_cache_init(&m.tc);
	agg_init(&m.agg);
	agg_init(&m.seen);
	outbuf_init(&out, STDOUT_FILENO);

	co.prep = iocmatch_prep;
	co.prep_partial = 1;
	status = diag_worse(status, checkopt_read(&co, &es, iocmatch_columns,
	    IM_NCOLS, IM_NREQUIRED, iocmatch_event, &m, argv + optind,
	    argc - optind));
	if (m.answers_cut > 0) {
		diag_msg("%llu DNS event%s had more answers than the parser "
		    "kept (answer_truncated=1): the answers left out were not "
		    "checked", (unsigned long long)m.answers_cut,
		    m.answers_cut == 1 ? "" : "s");
		status = diag_worse(status, EXIT_REJECTED);
	}
	if (iocmatch_write_findings(&m) != 0 || m.oom) {
		diag_msg("out of memory: findings incomplete");
		status = EXIT_INCOMPLETE;
	}
	if (co.stats)
		diag_msg("%llu events checked; %llu matched, in %zu findings: "
		    "%llu proxy, %llu dns, %llu firewall, %llu mail",
		    (unsigned long long)es.total.used, (unsigned long long)
		    (m.events[0] + m.events[1] + m.events[2] + m.events[3]),
		    m.agg.n, (unsigned long long)m.events[0],
		    (unsigned long long)m.events[1],
		    (unsigned long long)m.events[2],
		    (unsigned long long)m.events[3]);
	status = checkopt_finish(&out, status);
	iocmatch_release(&m);
	config_free(cfg);
	checkopt_release(&co);
	return status;
}
