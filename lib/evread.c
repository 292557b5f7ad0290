/*
 * evread.c: the reading thread of evstream (see evread.h). It fills a
 * ring of four batches (NBATCH) in turn: runs of whole lines are read
 * straight into a batch's text (input_next_lines), then split there, their
 * fields pointing into it and their ts parsed; a line that cannot come
 * that way (over-long, the last one without LF) goes through the TSV
 * reader and is copied in. The calling thread takes the batches in the
 * same order. A batch is handed over whole, under one lock, so the two
 * threads meet once per few thousand lines.
 *
 * Only regular files get the thread. A pipe's writer is another process
 * already running beside this one, and a read from a pipe can block for
 * ever (tail -f): a check that gives up early must not wait for it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "evread.h"
#include "threadenv.h"
#include "timeconv.h"

#define NBATCH 4
/*
 * A thread waiting for the other is woken when it has WAKE_AT batches to
 * go on with (or the input ends), not one: half the sleeps and wake-ups.
 */
#define WAKE_AT 2
#define BATCH_LINES 2048
#define BATCH_FIELDS (BATCH_LINES * 40)
#define BATCH_SOFT (512 * 1024)		/* close the batch past this */
#define BATCH_TEXT (BATCH_SOFT + 1024 * 1024 + TSV_HEADER_MAX)
#define RUN_MAX (256 * 1024)	/* bytes of whole lines read at once */
#define RUN_MIN (4 * 1024)
/*
 * A batch closes past BATCH_SOFT, after one more run or line at most; the
 * room left after that is what split_line's loads (31 bytes past an LF)
 * and the checks' (EVROW_SLACK past a field) read into.
 */
_Static_assert(BATCH_TEXT >= BATCH_SOFT + (RUN_MAX > INPUT_MAX_LINE ?
    RUN_MAX : INPUT_MAX_LINE) + 32 + EVROW_SLACK, "no room after a batch");
_Static_assert(TSV_HEADER_MAX >= 32 + EVROW_SLACK, "no room after a batch");
/* A partial hook's share of the rows, in sixteenths; where it starts. */
#define SHARE_ONE 16
#define SHARE_START 4

struct rec {
	uint64_t line;
	int64_t ts_ms;
	uint32_t f0, nf;	/* fields f[f0 .. f0 + nf) */
	uint32_t off, len;	/* header text, bad ts */
	int kind;
	int prepped;		/* the hook ran on it */
};

struct batch {
	struct rec rec[BATCH_LINES];
	uint64_t aux[BATCH_LINES][EVROW_AUX];	/* the hook's, by record */
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
	size_t line_bytes;	/* average line length seen, for run sizes */
	struct evread_prep prep;	/* fn NULL: none */
	int idx[EVROW_MAX_COLS];	/* the current header's, for prep */
	struct evrow row;	/* the hook's row: the same from row to row */
	struct time_minute minute;	/* rows' ts come in order */
	int fill_share;		/* a partial hook's share in this batch */
	int share_acc;		/* its rows owed, in sixteenths */
	/* Lines read that the last batch had no room for, and the first's number. */
	char *carry;
	size_t carry_len;
	uint64_t carry_line;

	/* Shared, under mu. */
	struct batch *b[NBATCH];
	int full[NBATCH];
	int reader_waits, taker_waits;
	int stop, threaded;
	int share;		/* a partial hook's share, in sixteenths */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;

