/*
 * mailq.h: the messages in flight of a mail server's log (Postfix,
 * Sendmail), joined by reporting host and queue ID into one event each.
 * A format finds or opens a message with mailq_get for every line it
 * reads, fills its texts and items, and writes it with mailq_emit when
 * the log says it has left the queue. Memory is bounded by the messages
 * in flight: the table holds MAILQ_MAX; when it is full the message idle
 * the longest is written to make room, and messages not yet queued are
 * written after MAILQ_IDLE_MS of log time without a line.
 */
#ifndef CSM_MAILQ_H
#define CSM_MAILQ_H

#include <stdint.h>
#include "envelope.h"
#include "fmt.h"

#define MAILQ_MAX 8192		/* messages in flight */
#define MAILQ_HASH 8192		/* hash chains (a power of two) */
#define MAILQ_IDLE_MS (10 * 60 * 1000)	/* a message never queued */
#define MAILQ_TEXT 3072		/* text kept for one message */
#define MAILQ_ITEMS 64		/* its recipients, relays and attachments */

/* The texts of a message; each goes to its column or to extra. */
enum mailq_text {
	MQ_QID, MQ_DEVICE, MQ_CLIENT, MQ_IP, MQ_PORT, MQ_USER, MQ_METHOD,
	MQ_FROM, MQ_HDR_FROM, MQ_NAME, MQ_SUBJECT, MQ_REPLY_TO, MQ_MSGID,
	MQ_HELO, MQ_PROTO, MQ_SIZE, MQ_NRCPT, MQ_UID, MQ_REJECT, MQ_NDR,
	MQ_UNPARSED, MQ_NTEXT
};

/* Lists of a message, written joined with ','. */
enum mailq_kind { MQ_RCPT, MQ_RELAY, MQ_ATTACH };

/* A recipient's delivery status, written in extra's status list. */
enum mailq_status {
	MQ_ST_NONE, MQ_ST_SENT, MQ_ST_DEFERRED, MQ_ST_BOUNCED,
	MQ_ST_EXPIRED, MQ_ST_REJECT, MQ_ST_DELIVERABLE,
	MQ_ST_UNDELIVERABLE, MQ_ST_OTHER
};

struct mailq_item {
	uint8_t kind, status;
	uint16_t off, len;
};

/* One message in flight; its text lives in text[]. */
struct mailq_msg {
	int prev, next;		/* its list, oldest activity first */
	int hnext;		/* hash chain; next free one */
	int live, queued, started, deny, lost, expired, from_prio;
	int attach_lost;	/* an attachment name did not fit */
	int ambiguous;		/* a line read two ways */
	uint32_t hash;
	int64_t ts_ms, last_ms;
	int has_ts, has_last;
	const char *origin_file;
	uint64_t line;
	uint16_t off[MQ_NTEXT], len[MQ_NTEXT];
	int nitem;
	struct mailq_item item[MAILQ_ITEMS];
	size_t used;
	char text[MAILQ_TEXT];
};

struct mailq {
	const char *format;	/* the format column of its events */
	struct mailq_msg *m;
	int cap, count, free_list;
	int head[2], tail[2];	/* not queued (0) and queued (1) */
	int heads[MAILQ_HASH];
	struct event out;
};

/* A new, empty table for format, or NULL when memory runs out. */
struct mailq *mailq_new(const char *format);

/* Frees q (the messages in it are dropped, not written). */
void mailq_free(struct mailq *q);

/*
 * The message of host dev and queue ID qid, opened with the current
 * line's time and origin (ctx->ev) when none is in flight. With start
 * (the line that opens a message: a client connection, a local
 * submission), a message in flight that started already is written as
 * unfinished first: its queue ID was reused. Returns NULL when memory
 * runs out. The pointer is good until the next call into q.
 */
struct mailq_msg *mailq_get(struct mailq *q, struct parse_ctx *ctx,
    struct slice dev, struct slice qid, int start);

/* The message of host dev and queue ID qid in flight, or NULL. */
struct mailq_msg *mailq_find(struct mailq *q, struct slice dev,
    struct slice qid);

/* Marks m as taken into the queue: it is no longer written when idle. */
void mailq_set_queued(struct mailq *q, struct mailq_msg *m);

/*
 * Writes m as an event and forgets it; unfinished (written before the
 * log said it left the queue) shows as unfinished=1 unless it was denied.
 * A message never queued whose recipients were all refused is denied.
 */
void mailq_emit(struct mailq *q, struct parse_ctx *ctx, struct mailq_msg *m,
    int unfinished);

/* Writes the messages never queued that have had no line in the idle time. */
void mailq_expire(struct mailq *q, struct parse_ctx *ctx, int64_t now_ms);

/* End of input: writes every message in flight as unfinished. */
void mailq_finish(struct mailq *q, struct parse_ctx *ctx);

/* Sets text t of m (kept when it does not fit: then truncated=1). */
void mailq_set_text(struct mailq_msg *m, enum mailq_text t, struct slice s);

/*
 * Marks m as holding a line that read two ways (the client's text spells
 * the log's own fields): its event says ambiguous=1 and, in unparsed,
 * the first such line's text from where the readings part, as logged.
 */
void mailq_set_ambiguous(struct mailq_msg *m, struct slice unparsed);

/* Text t of m. */
struct slice mailq_text(const struct mailq_msg *m, enum mailq_text t);

/*
 * Adds an item of kind k, or finds the same one. Returns it, or NULL
 * when s is empty or the message has no room.
 */
struct mailq_item *mailq_add_item(struct mailq_msg *m, enum mailq_kind k,
    struct slice s);

/*
 * Sets the envelope sender from a source of priority prio (the queue
 * manager's word is higher than a check line's); a lower one is ignored,
 * and so is a NULL from (none logged). An empty one is the null sender
 * of bounces, written "<>".
 */
void mailq_set_from(struct mailq_msg *m, struct slice from, int prio);

/*
 * Leaves the envelope sender unknown, over sources up to priority prio:
 * the source of that priority read two ways, and a lower one's word may
 * be the same forgery.
 */
void mailq_unset_from(struct mailq_msg *m, int prio);

/*
 * Sets the client: addr (IPv6 shortened; must be an address ip_parse
 * takes), port (digits, may be empty) and name, unless "unknown".
 */
void mailq_set_client(struct mailq_msg *m, struct slice name,
    struct slice addr, struct slice port);

/*
 * The end of the quoted string opening at s.p[i] ('"'): the offset just
 * past its closing quote; a backslash takes the byte after it as text.
 * Returns -1 when the string is not closed within s.
 */
long mailq_quoted_end(struct slice s, size_t i);

/*
 * The end of the address opening at s.p[i] ('<'): the offset of the '>'
 * that closes it, the first one outside quoted strings (a quoted local
 * part may hold '>', ',' and text that looks like later fields). Returns
 * -1 when the address or a quoted string in it is not closed within s.
 */
long mailq_addr_end(struct slice s, size_t i);

/* The status word for a delivery status text ("sent", "Deferred", ...). */
enum mailq_status mailq_status_of(struct slice word);

/*
 * The per-input state of a mail format in syslog: the year inference of
 * its envelopes and the messages in flight.
 */
struct mailq_input {
	struct envelope_year ey;
	struct mailq *q;
};

/*
 * fmt open for such formats (format names the events); NULL with the
 * reason set when out of memory. Close and finish are the fmt callbacks.
 */
void *mailq_input_open(struct parse_ctx *ctx, const char *format);
void mailq_input_close(void *state);
void mailq_input_finish(void *state, struct parse_ctx *ctx);

#endif
