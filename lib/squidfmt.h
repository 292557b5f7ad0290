/*
 * squidfmt.h: a small engine for Squid logformat strings. A format such as
 *   %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
 * is compiled once into fields and the literal text between them; each log
 * line is then cut into one value per field without copying or allocating.
 * What the values mean for the events stream is fmt_squid_logformat.c's
 * business; this module only knows the logformat syntax
 *   %[encoding][-][[0]width][.precision][{arg}]code[{arg}]
 * (encodings " [ # ' /, "%%" for a literal percent sign).
 */
#ifndef CSM_SQUIDFMT_H
#define CSM_SQUIDFMT_H

#include <stddef.h>
#include "slice.h"

/* What a logformat code stands for, as far as csm cares. */
enum squidfmt_code {
	SQUIDFMT_OTHER,		/* any code csm does not map */
	SQUIDFMT_TS,		/* %ts: seconds since the epoch */
	SQUIDFMT_TU,		/* %tu: sub-second part, milliseconds */
	SQUIDFMT_TL,		/* %tl: local time, dd/Mon/yyyy:HH:MM:SS +zzzz */
	SQUIDFMT_TG,		/* %tg: the same layout in GMT */
	SQUIDFMT_TSTART,	/* %tS: transaction start, epoch.ms */
	SQUIDFMT_TR,		/* %tr: response time, ms */
	SQUIDFMT_CLIENT_IP,	/* %>a */
	SQUIDFMT_CLIENT_PORT,	/* %>p */
	SQUIDFMT_CLIENT_FQDN,	/* %>A */
	SQUIDFMT_SERVER_IP,	/* %<a */
	SQUIDFMT_SERVER_PORT,	/* %<p */
	SQUIDFMT_SERVER_NAME,	/* %<A: server FQDN or peer name */
	SQUIDFMT_LOCAL_IP,	/* %la, %>la: the proxy's own address */
	SQUIDFMT_LOCAL_PORT,	/* %lp, %>lp */
	SQUIDFMT_STATUS,	/* %>Hs (and the old %Hs) */
	SQUIDFMT_SERVER_STATUS,	/* %<Hs */
	SQUIDFMT_RESULT,	/* %Ss: TCP_MISS, TCP_DENIED, ... */
	SQUIDFMT_HIER,		/* %Sh: HIER_DIRECT, ... */
	SQUIDFMT_BYTES_REPLY,	/* %<st: bytes sent to the client */
	SQUIDFMT_BYTES_REQUEST,	/* %>st: bytes received from the client */
	SQUIDFMT_BYTES_TOTAL,	/* %st: both */
	SQUIDFMT_METHOD,	/* %rm, %>rm */
	SQUIDFMT_URL,		/* %ru, %>ru */
	SQUIDFMT_PATH,		/* %rp, %>rp */
	SQUIDFMT_VERSION,	/* %rv, %>rv */
	SQUIDFMT_DOMAIN,	/* %>rd */
	SQUIDFMT_URL_PORT,	/* %>rP */
	SQUIDFMT_USER,		/* %un %ul %ue %ui %us */
	SQUIDFMT_MIME,		/* %mt */
	SQUIDFMT_REQ_HEADER,	/* %{Name}>h, %{Name}>ha */
	SQUIDFMT_REPLY_HEADER,	/* %{Name}<h */
	SQUIDFMT_SNI,		/* %ssl::>sni */
	SQUIDFMT_ERR_CODE,	/* %err_code */
	SQUIDFMT_ERR_DETAIL	/* %err_detail */
};

/* One code of a compiled format and the literal text that follows it. */
struct squidfmt_field {
	enum squidfmt_code code;
	const char *name;	/* the code as written, "ssl::>sni", ">Hs" */
	const char *arg;	/* the {arg}, or NULL */
	const char *key;	/* a name fit for an extra key (no ; = space) */
	char enc;		/* encoding: 0 or one of " [ # ' / */
	int left;		/* '-': left-aligned (padded on the right) */
	int zero;		/* '0': zero-padded */
	int width;		/* minimum width, or -1 */
	int precision;		/* .precision, or -1 */
	int quoted;		/* the format wraps the value in "..." */
	int fixed;		/* the value always has this length, or 0 */
	int flex;		/* squidfmt_is_flex, worked out once */
	struct slice after;	/* literal text up to the next code */
};

/* A compiled format. All strings live in one block the format owns. */
struct squidfmt {
	struct slice lead;		/* literal text before the first code */
	struct squidfmt_field *f;
	int n;
	int nflex;			/* user-name codes that may hold spaces */
	char *buf;
};

