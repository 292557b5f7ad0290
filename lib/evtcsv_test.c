/*
 * evtcsv_test.c: the Event Viewer CSV text layer and words: UTF-16 lines
 * cut by the reader at 0x0A bytes inside characters and joined again,
 * CP932 and its late detection, the locale's dates, the labels that
 * name message fields, and the message read by them: a label repeated
 * where Windows writes it once (a value spelling a line of its own)
 * leaves its field empty.
 */
#include <stdlib.h>
#include "evtcsv.h"
#include "test.h"
#include "timeconv.h"
#include "winevt.h"

/*
 * Feeds in to d cut into lines as lib/input.c cuts them (at each LF
 * byte, one CR before it dropped); returns the UTF-8 written to out. The
 * length of the first line's output goes to *first.
 */
static size_t
decode_all(struct evtcsv_dec *d, const char *in, size_t n, char *out,
    size_t *first)
{
	size_t at = 0, o = 0;
	int line = 0;

	while (at < n) {
		const char *nl = memchr(in + at, '\n', n - at);
		size_t end = nl ? (size_t)(nl - in) : n;
		struct slice l = slice_make(in + at, end - at);

		if (nl && l.n && l.p[l.n - 1] == '\r')
			l.n--;
		if (line++ == 0)
			l = slice_from(l, evtcsv_dec_start(d, l));
		o += evtcsv_dec_line(d, l, out + o);
		if (line == 1 && first)
			*first = o;
		at = nl ? end + 1 : n;
	}
	return o;
}

static void
test_utf16(void)
{
	struct evtcsv_dec d;
	char out[256];
	size_t n, first;
	/* BOM, "レベル" CR LF "上" CR LF: 上 is 0A 4E, cut by the reader. */
	static const char le[] = "\xff\xfe\xec\x30\xd9\x30\xeb\x30\r\0\n\0"
	    "\x0a\x4e\r\0\n\0";
	/* "a" LF "b" LF with no CR: each LF ends on the next line. */
	static const char bare[] = "\xff\xfe" "a\0\n\0b\0\n\0";
	/* U+20B0A as a surrogate pair (42 D8 0A DF), cut in two. */
	static const char pair[] = "\xff\xfe\x42\xd8\x0a\xdf" "x\0";
	/* Big endian "上" LF: the LF's 0A ends the reader's line. */
	static const char be[] = "\xfe\xff\x4e\x0a\0\n";
	static const char lone[] = "\xff\xfe\x00\xdc" "z\0";
	/* CR and then U+4E0A: the LF taken early is one too many. */
	static const char crup[] = "\xff\xfe\r\0\x0a\x4e" "z\0";

	evtcsv_dec_init(&d);
	n = decode_all(&d, le, sizeof le - 1, out, &first);
	TEST_OK(d.enc == EVTCSV_UTF16LE, "UTF-16LE by its BOM");
	TEST_BYTES(out, n, "レベル\r\n上\r\n", "UTF-16LE joined at 0x0A");
	TEST_BYTES(out, first, "レベル\r\n", "CR LF ends the line it is on");
	evtcsv_dec_release(&d);

	evtcsv_dec_init(&d);
	n = decode_all(&d, bare, sizeof bare - 1, out, &first);
	TEST_BYTES(out, n, "a\nb\n", "bare LF in UTF-16LE");
	TEST_BYTES(out, first, "a", "a bare LF waits for its second byte");
	evtcsv_dec_release(&d);

	evtcsv_dec_init(&d);
	n = decode_all(&d, pair, sizeof pair - 1, out, NULL);
	TEST_BYTES(out, n, "\xf0\xa0\xac\x8ax", "surrogate pair cut in two");
	evtcsv_dec_release(&d);

	evtcsv_dec_init(&d);
	n = decode_all(&d, be, sizeof be - 1, out, NULL);
	TEST_OK(d.enc == EVTCSV_UTF16BE, "UTF-16BE by its BOM");
	TEST_BYTES(out, n, "上\n", "UTF-16BE joined at 0x0A");
	evtcsv_dec_release(&d);

	evtcsv_dec_init(&d);
	n = decode_all(&d, lone, sizeof lone - 1, out, NULL);
	TEST_BYTES(out, n, "\xef\xbf\xbdz", "lone low surrogate is U+FFFD");
	evtcsv_dec_release(&d);

	evtcsv_dec_init(&d);
	n = decode_all(&d, crup, sizeof crup - 1, out, NULL);
	TEST_BYTES(out, n, "\r\n上z", "CR then U+4E0A stays aligned");
	evtcsv_dec_release(&d);

	/* A line lost by the reader: the next starts after an LF's 0A. */
	evtcsv_dec_init(&d);
	(void)evtcsv_dec_start(&d, SLICE_LIT("\xff\xfe"));
	evtcsv_dec_lost_line(&d);
	n = evtcsv_dec_line(&d, SLICE_LIT("\0" "A\0"), out);
	TEST_BYTES(out, n, "\nA", "after a lost line");
	evtcsv_dec_release(&d);
}

