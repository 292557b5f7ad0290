/*
 * ziplist.c: listing a ZIP archive held in memory with libzip (see
 * ziplist.h). The archive is an attacker's: libzip reads only its central
 * directory here, nothing is unpacked, and names are taken raw and made
 * UTF-8 by csm, since libzip's own guess (CP437 for anything not UTF-8)
 * garbles the CP932 names Japanese archivers write.
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

/*
 * Finds the members of an archive libzip refuses by their signatures:
 * central directory headers ("PK\1\2", 46 bytes, then the name), else
 * local headers ("PK\3\4", 30 bytes, then the name). Bit 0 of the flags
 * says encrypted. Returns the number of members found.
 */
static long
salvage(const unsigned char *d, size_t n, int central,
    void (*member)(void *arg, struct slice name), void *arg,
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
		if (found++ < ZIPLIST_MAX_MEMBERS && (name = ziplist_name_utf8(
		    (const char *)d + i + fixed, strnlen((const char *)d + i +
		    fixed, len))) != NULL) {
			member(arg, slice_cstr(name));
			g_free(name);
		}
		i += fixed + len - 1;
	}
	return found;
}

int
ziplist_read(const void *data, size_t n,
    void (*member)(void *arg, struct slice name), void *arg,
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
		return -1;
	}
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, n, 0, &ze)) == NULL) {
		snprintf(info->error, sizeof info->error, "%s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		snprintf(info->error, sizeof info->error, "%s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(src);
		if ((info->members = salvage(data, n, 1, member, arg,
		    info)) == 0)
			info->members = salvage(data, n, 0, member, arg, info);
		info->salvaged = info->members > 0;
		return info->salvaged ? 1 : -1;
	}
	zip_error_fini(&ze);
	count = zip_get_num_entries(za, 0);
	info->members = count > 0 ? (long)count : 0;
	for (i = 0; i < count; i++) {
		zip_stat_t st;
		char *name;

		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW,
		    &st) != 0)
			continue;
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    st.encryption_method != ZIP_EM_NONE)
			info->encrypted = 1;
		if (i >= ZIPLIST_MAX_MEMBERS || !(st.valid & ZIP_STAT_NAME) ||
		    st.name == NULL)
			continue;
		if ((name = ziplist_name_utf8(st.name, strlen(st.name))) ==
		    NULL)
			continue;
		member(arg, slice_cstr(name));
		g_free(name);
	}
	zip_discard(za);	/* also frees src */
	return 0;
}
