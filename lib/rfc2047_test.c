/*
 * rfc2047_test.c: encoded-words in the Japanese charsets mail really
 * uses, words split inside a character, broken words kept as written,
 * From values in their several shapes and RFC 2231 file names.
 */
#include "rfc2047.h"
#include "test.h"

#define IN_MAX 12000	/* the long tests' input */

static char out[512];

static void
dec(const char *in, int flags, const char *want, const char *what)
{
	size_t n = rfc2047_decode(out, sizeof out, slice_cstr(in), flags);

	TEST_BYTES(out, n, want, what);
}

static void
mbox(const char *in, int flags, const char *addr, const char *name,
    const char *what)
{
	char a[128], nm[256];
	struct rfc2047_mailbox mb = { a, sizeof a, 0, nm, sizeof nm, 0 };

	rfc2047_mailbox(slice_cstr(in), flags, &mb);
	TEST_OK(mb.addr_n == strlen(addr) && memcmp(a, addr, mb.addr_n) == 0 &&
	    mb.name_n == strlen(name) && memcmp(nm, name, mb.name_n) == 0,
	    what);
	if (mb.addr_n != strlen(addr) || mb.name_n != strlen(name) ||
	    memcmp(a, addr, mb.addr_n) || memcmp(nm, name, mb.name_n))
		printf("# got addr '%.*s' name '%.*s'\n", (int)mb.addr_n, a,
		    (int)mb.name_n, nm);
}

/*
 * A NEC character makes iconv's ISO-2022-JP fail, so the text goes the
 * slower way, through EUC-JP, where each half-width kana byte becomes
 * two: 4,000 of them once overflowed that conversion's buffer.
 */
static void
long_kana(void)
{
	static char in[4096], big[16384];
	size_t n = 0;
	long r;

	memcpy(in, "\033$B-!\033(I", 8);
	n = 8;
	memset(in + n, '!', 4000);
	n += 4000;
	r = rfc2047_to_utf8(big, sizeof big, slice_cstr("ISO-2022-JP"),
	    slice_make(in, n));
	TEST_OK(r == 3 + 4000 * 3 && memcmp(big, "\xe2\x91\xa0", 3) == 0 &&
	    memcmp(big + r - 3, "\xef\xbd\xa1", 3) == 0,
	    "ISO-2022-JP: 4,000 half-width kana after a NEC character");
}

static void
param(const char *in, const char *name, const char *want, const char *what)
{
	int cut = -1;
	long n = rfc2047_param(slice_cstr(in), name, RFC2047_FOLDED, out,
	    sizeof out, &cut);

	if (want == NULL)
		TEST_OK(n == -1, what);
	else
		TEST_OK(n >= 0 && (size_t)n == strlen(want) &&
		    memcmp(out, want, (size_t)n) == 0 && cut == 0, what);
}

/*
 * A file name padded past what is kept must keep its end, the extension
 * the attachment checks look at, and say it was cut: whether the header
 * is too long to read whole or its value too long for the output.
 */
/* Appends text to the test input in[0..*n). */
static void
add(char *in, size_t *n, const char *text)
{
	*n += (size_t)snprintf(in + *n, IN_MAX - *n, "%s", text);
}

/* Appends k bytes c to the test input in[0..*n). */
static void
pad(char *in, size_t *n, int c, size_t k)
{
	memset(in + *n, c, k);
	*n += k;
}

/* The filename parameter of in[0..n) into out. */
static long
filename(const char *in, size_t n, int *cut)
{
	return rfc2047_param(slice_make(in, n), "filename", 0, out,
	    sizeof out, cut);
}

