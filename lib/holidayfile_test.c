/*
 * holidayfile_test.c: the Cabinet Office's syukujitsu.csv as published
 * (Shift_JIS, CRLF), gzipped and re-encoded as UTF-8 with a BOM, agreeing
 * with jpholiday day by day; the company format with ranges, comments,
 * names, a BOM and CRLF; merging two files; and every error with its
 * exact message, the set left untouched after each.
 */
#include <iconv.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "holidayfile.h"
#include "jpholiday.h"
#include "timeconv.h"
#include "test.h"

static char top[1024];
static char tmp[64];

/* The checkout's top: argv[0] is TOP/BUILD/test/NAME under runtests. */
static void
find_top(const char *argv0)
{
	size_t n = strlen(argv0);
	int cut;

	for (cut = 0; cut < 3 && n > 0; cut++) {
		while (n > 0 && argv0[n - 1] != '/')
			n--;
		while (n > 0 && argv0[n - 1] == '/')
			n--;
	}
	if (cut < 3 || n == 0)
		snprintf(top, sizeof top, ".");
	else
		snprintf(top, sizeof top, "%.*s", (int)n, argv0);
}

static const char *
data(const char *name)
{
	static char path[4][1200];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/testdata/calendar/%s", top,
	    name);
	return path[k];
}

static void
write_file(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(bytes, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static char *
read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	if (f == NULL || buf == NULL)
		abort();
	*n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* Whether two sets hold the same days with the same names. */
static int
same_set(const struct holidayfile *a, const struct holidayfile *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i].days != b->v[i].days ||
		    strcmp(holidayfile_name(a, i), holidayfile_name(b, i)) != 0)
			return 0;
	return 1;
}

/* The list's names against jpholiday's (see jpholiday_test.c). */
static int
names_agree(const char *list, int kind, const char *name)
{
	if (strcmp(list, "休日") == 0)
		return kind == JPHOLIDAY_SUBSTITUTE ||
		    kind == JPHOLIDAY_CITIZENS;
	if (strcmp(list, "休日（祝日扱い）") == 0)
		return kind == JPHOLIDAY_SPECIAL;
	if (strcmp(list, "体育の日（スポーツの日）") == 0)
		return strcmp(name, "体育の日") == 0;
	return strcmp(list, name) == 0;
}

