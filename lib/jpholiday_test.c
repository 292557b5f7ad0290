/*
 * jpholiday_test.c: the calculator against the Cabinet Office's list
 * (testdata/calendar/syukujitsu.csv, Shift_JIS) day by day over the whole
 * years it covers, 1955-2027, names included; the equinox days of every
 * year against an ephemeris; the rule changes at their edges; and a few
 * structural cases after 2027. The list is read here with its own small
 * parser, not with holidayfile, so that neither module vouches for itself.
 */
#include <iconv.h>
#include <stdlib.h>
#include "jpholiday.h"
#include "num.h"
#include "timeconv.h"
#include "test.h"

#define CSV_FIRST 1955
#define CSV_LAST 2027
#define CSV_YEARS (CSV_LAST - CSV_FIRST + 1)

static const char *csvname[CSV_YEARS][12][31];
static char names[65536];	/* the list's names in UTF-8, NUL-ended */
static size_t names_used;

/* The checkout's top: argv[0] is TOP/BUILD/test/NAME under runtests. */
static void
find_top(const char *argv0, char *top, size_t cap)
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
		snprintf(top, cap, ".");
	else
		snprintf(top, cap, "%.*s", (int)n, argv0);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	if (f == NULL || buf == NULL) {
		printf("# cannot read %s\n", path);
		if (f != NULL)
			fclose(f);
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* Parses "Y/M/D" of at most 4, 2 and 2 digits. */
static int
parse_date(struct slice s, int *y, int *m, int *d)
{
	uint64_t v[3];
	long k;
	int i;

	for (i = 0; i < 3; i++) {
		k = i < 2 ? slice_find(s, '/') : (long)s.n;
		if (k < 0 || num_parse_u64(slice_make(s.p, (size_t)k), 9999,
		    &v[i]) != 0)
			return -1;
		s = slice_from(s, (size_t)k + 1);
	}
	*y = (int)v[0];
	*m = (int)v[1];
	*d = (int)v[2];
	return time_date_valid(*y, *m, *d) ? 0 : -1;
}

/* Reads the list into csvname[]; returns the rows, or -1. */
static int
load_csv(const char *path)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	size_t len, off = 0, inleft, outleft;
	char *buf = read_file(path, &len), *in, *out, *nl;
	struct slice line, date;
	int rows = 0, y, m, d;
	long comma;

	if (cd == (iconv_t)-1 || buf == NULL)
		return -1;
	while (off < len) {
		nl = memchr(buf + off, '\n', len - off);
		line = slice_make(buf + off, nl ? (size_t)(nl - buf) - off :
		    len - off);
		off += line.n + 1;
		if (line.n > 0 && line.p[line.n - 1] == '\r')
			line.n--;
		if (line.p == buf)	/* the header */
			continue;
		if ((comma = slice_find(line, ',')) < 0)
			return -1;
		date = slice_make(line.p, (size_t)comma);
		if (parse_date(date, &y, &m, &d) != 0 || y < CSV_FIRST ||
		    y > CSV_LAST || csvname[y - CSV_FIRST][m - 1][d - 1])
			return -1;
		in = (char *)line.p + comma + 1;
		inleft = line.n - (size_t)comma - 1;
		out = names + names_used;
		outleft = sizeof names - names_used - 1;
		if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1)
			return -1;
		*out++ = '\0';
		csvname[y - CSV_FIRST][m - 1][d - 1] = names + names_used;
		names_used = (size_t)(out - names);
		rows++;
	}
	iconv_close(cd);
	free(buf);
	return rows;
}

static int
is_one_of_specials(const char *name)
{
	return strcmp(name, "結婚の儀") == 0 ||
	    strcmp(name, "大喪の礼") == 0 ||
	    strcmp(name, "即位礼正殿の儀") == 0;
}

