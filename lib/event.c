/*
 * event.c: the events stream writer. This is the hot path of csm-parse:
 * columns are appended straight into the output buffer, only the non-empty
 * ones visited, clean values copied without a scan, the timestamp from a
 * per-second cache and the line number from the previous one.
 */
#include <stdint.h>
#if defined(__SSE2__) && defined(__LP64__)
#include <emmintrin.h>
#define EVENT_SSE2 1
#endif
#include "esc.h"
#include "event.h"
#include "num.h"

/* extra_checked has one bit per pair. */
_Static_assert(EVENT_MAX_EXTRA <= 32, "extra_checked is 32 bits");
_Static_assert(EV_NCOLS <= 64, "checked is 64 bits");

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
#ifdef EVENT_SSE2
	/*
	 * Stores of our own: gcc turns a memset, or a loop it sees storing
	 * zeros, into a `rep stos` that costs more than the stores. The empty
	 * asm hides that z is zero.
	 */
	__m128i z = _mm_setzero_si128();
	int i;

	__asm__("" : "+x"(z));
	for (i = 0; i + 4 <= EV_NCOLS; i += 4) {
		_mm_storeu_si128((__m128i *)&ev->f[i], z);
		_mm_storeu_si128((__m128i *)&ev->f[i + 1], z);
		_mm_storeu_si128((__m128i *)&ev->f[i + 2], z);
		_mm_storeu_si128((__m128i *)&ev->f[i + 3], z);
	}
	for (; i < EV_NCOLS; i++)	/* when a column is added */
		_mm_storeu_si128((__m128i *)&ev->f[i], z);
#else
	memset(ev->f, 0, sizeof ev->f);
#endif
	ev->checked = 0;
	ev->has_ts = 0;
	ev->nextra = 0;
	ev->extra_checked = 0;
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
	/* Checked values are already escaped, as in event_write. */
	for (i = 1; i < EV_EXTRA; i++) {
		outbuf_putc(ob, '\t');
		if (ev->checked & (1ULL << i))
			outbuf_put(ob, ev->f[i].p, ev->f[i].n);
		else
			outbuf_put_escaped(ob, ev->f[i], ESC_TSV);
	}
	outbuf_putc(ob, '\t');
	for (i = 0; i < ev->nextra; i++) {
		if (i)
			outbuf_putc(ob, ';');
		outbuf_put(ob, ev->extra_key[i].p, ev->extra_key[i].n);
		outbuf_putc(ob, '=');
		if (ev->extra_checked & (1U << i))
			outbuf_put(ob, ev->extra_val[i].p, ev->extra_val[i].n);
		else
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

/*
 * Copies n bytes from s to d and returns d + n. Log fields are mostly
 * shorter than 32 bytes, where two overlapping loads and stores beat a
 * call to memcpy; nothing is read or written outside the n bytes.
 */
static inline char *
put_bytes(char *d, const char *s, size_t n)
{
	if (n >= 16 && n <= 32) {
		struct { uint64_t a, b; } x, y;
		memcpy(&x, s, 16);
		memcpy(&y, s + n - 16, 16);
		memcpy(d, &x, 16);
		memcpy(d + n - 16, &y, 16);
	} else if (n >= 8 && n < 16) {
		uint64_t x, y;
		memcpy(&x, s, 8);
		memcpy(&y, s + n - 8, 8);
		memcpy(d, &x, 8);
		memcpy(d + n - 8, &y, 8);
	} else if (n >= 4 && n < 8) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n > 0 && n < 4) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	} else if (n > 32) {
		memcpy(d, s, n);
	}
	return d + n;
}

/*
 * Writes k (at most EV_NCOLS) TABs at d and returns d + k. It always
 * stores EV_NCOLS bytes, a fixed-size copy that compiles to a few vector
 * stores where a loop became a slow `rep stos`: event_write's reservation
 * is four times the raw size of the record, which leaves far more room
 * than that at any point.
 */
static inline char *
put_tabs(char *d, int k)
{
	static const char tabs[EV_NCOLS + 1] =
	    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
	    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

	memcpy(d, tabs, EV_NCOLS);
	return d + k;
}

/*
 * Adds the lengths of columns 0 to EV_EXTRA - 1 to *raw (f[EV_TS] is
 * unused: 0) and returns the mask of columns 1 to EV_EXTRA - 1 that hold
 * a value, bit per column. Most columns are empty for any one format; the
 * writer then visits only the others.
 */
