/*
 * winevt.h: Windows event log records (Security, System and other
 * channels), whichever way they arrive: event XML (wevtutil, Event
 * Viewer, the XML libevtx renders from an .evtx record) read with expat,
 * or the JSON of Winlogbeat, NXLog and Wazuh. Each reader collects a
 * struct winevt_rec, and one mapping turns it into an auth event, so
 * that the same record gives the same event from every source.
 */
#ifndef CSM_WINEVT_H
#define CSM_WINEVT_H

#include <stdint.h>
#include "fmt.h"
#include "slice.h"

#define WINEVT_MAX_DATA 128	/* EventData / UserData fields kept */
#define WINEVT_TEXT_MAX (256 * 1024)	/* XML text of one record */

/*
 * One record. Slices point into storage the reader owns and keeps until
 * the event is emitted.
 */
struct winevt_rec {
	const char *format;	/* the format name written to the event */
	struct slice time;	/* RFC 3339 UTC time text (SystemTime), or
				 * empty to use ts_ms and has_ts */
	int64_t ts_ms;
	int has_ts;
	struct slice event_id, channel, computer, provider, record_id;
	int truncated;		/* text was lost: the record is bad */
	int audit;		/* from Keywords: 1 audit success, -1 audit
				 * failure, 0 unknown */
	int ndata;
	struct slice name[WINEVT_MAX_DATA];	/* Data Name=, or the element
						 * of a UserData field */
	struct slice val[WINEVT_MAX_DATA];
};

/* Empties r for the next record (format is kept). */
void winevt_rec_clear(struct winevt_rec *r);

/*
 * Appends a field; returns -1 (and drops it) past WINEVT_MAX_DATA.
 */
int winevt_rec_add(struct winevt_rec *r, struct slice name,
    struct slice val);

/*
 * The index of field name in r (ASCII case ignored, as Wazuh writes
 * "targetUserName"), or -1 when absent.
 */
int winevt_find(const struct winevt_rec *r, const char *name);

/* The value of field name (winevt_find), or SLICE_NONE when absent. */
struct slice winevt_get(const struct winevt_rec *r, const char *name);

/*
 * The audit outcome of a Keywords value written in hex
 * ("0x8020000000000000"): 1 audit success, -1 audit failure, 0 neither
 * or not hex.
 */
int winevt_keywords_audit(struct slice hex);

/*
 * Fills ctx->ev (already cleared, origin set) from r: time, log auth,
 * format, device (Computer), event_id, account, user, src_ip, src_port,
 * logon_type and outcome, with the raw fields the checks read in extra.
 * Does not emit. Returns LINE_USED, or LINE_REJECTED with ctx->reason set
 * when the record has no usable EventID or a broken time.
 */
enum line_result winevt_fill(const struct winevt_rec *r,
    struct parse_ctx *ctx);

/*
 * The event XML reader: an expat parser fed a stream that holds <Event>
 * elements anywhere (one per document, many on a line, pretty-printed
 * over many lines, inside an <Events> root or none). Every complete
 * Event is handed to the record callback.
 */
struct winevt_xml;

/*
 * Called for each complete Event, with the number (set by
 * winevt_xml_set_line) of the line it began on. Returns what became of
 * it: LINE_USED, or LINE_REJECTED with a reason in the callback's own
 * context.
 */
typedef enum line_result (*winevt_record_fn)(void *arg,
    const struct winevt_rec *r, uint64_t line);

/*
 * A new reader calling fn(arg, ...) for each Event, its records carrying
 * the format name format. Returns NULL when out of memory. Free with
 * winevt_xml_free.
 */
struct winevt_xml *winevt_xml_new(const char *format, winevt_record_fn fn,
    void *arg);
void winevt_xml_free(struct winevt_xml *x);

/*
 * Starts a new stream: forgets any open element and partial record. decl
 * is an XML declaration ("<?xml ...?>") to begin it with, or empty.
 */
void winevt_xml_restart(struct winevt_xml *x, struct slice decl);

/* Sets the line number that the bytes fed next come from. */
void winevt_xml_set_line(struct winevt_xml *x, uint64_t line);

/* What a call to winevt_xml_feed found. */
struct winevt_feed {
	int in_event;		/* some bytes were inside an Event */
	int records;		/* Events completed and handed on */
	int rejected;		/* of them, rejected by the callback */
	int stray;		/* elements outside any Event (not Events) */
	char stray_name[48];	/* the first one's name, escaped */
	int xml_error;		/* the stream is broken: restart it */
	uint64_t error_offset;	/* where on the line, for xml_error */
	const char *error;	/* expat's message, for xml_error */
};

/*
 * Feeds one line and the LF after it (so that text and tags spanning
 * lines stay as written) and fills *res. After an XML error the rest of
 * the stream is lost: the caller restarts the reader.
 */
void winevt_xml_feed_line(struct winevt_xml *x, struct slice line,
    struct winevt_feed *res);

/*
 * Ends the stream: it must be complete (every element closed). Fills
 * *res as winevt_xml_feed_line does.
 */
void winevt_xml_end(struct winevt_xml *x, struct winevt_feed *res);

/* Whether the reader is inside an Event (at the end of input: cut off). */
int winevt_xml_pending(const struct winevt_xml *x, uint64_t *start_line);

#endif
