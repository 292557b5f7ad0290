/*
 * pftrail.h: the trailer Postfix appends to its check and action lines
 * ("STAGE from CLIENT: REPLY; from=<S> to=<R> proto=P helo=<H>") and to
 * the lines of header_checks ("NAME: VALUE from ORIGIN; from=<S> ...
 * helo=<H>[: TEXT]"), read so that the client's text cannot forge it.
 * The reply may quote the client's words (its HELO, an address, a remote
 * server's answer), the header value is the sender's, and the HELO, which
 * comes last, is the client's: each may spell a second trailer, and an
 * address logged unquoted (Postfix before 3.5) may spell the fields after
 * it. The trailer starts at the first
 * place one of its keys follows "; " (" from ORIGIN; " in header lines)
 * and is read from there in Postfix's order (from=, to=, proto=, helo=),
 * each address to its first '>' outside quotes. A line is certain when
 * that reading fits Postfix's shape and no other does: none where an
 * address ends at another '>', none from a later place. Otherwise it
 * reads two ways and none of its trailer is taken: it is ambiguous.
 * smtpd writes '?' for a HELO's ' ', '<', '>', '(', ')', '\', '"', ';'
 * and '@', so a HELO holding none of them ends at its first '>' (one
 * refused at HELO is logged as it was sent, and may hold anything).
 */
#ifndef CSM_PFTRAIL_H
#define CSM_PFTRAIL_H

#include "slice.h"

/*
 * The trailer's fields; from.p is NULL when there is no from= at all.
 * helo_unsure: a header line's HELO holds a byte smtpd would have
 * replaced, then ">: " more than once (its end or the site's text after
 * it may be either), so helo and text are left empty.
 */
struct pftrail {
	struct slice from, to, proto, helo, text;
	int has_text, helo_unsure;
};

/* A check or action line: "STAGE from CLIENT: REPLY; trailer". */
struct pftrail_check {
	struct slice stage, name, addr, port, reply;
	struct pftrail t;	/* empty when none or ambiguous */
	int ambiguous;
	struct slice unparsed;	/* ambiguous: the text after the reply */
};

/*
 * A header_checks line's "VALUE from ORIGIN; trailer[: TEXT]". When
 * ambiguous, value, origin and t are empty and unparsed is all of the
 * line's text; when t.helo_unsure, unparsed is the text from the HELO on.
 */
struct pftrail_header {
	struct slice value, origin;
	struct pftrail t;
	int ambiguous;
	struct slice unparsed;
};

/*
 * Reads a client "name[addr]", "name[addr]:port" or "[addr]:port" at the
 * start of s; *end is the offset past it. Returns -1 when it is none.
 */
int pftrail_client(struct slice s, struct slice *name, struct slice *addr,
    struct slice *port, size_t *end);

/*
 * Reads s, "STAGE from CLIENT: REPLY; trailer", into c. Without a trailer
 * all of the text after the client is the reply; when ambiguous, the
 * reply ends at the first place a trailer may start and c->unparsed holds
 * the text after it. Slices point into s. Returns -1 when s is no check
 * line (no stage word, no client).
 */
int pftrail_check(struct slice s, struct pftrail_check *c);

/*
 * Reads s, the text after "header " or "body ", into h. Slices point into
 * s. Returns -1 when no " from ORIGIN; " that a trailer key follows is
 * in s.
 */
int pftrail_header(struct slice s, struct pftrail_header *h);

#endif
