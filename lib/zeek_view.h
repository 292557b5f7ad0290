/*
 * zeek_view.h: what every Zeek log format (http, conn, dns, ...) does
 * around the shared reader in zeek.c: recognise its #path, map the
 * columns it reads anew at every header block, and take typed values
 * (counts, addresses, extras) into an event, rejecting bad ones.
 */
#ifndef CSM_ZEEK_VIEW_H
#define CSM_ZEEK_VIEW_H

#include <stdint.h>
#include "fmt.h"
#include "zeek.h"

#define ZEEK_VIEW_COLS 32	/* columns one format reads, at most */

/* One format's constant description of the log it reads. */
struct zeek_view_spec {
	const char *fmt;		/* "zeek-http": starts every reason */
	const char *kind;		/* "http": its #path (or "http_*") */
	const char *key;		/* a column only such logs have */
	int key_always;			/* key needed even when #path fits */
	const char *not_kind;		/* "not an http log", for reasons */
	const char *const *names;	/* the columns it reads, by index */
	int ncols;
	const char *const *sniff_cols;	/* without #path, these mark it;
					 * NULL-terminated */
};

struct zeek_view {
	struct zeek z;
	const struct zeek_view_spec *spec;
	uint64_t gen;			/* z.gen that col[] was mapped for */
	int col[ZEEK_VIEW_COLS];	/* index in #fields, or -1 */
	int ts_col, key_col;		/* of "ts" and spec->key, or -1 */
};

/* Sniff score: 100 for its #path, 90 for its columns without #path. */
int zeek_view_sniff(const struct zeek_view_spec *sp, const struct slice *lines,
    int n);

/* A fmt open callback's work: a new view, or NULL with ctx->reason. */
void *zeek_view_open(const struct zeek_view_spec *sp, struct parse_ctx *ctx);

/* The matching fmt close callback. */
void zeek_view_close(void *state);

/*
 * After zeek_read returned a data line: checks the block's #path and
 * required columns and maps the columns when the header changed. Returns
 * LINE_USED when the line may be read, else a rejection.
 */
enum line_result zeek_view_check(struct zeek_view *v, struct parse_ctx *ctx);

/*
 * Puts the count in column c into event column ec (nothing when unset).
 * Returns 0, or -1 when the column holds something else than a count up
 * to max.
 */
int zeek_view_count(struct zeek_view *v, struct event *ev, int c,
    enum ev_col ec, uint64_t max);

/* Puts the address in column c into ec; -1 when it is not an address. */
int zeek_view_addr(struct zeek_view *v, struct event *ev, int c,
    enum ev_col ec);

/* Adds column c to extra under key when it holds a value. */
void zeek_view_extra(struct zeek_view *v, struct event *ev, int c,
    const char *key);

/* Rejects the line for the bad value in column c, quoting it. */
enum line_result zeek_view_bad(struct zeek_view *v, struct parse_ctx *ctx,
    int c);

#endif
