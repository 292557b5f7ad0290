/*
 * input.c: plain and gzip input through one line splitter. Gzip data is
 * inflated with zlib in a second thread, so that on a multi-core machine
 * decompression and parsing overlap; plain files are read directly. A
 * truncated or corrupt gzip stream is an error naming the file, never a
 * quiet end of input.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "input.h"

#define CHUNK (256 * 1024)
#define BUF_SIZE (INPUT_MAX_LINE + CHUNK)

/* One block handed from the inflating thread to the line splitter. */
struct block {
	size_t len;
	int full;		/* holds data the splitter has not taken */
	int last;		/* the stream ended (or failed) after this block */
	char data[CHUNK];
};

struct input_source {
	int fd;
	int own_fd;
	/* gzip only */
	z_stream zs;
	int zs_ready;
	unsigned char *zin;
	pthread_t thread;
	int thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct block *blocks;	/* two, filled and taken in turn */
	int take, stop;
	char err[200];		/* set by the thread with the last block */
};

static void
set_err(struct input *in, const char *what, int e)
{
	snprintf(in->errmsg, sizeof in->errmsg, "%s: %s", what, strerror(e));
}

/* read(2) that retries on EINTR and fills as much of buf as it can. */
static ssize_t
read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/*
 * Inflates into blk until it is full or the stream ends. Handles
 * concatenated gzip members (what `cat a.gz b.gz` produces). Returns 0 while
 * more may follow, 1 at a clean end, -1 on error with err set.
 */
static int
inflate_block(struct input *in, struct block *blk, int *ended_member,
    char *err, size_t errlen)
{
	struct input_source *s = in->src;
	int ret;

	blk->len = 0;
	while (blk->len < CHUNK) {
		if (s->zs.avail_in == 0) {
			ssize_t r = read_full(s->fd, s->zin, CHUNK);
			if (r < 0) {
				snprintf(err, errlen, "read error: %s",
				    strerror(errno));
				return -1;
			}
			__atomic_add_fetch(&in->consumed, (uint64_t)r,
			    __ATOMIC_RELAXED);
			if (r == 0) {
				if (*ended_member)
					return 1;
				snprintf(err, errlen,
				    "truncated gzip data (unexpected end of file)");
				return -1;
			}
			s->zs.next_in = s->zin;
			s->zs.avail_in = (uInt)r;
		}
		if (*ended_member && s->zs.next_in[0] == 0) {
			/*
			 * Zeros after a member are padding (tape blocks, a
			 * file written in whole blocks), as gzip(1) takes
			 * them: passed over, to the end or to what follows.
			 */
			while (s->zs.avail_in > 0 && s->zs.next_in[0] == 0) {
				s->zs.next_in++;
				s->zs.avail_in--;
			}
			continue;
		}
		if (*ended_member) {
			/* Another member follows: it must be gzip too. */
			if (s->zs.next_in[0] != 0x1f) {
				snprintf(err, errlen,
				    "trailing garbage after gzip data");
				return -1;
			}
			inflateReset(&s->zs);
			*ended_member = 0;
		}
		s->zs.next_out = (unsigned char *)blk->data + blk->len;
		s->zs.avail_out = (uInt)(CHUNK - blk->len);
		ret = inflate(&s->zs, Z_NO_FLUSH);
		blk->len = CHUNK - s->zs.avail_out;
		if (ret == Z_STREAM_END) {
			*ended_member = 1;
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			snprintf(err, errlen, "corrupt gzip data: %s",
			    s->zs.msg ? s->zs.msg : "inflate failed");
			return -1;
		}
	}
	return 0;
}

