/*
 * mimepart.c: the MIME tree of a message walked in order (see
 * mimemsg_impl.h): each part with a file name, or with disposition
 * attachment, is an attachment, named in UTF-8 whatever the sender wrote
 * (RFC 2231, RFC 2047 inside quotes, raw Shift_JIS); the content of one
 * that says it is a ZIP archive is decoded into memory and listed
 * (lib/ziplist.h), with the archives inside it. Content is an
 * attacker's: base64 is checked for bytes it cannot hold, and uuencode,
 * whose lines mail relays shorten by stripping trailing spaces, is
 * decoded here with those lines padded back (GMime's decoder shifts every
 * later byte then, and the archive reads as garbage).
 */
#include <stdint.h>
#include <string.h>
#include <gmime/gmime.h>
#include "mimemsg_impl.h"
#include "rfc2047.h"
#include "ziplist.h"

#define NAMES_MAX 5	/* names of one part kept */

/* Checks base64 content for bytes base64 has not and for a cut end. */
static void
check_base64(struct mimemsg *mm, GMimePart *part)
{
	GMimeDataWrapper *c = g_mime_part_get_content(part);
	GMimeStream *s;
	char b[4096];
	ssize_t got, i;
	uint64_t count = 0;
	int bad = 0;

	if (c == NULL || g_mime_data_wrapper_get_encoding(c) !=
	    GMIME_CONTENT_ENCODING_BASE64 ||
	    (s = g_mime_data_wrapper_get_stream(c)) == NULL)
		return;
	if (g_mime_stream_reset(s) != 0)
		return;
	while ((got = g_mime_stream_read(s, b, sizeof b)) > 0)
		for (i = 0; i < got; i++) {
			unsigned char ch = (unsigned char)b[i];

			if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' &&
			    ch <= 'z') || (ch >= '0' && ch <= '9') ||
			    ch == '+' || ch == '/' || ch == '=')
				count++;
			else if (ch != '\r' && ch != '\n' && ch != ' ' &&
			    ch != '\t')
				bad = 1;
		}
	(void)g_mime_stream_reset(s);
	if (bad || count % 4 != 0)
		mm->warn |= 1U << W_BASE64;
}

/* A copy of the content as sent (still encoded), or NULL. */
static GByteArray *
encoded(GMimeDataWrapper *c)
{
	GMimeStream *s = g_mime_data_wrapper_get_stream(c), *mem;
	GByteArray *a;

	if (s == NULL || g_mime_stream_reset(s) != 0)
		return NULL;
	a = g_byte_array_new();
	mem = g_mime_stream_mem_new_with_byte_array(a);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	if (g_mime_stream_write_to_stream(s, mem) < 0) {
		g_object_unref(mem);
		g_byte_array_unref(a);
		(void)g_mime_stream_reset(s);
		return NULL;
	}
	g_object_unref(mem);
	(void)g_mime_stream_reset(s);
	return a;
}

static unsigned
uu_value(const unsigned char *l, size_t n, size_t i)
{
	/* A character lost at the end of the line was a space: 0. */
	return i < n ? (unsigned)(l[i] - 0x20) & 0x3f : 0;
}

/*
 * Decodes uuencoded text[0..n) from its "begin" line to "end" into out.
 * Returns 0, or -1 when there is no "begin" line.
 */
static int
uudecode(struct mimemsg *mm, const unsigned char *text, size_t n,
    GByteArray *out)
{
	size_t pos = 0, len, i, k;
	int begun = 0;

	while (pos < n) {
		const unsigned char *l = text + pos;
		const unsigned char *nl = memchr(l, '\n', n - pos);
		unsigned char b[3];
		unsigned cnt;

		len = nl ? (size_t)(nl - l) : n - pos;
		pos += len + (nl != NULL);
		if (len > 0 && l[len - 1] == '\r')
			len--;
		if (!begun) {
			begun = len >= 6 && memcmp(l, "begin ", 6) == 0;
			continue;
		}
		if (len >= 3 && memcmp(l, "end", 3) == 0)
			break;
		if (len == 0)
			continue;
		cnt = uu_value(l, len, 0);
		for (i = 1, k = 0; k < cnt; i += 4) {
			unsigned v = uu_value(l, len, i) << 18 |
			    uu_value(l, len, i + 1) << 12 |
			    uu_value(l, len, i + 2) << 6 |
			    uu_value(l, len, i + 3);

			b[0] = (unsigned char)(v >> 16);
			b[1] = (unsigned char)(v >> 8);
			b[2] = (unsigned char)v;
			g_byte_array_append(out, b, cnt - k < 3 ?
			    (guint)(cnt - k) : 3);
			k += 3;
		}
	}
	if (!begun)
		mm->warn |= 1U << W_UUENCODE;
	return begun ? 0 : -1;
}

