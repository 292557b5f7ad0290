/*
 * checkopt.h: the options and start-up every check shares: -c and --set
 * (the configuration, csm.conf(5)), --stats and --max-errors (the line
 * accounting of evstream.h), the usage message, loading the configuration
 * once before any input, and the final flush of standard output. Each
 * check's main.c keeps its own option table and help text.
 */
#ifndef CSM_CHECKOPT_H
#define CSM_CHECKOPT_H

#include <getopt.h>
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

/* checkopt_start: the command line is read, go on. */
#define CHECKOPT_DONE (-2)

/*
 * One of a check's own options that only records something: a --set
 * shortcut (--tz is "site.timezone=" + value), a flag, or both.
 */
struct checkopt_own {
	int val;		/* its getopt_long value; 0 ends a table */
	const char *set;	/* a shortcut: this prefix + the value */
	int path;		/* the value names one file (checkopt_set_path) */
	int *flag;		/* when not NULL: set to 1 */
};

/* A program's command line, for checkopt_start. */
struct checkopt_cli {
	const char *synopsis, *help, *name_version;
	const char *shortopts;		/* NULL: CHECKOPT_SHORTOPTS */
	const struct option *longopts;
	const struct checkopt_own *own;	/* NULL, or ended by val 0 */
	/*
	 * Any other option (NULL: none): returns 0, or the exit status to
	 * stop with.
	 */
	int (*other)(void *arg, struct checkopt *co, int c, const char *value);
	void *arg;
};

/*
 * The start of every check's main(): names the program after argv[0],
 * prepares co and reads the options, the shared ones and cli's. Returns
 * CHECKOPT_DONE with optind at the first operand, or the exit status main
 * should return (co released): after --help or --version, a usage error,
 * or out of memory (said).
 */
int checkopt_start(struct checkopt *co, const struct checkopt_cli *cli,
    int argc, char **argv);

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

/* Frees what checkopt_start and checkopt_set allocated. */
void checkopt_release(struct checkopt *co);

/* checkopt_release, then returns status: for early returns from main. */
int checkopt_exit(struct checkopt *co, int status);

#endif
