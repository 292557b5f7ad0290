/*
 * outbuf_test.c: buffered output that never fails silently: a write error
 * (a full disk) is kept and reported, memory mode grows.
 */
#include <fcntl.h>
#include <unistd.h>
#include "outbuf.h"
#include "test.h"

static struct outbuf ob;

int
main(void)
{
	int fd = open("/dev/full", O_WRONLY);
	size_t i;

	if (fd >= 0) {
		outbuf_init(&ob, fd);
		outbuf_put(&ob, "hello\n", 6);
		TEST_OK(outbuf_flush(&ob) == -1 && ob.err != 0,
		    "write error on /dev/full is reported");
		outbuf_put(&ob, "more\n", 5);
		TEST_OK(outbuf_flush(&ob) == -1, "and stays reported");
		close(fd);
	}

	outbuf_init_mem(&ob);
	for (i = 0; i < 3 * OUTBUF_SIZE / 10; i++)
		outbuf_put(&ob, "0123456789", 10);
	outbuf_putc(&ob, '!');
	TEST_OK(ob.len == 3 * OUTBUF_SIZE / 10 * 10 + 1 && ob.err == 0 &&
	    ob.buf[ob.len - 1] == '!' && memcmp(ob.buf, "0123", 4) == 0,
	    "memory mode grows past the buffer size");
	outbuf_put_escaped(&ob, SLICE_LIT("a\tb"), 0);
	TEST_OK(memcmp(ob.buf + ob.len - 4, "a\\tb", 4) == 0, "escaped put");
	outbuf_release(&ob);
	return test_done();
}
