/*
 * csm-report: the end of every pipeline. Reads the findings of any mix of
 * checks (csm-events(5)) and writes the report a CSIRT reads in the
 * morning: text for mail and terminals, one self-contained HTML page, or
 * NDJSON and TSV for other tools (guideline 19.1.2; with --history, the
 * trend analysis of 11.3). Options and wiring live here; model.c holds
 * the findings, the report_*.c files write them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkopt.h"
#include "diag.h"
#include "num.h"
#include "report.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-report [-c file] [--set section.key=value] [--tz zone]\n"
"                  [--html | --json | --tsv] [--lang ja|en]\n"
"                  [--min-severity level] [--top n] [--group-by check|host]\n"
"                  [--allow file] [--history dir] [--history-days n]\n"
"                  [--date yyyy-mm-dd] [--notes file] [--stats]\n"
"                  [--max-errors n] [file ...]\n";

static const char help_text[] =
"\n"
"Reads csm findings (plain or gzip; '-' or none for stdin) and writes a\n"
"report: text by default, or HTML, NDJSON or TSV.\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --tz zone         the site's time zone (as --set site.timezone=)\n"
"      --html            one self-contained HTML page\n"
"      --json            one JSON object per finding (NDJSON)\n"
"      --tsv             the findings, de-duplicated and sorted\n"
"      --lang ja|en      language (default from LC_ALL, LC_MESSAGES, LANG)\n"
"      --min-severity level  leave out findings below level (info, low,\n"
"                        medium, high or critical)\n"
"      --top n           show at most n findings per section\n"
"      --group-by check|host  one section per check (default) or host\n"
"      --allow file      allowlist: 'check rule source destination reason'\n"
"      --history dir     keep each day's findings in dir; show the trend\n"
"      --history-days n  earlier days compared, 1-14 (default 7)\n"
"      --date yyyy-mm-dd the report date (default: the latest finding's)\n"
"      --notes file      show the lines of file at the end of the text or\n"
"                        HTML report (repeatable; csm-daily's messages)\n"
"\n"
"The [report] section of the configuration gives defaults for --lang,\n"
"--min-severity, --top, --group-by, --allow, --history and --history-days.\n"
CHECKOPT_HELP_TAIL;

enum {
	OPT_TZ = 256, OPT_HTML, OPT_JSON, OPT_TSV, OPT_LANG, OPT_MIN_SEV,
	OPT_TOP, OPT_GROUP_BY, OPT_ALLOW, OPT_HISTORY, OPT_HISTORY_DAYS,
	OPT_DATE, OPT_NOTES
};

static const struct option longopts[] = {
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "html", no_argument, NULL, OPT_HTML },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "tsv", no_argument, NULL, OPT_TSV },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "min-severity", required_argument, NULL, OPT_MIN_SEV },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "group-by", required_argument, NULL, OPT_GROUP_BY },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "history-days", required_argument, NULL, OPT_HISTORY_DAYS },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "notes", required_argument, NULL, OPT_NOTES },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* The language of the locale: LC_ALL, LC_MESSAGES, LANG, in that order. */
static int
default_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0')
			return strncmp(v, "ja", 2) == 0 ? LANG_JA : LANG_EN;
	}
	return LANG_EN;
}

/* What the command line says besides the shared options. */
struct cmdline {
	struct report *r;		/* what it sets there */
	int nforms;
	unsigned given;			/* GIVEN_ bits */
	const char *allow;
	const char **notes;		/* --notes files */
	size_t nnotes;
};

/*
 * Records one option of ours (cmdline is the struct cmdline); returns 0
 * or a usage error's status.
 */
