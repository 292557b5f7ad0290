/*
 * mimemsg_impl.h: what the two halves of the message parser share:
 * mimemsg.c (headers, the event) and mimepart.c (the MIME tree, the
 * attachments and their archives). Not for other modules: they use
 * mimemsg.h.
 */
#ifndef CSM_MIMEMSG_IMPL_H
#define CSM_MIMEMSG_IMPL_H

#include <gmime/gmime.h>
#include "mailhdr.h"
#include "slice.h"

#define TEXT_MAX 16384		/* decoded bytes kept of one header */
#define NEST_MAX 32		/* parts inside parts, walked at most */

/* What can be broken: bits of mimemsg.warn, words of mime_warning. */
enum {
	W_BOUNDARY, W_BASE64, W_UUENCODE, W_CHARSET, W_HEADER, W_DUPLICATE,
	W_CONTENT_TYPE, W_RFC2047, W_PARAMETER, W_ADDRESS, W_TRUNCATED,
	W_STRUCTURE, W_NESTING, W_EMPTY_PART, W_SIZE, W_LONG_NAME,
	W_NAMES_DIFFER, W_NWORDS
};

struct mimemsg {
	const char *fmtname;
	GMimeParserOptions *opts;
	GStringChunk *text;	/* the message's texts, until it is emitted */
	unsigned warn;		/* 1 << W_* */
	int attach_cut;		/* attachment or member names left out */
	char *buf;		/* room for decoding one header (TEXT_MAX) */
	struct mailhdr_list rcpt, attach, types, members, encrypted, broken;
	struct mailhdr_list from_more;	/* From's mailboxes after the first */
	struct mailhdr_list reply_more;	/* Reply-To's after the first */
	GString *tmp;
};

/* A copy of p[0..n) that lives until the message is emitted. */
struct slice mimemsg_keep(struct mimemsg *mm, const char *p, size_t n);

/* The first header called name of obj, or NULL. */
GMimeHeader *mimemsg_header(GMimeObject *obj, const char *name);

/*
 * Parameter pname of header h (Content-Disposition, Content-Type)
 * decoded to UTF-8 into out (kept until the message is emitted): its
 * value as rfc2047_param reads it, then its plain one alone
 * (RFC2047_PLAIN), which a program without RFC 2231 shows; the two may
 * be the same. Adds to *cut rfc2047_param's RFC2047_CUT_* bits
 * (RFC2047_CUT_HEADER: the parameter may be in what was not read).
 * Returns how many values it found: 0 (h NULL, or no such parameter) to
 * 2.
 */
size_t mimemsg_decode_param(struct mimemsg *mm, GMimeHeader *h,
    const char *pname, struct slice out[2], int *cut);

/*
 * Walks the MIME tree under obj in order, messages inside messages too,
 * adding each attachment (a part with a file name or disposition
 * attachment) to mm's lists, with the members of ZIP archives, and
 * setting warning bits for broken content.
 */
void mimemsg_walk(struct mimemsg *mm, GMimeObject *obj, int depth);

#endif