	/* The taking side. */
	int take;		/* batch being taken */
	int taken;		/* it is known to be full: no lock needed */
	int started;		/* a batch was taken before */
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

/*
 * Runs the preparation hook on the row of record rc; the row's other
 * fields were set once (evread_start).
 */
static void
prepare(struct evread *er, struct batch *b, const struct rec *rc)
{
	er->row.f = b->f + rc->f0;
	er->row.nf = (int)rc->nf;
	er->row.ts_ms = rc->ts_ms;
	er->row.line = rc->line;
	er->prep.fn(er->prep.arg, &er->row, b->aux[rc - b->rec]);
}

/*
 * Whether the hook runs on the next row: always, or for a partial hook
 * fill_share rows in SHARE_ONE, spread evenly.
 */
static int
wants_prep(struct evread *er)
{
	if (!er->prep.partial)
		return 1;
	er->share_acc += er->fill_share;
	if (er->share_acc < SHARE_ONE)
		return 0;
	er->share_acc -= SHARE_ONE;
	return 1;
}

/*
 * Parses the ts of a row whose nf fields are at b->f + b->nfield, then
 * prepares it.
 */
static void
take_row(struct evread *er, struct batch *b, struct rec *rc, int nf)
{
	const struct slice *f = b->f + b->nfield;

	rc->f0 = (uint32_t)b->nfield;
	rc->nf = (uint32_t)nf;
	b->nfield += (size_t)nf;
	rc->ts_ms = INT64_MIN;
	if (er->ts_idx >= 0 && f[er->ts_idx].n > 0 &&
	    time_parse_rfc3339_in(&er->minute, f[er->ts_idx],
	    &rc->ts_ms) != 0) {
		rc->kind = EVREAD_BAD_TS;
		rc->off = (uint32_t)(f[er->ts_idx].p - b->text);
		rc->len = (uint32_t)f[er->ts_idx].n;
	}
	rc->prepped = rc->kind == TSV_ROW && er->prep.fn != NULL &&
	    wants_prep(er);
	if (rc->prepped)
		prepare(er, b, rc);
}

/* Records a header line that lies in b's text. */
static void
take_header(struct evread *er, struct batch *b, struct rec *rc,
    struct slice line)
{
	int i;

	rc->off = (uint32_t)(line.p - b->text);
	rc->len = (uint32_t)line.n;
	er->ts_idx = tsv_header_find(&er->r.hdr, "ts");
	for (i = 0; i < er->prep.nwant; i++)
		er->idx[i] = tsv_header_find(&er->r.hdr, er->prep.want[i]);
}

/* Whether b can take one more line of up to TSV_MAX_COLS fields. */
static int
has_room(const struct batch *b)
{
	return b->n < BATCH_LINES && b->nfield + TSV_MAX_COLS <= BATCH_FIELDS;
}

#if defined(__SSE2__)
/*
 * Splits the line at p (ended by an LF, which the run guarantees) into
 * fields at f, at most TSV_MAX_COLS of them, in one pass for TABs and the
 * LF together, 32 bytes a step; *nf gets the count (TSV_MAX_COLS + 1 when
 * more) and the LF is returned. Loads may reach up to 31 bytes past that
 * LF, inside the batch's text (stale bytes, or zeros), whose bits are never
 * looked at.
 */
static char *
split_line(char *p, struct slice *f, int *nf)
{
	const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
	const char *start = p;
	struct slice *fp = f, *slow = f + TSV_MAX_COLS - 32;
	char *q;
	size_t n, over = 0;

	for (q = p;; q += 32) {
		__m128i lo = _mm_loadu_si128((const __m128i *)(void *)q);
		__m128i hi = _mm_loadu_si128((const __m128i *)(void *)(q + 16));
		uint32_t tabs = (uint32_t)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(lo, tab)) | (uint32_t)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(hi, tab)) << 16;
		uint32_t lfs = (uint32_t)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(lo, lf)) | (uint32_t)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(hi, lf)) << 16;
		unsigned stop = lfs ? (unsigned)__builtin_ctz(lfs) : 32;

		if (stop < 32)
			tabs &= (1u << stop) - 1;
		/*
		 * Past TSV_MAX_COLS fields are counted, not kept: checked
		 * per tab only when a step's 32 could reach it.
		 */
		if (fp > slow) {
			for (; tabs != 0; tabs &= tabs - 1) {
				const char *t = q + __builtin_ctz(tabs);

				if (fp < f + TSV_MAX_COLS)
					*fp++ = slice_make(start,
					    (size_t)(t - start));
				else
					over++;
				start = t + 1;
			}
		}
		for (; tabs != 0; tabs &= tabs - 1) {
			const char *t = q + __builtin_ctz(tabs);

			fp->p = start;
			fp->n = (size_t)(t - start);
			fp++;
			start = t + 1;
		}
		if (stop < 32) {
			q += stop;
			break;
		}
	}
	if (fp < f + TSV_MAX_COLS)
		*fp = slice_make(start, (size_t)(q - start));
	n = (size_t)(fp - f) + over + 1;
	*nf = n > TSV_MAX_COLS ? TSV_MAX_COLS + 1 : (int)n;
	return q;
}

