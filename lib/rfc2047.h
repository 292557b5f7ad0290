/*
 * rfc2047.h: the words of mail headers as logs quote them, made readable:
 * RFC 2047 encoded-words ("=?ISO-2022-JP?B?...?=") decoded to UTF-8, the
 * first mailbox of a From header split into address and display name, and
 * a file name parameter of Content-Type or Content-Disposition read with
 * RFC 2231's continuations and charsets. Japanese charsets are the normal
 * case: ISO-2022-JP (with the NEC and IBM extensions Windows writes),
 * Shift_JIS read as CP932, EUC-JP. Everything here works on attacker
 * bytes: output is bounded by the caller's buffer and whatever cannot be
 * decoded is kept as it was written, never dropped.
 */
#ifndef CSM_RFC2047_H
#define CSM_RFC2047_H

#include <stddef.h>
#include "slice.h"

/*
 * The text comes from a Postfix log, where the line breaks of a folded
 * header are written as '?': "??" for CR LF TAB, "? " for CR LF SPACE.
 */
#define RFC2047_FOLDED 1

/*
 * Converts bytes in charset cs (a MIME charset name) to UTF-8 into dst
 * (cap bytes). UTF-8 and US-ASCII are copied as they are. Returns the
 * length written, or -1 when the charset is unknown or the bytes are not
 * valid in it (or do not fit).
 */
long rfc2047_to_utf8(char *dst, size_t cap, struct slice cs,
    struct slice bytes);

/*
 * Decodes the encoded-words in s into dst (cap bytes): each becomes
 * UTF-8, and white space between two adjacent encoded-words is dropped
 * (with RFC2047_FOLDED, the '?' of a folded line break too). Other bytes
 * are copied as they are, and so is a word that cannot be decoded
 * (unknown charset, bad base64 or hex, bytes its charset does not have).
 * Output that does not fit is cut. Returns the length written.
 */
size_t rfc2047_decode(char *dst, size_t cap, struct slice s, int flags);

/* A mailbox split by rfc2047_mailbox; both strings are the caller's. */
struct rfc2047_mailbox {
	char *addr;		/* the address, as written */
	size_t addr_cap, addr_n;
	char *name;		/* the display name, decoded to UTF-8 */
	size_t name_cap, name_n;
};

/*
 * Splits the first mailbox of a From-style header value s: the address
 * inside <...> (or a bare addr-spec) and the display name before it, its
 * quoted strings unquoted, comments kept, encoded-words decoded (inside
 * quoted strings too, as Japanese mail programs write them). The obsolete
 * "addr (Name)" form gives the comment as the name. A value cut short (an
 * unclosed quote or angle) gives what it holds. Either part may come out
 * empty; text that does not fit is cut. Of an s over 1 MiB the first
 * and last 512 KiB are read.
 */
void rfc2047_mailbox(struct slice s, int flags, struct rfc2047_mailbox *mb);

/*
 * The value of parameter name ("filename", "name") in a Content-Type or
 * Content-Disposition value s, decoded to UTF-8 into dst (cap bytes):
 * RFC 2231's name*=charset'lang'%XX and name*0*=... continuations, or a
 * plain value (quoted or not) with its encoded-words decoded. Returns the
 * length, or -1 when s names no such parameter. Continuations are joined
 * in order across a missing one. A value too long for dst loses its
 * middle, not its end, where a file name's extension is, and *cut gets
 * RFC2047_CUT_VALUE; of an s over 1 MiB only its first and last 512 KiB
 * are read, and *cut gets RFC2047_CUT_HEADER (also when -1 is returned:
 * the name may be in what was not read); continuations numbered 64 and
 * up are left out, and *cut gets RFC2047_CUT_PARTS.
 */
#define RFC2047_CUT_VALUE 1
#define RFC2047_CUT_HEADER 2
#define RFC2047_CUT_PARTS 4	/* continuations past the 64th left out */
/*
 * With RFC2047_PLAIN in flags, the plain value only, even when an RFC
 * 2231 one is there too: a program without RFC 2231 shows the plain
 * one, so a decoy in either must not hide the other.
 */
#define RFC2047_PLAIN 8
long rfc2047_param(struct slice s, const char *name, int flags, char *dst,
    size_t cap, int *cut);

#endif
