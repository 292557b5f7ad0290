/*
 * ioc_test.c: unit tests for the indicator set (ioc.c, ioc_name.c,
 * ioc_match.c) and its list readers (ioc_load.c, ioc_csv.c,
 * ioc_misp.c): normalising, refusing, merging, matching every kind, the
 * network map against a linear scan, and each list format with its bad
 * lines and their numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ioc.h"
#include "ioc_load.h"
#include "test.h"

static struct ioc_meta
meta(const char *source, const char *tag)
{
	struct ioc_meta m;

	memset(&m, 0, sizeof m);
	m.source = slice_cstr(source);
	m.tag = slice_cstr(tag);
	m.severity = -1;
	m.confidence = -1;
	return m;
}

static int
add(struct ioc_set *s, const char *v)
{
	struct ioc_meta m = meta("t.txt", "");
	char why[300];

	return ioc_add(s, IOC_DECL_AUTO, slice_cstr(v), &m, why, sizeof why);
}

/* The refusal message of a value, or "" when it is taken. */
static const char *
refusal(struct ioc_set *s, enum ioc_decl d, const char *v)
{
	static char why[300];
	struct ioc_meta m = meta("t.txt", "");

	why[0] = '\0';
	if (ioc_add(s, d, slice_cstr(v), &m, why, sizeof why) != IOC_BAD)
		why[0] = '\0';
	return why;
}

/* The text of the first hit of a query, or "-" for none. */
static const char *
first(const struct ioc_set *s, const struct ioc_hit *h, size_t n)
{
	static char buf[600];

	if (n == 0)
		return "-";
	ioc_text(s, h[0].id, buf, sizeof buf);
	return buf;
}

static const char *
domain(const struct ioc_set *s, const char *name, int *exact)
{
	struct ioc_hit h[8];
	size_t n = ioc_match_domain(s, slice_cstr(name), h, 8);

	if (exact)
		*exact = n ? h[0].exact : -1;
	return first(s, h, n);
}

static const char *
url(const struct ioc_set *s, const char *u, int *exact)
{
	struct ioc_hit h[8];
	size_t n = ioc_match_url(s, slice_cstr(u), h, 8);

	if (exact)
		*exact = n ? h[0].exact : -1;
	return first(s, h, n);
}

static size_t
addr(const struct ioc_set *s, const char *a, unsigned port,
    struct ioc_hit *h)
{
	struct ipaddr ip;

	if (ip_parse(slice_cstr(a), &ip) != 0)
		return 0;
	return ioc_match_addr(s, &ip, port, h, 8);
}

static void
test_normalise(void)
{
	char buf[256];
	long n;

	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("HTTP://User:pw@Evil.Example.:80/a%7Eb%2f?q=1#frag"));
	TEST_BYTES(buf, (size_t)n, "evil.example/a~b%2F?q=1",
	    "url: scheme, user, case, dot, port, escapes, fragment");
	n = ioc_url_normalise(buf, sizeof buf, SLICE_LIT("https://x.example"));
	TEST_BYTES(buf, (size_t)n, "x.example/", "url: empty path is /");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("https://x.example:8443/a"));
	TEST_BYTES(buf, (size_t)n, "x.example:8443/a", "url: other port kept");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("https://x.example:443?x"));
	TEST_BYTES(buf, (size_t)n, "x.example/?x", "url: query without path");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://[2001:DB8::1]:8080/x"));
	TEST_BYTES(buf, (size_t)n, "[2001:db8::1]:8080/x", "url: IPv6 host");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://[2001:DB8:0::077]:80/p"));
	TEST_BYTES(buf, (size_t)n, "[2001:db8::77]/p", "url: IPv6 canonical");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("https://[::ffff:203.0.113.77]:8443/p"));
	TEST_BYTES(buf, (size_t)n, "203.0.113.77:8443/p",
	    "url: IPv4-mapped IPv6 as IPv4");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://x.example/a/b/../../c/./d/..?q=/../x"));
	TEST_BYTES(buf, (size_t)n, "x.example/c/?q=/../x",
	    "url: dot-segments of the path, not of the query");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://x.example//kit\\.\\a.exe?q=//\\"));
	TEST_BYTES(buf, (size_t)n, "x.example/kit/a.exe?q=//\\",
	    "url: '\\' is '/', a run of '/' is one, in the path only");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://Evil.example\\kit"));
	TEST_BYTES(buf, (size_t)n, "evil.example/kit",
	    "url: '\\' ends the host");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://x.example/.."));
	TEST_BYTES(buf, (size_t)n, "x.example/", "url: above the root is /");
	n = ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://x.example/ロ%e3%82%b0/?q=é"));
	TEST_BYTES(buf, (size_t)n, "x.example/%E3%83%AD%E3%82%B0/?q=%C3%A9",
	    "url: raw UTF-8 and lower-case escapes as upper-case escapes");
	n = ioc_url_normalise(buf, sizeof buf, SLICE_LIT("evil.example/gate"));
	TEST_BYTES(buf, (size_t)n, "evil.example/gate",
	    "url: Zeek's form, no scheme");
	TEST_OK(ioc_url_normalise(buf, sizeof buf, SLICE_LIT("http:///x")) < 0,
	    "url: no host");
	TEST_OK(ioc_url_normalise(buf, sizeof buf,
	    SLICE_LIT("http://h:99999/")) < 0, "url: bad port");
	TEST_OK(ioc_url_normalise(buf, 8, SLICE_LIT("http://h.example/long"))
	    < 0, "url: too long for the buffer");
	/* The head: what the host part of the normal form comes from. */
	TEST_OK(slice_eq(ioc_url_head(SLICE_LIT("HTTP://u@Host:80/x?y")),
	    "HTTP://u@Host:80"), "url head: scheme, user, host, port");
	TEST_OK(slice_eq(ioc_url_head(SLICE_LIT("x_y://h.example/k")), "x_y:"),
	    "url head: no scheme with a '_' in it");
	TEST_OK(slice_eq(ioc_url_head(SLICE_LIT("dl.example.org/kit")),
	    "dl.example.org"), "url head: Zeek's form");
	TEST_OK(slice_eq(ioc_url_head(SLICE_LIT("//h.example?q")),
	    "//h.example"), "url head: no scheme, '//'");
}

