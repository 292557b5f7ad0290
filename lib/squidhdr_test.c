/*
 * squidhdr_test.c: unit tests of reading the User-Agent out of a header
 * block, with blocks spelled as Squid writes them in each encoding: the
 * plain case, values that spell the separator of another encoding or of
 * their own, a block with no User-Agent, and decoding.
 */
#include "squidhdr.h"
#include "test.h"

/* What squidhdr_find_ua and squidhdr_decode make of block. */
static enum squidhdr_ua
find(const char *block, char enc, char *out, size_t cap)
{
	enum squidhdr_ua r;
	struct slice v;
	size_t n;

	r = squidhdr_find_ua(slice_cstr(block), enc, &v);
	n = squidhdr_decode(v, enc, out, cap - 1);
	out[n] = '\0';
	return r;
}

/* Whether block gives the User-Agent want (decoded). */
static int
gives(const char *block, char enc, const char *want)
{
	char out[256];

	return find(block, enc, out, sizeof out) == SQUIDHDR_FOUND &&
	    strcmp(out, want) == 0;
}

static int
gives_none(const char *block, char enc)
{
	char out[256];

	return find(block, enc, out, sizeof out) == SQUIDHDR_NONE &&
	    out[0] == '\0';
}

static int
is_ambiguous(const char *block, char enc)
{
	char out[256];

	return find(block, enc, out, sizeof out) == SQUIDHDR_AMBIGUOUS &&
	    out[0] == '\0';
}

static void
test_plain_blocks(void)
{
	TEST_OK(gives("Host: a\\r\\nUser-Agent: curl/8.5.0\\r\\n"
	    "Accept: */*\\r\\n", '[', "curl/8.5.0"),
	    "[ (QuoteMimeBlob): \\r\\n between headers");
	TEST_OK(gives("Host: a%0d%0aUser-Agent: curl/8.5.0%0d%0a", '[',
	    "curl/8.5.0"), "[ as documented: %0d%0a");
	TEST_OK(gives("Host: a%0D%0AUser-Agent: curl/8.5.0%0D%0A", '[',
	    "curl/8.5.0"), "[ with capital hex");
	TEST_OK(gives("Host: a\\r\\nUser-Agent: curl/8.5.0\\r\\n", '"',
	    "curl/8.5.0"), "\" (quoted string): \\r\\n");
	TEST_OK(gives("\"Host: a\\r\\nUser-Agent: curl/8.5.0\\r\\n\"", '/',
	    "curl/8.5.0"), "/ (shell): quoted as a whole");
	TEST_OK(gives("Host:%20a%0D%0AUser-Agent:%20Mozilla/5.0%20(X11)"
	    "%0D%0A", '#', "Mozilla/5.0 (X11)"), "# (URL): %0D%0A and %20");
	TEST_OK(gives("User-Agent:%20curl/8.5.0%0D%0AHost:%20a%0D%0A", 0,
	    "curl/8.5.0"), "no encoding: the first line is a header");
	TEST_OK(gives("user-agent: x\\r\\n", '[', "x"), "names in any case");
	TEST_OK(gives("Host: a\\r\\nUser-Agent: x", '[', "x"),
	    "a block cut short (.width) ends the value");
}

