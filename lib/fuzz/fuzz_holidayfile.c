/*
 * fuzz_holidayfile.c: libFuzzer harness for the two readers of files the
 * configuration names: holiday lists (lib/holidayfile.c, the Cabinet
 * Office's syukujitsu.csv in Shift_JIS or UTF-8 and company lists) and
 * list files (lib/listfile.c). The rest of the input after its first
 * byte is written to a file in a private directory (both loaders take a
 * path) and loaded. The first byte chooses: bit 0 clear for a holiday
 * file, set for a list file; bit 1 set loads the file a second time
 * gzip-compressed, which must give exactly the same answer, bit 1 clear
 * loads it a second time as it is, into the same set or list.
 *
 * Holiday files are loaded into a set that already holds two days, so
 * that "on error the set is left as it was" and "the first name loaded
 * wins" are seen; a loaded set must be sorted with each day once, every
 * day must be found by both lookups with its own clean name, and loading
 * the same file again must change nothing. List files are checked
 * against a plain model of the format (LF ends a line, one CR before it
 * dropped, spaces and tabs trimmed, blank and '#' lines skipped) item by
 * item, with line numbers, and loading twice must append the same items.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <zlib.h>
#include "holidayfile.h"
#include "listfile.h"
#include "timeconv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ERR_MAX 1024

static char dir[] = "/tmp/fuzz_holidayfile.XXXXXX";
static char path[sizeof dir + 16];	/* the input */
static char pre[sizeof dir + 16];	/* the days loaded first */

/* Two days, loaded before the input: the input cannot rename them. */
static const char pre_text[] = "2026-01-01 pre-a\n2026-05-05 pre-b\n";

/*
 * pre.txt loaded once: each run starts from a copy, since every load
 * costs the reader's buffer of over a megabyte (and ASan's poisoning of
 * it), which would halve the runs per second.
 */
static struct holidayfile base;

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_holidayfile: %s\n", what);
	abort();
}

static void
cleanup(void)
{
	unlink(path);
	unlink(pre);
	rmdir(dir);
	holidayfile_release(&base);
}

static void
write_file(const char *name, const char *p, size_t n)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t off = 0;
	ssize_t w;

	if (fd < 0)
		fail("cannot create the input file");
	while (off < n) {
		if ((w = write(fd, p + off, n - off)) <= 0)
			fail("cannot write the input file");
		off += (size_t)w;
	}
	close(fd);
}

static void
write_gzip(const char *name, const char *p, size_t n)
{
	gzFile gz = gzopen(name, "wb");

	if (gz == NULL || (n > 0 && gzwrite(gz, p, (unsigned)n) != (int)n) ||
	    gzclose(gz) != Z_OK)
		fail("cannot write the gzip input file");
}

/* Whether the reader takes p[0..n) for gzip (by its magic bytes). */
static int
is_gzip(const char *p, size_t n)
{
	return n >= 2 && (unsigned char)p[0] == 0x1f &&
	    (unsigned char)p[1] == 0x8b;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[HOLIDAYFILE_ERR_SIZE];

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_holidayfile: mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/input.txt", dir);
	snprintf(pre, sizeof pre, "%s/pre.txt", dir);
	atexit(cleanup);
	write_file(pre, pre_text, sizeof pre_text - 1);
	holidayfile_init(&base);
	if (holidayfile_load(&base, pre, err, sizeof err) != HOLIDAYFILE_OK ||
	    base.n != 2)
		fail("cannot load the two days before the input");
	return 0;
}

/* A failed load leaves one line of message that names the file. */
static void
check_err(const char *err)
{
	const char *p;

	if (err[0] == '\0')
		fail("load failed without a message");
	if (strncmp(err, path, strlen(path)) != 0 ||
	    err[strlen(path)] != ':')
		fail("message does not start with the path");
	for (p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fail("control byte in a message");
}

static int
same_sets(const struct holidayfile *a, const struct holidayfile *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i].days != b->v[i].days ||
		    strcmp(holidayfile_name(a, i), holidayfile_name(b, i)) != 0)
			return 0;
	return 1;
}

