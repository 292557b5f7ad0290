/*
 * geoip.c: the per-stream work of csm-geoip. Every record is copied as
 * it was read (the line itself, not a rebuilt one) and the country, ASN
 * and organisation of its destination (and source) are appended; the
 * header is written with the new column names whenever it changes.
 *
 * csm-geoip reads lines with input.h and keeps the header rules of
 * tsv.h itself rather than using evstream.h or tsv_reader_next: a filter
 * must write a header even for a stream without records, must not drop a
 * record for a column (ts) it does not read, and needs only one or two
 * fields of each record, so it counts TABs a word at a time instead of
 * splitting all 36 fields (in a profile of a first version, splitting
 * took more than half of the time).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "diag.h"
#include "esc.h"
#include "geoip.h"
#include "linescan.h"
#include "num.h"

static const char *const dst_names[] = {
	"dst_country", "dst_asn", "dst_org",
};
static const char *const src_names[] = {
	"src_country", "src_asn", "src_org",
};

/* Column indexes of the current header. */
struct cols {
	int dst, src;
};

/*
 * Maps a new header; writes it, with the added names, unless it is the
 * one written last (a later input of the same kind). Returns 0, or -1
 * after reporting why the stream cannot be annotated.
 */
static int
take_header(struct geoip *gp, const struct tsv_header *h, const char *name,
    struct cols *c)
{
	const char *const *add[2] = { dst_names, gp->src ? src_names : NULL };
	char q[DIAG_NAME_MAX];
	int i, j;

	diag_escape(q, sizeof q, slice_cstr(name));
	if (gp->column != NULL)
		c->dst = tsv_header_find(h, gp->column);
	else if ((c->dst = tsv_header_find(h, "dst_ip")) < 0)
		c->dst = tsv_header_find(h, "dst");
	if (c->dst < 0) {
		char col[100];

		if (gp->column != NULL)
			diag_msg("%s: required column '%s' missing", q,
			    diag_escape(col, sizeof col,
			    slice_cstr(gp->column)));
		else
			diag_msg("%s: no 'dst_ip' or 'dst' column (is this "
			    "a csm events or findings stream?)", q);
		return -1;
	}
	c->src = -1;
	if (gp->src && (c->src = tsv_header_find(h, "src_ip")) < 0) {
		diag_msg("%s: required column 'src_ip' missing", q);
		return -1;
	}
	for (i = 0; i < 2; i++)
		for (j = 0; add[i] != NULL && j < 3; j++)
			if (tsv_header_find(h, add[i][j]) >= 0) {
				diag_msg("%s: column '%s' is there already "
				    "(annotated twice?)", q, add[i][j]);
				return -1;
			}
	if (h->ncols + (gp->src ? 6 : 3) > TSV_MAX_COLS ||
	    h->len + 48 > TSV_HEADER_MAX) {
		diag_msg("%s: header too long to add columns to", q);
		return -1;
	}
	if (gp->have_hdr && gp->hdr_len == h->len &&
	    memcmp(gp->hdr, h->text, h->len) == 0)
		return 0;
	memcpy(gp->hdr, h->text, h->len);
	gp->hdr_len = h->len;
	gp->have_hdr = 1;
	outbuf_put_stream_line(gp->out, slice_make(h->text, h->len));
	for (i = 0; i < 2; i++)
		for (j = 0; add[i] != NULL && j < 3; j++) {
			outbuf_putc(gp->out, '\t');
			outbuf_put(gp->out, add[i][j], strlen(add[i][j]));
		}
	outbuf_putc(gp->out, '\n');
	return 0;
}

/* Appends the three columns for the address in field f. */
static void
annotate(struct geoip *gp, struct slice f, const char *file, uint64_t line)
{
	struct ipaddr ip;
	struct geo_info gi;
	char err[1400], num[24];	/* err: geo_fail's path and why */

	if (geo_addr_from_text(f, &ip) != 0) {
		gp->noaddr++;
		outbuf_put(gp->out, "\t\t\t", 3);
		return;
	}
	while (geo_lookup(&gp->geo, &ip, &gi, err, sizeof err) != 0) {
		char q[DIAG_NAME_MAX];

		diag_msg("%s:%llu: %s", diag_escape(q, sizeof q,
		    slice_cstr(file)), (unsigned long long)line, err);
		gp->db_failed = 1;
	}
	outbuf_putc(gp->out, '\t');
	if (gi.cls != GEO_PUBLIC) {
		const char *label = geo_class_name(gi.cls);

		outbuf_put(gp->out, label, strlen(label));
		outbuf_put(gp->out, "\t\t", 2);
		return;
	}
	/* Database strings are untrusted: escaped like any log byte. */
	outbuf_put_escaped(gp->out, gi.country, ESC_TSV);
	outbuf_putc(gp->out, '\t');
	if (gi.has_asn)
		outbuf_put(gp->out, num, num_format_u64(num, gi.asn));
	outbuf_putc(gp->out, '\t');
	outbuf_put_escaped(gp->out, gi.org, ESC_TSV);
}

