/*
 * fuzz_squidhdr.c: libFuzzer harness for reading the User-Agent out of a
 * header block Squid logged whole (lib/squidhdr.c), checked against an
 * encoder that writes blocks the way Squid's source does. The input's
 * first byte chooses the encoding; the rest is cut at LF into header
 * lines "name:value" (a line without a token before its colon becomes
 * the value of an X-Fuzz header), packed as Squid packs them ("Name:
 * value" and CR LF each, the value trimmed, no NUL or CR in it) and
 * encoded. Checked for every input:
 *
 * - with [ (as Squid writes it and as its documentation describes it),
 *   ", / and #: the value read is exactly the first User-Agent header's,
 *   whatever the other headers hold, and none is read without one;
 * - with no encoding and with ': a value is read only when the block's
 *   first header is a User-Agent, and a later real one is ambiguous;
 * - the input itself, as a block in every encoding, is read within its
 *   bounds (ASan), also through squidhdr_take_ua into an event.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "squidhdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 4096
/* An input byte packs into at most 10 ("\n" gives "X-Fuzz: " CR LF). */
#define MAX_RAW (MAX_INPUT * 10 + 16)

/* The encodings: Squid's modifier, and whether it is the documented [. */
static const struct {
	char enc;
	int old;
} encodings[] = {
	{ 0, 0 }, { '[', 0 }, { '[', 1 }, { '"', 0 }, { '/', 0 }, { '#', 0 },
	{ '\'', 0 }
};
#define NENC (sizeof encodings / sizeof encodings[0])

static struct event ev;

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_squidhdr: %s\n", what);
	abort();
}

static int
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
is_ua_name(const unsigned char *p, size_t n)
{
	return n == 10 && strncasecmp((const char *)p, "User-Agent", 10) == 0;
}

/* Appends %xx (lower case, as QuoteMimeBlob) or %XX. */
static size_t
put_pct(char *o, unsigned char c, int upper)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	o[0] = '%';
	o[1] = hex[c >> 4];
	o[2] = hex[c & 15];
	return 3;
}

/* Squid's Format::QuoteMimeBlob, without and with OLD_LOG_MIME. */
static size_t
enc_mimeblob(char *o, unsigned char c, int old)
{
	if (!old && (c == '\r' || c == '\n')) {
		o[0] = '\\';
		o[1] = c == '\r' ? 'r' : 'n';
		return 2;
	}
	if (c <= 0x1f || c >= 0x7f || c == '%' || c == '[' || c == ']' ||
	    (old && strchr("\"#;<>?{}|\\^~`", c) != NULL))
		return put_pct(o, c, 0);
	if (!old && c == '\\') {
		o[0] = o[1] = '\\';
		return 2;
	}
	o[0] = (char)c;
	return 1;
}

/* rfc1738_do_escape with UNSAFE|CTRLS, and NOPERCENT when not pct. */
static size_t
enc_rfc1738(char *o, unsigned char c, int pct)
{
	if (c <= ' ' || c >= 0x7f || strchr("<>\"#{}|\\^~[]`'", c) != NULL ||
	    (pct && c == '%'))
		return put_pct(o, c, 1);
	o[0] = (char)c;
	return 1;
}

/* log_quoted_string ("), or strwordquote's escapes (/) without TAB. */
static size_t
enc_backslash(char *o, unsigned char c, int tab)
{
	const char *from = tab ? "\"\\\r\n\t" : "\"\\\r\n", *to = "\"\\rnt";
	const char *k = c ? strchr(from, c) : NULL;

	if (k == NULL) {
		o[0] = (char)c;
		return 1;
	}
	o[0] = '\\';
	o[1] = to[k - from];
	return 2;
}

/* Encodes raw (n bytes) as Squid writes it with encoding e into o. */
static size_t
encode(int e, const char *raw, size_t n, char *o)
{
	size_t i, len = 0;
	int wrap = encodings[e].enc == '/' && memchr(raw, ' ', n) != NULL;

	if (wrap)
		o[len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];

		switch (encodings[e].enc) {
		case '[':
			len += enc_mimeblob(o + len, c, encodings[e].old);
			break;
		case '#':
			len += enc_rfc1738(o + len, c, 1);
			break;
		case 0:
			len += enc_rfc1738(o + len, c, 0);
			break;
		case '"':
			len += enc_backslash(o + len, c, 1);
			break;
		case '/':
			len += enc_backslash(o + len, c, 0);
			break;
		default:
			o[len++] = (char)c;
			break;
		}
	}
	if (wrap)
		o[len++] = '"';
	return len;
}

