/*
 * parallel.c: csm-parse's multi-core path for formats whose lines parse on
 * their own (fmt.line_local), or on their own but for a carry that each
 * block's first line brings up to date (fmt.carry_advance). The main
 * thread reads runs of whole lines into blocks (straight from the file,
 * counting LFs for line numbers) and writes finished blocks in input
 * order; worker threads split, parse and format the blocks in between. Output, diagnostics and the line summary
 * are exactly those of the one-thread path: rejections and warnings
 * travel with their block and are reported when the block is written.
 * Memory stays bounded: at most NSLOTS blocks of input and their output
 * are alive at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "input.h"
#include "linescan.h"
#include "num.h"
#include "parse.h"

#define NSLOTS 4
#define BLOCK_BYTES (512 * 1024)
#define MAX_WORKERS 4

enum slot_state { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE };

/* A rejection or a warning of a block, to show when it is written. */
struct note {
	uint64_t line;
	int warning;
	char text[512];		/* fmt_warn's message, or the reason */
};
_Static_assert(sizeof ((struct note *)0)->text >=
    sizeof ((struct parse_ctx *)0)->reason, "a reason fits a note");

struct slot {
	enum slot_state state;
	uint64_t seq;
	char *in;			/* lines, each ended by LF */
	size_t in_len, in_cap;
	uint64_t first_line;
	struct outbuf *out;		/* memory mode: the block's events */
	struct line_stats st;
	/*
	 * The block's first max_errors rejections and first max_errors
	 * warnings, in line order (nrej and nwarn of them), to show.
	 */
	struct note *note;
	size_t note_cap;
	size_t nrej, nwarn;
	uint64_t warned;		/* every warning of the block */
	void *carry;			/* fmt carry as of this block's start */
};

struct pool {
	struct parse_run *run;
	const struct fmt *f;
	const char *name;
	struct warn_tally warn;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slots[NSLOTS];
	void *carry;			/* the reader's fmt carry, or NULL */
	int quit;
	int failed;			/* a worker could not start its format */
	char fail_reason[256];
};

struct worker {
	struct pool *pool;
	struct slot *slot;		/* the block being parsed */
	struct time_cache tc;
	pthread_t thread;
};

static void
worker_emit(struct parse_ctx *ctx, struct event *ev)
{
	struct worker *w = ctx->emit_arg;

	if (!parse_in_window(w->pool->run, ev)) {
		w->slot->st.outside++;
		return;
	}
	event_write(w->slot->out, ev, &w->tc);
	w->slot->st.events++;
}

/*
 * Keeps a rejection or warning of the block for deliver, counted in nrej
 * or nwarn; when out of memory fails the block's output instead, which
 * stops the input.
 */
static void
keep_note(struct slot *s, uint64_t line, int warning, const char *text)
{
	struct note *n;

	if (s->nrej + s->nwarn == s->note_cap) {
		size_t cap = s->note_cap ? 2 * s->note_cap : 8;

		if ((n = realloc(s->note, cap * sizeof *n)) == NULL) {
			s->out->err = ENOMEM;
			return;
		}
		s->note = n;
		s->note_cap = cap;
	}
	n = &s->note[s->nrej + s->nwarn];
	n->line = line;
	n->warning = warning;
	snprintf(n->text, sizeof n->text, "%s", text);
	*(warning ? &s->nwarn : &s->nrej) += 1;
}

static void
worker_warn(struct parse_ctx *ctx, uint64_t line, const char *msg)
{
	struct worker *w = ctx->emit_arg;
	struct slot *s = w->slot;

	if (s->warned++ < w->pool->run->max_errors)
		keep_note(s, line, 1, msg);
}

/* Parses every line of one block into its output and counters. */
/*
 * The LFs of a block, found sixty-four bytes at a time and handed out in
 * order: a call to memchr for each line cost more than the search, Squid's
 * lines being some 150 bytes.
 */
struct lf_walk {
	const char *p, *end;	/* the group at p, the block's end */
	uint64_t mask;		/* the group's LFs not handed out yet */
};

