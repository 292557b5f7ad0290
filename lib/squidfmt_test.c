/*
 * squidfmt_test.c: unit tests of the Squid logformat engine: compile
 * errors, code names, literal matching, quoted values and padding, and
 * user names with spaces (one reading fits, none, several, hostile lines).
 */
#include <stdlib.h>
#include "squidfmt.h"
#include "test.h"

/* Whether compiling text fails with a reason containing want. */
static int
fails_with(const char *text, const char *want)
{
	struct squidfmt sf;
	char err[200];
	int r;

	r = squidfmt_compile(&sf, text, err, sizeof err);
	squidfmt_release(&sf);
	return r == -1 && strstr(err, want) != NULL;
}

static void
test_compile_errors(void)
{
	TEST_OK(fails_with("%ts %{User-Agent>h", "unterminated '{'"),
	    "unterminated { before the code");
	TEST_OK(fails_with("%note{abc", "unterminated '{'"),
	    "unterminated { after the code");
	TEST_OK(fails_with("%ts %", "'%' at the end"), "lone % at the end");
	TEST_OK(fails_with("%ts % x", "no code after '%'"), "% then space");
	TEST_OK(fails_with("%-07.3", "no code after '%'"), "flags, no code");
	TEST_OK(fails_with("%ts%tu", "no text between"), "adjacent codes");
	TEST_OK(fails_with("plain text", "no % code"), "no code at all");
	TEST_OK(fails_with("", "no % code"), "empty format");
	TEST_OK(fails_with("100%% sure", "no % code"), "only %%");
	TEST_OK(fails_with("%ts \033%", "'%' at the end"),
	    "error for a format with a control byte");
}

static void
test_lookup(void)
{
	TEST_OK(squidfmt_lookup(">a") == SQUIDFMT_CLIENT_IP, ">a");
	TEST_OK(squidfmt_lookup(">Hs") == SQUIDFMT_STATUS, ">Hs");
	TEST_OK(squidfmt_lookup("Hs") == SQUIDFMT_STATUS, "old Hs");
	TEST_OK(squidfmt_lookup("<Hs") == SQUIDFMT_SERVER_STATUS, "<Hs");
	TEST_OK(squidfmt_lookup("<st") == SQUIDFMT_BYTES_REPLY, "<st");
	TEST_OK(squidfmt_lookup(">st") == SQUIDFMT_BYTES_REQUEST, ">st");
	TEST_OK(squidfmt_lookup("ssl::>sni") == SQUIDFMT_SNI, "ssl::>sni");
	TEST_OK(squidfmt_lookup("tls::>sni") == SQUIDFMT_SNI, "tls::>sni");
	TEST_OK(squidfmt_lookup("http::>a") == SQUIDFMT_CLIENT_IP,
	    "http:: is the default namespace");
	TEST_OK(squidfmt_lookup("icap::tr") == SQUIDFMT_OTHER,
	    "icap::tr is not %tr");
	TEST_OK(squidfmt_lookup("err_code") == SQUIDFMT_ERR_CODE, "err_code");
	TEST_OK(squidfmt_lookup("us") == SQUIDFMT_USER, "us");
	TEST_OK(squidfmt_lookup("xyz") == SQUIDFMT_OTHER, "unknown code");
}

