/*
 * fmt_squid.c: Squid's native access.log (logformat "squid"):
 *   time.ms elapsed client code/status bytes method url user hier/peer mime
 * optionally followed by the [request headers] [reply headers] that
 * log_mime_hdrs adds. The time is when the transaction ended; the elapsed
 * milliseconds go to duration_ms so that start = ts - duration_ms.
 * This is csm's busiest parser: one pass over a line finds its fields and
 * whether any byte of them would need escaping, so that clean fields are
 * written without another scan.
 */
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "fmt.h"
#include "ipaddr.h"
#include "linescan.h"
#include "num.h"
#include "squidfmt.h"
#include "squidhdr.h"
#include "squidtime.h"
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

/*
 * Takes the User-Agent from log_mime_hdrs' request header block, the first
 * "[...]" of rest. Squid writes it with QuoteMimeBlob (the '[' encoding),
 * which escapes [ and ], so the block ends at the first ']'.
 */
static void
take_mime_ua(struct event *ev, struct slice rest)
{
	struct slice blk = slice_trim(rest);
	long close;

	if (blk.n == 0 || blk.p[0] != '[' || (close = slice_find(blk, ']')) < 0)
		return;
	squidhdr_take_ua(ev, slice_make(blk.p + 1, (size_t)close - 1), '[');
}

/*
 * The ten fields of a line, found in one pass over it together with
 * whether their bytes can be written as they are.
 */
struct squid_fields {
	struct slice w[10];
	int n;			/* fields found, at most 10 */
	struct slice rest;	/* the line after the tenth field */
	int clean;		/* no byte needs escaping in a TSV column */
	int clean_extra;	/* nor in an extra value (no ';' either) */
};

/*
 * Splits line into its first ten space-separated fields, as ten calls of
 * next_field would, sixty-four bytes at a time: a field starts or ends
 * where a byte's "is a space" differs from the byte's before it, and these
 * edges alternate, start first. The bytes up to the tenth field are checked
 * for what escaping would change; the check may look up to 63 bytes
 * further, which only ever makes it stricter.
 */
static void
split_fields(struct slice line, struct squid_fields *sf)
{
	const char *p = line.p;
	size_t n = line.n, o, edge[20 + 64];
	uint64_t carry = 0;	/* 1: the byte before the group is in a field */
	struct linescan sc;
	int m = 0, k;

	linescan_init(&sc);
	/*
	 * Sixty-four bytes a group: the loop over a group's edges ends about
	 * twice a line, not at every chunk, and each end is a mispredicted
	 * branch.
	 */
	for (o = 0; o < n && m < 20; o += 64) {
		uint64_t in = linescan_group(&sc, p, n, o), edges;

		edges = in ^ (in << 1 | carry);
		carry = in >> 63;
		for (; edges; edges &= edges - 1)
			edge[m++] = o + (size_t)__builtin_ctzll(edges);
	}
	if (m & 1)		/* a field running to the end of the line */
		edge[m++] = n;
	sf->n = m / 2 < 10 ? m / 2 : 10;
	for (k = 0; k < sf->n; k++)
		sf->w[k] = slice_make(p + edge[2 * k],
		    edge[2 * k + 1] - edge[2 * k]);
	o = m >= 20 ? edge[19] : n;
	sf->rest = slice_make(p + o, n - o);
	sf->clean = !linescan_bad(&sc);
	sf->clean_extra = sf->clean && !linescan_semi(&sc);
}

/*
 * slice_find(f, c) for a field f of a line that ends at end: while the
 * 32 (or 16) bytes at f.p are all in the line, two compares (or one) find
 * c in f (the bytes past f are looked at but never counted).
 */
static inline long
field_find(struct slice f, char c, const char *end)
{
#ifdef __SSE2__
	if (f.n <= 32 && end - f.p >= 32) {
		__m128i k = _mm_set1_epi8(c);
		uint64_t m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)f.p), k)) |
		    (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(f.p + 16)), k)) << 16;

		m &= (1ULL << f.n) - 1;
		return m ? __builtin_ctzll(m) : -1;
	}
	if (f.n <= 16 && end - f.p >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)f.p), _mm_set1_epi8(c)));

		m &= (1U << f.n) - 1;
		return m ? __builtin_ctz(m) : -1;
	}
#else
	(void)end;
#endif
	return slice_find(f, c);
}

/*
 * Whether s, a field of a line that ends at end, is what
 * num_parse_u64(s, UINT64_MAX, ...) accepts: the value of elapsed time and
 * byte counts is not needed, only their check.
 */
static inline int
is_u64(struct slice s, const char *end)
{
	uint64_t v;
	size_t i;

#ifdef __SSE2__
	/* As field_find: one compare while sixteen bytes are in the line. */
	if (s.n > 0 && s.n <= 16 && end - s.p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)s.p);
		unsigned dig = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(
		    _mm_add_epi8(x, _mm_set1_epi8((char)(128 - '0'))),
		    _mm_set1_epi8(-118)));
		unsigned all = (1U << s.n) - 1;

		return (dig & all) == all;
	}