static void
test_refusals(void)
{
	struct ioc_set *s = ioc_new();

	TEST_OK(strcmp(refusal(s, IOC_DECL_AUTO, "com"), "top-level name "
	    "'com' refused: it would match every name under it") == 0,
	    "a top-level name is refused");
	TEST_OK(strcmp(refusal(s, IOC_DECL_AUTO, "CO.JP."), "public suffix "
	    "'CO.JP.' refused: it would match every name registered under "
	    "it") == 0, "a built-in public suffix is refused");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "github.io") != '\0',
	    "shared hosting is a public suffix too");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "evil.github.io") == '\0',
	    "a name under a public suffix is taken");
	TEST_OK(*refusal(s, IOC_DECL_AUTO, "1.2.3") != '\0',
	    "a numeric top-level label");
	TEST_OK(*refusal(s, IOC_DECL_AUTO, "a..example") != '\0',
	    "an empty label");
	TEST_OK(*refusal(s, IOC_DECL_AUTO, "bad name.example") != '\0' ||
	    add(s, "bad") == IOC_BAD, "a space in a name");
	TEST_OK(*refusal(s, IOC_DECL_AUTO, "0.0.0.0") != '\0' &&
	    *refusal(s, IOC_DECL_AUTO, "127.0.0.1") != '\0' &&
	    *refusal(s, IOC_DECL_AUTO, "::1") != '\0',
	    "unspecified and loopback addresses");
	TEST_OK(*refusal(s, IOC_DECL_AUTO, "10.0.0.0/7") != '\0' &&
	    *refusal(s, IOC_DECL_AUTO, "2001::/15") != '\0',
	    "networks broader than /8 and /16");
	TEST_OK(*refusal(s, IOC_DECL_AUTO, "::/16") != '\0',
	    "an IPv6 network over the IPv4-mapped range");
	TEST_OK(*refusal(s, IOC_DECL_ADDR_PORT, "198.51.100.7:0") != '\0' &&
	    *refusal(s, IOC_DECL_ADDR_PORT, "2001:db8::1:443") != '\0',
	    "port 0, IPv6 without brackets");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "203.0.113.5") != '\0',
	    "an address declared a domain");
	TEST_OK(*refusal(s, IOC_DECL_URL, "http://") != '\0' &&
	    *refusal(s, IOC_DECL_URL, "http://bad_host!/x") != '\0',
	    "URLs without a good host");
	TEST_OK(*refusal(s, IOC_DECL_EMAIL, "@evil.example") != '\0' &&
	    *refusal(s, IOC_DECL_EMAIL, "a b@evil.example") != '\0',
	    "bad e-mail addresses");
	TEST_OK(add(s, "d41d8cd98f00b204e9800998ecf8427e") == IOC_UNUSED,
	    "an MD5 in a plain list is not for logs");
	TEST_OK(ioc_count(s, IOC_NKINDS) == 1, "only evil.github.io taken");
	ioc_free(s);
}

static void
test_suffix_file(void)
{
	char path[] = "/tmp/csm-ioc-psl-XXXXXX", err[300];
	struct ioc_set *s = ioc_new();
	FILE *f;
	int fd = mkstemp(path);

	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f != NULL) {
		fputs("// comment\n\nexample.net\n*.ck\n!www.ck\n公司.cn\n", f);
		fclose(f);
	}
	TEST_OK(ioc_load_suffixes(s, path, err, sizeof err) == 0,
	    "suffix list read");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "example.net") != '\0',
	    "a suffix of the file is refused");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "foo.ck") != '\0',
	    "a wildcard rule refuses a name one label under");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "www.ck") == '\0',
	    "an exception rule lets its name through");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "a.foo.ck") == '\0',
	    "a name registered under a wildcard suffix is taken");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "xn--55qx5d.cn") != '\0',
	    "a rule in Unicode refuses its A-labels");
	unlink(path);
	TEST_OK(ioc_load_suffixes(s, path, err, sizeof err) != 0 &&
	    strstr(err, "csm-ioc-psl-") != NULL, "a missing list is an error");
	ioc_free(s);
}