/* A copy of base, then the input loaded into it; the input's status. */
static int
holiday_load(struct holidayfile *set, char *err)
{
	int rc;

	holidayfile_init(set);
	set->v = malloc(base.cap * sizeof *set->v);
	set->names = malloc(base.names_cap);
	if (set->v == NULL || set->names == NULL)
		fail("out of memory");
	memcpy(set->v, base.v, base.n * sizeof *set->v);
	memcpy(set->names, base.names, base.names_len);
	set->n = base.n;
	set->cap = base.cap;
	set->names_len = base.names_len;
	set->names_cap = base.names_cap;
	set->seq = base.seq;
	rc = holidayfile_load(set, path, err, HOLIDAYFILE_ERR_SIZE);
	if (rc != HOLIDAYFILE_OK && rc != HOLIDAYFILE_BAD &&
	    rc != HOLIDAYFILE_IO)
		fail("holidayfile_load: unknown status");
	if (strlen(err) >= HOLIDAYFILE_ERR_SIZE - 1)
		fail("holidayfile_load: message filled the buffer");
	if (rc != HOLIDAYFILE_OK) {
		check_err(err);
		if (!same_sets(set, &base))
			fail("holidayfile_load: failed load changed the set");
	} else if (err[0] != '\0') {
		fail("holidayfile_load: message without a failure");
	}
	return rc;
}

static void
check_set(const struct holidayfile *set)
{
	const char *name, *q;
	struct time_parts tp;
	size_t i;

	for (i = 0; i < set->n; i++) {
		const struct holidayfile_day *d = &set->v[i];

		if (i > 0 && set->v[i - 1].days >= d->days)
			fail("set not sorted, or a day twice");
		if (d->name >= set->names_len ||
		    memchr(set->names + d->name, '\0',
		    set->names_len - d->name) == NULL)
			fail("name outside the names");
		for (q = holidayfile_name(set, i); *q; q++)
			if (((unsigned char)*q < 0x20 && *q != '\t') ||
			    *q == 0x7f)
				fail("control byte in a name");
		if (holidayfile_lookup_days(set, d->days, &name) != 1 ||
		    name != holidayfile_name(set, i))
			fail("holidayfile_lookup_days misses a day");
		time_split((int64_t)d->days * 86400, &tp);
		if (holidayfile_lookup(set, tp.year, tp.month, tp.day,
		    &name) != 1 || name != holidayfile_name(set, i))
			fail("holidayfile_lookup misses a day");
		if ((i + 1 == set->n || set->v[i + 1].days != d->days + 1) &&
		    (holidayfile_lookup_days(set, d->days + 1, &name) != 0 ||
		    name != NULL))
			fail("holidayfile_lookup_days finds a day not there");
	}
	if (holidayfile_lookup(set, 2026, 2, 30, &name) != -1 ||
	    name != NULL)
		fail("holidayfile_lookup takes 2026-02-30");
	/* The two days loaded first keep their names. */
	if (holidayfile_lookup(set, 2026, 1, 1, &name) != 1 ||
	    strcmp(name, "pre-a") != 0 ||
	    holidayfile_lookup(set, 2026, 5, 5, &name) != 1 ||
	    strcmp(name, "pre-b") != 0)
		fail("the input renamed a day loaded before it");
}

static void
fuzz_holiday(const char *p, size_t n, int gzip)
{
	char err[HOLIDAYFILE_ERR_SIZE], err2[HOLIDAYFILE_ERR_SIZE];
	struct holidayfile set, set2;
	size_t n1;
	int rc;

	write_file(path, p, n);
	rc = holiday_load(&set, err);
	if (rc == HOLIDAYFILE_OK)
		check_set(&set);
	if (gzip && !is_gzip(p, n)) {
		/* Compressed, the file gives the same answer. */
		write_gzip(path, p, n);
		if (holiday_load(&set2, err2) != rc || strcmp(err, err2) != 0)
			fail("gzip: another status or message");
		if (rc == HOLIDAYFILE_OK && !same_sets(&set, &set2))
			fail("gzip: another set");
		holidayfile_release(&set2);
	} else {
		/* The same file again changes nothing and says the same. */
		n1 = set.n;
		if (holidayfile_load(&set, path, err2, sizeof err2) != rc ||
		    strcmp(err, err2) != 0 || set.n != n1)
			fail("loading the file again gave another answer");
		if (rc == HOLIDAYFILE_OK)
			check_set(&set);
	}
	holidayfile_release(&set);
}

