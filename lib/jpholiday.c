/*
 * jpholiday.c: computes once, into one byte per day from 1948-01-01 to
 * 2099-12-31, which days the 国民の祝日に関する法律 and the laws beside it
 * made holidays, and answers lookups from that table. Three passes, in
 * the order the law's article 3 gives: the 国民の祝日 of each year (with
 * the years each rule was in force), then 振替休日 (paragraph 2, whose
 * wording changed on 2007-01-01), then 国民の休日 (paragraph 3, since
 * 1985-12-27, also reworded in 2007). Special days off by laws of their
 * own are set in the first pass; only the two 2019 ones count as 国民の
 * 祝日 for paragraph 3, as their law says.
 */
#include <pthread.h>
#include "jpholiday.h"
#include "timeconv.h"

/* Days from 1948-01-01 to 2099-12-31: 152 years, 38 of them leap. */
#define JP_NDAYS (152 * 365 + 38)

enum {
	H_NONE, H_GANJITSU, H_SEIJIN, H_KENKOKU, H_TENNO, H_SHUNBUN,
	H_SHOWA, H_MIDORI, H_KENPO, H_KODOMO, H_UMI, H_YAMA, H_KEIRO,
	H_SHUBUN, H_TAIIKU, H_SPORTS, H_BUNKA, H_KINRO, H_FURIKAE,
	H_KOKUMIN, H_KEKKON, H_TAISO, H_SOKUIREI, H_SOKUI_2019,
	H_SOKUIREI_2019, H_COUNT
};

static const struct holiday_def {
	const char *name;
	unsigned char kind;
	unsigned char as_shukujitsu;	/* a 国民の祝日 for paragraph 3 */
} defs[H_COUNT] = {
	[H_NONE] = { NULL, JPHOLIDAY_NONE, 0 },
	[H_GANJITSU] = { "元日", JPHOLIDAY_NATIONAL, 1 },
	[H_SEIJIN] = { "成人の日", JPHOLIDAY_NATIONAL, 1 },
	[H_KENKOKU] = { "建国記念の日", JPHOLIDAY_NATIONAL, 1 },
	[H_TENNO] = { "天皇誕生日", JPHOLIDAY_NATIONAL, 1 },
	[H_SHUNBUN] = { "春分の日", JPHOLIDAY_NATIONAL, 1 },
	[H_SHOWA] = { "昭和の日", JPHOLIDAY_NATIONAL, 1 },
	[H_MIDORI] = { "みどりの日", JPHOLIDAY_NATIONAL, 1 },
	[H_KENPO] = { "憲法記念日", JPHOLIDAY_NATIONAL, 1 },
	[H_KODOMO] = { "こどもの日", JPHOLIDAY_NATIONAL, 1 },
	[H_UMI] = { "海の日", JPHOLIDAY_NATIONAL, 1 },
	[H_YAMA] = { "山の日", JPHOLIDAY_NATIONAL, 1 },
	[H_KEIRO] = { "敬老の日", JPHOLIDAY_NATIONAL, 1 },
	[H_SHUBUN] = { "秋分の日", JPHOLIDAY_NATIONAL, 1 },
	[H_TAIIKU] = { "体育の日", JPHOLIDAY_NATIONAL, 1 },
	[H_SPORTS] = { "スポーツの日", JPHOLIDAY_NATIONAL, 1 },
	[H_BUNKA] = { "文化の日", JPHOLIDAY_NATIONAL, 1 },
	[H_KINRO] = { "勤労感謝の日", JPHOLIDAY_NATIONAL, 1 },
	[H_FURIKAE] = { "振替休日", JPHOLIDAY_SUBSTITUTE, 0 },
	[H_KOKUMIN] = { "国民の休日", JPHOLIDAY_CITIZENS, 0 },
	/* The laws of 1959 and 1993 (皇太子の結婚の儀), 1989 and 1990. */
	[H_KEKKON] = { "結婚の儀", JPHOLIDAY_SPECIAL, 0 },
	[H_TAISO] = { "大喪の礼", JPHOLIDAY_SPECIAL, 0 },
	[H_SOKUIREI] = { "即位礼正殿の儀", JPHOLIDAY_SPECIAL, 0 },
	/* 平成30年法律第99号, article 2: 祝日とみなして paragraph 3 applies. */
	[H_SOKUI_2019] = { "天皇の即位の日", JPHOLIDAY_SPECIAL, 1 },
	[H_SOKUIREI_2019] = { "即位礼正殿の儀", JPHOLIDAY_SPECIAL, 1 },
};