static void
long_names(void)
{
	static char in[IN_MAX];
	char seg[128];
	size_t n;
	long r;
	int cut, k, j;

	n = 0;
	add(in, &n, "attachment; filename=\"");
	pad(in, &n, 'a', 5000);
	add(in, &n, ".exe\"; size=3");
	r = filename(in, n, &cut);
	TEST_OK(r == sizeof out && cut == 1 && memcmp(out, "aaa", 3) == 0 &&
	    memcmp(out + r - 7, "aaa.exe", 7) == 0 &&
	    memmem(out, (size_t)r, "...", 3) != NULL,
	    "a 5,000-byte file name keeps its extension");

	n = 0;
	add(in, &n, "attachment; filename=\"");
	pad(in, &n, 'b', 1000);
	add(in, &n, "\xe8\xab\x8b.exe\"");
	r = filename(in, n, &cut);
	TEST_OK(r > 0 && (size_t)r <= sizeof out && cut == 1 &&
	    memcmp(out + r - 7, "\xe8\xab\x8b.exe", 7) == 0,
	    "a name longer than the output keeps its end, whole characters");

	n = 0;
	add(in, &n, "attachment");
	for (k = 0; k < 60; k++) {
		snprintf(seg, sizeof seg, "; filename*%d=\"%0100d\"", k, k);
		add(in, &n, seg);
	}
	add(in, &n, "; filename*60=\".exe\"");
	r = filename(in, n, &cut);
	TEST_OK(r > 4 && cut == 1 && memcmp(out + r - 4, ".exe", 4) == 0,
	    "RFC 2231 continuations past 4,096 bytes keep the last one");

	/* A long decoy parameter before the name does not hide it. */
	n = 0;
	add(in, &n, "attachment; a=\"");
	pad(in, &n, 'A', 2500);
	add(in, &n, "\"; filename=\"evil.exe\"; b=\"");
	pad(in, &n, 'B', 2500);
	add(in, &n, "\"");
	r = filename(in, n, &cut);
	TEST_OK(r == 8 && cut == 0 && memcmp(out, "evil.exe", 8) == 0,
	    "a name between two 2,500-byte parameters is found");

	/*
	 * TSCII makes up to twelve bytes of one: such words are kept as
	 * written, so that the decoded value never outgrows the room for it
	 * and loses what follows.
	 */
	n = 0;
	add(in, &n, "attachment; filename=\"");
	for (k = 0; k < 10; k++) {
		add(in, &n, "=?tscii?B?");
		for (j = 0; j < 100; j++)
			add(in, &n, "goKC");
		add(in, &n, "?= ");
	}
	add(in, &n, "x.exe\"");
	r = filename(in, n, &cut);
	TEST_OK(r > 5 && memcmp(out + r - 5, "x.exe", 5) == 0,
	    "words that grow more than threefold do not hide the end");

	{
		char a[128], nm[256];
		struct rfc2047_mailbox mb = { a, sizeof a, 0, nm, sizeof nm,
		    0 };

		n = 0;
		add(in, &n, "\"");
		pad(in, &n, 'x', 5000);
		add(in, &n, "\" <ceo@corp.example.co.jp>");
		rfc2047_mailbox(slice_make(in, n), 0, &mb);
		TEST_OK(mb.addr_n == 22 && memcmp(a, "ceo@corp.example.co.jp",
		    22) == 0, "a 5,000-byte display name keeps the address");
	}
}

