/*
 * fuzz_sniff.c: libFuzzer harness for format detection (-f auto). The
 * input is cut into at most SNIFF_LINES lines the way input_peek_lines
 * does (LF ends a line, one CR before it is dropped, a last line without
 * LF counts), each line in a heap block of its exact length so that ASan
 * sees a sniffer reading past it; then every sniffer is asked on its own
 * (its score must lie in 0-100) and fmt_detect must pick a registered
 * format that has a sniffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fmt.h"

#define SNIFF_LINES 50		/* as csm-parse's parse_input.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *fmtname, const char *what)
{
	fprintf(stderr, "fuzz_sniff: format %s: %s\n", fmtname, what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slice lines[SNIFF_LINES];
	char *copies[SNIFF_LINES];
	const char *p = (const char *)data, *end = p + size;
	const struct fmt *best;
	int i, n = 0, known = 0;

	while (p < end && n < SNIFF_LINES) {
		const char *line = p;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *copy;

		p = nl ? nl + 1 : end;
		if (len && line[len - 1] == '\r')
			len--;
		/* Exactly len bytes: ASan then sees any read past the end. */
		if ((copy = malloc(len)) == NULL && len > 0)
			break;
		memcpy(copy, line, len);
		copies[n] = copy;
		lines[n++] = slice_make(copy, len);
	}
	if (n == 0)
		return 0;	/* csm-parse does not sniff an empty input */

	for (i = 0; fmt_list[i]; i++) {
		int score;

		if (fmt_list[i]->sniff == NULL)
			continue;
		score = fmt_list[i]->sniff(lines, n);
		if (score < 0 || score > 100)
			fail(fmt_list[i]->name, "sniff score outside 0-100");
	}
	best = fmt_detect(lines, n);
	if (best != NULL) {
		for (i = 0; fmt_list[i]; i++)
			if (fmt_list[i] == best)
				known = 1;
		if (!known || best->sniff == NULL)
			fail(best->name, "fmt_detect chose a format that "
			    "cannot sniff");
	}

	for (i = 0; i < n; i++)
		free(copies[i]);
	return 0;
}