/*
 * How the list's names map to ours: its "休日" is our 振替休日 or 国民の
 * 休日; its "休日（祝日扱い）" the two 2019 days, which we name after
 * their law; "体育の日（スポーツの日）" (2019, the year before the rename)
 * is 体育の日; every other name is ours exactly.
 */
static int
name_matches(const char *csv, int kind, const char *name)
{
	if (strcmp(csv, "休日") == 0)
		return kind == JPHOLIDAY_SUBSTITUTE ||
		    kind == JPHOLIDAY_CITIZENS;
	if (strcmp(csv, "休日（祝日扱い）") == 0)
		return kind == JPHOLIDAY_SPECIAL &&
		    (strcmp(name, "天皇の即位の日") == 0 ||
		    strcmp(name, "即位礼正殿の儀") == 0);
	if (strcmp(csv, "体育の日（スポーツの日）") == 0)
		return kind == JPHOLIDAY_NATIONAL &&
		    strcmp(name, "体育の日") == 0;
	return strcmp(csv, name) == 0 && kind == (is_one_of_specials(csv) ?
	    JPHOLIDAY_SPECIAL : JPHOLIDAY_NATIONAL);
}

/* Day by day over the list's years, both ways. */
static void
compare_with_csv(void)
{
	int y, m, d, kind, kind2, missing = 0, extra = 0, badname = 0;
	int differ = 0, days = 0;
	const char *csv, *name, *name2;

	for (y = CSV_FIRST; y <= CSV_LAST; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= 31; d++) {
				if (!time_date_valid(y, m, d))
					continue;
				days++;
				csv = csvname[y - CSV_FIRST][m - 1][d - 1];
				kind = jpholiday_lookup(y, m, d, &name);
				kind2 = jpholiday_lookup_days(
				    time_days_from_civil(y, m, d), &name2);
				if (kind != kind2 || name != name2)
					differ++;
				if (csv != NULL && kind <= 0) {
					missing++;
					printf("# listed, not computed: "
					    "%d-%02d-%02d %s\n", y, m, d, csv);
				} else if (csv == NULL && kind != 0) {
					extra++;
					printf("# computed, not listed: "
					    "%d-%02d-%02d %s\n", y, m, d,
					    name ? name : "(none)");
				} else if (csv != NULL &&
				    !name_matches(csv, kind, name)) {
					badname++;
					printf("# name: %d-%02d-%02d list %s, "
					    "computed %s\n", y, m, d, csv,
					    name);
				}
			}
	TEST_OK(days == 26663, "26663 days compared (1955-01-01..2027-12-31)");
	TEST_OK(missing == 0, "every listed date is a holiday");
	TEST_OK(extra == 0, "every day not listed is no holiday");
	TEST_OK(badname == 0, "names agree with the list's");
	TEST_OK(differ == 0, "lookup by date and by day number agree");
}

/*
 * Spring and autumn equinox days in Japan (JST) for 1948-2099, four
 * digits a year, from PyEphem 4.1.4 (libastro, VSOP87):
 * ephem.next_equinox(year/3/1 and year/9/1) + 9 h. The closest calls
 * are 2074-09-23 00:02 and 2012-09-22 23:49 JST.
 */
static const char ephemeris[] =
    "2123212321232124212321232123212421232123"
    "2123212420232123212321242023212321232124"
    "2023212321232124202321232123212420232123"
    "2123212420232123212321232023212321232123"
    "2023212321232123202320232123212320232023"
    "2123212320232023212321232023202321232123"
    "2023202321232123202220232123212320222023"
    "2123212320222023212321232022202320232123"
    "2022202320232123202220232023212320222023"
    "2023212320222023202321232022202220232123"
    "2022202220232123202220222023212320222022"
    "2023202320222022202320232022202220232023"
    "2022202220232023202220222023202320222022"
    "2022202320222022202220232022202220222023"
    "2022202220222023192220222022202319222022"
    "20222023";

