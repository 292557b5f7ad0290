/*
 * ioc_csv.c: CSV indicator lists with a header that names their columns
 * (ThreatFox exports, whose header hides in a '#' comment; MISP CSV
 * exports; any CSV with a value column), read with libcsv a line at a
 * time, so that a quoted field may run over several lines and each
 * record is reported under the line it starts on.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "ioc_impl.h"
#include "ioc_load.h"
#include "num.h"

/* The columns a CSV list may have, each under any of its names. */
enum csv_col {
	C_VALUE, C_TYPE, C_THREAT, C_MALWARE, C_TAGS, C_COMMENT, C_CONF,
	C_LEVEL, C_SOURCE, C_TO_IDS, C_NCOLS
};
static const char *const col_names[C_NCOLS][4] = {
	{ "ioc_value", "ioc", "value", "indicator" },
	{ "ioc_type", "type", "indicator_type", NULL },
	{ "threat_type", "category", NULL, NULL },
	{ "malware_printable", "malware", NULL, NULL },
	{ "tags", "attribute_tag", NULL, NULL },
	{ "comment", "description", NULL, NULL },
	{ "confidence_level", "confidence", NULL, NULL },
	{ "threat_level_id", NULL, NULL, NULL },
	{ "source", NULL, NULL, NULL },
	{ "to_ids", NULL, NULL, NULL },
};

#define CSV_FIELDS 64
#define CSV_BYTES 65536

struct ioc_csv {
	struct csv_parser p;
	struct slice f[CSV_FIELDS];
	int nf, full, ended, pending, have_header, ok;
	int col[C_NCOLS];
	size_t used, fed;
	uint64_t rec_line;
	char buf[CSV_BYTES];
};

static void
take_field(void *p, size_t len, void *data)
{
	struct ioc_csv *c = data;

	if (c->nf >= CSV_FIELDS || len > sizeof c->buf - c->used) {
		c->full = 1;
		return;
	}
	if (len > 0)
		memcpy(c->buf + c->used, p, len);
	c->f[c->nf++] = slice_make(c->buf + c->used, len);
	c->used += len;
}

static void
end_row(int ch, void *data)
{
	(void)ch;
	((struct ioc_csv *)data)->ended = 1;
}

/* Starts libcsv afresh (after an error it keeps its state). */
int
ioc_csv_reset(struct ioc_csv *c)
{
	if (c->ok)
		csv_free(&c->p);
	c->ok = csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) == 0;
	c->pending = 0;
	return c->ok ? 0 : -1;
}

/* Feeds one line and its LF; -1 for bad quoting. */
static int
feed(struct ioc_csv *c, struct slice line)
{
	if (!c->pending) {
		c->nf = 0;
		c->used = 0;
		c->full = 0;
		c->fed = 0;
	}
	c->ended = 0;
	c->fed += line.n + 1;
	if (csv_parse(&c->p, line.p, line.n, take_field, end_row, c) !=
	    line.n || csv_parse(&c->p, "\n", 1, take_field, end_row, c) != 1)
		return -1;
	c->pending = !c->ended;
	return 0;
}

/* Whether the fields are a header naming a value column; maps them. */
static int
map_header(struct ioc_csv *c)
{
	int k, a, i, col[C_NCOLS];

	if (c->nf < 2 || c->full)
		return 0;
	for (k = 0; k < C_NCOLS; k++) {
		col[k] = -1;
		for (a = 0; a < 4 && col[k] < 0 && col_names[k][a]; a++)
			for (i = 0; i < c->nf && col[k] < 0; i++)
				if (slice_eq_nocase(slice_trim(c->f[i]),
				    col_names[k][a]))
					col[k] = i;
	}
	if (col[C_VALUE] < 0)
		return 0;
	memcpy(c->col, col, sizeof col);
	c->have_header = 1;
	return 1;
}

/* A CSV field, or empty when the record is shorter. */
static struct slice
column(const struct ioc_csv *c, int k)
{
	int i = c->col[k];

	return i >= 0 && i < c->nf ? slice_trim(c->f[i]) : SLICE_NONE;
}

/* Whether a CSV value says nothing ("", "None", "null", "n/a"). */
static int
empty(struct slice v)
{
	return v.n == 0 || slice_eq_nocase(v, "none") ||
	    slice_eq_nocase(v, "null") || slice_eq_nocase(v, "n/a");
}

/* Appends part to the tag in buf (joined by "; "). */
static void
tag_add(char *buf, size_t cap, size_t *n, struct slice part)
{
	int k;

	if (empty(part) || *n + 3 >= cap)
		return;
	k = snprintf(buf + *n, cap - *n, "%s%.*s", *n ? "; " : "",
	    (int)part.n, part.p);
	if (k > 0)
		*n += (size_t)k < cap - *n ? (size_t)k : cap - *n - 1;
}

