/*
 * config_maint_test.c: the change operators of [maintenance NAME] and the
 * query that csm-authcheck asks per event (config_maintenance_excuses):
 * an operator in any spelling of the name is excused, another account or
 * nobody is not; a window without operators excuses everyone on the hosts
 * it covers; a host known only by name is covered by windows for every
 * host alone; a second window is found when the first does not excuse;
 * config_in_maintenance is unchanged by operators; the key's mistakes
 * and --set; and the manual documents the key.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "test.h"
#include "timeconv.h"

/* Loads text (a temporary file) and the sets; NULL with err set. */
static struct config *
load(const char *text, const char *set, char *err)
{
	char path[] = "/tmp/csm-config-maint-XXXXXX";
	struct config *cfg = config_new();
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0 || cfg == NULL || (f = fdopen(fd, "w")) == NULL ||
	    fputs(text, f) < 0 || fclose(f) != 0)
		abort();
	if (config_load(cfg, path, err, CONFIG_ERR_MAX) != 0 ||
	    (set != NULL && config_set(cfg, set, err, CONFIG_ERR_MAX) != 0) ||
	    config_finish(cfg, err, CONFIG_ERR_MAX) != 0) {
		config_free(cfg);
		cfg = NULL;
	}
	unlink(path);
	return cfg;
}

static int
is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The window excusing actor on addr (NULL: a named host) at t. */
static const char *
excused(const struct config *cfg, int64_t t, const char *addr,
    const char *actor)
{
	struct ipaddr a;

	if (addr != NULL && ip_parse(slice_cstr(addr), &a) != 0)
		abort();
	return config_maintenance_excuses(cfg, t, addr ? &a : NULL,
	    slice_cstr(actor));
}

static void
test_operators(void)
{
	int64_t in = time_utc_seconds(2026, 12, 29, 14, 0, 0);
	int64_t out = time_utc_seconds(2026, 12, 29, 22, 0, 0);
	char err[CONFIG_ERR_MAX];
	struct config *cfg;
	struct ipaddr a;

	cfg = load("[site]\ntimezone = Asia/Tokyo\n"
	    "[segment servers]\nnetworks = 10.1.0.0/16\n"
	    "[maintenance ye]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-30 06:00\nhosts = servers\n"
	    "operators = adm-tanaka, \"CORP\\ops team\"\n", NULL, err);
	TEST_OK(cfg != NULL, "operators: the windows load");
	if (cfg == NULL) {
		printf("# %s\n", err);
		return;
	}
	TEST_OK(is(excused(cfg, in, "10.1.0.5", "adm-tanaka"), "ye") &&
	    is(excused(cfg, in, "10.1.0.5", "CORP\\ADM-TANAKA"), "ye") &&
	    is(excused(cfg, in, "10.1.0.5", "ops team@corp.example"), "ye"),
	    "operators: an operator in any spelling is excused");
	TEST_OK(excused(cfg, in, "10.1.0.5", "mallory") == NULL &&
	    excused(cfg, in, "10.1.0.5", "") == NULL &&
	    excused(cfg, in, "10.1.0.5", "adm-tanaka2") == NULL,
	    "operators: another account, or nobody, is not");
	TEST_OK(excused(cfg, out, "10.1.0.5", "adm-tanaka") == NULL &&
	    excused(cfg, in, "10.2.0.5", "adm-tanaka") == NULL,
	    "operators: only inside the window, on its hosts");
	TEST_OK(excused(cfg, in, NULL, "adm-tanaka") == NULL,
	    "operators: a host known by name is not in a host list");
	if (ip_parse(slice_cstr("10.1.0.5"), &a) != 0)
		abort();
	TEST_OK(is(config_in_maintenance(cfg, in, &a), "ye"),
	    "operators: config_in_maintenance ignores them");
	config_free(cfg);

	cfg = load("[site]\ntimezone = Asia/Tokyo\n"
	    "[maintenance ye]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-30 06:00\noperators = adm-tanaka\n"
	    "[maintenance open]\nstart = 2026-12-29 22:30\n"
	    "end = 2026-12-29 23:30\nhosts = 10.9.0.0/16\n"
	    "[maintenance weekend]\nweekly = sat 22:00-sun 06:00\n"
	    "operators = adm-sato\n", NULL, err);
	TEST_OK(cfg != NULL, "operators: second set loads");
	if (cfg == NULL) {
		printf("# %s\n", err);
		return;
	}
	TEST_OK(is(excused(cfg, in, NULL, "adm-tanaka"), "ye") &&
	    excused(cfg, in, NULL, "suzuki") == NULL,
	    "operators: a window for every host covers a named host");
	TEST_OK(is(excused(cfg, in, "10.9.1.1", "suzuki"), "open") &&
	    is(excused(cfg, in, "10.9.1.1", ""), "open") &&
	    excused(cfg, in, "10.8.1.1", "suzuki") == NULL,
	    "operators: none given excuses anyone on the window's hosts");
	/* Saturday 2027-01-02 23:00 JST is 14:00 UTC. */
	TEST_OK(is(excused(cfg, time_utc_seconds(2027, 1, 2, 14, 0, 0),
	    "10.1.0.1", "adm-sato"), "weekend") && excused(cfg,
	    time_utc_seconds(2027, 1, 2, 14, 0, 0), "10.1.0.1", "suzuki") ==
	    NULL && excused(cfg, time_utc_seconds(2027, 1, 2, 12, 0, 0),
	    "10.1.0.1", "adm-sato") == NULL,
	    "operators: a weekly window excuses its operator only");
	config_free(cfg);
}

