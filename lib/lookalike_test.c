/*
 * lookalike_test.c: folding (NFKC, case, invisible code points), the
 * skeleton (homoglyphs, accents, "rn" for 'm'), edit distances whole and
 * inside a longer text, hidden characters in names (emoji sequences
 * excepted), bidirectional controls, showing invisibles and controls
 * as <U+XXXX>, and stripping them.
 */
#include <stdio.h>
#include <string.h>
#include "lookalike.h"
#include "test.h"

static uint32_t a[LOOKALIKE_MAX], b[LOOKALIKE_MAX];
static char text[4 * LOOKALIKE_MAX + 1];

/* The folded form of s, as UTF-8. */
static const char *
fold(const char *s)
{
	size_t n = lookalike_fold(slice_cstr(s), a, LOOKALIKE_MAX);

	lookalike_utf8(a, n, text, sizeof text);
	return text;
}

/* The skeleton of s (folded first), as UTF-8. */
static const char *
skel(const char *s, int flags)
{
	size_t n = lookalike_fold(slice_cstr(s), a, LOOKALIKE_MAX);

	n = lookalike_skeleton(a, n, b, LOOKALIKE_MAX, flags);
	lookalike_utf8(b, n, text, sizeof text);
	return text;
}

/* The distance between the folded forms of x and y (find: y inside). */
static size_t
dist(const char *x, const char *y, size_t max, int find)
{
	size_t xn = lookalike_fold(slice_cstr(x), a, LOOKALIKE_MAX);
	size_t yn = lookalike_fold(slice_cstr(y), b, LOOKALIKE_MAX);

	return find ? lookalike_find(a, xn, b, yn, max) :
	    lookalike_distance(a, xn, b, yn, max);
}

static const char *
show(const char *s, size_t cap)
{
	lookalike_show(slice_cstr(s), text, cap);
	return text;
}

