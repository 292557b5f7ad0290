/*
 * htmlesc_test.c: the HTML escaper stands between log bytes and an
 * analyst's browser, so its cases are spelled out: markup, both quote
 * characters, a closing </style> and </script>, controls, broken UTF-8,
 * Japanese text, and a long field written through an outbuf in pieces.
 */
#include <stdlib.h>
#include "htmlesc.h"
#include "test.h"

static void
check(const char *in, size_t n, const char *want, const char *what)
{
	char out[512];
	size_t o = htmlesc(out, slice_make(in, n));

	TEST_BYTES(out, o, want, what);
	TEST_OK(o <= HTMLESC_MAX_GROWTH * n, "within the growth bound");
}

/* Whether n bytes at p hold any of < > " ' raw. */
static int
has_markup(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '<' || p[i] == '>' || p[i] == '"' || p[i] == '\'')
			return 1;
	return 0;
}

int
main(void)
{
	static struct outbuf ob;
	size_t i, big = 5 * 200000;
	char *s;

	check("plain text 123", 14, "plain text 123", "plain passes");
	check("<script>alert(1)</script>", 25,
	    "&lt;script&gt;alert(1)&lt;/script&gt;", "script tag");
	check("</style><b>", 11, "&lt;/style&gt;&lt;b&gt;", "closing style");
	check("a\"b'c", 5, "a&quot;b&#39;c", "both quotes for attributes");
	check("\" onmouseover=\"x", 16, "&quot; onmouseover=&quot;x",
	    "attribute break-out");
	check("AT&T &amp;", 10, "AT&amp;T &amp;amp;",
	    "ampersand, even an entity");
	check("\x1b[31m\x7f", 6, "\\x1b[31m\\x7f", "ESC and DEL shown");
	check("a\tb\n", 4, "a\\x09b\\x0a", "tab and newline shown");
	check("\0x", 2, "\\x00x", "NUL shown");
	check("\xe6\x97\xa5\xe6\x9c\xac", 6, "\xe6\x97\xa5\xe6\x9c\xac",
	    "Japanese passes");
	check("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80", "four-byte passes");
	check("\x93\xfa<", 3, "\\x93\\xfa&lt;", "Shift_JIS bytes shown");
	check("\xc2\x9b", 2, "\\xc2\\x9b", "C1 CSI shown");
	check("\xc0\xbc", 2, "\\xc0\\xbc", "overlong '<' shown, not decoded");
	check("\xed\xa0\x80", 3, "\\xed\\xa0\\x80", "surrogate shown");
	check("\xe6\x97", 2, "\\xe6\\x97", "truncated sequence shown");
	check("\\x3c", 4, "\\x3c", "a TSV escape stays text");
	check("a\xe2\x80\xaegpj.exe", 11, "a\\u202egpj.exe",
	    "right-to-left override shown, not obeyed");
	check("\xe2\x80\x8b\xef\xbb\xbf\xf3\xa0\x80\x81", 10,
	    "\\u200b\\ufeff\\ue0001", "zero widths and a tag shown");
	check("\xe2\x80\x90", 3, "\xe2\x80\x90", "a hyphen (U+2010) kept");

	/* Long input through the outbuf: pieces, no raw markup anywhere. */
	if ((s = malloc(big)) == NULL)
		return 1;
	for (i = 0; i < big; i++)
		s[i] = "<\xe6\x97\xa5'"[i % 5];
	outbuf_init_mem(&ob);
	htmlesc_put(&ob, slice_make(s, big));
	TEST_OK(ob.err == 0 && !has_markup(ob.buf, ob.len),
	    "long input: no raw markup");
	/* Each 5-byte unit: &lt; (4), the kanji (3), &#39; (5). */
	TEST_OK(ob.len == big / 5 * 12,
	    "long input: exact length, UTF-8 intact");
	outbuf_release(&ob);
	outbuf_init_mem(&ob);
	htmlesc_puts(&ob, "C&C");
	TEST_BYTES(ob.buf, ob.len, "C&amp;C", "puts");
	outbuf_release(&ob);
	free(s);
	return test_done();
}
