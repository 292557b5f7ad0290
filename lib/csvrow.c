/*
 * csvrow.c: libcsv driven line by line. Quoted fields with commas are
 * common in firewall CSV, so this is a real CSV parser, never a split on
 * commas. Fields are copied into the row's own buffer because libcsv
 * reuses its own between calls.
 */
#include <stdlib.h>
#include <string.h>
#include "csvrow.h"

/* libcsv: no byte ends a record (the line is one) or is trimmed. */
static int
no_byte(unsigned char c)
{
	(void)c;
	return 0;
}

int
csvrow_init(struct csvrow *r)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_space_func(&r->csv, no_byte);
	csv_set_term_func(&r->csv, no_byte);
	return 0;
}

/* libcsv's field callback: copies the field into the row. */
static void
take_field(void *s, size_t len, void *data)
{
	struct csvrow *r = data;

	if (r->n >= CSVROW_MAX_FIELDS || len > sizeof r->buf - r->used) {
		r->full = 1;
		return;
	}
	if (len)
		memcpy(r->buf + r->used, s, len);
	r->f[r->n++] = slice_make(r->buf + r->used, len);
	r->used += len;
}

int
csvrow_split(struct csvrow *r, struct slice line, const char **why)
{
	r->used = 0;
	r->n = 0;
	r->full = 0;
	if (csv_parse(&r->csv, line.p, line.n, take_field, NULL, r) !=
	    line.n || csv_fini(&r->csv, take_field, NULL, r) != 0) {
		/* libcsv keeps its state after an error: start afresh. */
		csv_free(&r->csv);
		csvrow_init(r);
		*why = "bad csv quoting";
		return -1;
	}
	if (r->full) {
		*why = "record too long";
		return -1;
	}
	return 0;
}

void
csvrow_release(struct csvrow *r)
{
	csv_free(&r->csv);
}
