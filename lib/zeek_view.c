/*
 * zeek_view.c: the per-format side of reading Zeek logs, shared so that
 * every fmt_zeek_*.c file holds only its own column mapping.
 */
#include <stdlib.h>
#include "ipaddr.h"
#include "num.h"
#include "zeek_view.h"

/* Whether path names a log of kind: "kind", or a split "kind_*". */
static int
path_is(struct slice path, const char *kind)
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
	if (path_is(slice_make(z.path.b, z.path.n), sp->kind))
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
	v->spec = sp;
	v->gen = 0;
	return v;
}

void
zeek_view_close(void *state)
{
	free(state);
}

enum line_result
zeek_view_check(struct zeek_view *v, struct parse_ctx *ctx)
{
	const struct zeek_view_spec *sp = v->spec;
	struct slice path = slice_make(v->z.path.b, v->z.path.n);
	int i, key;
	char q[200];

	if (path.n && !path_is(path, sp->kind))
		return fmt_reject(ctx, "%s: log path is '%s', not %s", sp->fmt,
		    fmt_quote(q, sizeof q, path), sp->kind);
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

int
zeek_view_count(struct zeek_view *v, struct event *ev, int c,
    enum ev_col ec, uint64_t max)
{
	struct slice s;
	uint64_t n;

	if (zeek_kind(&v->z, v->col[c]) != ZEEK_VALUE)
		return 0;
	s = v->z.val[v->col[c]];
	if (num_parse_u64(s, max, &n) != 0)
		return -1;
	event_set_checked(ev, ec, s);
	return 0;
}

int
zeek_view_addr(struct zeek_view *v, struct event *ev, int c, enum ev_col ec)
{
	struct slice s;

	if (zeek_kind(&v->z, v->col[c]) != ZEEK_VALUE)
		return 0;
	s = v->z.val[v->col[c]];
	if (!ip_valid(s))
		return -1;
	event_set_checked(ev, ec, s);
	return 0;
}

void
zeek_view_extra(struct zeek_view *v, struct event *ev, int c, const char *key)
{
	struct slice s = zeek_str(&v->z, v->col[c], ev);

	if (s.n)
		event_add_extra(ev, key, s);
}

enum line_result
zeek_view_bad(struct zeek_view *v, struct parse_ctx *ctx, int c)
{
	char q[200];

	return fmt_reject(ctx, "%s: bad %s '%s'", v->spec->fmt,
	    v->spec->names[c], fmt_quote(q, sizeof q, v->z.val[v->col[c]]));
}
