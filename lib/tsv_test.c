/*
 * tsv_test.c: the stream reader: headers, repeated and changed headers of
 * concatenated streams, field counts.
 */
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "tsv.h"

static char path[] = "/tmp/csm-tsv-test-XXXXXX";

static void
write_file(const char *text)
{
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

/* The plain definition tsv_split must agree with: a field per TAB + 1. */
static int
split_reference(struct slice line, struct slice *fields, int max)
{
	size_t i, start = 0;
	int n = 0;

	for (i = 0; i <= line.n; i++) {
		if (i < line.n && line.p[i] != '\t')
			continue;
		if (n == max)
			return max + 1;
		fields[n++] = slice_make(line.p + start, i - start);
		start = i + 1;
	}
	return n;
}

/*
 * Lines of every length up to 80 with TABs at pseudo-random places cross
 * the 16-byte blocks and the tail at every offset; max is cut short too.
 */
static int
split_agrees(void)
{
	struct slice got[40], want[40];
	char line[80];
	unsigned seed = 12345;
	size_t len, i;
	int max, round, k;

	for (round = 0; round < 2000; round++) {
		len = (size_t)round % sizeof line;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			line[i] = (seed >> 16) % 4 == 0 ? '\t' : 'x';
		}
		max = 1 + round % 39;
		k = tsv_split(slice_make(line, len), got, max);
		if (k != split_reference(slice_make(line, len), want, max))
			return 0;
		for (i = 0; k <= max && i < (size_t)k; i++)
			if (got[i].p != want[i].p || got[i].n != want[i].n)
				return 0;
	}
	return 1;
}

int
main(void)
{
	struct slice f[TSV_MAX_COLS + 1];
	struct tsv_reader r;
	struct input in;
	int n;

	n = tsv_split(SLICE_LIT("a\t\tc"), f, 8);
	TEST_OK(n == 3 && f[1].n == 0 && slice_eq(f[2], "c"), "split empty");
	TEST_OK(tsv_split(SLICE_LIT("a\tb\tc"), f, 2) == 3, "too many fields");
	TEST_OK(tsv_split(SLICE_LIT(""), f, 2) == 1, "empty line is one field");
	TEST_OK(split_agrees(), "split agrees with the plain definition");

	write_file("ts\tsrc_ip\tx\n"
	    "2026-11-25T00:00:00.000Z\t10.0.0.1\ta\n"
	    "ts\tsrc_ip\tx\n"
	    "2026-11-25T00:00:01.000Z\t10.0.0.2\tb\n"
	    "ts\tx\n"
	    "2026-11-25T00:00:02.000Z\tc\n"
	    "only-one-field\n");
	TEST_OK(input_open(&in, path) == 0, "open");
	tsv_reader_init(&r, &in);
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_HEADER, "first header");
	TEST_OK(tsv_header_find(&r.hdr, "src_ip") == 1, "find column");
	TEST_OK(tsv_header_find(&r.hdr, "dst_ip") == -1, "missing column");
	{
		static const char *const want[] = { "x", "ts" };
		static const char *const bad[] = { "ts", "dst_ip" };
		const char *missing = NULL;
		int idx[2];

		TEST_OK(tsv_header_map(&r.hdr, want, 2, idx, &missing) == 0 &&
		    idx[0] == 2 && idx[1] == 0, "map columns");
		TEST_OK(tsv_header_map(&r.hdr, bad, 2, idx, &missing) == -1 &&
		    strcmp(missing, "dst_ip") == 0, "map names the missing one");
	}
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_ROW && n == 3 &&
	    slice_eq(f[1], "10.0.0.1"), "first row");
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_SAME_HEADER,
	    "repeated header told apart");
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_ROW &&
	    slice_eq(f[1], "10.0.0.2"), "row after the repeated header");
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_HEADER &&
	    tsv_header_find(&r.hdr, "x") == 1, "changed header remapped");
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_ROW && n == 2 &&
	    slice_eq(f[1], "c"), "row of new header");
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_BAD_ROW, "short row");
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_EOF, "end");
	input_close(&in);
	unlink(path);

	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	write_file("not a header\n");
	TEST_OK(input_open(&in, path) == 0, "open headerless");
	tsv_reader_init(&r, &in);
	TEST_OK(tsv_reader_next(&r, f, &n) == TSV_BAD_ROW, "no header");
	input_close(&in);
	unlink(path);
	return test_done();
}
