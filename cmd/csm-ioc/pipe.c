/*
 * pipe.c: csm-ioc's matching thread. Reading and splitting the events
 * stream costs about as much as matching them against a million
 * indicators, so the two run side by side, as csm-parse's workers do:
 * the reading thread copies the fields of each event into one of two
 * batches (iocmatch_event), and this thread matches a full batch while
 * the other fills. Only this thread touches the tables of findings until
 * iocmatch_pipe_finish has waited for it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "iocmatch.h"

#define BATCH_EVENTS 4096
#define BATCH_TEXT (2 * 1024 * 1024)	/* a line is at most 1 MB */

struct im_batch {
	struct im_rec *rec;
	size_t n;
	char *text;
	size_t len;
};

struct im_pipe {
	struct iocmatch *m;
	struct im_batch b[2];
	int cur;			/* the batch being filled */
	int full[2];			/* handed to the thread */
	int done, threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void
run(struct iocmatch *m, struct im_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		iocmatch_record(m, &b->rec[i], b->text);
	b->n = 0;
	b->len = 0;
}

/* Takes the batches in the order they are handed over, 0, 1, 0, ... */
static void *
worker(void *arg)
{
	struct im_pipe *p = arg;
	int i = 0;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->full[i] && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->full[i]) {
			pthread_mutex_unlock(&p->mu);
			return NULL;	/* done, and all handed over taken */
		}
		pthread_mutex_unlock(&p->mu);
		run(p->m, &p->b[i]);
		pthread_mutex_lock(&p->mu);
		p->full[i] = 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		i ^= 1;
	}
}

/* Hands the batch being filled over, and waits for the other to be free. */
static void
hand_over(struct im_pipe *p)
{
	if (!p->threaded) {
		run(p->m, &p->b[p->cur]);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->full[p->cur] = 1;
	pthread_cond_broadcast(&p->cv);
	p->cur ^= 1;
	while (p->full[p->cur])
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

int
iocmatch_pipe_start(struct iocmatch *m)
{
	struct im_pipe *p = calloc(1, sizeof *p);
	const char *t = getenv("CSM_THREADS");
	int i;

	if (p == NULL)
		return -1;
	p->m = m;
	m->pipe = p;
	for (i = 0; i < 2; i++)
		if ((p->b[i].rec = malloc(BATCH_EVENTS *
		    sizeof *p->b[i].rec)) == NULL ||
		    (p->b[i].text = malloc(BATCH_TEXT)) == NULL)
			return -1;
	if (t != NULL && strcmp(t, "1") == 0)
		return 0;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		return 0;
	}
	if (pthread_create(&p->th, NULL, worker, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		return 0;	/* no thread: the work is done in turn */
	}
	p->threaded = 1;
	return 0;
}

int
iocmatch_pipe_put(struct iocmatch *m, struct im_rec *r, const struct slice *f)
{
	struct im_pipe *p = m->pipe;
	struct im_batch *b = &p->b[p->cur];
	size_t need = 0;
	int i;

	for (i = 0; i < R_NF; i++)
		need += f[i].n;
	if (need > BATCH_TEXT)
		return -1;
	if (b->n == BATCH_EVENTS || BATCH_TEXT - b->len < need) {
		hand_over(p);
		b = &p->b[p->cur];
	}
	for (i = 0; i < R_NF; i++) {
		r->off[i] = (uint32_t)b->len;
		r->len[i] = (uint32_t)f[i].n;
		if (f[i].n > 0)
			memcpy(b->text + b->len, f[i].p, f[i].n);
		b->len += f[i].n;
	}
	b->rec[b->n++] = *r;
	return 0;
}

void
iocmatch_pipe_finish(struct iocmatch *m)
{
	struct im_pipe *p = m->pipe;
	int i;

	if (p == NULL)
		return;
	if (p->b[p->cur].rec != NULL && p->b[p->cur].n > 0)
		hand_over(p);
	if (p->threaded) {
		pthread_mutex_lock(&p->mu);
		p->done = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->th, NULL);
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
	}
	for (i = 0; i < 2; i++) {
		free(p->b[i].rec);
		free(p->b[i].text);
	}
	free(p);
	m->pipe = NULL;
}
