/*
 * fuzz_evread.c: libFuzzer harness for the reading thread of every check
 * (evread.c). The input, repeated until it spans several batches (about
 * 3,000 lines or 256 KiB), is written to a memory file and read both by
 * evread, threaded or not (the first byte chooses), and by the plain TSV
 * reader: any difference in what they hand out, line by line, aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "evread_agree.h"

#define SPAN_LINES 3000
#define SPAN_BYTES (256 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reader's batches are kept from one run to the next (evread.h). */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	evread_keep_batches();
	return 0;
}

/* Writes n bytes at p to fd; -1 on error. */
static int
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	uint64_t lines, prepped;
	size_t nl = 0, i, copies;
	int fd;

	if (size < 2)
		return 0;
	if (data[0] & 1)
		setenv("CSM_THREADS", "1", 1);
	else
		unsetenv("CSM_THREADS");
	data++;
	size--;
	for (i = 0; i < size; i++)
		nl += data[i] == '\n';
	copies = SPAN_LINES / (nl + 1) + 1;
	if (copies * size > SPAN_BYTES)
		copies = SPAN_BYTES / size + 1;
	if ((fd = memfd_create("fuzz_evread", 0)) < 0)
		abort();
	for (i = 0; i < copies; i++)
		if (write_all(fd, data, size) != 0)
			abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	/* The first byte's low bit: a partial hook, which may skip rows. */
	if (!evread_agrees(path, size > 0 && (data[0] & 1), &lines, &prepped)) {
		fprintf(stderr, "fuzz_evread: evread and the TSV reader "
		    "differ\n");
		abort();
	}
	close(fd);
	return 0;
}
