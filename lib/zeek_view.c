/*
 * zeek_view.c: the side of reading Zeek logs shared by every log kind and
 * both writers: the TSV formats' line callback (header checks, column
 * map), the step from a filled record to an event (ts, format, then the
 * kind's own mapping), and the typed getters those mappings use, so that
 * each fmt_zeek_*.c file holds only its field-to-column mapping.
 */
#include <stdlib.h>
#include "diag.h"
#include "esc.h"
#include "ipaddr.h"
#include "num.h"
#include "zeek_view.h"

int
zeek_view_path_is(struct slice path, const char *kind)
{
	size_t n = strlen(kind);

	return slice_eq(path, kind) ||
	    (path.n > n && memcmp(path.p, kind, n) == 0 && path.p[n] == '_');
}

int
zeek_view_sniff(const struct zeek_view_spec *sp, const struct slice *lines,
    int n)
{
	struct zeek z;
	int i;

	if (!zeek_sniff_header(&z, lines, n))
		return 0;
	if (zeek_view_path_is(slice_make(z.path.b, z.path.n), sp->kind))
		return 100;
	if (z.path.n != 0)
		return 0;
	for (i = 0; sp->sniff_cols[i]; i++)
		if (zeek_col(&z, sp->sniff_cols[i]) < 0)
			return 0;
	return 90;
}

void *
zeek_view_open(const struct zeek_view_spec *sp, struct parse_ctx *ctx)
{
	struct zeek_view *v;

	if (sp->ncols > ZEEK_VIEW_COLS) {
		fmt_reject(ctx, "%s: reads too many columns", sp->fmt);
		return NULL;
	}
	if ((v = malloc(sizeof *v)) == NULL) {
		fmt_reject(ctx, "%s: out of memory", sp->fmt);
		return NULL;
	}
	zeek_init(&v->z);
	v->r.spec = sp;
	v->r.fmt = slice_cstr(sp->fmt);
	v->gen = 0;
	return v;
}

void
zeek_view_close(void *state)
{
	free(state);
}

/*
 * After zeek_read returned a data line: checks the block's #path and
 * required columns and maps the columns when the header changed.
 */
static enum line_result
check(struct zeek_view *v, struct parse_ctx *ctx)
{
	const struct zeek_view_spec *sp = v->r.spec;
	struct slice path = slice_make(v->z.path.b, v->z.path.n);
	int i, key;
	char q[200];

	if (path.n && !zeek_view_path_is(path, sp->kind))
		return fmt_reject(ctx, "%s: log path is '%s', not %s", sp->fmt,
		    diag_quote(q, sizeof q, path), sp->kind);
	if (v->gen != v->z.gen) {
		for (i = 0; i < sp->ncols; i++)
			v->col[i] = zeek_col(&v->z, sp->names[i]);
		v->ts_col = zeek_col(&v->z, "ts");
		v->key_col = zeek_col(&v->z, sp->key);
		v->gen = v->z.gen;
	}
	if (v->ts_col < 0)
		return fmt_reject(ctx, "%s: no 'ts' in #fields", sp->fmt);
	key = v->key_col;
	if (key < 0 && sp->key_always)
		return fmt_reject(ctx, "%s: no '%s' in #fields: %s", sp->fmt,
		    sp->key, sp->not_kind);
	if (key < 0 && path.n == 0)
		return fmt_reject(ctx, "%s: no #path and no '%s' in #fields: %s",
		    sp->fmt, sp->key, sp->not_kind);
	return LINE_USED;
}

enum line_result
zeek_view_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct zeek_view *v = state;
	struct zeek_view_rec *r = &v->r;
	enum line_result res;
	int c;

	switch (zeek_read(&v->z, line)) {
	case ZEEK_META:
		return LINE_SKIPPED;
	case ZEEK_BAD:
		return fmt_reject(ctx, "%s: %s", r->spec->fmt, v->z.why);
	case ZEEK_DATA:
		break;
	}
	if ((res = check(v, ctx)) != LINE_USED)
		return res;
	for (c = 0; c < r->spec->ncols; c++) {
		r->kind[c] = zeek_kind(&v->z, v->col[c]);
		r->val[c] = r->kind[c] == ZEEK_ABSENT ? SLICE_NONE :
		    v->z.val[v->col[c]];
	}
	r->set_sep = slice_make(v->z.set_sep.b, v->z.set_sep.n);
	return zeek_view_map(r, ctx);
}

enum line_result
zeek_view_map(const struct zeek_view_rec *r, struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;

	if (!zeek_view_has(r, ZEEK_VIEW_TS) ||
	    zeek_time_ms(r->val[ZEEK_VIEW_TS], &ev->ts_ms) != 0)
		return zeek_view_bad(r, ctx, ZEEK_VIEW_TS);
	ev->has_ts = 1;
	ev->f[EV_FORMAT] = r->fmt;
	if (zeek_view_addr(r, ev, ZEEK_VIEW_ORIG_H, EV_SRC_IP) != 0)
		return zeek_view_bad(r, ctx, ZEEK_VIEW_ORIG_H);
	if (zeek_view_count(r, ev, ZEEK_VIEW_ORIG_P, EV_SRC_PORT, 65535) != 0)
		return zeek_view_bad(r, ctx, ZEEK_VIEW_ORIG_P);
	if (zeek_view_addr(r, ev, ZEEK_VIEW_RESP_H, EV_DST_IP) != 0)
		return zeek_view_bad(r, ctx, ZEEK_VIEW_RESP_H);
	if (zeek_view_count(r, ev, ZEEK_VIEW_RESP_P, EV_DST_PORT, 65535) != 0)
		return zeek_view_bad(r, ctx, ZEEK_VIEW_RESP_P);
	return r->spec->map(r, ctx);
}