static void
test_names(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_hit h[8];
	int exact;

	add(s, "Evil.Example.");
	add(s, "*.wild.example");
	add(s, "hxxp://defanged[.]example/kit");
	add(s, "http://bad.example/gate.php?id=1");
	add(s, "https://bad.example/dir/");
	add(s, "evil.example/zeek/path");
	add(s, "X@Phish.Example");
	ioc_finish(s);
	TEST_OK(strcmp(domain(s, "evil.example", &exact), "evil.example") ==
	    0 && exact == 1, "domain: the name itself");
	TEST_OK(strcmp(domain(s, "A.B.EVIL.example.", &exact),
	    "evil.example") == 0 && exact == 0,
	    "domain: a parent, case and trailing dot ignored");
	TEST_OK(strcmp(domain(s, "notevil.example", NULL), "-") == 0,
	    "domain: a label boundary, not a suffix of bytes");
	TEST_OK(strcmp(domain(s, "example", NULL), "-") == 0 &&
	    strcmp(domain(s, "", NULL), "-") == 0, "domain: short names");
	TEST_OK(strcmp(domain(s, "x.wild.example", NULL), "wild.example") ==
	    0, "domain: '*.' form");
	TEST_OK(strcmp(domain(s, "x\\.evil.example", NULL), "-") == 0 &&
	    strcmp(domain(s, "a.b\\.Evil.example", NULL), "-") == 0 &&
	    strcmp(domain(s, "evil\\.example", NULL), "-") == 0,
	    "domain: BIND's escaped '.' is inside a label");
	TEST_OK(strcmp(domain(s, "x\\\\.evil.example", NULL),
	    "evil.example") == 0 && strcmp(domain(s, "evil.example\\.", NULL),
	    "-") == 0, "domain: an escaped backslash, an escaped last dot");
	TEST_OK(strcmp(url(s, "http://defanged.example/kit", &exact),
	    "defanged.example/kit") == 0 && exact == 1, "url: exact, refanged");
	TEST_OK(strcmp(url(s, "https://DEFANGED.example:443/kit/a.exe?x=1",
	    &exact), "defanged.example/kit") == 0 && exact == 0,
	    "url: a prefix at a directory");
	TEST_OK(strcmp(url(s, "http://defanged.example/kit?x", &exact),
	    "defanged.example/kit") == 0 && exact == 0,
	    "url: a prefix before the query");
	TEST_OK(strcmp(url(s, "http://defanged.example/kitten", NULL), "-") ==
	    0, "url: never in the middle of a segment");
	TEST_OK(strcmp(url(s, "http://defanged.example/x/../kit/a.exe",
	    NULL), "defanged.example/kit") == 0 &&
	    strcmp(url(s, "http://defanged.example/./kit/%2e%2e/kit/a", NULL),
	    "defanged.example/kit") == 0, "url: dot-segments removed");
	{
		char deep[400];
		size_t k, n = (size_t)snprintf(deep, sizeof deep,
		    "http://defanged.example/kit/");

		for (k = 0; k < 70; k++)
			n += (size_t)snprintf(deep + n, sizeof deep - n, "a/");
		snprintf(deep + n, sizeof deep - n, "a.exe");
		TEST_OK(strcmp(url(s, deep, NULL), "defanged.example/kit") == 0,
		    "url: a prefix under 70 directories of padding");
	}
	TEST_OK(strcmp(url(s, "http://bad.example/gate.php?id=1", &exact),
	    "bad.example/gate.php?id=1") == 0 && exact == 1,
	    "url: exact with its query");
	TEST_OK(strcmp(url(s, "http://bad.example/gate.php?id=2", NULL), "-")
	    == 0, "url: another query is another URL");
	TEST_OK(strcmp(url(s, "http://bad.example/dir/x/y", NULL),
	    "bad.example/dir/") == 0, "url: a listed directory");
	TEST_OK(strcmp(url(s, "http://bad.example/dir", NULL), "-") == 0,
	    "url: not the directory's parent");
	TEST_OK(strcmp(url(s, "http://evil.example/zeek/path/x", NULL),
	    "evil.example/zeek/path") == 0, "url: Zeek's form");
	TEST_OK(strcmp(url(s, "http://other.example/kit", NULL), "-") == 0,
	    "url: a host no URL is listed on");
	TEST_OK(ioc_match_email(s, SLICE_LIT("<x@phish.example>"), h, 8) == 1 &&
	    h[0].exact, "email: the address, in brackets, case ignored");
	TEST_OK(ioc_match_email(s, SLICE_LIT("boss@mail.evil.example"), h,
	    8) == 1 && strcmp(first(s, h, 1), "evil.example") == 0,
	    "email: the sender's domain and its parents");
	TEST_OK(ioc_match_email(s, SLICE_LIT("y@phish.example"), h, 8) == 0,
	    "email: another address of that domain");
	TEST_OK(ioc_match_email(s, SLICE_LIT("\"X\"@phish.example"), h, 8) ==
	    1 && h[0].exact && ioc_match_email(s,
	    SLICE_LIT("\"\\x\"@phish.example"), h, 8) == 1,
	    "email: quotes and quoted-pairs that need none are dropped");
	TEST_OK(ioc_match_email(s, SLICE_LIT("<x@phish.example.>"), h, 8) ==
	    1 && h[0].exact && ioc_match_email(s,
	    SLICE_LIT("boss@Evil.Example."), h, 8) == 1,
	    "email: the domain's trailing dot is dropped");
	TEST_OK(ioc_match_email(s, SLICE_LIT("\"x \"@phish.example"), h, 8) ==
	    0 && ioc_match_email(s, SLICE_LIT("\"x.\"@phish.example"), h, 8) ==
	    0 && ioc_match_email(s, SLICE_LIT("\"x\"\"@phish.example"), h,
	    8) == 0, "email: quotes that are needed stay");
	ioc_free(s);
	s = ioc_new();
	TEST_OK(add(s, "\"Q.R\"@phish.example.") == IOC_ADDED &&
	    ioc_finish(s) == 0 && ioc_match_email(s,
	    SLICE_LIT("q.r@phish.example"), h, 8) == 1 && h[0].exact,
	    "email: a listed address is normalised the same way");
	ioc_free(s);
}

