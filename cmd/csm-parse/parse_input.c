/*
 * parse_input.c: csm-parse's per-input loop: open through the shared
 * reader, pick the format (sniffing the first lines for -f auto), feed
 * every line to the parser, and account for each one as used, skipped or
 * rejected. A format that reads its files itself (EVTX) is given the path
 * instead, and its records are fed and accounted for as lines are; so is
 * a directory operand, to the format that reads directories (Maildir).
 * Records that were broken but still gave their event are warned about.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "diag.h"
#include "esc.h"
#include "input.h"
#include "parse.h"

#define SNIFF_LINES 50

struct emit_state {
	struct parse_run *run;
	struct line_stats *st;
	struct warn_tally warn;
};

static void
emit_event(struct parse_ctx *ctx, struct event *ev)
{
	struct emit_state *es = ctx->emit_arg;

	if (!parse_in_window(es->run, ev)) {
		es->st->outside++;
		return;
	}
	event_write(es->run->out, ev, &es->run->tc);
	es->st->events++;
}

static void
warn_record(struct parse_ctx *ctx, uint64_t line, const char *msg)
{
	struct emit_state *es = ctx->emit_arg;

	warn_show(&es->warn, line, msg);
}

int
report_read_error(const struct input *in)
{
	return diag_read_error(in->name, in->lineno, in->errmsg);
}

static const struct fmt *
choose_format(struct parse_run *run, struct input *in, int *status)
{
	struct slice lines[SNIFF_LINES];
	const struct fmt *f;
	char q[DIAG_NAME_MAX];
	int n;

	*status = EXIT_GOOD;
	if (run->forced)
		return run->forced;
	n = input_peek_lines(in, lines, SNIFF_LINES);
	if (n < 0) {
		diag_msg("%s: %s", diag_escape(q, sizeof q,
		    slice_cstr(in->name)), in->errmsg);
		*status = EXIT_INCOMPLETE;
		return NULL;
	}
	if (n == 0)
		return NULL;	/* empty input: nothing to parse */
	f = fmt_detect(lines, n);
	if (f == NULL && in->failed) {
		/* The input broke off: that, not the format, is the news. */
		diag_msg("%s: %s", diag_escape(q, sizeof q,
		    slice_cstr(in->name)), in->errmsg);
		*status = EXIT_INCOMPLETE;
	} else if (f == NULL) {
		char first[200];
		diag_msg("%s: cannot tell the log format (first line '%s'); "
		    "name it with -f (see --list-formats)",
		    diag_escape(q, sizeof q, slice_cstr(in->name)),
		    diag_quote(first, sizeof first, lines[0]));
		*status = EXIT_INCOMPLETE;
	}
	return f;
}

/*
 * Lets f emit what is pending at the end of input. A record the end cut
 * off comes back as a reason: the last line, which fed it, is rejected
 * rather than used (so the counts still add up to the lines).
 */
static void
finish_input(struct parse_run *run, const char *name, uint64_t lineno,
    const struct fmt *f, void *state, struct parse_ctx *ctx,
    struct line_stats *st)
{
	ctx->reason[0] = '\0';
	f->finish(state, ctx);
	if (ctx->reason[0] == '\0')
		return;
	if (st->used > 0)
		st->used--;
	else if (st->skipped > 0)
		st->skipped--;
	else
		st->lines++;	/* no line at all: count the end as one */
	diag_reject(st, name, lineno, ctx->reason, run->max_errors);
}

/*
 * Counts one line (or record) by what came of it, reporting a rejection.
 * Returns nonzero when --strict says to stop.
 */
static int
account(struct parse_run *run, struct line_stats *st, const char *name,
    uint64_t lineno, enum line_result r, const char *reason)
{
	if (r == LINE_USED) {
		st->used++;
	} else if (r == LINE_SKIPPED) {
		st->skipped++;
	} else {
		diag_reject(st, name, lineno, reason, run->max_errors);
		if (run->strict) {
			run->stop = 1;
			return 1;
		}
	}
	return 0;
}