static void
compare_equinoxes(void)
{
	const char *p, *name;
	int y, d, bad = 0;

	TEST_OK(sizeof ephemeris - 1 == 4 * (2099 - 1948 + 1),
	    "ephemeris table has every year");
	for (y = 1948; y <= 2099; y++) {
		p = ephemeris + 4 * (y - 1948);
		d = (p[0] - '0') * 10 + (p[1] - '0');
		/* 1948's spring came before the law. */
		if (y > 1948 && (jpholiday_lookup(y, 3, d, &name) !=
		    JPHOLIDAY_NATIONAL || strcmp(name, "春分の日") != 0)) {
			bad++;
			printf("# spring %d: 3-%02d not 春分の日\n", y, d);
		}
		d = (p[2] - '0') * 10 + (p[3] - '0');
		if (jpholiday_lookup(y, 9, d, &name) != JPHOLIDAY_NATIONAL ||
		    strcmp(name, "秋分の日") != 0) {
			bad++;
			printf("# autumn %d: 9-%02d not 秋分の日\n", y, d);
		}
	}
	TEST_OK(bad == 0, "equinox days agree with the ephemeris 1948-2099");
}

/* Checks one date's kind and name (name NULL: none expected). */
static void
check(int y, int m, int d, int want_kind, const char *want_name,
    const char *what)
{
	const char *name;
	int kind = jpholiday_lookup(y, m, d, &name);

	TEST_OK(kind == want_kind && (want_name == NULL ? name == NULL :
	    name != NULL && strcmp(name, want_name) == 0), what);
}

