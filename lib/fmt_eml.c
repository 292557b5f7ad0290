/*
 * fmt_eml.c: mail messages read as lines: the eml format (a file, or
 * standard input, holding one RFC 5322 message) and the mbox format
 * (messages one after another, each opened by a "From " line with a
 * sender and a date, at the start of the input or after an empty line).
 * Lines come through the shared reader, so gzip and standard input work,
 * and are gathered into one message at a time: memory is bounded by the
 * largest message (at most MIMEMSG_MAX), never by the file. A message is
 * parsed and emitted (lib/mimemsg.h) when the next one begins, or at the
 * end of input; its event's origin is its first line. Each line counts
 * as used: a message that cannot be read at all comes out as one
 * rejection, on the line where that was found.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fmt.h"
#include "mailhdr.h"
#include "mimemsg.h"

struct gather {
	struct mimemsg *mm;
	int mbox;		/* messages split at "From " lines */
	char *p;		/* the message so far, lines ended by LF */
	size_t n, cap;
	int cut;		/* lines left out past MIMEMSG_MAX */
	int open;		/* a message is being gathered */
	int prev_blank;		/* the line before was empty */
	uint64_t start;		/* its first line */
	uint64_t count;		/* messages begun */
	char sender[256];	/* its "From " line's envelope sender */
	size_t sender_n;
	int64_t from_ms;	/* and that line's date */
	int has_from_ms;
	const char *origin;	/* origin_file of the lines */
	int64_t mtime_ms;	/* the input file's */
	int has_mtime, looked;
};

static void *
gather_open(struct parse_ctx *ctx, int mbox)
{
	struct gather *g = calloc(1, sizeof *g);

	if (g == NULL || (g->mm = mimemsg_new(mbox ? "mbox" : "eml")) ==
	    NULL) {
		free(g);
		fmt_reject(ctx, "%s: out of memory", mbox ? "mbox" : "eml");
		return NULL;
	}
	g->mbox = mbox;
	return g;
}

static void *
eml_open(struct parse_ctx *ctx)
{
	return gather_open(ctx, 0);
}

static void *
mbox_open(struct parse_ctx *ctx)
{
	return gather_open(ctx, 1);
}

static void
gather_close(void *state)
{
	struct gather *g = state;

	mimemsg_free(g->mm);
	free(g->p);
	free(g);
}

/* The input file's mtime, for messages with no date in them. */
static void
look_at_file(struct gather *g, const struct parse_ctx *ctx)
{
	struct stat sb;

	g->looked = 1;
	if (ctx->path != NULL && strcmp(ctx->path, "-") != 0 &&
	    stat(ctx->path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		g->mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 +
		    sb.st_mtim.tv_nsec / 1000000;
		g->has_mtime = 1;
	}
}

/* Begins a message at line lineno; from is its "From " line or empty. */
static void
begin(struct gather *g, struct slice from, uint64_t lineno)
{
	struct slice sender = SLICE_NONE;

	g->open = 1;
	g->count++;
	g->start = lineno;
	g->n = 0;
	g->cut = 0;
	g->sender_n = 0;
	g->has_from_ms = 0;
	if (from.n == 0)
		return;
	g->has_from_ms = mailhdr_mbox_from(from, &sender, &g->from_ms) == 0;
	/* Thunderbird's saved messages open with "From - date". */
	if (slice_eq(sender, "-"))
		sender.n = 0;
	if (sender.n > sizeof g->sender)
		sender.n = 0;
	memcpy(g->sender, sender.p, sender.n);
	g->sender_n = sender.n;
}

static int
append(struct gather *g, struct slice line)
{
	size_t need = line.n + 1, cap;
	char *np;

	if (g->cut || g->n + need > MIMEMSG_MAX) {
		g->cut = 1;
		return 0;
	}
	if (need > g->cap - g->n) {
		cap = g->cap ? g->cap : 65536;
		while (cap - g->n < need)
			cap *= 2;
		if ((np = realloc(g->p, cap)) == NULL)
			return -1;
		g->p = np;
		g->cap = cap;
	}
	memcpy(g->p + g->n, line.p, line.n);
	g->n += line.n;
	g->p[g->n++] = '\n';
	return 0;
}

/* Parses and emits the message gathered. */
static enum line_result
flush(struct gather *g, struct parse_ctx *ctx)
{
	struct mimemsg_env env;
	char what[64];

	memset(&env, 0, sizeof env);
	env.sender = slice_make(g->sender, g->sender_n);
	env.from_ms = g->from_ms;
	env.has_from_ms = g->has_from_ms;
	env.mtime_ms = g->mtime_ms;
	env.has_mtime = g->has_mtime;
	env.line = g->start;
	env.cut = g->cut;
	if (g->mbox) {
		snprintf(what, sizeof what, "message %llu",
		    (unsigned long long)g->count);
		env.what = what;
	}
	g->open = 0;
	ctx->ev->origin_file = g->origin;
	return mimemsg_emit(g->mm, slice_make(g->p, g->n), &env, ctx);
}

/*
 * Whether a "From " line after an empty one begins a message: only when
 * it names a sender and a date it can read, as mutt asks too, since
 * writers of the plain mbox flavour leave body lines such as "From here
 * on" unescaped.
 */
static int
is_from_line(struct slice line)
{
	struct slice sender;
	int64_t ms;

	return mailhdr_mbox_from(line, &sender, &ms) == 0;
}

static enum line_result
gather_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct gather *g = state;
	enum line_result r = LINE_USED;
	uint64_t lineno = ctx->ev->origin_line;	/* flush() clears ev */
	int first = !g->open && g->count == 0;

	if (!g->looked) {
		look_at_file(g, ctx);
		g->origin = ctx->ev->origin_file;
	}
	if (slice_has_prefix(line, "From ") && (first || (g->mbox &&
	    g->prev_blank && is_from_line(line)))) {
		if (g->open)
			r = flush(g, ctx);
		begin(g, line, lineno);
		g->prev_blank = 0;
		return r;
	}
	/* No "From " line first (an mbox without one: a message anyway). */
	if (!g->open)
		begin(g, SLICE_NONE, lineno);
	g->prev_blank = line.n == 0;
	if (append(g, line) != 0)
		return fmt_reject(ctx, "out of memory for the message");
	return r;
}