/* Names listed in Unicode match the A-labels logs show, and back. */
static void
test_idn(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_hit h[8];
	int exact;

	TEST_OK(add(s, "BÜCHER.example") == IOC_ADDED &&
	    add(s, "http://ログイン.Example/kit/") == IOC_ADDED &&
	    add(s, "boss@ÜBER.example.") == IOC_ADDED,
	    "idn: Unicode domain, URL host and e-mail domain taken");
	TEST_OK(add(s, "b\xff" "cher.example") == IOC_ADDED,
	    "idn: a name libidn2 refuses stays as written");
	TEST_OK(*refusal(s, IOC_DECL_DOMAIN, "ＣＯ.ＪＰ") != '\0',
	    "idn: a public suffix in full-width letters is refused");
	ioc_finish(s);
	TEST_OK(strcmp(domain(s, "xn--bcher-kva.example", &exact),
	    "xn--bcher-kva.example") == 0 && exact == 1 &&
	    strcmp(domain(s, "WWW.XN--BCHER-KVA.example.", NULL),
	    "xn--bcher-kva.example") == 0,
	    "idn: a listed Unicode domain matches its A-labels");
	TEST_OK(strcmp(domain(s, "www.bücher.example", NULL),
	    "xn--bcher-kva.example") == 0,
	    "idn: a Unicode name in a log matches too");
	TEST_OK(strcmp(domain(s, "b\xff" "cher.example", NULL),
	    "b\xff" "cher.example") == 0, "idn: bad UTF-8 compared as written");
	TEST_OK(strcmp(url(s, "http://xn--eckxa6p0a.example/kit/a.php",
	    NULL), "xn--eckxa6p0a.example/kit/") == 0,
	    "idn: the host of a listed URL");
	TEST_OK(ioc_match_email(s, SLICE_LIT("Boss@xn--ber-goa.example"), h,
	    8) == 1 && h[0].exact, "idn: the domain of a listed address");
	ioc_free(s);
}

