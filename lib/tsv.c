/*
 * tsv.c: the stream reader. Field values stay escaped as written; callers
 * unescape (esc_unescape) only the fields they need to look inside.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "tsv.h"

/*
 * Records the field that ends at stop and starts the next one after it.
 * Returns 0 while there is room, -1 when a field beyond max begins.
 */
static inline int
cut(struct slice *fields, int *n, int max, const char **start,
    const char *stop)
{
	if (*n == max)
		return -1;
	fields[*n].p = *start;
	fields[*n].n = (size_t)(stop - *start);
	(*n)++;
	*start = stop + 1;
	return 0;
}

/*
 * An events line has 36 fields, most of them short: a memchr call per
 * field cost more than the search. So the TABs of 16 bytes at a time are
 * found with one compare (SSE2 is in every x86-64), then taken bit by bit;
 * the tail shorter than a block goes byte by byte.
 */
int
tsv_split(struct slice line, struct slice *fields, int max)
{
	const char *p = line.p, *end = line.p + line.n, *start = line.p;
	int n = 0;

#if defined(__SSE2__)
	const __m128i tab = _mm_set1_epi8('\t');

	for (; end - p >= 16; p += 16) {
		__m128i block = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned mask = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(block, tab));

		while (mask != 0) {
			if (cut(fields, &n, max, &start,
			    p + __builtin_ctz(mask)) != 0)
				return max + 1;
			mask &= mask - 1;
		}
	}
#endif
	for (; p < end; p++)
		if (*p == '\t' && cut(fields, &n, max, &start, p) != 0)
			return max + 1;
	if (cut(fields, &n, max, &start, end) != 0)
		return max + 1;
	return n;
}

void
tsv_reader_init(struct tsv_reader *r, struct input *in)
{
	r->in = in;
	r->have_header = 0;
	r->hdr.ncols = 0;
	r->hdr.len = 0;
}

int
tsv_header_set(struct tsv_header *h, struct slice line)
{
	int n;

	if (line.n > TSV_HEADER_MAX)
		return -1;
	memcpy(h->text, line.p, line.n);
	h->len = line.n;
	n = tsv_split(slice_make(h->text, h->len), h->name, TSV_MAX_COLS);
	if (n > TSV_MAX_COLS)
		return -1;
	h->ncols = n;
	return 0;
}

enum tsv_status
tsv_reader_take(struct tsv_reader *r, struct slice line, int nfields)
{
	if (r->have_header && line.n == r->hdr.len &&
	    memcmp(line.p, r->hdr.text, line.n) == 0)
		return TSV_SAME_HEADER;
	if (!r->have_header || slice_has_prefix(line, "ts\t") ||
	    slice_eq(line, "ts")) {
		if (!slice_has_prefix(line, "ts") ||
		    tsv_header_set(&r->hdr, line) != 0)
			return TSV_BAD_ROW;
		r->have_header = 1;
		return TSV_HEADER;
	}
	return nfields == r->hdr.ncols ? TSV_ROW : TSV_BAD_ROW;
}

enum tsv_status
tsv_reader_line(struct tsv_reader *r, struct slice line, struct slice *fields,
    int *nfields)
{
	*nfields = tsv_split(line, fields, TSV_MAX_COLS);
	return tsv_reader_take(r, line, *nfields);
}

enum tsv_status
tsv_reader_next(struct tsv_reader *r, struct slice *fields, int *nfields)
{
	struct slice line;

	switch (input_next(r->in, &line)) {
	case INPUT_EOF:
		return TSV_EOF;
	case INPUT_ERROR:
		return TSV_ERROR;
	case INPUT_LONG:
		return TSV_LONG;
	default:
		return tsv_reader_line(r, line, fields, nfields);
	}
}

int
tsv_header_find(const struct tsv_header *h, const char *name)
{
	int i;

	for (i = 0; i < h->ncols; i++)
		if (slice_eq(h->name[i], name))
			return i;
	return -1;
}

int
tsv_header_map(const struct tsv_header *h, const char *const *names, int n,
    int *idx, const char **missing)
{
	int i;

	for (i = 0; i < n; i++) {
		idx[i] = tsv_header_find(h, names[i]);
		if (idx[i] < 0) {
			*missing = names[i];
			return -1;
		}
	}
	return 0;
}