/*
 * Whether f is a user-name code whose value Squid may write with spaces:
 * %un %ul %ui %ue %us neither between literal quotes nor URL-encoded (%#).
 * Squid writes these names as the client or the authentication helper
 * gave them; even its "[" encoding leaves spaces alone.
 */
int squidfmt_is_flex(const struct squidfmt_field *f);

/*
 * Compiles text (a format string; a leading "logformat NAME " as copied
 * from squid.conf is dropped). Returns 0, or -1 with a lowercase reason in
 * err (errcap bytes, NUL-terminated; format bytes are escaped) for an
 * unterminated {, a lone % at the end, a % without a code, two codes with
 * no text between them (their values could not be told apart), a format
 * with no code at all, or no memory. Release sf either way.
 */
int squidfmt_compile(struct squidfmt *sf, const char *text, char *err,
    size_t errcap);

/* Frees what squidfmt_compile allocated; sf may be zeroed or failed. */
void squidfmt_release(struct squidfmt *sf);

/*
 * The code a code name stands for (">a", "ssl::>sni", "tl"); names csm does
 * not map are SQUIDFMT_OTHER.
 */
enum squidfmt_code squidfmt_lookup(const char *name);

/* How a line failed to match a format. */
enum squidfmt_miss_kind {
	SQUIDFMT_MISS_TEXT,	/* literal text missing: field, at */
	SQUIDFMT_MISS_VALUE,	/* a value without its code's shape: field,
				   why, val */
	SQUIDFMT_MISS_AMBIGUOUS,	/* more than one reading fits: field
				   (the first user-name code), at */
	SQUIDFMT_MISS_TOO_MANY	/* readings tried past the cap: field, at */
};

/* Where a line stopped matching a format. */
struct squidfmt_miss {
	enum squidfmt_miss_kind kind;
	int field;		/* the field whose following text is missing,
				   or -1 for the text before the first code */
	size_t at;		/* offset in the line where it was expected */
	const char *why;	/* MISS_VALUE: "bad HTTP status", ... */
	struct slice val;	/* MISS_VALUE: the value */
};

/* Places a user name could end, tried at most per line (squidfmt_match). */
#define SQUIDFMT_FIT_TRIES 1024

/*
 * Cuts line into one value per field of sf (vals has room for sf->n).
 * Each value runs up to the next literal text of the format; a space in
 * the literal text matches a run of spaces; a value between double quotes
 * in the format may hold spaces and \" escapes; padding of a code with a
 * width is trimmed; "-" becomes the empty slice. Trailing spaces of the
 * line are ignored.
 * When the format has a user-name code that may hold spaces (sf->nflex),
 * that value may also end at any later place its literal text matches:
 * every such reading is tried (at most SQUIDFMT_FIT_TRIES), each value of
 * another code must have its code's shape (digits for a status, size or
 * time, a token for a method or result code, no space where Squid writes
 * none, no bare " inside quotes), and exactly one reading must fit.
 * Returns 0, or -1 with *miss saying where the line parted from the format
 * (for a line no reading fits, where the first, leftmost reading failed).
 * Values point into line.
 */
int squidfmt_match(const struct squidfmt *sf, struct slice line,
    struct slice *vals, struct squidfmt_miss *miss);

/*
 * The format csm recommends to sites (csm-parse(1), SQUID LOGFORMAT): the
 * native one with the upload size and the User-Agent.
 */
#define SQUIDFMT_CSM "%ts.%03tu %6tr %>a %Ss/%03>Hs %>st %<st %rm %ru " \
	"\"%{User-Agent}>h\" %[un %Sh/%<a %mt"

/* Values of SQUIDFMT_CSM, one a field. */
#define SQUIDFMT_CSM_FIELDS 15

/* Whether sf, however it was written, compiles to SQUIDFMT_CSM. */
int squidfmt_is_csm(const struct squidfmt *sf);

/*
 * squidfmt_match for SQUIDFMT_CSM, at a glance, for the lines that read
 * one way plainly: a user name without spaces, a User-Agent without '"',
 * every other value in its code's shape. Returns 0 with vals (room for
 * SQUIDFMT_CSM_FIELDS) as squidfmt_match would set them, and *plain
 * saying whether every byte of the line (but trailing spaces and TABs)
 * is printable ASCII other than a backslash, so that its values need no
 * escaping in a TSV column; or -1 for a line to give squidfmt_match,
 * which then says how it reads or why not.
 */
int squidfmt_match_csm(struct slice line, struct slice *vals, int *plain);

/*
 * Whether a Squid result code (%Ss: TCP_DENIED, TCP_DENIED_REPLY, ...) is
 * a denial; for the native format's parser too. The codes are short: a
 * plain loop costs less than memmem's setup per line.
 */
int squidfmt_code_denied(struct slice code);

#endif