static void
test_addresses(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_hit h[8];
	char t[100];
	size_t n;

	add(s, "198.51.100.7");
	add(s, "198.51.100.8:8080");
	add(s, "198.51.100.8:443");
	add(s, "[2001:db8::8]:443");
	add(s, "203.0.113.0/24");
	add(s, "203.0.113.128/25");
	add(s, "203.0.113.77/32");
	add(s, "2001:db8:1::/48");
	add(s, "2001:db8:1:2::/64");
	ioc_finish(s);
	TEST_OK(ioc_count(s, IOC_ADDR) == 5 && ioc_count(s, IOC_NET) == 4,
	    "a /32 is an address");
	n = addr(s, "198.51.100.7", 80, h);
	TEST_OK(n == 1 && h[0].exact, "address: any port");
	TEST_OK(addr(s, "198.51.100.8", 8080, h) == 1 &&
	    strcmp(first(s, h, 1), "198.51.100.8:8080") == 0,
	    "address:port: that port");
	TEST_OK(addr(s, "198.51.100.8", 80, h) == 0,
	    "address:port: not another port");
	TEST_OK(addr(s, "198.51.100.8", 0, h) == 2,
	    "address:port: a port not known finds every port");
	TEST_OK(addr(s, "2001:db8::8", 443, h) == 1 &&
	    strcmp(first(s, h, 1), "[2001:db8::8]:443") == 0, "IPv6 with port");
	n = addr(s, "203.0.113.200", 0, h);
	TEST_OK(n == 1 && !h[0].exact &&
	    strcmp(first(s, h, 1), "203.0.113.128/25") == 0,
	    "network: the most specific");
	TEST_OK(addr(s, "203.0.113.5", 0, h) == 1 &&
	    strcmp(first(s, h, 1), "203.0.113.0/24") == 0,
	    "network: the wider one beside the narrower");
	n = addr(s, "203.0.113.77", 0, h);
	TEST_OK(n == 2 && h[0].exact && !h[1].exact,
	    "an address and its network both");
	TEST_OK(addr(s, "203.0.114.1", 0, h) == 0 &&
	    addr(s, "203.0.112.255", 0, h) == 0, "network: its edges");
	TEST_OK(addr(s, "2001:db8:1:2::9", 0, h) == 1 &&
	    strcmp(first(s, h, 1), "2001:db8:1:2::/64") == 0 &&
	    addr(s, "2001:db8:1:3::9", 0, h) == 1 &&
	    strcmp(first(s, h, 1), "2001:db8:1::/48") == 0, "IPv6 networks");
	ioc_text(s, h[0].id, t, 8);
	TEST_OK(strlen(t) == 7, "ioc_text cuts at its buffer");
	ioc_free(s);
}

/* Random nested and disjoint networks: the map agrees with a scan. */
static void
test_network_map(void)
{
	struct ioc_set *s = ioc_new();
	struct { uint32_t net; int len; } nets[300];
	int n = 0, i, k, bad = 0;
	unsigned seed = 12345;

	for (i = 0; i < 300; i++) {
		char t[40];

		seed = seed * 1103515245 + 12345;
		nets[n].len = 8 + (int)(seed >> 16) % 25;
		seed = seed * 1103515245 + 12345;
		nets[n].net = (0x0a000000u | (seed & 0x00ffffffu)) &
		    (0xffffffffu << (32 - nets[n].len));
		snprintf(t, sizeof t, "%u.%u.%u.%u/%d", nets[n].net >> 24,
		    nets[n].net >> 16 & 255, nets[n].net >> 8 & 255,
		    nets[n].net & 255, nets[n].len);
		if (add(s, t) == IOC_ADDED)
			n++;
	}
	ioc_finish(s);
	for (k = 0; k < 20000; k++) {
		struct ioc_hit h[8];
		char a[40], want[40], got[600];
		int best = -1;
		uint32_t x;

		seed = seed * 1103515245 + 12345;
		x = 0x0a000000u | (seed & 0x00ffffffu);
		for (i = 0; i < n; i++)
			if ((x & (0xffffffffu << (32 - nets[i].len))) ==
			    nets[i].net && (best < 0 || nets[i].len >
			    nets[best].len))
				best = i;
		snprintf(a, sizeof a, "%u.%u.%u.%u", x >> 24, x >> 16 & 255,
		    x >> 8 & 255, x & 255);
		if (best >= 0)
			snprintf(want, sizeof want, "%u.%u.%u.%u/%d",
			    nets[best].net >> 24, nets[best].net >> 16 & 255,
			    nets[best].net >> 8 & 255, nets[best].net & 255,
			    nets[best].len);
		else
			snprintf(want, sizeof want, "-");
		snprintf(got, sizeof got, "%s", first(s, h, addr(s, a, 0, h)));
		bad += strcmp(got, want) != 0;
	}
	TEST_OK(bad == 0, "20000 addresses: the map finds the most specific "
	    "network, as a scan does");
	ioc_free(s);
}

static void
test_merge(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_meta a = meta("a.txt", ""), b = meta("b.csv", "botnet_cc");
	struct ioc_info info;
	struct ioc_hit h[8];
	char why[300];

	a.severity = 1;
	b.severity = 3;
	b.confidence = 40;
	TEST_OK(ioc_add(s, IOC_DECL_DOMAIN, SLICE_LIT("dup.example"), &a, why,
	    sizeof why) == IOC_ADDED, "first of a duplicate added");
	TEST_OK(ioc_add(s, IOC_DECL_AUTO, SLICE_LIT("DUP.example."), &b, why,
	    sizeof why) == IOC_MERGED, "second merged");
	ioc_set_min_confidence(s, 50);
	TEST_OK(ioc_add(s, IOC_DECL_DOMAIN, SLICE_LIT("low.example"), &b, why,
	    sizeof why) == IOC_LOW, "below the minimum confidence");
	TEST_OK(ioc_add(s, IOC_DECL_DOMAIN, SLICE_LIT("any.example"), &a, why,
	    sizeof why) == IOC_ADDED, "no confidence: kept");
	ioc_finish(s);
	TEST_OK(ioc_match_domain(s, SLICE_LIT("dup.example"), h, 8) == 1,
	    "one indicator");
	ioc_get(s, h[0].id, &info);
	TEST_OK(info.severity == 3 && slice_eq(info.source, "a.txt") &&
	    slice_eq(info.tag, "botnet_cc") && info.confidence == 40,
	    "merged: higher severity, first source, tag filled in");
	TEST_OK(ioc_count(s, IOC_NKINDS) == 2, "two indicators");
	ioc_free(s);
}

