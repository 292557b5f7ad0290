/*
 * config_file_test.c: where the configuration is found (config_find's
 * search order: -c, $CSM_CONFIG, ./csm.conf, $XDG_CONFIG_HOME,
 * ~/.config) and how the paths in it resolve against its directory.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "test.h"

static char tmp[64];		/* the working directory of the tests */

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

/* The search order of config_find, in a scratch tree. */
static void
test_find(void)
{
	char buf[PATH_MAX], err[CONFIG_ERR_MAX], want[PATH_MAX + 64];
	char home[128], xdg[128];
	int etc = access("/etc/csm/csm.conf", F_OK) == 0;
	struct config *cfg;

	snprintf(home, sizeof home, "%s/home", tmp);
	snprintf(xdg, sizeof xdg, "%s/xdg", tmp);
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("CSM_CONFIG");
	unlink("csm.conf");
	if (!etc)
		TEST_OK(config_find(NULL, buf, sizeof buf, err, sizeof err) ==
		    0, "find: nothing anywhere, defaults");
	cfg = config_new();
	TEST_OK(etc || (config_setup(cfg, NULL, NULL, 0, err, sizeof err) ==
	    0 && config_path(cfg) == NULL), "find: setup on defaults");
	config_free(cfg);
	if (mkdir(home, 0700) != 0 || mkdir("home/.config", 0700) != 0 ||
	    mkdir("home/.config/csm", 0700) != 0 || mkdir(xdg, 0700) != 0 ||
	    mkdir("xdg/csm", 0700) != 0)
		abort();
	write_file("home/.config/csm/csm.conf", "[site]\nname = home\n");
	snprintf(want, sizeof want, "%s/.config/csm/csm.conf", home);
	TEST_OK(config_find(NULL, buf, sizeof buf, err, sizeof err) == 1 &&
	    streq(buf, want), "find: ~/.config/csm/csm.conf");
	write_file("xdg/csm/csm.conf", "[site]\nname = xdg\n");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	snprintf(want, sizeof want, "%s/csm/csm.conf", xdg);
	TEST_OK(config_find(NULL, buf, sizeof buf, err, sizeof err) == 1 &&
	    streq(buf, want), "find: $XDG_CONFIG_HOME/csm/csm.conf first");
	write_file("csm.conf", "[site]\nname = here\n");
	TEST_OK(config_find(NULL, buf, sizeof buf, err, sizeof err) == 1 &&
	    streq(buf, "csm.conf"), "find: ./csm.conf before both");
	write_file("named.conf", "[site]\nname = named\n");
	setenv("CSM_CONFIG", "named.conf", 1);
	TEST_OK(config_find(NULL, buf, sizeof buf, err, sizeof err) == 1 &&
	    streq(buf, "named.conf"), "find: $CSM_CONFIG before ./csm.conf");
	setenv("CSM_CONFIG", "", 1);
	TEST_OK(config_find(NULL, buf, sizeof buf, err, sizeof err) == 1 &&
	    streq(buf, "csm.conf"), "find: empty $CSM_CONFIG is unset");
	setenv("CSM_CONFIG", "missing.conf", 1);
	TEST_OK(config_find(NULL, buf, sizeof buf, err, sizeof err) == -1 &&
	    streq(err, "cannot open config 'missing.conf' (from CSM_CONFIG): "
	    "No such file or directory"), "find: $CSM_CONFIG must exist");
	TEST_OK(config_find("csm.conf", buf, sizeof buf, err, sizeof err) ==
	    1 && streq(buf, "csm.conf"), "find: -c before $CSM_CONFIG");
	TEST_OK(config_find("nope.conf", buf, sizeof buf, err, sizeof err) ==
	    -1 && streq(err, "cannot open config 'nope.conf': No such file or "
	    "directory"), "find: -c must exist");
	cfg = config_new();
	{
		char *sets[] = { "site.timezone=Asia/Tokyo" };
		TEST_OK(config_setup(cfg, "named.conf", sets, 1, err,
		    sizeof err) == 0 && streq(config_site_name(cfg), "named") &&
		    streq(config_timezone(cfg), "Asia/Tokyo") &&
		    streq(config_path(cfg), "named.conf"),
		    "find: setup with -c and --set");
	}
	config_free(cfg);
	cfg = config_new();
	TEST_OK(config_setup(cfg, NULL, NULL, 0, err, sizeof err) == -1 &&
	    streq(err, "cannot open config 'missing.conf' (from CSM_CONFIG): "
	    "No such file or directory"), "find: setup reports the error");
	config_free(cfg);
	unsetenv("CSM_CONFIG");
	unlink("named.conf");
	unlink("csm.conf");
	unlink("xdg/csm/csm.conf");
	unlink("home/.config/csm/csm.conf");
	rmdir("xdg/csm");
	rmdir("xdg");
	rmdir("home/.config/csm");
	rmdir("home/.config");
	rmdir("home");
}

/*
 * Globs relative to a file in "g[1]*": the directory's pattern characters
 * are escaped for the shell, the glob's own are not; plain paths keep all.
 */
static void
test_glob_dir(void)
{
	char err[CONFIG_ERR_MAX];
	struct config_strv globs = { NULL, 0 }, paths = { NULL, 0 };
	struct config_key keys[] = {
		{ "logs", CONFIG_GLOBS, &globs, 0, 0 },
		{ "files", CONFIG_PATHS, &paths, 0, 0 },
	};
	struct config *cfg = config_new();

	if (mkdir("g[1]*", 0700) != 0)
		abort();
	write_file("g[1]*/csm.conf", "[daily]\nlogs = a/*.log b.log\nfiles = b.txt\n");
	TEST_OK(config_declare(cfg, "daily", keys, 2) == 0 &&
	    config_load(cfg, "g[1]*/csm.conf", err, sizeof err) == 0 &&
	    config_finish(cfg, err, sizeof err) == 0, "glob dir: load");
	TEST_OK(globs.n == 2 && streq(globs.v[0], "g\\[1]\\*/a/*.log"),
	    "glob dir: the directory escaped, the glob kept");
	TEST_OK(globs.n == 2 && streq(globs.v[1], "g[1]*/b.log"),
	    "glob dir: no pattern, no escapes (csm-daily takes it as it is)");
	TEST_OK(paths.n == 1 && streq(paths.v[0], "g[1]*/b.txt"),
	    "glob dir: a plain path as it is");
	config_free(cfg);
	unlink("g[1]*/csm.conf");
	rmdir("g[1]*");
}

int
main(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/csm-config-file-test-XXXXXX");
	if (mkdtemp(tmp) == NULL || chdir(tmp) != 0)
		abort();
	test_find();
	test_glob_dir();
	rmdir(tmp);
	return test_done();
}
