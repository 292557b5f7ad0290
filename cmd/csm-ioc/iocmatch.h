/*
 * iocmatch.h: what csm-ioc's main.c hands to the list loading (lists.c)
 * to the per-event matching (iocmatch.c) and to the findings (findings.c).
 */
#ifndef CSM_IOCMATCH_H
#define CSM_IOCMATCH_H

#include <stddef.h>
#include <stdint.h>
#include "agg.h"
#include "config.h"
#include "evstream.h"
#include "ioc.h"
#include "ipaddr.h"
#include "ioc_load.h"
#include "outbuf.h"
#include "timeconv.h"

/* The event columns the check reads, in evstream want order. */
enum im_col {
	IM_LOG, IM_SRC_IP, IM_USER, IM_DST_HOST, IM_DST_IP, IM_DST_PORT,
	IM_METHOD, IM_URL, IM_ACTION, IM_QNAME, IM_QTYPE, IM_ANSWER,
	IM_MAIL_FROM, IM_HDR_FROM, IM_BYTES_OUT, IM_BYTES_IN, IM_ORIGIN,
	IM_EXTRA, IM_NCOLS
};
extern const char *const iocmatch_columns[IM_NCOLS];
#define IM_NREQUIRED (IM_LOG + 1)	/* only log must exist */

/* The kinds of log the check reads, in findings order of clauses. */
enum im_log { LOG_PROXY, LOG_DNS, LOG_FIREWALL, LOG_MAIL, LOG_NKINDS };
extern const char *const iocmatch_log_names[LOG_NKINDS];	/* "proxy" */
extern const char *const iocmatch_clauses[LOG_NKINDS];	/* guideline's */

/*
 * The fields a match is found in: bits 0-7 of a finding's flags, with
 * how it was met and what the device did above them.
 */
enum im_field {
	F_DST_HOST, F_URL, F_DST_IP, F_QNAME, F_ANSWER, F_MAIL_FROM,
	F_HDR_FROM, F_SNI, F_NFIELDS
};
_Static_assert(F_NFIELDS <= 8, "a field is one of bits 0-7");
extern const char *const iocmatch_field_names[F_NFIELDS];
#define FL_EXACT (1u << 8)	/* the listed value itself was seen */
#define FL_UNDER (1u << 9)	/* a name, URL or address under it */
#define FL_ALLOW (1u << 10)	/* some event was let through */
#define FL_DENY (1u << 11)	/* some event was denied */

/*
 * A query that found nothing (a host, an address and port, a URL's
 * host, a proxy or firewall event's whole destination), remembered in
 * slot hash % IM_MISS_SLOTS. It keeps the query's
 * bytes whole, so that a remembered miss is exact, never a guess from a
 * hash; longer queries are not remembered.
 */
#define IM_MISS_SLOTS 16384
struct im_miss {
	uint32_t h;
	uint8_t kind, len;
	char key[90];
};

/*
 * The fields of an event that matching reads, escaped as written; R_SNI
 * is a proxy event's TLS server name, from extra.
 */
enum im_copied {
	R_SRC, R_USER, R_HOST, R_DST_IP, R_URL, R_QNAME, R_ANSWER,
	R_MAIL_FROM, R_HDR_FROM, R_BYTES_OUT, R_BYTES_IN, R_ORIGIN, R_SNI,
	R_NF
};
#define R_CONNECT 1		/* flags: a CONNECT request */
#define R_PTR 2			/* a PTR query */
#define R_DST 4			/* dst_ip is an address */
#define R_DENY 8		/* the device denied it */
#define R_ALLOW 16		/* the device let it through */

/* The fields of one event that matching reads. */
struct im_rec {
	int64_t ts_ms;
	struct slice f[R_NF];		/* escaped as written */
	uint16_t port;			/* dst_port, 0 when not known */
	uint8_t log, flags;
};

struct iocmatch {
	struct ioc_set *set;
	struct im_miss *miss;		/* IM_MISS_SLOTS of them */
	struct im_miss *prep_miss;	/* the same, iocmatch_prep's own */
	struct outbuf *out;
	struct time_cache tc;
	struct agg agg;			/* (source, indicator, log) */
	struct agg seen;		/* the same keys: what was seen, user */
	uint64_t events[LOG_NKINDS];	/* events with a match, per log */
	uint64_t answers_cut;		/* DNS events with answers left out */
	int oom;
};

/* An indicator list to read, and its format (IOC_FMT_AUTO: detect). */
struct iocfile {
	const char *path;
	enum ioc_format format;
};

/*
 * Reads the lists of [lists] ioc (lists, in lists_format) and then the
 * nfiles --ioc lists into m->set (created here, with m->miss), with the
 * public suffixes of psl (NULL: the system's list when there is one) and
 * the minimum confidence min_conf, reporting each bad line (at most
 * max_errors per list) and, with stats, what each list gave. Returns the
 * exit status so far: 0, 1 (lines rejected) or 3 (a list unreadable); 2
 * when there is no list at all or the public suffix list given cannot be
 * read; -1 when out of memory.
 */
int iocmatch_load(struct iocmatch *m, const struct config_strv *lists,
    enum ioc_format lists_format, const struct iocfile *files,
    size_t nfiles, const char *psl, int min_conf, uint64_t max_errors,
    int stats);

/*
 * The evstream callback: rejects an event with a bad destination address
 * or port, matches the others of the four logs.
 */
enum line_result iocmatch_event(void *arg, struct evrow *row);

/*
 * The evstream preparation hook, partial (evstream.h), in the reading
 * thread: matches a share of the events ahead of iocmatch_event (writes
 * only m->prep_miss).
 */
void iocmatch_prep(const void *arg, const struct evrow *row, uint64_t *aux);

/*
 * Matches and counts one event. Sets m->oom when memory runs out.
 */
void iocmatch_record(struct iocmatch *m, const struct im_rec *r);

/* Writes the findings (findings.c); returns -1 when out of memory. */
int iocmatch_write_findings(struct iocmatch *m);

/* Frees what m holds (its lists, caches and findings); m may be zeroed. */
void iocmatch_release(struct iocmatch *m);

#endif