static void
test_national(void)
{
	struct holidayfile set, other;
	char err[HOLIDAYFILE_ERR_SIZE], *csv, *utf8, *in, *out;
	const char *name, *jname;
	int64_t day, first, last;
	int disagree = 0, in_set, kind;
	size_t n, inleft, outleft, i, o;
	iconv_t cd;
	gzFile g;

	holidayfile_init(&set);
	TEST_OK(holidayfile_load(&set, data("syukujitsu.csv"), err,
	    sizeof err) == HOLIDAYFILE_OK, "syukujitsu.csv loads");
	TEST_OK(set.n == 1067, "1067 dates");
	TEST_OK(set.n > 0 && set.v[0].days == time_days_from_civil(1955, 1,
	    1) && strcmp(holidayfile_name(&set, 0), "元日") == 0,
	    "first row 1955-01-01 元日, name in UTF-8");
	TEST_OK(set.n > 0 && set.v[set.n - 1].days == time_days_from_civil(
	    2027, 11, 23) && strcmp(holidayfile_name(&set, set.n - 1),
	    "勤労感謝の日") == 0, "last row 2027-11-23 勤労感謝の日");
	TEST_OK(holidayfile_lookup(&set, 2019, 5, 1, &name) == 1 &&
	    strcmp(name, "休日（祝日扱い）") == 0, "lookup 2019-05-01");
	TEST_OK(holidayfile_lookup(&set, 2026, 11, 24, &name) == 0 &&
	    name == NULL, "lookup of a working day");
	TEST_OK(holidayfile_lookup(&set, 2026, 2, 30, &name) == -1 &&
	    name == NULL, "lookup of 2026-02-30");

	first = time_days_from_civil(1955, 1, 1);
	last = time_days_from_civil(2027, 12, 31);
	for (day = first; day <= last; day++) {
		in_set = holidayfile_lookup_days(&set, day, &name);
		kind = jpholiday_lookup_days(day, &jname);
		if (in_set != (kind > 0) ||
		    (in_set && !names_agree(name, kind, jname))) {
			disagree++;
			printf("# day %lld: list %s, jpholiday %s\n",
			    (long long)day, in_set ? name : "-",
			    kind > 0 ? jname : "-");
		}
	}
	TEST_OK(disagree == 0, "the loaded list agrees with jpholiday");

	/* The same file gzipped. */
	csv = read_file(data("syukujitsu.csv"), &n);
	if ((g = gzopen(tmp, "wb")) == NULL ||
	    gzwrite(g, csv, (unsigned)n) != (int)n || gzclose(g) != Z_OK)
		abort();
	holidayfile_init(&other);
	TEST_OK(holidayfile_load(&other, tmp, err, sizeof err) ==
	    HOLIDAYFILE_OK && same_set(&set, &other), "gzipped list");
	holidayfile_release(&other);

	/* Re-encoded as UTF-8 with a BOM and LF line ends. */
	utf8 = malloc(3 * n + 3);
	if (utf8 == NULL || (cd = iconv_open("UTF-8", "CP932")) ==
	    (iconv_t)-1)
		abort();
	memcpy(utf8, "\xef\xbb\xbf", 3);
	in = csv;
	inleft = n;
	out = utf8 + 3;
	outleft = 3 * n;
	if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1)
		abort();
	iconv_close(cd);
	for (i = o = 0; utf8 + i < out; i++)
		if (utf8[i] != '\r')
			utf8[o++] = utf8[i];
	write_file(tmp, utf8, o);
	holidayfile_init(&other);
	TEST_OK(holidayfile_load(&other, tmp, err, sizeof err) ==
	    HOLIDAYFILE_OK && same_set(&set, &other),
	    "the list in UTF-8 with BOM and LF");
	holidayfile_release(&other);
	free(utf8);
	free(csv);

	/* National first, then the company's: 2027-01-01 stays 元日. */
	TEST_OK(holidayfile_load(&set, data("company-holidays.txt"), err,
	    sizeof err) == HOLIDAYFILE_OK, "company file added");
	TEST_OK(set.n == 1067 + 14 - 1, "merged: one day in both");
	TEST_OK(holidayfile_lookup(&set, 2027, 1, 1, &name) == 1 &&
	    strcmp(name, "元日") == 0, "first-loaded name wins");
	TEST_OK(holidayfile_lookup(&set, 2027, 1, 2, &name) == 1 &&
	    strcmp(name, "年末年始") == 0, "company range in the merge");
	holidayfile_release(&set);
	TEST_OK(set.n == 0 && set.v == NULL, "release empties the set");
}

/* Looks a date up and compares its name (NULL: not in the set). */
static int
has(const struct holidayfile *set, int y, int m, int d, const char *want)
{
	const char *name;
	int r = holidayfile_lookup(set, y, m, d, &name);

	if (want == NULL)
		return r == 0 && name == NULL;
	return r == 1 && strcmp(name, want) == 0;
}

