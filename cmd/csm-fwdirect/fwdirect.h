/*
 * fwdirect.h: what csm-fwdirect's main.c hands to the per-event logic.
 */
#ifndef CSM_FWDIRECT_H
#define CSM_FWDIRECT_H

#include <stdint.h>
#include "agg.h"
#include "config.h"
#include "evstream.h"
#include "outbuf.h"
#include "timeconv.h"

/* The event columns the check reads, in evstream want order. */
enum fw_col {
	FW_LOG, FW_SRC_IP, FW_DST_IP, FW_DST_PORT, FW_PROTO, FW_ACTION,
	FW_BYTES_OUT, FW_BYTES_IN, FW_ORIGIN, FW_EXTRA, FW_NCOLS
};
extern const char *const fwdirect_columns[FW_NCOLS];
#define FW_NREQUIRED (FW_ACTION + 1)	/* log .. action must exist */

struct fwdirect {
	const struct config *cfg;
	int no_bypass, no_lateral;	/* --no-bypass, --no-lateral */
	struct outbuf *out;
	struct agg flows;		/* (rule, src, dst, port/proto, action) */
	struct agg unknown;		/* internal hosts in no segment */
	uint64_t egress, inbound;	/* events left out, and why */
	uint64_t undirected;		/* direction=unknown: no flow */
	uint64_t addrless;		/* an end without address: no flow */
	int oom;
};

/* The evstream callback: one event. */
enum line_result fwdirect_event(void *arg, struct evrow *row);

/* Writes every finding; returns -1 when out of memory. */
int fwdirect_write_findings(struct fwdirect *fw);

#endif
