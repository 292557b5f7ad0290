/*
 * evtcsv.h: the parts of the Event Viewer CSV format (fmt_evtcsv.c) that
 * stand on their own: the text layer (the encodings Windows writes such
 * a file in, and the dates of the exporting machine's locale) in
 * evtcsv_text.c, and the names Windows gives columns, message sections
 * and message fields, in English and Japanese, in evtcsv_labels.c.
 */
#ifndef CSM_EVTCSV_H
#define CSM_EVTCSV_H

#include <stddef.h>
#include <stdint.h>
#include "slice.h"

enum evtcsv_enc {
	EVTCSV_ASCII,		/* no BOM and nothing but ASCII so far: the
				 * first other byte decides UTF-8 or CP932 */
	EVTCSV_UTF8,
	EVTCSV_CP932,		/* Shift_JIS as Windows writes it */
	EVTCSV_UTF16LE,
	EVTCSV_UTF16BE
};

/*
 * A decoder of one input to UTF-8, fed the lines the shared reader cuts
 * at each LF byte. UTF-16 is cut there too (inside characters whose code
 * unit holds 0x0A), so the decoder carries a split code unit, a high
 * surrogate and, in little endian, an LF taken ahead of its second byte
 * from one line to the next.
 */
struct evtcsv_dec {
	enum evtcsv_enc enc;
	void *cd;		/* iconv_t for CP932, or NULL */
	int have_odd;		/* UTF-16: first byte of a split unit */
	unsigned char odd;
	unsigned hi;		/* UTF-16: a high surrogate waiting, or 0 */
	unsigned last;		/* UTF-16: the last unit decoded */
	int expect_nul;		/* UTF-16LE: an LF after CR was taken from
				 * its first byte; the next should be 0 */
};

/* Prepares d (UTF-8 until evtcsv_dec_start says otherwise). */
void evtcsv_dec_init(struct evtcsv_dec *d);

/* Frees d's converter. */
void evtcsv_dec_release(struct evtcsv_dec *d);

/*
 * Chooses the encoding from the first line of the input: a BOM (UTF-8,
 * UTF-16LE, UTF-16BE), else bytes that are not UTF-8 (CP932), else ASCII
 * for now. Returns the bytes of BOM to skip.
 */
size_t evtcsv_dec_start(struct evtcsv_dec *d, struct slice first);

/* The most bytes evtcsv_dec_line writes for an n-byte line. */
#define EVTCSV_DEC_MAX(n) (3 * (n) + 16)

/*
 * Decodes one line of input and the LF that ended it into out (at least
 * EVTCSV_DEC_MAX(line.n) bytes), as UTF-8 with LF line ends; bytes that
 * do not decode become U+FFFD. In UTF-16 the output may hold the end of
 * the line before and lack this line's own end. Returns the bytes
 * written.
 */
size_t evtcsv_dec_line(struct evtcsv_dec *d, struct slice line, char *out);

/*
 * Forgets what was carried from the line before (after a line the reader
 * had to skip); in UTF-16 the next line is taken to follow an 0x0A that
 * was the first byte of its code unit, as an LF's is.
 */
void evtcsv_dec_lost_line(struct evtcsv_dec *d);

/*
 * Reads a date and time as Event Viewer writes them in the exporting
 * machine's locale: "2023/01/15 9:03:12", "1/15/2023 9:03:12 AM",
 * "15.01.2023 09:03:12", "2023-01-15 09:03:12", also "2023/01/15 午後
 * 1:03:12". A slashed date with the year last is month first (en-US)
 * until one whose first number is over 12 shows the input is day first:
 * *dayfirst records that for the rest of the input. The wall clock is
 * returned as seconds since the epoch as if it were UTC, for
 * time_local_to_utc. Returns 0, or -1 when s is no such date.
 */
int evtcsv_parse_date(struct slice s, int *dayfirst, int64_t *wall);

/* What a column of the header row holds. */
enum evtcsv_col {
	EVTCSV_COL_OTHER,
	EVTCSV_COL_LEVEL,	/* Information, Warning, ... */
	EVTCSV_COL_KEYWORDS,	/* Audit Success, Audit Failure */
	EVTCSV_COL_DATE,
	EVTCSV_COL_SOURCE,	/* the provider */
	EVTCSV_COL_EVENT_ID,
	EVTCSV_COL_TASK,
	EVTCSV_COL_MESSAGE,
	EVTCSV_COL_COMPUTER,
	EVTCSV_COL_LOG,		/* the channel */
	EVTCSV_COL_RECORD_ID
};

/* The column a header name stands for (English, Japanese, PowerShell). */
enum evtcsv_col evtcsv_column(struct slice name);

/*
 * The audit outcome a Keywords or Level value names: 1 "Audit Success",
 * -1 "Audit Failure" (also in Japanese and among other keywords), 0
 * otherwise.
 */
int evtcsv_audit(struct slice v);

/* A heading of the message, "Subject:" without its colon: its number. */
int evtcsv_section(struct slice heading);

/* The section of fields before any heading, or after an unindented field. */
#define EVTCSV_TOP 0
/* A heading we do not know: its fields are kept nowhere. */
#define EVTCSV_UNKNOWN (-1)

/*
 * The EventData name of the message field label ("Account Name") under
 * section, as the event XML names it ("TargetUserName"), or NULL when
 * the field is not one csm keeps.
 */
const char *evtcsv_field(int section, struct slice label);

struct winevt_rec;

/*
 * Reads the fields of an event's message ("Label:<tab>Value" lines,
 * indented under a heading such as "Subject:" or not, before any
 * heading) into r under their EventData names; indented lines after a
 * field without a label of their own continue its value (4672's
 * privileges). A field given twice (a label repeated under one heading,
 * or under a second copy of it) is left empty: the values hold the
 * user's text, which may spell a label on a line of its own. Returns 1
 * when that happened, else 0.
 */
int evtcsv_message(struct slice msg, struct winevt_rec *r);

#endif