/* Values that spell an escaped CR LF then a User-Agent line. */
static void
test_forged_lines(void)
{
	TEST_OK(gives("Host: a\\r\\nCookie: b\\\\r\\\\nUser-Agent: fake\\r\\n"
	    "User-Agent: real\\r\\n", '[', "real"),
	    "[: a Cookie's \\r\\n text is \\\\r\\\\n");
	TEST_OK(gives("Host: a\\r\\nCookie: b%250D%250AUser-Agent: fake\\r\\n"
	    "User-Agent: real\\r\\n", '[', "real"),
	    "[: a Cookie's %0D%0A text is %250D%250A");
	TEST_OK(gives_none("Host: a\\r\\nReferer: b\\\\r\\\\nUser-Agent: fake"
	    "\\r\\n", '['), "[: a forged line and no User-Agent");
	TEST_OK(gives("Host: a\\r\\nCookie: b%0D%0AUser-Agent: fake\\r\\n"
	    "User-Agent: real\\r\\n", '"', "real"),
	    "\": %0D%0A in a value is text");
	TEST_OK(gives("Host: a\\r\\nCookie: b\\\\r\\\\nUser-Agent: fake\\r\\n"
	    "User-Agent: real\\r\\n", '"', "real"),
	    "\": a value's \\r\\n is \\\\r\\\\n");
	TEST_OK(gives("\"Host: a\\r\\nCookie: b\\\\r\\\\nUser-Agent: fake"
	    "\\r\\nUser-Agent: real\\r\\n\"", '/', "real"),
	    "/: a value's \\r\\n is \\\\r\\\\n");
	TEST_OK(gives("Host:%20a%0D%0ACookie:%20b%250D%250AUser-Agent:%20fake"
	    "%0D%0AUser-Agent:%20real%0D%0A", '#', "real"),
	    "#: a value's %0D%0A is %250D%250A");
	TEST_OK(gives("Host:%20a%0D%0ACookie:%20b%5Cr%5CnUser-Agent:%20fake"
	    "%0D%0AUser-Agent:%20real%0D%0A", '#', "real"),
	    "#: a value's \\r\\n is %5Cr%5Cn");
	TEST_OK(is_ambiguous("Host:%20a%0D%0AReferer:%20b%0D%0AUser-Agent:"
	    "%20fake%0D%0AUser-Agent:%20real%0D%0A", 0),
	    "no encoding: of two later lines either may be forged");
	TEST_OK(gives("Host:%20a%0D%0AUser-Agent:%20real%0D%0A", 0, "real"),
	    "no encoding: one later User-Agent line is taken");
	TEST_OK(gives("User-Agent:%20real%0D%0ACookie:%20b%0D%0AUser-Agent:"
	    "%20fake%0D%0A", 0, "real"),
	    "no encoding: a first-line User-Agent is the real one");
	TEST_OK(gives("Host:%20a%0D%0AUser-Agent:%20%20Mozilla/5.0%0D%0A", 0,
	    " Mozilla/5.0"),
	    "no encoding: a value's own %20 is kept, not skipped as a blank");
	TEST_OK(gives("User-Agent: \\tb\r\n", '"', "\tb"),
	    "one blank after the colon is Squid's, the next the value's");
	TEST_OK(gives_none("Host: a\\r\\nUser-Agent: fake", '\''),
	    "' (raw): no escaped line ends at all");
	TEST_OK(gives("Host: a\\r\\n User-Agent: folded\\r\\nUser-Agent: b"
	    "\\r\\n", '[', "b"), "a folded line is not a header");
}

static void
test_no_user_agent(void)
{
	TEST_OK(gives_none("", '['), "empty block");
	TEST_OK(gives_none("Host: a\\r\\nAccept: */*\\r\\n", '['),
	    "no User-Agent");
	TEST_OK(gives_none("Host: a\\r\\nX-User-Agent: b\\r\\n", '['),
	    "X-User-Agent is another header");
	TEST_OK(gives_none("Host: a\\r\\nUser-Agentx: b\\r\\n", '['),
	    "User-Agentx is another header");
	TEST_OK(gives_none("Host: a User-Agent: b\\r\\n", '['),
	    "User-Agent inside a line");
	TEST_OK(gives_none("Host:%20a%0D%0AAccept:%20*/*%0D%0A", 0),
	    "no encoding, no User-Agent");
}

static void
test_decode(void)
{
	char out[8];

	TEST_OK(gives("User-Agent: a\\\\b \\\"c\\\"\\r\\n", '"', "a\\b \"c\""),
	    "\": \\\\ and \\\" decoded");
	TEST_OK(gives("User-Agent: a%5bb%5d 100%25\\r\\n", '[',
	    "a[b] 100%"), "[: %xx decoded");
	TEST_OK(gives("User-Agent: 100%\\r\\n", '"', "100%"),
	    "\": % is text");
	TEST_OK(gives("User-Agent: a\\tb\\r\\n", '"', "a\tb"),
	    "\": \\t is a TAB, not a line end");
	TEST_OK(gives("User-Agent:%20a%ZZ%0D%0A", '#', "a%ZZ"),
	    "#: a % without hex digits is kept");
	TEST_OK(gives("User-Agent: a%0", '[', "a%0"), "a % cut short is kept");
	TEST_OK(find("User-Agent: abcdefghij", '[', out, sizeof out) ==
	    SQUIDHDR_FOUND && strcmp(out, "abcdefg") == 0,
	    "decoding stops at the buffer's size");
}

int
main(void)
{
	test_plain_blocks();
	test_forged_lines();
	test_no_user_agent();
	test_decode();
	return test_done();
}