#endif

/*
 * Splits the whole lines at text[start .. b->len), numbered from line on;
 * what does not fit waits in the carry for the next batch. Returns the
 * number of lines split.
 */
static uint64_t
split_run(struct evread *er, struct batch *b, size_t start, uint64_t line)
{
	uint64_t first = line;
	char *p = b->text + start, *end = b->text + b->len;

	while (p < end) {
		struct slice *f = b->f + b->nfield, ln;
		struct rec *rc;
		char *nl;
		int nf = 0;

		if (!has_room(b)) {
			er->carry_len = (size_t)(end - p);
			memcpy(er->carry, p, er->carry_len);
			er->carry_line = line;
			b->len = (size_t)(p - b->text);
			return line - first;
		}
		rc = &b->rec[b->n++];
		rc->line = line++;
		rc->prepped = 0;
#if defined(__SSE2__)
		nl = split_line(p, f, &nf);
		ln = slice_make(p, (size_t)(nl - p));
		if (ln.n > 0 && ln.p[ln.n - 1] == '\r') {
			ln.n--;
			if (nf <= TSV_MAX_COLS)
				f[nf - 1].n--;	/* the CR ends the last field */
		}
		rc->kind = tsv_reader_take_row(&er->r, ln, nf);
#else
		nl = memchr(p, '\n', (size_t)(end - p));
		ln = slice_make(p, (size_t)(nl - p));
		if (ln.n > 0 && ln.p[ln.n - 1] == '\r')
			ln.n--;
		rc->kind = tsv_reader_line(&er->r, ln, f, &nf);
#endif
		if (rc->kind == TSV_ROW)
			take_row(er, b, rc, nf);
		else if (rc->kind == TSV_HEADER)
			take_header(er, b, rc, ln);
		p = nl + 1;
	}
	return line - first;
}

/*
 * Reads the next run of whole lines into b and splits it; 0 when the next
 * line must come through the TSV reader. The run is sized to about the
 * lines b has room for, so that little is carried over. The input counts
 * the lines when they are split (the splitting finds them anyway), the
 * carry's when the next batch takes it.
 */
static int
read_run(struct evread *er, struct batch *b)
{
	size_t start = b->len, want, got;
	uint64_t first, split;

	if (er->carry_len > 0) {
		memcpy(b->text + start, er->carry, er->carry_len);
		got = er->carry_len;
		first = er->carry_line;
		er->carry_len = 0;
	} else {
		want = (BATCH_LINES - b->n) * er->line_bytes;
		want = want < RUN_MIN ? RUN_MIN : want > RUN_MAX ? RUN_MAX : want;
		first = er->in->lineno + 1;
		got = input_next_lines(er->in, b->text + start, want, NULL);
		if (got == 0)
			return 0;
	}
	b->len += got;
	if ((split = split_run(er, b, start, first)) > 0) {
		input_lines_taken(er->in, split);
		er->line_bytes = (b->len - start) / split + 1;
	}
	return 1;
}

/* Takes the next line through the TSV reader, copying its text into b. */
static void
read_line(struct evread *er, struct batch *b)
{
	struct rec *rc = &b->rec[b->n++];
	int nf = 0;

	rc->prepped = 0;
	rc->kind = tsv_reader_next(&er->r, er->split, &nf);
	rc->line = er->in->lineno;
	switch (rc->kind) {
	case TSV_ROW: {
		const char *from = er->split[0].p;
		const struct slice *last = &er->split[nf - 1];
		char *copy = b->text + keep(b, from,
		    (size_t)(last->p + last->n - from));
		int i;

		for (i = 0; i < nf; i++)
			b->f[b->nfield + (size_t)i] = slice_make(copy +
			    (er->split[i].p - from), er->split[i].n);
		take_row(er, b, rc, nf);
		break;
	}
	case TSV_HEADER:
		take_header(er, b, rc, slice_make(b->text + keep(b,
		    er->r.hdr.text, er->r.hdr.len), er->r.hdr.len));
		break;
	case TSV_ERROR:
		snprintf(b->errmsg, sizeof b->errmsg, "%s", er->in->errmsg);
		b->last = 1;
		break;
	case TSV_EOF:
		b->last = 1;
		break;
	default:
		break;
	}
}

