/*
 * htmlesc.c: the HTML escaper of csm-report (see htmlesc.h). The five
 * characters that matter to an HTML parser in text and in quoted
 * attributes are written as character references; bytes that a browser
 * could read as something else (controls, broken or overlong UTF-8,
 * surrogates) are shown as \xHH, the same notation as the TSV streams, so
 * that the evidence stays readable and the page stays valid UTF-8; and
 * characters a browser would obey unseen (bidirectional controls, zero
 * widths) as \uXXXX.
 */
#include <string.h>
#include "esc.h"
#include "htmlesc.h"

static const char hexdigits[] = "0123456789abcdef";

static size_t
put(char *dst, const char *s, size_t n)
{
	memcpy(dst, s, n);
	return n;
}

size_t
htmlesc(char *dst, struct slice src)
{
	const unsigned char *p = (const unsigned char *)src.p;
	size_t i = 0, o = 0, k;
	uint32_t cp;

	while (i < src.n) {
		unsigned c = p[i];

		switch (c) {
		case '&': o += put(dst + o, "&amp;", 5); i++; continue;
		case '<': o += put(dst + o, "&lt;", 4); i++; continue;
		case '>': o += put(dst + o, "&gt;", 4); i++; continue;
		case '"': o += put(dst + o, "&quot;", 6); i++; continue;
		case '\'': o += put(dst + o, "&#39;", 5); i++; continue;
		default: break;
		}
		if (c >= 0x20 && c < 0x7f) {
			dst[o++] = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80 && (k = esc_utf8_char((const char *)p + i,
		    src.n - i, &cp)) > 0) {
			/* Shown, not obeyed: a page must not reorder text. */
			if (esc_is_invisible(cp))
				o += esc_show(dst + o, cp);
			else
				o += put(dst + o, (const char *)p + i, k);
			i += k;
			continue;
		}
		/* A control or a stray byte: visible, and harmless. */
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hexdigits[c >> 4];
		dst[o++] = hexdigits[c & 15];
		i++;
	}
	return o;
}

void
htmlesc_put(struct outbuf *ob, struct slice s)
{
	const size_t piece = OUTBUF_SIZE / HTMLESC_MAX_GROWTH / 2;

	while (s.n > 0) {
		size_t k = s.n < piece ? s.n : piece;
		char *dst;

		/* Do not cut a UTF-8 sequence in two between pieces. */
		if (k < s.n)
			while (k > 1 && ((unsigned char)s.p[k] & 0xc0) == 0x80)
				k--;
		if ((dst = outbuf_reserve(ob, k * HTMLESC_MAX_GROWTH)) == NULL)
			return;
		ob->len += htmlesc(dst, slice_make(s.p, k));
		s = slice_from(s, k);
	}
}

void
htmlesc_puts(struct outbuf *ob, const char *s)
{
	htmlesc_put(ob, slice_cstr(s));
}
