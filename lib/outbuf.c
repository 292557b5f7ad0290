/*
 * outbuf.c: buffered, error-checked output. After the first write error
 * further output is dropped and ob->err keeps the cause for the caller's
 * exit status (3).
 */
#include <errno.h>
#include <unistd.h>
#include "esc.h"
#include "outbuf.h"

void
outbuf_init(struct outbuf *ob, int fd)
{
	ob->fd = fd;
	ob->err = 0;
	ob->len = 0;
}

int
outbuf_flush(struct outbuf *ob)
{
	size_t off = 0;

	while (off < ob->len && !ob->err) {
		ssize_t w = write(ob->fd, ob->buf + off, ob->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			ob->err = errno;
			break;
		}
		off += (size_t)w;
	}
	ob->len = 0;
	return ob->err ? -1 : 0;
}

char *
outbuf_reserve(struct outbuf *ob, size_t n)
{
	if (OUTBUF_SIZE - ob->len < n)
		outbuf_flush(ob);
	return ob->buf + ob->len;
}

void
outbuf_put(struct outbuf *ob, const char *p, size_t n)
{
	while (n > 0) {
		size_t room = OUTBUF_SIZE - ob->len, k;
		if (room == 0) {
			outbuf_flush(ob);
			room = OUTBUF_SIZE;
		}
		k = n < room ? n : room;
		memcpy(ob->buf + ob->len, p, k);
		ob->len += k;
		p += k;
		n -= k;
	}
}

void
outbuf_put_escaped(struct outbuf *ob, struct slice s, int flags)
{
	/* Pieces small enough to escape into the buffer in one go. */
	const size_t piece = OUTBUF_SIZE / ESC_MAX_GROWTH / 2;

	while (s.n > 0) {
		size_t k = s.n < piece ? s.n : piece;
		char *dst;

		/* Do not cut a UTF-8 sequence in two between pieces. */
		if (k < s.n)
			while (k > 1 && ((unsigned char)s.p[k] & 0xc0) == 0x80)
				k--;
		dst = outbuf_reserve(ob, k * ESC_MAX_GROWTH);
		ob->len += esc_tsv(dst, slice_make(s.p, k), flags);
		s = slice_from(s, k);
	}
}
