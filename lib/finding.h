/*
 * finding.h: the findings record that every check writes and csm-report
 * reads (csm-events(5)). Checks fill a struct finding and write it; the
 * column order here is the contract.
 */
#ifndef CSM_FINDING_H
#define CSM_FINDING_H

#include <stdint.h>
#include "outbuf.h"
#include "slice.h"
#include "timeconv.h"

enum fd_col {
	FD_TS, FD_TS_LAST, FD_CHECK, FD_RULE, FD_SEVERITY, FD_SCORE,
	FD_SRC_IP, FD_USER, FD_DST, FD_COUNT, FD_BYTES, FD_REASON, FD_CLAUSE,
	FD_STAGE, FD_ORIGIN, FD_NCOLS
};

/* Column names in stream order. */
extern const char *const finding_columns[FD_NCOLS];

/*
 * A byte count for a finding's reason, in SI units: "999 B", "1.2 kB",
 * "45.0 MB", up to PB. Returns buf.
 */
const char *finding_bytes(char *buf, size_t cap, uint64_t n);

/* Severity names in increasing order; index is the severity level. */
extern const char *const finding_severities[5];

struct finding {
	int64_t ts_ms, ts_last_ms;	/* UTC milliseconds */
	struct slice f[FD_NCOLS];	/* text columns; times and score unused */
	int severity;			/* index into finding_severities */
	double score;			/* 0-1 */
	uint64_t count, bytes;
};

/* Level of a severity name, or -1. */
int finding_severity_level(struct slice name);

/* Writes the header line of the findings stream. */
void finding_write_header(struct outbuf *ob);

/*
 * The raw bytes of escaped field s (at most cap of them) for a finding,
 * which escapes them again: s itself when it holds no escape (so valid as
 * long as s is), else unescaped into buf (cap bytes).
 */
struct slice finding_raw(struct slice s, char *buf, size_t cap);

/* Writes one finding as an escaped TSV record. */
void finding_write(struct outbuf *ob, const struct finding *fd,
    struct time_cache *tc);

#endif
