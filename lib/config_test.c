/*
 * config_test.c: loading csm.conf: every key of the core sections (from
 * testdata/config/full.conf), file syntax (comments, continuation lines,
 * BOM, CRLF, gzip), every error message word for word, --set, check
 * sections and the search order of config_find. Lookups are in
 * config_query_test.c, the documentation in config_doc_test.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "test.h"
#include "timeconv.h"

static char top[PATH_MAX];	/* the source tree */
static char tmp[64];		/* the working directory of the tests */

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

/* Loads text as ./csm.conf, applies sets (NULL-terminated), finishes. */
static struct config *
load(const char *text, const char *const *sets, char *err)
{
	struct config *cfg = config_new();

	if (cfg == NULL)
		abort();
	write_file("csm.conf", text);
	if (config_load(cfg, "csm.conf", err, CONFIG_ERR_MAX) != 0)
		goto bad;
	for (; sets != NULL && *sets != NULL; sets++)
		if (config_set(cfg, *sets, err, CONFIG_ERR_MAX) != 0)
			goto bad;
	if (config_finish(cfg, err, CONFIG_ERR_MAX) != 0)
		goto bad;
	return cfg;
bad:
	config_free(cfg);
	return NULL;
}

/* Checks that text (with sets) fails with exactly msg. */
static void
fails_set(const char *text, const char *const *sets, const char *msg,
    const char *what)
{
	char err[CONFIG_ERR_MAX] = "";
	struct config *cfg = load(text, sets, err);

	TEST_OK(cfg == NULL && strcmp(err, msg) == 0, what);
	if (cfg != NULL || strcmp(err, msg) != 0)
		printf("# want: %s\n#  got: %s\n", msg, cfg ? "(loaded)" : err);
	config_free(cfg);
}

static void
fails(const char *text, const char *msg, const char *what)
{
	fails_set(text, NULL, msg, what);
}

static struct ipaddr
ip(const char *s)
{
	struct ipaddr a;

	if (ip_parse(slice_cstr(s), &a) != 0)
		abort();
	return a;
}

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Whether a config_strv holds exactly the n strings given. */
static int
strv_is(const struct config_strv *v, size_t n, const char *a, const char *b)
{
	return v->n == n && (n < 1 || streq(v->v[0], a)) &&
	    (n < 2 || streq(v->v[1], b));
}

