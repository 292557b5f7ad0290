/*
 * findsplit.c: the findings in runs of FINDSPLIT_RUN, the even runs
 * written by the calling thread straight to its output, the odd ones
 * formatted by a helper into one of two memory buffers (so it can work a
 * run ahead) and copied out by the calling thread when their turn comes.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "findsplit.h"
#include "threadenv.h"

/* Below this many findings the thread is not worth starting. */
#define SPLIT_MIN (4 * FINDSPLIT_RUN)
#define NO_RUN SIZE_MAX

struct split {
	findsplit_fn fn;
	void *arg;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct outbuf slot[2];		/* memory mode */
	size_t slot_run[2];		/* the run a slot holds, or NO_RUN */
	int stop;			/* the writer gave up: end early */
};

/* Writes run's findings to ob in thread number thread; 0 or -1. */
static int
write_run(const struct split *s, int thread, size_t run, struct outbuf *ob,
    struct time_cache *tc)
{
	size_t i = run * FINDSPLIT_RUN, end = i + FINDSPLIT_RUN;

	if (end > s->n)
		end = s->n;
	for (; i < end; i++)
		if (s->fn(s->arg, thread, i, ob, tc) != 0)
			return -1;
	return 0;
}

static void *
helper(void *arg)
{
	struct split *s = arg;
	struct time_cache tc;
	size_t run, nruns = (s->n + FINDSPLIT_RUN - 1) / FINDSPLIT_RUN;
	int k, stop;

	time_cache_init(&tc);
	for (run = 1; run < nruns; run += 2) {
		k = (int)(run / 2 % 2);
		pthread_mutex_lock(&s->mu);
		while (s->slot_run[k] != NO_RUN && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
		s->slot[k].len = 0;
		/* A failure is handed over as the slot's: the writer stops. */
		if (write_run(s, 1, run, &s->slot[k], &tc) != 0)
			s->slot[k].err = ENOMEM;
		pthread_mutex_lock(&s->mu);
		s->slot_run[k] = run;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

/* The odd run: waits for the helper to finish it, then copies it out. */
static int
take_run(struct split *s, size_t run, struct outbuf *ob)
{
	int k = (int)(run / 2 % 2), err;

	pthread_mutex_lock(&s->mu);
	while (s->slot_run[k] != run)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
	if ((err = s->slot[k].err) == 0)
		outbuf_put(ob, s->slot[k].buf, s->slot[k].len);
	pthread_mutex_lock(&s->mu);
	s->slot_run[k] = NO_RUN;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return err ? -1 : 0;
}

static int
want_thread(size_t n)
{
	return n >= SPLIT_MIN && !threadenv_single();
}

int
findsplit_write(struct outbuf *ob, size_t n, findsplit_fn fn, void *arg)
{
	struct split s;
	struct time_cache tc;
	pthread_t th;
	size_t run, i, nruns = (n + FINDSPLIT_RUN - 1) / FINDSPLIT_RUN;
	int k, status = 0;

	time_cache_init(&tc);
	memset(&s, 0, sizeof s);
	s.fn = fn;
	s.arg = arg;
	s.n = n;
	if (!want_thread(n))
		goto alone;
	for (k = 0; k < 2; k++) {
		outbuf_init_mem(&s.slot[k]);
		s.slot_run[k] = NO_RUN;
	}
	if (s.slot[0].err || s.slot[1].err)
		goto release;
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	if (pthread_create(&th, NULL, helper, &s) != 0) {
		pthread_cond_destroy(&s.cv);
		pthread_mutex_destroy(&s.mu);
		goto release;
	}
	for (run = 0; run < nruns && status == 0; run++) {
		if (run % 2 == 0)
			status = write_run(&s, 0, run, ob, &tc);
		else
			status = take_run(&s, run, ob);
	}
	if (status != 0) {
		/* The helper may wait for a slot: let it see the end. */
		pthread_mutex_lock(&s.mu);
		s.stop = 1;
		pthread_cond_broadcast(&s.cv);
		pthread_mutex_unlock(&s.mu);
	}
	pthread_join(th, NULL);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	for (k = 0; k < 2; k++)
		outbuf_release(&s.slot[k]);
	return status;
release:
	/* No helper after all: the findings are written here, as they are. */
	for (k = 0; k < 2; k++)
		outbuf_release(&s.slot[k]);
alone:
	for (i = 0; i < n; i++)
		if (fn(arg, 0, i, ob, &tc) != 0)
			return -1;
	return 0;
}

/* findsplit_write_agg's findings: its sorted entries and its function. */
struct sorted {
	struct agg_entry **v;
	findsplit_entry_fn fn;
	const void *arg;
};

static int
write_entry(void *arg, int thread, size_t i, struct outbuf *ob,
    struct time_cache *tc)
{
	const struct sorted *s = arg;

	(void)thread;
	return s->fn(s->arg, s->v[i], ob, tc);
}

int
findsplit_write_agg(struct outbuf *ob, const struct agg *a,
    findsplit_entry_fn fn, const void *arg)
{
	struct sorted s = { agg_sorted(a), fn, arg };
	int status;

	if (s.v == NULL)
		return -1;
	status = findsplit_write(ob, a->n, write_entry, &s);
	free(s.v);
	return status;
}
