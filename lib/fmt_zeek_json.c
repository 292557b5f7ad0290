/*
 * fmt_zeek_json.c: Zeek conn, dns, http and smtp logs as Zeek's JSON writer
 * (LogAscii::use_json) writes them: one JSON object per line, field names
 * with dots kept flat ("id.orig_h"), unset fields left out (or null), sets
 * and vectors as arrays, times as epoch seconds (JSON::TS_EPOCH, the
 * default), ISO 8601 strings (JSON::TS_ISO8601) or integer milliseconds
 * (JSON::TS_MILLIS). Each line is parsed on its own with jansson. The log
 * kind is that of the record's "_path" (json-streaming-logs and most
 * shippers add it), else told by keys only that kind has; records of
 * other logs (ssl, files, notice, ...) are skipped. The fields a kind reads
 * are turned into the text Zeek's TSV writer would have written (numbers
 * in decimal, times as epoch seconds, booleans T/F, arrays joined with
 * ',') and go through the very mapping the TSV formats use (zeek_view.h),
 * so one record gives the same event from either writer. Strings are
 * attacker bytes: taken by length (a \u0000 stays in, to be escaped on
 * output), with the \xHH marks Zeek writes for bytes that are not UTF-8
 * decoded as in TSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "diag.h"
#include "num.h"
#include "timeconv.h"
#include "zeek_view.h"

#define ZJ_TEXT_MAX 65536	/* converted text of one record */
#define ZJ_MILLIS_MIN INT64_C(100000000000)	/* integer ts: ms from here */

struct zj {
	struct zeek_view_rec r;
	size_t used;			/* bytes of text[] in use */
	char text[ZJ_TEXT_MAX];		/* numbers, times, joined arrays */
};

/*
 * Whether line holds the JSON key "name" (quotes included in name)
 * followed by a colon, as Zeek writes it.
 */
static int
has_key(struct slice line, const char *name)
{
	size_t n = strlen(name);
	const char *p = line.p, *end = line.p + line.n, *q;

	while ((q = memmem(p, (size_t)(end - p), name, n)) != NULL) {
		q += n;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == ':')
			return 1;
		p = q;
	}
	return 0;
}

/* A Zeek JSON record: an object with "ts" and "uid" or "id.orig_h". */
static int
is_record(struct slice line)
{
	line = slice_trim(line);
	return line.n && line.p[0] == '{' && has_key(line, "\"ts\"") &&
	    (has_key(line, "\"uid\"") || has_key(line, "\"id.orig_h\""));
}

static int
zeek_json_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_record);
}

static void *
zeek_json_open(struct parse_ctx *ctx)
{
	struct zj *s;

	if ((s = malloc(sizeof *s)) == NULL) {
		fmt_reject(ctx, "zeek-json: out of memory");
		return NULL;
	}
	s->r.fmt = SLICE_LIT("zeek-json");
	s->r.set_sep = SLICE_LIT(",");
	return s;
}

static void
zeek_json_close(void *state)
{
	free(state);
}

static int
has(json_t *o, const char *key)
{
	return json_object_get(o, key) != NULL;
}

/*
 * The kind of a record without "_path", by keys no other Zeek log of the
 * usual set has. "host" alone is no mark (software.log has it), nor is
 * "trans_id" alone (old dhcp.log has it); SIP has method and uri but also
 * call_id.
 */
static const struct zeek_view_spec *
kind_by_keys(json_t *o)
{
	if (has(o, "conn_state") || (has(o, "proto") && has(o, "duration")))
		return &fmt_zeek_conn_spec;
	if (has(o, "query") || has(o, "qtype_name") || has(o, "rcode_name") ||
	    (has(o, "trans_id") && has(o, "proto")))
		return &fmt_zeek_dns_spec;
	if ((has(o, "method") || has(o, "uri") || has(o, "status_code")) &&
	    !has(o, "call_id"))
		return &fmt_zeek_http_spec;
	if (has(o, "mailfrom") || has(o, "rcptto") || has(o, "last_reply"))
		return &fmt_zeek_smtp_spec;
	return NULL;
}

/* Writes v in decimal, with its sign, to t (room for 21 bytes). */
static size_t
int_text(char *t, json_int_t v)
{
	if (v >= 0)
		return num_format_u64(t, (uint64_t)v);
	t[0] = '-';
	return 1 + num_format_u64(t + 1, (uint64_t)-(v + 1) + 1);
}

