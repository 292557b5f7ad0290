/*
 * input_test.c: the reader on plain and gzip files: line splitting, CRLF,
 * a last line without LF, over-long lines, concatenated gzip members, and
 * the errors that must never pass quietly (truncated and corrupt gzip).
 */
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "input.h"
#include "test.h"

static char *
tmpname(void)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/csm-input-test-XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		abort();
	close(fd);
	return path;
}

static void
write_plain(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0)
		abort();
}

/* Appends one gzip member holding data to path. */
static void
append_gzip(const char *path, const char *data, size_t n)
{
	gzFile g = gzopen(path, "ab");

	if (g == NULL || gzwrite(g, data, (unsigned)n) != (int)n ||
	    gzclose(g) != Z_OK)
		abort();
}

/* Reads all lines of path into out (joined with '|'); returns the status. */
static enum input_status
read_all(const char *path, char *out, size_t cap, char *err, size_t errcap)
{
	struct input in;
	struct slice line;
	enum input_status st;
	size_t o = 0;

	out[0] = err[0] = '\0';
	if (input_open(&in, path) != 0) {
		snprintf(err, errcap, "%s", in.errmsg);
		input_close(&in);
		return INPUT_ERROR;
	}
	while ((st = input_next(&in, &line)) == INPUT_LINE ||
	    st == INPUT_LONG) {
		if (st == INPUT_LONG)
			line = SLICE_LIT("<long>");
		if (o + line.n + 2 < cap) {
			memcpy(out + o, line.p, line.n);
			o += line.n;
			out[o++] = '|';
		}
	}
	out[o] = '\0';
	snprintf(err, errcap, "%s", in.errmsg);
	input_close(&in);
	return st;
}

int
main(void)
{
	char out[4096], err[256], *big;
	char *path = tmpname();
	size_t i, n;

	write_plain(path, "a\nbb\r\n\nlast", 11);
	TEST_OK(read_all(path, out, sizeof out, err, sizeof err) == INPUT_EOF &&
	    strcmp(out, "a|bb||last|") == 0, "plain lines, CRLF, no final LF");

	unlink(path);
	append_gzip(path, "one\ntwo\n", 8);
	append_gzip(path, "three\n", 6);
	TEST_OK(read_all(path, out, sizeof out, err, sizeof err) == INPUT_EOF &&
	    strcmp(out, "one|two|three|") == 0, "concatenated gzip members");

	/* Zero padding after a member is passed over; other bytes are not. */
	{
		static char pad[300000];
		FILE *f;

		unlink(path);
		append_gzip(path, "one\n", 4);
		f = fopen(path, "ab");
		fwrite(pad, 1, sizeof pad, f);
		fclose(f);
		TEST_OK(read_all(path, out, sizeof out, err, sizeof err) ==
		    INPUT_EOF && strcmp(out, "one|") == 0,
		    "zero padding after gzip, over several reads");
		append_gzip(path, "two\n", 4);
		TEST_OK(read_all(path, out, sizeof out, err, sizeof err) ==
		    INPUT_EOF && strcmp(out, "one|two|") == 0,
		    "a member after zero padding");
		f = fopen(path, "ab");
		fwrite(pad, 1, 10, f);
		fputs("junk", f);
		fclose(f);
		TEST_OK(read_all(path, out, sizeof out, err, sizeof err) ==
		    INPUT_ERROR && strstr(err, "trailing garbage") != NULL,
		    "garbage after zero padding is an error");
	}

	/* A large gzip file crossing many blocks keeps every line. */
	unlink(path);
	n = 3 * 1000 * 1000;
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = (i % 100 == 99) ? '\n' : (char)('a' + i % 26);
	append_gzip(path, big, n);
	{
		struct input in;
		struct slice line;
		size_t lines = 0, bytes = 0;

		TEST_OK(input_open(&in, path) == 0 && in.is_gzip, "gzip by magic");
		while (input_next(&in, &line) == INPUT_LINE) {
			lines++;
			bytes += line.n;
		}
		TEST_OK(lines == n / 100 && bytes == n / 100 * 99,
		    "3 MiB gzip: every line");
		input_close(&in);
	}

	/* Truncating the compressed file must be an error. */
	{
		FILE *f = fopen(path, "rb");
		static char z[4 * 1024 * 1024];
		size_t zn = fread(z, 1, sizeof z, f);

		fclose(f);
		write_plain(path, z, zn / 2);
		TEST_OK(read_all(path, out, sizeof out, err, sizeof err) ==
		    INPUT_ERROR && strstr(err, "truncated") != NULL,
		    "truncated gzip is an error");
		z[zn / 2] ^= 0x55;
		z[zn / 2 + 1] ^= 0x55;
		write_plain(path, z, zn);
		TEST_OK(read_all(path, out, sizeof out, err, sizeof err) ==
		    INPUT_ERROR && strstr(err, "gzip") != NULL,
		    "corrupt gzip is an error");
		write_plain(path, z, 10);
		TEST_OK(read_all(path, out, sizeof out, err, sizeof err) ==
		    INPUT_ERROR, "gzip header only is an error");
	}

	/* A line longer than the limit is skipped, the next one kept. */
	n = INPUT_MAX_LINE + 10;
	big = realloc(big, n + 8);
	memset(big, 'x', n);
	memcpy(big + n, "\nok\n", 4);
	write_plain(path, big, n + 4);
	TEST_OK(read_all(path, out, sizeof out, err, sizeof err) == INPUT_EOF &&
	    strcmp(out, "<long>|ok|") == 0, "over-long line skipped");
	free(big);

	/* The limit is exact: a line of INPUT_MAX_LINE bytes passes. */
	n = INPUT_MAX_LINE;
	big = malloc(2 * n + 8);
	memset(big, 'y', 2 * n + 2);
	big[n] = '\n';
	big[2 * n + 2] = '\n';
	write_plain(path, big, 2 * n + 3);
	{
		struct input in;
		struct slice line;

		TEST_OK(input_open(&in, path) == 0 &&
		    input_next(&in, &line) == INPUT_LINE &&
		    line.n == INPUT_MAX_LINE, "line of exactly the limit kept");
		TEST_OK(input_next(&in, &line) == INPUT_LONG,
		    "one byte more is too long");
		TEST_OK(input_next(&in, &line) == INPUT_EOF, "then the end");
		input_close(&in);
	}
	free(big);

	write_plain(path, "", 0);
	TEST_OK(read_all(path, out, sizeof out, err, sizeof err) == INPUT_EOF &&
	    out[0] == '\0', "empty file");
	unlink(path);
	TEST_OK(read_all(path, out, sizeof out, err, sizeof err) == INPUT_ERROR &&
	    strstr(err, "No such file") != NULL, "missing file");
	TEST_OK(read_all("/tmp", out, sizeof out, err, sizeof err) ==
	    INPUT_ERROR, "directory");
	return test_done();
}