/* The number of bits set in x (no popcnt instruction assumed). */
static inline int
bits_set(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + (x >> 2 & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}

/* The place of set bit r (0: the lowest) of x, which has more. */
static inline size_t
nth_bit(uint64_t x, int r)
{
	for (; r > 0; r--)
		x &= x - 1;
	return (size_t)__builtin_ctzll(x);
}

/*
 * Where field k (-1: none wanted) starts and ends, when TABs f to f + c - 1
 * of the line are the bits of t, the group at o: it starts after TAB k - 1
 * and ends at TAB k.
 */
static inline void
field_edges(int k, uint64_t t, int f, int c, size_t o, size_t *start,
    size_t *end)
{
	if (k > 0 && k - 1 >= f && k - 1 < f + c)
		*start = o + nth_bit(t, k - 1 - f) + 1;
	if (k >= 0 && k >= f && k < f + c)
		*end = o + nth_bit(t, k - f);
}

/*
 * Counts the fields of line (TABs + 1) and finds fields a and b (-1:
 * none wanted) on the way, sixty-four bytes at a time: a line of the
 * stream has some forty fields, and only two are wanted.
 */
static int
scan_fields(struct slice line, int a, int b, struct slice *fa,
    struct slice *fb)
{
	size_t o, sa = 0, ea = line.n, sb = 0, eb = line.n;
	int f = 0;

	for (o = 0; o < line.n; o += 64) {
		uint64_t t = linescan_byte_mask(line.p + o, line.n - o, '\t');
		int c = bits_set(t);

		field_edges(a, t, f, c, o, &sa, &ea);
		field_edges(b, t, f, c, o, &sb, &eb);
		f += c;
	}
	if (a >= 0 && a <= f)
		*fa = slice_make(line.p + sa, ea - sa);
	if (b >= 0 && b <= f)
		*fb = slice_make(line.p + sb, eb - sb);
	return f + 1;
}

/*
 * The header rules of tsv_reader_next (tsv.h): the first line, and any
 * line starting with a "ts" field that differs from the current header,
 * is a header; a line equal to the current header is skipped. Returns 1
 * for a new header (in *h), 0 for a record, -1 to skip the line, -2 for a
 * line that should have been a header and cannot be.
 */
static int
header_line(struct tsv_header *h, int have, struct slice line)
{
	int n;

	if (have && line.n == h->len && memcmp(line.p, h->text, h->len) == 0)
		return -1;
	if (have && !slice_has_prefix(line, "ts\t") && !slice_eq(line, "ts"))
		return 0;
	if (!slice_has_prefix(line, "ts") || line.n > TSV_HEADER_MAX)
		return -2;
	memcpy(h->text, line.p, line.n);
	n = tsv_split(slice_make(h->text, line.n), h->name, TSV_MAX_COLS);
	if (n > TSV_MAX_COLS)
		return -2;
	h->len = line.n;
	h->ncols = n;
	return 1;
}

int
geoip_input(struct geoip *gp, struct input *in, struct line_stats *st)
{
	static struct tsv_header hdr;
	struct cols c = { -1, -1 };
	struct slice line, fd, fs;
	enum input_status is;
	int have = 0;

	while ((is = input_next(in, &line)) != INPUT_EOF) {
		if (is == INPUT_ERROR)
			return diag_read_error(in->name, in->lineno,
			    in->errmsg);
		st->lines++;
		if (is == INPUT_LONG) {
			diag_reject(st, in->name, in->lineno,
			    "line longer than 1048576 bytes", gp->max_errors);
			continue;
		}
		switch (header_line(&hdr, have, line)) {
		case 1:
			st->skipped++;
			if (take_header(gp, &hdr, in->name, &c) != 0)
				return EXIT_INCOMPLETE;
			have = 1;
			continue;
		case -1:
			st->skipped++;
			continue;
		case -2:
			diag_reject(st, in->name, in->lineno, have ?
			    "header too long" : "no header line (is this a "
			    "csm stream?)", gp->max_errors);
			continue;
		default:
			break;
		}
		fd = fs = slice_make(line.p, 0);
		if (scan_fields(line, c.dst, c.src, &fd, &fs) != hdr.ncols) {
			diag_reject(st, in->name, in->lineno,
			    "wrong number of fields for the header",
			    gp->max_errors);
			continue;
		}
		st->used++;
		st->events++;
		/* As it came, but for a raw byte of a hand-made stream. */
		outbuf_put_stream_line(gp->out, line);
		annotate(gp, fd, in->name, in->lineno);
		if (c.src >= 0)
			annotate(gp, fs, in->name, in->lineno);
		outbuf_putc(gp->out, '\n');
	}
	return EXIT_GOOD;
}