/* The next LF of the block, or NULL. */
static const char *
lf_next(struct lf_walk *lw)
{
	const char *nl;

	while (lw->mask == 0) {
		lw->p += 64;
		if (lw->p >= lw->end)
			return NULL;
		lw->mask = linescan_byte_mask(lw->p, (size_t)(lw->end -
		    lw->p), '\n');
	}
	nl = lw->p + __builtin_ctzll(lw->mask);
	lw->mask &= lw->mask - 1;
	return nl;
}

static void
parse_block(struct worker *w, void *fstate, struct parse_ctx *ctx)
{
	struct slot *s = w->slot;
	struct parse_run *run = w->pool->run;
	const char *p = s->in, *end = s->in + s->in_len, *nl;
	uint64_t lineno = s->first_line;
	struct lf_walk lw = { p, end, 0 };

	if (p < end)
		lw.mask = linescan_byte_mask(p, (size_t)(end - p), '\n');
	/* A block holds whole lines: each ends with an LF. */
	while (p < end && (nl = lf_next(&lw)) != NULL) {
		size_t len = (size_t)(nl - p);
		enum line_result r;

		/* As input_next: the line without its LF and one CR before. */
		if (len && p[len - 1] == '\r')
			len--;
		event_clear(ctx->ev);
		ctx->ev->origin_file = run->origin;
		ctx->ev->origin_line = lineno;
		r = w->pool->f->line(fstate, slice_make(p, len), ctx);
		s->st.lines++;
		if (r == LINE_USED) {
			s->st.used++;
		} else if (r == LINE_SKIPPED) {
			s->st.skipped++;
		} else {
			s->st.rejected++;
			if (s->nrej < run->max_errors)
				keep_note(s, lineno, 0, ctx->reason);
		}
		p = nl + 1;
		lineno++;
	}
}

/* Takes the READY slot with the lowest sequence number, or NULL. */
static struct slot *
next_ready(struct pool *pool)
{
	struct slot *best = NULL;
	int i;

	for (i = 0; i < NSLOTS; i++)
		if (pool->slots[i].state == SLOT_READY &&
		    (best == NULL || pool->slots[i].seq < best->seq))
			best = &pool->slots[i];
	return best;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *pool = w->pool;
	struct event *ev = malloc(sizeof *ev);
	struct parse_ctx ctx;
	void *fstate = NULL;

	memset(&ctx, 0, sizeof ctx);
	ctx.opts = &pool->run->popts;
	ctx.ev = ev;
	ctx.emit = worker_emit;
	ctx.warn = worker_warn;
	ctx.emit_arg = w;
	time_cache_init(&w->tc);
	if (ev == NULL || (pool->f->open && (fstate = pool->f->open(&ctx)) ==
	    NULL)) {
		pthread_mutex_lock(&pool->mu);
		pool->failed = 1;
		snprintf(pool->fail_reason, sizeof pool->fail_reason, "%s",
		    ev ? ctx.reason : "out of memory");
		pthread_cond_broadcast(&pool->cv);
		pthread_mutex_unlock(&pool->mu);
		free(ev);
		return NULL;
	}
	pthread_mutex_lock(&pool->mu);
	for (;;) {
		struct slot *s;

		while ((s = next_ready(pool)) == NULL && !pool->quit)
			pthread_cond_wait(&pool->cv, &pool->mu);
		if (s == NULL)
			break;
		s->state = SLOT_BUSY;
		pthread_mutex_unlock(&pool->mu);
		w->slot = s;
		if (pool->carry)
			pool->f->carry_seed(fstate, s->carry);
		parse_block(w, fstate, &ctx);
		pthread_mutex_lock(&pool->mu);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&pool->cv);
	}
	pthread_mutex_unlock(&pool->mu);
	if (pool->f->close)
		pool->f->close(fstate);
	free(ev);
	return NULL;
}

/*
 * Waits for the block with sequence number seq, writes its events and
 * diagnostics, adds its counters to st and frees the slot.
 */
