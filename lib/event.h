/*
 * event.h: one normalised event, the record csm-parse writes (the column
 * order is the contract of csm-events(5)). Parsers fill slices that point
 * into the input line or into the event's own scratch space; nothing is
 * allocated per event.
 */
#ifndef CSM_EVENT_H
#define CSM_EVENT_H

#include <stdint.h>
#include "outbuf.h"
#include "slice.h"
#include "timeconv.h"

enum ev_col {
	EV_TS, EV_LOG, EV_FORMAT, EV_DEVICE, EV_SRC_IP, EV_SRC_PORT, EV_USER,
	EV_DST_HOST, EV_DST_IP, EV_DST_PORT, EV_PROTO, EV_ACTION, EV_METHOD,
	EV_URL, EV_STATUS, EV_BYTES_OUT, EV_BYTES_IN, EV_DURATION_MS, EV_UA,
	EV_MAIL_FROM, EV_HDR_FROM, EV_HDR_FROM_NAME, EV_RCPT, EV_SUBJECT,
	EV_ATTACH, EV_MSG_ID, EV_QNAME, EV_QTYPE, EV_RCODE, EV_ANSWER,
	EV_EVENT_ID, EV_ACCOUNT, EV_LOGON_TYPE, EV_OUTCOME, EV_EXTRA,
	EV_ORIGIN, EV_NCOLS
};

/* Column names in stream order. */
extern const char *const event_columns[EV_NCOLS];

#define EVENT_MAX_EXTRA 24
#define EVENT_SCRATCH 8192

struct event {
	int64_t ts_ms;			/* UTC milliseconds; see has_ts */
	int has_ts;
	struct slice f[EV_NCOLS];	/* raw values; EV_TS and EV_ORIGIN unused */
	uint64_t checked;		/* bit per column: value needs no escaping */
	struct slice extra_key[EVENT_MAX_EXTRA];
	struct slice extra_val[EVENT_MAX_EXTRA];
	int nextra;
	uint32_t extra_checked;		/* bit per pair: value needs no escaping */
	/*
	 * Evidence: file:line of the record. origin_file is the input's name
	 * already escaped (esc_tsv), done once per input by the driver.
	 */
	const char *origin_file;
	uint64_t origin_line;
	size_t scratch_used;
	char scratch[EVENT_SCRATCH];
};

/* Empties ev for the next record (keeps nothing). */
void event_clear(struct event *ev);

/*
 * Copies n bytes into the event's scratch space and returns a slice of the
 * copy, or an empty slice when the space is used up (values are then
 * dropped rather than overflowing).
 */
struct slice event_keep(struct event *ev, const char *p, size_t n);

/*
 * Sets column col to s and marks it as needing no escaping, which saves
 * the writer a scan on the hot path. Only for bytes the parser has checked
 * itself to be printable ASCII without backslash: numbers it parsed,
 * addresses ip_parse accepted, literals.
 */
static inline void
event_set_checked(struct event *ev, enum ev_col col, struct slice s)
{
	ev->f[col] = s;
	ev->checked |= 1ULL << col;
}

/*
 * Marks as needing no escaping every column whose value lies within text,
 * which the parser has found to hold only printable ASCII without a
 * backslash (a line it scanned whole): its values are parts of it. So
 * too the extra values within it that hold no ';'.
 */
void event_mark_plain(struct event *ev, struct slice text);

/* Sets column col to the decimal text of v. */
void event_set_u64(struct event *ev, enum ev_col col, uint64_t v);

/*
 * Appends key=value to the extra column. The key is a literal of the
 * parser's (letters, digits, '_' and '-'; written as it is); the value is
 * escaped on output. Silently ignores pairs past EVENT_MAX_EXTRA.
 */
static inline void
event_add_extra(struct event *ev, const char *key, struct slice val)
{
	if (ev->nextra >= EVENT_MAX_EXTRA)
		return;
	/* Inline so that strlen of the literal key folds to a constant. */
	ev->extra_key[ev->nextra] = slice_make(key, strlen(key));
	ev->extra_val[ev->nextra] = val;
	ev->nextra++;
}

/*
 * event_add_extra for a value the parser has checked itself to be
 * printable ASCII without backslash and without ';', which then needs no
 * escaping inside extra.
 */
static inline void
event_add_extra_checked(struct event *ev, const char *key, struct slice val)
{
	if (ev->nextra >= EVENT_MAX_EXTRA)
		return;
	ev->extra_checked |= 1U << ev->nextra;
	event_add_extra(ev, key, val);
}

/* Writes the header line of the events stream. */
void event_write_header(struct outbuf *ob);

/* Writes ev as one escaped TSV record. */
void event_write(struct outbuf *ob, const struct event *ev,
    struct time_cache *tc);

#endif
