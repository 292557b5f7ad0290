/*
 * ioc_load.h: reading indicator lists into an ioc.h set. Four formats,
 * told apart by their first lines unless the caller names one:
 *
 *	plain		one indicator a line (address, network, addr:port,
 *			domain, URL or e-mail address, told apart by their
 *			text), '#' comments; the rest of a line is its tag
 *	csv		CSV with a header naming the columns (ThreatFox
 *			exports, whose header is a '#' comment; MISP CSV
 *			exports; any CSV with a value column), read with
 *			libcsv
 *	misp-json	MISP JSON exports (an event, a list of events, a
 *			restSearch response), read with jansson
 *	zeek		Zeek Intel framework files (#fields indicator
 *			indicator_type meta.source ...)
 *
 * A line that holds no usable indicator is reported through the
 * caller's function with its line number and left out; types that no
 * log shows (file hashes, names of files) are counted and left out.
 */
#ifndef CSM_IOC_LOAD_H
#define CSM_IOC_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include "ioc.h"

enum ioc_format {
	IOC_FMT_AUTO, IOC_FMT_PLAIN, IOC_FMT_CSV, IOC_FMT_MISP_JSON,
	IOC_FMT_ZEEK, IOC_FMT_COUNT
};

/* "auto", "plain", "csv", "misp-json", "zeek". */
extern const char *const ioc_format_names[IOC_FMT_COUNT];

/* The format called name, or -1. */
int ioc_format_lookup(const char *name);

/*
 * Told about each bad line: its number (0 when the place is not known,
 * as for a JSON value whose line cannot be found) and the reason, already
 * escaped for a message.
 */
typedef void (*ioc_bad_fn)(void *arg, uint64_t line, const char *reason);

struct ioc_load {
	enum ioc_format format;	/* in: IOC_FMT_AUTO to detect */
	ioc_bad_fn bad;		/* in: may be NULL */
	void *arg;
	enum ioc_format used;	/* out: the format read */
	uint64_t lines;		/* lines read */
	uint64_t added;		/* new indicators */
	uint64_t merged;	/* listed before: merged */
	uint64_t low;		/* below the minimum confidence */
	uint64_t unused;	/* types no log shows */
	uint64_t ignored;	/* MISP attributes not meant for detection */
	uint64_t bad_lines;	/* reported through bad */
};

/* What ioc_load_file and ioc_load_buffer return besides 0. */
#define IOC_LOAD_FAILED (-1)	/* the file could not be read as a whole */
#define IOC_LOAD_NOMEM (-2)	/* out of memory */

/*
 * Reads the list at path (plain or gzip; not standard input, which
 * carries the events) into s, with path as the source of indicators
 * whose list names none. Returns 0, also when lines were bad;
 * IOC_LOAD_FAILED with err (size errcap) set when the file could not be
 * read as a whole: unreadable, a read or gzip error, a CSV file without
 * a header, a Zeek file without #fields, bad JSON; IOC_LOAD_NOMEM (err
 * set too). Indicators read before such an error stay in s.
 */
int ioc_load_file(struct ioc_set *s, const char *path, struct ioc_load *ld,
    char *err, size_t errcap);

/* The same for len bytes at data, read as a file called name. */
int ioc_load_buffer(struct ioc_set *s, const char *name, const char *data,
    size_t len, struct ioc_load *ld, char *err, size_t errcap);

#endif