static void
test_full(void)
{
	char err[CONFIG_ERR_MAX], path[PATH_MAX + 64], want[PATH_MAX + 80];
	char where[CONFIG_WHERE_MAX];
	struct config *cfg = config_new();
	const struct config_hours *h;
	struct ipaddr a;
	uint64_t min_events = 4;
	static struct config_key beacon[] = {
		{ "min-events", CONFIG_UINT, NULL, 4, 1000 },
	};

	beacon[0].dst = &min_events;
	snprintf(path, sizeof path, "%s/testdata/config/full.conf", top);
	TEST_OK(config_declare(cfg, "beacon", beacon, 1) == 0,
	    "full: declare [beacon]");
	TEST_OK(config_load(cfg, path, err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0, "full: loads");
	TEST_OK(streq(config_path(cfg), path), "full: path");
	TEST_OK(streq(config_site_name(cfg), "Test Corp"), "full: site name");
	TEST_OK(streq(config_timezone(cfg), "Europe/Berlin"), "full: timezone");
	a = ip("10.200.0.1");
	TEST_OK(config_is_internal(cfg, &a), "full: internal v4");
	a = ip("2001:db8:1::1");
	TEST_OK(config_is_internal(cfg, &a), "full: internal v6");
	a = ip("192.168.1.1");
	TEST_OK(!config_is_internal(cfg, &a),
	    "full: internal replaces the private default");
	a = ip("10.0.0.8");
	TEST_OK(config_is_proxy(cfg, &a), "full: proxy");
	a = ip("10.0.0.9");
	TEST_OK(!config_is_proxy(cfg, &a), "full: not a proxy");
	a = ip("10.0.0.53");
	TEST_OK(streq(config_egress_label(cfg, &a), "dns"), "full: egress");
	a = ip("10.1.2.3");
	TEST_OK(config_segment_of(cfg, &a) == 0 &&
	    streq(config_segment_name(cfg, 0), "lan") &&
	    streq(config_segment_description(cfg, 0), "the office"),
	    "full: segment and description");
	TEST_OK(config_flow_permitted(cfg, 0, 0, SLICE_LIT("udp"), 5353) &&
	    !config_flow_permitted(cfg, 0, 0, SLICE_LIT("tcp"), 445),
	    "full: flow");
	h = config_hours(cfg);
	TEST_OK(h->days == 0x7e && h->n[1] == 2 && h->r[1][0].start == 510 &&
	    h->r[1][0].end == 720 && h->r[1][1].start == 780 &&
	    h->r[1][1].end == 1050, "full: days and hours");
	TEST_OK(h->n[6] == 1 && h->r[6][0].start == 540 &&
	    h->r[6][0].end == 720 && h->n[0] == 0, "full: saturday's hours");
	TEST_OK(h->japan_holidays == 0, "full: japan-holidays = no");
	snprintf(want, sizeof want, "%s/testdata/config/lists/holidays.csv",
	    top);
	TEST_OK(strv_is(&h->holiday_files, 2, want, "/etc/csm/company.csv"),
	    "full: holiday-files resolved against the file");
	a = ip("10.1.0.1");
	TEST_OK(streq(config_in_maintenance(cfg,
	    time_utc_seconds(2026, 7, 5, 0, 30, 0), &a), "backup"),
	    "full: weekly window, Sunday 02:30 CEST");
	snprintf(want, sizeof want, "%s/testdata/config/lists/admins.txt",
	    top);
	TEST_OK(strv_is(config_list_paths(cfg, CONFIG_LIST_ADMINS), 1, want,
	    NULL), "full: lists admins");
	snprintf(path, sizeof path, "%s/testdata/config/lists/ioc-a.txt", top);
	snprintf(want, sizeof want, "%s/testdata/config/lists/ioc-b.txt.gz",
	    top);
	TEST_OK(strv_is(config_list_paths(cfg, CONFIG_LIST_IOC), 2, path,
	    want), "full: lists ioc, two paths, one quoted");
	TEST_OK(config_list_paths(cfg, CONFIG_LIST_USER_AGENTS)->n == 1 &&
	    config_list_paths(cfg, CONFIG_LIST_PROTECTED_NAMES)->n == 1,
	    "full: lists user-agents, protected-names");
	TEST_OK(min_events == 12, "full: declared [beacon] key stored");
	/* The file's path (over 72 bytes, its end). */
	snprintf(path, sizeof path, "%s", config_path(cfg));
	if (strlen(path) > 72)
		snprintf(want, sizeof want, "...%s:39: ", path + strlen(path) -
		    72);
	else
		snprintf(want, sizeof want, "%s:39: ", path);
	TEST_OK(streq(config_key_where(cfg, &min_events, where, sizeof where),
	    want), "full: where a declared key was given");
	config_free(cfg);
}

/* Where a key was given: the last of file and command line, or nowhere. */
static void
test_key_where(void)
{
	char err[CONFIG_ERR_MAX], path[PATH_MAX + 64], where[CONFIG_WHERE_MAX];
	struct config *cfg = config_new();
	uint64_t min_events = 4, min_score = 50;
	struct config_key beacon[] = {
		{ "min-events", CONFIG_UINT, &min_events, 4, 1000 },
		{ "min-score", CONFIG_UINT, &min_score, 0, 100 },
	};

	snprintf(path, sizeof path, "%s/testdata/config/full.conf", top);
	TEST_OK(config_declare(cfg, "beacon", beacon, 2) == 0 &&
	    config_load(cfg, path, err, sizeof err) == 0 &&
	    config_set(cfg, "beacon.min-events=20", err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0, "where: loads");
	TEST_OK(min_events == 20 && streq(config_key_where(cfg, &min_events,
	    where, sizeof where), "command line: "),
	    "where: --set after the file is the command line");
	TEST_OK(streq(config_key_where(cfg, &min_score, where, sizeof where),
	    ""), "where: a key not given is nowhere");
	TEST_OK(streq(config_key_where(cfg, &err, where, sizeof where), ""),
	    "where: not a declared key");
	config_free(cfg);
}

/* File syntax: comments, continuation lines, quotes, BOM and CRLF. */
static void
test_syntax(void)
{
	char err[CONFIG_ERR_MAX], path[PATH_MAX + 64];
	struct config *cfg;
	struct ipaddr a;

	cfg = load("; a comment\n# another\n\n[networks]\n"
	    "proxies = 10.0.0.1 ; inline\n"
	    "internal =\n  10.0.0.0/8\n\n  # a comment between\n"
	    "\t192.0.2.0/24, 198.51.100.0/24 # inline\n", NULL, err);
	a = ip("198.51.100.7");
	TEST_OK(cfg != NULL && config_is_internal(cfg, &a),
	    "continuation lines after an empty value and a comment");
	a = ip("10.0.0.1");
	TEST_OK(cfg != NULL && config_is_proxy(cfg, &a), "; comment cut");
	config_free(cfg);
	cfg = load("[site]\nname: Colon\n[networks]\ninternal =\n"
	    "  fd00::/8\n", NULL, err);
	a = ip("fd00::7");
	TEST_OK(cfg != NULL && streq(config_site_name(cfg), "Colon") &&
	    config_is_internal(cfg, &a),
	    "key: value, and an address on an indented line");
	config_free(cfg);
	cfg = load("[networks]\ninternal:fd00::/8\n", NULL, err);
	TEST_OK(cfg != NULL && config_is_internal(cfg, &a),
	    "key:address, no space after the ':'");
	config_free(cfg);
	cfg = load("[SITE]\nName = Upper\n", NULL, err);
	TEST_OK(cfg != NULL && streq(config_site_name(cfg), "Upper"),
	    "section and key names in any case");
	config_free(cfg);
	snprintf(path, sizeof path, "%s/testdata/config/bom-crlf.conf", top);
	cfg = config_new();
	TEST_OK(config_load(cfg, path, err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0 &&
	    streq(config_site_name(cfg), "Windows Corp"), "BOM and CRLF");
	a = ip("10.9.9.9");
	TEST_OK(config_is_proxy(cfg, &a), "CRLF value");
	config_free(cfg);
	cfg = load("[hours]\nholiday-files = \"my holidays.csv\" b.csv\n",
	    NULL, err);
	TEST_OK(cfg != NULL && strv_is(&config_hours(cfg)->holiday_files, 2,
	    "my holidays.csv", "b.csv"), "quoted path with a space");
	config_free(cfg);
	write_file("gz.conf", "[site]\nname = zipped\n");
	if (system("gzip -nf gz.conf") != 0)
		abort();
	cfg = config_new();
	TEST_OK(config_load(cfg, "gz.conf.gz", err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0 &&
	    streq(config_site_name(cfg), "zipped"), "gzip-compressed file");
	config_free(cfg);
	unlink("gz.conf.gz");
	cfg = load("", NULL, err);
	a = ip("192.168.3.4");
	TEST_OK(cfg != NULL && config_is_internal(cfg, &a) &&
	    config_hours(cfg)->days == 0x3e &&
	    config_hours(cfg)->r[1][0].start == 540 &&
	    config_hours(cfg)->r[1][0].end == 1080 &&
	    config_hours(cfg)->japan_holidays &&
	    config_segment_count(cfg) == 0, "empty file: the defaults");
	config_free(cfg);

	/* 00:00 as an end is the end of that day, not a range past midnight. */
	cfg = load("[hours]\nhours = 21:00-00:00\n", NULL, err);
	{
		struct config_local lt = { .wday = 1, .minute = 1439 };

		TEST_OK(cfg != NULL && config_hours(cfg)->r[1][0].start == 1260 &&
		    config_hours(cfg)->r[1][0].end == 1440 &&
		    config_hours_open(cfg, &lt, 0, 0),
		    "hours ending 00:00: open at 23:59");
		lt.wday = 2;
		lt.minute = 0;
		TEST_OK(cfg != NULL && !config_hours_open(cfg, &lt, 0, 0),
		    "hours ending 00:00: closed at 00:00 the next day");
		lt.minute = 1259;
		TEST_OK(cfg != NULL && !config_hours_open(cfg, &lt, 0, 0),
		    "hours ending 00:00: closed before 21:00");
	}
	config_free(cfg);
}

static void
test_errors(void)
{
	char long_line[400];

	fails("[hours]\nfoo = 1\n",
	    "csm.conf:2: unknown key 'foo' in [hours]", "unknown key");
	fails("[networks]\ninternal = 10.0.0.0/8\nfd00::/8\n",
	    "csm.conf:3: 'fd00::/8' is no key but an address: a value that "
	    "goes on over lines goes on over indented ones",
	    "an address continued without indent");
	fails("[networks]\ninternal = 10.0.0.0/8\n2001:db8:1::/48 ; lab\n",
	    "csm.conf:3: '2001:db8:1::/48 ; lab' is no key but an address: a "
	    "value that goes on over lines goes on over indented ones",
	    "an address with a comment continued without indent");
	fails("[networks]\ninternal = 10.0.0.0/8\n::ffff:0:0/96\n",
	    "csm.conf:3: '::ffff:0:0/96' is no key but an address: a value "
	    "that goes on over lines goes on over indented ones",
	    "an address starting with '::' continued without indent");
	fails("[site]\nfoo = 1\n",
	    "csm.conf:2: unknown key 'foo' in [site]", "unknown key in [site]");
	fails("[segment a]\nnetwork = 10.0.0.0/8\n",
	    "csm.conf:2: unknown key 'network' in [segment a]",
	    "unknown key in a named section");
	fails("[maintenance w]\nbegin = x\n",
	    "csm.conf:2: unknown key 'begin' in [maintenance w]",
	    "unknown key in [maintenance]");
	fails("[lists]\nioc-files = a\n",
	    "csm.conf:2: unknown key 'ioc-files' in [lists]",
	    "unknown key in [lists]");
	fails("[networks]\ninternal = 10.0.0.0/33\n",
	    "csm.conf:2: bad CIDR '10.0.0.0/33'", "bad CIDR");
	fails("[networks]\nproxies = 10.0.0.256\n",
	    "csm.conf:2: bad CIDR '10.0.0.256'", "bad address");
	fails("[networks]\ninternal = 10.1.0.0/8\n",
	    "csm.conf:2: bad CIDR '10.1.0.0/8': host bits set (the network "
	    "is '10.0.0.0/8')", "host bits");
	fails("[networks]\ninternal = 2001:db8::1/32\n",
	    "csm.conf:2: bad CIDR '2001:db8::1/32': host bits set (the "
	    "network is '2001:db8::/32')", "host bits IPv6");
	fails("[networks]\ninternal = 10.0.0.0/8 10.0.0.0/8\n",
	    "csm.conf:2: '10.0.0.0/8' listed twice (as '10.0.0.0/8')",
	    "same block twice in a list");
	fails("[networks]\ninternal = ,\n",
	    "csm.conf:2: no network in ','", "no network");
	fails("[networks]\ninternal =\n",
	    "csm.conf:2: empty value for 'internal' in [networks]",
	    "empty value");
	fails("[segment clients]\nnetworks = 10.1.0.0/16\n\n"
	    "[segment clients]\nnetworks = 10.2.0.0/16\n",
	    "csm.conf:4: segment 'clients' defined twice (first at line 1)",
	    "segment defined twice");
	fails("[segment a]\nnetworks = 10.1.0.0/16\n[segment b]\n"
	    "networks = 10.2.0.0/16 10.1.0.0/16\n",
	    "csm.conf:4: network '10.1.0.0/16' of segment 'b' is already in "
	    "segment 'a' (line 2)", "same CIDR in two segments");
	fails("[egress]\ndns = 10.0.0.53\nntp = 10.0.0.53\n",
	    "csm.conf:3: network '10.0.0.53' of egress 'ntp' is already in "
	    "egress 'dns' (line 2)", "same address in two egress labels");
	fails("[segment a]\ndescription = nothing\n",
	    "csm.conf:1: segment 'a' has no networks", "segment without networks");
	fails("[segment]\n", "csm.conf:1: section [segment] needs a name, as "
	    "in [segment NAME]", "segment without a name");
	fails("[segment a.b]\n", "csm.conf:1: bad segment name 'a.b' "
	    "(letters, digits, '-' and '_')", "bad segment name");
	fails("[hours]\ndays = mon-fri\n[hours]\n",
	    "csm.conf:3: section [hours] defined twice (first at line 1)",
	    "section defined twice");
	fails("[hours]\ndays = mon\ndays = tue\n",
	    "csm.conf:3: key 'days' given twice in this section (first at "
	    "line 2)", "key given twice");
	fails("[hours x]\n", "csm.conf:1: section '[hours]' takes no name",
	    "unnamed section with a name");
	fails("[hours\n", "csm.conf:1: unterminated section header '[hours'",
	    "unterminated header");
	fails("[hours] days = mon\n", "csm.conf:1: bad section header "
	    "'[hours] days = mon'", "text after a header");
	fails("  [hours]\n", "csm.conf:1: section header '[hours]' must start "
	    "the line", "indented header");
	fails("[hourz]\n", "csm.conf:1: unknown section '[hourz]'",
	    "unknown section, even empty");
	fails("[networks]\ninternal = 10.0.0.0/8\n  proxies = 10.0.0.1\n",
	    "csm.conf:3: 'proxies = 10.0.0.1' is indented, so it would "
	    "continue the value of 'internal'; a key must start the line",
	    "an indented key");
	fails("name = x\n", "csm.conf:1: key 'name' outside any section",
	    "key before any section");
	fails("[site]\nthis line has no equals sign\n",
	    "csm.conf:2: expected 'key = value' or '[section]', not 'this line "
	    "has no equals sign'", "a line that is not a key");
	fails("[site]\n= x\n", "csm.conf:2: no key before '=' in '= x'",
	    "missing key");
	fails("[site]\ntimezone = Asia/Tokio\n",
	    "csm.conf:2: unknown time zone 'Asia/Tokio'", "bad tz");
	fails("[site]\ntimezone = Asia\n",
	    "csm.conf:2: unknown time zone 'Asia'", "a directory is no zone");
	fails("[site]\ntimezone = ../../etc/passwd\n",
	    "csm.conf:2: unknown time zone '../../etc/passwd'", "tz with ..");
	fails("[hours]\ndays = mon-fir\n",
	    "csm.conf:2: unknown weekday 'fir'", "unknown weekday");
	fails("[hours]\nhours = 09:00-25:00\n",
	    "csm.conf:2: bad time '25:00'", "bad time");
	fails("[hours]\nhours = 9.00-18:00\n",
	    "csm.conf:2: bad time '9.00'", "bad time format");
	fails("[hours]\nhours = 09:00\n", "csm.conf:2: bad time range "
	    "'09:00': expected HH:MM-HH:MM", "time without a range");
	fails("[hours]\nhours = 09:00-09:00\n",
	    "csm.conf:2: empty time range '09:00-09:00'", "empty range");
	fails("[hours]\njapan-holidays = maybe\n", "csm.conf:2: bad boolean "
	    "'maybe' for 'japan-holidays' (yes or no)", "bad boolean");
	fails("[segment a]\nnetworks = 10.0.0.0/8\n[flows]\na -> b = any\n",
	    "csm.conf:4: unknown segment 'b' in [flows]",
	    "unknown segment in [flows]");
	fails("[flows]\na b = any\n", "csm.conf:2: bad flow 'a b': expected "
	    "'FROM -> TO = services'", "flow without an arrow");
	fails("[flows]\na -> b.c = any\n", "csm.conf:2: bad flow 'a -> b.c': "
	    "expected 'FROM -> TO' with segment names or '*'",
	    "flow with a bad name");
	fails("[flows]\n* -> * = tpc/80\n",
	    "csm.conf:2: unknown protocol 'tpc'", "unknown protocol");
	fails("[flows]\n* -> * = tcp/70000\n", "csm.conf:2: bad port '70000'",
	    "bad port");
	fails("[flows]\n* -> * = tcp/90-80\n",
	    "csm.conf:2: bad port range '90-80'", "backwards port range");
	fails("[flows]\n* -> * = icmp/8\n", "csm.conf:2: protocol 'icmp' has "
	    "no ports: 'icmp/8'", "ports on icmp");
	fails("[flows]\n* -> * = tcp/80,\n", "csm.conf:2: bad port list "
	    "'tcp/80,'", "trailing comma in ports");
	fails("[flows]\na -> b = tcp/80\na->b = tcp/443\n", "csm.conf:3: flow "
	    "'a -> b' given twice (first at line 2)", "flow given twice");
	fails("[maintenance w]\nstart = 2026-12-29 22:00\n",
	    "csm.conf:1: maintenance 'w' has no end", "window without end");
	fails("[maintenance w]\nhosts = *\n", "csm.conf:1: maintenance 'w' "
	    "has no start (or weekly or monthly)", "window without start");
	fails("[maintenance w]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-29 21:00\n", "csm.conf:3: end '2026-12-29 21:00' "
	    "is not after start '2026-12-29 22:00'", "end before start");
	fails("[maintenance w]\nstart = 2026-02-30 22:00\n",
	    "csm.conf:2: bad date and time '2026-02-30 22:00' (expected "
	    "YYYY-MM-DD HH:MM)", "bad date");
	fails("[maintenance w]\nstart = 2026-12-29 22:00\nend = 2026-12-30 "
	    "06:00\nhosts = servers\n", "csm.conf:4: unknown segment "
	    "'servers' in [maintenance w]", "unknown segment in hosts");
	fails("[maintenance w]\nhosts = 10.0.0.0/33\n",
	    "csm.conf:2: bad CIDR '10.0.0.0/33'", "bad CIDR in hosts");
	fails("[maintenance w]\nweekly = sat 22:00\n",
	    "csm.conf:2: bad weekly window 'sat 22:00' (expected DAY "
	    "HH:MM-[DAY] HH:MM)", "bad weekly");
	fails("[maintenance w]\nmonthly = 6th sat 22:00-23:00\n",
	    "csm.conf:2: bad monthly window '6th sat 22:00-23:00' (expected "
	    "1st-5th or last, DAY HH:MM-[DAY] HH:MM)", "bad monthly");
	fails("[site]\ntimezone = Europe/Berlin\n[maintenance w]\n"
	    "start = 2026-03-29 02:30\nend = 2026-03-29 04:00\n",
	    "csm.conf:4: '2026-03-29 02:30' does not exist in Europe/Berlin "
	    "(the clocks go forward)", "a time in the DST gap");
	fails("[lists]\nadmins = \"a.txt\n",
	    "csm.conf:2: unterminated quote in '\"a.txt'", "open quote");
	memset(long_line, 'x', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	memcpy(long_line, "[site]\nname = ", 14);
	fails(long_line, "csm.conf:2: line longer than 198 bytes; continue "
	    "the value on an indented line", "over-long line");
	{
		char err[CONFIG_ERR_MAX];
		struct config *cfg;

		/* 14 bytes of "name = " line and 7 of header: 198 exactly. */
		long_line[7 + 198] = '\n';
		long_line[7 + 199] = '\0';
		cfg = load(long_line, NULL, err);
		TEST_OK(cfg != NULL && strlen(config_site_name(cfg)) == 191,
		    "a line of 198 bytes is taken whole");
		config_free(cfg);
	}
	{
		char err[CONFIG_ERR_MAX];
		struct config *cfg = config_new();
		FILE *f = fopen("nul.conf", "wb");

		if (f == NULL || fwrite("[site]\nname = a\0b\n", 1, 19, f) !=
		    19 || fclose(f) != 0)
			abort();
		TEST_OK(config_load(cfg, "nul.conf", err, sizeof err) != 0 &&
		    streq(err, "nul.conf:2: NUL byte in line"), "NUL byte");
		config_free(cfg);
		unlink("nul.conf");
	}
	fails("[site]\nname = \x1b[31mred\n[x\x01y]\n", "csm.conf:3: "
	    "unknown section '[x\\x01y]'", "control bytes escaped");
	fails("[site]\nname = x\n[segment \x1b]\n", "csm.conf:3: bad "
	    "segment name '\\x1b' (letters, digits, '-' and '_')",
	    "escape byte in a name escaped");
}

/* --set: same checks, "command line" as the source, override. */
static void
test_set(void)
{
	char err[CONFIG_ERR_MAX];
	const char *s1[] = { "site.timezone=Asia/Tokyo",
	    "networks.internal = 192.0.2.0/24",
	    "segment.guests.networks=192.0.2.128/25",
	    "segment.lan.description=changed",
	    "flows.lan->lan=none", "hours.days=sat,sun",
	    "maintenance.tonight.start=2026-05-01 22:00",
	    "maintenance.tonight.end=2026-05-02 02:00", NULL };
	struct config *cfg;
	struct ipaddr a;
	int g;

	cfg = load("[site]\ntimezone = Europe/Berlin\n[segment lan]\n"
	    "networks = 10.1.0.0/16\n[flows]\nlan -> lan = any\n", s1, err);
	TEST_OK(cfg != NULL, "--set: loads");
	if (cfg == NULL) {
		printf("# %s\n", err);
		return;
	}
	TEST_OK(streq(config_timezone(cfg), "Asia/Tokyo"), "--set timezone");
	a = ip("10.1.0.1");
	TEST_OK(!config_is_internal(cfg, &a), "--set replaces a list");
	g = config_segment_find(cfg, "guests");
	a = ip("192.0.2.200");
	TEST_OK(g == 1 && config_segment_of(cfg, &a) == g,
	    "--set makes a new segment");
	TEST_OK(streq(config_segment_description(cfg, 0), "changed"),
	    "--set in an existing segment");
	TEST_OK(!config_flow_permitted(cfg, 0, 0, SLICE_LIT("tcp"), 80),
	    "--set replaces a flow (none)");
	TEST_OK(config_hours(cfg)->days == 0x41, "--set hours.days");
	a = ip("10.1.0.1");
	TEST_OK(streq(config_in_maintenance(cfg, time_utc_seconds(2026, 5, 1,
	    13, 0, 0), &a), "tonight"), "--set makes a window, in Tokyo time");
	config_free(cfg);

	{
		const char *s[] = { "networks.internal=10.0.0.0/33", NULL };
		fails_set("", s, "command line: bad CIDR '10.0.0.0/33'",
		    "--set: bad CIDR");
	}
	{
		const char *s[] = { "hours.foo=1", NULL };
		fails_set("", s, "command line: unknown key 'foo' in [hours]",
		    "--set: unknown key");
	}
	{
		const char *s[] = { "hours", NULL };
		fails_set("", s, "command line: bad assignment 'hours': "
		    "expected section.key=value", "--set: no =");
	}
	{
		const char *s[] = { "days=mon", NULL };
		fails_set("", s, "command line: bad assignment 'days=mon': "
		    "expected section.key=value", "--set: no section");
	}
	{
		const char *s[] = { "segment.lan=10.0.0.0/8", NULL };
		fails_set("", s, "command line: bad assignment "
		    "'segment.lan=10.0.0.0/8': expected segment.NAME.key=value",
		    "--set: named section without a key");
	}
	{
		const char *s[] = { "segment.guests.description=x", NULL };
		fails_set("", s, "command line: segment 'guests' has no networks",
		    "--set: incomplete segment");
	}
	{
		const char *s[] = { "flows.a->b=any", NULL };
		fails_set("", s, "command line: unknown segment 'a' in [flows]",
		    "--set: unknown segment in a flow");
	}
	{
		const char *s[] = { "hourz.days=mon", NULL };
		fails_set("", s, "command line: unknown section '[hourz]'",
		    "--set: unknown section");
	}
	{
		const char *s[] = { "beacon.min-events=3", NULL };
		fails_set("", s, "command line: this program does not read "
		    "[beacon]", "--set: another check's section");
	}
	{
		const char *s[] = { "site.timezone=Mars/Olympus", NULL };
		fails_set("", s, "command line: unknown time zone "
		    "'Mars/Olympus'", "--set: bad tz");
	}
}

/* A check's own section: every key type, ranges, other checks' sections. */
static void
test_checks(void)
{
	char err[CONFIG_ERR_MAX];
	uint64_t count = 5, window = 60;
	int strict = 0;
	const char *label = "default", *file = NULL;
	struct config_strv words = { NULL, 0 }, files = { NULL, 0 };
	struct config_key keys[] = {
		{ "count", CONFIG_UINT, &count, 1, 100 },
		{ "window", CONFIG_DURATION, &window, 60, 86400 },
		{ "strict", CONFIG_BOOL, &strict, 0, 0 },
		{ "label", CONFIG_STRING, &label, 0, 0 },
		{ "file", CONFIG_PATH, &file, 0, 0 },
		{ "ports", CONFIG_LIST, &words, 0, 0 },
		{ "files", CONFIG_PATHS, &files, 0, 0 },
		{ "big", CONFIG_UINT, &count, 3, 0 },
	};
	struct {
		const char *text, *msg;
	} bad[] = {
		{ "[proxycheck]\ncnt = 1\n",
		    "csm.conf:2: unknown key 'cnt' in [proxycheck]" },
		{ "[proxycheck]\ncount = 0\n", "csm.conf:2: 'count' in "
		    "[proxycheck] must be from 1 to 100, not '0'" },
		{ "[proxycheck]\ncount = 101\n", "csm.conf:2: 'count' in "
		    "[proxycheck] must be from 1 to 100, not '101'" },
		{ "[proxycheck]\nbig = 2\n", "csm.conf:2: 'big' in "
		    "[proxycheck] must be at least 3, not '2'" },
		{ "[proxycheck]\ncount = 1e3\n", "csm.conf:2: bad number '1e3' "
		    "for 'count' in [proxycheck]" },
		{ "[proxycheck]\nwindow = 5x\n", "csm.conf:2: bad duration "
		    "'5x' for 'window' in [proxycheck]" },
		{ "[proxycheck]\nwindow = 1h30\n", "csm.conf:2: bad duration "
		    "'1h30' for 'window' in [proxycheck]" },
		{ "[proxycheck]\nwindow = 30s\n", "csm.conf:2: 'window' in "
		    "[proxycheck] must be from 60 to 86400, not '30s'" },
		{ "[proxycheck]\nstrict = sure\n", "csm.conf:2: bad boolean "
		    "'sure' for 'strict' in [proxycheck] (yes or no)" },
		{ "[proxycheck]\nfile = a b\n", "csm.conf:2: bad path 'a b' for "
		    "'file' in [proxycheck] (one path; \"quote\" one with "
		    "spaces)" },
		{ "[proxycheck]\n[beacon]\n[proxycheck]\n", "csm.conf:3: "
		    "section [proxycheck] defined twice (first at line 1)" },
		{ "[proxycheck x]\n",
		    "csm.conf:1: section '[proxycheck]' takes no name" },
	};
	const char *sets[] = { "proxycheck.count=7", NULL };
	struct config *cfg;
	size_t i;

	cfg = config_new();
	TEST_OK(config_declare(cfg, "hours", keys, 1) == -1 &&
	    config_declare(cfg, "proxycheck", keys, 8) == 0 &&
	    config_declare(cfg, "ProxyCheck", keys, 8) == -1,
	    "checks: no core section, no section twice");
	write_file("csm.conf", "[proxycheck]\ncount = 9\nwindow = 1h30m\n"
	    "strict = yes\nlabel = a \"label\"\nfile = \"x y.txt\"\n"
	    "ports = 80, 443 8080\nfiles = a.txt b.txt\n"
	    "[beacon]\nanything = goes\n[daily]\n");
	TEST_OK(config_load(cfg, "csm.conf", err, sizeof err) == 0 &&
	    config_set(cfg, sets[0], err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0, "checks: load");
	TEST_OK(count == 7, "checks: --set overrides the file");
	TEST_OK(window == 5400 && strict == 1, "checks: duration, boolean");
	TEST_OK(streq(label, "a \"label\"") && streq(file, "x y.txt"),
	    "checks: string, quoted path");
	TEST_OK(strv_is(&words, 3, "80", "443") && streq(words.v[2], "8080") &&
	    strv_is(&files, 2, "a.txt", "b.txt"), "checks: lists");
	config_free(cfg);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cfg = config_new();
		config_declare(cfg, "proxycheck", keys, 8);
		write_file("csm.conf", bad[i].text);
		TEST_OK((config_load(cfg, "csm.conf", err, sizeof err) != 0 ||
		    config_finish(cfg, err, sizeof err) != 0) &&
		    streq(err, bad[i].msg), bad[i].msg);
		if (!streq(err, bad[i].msg))
			printf("# got: %s\n", err);
		config_free(cfg);
	}
	{
		uint64_t d[7];
		struct config_key dk[7];
		char name[7][4];

		for (i = 0; i < 7; i++) {
			snprintf(name[i], sizeof name[i], "d%zu", i);
			dk[i].name = name[i];
			dk[i].type = CONFIG_DURATION;
			dk[i].dst = &d[i];
			dk[i].min = dk[i].max = 0;
		}
		cfg = config_new();
		config_declare(cfg, "daily", dk, 7);
		write_file("csm.conf", "[daily]\nd0 = 90\nd1 = 90s\nd2 = 15m\n"
		    "d3 = 2h\nd4 = 7d\nd5 = 1w\nd6 = 1h30m\n");
		TEST_OK(config_load(cfg, "csm.conf", err, sizeof err) == 0 &&
		    config_finish(cfg, err, sizeof err) == 0 && d[0] == 90 &&
		    d[1] == 90 && d[2] == 900 && d[3] == 7200 &&
		    d[4] == 604800 && d[5] == 604800 && d[6] == 5400,
		    "checks: durations 90 90s 15m 2h 7d 1w 1h30m");
		config_free(cfg);
	}
}

int
main(int argc, char **argv)
{
	char exe[PATH_MAX], *p;
	int i;

	if (realpath(argv[0], exe) == NULL)
		abort();
	/* build/test/config_test: the tree is three levels up. */
	for (i = 0; i < 3; i++)
		if ((p = strrchr(exe, '/')) != NULL)
			*p = '\0';
	memcpy(top, exe, strlen(exe) + 1);
	(void)argc;
	snprintf(tmp, sizeof tmp, "/tmp/csm-config-test-XXXXXX");
	if (mkdtemp(tmp) == NULL || chdir(tmp) != 0)
		abort();
	unsetenv("TZ");
	test_full();
	test_key_where();
	test_syntax();
	test_errors();
	test_set();
	test_checks();
	unlink("csm.conf");
	rmdir(tmp);
	return test_done();
}
