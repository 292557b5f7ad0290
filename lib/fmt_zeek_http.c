/*
 * fmt_zeek_http.c: Zeek (Bro) http.log, one record per HTTP request and
 * response pair seen on the wire: the zeek-http format (the ASCII/TSV
 * writer's form, columns taken by name from each header block's #fields
 * through zeek.c; old Bro 2.x logs lack newer columns) and the http
 * mapping that zeek-json uses for http records too. Zeek sees traffic, not
 * a policy, so every event is an "allow". Host and port of the target come
 * from the Host header, then from a CONNECT authority or an absolute URI
 * (a request to a proxy); dst_ip stays the server Zeek saw the request go
 * to, which is the proxy itself for proxied requests.
 */
#include "fmt.h"
#include "url.h"
#include "zeek_view.h"

enum zh_col {
	ZH_UID = ZEEK_VIEW_UID, ZH_METHOD = ZEEK_VIEW_NID, ZH_HOST,
	ZH_URI, ZH_REFERRER, ZH_UA, ZH_REQ_LEN, ZH_RESP_LEN, ZH_STATUS,
	ZH_STATUS_MSG, ZH_USERNAME, ZH_RESP_MIME, ZH_NCOLS
};

static const char *const zh_names[ZH_NCOLS] = {
	ZEEK_VIEW_ID_NAMES, "method", "host", "uri", "referrer",
	"user_agent", "request_body_len", "response_body_len",
	"status_code", "status_msg", "username", "resp_mime_types"
};

/* Without #path, these columns mark the log. */
static const char *const zh_sniff_cols[] = {
	"id.orig_h", "method", "uri", NULL
};

static enum line_result zeek_http_map(const struct zeek_view_rec *r,
    struct parse_ctx *ctx);

const struct zeek_view_spec fmt_zeek_http_spec = {
	.fmt = "zeek-http",
	.kind = "http",
	.key = "uri",
	.key_always = 0,
	.not_kind = "not an http log",
	.names = zh_names,
	.ncols = ZH_NCOLS,
	.sniff_cols = zh_sniff_cols,
	.map = zeek_http_map,
};

static int
zeek_http_sniff(const struct slice *lines, int n)
{
	return zeek_view_sniff(&fmt_zeek_http_spec, lines, n);
}

static void *
zeek_http_open(struct parse_ctx *ctx)
{
	return zeek_view_open(&fmt_zeek_http_spec, ctx);
}

static enum line_result
zeek_http_map(const struct zeek_view_rec *r, struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	struct slice method, host, uri;

	if (zeek_view_count(r, ev, ZH_STATUS, EV_STATUS, 999) != 0)
		return zeek_view_bad(r, ctx, ZH_STATUS);
	if (zeek_view_count(r, ev, ZH_REQ_LEN, EV_BYTES_OUT, UINT64_MAX) != 0)
		return zeek_view_bad(r, ctx, ZH_REQ_LEN);
	if (zeek_view_count(r, ev, ZH_RESP_LEN, EV_BYTES_IN, UINT64_MAX) != 0)
		return zeek_view_bad(r, ctx, ZH_RESP_LEN);

	ev->f[EV_LOG] = SLICE_LIT("proxy");
	ev->f[EV_PROTO] = SLICE_LIT("tcp");
	ev->f[EV_ACTION] = SLICE_LIT("allow");
	method = zeek_view_str(r, ZH_METHOD, ev);
	/*
	 * Zeek trims only the blanks before a header's value; a server
	 * ignores those after the host, which a client adds to slip a
	 * listed name past a check.
	 */
	host = slice_trim(zeek_view_str(r, ZH_HOST, ev));
	uri = zeek_view_str(r, ZH_URI, ev);
	ev->f[EV_METHOD] = method;
	ev->f[EV_URL] = uri;
	/*
	 * The Host header names the target, with its port when it is not
	 * the default; url_fill_target reads "host:port" for CONNECT. Then
	 * a CONNECT authority or an absolute URI, sent to a proxy, wins.
	 * A tunnel goes where its authority says, whatever the client put
	 * in its Host header, and id.resp_p is then the proxy's port: a
	 * CONNECT without a port in its authority has none.
	 */
	if (slice_eq_nocase(method, "CONNECT") && uri.n > 0)
		ev->f[EV_DST_PORT] = SLICE_NONE;
	else if (host.n)
		url_fill_target(ev, SLICE_LIT("CONNECT"), host);
	if (uri.n)
		url_fill_target(ev, method, uri);
	ev->f[EV_UA] = zeek_view_str(r, ZH_UA, ev);
	ev->f[EV_USER] = zeek_view_str(r, ZH_USERNAME, ev);
	zeek_view_extra(r, ev, ZH_UID, "uid");
	zeek_view_extra(r, ev, ZH_REFERRER, "referrer");
	zeek_view_extra(r, ev, ZH_STATUS_MSG, "status_msg");
	zeek_view_set_extra(r, ev, ZH_RESP_MIME, "resp_mime_types");
	return fmt_emit(ctx);
}

const struct fmt fmt_zeek_http = {
	.name = "zeek-http",
	.log = "proxy",
	.summary = "Zeek/Bro http.log (TSV with #fields header)",
	.sniff = zeek_http_sniff,
	.open = zeek_http_open,
	.line = zeek_view_line,
	.close = zeek_view_close,
};
