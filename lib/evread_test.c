/*
 * evread_test.c: evread must hand out exactly what the plain TSV reader
 * gives, line for line, threaded or not, over a file built to reach every
 * path: runs longer than a batch (short lines carried over), lines of
 * growing length, repeated and changed headers, CR before LF, bad rows and
 * ts, a line over the input's limit and a last line without LF. The
 * preparation hook sees each row with the columns of its own header; a
 * partial one some of them in a thread, none without.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "evread_agree.h"
#include "test.h"

static char path[] = "/tmp/csm-evread-test-XXXXXX";

static void
write_file(void)
{
	FILE *f;
	int fd = mkstemp(path), i;

	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		abort();
	fputs("ts\tsrc_ip\tx\n", f);
	/* Short lines, then longer and longer ones: runs misjudge both. */
	for (i = 0; i < 9000; i++)
		fprintf(f, "\t%d\ta\n", i);
	for (i = 0; i < 3000; i++)
		fprintf(f, "2026-11-25T00:00:%02d.000Z\t10.0.%d.1\t%*s\n",
		    i % 60, i % 250, i, "x");
	/*
	 * The fast form of ts with the minute before, broken in each of its
	 * places, and a bad date in the fast form twice (not kept).
	 */
	fputs("2026-11-25T00:00:60.999Z\t10.0.0.9\tleap\n"
	    "2026-11-25T00:00:61.000Z\t10.0.0.9\tbad\n"
	    "2026-11-25T00:00:5x.000Z\t10.0.0.9\tbad\n"
	    "2026-11-25T00:00:59.00xZ\t10.0.0.9\tbad\n"
	    "2026-11-25T00:00x59.000Z\t10.0.0.9\tbad\n"
	    "2026-11-25T00:00:10.000z\t10.0.0.9\tbad\n"
	    "2026-02-30T00:00:00.000Z\t10.0.0.9\tbad\n"
	    "2026-02-30T00:00:01.000Z\t10.0.0.9\tbad\n"
	    "2026-11-25 00:02:00.000Z\t10.0.0.9\tspace\n", f);
	fputs("ts\tsrc_ip\tx\n", f);
	fputs("2026-11-25T01:00:00Z\t10.0.0.2\tcr\r\n", f);
	fputs("not-a-time\t10.0.0.3\tbad ts\n", f);
	fputs("ts\tx\n", f);
	fputs("2026-11-25T02:00:00Z\tnew header\n", f);
	fputs("one\ttoo\tmany\n", f);
	for (i = 0; i < 1100 * 1024; i++)
		fputc('y', f);
	fputc('\n', f);
	for (i = 0; i < 5000; i++)
		fprintf(f, "2026-11-25T03:00:00Z\t%d\n", i);
	fputs("2026-11-25T04:00:00Z\tno LF at the end", f);
	if (fclose(f) != 0)
		abort();
}

int
main(void)
{
	uint64_t lines, prepped;

	write_file();
	unsetenv("CSM_THREADS");
	TEST_OK(evread_agrees(path, 0, &lines, &prepped) && lines == 17018 &&
	    prepped == 17005, "threaded: same lines, every row prepared");
	TEST_OK(evread_agrees(path, 1, &lines, &prepped) && lines == 17018 &&
	    prepped > 0, "threaded, partial hook: same lines, some prepared");
	setenv("CSM_THREADS", "1", 1);
	TEST_OK(evread_agrees(path, 0, &lines, &prepped) && lines == 17018 &&
	    prepped == 17005, "unthreaded: same lines, every row prepared");
	TEST_OK(evread_agrees(path, 1, &lines, &prepped) && lines == 17018 &&
	    prepped == 0, "unthreaded, partial hook: no row prepared");
	/* Batches kept from reader to reader hold the last one's text. */
	evread_keep_batches();
	unsetenv("CSM_THREADS");
	TEST_OK(evread_agrees(path, 0, &lines, &prepped) && lines == 17018 &&
	    prepped == 17005 && evread_agrees(path, 0, &lines, &prepped) &&
	    lines == 17018 && prepped == 17005,
	    "batches kept: threaded twice, the same lines");
	setenv("CSM_THREADS", "1", 1);
	TEST_OK(evread_agrees(path, 1, &lines, &prepped) && lines == 17018,
	    "batches kept: then unthreaded, the same lines");
	unlink(path);
	return test_done();
}