static inline uint64_t
col_scan(const struct event *ev, size_t *raw)
{
	uint64_t set = 0;
	size_t sum = 0;
	int i = 0;

#ifdef EVENT_SSE2
	_Static_assert(sizeof(struct slice) == 16, "slice is (p, n), 64-bit");
	/*
	 * Four columns at a time: gather their lengths, add them up, and
	 * compare (low | high half) of each with zero for the mask.
	 */
	__m128i acc = _mm_setzero_si128();
	for (; i + 4 <= EV_EXTRA; i += 4) {
		const __m128i *c = (const __m128i *)&ev->f[i];
		__m128i a = _mm_loadu_si128(c), b = _mm_loadu_si128(c + 1);
		__m128i x = _mm_unpackhi_epi64(a, b);
		__m128i y = _mm_unpackhi_epi64(_mm_loadu_si128(c + 2),
		    _mm_loadu_si128(c + 3));
		__m128 lo = _mm_shuffle_ps(_mm_castsi128_ps(x),
		    _mm_castsi128_ps(y), _MM_SHUFFLE(2, 0, 2, 0));
		__m128 hi = _mm_shuffle_ps(_mm_castsi128_ps(x),
		    _mm_castsi128_ps(y), _MM_SHUFFLE(3, 1, 3, 1));
		__m128i nz = _mm_or_si128(_mm_castps_si128(lo),
		    _mm_castps_si128(hi));
		unsigned empty = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(
		    _mm_cmpeq_epi32(nz, _mm_setzero_si128())));

		acc = _mm_add_epi64(acc, _mm_add_epi64(x, y));
		set |= (uint64_t)(~empty & 15) << i;
	}
	sum = (size_t)_mm_cvtsi128_si64(acc) +
	    (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
#endif
	for (; i < EV_EXTRA; i++) {
		sum += ev->f[i].n;
		set |= (uint64_t)(ev->f[i].n != 0) << i;
	}
	*raw += sum;
	return set & ~(1ULL << EV_TS);	/* f[EV_TS] is unused */
}

/* Whether s lies within the bytes lo to hi. */
static inline int
lies_within(struct slice s, uintptr_t lo, uintptr_t hi)
{
	uintptr_t at = (uintptr_t)s.p;

	return s.n > 0 && at >= lo && at + s.n <= hi;
}

void
event_mark_plain(struct event *ev, struct slice text)
{
	uintptr_t lo = (uintptr_t)text.p, hi = lo + text.n;
	uint64_t set;
	size_t k = 0;
	int i;

	for (set = col_scan(ev, &k); set; set &= set - 1) {
		i = __builtin_ctzll(set);
		if (lies_within(ev->f[i], lo, hi))
			ev->checked |= 1ULL << i;
	}
	/* An extra value also escapes ';': short values, a plain loop. */
	for (i = 0; i < ev->nextra; i++) {
		if (!lies_within(ev->extra_val[i], lo, hi))
			continue;
		for (k = 0; k < ev->extra_val[i].n; k++)
			if (ev->extra_val[i].p[k] == ';')
				break;
		if (k == ev->extra_val[i].n)
			ev->extra_checked |= 1U << i;
	}
}

/*
 * The last origin line number written, as text, one per thread (the
 * parallel workers each write their own blocks): consecutive events
 * mostly come from consecutive lines, and adding one to the text costs
 * less than formatting the number anew.
 */
static _Thread_local struct {
	uint64_t line;
	size_t n;
	char text[24];
} last_line = { 0, 1, "0" };

/* Writes line in decimal at d (24 bytes of room); returns the length. */
static inline size_t
put_line_number(char *d, uint64_t line)
{
	char *t = last_line.text;
	size_t i;

	/*
	 * The old text is copied first and the digits that change are then
	 * stored to both: a wide load of bytes just stored one by one would
	 * wait for them to reach the cache.
	 */
	if (line == last_line.line + 1 && line != 0) {
		memcpy(d, t, sizeof last_line.text);
		for (i = last_line.n; i > 0 && t[i - 1] == '9'; i--)
			t[i - 1] = d[i - 1] = '0';
		if (i > 0) {
			d[i - 1] = ++t[i - 1];
			last_line.line = line;
			return last_line.n;
		}
		/* 99..9 + 1: one digit more. */
		memmove(t + 1, t, last_line.n);
		t[0] = '1';
		last_line.n++;
	} else {
		last_line.n = num_format_u64(t, line);
	}
	last_line.line = line;
	memcpy(d, t, sizeof last_line.text);
	return last_line.n;
}

