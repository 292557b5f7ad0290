/*
 * evtcsv_text.c: the text layer of Event Viewer CSV exports. Windows
 * writes such a file as UTF-16LE with a BOM, as UTF-8 with a BOM, or in
 * the ANSI code page (CP932 on a Japanese system); whatever it is, each
 * line the shared reader hands out is turned into UTF-8 here, before any
 * CSV is parsed. UTF-16 lines are cut at every 0x0A byte, which may sit
 * inside a character (U+4E0A "上" is 0A 4E), so the decoder joins the cut
 * code units again; an LF after a CR is taken as soon as its first byte
 * is seen, so that a record ends on its own line. The dates follow the
 * exporting machine's locale and are read here too.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <unistr.h>
#include "evtcsv.h"
#include "timeconv.h"

void
evtcsv_dec_init(struct evtcsv_dec *d)
{
	memset(d, 0, sizeof *d);
	d->enc = EVTCSV_UTF8;
}

void
evtcsv_dec_release(struct evtcsv_dec *d)
{
	if (d->cd != NULL)
		iconv_close((iconv_t)d->cd);
	d->cd = NULL;
}

/* Switches to CP932, or stays with UTF-8 when iconv has no converter. */
static void
use_cp932(struct evtcsv_dec *d)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");

	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "SHIFT_JIS");
	if (cd == (iconv_t)-1) {
		d->enc = EVTCSV_UTF8;	/* bytes pass as they are */
		return;
	}
	d->cd = cd;
	d->enc = EVTCSV_CP932;
}

static int
all_ascii(struct slice s)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] >= 0x80)
			return 0;
	return 1;
}

/* Whether s is UTF-8 (a line of CP932 Japanese almost never is). */
static int
is_utf8(struct slice s)
{
	return u8_check((const uint8_t *)s.p, s.n) == NULL;
}

size_t
evtcsv_dec_start(struct evtcsv_dec *d, struct slice first)
{
	if (slice_has_prefix(first, "\xef\xbb\xbf")) {
		d->enc = EVTCSV_UTF8;
		return 3;
	}
	if (first.n >= 2 && (unsigned char)first.p[0] == 0xff &&
	    (unsigned char)first.p[1] == 0xfe) {
		d->enc = EVTCSV_UTF16LE;
		return 2;
	}
	if (first.n >= 2 && (unsigned char)first.p[0] == 0xfe &&
	    (unsigned char)first.p[1] == 0xff) {
		d->enc = EVTCSV_UTF16BE;
		return 2;
	}
	if (all_ascii(first))
		d->enc = EVTCSV_ASCII;
	else if (is_utf8(first))
		d->enc = EVTCSV_UTF8;
	else
		use_cp932(d);
	return 0;
}

/* Writes code point cp as UTF-8; returns the bytes. */
static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

#define REPLACEMENT 0xfffd

/* One UTF-16 code unit: joins surrogate pairs; a lone one is U+FFFD. */
static size_t
put_unit(struct evtcsv_dec *d, unsigned u, char *o)
{
	size_t n = 0;

	if (d->hi) {
		if (u >= 0xdc00 && u <= 0xdfff) {
			unsigned cp = 0x10000 + ((d->hi - 0xd800) << 10) +
			    (u - 0xdc00);

			d->hi = 0;
			d->last = u;
			return put_utf8(o, cp);
		}
		n = put_utf8(o, REPLACEMENT);
		d->hi = 0;
	}
	d->last = u;
	if (u >= 0xd800 && u <= 0xdbff) {
		d->hi = u;
		return n;
	}
	if (u >= 0xdc00 && u <= 0xdfff)
		u = REPLACEMENT;
	return n + put_utf8(o + n, u);
}

/* UTF-16: the line's bytes and then the 0x0A that ended it. */
static size_t
dec_utf16(struct evtcsv_dec *d, struct slice line, char *out)
{
	int le = d->enc == EVTCSV_UTF16LE;
	size_t i, n = 0;

	for (i = 0; i <= line.n; i++) {
		unsigned char b = i < line.n ? (unsigned char)line.p[i] : 0x0a;
		unsigned u;

		if (d->expect_nul) {
			/*
			 * The LF after a CR was taken from its first byte.
			 * Its second is 0; anything else made a character
			 * U+xx0A that follows an LF too many (it never
			 * happens in what Windows writes).
			 */
			d->expect_nul = 0;
			if (b != 0)
				n += put_unit(d, 0x0a | (unsigned)b << 8,
				    out + n);
			continue;
		}
		if (!d->have_odd) {
			d->have_odd = 1;
			d->odd = b;
			continue;
		}
		d->have_odd = 0;
		u = le ? (unsigned)d->odd | (unsigned)b << 8 :
		    (unsigned)d->odd << 8 | b;
		n += put_unit(d, u, out + n);
	}
	if (le && d->have_odd && d->odd == 0x0a && d->last == 0x0d &&
	    d->hi == 0) {
		/* CR and the first byte of LF: the line ends here. */
		d->have_odd = 0;
		d->expect_nul = 1;
		d->last = 0x0a;
		out[n++] = '\n';
	}
	return n;
}

