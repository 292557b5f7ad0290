/*
 * fuzz_parse.c: one libFuzzer harness for every log parser in the format
 * registry. The first input byte picks the format (its index in fmt_list,
 * modulo the number of formats, so formats added later are fuzzed with no
 * change here); the rest is cut into lines the way lib/input.c does (LF
 * ends a line, one CR before it is dropped, a last line without LF counts)
 * and driven through open, line, finish and close as csm-parse drives it.
 * Each line is copied into a heap block of its exact length and freed
 * after the parser returns, so a read past the end of a line or a slice
 * kept into an earlier line is caught by ASan. Every event goes through
 * event_write into a buffer flushed to /dev/null, which fuzzes escaping and
 * time formatting too, and each record is checked against the stream
 * contract: 36 columns, one LF, no raw control byte (which also catches a
 * column wrongly marked with event_set_checked). A format that says it is
 * line_local must emit at most one event per line, have no finish, and
 * give each line the same result when parsed alone with a fresh state, as
 * the parallel workers of csm-parse do. The recommended Squid format
 * (squid-csm, and squid-custom, fuzzed with the same logformat) gives each
 * line the same result again with CSM_SQUID_GLANCE=0, read by the general
 * search alone.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "esc.h"
#include "event.h"
#include "fmt.h"
#include "outbuf.h"
#include "timeconv.h"

/*
 * The logformat the squid-custom format is fuzzed with; CSM_FUZZ_LOGFORMAT
 * gives another (one with a header block, "... %ru [%>h]", say).
 */
#define FUZZ_LOGFORMAT "%ts.%03tu %6tr %>a %Ss/%03>Hs %>st %<st %rm %ru " \
	"\"%{User-Agent}>h\" %[un %Sh/%<a %mt"
static const char *logformat = FUZZ_LOGFORMAT;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct outbuf out;	/* 256 KiB: static, not on the stack */
static struct time_cache tc;
static int nformats;
#define FUZZ_MAX_FORMATS 256
static char unusable[FUZZ_MAX_FORMATS];	/* cannot open with our options */
static int only = -1;	/* CSM_FUZZ_ONLY: every input goes to this format */

static void
fail(const char *fmtname, const char *what)
{
	fprintf(stderr, "fuzz_parse: format %s: %s\n", fmtname, what);
	abort();
}

/*
 * Checks the record event_write just appended at out.buf[start..len): one
 * line of exactly EV_NCOLS fields with no raw control byte in it.
 */
static void
check_record(const char *fmtname, size_t start)
{
	const unsigned char *p = (const unsigned char *)out.buf + start;
	size_t i, n = out.len - start;
	int tabs = 0;

	if (n == 0 || p[n - 1] != '\n')
		fail(fmtname, "record does not end with LF");
	for (i = 0; i + 1 < n; i++) {
		if (p[i] == '\t')
			tabs++;
		else if (p[i] < 0x20 || p[i] == 0x7f)
			fail(fmtname, "raw control byte in a record");
	}
	if (tabs != EV_NCOLS - 1)
		fail(fmtname, "record has the wrong number of columns");
}

/* Upper bound of the bytes event_write can produce for ev. */
static size_t
record_bound(const struct event *ev)
{
	size_t n = TIME_RFC3339_LEN + EV_NCOLS + 64;
	int i;

	for (i = 0; i < EV_NCOLS; i++)
		n += ev->f[i].n * ESC_MAX_GROWTH;
	for (i = 0; i < ev->nextra; i++)
		n += (ev->extra_key[i].n + ev->extra_val[i].n + 2) *
		    ESC_MAX_GROWTH;
	if (ev->origin_file)
		n += strlen(ev->origin_file) * ESC_MAX_GROWTH + 21;
	return n;
}

/* What one line produced: compared between a run and a fresh parse. */
struct line_out {
	enum line_result r;
	int events;
	int partial;		/* a record too big to check or hash */
	uint64_t hash;		/* FNV-1a of the records, or of the reason */
};

struct emit_state {
	const char *fmtname;
	struct line_out lo;
};

static uint64_t
fnv(uint64_t h, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
	return h;
}

static void
emit_event(struct parse_ctx *ctx, struct event *ev)
{
	struct emit_state *es = ctx->emit_arg;
	int check;

	if (ev == NULL)
		fail(es->fmtname, "emit called with no event");
	if (ev->nextra < 0 || ev->nextra > EVENT_MAX_EXTRA)
		fail(es->fmtname, "bad nextra");
	/*
	 * Start each record in an empty buffer; the record can be checked
	 * when it cannot have caused a flush half way.
	 */
	outbuf_flush(&out);
	check = record_bound(ev) <= OUTBUF_SIZE;
	event_write(&out, ev, &tc);
	if (check) {
		check_record(es->fmtname, 0);
		es->lo.hash = fnv(es->lo.hash, out.buf, out.len);
	} else {
		es->lo.partial = 1;
	}
	es->lo.events++;
}

