/*
 * squidhdr.h: the User-Agent of a whole header block that Squid logs
 * (log_mime_hdrs, the logformat code %>h without a header name). Squid
 * joins the headers as "Name: value" lines, each ending in CR LF, and
 * escapes the block with the encoding of the code; this module reads it
 * back according to that encoding:
 *
 *   [   CR LF as \r\n, \ as \\, % [ ] and other bytes outside 32-126 as
 *       %xx (Squid's QuoteMimeBlob, also log_mime_hdrs); the %0d%0a its
 *       documentation describes is read too
 *   "   CR LF as \r\n, " as \", \ as \\, TAB as \t; % left as is
 *   /   as " for CR LF " and \, the whole quoted when it holds a space
 *   #   CR LF as %0D%0A, % as %25, spaces and other unsafe bytes as %XX
 *   none  as # but % left as is
 *   '   nothing escaped: a CR LF ends the log line itself
 *
 * With [ " / and # no header's text can spell the escaped CR LF, so every
 * line of the block is a header. With none and ', a header's own text
 * (a Referer or Cookie holding "%0D%0AUser-Agent:%20x") looks exactly like
 * the next header: only the block's first line is known to be a header,
 * and of two User-Agent lines further down neither is taken.
 */
#ifndef CSM_SQUIDHDR_H
#define CSM_SQUIDHDR_H

#include <stddef.h>
#include "event.h"
#include "slice.h"

enum squidhdr_ua {
	SQUIDHDR_NONE,		/* no User-Agent header in the block */
	SQUIDHDR_FOUND,		/* the value is the User-Agent's */
	SQUIDHDR_AMBIGUOUS	/* two lines read as User-Agent headers,
				   and another header's text may have
				   spelled either: no value taken */
};

/*
 * Finds the first User-Agent header of blk, a header block written with
 * encoding enc (0 or one of [ " / # '). Sets *val to its value as written
 * (still escaped; the blank after the colon skipped), pointing into blk,
 * and empty unless SQUIDHDR_FOUND.
 */
enum squidhdr_ua squidhdr_find_ua(struct slice blk, char enc,
    struct slice *val);

/*
 * Decodes val, a value found by squidhdr_find_ua with encoding enc, into
 * buf (cap bytes; a longer value is cut). Returns the decoded length.
 */
size_t squidhdr_decode(struct slice val, char enc, char *buf, size_t cap);

/*
 * A header's value written with encoding enc, decoded into ev's scratch
 * space when it holds escapes, else val itself: for a block's value as
 * for a single header's code (%{User-Agent}>h), which Squid escapes the
 * same way. A decoded value is cut at 4096 bytes, with ua_cut=1 in extra.
 */
struct slice squidhdr_value(struct event *ev, struct slice val, char enc);

/*
 * Sets ev's ua column from blk (squidhdr_find_ua, then squidhdr_value);
 * for SQUIDHDR_AMBIGUOUS adds ambiguous=1 to extra instead. The caller
 * warns. Returns what squidhdr_find_ua found.
 */
enum squidhdr_ua squidhdr_take_ua(struct event *ev, struct slice blk,
    char enc);

#endif