static void
deliver(struct pool *pool, uint64_t seq, struct line_stats *st)
{
	struct slot *s = &pool->slots[seq % NSLOTS];
	struct parse_run *run = pool->run;
	size_t i;

	pthread_mutex_lock(&pool->mu);
	while (s->state != SLOT_DONE && !pool->failed)
		pthread_cond_wait(&pool->cv, &pool->mu);
	pthread_mutex_unlock(&pool->mu);
	if (pool->failed)
		return;		/* reported by the caller */

	if (s->out->err && !run->out->err)
		run->out->err = s->out->err;	/* out of memory in a worker */
	outbuf_write_direct(run->out, s->out->buf, s->out->len);
	/*
	 * diag_reject counts what it reports, warn_show too; the block
	 * counted the rest.
	 */
	for (i = 0; i < s->nrej + s->nwarn; i++)
		if (s->note[i].warning)
			warn_show(&pool->warn, s->note[i].line,
			    s->note[i].text);
		else
			diag_reject(st, pool->name, s->note[i].line,
			    s->note[i].text, run->max_errors);
	pool->warn.warned += s->warned - s->nwarn;
	st->lines += s->st.lines;
	st->used += s->st.used;
	st->skipped += s->st.skipped;
	st->rejected += s->st.rejected - s->nrej;
	st->events += s->st.events;
	st->outside += s->st.outside;
	s->in_len = 0;
	s->out->len = 0;
	s->nrej = s->nwarn = 0;
	s->warned = 0;
	memset(&s->st, 0, sizeof s->st);
	pthread_mutex_lock(&pool->mu);
	s->state = SLOT_FREE;
	pthread_mutex_unlock(&pool->mu);
}

/*
 * Hands a block to the workers. A format with a carry gets it advanced by
 * the block's first line, in input order, here in the reader.
 */