/* The inflating thread: fills the two blocks in turn until the end. */
static void *
inflate_thread(void *arg)
{
	struct input *in = arg;
	struct input_source *s = in->src;
	int b = 0, ended_member = 0, r;
	char err[200];

	do {
		struct block *blk = &s->blocks[b];

		pthread_mutex_lock(&s->mu);
		while (blk->full && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		pthread_mutex_unlock(&s->mu);
		if (s->stop)
			return NULL;

		err[0] = '\0';
		r = inflate_block(in, blk, &ended_member, err, sizeof err);

		pthread_mutex_lock(&s->mu);
		blk->full = 1;
		if (r != 0) {
			blk->last = 1;
			memcpy(s->err, err, sizeof s->err);
		}
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		b ^= 1;
	} while (r == 0);
	return NULL;
}

int
input_open(struct input *in, const char *path)
{
	struct input_source *s;
	struct stat st;
	unsigned char magic[2];
	ssize_t r;

	memset(in, 0, sizeof *in);
	in->name = path;
	in->src = s = calloc(1, sizeof *s);
	in->buf = malloc(BUF_SIZE);
	if (s == NULL || in->buf == NULL) {
		set_err(in, "cannot allocate buffer", ENOMEM);
		return -1;
	}
	if (strcmp(path, "-") == 0) {
		s->fd = 0;
	} else {
		s->fd = open(path, O_RDONLY);
		if (s->fd < 0) {
			set_err(in, "cannot open", errno);
			return -1;
		}
		s->own_fd = 1;
	}
	if (fstat(s->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			set_err(in, "cannot read", EISDIR);
			return -1;
		}
		if (S_ISREG(st.st_mode))
			in->size = (uint64_t)st.st_size;
	}
	/* Sniff the magic bytes; they stay in buf for plain input. */
	r = read_full(s->fd, magic, 2);
	if (r < 0) {
		set_err(in, "read error", errno);
		return -1;
	}
	in->consumed = (uint64_t)r;
	if (r == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		in->is_gzip = 1;
		s->zin = malloc(CHUNK);
		s->blocks = calloc(2, sizeof *s->blocks);
		if (s->zin == NULL || s->blocks == NULL) {
			set_err(in, "cannot allocate buffer", ENOMEM);
			return -1;
		}
		memcpy(s->zin, magic, 2);
		s->zs.next_in = s->zin;
		s->zs.avail_in = 2;
		if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
			set_err(in, "cannot start zlib", ENOMEM);
			return -1;
		}
		s->zs_ready = 1;
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, NULL);
		if (pthread_create(&s->thread, NULL, inflate_thread, in) != 0) {
			set_err(in, "cannot start thread", errno);
			return -1;
		}
		s->thread_started = 1;
	} else {
		memcpy(in->buf, magic, (size_t)r);
		in->end = (size_t)r;
	}
	return 0;
}

/*
 * Appends more data after buf[end], moving unread bytes to the front first
 * when the tail is short. Returns bytes added, 0 at end of input, -1 on
 * error (errmsg set).
 */
static ssize_t
fill(struct input *in)
{
	struct input_source *s = in->src;
	ssize_t r;

	if (in->failed)
		return -1;
	if (in->eof)
		return 0;
	if (BUF_SIZE - in->end < CHUNK) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	if (!in->is_gzip) {
		r = read_full(s->fd, in->buf + in->end, CHUNK);
		if (r < 0) {
			set_err(in, "read error", errno);
			return -1;
		}
		if (r == 0)
			in->eof = 1;
		in->consumed += (uint64_t)r;
		in->end += (size_t)r;
		return r;
	} else {
		struct block *blk = &s->blocks[s->take];
		int last;

		pthread_mutex_lock(&s->mu);
		while (!blk->full)
			pthread_cond_wait(&s->cv, &s->mu);
		pthread_mutex_unlock(&s->mu);
		memcpy(in->buf + in->end, blk->data, blk->len);
		in->end += blk->len;
		r = (ssize_t)blk->len;
		last = blk->last;
		pthread_mutex_lock(&s->mu);
		blk->full = 0;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		s->take ^= 1;
		if (last) {
			/*
			 * What was inflated before a failure is handed out
			 * first; the error is reported by the next fill.
			 */
			in->eof = 1;
			if (s->err[0]) {
				snprintf(in->errmsg, sizeof in->errmsg, "%s",
				    s->err);
				in->failed = 1;
			}
		}
		/* An empty non-final block cannot happen; 0 means the end. */
		return r == 0 && in->failed ? -1 : r;
	}
}

int
input_peek_lines(struct input *in, struct slice *lines, int max)
{
	const size_t want = 64 * 1024;
	int n = 0;
	size_t pos;

	while (in->end - in->start < want && !in->eof)
		if (fill(in) < 0)
			return -1;
	pos = in->start;
	while (n < max && pos < in->end) {
		const char *nl = memchr(in->buf + pos, '\n', in->end - pos);
		size_t len;

		if (nl == NULL) {
			/* A line a failed input cut off is no line. */
			if (!in->eof || in->failed)
				break;
			len = in->end - pos;
		} else {
			len = (size_t)(nl - (in->buf + pos));
		}
		lines[n].p = in->buf + pos;
		lines[n].n = len;
		if (len && lines[n].p[len - 1] == '\r')
			lines[n].n--;
		n++;
		pos += len + 1;
	}
	return n == 0 && in->failed ? -1 : n;
}

