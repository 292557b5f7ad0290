/*
 * csm-geoip: adds the country, autonomous system and AS organisation of
 * the destination (and with --src the source) to a csm events or
 * findings stream, from MaxMind DB files. Options, databases and the file
 * loop live here; the per-stream work is geoip.c, the lookups lib/geo.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkopt.h"
#include "evstream.h"
#include "geoip.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-geoip [-c file] [--set section.key=value] [--db file]\n"
"                 [--src] [--column name] [--stats] [--max-errors n]\n"
"                 [file ...]\n";

static const char help_text[] =
"\n"
"Reads a csm events or findings stream (plain or gzip; '-' or none for\n"
"stdin) and writes it back with dst_country, dst_asn and dst_org added:\n"
"the country, AS number and AS organisation of the destination, from\n"
"MaxMind DB files. Private and reserved addresses are labelled (private,\n"
"shared, loopback, link-local, documentation, multicast, reserved).\n"
"\n"
"  -c, --config file     configuration file (see csm.conf(5))\n"
"      --set s.key=value override one configuration value (repeatable)\n"
"      --db file         a MaxMind DB file (repeatable; replaces the\n"
"                        [geoip] databases of the configuration)\n"
"      --src             add src_country, src_asn and src_org too\n"
"      --column name     the column holding the destination (default\n"
"                        dst_ip, or dst in a findings stream)\n"
"      --stats           print the line and lookup summary\n"
"      --max-errors n    rejected lines shown per input (default 10)\n"
"  -h, --help            show this help and exit\n"
"  -V, --version         show the version and exit\n"
"\n"
"Exit status: 0 all good, 1 some lines rejected, 2 usage or configuration\n"
"error, 3 output incomplete (unreadable input or database, bad database,\n"
"bad gzip, write error).\n";

enum { OPT_DB = 256, OPT_SRC, OPT_COLUMN };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "src", no_argument, NULL, OPT_SRC },
	{ "column", required_argument, NULL, OPT_COLUMN },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* What the command line says besides the shared options. */
struct cmdline {
	struct geoip *gp;
	const char **dbs;		/* --db files: room for one per word */
	size_t ndbs;
};

static int
geoip_option(void *arg, struct checkopt *co, int c, const char *value)
{
	struct cmdline *cl = arg;

	(void)co;
	switch (c) {
	case OPT_DB: cl->dbs[cl->ndbs++] = value; break;
	case OPT_SRC: cl->gp->src = 1; break;
	case OPT_COLUMN: cl->gp->column = value; break;
	}
	return 0;
}

/* Opens the databases: --db, else the configuration's. */
static int
open_databases(struct geoip *gp, const char *const *dbs, size_t ndbs,
    const struct config_strv *conf)
{
	char err[1400];		/* geo_fail's path, escaped, and why */
	size_t i, n = ndbs ? ndbs : conf->n;

	for (i = 0; i < n; i++) {
		int rc = geo_open(&gp->geo, ndbs ? dbs[i] : conf->v[i], err,
		    sizeof err);

		if (rc != 0) {
			diag_msg("%s", rc == -2 ? "out of memory" : err);
			return EXIT_INCOMPLETE;
		}
	}
	return EXIT_GOOD;
}

static int
geoip_input_cb(void *arg, struct input *in, struct line_stats *st)
{
	return geoip_input(arg, in, st);
}

int
main(int argc, char **argv)
{
	static struct outbuf out;
	static struct geoip gp;
	struct config_strv conf_dbs = { NULL, 0 };
	struct config_key keys[] = {
		{ "databases", CONFIG_PATHS, &conf_dbs, 0, 0 },
	};
	struct checkopt co;
	struct config *cfg;
	struct cmdline cl = { &gp, NULL, 0 };
	int status;
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-geoip " CSM_VERSION, NULL, longopts,
		NULL, geoip_option, &cl
	};

	diag_init(argv[0]);
	if ((cl.dbs = calloc((size_t)argc, sizeof *cl.dbs)) == NULL) {
		diag_msg("out of memory");
		return EXIT_INCOMPLETE;
	}
	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE) {
		free(cl.dbs);
		return status;
	}
	if (gp.column != NULL && gp.column[0] == '\0') {
		status = checkopt_usage(&co, "empty column name", "");
		goto done;
	}
	/* A configuration mistake is a usage error: nothing is read. */
	if ((cfg = checkopt_config(&co, "geoip", keys, 1)) == NULL) {
		status = EXIT_USAGE;
		goto done;
	}
	geo_init(&gp.geo);
	if (cl.ndbs == 0 && conf_dbs.n == 0) {
		diag_msg("no database: give --db or [geoip] databases in the "
		    "configuration");
		status = checkopt_usage(&co, NULL, NULL);
	} else if ((status = open_databases(&gp, cl.dbs, cl.ndbs, &conf_dbs)) ==
	    EXIT_GOOD) {
		outbuf_init(&out, STDOUT_FILENO);
		gp.out = &out;
		gp.max_errors = co.max_errors;
		status = evstream_each(argv + optind, argc - optind,
		    geoip_input_cb, &gp, co.stats, gp.max_errors, NULL);
		if (gp.db_failed)
			status = diag_worse(status, EXIT_INCOMPLETE);
		if (co.stats)
			diag_msg("addresses: %llu (%llu from the cache, %llu "
			    "private or reserved, %llu looked up, %llu of them "
			    "unknown to the databases); fields without an "
			    "address: %llu",
			    (unsigned long long)gp.geo.st.lookups,
			    (unsigned long long)gp.geo.st.cached,
			    (unsigned long long)gp.geo.st.special,
			    (unsigned long long)gp.geo.st.searched,
			    (unsigned long long)gp.geo.st.unknown,
			    (unsigned long long)gp.noaddr);
		status = checkopt_finish(&out, status);
	}
	geo_release(&gp.geo);
	config_free(cfg);
done:
	free(cl.dbs);
	return checkopt_exit(&co, status);
}