/* What a list reader reported: "line:reason" lines. */
static char bad_text[2000];

static void
on_bad(void *arg, uint64_t line, const char *reason)
{
	size_t n = strlen(bad_text);

	(void)arg;
	snprintf(bad_text + n, sizeof bad_text - n, "%llu:%s\n",
	    (unsigned long long)line, reason);
}

static int
load(struct ioc_set *s, const char *text, enum ioc_format f,
    struct ioc_load *ld, char *err)
{
	memset(ld, 0, sizeof *ld);
	ld->format = f;
	ld->bad = on_bad;
	bad_text[0] = '\0';
	err[0] = '\0';
	return ioc_load_buffer(s, "list", text, strlen(text), ld, err, 300);
}

/* Source and tag of the indicator that name matches as a domain. */
static const char *
about(const struct ioc_set *s, const char *name)
{
	static char buf[600];
	struct ioc_hit h[4];
	struct ioc_info info;

	if (ioc_match_domain(s, slice_cstr(name), h, 4) == 0)
		return "-";
	ioc_get(s, h[0].id, &info);
	snprintf(buf, sizeof buf, "%.*s|%.*s|%d", (int)info.source.n,
	    info.source.p, (int)info.tag.n, info.tag.p, info.severity);
	return buf;
}

static void
test_plain(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_load ld;
	char err[300];

	TEST_OK(load(s, "# list\n\nevil.example  Emotet C2\n"
	    "tag.example,phishing kit\r\ncom\n  203.0.113.9 # a comment\n",
	    IOC_FMT_AUTO, &ld, err) == 0 && ld.used == IOC_FMT_PLAIN,
	    "plain: detected");
	TEST_OK(ld.added == 3 && ld.bad_lines == 1 && strcmp(bad_text,
	    "5:top-level name 'com' refused: it would match every name under "
	    "it\n") == 0, "plain: a bad line with its number");
	ioc_finish(s);
	TEST_OK(strcmp(about(s, "evil.example"), "list|Emotet C2|3") == 0,
	    "plain: the rest of the line is the tag");
	TEST_OK(strcmp(about(s, "tag.example"), "list|phishing kit|3") == 0,
	    "plain: a comma ends the value");
	ioc_free(s);
}

static const char threatfox[] =
    "################################################################\n"
    "# ThreatFox IOCs: CSV export                                   #\n"
    "################################################################\n"
    "#\n"
    "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\","
    "\"threat_type\",\"fk_malware\",\"malware_alias\",\"malware_printable\","
    "\"last_seen_utc\",\"confidence_level\",\"reference\",\"tags\","
    "\"anonymous\",\"reporter\"\n"
    "\"2026-11-01 10:00:00\", \"1\", \"c2.example\", \"domain\", "
    "\"botnet_cc\", \"win.cobalt_strike\", \"None\", \"Cobalt Strike\", "
    "\"\", \"100\", \"None\", \"cs,c2\", \"0\", \"abuse_ch\"\n"
    "\"2026-11-01 10:00:01\", \"2\", \"198.51.100.9:8443\", \"ip:port\", "
    "\"botnet_cc\", \"x\", \"None\", \"Unknown malware\", "
    "\"\", \"50\", \"None\", \"None\", \"0\", \"abuse_ch\"\n"
    "\"2026-11-01 10:00:02\", \"3\", \"e3b0c44298fc1c149afbf4c8996fb92427ae"
    "41e4649b934ca495991b7852b855\", \"sha256_hash\", \"payload\", \"x\", "
    "\"None\", \"x\", \"\", \"100\", \"None\", \"None\", \"0\", \"x\"\n"
    "\"2026-11-01 10:00:03\", \"4\", \"not a domain\", \"domain\", "
    "\"botnet_cc\", \"x\", \"None\", \"x\", \"\", \"10\", \"None\", "
    "\"None\", \"0\", \"x\"\n"
    "\"2026-11-01 10:00:04\", \"5\", \"bad\"quote\", \"domain\"\n"
    "\"2026-11-01 10:00:05\", \"6\", \"http://dl.example/x.exe\", \"url\", "
    "\"payload_delivery\", \"x\", \"None\", \"Emotet\", \"\", \"75\", "
    "\"None\", \"None\", \"0\", \"x\"\n";