static int
option(void *cmdline, struct checkopt *co, int c, const char *arg)
{
	struct cmdline *cl = cmdline;
	struct report *r = cl->r;
	static const unsigned bit[] = {
		[OPT_LANG - OPT_TZ] = GIVEN_LANG,
		[OPT_MIN_SEV - OPT_TZ] = GIVEN_MIN_SEV,
		[OPT_TOP - OPT_TZ] = GIVEN_TOP,
		[OPT_GROUP_BY - OPT_TZ] = GIVEN_GROUP_BY,
		[OPT_ALLOW - OPT_TZ] = GIVEN_ALLOW,
		[OPT_HISTORY - OPT_TZ] = GIVEN_HISTORY,
		[OPT_HISTORY_DAYS - OPT_TZ] = GIVEN_HISTORY_DAYS,
		[OPT_NOTES - OPT_TZ] = 0
	};
	uint64_t v;
	int64_t day;

	if (c >= OPT_TZ && c <= OPT_NOTES)
		cl->given |= bit[c - OPT_TZ];
	switch (c) {
	case OPT_TZ:
		if (checkopt_set(co, "site.timezone=", arg) != 0) {
			diag_msg("out of memory");
			return EXIT_INCOMPLETE;
		}
		return 0;
	case OPT_HTML: r->form = FORM_HTML; cl->nforms++; return 0;
	case OPT_JSON: r->form = FORM_JSON; cl->nforms++; return 0;
	case OPT_TSV: r->form = FORM_TSV; cl->nforms++; return 0;
	case OPT_LANG:
		if (strcmp(arg, "ja") && strcmp(arg, "en"))
			return checkopt_usage(co, "bad --lang", arg);
		r->lang = arg[0] == 'j' ? LANG_JA : LANG_EN;
		return 0;
	case OPT_MIN_SEV:
		if ((r->min_sev = finding_severity_level(slice_cstr(arg))) < 0)
			return checkopt_usage(co, "bad --min-severity", arg);
		return 0;
	case OPT_TOP:
		if (num_parse_u64(slice_cstr(arg), 1000000, &v) != 0 || v == 0)
			return checkopt_usage(co, "bad --top", arg);
		r->top = (size_t)v;
		return 0;
	case OPT_GROUP_BY:
		if (strcmp(arg, "host") && strcmp(arg, "check"))
			return checkopt_usage(co, "bad --group-by", arg);
		r->by_host = arg[0] == 'h';
		return 0;
	case OPT_ALLOW: cl->allow = arg; return 0;
	case OPT_HISTORY: r->hist.dir = arg; r->use_history = 1; return 0;
	case OPT_HISTORY_DAYS:
		if (num_parse_u64(slice_cstr(arg), HIST_MAX_DAYS, &v) != 0 ||
		    v == 0)
			return checkopt_usage(co, "bad --history-days", arg);
		r->hist.ndays = (int)v;
		return 0;
	case OPT_DATE:
		if (model_parse_date(arg, &day) != 0)
			return checkopt_usage(co, "bad --date", arg);
		r->date_opt = arg;
		return 0;
	case OPT_NOTES: cl->notes[cl->nnotes++] = arg; return 0;
	}
	return checkopt_usage(co, NULL, NULL);
}

/*
 * Checks the combinations of options, loads the configuration with its
 * [report] defaults under the command line, and the allowlist. Returns 0
 * with *cfgp set, or the exit status (a usage error).
 */
static int
setup(struct checkopt *co, struct report *r, const struct cmdline *cl,
    struct config_key *keys, struct rconf *rc, struct config **cfgp)
{
	char err[CONFIG_ERR_MAX];
	struct config *cfg;
	const char *allow = cl->allow;