/* CP932 through iconv; a byte that does not convert is U+FFFD. */
static size_t
dec_cp932(struct evtcsv_dec *d, struct slice line, char *out)
{
	iconv_t cd = (iconv_t)d->cd;
	char *ip = (char *)line.p, *op = out;
	size_t inleft = line.n, outleft = EVTCSV_DEC_MAX(line.n) - 1;

	iconv(cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		if (iconv(cd, &ip, &inleft, &op, &outleft) != (size_t)-1)
			break;
		if (errno == E2BIG || outleft < 3)
			break;	/* cannot happen: out is large enough */
		op += put_utf8(op, REPLACEMENT);
		outleft -= 3;
		ip++;
		inleft--;
	}
	*op++ = '\n';
	return (size_t)(op - out);
}

size_t
evtcsv_dec_line(struct evtcsv_dec *d, struct slice line, char *out)
{
	if (d->enc == EVTCSV_ASCII && !all_ascii(line)) {
		if (is_utf8(line))
			d->enc = EVTCSV_UTF8;
		else
			use_cp932(d);
	}
	if (d->enc == EVTCSV_UTF16LE || d->enc == EVTCSV_UTF16BE)
		return dec_utf16(d, line, out);
	if (d->enc == EVTCSV_CP932)
		return dec_cp932(d, line, out);
	if (line.n)
		memcpy(out, line.p, line.n);
	out[line.n] = '\n';
	return line.n + 1;
}

void
evtcsv_dec_lost_line(struct evtcsv_dec *d)
{
	d->hi = 0;
	d->last = 0;
	d->expect_nul = 0;
	d->have_odd = 0;
	if (d->enc == EVTCSV_UTF16LE) {
		d->have_odd = 1;	/* as after an LF's 0x0A */
		d->odd = 0x0a;
	}
}

static size_t
skip_spaces(struct slice s, size_t i)
{
	while (i < s.n && s.p[i] == ' ')
		i++;
	return i;
}

/* "AM"/"PM" (any case) or "午前"/"午後" at s[*i]: 0 AM, 1 PM, -1 none. */
static int
meridiem(struct slice s, size_t *i)
{
	struct slice r = slice_from(s, *i);

	if (slice_has_prefix(r, "午前")) {
		*i += strlen("午前");
		return 0;
	}
	if (slice_has_prefix(r, "午後")) {
		*i += strlen("午後");
		return 1;
	}
	if (r.n >= 2 && (r.p[1] == 'M' || r.p[1] == 'm') &&
	    (r.n == 2 || r.p[2] == ' ')) {
		if (r.p[0] == 'A' || r.p[0] == 'a') {
			*i += 2;
			return 0;
		}
		if (r.p[0] == 'P' || r.p[0] == 'p') {
			*i += 2;
			return 1;
		}
	}
	return -1;
}

int
evtcsv_parse_date(struct slice s, int *dayfirst, int64_t *wall)
{
	int y, mo, d, h, mi, sec, pm;
	size_t i = 0;
	int64_t t;

	s = slice_trim(s);
	if (time_parse_windows_date(s, &i, dayfirst, &y, &mo, &d) != 0)
		return -1;
	i = skip_spaces(s, i);
	pm = meridiem(s, &i);	/* "午後 1:03:12" */
	i = skip_spaces(s, i);
	if (time_read_digits(s, &i, 2, &h) == 0 || i >= s.n ||
	    s.p[i++] != ':' || time_read_digits(s, &i, 2, &mi) != 2 ||
	    i >= s.n || s.p[i++] != ':' ||
	    time_read_digits(s, &i, 2, &sec) != 2)
		return -1;
	if (pm < 0 && i < s.n) {
		i = skip_spaces(s, i);
		if ((pm = meridiem(s, &i)) < 0)
			return -1;
	}
	if (i != s.n)
		return -1;
	if (pm >= 0) {
		/* 12-hour clock: 12:xx AM is 00:xx, 12:xx PM is noon. */
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
	}
	if (sec > 59 || (t = time_utc_seconds(y, mo, d, h, mi, sec)) < 0)
		return -1;
	*wall = t;
	return 0;
}