/* Fills b from the input until it is full or the input ends. */
static void
fill(struct evread *er, struct batch *b)
{
	b->n = b->nfield = b->len = 0;
	b->last = 0;
	while (!b->last && has_room(b) && b->len <= BATCH_SOFT)
		if (!read_run(er, b))
			read_line(er, b);
}

/* How many batches are full (under mu). */
static int
count_full(const struct evread *er)
{
	int i, n = 0;

	for (i = 0; i < NBATCH; i++)
		n += er->full[i];
	return n;
}

static void *
reader(void *arg)
{
	struct evread *er = arg;
	int i = 0;

	for (;;) {
		pthread_mutex_lock(&er->mu);
		/* Ahead of the check: a partial hook may take more of its work. */
		if (er->full[i] && !er->stop && er->share < SHARE_ONE)
			er->share++;
		while (er->full[i] && !er->stop) {
			er->reader_waits = 1;
			pthread_cond_wait(&er->cv, &er->mu);
		}
		er->reader_waits = 0;
		if (er->stop) {
			pthread_mutex_unlock(&er->mu);
			return NULL;
		}
		er->fill_share = er->share;
		pthread_mutex_unlock(&er->mu);
		fill(er, er->b[i]);
		pthread_mutex_lock(&er->mu);
		er->full[i] = 1;
		if (er->taker_waits && (count_full(er) >= WAKE_AT ||
		    er->b[i]->last))
			pthread_cond_broadcast(&er->cv);
		pthread_mutex_unlock(&er->mu);
		if (er->b[i]->last)
			return NULL;
		i = (i + 1) % NBATCH;
	}
}

/*
 * Batches of stopped readers kept for the next one (evread_keep_batches),
 * under spare_mu; keep_spares is set once, before any reader starts.
 */
static struct batch *spare[NBATCH];
static int keep_spares;
static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;

void
evread_keep_batches(void)
{
	keep_spares = 1;
}

/* A batch: a spare one, else a new one; NULL when out of memory. */
static struct batch *
batch_new(void)
{
	struct batch *b = NULL;
	int i;

	pthread_mutex_lock(&spare_mu);
	for (i = 0; i < NBATCH && b == NULL; i++) {
		b = spare[i];
		spare[i] = NULL;
	}
	pthread_mutex_unlock(&spare_mu);
	return b != NULL ? b : calloc(1, sizeof *b);
}

/* Frees b, or keeps it for the next reader. */
static void
batch_free(struct batch *b)
{
	int i;

	if (keep_spares && b != NULL) {
		pthread_mutex_lock(&spare_mu);
		for (i = 0; i < NBATCH && b != NULL; i++)
			if (spare[i] == NULL) {
				spare[i] = b;
				b = NULL;
			}
		pthread_mutex_unlock(&spare_mu);
	}
	free(b);
}

/* Whether to read in a thread: regular files, unless CSM_THREADS=1. */
static int
want_thread(const struct input *in)
{
	return in->size > 0 && !threadenv_single();
}

