/*
 * ziplist.c: listing a ZIP archive held in memory with libzip (see
 * ziplist.h). The archive is an attacker's: libzip reads its central
 * directory, and names are taken raw and made UTF-8 by csm, since
 * libzip's own guess (CP437 for anything not UTF-8) garbles the CP932
 * names Japanese archivers write. Only members that are archives
 * themselves are unpacked, and only so far: their size is taken from the
 * directory before reading and read with a hard cap whatever the
 * directory says (a zip bomb lies); levels, bytes in all and names have
 * caps too.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <zip.h>
#include "ziplist.h"

char *
ziplist_name_utf8(const char *raw, size_t n)
{
	char *s;
	gsize len;

	if (g_utf8_validate(raw, (gssize)n, NULL))
		return g_strndup(raw, n);
	if ((s = g_convert(raw, (gssize)n, "UTF-8", "CP932", NULL, &len,
	    NULL)) != NULL)
		return s;
	if ((s = g_convert(raw, (gssize)n, "UTF-8", "CP437", NULL, &len,
	    NULL)) != NULL)
		return s;
	return g_utf8_make_valid(raw, (gssize)n);
}

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* One listing, the archives inside included. */
struct walk {
	void (*found)(void *arg, enum ziplist_what what, struct slice path);
	void *arg;
	GString *path;		/* the archive being read: "" or "A.zip/" */
	long handed;		/* names handed to found */
	int capped;		/* a name was left out past the cap */
	size_t unpacked;	/* bytes of archives inside read */
};

static int list(struct walk *, const void *, size_t, int,
    struct ziplist_info *);

/* Tells found about the UTF-8 name in the archive being read. */
static void
emit(struct walk *w, enum ziplist_what what, const char *name)
{
	size_t keep = w->path->len;

	g_string_append(w->path, name);
	w->found(w->arg, what, slice_make(w->path->str, w->path->len));
	g_string_truncate(w->path, keep);
}

/* Tells found about the archive being read itself (one inside). */
static void
emit_self(struct walk *w, enum ziplist_what what)
{
	if (w->path->len > 0)
		w->found(w->arg, what, slice_make(w->path->str,
		    w->path->len - 1));
}

/*
 * Finds the members of an archive libzip refuses by their signatures:
 * central directory headers ("PK\1\2", 46 bytes, then the name), else
 * local headers ("PK\3\4", 30 bytes, then the name). Bit 0 of the flags
 * says encrypted. Returns the number of members found.
 */
static long
salvage(const unsigned char *d, size_t n, int central, struct walk *w,
    struct ziplist_info *info)
{
	size_t fixed = central ? 46 : 30, at = central ? 28 : 26, i;
	unsigned char sig = central ? 1 : 3;
	long found = 0;

	for (i = 0; i + fixed <= n; i++) {
		size_t len;
		char *name;

		if (d[i] != 'P' || d[i + 1] != 'K' || d[i + 2] != sig ||
		    d[i + 3] != sig + 1)
			continue;
		len = le16(d + i + at);
		if (len == 0 || len > n - i - fixed)
			continue;
		if (le16(d + i + (central ? 8 : 6)) & 1)
			info->encrypted = 1;
		found++;
		if (w->handed >= ZIPLIST_MAX_MEMBERS)
			w->capped = 1;
		else if ((name = ziplist_name_utf8((const char *)d + i +
		    fixed, strnlen((const char *)d + i + fixed, len))) !=
		    NULL) {
			w->handed++;
			emit(w, ZIPLIST_MEMBER, name);
			g_free(name);
		}
		i += fixed + len - 1;
	}
	return found;
}

/*
 * Reads the rest of the open member zf after its first bytes
 * head[0..hn), never more than limit bytes in all: the directory's size
 * was checked, but the data may unpack to more. Returns the bytes, or
 * NULL when reading fails or there are more than limit; *done says how
 * many were unpacked either way.
 */
static GByteArray *
slurp(zip_file_t *zf, const unsigned char *head, size_t hn, size_t limit,
    size_t *done)
{
	GByteArray *a;
	zip_int64_t got;

	*done = hn;
	if (hn > limit)
		return NULL;
	a = g_byte_array_new();
	g_byte_array_append(a, head, (guint)hn);
	for (;;) {
		size_t at = a->len, want = limit + 1 - at;

		if (want > 65536)
			want = 65536;
		g_byte_array_set_size(a, (guint)(at + want));
		got = zip_fread(zf, a->data + at, want);
		if (got < 0 || (size_t)got > want) {
			g_byte_array_unref(a);
			return NULL;
		}
		g_byte_array_set_size(a, (guint)(at + (size_t)got));
		*done = a->len;
		if (got == 0)
			return a;
		if (a->len > limit) {
			g_byte_array_unref(a);
			return NULL;
		}
	}
}

/*
 * Member i (stat st, UTF-8 name) of za, the archive at depth: when it is
 * an archive itself (named so, or by its first bytes "PK\3\4"), lists
 * its members under its name, or says why not.
 */
