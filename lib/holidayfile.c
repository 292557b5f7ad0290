/*
 * holidayfile.c: reads holiday lists into a sorted array of (day, name)
 * for binary search. Each file goes through the shared reader (so gzip
 * works), its first line decides between the Cabinet Office's CSV (by its
 * header, Shift_JIS converted with iconv) and the company format, and
 * every line is either understood or ends the load with its file:line:
 * a holiday list that is silently half-read would make working days look
 * like days off, or the other way round. The files come from the user,
 * not from attackers, but their bytes are still escaped before they reach
 * a message, and names must be clean UTF-8 because they end up in TSV.
 */
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "csvrow.h"
#include "diag.h"
#include "holidayfile.h"
#include "input.h"
#include "num.h"
#include "timeconv.h"

/* The header row of syukujitsu.csv, field by field, in UTF-8. */
#define HEADER_DATE "国民の祝日・休日月日"
#define HEADER_NAME "国民の祝日・休日名称"

struct loader {
	struct holidayfile *set;
	const char *path;
	uint64_t lineno;	/* 0 before the first line */
	char *err;
	size_t errcap;
	int csv;		/* reading the Cabinet Office's CSV */
	iconv_t cd;		/* CP932 to UTF-8 when it is Shift_JIS */
	struct csvrow *row;
	char *conv;		/* the line converted to UTF-8 */
	size_t convcap;
};

