/*
 * csvrow_input.c: the per-input state of the formats that carry CSV
 * records in syslog lines (PAN-OS, pfSense): a row and the year inference
 * of their envelopes. Apart from csvrow.c, so that a program that only
 * splits CSV (the holiday file of every check) does not link the parsers.
 */
#include <stdlib.h>
#include <string.h>
#include "csvrow.h"

void *
csvrow_input_open(struct parse_ctx *ctx)
{
	struct csvrow_input *st = malloc(sizeof *st);

	if (st == NULL || csvrow_init(&st->row) != 0) {
		free(st);
		fmt_reject(ctx, "out of memory");
		return NULL;
	}
	envelope_year_init(&st->ey, ctx->opts->year, ctx->opts->now);
	return st;
}

void
csvrow_input_close(void *state)
{
	struct csvrow_input *st = state;

	if (st == NULL)
		return;
	csvrow_release(&st->row);
	free(st);
}

void
csvrow_carry_seed(void *state, const void *carry)
{
	struct csvrow_input *st = state;

	memcpy(&st->ey, carry, sizeof st->ey);
}