#else
	(void)end;
#endif
	if (s.n == 0 || s.n >= 20)
		return s.n == 20 && num_parse_u64(s, UINT64_MAX, &v) == 0;
	for (i = 0; i < s.n; i++)
		if ((unsigned)((unsigned char)s.p[i] - '0') > 9)
			return 0;
	return 1;
}

/* The bytes of s after the last space in it (all of s without one). */
static struct slice
last_word(struct slice *s)
{
	struct slice w;
	size_t i = s->n;

	while (i > 0 && s->p[i - 1] != ' ')
		i--;
	w = slice_make(s->p + i, s->n - i);
	while (i > 0 && s->p[i - 1] == ' ')
		i--;
	s->n = i;
	return w;
}

/* Whether w is "-" or a MIME type as Squid logs it ("text/html"). */
static int
is_mime(struct slice w)
{
	size_t i, slashes = 0;

	if (slice_eq(w, "-"))
		return 1;
	for (i = 0; i < w.n; i++) {
		char c = w.p[i];
		if (c == '/')
			slashes++;
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~",
		    c) != NULL) || c == '\0')
			return 0;
	}
	return w.n > 0 && slashes <= 1 && w.p[0] != '/' &&
	    w.p[w.n - 1] != '/';
}

/* Whether w is hierarchy/peer: HIER_DIRECT/192.0.2.1, HIER_NONE/-. */
static int
is_hier(struct slice w)
{
	long slash = slice_find(w, '/');
	size_t i;

	if (slash <= 0 || (size_t)slash + 1 == w.n)
		return 0;
	for (i = 0; i < w.n; i++) {
		char c = w.p[i];
		if ((long)i == slash)
			continue;
		/* the code in capitals; the peer an address, name or "-" */
		if ((long)i < slash ? !((c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_') : !((c >= 'a' &&
		    c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' &&
		    c <= '9') || (c != '\0' && strchr(".:-_%", c) != NULL)))
			return 0;
	}
	return 1;
}

/*
 * Takes n "[headers]" blocks (log_mime_hdrs) off the end of *t; *hdrs
 * becomes the first of them to the end. Squid writes [ and ] in a block as
 * %5B and %5D, so a block runs from the last '[' before its ']'.
 */
static int
strip_blocks(struct slice *t, int n, struct slice *hdrs)
{
	const char *end = t->p + t->n;

	for (; n > 0; n--) {
		const char *open;

		if (t->n < 2 || t->p[t->n - 1] != ']')
			return 0;
		open = memrchr(t->p, '[', t->n - 1);
		if (open == NULL || memchr(open, ']', (size_t)(t->p + t->n -
		    1 - open)) != NULL || (open > t->p && open[-1] != ' '))
			return 0;
		t->n = (size_t)(open - t->p);
		*hdrs = slice_make(open, (size_t)(end - open));
		while (t->n > 0 && t->p[t->n - 1] == ' ')
			t->n--;
	}
	return 1;
}

/*
 * Reads what follows the URL, tail = "user hier/peer mime [hdrs] [hdrs]",
 * when it holds more than those three fields. Squid writes the user name
 * with its spaces (its username quoting escapes [ ] % and controls, not
 * spaces), and a client chooses its ident or Proxy-Authorization name: a
 * name "x HIER_DIRECT/198.51.100.66 text/plain [" would read as a forged
 * peer. So the fields after the name are taken from the end, where their
 * shapes pin them, and the name is what is left. With no header blocks,
 * one or two, at most three readings: exactly one must fit. Returns the
 * number of readings that fit (the first one in w[7], w[8], w[9], *hdrs).
 */
static int
fit_user(struct slice tail, struct slice *w, struct slice *hdrs)
{
	int nb, fits = 0;

	while (tail.n && tail.p[tail.n - 1] == ' ')
		tail.n--;
	for (nb = 0; nb <= 2; nb++) {
		struct slice t = tail, h, m, u, b = slice_make(NULL, 0);

		if (!strip_blocks(&t, nb, &b))
			continue;
		m = last_word(&t);
		h = last_word(&t);
		u = slice_trim(t);
		if (u.n == 0 || !is_hier(h) || !is_mime(m) || fits++ > 0)
			continue;
		w[7] = u;
		w[8] = h;
		w[9] = m;
		*hdrs = b;
	}
	return fits;
}

/* Sets column col to s, marked as needing no escaping when clean. */
static inline void
set_col(struct event *ev, enum ev_col col, struct slice s, int clean)
{
	ev->f[col] = s;
	ev->checked |= (uint64_t)(clean != 0) << col;
}

/* event_add_extra, with the value marked as clean when it is. */
static inline void
add_extra(struct event *ev, const char *key, struct slice val, int clean)
{
	if (clean)
		event_add_extra_checked(ev, key, val);
	else
		event_add_extra(ev, key, val);
}