#define EQUINOX 0	/* rule.day: the equinox day of the month */
#define MONDAY(n) (-(n))	/* rule.day: the n-th Monday of the month */

/*
 * The 国民の祝日, each in force from one year to another. Amendments:
 * 1966 (敬老の日, 体育の日; 建国記念の日 from 1967), 1989 (天皇誕生日 to
 * 12/23, みどりの日), 1995 (海の日 from 1996), 1998 and 2001 (Happy Monday:
 * 成人の日 and 体育の日 from 2000, 海の日 and 敬老の日 from 2003), 2005
 * (昭和の日, みどりの日 to 5/4, from 2007), 2014 (山の日 from 2016), 2017
 * (天皇誕生日 none in 2019, 2/23 from 2020), 2018 (スポーツの日 from 2020,
 * the 2020 Olympic dates), 2020 (the 2021 Olympic dates). Rules starting
 * in 1948 begin on 1948-07-20, when the law took effect.
 */
static const struct rule {
	unsigned char id, month;
	signed char day;	/* > 0 the day; EQUINOX; MONDAY(n) */
	short from, to;
} rules[] = {
	{ H_GANJITSU, 1, 1, 1948, 2099 },
	{ H_SEIJIN, 1, 15, 1948, 1999 },
	{ H_SEIJIN, 1, MONDAY(2), 2000, 2099 },
	{ H_KENKOKU, 2, 11, 1967, 2099 },
	{ H_TENNO, 2, 23, 2020, 2099 },
	{ H_SHUNBUN, 3, EQUINOX, 1948, 2099 },
	{ H_TENNO, 4, 29, 1948, 1988 },
	{ H_MIDORI, 4, 29, 1989, 2006 },
	{ H_SHOWA, 4, 29, 2007, 2099 },
	{ H_KENPO, 5, 3, 1948, 2099 },
	{ H_MIDORI, 5, 4, 2007, 2099 },
	{ H_KODOMO, 5, 5, 1948, 2099 },
	{ H_UMI, 7, 20, 1996, 2002 },
	{ H_UMI, 7, MONDAY(3), 2003, 2019 },
	{ H_UMI, 7, 23, 2020, 2020 },
	{ H_UMI, 7, 22, 2021, 2021 },
	{ H_UMI, 7, MONDAY(3), 2022, 2099 },
	{ H_SPORTS, 7, 24, 2020, 2020 },
	{ H_SPORTS, 7, 23, 2021, 2021 },
	{ H_YAMA, 8, 11, 2016, 2019 },
	{ H_YAMA, 8, 10, 2020, 2020 },
	{ H_YAMA, 8, 8, 2021, 2021 },
	{ H_YAMA, 8, 11, 2022, 2099 },
	{ H_KEIRO, 9, 15, 1966, 2002 },
	{ H_KEIRO, 9, MONDAY(3), 2003, 2099 },
	{ H_SHUBUN, 9, EQUINOX, 1948, 2099 },
	{ H_TAIIKU, 10, 10, 1966, 1999 },
	{ H_TAIIKU, 10, MONDAY(2), 2000, 2019 },
	{ H_SPORTS, 10, MONDAY(2), 2022, 2099 },
	{ H_BUNKA, 11, 3, 1948, 2099 },
	{ H_KINRO, 11, 23, 1948, 2099 },
	{ H_TENNO, 12, 23, 1989, 2018 },
};

/* Days off by laws of their own, one each. */
static const struct special {
	short year;
	unsigned char month, day, id;
} specials[] = {
	{ 1959, 4, 10, H_KEKKON },
	{ 1989, 2, 24, H_TAISO },
	{ 1990, 11, 12, H_SOKUIREI },
	{ 1993, 6, 9, H_KEKKON },
	{ 2019, 5, 1, H_SOKUI_2019 },
	{ 2019, 10, 22, H_SOKUIREI_2019 },
};

static unsigned char table[JP_NDAYS];
static int64_t first_day;	/* day number of 1948-01-01 */
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* 0 for Sunday .. 6 for Saturday; 1970-01-01 was a Thursday. */
static int
weekday(int64_t days)
{
	return (int)(((days % 7) + 11) % 7);
}

/*
 * The day of March (spring) or September of the equinox in Japan: the
 * almanacs' approximation floor(A + 0.242194 (y - 1980) - leap days),
 * in millionths so that no rounding of a double can move a day. Before
 * 1980 the leap-day term is (y - 1983) / 4 truncated toward zero, as the
 * formula's authors wrote it (C's division does the same).
 */
