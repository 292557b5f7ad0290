/*
 * esc_test.c: the escaper is the last line of defence between log bytes
 * and a terminal or a TSV consumer, so its cases are spelled out here.
 */
#include "esc.h"
#include "test.h"

static void
check_esc(const char *in, size_t n, int flags, const char *want,
    const char *what)
{
	char out[256], back[256];
	size_t o = esc_tsv(out, slice_make(in, n), flags), b;

	TEST_BYTES(out, o, want, what);
	b = esc_unescape(back, slice_make(out, o));
	TEST_OK(b == n && memcmp(back, in, n) == 0, "round trip");
}

/* ESC_MEND: no round trip, the input is escaped text already. */
static void
check_mend(const char *in, const char *want, const char *what)
{
	char out[256];
	size_t o = esc_tsv(out, slice_cstr(in), ESC_MEND);

	TEST_BYTES(out, o, want, what);
}

int
main(void)
{
	check_esc("plain text", 10, ESC_TSV, "plain text", "plain passes");
	check_esc("a\tb\nc\rd\\e", 9, ESC_TSV, "a\\tb\\nc\\rd\\\\e",
	    "tab newline cr backslash");
	check_esc("\x1b[31m", 5, ESC_TSV, "\\x1b[31m", "ESC byte");
	check_esc("\x7f\x00", 2, ESC_TSV, "\\x7f\\x00", "DEL and NUL");
	check_esc("\xe6\x97\xa5\xe6\x9c\xac", 6, ESC_TSV,
	    "\xe6\x97\xa5\xe6\x9c\xac", "Japanese UTF-8 passes");
	check_esc("\x93\xfa\x96\x7b", 4, ESC_TSV, "\\x93\\xfa\\x96{",
	    "Shift_JIS bytes escaped");
	check_esc("\xc2\x9b", 2, ESC_TSV, "\\xc2\\x9b", "C1 CSI escaped");
	check_esc("\xc0\xaf", 2, ESC_TSV, "\\xc0\\xaf", "overlong escaped");
	check_esc("\xed\xa0\x80", 3, ESC_TSV, "\\xed\\xa0\\x80",
	    "surrogate escaped");
	check_esc("\xf4\x90\x80\x80", 4, ESC_TSV, "\\xf4\\x90\\x80\\x80",
	    "beyond U+10FFFF escaped");
	check_esc("\xe6\x97", 2, ESC_TSV, "\\xe6\\x97", "truncated sequence");
	check_esc("a;b", 3, ESC_TSV, "a;b", "semicolon kept in plain field");
	check_esc("a;b", 3, ESC_EXTRA, "a\\x3bb", "semicolon escaped in extra");
	check_esc("invoice\xe2\x80\xaegpj.exe", 17, ESC_TSV,
	    "invoice\\xe2\\x80\\xaegpj.exe", "right-to-left override escaped");
	check_esc("a\xe2\x80\x8b" "b\xef\xbb\xbf\xe2\x80\xa8\xd8\x9c", 13,
	    ESC_TSV, "a\\xe2\\x80\\x8bb\\xef\\xbb\\xbf\\xe2\\x80\\xa8"
	    "\\xd8\\x9c", "zero width, BOM, line separator, ALM escaped");
	check_esc("\xf3\xa0\x80\x81\xf3\xa0\x82\x80", 8, ESC_TSV,
	    "\\xf3\\xa0\\x80\\x81\xf3\xa0\x82\x80",
	    "a tag escaped, U+E0080 kept");
	check_esc("\xe2\x80\x94\xe3\x81\x82\xef\xbc\xa1\xd8\xa7", 11,
	    ESC_TSV, "\xe2\x80\x94\xe3\x81\x82\xef\xbc\xa1\xd8\xa7",
	    "em dash, kana, full-width A, Arabic alef kept");
	check_mend("a\\tb\\x1bc\\\\d\\q", "a\\tb\\x1bc\\\\d\\q",
	    "mend: escapes and a stray backslash stay as they are");
	check_mend("al\x1b[31mice\tx\n", "al\\x1b[31mice\\tx\\n",
	    "mend: raw ESC, TAB and LF escaped");
	check_mend("\xe6\x97\xa5\\x41\x93\xfa",
	    "\xe6\x97\xa5\\x41\\x93\\xfa",
	    "mend: UTF-8 kept, Shift_JIS bytes escaped");
	check_mend("0123456789abcdef\\0123456789abcdef\x07",
	    "0123456789abcdef\\0123456789abcdef\\x07",
	    "mend: a backslash past the 16-byte path, then BEL");
	{
		char b[ESC_SHOW_MAX];
		size_t n = esc_show(b, 0x202e);

		TEST_BYTES(b, n, "\\u202e", "esc_show of U+202E");
		n = esc_show(b, 0xe0041);
		TEST_BYTES(b, n, "\\ue0041", "esc_show past U+FFFF");
		TEST_OK(esc_is_invisible(0x202e) && esc_is_invisible(0x2066) &&
		    esc_is_invisible(0x200b) && esc_is_invisible(0x2028) &&
		    esc_is_invisible(0xfeff) && esc_is_invisible(0xe0001) &&
		    !esc_is_invisible(0x2010) && !esc_is_invisible(0x3042) &&
		    !esc_is_invisible(0x301) && !esc_is_invisible('a'),
		    "invisible: bidi controls, zero widths, tags; not others");
	}
	TEST_OK(esc_is_clean(SLICE_LIT("GET /x")), "clean");
	TEST_OK(!esc_is_clean(SLICE_LIT("a\\b")), "backslash not clean");
	{
		char out[16];
		size_t n = esc_unescape(out, SLICE_LIT("\\q\\x4"));
		TEST_BYTES(out, n, "\\q\\x4", "unknown escapes kept");
	}
	{
		/* Room as the contract says: exactly 4 bytes an input byte. */
		char out[4 * 7];
		size_t n = esc_list_item(out, SLICE_LIT(",a\t;,,\x01"),
		    ESC_EXTRA);
		TEST_BYTES(out, n, "\\x2ca\\t\\x3b\\x2c\\x2c\\x01",
		    "list item: ',' as \\x2c, the rest as esc_tsv");
		n = esc_list_item(out, SLICE_LIT(",,,,,,,"), ESC_TSV);
		TEST_OK(n == 28 && memcmp(out + 24, "\\x2c", 4) == 0,
		    "list item: all commas fill the room exactly");
	}
	return test_done();
}
