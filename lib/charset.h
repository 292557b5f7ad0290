/*
 * charset.h: text in a MIME charset (as a mail header or a parameter
 * names it) converted to UTF-8, the Japanese charsets as Japanese mail
 * programs really write them.
 */
#ifndef CSM_CHARSET_H
#define CSM_CHARSET_H

#include <stddef.h>
#include "slice.h"

#define CHARSET_NAME_MAX 40	/* longest charset name taken */
/* ISO-2022-JP with Windows' characters is taken up to this many bytes. */
#define CHARSET_JIS_MAX 4096

/*
 * Converts bytes in charset cs to UTF-8 into dst (cap bytes): UTF-8 and
 * US-ASCII are copied. Returns the length, or -1 when the charset is
 * unknown or the bytes are not valid in it; output that does not fit is
 * cut after its last whole character, and *cut set.
 */
long charset_to_utf8(char *dst, size_t cap, struct slice cs,
    struct slice bytes, int *cut);

/* The length of p[0..n) without a UTF-8 sequence a cut left incomplete. */
size_t charset_trim_utf8(const char *p, size_t n);

#endif