static void
test_compile_fields(void)
{
	struct squidfmt sf;
	char err[200];
	int r;

	r = squidfmt_compile(&sf, "logformat csm " SQUIDFMT_CSM, err,
	    sizeof err);
	TEST_OK(r == 0, "recommended format compiles");
	if (r != 0) {
		squidfmt_release(&sf);
		return;
	}
	TEST_OK(sf.n == 15, "15 codes");
	TEST_OK(sf.lead.n == 0, "squid.conf prefix dropped");
	TEST_OK(sf.f[0].code == SQUIDFMT_TS, "%ts");
	TEST_BYTES(sf.f[0].after.p, sf.f[0].after.n, ".", "'.' after %ts");
	TEST_OK(sf.f[1].code == SQUIDFMT_TU && sf.f[1].zero &&
	    sf.f[1].width == 3, "%03tu: zero, width 3");
	TEST_OK(sf.f[2].code == SQUIDFMT_TR && sf.f[2].width == 6 &&
	    !sf.f[2].left, "%6tr: width 6");
	TEST_OK(sf.f[5].code == SQUIDFMT_STATUS &&
	    strcmp(sf.f[5].name, ">Hs") == 0, "%03>Hs is >Hs, not >h");
	TEST_OK(sf.f[10].code == SQUIDFMT_REQ_HEADER &&
	    strcmp(sf.f[10].arg, "User-Agent") == 0 &&
	    strcmp(sf.f[10].key, "user-agent") == 0, "header arg and key");
	TEST_OK(sf.f[10].quoted && sf.f[10].enc == '"',
	    "literal quotes make the header quoted");
	TEST_OK(!sf.f[9].quoted, "%ru is not quoted");
	TEST_OK(sf.f[11].code == SQUIDFMT_USER && sf.f[11].enc == '[',
	    "%[un: encoding [");
	TEST_OK(sf.f[14].code == SQUIDFMT_MIME && sf.f[14].after.n == 0,
	    "%mt last, nothing after");
	squidfmt_release(&sf);

	r = squidfmt_compile(&sf, "%%%note{tag} %ssl::>sni %xyz_1 "
	    "%http::>a %{Set-Cookie}<h %{X-Forwarded-For:;1}>h %-8.3tr|%tl",
	    err, sizeof err);
	TEST_OK(r == 0, "assorted codes compile");
	if (r == 0) {
		TEST_BYTES(sf.lead.p, sf.lead.n, "%", "%% is a literal %");
		TEST_OK(strcmp(sf.f[0].name, "note") == 0 &&
		    strcmp(sf.f[0].arg, "tag") == 0 &&
		    strcmp(sf.f[0].key, "note{tag}") == 0, "arg after code");
		TEST_OK(sf.f[1].code == SQUIDFMT_SNI &&
		    strcmp(sf.f[1].name, "ssl::>sni") == 0, "namespace");
		TEST_OK(sf.f[2].code == SQUIDFMT_OTHER &&
		    strcmp(sf.f[2].key, "xyz_1") == 0, "unknown code kept");
		TEST_OK(sf.f[3].code == SQUIDFMT_CLIENT_IP,
		    "http:: prefix dropped");
		TEST_OK(strcmp(sf.f[4].key, "reply-set-cookie") == 0,
		    "reply header key");
		TEST_OK(strcmp(sf.f[5].key, "x-forwarded-for") == 0,
		    "header element: key is the header name");
		TEST_OK(sf.f[6].left && sf.f[6].width == 8 &&
		    sf.f[6].precision == 3, "%-8.3tr");
		TEST_OK(sf.f[7].fixed == 26, "%tl has a fixed length");
	}
	squidfmt_release(&sf);
}

/* Matches line against text; vals receive the values. */
static int
match(const char *text, const char *line, struct slice *vals,
    struct squidfmt_miss *miss)
{
	struct squidfmt sf;
	struct squidfmt_miss m;
	char err[200];
	int r = -1;

	if (squidfmt_compile(&sf, text, err, sizeof err) == 0)
		r = squidfmt_match(&sf, slice_cstr(line), vals,
		    miss ? miss : &m);
	squidfmt_release(&sf);
	return r;
}

/* As match, for a line of n bytes. */
static int
match_n(const char *text, const char *line, size_t n,
    struct slice *vals, struct squidfmt_miss *miss)
{
	struct squidfmt sf;
	char err[200];
	int r = -1;

	if (squidfmt_compile(&sf, text, err, sizeof err) == 0)
		r = squidfmt_match(&sf, slice_make(line, n), vals, miss);
	squidfmt_release(&sf);
	return r;
}