/* Runs every line of in through f; returns the exit code for the input. */
static int
parse_lines(struct parse_run *run, struct input *in, const struct fmt *f,
    struct line_stats *st)
{
	struct event *ev = malloc(sizeof *ev);
	struct emit_state es = { run, st, { in->name, run->max_errors, 0 } };
	struct parse_ctx ctx;
	void *state = NULL;
	struct slice line;
	enum input_status is;
	int status = EXIT_GOOD;
	char q[DIAG_NAME_MAX];

	memset(&ctx, 0, sizeof ctx);
	ctx.opts = &run->popts;
	ctx.ev = ev;
	ctx.emit = emit_event;
	ctx.emit_arg = &es;
	ctx.warn = warn_record;
	ctx.path = in->name;
	if (ev == NULL) {
		diag_msg("out of memory");
		return EXIT_INCOMPLETE;
	}
	if (f->open && (state = f->open(&ctx)) == NULL) {
		diag_msg("%s: %s", diag_escape(q, sizeof q,
		    slice_cstr(in->name)), ctx.reason);
		free(ev);
		return EXIT_INCOMPLETE;
	}
	while ((is = input_next(in, &line)) != INPUT_EOF) {
		enum line_result r;

		if (is == INPUT_ERROR) {
			status = report_read_error(in);
			break;
		}
		st->lines++;
		if ((st->lines & 0x3ff) == 0) {
			progress_update(&run->pg, run->done_before +
			    input_consumed(in));
			if (run->out->err) {
				run->stop = 1;	/* disk full: stop reading */
				break;
			}
		}
		if (is == INPUT_LONG) {
			snprintf(ctx.reason, sizeof ctx.reason,
			    "line longer than %d bytes", INPUT_MAX_LINE);
			r = LINE_REJECTED;
		} else {
			event_clear(ev);
			ev->origin_file = run->origin;
			ev->origin_line = in->lineno;
			r = f->line(state, line, &ctx);
		}
		if (account(run, st, in->name, in->lineno, r, ctx.reason))
			break;
	}
	if (f->finish && status == EXIT_GOOD && !run->stop)
		finish_input(run, in->name, in->lineno, f, state, &ctx, st);
	if (f->close)
		f->close(state);
	warn_summary(&es.warn);
	free(ev);
	return status;
}

/*
 * Runs every record of the file at path through f, a format that reads
 * its files itself (fmt.h: open_file, next_record); name is the input's
 * name for messages. Returns the exit code for the input.
 */
static int
parse_records(struct parse_run *run, const char *name, const char *path,
    const struct fmt *f, struct line_stats *st)
{
	struct event *ev = malloc(sizeof *ev);
	struct emit_state es = { run, st, { name, run->max_errors, 0 } };
	struct parse_ctx ctx;
	void *state = NULL;
	struct slice rec;
	enum record_status rs;
	uint64_t recno = 0;
	int status = EXIT_GOOD;
	char qn[DIAG_NAME_MAX];

	memset(&ctx, 0, sizeof ctx);
	ctx.opts = &run->popts;
	ctx.ev = ev;
	ctx.emit = emit_event;
	ctx.emit_arg = &es;
	ctx.warn = warn_record;
	ctx.path = path;
	if (ev == NULL) {
		diag_msg("out of memory");
		return EXIT_INCOMPLETE;
	}
	if ((f->open && (state = f->open(&ctx)) == NULL) ||
	    f->open_file(state, path, &ctx) != 0) {
		diag_msg("%s: %s", diag_escape(qn, sizeof qn,
		    slice_cstr(name)), ctx.reason);
		if (state && f->close)
			f->close(state);
		free(ev);
		return EXIT_INCOMPLETE;
	}
	for (;;) {
		enum line_result r;

		ctx.reason[0] = '\0';
		if ((rs = f->next_record(state, &rec, &recno, &ctx)) ==
		    RECORD_END) {
			/* A note for the user, not an error. */
			if (ctx.reason[0] != '\0')
				diag_msg("%s: %s", diag_escape(qn, sizeof qn,
				    slice_cstr(name)), ctx.reason);
			break;
		}
		if (rs == RECORD_FAIL) {
			status = diag_read_error(name, recno, ctx.reason);
			break;
		}
		st->lines++;
		if (run->out->err) {
			run->stop = 1;	/* disk full: stop reading */
			break;
		}
		if (rs == RECORD_BAD) {
			r = LINE_REJECTED;
		} else {
			event_clear(ev);
			ev->origin_file = run->origin;
			ev->origin_line = recno;
			r = f->line(state, rec, &ctx);
		}
		if (account(run, st, name, recno, r, ctx.reason))
			break;
	}
	if (f->finish && status == EXIT_GOOD && !run->stop)
		finish_input(run, name, recno, f, state, &ctx, st);
	if (f->close)
		f->close(state);
	warn_summary(&es.warn);
	free(ev);
	return status;
}