static void
test_csv(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_load ld;
	struct ioc_hit h[4];
	struct ioc_info info;
	struct ipaddr ip;
	char err[300];

	TEST_OK(load(s, threatfox, IOC_FMT_AUTO, &ld, err) == 0 &&
	    ld.used == IOC_FMT_CSV, "threatfox: detected by its header");
	TEST_OK(ld.added == 3 && ld.unused == 1 && ld.bad_lines == 2,
	    "threatfox: three taken, a hash left out, two bad");
	TEST_OK(strcmp(bad_text, "9:bad host name 'not a domain'\n"
	    "10:bad CSV quoting\n") == 0, "threatfox: bad lines numbered");
	ioc_finish(s);
	TEST_OK(strcmp(about(s, "x.c2.example"),
	    "list|botnet_cc; Cobalt Strike; cs,c2|3") == 0,
	    "threatfox: threat type, malware and tags");
	ip_parse(SLICE_LIT("198.51.100.9"), &ip);
	TEST_OK(ioc_match_addr(s, &ip, 8443, h, 4) == 1, "threatfox: ip:port");
	ioc_get(s, h[0].id, &info);
	TEST_OK(info.confidence == 50 && info.severity == 2,
	    "threatfox: confidence 50 is medium");
	TEST_OK(ioc_match_url(s, SLICE_LIT("http://dl.example/x.exe"), h,
	    4) == 1, "threatfox: url");
	ioc_get(s, h[0].id, &info);
	TEST_OK(info.stage == IOC_STAGE_DELIVERY && info.severity == 3,
	    "threatfox: payload_delivery is delivery; 75 is high");
	ioc_free(s);

	s = ioc_new();
	TEST_OK(load(s, "uuid,event_id,category,type,value,comment,to_ids\n"
	    "u1,1,Network activity,domain|ip,pair.example|192.0.2.44,,1\n"
	    "u2,1,Network activity,domain,notids.example,,0\n"
	    "u3,1,Network activity,hostname,\"multi.example\",\"a comment\n"
	    "over two lines\",1\n"
	    "u4,1,Network activity,domain|ip,nobar.example,,1\n"
	    "u5,1,Payload delivery,url,\"unclosed\n", IOC_FMT_AUTO, &ld,
	    err) == 0 && ld.used == IOC_FMT_CSV, "misp csv: detected");
	TEST_OK(ld.added == 3 && ld.ignored == 1 && ld.bad_lines == 2,
	    "misp csv: domain|ip is two; to_ids 0 left out");
	TEST_OK(strcmp(bad_text, "6:no '|' in a domain|ip value "
	    "'nobar.example'\n7:quote not closed at the end of the file\n") ==
	    0, "misp csv: a record over two lines keeps the numbering");
	ioc_finish(s);
	TEST_OK(strcmp(about(s, "multi.example"), "list|Network activity; a "
	    "comment\nover two lines|3") == 0, "misp csv: comment in the tag");
	ioc_free(s);

	s = ioc_new();
	TEST_OK(load(s, "first,second\nx,y\n", IOC_FMT_CSV, &ld, err) != 0 &&
	    strcmp(err, "list:1: no CSV header naming the indicator column "
	    "(ioc_value, ioc, value or indicator)") == 0,
	    "csv: a file without a usable header is an error");
	ioc_free(s);
}

static const char misp[] =
    "{\"Event\": {\"info\": \"Campaign X\", \"threat_level_id\": \"2\",\n"
    " \"Orgc\": {\"name\": \"CIRCL\"},\n"
    " \"Tag\": [{\"name\": \"tlp:white\"}],\n"
    " \"Attribute\": [\n"
    "  {\"uuid\": \"aaaaaaaa-0001\", \"type\": \"domain\",\n"
    "   \"category\": \"Network activity\", \"to_ids\": true,\n"
    "   \"value\": \"misp.example\", \"comment\": \"C2\"},\n"
    "  {\"uuid\": \"aaaaaaaa-0002\", \"type\": \"ip-dst\", \"to_ids\": false,\n"
    "   \"value\": \"192.0.2.50\"},\n"
    "  {\"uuid\": \"aaaaaaaa-0003\", \"type\": \"ip-dst\", \"to_ids\": true,\n"
    "   \"value\": \"not-an-ip\"},\n"
    "  {\"uuid\": \"aaaaaaaa-0004\", \"type\": \"md5\", \"to_ids\": true,\n"
    "   \"value\": \"d41d8cd98f00b204e9800998ecf8427e\"}],\n"
    " \"Object\": [{\"Attribute\": [{\"type\": \"url\", \"to_ids\": true,\n"
    "   \"value\": \"http://misp.example/drop\", \"Tag\": [{\"name\": "
    "\"kit\"}]}]}]}}\n";