static int
record(struct ioc_set *s, struct ioc_load *ld, const char *name,
    struct ioc_csv *c)
{
	struct ioc_meta m = ioc_meta_of(name);
	struct slice v, ids, threat;
	char tag[400];
	size_t tn = 0;
	uint64_t u;

	if (c->full) {
		ioc_load_bad(ld, c->rec_line, "record too long");
		ld->bad_lines++;
		return 0;
	}
	if (c->nf == 1 && slice_trim(c->f[0]).n == 0)
		return 0;
	ids = column(c, C_TO_IDS);
	if (slice_eq(ids, "0") || slice_eq_nocase(ids, "false")) {
		ld->ignored++;
		return 0;
	}
	if ((v = column(c, C_VALUE)).n == 0) {
		ioc_load_bad(ld, c->rec_line, c->col[C_VALUE] < c->nf ?
		    "empty indicator" : "record shorter than the header");
		ld->bad_lines++;
		return 0;
	}
	threat = column(c, C_THREAT);
	tag_add(tag, sizeof tag, &tn, threat);
	tag_add(tag, sizeof tag, &tn, column(c, C_MALWARE));
	tag_add(tag, sizeof tag, &tn, column(c, C_TAGS));
	tag_add(tag, sizeof tag, &tn, column(c, C_COMMENT));
	m.tag = slice_make(tag, tn);
	if (num_parse_u64(column(c, C_CONF), 100, &u) == 0)
		m.confidence = (int)u;
	if (num_parse_u64(column(c, C_LEVEL), 3, &u) == 0 && u > 0)
		m.severity = 4 - (int)u;	/* MISP: 1 high .. 3 low */
	if (!empty(column(c, C_SOURCE)))
		m.source = column(c, C_SOURCE);
	if (slice_eq_nocase(threat, "botnet_cc"))
		m.stage = IOC_STAGE_C2;
	else if (slice_eq_nocase(threat, "payload_delivery") ||
	    slice_eq_nocase(threat, "payload delivery"))
		m.stage = IOC_STAGE_DELIVERY;
	return ioc_load_value(s, ld, c->rec_line, column(c, C_TYPE), v, &m);
}

/* A '#' line before the header may be a ThreatFox header. */
static int
comment_line(struct ioc_csv *c, struct slice t)
{
	t = slice_trim(slice_from(t, 1));
	if (c->have_header || t.n == 0)
		return 0;
	if (feed(c, t) == 0 && c->ended)
		map_header(c);
	return ioc_csv_reset(c);
}

int
ioc_csv_line(struct ioc_set *s, struct ioc_load *ld, const char *name,
    struct ioc_csv *c, uint64_t lineno, struct slice line, char *err,
    size_t errcap)
{
	struct slice t = slice_trim(line);
	char q[DIAG_NAME_MAX];

	if (!c->pending) {
		if (t.n == 0)
			return 0;
		if (t.p[0] == '#')
			return comment_line(c, t);
		c->rec_line = lineno;
	}
	if (feed(c, line) != 0 || c->fed > CSV_BYTES) {
		ioc_load_bad(ld, c->rec_line, c->fed > CSV_BYTES ?
		    "record over 64 KB (a quote not closed?)" :
		    "bad CSV quoting");
		ld->bad_lines++;
		return ioc_csv_reset(c);
	}
	if (c->pending)
		return 0;
	if (c->have_header)
		return record(s, ld, name, c);
	if (map_header(c))
		return 0;
	snprintf(err, errcap, "%s:%llu: no CSV header naming the indicator "
	    "column (ioc_value, ioc, value or indicator)", diag_escape(q,
	    sizeof q, slice_cstr(name)), (unsigned long long)c->rec_line);
	return IOC_LOAD_FAILED;
}

int
ioc_csv_is_header(struct slice t)
{
	struct ioc_csv *c;
	int yes = 0;

	if (t.n > 0 && t.p[0] == '#')
		t = slice_trim(slice_from(t, 1));
	if (t.n == 0 || slice_find(t, ',') < 0 || (c = ioc_csv_new()) == NULL)
		return 0;
	if (feed(c, t) == 0 && c->ended)
		yes = map_header(c);
	ioc_csv_free(c);
	return yes;
}


struct ioc_csv *
ioc_csv_new(void)
{
	struct ioc_csv *c = calloc(1, sizeof *c);

	if (c != NULL && ioc_csv_reset(c) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

void
ioc_csv_free(struct ioc_csv *c)
{
	if (c == NULL)
		return;
	if (c->ok)
		csv_free(&c->p);
	free(c);
}

void
ioc_csv_end(struct ioc_csv *c, struct ioc_load *ld)
{
	if (!c->pending)
		return;
	ioc_load_bad(ld, c->rec_line, "quote not closed at the end of the "
	    "file");
	ld->bad_lines++;
}
