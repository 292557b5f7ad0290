/*
 * checkopt_test.c: unit tests for checkopt_start, the command line every
 * check reads: shared options, --set shortcuts (a path quoted), flags,
 * the program's other options, and the statuses it stops with.
 */
#include <stdio.h>
#include <string.h>
#include "checkopt.h"
#include "diag.h"
#include "test.h"

enum { OPT_TZ = 256, OPT_LIST, OPT_FLAG, OPT_RULES, OPT_OTHER };

static const struct option longopts[] = {
	{ "tz", required_argument, NULL, OPT_TZ },
	{ "list", required_argument, NULL, OPT_LIST },
	{ "flag", no_argument, NULL, OPT_FLAG },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "other", required_argument, NULL, OPT_OTHER },
	CHECKOPT_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct seen {
	const char *other;		/* the last --other value */
	int calls, status;		/* status: what other returns */
};

static int
other(void *arg, struct checkopt *co, int c, const char *value)
{
	struct seen *s = arg;

	(void)co;
	s->calls++;
	if (c == OPT_OTHER)
		s->other = value;
	return s->status;
}

/* Runs checkopt_start over words (ended by NULL) with a fresh getopt. */
static int
start(struct checkopt *co, struct seen *s, int *flag, int *rules,
    char **words)
{
	const struct checkopt_own own[] = {
		{ OPT_TZ, "site.timezone=", 0, NULL },
		{ OPT_LIST, "lists.user-agents=", 1, NULL },
		{ OPT_FLAG, NULL, 0, flag },
		{ OPT_RULES, "x.rules=", 0, rules },
		{ 0, NULL, 0, NULL }
	};
	const struct checkopt_cli cli = {
		"usage: t [options] [file ...]\n", "\nhelp\n", "t 0", NULL,
		longopts, own, other, s
	};
	int argc = 0;

	while (words[argc] != NULL)
		argc++;
	optind = 0;	/* glibc: start over */
	return checkopt_start(co, &cli, argc, words);
}

int
main(void)
{
	struct checkopt co;
	struct seen s;
	int flag, rules, status;
	char *full[] = { "t", "--tz", "Asia/Tokyo", "--list", "my uas.txt",
	    "--flag", "--other", "x", "--set", "a.b=c", "-c", "site.conf",
	    "--stats", "--max-errors", "5", "--rules", "ua", "in.tsv", NULL };
	char *quote[] = { "t", "--list", "a\"b", NULL };
	char *none[] = { "t", "-", NULL };
	char *refused[] = { "t", "--other", "y", "in.tsv", NULL };
	char *unknown[] = { "t", "--no-such", NULL };
	char *bad_max[] = { "t", "--max-errors", "ten", NULL };

	/* Usage messages go to stderr; the TAP lines stay on stdout. */
	if (freopen("/dev/null", "w", stderr) == NULL)
		return 1;

	memset(&s, 0, sizeof s);
	flag = rules = 0;
	status = start(&co, &s, &flag, &rules, full);
	TEST_OK(status == CHECKOPT_DONE, "a full command line is read");
	TEST_OK(optind == 17 && strcmp(full[optind], "in.tsv") == 0,
	    "optind is at the first operand");
	TEST_OK(co.nsets == 4, "three shortcuts and a --set, in order");
	TEST_OK(co.nsets == 4 &&
	    strcmp(co.sets[0], "site.timezone=Asia/Tokyo") == 0 &&
	    strcmp(co.sets[1], "lists.user-agents=\"my uas.txt\"") == 0 &&
	    strcmp(co.sets[2], "a.b=c") == 0 &&
	    strcmp(co.sets[3], "x.rules=ua") == 0,
	    "a shortcut's prefix and value; a path quoted");
	TEST_OK(flag == 1 && rules == 1, "a flag, and a shortcut's flag");
	TEST_OK(s.calls == 1 && s.other != NULL && strcmp(s.other, "x") == 0,
	    "an option of no table goes to other");
	TEST_OK(co.conf != NULL && strcmp(co.conf, "site.conf") == 0 &&
	    co.stats == 1 && co.max_errors == 5,
	    "the shared -c, --stats and --max-errors");
	checkopt_release(&co);

	memset(&s, 0, sizeof s);
	flag = rules = 0;
	status = start(&co, &s, &flag, &rules, quote);
	TEST_OK(status == CHECKOPT_DONE && co.nsets == 1 &&
	    strcmp(co.sets[0], "lists.user-agents=a\"b") == 0,
	    "a path with a quote in it is taken as written");
	checkopt_release(&co);

	memset(&s, 0, sizeof s);
	status = start(&co, &s, &flag, &rules, none);
	TEST_OK(status == CHECKOPT_DONE && optind == 1 && co.nsets == 0 &&
	    co.stats == 0 && co.max_errors == 10 && co.conf == NULL,
	    "no options: the defaults, '-' an operand");
	checkopt_release(&co);

	memset(&s, 0, sizeof s);
	s.status = EXIT_USAGE;
	status = start(&co, &s, &flag, &rules, refused);
	TEST_OK(status == EXIT_USAGE && co.sets == NULL,
	    "other's status stops the reading, co released");

	memset(&s, 0, sizeof s);
	status = start(&co, &s, &flag, &rules, unknown);
	TEST_OK(status == EXIT_USAGE && co.sets == NULL && s.calls == 0,
	    "an unknown option is a usage error");

	memset(&s, 0, sizeof s);
	status = start(&co, &s, &flag, &rules, bad_max);
	TEST_OK(status == EXIT_USAGE && co.sets == NULL,
	    "a bad --max-errors is a usage error");
	return test_done();
}