	if (cl->nforms > 1)
		return checkopt_usage(co, "choose one of", "--html --json --tsv");
	if (cl->nnotes > 0 && (r->form == FORM_JSON || r->form == FORM_TSV))
		return checkopt_usage(co, "--notes needs the text or HTML "
		    "report, not", r->form == FORM_JSON ? "--json" : "--tsv");
	rconf_keys(rc, keys);
	if ((cfg = checkopt_config(co, "report", keys, RCONF_NKEYS)) == NULL)
		return EXIT_USAGE;
	if (rconf_apply(rc, cfg, cl->given, r, &allow, err, sizeof err) != 0) {
		diag_msg("%s", err);
		config_free(cfg);
		return EXIT_USAGE;
	}
	if ((rc->history_days || (cl->given & GIVEN_HISTORY_DAYS)) &&
	    !r->use_history) {
		if (cl->given & GIVEN_HISTORY_DAYS) {
			config_free(cfg);
			return checkopt_usage(co, "--history-days needs",
			    "--history");
		}
		diag_msg("%s'history-days' in [report] needs 'history'",
		    config_key_where(cfg, &rc->history_days, err,
		    sizeof err));
		config_free(cfg);
		return EXIT_USAGE;
	}
	r->cfg = cfg;
	if (allow != NULL && allow_load(&r->allow, allow, err, sizeof err)) {
		diag_msg("%s", err);
		allow_release(&r->allow);
		config_free(cfg);
		return EXIT_USAGE;
	}
	*cfgp = cfg;
	return 0;
}

int
main(int argc, char **argv)
{
	static struct outbuf out;
	static struct report r;
	struct config_key keys[RCONF_NKEYS];
	struct cmdline cl;
	struct rconf rc;
	struct checkopt co;
	struct evstream es;
	struct config *cfg = NULL;
	size_t i;
	int status, notes_status = EXIT_GOOD;
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-report " CSM_VERSION, NULL, longopts,
		NULL, option, &cl
	};

	diag_init(argv[0]);
	memset(&cl, 0, sizeof cl);
	cl.r = &r;
	if ((cl.notes = calloc((size_t)argc, sizeof *cl.notes)) == NULL) {
		diag_msg("out of memory");
		return EXIT_INCOMPLETE;
	}
	r.lang = default_lang();
	r.hist.ndays = 7;
	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE) {
		free(cl.notes);
		return status;
	}
	if ((status = setup(&co, &r, &cl, keys, &rc, &cfg)) != 0) {
		free(cl.notes);
		return checkopt_exit(&co, status);
	}
	for (i = 0; i < cl.nnotes; i++)
		if (notes_load(&r.notes, cl.notes[i]) != 0)
			notes_status = EXIT_INCOMPLETE;
	outbuf_init(&out, STDOUT_FILENO);

	r.load = &r.all;
	status = checkopt_read(&co, &es, model_columns, model_ncolumns,
	    model_nrequired, model_row, &r, argv + optind, argc - optind);
	r.rejected = es.total.rejected;
	r.dups = model_dedup(&r.all);
	model_date(&r);
	if (r.use_history)
		status = diag_worse(status, history_load(&r, co.max_errors));
	if (r.oom || model_build(&r) != 0) {
		diag_msg("out of memory: report incomplete");
		status = EXIT_INCOMPLETE;
	} else if ((r.form == FORM_TEXT ? report_text(&r, &out) :
	    r.form == FORM_HTML ? report_html(&r, &out) :
	    r.form == FORM_JSON ? report_json(&r, &out) :
	    report_tsv(&r, &out)) != 0) {
		diag_msg("out of memory: report incomplete");
		status = EXIT_INCOMPLETE;
	}
	/* A day read only in part would spoil the trend: keep it out. */
	if (r.use_history && status != EXIT_INCOMPLETE && history_save(&r))
		status = EXIT_INCOMPLETE;
	/* Notes are no findings: a missing one leaves the history alone. */
	status = diag_worse(status, notes_status);
	if (co.stats)
		diag_msg("%llu findings read, %llu duplicates merged; %zu "
		    "shown, %zu suppressed, %llu below the threshold",
		    (unsigned long long)r.read, (unsigned long long)r.dups,
		    r.nshown, r.nsupp, (unsigned long long)r.below);
	status = checkopt_finish(&out, status);
	model_release(&r);
	allow_release(&r.allow);
	notes_release(&r.notes);
	config_free(cfg);
	free(cl.notes);
	checkopt_release(&co);
	return status;
}
