/*
 * event.c: the events stream writer. This is the hot path of csm-parse:
 * columns are appended straight into the output buffer, clean values with
 * one memcpy, the timestamp from a per-second cache.
 */
#include "esc.h"
#include "event.h"
#include "num.h"

const char *const event_columns[EV_NCOLS] = {
	"ts", "log", "format", "device", "src_ip", "src_port", "user",
	"dst_host", "dst_ip", "dst_port", "proto", "action", "method", "url",
	"status", "bytes_out", "bytes_in", "duration_ms", "ua", "mail_from",
	"hdr_from", "hdr_from_name", "rcpt", "subject", "attach", "msg_id",
	"qname", "qtype", "rcode", "answer", "event_id", "account",
	"logon_type", "outcome", "extra", "origin"
};

void
event_clear(struct event *ev)
{
	memset(ev->f, 0, sizeof ev->f);
	ev->checked = 0;
	ev->has_ts = 0;
	ev->nextra = 0;
	ev->scratch_used = 0;
}

struct slice
event_keep(struct event *ev, const char *p, size_t n)
{
	char *dst;

	if (EVENT_SCRATCH - ev->scratch_used < n)
		return SLICE_NONE;
	dst = ev->scratch + ev->scratch_used;
	memcpy(dst, p, n);
	ev->scratch_used += n;
	return slice_make(dst, n);
}

void
event_set_u64(struct event *ev, enum ev_col col, uint64_t v)
{
	char tmp[20];

	event_set_checked(ev, col, event_keep(ev, tmp, num_format_u64(tmp, v)));
}

void
event_write_header(struct outbuf *ob)
{
	int i;

	for (i = 0; i < EV_NCOLS; i++) {
		if (i)
			outbuf_putc(ob, '\t');
		outbuf_put(ob, event_columns[i], strlen(event_columns[i]));
	}
	outbuf_putc(ob, '\n');
}

/* Bytes that ev can take at most once escaped, plus separators. */
static size_t
event_max_size(const struct event *ev, size_t origin_len)
{
	size_t need = TIME_RFC3339_LEN + EV_NCOLS + 24 + origin_len;
	int i;

	for (i = 0; i < EV_NCOLS; i++)
		need += ev->f[i].n;
	for (i = 0; i < ev->nextra; i++)
		need += ev->extra_key[i].n + ev->extra_val[i].n + 2;
	return need * ESC_MAX_GROWTH;
}

/* Writes the record when it may not fit the buffer at once: field by field. */
static void
event_write_pieces(struct outbuf *ob, const struct event *ev,
    struct slice origin, struct time_cache *tc)
{
	char num[21];
	int i;

	if (ev->has_ts) {
		char *dst = outbuf_reserve(ob, TIME_RFC3339_LEN);
		if (dst == NULL)
			return;		/* out of memory, ob->err says so */
		time_format_rfc3339(dst, ev->ts_ms, tc);
		ob->len += TIME_RFC3339_LEN;
	}
	for (i = 1; i < EV_EXTRA; i++) {
		outbuf_putc(ob, '\t');
		outbuf_put_escaped(ob, ev->f[i], ESC_TSV);
	}
	outbuf_putc(ob, '\t');
	for (i = 0; i < ev->nextra; i++) {
		if (i)
			outbuf_putc(ob, ';');
		outbuf_put(ob, ev->extra_key[i].p, ev->extra_key[i].n);
		outbuf_putc(ob, '=');
		outbuf_put_escaped(ob, ev->extra_val[i], ESC_EXTRA);
	}
	outbuf_putc(ob, '\t');
	if (origin.n) {
		outbuf_put(ob, origin.p, origin.n);
		outbuf_putc(ob, ':');
		outbuf_put(ob, num, num_format_u64(num, ev->origin_line));
	}
	outbuf_putc(ob, '\n');
}

void
event_write(struct outbuf *ob, const struct event *ev, struct time_cache *tc)
{
	struct slice origin = ev->origin_file ? slice_cstr(ev->origin_file) :
	    SLICE_NONE;
	size_t need = event_max_size(ev, origin.n);
	char *base, *d;
	int i;

	if (need > OUTBUF_SIZE / 2) {
		event_write_pieces(ob, ev, origin, tc);
		return;
	}
	/* The common case: one reservation, then straight writes. */
	if ((base = d = outbuf_reserve(ob, need)) == NULL)
		return;		/* out of memory, ob->err says so */
	if (ev->has_ts) {
		time_format_rfc3339(d, ev->ts_ms, tc);
		d += TIME_RFC3339_LEN;
	}
	for (i = 1; i < EV_EXTRA; i++) {
		*d++ = '\t';
		if (ev->f[i].n == 0)
			continue;
		if (ev->checked & (1ULL << i)) {
			memcpy(d, ev->f[i].p, ev->f[i].n);
			d += ev->f[i].n;
		} else {
			d += esc_tsv(d, ev->f[i], ESC_TSV);
		}
	}
	*d++ = '\t';
	for (i = 0; i < ev->nextra; i++) {
		if (i)
			*d++ = ';';
		memcpy(d, ev->extra_key[i].p, ev->extra_key[i].n);
		d += ev->extra_key[i].n;
		*d++ = '=';
		d += esc_tsv(d, ev->extra_val[i], ESC_EXTRA);
	}
	*d++ = '\t';
	if (origin.n) {
		memcpy(d, origin.p, origin.n);
		d += origin.n;
		*d++ = ':';
		d += num_format_u64(d, ev->origin_line);
	}
	*d++ = '\n';
	ob->len += (size_t)(d - base);
}
