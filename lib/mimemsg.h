/*
 * mimemsg.h: one mail message (RFC 5322, MIME) made into one event, as
 * the eml, mbox and maildir formats share it and csm-events(5) describes
 * it: GMime parses the message and its MIME tree, csm reads the headers
 * GMime leaves as text (lib/mailhdr.h), decodes display names, subjects
 * and file names to UTF-8 whatever charset they were written in (Japanese
 * ones above all: encoded-words and RFC 2231 parameters through
 * lib/rfc2047.h, undeclared 8-bit text through GMime's charset fallbacks,
 * undeclared ISO-2022-JP), and lists the members of ZIP attachments
 * (lib/ziplist.h). A broken message gives what can be read of it, with
 * the words for what was broken in extra's mime_warning and a warning
 * through fmt_warn; only bytes with no header at all are rejected.
 */
#ifndef CSM_MIMEMSG_H
#define CSM_MIMEMSG_H

#include <stdint.h>
#include "fmt.h"
#include "slice.h"

/* Longest message parsed; the rest of a longer one is left out. */
#define MIMEMSG_MAX (64 * 1024 * 1024)

struct mimemsg;

/* What the container of a message knows about it. */
struct mimemsg_env {
	struct slice sender;	/* envelope sender of an mbox "From " line */
	int64_t from_ms;	/* that line's date, when has_from_ms */
	int has_from_ms;
	int64_t mtime_ms;	/* the file's mtime, when has_mtime */
	int has_mtime;
	const char *what;	/* names the message in warnings and reasons
				 * ("message 3 at line 120", a file name;
				 * escaped), or NULL for a file's only one */
	uint64_t line;		/* its first line: origin and warnings */
	uint64_t recno;		/* the record number warnings name instead
				 * (a Maildir's message files), or 0 */
	int cut;		/* the message was cut at MIMEMSG_MAX */
};

/*
 * A parser for messages of format fmtname (a static string: "eml",
 * "mbox", "maildir"). Initialises GMime on first use. Returns NULL when
 * memory runs out; free with mimemsg_free.
 */
struct mimemsg *mimemsg_new(const char *fmtname);

/* Frees mm (NULL is fine). */
void mimemsg_free(struct mimemsg *mm);

/*
 * Parses the message msg (its bytes must stay until the call returns;
 * they are not changed) and fills and emits ctx->ev (cleared here; its
 * origin_file is kept, its origin_line set to env->line). Returns
 * LINE_USED, or LINE_REJECTED with ctx->reason set when msg holds no
 * header field at all (nothing is emitted then).
 */
enum line_result mimemsg_emit(struct mimemsg *mm, struct slice msg,
    const struct mimemsg_env *env, struct parse_ctx *ctx);

#endif
