/*
 * diag.h: diagnostics in one form for every program ("prog: file:line:
 * reason"), per-input line accounting, and the exit status table shared by
 * all csm programs.
 */
#ifndef CSM_DIAG_H
#define CSM_DIAG_H

#include <stdint.h>
#include "slice.h"

enum exit_code {
	EXIT_GOOD = 0,		/* everything read, parsed and written */
	EXIT_REJECTED = 1,	/* some input lines rejected, each reported */
	EXIT_USAGE = 2,		/* usage error, nothing processed */
	EXIT_INCOMPLETE = 3	/* unreadable input, bad gzip, write error */
};

/* Per-input accounting: lines = used + skipped + rejected. */
struct line_stats {
	uint64_t lines, used, skipped, rejected, events;
	uint64_t outside;	/* events left out by a time window */
	uint64_t shown;		/* rejections printed so far */
};

/* Remembers the program name (basename of argv0) for every message. */
void diag_init(const char *argv0);

/* The program name given to diag_init. */
const char *diag_prog(void);

/* Prints "prog: msg\n" on stderr; msg must already be escaped. */
void diag_msg(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * Prints "prog: file:line: reason" for a rejected line while fewer than
 * max_shown have been shown for this input, and counts it either way.
 * The file name is escaped here; the reason must already be.
 */
void diag_reject(struct line_stats *st, const char *file, uint64_t line,
    const char *reason, uint64_t max_shown);

/*
 * Prints the closing line for an input: the count of rejections not shown,
 * then "prog: FILE: N lines: U used, S skipped, R rejected; E events",
 * with ", F outside the time window" when a window left some out.
 */
void diag_summary(const struct line_stats *st, const char *file,
    uint64_t max_shown);

/*
 * Reports a read or decompression error of input name after line lineno
 * ("prog: FILE:N: errmsg"); returns EXIT_INCOMPLETE.
 */
int diag_read_error(const char *name, uint64_t lineno, const char *errmsg);

/* Escapes s into dst (size cap, always NUL-terminated) for a message. */
const char *diag_escape(char *dst, size_t cap, struct slice s);

/*
 * Room for a file's name escaped for a message: 255 bytes of it (an
 * escape takes up to four), so that a deep path into a year of rotated
 * logs is named whole.
 */
#define DIAG_NAME_MAX 1024

/*
 * Escapes s into buf (cap bytes, NUL-terminated, cut to a short excerpt)
 * for quoting log text in a reason.
 */
const char *diag_quote(char *buf, size_t cap, struct slice s);

/* The worse of two exit codes: 3 over 1 over 0 (2 never mixes). */
int diag_worse(int a, int b);

#endif
