/*
 * zeek.h: the Zeek (Bro) ASCII log convention shared by every Zeek log
 * format (http, conn, dns, smtp, ...): the "#" meta lines that describe a
 * header block, the column map from #fields, splitting of data lines, the
 * unset ("-") and empty ("(empty)") markers, \xHH escapes and the time type.
 * Nothing here knows which log it reads; the fmt_zeek_*.c files do.
 */
#ifndef CSM_ZEEK_H
#define CSM_ZEEK_H

#include <stdint.h>
#include "event.h"
#include "slice.h"

#define ZEEK_MAX_FIELDS 128	/* columns of one header block */
#define ZEEK_NAMES_MAX 4096	/* bytes of all column names (or types) */
#define ZEEK_META_MAX 64	/* bytes of one short meta value */

/* What zeek_read made of a line. */
enum zeek_line {
	ZEEK_META,		/* a "#" meta line, taken into the state */
	ZEEK_DATA,		/* a data line, split into the state's values */
	ZEEK_BAD		/* malformed: see why */
};

/* What a column holds in the current data line. */
enum zeek_kind {
	ZEEK_ABSENT,		/* no such column in this header block */
	ZEEK_UNSET,		/* the unset marker ("-"): no value */
	ZEEK_EMPTY,		/* the empty marker ("(empty)"): set but empty */
	ZEEK_VALUE		/* a value */
};

/* A short meta value, kept in the state because lines do not last. */
struct zeek_meta {
	char b[ZEEK_META_MAX];
	size_t n;
};

/*
 * One Zeek log being read. The slices point into the struct itself, so
 * it must not be copied once in use.
 */
struct zeek {
	char sep;			/* field separator (TAB by default) */
	struct zeek_meta set_sep;	/* between set/vector elements */
	struct zeek_meta empty;		/* the empty-field marker */
	struct zeek_meta unset;		/* the unset-field marker */
	struct zeek_meta path;		/* #path, empty when not given */
	uint64_t gen;			/* bumped by every #fields line */
	int nfields;			/* columns of #fields; 0 before it */
	int ntypes;			/* columns of #types; 0 before it */
	struct slice name[ZEEK_MAX_FIELDS];
	struct slice type[ZEEK_MAX_FIELDS];
	int nval;			/* values of the current data line */
	struct slice val[ZEEK_MAX_FIELDS];
	char why[200];			/* reason of ZEEK_BAD (escaped text) */
	char names[ZEEK_NAMES_MAX];
	char types[ZEEK_NAMES_MAX];
};

/*
 * Prepares z for a new log: TAB separator, "," set separator, "(empty)"
 * and "-" markers, no path and no columns.
 */
void zeek_init(struct zeek *z);

/*
 * Reads one line. A meta line updates the state: "#separator \xHH" (also
 * after stray leading blanks, a malformation seen in the wild) starts a
 * new header block with defaults, "#fields" re-maps the columns and bumps
 * gen, "#set_separator", "#empty_field", "#unset_field", "#path" and
 * "#types" are kept, "#open", "#close" and unknown meta lines are accepted
 * and ignored. A data line is split into val[] and must have as many
 * values as #fields has names. Returns ZEEK_BAD with why set for a
 * malformed meta line, a data line before #fields, or a wrong field count.
 */
enum zeek_line zeek_read(struct zeek *z, struct slice line);

/* Index of the column called name in the current #fields, or -1. */
int zeek_col(const struct zeek *z, const char *name);

/* What column col (an index from zeek_col, or -1) holds in the data line. */
enum zeek_kind zeek_kind(const struct zeek *z, int col);

/*
 * The value of column col in the current data line with its \xHH escapes
 * decoded, or an empty slice unless zeek_kind is ZEEK_VALUE. The slice
 * points into the line, or, when the value holds a backslash, into ev's
 * scratch space (event_keep; empty when that space is used up).
 */
struct slice zeek_str(const struct zeek *z, int col, struct event *ev);

/*
 * Converts a Zeek time ("1320279566.452687", epoch seconds, UTC) to UTC
 * milliseconds. Returns 0, or -1 when s is not such a number.
 */
int zeek_time_ms(struct slice s, int64_t *ms);

/*
 * Decodes the \xHH escapes of src into dst (room for cap bytes); any other
 * backslash is kept as written. Returns the length, or cap + 1 when the
 * result does not fit.
 */
size_t zeek_unescape(char *dst, size_t cap, struct slice src);

/*
 * Reads the header block at the top of the first n lines of a file into z
 * (which it initialises) for a sniffer. Returns 1 when the lines start
 * with a #separator line and a #fields line followed, else 0.
 */
int zeek_sniff_header(struct zeek *z, const struct slice *lines, int n);

#endif
