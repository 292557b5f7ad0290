/*
 * outbuf.h: one large output buffer per stream, written with write(2) and
 * checked at every flush, so that a full disk or a closed pipe is never
 * silent.
 */
#ifndef CSM_OUTBUF_H
#define CSM_OUTBUF_H

#include <stddef.h>
#include "slice.h"

#define OUTBUF_SIZE (256 * 1024)

struct outbuf {
	int fd;			/* -1: memory mode, the output stays in buf */
	int err;		/* errno of the first failed write, or 0 */
	char *buf;		/* store, or in memory mode a growing block */
	size_t len, cap;
	char store[OUTBUF_SIZE];
};

/* Prepares ob to write to fd. */
void outbuf_init(struct outbuf *ob, int fd);

/*
 * Prepares ob to collect output in memory: buf[0..len) is everything
 * written so far, until the caller empties it (len = 0). Running out of
 * memory sets err. Free with outbuf_release.
 */
void outbuf_init_mem(struct outbuf *ob);

/* Frees the memory of a memory-mode outbuf. */
void outbuf_release(struct outbuf *ob);

/* Writes n bytes straight to fd after what is buffered (no copy). */
int outbuf_write_direct(struct outbuf *ob, const char *p, size_t n);

/*
 * Returns a pointer to at least n free bytes (n <= OUTBUF_SIZE), flushing
 * (or, in memory mode, growing) first if needed; the caller then advances
 * ob->len by what it wrote. In memory mode NULL when out of memory.
 */
char *outbuf_reserve(struct outbuf *ob, size_t n);

/* Appends n bytes. */
void outbuf_put(struct outbuf *ob, const char *p, size_t n);

/* Appends s escaped per esc_tsv(flags), in pieces if s is very long. */
void outbuf_put_escaped(struct outbuf *ob, struct slice s, int flags);

/*
 * Appends a line of a stream (fields escaped already, between TABs) as it
 * is, but for a raw byte the contract forbids (a hand-made stream's),
 * which is escaped in its field (ESC_MEND): for a filter that passes
 * lines on.
 */
void outbuf_put_stream_line(struct outbuf *ob, struct slice line);

static inline void
outbuf_putc(struct outbuf *ob, char c)
{
	if (ob->len == ob->cap && outbuf_reserve(ob, 1) == NULL)
		return;
	ob->buf[ob->len++] = c;
}

/*
 * Writes out what is buffered (nothing to do in memory mode). Returns 0,
 * or -1 with ob->err set.
 */
int outbuf_flush(struct outbuf *ob);

#endif
