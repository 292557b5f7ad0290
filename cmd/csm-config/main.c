/*
 * csm-config: what a shell script needs from the configuration, printed
 * one value a line, so that csm-daily(1) never parses the INI file
 * itself: a value (the file found, the site's zone, a [lists] or [daily]
 * key), the log sources of [daily], or a day named the way cron wants it
 * (yesterday, in the site's zone). Loading the file checks it whole, as
 * every check does, with [daily] declared: a mistake stops the script
 * before it reads any log.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "checkopt.h"
#include "daily.h"
#include "diag.h"
#include "num.h"
#include "timeconv.h"

#define CSM_VERSION "0.1.0"

static const char synopsis[] =
"usage: csm-config [-c file] [--set section.key=value] [--tz zone] get key\n"
"       csm-config [-c file] [--set section.key=value] [--tz zone] sources\n"
"       csm-config [-c file] [--set section.key=value] [--tz zone] day when\n";

static const char help_text[] =
"\n"
"Prints what csm-daily needs from the configuration, one value a line:\n"
"  get key     the value of key: file, site.name, site.timezone,\n"
"              lists.KEY or daily.KEY (lists one item a line)\n"
"  sources     the log sources of [daily]: kind, format and glob a line\n"
"  day when    the date (YYYY-MM-DD) of yesterday, today or a date given,\n"
"              in the site's time zone\n"
"\n"
CHECKOPT_HELP_CONFIG
"      --tz zone         the site's time zone (as --set site.timezone=)\n"
"  -h, --help            show this help and exit\n"
"  -V, --version         show the version and exit\n"
"\n"
"Exit status: 0 done, 2 usage or configuration error.\n";

enum { OPT_TZ = 256 };

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "set", required_argument, NULL, CHECKOPT_SET },
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/*
 * Writes the date of when (yesterday, today or YYYY-MM-DD) in the site's
 * zone; -1 when when is none of them.
 */
static int
put_day(const struct config *cfg, const char *when, struct outbuf *ob)
{
	struct config_local lt;
	struct time_parts tp;
	char buf[16];
	int64_t days;
	int y, m, d;

	if (strcmp(when, "today") == 0 || strcmp(when, "yesterday") == 0) {
		config_local_time(cfg, (int64_t)time(NULL), &lt);
		days = lt.days - (when[0] == 'y');
	} else if (strlen(when) == 10 && when[4] == '-' && when[7] == '-' &&
	    num_parse_digits(when, 4, &y) == 0 &&
	    num_parse_digits(when + 5, 2, &m) == 0 &&
	    num_parse_digits(when + 8, 2, &d) == 0 &&
	    time_date_valid(y, m, d)) {
		days = time_days_from_civil(y, m, d);
	} else {
		return -1;
	}
	time_split(days * 86400, &tp);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d\n", tp.year, tp.month,
	    tp.day);
	outbuf_put(ob, buf, strlen(buf));
	return 0;
}

/* Runs the command in args; returns the exit status. */
static int
command(struct checkopt *co, const struct daily *d, const struct config *cfg,
    char **args, int nargs, struct outbuf *ob)
{
	const char *cmd = args[0];

	if (strcmp(cmd, "sources") == 0 && nargs == 1) {
		daily_sources(d, ob);
		return EXIT_GOOD;
	}
	if (strcmp(cmd, "get") == 0 && nargs == 2) {
		if (daily_get(d, cfg, args[1], ob) != 0)
			return checkopt_usage(co, "unknown key", args[1]);
		return EXIT_GOOD;
	}
	if (strcmp(cmd, "day") == 0 && nargs == 2) {
		if (put_day(cfg, args[1], ob) != 0)
			return checkopt_usage(co, "bad day (yesterday, today "
			    "or yyyy-mm-dd)", args[1]);
		return EXIT_GOOD;
	}
	return checkopt_usage(co, "bad command", cmd);
}

int
main(int argc, char **argv)
{
	static struct outbuf out;
	struct config_key keys[DAILY_NKEYS];
	char err[CONFIG_ERR_MAX];
	struct checkopt co;
	struct config *cfg;
	struct daily d;
	int status;
	const struct checkopt_own own[] = {
		{ OPT_TZ, "site.timezone=", 0, NULL },
		{ 0, NULL, 0, NULL }
	};
	/* "+": the words after the command are its operands, not options. */
	const struct checkopt_cli cli = {
		synopsis, help_text, "csm-config " CSM_VERSION,
		"+" CHECKOPT_SHORTOPTS, longopts, own, NULL, NULL
	};

	if ((status = checkopt_start(&co, &cli, argc, argv)) != CHECKOPT_DONE)
		return status;
	if (optind == argc)
		return checkopt_exit(&co, checkopt_usage(&co, NULL, NULL));
	daily_keys(&d, keys);
	if ((cfg = checkopt_config(&co, "daily", keys, DAILY_NKEYS)) == NULL)
		return checkopt_exit(&co, EXIT_USAGE);
	if (daily_check(&d, cfg, err, sizeof err) != 0) {
		diag_msg("%s", err);
		config_free(cfg);
		return checkopt_exit(&co, EXIT_USAGE);
	}
	outbuf_init(&out, STDOUT_FILENO);
	status = command(&co, &d, cfg, argv + optind, argc - optind, &out);
	status = checkopt_finish(&out, status);
	config_free(cfg);
	return checkopt_exit(&co, status);
}
