/*
 * tsv.h: reading csm streams (csm-events(5)): a header line of column
 * names, then TAB-separated records. Programs look columns up by name, so
 * columns they do not know pass through untouched; concatenated streams
 * are handled by skipping repeated headers and reporting changed ones.
 */
#ifndef CSM_TSV_H
#define CSM_TSV_H

#include "input.h"
#include "slice.h"

#define TSV_MAX_COLS 256
#define TSV_HEADER_MAX 8192

struct tsv_header {
	int ncols;
	struct slice name[TSV_MAX_COLS];	/* point into text */
	size_t len;
	char text[TSV_HEADER_MAX];
};

enum tsv_status {
	TSV_ROW,		/* fields[] hold a record of the current header */
	TSV_HEADER,		/* a (new or changed) header was read */
	TSV_SAME_HEADER,	/* the header again (concatenated streams) */
	TSV_BAD_ROW,		/* a record with the wrong number of fields */
	TSV_LONG,		/* a line over INPUT_MAX_LINE was skipped */
	TSV_EOF,
	TSV_ERROR		/* read error, see in->errmsg */
};

struct tsv_reader {
	struct input *in;
	struct tsv_header hdr;
	int have_header;
};

/*
 * Makes h the header of line (its text copied, its names split). Returns
 * -1 when the line is longer than TSV_HEADER_MAX or has too many columns.
 */
int tsv_header_set(struct tsv_header *h, struct slice line);

/*
 * Splits line at TABs into at most max fields. Returns the number of
 * fields, or max + 1 when there are more.
 */
int tsv_split(struct slice line, struct slice *fields, int max);

/* Starts reading records from an opened input. */
void tsv_reader_init(struct tsv_reader *r, struct input *in);

/*
 * Reads the next line. The first line of the input and any line whose
 * first field is "ts" and that differs from the current header become the
 * header (TSV_HEADER); a line equal to the current header is skipped.
 * A first line that cannot be a header is TSV_BAD_ROW.
 */
enum tsv_status tsv_reader_next(struct tsv_reader *r, struct slice *fields,
    int *nfields);

/*
 * What tsv_reader_next makes of line (without its LF) when the caller has
 * read it by other means; fields has room for TSV_MAX_COLS.
 */
enum tsv_status tsv_reader_line(struct tsv_reader *r, struct slice line,
    struct slice *fields, int *nfields);

/*
 * The same for a line the caller has split already into nfields fields
 * (TSV_MAX_COLS + 1 when more, as tsv_split says): a header, the header
 * again, or a row of the current header or not.
 */
enum tsv_status tsv_reader_take(struct tsv_reader *r, struct slice line,
    int nfields);

/*
 * tsv_reader_take, with its common case inline: once there is a header
 * (whose text starts "ts"), a line that does not start with 't' is
 * neither a header nor the header again, only a row or a bad one.
 */
static inline enum tsv_status
tsv_reader_take_row(struct tsv_reader *r, struct slice line, int nfields)
{
	if (r->have_header && line.n > 0 && line.p[0] != 't')
		return nfields == r->hdr.ncols ? TSV_ROW : TSV_BAD_ROW;
	return tsv_reader_take(r, line, nfields);
}

/* Index of the column called name, or -1. */
int tsv_header_find(const struct tsv_header *h, const char *name);

/*
 * Looks up n column names at once into idx[]. Returns 0, or -1 with
 * *missing set to the first name the header lacks, for the message
 * "required column 'NAME' missing".
 */
int tsv_header_map(const struct tsv_header *h, const char *const *names,
    int n, int *idx, const char **missing);

#endif