/* The decoded content of part, or NULL. */
static GByteArray *
decoded(struct mimemsg *mm, GMimePart *part)
{
	GMimeDataWrapper *c = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *a, *raw;

	if (c == NULL)
		return NULL;
	if (g_mime_data_wrapper_get_encoding(c) ==
	    GMIME_CONTENT_ENCODING_UUENCODE) {
		if ((raw = encoded(c)) == NULL)
			return NULL;
		a = g_byte_array_new();
		if (uudecode(mm, raw->data, raw->len, a) != 0) {
			g_byte_array_unref(a);
			a = NULL;
		}
		g_byte_array_unref(raw);
		return a;
	}
	a = g_byte_array_new();
	mem = g_mime_stream_mem_new_with_byte_array(a);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	if (g_mime_data_wrapper_write_to_stream(c, mem) < 0) {
		g_byte_array_unref(a);
		a = NULL;
	}
	g_object_unref(mem);
	return a;
}

/*
 * Whether the content of part begins as a ZIP archive does: its first
 * four bytes, decoded through a filter, not the whole part (an
 * octet-stream attachment may be large).
 */
static int
starts_as_zip(GMimePart *part)
{
	GMimeDataWrapper *c = g_mime_part_get_content(part);
	GMimeStream *raw, *f;
	GMimeFilter *dec;
	char b[4];
	size_t have = 0;
	ssize_t got;

	if (c == NULL || (raw = g_mime_data_wrapper_get_stream(c)) == NULL ||
	    g_mime_stream_reset(raw) != 0)
		return 0;
	f = g_mime_stream_filter_new(raw);
	dec = g_mime_filter_basic_new(g_mime_data_wrapper_get_encoding(c),
	    FALSE);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(f), dec);
	g_object_unref(dec);
	while (have < sizeof b && (got = g_mime_stream_read(f, b + have,
	    sizeof b - have)) > 0)
		have += (size_t)got;
	g_object_unref(f);
	(void)g_mime_stream_reset(raw);
	return have == sizeof b && memcmp(b, "PK\3\4", 4) == 0;
}

/*
 * Whether an attachment says it is a ZIP archive, by type or name (with
 * the trailing dots and spaces Windows drops: "docs.zip." opens as a
 * ZIP).
 */
static int
labelled_zip(const char *type, struct slice name)
{
	static const char *const types[] = {
		"application/zip", "application/x-zip-compressed",
		"application/x-zip", "multipart/x-zip", NULL
	};
	int i;

	for (i = 0; types[i]; i++)
		if (g_ascii_strcasecmp(type, types[i]) == 0)
			return 1;
	while (name.n > 0 && (name.p[name.n - 1] == '.' ||
	    name.p[name.n - 1] == ' '))
		name.n--;
	return name.n >= 4 && g_ascii_strncasecmp(name.p + name.n - 4, ".zip",
	    4) == 0;
}

/*
 * Whether part is a ZIP archive to open: labelled so by its type or one
 * of its names, or, sent as bytes of no type, by its first bytes.
 */
static int
is_zip(GMimeObject *obj, const char *type, const struct slice *names,
    size_t n)
{
	size_t i;

	if (!GMIME_IS_PART(obj))
		return 0;
	/* The type alone, then with each name. */
	if (labelled_zip(type, SLICE_NONE))
		return 1;
	for (i = 0; i < n; i++)
		if (labelled_zip(type, names[i]))
			return 1;
	return g_ascii_strcasecmp(type, "application/octet-stream") == 0 &&
	    starts_as_zip(GMIME_PART(obj));
}

struct zipwalk {
	struct mimemsg *mm;
	struct slice archive;
	GPtrArray *encrypted;	/* of archives inside: after the archive */
};

static void
on_member(void *arg, enum ziplist_what what, struct slice path)
{
	struct zipwalk *zw = arg;
	GString *t = zw->mm->tmp;

	g_string_truncate(t, 0);
	g_string_append_len(t, zw->archive.p, (gssize)zw->archive.n);
	g_string_append_c(t, '/');
	g_string_append_len(t, path.p, (gssize)path.n);
	if (what == ZIPLIST_MEMBER)
		(void)mailhdr_list_add(&zw->mm->members, slice_make(t->str,
		    t->len));
	else if (what == ZIPLIST_UNREAD)
		(void)mailhdr_list_add(&zw->mm->broken, slice_make(t->str,
		    t->len));
	else
		g_ptr_array_add(zw->encrypted, g_string_new_len(t->str,
		    (gssize)t->len));
}

static void
free_gstring(gpointer s)
{
	g_string_free(s, TRUE);
}

