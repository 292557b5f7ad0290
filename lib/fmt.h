/*
 * fmt.h: the format registry. Each log format is one table row in fmt.c and
 * one fmt_<name>.c file: a sniffer for -f auto, and a line parser that fills
 * events. Adding a format touches only those two places (plus its tests,
 * fuzz seeds and the man page list).
 */
#ifndef CSM_FMT_H
#define CSM_FMT_H

#include <stdint.h>
#include "diag.h"
#include "event.h"
#include "slice.h"

enum line_result {
	LINE_USED,		/* the line fed an event (or a pending one) */
	LINE_SKIPPED,		/* well-formed, but nothing csm models */
	LINE_REJECTED		/* malformed: ctx->reason says why */
};

/* What a record reader's next_record found. */
enum record_status {
	RECORD_OK,		/* *rec holds the next record for line() */
	RECORD_BAD,		/* a record that cannot be read: ctx->reason
				 * says why; reading goes on */
	RECORD_END,		/* no more records; a note for the user in
				 * ctx->reason, or "" */
	RECORD_FAIL		/* the file cannot be read on: ctx->reason */
};

/* Options that reach parsers (never globals). */
struct parse_opts {
	const char *logformat;	/* --logformat for the squid-custom format */
	int year;		/* --year for timestamps without one, or 0 */
	int64_t now;		/* seconds since the epoch at start, for
				 * inferring a missing year: no event may
				 * land in the future */
};

/* What a parser gets for each line. */
struct parse_ctx {
	const struct parse_opts *opts;
	struct event *ev;	/* cleared before each line, origin preset */
	/* Hands a finished event to the writer (and counts it). */
	void (*emit)(struct parse_ctx *ctx, struct event *ev);
	void *emit_arg;
	char reason[256];	/* why a line was rejected; escaped text */
	/*
	 * Reports something broken in a record that still gave its event
	 * (fmt_warn): msg is escaped text, line the record's first line.
	 * NULL drops warnings.
	 */
	void (*warn)(struct parse_ctx *ctx, uint64_t line, const char *msg);
	/* The input's path ("-" for standard input), or NULL. */
	const char *path;
};

struct fmt {
	const char *name;	/* for -f and --list-formats */
	const char *log;	/* event kind: proxy, firewall, dns, mail, auth */
	const char *summary;	/* one line for --list-formats */
	/*
	 * How sure (0-100) the format is that these first lines of a file are
	 * its own; NULL when the format is never auto-detected.
	 */
	int (*sniff)(const struct slice *lines, int n);
	/*
	 * Per-input state: returns NULL with ctx->reason set when the options
	 * do not fit (a bad --logformat, say). May be NULL for no state.
	 */
	void *(*open)(struct parse_ctx *ctx);
	enum line_result (*line)(void *state, struct slice line,
	    struct parse_ctx *ctx);
	/*
	 * Each line parses on its own (no state carries from one line to the
	 * next, at most one event per line, no finish): blocks of lines may
	 * then be parsed in parallel, each worker with its own open state.
	 */
	int line_local;
	/*
	 * A format whose lines parse on their own but for a small carried
	 * state that a block's first line is enough to bring up to date (the
	 * year of syslog stamps that have none) sets these, and blocks of its
	 * lines are parsed in parallel too: the reader keeps a carry of
	 * carry_size bytes (set up by carry_init), advances it with the first
	 * line of each block in input order, and the worker seeds its state
	 * with a copy before parsing that block. NULL otherwise.
	 */
	size_t carry_size;
	void (*carry_init)(void *carry, const struct parse_opts *opts);
	void (*carry_advance)(void *carry, struct slice line);
	void (*carry_seed)(void *state, const void *carry);
	/*
	 * A format whose files are not lines of text (EVTX) sets these. The
	 * driver then opens the named file with open_file (after open) rather
	 * than reading lines, and hands each record next_record returns to
	 * line() as if it were a line, record number recno standing for the
	 * line number in origins and messages. open_file returns 0, or -1
	 * with ctx->reason set (standard input, a file it cannot open).
	 * Sniffing still sees the file's first bytes as lines.
	 */
	int (*open_file)(void *state, const char *path, struct parse_ctx *ctx);
	enum record_status (*next_record)(void *state, struct slice *rec,
	    uint64_t *recno, struct parse_ctx *ctx);
	/* The format reads ctx->opts->logformat (--logformat applies). */
	int takes_logformat;
	/*
	 * The format's operands are directories (a Maildir): the driver hands
	 * a directory operand to open_file rather than reading it, and -f
	 * auto takes this format for one.
	 */
	int takes_dir;
	/*
	 * End of input: emit what is pending. A record the end of input cut
	 * off is reported by setting ctx->reason (fmt_reject): the input's
	 * last line is then counted as rejected. May be NULL.
	 */
	void (*finish)(void *state, struct parse_ctx *ctx);
	void (*close)(void *state);
};

/* All formats, in --list-formats order, ending with NULL. */
extern const struct fmt *const fmt_list[];

/* The format called name, or NULL. */
const struct fmt *fmt_lookup(const char *name);

/*
 * The format whose sniffer is surest of lines (at least 50), or NULL when
 * none recognises them.
 */
const struct fmt *fmt_detect(const struct slice *lines, int n);

/*
 * Sniff score for logs that arrive mixed with other syslog messages: 0
 * when no line is_record, else 60 plus up to 40 more as the share of
 * recognised lines grows.
 */
int fmt_sniff_mixed(const struct slice *lines, int n,
    int (*is_record)(struct slice line));

/*
 * Sets the proto column from a protocol word ("TCP", "ICMPv6", "47"),
 * lower-cased. Returns 0, or -1 when v is empty, longer than 15 bytes, or
 * holds anything but letters, digits, '-' and '_'.
 */
int fmt_set_proto(struct event *ev, struct slice v);

/*
 * Sets column col from an address, IPv6 in its short form (some devices
 * write 0000:...:0001), an IPv4-mapped one as IPv4. Returns 0, or -1 when
 * v is not an address.
 */
int fmt_set_addr(struct event *ev, enum ev_col col, struct slice v);

/*
 * Records "reason" (printf-style) in ctx->reason and returns LINE_REJECTED.
 * Arguments that carry log bytes must go through diag_quote.
 */
enum line_result fmt_reject(struct parse_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Reports, through ctx->warn, "reason" (printf-style) about the record
 * whose first line is line, which still gave its event. Arguments that
 * carry log bytes must go through diag_quote or diag_escape.
 */
void fmt_warn(struct parse_ctx *ctx, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Emits ctx->ev: the usual last step of a one-line-one-event parser. */
static inline enum line_result
fmt_emit(struct parse_ctx *ctx)
{
	ctx->emit(ctx, ctx->ev);
	return LINE_USED;
}

#endif
