/*
 * fmt_maildir.c: a Maildir folder, one message per file: the operand is
 * the folder (fmt.h: takes_dir), and every regular file in its cur/ and
 * new/ is a record, in the order of the file names (which Maildir
 * delivery begins with the time), tmp/ and dot files left out. Each file
 * is read whole into memory (at most MIMEMSG_MAX of it) and parsed by
 * lib/mimemsg.h; its event's origin is the message file itself, line 1,
 * and the record number standing for the line in messages counts the
 * files from 1. Subfolders (Maildir++ ".Sent") are folders of their own:
 * name them as operands.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "diag.h"
#include "esc.h"
#include "fmt.h"
#include "mimemsg.h"

struct mfile {
	char *path;		/* folder/cur/name */
	const char *name;	/* the name part of path */
	int sub;		/* 0 for cur/, 1 for new/ */
};

struct maildir {
	struct mimemsg *mm;
	struct mfile *f;
	size_t n, cap, next;
	char *buf;		/* the current message */
	size_t len, bufcap;
	int cut;
	int64_t mtime_ms;
	int has_mtime;
	char *origin;		/* its path, escaped for the origin column */
	char what[DIAG_NAME_MAX];	/* "cur/name", escaped for messages */
};

static void *
maildir_open(struct parse_ctx *ctx)
{
	struct maildir *d = calloc(1, sizeof *d);

	if (d == NULL || (d->mm = mimemsg_new("maildir")) == NULL) {
		free(d);
		fmt_reject(ctx, "maildir: out of memory");
		return NULL;
	}
	return d;
}

static void
maildir_close(void *state)
{
	struct maildir *d = state;
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->f[i].path);
	free(d->f);
	free(d->buf);
	free(d->origin);
	mimemsg_free(d->mm);
	free(d);
}

static int
by_name(const void *a, const void *b)
{
	const struct mfile *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->sub - y->sub;
}

/*
 * Adds the regular files of dir/sub to the list. Returns 1 when the
 * subfolder is there, 0 when it is not, -1 on an error (ctx->reason).
 */
static int
scan(struct maildir *d, const char *dir, const char *sub, int subno,
    struct parse_ctx *ctx)
{
	size_t dl = strlen(dir), sl = strlen(sub);
	char *base = malloc(dl + sl + 2);
	struct dirent *de;
	struct stat sb;
	DIR *dp;

	if (base == NULL) {
		fmt_reject(ctx, "maildir: out of memory");
		return -1;
	}
	memcpy(base, dir, dl);
	base[dl] = '/';
	memcpy(base + dl + 1, sub, sl + 1);
	if ((dp = opendir(base)) == NULL) {
		int e = errno;

		free(base);
		if (e == ENOENT || e == ENOTDIR)
			return 0;
		fmt_reject(ctx, "maildir: cannot read '%s': %s", sub,
		    strerror(e));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		size_t nl = strlen(de->d_name);
		struct mfile *mf;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		if ((path = malloc(dl + sl + nl + 3)) == NULL)
			break;
		memcpy(path, base, dl + sl + 1);
		path[dl + sl + 1] = '/';
		memcpy(path + dl + sl + 2, de->d_name, nl + 1);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 64;
			struct mfile *nf = realloc(d->f, cap * sizeof *nf);

			if (nf == NULL) {
				free(path);
				break;
			}
			d->f = nf;
			d->cap = cap;
		}
		mf = &d->f[d->n++];
		mf->path = path;
		mf->name = path + dl + sl + 2;
		mf->sub = subno;
	}
	closedir(dp);
	free(base);
	return 1;
}