static void
test_company(void)
{
	struct holidayfile set;
	char err[HOLIDAYFILE_ERR_SIZE];
	int d, range = 1;

	holidayfile_init(&set);
	TEST_OK(holidayfile_load(&set, data("company-holidays.txt"), err,
	    sizeof err) == HOLIDAYFILE_OK && err[0] == '\0',
	    "company file loads");
	TEST_OK(set.n == 14, "14 days");
	for (d = 29; d <= 31; d++)
		range &= has(&set, 2026, 12, d, "年末年始");
	for (d = 1; d <= 3; d++)
		range &= has(&set, 2027, 1, d, "年末年始");
	TEST_OK(range, "range 2026-12-29..2027-01-03 across the year");
	TEST_OK(has(&set, 2026, 12, 28, NULL) && has(&set, 2027, 1, 4, NULL),
	    "days beside the range are not in it");
	TEST_OK(has(&set, 2026, 8, 13, "夏季休業") &&
	    has(&set, 2026, 8, 16, "夏季休業"), "range with a comma name");
	TEST_OK(has(&set, 2026, 6, 1, "創立記念日"),
	    "YYYY/M/D, comment after a tab dropped");
	TEST_OK(has(&set, 2026, 11, 20, ""), "a date without a name");
	TEST_OK(has(&set, 2027, 3, 31, "期末棚卸"), "date,name");
	TEST_OK(has(&set, 2027, 4, 30, "臨時休業 第#1"),
	    "indented line, '#' inside the name kept");
	holidayfile_release(&set);

	TEST_OK(holidayfile_load(&set, data("company-bom-crlf.txt"), err,
	    sizeof err) == HOLIDAYFILE_OK && set.n == 3 &&
	    has(&set, 2026, 5, 1, "メーデー") && has(&set, 2026, 5, 8, ""),
	    "BOM and CRLF");
	holidayfile_release(&set);

	write_file(tmp, "2026-01-01..2027-01-01 long\n", 28);
	TEST_OK(holidayfile_load(&set, tmp, err, sizeof err) ==
	    HOLIDAYFILE_OK && set.n == 366, "a range of 366 days is allowed");
	holidayfile_release(&set);
	write_file(tmp, "", 0);
	TEST_OK(holidayfile_load(&set, tmp, err, sizeof err) ==
	    HOLIDAYFILE_OK && set.n == 0, "an empty file is an empty list");
	holidayfile_release(&set);
}

/*
 * Loads text from a file into a set that already holds 2030-01-01 and
 * checks the status and message (path replaced by "P"), and that the
 * set is as it was.
 */
static void
bad(const char *text, size_t n, int want, const char *msg, const char *what)
{
	struct holidayfile set;
	char err[HOLIDAYFILE_ERR_SIZE], want_msg[600];
	int rc;

	write_file(tmp, "2030-01-01 kept\n", 16);
	holidayfile_init(&set);
	if (holidayfile_load(&set, tmp, err, sizeof err) != HOLIDAYFILE_OK)
		abort();
	write_file(tmp, text, n);
	rc = holidayfile_load(&set, tmp, err, sizeof err);
	snprintf(want_msg, sizeof want_msg, "%s%s", tmp, msg);
	TEST_OK(rc == want && strcmp(err, want_msg) == 0 && set.n == 1 &&
	    has(&set, 2030, 1, 1, "kept") && has(&set, 2026, 1, 1, NULL),
	    what);
	if (rc != want || strcmp(err, want_msg) != 0)
		printf("# got %d '%s'\n", rc, err);
	holidayfile_release(&set);
}

#define BAD(text, want, msg, what) \
	bad((text), sizeof(text) - 1, (want), (msg), (what))
#define SJIS_HEADER "\x8d\x91\x96\xaf\x82\xcc\x8f\x6a\x93\xfa\x81\x45" \
	"\x8b\x78\x93\xfa\x8c\x8e\x93\xfa,\x8d\x91\x96\xaf\x82\xcc\x8f\x6a" \
	"\x93\xfa\x81\x45\x8b\x78\x93\xfa\x96\xbc\x8f\xcc\r\n"
#define UTF8_HEADER "国民の祝日・休日月日,国民の祝日・休日名称\n"