/* A rejection must say why, in escaped text. */
static void
check_reason(const char *fmtname, const char *reason)
{
	size_t i, n = strnlen(reason, 256);

	if (n == 0)
		fail(fmtname, "line rejected with an empty reason");
	if (n == 256)
		fail(fmtname, "reason is not NUL-terminated");
	for (i = 0; i < n; i++)
		if ((unsigned char)reason[i] < 0x20 ||
		    (unsigned char)reason[i] == 0x7f)
			fail(fmtname, "raw control byte in a reason");
}

/* The options every input of format f is parsed with. */
static void
opts_for(const struct fmt *f, struct parse_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	if (strcmp(f->name, "squid-custom") == 0)
		opts->logformat = logformat;
}

/*
 * Formats are being written beside this harness: one that cannot open with
 * our fixed options (squid-custom not yet taking FUZZ_LOGFORMAT, say) is
 * named once on stderr and left out, rather than crashing on every input
 * that selects it.
 */
static void
find_unusable(void)
{
	struct parse_opts opts;
	struct parse_ctx ctx;
	struct event *ev;
	void *state;
	int i;

	if ((ev = malloc(sizeof *ev)) == NULL)
		return;
	for (i = 0; i < nformats && i < FUZZ_MAX_FORMATS; i++) {
		const struct fmt *f = fmt_list[i];

		if (f->open == NULL)
			continue;
		opts_for(f, &opts);
		memset(&ctx, 0, sizeof ctx);
		ctx.opts = &opts;
		ctx.ev = ev;
		event_clear(ev);
		if ((state = f->open(&ctx)) == NULL) {
			fprintf(stderr, "fuzz_parse: WARNING: format %s cannot "
			    "open (%s); not fuzzed\n", f->name, ctx.reason);
			unusable[i] = 1;
		} else if (f->close) {
			f->close(state);
		}
	}
	free(ev);
}

/*
 * CSM_FUZZ_SKIP="squid w3c": leaves those formats out, to look past a
 * known finding while it waits for its fix.
 */
static void
skip_named(const char *names)
{
	struct slice rest, w;
	int i;

	if (names == NULL)
		return;
	rest = slice_cstr(names);
	while ((w = slice_next_word(&rest)).n > 0)
		for (i = 0; i < nformats && i < FUZZ_MAX_FORMATS; i++)
			if (slice_eq(w, fmt_list[i]->name)) {
				fprintf(stderr, "fuzz_parse: WARNING: format "
				    "%s not fuzzed (CSM_FUZZ_SKIP)\n",
				    fmt_list[i]->name);
				unusable[i] = 1;
			}
}

/*
 * CSM_FUZZ_ONLY=iptables: every input goes to that one format, whatever its
 * first byte says, so a long run spends all its time on one parser (the
 * per-format runs of scripts/fuzz --each-format).
 */
static void
pin_named(const char *name)
{
	int i;

	if (name == NULL || *name == '\0')
		return;
	for (i = 0; i < nformats && i < FUZZ_MAX_FORMATS; i++)
		if (strcmp(name, fmt_list[i]->name) == 0 && !unusable[i]) {
			only = i;
			return;
		}
	fprintf(stderr, "fuzz_parse: CSM_FUZZ_ONLY: no usable format '%s'\n",
	    name);
	exit(2);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *lf = getenv("CSM_FUZZ_LOGFORMAT");
	int fd, i;

	(void)argc;
	(void)argv;
	if (lf != NULL && lf[0] != '\0')
		logformat = lf;
	for (nformats = 0; fmt_list[nformats]; nformats++)
		continue;
	/* CSM_FUZZ_LIST=1: print "index name" per format (for seeding). */
	if (getenv("CSM_FUZZ_LIST") != NULL) {
		for (i = 0; i < nformats; i++)
			printf("%d %s\n", i, fmt_list[i]->name);
		exit(0);
	}
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("fuzz_parse: /dev/null");
		exit(1);
	}
	outbuf_init(&out, fd);
	time_cache_init(&tc);
	/* A zone with DST, so local-time formats meet gaps and overlaps. */
	if (time_zone_set("Europe/Berlin") != 0 &&
	    time_zone_set("CET-1CEST,M3.5.0,M10.5.0/3") != 0)
		time_zone_set("UTC");
	find_unusable();
	skip_named(getenv("CSM_FUZZ_SKIP"));
	pin_named(getenv("CSM_FUZZ_ONLY"));
	return 0;
}

/*
 * Parses one line from a private copy of exactly its length, as line
 * number lineno, and returns what came out.
 */
static struct line_out
parse_one(const struct fmt *f, void *state, struct parse_ctx *ctx,
    struct slice line, uint64_t lineno)
{
	struct emit_state *es = ctx->emit_arg;
	char *copy;

