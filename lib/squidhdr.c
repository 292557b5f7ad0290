/*
 * squidhdr.c: reads the User-Agent out of a header block Squid logged
 * whole, as squidhdr.h describes. The block is read left to right in
 * units, an escape or a plain byte each, so that an escaped backslash
 * followed by "r" ("\\r") or an escaped percent sign followed by "0D"
 * ("%250D") is never taken for an escaped CR. What Squid writes for each
 * encoding is from its source: src/format/Quoting.cc (QuoteMimeBlob, for
 * [ and log_mime_hdrs), src/format/Format.cc (log_quoted_string for ",
 * rfc1738_escape for #, rfc1738_escape_unescaped without an encoding),
 * src/tools.cc (strwordquote for /) and lib/rfc1738.c.
 */
#include <stdint.h>
#include <string.h>
#include "squidhdr.h"
#include "num.h"

/* A decoded value's bytes at most: half an event's scratch space. */
#define UA_DECODED_MAX (EVENT_SCRATCH / 2)

/* Which escapes an encoding writes, and whether headers can forge one. */
struct hdr_rules {
	unsigned char backslash;	/* \r \n \t \\ \" */
	unsigned char percent;		/* %XX */
	unsigned char some_percent;	/* only of the bytes Squid escapes */
	unsigned char trusted;		/* a header's text never spells an
					   escaped CR or LF */
};

static struct hdr_rules
rules_for(char enc)
{
	struct hdr_rules r = { 0, 0, 0, 0 };

	switch (enc) {
	case '[':
		/* Squid writes \r\n; its documentation says %0d%0a: both */
		r.backslash = r.percent = r.trusted = 1;
		break;
	case '"':
	case '/':
		/* '%' is left as is: "%0D" in a value is text */
		r.backslash = r.trusted = 1;
		break;
	case '#':
		r.percent = r.trusted = 1;
		break;
	case 0:
		/* '%' is left as is, so "%0D%0A" may be a value's text */
		r.percent = r.some_percent = 1;
		break;
	default:
		/* ' writes CR LF raw: the line ends there */
		break;
	}
	return r;
}

/*
 * Whether Squid's escaping without an encoding (rfc1738_escape_unescaped)
 * writes byte c as %XX: blanks, controls, bytes above 127 and RFC 1738's
 * unsafe characters. Any other "%XX" is the client's own text.
 */
static int
escaped_unencoded(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || (c != 0 &&
	    strchr("<>\"#{}|\\^~[]`'", c) != NULL);
}

/*
 * Reads the unit at offset i of b: sets *c to the byte it stands for and
 * returns how many bytes of b it takes (1 to 3).
 */
static size_t
unit_at(const struct hdr_rules *r, struct slice b, size_t i, unsigned char *c)
{
	int hi, lo;

	if (b.p[i] == '\\' && r->backslash && i + 1 < b.n) {
		switch (b.p[i + 1]) {
		case 'r':
			*c = '\r';
			break;
		case 'n':
			*c = '\n';
			break;
		case 't':
			*c = '\t';
			break;
		default:
			*c = (unsigned char)b.p[i + 1];
			break;
		}
		return 2;
	}
	if (b.p[i] == '%' && r->percent && i + 2 < b.n &&
	    (hi = num_hex_digit((unsigned char)b.p[i + 1])) >= 0 &&
	    (lo = num_hex_digit((unsigned char)b.p[i + 2])) >= 0 &&
	    (!r->some_percent || escaped_unencoded((unsigned char)(hi << 4 |
	    lo)))) {
		*c = (unsigned char)(hi << 4 | lo);
		return 3;
	}
	*c = (unsigned char)b.p[i];
	return 1;
}

/* The offset after the LF that ends the line at i (b.n for none). */
static size_t
next_line(const struct hdr_rules *r, struct slice b, size_t i)
{
	unsigned char c;

	while (i < b.n) {
		i += unit_at(r, b, i, &c);
		if (c == '\n')
			break;
	}
	return i;
}

/*
 * Whether the line at i is a User-Agent header; *value is then the offset
 * after its colon. Names are never escaped (letters and '-').
 */
static int
is_ua_line(struct slice b, size_t i, size_t *value)
{
	static const char name[] = "user-agent:";
	size_t k, n = sizeof name - 1;

	if (b.n - i < n)
		return 0;
	for (k = 0; k < n; k++) {
		char c = b.p[i + k];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != name[k])
			return 0;
	}
	*value = i + n;
	return 1;
}

