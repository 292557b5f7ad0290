/*
 * fmt_zeek_http.c: Zeek (Bro) http.log in the ASCII/TSV writer's form, one
 * line per HTTP request/response pair seen on the wire. Columns are taken
 * by name from each header block's #fields (old Bro 2.x logs lack newer
 * columns), through the shared reader in zeek.c. Zeek sees traffic, not a
 * policy, so every event is an "allow". Host and port of the target come
 * from the Host header, then from a CONNECT authority or an absolute URI
 * (a request to a proxy); dst_ip stays the server Zeek saw the request go
 * to, which is the proxy itself for proxied requests.
 */
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "url.h"
#include "zeek_view.h"

enum zh_col {
	ZH_TS, ZH_UID, ZH_ORIG_H, ZH_ORIG_P, ZH_RESP_H, ZH_RESP_P, ZH_METHOD,
	ZH_HOST, ZH_URI, ZH_REFERRER, ZH_UA, ZH_REQ_LEN, ZH_RESP_LEN,
	ZH_STATUS, ZH_STATUS_MSG, ZH_USERNAME, ZH_RESP_MIME, ZH_NCOLS
};

static const char *const zh_names[ZH_NCOLS] = {
	"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
	"method", "host", "uri", "referrer", "user_agent", "request_body_len",
	"response_body_len", "status_code", "status_msg", "username",
	"resp_mime_types"
};

/* Without #path, these columns mark the log. */
static const char *const zh_sniff_cols[] = {
	"id.orig_h", "method", "uri", NULL
};

static const struct zeek_view_spec zh_spec = {
	.fmt = "zeek-http",
	.kind = "http",
	.key = "uri",
	.key_always = 0,
	.not_kind = "not an http log",
	.names = zh_names,
	.ncols = ZH_NCOLS,
	.sniff_cols = zh_sniff_cols,
};

static int
zeek_http_sniff(const struct slice *lines, int n)
{
	return zeek_view_sniff(&zh_spec, lines, n);
}

static void *
zeek_http_open(struct parse_ctx *ctx)
{
	return zeek_view_open(&zh_spec, ctx);
}

static enum line_result
zeek_http_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct zeek_view *s = state;
	struct event *ev = ctx->ev;
	struct slice method, host, uri;
	enum line_result r;

	switch (zeek_read(&s->z, line)) {
	case ZEEK_META:
		return LINE_SKIPPED;
	case ZEEK_BAD:
		return fmt_reject(ctx, "zeek-http: %s", s->z.why);
	case ZEEK_DATA:
		break;
	}
	if ((r = zeek_view_check(s, ctx)) != LINE_USED)
		return r;
	if (zeek_kind(&s->z, s->col[ZH_TS]) != ZEEK_VALUE ||
	    zeek_time_ms(s->z.val[s->col[ZH_TS]], &ev->ts_ms) != 0)
		return zeek_view_bad(s, ctx, ZH_TS);
	ev->has_ts = 1;
	if (zeek_view_addr(s, ev, ZH_ORIG_H, EV_SRC_IP) != 0)
		return zeek_view_bad(s, ctx, ZH_ORIG_H);
	if (zeek_view_count(s, ev, ZH_ORIG_P, EV_SRC_PORT, 65535) != 0)
		return zeek_view_bad(s, ctx, ZH_ORIG_P);
	if (zeek_view_addr(s, ev, ZH_RESP_H, EV_DST_IP) != 0)
		return zeek_view_bad(s, ctx, ZH_RESP_H);
	if (zeek_view_count(s, ev, ZH_RESP_P, EV_DST_PORT, 65535) != 0)
		return zeek_view_bad(s, ctx, ZH_RESP_P);
	if (zeek_view_count(s, ev, ZH_STATUS, EV_STATUS, 999) != 0)
		return zeek_view_bad(s, ctx, ZH_STATUS);
	if (zeek_view_count(s, ev, ZH_REQ_LEN, EV_BYTES_OUT, UINT64_MAX) != 0)
		return zeek_view_bad(s, ctx, ZH_REQ_LEN);
	if (zeek_view_count(s, ev, ZH_RESP_LEN, EV_BYTES_IN, UINT64_MAX) != 0)
		return zeek_view_bad(s, ctx, ZH_RESP_LEN);

	ev->f[EV_LOG] = SLICE_LIT("proxy");
	ev->f[EV_FORMAT] = SLICE_LIT("zeek-http");
	ev->f[EV_PROTO] = SLICE_LIT("tcp");
	ev->f[EV_ACTION] = SLICE_LIT("allow");
	method = zeek_str(&s->z, s->col[ZH_METHOD], ev);
	host = zeek_str(&s->z, s->col[ZH_HOST], ev);
	uri = zeek_str(&s->z, s->col[ZH_URI], ev);
	ev->f[EV_METHOD] = method;
	ev->f[EV_URL] = uri;
	/*
	 * The Host header names the target, with its port when it is not
	 * the default; url_fill_target reads "host:port" for CONNECT. Then
	 * a CONNECT authority or an absolute URI, sent to a proxy, wins.
	 */
	if (host.n)
		url_fill_target(ev, SLICE_LIT("CONNECT"), host);
	if (uri.n)
		url_fill_target(ev, method, uri);
	ev->f[EV_UA] = zeek_str(&s->z, s->col[ZH_UA], ev);
	ev->f[EV_USER] = zeek_str(&s->z, s->col[ZH_USERNAME], ev);
	zeek_view_extra(s, ev, ZH_UID, "uid");
	zeek_view_extra(s, ev, ZH_REFERRER, "referrer");
	zeek_view_extra(s, ev, ZH_STATUS_MSG, "status_msg");
	zeek_view_extra(s, ev, ZH_RESP_MIME, "resp_mime_types");
	return fmt_emit(ctx);
}

const struct fmt fmt_zeek_http = {
	.name = "zeek-http",
	.log = "proxy",
	.summary = "Zeek/Bro http.log (TSV with #fields header)",
	.sniff = zeek_http_sniff,
	.open = zeek_http_open,
	.line = zeek_http_line,
	.close = zeek_view_close,
};