static void
test_match(void)
{
	struct squidfmt_miss miss;
	struct slice v[16];
	int r;

	r = match(SQUIDFMT_CSM, "1795593995.412    231 10.1.20.35 "
	    "TCP_MISS/200 512 15320 GET http://www.example.com/ "
	    "\"Mozilla/5.0 (X11; \\\"x\\\" y)\" - HIER_DIRECT/93.184.216.34 "
	    "text/html  ", v, NULL);
	TEST_OK(r == 0, "recommended format matches");
	if (r == 0) {
		TEST_BYTES(v[0].p, v[0].n, "1795593995", "%ts");
		TEST_BYTES(v[1].p, v[1].n, "412", "%03tu");
		TEST_BYTES(v[2].p, v[2].n, "231", "padded %6tr");
		TEST_BYTES(v[4].p, v[4].n, "TCP_MISS", "%Ss before /");
		TEST_BYTES(v[5].p, v[5].n, "200", "%03>Hs");
		TEST_BYTES(v[10].p, v[10].n, "Mozilla/5.0 (X11; \\\"x\\\" y)",
		    "quoted value with spaces and \\\"");
		TEST_OK(v[11].n == 0, "'-' is empty");
		TEST_BYTES(v[14].p, v[14].n, "text/html",
		    "last value, trailing spaces dropped");
	}
	r = match("%6tr %>a", "   231 10.1.2.3", v, NULL);
	TEST_OK(r == 0 && v[0].n == 3 && v[1].n == 8,
	    "padding at the start of the line");
	r = match("%-6tr|%>a", "12    |10.1.2.3", v, NULL);
	TEST_OK(r == 0 && v[0].n == 2, "left-aligned padding trimmed");
	r = match("%>a [%tl] \"%rm %ru HTTP/%rv\" %>Hs",
	    "::1 [25/Nov/2026:17:06:41 +0900] \"GET http://a.example/x y "
	    "HTTP/1.1\" 200", v, NULL);
	TEST_OK(r == 0, "request line matches");
	if (r == 0) {
		TEST_BYTES(v[1].p, v[1].n, "25/Nov/2026:17:06:41 +0900",
		    "%tl keeps its space");
		TEST_BYTES(v[3].p, v[3].n, "http://a.example/x y",
		    "%ru runs up to ' HTTP/'");
		TEST_BYTES(v[4].p, v[4].n, "1.1", "%rv");
	}
	r = match("%>a %un %rm", "10.1.2.3    bob  GET", v, NULL);
	TEST_OK(r == 0 && v[1].n == 3, "a space swallows a run of spaces");
	r = match("x=%>a;", "x=10.1.2.3;", v, NULL);
	TEST_OK(r == 0 && v[0].n == 8, "leading and trailing literals");
	r = match("x=%>a;", "y=10.1.2.3;", v, &miss);
	TEST_OK(r == -1 && miss.field == -1, "lead text missing");
	r = match("x=%>a;", "x=10.1.2.3; extra", v, &miss);
	TEST_OK(r == -1 && miss.field == 0, "text after the last literal");
	r = match("%>a \"%{User-Agent}>h\"", "1.2.3.4 \"a\" b\"", v, NULL);
	TEST_OK(r == 0 && v[1].n == 4 && memcmp(v[1].p, "a\" b", 4) == 0,
	    "the last quote ends the line");
	r = match("%>a %Ss/%>Hs %<st", "10.1.2.3 TCP_MISS 200 15", v, &miss);
	TEST_OK(r == -1 && miss.field == 1 && miss.at == 9,
	    "missing '/' reported at %Ss");
	r = match("[%tl] %>a", "[25/Nov/2026] 1.2.3.4", v, &miss);
	TEST_OK(r == -1 && miss.field == 0, "%tl too short");
}

/* A format with the user name before the request, as some sites log. */
#define USER_FIRST "%ts.%03tu %6tr %>a %un %Ss/%03>Hs %<st %rm %ru " \
	"%Sh/%<a %mt"

