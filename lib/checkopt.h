/*
 * checkopt.h: the options and start-up every check shares: -c and --set
 * (the configuration, csm.conf(5)), --stats and --max-errors (the line
 * accounting of evstream.h), the usage message, loading the configuration
 * once before any input, and the final flush of standard output. Each
 * check's main.c keeps its own option table and help text.
 */
#ifndef CSM_CHECKOPT_H
#define CSM_CHECKOPT_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "evstream.h"
#include "outbuf.h"

struct checkopt {
	const char *synopsis;		/* the usage lines */
	const char *conf;		/* -c */
	char **sets;			/* --set and the shortcuts, in order */
	size_t nsets;
	int stats;
	uint64_t max_errors;		/* default 10 */
	evstream_prep_fn prep;		/* checkopt_read's hooks; NULL: none */
	int prep_partial;		/* evstream.h */
	evstream_ahead_fn ahead;
};

/* getopt_long values of the options every check has. */
enum {
	CHECKOPT_SET = 200, CHECKOPT_STATS, CHECKOPT_MAX_ERRORS
};

/* Their rows of a check's long option table. */
#define CHECKOPT_LONGOPTS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "set", required_argument, NULL, CHECKOPT_SET }, \
	{ "stats", no_argument, NULL, CHECKOPT_STATS }, \
	{ "max-errors", required_argument, NULL, CHECKOPT_MAX_ERRORS }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }

/* Their lines of --help: first the configuration, then the rest. */
#define CHECKOPT_HELP_CONFIG \
"  -c, --config file     configuration file (see csm.conf(5))\n" \
"      --set s.key=value override one configuration value (repeatable)\n"
#define CHECKOPT_HELP_TAIL \
"      --stats           print the line summary for every input\n" \
"      --max-errors n    rejected lines shown per input (default 10)\n" \
"  -h, --help            show this help and exit\n" \
"  -V, --version         show the version and exit\n" \
"\n" \
"Exit status: 0 all good, 1 some lines rejected, 2 usage or configuration\n" \
"error, 3 output incomplete (unreadable input, bad gzip, write error).\n"

/* The short options among them, for getopt_long's optstring. */
#define CHECKOPT_SHORTOPTS "c:hV"

#define CHECKOPT_NOT_MINE (-1)	/* checkopt_option: the check's own */
#define CHECKOPT_DONE (-2)	/* checkopt_option: recorded, go on */

/*
 * Handles option c (with arg) when it is one of the shared ones: records
 * -c, --set, --stats and --max-errors (CHECKOPT_DONE); prints help (the
 * synopsis, then help) or "name version" for -h and -V, or a usage error
 * for '?' or a bad value, and returns the exit status main should return
 * (co already released). CHECKOPT_NOT_MINE for the check's own options.
 */
int checkopt_option(struct checkopt *co, int c, const char *arg,
    const char *help, const char *name_version);

/* Prepares co for a command line of argc words; -1 when out of memory. */
int checkopt_init(struct checkopt *co, const char *synopsis, int argc);

/*
 * Records prefix + value as one more --set assignment (the shortcut
 * options: --tz is "site.timezone=" + value). Returns 0, or -1 when out of
 * memory.
 */
int checkopt_set(struct checkopt *co, const char *prefix, const char *value);

/*
 * The same for an option naming one file (--admins, --ua-list): the path
 * is quoted, so that spaces and commas stay in it.
 */
int checkopt_set_path(struct checkopt *co, const char *prefix,
    const char *path);

/* Parses --max-errors; returns 0, or a usage error's exit status. */
int checkopt_max_errors(struct checkopt *co, const char *arg);

/*
 * Prints "prog: msg 'arg'" (when msg is not NULL), the synopsis and a
 * pointer to --help on stderr; returns EXIT_USAGE.
 */
int checkopt_usage(const struct checkopt *co, const char *msg,
    const char *arg);

/*
 * Loads the configuration (-c, CSM_CONFIG or the usual places, then each
 * --set), with the check's own [section] keys declared when section is
 * not NULL. Returns the configuration, or NULL after printing the mistake
 * (the caller exits with EXIT_USAGE).
 */
struct config *checkopt_config(const struct checkopt *co,
    const char *section, const struct config_key *keys, size_t nkeys);

/*
 * Reads the operands (none: standard input) through es, cleared first:
 * the columns want[0..nwant), the first nrequired of them required, each
 * record handed to fn(arg) (after co->prep(arg) in the reading thread,
 * when set), with co's --max-errors and --stats. Returns
 * evstream_run's status; es->total holds the counts afterwards.
 */
int checkopt_read(const struct checkopt *co, struct evstream *es,
    const char *const *want, int nwant, int nrequired, evstream_fn fn,
    void *arg, char **files, int nfiles);

/*
 * Flushes out and folds a write error into status, which it returns.
 */
int checkopt_finish(struct outbuf *out, int status);

/* Frees what checkopt_init and checkopt_set allocated. */
void checkopt_release(struct checkopt *co);

/* checkopt_release, then returns status: for early returns from main. */
int checkopt_exit(struct checkopt *co, int status);

#endif
