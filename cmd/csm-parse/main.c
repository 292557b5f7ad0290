/*
 * csm-parse: raw logs in, normalised events (csm-events(5)) out. Options
 * and the operand loop live here; the per-input work is parse_input.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "diag.h"
#include "num.h"
#include "parse.h"

#define CSM_VERSION "0.1.0"

struct opts {
	const char *format;
	const char *logformat;
	const char *tz;
	int year;
	const char *since, *until;
	int strict, stats, list;
	uint64_t max_errors;
	enum progress_mode progress;
};

static const char synopsis[] =
"usage: csm-parse [-f format] [--logformat string] [--tz zone] [--year yyyy]\n"
"                 [--since time] [--until time]\n"
"                 [--strict] [--stats] [--max-errors n] [--progress | --quiet]\n"
"                 [file ...]\n"
"       csm-parse --list-formats\n";

static const char help_text[] =
"\n"
"Reads raw logs (plain or gzip; '-' or none for stdin) and writes\n"
"normalised events as a TSV stream (see csm-events(5)).\n"
"\n"
"  -f, --format name     log format, or 'auto' to detect per file (default)\n"
"      --logformat str   a Squid logformat string (implies -f squid-custom)\n"
"      --tz zone         zone of logs with local times (default: TZ, else UTC)\n"
"      --year yyyy       year of timestamps that have none (default: inferred)\n"
"      --since time      only events at or after time (YYYY-MM-DD or RFC 3339;\n"
"                        no zone given means --tz)\n"
"      --until time      only events at or before time (a date alone: to the\n"
"                        end of that day)\n"
"      --strict          stop at the first rejected line\n"
"      --stats           print the line summary for every input\n"
"      --max-errors n    rejected lines shown per input (default 10)\n"
"      --progress        always show the progress line on stderr\n"
"      --quiet           never show the progress line\n"
"      --list-formats    list the formats and exit\n"
"  -h, --help            show this help and exit\n"
"  -V, --version         show the version and exit\n"
"\n"
"Exit status: 0 all good, 1 some lines rejected, 2 usage error,\n"
"3 output incomplete (unreadable input, bad gzip, write error).\n";

enum { OPT_LOGFORMAT = 256, OPT_TZ, OPT_YEAR, OPT_SINCE, OPT_UNTIL,
    OPT_STRICT, OPT_STATS, OPT_MAX_ERRORS, OPT_PROGRESS, OPT_QUIET, OPT_LIST };

static const struct option longopts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "logformat", required_argument, NULL, OPT_LOGFORMAT },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "year", required_argument, NULL, OPT_YEAR },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "list-formats", no_argument, NULL, OPT_LIST },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int
usage_error(const char *msg, const char *arg)
{
	if (msg)
		diag_msg("%s '%s'", msg, arg);
	fputs(synopsis, stderr);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    diag_prog());
	return EXIT_USAGE;
}

static void
list_formats(void)
{
	int i;

	for (i = 0; fmt_list[i]; i++)
		printf("%-16s %-8s %s\n", fmt_list[i]->name, fmt_list[i]->log,
		    fmt_list[i]->summary);
}

/*
 * Compiles --logformat once before any input is opened, so that a bad
 * string is a usage error naming the problem, not a failure per file.
 */
static int
check_logformat(const struct fmt *f, const char *logformat)
{
	struct parse_opts popts = { .logformat = logformat };
	struct parse_ctx ctx;
	void *state;

	memset(&ctx, 0, sizeof ctx);
	ctx.opts = &popts;
	if ((state = f->open(&ctx)) == NULL) {
		diag_msg("%s", ctx.reason);
		return -1;
	}
	if (f->close)
		f->close(state);
	return 0;
}

/* Sum of the sizes of regular-file operands, for the progress line. */
static uint64_t
total_size(char **files, int n)
{
	uint64_t total = 0;
	struct stat sb;
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(files[i], "-") != 0 && stat(files[i], &sb) == 0 &&
		    S_ISREG(sb.st_mode))
			total += (uint64_t)sb.st_size;
	return total;
}

/*
 * Reads --since and --until (after --tz, which times without a zone are
 * in) into the run. Returns 0, or -1 after a usage message.
 */
