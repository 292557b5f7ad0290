/*
 * csvrow.h: one log line read as one CSV record with libcsv, its fields
 * copied out as slices. For formats that carry CSV inside a line (PAN-OS,
 * pfSense filterlog): nothing ends a record but the end of the line, and
 * no space is trimmed.
 */
#ifndef CSM_CSVROW_H
#define CSM_CSVROW_H

#include <csv.h>
#include "envelope.h"
#include "fmt.h"
#include "slice.h"

#define CSVROW_MAX_FIELDS 160	/* PAN-OS 11 writes about 120 */
#define CSVROW_BYTES 16384	/* its records are about 1.5 KB */

struct csvrow {
	struct csv_parser csv;
	struct slice f[CSVROW_MAX_FIELDS];
	int n;			/* fields stored */
	int full;		/* more fields or bytes than fit */
	size_t used;
	char buf[CSVROW_BYTES];
};

/* Prepares r. Returns 0, or -1 when libcsv cannot allocate. */
int csvrow_init(struct csvrow *r);

/*
 * Splits line into r->f[0..n). Returns 0, or -1 with *why set for bad
 * quoting or a record larger than the row holds.
 */
int csvrow_split(struct csvrow *r, struct slice line, const char **why);

/* Frees libcsv's buffers. */
void csvrow_release(struct csvrow *r);

/*
 * The per-input state of formats that carry CSV records in syslog lines:
 * the year inference of their envelopes and the row.
 */
struct csvrow_input {
	struct envelope_year ey;
	struct csvrow row;
};

/* fmt open and close callbacks for such formats. */
void *csvrow_input_open(struct parse_ctx *ctx);
void csvrow_input_close(void *state);

/* fmt carry_seed for such formats: the year state is the one carried. */
void csvrow_carry_seed(void *state, const void *carry);

/* The fmt table fields of a format whose state is csvrow_input_open's. */
#define CSVROW_INPUT_STATE \
	.open = csvrow_input_open, \
	.close = csvrow_input_close, \
	.carry_size = sizeof(struct envelope_year), \
	.carry_init = envelope_carry_init, \
	.carry_advance = envelope_carry_advance, \
	.carry_seed = csvrow_carry_seed

#endif
