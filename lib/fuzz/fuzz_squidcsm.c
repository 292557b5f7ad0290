/*
 * fuzz_squidcsm.c: libFuzzer harness for reading the recommended Squid
 * format at a glance (lib/squidfmt_csm.c) against squidfmt_match's general
 * search, which it must never contradict. The input is one log line (cut
 * at its first LF, as csm-parse's lines are). Whenever squidfmt_match_csm
 * reads it, squidfmt_match must read it too, to the same values (the same
 * bytes of the line), and a line called plain must hold no byte esc_tsv
 * would change.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "esc.h"
#include "squidfmt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct squidfmt csm;

static void
fail(const char *what, int field)
{
	fprintf(stderr, "fuzz_squidcsm: %s (field %d)\n", what, field);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[200];

	(void)argc;
	(void)argv;
	if (squidfmt_compile(&csm, SQUIDFMT_CSM, err, sizeof err) != 0 ||
	    !squidfmt_is_csm(&csm) || csm.n != SQUIDFMT_CSM_FIELDS)
		fail("the recommended format does not compile to itself", -1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slice fast[SQUIDFMT_CSM_FIELDS], slow[SQUIDFMT_CSM_FIELDS];
	struct squidfmt_miss miss;
	const char *lf = memchr(data, '\n', size);
	struct slice line = slice_make((const char *)data, lf ? (size_t)(lf -
	    (const char *)data) : size), trimmed = line;
	int plain, i;

	if (squidfmt_match_csm(line, fast, &plain) != 0)
		return 0;
	if (squidfmt_match(&csm, line, slow, &miss) != 0)
		fail("read at a glance, but squidfmt_match reads no value", -1);
	for (i = 0; i < SQUIDFMT_CSM_FIELDS; i++)
		if (fast[i].n != slow[i].n || (fast[i].n > 0 &&
		    fast[i].p != slow[i].p))
			fail("a value differs from squidfmt_match's", i);
	while (trimmed.n && (trimmed.p[trimmed.n - 1] == ' ' ||
	    trimmed.p[trimmed.n - 1] == '\t'))
		trimmed.n--;
	if (plain && !esc_is_clean(trimmed))
		fail("a line called plain holds a byte to escape", -1);
	return 0;
}
