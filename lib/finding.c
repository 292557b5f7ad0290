/*
 * finding.c: the findings stream writer, shared by every check so that all
 * of them escape and format the same way.
 */
#include <stdio.h>
#include "esc.h"
#include "finding.h"
#include "num.h"

const char *const finding_columns[FD_NCOLS] = {
	"ts", "ts_last", "check", "rule", "severity", "score", "src_ip",
	"user", "dst", "count", "bytes", "reason", "clause", "stage", "origin"
};

const char *const finding_severities[5] = {
	"info", "low", "medium", "high", "critical"
};

const char *
finding_bytes(char *buf, size_t cap, uint64_t n)
{
	static const char *const unit[] = { "kB", "MB", "GB", "TB", "PB" };
	double v = (double)n / 1000.0;
	int u = 0;

	if (n < 1000) {
		snprintf(buf, cap, "%llu B", (unsigned long long)n);
		return buf;
	}
	while (v >= 999.95 && u < 4) {
		v /= 1000.0;
		u++;
	}
	snprintf(buf, cap, "%.1f %s", v, unit[u]);
	return buf;
}

int
finding_severity_level(struct slice name)
{
	int i;

	for (i = 0; i < 5; i++)
		if (slice_eq(name, finding_severities[i]))
			return i;
	return -1;
}

void
finding_write_header(struct outbuf *ob)
{
	int i;

	for (i = 0; i < FD_NCOLS; i++) {
		if (i)
			outbuf_putc(ob, '\t');
		outbuf_put(ob, finding_columns[i], strlen(finding_columns[i]));
	}
	outbuf_putc(ob, '\n');
}

static void
put_time(struct outbuf *ob, int64_t ms, struct time_cache *tc)
{
	char *dst = outbuf_reserve(ob, TIME_RFC3339_LEN);

	if (dst == NULL)
		return;		/* out of memory, ob->err says so */
	time_format_rfc3339(dst, ms, tc);
	ob->len += TIME_RFC3339_LEN;
}

void
finding_write(struct outbuf *ob, const struct finding *fd,
    struct time_cache *tc)
{
	char num[32];
	int i, sev = fd->severity;
	double score = fd->score;

	if (sev < 0 || sev > 4)
		sev = 0;
	if (!(score >= 0))
		score = 0;
	if (score > 1)
		score = 1;
	put_time(ob, fd->ts_ms, tc);
	outbuf_putc(ob, '\t');
	put_time(ob, fd->ts_last_ms, tc);
	for (i = FD_CHECK; i < FD_NCOLS; i++) {
		outbuf_putc(ob, '\t');
		switch (i) {
		case FD_SEVERITY:
			outbuf_put(ob, finding_severities[sev],
			    strlen(finding_severities[sev]));
			break;
		case FD_SCORE: {
			/* Three decimals without printf: it is per finding. */
			unsigned m = (unsigned)(score * 1000.0 + 0.5);

			num[0] = (char)('0' + m / 1000);
			num[1] = '.';
			num[2] = (char)('0' + m / 100 % 10);
			num[3] = (char)('0' + m / 10 % 10);
			num[4] = (char)('0' + m % 10);
			outbuf_put(ob, num, 5);
			break;
		}
		case FD_COUNT:
			outbuf_put(ob, num, num_format_u64(num, fd->count));
			break;
		case FD_BYTES:
			outbuf_put(ob, num, num_format_u64(num, fd->bytes));
			break;
		default:
			outbuf_put_escaped(ob, fd->f[i], ESC_TSV);
		}
	}
	outbuf_putc(ob, '\n');
}

struct slice
finding_raw(struct slice s, char *buf, size_t cap)
{
	size_t n;

	if (s.n > cap)
		s.n = cap;
	if (s.n == 0 || memchr(s.p, '\\', s.n) == NULL)
		return s;
	/* Never longer than s: said again for the compiler's bounds. */
	n = esc_unescape(buf, s);
	return slice_make(buf, n < s.n ? n : s.n);
}