/*
 * The items the format says p[0..n) holds, compared with lf->item[from..]:
 * returns 0 when they agree.
 */
static int
model_agrees(const struct listfile *lf, size_t from, const char *p, size_t n)
{
	const char *end = p + n;
	uint64_t line = 0;
	size_t k = from;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *s = p;

		p = nl ? nl + 1 : end;
		line++;
		if (len && s[len - 1] == '\r')
			len--;
		while (len && (s[0] == ' ' || s[0] == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 0 || s[0] == '#')
			continue;
		if (k >= lf->n || lf->item[k].line != line ||
		    lf->item[k].s.n != len || memcmp(lf->item[k].s.p, s,
		    len) != 0)
			return -1;
		k++;
	}
	return k == lf->n ? 0 : -1;
}

static void
check_items(const struct listfile *lf, size_t from)
{
	const struct listfile_item *it;
	size_t i;

	for (i = from; i < lf->n; i++) {
		it = &lf->item[i];
		if (it->s.n == 0 || it->s.p[it->s.n] != '\0' ||
		    it->s.p[0] == '#' || it->s.p[0] == ' ' ||
		    it->s.p[0] == '\t' || it->s.p[it->s.n - 1] == ' ' ||
		    it->s.p[it->s.n - 1] == '\t' ||
		    memchr(it->s.p, '\n', it->s.n) != NULL)
			fail("listfile: item not trimmed or not NUL-ended");
		if (it->file == NULL || strcmp(it->file, path) != 0)
			fail("listfile: item names another file");
		if (i > from && it->line <= lf->item[i - 1].line)
			fail("listfile: line numbers out of order");
	}
}

static void
fuzz_list(const char *p, size_t n, int gzip)
{
	char err[ERR_MAX], err2[ERR_MAX];
	struct listfile lf, lf2;
	size_t i, n1;
	int rc, plain = !is_gzip(p, n);

	write_file(path, p, n);
	listfile_init(&lf);
	err[0] = '\0';
	rc = listfile_load(&lf, path, err, sizeof err);
	if (rc != 0 && rc != -1)
		fail("listfile_load: not 0 or -1");
	if (rc != 0)
		check_err(err);
	check_items(&lf, 0);
	if (rc == 0 && plain && model_agrees(&lf, 0, p, n) != 0)
		fail("listfile: items differ from the model");
	if (gzip && plain) {
		/* Compressed, the file gives the same items. */
		write_gzip(path, p, n);
		listfile_init(&lf2);
		err2[0] = '\0';
		if (listfile_load(&lf2, path, err2, sizeof err2) != rc ||
		    strcmp(err, err2) != 0)
			fail("listfile: gzip: another status or message");
		if (rc == 0 && (lf2.n != lf.n ||
		    model_agrees(&lf2, 0, p, n) != 0))
			fail("listfile: gzip: other items");
		listfile_release(&lf2);
		listfile_release(&lf);
		return;
	}
	/* Again into the same list: the same items are appended. */
	n1 = lf.n;
	err2[0] = '\0';
	if (listfile_load(&lf, path, err2, sizeof err2) != rc ||
	    strcmp(err, err2) != 0)
		fail("listfile: loading again gave another answer");
	if (rc == 0) {
		if (lf.n != 2 * n1)
			fail("listfile: loading again gave another count");
		check_items(&lf, n1);
		for (i = 0; i < n1; i++)
			if (lf.item[i].line != lf.item[n1 + i].line ||
			    lf.item[i].s.n != lf.item[n1 + i].s.n ||
			    memcmp(lf.item[i].s.p, lf.item[n1 + i].s.p,
			    lf.item[i].s.n) != 0 ||
			    lf.item[i].file == lf.item[n1 + i].file)
				fail("listfile: loading again gave other "
				    "items");
	}
	listfile_release(&lf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1;

	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_list(p, size - 1, (data[0] & 2) != 0);
	else
		fuzz_holiday(p, size - 1, (data[0] & 2) != 0);
	return 0;
}