static int
maildir_open_file(void *state, const char *path, struct parse_ctx *ctx)
{
	struct maildir *d = state;
	int cur, nw;

	if (strcmp(path, "-") == 0) {
		fmt_reject(ctx, "maildir: name the Maildir folder; standard "
		    "input cannot be one");
		return -1;
	}
	if ((cur = scan(d, path, "cur", 0, ctx)) < 0 ||
	    (nw = scan(d, path, "new", 1, ctx)) < 0)
		return -1;
	if (cur == 0 && nw == 0) {
		fmt_reject(ctx, "not a Maildir folder (no cur/ or new/ in it)");
		return -1;
	}
	qsort(d->f, d->n, sizeof *d->f, by_name);
	return 0;
}

/* Reads file f whole (up to MIMEMSG_MAX) into d->buf. */
static int
slurp(struct maildir *d, const struct mfile *f, struct parse_ctx *ctx)
{
	FILE *fp = fopen(f->path, "rb");
	struct stat sb;
	size_t got;

	d->len = 0;
	d->cut = 0;
	d->has_mtime = 0;
	if (fp == NULL || fstat(fileno(fp), &sb) != 0) {
		fmt_reject(ctx, "%s: cannot read: %s", d->what,
		    strerror(errno));
		if (fp)
			fclose(fp);
		return -1;
	}
	d->mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 +
	    sb.st_mtim.tv_nsec / 1000000;
	d->has_mtime = 1;
	for (;;) {
		if (d->len == d->bufcap) {
			size_t cap = d->bufcap ? d->bufcap * 2 : 65536;
			char *nb;

			if (d->bufcap >= MIMEMSG_MAX) {
				d->cut = fgetc(fp) != EOF;
				break;
			}
			if ((nb = realloc(d->buf, cap)) == NULL) {
				fclose(fp);
				fmt_reject(ctx, "%s: out of memory", d->what);
				return -1;
			}
			d->buf = nb;
			d->bufcap = cap;
		}
		got = fread(d->buf + d->len, 1, d->bufcap - d->len, fp);
		d->len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		fclose(fp);
		fmt_reject(ctx, "%s: read error", d->what);
		return -1;
	}
	fclose(fp);
	return 0;
}

static enum record_status
maildir_next(void *state, struct slice *rec, uint64_t *recno,
    struct parse_ctx *ctx)
{
	struct maildir *d = state;
	const struct mfile *f;
	size_t pl;
	char sub[600];

	if (d->next >= d->n)
		return RECORD_END;
	f = &d->f[d->next++];
	*recno = d->next;
	snprintf(sub, sizeof sub, "%s/%s", f->sub ? "new" : "cur", f->name);
	diag_escape(d->what, sizeof d->what, slice_cstr(sub));
	free(d->origin);
	pl = strlen(f->path);
	if ((d->origin = malloc(pl * ESC_MAX_GROWTH + 1)) != NULL)
		d->origin[esc_tsv(d->origin, slice_make(f->path, pl),
		    ESC_TSV)] = '\0';
	if (slurp(d, f, ctx) != 0)
		return RECORD_BAD;
	*rec = slice_make(d->buf, d->len);
	return RECORD_OK;
}

/*
 * One message file's bytes. The fuzzer calls this without open_file: the
 * message then has no file behind it.
 */
static enum line_result
maildir_line(void *state, struct slice rec, struct parse_ctx *ctx)
{
	struct maildir *d = state;
	struct mimemsg_env env;

	memset(&env, 0, sizeof env);
	env.line = 1;
	if (d->origin != NULL) {
		ctx->ev->origin_file = d->origin;
		env.what = d->what;
		env.recno = d->next;
		env.cut = d->cut;
		env.mtime_ms = d->mtime_ms;
		env.has_mtime = d->has_mtime;
	} else {
		env.line = ctx->ev->origin_line;
	}
	return mimemsg_emit(d->mm, rec, &env, ctx);
}

const struct fmt fmt_maildir = {
	.name = "maildir",
	.log = "mail",
	.summary = "a Maildir folder (cur/ and new/), one message per file",
	.open = maildir_open,
	.line = maildir_line,
	.open_file = maildir_open_file,
	.next_record = maildir_next,
	.takes_dir = 1,
	.close = maildir_close,
};
