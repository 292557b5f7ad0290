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

struct offhours {
	const struct config *cfg;
	struct bizcal cal;
	int events_mode;		/* --events: pass events through */
	struct outbuf *out;
	struct time_cache tc;
	struct agg agg;			/* (src, dst, local day) */
	const struct tsv_header *hdr_written;	/* --events: header out */
	char hdr_text[8192];
	size_t hdr_len;
	uint64_t maintenance, proxies, outside;	/* left out, and why */
	int oom;
};

/* The evstream callback: one event. */
enum line_result offhours_event(void *arg, struct evrow *row);

/* Writes the findings of the aggregation; returns -1 when out of memory. */
int offhours_write_findings(struct offhours *oh);

#endif