static void
dispatch(struct pool *pool, struct slot *s)
{
	if (pool->carry) {
		const char *nl = memchr(s->in, '\n', s->in_len);
		size_t len = nl ? (size_t)(nl - s->in) : s->in_len;

		if (len && s->in[len - 1] == '\r')
			len--;
		pool->f->carry_advance(pool->carry, slice_make(s->in, len));
		memcpy(s->carry, pool->carry, pool->f->carry_size);
	}
	pthread_mutex_lock(&pool->mu);
	s->state = SLOT_READY;
	pthread_cond_broadcast(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

int
parallel_workers(void)
{
	const char *env = getenv("CSM_THREADS");
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t v;

	if (env && *env && num_parse_u64(slice_cstr(env), 64, &v) == 0)
		n = (long)v;
	if (n < 2)
		return 0;
	return n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

static int
pool_start(struct pool *pool, struct worker *workers, int nworkers)
{
	int i;

	for (i = 0; i < NSLOTS; i++) {
		struct slot *s = &pool->slots[i];
		s->in_cap = BLOCK_BYTES + 4096;
		s->in = malloc(s->in_cap);
		s->out = malloc(sizeof *s->out);
		if (s->in == NULL || s->out == NULL)
			return -1;
		outbuf_init_mem(s->out);
		if (pool->f->carry_size &&
		    (s->carry = malloc(pool->f->carry_size)) == NULL)
			return -1;
	}
	if (pool->f->carry_size) {
		if ((pool->carry = malloc(pool->f->carry_size)) == NULL)
			return -1;
		pool->f->carry_init(pool->carry, &pool->run->popts);
	}
	for (i = 0; i < nworkers; i++) {
		workers[i].pool = pool;
		if (pthread_create(&workers[i].thread, NULL, worker_main,
		    &workers[i]) != 0)
			return -1;
	}
	return 0;
}

static void
pool_stop(struct pool *pool, struct worker *workers, int nworkers)
{
	int i;

	pthread_mutex_lock(&pool->mu);
	pool->quit = 1;
	pthread_cond_broadcast(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
	for (i = 0; i < nworkers; i++)
		pthread_join(workers[i].thread, NULL);
	for (i = 0; i < NSLOTS; i++) {
		struct slot *s = &pool->slots[i];
		free(s->in);
		if (s->out)
			outbuf_release(s->out);
		free(s->out);
		free(s->note);
		free(s->carry);
	}
	free(pool->carry);
}

/*
 * Appends a line from input_next (and an LF) to the block, growing it for
 * a long line. The worker drops one CR before each LF, as input_next did
 * already: a line that still ends in CR gets one more, to keep it.
 */
static int
block_append(struct slot *s, struct slice line)
{
	size_t cr = line.n && line.p[line.n - 1] == '\r';

	if (s->in_cap - s->in_len < line.n + cr + 1) {
		size_t cap = s->in_len + line.n + cr + 1;
		char *p = realloc(s->in, cap);
		if (p == NULL)
			return -1;
		s->in = p;
		s->in_cap = cap;
	}
	memcpy(s->in + s->in_len, line.p, line.n);
	s->in_len += line.n;
	if (cr)
		s->in[s->in_len++] = '\r';
	s->in[s->in_len++] = '\n';
	return 0;
}

int
parse_lines_parallel(struct parse_run *run, struct input *in,
    const struct fmt *f, struct line_stats *st, int nworkers)
{
	struct worker workers[MAX_WORKERS];
	struct pool pool;
	uint64_t seq = 0, written = 0;
	struct slot *cur = NULL;
	struct slice line;
	enum input_status is;
	int status = EXIT_GOOD;
	char q[DIAG_NAME_MAX];

	memset(&pool, 0, sizeof pool);
	memset(workers, 0, sizeof workers);
	pool.run = run;
	pool.f = f;
	pool.name = in->name;
	pool.warn.name = in->name;
	pool.warn.max = run->max_errors;
	pthread_mutex_init(&pool.mu, NULL);
	pthread_cond_init(&pool.cv, NULL);
	if (pool_start(&pool, workers, nworkers) != 0) {
		diag_msg("cannot start worker threads");
		pool_stop(&pool, workers, nworkers);
		return EXIT_INCOMPLETE;
	}
	for (;;) {
		uint64_t nlines;
		size_t got;

		if (cur == NULL) {
			progress_update(&run->pg, run->done_before +
			    input_consumed(in));
			if (run->out->err) {
				run->stop = 1;	/* disk full: stop reading */
				break;
			}
			/* The slot for seq is free once block seq-NSLOTS is out. */
			if (seq - written == NSLOTS)
				deliver(&pool, written++, st);
			cur = &pool.slots[seq % NSLOTS];
			cur->seq = seq;
			cur->first_line = in->lineno + 1;
		}
		/* The common case: a block of whole lines in one go. */
		got = input_next_lines(in, cur->in + cur->in_len,
		    cur->in_cap - cur->in_len, &nlines);
		if (got > 0) {
			cur->in_len += got;
			dispatch(&pool, cur);
			cur = NULL;
			seq++;
			continue;
		}
		/* Else one line (or event) at a time through input_next. */
		if ((is = input_next(in, &line)) == INPUT_EOF)
			break;
		if (is == INPUT_LINE && block_append(cur, line) == 0) {
			if (cur->in_len >= BLOCK_BYTES) {
				dispatch(&pool, cur);
				cur = NULL;
				seq++;
			}
			continue;
		}
		/* Rare cases, handled in order: finish what came before. */
		if (cur->in_len > 0) {
			dispatch(&pool, cur);
			seq++;
		}
		cur = NULL;
		while (written < seq)
			deliver(&pool, written++, st);
		if (is == INPUT_ERROR) {
			status = report_read_error(in);
			break;
		}
		st->lines++;
		diag_reject(st, in->name, in->lineno, is == INPUT_LONG ?
		    "line longer than 1048576 bytes" : "out of memory",
		    run->max_errors);
	}
	if (cur != NULL && cur->in_len > 0) {
		dispatch(&pool, cur);
		seq++;
	}
	while (written < seq)
		deliver(&pool, written++, st);
	pool_stop(&pool, workers, nworkers);
	warn_summary(&pool.warn);
	if (pool.failed) {
		diag_msg("%s: %s", diag_escape(q, sizeof q,
		    slice_cstr(in->name)), pool.fail_reason);
		status = EXIT_INCOMPLETE;
	}
	pthread_mutex_destroy(&pool.mu);
	pthread_cond_destroy(&pool.cv);
	return status;
}