int
zeek_view_count(const struct zeek_view_rec *r, struct event *ev, int c,
    enum ev_col ec, uint64_t max)
{
	uint64_t n;

	if (!zeek_view_has(r, c))
		return 0;
	if (num_parse_u64(r->val[c], max, &n) != 0)
		return -1;
	event_set_checked(ev, ec, r->val[c]);
	return 0;
}

int
zeek_view_addr(const struct zeek_view_rec *r, struct event *ev, int c,
    enum ev_col ec)
{
	if (!zeek_view_has(r, c))
		return 0;
	if (!ip_valid(r->val[c]))
		return -1;
	event_set_checked(ev, ec, r->val[c]);
	return 0;
}

struct slice
zeek_view_str(const struct zeek_view_rec *r, int c, struct event *ev)
{
	char tmp[EVENT_SCRATCH];
	size_t n;

	if (!zeek_view_has(r, c))
		return SLICE_NONE;
	/* Most values hold no escape: taken as written, with no copy. */
	if (memchr(r->val[c].p, '\\', r->val[c].n) == NULL)
		return r->val[c];
	n = zeek_view_append(tmp, 0, sizeof tmp, r->val[c], 0);
	return n > sizeof tmp ? SLICE_NONE : event_keep(ev, tmp, n);
}

size_t
zeek_view_append(char *dst, size_t len, size_t cap, struct slice src,
    int lower)
{
	size_t n = zeek_unescape(dst + len, cap - len, src), i;

	if (n > cap - len)
		return cap + 1;
	if (lower)
		for (i = len; i < len + n; i++)
			if (dst[i] >= 'A' && dst[i] <= 'Z')
				dst[i] = (char)(dst[i] - 'A' + 'a');
	return len + n;
}

/*
 * Appends element e of a set to the list dst (len bytes used of cap): its
 * \xHH escapes decoded, then escaped for the stream (esc_tsv with flags),
 * a ',' inside it written \x2c. Zeek writes a separator inside an element
 * as \x2c too, so it must stay one: decoded to ',' it would read as two
 * elements (an answer "evil.example\x2cgood.example" as two names).
 * Returns the new length, or cap + 1 when it does not fit.
 */
static size_t
set_append(char *dst, size_t len, size_t cap, struct slice e, int flags)
{
	char raw[ZEEK_VIEW_SET_MAX], esc[ZEEK_VIEW_SET_MAX * ESC_MAX_GROWTH];
	size_t n = zeek_unescape(raw, sizeof raw, e), en;

	if (n > sizeof raw)
		return cap + 1;
	en = esc_list_item(esc, slice_make(raw, n), flags);
	if (en > cap - len)
		return cap + 1;
	memcpy(dst + len, esc, en);
	return len + en;
}

/*
 * The set or vector in field c as a csm list in *out: split by the set
 * separator first, then each element unescaped on its own (set_append),
 * joined with ','. Returns 1 when *out is escaped for the stream already
 * (flags), 0 when it is as written, for the writer to escape. *out is
 * empty when the field holds no value or the list does not fit.
 */
static int
set_text(const struct zeek_view_rec *r, int c, struct event *ev, int flags,
    struct slice *out)
{
	char buf[ZEEK_VIEW_SET_MAX];
	struct slice v, sep = r->set_sep;
	size_t n = 0;

	*out = SLICE_NONE;
	if (!zeek_view_has(r, c))
		return 0;
	v = r->val[c];
	/* The common case: no escape, so no ',' inside an element. */
	if (slice_eq(sep, ",") && memchr(v.p, '\\', v.n) == NULL) {
		*out = v;
		return 0;
	}
	for (;;) {
		size_t i, end = v.n;

		for (i = 0; sep.n && i + sep.n <= v.n; i++)
			if (memcmp(v.p + i, sep.p, sep.n) == 0) {
				end = i;
				break;
			}
		if (n) {
			if (n == sizeof buf)
				return 0;
			buf[n++] = ',';
		}
		n = set_append(buf, n, sizeof buf, slice_make(v.p, end), flags);
		if (n > sizeof buf)
			return 0;
		if (end == v.n)
			break;
		v = slice_from(v, end + sep.n);
	}
	*out = event_keep(ev, buf, n);
	return 1;
}

void
zeek_view_set_col(const struct zeek_view_rec *r, struct event *ev, int c,
    enum ev_col ec)
{
	struct slice s;

	if (set_text(r, c, ev, ESC_TSV, &s))
		event_set_checked(ev, ec, s);
	else
		ev->f[ec] = s;
}

void
zeek_view_set_extra(const struct zeek_view_rec *r, struct event *ev, int c,
    const char *key)
{
	struct slice s;
	int escaped = set_text(r, c, ev, ESC_EXTRA, &s);

	if (s.n == 0)
		return;
	if (escaped)
		event_add_extra_checked(ev, key, s);
	else
		event_add_extra(ev, key, s);
}

void
zeek_view_extra(const struct zeek_view_rec *r, struct event *ev, int c,
    const char *key)
{
	struct slice s = zeek_view_str(r, c, ev);

	if (s.n)
		event_add_extra(ev, key, s);
}

enum line_result
zeek_view_bad(const struct zeek_view_rec *r, struct parse_ctx *ctx, int c)
{
	char q[200];

	if (r->kind[c] == ZEEK_ABSENT)
		return fmt_reject(ctx, "%.*s: no '%s'", (int)r->fmt.n,
		    r->fmt.p, r->spec->names[c]);
	return fmt_reject(ctx, "%.*s: bad %s '%s'", (int)r->fmt.n, r->fmt.p,
	    r->spec->names[c], diag_quote(q, sizeof q, r->val[c]));
}