static int
equinox_day(int year, int spring)
{
	int64_t a, leaps;

	if (year < 1980) {
		a = spring ? 20835700 : 23258800;
		leaps = (year - 1983) / 4;
	} else {
		a = spring ? 20843100 : 23248800;
		leaps = (year - 1980) / 4;
	}
	return (int)((a + 242194 * (int64_t)(year - 1980) - 1000000 * leaps) /
	    1000000);
}

/* The day of the month a rule gives in year. */
static int
rule_day(const struct rule *r, int year)
{
	int w;

	if (r->day > 0)
		return r->day;
	if (r->day == EQUINOX)
		return equinox_day(year, r->month == 3);
	w = weekday(time_days_from_civil(year, r->month, 1));
	return 1 + (8 - w) % 7 + 7 * (-r->day - 1);
}

static int64_t
index_of(int year, int month, int day)
{
	return time_days_from_civil(year, month, day) - first_day;
}

static int
is_shukujitsu(unsigned char id)
{
	return defs[id].as_shukujitsu;
}

static int
is_national(unsigned char id)
{
	return defs[id].kind == JPHOLIDAY_NATIONAL;
}

/* Paragraph 2: 振替休日 for each 国民の祝日 on a Sunday from 1973-04-12. */
static void
mark_substitutes(void)
{
	int64_t from = index_of(1973, 4, 12), reworded = index_of(2007, 1, 1);
	int64_t i, j;

	for (i = from; i < JP_NDAYS; i++) {
		if (!is_national(table[i]) || weekday(first_day + i) != 0)
			continue;
		j = i + 1;
		/*
		 * Until 2006 the substitute was the next day, whatever it was
		 * (never a 国民の祝日 in those years); since 2007 it is the
		 * nearest day after that is not one (5/3 on a Sunday -> 5/6).
		 */
		if (i >= reworded)
			while (j < JP_NDAYS && is_national(table[j]))
				j++;
		if (j < JP_NDAYS && table[j] == H_NONE)
			table[j] = H_FURIKAE;
	}
}

/* Paragraph 3: 国民の休日, a day between two 国民の祝日, from 1985-12-27. */
static void
mark_citizens(void)
{
	int64_t from = index_of(1985, 12, 27), reworded = index_of(2007, 1, 1);
	int64_t i;

	for (i = from; i + 1 < JP_NDAYS; i++) {
		if (table[i] != H_NONE || !is_shukujitsu(table[i - 1]) ||
		    !is_shukujitsu(table[i + 1]))
			continue;
		/*
		 * Until 2006 a Sunday (and a 振替休日, set already) was left
		 * out; since 2007 only a 国民の祝日 is, so a Sunday between
		 * two would be one too.
		 */
		if (i < reworded && weekday(first_day + i) == 0)
			continue;
		table[i] = H_KOKUMIN;
	}
}

static void
fill_table(void)
{
	int64_t start, i;
	size_t k;
	int year;

	first_day = time_days_from_civil(JPHOLIDAY_FIRST_YEAR, 1, 1);
	start = index_of(1948, 7, 20);
	for (year = JPHOLIDAY_FIRST_YEAR; year <= JPHOLIDAY_LAST_YEAR;
	    year++) {
		for (k = 0; k < sizeof rules / sizeof rules[0]; k++) {
			if (year < rules[k].from || year > rules[k].to)
				continue;
			i = index_of(year, rules[k].month,
			    rule_day(&rules[k], year));
			if (i >= start)
				table[i] = rules[k].id;
		}
	}
	for (k = 0; k < sizeof specials / sizeof specials[0]; k++)
		table[index_of(specials[k].year, specials[k].month,
		    specials[k].day)] = specials[k].id;
	mark_substitutes();
	mark_citizens();
}

int
jpholiday_lookup_days(int64_t days, const char **name)
{
	int64_t i;
	unsigned char id;

	pthread_once(&table_once, fill_table);
	if (name != NULL)
		*name = NULL;
	/* Compared before subtracting: days may be anything. */
	if (days < first_day || days >= first_day + JP_NDAYS)
		return -1;
	i = days - first_day;
	id = table[i];
	if (name != NULL)
		*name = defs[id].name;
	return defs[id].kind;
}

int
jpholiday_lookup(int year, int month, int day, const char **name)
{
	if (name != NULL)
		*name = NULL;
	if (year < JPHOLIDAY_FIRST_YEAR || year > JPHOLIDAY_LAST_YEAR ||
	    !time_date_valid(year, month, day))
		return -1;
	return jpholiday_lookup_days(time_days_from_civil(year, month, day),
	    name);
}