enum input_status
input_next(struct input *in, struct slice *line)
{
	for (;;) {
		const char *p = in->buf + in->start;
		size_t avail = in->end - in->start;
		const char *nl = avail ? memchr(p, '\n', avail) : NULL;
		ssize_t r;

		if (nl) {
			size_t len = (size_t)(nl - p);
			in->start += len + 1;
			in->lineno++;
			/*
			 * Exactly the lines over the limit: the buffer holds
			 * a little more, and whether such a line had been
			 * caught whole would depend on where reads fell.
			 */
			if (in->discarding || len > INPUT_MAX_LINE) {
				in->discarding = 0;
				return INPUT_LONG;
			}
			if (len && p[len - 1] == '\r')
				len--;
			line->p = p;
			line->n = len;
			return INPUT_LINE;
		}
		if (avail > INPUT_MAX_LINE) {
			/* Too long: drop what we have, keep looking for LF. */
			in->discarding = 1;
			in->start = in->end = 0;
		}
		r = fill(in);
		if (r < 0)
			return INPUT_ERROR;
		if (r == 0 && in->eof) {
			p = in->buf + in->start;	/* fill may move data */
			avail = in->end - in->start;
			if (avail == 0 && !in->discarding)
				return INPUT_EOF;
			/* The last line has no LF. */
			in->start = in->end;
			in->lineno++;
			if (in->discarding) {
				in->discarding = 0;
				return INPUT_LONG;
			}
			line->p = p;
			line->n = avail;
			if (avail && p[avail - 1] == '\r')
				line->n--;
			return INPUT_LINE;
		}
	}
}

/* The number of LF bytes in p[0..n). */
static uint64_t
count_lf(const char *p, size_t n)
{
	uint64_t count = 0;
	size_t i = 0;

#ifdef __SSE2__
	/*
	 * Per byte lane, subtract the compare's -1 for each LF, for at most
	 * 255 rounds before a lane could wrap; then add up the lanes.
	 */
	while (n - i >= 16) {
		__m128i acc = _mm_setzero_si128();
		size_t stop = n - i >= 16 * 255 ? i + 16 * 255 : n - (n - i) % 16;

		for (; i < stop; i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(p + i)),
			    _mm_set1_epi8('\n')));
		acc = _mm_sad_epu8(acc, _mm_setzero_si128());
		count += (uint64_t)_mm_cvtsi128_si32(acc) +
		    (uint64_t)_mm_cvtsi128_si32(_mm_srli_si128(acc, 8));
	}
#endif
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}

size_t
input_next_lines(struct input *in, char *dst, size_t cap, uint64_t *nlines)
{
	size_t k, keep, tail;
	const char *nl;
	int refilled = 0;

	if (nlines != NULL)
		*nlines = 0;
	if (in->discarding || in->failed)
		return 0;	/* input_next deals with these */
	if (cap > INPUT_MAX_LINE)
		cap = INPUT_MAX_LINE;
	if (in->is_gzip && in->end - in->start < cap && !in->eof)
		if (fill(in) < 0)
			return 0;	/* input_next reports it */
	/* What is buffered first (fill may have moved it). */
	k = in->end - in->start < cap ? in->end - in->start : cap;
	memcpy(dst, in->buf + in->start, k);
	in->start += k;
	/* Then, for a plain file, read(2) straight into dst. */
	if (!in->is_gzip && k < cap && !in->eof) {
		ssize_t r = read_full(in->src->fd, dst + k, cap - k);
		if (r < 0) {
			/* Hand out what came; input_next then reports it. */
			set_err(in, "read error", errno);
			in->failed = 1;
		} else {
			if (r == 0)
				in->eof = 1;
			in->consumed += (uint64_t)r;
			k += (size_t)r;
		}
		refilled = 1;
	}
	nl = k ? memrchr(dst, '\n', k) : NULL;
	keep = nl ? (size_t)(nl - dst) + 1 : 0;
	/* Put back the bytes after the last LF, ahead of any unread ones. */
	tail = k - keep;
	if (refilled) {
		memcpy(in->buf, dst + keep, tail);
		in->start = 0;
		in->end = tail;
	} else {
		in->start -= tail;
	}
	if (keep && nlines != NULL) {
		*nlines = count_lf(dst, keep);
		in->lineno += *nlines;
	}
	return keep;
}

void
input_lines_taken(struct input *in, uint64_t n)
{
	in->lineno += n;
}

void
input_close(struct input *in)
{
	struct input_source *s = in->src;

	if (s) {
		if (s->thread_started) {
			pthread_mutex_lock(&s->mu);
			s->stop = 1;
			pthread_cond_broadcast(&s->cv);
			pthread_mutex_unlock(&s->mu);
			pthread_join(s->thread, NULL);
			pthread_mutex_destroy(&s->mu);
			pthread_cond_destroy(&s->cv);
		}
		if (s->zs_ready)
			inflateEnd(&s->zs);
		if (s->own_fd)
			close(s->fd);
		free(s->zin);
		free(s->blocks);
		free(s);
	}
	free(in->buf);
	in->buf = NULL;
	in->src = NULL;
}