/*
 * The value from offset i, up to an (escaped) CR or LF. Squid writes
 * "Name: value" with the value trimmed, so one blank is skipped and no
 * more: without an encoding, a value's own "%20" reads as a blank too, and
 * "%20Mozilla/5.0 ..." must not pass for the browser's User-Agent.
 */
static struct slice
value_from(const struct hdr_rules *r, struct slice b, size_t i)
{
	unsigned char c;
	size_t start = i, n;

	if (start < b.n) {
		n = unit_at(r, b, start, &c);
		if (c == ' ' || c == '\t')
			start += n;
	}
	for (i = start; i < b.n; i += n) {
		n = unit_at(r, b, i, &c);
		if (c == '\r' || c == '\n')
			break;
	}
	return slice_make(b.p + start, i - start);
}

/* The block without the quotes the / encoding puts around a value. */
static struct slice
unwrap(struct slice blk, char enc)
{
	if (enc != '/' || blk.n == 0 || blk.p[0] != '"')
		return blk;
	/* a " inside is \": the first one opens, the last one closes */
	blk = slice_from(blk, 1);
	if (blk.n > 0 && blk.p[blk.n - 1] == '"')
		blk.n--;
	return blk;
}

enum squidhdr_ua
squidhdr_find_ua(struct slice blk, char enc, struct slice *val)
{
	struct hdr_rules r = rules_for(enc);
	size_t i, at, found = SIZE_MAX;

	blk = unwrap(blk, enc);
	*val = slice_make(blk.p, 0);
	for (i = 0; i < blk.n; i = next_line(&r, blk, i)) {
		/* ' escapes nothing: a later line is no header of Squid's. */
		if (i > 0 && !r.backslash && !r.percent)
			break;
		if (!is_ua_line(blk, i, &at))
			continue;
		/*
		 * Past the first line, an untrusted block's line may be the
		 * text of the header before it: one such line is taken (a
		 * client that sends none but forges one could as well send
		 * it), two are ambiguous, and neither is taken.
		 */
		if (r.trusted || i == 0) {
			found = at;
			break;
		}
		if (found != SIZE_MAX)
			return SQUIDHDR_AMBIGUOUS;
		found = at;
	}
	if (found == SIZE_MAX)
		return SQUIDHDR_NONE;
	*val = value_from(&r, blk, found);
	return SQUIDHDR_FOUND;
}

/*
 * squidhdr_decode, which also says in *taken how much of val went in: all
 * of it unless buf was too small.
 */
static size_t
decode(struct slice val, char enc, char *buf, size_t cap, size_t *taken)
{
	struct hdr_rules r = rules_for(enc);
	unsigned char c;
	size_t i = 0, o = 0;

	while (i < val.n && o < cap) {
		i += unit_at(&r, val, i, &c);
		buf[o++] = (char)c;
	}
	*taken = i;
	return o;
}

size_t
squidhdr_decode(struct slice val, char enc, char *buf, size_t cap)
{
	size_t taken;

	return decode(val, enc, buf, cap, &taken);
}

/* Whether val holds an escape of enc, so that decoding would change it. */
static int
has_escape(struct slice val, char enc)
{
	struct hdr_rules r = rules_for(enc);

	return (r.backslash && memchr(val.p, '\\', val.n) != NULL) ||
	    (r.percent && memchr(val.p, '%', val.n) != NULL);
}

struct slice
squidhdr_value(struct event *ev, struct slice val, char enc)
{
	size_t room = EVENT_SCRATCH - ev->scratch_used, n, taken;
	char *dst = ev->scratch + ev->scratch_used;

	/* Most values hold no escape: they stay slices of the line. */
	if (!has_escape(val, enc))
		return val;
	/* Half the event's room at most: its other fields need some. */
	if (room > UA_DECODED_MAX)
		room = UA_DECODED_MAX;
	n = decode(val, enc, dst, room, &taken);
	ev->scratch_used += n;
	if (taken < val.n)
		event_add_extra_checked(ev, "ua_cut", SLICE_LIT("1"));
	return slice_make(dst, n);
}

enum squidhdr_ua
squidhdr_take_ua(struct event *ev, struct slice blk, char enc)
{
	enum squidhdr_ua found;
	struct slice val;

	found = squidhdr_find_ua(blk, enc, &val);
	if (found == SQUIDHDR_AMBIGUOUS)
		event_add_extra_checked(ev, "ambiguous", SLICE_LIT("1"));
	if (found != SQUIDHDR_FOUND || val.n == 0)
		return found;
	ev->f[EV_UA] = squidhdr_value(ev, val, enc);
	return found;
}