/* Appends b[0..n) to raw without NUL and CR, trimmed of SP and HTAB. */
static size_t
put_value(char *raw, const uint8_t *b, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		if (b[i] != 0 && b[i] != '\r' && (len > 0 ||
		    (b[i] != ' ' && b[i] != '\t')))
			raw[len++] = (char)b[i];
	while (len > 0 && (raw[len - 1] == ' ' || raw[len - 1] == '\t'))
		len--;
	return len;
}

/* What the generated block holds. */
struct truth {
	int first_is_ua;	/* its first header is a User-Agent */
	int has_ua;		/* some header is */
	size_t ua_at, ua_n;	/* the first one's value in raw */
};

/*
 * Packs the header lines of d into raw as Squid packs a request's headers.
 * Returns the length.
 */
static size_t
pack(const uint8_t *d, size_t n, char *raw, struct truth *t)
{
	size_t len = 0, start = 0;

	memset(t, 0, sizeof *t);
	while (start < n) {
		const uint8_t *line = d + start, *lf;
		size_t ln, colon = 0, vn;
		int named;

		lf = memchr(line, '\n', n - start);
		ln = lf ? (size_t)(lf - line) : n - start;
		start += ln + 1;
		while (colon < ln && is_tchar(line[colon]))
			colon++;
		named = colon > 0 && colon < ln && line[colon] == ':';
		if (named) {
			memcpy(raw + len, line, colon);
		} else {
			memcpy(raw + len, "X-Fuzz", 6);
			colon = 6;
		}
		len += colon;
		memcpy(raw + len, ": ", 2);
		len += 2;
		vn = named ? put_value(raw + len, line + colon + 1,
		    ln - colon - 1) : put_value(raw + len, line, ln);
		if (named && is_ua_name(line, colon) && !t->has_ua) {
			t->has_ua = 1;
			t->first_is_ua = len == colon + 2;
			t->ua_at = len;
			t->ua_n = vn;
		}
		len += vn;
		memcpy(raw + len, "\r\n", 2);
		len += 2;
	}
	return len;
}

/* Checks what squidhdr makes of the block, encoded with e, against t. */
static void
check(int e, const char *raw, size_t rn, const struct truth *t,
    char *blk, char *dec)
{
	char enc = encodings[e].enc;
	enum squidhdr_ua r;
	struct slice v;
	size_t bn, dn;

	bn = encode(e, raw, rn, blk);
	r = squidhdr_find_ua(slice_make(blk, bn), enc, &v);
	if (r != SQUIDHDR_FOUND && v.n != 0)
		fail("a value without SQUIDHDR_FOUND");
	if (v.n && (v.p < blk || v.p + v.n > blk + bn))
		fail("the value is not inside the block");
	dn = squidhdr_decode(v, enc, dec, rn + 1);
	if (enc == 0 || enc == '\'') {
		if (t->first_is_ua && r != SQUIDHDR_FOUND)
			fail("untrusted block: line 1's User-Agent missed");
		/*
		 * A line further down is taken only when it is the one
		 * User-Agent line: with a real User-Agent in the block, what
		 * is taken is (the start of) its value, never a forged one.
		 */
		if (enc == '\'' && r == SQUIDHDR_FOUND && !t->first_is_ua)
			fail("raw block: a User-Agent not on line 1");
		if (t->has_ua && r == SQUIDHDR_FOUND) {
			/* Compared as written: '%' in a value is ambiguous. */
			size_t en = encode(e, raw + t->ua_at, t->ua_n, dec);

			if (v.n > en || memcmp(v.p, dec, v.n) != 0)
				fail("untrusted block: not the real "
				    "User-Agent's value");
		}
		return;
	}
	if (r != (t->has_ua ? SQUIDHDR_FOUND : SQUIDHDR_NONE))
		fail("trusted block: wrong result");
	if (t->has_ua && (dn != t->ua_n || memcmp(dec, raw + t->ua_at,
	    dn) != 0))
		fail("trusted block: not the first User-Agent's value");
}

/* Reads the input itself as a block in every encoding. */
static void
read_as_is(const uint8_t *data, size_t size)
{
	char small[4];
	struct slice v;
	size_t e;

	for (e = 0; e < NENC; e++) {
		squidhdr_find_ua(slice_make((const char *)data, size),
		    encodings[e].enc, &v);
		if (squidhdr_decode(v, encodings[e].enc, small,
		    sizeof small) > sizeof small)
			fail("decode past its buffer");
		event_clear(&ev);
		squidhdr_take_ua(&ev, slice_make((const char *)data, size),
		    encodings[e].enc);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* encoding a byte writes at most 3 bytes (and / two quotes) */
	static char raw[MAX_RAW], blk[MAX_RAW * 3 + 2], dec[MAX_RAW * 3 + 2];
	struct truth t;
	size_t rn;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	read_as_is(data + 1, size - 1);
	rn = pack(data + 1, size - 1, raw, &t);
	check((int)(data[0] % NENC), raw, rn, &t, blk, dec);
	return 0;
}
