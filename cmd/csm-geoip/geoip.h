/*
 * geoip.h: what csm-geoip's main.c hands to the per-stream work.
 */
#ifndef CSM_GEOIP_H
#define CSM_GEOIP_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "geo.h"
#include "input.h"
#include "outbuf.h"
#include "tsv.h"

struct geoip {
	struct geo geo;			/* the open databases */
	struct outbuf *out;
	const char *column;		/* --column, or NULL: dst_ip, else dst */
	int src;			/* --src: src_ip too */
	uint64_t max_errors;		/* rejections shown per input */
	int db_failed;			/* a database failed mid-stream */
	uint64_t noaddr;		/* fields holding no address */
	char hdr[TSV_HEADER_MAX];	/* the header written last */
	size_t hdr_len;
	int have_hdr;
};

/*
 * Copies one opened input to gp->out with the columns added, counting
 * its lines in st. Returns its exit status: 0, or 3 for a read error or
 * a header that cannot be annotated (the rest of that input is skipped).
 * Rejected lines are reported and counted here; a database failing
 * mid-stream is reported and sets gp->db_failed.
 */
int geoip_input(struct geoip *gp, struct input *in, struct line_stats *st);

#endif