static void
check_rules(void)
{
	const char *name = "x";

	/* The window and bad dates. */
	TEST_OK(jpholiday_lookup(1947, 12, 31, &name) == -1 && name == NULL,
	    "1947 is outside the window");
	TEST_OK(jpholiday_lookup(2100, 1, 1, &name) == -1,
	    "2100 is outside the window");
	TEST_OK(jpholiday_lookup(2026, 2, 30, &name) == -1,
	    "2026-02-30 does not exist");
	TEST_OK(jpholiday_lookup(2026, 13, 1, NULL) == -1, "month 13");
	TEST_OK(jpholiday_lookup_days(time_days_from_civil(1947, 12, 31),
	    NULL) == -1, "day number before the window");
	TEST_OK(jpholiday_lookup_days(time_days_from_civil(2100, 1, 1),
	    NULL) == -1, "day number after the window");
	TEST_OK(jpholiday_lookup_days(INT64_MAX, &name) == -1 &&
	    name == NULL && jpholiday_lookup_days(INT64_MIN, NULL) == -1,
	    "extreme day numbers");
	check(2099, 12, 31, JPHOLIDAY_NONE, NULL, "2099-12-31 in the window");
	check(2026, 11, 24, JPHOLIDAY_NONE, NULL, "a plain Tuesday");

	/* 1948, the law's first year, before the list begins. */
	check(1948, 5, 5, JPHOLIDAY_NONE, NULL, "1948-05-05 before the law");
	check(1948, 7, 20, JPHOLIDAY_NONE, NULL, "the law's first day");
	check(1948, 9, 23, JPHOLIDAY_NATIONAL, "秋分の日", "1948 autumn");
	check(1948, 11, 3, JPHOLIDAY_NATIONAL, "文化の日", "first 文化の日");
	check(1949, 1, 15, JPHOLIDAY_NATIONAL, "成人の日", "first 成人の日");
	check(1949, 4, 29, JPHOLIDAY_NATIONAL, "天皇誕生日", "1949 4/29");
	check(1950, 4, 29, JPHOLIDAY_NATIONAL, "天皇誕生日",
	    "Sunday 4/29 1950: no substitute yet");
	check(1950, 4, 30, JPHOLIDAY_NONE, NULL, "no 振替休日 in 1950");

	/* 振替休日: its first day, the old and the 2007 rule. */
	check(1973, 4, 30, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "first 振替休日 1973-04-30");
	check(1987, 5, 4, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "1987: 5/3 Sunday -> 5/4 振替, not 国民の休日");
	check(1986, 5, 4, JPHOLIDAY_NONE, NULL,
	    "1986: Sunday 5/4 not a 国民の休日 before 2007");
	check(2008, 5, 6, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2008: Sunday みどりの日 -> 5/6");
	check(2015, 5, 6, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2015: Sunday 憲法記念日 skips two 祝日 -> 5/6");
	check(2036, 5, 6, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2036: Sunday 5/4 -> 5/6");
	check(2037, 5, 6, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2037: Sunday 5/3 -> 5/6");
	check(2029, 4, 30, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2029: Sunday 昭和の日 -> 4/30");
	check(2031, 2, 24, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2031: Sunday 天皇誕生日 -> 2/24");
	check(2034, 1, 2, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2034: Sunday 元日 -> 1/2");
	check(2041, 8, 12, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2041: Sunday 山の日 -> 8/12");

	/* 国民の休日. */
	check(1988, 5, 4, JPHOLIDAY_CITIZENS, "国民の休日",
	    "first 国民の休日 1988-05-04");
	check(2009, 9, 22, JPHOLIDAY_CITIZENS, "国民の休日", "2009 9/22");
	check(2026, 9, 22, JPHOLIDAY_CITIZENS, "国民の休日", "2026 9/22");
	check(2032, 9, 21, JPHOLIDAY_CITIZENS, "国民の休日",
	    "2032: 9/20 敬老の日, 9/22 秋分の日 -> 9/21");
	check(2037, 9, 22, JPHOLIDAY_CITIZENS, "国民の休日",
	    "2037: 9/21 敬老の日, 9/23 秋分の日 -> 9/22");
	check(2028, 9, 19, JPHOLIDAY_NONE, NULL,
	    "2028: 9/18 敬老の日 and 9/22 秋分の日 leave 9/19 alone");

	/* Renames and moves at their edges. */
	check(1988, 12, 23, JPHOLIDAY_NONE, NULL, "12/23 not yet in 1988");
	check(1989, 4, 29, JPHOLIDAY_NATIONAL, "みどりの日", "1989 4/29");
	check(1989, 12, 23, JPHOLIDAY_NATIONAL, "天皇誕生日", "1989 12/23");
	check(2006, 4, 29, JPHOLIDAY_NATIONAL, "みどりの日", "2006 4/29");
	check(2007, 4, 29, JPHOLIDAY_NATIONAL, "昭和の日", "2007 4/29");
	check(2007, 5, 4, JPHOLIDAY_NATIONAL, "みどりの日", "2007 5/4");
	check(2018, 12, 23, JPHOLIDAY_NATIONAL, "天皇誕生日", "2018 12/23");
	check(2019, 12, 23, JPHOLIDAY_NONE, NULL, "no 天皇誕生日 in 2019");
	check(2020, 2, 23, JPHOLIDAY_NATIONAL, "天皇誕生日", "2020 2/23");
	check(2019, 2, 23, JPHOLIDAY_NONE, NULL, "2/23 not yet in 2019");
	check(1995, 7, 20, JPHOLIDAY_NONE, NULL, "no 海の日 in 1995");
	check(1996, 7, 20, JPHOLIDAY_NATIONAL, "海の日", "first 海の日");
	check(2003, 7, 21, JPHOLIDAY_NATIONAL, "海の日", "2003 3rd Monday");
	check(2015, 8, 11, JPHOLIDAY_NONE, NULL, "no 山の日 in 2015");
	check(2016, 8, 11, JPHOLIDAY_NATIONAL, "山の日", "first 山の日");
	check(1999, 1, 15, JPHOLIDAY_NATIONAL, "成人の日", "1999 1/15");
	check(2000, 1, 10, JPHOLIDAY_NATIONAL, "成人の日", "2000 2nd Monday");
	check(2000, 1, 15, JPHOLIDAY_NONE, NULL, "2000 1/15 no more");
	check(1999, 10, 10, JPHOLIDAY_NATIONAL, "体育の日", "1999 10/10");
	check(2000, 10, 9, JPHOLIDAY_NATIONAL, "体育の日", "2000 2nd Monday");
	check(2002, 9, 15, JPHOLIDAY_NATIONAL, "敬老の日", "2002 9/15");
	check(2003, 9, 15, JPHOLIDAY_NATIONAL, "敬老の日",
	    "2003 3rd Monday is 9/15");
	check(2004, 9, 20, JPHOLIDAY_NATIONAL, "敬老の日", "2004 3rd Monday");
	check(1966, 9, 15, JPHOLIDAY_NATIONAL, "敬老の日", "first 敬老の日");
	check(1966, 2, 11, JPHOLIDAY_NONE, NULL, "no 建国記念の日 in 1966");
	check(1967, 2, 11, JPHOLIDAY_NATIONAL, "建国記念の日",
	    "first 建国記念の日");
	check(2022, 10, 10, JPHOLIDAY_NATIONAL, "スポーツの日",
	    "2022 スポーツの日 on the 2nd Monday");

	/* The one-off days and the Olympic years. */
	check(1959, 4, 10, JPHOLIDAY_SPECIAL, "結婚の儀", "1959-04-10");
	check(1989, 2, 24, JPHOLIDAY_SPECIAL, "大喪の礼", "1989-02-24");
	check(1990, 11, 12, JPHOLIDAY_SPECIAL, "即位礼正殿の儀",
	    "1990-11-12");
	check(1993, 6, 9, JPHOLIDAY_SPECIAL, "結婚の儀", "1993-06-09");
	check(2019, 4, 30, JPHOLIDAY_CITIZENS, "国民の休日", "2019-04-30");
	check(2019, 5, 1, JPHOLIDAY_SPECIAL, "天皇の即位の日", "2019-05-01");
	check(2019, 5, 2, JPHOLIDAY_CITIZENS, "国民の休日", "2019-05-02");
	check(2019, 5, 6, JPHOLIDAY_SUBSTITUTE, "振替休日", "2019-05-06");
	check(2019, 10, 22, JPHOLIDAY_SPECIAL, "即位礼正殿の儀",
	    "2019-10-22");
	check(2020, 7, 20, JPHOLIDAY_NONE, NULL, "2020: 海の日 moved away");
	check(2020, 7, 23, JPHOLIDAY_NATIONAL, "海の日", "2020 海の日");
	check(2020, 7, 24, JPHOLIDAY_NATIONAL, "スポーツの日",
	    "2020 スポーツの日");
	check(2020, 10, 12, JPHOLIDAY_NONE, NULL, "2020: no October holiday");
	check(2020, 8, 10, JPHOLIDAY_NATIONAL, "山の日", "2020 山の日");
	check(2021, 7, 22, JPHOLIDAY_NATIONAL, "海の日", "2021 海の日");
	check(2021, 7, 23, JPHOLIDAY_NATIONAL, "スポーツの日",
	    "2021 スポーツの日");
	check(2021, 8, 9, JPHOLIDAY_SUBSTITUTE, "振替休日",
	    "2021: 山の日 on Sunday 8/8 -> 8/9");
	check(2021, 10, 11, JPHOLIDAY_NONE, NULL, "2021: no October holiday");
}

int
main(int argc, char **argv)
{
	char top[1024], path[1200];
	int rows;

	(void)argc;
	find_top(argv[0], top, sizeof top);
	snprintf(path, sizeof path, "%s/testdata/calendar/syukujitsu.csv",
	    top);
	rows = load_csv(path);
	TEST_OK(rows == 1067, "syukujitsu.csv has 1067 rows");
	if (rows > 0)
		compare_with_csv();
	compare_equinoxes();
	check_rules();
	return test_done();
}