static void
test_cp932(void)
{
	struct evtcsv_dec d;
	char out[256];
	size_t n;
	/* "レベル,日付" and then a byte that is no CP932. */
	static const char sj[] = "\x83\x8c\x83\x78\x83\x8b,\x93\xfa\x95\x74"
	    "\n\x81\n";
	static const char late[] = "Level,Date\n\x8f\xee\x95\xf1\n";

	evtcsv_dec_init(&d);
	n = decode_all(&d, sj, sizeof sj - 1, out, NULL);
	TEST_OK(d.enc == EVTCSV_CP932, "CP932 when not UTF-8");
	TEST_BYTES(out, n, "レベル,日付\n\xef\xbf\xbd\n", "CP932 to UTF-8");
	evtcsv_dec_release(&d);

	evtcsv_dec_init(&d);
	n = decode_all(&d, late, sizeof late - 1, out, NULL);
	TEST_BYTES(out, n, "Level,Date\n情報\n",
	    "ASCII header, CP932 found later");
	evtcsv_dec_release(&d);

	evtcsv_dec_init(&d);
	n = decode_all(&d, "\xef\xbb\xbfok\n", 6, out, NULL);
	TEST_OK(d.enc == EVTCSV_UTF8, "UTF-8 by its BOM");
	TEST_BYTES(out, n, "ok\n", "UTF-8 BOM dropped");
	evtcsv_dec_release(&d);
}

/* Parses s; returns the wall clock or -1. */
static int64_t
date(const char *s, int *dayfirst)
{
	int64_t wall;

	return evtcsv_parse_date(slice_cstr(s), dayfirst, &wall) == 0 ?
	    wall : -1;
}

static void
test_dates(void)
{
	int64_t t = time_utc_seconds(2023, 1, 15, 9, 3, 12);
	int df = 0;

	TEST_OK(date("2023/01/15 9:03:12", &df) == t, "ja-JP y/m/d");
	TEST_OK(date("2023/1/15 9:03:12", &df) == t, "ja-JP unpadded month");
	TEST_OK(date("1/15/2023 9:03:12 AM", &df) == t, "en-US with AM");
	TEST_OK(date("15.01.2023 09:03:12", &df) == t, "de-DE dotted");
	TEST_OK(date("2023-01-15 09:03:12", &df) == t, "ISO dashed");
	TEST_OK(date("2023/01/15 午前 9:03:12", &df) == t, "ja-JP 午前");
	TEST_OK(date("2023/01/15 午後 9:03:12", &df) == t + 12 * 3600,
	    "ja-JP 午後");
	TEST_OK(date("1/15/2023 12:03:12 AM", &df) == t - 9 * 3600,
	    "12 AM is midnight");
	TEST_OK(date("1/15/2023 12:03:12 PM", &df) == t + 3 * 3600,
	    "12 PM is noon");
	TEST_OK(date("1/15/2023 13:03:12 PM", &df) < 0, "13 PM rejected");
	TEST_OK(date("2023/02/30 9:03:12", &df) < 0, "no such day");
	TEST_OK(date("2023/01/15", &df) < 0, "date without time");
	TEST_OK(date("2023/01/15 9:03:12 +09:00", &df) < 0, "trailing junk");
	TEST_OK(date("2023/01/15 9:3:12", &df) < 0, "one-digit minute");
	TEST_OK(df == 0 && date("02/01/2023 9:03:12", &df) ==
	    time_utc_seconds(2023, 2, 1, 9, 3, 12), "slashed: month first");
	TEST_OK(date("15/01/2023 9:03:12", &df) == t && df == 1,
	    "a day over 12 shows day first");
	TEST_OK(date("02/01/2023 9:03:12", &df) ==
	    time_utc_seconds(2023, 1, 2, 9, 3, 12), "then day first stays");
}