static void
gather_finish(void *state, struct parse_ctx *ctx)
{
	struct gather *g = state;

	ctx->reason[0] = '\0';
	if (g->open)
		(void)flush(g, ctx);
}

/* Header field names that open a message's header block. */
static const char *const mail_fields[] = {
	"received", "return-path", "delivered-to", "x-original-to",
	"envelope-to", "x-envelope-from", "x-envelope-to", "from", "sender",
	"reply-to", "to", "cc", "date", "subject", "message-id",
	"mime-version", "content-type", "content-transfer-encoding",
	"dkim-signature", "domainkey-signature", "authentication-results",
	"arc-seal", "arc-message-signature", "arc-authentication-results",
	"received-spf", "x-received", "x-mailer", "user-agent",
	"thread-topic", "thread-index", "in-reply-to", "references",
	"x-sender", "x-originating-ip", "importance", "x-priority", NULL
};

/*
 * The name of a header field line ("Name: value"): printable ASCII
 * without space or ':', then ':'. Empty when line is none.
 */
static struct slice
field_name(struct slice line)
{
	size_t i;

	for (i = 0; i < line.n && i < 80; i++) {
		unsigned char c = (unsigned char)line.p[i];

		if (c == ':')
			return i > 0 ? slice_make(line.p, i) : SLICE_NONE;
		if (c <= ' ' || c >= 0x7f)
			return SLICE_NONE;
	}
	return SLICE_NONE;
}

static int
is_mail_field(struct slice name)
{
	int i;

	for (i = 0; mail_fields[i]; i++)
		if (slice_eq_nocase(name, mail_fields[i]))
			return 1;
	return 0;
}

/*
 * How much lines[from..n) look like a message's header block, up to the
 * first empty line: header fields or folded continuations, at least two
 * mail headers among them with one first, or three after another field
 * (Thunderbird's X-Mozilla-Status, say): 90. A broken message may hold a
 * line or two that is no field: 70 when one more mail header outweighs
 * them. Else 0.
 */
static int
header_block(const struct slice *lines, int from, int n)
{
	int i, known = 0, bad = 0, need;

	if (from >= n || field_name(lines[from]).n == 0)
		return 0;
	need = is_mail_field(field_name(lines[from])) ? 2 : 3;
	for (i = from; i < n && lines[i].n > 0; i++) {
		struct slice name;

		if (i > from && (lines[i].p[0] == ' ' || lines[i].p[0] == '\t'))
			continue;
		if ((name = field_name(lines[i])).n == 0)
			bad++;
		else
			known += is_mail_field(name);
	}
	if (bad == 0)
		return known >= need ? 90 : 0;
	return bad <= 2 && known > need ? 70 : 0;
}

static int
eml_sniff(const struct slice *lines, int n)
{
	return header_block(lines, 0, n);
}

/* A "From " line with a sender and a date, then a header block. */
static int
mbox_sniff(const struct slice *lines, int n)
{
	struct slice sender;
	int64_t ms;

	if (n < 2 || mailhdr_mbox_from(lines[0], &sender, &ms) != 0)
		return 0;
	return header_block(lines, 1, n) ? 95 : 0;
}

const struct fmt fmt_eml = {
	.name = "eml",
	.log = "mail",
	.summary = "one RFC 5322 mail message per file (.eml; read with "
	    "GMime)",
	.sniff = eml_sniff,
	.open = eml_open,
	.line = gather_line,
	.finish = gather_finish,
	.close = gather_close,
};

const struct fmt fmt_mbox = {
	.name = "mbox",
	.log = "mail",
	.summary = "mail messages in an mbox file, split at \"From \" lines",
	.sniff = mbox_sniff,
	.open = mbox_open,
	.line = gather_line,
	.finish = gather_finish,
	.close = gather_close,
};
