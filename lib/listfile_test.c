/*
 * listfile_test.c: list files: comments, blank lines, trimming, CRLF,
 * gzip, several files in one list (file and line of each item), and the
 * errors: a missing file, an over-long line.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "input.h"
#include "listfile.h"
#include "test.h"

static char top[PATH_MAX];

static int
item_is(const struct listfile *lf, size_t i, const char *text,
    uint64_t line)
{
	return i < lf->n && slice_eq(lf->item[i].s, text) &&
	    lf->item[i].s.p[lf->item[i].s.n] == '\0' &&
	    lf->item[i].line == line;
}

int
main(int argc, char **argv)
{
	char path[PATH_MAX + 64], path2[PATH_MAX + 64], err[512], *p;
	char tmp[] = "/tmp/csm-listfile-test-XXXXXX";
	struct listfile lf;
	FILE *f;
	int i, fd;

	(void)argc;
	if (realpath(argv[0], top) == NULL)
		abort();
	for (i = 0; i < 3; i++)
		if ((p = strrchr(top, '/')) != NULL)
			*p = '\0';

	listfile_init(&lf);
	snprintf(path, sizeof path, "%s/testdata/config/lists/admins.txt", top);
	TEST_OK(listfile_load(&lf, path, err, sizeof err) == 0 && lf.n == 3,
	    "admins: three items");
	TEST_OK(item_is(&lf, 0, "administrator", 3) &&
	    item_is(&lf, 1, "Domain Admins", 4) &&
	    item_is(&lf, 2, "svc-backup", 6),
	    "admins: trimmed, comments and blank lines skipped, lines kept");
	TEST_OK(strcmp(lf.item[0].file, path) == 0, "admins: file kept");
	snprintf(path2, sizeof path2, "%s/testdata/config/lists/ioc-b.txt.gz",
	    top);
	TEST_OK(listfile_load(&lf, path2, err, sizeof err) == 0 && lf.n == 4,
	    "ioc-b.txt.gz: gzip appended");
	TEST_OK(item_is(&lf, 3, "bad.example", 1) &&
	    strcmp(lf.item[3].file, path2) == 0 &&
	    strcmp(lf.item[0].file, path) == 0 &&
	    item_is(&lf, 0, "administrator", 3),
	    "two files in one list, earlier items intact");
	listfile_release(&lf);

	listfile_init(&lf);
	snprintf(path, sizeof path, "%s/testdata/config/lists/user-agents.txt",
	    top);
	TEST_OK(listfile_load(&lf, path, err, sizeof err) == 0 && lf.n == 1 &&
	    item_is(&lf, 0, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "#not a comment", 2), "user-agents: CRLF, '#' inside an item");
	listfile_release(&lf);

	listfile_init(&lf);
	snprintf(path, sizeof path,
	    "%s/testdata/config/lists/protected-names.txt", top);
	TEST_OK(listfile_load(&lf, path, err, sizeof err) == 0 && lf.n == 2 &&
	    item_is(&lf, 0, "\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4"
	    "\xbe\xe3\x82\xb5\xe3\x83\xb3\xe3\x83\x97\xe3\x83\xab\xe5\x95"
	    "\x86\xe4\xba\x8b", 1), "protected-names: UTF-8 kept as it is");
	listfile_release(&lf);

	listfile_init(&lf);
	TEST_OK(listfile_load(&lf, "/nonexistent/list.txt", err,
	    sizeof err) == -1 && strcmp(err, "/nonexistent/list.txt: cannot "
	    "open: No such file or directory") == 0 && lf.n == 0,
	    "missing file");
	listfile_release(&lf);

	/* Many items, to make the buffer move while it grows. */
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL)
		abort();
	for (i = 0; i < 5000; i++)
		fprintf(f, "item-%d\n", i);
	fputs("last\n", f);
	for (i = 0; i < INPUT_MAX_LINE + 10; i++)
		fputc('x', f);
	fputs("\nnever\n", f);
	if (fclose(f) != 0)
		abort();
	listfile_init(&lf);
	TEST_OK(listfile_load(&lf, tmp, err, sizeof err) == -1 &&
	    strstr(err, ":5002: line longer than 1048576 bytes") != NULL,
	    "over-long line is an error with its line");
	TEST_OK(lf.n == 5001 && item_is(&lf, 0, "item-0", 1) &&
	    item_is(&lf, 4999, "item-4999", 5000) &&
	    item_is(&lf, 5000, "last", 5001),
	    "items before the error kept, after the buffer moved");
	listfile_release(&lf);
	TEST_OK(lf.n == 0 && lf.item == NULL, "released");
	unlink(tmp);
	return test_done();
}
