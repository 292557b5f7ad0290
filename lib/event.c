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

	ev->f[col] = event_keep(ev, tmp, num_format_u64(tmp, v));
}

void
event_add_extra(struct event *ev, const char *key, struct slice val)
{
	if (ev->nextra >= EVENT_MAX_EXTRA)
		return;
	ev->extra_key[ev->nextra] = slice_cstr(key);
	ev->extra_val[ev->nextra] = val;
	ev->nextra++;
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

/* Appends a field, with the memcpy fast path for clean short values. */
static inline void
put_field(struct outbuf *ob, struct slice s, int flags)
{
	if (s.n < 256 && (flags == ESC_TSV) && esc_is_clean(s)) {
		char *dst = outbuf_reserve(ob, s.n);
		memcpy(dst, s.p, s.n);
		ob->len += s.n;
	} else {
		outbuf_put_escaped(ob, s, flags);
	}
}

void
event_write(struct outbuf *ob, const struct event *ev, struct time_cache *tc)
{
	char *dst;
	int i;

	dst = outbuf_reserve(ob, TIME_RFC3339_LEN + 1);
	if (ev->has_ts) {
		time_format_rfc3339(dst, ev->ts_ms, tc);
		ob->len += TIME_RFC3339_LEN;
	}
	for (i = 1; i < EV_EXTRA; i++) {
		outbuf_putc(ob, '\t');
		put_field(ob, ev->f[i], ESC_TSV);
	}
	outbuf_putc(ob, '\t');
	for (i = 0; i < ev->nextra; i++) {
		if (i)
			outbuf_putc(ob, ';');
		put_field(ob, ev->extra_key[i], ESC_TSV);
		outbuf_putc(ob, '=');
		put_field(ob, ev->extra_val[i], ESC_EXTRA);
	}
	outbuf_putc(ob, '\t');
	if (ev->origin_file) {
		char num[21];

		put_field(ob, slice_cstr(ev->origin_file), ESC_TSV);
		outbuf_putc(ob, ':');
		outbuf_put(ob, num, num_format_u64(num, ev->origin_line));
	}
	outbuf_putc(ob, '\n');
}
