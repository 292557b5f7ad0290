/*
 * ziplist.h: what a ZIP archive held in memory (a mail attachment,
 * decoded) contains, read with libzip: the names of its members and
 * whether any of them is encrypted. Names come
 * out as valid UTF-8 whatever the archiver wrote: UTF-8 as it is, else
 * CP932 (Japanese Windows writes names so, without the UTF-8 flag), else
 * CP437, the code page the ZIP format names for the rest. Members that
 * are ZIP archives themselves (by a name ending in ".zip", or by the
 * first bytes "PK\3\4" of a stored or deflated member) are unpacked into
 * memory, within the caps below, and listed too.
 */
#ifndef CSM_ZIPLIST_H
#define CSM_ZIPLIST_H

#include <stddef.h>
#include "slice.h"

/*
 * Names handed to the callback at most for one archive, the members of
 * the archives inside it included; the rest are only counted.
 */
#define ZIPLIST_MAX_MEMBERS 1000
/* Levels of archives inside the archive looked into. */
#define ZIPLIST_MAX_DEPTH 3
/* Uncompressed size of an archive inside the archive unpacked at most. */
#define ZIPLIST_MAX_NESTED (16L * 1024 * 1024)
/* Bytes unpacked at most for one archive, all archives inside it. */
#define ZIPLIST_MAX_UNPACKED (64L * 1024 * 1024)

/* What the callback is told about. */
enum ziplist_what {
	ZIPLIST_MEMBER,		/* a member */
	ZIPLIST_ENCRYPTED,	/* an archive inside that is encrypted or
				 * holds an encrypted member */
	ZIPLIST_UNREAD		/* an archive inside that cannot be read
				 * (also when some names were salvaged),
				 * or is too large or too deep to unpack */
};

struct ziplist_info {
	long members;		/* in the central directory */
	int encrypted;		/* at least one member is encrypted */
	int salvaged;		/* libzip could not read it: the members
				 * were found by their headers */
	int capped;		/* names past ZIPLIST_MAX_MEMBERS (this
				 * archive's, or inside it) were left out */
	char error[128];	/* why libzip cannot read the archive */
};

/*
 * Reads the archive data[0..n) (not copied; it must stay until the call
 * returns) and calls found(arg, what, path) for each of its first
 * ZIPLIST_MAX_MEMBERS members in directory order, each followed by the
 * members of the archive it is (when it is one, not encrypted, at most
 * ZIPLIST_MAX_NESTED bytes unpacked, at most ZIPLIST_MAX_DEPTH levels
 * down and within ZIPLIST_MAX_UNPACKED), and for archives inside that are
 * encrypted or cannot be read. path is UTF-8, the names from the archive
 * down joined with '/' ("INNER.zip/MEMBER"), and only valid during the
 * call. Returns 0 with info (about the archive itself, not those inside)
 * filled. An archive libzip refuses (bytes before it, offsets that do not
 * add up: what archivers and Windows still open) is searched for the
 * headers of its central directory, else of its members: when some are
 * found, it returns 1 with info->salvaged and info->error set (and the
 * members of a salvaged archive are not unpacked). Returns -1 when the
 * bytes hold no ZIP archive at all (info->error says why).
 */
int ziplist_read(const void *data, size_t n,
    void (*found)(void *arg, enum ziplist_what what, struct slice path),
    void *arg, struct ziplist_info *info);

/*
 * The UTF-8 form of a raw name: itself when valid UTF-8, else its CP932
 * reading, else its CP437 reading. Returns a string the caller frees with
 * g_free, or NULL when memory runs out.
 */
char *ziplist_name_utf8(const char *raw, size_t n);

#endif
