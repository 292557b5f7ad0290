/*
 * fmt_squid.c: Squid's native access.log (logformat "squid"):
 *   time.ms elapsed client code/status bytes method url user hier/peer mime
 * optionally followed by the [request headers] [reply headers] that
 * log_mime_hdrs adds. The time is when the transaction ended; the elapsed
 * milliseconds go to duration_ms so that start = ts - duration_ms.
 */
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "url.h"

/*
 * The next space-separated field of *rest. Squid separates fields with
 * spaces only (and pads the elapsed time with more), so a TAB inside a
 * field stays in it, to be escaped on output.
 */
static struct slice
next_field(struct slice *rest)
{
	const char *p = rest->p, *end = rest->p + rest->n, *q;
	struct slice w;

	while (p < end && *p == ' ')
		p++;
	q = p;
#ifdef __SSE2__
	for (; end - q >= 16; q += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)q);
		int m = _mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    _mm_set1_epi8(' ')));
		if (m) {
			q += __builtin_ctz((unsigned)m);
			goto found;
		}
	}
#endif
	/* Eight bytes at a time while they hold no space (no over-read). */
	for (; end - q >= 8; q += 8) {
		uint64_t x, t;
		memcpy(&x, q, 8);
		t = x ^ 0x2020202020202020ULL;
		t = (t - 0x0101010101010101ULL) & ~t & 0x8080808080808080ULL;
		if (t) {
			q += __builtin_ctzll(t) / 8;
			goto found;
		}
	}
	while (q < end && *q != ' ')
		q++;
found:
	w = slice_make(p, (size_t)(q - p));
	rest->p = q;
	rest->n = (size_t)(end - q);
	return w;
}

/* Whether a result code (TCP_DENIED, TCP_DENIED_REPLY, ...) is a denial. */
static int
is_denied(struct slice code)
{
	size_t i;

	for (i = 0; i + 6 <= code.n; i++)
		if (code.p[i] == 'D' && memcmp(code.p + i, "DENIED", 6) == 0)
			return 1;
	return 0;
}

/* Whether w looks like "1754978486.449": the native timestamp. */
static int
is_native_time(struct slice w)
{
	int64_t ms;

	return w.n >= 12 && w.p[w.n - 4] == '.' && num_parse_milli(w, &ms) == 0;
}

/* An HTTP method ("GET", "CONNECT", ...) or Squid's "-" for none. */
static int
is_method(struct slice w)
{
	size_t i;

	if (slice_eq(w, "-"))
		return 1;
	if (w.n == 0)
		return 0;
	for (i = 0; i < w.n; i++)
		if ((w.p[i] < 'A' || w.p[i] > 'Z') && w.p[i] != '_' &&
		    w.p[i] != '-')
			return 0;
	return 1;
}

static int
squid_sniff(const struct slice *lines, int n)
{
	int i, data = 0, hits = 0;

	for (i = 0; i < n; i++) {
		struct slice rest = lines[i], w[6];
		uint64_t v;
		int k;

		if (slice_trim(rest).n == 0)
			continue;
		data++;
		for (k = 0; k < 5; k++)
			w[k] = next_field(&rest);
		/* Field 6 is the method: what tells native from the csm format. */
		w[5] = next_field(&rest);
		if (is_native_time(w[0]) &&
		    num_parse_u64(w[1], UINT64_MAX, &v) == 0 &&
		    slice_find(w[3], '/') > 0 &&
		    num_parse_u64(w[4], UINT64_MAX, &v) == 0 &&
		    is_method(w[5]))
			hits++;
	}
	return data ? hits * 100 / data : 0;
}

/* Decodes %XX escapes of src into the event's scratch space. */
static struct slice
percent_decode(struct event *ev, struct slice src)
{
	char tmp[1024];
	size_t i, o = 0;

	for (i = 0; i < src.n && o < sizeof tmp; i++) {
		unsigned hi, lo;
		if (src.p[i] == '%' && i + 2 < src.n) {
			hi = (unsigned char)src.p[i + 1];
			lo = (unsigned char)src.p[i + 2];
			hi = hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10;
			lo = lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10;
			if (hi < 16 && lo < 16) {
				tmp[o++] = (char)(hi << 4 | lo);
				i += 2;
				continue;
			}
		}
		tmp[o++] = src.p[i];
	}
	return event_keep(ev, tmp, o);
}

/*
 * Takes the User-Agent from log_mime_hdrs' request header block
 * "[Host: a%0D%0AUser-Agent: b%0D%0A]", where Squid %-encodes CR and LF.
 */