static int
set_window(struct parse_run *run, const struct opts *o)
{
	run->since_ms = INT64_MIN;
	run->until_ms = INT64_MAX;
	run->windowed = o->since || o->until;
	if (o->since &&
	    time_parse_user(slice_cstr(o->since), 0, &run->since_ms) != 0)
		return usage_error("bad --since", o->since), -1;
	if (o->until &&
	    time_parse_user(slice_cstr(o->until), 1, &run->until_ms) != 0)
		return usage_error("bad --until", o->until), -1;
	if (run->since_ms > run->until_ms) {
		diag_msg("--since '%s' is after --until '%s'", o->since,
		    o->until);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "-" };
	static struct outbuf out;
	struct opts o = { .format = "auto", .max_errors = 10 };
	struct parse_run run;
	uint64_t year;
	char **files;
	int c, i, nfiles, status = EXIT_GOOD;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "f:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o.format = optarg; break;
		case OPT_LOGFORMAT: o.logformat = optarg; break;
		case OPT_TZ: o.tz = optarg; break;
		case OPT_YEAR:
			if (num_parse_u64(slice_cstr(optarg), 9999, &year) != 0 ||
			    year < 1970)
				return usage_error("bad --year", optarg);
			o.year = (int)year;
			break;
		case OPT_SINCE: o.since = optarg; break;
		case OPT_UNTIL: o.until = optarg; break;
		case OPT_STRICT: o.strict = 1; break;
		case OPT_STATS: o.stats = 1; break;
		case OPT_MAX_ERRORS:
			if (num_parse_u64(slice_cstr(optarg), 1000000000,
			    &o.max_errors) != 0)
				return usage_error("bad --max-errors", optarg);
			break;
		case OPT_PROGRESS: o.progress = PROGRESS_ON; break;
		case OPT_QUIET: o.progress = PROGRESS_OFF; break;
		case OPT_LIST: o.list = 1; break;
		case 'h':
			fputs(synopsis, stdout);
			fputs(help_text, stdout);
			return EXIT_GOOD;
		case 'V': puts("csm-parse " CSM_VERSION); return EXIT_GOOD;
		default: return usage_error(NULL, NULL);
		}
	}
	if (o.list) {
		list_formats();
		return fflush(stdout) == 0 ? EXIT_GOOD : EXIT_INCOMPLETE;
	}

	memset(&run, 0, sizeof run);
	if (o.logformat && strcmp(o.format, "auto") == 0)
		o.format = "squid-custom";
	if (strcmp(o.format, "auto") != 0 &&
	    (run.forced = fmt_lookup(o.format)) == NULL)
		return usage_error("unknown format", o.format);
	if (run.forced && o.logformat && !run.forced->takes_logformat)
		return usage_error("--logformat does not apply to format",
		    o.format);
	if (o.logformat && check_logformat(run.forced, o.logformat) != 0)
		return usage_error("bad --logformat", o.logformat);
	if (time_zone_set(o.tz) != 0)
		return usage_error("unknown time zone", o.tz ? o.tz :
		    getenv("TZ"));
	if (set_window(&run, &o) != 0)
		return EXIT_USAGE;
	run.popts.logformat = o.logformat;
	run.popts.year = o.year;
	/*
	 * A missing year is inferred so that no event lands after now, or
	 * after --until when that is earlier: re-reading an old day (as
	 * csm-daily --date does) must give the years it gave then.
	 */
	run.popts.now = (int64_t)time(NULL);
	if (o.until && run.until_ms / 1000 < run.popts.now)
		run.popts.now = run.until_ms / 1000;
	run.max_errors = o.max_errors;
	run.strict = o.strict;
	run.stats = o.stats;
	run.out = &out;
	run.workers = parallel_workers();
	time_cache_init(&run.tc);
	outbuf_init(&out, STDOUT_FILENO);

	files = optind < argc ? argv + optind : stdin_only;
	nfiles = optind < argc ? argc - optind : 1;
	progress_init(&run.pg, o.progress, total_size(files, nfiles));
	event_write_header(&out);
	for (i = 0; i < nfiles && !run.stop && !out.err; i++)
		status = diag_worse(status, parse_input(&run, files[i]));
	if (outbuf_flush(&out) != 0) {
		diag_msg("write error: %s", strerror(out.err));
		status = EXIT_INCOMPLETE;
	}
	return status;
}
