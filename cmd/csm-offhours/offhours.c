/*
 * offhours.c: csm-offhours' per-event work. Each proxy or firewall event
 * from an internal source is placed in the site's business calendar; one
 * outside business hours
 * (and outside any maintenance window covering its source or destination)
 * is counted under (source, destination, local day), or with --events
 * written through as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "finding.h"
#include "ipaddr.h"
#include "num.h"
#include "offhours.h"
#include "tsv.h"

const char *const offhours_columns[OH_NCOLS] = {
	"log", "src_ip", "dst_host", "dst_ip", "dst_port", "bytes_out",
	"bytes_in", "origin"
};

/*
 * --events: the event as it came, under the header it came with; only a
 * raw byte the stream contract forbids (a hand-made stream's) is escaped.
 */
static void
pass_through(struct offhours *oh, const struct evrow *row)
{
	int i;

	if (oh->hdr_written == NULL || row->hdr->len != oh->hdr_len ||
	    memcmp(row->hdr->text, oh->hdr_text, oh->hdr_len) != 0) {
		if (row->hdr->len <= sizeof oh->hdr_text) {
			memcpy(oh->hdr_text, row->hdr->text, row->hdr->len);
			oh->hdr_len = row->hdr->len;
		}
		oh->hdr_written = row->hdr;
		for (i = 0; i < row->hdr->ncols; i++) {
			if (i)
				outbuf_putc(oh->out, '\t');
			outbuf_put_escaped(oh->out, row->hdr->name[i],
			    ESC_MEND);
		}
		outbuf_putc(oh->out, '\n');
	}
	for (i = 0; i < row->nf; i++) {
		if (i)
			outbuf_putc(oh->out, '\t');
		outbuf_put_escaped(oh->out, row->f[i], ESC_MEND);
	}
	outbuf_putc(oh->out, '\n');
}

/* The destination: host name when the log has one, else address:port. */
static size_t
destination(const struct evrow *row, char *buf, size_t cap)
{
	struct slice host = evrow_get(row, OH_DST_HOST);
	struct slice ip = evrow_get(row, OH_DST_IP);
	struct slice port = evrow_get(row, OH_DST_PORT);
	size_t n;

	if (host.n > 0 && host.n < cap) {
		memcpy(buf, host.p, host.n);
		return host.n;
	}
	if (ip.n + port.n + 3 > cap)
		return 0;
	n = 0;
	if (memchr(ip.p, ':', ip.n) && port.n)
		buf[n++] = '[';
	memcpy(buf + n, ip.p, ip.n);
	n += ip.n;
	if (port.n) {
		if (buf[0] == '[')
			buf[n++] = ']';
		buf[n++] = ':';
		memcpy(buf + n, port.p, port.n);
		n += port.n;
	}
	return n;
}

/* Whether a maintenance window covers the address in s at utc. */
static int
maintained(const struct offhours *oh, struct slice s, int64_t utc)
{
	struct ipaddr ip;

	return s.n > 0 && ip_parse(s, &ip) == 0 &&
	    config_in_maintenance(oh->cfg, utc, &ip) != NULL;
}

enum line_result
offhours_event(void *arg, struct evrow *row)
{
	struct offhours *oh = arg;
	struct slice log = evrow_get(row, OH_LOG);
	struct slice src = evrow_get(row, OH_SRC_IP);
	struct config_local lt;
	struct agg_entry *e;
	struct ipaddr sip;
	enum bizcal_state st;
	const char *hname;
	char key[1400];
	size_t n;
	int64_t utc;

	if (!slice_eq(log, "proxy") && !slice_eq(log, "firewall"))
		return LINE_SKIPPED;
	if (row->ts_ms == INT64_MIN) {
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	}
	if (src.n == 0 || ip_parse(src, &sip) != 0) {
		char q[80];

		snprintf(row->reason, sizeof row->reason, "bad src_ip '%s'",
		    diag_quote(q, sizeof q, src));
		return LINE_REJECTED;
	}
	/*
	 * The check is about the organisation's own machines: visitors of a
	 * public web server keep their own hours, and a proxy's own
	 * connections repeat its clients' requests.
	 */
	if (!config_is_internal(oh->cfg, &sip)) {
		oh->outside++;
		return LINE_SKIPPED;
	}
	if (config_is_proxy(oh->cfg, &sip)) {
		oh->proxies++;
		return LINE_SKIPPED;
	}
	utc = row->ts_ms >= 0 ? row->ts_ms / 1000 : -((-row->ts_ms + 999) /
	    1000);
	st = bizcal_classify(&oh->cal, utc, &lt, &hname);
	if (st == BIZCAL_OPEN)
		return LINE_SKIPPED;
	if (config_in_maintenance(oh->cfg, utc, &sip) ||
	    maintained(oh, evrow_get(row, OH_DST_IP), utc)) {
		oh->maintenance++;
		return LINE_SKIPPED;
	}
	if (oh->events_mode) {
		pass_through(oh, row);
		return LINE_USED;
	}

	/* Key: source, destination, local date; TABs cannot occur inside. */
	memcpy(key, src.p, src.n < 200 ? src.n : 200);
	n = src.n < 200 ? src.n : 200;
	key[n++] = '\t';
	n += destination(row, key + n, 1024);
	/* The local day as its number: cheaper than formatting a date. */
	key[n++] = '\t';
	n += num_format_u64(key + n, (uint64_t)(lt.days + 1000000));
	if ((e = agg_get(&oh->agg, slice_make(key, n))) == NULL ||
	    agg_add(e, row->ts_ms, num_field_u64(evrow_get(row, OH_BYTES_OUT)) +
	    num_field_u64(evrow_get(row, OH_BYTES_IN)), evrow_get(row,
	    OH_ORIGIN)) != 0) {
		oh->oom = 1;
		snprintf(row->reason, sizeof row->reason, "out of memory");
		return LINE_REJECTED;
	}
	e->flags = (uint64_t)st;	/* the day's state: the rule column */
	return LINE_USED;
}

