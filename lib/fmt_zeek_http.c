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
#include <stdlib.h>
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "url.h"
#include "zeek.h"

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

struct zeek_http {
	struct zeek z;
	uint64_t gen;		/* z.gen that col[] was mapped for */
	int col[ZH_NCOLS];	/* index in #fields, or -1 */
};

/* Whether a #path names an http log ("http", or a split "http_*"). */
static int
is_http_path(struct slice path)
{
	return slice_eq(path, "http") || slice_has_prefix(path, "http_");
}

static int
zeek_http_sniff(const struct slice *lines, int n)
{
	struct zeek z;

	if (!zeek_sniff_header(&z, lines, n))
		return 0;
	if (is_http_path(slice_make(z.path.b, z.path.n)))
		return 100;
	if (z.path.n == 0 && zeek_col(&z, "id.orig_h") >= 0 &&
	    zeek_col(&z, "method") >= 0 && zeek_col(&z, "uri") >= 0)
		return 90;
	return 0;
}

static void *
zeek_http_open(struct parse_ctx *ctx)
{
	struct zeek_http *s = malloc(sizeof *s);

	if (s == NULL) {
		fmt_reject(ctx, "zeek-http: out of memory");
		return NULL;
	}
	zeek_init(&s->z);
	s->gen = 0;
	return s;
}

static void
zeek_http_close(void *state)
{
	free(state);
}

/*
 * Puts the count of column c into event column ec; returns -1 when the
 * column holds something else than a count up to max.
 */
static int
take_count(struct zeek_http *s, struct event *ev, enum zh_col c,
    enum ev_col ec, uint64_t max)
{
	struct slice v;
	uint64_t n;

	if (zeek_kind(&s->z, s->col[c]) != ZEEK_VALUE)
		return 0;
	v = s->z.val[s->col[c]];
	if (num_parse_u64(v, max, &n) != 0)
		return -1;
	ev->f[ec] = v;
	return 0;
}

/* Puts the address of column c into ec; -1 when it is not an address. */
static int
take_addr(struct zeek_http *s, struct event *ev, enum zh_col c,
    enum ev_col ec)
{
	struct ipaddr ip;
	struct slice v;

	if (zeek_kind(&s->z, s->col[c]) != ZEEK_VALUE)
		return 0;
	v = s->z.val[s->col[c]];
	if (ip_parse(v, &ip) != 0)
		return -1;
	ev->f[ec] = v;
	return 0;
}

/* Adds column c to extra under key when it holds a value. */
static void
take_extra(struct zeek_http *s, struct event *ev, enum zh_col c,
    const char *key)
{
	struct slice v = zeek_str(&s->z, s->col[c], ev);

	if (v.n)
		event_add_extra(ev, key, v);
}

/* Checks the header block once per #fields and maps the columns. */
static enum line_result
check_block(struct zeek_http *s, struct parse_ctx *ctx)
{
	struct slice path = slice_make(s->z.path.b, s->z.path.n);
	char q[200];
	int i;

	if (path.n && !is_http_path(path))
		return fmt_reject(ctx, "zeek-http: log path is '%s', not http",
		    fmt_quote(q, sizeof q, path));
	if (s->gen != s->z.gen) {
		for (i = 0; i < ZH_NCOLS; i++)
			s->col[i] = zeek_col(&s->z, zh_names[i]);
		s->gen = s->z.gen;
	}
	if (s->col[ZH_TS] < 0)
		return fmt_reject(ctx, "zeek-http: no 'ts' in #fields");
	if (path.n == 0 && s->col[ZH_URI] < 0)
		return fmt_reject(ctx, "zeek-http: no #path and no 'uri' in "
		    "#fields: not an http log");
	return LINE_USED;
}

static enum line_result
bad_value(struct zeek_http *s, struct parse_ctx *ctx, enum zh_col c)
{
	char q[200];

	return fmt_reject(ctx, "zeek-http: bad %s '%s'", zh_names[c],
	    fmt_quote(q, sizeof q, s->z.val[s->col[c]]));
}

static enum line_result
zeek_http_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct zeek_http *s = state;
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
	if ((r = check_block(s, ctx)) != LINE_USED)
		return r;
	if (zeek_kind(&s->z, s->col[ZH_TS]) != ZEEK_VALUE ||
	    zeek_time_ms(s->z.val[s->col[ZH_TS]], &ev->ts_ms) != 0)
		return bad_value(s, ctx, ZH_TS);
	ev->has_ts = 1;
	if (take_addr(s, ev, ZH_ORIG_H, EV_SRC_IP) != 0)
		return bad_value(s, ctx, ZH_ORIG_H);
	if (take_count(s, ev, ZH_ORIG_P, EV_SRC_PORT, 65535) != 0)
		return bad_value(s, ctx, ZH_ORIG_P);
	if (take_addr(s, ev, ZH_RESP_H, EV_DST_IP) != 0)
		return bad_value(s, ctx, ZH_RESP_H);
	if (take_count(s, ev, ZH_RESP_P, EV_DST_PORT, 65535) != 0)
		return bad_value(s, ctx, ZH_RESP_P);
	if (take_count(s, ev, ZH_STATUS, EV_STATUS, 999) != 0)
		return bad_value(s, ctx, ZH_STATUS);
	if (take_count(s, ev, ZH_REQ_LEN, EV_BYTES_OUT, UINT64_MAX) != 0)
		return bad_value(s, ctx, ZH_REQ_LEN);
	if (take_count(s, ev, ZH_RESP_LEN, EV_BYTES_IN, UINT64_MAX) != 0)
		return bad_value(s, ctx, ZH_RESP_LEN);

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
	take_extra(s, ev, ZH_UID, "uid");
	take_extra(s, ev, ZH_REFERRER, "referrer");
	take_extra(s, ev, ZH_STATUS_MSG, "status_msg");
	take_extra(s, ev, ZH_RESP_MIME, "resp_mime_types");
	return fmt_emit(ctx);
}

const struct fmt fmt_zeek_http = {
	.name = "zeek-http",
	.log = "proxy",
	.summary = "Zeek/Bro http.log (TSV with #fields header)",
	.sniff = zeek_http_sniff,
	.open = zeek_http_open,
	.line = zeek_http_line,
	.close = zeek_http_close,
};
