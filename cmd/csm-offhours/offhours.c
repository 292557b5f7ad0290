/*
 * offhours.c: csm-offhours' per-event work. Each proxy or firewall event
 * from an internal source is placed in the site's business calendar; one
 * outside business hours (and outside any maintenance window covering its
 * source or destination) is counted under (source, destination, local
 * day), or with --events written through as it is. findings.c writes the
 * findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "ipaddr.h"
#include "num.h"
#include "offhours.h"
#include "srcmemo.h"
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
	int bracket;

	if (host.n > 0 && host.n < cap) {
		memcpy(buf, host.p, host.n);
		return host.n;
	}
	if (ip.n + port.n + 3 > cap)
		return 0;
	n = 0;
	/* An IPv6 address before a port, unless the log bracketed it. */
	bracket = port.n > 0 && ip.n > 0 && ip.p[0] != '[' &&
	    memchr(ip.p, ':', ip.n) != NULL;
	if (bracket)
		buf[n++] = '[';
	memcpy(buf + n, ip.p, ip.n);
	n += ip.n;
	if (port.n) {
		if (bracket)
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

	return s.n > 0 && config_has_maintenance(oh->cfg) &&
	    ip_parse(s, &ip) == 0 &&
	    config_in_maintenance(oh->cfg, utc, &ip) != NULL;
}

/* What offhours_prep makes of a record: aux[OHX_KIND]. */
enum oh_kind {
	OHK_SKIP,		/* neither proxy nor firewall */
	OHK_NO_TIME, OHK_BAD_SRC,	/* rejected */
	OHK_OUTSIDE, OHK_PROXY, OHK_MAINTENANCE,	/* left out, counted */
	OHK_OPEN,		/* in business hours */
	OHK_OFF			/* off hours: to count */
};

/* The words of aux. */
enum { OHX_KIND, OHX_STATE, OHX_DAYS, OHX_HASH };

/*
 * The aggregation key of an off-hours event: source, destination, local
 * day (as its number: cheaper than formatting a date); TABs cannot occur
 * inside. Its length; key has room for OH_KEY_MAX bytes.
 */
#define OH_KEY_MAX 1400

static size_t
build_key(const struct evrow *row, int64_t days, char *key)
{
	struct slice src = evrow_get(row, OH_SRC_IP);
	size_t n = src.n < 200 ? src.n : 200;

	memcpy(key, src.p, n);
	key[n++] = '\t';
	n += destination(row, key + n, 1024);
	key[n++] = '\t';
	n += num_format_u64(key + n, (uint64_t)(days + 1000000));
	return n;
}

/*
 * What the preparation remembers: a day's events come from a few hundred
 * sources, in time order, and parsing each source's address and placing
 * each instant on the business calendar were most of its work. Only the
 * thread that runs the preparation touches it, and one thread at a time
 * does (evread's, or without one the check's).
 */
struct oh_memo {
	struct src_memo src;
	int64_t minute;			/* UTC minute of st, days; or INT64_MIN */
	enum bizcal_state st;
	int64_t days;
};

int
offhours_memo_new(struct offhours *oh)
{
	if ((oh->memo = calloc(1, sizeof *oh->memo)) == NULL)
		return -1;
	oh->memo->minute = INT64_MIN;
	return 0;
}

void
offhours_memo_free(struct offhours *oh)
{
	free(oh->memo);
	oh->memo = NULL;
}

/*
 * What the source at text s is to the check: OHK_BAD_SRC, OHK_OUTSIDE,
 * OHK_PROXY, or OHK_OFF for an internal host to count, with its address.
 * The check is about the organisation's own machines: visitors of a
 * public web server keep their own hours, and a proxy's own connections
 * repeat its clients' requests.
 */
static enum oh_kind
source_kind(const struct offhours *oh, struct slice s, struct ipaddr *ip)
{
	static const enum oh_kind kind[] = {
		[SRC_BAD] = OHK_BAD_SRC, [SRC_OUTSIDE] = OHK_OUTSIDE,
		[SRC_PROXY] = OHK_PROXY, [SRC_INTERNAL] = OHK_OFF
	};

	return kind[src_classify(oh->cfg, oh->memo ? &oh->memo->src : NULL,
	    s, ip)];
}

/*
 * The business calendar's verdict on utc, and its local date: the same
 * for a whole minute of UTC when the zone's offset is whole minutes (all
 * but a few before 1972, such as Monrovia's -0:44:30, which are not kept).
 */
static enum bizcal_state
classify(const struct offhours *oh, int64_t utc, int64_t *days)
{
	int64_t minute = utc >= 0 ? utc / 60 : -((-utc + 59) / 60);
	struct config_local lt;
	enum bizcal_state st;
	const char *hname;

	if (oh->memo != NULL && oh->memo->minute == minute) {
		*days = oh->memo->days;
		return oh->memo->st;
	}
	st = bizcal_classify(&oh->cal, utc, &lt, &hname);
	*days = lt.days;
	if (oh->memo != NULL) {
		oh->memo->minute = lt.offset % 60 == 0 ? minute : INT64_MIN;
		oh->memo->st = st;
		oh->memo->days = lt.days;
	}
	return st;
}

