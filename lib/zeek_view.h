/*
 * zeek_view.h: what every Zeek log format (http, conn, dns, smtp) does around
 * the readers of Zeek's two writers. A log kind is described once, in a
 * spec: the Zeek field names it reads and the one mapping from those
 * fields to event columns. The TSV formats (zeek.c reader, #path,
 * #fields) and the JSON format (fmt_zeek_json.c) both fill a record of
 * the spec's fields in Zeek's TSV text forms and hand it to that mapping.
 */
#ifndef CSM_ZEEK_VIEW_H
#define CSM_ZEEK_VIEW_H

#include <stdint.h>
#include "fmt.h"
#include "zeek.h"

#define ZEEK_VIEW_COLS 32	/* fields one log kind reads, at most */

struct zeek_view_rec;

/*
 * The fields every kind reads first, in this order: the time, the
 * connection's uid and its addresses and ports. zeek_view_map takes ts and
 * the addresses and ports itself.
 */
enum zeek_view_id {
	ZEEK_VIEW_TS, ZEEK_VIEW_UID, ZEEK_VIEW_ORIG_H, ZEEK_VIEW_ORIG_P,
	ZEEK_VIEW_RESP_H, ZEEK_VIEW_RESP_P, ZEEK_VIEW_NID
};
#define ZEEK_VIEW_ID_NAMES "ts", "uid", "id.orig_h", "id.orig_p", \
	"id.resp_h", "id.resp_p"

/* One log kind's constant description: its fields and their mapping. */
struct zeek_view_spec {
	const char *fmt;		/* "zeek-http": its TSV format */
	const char *kind;		/* "http": its #path (or "http_*") */
	const char *key;		/* a column only such logs have */
	int key_always;			/* key needed even when #path fits */
	const char *not_kind;		/* "not an http log", for reasons */
	const char *const *names;	/* the fields it reads, by index;
					 * ZEEK_VIEW_ID_NAMES first */
	int ncols;
	const char *const *sniff_cols;	/* without #path, these mark it;
					 * NULL-terminated */
	/*
	 * Fills ctx->ev (ts, format, addresses and ports already set) from
	 * r and emits it; returns LINE_USED or a rejection.
	 */
	enum line_result (*map)(const struct zeek_view_rec *r,
	    struct parse_ctx *ctx);
};

/* The kinds, defined in fmt_zeek_conn.c, _dns.c, _http.c and _smtp.c. */
extern const struct zeek_view_spec fmt_zeek_conn_spec, fmt_zeek_dns_spec,
    fmt_zeek_http_spec, fmt_zeek_smtp_spec;

/*
 * The current record of one kind, whatever the writer: for each field of
 * the spec, what it holds and its text as Zeek's TSV writer would put it
 * (\xHH escapes for raw bytes, set elements joined by set_sep, "T"/"F"
 * for booleans). Slices point into the line or the reader's state.
 */
struct zeek_view_rec {
	const struct zeek_view_spec *spec;
	struct slice fmt;		/* the format read: starts every reason */
	struct slice set_sep;		/* between elements of a set */
	enum zeek_kind kind[ZEEK_VIEW_COLS];
	struct slice val[ZEEK_VIEW_COLS];
};

/* State of a TSV format: the reader and its column map. */
struct zeek_view {
	struct zeek z;
	struct zeek_view_rec r;
	uint64_t gen;			/* z.gen that col[] was mapped for */
	int col[ZEEK_VIEW_COLS];	/* index in #fields, or -1 */
	int ts_col, key_col;		/* of "ts" and spec->key, or -1 */
};

/* Whether path names a log of kind: "kind", or a split "kind_*". */
int zeek_view_path_is(struct slice path, const char *kind);

/* Sniff score: 100 for its #path, 90 for its columns without #path. */
int zeek_view_sniff(const struct zeek_view_spec *sp, const struct slice *lines,
    int n);

/* A TSV fmt open callback's work: a new view, or NULL with ctx->reason. */
void *zeek_view_open(const struct zeek_view_spec *sp, struct parse_ctx *ctx);

/* The matching fmt close callback. */
void zeek_view_close(void *state);

/*
 * The fmt line callback of every TSV format: reads meta lines into the
 * state (LINE_SKIPPED), checks the block's #path and columns, and maps a
 * data line through zeek_view_map.
 */
enum line_result zeek_view_line(void *state, struct slice line,
    struct parse_ctx *ctx);

/*
 * Takes the record's ts, format, addresses and ports into ctx->ev and runs
 * the spec's mapping. Returns its verdict, or a rejection for a missing or
 * bad ts, a bad address or a port above 65535.
 */
enum line_result zeek_view_map(const struct zeek_view_rec *r,
    struct parse_ctx *ctx);

/* Whether field c holds a value (not unset, empty or absent). */
static inline int
zeek_view_has(const struct zeek_view_rec *r, int c)
{
	return r->kind[c] == ZEEK_VALUE;
}

/*
 * Puts the count in field c into event column ec (nothing when unset).
 * Returns 0, or -1 when the field holds something else than a count up
 * to max.
 */
int zeek_view_count(const struct zeek_view_rec *r, struct event *ev, int c,
    enum ev_col ec, uint64_t max);

/* Puts the address in field c into ec; -1 when it is not an address. */
int zeek_view_addr(const struct zeek_view_rec *r, struct event *ev, int c,
    enum ev_col ec);

/*
 * The value of field c with its \xHH escapes decoded, or an empty slice
 * when it holds none. Points into the record, or, when the value holds a
 * backslash, into ev's scratch space (empty when that is used up).
 */
struct slice zeek_view_str(const struct zeek_view_rec *r, int c,
    struct event *ev);

/* Longest set taken, as written and as a list (longer ones are dropped). */
#define ZEEK_VIEW_SET_MAX (EVENT_SCRATCH / 2)

/*
 * Sets column ec to the set or vector in field c as a ','-joined list:
 * split by the log's set separator first, then each element unescaped on
 * its own, with a ',' inside an element written \x2c (csm-events(5)).
 * Empty when the field holds no value or the list does not fit.
 */
void zeek_view_set_col(const struct zeek_view_rec *r, struct event *ev,
    int c, enum ev_col ec);

/* Adds the list of zeek_view_set_col to extra under key, when not empty. */
void zeek_view_set_extra(const struct zeek_view_rec *r, struct event *ev,
    int c, const char *key);

/* Adds field c, unescaped, to extra under key when it holds a value. */
void zeek_view_extra(const struct zeek_view_rec *r, struct event *ev, int c,
    const char *key);

/*
 * Appends src to dst (len bytes used of cap) with its \xHH escapes
 * decoded and, when lower is set, A-Z lower-cased. Returns the new
 * length, or cap + 1 when it does not fit.
 */
size_t zeek_view_append(char *dst, size_t len, size_t cap, struct slice src,
    int lower);

/*
 * Rejects the line for field c: "no 'name'" when it is absent, else the
 * bad value, quoted.
 */
enum line_result zeek_view_bad(const struct zeek_view_rec *r,
    struct parse_ctx *ctx, int c);

#endif
