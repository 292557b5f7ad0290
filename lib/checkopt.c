/*
 * checkopt.c: the start-up and shut-down every check shares (see
 * checkopt.h), so that all of them report configuration mistakes, usage
 * errors and a full disk the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checkopt.h"
#include "diag.h"
#include "num.h"

#define NOT_SHARED (-1)	/* shared_option: the program's own */

/* Prepares co for a command line of argc words; -1 when out of memory. */
static int
prepare(struct checkopt *co, const char *synopsis, int argc)
{
	memset(co, 0, sizeof *co);
	co->synopsis = synopsis;
	co->max_errors = 10;
	co->sets = calloc((size_t)(argc > 0 ? argc : 1), sizeof *co->sets);
	return co->sets ? 0 : -1;
}

int
checkopt_set(struct checkopt *co, const char *prefix, const char *value)
{
	size_t n = strlen(prefix) + strlen(value) + 1;
	char *s = malloc(n);

	if (s == NULL)
		return -1;
	snprintf(s, n, "%s%s", prefix, value);
	co->sets[co->nsets++] = s;
	return 0;
}

int
checkopt_set_path(struct checkopt *co, const char *prefix, const char *path)
{
	size_t n = strlen(path) + 3;
	char *q;
	int r;

	/* A path with a quote in it cannot be quoted: taken as written. */
	if (strchr(path, '"') != NULL)
		return checkopt_set(co, prefix, path);
	if ((q = malloc(n)) == NULL)
		return -1;
	snprintf(q, n, "\"%s\"", path);
	r = checkopt_set(co, prefix, q);
	free(q);
	return r;
}

int
checkopt_max_errors(struct checkopt *co, const char *arg)
{
	if (num_parse_u64(slice_cstr(arg), 1000000000, &co->max_errors) != 0)
		return checkopt_usage(co, "bad --max-errors", arg);
	return 0;
}

int
checkopt_usage(const struct checkopt *co, const char *msg, const char *arg)
{
	if (msg)
		diag_msg("%s '%s'", msg, arg);
	fputs(co->synopsis, stderr);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    diag_prog());
	return EXIT_USAGE;
}

struct config *
checkopt_config(const struct checkopt *co, const char *section,
    const struct config_key *keys, size_t nkeys)
{
	char err[CONFIG_ERR_MAX];
	struct config *cfg = config_new();

	if (cfg == NULL) {
		diag_msg("out of memory");
		return NULL;
	}
	if (section && config_declare(cfg, section, keys, nkeys) != 0) {
		diag_msg("cannot declare the [%s] section", section);
		config_free(cfg);
		return NULL;
	}
	if (config_setup(cfg, co->conf, co->sets, co->nsets, err,
	    sizeof err) != 0) {
		diag_msg("%s", err);
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

int
checkopt_finish(struct outbuf *out, int status)
{
	if (outbuf_flush(out) != 0) {
		diag_msg("write error: %s", strerror(out->err));
		return EXIT_INCOMPLETE;
	}
	return status;
}

void
checkopt_release(struct checkopt *co)
{
	size_t i;

	for (i = 0; i < co->nsets; i++)
		free(co->sets[i]);
	free(co->sets);
	co->sets = NULL;
	co->nsets = 0;
}

int
checkopt_exit(struct checkopt *co, int status)
{
	checkopt_release(co);
	return status;
}

/*
 * Handles option c (with arg) when it is one of the shared ones: records
 * -c, --set, --stats and --max-errors (CHECKOPT_DONE); prints help (the
 * synopsis, then help) or "name version" for -h and -V, or a usage error
 * for '?' or a bad value, and returns the exit status main should return
 * (co already released). NOT_SHARED for the program's own options.
 */
static int
shared_option(struct checkopt *co, int c, const char *arg,
    const char *help, const char *name_version)
{
	int status;

	switch (c) {
	case 'c':
		co->conf = arg;
		return CHECKOPT_DONE;
	case CHECKOPT_SET:
		if (checkopt_set(co, "", arg) != 0) {
			diag_msg("out of memory");
			return checkopt_exit(co, EXIT_INCOMPLETE);
		}
		return CHECKOPT_DONE;
	case CHECKOPT_STATS:
		co->stats = 1;
		return CHECKOPT_DONE;
	case CHECKOPT_MAX_ERRORS:
		if ((status = checkopt_max_errors(co, arg)) != 0)
			return checkopt_exit(co, status);
		return CHECKOPT_DONE;
	case 'h':
		fputs(co->synopsis, stdout);
		fputs(help, stdout);
		return checkopt_exit(co, EXIT_GOOD);
	case 'V':
		puts(name_version);
		return checkopt_exit(co, EXIT_GOOD);
	case '?':
		return checkopt_exit(co, checkopt_usage(co, NULL, NULL));
	}
	return NOT_SHARED;
}

int
checkopt_read(const struct checkopt *co, struct evstream *es,
    const char *const *want, int nwant, int nrequired, evstream_fn fn,
    void *arg, char **files, int nfiles)
{
	memset(es, 0, sizeof *es);
	es->want = want;
	es->nwant = nwant;
	es->nrequired = nrequired;
	es->fn = fn;
	es->arg = arg;
	es->prep = co->prep;
	es->prep_arg = arg;
	es->prep_partial = co->prep_partial;
	es->ahead = co->ahead;
	es->max_errors = co->max_errors;
	es->stats = co->stats;
	return evstream_run(es, files, nfiles);
}

/* Records own option o's value; 0, or -1 when out of memory. */
static int
record_own(struct checkopt *co, const struct checkopt_own *o,
    const char *value)
{
	if (o->flag != NULL)
		*o->flag = 1;
	if (o->set == NULL)
		return 0;
	return o->path ? checkopt_set_path(co, o->set, value) :
	    checkopt_set(co, o->set, value);
}

int
checkopt_start(struct checkopt *co, const struct checkopt_cli *cli,
    int argc, char **argv)
{
	const struct checkopt_own *o;
	int c, status;

	diag_init(argv[0]);
	if (prepare(co, cli->synopsis, argc) != 0) {
		diag_msg("out of memory");
		return checkopt_exit(co, EXIT_INCOMPLETE);
	}
	while ((c = getopt_long(argc, argv, cli->shortopts ? cli->shortopts :
	    CHECKOPT_SHORTOPTS, cli->longopts, NULL)) != -1) {
		if ((status = shared_option(co, c, optarg, cli->help,
		    cli->name_version)) == CHECKOPT_DONE)
			continue;
		if (status != NOT_SHARED)
			return status;
		for (o = cli->own; o != NULL && o->val != 0; o++)
			if (o->val == c)
				break;
		if (o != NULL && o->val != 0) {
			if (record_own(co, o, optarg) != 0) {
				diag_msg("out of memory");
				return checkopt_exit(co, EXIT_INCOMPLETE);
			}
		} else if (cli->other != NULL &&
		    (status = cli->other(cli->arg, co, c, optarg)) != 0)
			return checkopt_exit(co, status);
	}
	return CHECKOPT_DONE;
}