static void
test_user_spaces(void)
{
	struct squidfmt_miss miss;
	struct slice v[16];
	char *big;
	size_t i;
	int r;

	r = match(SQUIDFMT_CSM, "1795593995.412    231 10.1.20.35 "
	    "TCP_MISS/200 512 15320 GET http://www.example.com/ \"curl/8\" "
	    "TARO YAMADA HIER_DIRECT/93.184.216.34 text/html", v, NULL);
	TEST_OK(r == 0, "csm format: a user name with a space fits");
	if (r == 0) {
		TEST_BYTES(v[11].p, v[11].n, "TARO YAMADA", "%[un keeps it");
		TEST_BYTES(v[12].p, v[12].n, "HIER_DIRECT", "%Sh after it");
		TEST_BYTES(v[14].p, v[14].n, "text/html", "%mt last");
	}
	r = match(SQUIDFMT_CSM, "1795593995.412    231 10.1.20.35 "
	    "TCP_MISS/200 512 15320 GET http://www.example.com/ \"curl/8\" "
	    "x HIER_DIRECT/198.51.100.66 text/plain HIER_DIRECT/93.184.216.34 "
	    "text/html", v, NULL);
	TEST_OK(r == 0 && v[13].n == 13 &&
	    memcmp(v[13].p, "93.184.216.34", 13) == 0,
	    "csm format: a forged peer in the name stays in the name");
	r = match(USER_FIRST, "1795593996.412 231 10.1.20.35 x TCP_MISS/200 0 "
	    "GET http://decoy.example/ HIER_DIRECT/198.51.100.66 text/html "
	    "TCP_DENIED/403 3944 POST http://exfil.example/up HIER_NONE/- "
	    "text/html", v, NULL);
	TEST_OK(r == 0, "user first: forged request in the name");
	if (r == 0) {
		TEST_BYTES(v[4].p, v[4].n, "x TCP_MISS/200 0 GET "
		    "http://decoy.example/ HIER_DIRECT/198.51.100.66 text/html",
		    "the whole name");
		TEST_BYTES(v[6].p, v[6].n, "403", "the real status");
		TEST_BYTES(v[8].p, v[8].n, "POST", "the real method");
		TEST_BYTES(v[9].p, v[9].n, "http://exfil.example/up",
		    "the real URL");
	}
	r = match(USER_FIRST, "1795593996.412 231 10.1.20.35 bob "
	    "TCP_MISS/200 0 GET http://a.example/ HIER_NONE/- -", v, NULL);
	TEST_OK(r == 0 && v[4].n == 3 && v[11].n == 0 && v[12].n == 0,
	    "user first: a plain line");
	r = match("%>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs",
	    "10.1.2.3 - TARO YAMADA [25/Nov/2026:17:06:41 +0900] "
	    "\"GET http://a.example/ HTTP/1.1\" 200", v, NULL);
	TEST_OK(r == 0 && v[1].n == 0 && v[2].n == 11,
	    "common: '-' ident, then a name with a space");
	r = match("%>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs",
	    "10.1.2.3 TARO YAMADA - [25/Nov/2026:17:06:41 +0900] "
	    "\"GET http://a.example/ HTTP/1.1\" 200", v, NULL);
	TEST_OK(r == 0 && v[1].n == 11 && v[2].n == 0,
	    "common: an ident with a space, then '-'");
	r = match("%>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs",
	    "10.1.2.3 A B C [25/Nov/2026:17:06:41 +0900] "
	    "\"GET http://a.example/ HTTP/1.1\" 200", v, &miss);
	TEST_OK(r == -1 && miss.kind == SQUIDFMT_MISS_AMBIGUOUS &&
	    miss.field == 1 && miss.at == 9,
	    "common: two names with spaces side by side are ambiguous");
	r = match("%>a %un %rm %ru %>Hs", "10.1.2.3 x GET http://a.example/ "
	    "200 GET http://b.example/ 200", v, &miss);
	TEST_OK(r == 0 && v[1].n == 27 && v[3].n == 17,
	    "the leftover of a short reading must go somewhere");
	r = match("%>a %un %>Hs %ue %<st", "1.2.3.4 a 200 b 200 c 5", v, &miss);
	TEST_OK(r == -1 && miss.kind == SQUIDFMT_MISS_AMBIGUOUS &&
	    miss.field == 1 && miss.at == 8,
	    "two readings with the right shapes: ambiguous");
	r = match(SQUIDFMT_CSM, "1795593995.412    231 10.1.20.35 "
	    "TCP_MISS/200 512 15320 GET http://www.example.com/ \"curl/8\" "
	    "TARO YAMADA HIER_DIRECT/93.184.216.34 text html", v, &miss);
	TEST_OK(r == -1 && miss.kind == SQUIDFMT_MISS_VALUE &&
	    miss.field == 12 && strcmp(miss.why, "bad hierarchy code") == 0,
	    "no reading fits: the leftmost reading's failure");
	r = match(SQUIDFMT_CSM, "1795593995.412    231 10.1.20.35 "
	    "TCP_MISS/2OO 512 15320 GET http://www.example.com/ \"curl/8\" "
	    "bob HIER_DIRECT/93.184.216.34 text/html", v, &miss);
	TEST_OK(r == -1 && miss.kind == SQUIDFMT_MISS_VALUE &&
	    strcmp(miss.why, "bad HTTP status") == 0 && miss.val.n == 3,
	    "a bad status is named");
	r = match("%>a \"%{User-Agent}>h\" %un %>Hs", "10.1.2.3 \"a\" b\" x 200",
	    v, &miss);
	TEST_OK(r == 0 && v[1].n == 1 && v[2].n == 4,
	    "a bare quote cannot be inside a quoted value");
	{
		struct squidfmt sf;
		char err[200];

		TEST_OK(squidfmt_compile(&sf, "%#un %\"ui \"%ue\" %ul",
		    err, sizeof err) == 0 && sf.nflex == 2 &&
		    !squidfmt_is_flex(&sf.f[0]) && !squidfmt_is_flex(&sf.f[2]),
		    "%#un (URL-encoded) and \"%ue\" hold no bare spaces");
		squidfmt_release(&sf);
	}

	/* A hostile line: many spaces, many places to end the name. */
	big = malloc(20000);
	TEST_OK(big != NULL, "memory for a hostile line");
	if (big == NULL)
		return;
	memcpy(big, "10.1.2.3 ", 9);
	for (i = 9; i < 19990; i++)
		big[i] = i & 1 ? 'a' : ' ';
	memcpy(big + 19990, " 200 GET x", 10);
	r = match_n("%>a %un %>Hs %rm %ru", big, 20000, v, &miss);
	TEST_OK(r == -1 && miss.kind == SQUIDFMT_MISS_TOO_MANY,
	    "10,000 places to end a name: capped, not quadratic");
	for (i = 9; i < 19990; i++)
		big[i] = ' ';
	big[9] = 'a';
	r = match_n("%>a %un %>Hs %rm %ru", big, 20000, v, &miss);
	TEST_OK(r == 0 && v[1].n == 1 && v[3].n == 3,
	    "a run of 10,000 spaces is one separator");
	free(big);
}