static void
take_mime_ua(struct event *ev, struct slice rest)
{
	static const char key[] = "User-Agent: ";
	struct slice blk = slice_trim(rest);
	long close;
	size_t i;

	if (blk.n == 0 || blk.p[0] != '[' || (close = slice_find(blk, ']')) < 0)
		return;
	blk = slice_make(blk.p + 1, (size_t)close - 1);
	for (i = 0; i + sizeof key - 1 <= blk.n; i++) {
		struct slice v;
		size_t j;

		if (memcmp(blk.p + i, key, sizeof key - 1) != 0)
			continue;
		v = slice_from(blk, i + sizeof key - 1);
		for (j = 0; j + 2 < v.n; j++)
			if (v.p[j] == '%' && v.p[j + 1] == '0' &&
			    (v.p[j + 2] == 'D' || v.p[j + 2] == 'd'))
				break;
		if (j + 2 >= v.n)
			j = v.n;
		ev->f[EV_UA] = percent_decode(ev, slice_make(v.p, j));
		return;
	}
}

static enum line_result
squid_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	struct slice rest = line, w[10], code, status;
	struct ipaddr ip;
	char q[200];
	uint64_t v;
	long slash;
	int k;

	(void)state;
	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	for (k = 0; k < 10; k++) {
		w[k] = next_field(&rest);
		if (w[k].n == 0)
			return fmt_reject(ctx, "squid: %d fields, want 10", k);
	}
	if (num_parse_milli(w[0], &ev->ts_ms) != 0)
		return fmt_reject(ctx, "squid: bad timestamp '%s'",
		    fmt_quote(q, sizeof q, w[0]));
	ev->has_ts = 1;
	if (num_parse_u64(w[1], UINT64_MAX, &v) != 0)
		return fmt_reject(ctx, "squid: bad elapsed time '%s'",
		    fmt_quote(q, sizeof q, w[1]));
	slash = slice_find(w[3], '/');
	if (slash <= 0)
		return fmt_reject(ctx, "squid: bad result code '%s'",
		    fmt_quote(q, sizeof q, w[3]));
	code = slice_make(w[3].p, (size_t)slash);
	status = slice_from(w[3], (size_t)slash + 1);
	if (num_parse_u64(status, 999, &v) != 0)
		return fmt_reject(ctx, "squid: bad HTTP status '%s'",
		    fmt_quote(q, sizeof q, status));
	if (num_parse_u64(w[4], UINT64_MAX, &v) != 0)
		return fmt_reject(ctx, "squid: bad byte count '%s'",
		    fmt_quote(q, sizeof q, w[4]));

	event_set_checked(ev, EV_LOG, SLICE_LIT("proxy"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("squid"));
	event_set_checked(ev, EV_DURATION_MS, w[1]);
	if (ip_parse(w[2], &ip) == 0)
		event_set_checked(ev, EV_SRC_IP, w[2]);
	else
		event_add_extra(ev, "client", w[2]);
	if (!slice_eq(status, "000"))
		event_set_checked(ev, EV_STATUS, status);
	event_set_checked(ev, EV_ACTION, is_denied(code) ? SLICE_LIT("deny") :
	    SLICE_LIT("allow"));
	event_set_checked(ev, EV_BYTES_IN, w[4]);
	if (!slice_eq(w[7], "-"))
		ev->f[EV_USER] = w[7];
	event_add_extra(ev, "result", code);
	/* The peer address first, so url_fill_target need not parse the host. */
	slash = slice_find(w[8], '/');
	if (slash > 0) {
		struct slice peer = slice_from(w[8], (size_t)slash + 1);
		event_add_extra(ev, "hier", slice_make(w[8].p, (size_t)slash));
		if (ip_parse(peer, &ip) == 0)
			event_set_checked(ev, EV_DST_IP, peer);
		else if (!slice_eq(peer, "-"))
			event_add_extra(ev, "peer", peer);
	}
	if (!slice_eq(w[5], "-"))
		ev->f[EV_METHOD] = w[5];
	if (slice_has_prefix(w[6], "error:")) {
		event_add_extra(ev, "error", slice_from(w[6], 6));
	} else {
		ev->f[EV_URL] = w[6];
		url_fill_target(ev, w[5], w[6]);
	}
	if (!slice_eq(w[9], "-"))
		event_add_extra(ev, "mime", w[9]);
	rest = slice_trim(rest);
	if (rest.n) {
		if (rest.p[0] != '[')
			return fmt_reject(ctx, "squid: unexpected text after "
			    "the 10 fields: '%s'", fmt_quote(q, sizeof q, rest));
		take_mime_ua(ev, rest);
	}
	return fmt_emit(ctx);
}

const struct fmt fmt_squid = {
	.name = "squid",
	.log = "proxy",
	.summary = "Squid native access.log (logformat squid)",
	.sniff = squid_sniff,
	.line = squid_line,
	.line_local = 1,
};