static void
test_misp(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_load ld;
	struct ioc_hit h[4];
	struct ioc_info info;
	char err[300];

	TEST_OK(load(s, misp, IOC_FMT_AUTO, &ld, err) == 0 &&
	    ld.used == IOC_FMT_MISP_JSON, "misp json: detected");
	TEST_OK(ld.added == 2 && ld.ignored == 1 && ld.unused == 1 &&
	    ld.bad_lines == 1, "misp json: to_ids, object attributes, types");
	TEST_OK(strcmp(bad_text, "10:bad address or network 'not-an-ip'\n") ==
	    0, "misp json: a bad attribute under the line of its uuid");
	ioc_finish(s);
	TEST_OK(strcmp(about(s, "misp.example"), "CIRCL|Network activity; C2; "
	    "Campaign X; tlp:white|2") == 0,
	    "misp json: organisation, category, comment, event, tags, level");
	TEST_OK(ioc_match_url(s, SLICE_LIT("http://misp.example/drop"), h,
	    4) == 1, "misp json: an object's attribute");
	ioc_get(s, h[0].id, &info);
	TEST_OK(slice_eq(info.tag, "Campaign X; tlp:white; kit"),
	    "misp json: the attribute's own tags");
	ioc_free(s);

	s = ioc_new();
	TEST_OK(load(s, "[{\"Event\": {\"Attribute\": []}}, {\"response\": "
	    "{\"Attribute\": [{\"type\": \"hostname\", \"value\": "
	    "\"rest.example\"}]}}]", IOC_FMT_AUTO, &ld, err) == 0 &&
	    ld.added == 1, "misp json: a list and a restSearch response");
	TEST_OK(load(s, "{\"Event\": [1, }", IOC_FMT_AUTO, &ld, err) != 0 &&
	    strncmp(err, "list:1: bad JSON: ", 18) == 0, "misp json: bad JSON");
	TEST_OK(load(s, "{\"x\": 1}", IOC_FMT_AUTO, &ld, err) != 0 &&
	    strcmp(err, "list: no MISP event or attribute in the JSON") == 0,
	    "misp json: JSON that is no export");
	ioc_free(s);
}

static void
test_zeek(void)
{
	struct ioc_set *s = ioc_new();
	struct ioc_load ld;
	char err[300];

	TEST_OK(load(s, "#separator \\x09\n"
	    "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n"
	    "zeek.example\tIntel::DOMAIN\tfeed-a\tbad site\n"
	    "192.0.2.60\tIntel::ADDR\t-\t-\n"
	    "abc\tIntel::FILE_HASH\tfeed-a\t-\n"
	    "-\tIntel::ADDR\tfeed-a\t-\n"
	    "zeek.example/x\tIntel::URL\tfeed-b\t(empty)\n"
	    "short\n", IOC_FMT_AUTO, &ld, err) == 0 && ld.used == IOC_FMT_ZEEK,
	    "zeek: detected");
	TEST_OK(ld.added == 3 && ld.unused == 1 && ld.bad_lines == 2 &&
	    strcmp(bad_text, "6:no indicator or no indicator_type\n"
	    "8:record shorter than #fields\n") == 0, "zeek: types and bad lines");
	ioc_finish(s);
	TEST_OK(strcmp(about(s, "zeek.example"), "feed-a|bad site|3") == 0,
	    "zeek: meta.source and meta.desc");
	ioc_free(s);

	s = ioc_new();
	TEST_OK(load(s, "zeek.example\tIntel::DOMAIN\n", IOC_FMT_ZEEK, &ld,
	    err) != 0 && strcmp(err, "list:1: data before the #fields line") ==
	    0, "zeek: data before #fields");
	ioc_free(s);
}

static void
test_file(void)
{
	char path[] = "/tmp/csm-ioc-list-XXXXXX", err[300];
	struct ioc_set *s = ioc_new();
	struct ioc_load ld;
	FILE *f;
	int fd = mkstemp(path);

	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f != NULL) {
		fputs("file.example\ncom\n", f);
		fclose(f);
	}
	memset(&ld, 0, sizeof ld);
	ld.bad = on_bad;
	bad_text[0] = '\0';
	TEST_OK(ioc_load_file(s, path, &ld, err, sizeof err) == 0 &&
	    ld.added == 1 && ld.bad_lines == 1 && strncmp(bad_text, "2:", 2) ==
	    0, "file: read whole, lines numbered");
	unlink(path);
	TEST_OK(ioc_load_file(s, path, &ld, err, sizeof err) ==
	    IOC_LOAD_FAILED && strstr(err, ": cannot open: ") != NULL,
	    "file: a missing list");
	TEST_OK(ioc_load_file(s, "-", &ld, err, sizeof err) ==
	    IOC_LOAD_FAILED, "file: not standard input");
	ioc_free(s);
}

int
main(void)
{
	test_normalise();
	test_refusals();
	test_suffix_file();
	test_names();
	test_idn();
	test_addresses();
	test_network_map();
	test_merge();
	test_plain();
	test_csv();
	test_misp();
	test_zeek();
	test_file();
	return test_done();
}
