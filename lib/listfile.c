/*
 * listfile.c: reads list files (one item per line, '#' comments, blank
 * lines skipped) so that no check writes its own reader. Items are copied
 * into one growing buffer and remembered by offset; their slices are set
 * once the file is read, since the buffer may move while it grows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "input.h"
#include "listfile.h"

void
listfile_init(struct listfile *lf)
{
	memset(lf, 0, sizeof *lf);
}

/* Copies s and its NUL into the buffer; returns its offset, or -1. */
static long
keep(struct listfile *lf, struct slice s)
{
	size_t off = lf->len;

	if (lf->cap - lf->len < s.n + 1) {
		size_t cap = lf->cap ? lf->cap : 4096;
		char *b;

		while (cap - lf->len < s.n + 1)
			cap *= 2;
		if ((b = realloc(lf->buf, cap)) == NULL)
			return -1;
		lf->buf = b;
		lf->cap = cap;
	}
	if (s.n > 0)
		memcpy(lf->buf + off, s.p, s.n);
	lf->buf[off + s.n] = '\0';
	lf->len += s.n + 1;
	return (long)off;
}

int
listfile_load(struct listfile *lf, const char *path, char *err,
    size_t errcap)
{
	struct input in;
	struct slice line, t;
	enum input_status st;
	char name[DIAG_NAME_MAX], **files;
	size_t i;
	int rc = 0;

	diag_escape(name, sizeof name, slice_cstr(path));
	files = realloc(lf->files, (lf->nfiles + 1) * sizeof *files);
	if (files == NULL) {
		snprintf(err, errcap, "%s: out of memory", name);
		return -1;
	}
	lf->files = files;
	if ((files[lf->nfiles] = strdup(path)) == NULL) {
		snprintf(err, errcap, "%s: out of memory", name);
		return -1;
	}
	lf->nfiles++;
	if (input_open(&in, path) != 0) {
		snprintf(err, errcap, "%s: %s", name, in.errmsg);
		input_close(&in);
		rc = -1;
		goto out;
	}
	while ((st = input_next(&in, &line)) != INPUT_EOF) {
		long off;

		if (st == INPUT_ERROR) {
			snprintf(err, errcap, "%s: %s", name, in.errmsg);
			rc = -1;
			break;
		}
		if (st == INPUT_LONG) {
			snprintf(err, errcap, "%s:%llu: line longer than %d "
			    "bytes", name, (unsigned long long)in.lineno,
			    INPUT_MAX_LINE);
			rc = -1;
			break;
		}
		t = slice_trim(line);
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (lf->n == lf->icap) {
			size_t cap = lf->icap ? lf->icap * 2 : 64;
			struct listfile_item *it = realloc(lf->item,
			    cap * sizeof *it);
			size_t *o;

			if (it == NULL)
				goto oom;
			lf->item = it;
			if ((o = realloc(lf->off, cap * sizeof *o)) == NULL)
				goto oom;
			lf->off = o;
			lf->icap = cap;
		}
		if ((off = keep(lf, t)) < 0)
			goto oom;
		lf->off[lf->n] = (size_t)off;
		lf->item[lf->n].s = slice_make(NULL, t.n);
		lf->item[lf->n].file = files[lf->nfiles - 1];
		lf->item[lf->n].line = in.lineno;
		lf->n++;
	}
	input_close(&in);
	goto out;
oom:
	snprintf(err, errcap, "%s: out of memory", name);
	input_close(&in);
	rc = -1;
out:
	/* The buffer may have moved: point every item into it again. */
	for (i = 0; i < lf->n; i++)
		lf->item[i].s.p = lf->buf + lf->off[i];
	return rc;
}

void
listfile_release(struct listfile *lf)
{
	size_t i;

	for (i = 0; i < lf->nfiles; i++)
		free(lf->files[i]);
	free(lf->files);
	free(lf->item);
	free(lf->off);
	free(lf->buf);
	memset(lf, 0, sizeof *lf);
}
