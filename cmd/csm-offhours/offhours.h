/*
 * offhours.h: what csm-offhours' main.c hands to the per-event logic.
 */
#ifndef CSM_OFFHOURS_H
#define CSM_OFFHOURS_H

#include <stdint.h>
#include "agg.h"
#include "bizcal.h"
#include "config.h"
#include "evstream.h"
#include "outbuf.h"
#include "timeconv.h"

/* The event columns the check reads, in evstream want order. */
enum oh_col {
	OH_LOG, OH_SRC_IP, OH_DST_HOST, OH_DST_IP, OH_DST_PORT, OH_BYTES_OUT,
	OH_BYTES_IN, OH_ORIGIN, OH_NCOLS
};
extern const char *const offhours_columns[OH_NCOLS];
#define OH_NREQUIRED (OH_DST_IP + 1)	/* log .. dst_ip must exist */

/*
 * The look-ahead's ring: the key hashes of the last EVROW_AHEAD rows the
 * hook saw (0: a row not counted), so that a row's entry is fetched
 * OH_STEP rows after its slot.
 */
#define OH_AHEAD EVROW_AHEAD
#define OH_STEP (OH_AHEAD / 2)

struct oh_memo;

struct offhours {
	const struct config *cfg;
	struct bizcal cal;
	int events_mode;		/* --events: pass events through */
	struct outbuf *out;
	struct agg agg;			/* (src, dst, local day) */
	const struct tsv_header *hdr_written;	/* --events: header out */
	char hdr_text[8192];
	size_t hdr_len;
	uint64_t maintenance, proxies, outside;	/* left out, and why */
	uint64_t ahead[OH_AHEAD];
	unsigned ahead_pos;
	struct oh_memo *memo;		/* the preparation's (offhours.c) */
	int oom;
};

/*
 * The preparation's memory of recent sources and of the last minute,
 * made when oh is set up (before reading) and freed after; -1 when out
 * of memory. Without one the preparation works each event out afresh.
 */
int offhours_memo_new(struct offhours *oh);
void offhours_memo_free(struct offhours *oh);

/*
 * The evstream hooks: the preparation (in the reading thread: it reads
 * oh's settings only) works out all that depends on the event alone, its
 * verdict, local day and key's hash; the callback counts it; the
 * look-ahead prefetches what a coming row's key will touch.
 */
void offhours_prep(const void *arg, const struct evrow *row, uint64_t *aux);
enum line_result offhours_event(void *arg, struct evrow *row);
void offhours_ahead(void *arg, const uint64_t *aux);

/* Writes the findings of the aggregation; returns -1 when out of memory. */
int offhours_write_findings(struct offhours *oh);

#endif