static void
inside(struct walk *w, zip_t *za, zip_uint64_t i, const zip_stat_t *st,
    const char *name, int depth)
{
	size_t nl = strlen(name), limit, keep, done;
	int named = nl >= 4 && g_ascii_strcasecmp(name + nl - 4, ".zip") == 0;
	unsigned char head[4];
	zip_file_t *zf;
	zip_int64_t got;
	GByteArray *a;
	struct ziplist_info sub;

	if (nl == 0 || name[nl - 1] == '/')
		return;		/* a folder */
	if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st->encryption_method != ZIP_EM_NONE) {
		/* Unreadable without the password: only the name tells. */
		if (named)
			emit(w, ZIPLIST_ENCRYPTED, name);
		return;
	}
	limit = ZIPLIST_MAX_NESTED;
	if (ZIPLIST_MAX_UNPACKED - w->unpacked < limit)
		limit = ZIPLIST_MAX_UNPACKED - w->unpacked;
	if (named && (depth >= ZIPLIST_MAX_DEPTH ||
	    ((st->valid & ZIP_STAT_SIZE) && st->size > limit))) {
		emit(w, ZIPLIST_UNREAD, name);
		return;
	}
	/*
	 * A look at the first bytes of a bzip2 member unpacks a whole block
	 * (up to 900 kB), a thousand times over: only stored and deflated
	 * members, what archivers write, are looked at so.
	 */
	if (!named && (st->valid & ZIP_STAT_COMP_METHOD) &&
	    st->comp_method != ZIP_CM_STORE &&
	    st->comp_method != ZIP_CM_DEFLATE)
		return;
	if ((zf = zip_fopen_index(za, i, 0)) == NULL) {
		if (named)
			emit(w, ZIPLIST_UNREAD, name);
		return;
	}
	got = zip_fread(zf, head, sizeof head);
	if (!named && (got != 4 || memcmp(head, "PK\3\4", 4) != 0)) {
		zip_fclose(zf);
		return;
	}
	/* An archive by its bytes only: the caps above apply to it too. */
	if (depth >= ZIPLIST_MAX_DEPTH || got < 0 ||
	    ((st->valid & ZIP_STAT_SIZE) && st->size > limit)) {
		zip_fclose(zf);
		emit(w, ZIPLIST_UNREAD, name);
		return;
	}
	a = slurp(zf, head, (size_t)got, limit, &done);
	zip_fclose(zf);
	w->unpacked += done;	/* the work was done, read or not */
	if (a == NULL) {
		emit(w, ZIPLIST_UNREAD, name);
		return;
	}
	keep = w->path->len;
	g_string_append(w->path, name);
	g_string_append_c(w->path, '/');
	(void)list(w, a->data, a->len, depth + 1, &sub);
	g_string_truncate(w->path, keep);
	g_byte_array_unref(a);
}

/*
 * Lists the archive data[0..n) at depth (0: the one ziplist_read was
 * given), named w->path; returns as ziplist_read does.
 */
static int
list(struct walk *w, const void *data, size_t n, int depth,
    struct ziplist_info *info)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t count, i;

	memset(info, 0, sizeof *info);
	/* libzip opens no bytes at all as an empty archive. */
	if (n < 22) {
		snprintf(info->error, sizeof info->error, "too short for a ZIP "
		    "archive");
		emit_self(w, ZIPLIST_UNREAD);
		return -1;
	}
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, n, 0, &ze)) == NULL) {
		snprintf(info->error, sizeof info->error, "%s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		emit_self(w, ZIPLIST_UNREAD);
		return -1;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		snprintf(info->error, sizeof info->error, "%s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(src);
		emit_self(w, ZIPLIST_UNREAD);
		if ((info->members = salvage(data, n, 1, w, info)) == 0)
			info->members = salvage(data, n, 0, w, info);
		if (info->encrypted)
			emit_self(w, ZIPLIST_ENCRYPTED);
		info->salvaged = info->members > 0;
		return info->salvaged ? 1 : -1;
	}
	zip_error_fini(&ze);
	count = zip_get_num_entries(za, 0);
	info->members = count > 0 ? (long)count : 0;
	/* Known before the names, so that it comes before those inside. */
	for (i = 0; i < count && !info->encrypted; i++) {
		zip_stat_t st;

		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW,
		    &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    st.encryption_method != ZIP_EM_NONE)
			info->encrypted = 1;
	}
	if (info->encrypted)
		emit_self(w, ZIPLIST_ENCRYPTED);
	for (i = 0; i < count; i++) {
		zip_stat_t st;
		char *name;

		if (w->handed >= ZIPLIST_MAX_MEMBERS) {
			w->capped = 1;
			break;
		}

		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW,
		    &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
		    st.name == NULL)
			continue;
		if ((name = ziplist_name_utf8(st.name, strlen(st.name))) ==
		    NULL)
			continue;
		w->handed++;
		emit(w, ZIPLIST_MEMBER, name);
		/* Nothing inside could be listed past the cap. */
		if (w->handed < ZIPLIST_MAX_MEMBERS)
			inside(w, za, (zip_uint64_t)i, &st, name, depth);
		g_free(name);
	}
	zip_discard(za);	/* also frees src */
	return 0;
}

int
ziplist_read(const void *data, size_t n,
    void (*found)(void *arg, enum ziplist_what what, struct slice path),
    void *arg, struct ziplist_info *info)
{
	struct walk w;
	int r;

	w.found = found;
	w.arg = arg;
	w.path = g_string_new(NULL);
	w.handed = 0;
	w.capped = 0;
	w.unpacked = 0;
	r = list(&w, data, n, 0, info);
	info->capped = w.capped;
	g_string_free(w.path, TRUE);
	return r;
}
