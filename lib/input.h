/*
 * input.h: the one reader for every csm program. Opens a path, "-" or
 * stdin, detects gzip by its magic bytes (not by name), and hands out lines
 * as slices into a large reused buffer, counting line numbers for
 * file:line diagnostics.
 */
#ifndef CSM_INPUT_H
#define CSM_INPUT_H

#include <stdint.h>
#include "slice.h"

/* Longest line handed out; longer ones are skipped and reported. */
#define INPUT_MAX_LINE (1024 * 1024)

enum input_status {
	INPUT_LINE,		/* *line holds the next line */
	INPUT_LONG,		/* a line over INPUT_MAX_LINE was skipped */
	INPUT_EOF,
	INPUT_ERROR		/* read or decompression error: see errmsg */
};

struct input_source;

struct input {
	const char *name;	/* for messages: the path, or "-" for stdin */
	uint64_t lineno;	/* number of the line last handed out */
	uint64_t size;		/* bytes on disk when known (regular file), else 0 */
	uint64_t consumed;	/* bytes read from the file so far (compressed):
				 * read it with input_consumed */
	int is_gzip;
	char errmsg[256];	/* reason of INPUT_ERROR or a failed open */

	struct input_source *src;
	char *buf;
	size_t start, end;	/* unread bytes are buf[start..end) */
	int eof;
	int failed;		/* errmsg is set; report it once data runs out */
	int discarding;		/* inside an over-long line */
};

/*
 * Opens path ("-" reads standard input). Returns 0, or -1 with errmsg set;
 * the input must be closed either way.
 */
int input_open(struct input *in, const char *path);

/*
 * The bytes read from the file so far (for progress). A gzip input's
 * inflating thread adds to them while the caller reads lines, until
 * input_close: hence an atomic load.
 */
static inline uint64_t
input_consumed(const struct input *in)
{
	return __atomic_load_n(&in->consumed, __ATOMIC_RELAXED);
}

/*
 * Reads ahead without consuming, and points lines[] at up to max complete
 * lines from the start of the input. Call before the first input_next.
 * Returns the number of lines (never a last one that a read error cut
 * off), or -1 on error (also when an error left no whole line).
 */
int input_peek_lines(struct input *in, struct slice *lines, int max);

/*
 * Hands out the next line without its LF (and without a CR before it). The
 * slice is valid until the next call. A last line without LF is returned
 * too.
 */
enum input_status input_next(struct input *in, struct slice *line);

/*
 * Copies a run of whole lines, each still ended by its LF (and a CR before
 * it kept), to dst: as many as fit in cap bytes (cap at most
 * INPUT_MAX_LINE, so none of them is over-long), reading plain files
 * straight into dst. Sets *nlines and advances lineno past them (with
 * nlines NULL, the caller counts them, and says so: input_lines_taken,
 * before it calls on the input again). Returns
 * the bytes copied, or 0 when the next line cannot come this way (longer
 * than cap, the last line without LF, the end of input, an error): the
 * caller then takes it with input_next, which behaves as if the lines
 * handed out here had come from it.
 */
size_t input_next_lines(struct input *in, char *dst, size_t cap,
    uint64_t *nlines);

/* Advances lineno past n lines handed out by input_next_lines(..., NULL). */
void input_lines_taken(struct input *in, uint64_t n);

/* Frees the buffer and closes the file (not stdin). */
void input_close(struct input *in);

#endif