static void
test_errors(void)
{
	struct holidayfile set;
	char err[HOLIDAYFILE_ERR_SIZE], *big;
	size_t n = 1100000;

	BAD("2026-01-01 a\n# x\n2026-02-30 b\n2026-03-01 c\n",
	    HOLIDAYFILE_BAD, ":3: no such date '2026-02-30'",
	    "2026-02-30, and the lines before it undone");
	BAD("2026-12-31..2026-12-29 x\n", HOLIDAYFILE_BAD,
	    ":1: range ends before it starts '2026-12-31..2026-12-29'",
	    "range in the wrong order");
	BAD("\nhello world\n", HOLIDAYFILE_BAD, ":2: bad date 'hello'",
	    "garbage line");
	BAD("2024-01-01..2025-01-01\n", HOLIDAYFILE_BAD,
	    ":1: range longer than 366 days '2024-01-01..2025-01-01'",
	    "a range of 367 days");
	BAD("2026-01-01..x\n", HOLIDAYFILE_BAD, ":1: bad date 'x'",
	    "range with a bad end");
	BAD("2026-1/5\n", HOLIDAYFILE_BAD, ":1: bad date '2026-1/5'",
	    "mixed separators");
	BAD("2026-01-001\n", HOLIDAYFILE_BAD, ":1: bad date '2026-01-001'",
	    "three-digit day");
	BAD("2026-01-0\x01\n", HOLIDAYFILE_BAD, ":1: bad date '2026-01-0\\x01'",
	    "control byte escaped in the message");
	BAD("2026-01-05 \x93\xfa\n", HOLIDAYFILE_BAD,
	    ":1: name is not UTF-8 '\\x93\\xfa'",
	    "Shift_JIS name in a company file");
	BAD("2026-01-05 a\x1b[2Jb\n", HOLIDAYFILE_BAD,
	    ":1: control character in name 'a\\x1b[2Jb'",
	    "escape sequence in a name");
	BAD("2026-01-05 a\xc2\x85" "b\n", HOLIDAYFILE_BAD,
	    ":1: control character in name 'a\\xc2\\x85b'",
	    "C1 control (U+0085) in a name");
	BAD("2026-01-05 \xc0\xae\n", HOLIDAYFILE_BAD,
	    ":1: name is not UTF-8 '\\xc0\\xae'", "overlong UTF-8");
	BAD(UTF8_HEADER "2026/1/1\n", HOLIDAYFILE_BAD,
	    ":2: expected 2 fields (date,name), got 1", "csv: one field");
	BAD(UTF8_HEADER "2026/1/1,元日,x\n", HOLIDAYFILE_BAD,
	    ":2: expected 2 fields (date,name), got 3", "csv: three fields");
	BAD(UTF8_HEADER "2026/1/1,\n", HOLIDAYFILE_BAD,
	    ":2: missing holiday name", "csv: no name");
	BAD(UTF8_HEADER "2026/2/30,x\n", HOLIDAYFILE_BAD,
	    ":2: no such date '2026/2/30'", "csv: 2026/2/30");
	BAD(UTF8_HEADER "2026/1/1,\"元日\n", HOLIDAYFILE_BAD,
	    ":2: bad csv quoting", "csv: open quote");
	BAD(SJIS_HEADER "2026/1/1,\x8c\xb3\x93\xfa\r\n2026/1/2,\x85\xff\r\n",
	    HOLIDAYFILE_BAD, ":3: not Shift_JIS text '2026/1/2,\\x85\\xff'",
	    "csv: bytes that are not Shift_JIS");
	BAD(SJIS_HEADER "2026-01-01 x\r\n", HOLIDAYFILE_BAD,
	    ":2: expected 2 fields (date,name), got 1",
	    "csv: a company line in the CSV");

	big = malloc(n);
	if (big == NULL)
		abort();
	memset(big, 'x', n);
	big[n - 1] = '\n';
	bad(big, n, HOLIDAYFILE_BAD, ":1: line too long", "over-long line");
	free(big);

	holidayfile_init(&set);
	TEST_OK(holidayfile_load(&set, "/nonexistent/holidays.txt", err,
	    sizeof err) == HOLIDAYFILE_IO && strcmp(err,
	    "/nonexistent/holidays.txt: cannot open: No such file or "
	    "directory") == 0, "missing file");
	/* A gzip member cut short. */
	write_file(tmp, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x33\x32",
	    12);
	TEST_OK(holidayfile_load(&set, tmp, err, sizeof err) ==
	    HOLIDAYFILE_IO && strncmp(err, tmp, strlen(tmp)) == 0 &&
	    err[strlen(tmp)] == ':' && err[strlen(tmp) + 1] == ' ',
	    "truncated gzip is an I/O error");
	printf("# truncated gzip: %s\n", err);
	TEST_OK(set.n == 0, "nothing kept from a failed load");
	holidayfile_release(&set);
}

int
main(int argc, char **argv)
{
	int fd;

	(void)argc;
	find_top(argv[0]);
	snprintf(tmp, sizeof tmp, "/tmp/csm-holidayfile-test-XXXXXX");
	if ((fd = mkstemp(tmp)) < 0)
		abort();
	close(fd);
	test_national();
	test_company();
	test_errors();
	unlink(tmp);
	return test_done();
}