/* Writes "path:line: reason" (or "path: reason") to err; returns status. */
static int
fail(struct loader *ld, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct loader *ld, int status, const char *fmt, ...)
{
	char path[DIAG_NAME_MAX];
	va_list ap;
	int n;

	if (ld->errcap == 0)
		return status;
	diag_escape(path, sizeof path, slice_cstr(ld->path));
	if (status == HOLIDAYFILE_BAD)
		n = snprintf(ld->err, ld->errcap, "%s:%llu: ", path,
		    (unsigned long long)ld->lineno);
	else
		n = snprintf(ld->err, ld->errcap, "%s: ", path);
	if (n >= 0 && (size_t)n < ld->errcap) {
		va_start(ap, fmt);
		vsnprintf(ld->err + n, ld->errcap - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* One or two digits at s.p[*i], advancing *i past them. */
static int
take_number(struct slice s, size_t *i, int *v)
{
	size_t start = *i;

	while (*i < s.n && *i - start < 3 && s.p[*i] >= '0' && s.p[*i] <= '9')
		(*i)++;
	if (*i - start < 1 || *i - start > 2)
		return -1;
	return num_parse_digits(s.p + start, *i - start, v);
}

/*
 * Parses YYYY-MM-DD or YYYY/M/D (one separator throughout) into a day
 * number. Returns 0, -1 for any other text, -2 for a date that does not
 * exist (2026-02-30).
 */
static int
parse_date(struct slice s, int64_t *days)
{
	int y, m, d;
	size_t i = 5;
	char sep;

	if (s.n < 8 || num_parse_digits(s.p, 4, &y) != 0)
		return -1;
	sep = s.p[4];
	if ((sep != '-' && sep != '/') || take_number(s, &i, &m) != 0 ||
	    i >= s.n || s.p[i++] != sep || take_number(s, &i, &d) != 0 ||
	    i != s.n)
		return -1;
	if (!time_date_valid(y, m, d))
		return -2;
	*days = time_days_from_civil(y, m, d);
	return 0;
}

/* Reports a date parse_date refused. */
static int
bad_date(struct loader *ld, int why, struct slice s)
{
	char q[200];

	return fail(ld, HOLIDAYFILE_BAD, "%s '%s'", why == -2 ?
	    "no such date" : "bad date", diag_quote(q, sizeof q, s));
}

/*
 * Why a name cannot be kept, or NULL: it must be UTF-8 (shortest forms,
 * no surrogates) without control characters other than TAB.
 */
static const char *
name_problem(struct slice s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, k, len;
	uint32_t c;

	while (i < s.n) {
		c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return "control character in name";
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			c &= 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			c &= 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			c &= 0x07;
		} else
			return "name is not UTF-8";
		if (s.n - i < len)
			return "name is not UTF-8";
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return "name is not UTF-8";
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return "name is not UTF-8";
		if (c >= 0x80 && c <= 0x9f)
			return "control character in name";
		i += len;
	}
	return NULL;
}

/* Adds the days a..b with one name. */
static int
add_days(struct loader *ld, int64_t a, int64_t b, struct slice name)
{
	struct holidayfile *set = ld->set;
	const char *why = name_problem(name);
	size_t count = (size_t)(b - a + 1), cap;
	char q[200], *names;
	struct holidayfile_day *v;
	uint32_t off;

	if (why != NULL)
		return fail(ld, HOLIDAYFILE_BAD, "%s '%s'", why,
		    diag_quote(q, sizeof q, name));
	if (set->names_len + name.n + 1 > set->names_cap) {
		cap = set->names_cap ? set->names_cap : 4096;
		while (cap < set->names_len + name.n + 1)
			cap *= 2;
		if (cap > UINT32_MAX ||
		    (names = realloc(set->names, cap)) == NULL)
			return fail(ld, HOLIDAYFILE_IO, "out of memory");
		set->names = names;
		set->names_cap = cap;
	}
	off = (uint32_t)set->names_len;
	if (name.n)
		memcpy(set->names + off, name.p, name.n);
	set->names[off + name.n] = '\0';
	set->names_len += name.n + 1;
	if (set->n + count > set->cap) {
		cap = set->cap ? set->cap : 512;
		while (cap < set->n + count)
			cap *= 2;
		if ((v = realloc(set->v, cap * sizeof *v)) == NULL)
			return fail(ld, HOLIDAYFILE_IO, "out of memory");
		set->v = v;
		set->cap = cap;
	}
	for (; a <= b; a++) {
		set->v[set->n].days = (int32_t)a;
		set->v[set->n].name = off;
		set->v[set->n].seq = set->seq++;
		set->n++;
	}
	return HOLIDAYFILE_OK;
}

/* A company file line: DATE or DATE..DATE, then an optional name. */
static int
company_line(struct loader *ld, struct slice line)
{
	struct slice s = slice_trim(line), tok, name, from, to;
	int64_t a, b;
	size_t i, k;
	char q[200];
	int rc;

	if (s.n == 0 || s.p[0] == '#')
		return HOLIDAYFILE_OK;
	/* A '#' after a space or tab starts a comment. */
	for (i = 1; i < s.n; i++)
		if (s.p[i] == '#' &&
		    (s.p[i - 1] == ' ' || s.p[i - 1] == '\t')) {
			s = slice_trim(slice_make(s.p, i));
			break;
		}
	for (k = 0; k < s.n && s.p[k] != ' ' && s.p[k] != '\t' &&
	    s.p[k] != ','; k++)
		;
	tok = slice_make(s.p, k);
	name = slice_trim(slice_from(s, k));
	if (name.n > 0 && name.p[0] == ',')
		name = slice_trim(slice_from(name, 1));
	from = to = tok;
	for (i = 0; i + 1 < tok.n; i++)
		if (tok.p[i] == '.' && tok.p[i + 1] == '.') {
			from = slice_make(tok.p, i);
			to = slice_from(tok, i + 2);
			break;
		}
	if ((rc = parse_date(from, &a)) != 0)
		return bad_date(ld, rc, from);
	if ((rc = parse_date(to, &b)) != 0)
		return bad_date(ld, rc, to);
	if (b < a)
		return fail(ld, HOLIDAYFILE_BAD,
		    "range ends before it starts '%s'",
		    diag_quote(q, sizeof q, tok));
	if (b - a >= HOLIDAYFILE_RANGE_MAX)
		return fail(ld, HOLIDAYFILE_BAD,
		    "range longer than %d days '%s'", HOLIDAYFILE_RANGE_MAX,
		    diag_quote(q, sizeof q, tok));
	return add_days(ld, a, b, name);
}

/*
 * Converts a Shift_JIS line to UTF-8 in ld->conv. Returns 0, -1 for
 * bytes that are not CP932, or HOLIDAYFILE_IO when out of memory.
 */
static int
to_utf8(struct loader *ld, struct slice in, struct slice *out)
{
	size_t need = in.n * 3 + 4, inleft = in.n, outleft;
	char *ip = (char *)in.p, *op, *conv;

	if (need > ld->convcap) {
		if ((conv = realloc(ld->conv, need)) == NULL)
			return HOLIDAYFILE_IO;
		ld->conv = conv;
		ld->convcap = need;
	}
	op = ld->conv;
	outleft = ld->convcap;
	iconv(ld->cd, NULL, NULL, NULL, NULL);
	if (iconv(ld->cd, &ip, &inleft, &op, &outleft) == (size_t)-1 ||
	    iconv(ld->cd, NULL, NULL, &op, &outleft) == (size_t)-1)
		return -1;
	*out = slice_make(ld->conv, (size_t)(op - ld->conv));
	return 0;
}

/* A row of syukujitsu.csv: "YYYY/M/D,name". */
static int
csv_line(struct loader *ld, struct slice line)
{
	struct slice date, name;
	const char *why;
	char q[200];
	int64_t day;
	int rc;

	if (line.n == 0)
		return HOLIDAYFILE_OK;
	if (ld->cd != (iconv_t)-1 && (rc = to_utf8(ld, line, &line)) != 0)
		return rc == HOLIDAYFILE_IO ?
		    fail(ld, HOLIDAYFILE_IO, "out of memory") :
		    fail(ld, HOLIDAYFILE_BAD, "not Shift_JIS text '%s'",
		    diag_quote(q, sizeof q, line));
	if (csvrow_split(ld->row, line, &why) != 0)
		return fail(ld, HOLIDAYFILE_BAD, "%s", why);
	if (ld->row->n != 2)
		return fail(ld, HOLIDAYFILE_BAD,
		    "expected 2 fields (date,name), got %d", ld->row->n);
	date = slice_trim(ld->row->f[0]);
	name = slice_trim(ld->row->f[1]);
	if ((rc = parse_date(date, &day)) != 0)
		return bad_date(ld, rc, date);
	if (name.n == 0)
		return fail(ld, HOLIDAYFILE_BAD, "missing holiday name");
	return add_days(ld, day, day, name);
}

/* Whether line, in UTF-8, is the header row of syukujitsu.csv. */
static int
is_header(struct loader *ld, struct slice line)
{
	const char *why;

	return csvrow_split(ld->row, line, &why) == 0 && ld->row->n == 2 &&
	    slice_eq(slice_trim(ld->row->f[0]), HEADER_DATE) &&
	    slice_eq(slice_trim(ld->row->f[1]), HEADER_NAME);
}

/*
 * Looks at the first line (BOM removed): the CSV header in UTF-8 or in
 * CP932 selects CSV mode (1 returned: the line is done with); anything
 * else is the first line of a company file (0).
 */
static int
detect(struct loader *ld, struct slice line)
{
	struct slice conv;

	if (is_header(ld, line)) {
		ld->csv = 1;
		return 1;
	}
	if (name_problem(line) == NULL)
		return 0;
	if ((ld->cd = iconv_open("UTF-8", "CP932")) == (iconv_t)-1 &&
	    (ld->cd = iconv_open("UTF-8", "SHIFT_JIS")) == (iconv_t)-1)
		return 0;
	if (to_utf8(ld, line, &conv) == 0 && is_header(ld, conv)) {
		ld->csv = 1;
		return 1;
	}
	iconv_close(ld->cd);
	ld->cd = (iconv_t)-1;
	return 0;
}

static int
one_line(struct loader *ld, struct slice line)
{
	if (ld->lineno == 1) {
		if (slice_has_prefix(line, "\xef\xbb\xbf"))
			line = slice_from(line, 3);
		if (detect(ld, line))
			return HOLIDAYFILE_OK;
	}
	return ld->csv ? csv_line(ld, line) : company_line(ld, line);
}

static int
by_day_then_seq(const void *pa, const void *pb)
{
	const struct holidayfile_day *a = pa, *b = pb;

	if (a->days != b->days)
		return a->days < b->days ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts the set and keeps the first-loaded entry of each day. */
static void
settle(struct holidayfile *set)
{
	size_t i, o = 0;

	if (set->n == 0)
		return;
	qsort(set->v, set->n, sizeof set->v[0], by_day_then_seq);
	for (i = 1; i < set->n; i++)
		if (set->v[i].days != set->v[o].days)
			set->v[++o] = set->v[i];
	set->n = o + 1;
}

void
holidayfile_init(struct holidayfile *set)
{
	memset(set, 0, sizeof *set);
}

int
holidayfile_load(struct holidayfile *set, const char *path, char *err,
    size_t errcap)
{
	struct loader ld;
	struct input in;
	struct slice line;
	enum input_status st;
	size_t n0 = set->n, names0 = set->names_len;
	int rc = HOLIDAYFILE_OK;

	memset(&ld, 0, sizeof ld);
	ld.set = set;
	ld.path = path;
	ld.err = err;
	ld.errcap = errcap;
	ld.cd = (iconv_t)-1;
	if (errcap > 0)
		err[0] = '\0';
	if ((ld.row = malloc(sizeof *ld.row)) == NULL ||
	    csvrow_init(ld.row) != 0) {
		free(ld.row);
		return fail(&ld, HOLIDAYFILE_IO, "out of memory");
	}
	if (input_open(&in, path) != 0)
		rc = fail(&ld, HOLIDAYFILE_IO, "%s", in.errmsg);
	while (rc == HOLIDAYFILE_OK &&
	    (st = input_next(&in, &line)) != INPUT_EOF) {
		ld.lineno = in.lineno;
		if (st == INPUT_ERROR)
			rc = fail(&ld, HOLIDAYFILE_IO, "%s", in.errmsg);
		else if (st == INPUT_LONG)
			rc = fail(&ld, HOLIDAYFILE_BAD, "line too long");
		else
			rc = one_line(&ld, line);
	}
	input_close(&in);
	if (ld.cd != (iconv_t)-1)
		iconv_close(ld.cd);
	csvrow_release(ld.row);
	free(ld.row);
	free(ld.conv);
	if (rc != HOLIDAYFILE_OK) {
		set->n = n0;
		set->names_len = names0;
		return rc;
	}
	settle(set);
	return HOLIDAYFILE_OK;
}

int
holidayfile_lookup_days(const struct holidayfile *set, int64_t days,
    const char **name)
{
	size_t lo = 0, hi = set->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (set->v[mid].days < days)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < set->n && set->v[lo].days == days) {
		if (name != NULL)
			*name = set->names + set->v[lo].name;
		return 1;
	}
	if (name != NULL)
		*name = NULL;
	return 0;
}

int
holidayfile_lookup(const struct holidayfile *set, int year, int month,
    int day, const char **name)
{
	if (!time_date_valid(year, month, day)) {
		if (name != NULL)
			*name = NULL;
		return -1;
	}
	return holidayfile_lookup_days(set, time_days_from_civil(year, month,
	    day), name);
}

const char *
holidayfile_name(const struct holidayfile *set, size_t i)
{
	return set->names + set->v[i].name;
}

void
holidayfile_release(struct holidayfile *set)
{
	free(set->v);
	free(set->names);
	holidayfile_init(set);
}