static enum line_result
squid_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	struct squid_fields sf;
	struct slice rest, *w = sf.w, code, status;
	char q[200];
	uint64_t v;
	long slash;
	int cl, cx;

	(void)state;
	/* Blank (spaces and TABs only)? It can be only if it starts so. */
	if (line.n == 0 || ((line.p[0] == ' ' || line.p[0] == '\t') &&
	    slice_trim(line).n == 0))
		return LINE_SKIPPED;
	split_fields(line, &sf);
	if (sf.n < 10)
		return fmt_reject(ctx, "squid: %d fields, want 10", sf.n);
	/*
	 * Every field below points into the checked part of the line: when it
	 * is clean, so is each of them and any part of one.
	 */
	cl = sf.clean;
	cx = sf.clean_extra;
	rest = slice_trim(sf.rest);
	if (rest.n) {
		/* More than ten fields: a user name with spaces, headers. */
		struct slice user = w[7];
		const char *after = w[6].p + w[6].n;
		int fits = fit_user(slice_make(after, (size_t)(line.p +
		    line.n - after)), w, &rest);

		if (fits == 0)
			return fmt_reject(ctx, "squid: unexpected text after "
			    "the 10 fields: '%s'", diag_quote(q, sizeof q,
			    rest));
		if (fits > 1)
			return fmt_reject(ctx, "squid: ambiguous line: a user "
			    "name with spaces could end in more than one place "
			    "in '%s'", diag_quote(q, sizeof q, slice_trim(
			    slice_make(after, (size_t)(line.p + line.n -
			    after)))));
		/* the name now runs past the bytes split_fields checked */
		if (w[7].n != user.n)
			cl = cx = 0;
	}
	if (squidtime_parse(w[0], &ev->ts_ms) != 0)
		return fmt_reject(ctx, "squid: bad timestamp '%s'",
		    diag_quote(q, sizeof q, w[0]));
	ev->has_ts = 1;
	if (!is_u64(w[1], line.p + line.n))
		return fmt_reject(ctx, "squid: bad elapsed time '%s'",
		    diag_quote(q, sizeof q, w[1]));
	slash = field_find(w[3], '/', line.p + line.n);
	if (slash <= 0)
		return fmt_reject(ctx, "squid: bad result code '%s'",
		    diag_quote(q, sizeof q, w[3]));
	code = slice_make(w[3].p, (size_t)slash);
	status = slice_from(w[3], (size_t)slash + 1);
	/* Three digits nearly always: what num_parse_u64(999) accepts. */
	if (!(status.n == 3 && (unsigned)(status.p[0] - '0') <= 9 &&
	    (unsigned)(status.p[1] - '0') <= 9 &&
	    (unsigned)(status.p[2] - '0') <= 9) &&
	    num_parse_u64(status, 999, &v) != 0)
		return fmt_reject(ctx, "squid: bad HTTP status '%s'",
		    diag_quote(q, sizeof q, status));
	if (!is_u64(w[4], line.p + line.n))
		return fmt_reject(ctx, "squid: bad byte count '%s'",
		    diag_quote(q, sizeof q, w[4]));

	event_set_checked(ev, EV_LOG, SLICE_LIT("proxy"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("squid"));
	event_set_checked(ev, EV_DURATION_MS, w[1]);
	if (ip_valid(w[2]))
		event_set_checked(ev, EV_SRC_IP, w[2]);
	else
		add_extra(ev, "client", w[2], cx);
	if (!slice_eq(status, "000"))
		event_set_checked(ev, EV_STATUS, status);
	/* Most codes have no 'D' at all: one compare, not a loop. */
	event_set_checked(ev, EV_ACTION, (field_find(code, 'D',
	    line.p + line.n) >= 0 && squidfmt_code_denied(code)) ?
	    SLICE_LIT("deny") : SLICE_LIT("allow"));
	event_set_checked(ev, EV_BYTES_IN, w[4]);
	if (!slice_eq(w[7], "-"))
		set_col(ev, EV_USER, w[7], cl);
	add_extra(ev, "result", code, cx);
	/* The peer address first, so url_fill_target need not parse the host. */
	slash = field_find(w[8], '/', line.p + line.n);
	if (slash > 0) {
		struct slice peer = slice_from(w[8], (size_t)slash + 1);
		add_extra(ev, "hier", slice_make(w[8].p, (size_t)slash), cx);
		if (ip_valid(peer))
			event_set_checked(ev, EV_DST_IP, peer);
		else if (!slice_eq(peer, "-"))
			add_extra(ev, "peer", peer, cx);
	}
	if (!slice_eq(w[5], "-"))
		set_col(ev, EV_METHOD, w[5], cl);
	if (slice_has_prefix(w[6], "error:")) {
		add_extra(ev, "error", slice_from(w[6], 6), cx);
	} else {
		set_col(ev, EV_URL, w[6], cl);
		url_fill_target(ev, w[5], w[6]);
		/* What it sets are parts of the url (or the checked peer). */
		if (cl)
			ev->checked |= 1ULL << EV_DST_HOST |
			    1ULL << EV_DST_PORT | 1ULL << EV_DST_IP;
	}
	if (!slice_eq(w[9], "-"))
		add_extra(ev, "mime", w[9], cx);
	if (rest.n)
		take_mime_ua(ev, rest);
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