static void
fails(const char *text, const char *set, const char *msg, const char *what)
{
	char err[CONFIG_ERR_MAX] = "";
	struct config *cfg = load(text, set, err);
	const char *colon = strchr(err, ':');

	/* The file is a temporary one: compare from the line number on. */
	colon = colon != NULL ? colon + 1 : err;
	TEST_OK(cfg == NULL && strcmp(colon, msg) == 0, what);
	if (cfg != NULL || strcmp(colon, msg) != 0)
		printf("# want: %s\n#  got: %s\n", msg, cfg ? "(loaded)" : err);
	config_free(cfg);
}

static void
test_errors(void)
{
	char err[CONFIG_ERR_MAX];
	struct config *cfg;

	fails("[maintenance w]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-30 06:00\noperators = ,\n", NULL,
	    "4: no account in operators", "errors: empty operators");
	fails("[maintenance w]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-30 06:00\noperators = \"alice\n", NULL,
	    "4: unterminated quote in '\"alice'", "errors: open quote");
	fails("[maintenance w]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-30 06:00\noperators = CORP\\\n", NULL,
	    "4: bad account 'CORP\\\\' in operators",
	    "errors: a domain without an account");
	cfg = load("[maintenance w]\nstart = 2026-12-29 22:00\n"
	    "end = 2026-12-30 06:00\noperators = alice\n",
	    "maintenance.w.operators=bob", err);
	TEST_OK(cfg != NULL && excused(cfg, time_utc_seconds(2026, 12, 29,
	    22, 30, 0), "10.0.0.1", "bob") != NULL && excused(cfg,
	    time_utc_seconds(2026, 12, 29, 22, 30, 0), "10.0.0.1",
	    "alice") == NULL, "--set replaces the operators");
	config_free(cfg);
}

/* The manual has an ".It Ic operators" line. */
static void
test_doc(const char *argv0)
{
	char exe[PATH_MAX], path[PATH_MAX + 32], line[512], *p;
	FILE *f;
	int i, found = 0;

	if (realpath(argv0, exe) == NULL)
		abort();
	/* build/test/config_maint_test: the tree is three levels up. */
	for (i = 0; i < 3; i++)
		if ((p = strrchr(exe, '/')) != NULL)
			*p = '\0';
	snprintf(path, sizeof path, "%s/man/csm.conf.5", exe);
	if ((f = fopen(path, "r")) == NULL)
		abort();
	while (fgets(line, sizeof line, f) != NULL)
		if (strcmp(line, ".It Ic operators\n") == 0)
			found = 1;
	fclose(f);
	TEST_OK(found, "doc: csm.conf(5) describes operators");
}

int
main(int argc, char **argv)
{
	(void)argc;
	unsetenv("TZ");
	test_operators();
	test_errors();
	test_doc(argv[0]);
	return test_done();
}