/*
 * Values end where the scan for their literal crosses from one 16-byte
 * block to the next, and at the end of the line.
 */
static void
test_block_edges(void)
{
	static const char xs[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	struct squidfmt_miss miss;
	struct slice v[4];
	char line[128];
	size_t n, ok = 0, tries = 0;

	for (n = 1; n + 1 < sizeof xs; n++) {
		memcpy(line, xs, n);
		memcpy(line + n, "/TCP_MISS -", 12);
		tries++;
		ok += match("%>a/%Ss %un", line, v, NULL) == 0 &&
		    v[0].n == n && v[1].n == 8;
		/* no '/' at all: the scan runs off the end */
		line[n] = '\0';
		ok += match("%>a/%Ss", line, v, &miss) == -1 &&
		    miss.kind == SQUIDFMT_MISS_TEXT && miss.field == 0;
		tries++;
	}
	TEST_OK(ok == tries, "literal found across 16-byte blocks");
}

/* The start of a line of the recommended format, to the URL. */
#define CSM_HEAD "1795593995.412    231 10.1.20.35 TCP_MISS/200 512 " \
	"15320 GET http://www.example.com/ "

/* squidfmt_match_csm on text; its plain flag into *plain. */
static int
glance(const char *text, struct slice *v, int *plain)
{
	return squidfmt_match_csm(slice_make(text, strlen(text)), v, plain);
}

static void
test_csm_glance(void)
{
	struct squidfmt sf;
	struct slice v[SQUIDFMT_CSM_FIELDS];
	char err[200], *big;
	size_t i;
	int plain, r;

	r = glance(CSM_HEAD "\"Mozilla/5.0 (X11; Linux)\" - "
	    "HIER_DIRECT/93.184.216.34 text/html \t ", v, &plain);
	TEST_OK(r == 0 && plain, "a plain line is read at a glance");
	if (r == 0) {
		TEST_BYTES(v[0].p, v[0].n, "1795593995", "%ts");
		TEST_BYTES(v[1].p, v[1].n, "412", "%03tu");
		TEST_BYTES(v[2].p, v[2].n, "231", "%6tr");
		TEST_BYTES(v[3].p, v[3].n, "10.1.20.35", "%>a");
		TEST_BYTES(v[4].p, v[4].n, "TCP_MISS", "%Ss");
		TEST_BYTES(v[5].p, v[5].n, "200", "%03>Hs");
		TEST_BYTES(v[6].p, v[6].n, "512", "%>st");
		TEST_BYTES(v[7].p, v[7].n, "15320", "%<st");
		TEST_BYTES(v[8].p, v[8].n, "GET", "%rm");
		TEST_BYTES(v[9].p, v[9].n, "http://www.example.com/", "%ru");
		TEST_BYTES(v[10].p, v[10].n, "Mozilla/5.0 (X11; Linux)",
		    "the User-Agent with its spaces");
		TEST_OK(v[11].n == 0, "'-' user is empty");
		TEST_BYTES(v[12].p, v[12].n, "HIER_DIRECT", "%Sh");
		TEST_BYTES(v[13].p, v[13].n, "93.184.216.34", "%<a");
		TEST_BYTES(v[14].p, v[14].n, "text/html",
		    "%mt, trailing spaces and TABs dropped");
	}
	r = glance(CSM_HEAD "\"\" bob HIER_NONE/- -", v, &plain);
	TEST_OK(r == 0 && v[10].n == 0 && v[13].n == 0 && v[14].n == 0 &&
	    v[11].n == 3, "empty User-Agent, '-' peer and type");
	r = glance(CSM_HEAD "\"a\tb\" bob HIER_NONE/- -", v, &plain);
	TEST_OK(r == 0 && !plain && v[10].n == 3, "a TAB: read, not plain");
	/* Each of these reads another way, or not at all: left to the search. */
	TEST_OK(glance(CSM_HEAD "\"curl/8\" TARO YAMADA "
	    "HIER_DIRECT/93.184.216.34 text/html", v, &plain) != 0,
	    "a user name with a space");
	TEST_OK(glance(CSM_HEAD "\"curl \\\"8\\\"\" - "
	    "HIER_DIRECT/93.184.216.34 text/html", v, &plain) != 0,
	    "an escaped quote in the User-Agent");
	TEST_OK(glance(CSM_HEAD "\"curl\\\" - x\" - HIER_NONE/- -", v,
	    &plain) != 0, "a backslash before the closing quote");
	TEST_OK(glance("1795593995.412 231 10.1.20.35 TCP_MISS/200 512 15320 "
	    "GET http://a.example/x y \"curl\" - HIER_NONE/- -", v,
	    &plain) != 0, "a URL with a space");
	TEST_OK(glance(CSM_HEAD "\"curl\" - HIER_NONE - -", v, &plain) != 0,
	    "no '/' in hierarchy/peer");
	TEST_OK(glance(CSM_HEAD "\"curl\" - hier/- -", v, &plain) != 0,
	    "a hierarchy code in lower case");
	TEST_OK(glance(" " CSM_HEAD "\"curl\" - HIER_NONE/- -", v,
	    &plain) != 0, "a leading space");
	TEST_OK(glance("1795593995. 231 10.1.20.35 TCP_MISS/200 512 15320 GET "
	    "http://a.example/ \"curl\" - HIER_NONE/- -", v, &plain) != 0,
	    "no sub-second digits");
	TEST_OK(glance("1795593995.412 2.5.1 10.1.20.35 TCP_MISS/200 512 15320 "
	    "GET http://a.example/ \"curl\" - HIER_NONE/- -", v,
	    &plain) != 0, "a response time of two dots");
	TEST_OK(glance("1795593995.412 231 10.1.20.35 TCP_MISS/ 512 15320 GET "
	    "http://a.example/ \"curl\" - HIER_NONE/- -", v, &plain) != 0,
	    "no status after '/'");
	/* A User-Agent of 100 words. */
	big = malloc(4096);
	if (big != NULL) {
		size_t n = (size_t)snprintf(big, 4096, "%s\"", CSM_HEAD);

		for (i = 0; i < 100; i++, n += 2)
			memcpy(big + n, "a ", 2);
		snprintf(big + n, 4096 - n, "\" - HIER_NONE/- -");
		TEST_OK(glance(big, v, &plain) == 0 && v[10].n == 200 &&
		    v[11].n == 0 && v[12].n == 9, "a User-Agent of 100 words");
		free(big);
	}
	r = squidfmt_compile(&sf, "logformat csm " SQUIDFMT_CSM, err,
	    sizeof err);
	TEST_OK(r == 0 && squidfmt_is_csm(&sf), "the format, copied from "
	    "squid.conf, is the recommended one");
	squidfmt_release(&sf);
	r = squidfmt_compile(&sf, "%ts.%03tu %6tr %>a %Ss/%03>Hs %>st %<st "
	    "%rm %ru \"%{User-Agent}>h\" %#un %Sh/%<a %mt", err, sizeof err);
	TEST_OK(r == 0 && !squidfmt_is_csm(&sf),
	    "another encoding of the user name is not");
	squidfmt_release(&sf);
}

int
main(void)
{
	test_compile_errors();
	test_lookup();
	test_compile_fields();
	test_match();
	test_user_spaces();
	test_csm_glance();
	test_block_edges();
	return test_done();
}
