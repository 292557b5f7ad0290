/*
 * outbuf.c: buffered, error-checked output. After the first write error
 * further output is dropped and ob->err keeps the cause for the caller's
 * exit status (3).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "esc.h"
#include "outbuf.h"

void
outbuf_init(struct outbuf *ob, int fd)
{
	ob->fd = fd;
	ob->err = 0;
	ob->len = 0;
	ob->buf = ob->store;
	ob->cap = OUTBUF_SIZE;
}

void
outbuf_init_mem(struct outbuf *ob)
{
	outbuf_init(ob, -1);
	ob->buf = malloc(OUTBUF_SIZE);
	if (ob->buf == NULL) {
		ob->buf = ob->store;	/* stays usable; err reports it */
		ob->err = ENOMEM;
	}
}

void
outbuf_release(struct outbuf *ob)
{
	if (ob->buf != ob->store)
		free(ob->buf);
	ob->buf = ob->store;
	ob->cap = OUTBUF_SIZE;
	ob->len = 0;
}

/* write(2) all of p, retrying on EINTR; records the first error. */
static void
write_all(struct outbuf *ob, const char *p, size_t n)
{
	size_t off = 0;

	while (off < n && !ob->err) {
		ssize_t w = write(ob->fd, p + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			ob->err = errno;
			break;
		}
		off += (size_t)w;
	}
}

int
outbuf_flush(struct outbuf *ob)
{
	if (ob->fd < 0)
		return ob->err ? -1 : 0;
	if (ob->len && !ob->err)
		write_all(ob, ob->buf, ob->len);
	ob->len = 0;
	return ob->err ? -1 : 0;
}

int
outbuf_write_direct(struct outbuf *ob, const char *p, size_t n)
{
	outbuf_flush(ob);
	if (!ob->err && n)
		write_all(ob, p, n);
	return ob->err ? -1 : 0;
}

/* Memory mode: grows buf to hold n more bytes. Returns 0 or -1. */
static int
grow(struct outbuf *ob, size_t n)
{
	size_t cap = ob->cap;
	char *m;

	while (cap - ob->len < n)
		cap *= 2;
	if (ob->buf == ob->store) {
		if ((m = malloc(cap)) != NULL)
			memcpy(m, ob->buf, ob->len);
	} else {
		m = realloc(ob->buf, cap);
	}
	if (m == NULL) {
		ob->err = ENOMEM;
		return -1;
	}
	ob->buf = m;
	ob->cap = cap;
	return 0;
}

char *
outbuf_reserve(struct outbuf *ob, size_t n)
{
	if (ob->cap - ob->len < n) {
		if (ob->fd >= 0)
			outbuf_flush(ob);
		else if (grow(ob, n) != 0)
			return NULL;
	}
	return ob->buf + ob->len;
}

void
outbuf_put(struct outbuf *ob, const char *p, size_t n)
{
	while (n > 0) {
		size_t room = ob->cap - ob->len, k;
		if (room == 0) {
			if (outbuf_reserve(ob, n < OUTBUF_SIZE ? n :
			    OUTBUF_SIZE) == NULL)
				return;
			room = ob->cap - ob->len;
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
		if ((dst = outbuf_reserve(ob, k * ESC_MAX_GROWTH)) == NULL)
			return;
		ob->len += esc_tsv(dst, slice_make(s.p, k), flags);
		s = slice_from(s, k);
	}
}

/*
 * Whether line holds nothing but printable ASCII and TABs, which pass as
 * they are (nearly every line): sixteen bytes at a time. A signed compare
 * with 0x20 catches the controls and every byte from 0x80 on.
 */
static int
plain_line(struct slice line)
{
	size_t i = 0;

#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t');
	const __m128i del = _mm_set1_epi8(0x7f);
	__m128i bad = _mm_setzero_si128();

	/* The verdicts of a line's blocks are gathered, then looked at once. */
	for (; i + 16 <= line.n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (line.p + i));

		bad = _mm_or_si128(bad, _mm_or_si128(_mm_andnot_si128(
		    _mm_cmpeq_epi8(v, tab), _mm_cmplt_epi8(v, space)),
		    _mm_cmpeq_epi8(v, del)));
	}
	if (_mm_movemask_epi8(bad) != 0)
		return 0;
#endif
	for (; i < line.n; i++) {
		unsigned char c = (unsigned char)line.p[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return 0;
	}
	return 1;
}

void
outbuf_put_stream_line(struct outbuf *ob, struct slice line)
{
	const char *tab;

	if (plain_line(line)) {
		outbuf_put(ob, line.p, line.n);
		return;
	}
	for (;;) {
		tab = memchr(line.p, '\t', line.n);
		outbuf_put_escaped(ob, slice_make(line.p, tab ? (size_t)(tab -
		    line.p) : line.n), ESC_MEND);
		if (tab == NULL)
			return;
		outbuf_putc(ob, '\t');
		line = slice_from(line, (size_t)(tab + 1 - line.p));
	}
}