static int parse_opened(struct parse_run *run, const char *path,
    struct line_stats *st);
static int parse_dir(struct parse_run *run, const char *path,
    struct line_stats *st);

int
parse_input(struct parse_run *run, const char *path)
{
	struct line_stats st;
	char *origin;
	int status;

	memset(&st, 0, sizeof st);
	/* The origin column names the input: escape the name once. */
	origin = malloc(strlen(path) * ESC_MAX_GROWTH + 1);
	if (origin == NULL) {
		diag_msg("out of memory");
		return EXIT_INCOMPLETE;
	}
	origin[esc_tsv(origin, slice_cstr(path), ESC_TSV)] = '\0';
	run->origin = origin;
	status = parse_dir(run, path, &st);
	if (status < 0)
		status = parse_opened(run, path, &st);
	free(origin);
	run->origin = NULL;
	return status;
}

/*
 * A directory operand: read by a format that takes directories (-f
 * maildir, or -f auto), else refused with a message saying so. Returns -1
 * when path is no directory.
 */
static int
parse_dir(struct parse_run *run, const char *path, struct line_stats *st)
{
	const struct fmt *f = run->forced;
	struct stat sb;
	char q[DIAG_NAME_MAX];
	int i, status;

	if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 ||
	    !S_ISDIR(sb.st_mode))
		return -1;
	for (i = 0; f == NULL && fmt_list[i]; i++)
		if (fmt_list[i]->takes_dir)
			f = fmt_list[i];
	if (f == NULL || !f->takes_dir) {
		diag_msg("%s: a directory: -f %s reads files (only a Maildir "
		    "folder can be named, with -f maildir or -f auto)",
		    diag_escape(q, sizeof q, slice_cstr(path)),
		    f ? f->name : "auto");
		return EXIT_INCOMPLETE;
	}
	status = parse_records(run, path, path, f, st);
	progress_end(&run->pg);
	if (st->rejected > 0)
		status = diag_worse(status, EXIT_REJECTED);
	if (run->stats || st->rejected > 0)
		diag_summary(st, path, run->max_errors);
	return status;
}

/* parse_input once the origin is set up. */
static int
parse_opened(struct parse_run *run, const char *path, struct line_stats *st)
{
	struct input in;
	const struct fmt *f;
	int status;
	char q[DIAG_NAME_MAX];

	if (input_open(&in, path) != 0) {
		diag_msg("%s: %s", diag_escape(q, sizeof q, slice_cstr(path)),
		    in.errmsg);
		input_close(&in);
		return EXIT_INCOMPLETE;
	}
	f = choose_format(run, &in, &status);
	if (status != EXIT_GOOD) {
		input_close(&in);
		return status;	/* unknown format: nothing was read */
	}
	if (f != NULL && f->next_record)
		status = parse_records(run, in.name, path, f, st);
	else if (f != NULL && (f->line_local || f->carry_advance) &&
	    !run->strict && run->workers > 0)
		status = parse_lines_parallel(run, &in, f, st, run->workers);
	else if (f != NULL)
		status = parse_lines(run, &in, f, st);
	run->done_before += input_consumed(&in);
	progress_end(&run->pg);
	if (st->rejected > 0)
		status = diag_worse(status, EXIT_REJECTED);
	if (run->stats || st->rejected > 0)
		diag_summary(st, in.name, run->max_errors);
	input_close(&in);
	return status;
}
