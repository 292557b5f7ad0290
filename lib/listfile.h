/*
 * listfile.h: the list files of csm.conf(5) [lists] (approved
 * User-Agents, administrator accounts, indicators, protected names): one
 * item per line, white space around it dropped, blank lines and lines
 * starting with '#' skipped, gzip read through lib/input.h. Several files
 * can be loaded into one list; each item remembers its file and line for
 * messages.
 */
#ifndef CSM_LISTFILE_H
#define CSM_LISTFILE_H

#include <stddef.h>
#include <stdint.h>
#include "slice.h"

struct listfile_item {
	struct slice s;		/* the item, NUL-terminated after s.n */
	const char *file;	/* the path it came from */
	uint64_t line;
};

struct listfile {
	struct listfile_item *item;
	size_t n;

	/* private */
	char *buf;		/* every item, each followed by a NUL */
	size_t *off;		/* where each item starts in buf */
	size_t len, cap, icap;
	char **files;
	size_t nfiles;
};

/* Prepares an empty list. */
void listfile_init(struct listfile *lf);

/*
 * Appends the items of the file at path to lf. Returns 0, or -1 with err
 * (size errcap) set to "path: reason" or "path:line: reason" (an unreadable
 * file, a read or gzip error, a line over INPUT_MAX_LINE); the items read
 * before the error stay in the list.
 */
int listfile_load(struct listfile *lf, const char *path, char *err,
    size_t errcap);

/* Frees the items and everything else lf holds. */
void listfile_release(struct listfile *lf);

#endif
