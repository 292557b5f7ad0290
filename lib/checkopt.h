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
#include "outbuf.h"

struct checkopt {
	const char *synopsis;		/* the usage lines */
	const char *conf;		/* -c */
	char **sets;			/* --set and the shortcuts, in order */
	size_t nsets;
	int stats;
	uint64_t max_errors;		/* default 10 */
};

/* Prepares co for a command line of argc words; -1 when out of memory. */
int checkopt_init(struct checkopt *co, const char *synopsis, int argc);

/*
 * Records prefix + value as one more --set assignment (the shortcut
 * options: --tz is "site.timezone=" + value). Returns 0, or -1 when out of
 * memory.
 */
int checkopt_set(struct checkopt *co, const char *prefix, const char *value);

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
 * Flushes out and folds a write error into status, which it returns.
 */
int checkopt_finish(struct outbuf *out, int status);

/* Frees what checkopt_init and checkopt_set allocated. */
void checkopt_release(struct checkopt *co);

/* checkopt_release, then returns status: for early returns from main. */
int checkopt_exit(struct checkopt *co, int status);

#endif