struct evread *
evread_start(struct input *in, const struct evread_prep *prep)
{
	struct evread *er = calloc(1, sizeof *er);
	int i;

	if (er == NULL)
		return NULL;
	if (prep != NULL && prep->fn != NULL) {
		er->prep = *prep;
		if (er->prep.nwant > EVROW_MAX_COLS)
			er->prep.nwant = EVROW_MAX_COLS;
	}
	for (i = 0; i < EVROW_MAX_COLS; i++)
		er->idx[i] = -1;
	for (i = 0; i < NBATCH; i++)
		if ((er->b[i] = batch_new()) == NULL) {
			evread_stop(er);
			return NULL;
		}
	if ((er->carry = malloc(RUN_MAX)) == NULL) {
		evread_stop(er);
		return NULL;
	}
	er->in = in;
	er->row.hdr = &er->r.hdr;
	er->row.idx = er->idx;
	er->row.file = in->name;
	er->ts_idx = -1;
	er->line_bytes = 128;
	er->share = SHARE_START;
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

	if (er->taken)
		return b;
	er->taken = 1;
	if (!er->threaded) {
		if (!er->full[er->take]) {
			fill(er, b);
			er->full[er->take] = 1;
		}
		return b;
	}
	pthread_mutex_lock(&er->mu);
	/* Behind it (past the first batch): less for a partial hook. */
	if (!er->full[er->take] && er->started && er->share > 0)
		er->share--;
	er->started = 1;
	while (!er->full[er->take]) {
		er->taker_waits = 1;
		pthread_cond_wait(&er->cv, &er->mu);
	}
	er->taker_waits = 0;
	pthread_mutex_unlock(&er->mu);
	return b;
}

/* Gives the current batch back to be filled again. */
static void
release(struct evread *er)
{
	pthread_mutex_lock(&er->mu);
	er->full[er->take] = 0;
	if (er->reader_waits && NBATCH - count_full(er) >= WAKE_AT)
		pthread_cond_broadcast(&er->cv);
	pthread_mutex_unlock(&er->mu);
	er->take = (er->take + 1) % NBATCH;
	er->taken = 0;
	er->pos = 0;
}

/*
 * The fields of a row some rows ahead, then (once they are in) its text:
 * the reading thread wrote both on the other core, and a check that
 * stalled on each of their cache lines in turn waited longer than it
 * worked.
 */
#define PREFETCH_FIELDS 8
#define PREFETCH_TEXT 4

static void
prefetch_row(const struct batch *b, size_t i)
{
	const char *p, *end;
	const struct rec *rc;

	if (i + PREFETCH_FIELDS < b->n && (rc = &b->rec[i +
	    PREFETCH_FIELDS])->kind == TSV_ROW) {
		p = (const char *)(b->f + rc->f0);
		end = (const char *)(b->f + rc->f0 + rc->nf);
		for (; p < end; p += 64)
			__builtin_prefetch(p);
	}
	if (i + PREFETCH_TEXT < b->n && (rc = &b->rec[i +
	    PREFETCH_TEXT])->kind == TSV_ROW) {
		p = b->f[rc->f0].p;
		end = b->f[rc->f0 + rc->nf - 1].p;
		for (; p <= end; p += 64)
			__builtin_prefetch(p);
	}
}

const struct evread_item *
evread_next(struct evread *er)
{
	struct evread_item *it = &er->item;
	struct batch *b;
	const struct rec *rc;

	b = er->b[er->take];
	/* Within the batch at hand (nearly always) nothing is to be done. */
	if (!er->taken || er->pos == b->n)
		for (b = current(er); er->pos == b->n; b = current(er))
			release(er);
	rc = &b->rec[er->pos];
	prefetch_row(b, er->pos);
	/* The end repeats: it is not passed. */
	if (rc->kind != TSV_EOF && rc->kind != TSV_ERROR)
		er->pos++;
	/* Only the kind's fields are set: this runs for every row. */
	it->kind = (enum evread_kind)rc->kind;
	it->line = rc->line;
	switch (rc->kind) {
	case TSV_ROW:
	case EVREAD_BAD_TS:
		it->f = b->f + rc->f0;
		it->nf = (int)rc->nf;
		it->ts_ms = rc->ts_ms;
		it->aux = rc->prepped ? b->aux[er->pos - 1] : NULL;
		it->ahead = NULL;
		if (er->prep.ahead > 0) {
			size_t i = er->pos - 1 + er->prep.ahead;

			if (i < b->n && b->rec[i].prepped)
				it->ahead = b->aux[i];
		}
		if (rc->kind == EVREAD_BAD_TS)
			it->bad = slice_make(b->text + rc->off, rc->len);
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
		batch_free(er->b[i]);
	free(er->carry);
	free(er);
}