	memset(&es->lo, 0, sizeof es->lo);
	es->lo.hash = UINT64_C(0xcbf29ce484222325);
	/* Exactly line.n bytes: ASan then sees any read past the end. */
	if ((copy = malloc(line.n)) == NULL && line.n > 0)
		abort();
	memcpy(copy, line.p, line.n);
	event_clear(ctx->ev);
	ctx->ev->origin_file = "fuzz";
	ctx->ev->origin_line = lineno;
	ctx->reason[0] = '\0';
	es->lo.r = f->line(state, slice_make(copy, line.n), ctx);
	free(copy);
	if (es->lo.r == LINE_REJECTED) {
		check_reason(f->name, ctx->reason);
		es->lo.hash = fnv(es->lo.hash, ctx->reason,
		    strlen(ctx->reason));
	} else if (es->lo.r != LINE_USED && es->lo.r != LINE_SKIPPED) {
		fail(f->name, "line returned an unknown result");
	}
	if (f->line_local && es->lo.events > 1)
		fail(f->name, "line_local format emitted two events for a line");
	return es->lo;
}

static void *
open_state(const struct fmt *f, struct parse_ctx *ctx)
{
	void *state = NULL;

	/* It opened in find_unusable: it must open every time. */
	if (f->open && (state = f->open(ctx)) == NULL)
		fail(f->name, "open failed on a later call");
	return state;
}

/*
 * Parses each of the n lines alone, with a fresh state, and fails with why
 * where it gives another result than outs[] has for it.
 */
static void
parse_alone(const struct fmt *f, struct parse_ctx *ctx,
    const struct slice *lines, const struct line_out *outs, size_t n,
    const char *why)
{
	struct line_out alone;
	void *state;
	size_t i;

	for (i = 0; i < n; i++) {
		state = open_state(f, ctx);
		alone = parse_one(f, state, ctx, lines[i], i + 1);
		if (f->close)
			f->close(state);
		if (alone.partial || outs[i].partial)
			continue;
		if (alone.r != outs[i].r || alone.events != outs[i].events ||
		    alone.hash != outs[i].hash)
			fail(f->name, why);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fmt *f;
	struct parse_opts opts;
	struct parse_ctx ctx;
	struct emit_state es;
	struct event *ev;
	struct slice *lines;
	struct line_out *outs;
	const char *p, *end;
	void *state;
	size_t i, n = 0;

	if (size < 1 || nformats == 0)
		return 0;
	i = only >= 0 ? (size_t)only : data[0] % (size_t)nformats;
	f = fmt_list[i];
	if (unusable[i])
		return 0;
	if (f->line_local && f->finish != NULL)
		fail(f->name, "line_local format has a finish");
	opts_for(f, &opts);
	ev = malloc(sizeof *ev);
	lines = malloc(size * sizeof *lines);
	outs = malloc(size * sizeof *outs);
	if (ev == NULL || lines == NULL || outs == NULL)
		abort();

	/* The lines, cut as input_next cuts them. */
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		lines[n] = slice_make(p, len);
		if (len && p[len - 1] == '\r')
			lines[n].n--;
		n++;
		p = nl ? nl + 1 : end;
	}

	es.fmtname = f->name;
	memset(&ctx, 0, sizeof ctx);
	ctx.opts = &opts;
	ctx.ev = ev;
	ctx.emit = emit_event;
	ctx.emit_arg = &es;
	event_clear(ev);
	state = open_state(f, &ctx);
	for (i = 0; i < n; i++)
		outs[i] = parse_one(f, state, &ctx, lines[i], i + 1);
	if (f->finish)
		f->finish(state, &ctx);
	if (f->close)
		f->close(state);

	/*
	 * A format with a carry: advance one through every line as the reader
	 * of csm-parse does with first lines of blocks, and seed a state from
	 * it, so both run on hostile lines too.
	 */
	if (f->carry_advance) {
		void *carry = malloc(f->carry_size);

		if (carry == NULL)
			abort();
		f->carry_init(carry, &opts);
		for (i = 0; i < n; i++) {
			f->carry_advance(carry, lines[i]);
			state = open_state(f, &ctx);
			f->carry_seed(state, carry);
			(void)parse_one(f, state, &ctx, lines[i], i + 1);
			if (f->close)
				f->close(state);
		}
		free(carry);
	}

	/* A line_local line must not depend on the lines before it. */
	if (f->line_local)
		parse_alone(f, &ctx, lines, outs, n, "line_local format parses "
		    "a line differently after other lines");
	/* Lines read at a glance: the general reading must say the same. */
	if (strcmp(f->name, "squid-csm") == 0 ||
	    strcmp(f->name, "squid-custom") == 0) {
		setenv("CSM_SQUID_GLANCE", "0", 1);
		parse_alone(f, &ctx, lines, outs, n, "the general reading "
		    "differs from the reading at a glance");
		unsetenv("CSM_SQUID_GLANCE");
	}
	free(outs);
	free(lines);
	free(ev);
	outbuf_flush(&out);
	return 0;
}