void
offhours_prep(const void *arg, const struct evrow *row, uint64_t *aux)
{
	const struct offhours *oh = arg;
	struct slice log = evrow_get(row, OH_LOG);
	struct ipaddr sip;
	enum bizcal_state st;
	enum oh_kind k;
	char key[OH_KEY_MAX];
	int64_t utc, days;

	if (!slice_eq(log, "proxy") && !slice_eq(log, "firewall")) {
		aux[OHX_KIND] = OHK_SKIP;
		return;
	}
	if (row->ts_ms == INT64_MIN) {
		aux[OHX_KIND] = OHK_NO_TIME;
		return;
	}
	if ((k = source_kind(oh, evrow_get(row, OH_SRC_IP), &sip)) != OHK_OFF) {
		aux[OHX_KIND] = k;
		return;
	}
	utc = row->ts_ms >= 0 ? row->ts_ms / 1000 : -((-row->ts_ms + 999) /
	    1000);
	if ((st = classify(oh, utc, &days)) == BIZCAL_OPEN) {
		aux[OHX_KIND] = OHK_OPEN;
		return;
	}
	if (config_in_maintenance(oh->cfg, utc, &sip) ||
	    maintained(oh, evrow_get(row, OH_DST_IP), utc)) {
		aux[OHX_KIND] = OHK_MAINTENANCE;
		return;
	}
	aux[OHX_KIND] = OHK_OFF;
	aux[OHX_STATE] = (uint64_t)st;
	aux[OHX_DAYS] = (uint64_t)days;
	aux[OHX_HASH] = oh->events_mode ? 0 :
	    agg_hash(slice_make(key, build_key(row, days, key)));
}

void
offhours_ahead(void *arg, const uint64_t *aux)
{
	struct offhours *oh = arg;
	uint64_t h = aux[OHX_KIND] == OHK_OFF ? aux[OHX_HASH] : 0;
	uint64_t back = oh->ahead[(oh->ahead_pos + OH_AHEAD - OH_STEP) %
	    OH_AHEAD];

	/* By now the slot of the row OH_STEP rows back is in cache. */
	if (back != 0)
		agg_prefetch_entry(&oh->agg, back);
	if (h != 0)
		agg_prefetch_slot(&oh->agg, h);
	oh->ahead[oh->ahead_pos] = h;
	oh->ahead_pos = (oh->ahead_pos + 1) % OH_AHEAD;
}

enum line_result
offhours_event(void *arg, struct evrow *row)
{
	struct offhours *oh = arg;
	const uint64_t *aux = row->aux;
	uint64_t mine[EVROW_AUX];
	struct agg_entry *e;
	char key[OH_KEY_MAX], q[80];
	size_t n;

	if (aux == NULL) {
		offhours_prep(oh, row, mine);
		aux = mine;
	}
	switch ((enum oh_kind)aux[OHX_KIND]) {
	case OHK_SKIP:
	case OHK_OPEN:
		return LINE_SKIPPED;
	case OHK_NO_TIME:
		snprintf(row->reason, sizeof row->reason, "event has no time");
		return LINE_REJECTED;
	case OHK_BAD_SRC:
		snprintf(row->reason, sizeof row->reason, "bad src_ip '%s'",
		    diag_quote(q, sizeof q, evrow_get(row, OH_SRC_IP)));
		return LINE_REJECTED;
	case OHK_OUTSIDE:
		oh->outside++;
		return LINE_SKIPPED;
	case OHK_PROXY:
		oh->proxies++;
		return LINE_SKIPPED;
	case OHK_MAINTENANCE:
		oh->maintenance++;
		return LINE_SKIPPED;
	case OHK_OFF:
		break;
	}
	if (oh->events_mode) {
		pass_through(oh, row);
		return LINE_USED;
	}
	n = build_key(row, (int64_t)aux[OHX_DAYS], key);
	if ((e = agg_get_hashed(&oh->agg, slice_make(key, n),
	    aux[OHX_HASH])) == NULL || agg_add(e, row->ts_ms,
	    num_field_u64(evrow_get(row, OH_BYTES_OUT)) +
	    num_field_u64(evrow_get(row, OH_BYTES_IN)), evrow_get(row,
	    OH_ORIGIN)) != 0) {
		oh->oom = 1;
		snprintf(row->reason, sizeof row->reason, "out of memory");
		return LINE_REJECTED;
	}
	e->flags = aux[OHX_STATE];	/* the day's state: the rule column */
	return LINE_USED;
}