static void
test_labels(void)
{
	int s = evtcsv_section(SLICE_LIT("New Logon"));
	const char *n;

	TEST_OK(s > 0, "New Logon is a section");
	n = evtcsv_field(s, SLICE_LIT("Account Name"));
	TEST_OK(n && strcmp(n, "TargetUserName") == 0,
	    "New Logon's Account Name is TargetUserName");
	n = evtcsv_field(evtcsv_section(SLICE_LIT("Subject")),
	    SLICE_LIT("Account Name"));
	TEST_OK(n && strcmp(n, "SubjectUserName") == 0,
	    "Subject's Account Name is SubjectUserName");
	n = evtcsv_field(evtcsv_section(SLICE_LIT("ネットワーク情報")),
	    SLICE_LIT("ソース ネットワーク アドレス"));
	TEST_OK(n && strcmp(n, "IpAddress") == 0, "Japanese source address");
	n = evtcsv_field(evtcsv_section(SLICE_LIT("メンバ")),
	    SLICE_LIT("アカウント名"));
	TEST_OK(n && strcmp(n, "MemberName") == 0, "older Japanese member");
	TEST_OK(evtcsv_field(EVTCSV_TOP, SLICE_LIT("Account Name")) == NULL,
	    "Account Name needs a heading");
	TEST_OK(evtcsv_field(s, SLICE_LIT("Linked Logon ID")) == NULL,
	    "a label not kept");
	TEST_OK(evtcsv_section(SLICE_LIT("Impersonation Level")) ==
	    EVTCSV_UNKNOWN, "unknown heading");
	TEST_OK(evtcsv_field(EVTCSV_UNKNOWN, SLICE_LIT("Logon ID")) == NULL,
	    "nothing under an unknown heading");
	TEST_OK(evtcsv_column(SLICE_LIT("イベント ID")) ==
	    EVTCSV_COL_EVENT_ID, "Japanese Event ID column");
	TEST_OK(evtcsv_column(SLICE_LIT("date and time")) == EVTCSV_COL_DATE,
	    "column names ignore ASCII case");
	TEST_OK(evtcsv_column(SLICE_LIT("User")) == EVTCSV_COL_OTHER,
	    "other column");
	TEST_OK(evtcsv_audit(SLICE_LIT("Audit Failure")) == -1 &&
	    evtcsv_audit(SLICE_LIT("成功の監査")) == 1 &&
	    evtcsv_audit(SLICE_LIT("Classic,Audit Success")) == 1 &&
	    evtcsv_audit(SLICE_LIT("Information")) == 0, "audit keywords");
}

/* Whether field name of r reads want (NULL: that it is absent). */
static int
has(const struct winevt_rec *r, const char *name, const char *want)
{
	struct slice v = winevt_get(r, name);

	return want == NULL ? v.p == NULL : slice_eq(v, want);
}

static void
test_message(void)
{
	static struct winevt_rec r;
	static const char plain[] =
	    "An account was successfully logged on.\n\n"
	    "Subject:\n\tAccount Name:\t\tWEB01$\n\n"
	    "Logon Information:\n\tLogon Type:\t\t3\n\n"
	    "New Logon:\n\tAccount Name:\t\tsato\n\n"
	    "Network Information:\n\tWorkstation Name:\tPC01\n"
	    "\tSource Network Address:\t10.1.20.35\n";
	/* A workstation name holding a line of its own. */
	static const char same_section[] =
	    "Logon Information:\n\tLogon Type:\t\t3\n\n"
	    "Network Information:\n\tWorkstation Name:\tPC01\n"
	    "\tSource Network Address:\t10.0.0.1\n"
	    "\tSource Network Address:\t10.1.20.35\n"
	    "\tSource Port:\t\t51514\n";
	/* A user name holding a heading and a label under it. */
	static const char other_heading[] =
	    "Account For Which Logon Failed:\n\tAccount Name:\t\tadmin\n"
	    "Logon Information:\n\tLogon Type:\t\t2\n\n"
	    "Logon Information:\n\tLogon Type:\t\t3\n"
	    "\t\t\t(continued)\n";

	winevt_rec_clear(&r);
	TEST_OK(evtcsv_message(SLICE_LIT(plain), &r) == 0 &&
	    has(&r, "SubjectUserName", "WEB01$") &&
	    has(&r, "TargetUserName", "sato") &&
	    has(&r, "IpAddress", "10.1.20.35"),
	    "Account Name under two headings is no repeat");
	winevt_rec_clear(&r);
	TEST_OK(evtcsv_message(SLICE_LIT(same_section), &r) == 1 &&
	    has(&r, "IpAddress", "") && has(&r, "LogonType", "3") &&
	    has(&r, "WorkstationName", "PC01") && has(&r, "IpPort", "51514"),
	    "a label twice under one heading: that field left empty");
	winevt_rec_clear(&r);
	TEST_OK(evtcsv_message(SLICE_LIT(other_heading), &r) == 1 &&
	    has(&r, "LogonType", "") && has(&r, "TargetUserName", "admin"),
	    "a heading repeated with its label: empty, and no line after "
	    "continues it");
}

int
main(void)
{
	test_utf16();
	test_cp932();
	test_dates();
	test_labels();
	test_message();
	return test_done();
}