int
main(void)
{
	static const char ctl[] = "Pay\0Pal\xe2\x80\x8b\tInc";
	char big[2000];
	size_t n;

	/* Folding. */
	TEST_OK(strcmp(fold("PayPal"), "paypal") == 0, "fold: case");
	TEST_OK(strcmp(fold("\xef\xbd\x90\xef\xbd\x81\xef\xbd\x99"), "pay") == 0,
	    "fold: full-width letters (NFKC)");
	TEST_OK(strcmp(fold("\xf0\x9d\x90\xa9\xf0\x9d\x90\x9a"), "pa") == 0,
	    "fold: mathematical bold letters (NFKC)");
	TEST_OK(strcmp(fold("e\xe2\x80\x8bx\xc2\xad" "e"), "exe") == 0,
	    "fold: zero-width space and soft hyphen dropped");
	TEST_OK(strcmp(fold("X\xf3\xa0\x84\xb9\xf3\xa0\x84\xb9" "fi"), "xfi")
	    == 0, "fold: variation selectors supplement dropped (sample 5756)");
	TEST_OK(strcmp(fold("a\xe2\x80\xae" "b"), "ab") == 0,
	    "fold: right-to-left override dropped");
	TEST_OK(strcmp(fold("e\xe2\x80\x8c\xcc\x8c"), "\xc4\x9b") == 0,
	    "fold: an invisible between letter and accent dropped first");
	TEST_OK(strcmp(fold("Stra\xc3\x9f" "e"), "strasse") == 0,
	    "fold: full case folding (sharp s)");
	TEST_OK(strcmp(fold("a\xffz"), "a\xef\xbf\xbdz") == 0,
	    "fold: a bad byte is U+FFFD");
	TEST_OK(lookalike_fold(slice_cstr(""), a, LOOKALIKE_MAX) == 0,
	    "fold: empty");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	TEST_OK(lookalike_fold(slice_cstr(big), a, LOOKALIKE_MAX) ==
	    LOOKALIKE_MAX, "fold: long text cut at LOOKALIKE_MAX");

	/* Skeletons. */
	TEST_OK(strcmp(skel("p\xd0\xb0yp\xd0\xb0l.com", 0), "paypal.com") == 0,
	    "skeleton: Cyrillic a is a");
	TEST_OK(strcmp(skel("PayPaI", 0), skel("paypal", 0)) == 0 &&
	    strcmp(skel("paypa1", 0), "paypal") == 0,
	    "skeleton: I, i, 1 and l are one");
	TEST_OK(strcmp(skel("g00gle", 0), "google") == 0,
	    "skeleton: 0 is o");
	TEST_OK(strcmp(skel("exarnple", 0), "example") == 0 &&
	    strcmp(skel("vvork", 0), "work") == 0,
	    "skeleton: rn is m, vv is w");
	TEST_OK(strcmp(skel("caf\xc3\xa9", 0), "cafe") == 0,
	    "skeleton: accents dropped");
	TEST_OK(strcmp(skel("Capital One, Inc.", LOOKALIKE_ALNUM),
	    "capltalonelnc") == 0,
	    "skeleton: ALNUM keeps letters and digits");
	TEST_OK(strcmp(skel("\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e",
	    LOOKALIKE_ALNUM), "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e")
	    == 0, "skeleton: CJK names kept, space dropped");
	TEST_OK(strcmp(skel("a\xe2\x80\x94" "b", 0), "a-b") == 0,
	    "skeleton: dashes are hyphens");

	/* Distances. */
	TEST_OK(dist("example", "example", 2, 0) == 0, "distance: equal");
	TEST_OK(dist("example", "exmaple", 2, 0) == 1,
	    "distance: a transposition is one edit");
	TEST_OK(dist("example", "examplee", 2, 0) == 1 &&
	    dist("example", "exampl", 2, 0) == 1 &&
	    dist("example", "exbmple", 2, 0) == 1,
	    "distance: insertion, deletion, substitution");
	TEST_OK(dist("kitten", "sitting", 5, 0) == 3, "distance: kitten");
	TEST_OK(dist("kitten", "sitting", 2, 0) == 3,
	    "distance: over max is max + 1");
	TEST_OK(dist("abc", "abcdefgh", 2, 0) == 3,
	    "distance: lengths too far apart");
	TEST_OK(dist("", "ab", 5, 0) == 2 && dist("ab", "", 5, 0) == 2,
	    "distance: against empty");
	TEST_OK(dist("capitalone", "dear capitaone customer", 2, 1) == 1,
	    "find: one edit inside a longer text");
	TEST_OK(dist("paypal", "support paypal team", 2, 1) == 0,
	    "find: contained");
	TEST_OK(dist("coinbase", "your bank", 2, 1) == 3,
	    "find: not there");
	n = lookalike_fold(slice_cstr(big), a, LOOKALIKE_MAX);
	TEST_OK(lookalike_distance(a, n, a, n, 2) == 0,
	    "distance: LOOKALIKE_MAX long");

	/* Hidden characters and bidirectional controls. */
	TEST_OK(lookalike_hidden(slice_cstr(
	    " X\xf3\xa0\x84\xb9\xf3\xa0\x84\xb9" "fi\xf3\xa0\x84\xb9")) == 3,
	    "hidden: variation selectors after letters");
	TEST_OK(lookalike_hidden(slice_cstr("Ali\xe2\x80\x8b" "ce")) == 1,
	    "hidden: zero-width space");
	TEST_OK(lookalike_hidden(slice_cstr("Shop \xe2\x9d\xa4\xef\xb8\x8f "
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb")) == 0,
	    "hidden: emoji variation selector and ZWJ are not hiding");
	TEST_OK(lookalike_hidden(slice_cstr("\xe5\xb1\xb1\xe7\x94\xb0 "
	    "\xe5\xa4\xaa\xe9\x83\x8e")) == 0 &&
	    lookalike_hidden(slice_cstr("")) == 0,
	    "hidden: an ordinary Japanese name");
	TEST_OK(lookalike_has_bidi(slice_cstr("invoice\xe2\x80\xaegpj.exe")) &&
	    lookalike_has_bidi(slice_cstr("a\xe2\x81\xa7" "b")) &&
	    !lookalike_has_bidi(slice_cstr("invoice.pdf")),
	    "bidi: U+202E and U+2067 found");

	/* Showing. */
	TEST_OK(strcmp(show("invoice\xe2\x80\xaegpj.exe", 100),
	    "invoice<U+202E>gpj.exe") == 0, "show: RLO visible");
	TEST_OK(strcmp(show("X\xf3\xa0\x84\xb9" "f", 100), "X<U+E0139>f") == 0,
	    "show: supplementary code point");
	TEST_OK(strcmp(show("\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8.pdf", 100),
	    "\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8.pdf") == 0,
	    "show: visible text unchanged");
	TEST_OK(strcmp(show("abcdefghij", 8), "abcd...") == 0,
	    "show: cut with dots");
	TEST_OK(strlen(show("abcdefghij", 8)) < 8 &&
	    strcmp(show("abcdefg", 8), "abcdefg") == 0,
	    "show: fits exactly, or cut within cap");
	TEST_OK(strcmp(show("ab\xe2\x80\xae\xe2\x80\xae", 10), "ab...") == 0,
	    "show: a marker is not cut in half");
	TEST_OK(strcmp(show("a\xff", 10), "a\xff") == 0,
	    "show: bad bytes left to the escaper");
	lookalike_strip(slice_cstr(" Co\xf3\xa0\x84\xb9\xf3\xa0\x84\xb9"
	    "in\xe2\x80\x8b" "base "), text, sizeof text);
	TEST_OK(strcmp(text, " Coinbase ") == 0, "strip: invisibles gone");
	lookalike_strip(slice_cstr("ab\xe2\x80\xae" "cd"), text, 4);
	TEST_OK(strcmp(text, "abc") == 0, "strip: cut to fit");
	/* A NUL kept would cut the reason: "it reads 'Pay'". */
	n = lookalike_strip(slice_make(ctl, sizeof ctl - 1), text,
	    sizeof text);
	TEST_OK(n == 9 && strcmp(text, "PayPalInc") == 0,
	    "strip: controls gone, as show marks them");
	TEST_OK(strcmp(show("Pay\tPal", 100), "Pay<U+0009>Pal") == 0,
	    "show: a control marked");
	return test_done();
}