/* Lists the members of a ZIP attachment, decoded into memory. */
static void
list_zip(struct mimemsg *mm, GMimePart *part, struct slice name)
{
	GByteArray *a = decoded(mm, part);
	struct ziplist_info info;
	struct zipwalk zw = { mm, name, g_ptr_array_new_with_free_func(
	    free_gstring) };
	int r = a ? ziplist_read(a->data, a->len, on_member, &zw, &info) : -1;
	guint i;

	/*
	 * A damaged archive whose members could still be found: both. An
	 * archive inside can only be read when this one was, so it comes
	 * after this one in broken by itself; in encrypted it is put so.
	 */
	if (r != 0)
		(void)mailhdr_list_add(&mm->broken, name);
	if (r >= 0 && info.capped)
		mm->attach_cut = 1;
	if (r >= 0 && info.encrypted)
		(void)mailhdr_list_add(&mm->encrypted, name);
	for (i = 0; i < zw.encrypted->len; i++) {
		GString *e = g_ptr_array_index(zw.encrypted, i);

		(void)mailhdr_list_add(&mm->encrypted, slice_make(e->str,
		    e->len));
	}
	g_ptr_array_unref(zw.encrypted);
	if (a != NULL)
		g_byte_array_unref(a);
}

/* Adds s to names[*n] unless it is empty or there already. */
static void
keep_name(struct slice *names, size_t *n, struct slice s)
{
	size_t i;

	if (s.n == 0 || *n == NAMES_MAX)
		return;
	for (i = 0; i < *n; i++)
		if (slice_eq_slice(names[i], s))
			return;
	names[(*n)++] = s;
}

/*
 * Every name a mail program may show for part obj into names (at most
 * NAMES_MAX), returning how many: the filename of each
 * Content-Disposition header and the name of each Content-Type (a second
 * such header is a decoy for one program or the other), each as RFC 2231
 * writes it and as plain (a program without RFC 2231 shows that). When
 * none is found, or one could not be read whole, GMime's too.
 */
static size_t
part_names(struct mimemsg *mm, GMimeObject *obj, struct slice *names)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int i, pass, count = hl ? g_mime_header_list_get_count(hl) : 0;
	int cut = 0;
	struct slice v[2];
	const char *fn, *param;
	size_t n = 0, k, j;

	/* Content-Disposition's names first: the file name proper. */
	for (pass = 0; pass < 2; pass++) {
		param = pass == 0 ? "filename" : "name";
		for (i = 0; i < count; i++) {
			GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
			const char *hn = h ? g_mime_header_get_name(h) : NULL;

			if (hn == NULL || g_ascii_strcasecmp(hn, pass == 0 ?
			    "Content-Disposition" : "Content-Type") != 0)
				continue;
			k = mimemsg_decode_param(mm, h, param, v, &cut);
			for (j = 0; j < k; j++)
				keep_name(names, &n, v[j]);
		}
	}
	if (GMIME_IS_PART(obj) && (n == 0 || (cut & (RFC2047_CUT_HEADER |
	    RFC2047_CUT_PARTS))) && (fn =
	    g_mime_part_get_filename(GMIME_PART(obj))) != NULL)
		keep_name(names, &n, mimemsg_keep(mm, fn, strlen(fn)));
	if (n > 1)
		mm->warn |= 1U << W_NAMES_DIFFER;
	return n;
}

/* One leaf part (or message/rfc822 part): an attachment when named. */
static void
leaf(struct mimemsg *mm, GMimeObject *obj)
{
	struct slice names[NAMES_MAX];
	const char *disp = g_mime_object_get_disposition(obj);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *t;
	char *type;
	size_t n, i;

	if (GMIME_IS_PART(obj))
		check_base64(mm, GMIME_PART(obj));
	n = part_names(mm, obj, names);
	if (n == 0 && (disp == NULL || g_ascii_strcasecmp(disp,
	    "attachment") != 0))
		return;
	type = ct ? g_mime_content_type_get_mime_type(ct) :
	    g_strdup("application/octet-stream");
	if (type != NULL) {
		char *low = g_ascii_strdown(type, -1);

		g_free(type);
		type = low;
	}
	t = type ? type : "";
	for (i = 0; i < (n ? n : 1); i++) {
		(void)mailhdr_list_add(&mm->attach, n ? names[i] : SLICE_NONE);
		(void)mailhdr_list_add(&mm->types, slice_cstr(t));
	}
	if (is_zip(obj, t, names, n))
		list_zip(mm, GMIME_PART(obj), n ? names[0] : SLICE_NONE);
	g_free(type);
}

void
mimemsg_walk(struct mimemsg *mm, GMimeObject *obj, int depth)
{
	if (obj == NULL)
		return;
	if (depth > NEST_MAX) {
		mm->warn |= 1U << W_NESTING;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);

		/* Its boundary never came: what it holds is out of sight. */
		if (n == 0)
			mm->warn |= 1U << W_BOUNDARY;
		for (i = 0; i < n; i++)
			mimemsg_walk(mm, g_mime_multipart_get_part(mp, i),
			    depth + 1);
		return;
	}
	leaf(mm, obj);
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *in = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (in != NULL)
			mimemsg_walk(mm, g_mime_message_get_mime_part(in),
			    depth + 1);
	}
}