static const char *const wday_names[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

/* The reason column: what, when in local time, and why it is off-hours. */
static void
reason(struct offhours *oh, const struct agg_entry *e, char *buf,
    size_t cap)
{
	struct config_local a, b;
	const char *hname = NULL;
	char why[160], span[32];

	config_local_time(oh->cfg, e->first_ms / 1000, &a);
	config_local_time(oh->cfg, e->last_ms / 1000, &b);
	switch ((enum bizcal_state)e->flags) {
	case BIZCAL_HOLIDAY:
		bizcal_holiday(&oh->cal, a.days, &hname);
		snprintf(why, sizeof why, "a holiday%s%s%s", hname && *hname ?
		    " (" : "", hname ? hname : "", hname && *hname ? ")" : "");
		break;
	case BIZCAL_DAY_OFF:
		snprintf(why, sizeof why, "not a business day");
		break;
	default:
		snprintf(why, sizeof why, "outside business hours");
		break;
	}
	if (a.days == b.days && a.minute == b.minute)
		snprintf(span, sizeof span, "at %02d:%02d", a.minute / 60,
		    a.minute % 60);
	else
		snprintf(span, sizeof span, "%02d:%02d-%02d:%02d",
		    a.minute / 60, a.minute % 60, b.minute / 60,
		    b.minute % 60);
	snprintf(buf, cap, "%llu event%s on %s %04d-%02d-%02d, %s %s: %s",
	    (unsigned long long)e->count, e->count == 1 ? "" : "s",
	    wday_names[a.wday], a.year, a.month, a.day, span,
	    config_timezone(oh->cfg), why);
}

/* Copies escaped field s, unescaped, into buf; the finding re-escapes. */
static struct slice
raw(struct slice s, char *buf, size_t cap)
{
	if (s.n > cap)
		s.n = cap;
	return slice_make(buf, esc_unescape(buf, s));
}

int
offhours_write_findings(struct offhours *oh)
{
	struct agg_entry **v = agg_sorted(&oh->agg);
	char src[256], dst[1100], origin[1100], why[512];
	struct finding fd;
	size_t i;

	if (v == NULL)
		return -1;
	finding_write_header(oh->out);
	for (i = 0; i < oh->agg.n; i++) {
		const struct agg_entry *e = v[i];

		memset(&fd, 0, sizeof fd);
		fd.ts_ms = e->first_ms;
		fd.ts_last_ms = e->last_ms;
		fd.f[FD_CHECK] = slice_cstr("offhours");
		fd.f[FD_RULE] = slice_cstr(bizcal_state_names[e->flags]);
		/* Off-hours alone is weak evidence: more events, more weight. */
		fd.severity = 1;
		fd.score = 1.0 - 1.0 / (1.0 + (double)e->count / 20.0);
		fd.f[FD_SRC_IP] = raw(agg_key_field(e, 0), src, sizeof src);
		fd.f[FD_DST] = raw(agg_key_field(e, 1), dst, sizeof dst);
		fd.count = e->count;
		fd.bytes = e->bytes;
		reason(oh, e, why, sizeof why);
		fd.f[FD_REASON] = slice_cstr(why);
		fd.f[FD_CLAUSE] = slice_cstr("19.1.2 proxy-5");
		fd.f[FD_STAGE] = slice_cstr("c2");
		fd.f[FD_ORIGIN] = raw(slice_cstr(e->origin), origin,
		    sizeof origin);
		finding_write(oh->out, &fd, &oh->tc);
	}
	free(v);
	return 0;
}
