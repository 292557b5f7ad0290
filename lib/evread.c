/*
 * evread.c: the reading thread of evstream (see evread.h). It fills a
 * ring of three batches in turn with the lines the TSV reader gives, each
 * line's text copied so that the input's buffer can move on, its fields
 * pointing into that copy and its ts parsed; the calling thread takes the
 * batches in the same order. A batch is handed over whole, under one lock,
 * so the two threads meet once per few thousand lines.
 *
 * Only regular files get the thread. A pipe's writer is another process
 * already running beside this one, and a read from a pipe can block for
 * ever (tail -f): a check that gives up early must not wait for it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evread.h"
#include "timeconv.h"

#define NBATCH 3
#define BATCH_LINES 2048
#define BATCH_FIELDS (BATCH_LINES * 40)
#define BATCH_SOFT (512 * 1024)		/* close the batch past this */
#define BATCH_TEXT (BATCH_SOFT + 1024 * 1024 + TSV_HEADER_MAX)

struct rec {
	uint64_t line;
	int64_t ts_ms;
	uint32_t f0, nf;	/* fields f[f0 .. f0 + nf) */
	uint32_t off, len;	/* header text, bad ts */
	int kind;
};

struct batch {
	struct rec rec[BATCH_LINES];
	struct slice f[BATCH_FIELDS];
	char text[BATCH_TEXT];
	size_t n, nfield, len;
	int last;		/* ends with EVREAD_EOF or EVREAD_ERROR */
	char errmsg[256];
};

struct evread {
	/* The reading side. */
	struct input *in;
	struct tsv_reader r;
	int ts_idx;
	struct slice split[TSV_MAX_COLS];

	/* Shared, under mu. */
	struct batch *b[NBATCH];
	int full[NBATCH];
	int stop, threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;

	/* The taking side. */
	int take;		/* batch being taken */
	size_t pos;		/* next record in it */
	struct tsv_header hdr;
	struct evread_item item;
};

/* Copies n bytes into b's text; their offset. */
static uint32_t
keep(struct batch *b, const char *p, size_t n)
{
	uint32_t off = (uint32_t)b->len;

	if (n > 0)
		memcpy(b->text + b->len, p, n);
	b->len += n;
	return off;
}

/* Appends the row just split (nf fields) with its text and ts. */
static void
add_row(struct evread *er, struct batch *b, struct rec *rc, int nf)
{
	const char *start = er->split[0].p;
	const struct slice *last = &er->split[nf - 1];
	char *copy = b->text + keep(b, start,
	    (size_t)(last->p + last->n - start));
	int i;

	rc->f0 = (uint32_t)b->nfield;
	rc->nf = (uint32_t)nf;
	for (i = 0; i < nf; i++) {
		b->f[b->nfield].p = copy + (er->split[i].p - start);
		b->f[b->nfield].n = er->split[i].n;
		b->nfield++;
	}
	rc->ts_ms = INT64_MIN;
	if (er->ts_idx >= 0 && er->split[er->ts_idx].n > 0 &&
	    time_parse_rfc3339(er->split[er->ts_idx], &rc->ts_ms) != 0) {
		rc->kind = EVREAD_BAD_TS;
		rc->off = (uint32_t)(b->f[rc->f0 + (uint32_t)er->ts_idx].p -
		    b->text);
		rc->len = (uint32_t)er->split[er->ts_idx].n;
	}
}

/* Fills b from the input until it is full or the input ends. */
static void
fill(struct evread *er, struct batch *b)
{
	b->n = b->nfield = b->len = 0;
	b->last = 0;
	while (b->n < BATCH_LINES && b->len <= BATCH_SOFT &&
	    b->nfield + TSV_MAX_COLS <= BATCH_FIELDS) {
		struct rec *rc = &b->rec[b->n++];
		int nf = 0;

		rc->kind = tsv_reader_next(&er->r, er->split, &nf);
		rc->line = er->in->lineno;
		switch (rc->kind) {
		case TSV_ROW:
			add_row(er, b, rc, nf);
			break;
		case TSV_HEADER:
			rc->off = keep(b, er->r.hdr.text, er->r.hdr.len);
			rc->len = (uint32_t)er->r.hdr.len;
			er->ts_idx = tsv_header_find(&er->r.hdr, "ts");
			break;
		case TSV_ERROR:
			snprintf(b->errmsg, sizeof b->errmsg, "%s",
			    er->in->errmsg);
			b->last = 1;
			return;
		case TSV_EOF:
			b->last = 1;
			return;
		default:
			break;
		}
	}
}