int
main(void)
{
	char small[8];
	size_t n;

	dec("=?ISO-2022-JP?B?GyRCOzNFREJATzobKEI=?=", 0, "山田太郎",
	    "ISO-2022-JP B");
	dec("=?iso-2022-jp?b?GyRCLSEtahsoQg==?=", 0, "①㈱",
	    "ISO-2022-JP with NEC extensions (CP50221)");
	dec("=?Shift_JIS?B?jlKTY5G+mFk=?=", 0, "山田太郎", "Shift_JIS");
	dec("=?shift_jis?B?h0CHig==?=", 0, "①㈱", "Shift_JIS read as CP932");
	dec("=?EUC-JP?B?u7PFxMLAz7o=?=", 0, "山田太郎", "EUC-JP");
	dec("=?UTF-8?Q?Cellier_du_P=C3=A9rigord?=", 0, "Cellier du Périgord",
	    "Q encoding");
	dec("=?utf-8*ja?B?5bGx55Sw?=", 0, "山田", "RFC 2231 language");
	dec("=?ISO-2022-JP?B?GyRCOzM=?= =?ISO-2022-JP?B?RUQbKEI=?=", 0,
	    "山田", "ISO-2022-JP split across words");
	dec("=?UTF-8?B?5bE=?=\t =?UTF-8?B?seeUsA==?=", 0, "山田",
	    "UTF-8 character split across words");
	dec("=?UTF-8?B?5bGx?= =?ISO-2022-JP?B?GyRCRUQbKEI=?=", 0, "山田",
	    "space between words of two charsets dropped");
	dec("Re: =?UTF-8?B?5bGx?= san", 0, "Re: 山 san",
	    "text around a word kept");
	dec("=?UTF-8?B?5bGx?=?\?=?UTF-8?B?55Sw?=", RFC2047_FOLDED, "山田",
	    "Postfix folding between words");
	dec("=?UTF-8?B?5bGx?=?\?=?UTF-8?B?55Sw?=", 0, "山?\?田",
	    "'?' is text without the folded flag");
	dec("Why?\? =?UTF-8?B?5bGx?=", RFC2047_FOLDED, "Why?\? 山",
	    "'?' in plain text kept");
	dec("=?x-unknown-cs?B?5bGx?= ok", 0, "=?x-unknown-cs?B?5bGx?= ok",
	    "unknown charset kept as written");
	dec("=?UTF-8?B?5b*x?=", 0, "=?UTF-8?B?5b*x?=", "bad base64 kept");
	dec("=?UTF-8?Q?a=ZZ?=", 0, "=?UTF-8?Q?a=ZZ?=", "bad hex kept");
	dec("=?UTF-8?Q?a=E?=", 0, "=?UTF-8?Q?a=E?=", "cut hex kept");
	dec("=?ISO-2022-JP?B?GyRCgoI=?=", 0, "=?ISO-2022-JP?B?GyRCgoI=?=",
	    "8-bit bytes in ISO-2022-JP kept as written");
	dec("=?utf-8?B?5bGx?= =?utf-8?", 0, "山 =?utf-8?",
	    "word cut by Postfix's 200 bytes kept");
	dec("=?utf-8/IGNORE?B?5bGx?=", 0, "=?utf-8/IGNORE?B?5bGx?=",
	    "no iconv suffix through the charset");
	dec("=?utf-8?B?\?=", 0, "", "empty word");
	dec("=?iso-8859-1?Q?caf=E9_=93x=94?=", 0, "café \xe2\x80\x9cx\xe2\x80\x9d",
	    "Latin-1 label read as CP1252");
	n = rfc2047_decode(small, sizeof small, SLICE_LIT(
	    "=?UTF-8?B?5bGx55Sw5aSq6YOO?="), 0);
	TEST_OK(n == 6 && memcmp(small, "山田", 6) == 0,
	    "cut output drops no byte of a partial character");
	n = rfc2047_decode(small, sizeof small, SLICE_LIT("abcdefghijk"), 0);
	TEST_OK(n == 8, "plain text cut at the buffer");

	mbox("\"=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= (ceo@corp.example.co.jp)\" "
	    "<ceo.corp@mail.example.org>", 0, "ceo.corp@mail.example.org",
	    "山田 (ceo@corp.example.co.jp)", "quoted encoded name");
	mbox("=?ISO-2022-JP?B?GyRCOzNFREJATzobKEI=?= <taro@example.co.jp>", 0,
	    "taro@example.co.jp", "山田太郎", "encoded phrase");
	mbox("=?UTF-8?q?Cellier_du_P=C3=A9rigord?=?\?<newsletter@wine.com>",
	    RFC2047_FOLDED, "newsletter@wine.com", "Cellier du Périgord",
	    "folded before the angle");
	mbox("John Doe <jdoe@example.org>", 0, "jdoe@example.org", "John Doe",
	    "atoms");
	mbox("\"Doe, John \\\"JD\\\"\" <jdoe@example.org>, x@y", 0,
	    "jdoe@example.org", "Doe, John \"JD\"", "escapes and a list");
	mbox("jdoe@example.org (John Doe)", 0, "jdoe@example.org", "John Doe",
	    "obsolete comment form");
	mbox("jdoe@example.org", 0, "jdoe@example.org", "", "bare address");
	mbox("<jdoe@example.org>", 0, "jdoe@example.org", "", "angle only");
	mbox("Boss (ceo@corp.example) <x@evil.example>", 0, "x@evil.example",
	    "Boss (ceo@corp.example)", "comment kept in the name");
	mbox("\"Very long name cut short", 0, "", "Very long name cut short",
	    "unclosed quote");
	mbox("Name <cut@exa", 0, "cut@exa", "Name", "unclosed angle");
	mbox("", 0, "", "", "empty");

	param("application/octet-stream; name=\"invoice.pdf.exe\"", "name",
	    "invoice.pdf.exe", "quoted name");
	param("attachment;?\?filename=\""
	    "=?ISO-2022-JP?B?GyRCQEE1YT1xGyhCLnBkZi5leGU=?=\"; size=3",
	    "filename", "請求書.pdf.exe", "encoded-word inside quotes, folded");
	param("attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf.exe",
	    "filename", "請求書.pdf.exe", "RFC 2231 extended value");
	param("attachment; filename*0*=shift_jis'ja'%90%BF%8B%81; "
	    "filename*1*=%8F%91; filename*2=\".zip\"", "filename", "請求書.zip",
	    "RFC 2231 continuations, Shift_JIS");
	param("attachment; filename=\"a.pdf\"; filename*=utf-8''b.exe",
	    "filename", "b.exe", "extended value wins");
	{
		int cut = 0;
		long got = rfc2047_param(slice_cstr("attachment; filename=\""
		    "evil.exe\"; filename*=utf-8''b.pdf"), "filename",
		    RFC2047_PLAIN, out, sizeof out, &cut);

		TEST_OK(got == 8 && memcmp(out, "evil.exe", 8) == 0,
		    "RFC2047_PLAIN: the plain value beside an extended one");
		cut = 0;
		got = rfc2047_param(slice_cstr("attachment; filename*0="
		    "\"invoice\"; filename*70=\".exe\""), "filename", 0, out,
		    sizeof out, &cut);
		TEST_OK(got == 7 && cut == RFC2047_CUT_PARTS,
		    "a continuation past the 64th: left out, and said");
	}
	param("attachment; filename*0=\"invoice.pdf\"; filename*2=\".exe\"",
	    "filename", "invoice.pdf.exe", "continuations joined across a gap");
	param("attachment; filename*1=\"evil.exe\"", "filename", "evil.exe",
	    "continuations without the first one");
	param("inline; size=3; x=\"a;b\"", "filename", NULL, "no such parameter");
	param("text/plain; charset=us-ascii", "name", NULL,
	    "charset is not name");
	param("application/x; name=plain.exe", "name", "plain.exe",
	    "unquoted value");
	param("application/x; filename=\"f.exe\"", "name", NULL,
	    "filename is not name");
	param("attachment; filename=\"=?utf-8?B?5bGx?=? =?utf-8?", "filename",
	    "山  =?utf-8?", "value cut short");
	long_kana();
	long_names();
	return test_done();
}
