/*
 * daily.h: the [daily] section that csm-daily(1) runs on, as csm-config
 * declares, checks and prints it (daily.c).
 */
#ifndef CSM_CONFIG_DAILY_H
#define CSM_CONFIG_DAILY_H

#include "config.h"
#include "outbuf.h"

/* The kinds of log csm-daily reads, in the order it runs them. */
enum daily_kind {
	KIND_PROXY, KIND_FIREWALL, KIND_DNS, KIND_MAIL, KIND_AUTH, NKINDS
};

/* The values of [daily]; defaults where the file says nothing. */
struct daily {
	struct config_strv src[NKINDS];	/* globs per kind */
	const char *format[NKINDS];	/* csm-parse -f, or "auto" */
	struct config_strv checks;	/* the checks to run */
	struct config_strv formats;	/* text, html */
	struct config_strv mail_to;
	const char *output;		/* directory, or NULL */
	const char *mail_from;		/* or NULL */
	const char *subject;		/* or NULL for the default */
};

#define DAILY_NKEYS (2 * NKINDS + 6)

/* Sets the defaults in d and fills k[DAILY_NKEYS] for config_declare. */
void daily_keys(struct daily *d, struct config_key *k);

/*
 * Checks what the table cannot: known formats of the right kind, known
 * check names and report formats, and no control byte in any value that
 * is printed a line at a time. Returns 0, or -1 with err set (naming
 * where in cfg the value was given).
 */
int daily_check(const struct daily *d, const struct config *cfg, char *err,
    size_t errcap);

/*
 * Writes the value of key ("file", "site.name", "site.timezone",
 * "lists.KEY" or "daily.KEY") to ob, one item a line; nothing for a value
 * not set. Returns 0, or -1 for a key it does not know.
 */
int daily_get(const struct daily *d, const struct config *cfg,
    const char *key, struct outbuf *ob);

/* Writes one "kind TAB format TAB glob" line per configured glob. */
void daily_sources(const struct daily *d, struct outbuf *ob);

#endif