/* Writes v (0-99) as two digits at p and at q. */
static inline void
put_2digits(char *p, char *q, unsigned v)
{
	p[0] = q[0] = (char)('0' + v / 10);
	p[1] = q[1] = (char)('0' + v % 10);
}

/*
 * time_format_rfc3339's text of second sec at d, when sec falls on the
 * day the cache holds: the cache's text is copied and only "HH:MM:SS"
 * rewritten, to d and to the cache, which moves to sec. Returns 0, or -1
 * (another day, or a time before 1970) to leave it to time_format_rfc3339.
 * A firewall logs a new second on most lines. The text is copied before
 * the digits are stored, as in put_line_number.
 */
static inline int
time_cache_move(char *d, struct time_cache *tc, int64_t sec)
{
	int64_t day0;
	unsigned r;

	if (tc->sec < 0 || sec < 0)	/* INT64_MIN: the cache is empty */
		return -1;
	day0 = tc->sec - tc->sec % 86400;
	if (sec < day0 || sec - day0 >= 86400)
		return -1;
	r = (unsigned)(sec - day0);
	memcpy(d, tc->text, 19);
	put_2digits(d + 11, tc->text + 11, r / 3600);
	put_2digits(d + 14, tc->text + 14, r / 60 % 60);
	put_2digits(d + 17, tc->text + 17, r % 60);
	tc->sec = sec;
	return 0;
}

/*
 * time_format_rfc3339, without the call and its signed division while
 * ms falls in the second the cache holds (as consecutive events mostly
 * do), or on its day. Unsigned arithmetic: ms - sec * 1000 is below 1000
 * exactly in that second.
 */
static inline void
put_time(char *d, int64_t ms, struct time_cache *tc)
{
	uint64_t milli = (uint64_t)ms - (uint64_t)tc->sec * 1000;

	if (tc->sec == INT64_MIN || milli >= 1000) {
		if (ms < 0 || time_cache_move(d, tc, ms / 1000) != 0) {
			time_format_rfc3339(d, ms, tc);
			return;
		}
		milli = (uint64_t)(ms % 1000);
	} else {
		memcpy(d, tc->text, 19);
	}
	d[19] = '.';
	d[20] = (char)('0' + milli / 100);
	d[21] = (char)('0' + milli / 10 % 10);
	d[22] = (char)('0' + milli % 10);
	d[23] = 'Z';
}

void
event_write(struct outbuf *ob, const struct event *ev, struct time_cache *tc)
{
	struct slice origin = ev->origin_file ? slice_cstr(ev->origin_file) :
	    SLICE_NONE;
	size_t need = TIME_RFC3339_LEN + EV_NCOLS + 24 + origin.n;
	uint64_t set;
	char *base, *d;
	int i, prev;

	/* The bytes the record can take at most once escaped, separators. */
	set = col_scan(ev, &need);
	for (i = 0; i < ev->nextra; i++)
		need += ev->extra_key[i].n + ev->extra_val[i].n + 2;
	need *= ESC_MAX_GROWTH;
	if (need > OUTBUF_SIZE / 2) {
		event_write_pieces(ob, ev, origin, tc);
		return;
	}
	/* The common case: one reservation, then straight writes. */
	if ((base = d = outbuf_reserve(ob, need)) == NULL)
		return;		/* out of memory, ob->err says so */
	if (ev->has_ts) {
		put_time(d, ev->ts_ms, tc);
		d += TIME_RFC3339_LEN;
	}
	prev = EV_TS;
	while (set) {
		i = __builtin_ctzll(set);
		set &= set - 1;
		d = put_tabs(d, i - prev);
		prev = i;
		if (ev->checked & (1ULL << i))
			d = put_bytes(d, ev->f[i].p, ev->f[i].n);
		else
			d += esc_tsv(d, ev->f[i], ESC_TSV);
	}
	d = put_tabs(d, EV_EXTRA - prev);
	for (i = 0; i < ev->nextra; i++) {
		if (i)
			*d++ = ';';
		d = put_bytes(d, ev->extra_key[i].p, ev->extra_key[i].n);
		*d++ = '=';
		if (ev->extra_checked & (1U << i))
			d = put_bytes(d, ev->extra_val[i].p,
			    ev->extra_val[i].n);
		else
			d += esc_tsv(d, ev->extra_val[i], ESC_EXTRA);
	}
	*d++ = '\t';
	if (origin.n) {
		d = put_bytes(d, origin.p, origin.n);
		*d++ = ':';
		d += put_line_number(d, ev->origin_line);
	}
	*d++ = '\n';
	ob->len += (size_t)(d - base);
}