static void *
reader(void *arg)
{
	struct evread *er = arg;
	int i = 0;

	for (;;) {
		pthread_mutex_lock(&er->mu);
		while (er->full[i] && !er->stop)
			pthread_cond_wait(&er->cv, &er->mu);
		if (er->stop) {
			pthread_mutex_unlock(&er->mu);
			return NULL;
		}
		pthread_mutex_unlock(&er->mu);
		fill(er, er->b[i]);
		pthread_mutex_lock(&er->mu);
		er->full[i] = 1;
		pthread_cond_broadcast(&er->cv);
		pthread_mutex_unlock(&er->mu);
		if (er->b[i]->last)
			return NULL;
		i = (i + 1) % NBATCH;
	}
}

/* Whether to read in a thread: regular files, unless CSM_THREADS=1. */
static int
want_thread(const struct input *in)
{
	const char *env = getenv("CSM_THREADS");

	return in->size > 0 && !(env != NULL && strcmp(env, "1") == 0);
}

struct evread *
evread_start(struct input *in)
{
	struct evread *er = calloc(1, sizeof *er);
	int i;

	if (er == NULL)
		return NULL;
	for (i = 0; i < NBATCH; i++)
		if ((er->b[i] = malloc(sizeof *er->b[i])) == NULL) {
			evread_stop(er);
			return NULL;
		}
	er->in = in;
	er->ts_idx = -1;
	tsv_reader_init(&er->r, in);
	pthread_mutex_init(&er->mu, NULL);
	pthread_cond_init(&er->cv, NULL);
	er->threaded = want_thread(in) &&
	    pthread_create(&er->th, NULL, reader, er) == 0;
	return er;
}

/* The batch to take from, filled (by the thread, or here). */
static struct batch *
current(struct evread *er)
{
	struct batch *b = er->b[er->take];

	if (!er->threaded) {
		if (!er->full[er->take]) {
			fill(er, b);
			er->full[er->take] = 1;
		}
		return b;
	}
	pthread_mutex_lock(&er->mu);
	while (!er->full[er->take])
		pthread_cond_wait(&er->cv, &er->mu);
	pthread_mutex_unlock(&er->mu);
	return b;
}

/* Gives the current batch back to be filled again. */
static void
release(struct evread *er)
{
	pthread_mutex_lock(&er->mu);
	er->full[er->take] = 0;
	pthread_cond_broadcast(&er->cv);
	pthread_mutex_unlock(&er->mu);
	er->take = (er->take + 1) % NBATCH;
	er->pos = 0;
}

const struct evread_item *
evread_next(struct evread *er)
{
	struct evread_item *it = &er->item;
	struct batch *b;
	const struct rec *rc;

	for (b = current(er); er->pos == b->n; b = current(er))
		release(er);
	rc = &b->rec[er->pos];
	/* The end repeats: it is not passed. */
	if (rc->kind != TSV_EOF && rc->kind != TSV_ERROR)
		er->pos++;
	memset(it, 0, sizeof *it);
	it->kind = (enum evread_kind)rc->kind;
	it->line = rc->line;
	switch (rc->kind) {
	case TSV_ROW:
	case EVREAD_BAD_TS:
		it->f = b->f + rc->f0;
		it->nf = (int)rc->nf;
		it->ts_ms = rc->ts_ms;
		it->bad = slice_make(b->text + rc->off,
		    rc->kind == EVREAD_BAD_TS ? rc->len : 0);
		break;
	case TSV_HEADER:
		/* Fits: the reader took it into a header of the same size. */
		tsv_header_set(&er->hdr, slice_make(b->text + rc->off,
		    rc->len));
		it->hdr = &er->hdr;
		break;
	case TSV_ERROR:
		it->errmsg = b->errmsg;
		break;
	default:
		break;
	}
	return it;
}

void
evread_stop(struct evread *er)
{
	int i;

	if (er == NULL)
		return;
	if (er->threaded) {
		pthread_mutex_lock(&er->mu);
		er->stop = 1;
		pthread_cond_broadcast(&er->cv);
		pthread_mutex_unlock(&er->mu);
		pthread_join(er->th, NULL);
	}
	if (er->in != NULL) {
		pthread_mutex_destroy(&er->mu);
		pthread_cond_destroy(&er->cv);
	}
	for (i = 0; i < NBATCH; i++)
		free(er->b[i]);
	free(er);
}