/* Writes ms, milliseconds since the epoch, as seconds with 3 decimals. */
static size_t
ms_text(char *t, int64_t ms)
{
	size_t n = num_format_u64(t, (uint64_t)(ms / 1000));

	t[n] = '.';
	t[n + 1] = (char)('0' + ms / 100 % 10);
	t[n + 2] = (char)('0' + ms / 10 % 10);
	t[n + 3] = (char)('0' + ms % 10);
	return n + 4;
}

/*
 * Writes d as Zeek's TSV writer writes times and intervals: seconds with
 * six decimals, rounded to the microsecond (which is also all a double
 * holds of a present-day epoch time). Negative and huge values get a form
 * the number parsers refuse, so they are rejected and quoted.
 */
static size_t
real_text(char *t, size_t cap, double d)
{
	uint64_t us, frac;
	size_t n;
	int i;

	if (!(d >= 0 && d < 1e12)) {
		int k = snprintf(t, cap, "%.17g", d);

		return k < 0 ? 0 : (size_t)k < cap ? (size_t)k : cap - 1;
	}
	us = (uint64_t)(d * 1e6 + 0.5);
	n = num_format_u64(t, us / 1000000);
	t[n++] = '.';
	frac = us % 1000000;
	for (i = 5; i >= 0; i--) {
		t[n + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	return n + 6;
}

/* Appends n bytes to the record's text; -1 when it is full. */
static int
put(struct zj *s, const char *p, size_t n)
{
	if (n > sizeof s->text - s->used)
		return -1;
	if (n)
		memcpy(s->text + s->used, p, n);
	s->used += n;
	return 0;
}

/*
 * Appends the text of scalar j to the record's text. Returns 0, or -1
 * for an object or array, or when the text is full.
 */
static int
put_scalar(struct zj *s, json_t *j)
{
	char t[40];

	switch (json_typeof(j)) {
	case JSON_STRING:
		return put(s, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return put(s, t, int_text(t, json_integer_value(j)));
	case JSON_REAL:
		return put(s, t, real_text(t, sizeof t, json_real_value(j)));
	case JSON_TRUE:
		return put(s, "T", 1);
	case JSON_FALSE:
		return put(s, "F", 1);
	case JSON_NULL:
		return put(s, "-", 1);	/* a hole in a vector, as in TSV */
	default:
		return -1;
	}
}

/*
 * Appends element j of an array as the TSV writer writes a set element:
 * a ',' inside a string as \x2c, since ',' joins the elements here and
 * the set reader splits on it before it decodes (zeek_view.h). Taken
 * raw, ["evil.example,good.example"] would read as two answers. Returns 0,
 * or -1 as put_scalar does.
 */
static int
put_element(struct zj *s, json_t *j)
{
	const char *p = json_string_value(j), *q;
	size_t n;

	if (!json_is_string(j))
		return put_scalar(s, j);
	n = json_string_length(j);
	while ((q = memchr(p, ',', n)) != NULL) {
		if (put(s, p, (size_t)(q - p)) != 0 || put(s, "\\x2c", 4) != 0)
			return -1;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	return put(s, p, n);
}

/*
 * Appends the text of ts when it is an ISO 8601 string or integer
 * milliseconds: epoch seconds with 3 decimals. Returns 0, or -1 to leave
 * the value to put_scalar (seconds already, or bad and to be quoted).
 */
static int
put_time(struct zj *s, json_t *j)
{
	char t[32];
	int64_t ms;

	if (json_is_string(j)) {
		/* An offset can put a time of 1970-01-01 before the epoch. */
		if (time_parse_rfc3339(slice_make(json_string_value(j),
		    json_string_length(j)), &ms) != 0 || ms < 0)
			return -1;
	} else if (json_is_integer(j) &&
	    json_integer_value(j) >= ZJ_MILLIS_MIN) {
		ms = json_integer_value(j);
	} else {
		return -1;
	}
	return put(s, t, ms_text(t, ms));
}

/*
 * Fills field c of the record from j (NULL when the key is absent).
 * Returns LINE_USED, or a rejection for a value no Zeek field holds
 * (an object, a nested array, a ts that is no number or string).
 */
static enum line_result
put_field(struct zj *s, int c, json_t *j, struct parse_ctx *ctx)
{
	struct zeek_view_rec *r = &s->r;
	size_t start = s->used, i;

	r->kind[c] = ZEEK_VALUE;
	if (j == NULL) {
		r->kind[c] = ZEEK_ABSENT;
		r->val[c] = SLICE_NONE;
		return LINE_USED;
	}
	if (json_is_null(j)) {
		r->kind[c] = ZEEK_UNSET;
		r->val[c] = SLICE_LIT("null");	/* for a reason */
		return LINE_USED;
	}
	if (json_is_object(j))
		return fmt_reject(ctx, "zeek-json: bad %s: a JSON object",
		    r->spec->names[c]);
	if (c == 0 && !json_is_number(j) && !json_is_string(j))
		return fmt_reject(ctx, "zeek-json: bad ts: a JSON %s, not a "
		    "number or a string", json_is_array(j) ? "array" :
		    "boolean");
	if (c == 0 && put_time(s, j) == 0) {
		/* ts converted to epoch seconds */
	} else if (json_is_string(j)) {
		/* No copy: jansson's string lives until the line is done. */
		r->val[c] = slice_make(json_string_value(j),
		    json_string_length(j));
		if (r->val[c].n == 0)
			r->kind[c] = ZEEK_EMPTY;
		return LINE_USED;
	} else if (json_is_array(j)) {
		for (i = 0; i < json_array_size(j); i++) {
			json_t *e = json_array_get(j, i);

			if (json_is_array(e) || json_is_object(e))
				return fmt_reject(ctx, "zeek-json: bad %s: "
				    "nested JSON", r->spec->names[c]);
			if ((i && put(s, ",", 1) != 0) || put_element(s, e) != 0)
				break;
		}
		/*
		 * An array too long for text[] (only a crafted one is) is
		 * dropped, as the TSV formats drop a set too long to
		 * unescape: the rest of the event stays.
		 */
		if (i < json_array_size(j))
			s->used = start;
	} else if (put_scalar(s, j) != 0) {
		s->used = start;	/* no room left after such an array */
	}
	r->val[c] = slice_make(s->text + start, s->used - start);
	if (r->val[c].n == 0)
		r->kind[c] = ZEEK_EMPTY;
	return LINE_USED;
}

/*
 * Fills the record from object o: its kind, then every field the kind
 * reads. Returns LINE_SKIPPED for a log csm does not model.
 */
static enum line_result
load(struct zj *s, json_t *o, struct parse_ctx *ctx)
{
	static const struct zeek_view_spec *const kinds[] = {
		&fmt_zeek_conn_spec, &fmt_zeek_dns_spec, &fmt_zeek_http_spec,
		&fmt_zeek_smtp_spec
	};
	const struct zeek_view_spec *sp = NULL;
	json_t *path = json_object_get(o, "_path");
	enum line_result res;
	size_t i;
	int c;

	if (path != NULL && !json_is_string(path))
		return fmt_reject(ctx, "zeek-json: bad _path: not a string");
	if (path != NULL) {
		struct slice p = slice_make(json_string_value(path),
		    json_string_length(path));

		for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (zeek_view_path_is(p, kinds[i]->kind))
				sp = kinds[i];
	} else {
		sp = kind_by_keys(o);
	}
	if (sp == NULL)
		return LINE_SKIPPED;
	s->r.spec = sp;
	s->used = 0;
	for (c = 0; c < sp->ncols; c++)
		if ((res = put_field(s, c, json_object_get(o, sp->names[c]),
		    ctx)) != LINE_USED)
			return res;
	return LINE_USED;
}

static enum line_result
zeek_json_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct zj *s = state;
	enum line_result res;
	json_error_t err;
	json_t *o;
	char q[200];

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	/*
	 * One object per line (JSON_DECODE_ANY off); a key given twice
	 * would leave it open which value counts, so that is refused too.
	 * NUL is allowed in strings: they are kept by length.
	 */
	o = json_loadb(line.p, line.n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &err);
	if (o == NULL)
		return fmt_reject(ctx, "zeek-json: bad JSON at column %d: %s",
		    err.column, diag_escape(q, sizeof q, slice_cstr(err.text)));
	if (!json_is_object(o))
		res = fmt_reject(ctx, "zeek-json: a JSON array, not an object");
	else if ((res = load(s, o, ctx)) == LINE_USED)
		res = zeek_view_map(&s->r, ctx);
	/* The event is written by now: its slices into o may go. */
	json_decref(o);
	return res;
}

const struct fmt fmt_zeek_json = {
	.name = "zeek-json",
	.log = "mixed",
	.summary = "Zeek conn, dns, http and smtp logs as JSON lines",
	.sniff = zeek_json_sniff,
	.open = zeek_json_open,
	.line = zeek_json_line,
	.line_local = 1,
	.close = zeek_json_close,
};
