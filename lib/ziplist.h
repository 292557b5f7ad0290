/*
 * ziplist.h: what a ZIP archive held in memory (a mail attachment,
 * decoded) contains, read with libzip without unpacking anything: the
 * names of its members and whether any of them is encrypted. Names come
 * out as valid UTF-8 whatever the archiver wrote: UTF-8 as it is, else
 * CP932 (Japanese Windows writes names so, without the UTF-8 flag), else
 * CP437, the code page the ZIP format names for the rest.
 */
#ifndef CSM_ZIPLIST_H
#define CSM_ZIPLIST_H

#include <stddef.h>
#include "slice.h"

/* Members handed to the callback at most; the rest are only counted. */
#define ZIPLIST_MAX_MEMBERS 1000

struct ziplist_info {
	long members;		/* in the central directory */
	int encrypted;		/* at least one member is encrypted */
	int salvaged;		/* libzip could not read it: the members
				 * were found by their headers */
	char error[128];	/* why libzip cannot read the archive */
};

/*
 * Reads the archive data[0..n) (not copied; it must stay until the call
 * returns) and calls member(arg, name) for each of its first
 * ZIPLIST_MAX_MEMBERS members in directory order; name is UTF-8 and only
 * valid during the call. Returns 0 with info filled. An archive libzip
 * refuses (bytes before it, offsets that do not add up: what archivers
 * and Windows still open) is searched for the headers of its central
 * directory, else of its members: when some are found, it returns 1 with
 * info->salvaged and info->error set. Returns -1 when the bytes hold no
 * ZIP archive at all (info->error says why).
 */
int ziplist_read(const void *data, size_t n,
    void (*member)(void *arg, struct slice name), void *arg,
    struct ziplist_info *info);

/*
 * The UTF-8 form of a raw name: itself when valid UTF-8, else its CP932
 * reading, else its CP437 reading. Returns a string the caller frees with
 * g_free, or NULL when memory runs out.
 */
char *ziplist_name_utf8(const char *raw, size_t n);

#endif
