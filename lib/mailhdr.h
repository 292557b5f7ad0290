/*
 * mailhdr.h: the parts of a mail message that GMime hands over as plain
 * text and csm reads itself: the Received chain (the connecting address
 * of each hop, the receiving host, the time), the verdicts of
 * Authentication-Results, the Return-Path, the "From " line that opens a
 * message in an mbox, and the ','-joined lists of csm-events(5), whose
 * items are escaped here. Everything works on attacker bytes, bounded by
 * the input; only a list grows, and only up to MAILHDR_LIST_MAX.
 */
#ifndef CSM_MAILHDR_H
#define CSM_MAILHDR_H

#include <stdint.h>
#include "ipaddr.h"
#include "slice.h"

/* What one Received header says; slices point into its value. */
struct mailhdr_received {
	int has_from;		/* the value opens with a "from" part */
	int has_ip;		/* ip holds the connecting address */
	struct ipaddr ip;
	struct slice by;	/* the host after "by", or empty */
	struct slice date;	/* the text after the last ';', or empty */
};

/*
 * Reads a Received value (unfolded or not). The connecting address is
 * the one the receiving server wrote in the comment after the sending
 * host ("from helo (rdns [192.0.2.1])", Exchange's "from host (10.0.0.5)",
 * qmail's "(HELO x) (192.0.2.1)", exim's "([192.0.2.1]:25 helo=x)"), a
 * name given with HELO or EHLO never counting; without such a comment, an
 * address literal in place of the host ("from [192.0.2.1]").
 */
void mailhdr_received(struct slice v, struct mailhdr_received *r);

/*
 * The verdict for method ("spf", "dkim" or "dmarc") in an
 * Authentication-Results value: the first result for it, as one of the
 * static words pass, fail, softfail, neutral, none, temperror, permerror,
 * policy. NULL when the header has none or another word.
 */
const char *mailhdr_auth_verdict(struct slice v, const char *method);

/*
 * The address of a Return-Path value: what is inside <...> (or the bare
 * value, trimmed). "<>" itself for the null sender; empty when the value
 * is empty.
 */
struct slice mailhdr_return_path(struct slice v);

/*
 * Reads an mbox "From " line ("From sender Tue Jan  2 03:04:05 2024"):
 * the envelope sender, and the date, taken as local time in the zone of
 * time_zone_set (or at the numeric offset written after the time).
 * Returns 0 with *ms set, 1 when the line names a sender but no date it
 * can read, -1 when it is no "From " line.
 */
int mailhdr_mbox_from(struct slice line, struct slice *sender, int64_t *ms);

/* Longest list kept; items that would go past it are left out. */
#define MAILHDR_LIST_MAX (256 * 1024)

/*
 * A ','-joined list being built: each item escaped as esc_tsv does (with
 * the flags given to mailhdr_list_init) and a ',' inside it written as
 * \x2c, so that the list can be written out as it is.
 */
struct mailhdr_list {
	char *p;		/* the list, not NUL-terminated */
	size_t n, cap;
	int flags;		/* esc_tsv flags: ESC_TSV or ESC_EXTRA */
	int count;		/* items added */
	int cut;		/* some were left out */
};

/* Prepares an empty list whose items are escaped with flags. */
void mailhdr_list_init(struct mailhdr_list *l, int flags);

/* Empties l for the next message (keeps its memory). */
void mailhdr_list_clear(struct mailhdr_list *l);

/*
 * Appends item (which may be empty). Returns 0, or -1 when it is left out
 * (the list would pass MAILHDR_LIST_MAX, or memory ran out).
 */
int mailhdr_list_add(struct mailhdr_list *l, struct slice item);

/* Frees the list's memory. */
void mailhdr_list_release(struct mailhdr_list *l);

#endif
