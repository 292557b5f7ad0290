/*
 * mimemsg.c: one mail message into one event (see mimemsg.h). GMime
 * parses the message from the caller's bytes without copying them and
 * walks its MIME tree; the header texts are then read here: addresses
 * through GMime's address parser, display names, subjects and file names
 * decoded by lib/rfc2047.c (which reads ISO-2022-JP with the NEC and IBM
 * characters and Shift_JIS as CP932, where GMime's iconv names would turn
 * them into '?'), after undeclared 8-bit text has gone through GMime's
 * charset fallbacks and undeclared ISO-2022-JP through iconv. What GMime
 * says is broken, and what csm finds broken itself (base64 that is not,
 * undeclared charsets), becomes the mime_warning words.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>
#include "esc.h"
#include "event.h"
#include "geo.h"
#include "mailhdr.h"
#include "mimemsg.h"
#include "mimemsg_impl.h"
#include "rfc2047.h"

static const char *const warn_words[W_NWORDS] = {
	"boundary", "base64", "uuencode", "charset", "header",
	"duplicate_header", "content_type", "rfc2047", "parameter",
	"address", "truncated", "structure", "nesting", "empty_part", "size",
	"long_name", "names_differ"
};

/*
 * Charsets GMime tries, in order, on header text with 8-bit bytes and no
 * declared charset. EUC-JP before CP932: CP932 reads nearly any EUC-JP
 * text as half-width katakana without an error, while Shift_JIS text
 * almost never passes as EUC-JP (its kana lead bytes 0x81-0x9f are not
 * EUC-JP). ISO-8859-1 reads anything.
 */
static const char *fallback_charsets[] = {
	"utf-8", "iso-2022-jp", "euc-jp", "cp932", "iso-8859-1", NULL
};

static int gmime_ready;

static void
on_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer arg)
{
	struct mimemsg *mm = arg;
	int w;

	(void)offset;
	(void)item;
	switch (code) {
	case GMIME_WARN_DUPLICATED_HEADER:
	case GMIME_CRIT_CONFLICTING_HEADER: w = W_DUPLICATE; break;
	case GMIME_WARN_DUPLICATED_PARAMETER:
	case GMIME_CRIT_CONFLICTING_PARAMETER:
	case GMIME_WARN_INVALID_PARAMETER: w = W_PARAMETER; break;
	/* Undeclared 8-bit text is judged in prepare(): UTF-8 is no fault. */
	case GMIME_WARN_UNENCODED_8BIT_HEADER: return;
	case GMIME_WARN_INVALID_CONTENT_TYPE: w = W_CONTENT_TYPE; break;
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: w = W_RFC2047; break;
	case GMIME_WARN_MALFORMED_MULTIPART:
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: w = W_BOUNDARY; break;
	case GMIME_WARN_TRUNCATED_MESSAGE: w = W_TRUNCATED; break;
	case GMIME_WARN_MALFORMED_MESSAGE: w = W_STRUCTURE; break;
	case GMIME_CRIT_INVALID_HEADER_NAME: w = W_HEADER; break;
	case GMIME_WARN_INVALID_ADDRESS_LIST: w = W_ADDRESS; break;
	case GMIME_CRIT_NESTING_OVERFLOW: w = W_NESTING; break;
	case GMIME_WARN_PART_WITHOUT_CONTENT:
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: w = W_EMPTY_PART;
		break;
	default: w = W_STRUCTURE; break;
	}
	mm->warn |= 1U << w;
}

struct mimemsg *
mimemsg_new(const char *fmtname)
{
	struct mimemsg *mm = calloc(1, sizeof *mm);

	if (mm == NULL || (mm->buf = malloc(TEXT_MAX)) == NULL) {
		free(mm);
		return NULL;
	}
	if (!gmime_ready) {
		g_mime_init();
		gmime_ready = 1;
	}
	mm->fmtname = fmtname;
	mm->opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(mm->opts,
	    fallback_charsets);
	g_mime_parser_options_set_allow_addresses_without_domain(mm->opts,
	    TRUE);
	g_mime_parser_options_set_warning_callback(mm->opts, on_warning, mm);
	mm->text = g_string_chunk_new(4096);
	mm->tmp = g_string_new(NULL);
	mailhdr_list_init(&mm->rcpt, ESC_TSV);
	mailhdr_list_init(&mm->attach, ESC_TSV);
	mailhdr_list_init(&mm->types, ESC_EXTRA);
	mailhdr_list_init(&mm->members, ESC_EXTRA);
	mailhdr_list_init(&mm->encrypted, ESC_EXTRA);
	mailhdr_list_init(&mm->broken, ESC_EXTRA);
	mailhdr_list_init(&mm->from_more, ESC_EXTRA);
	mailhdr_list_init(&mm->reply_more, ESC_EXTRA);
	return mm;
}

void
mimemsg_free(struct mimemsg *mm)
{
	if (mm == NULL)
		return;
	g_mime_parser_options_free(mm->opts);
	g_string_chunk_free(mm->text);
	g_string_free(mm->tmp, TRUE);
	mailhdr_list_release(&mm->rcpt);
	mailhdr_list_release(&mm->attach);
	mailhdr_list_release(&mm->types);
	mailhdr_list_release(&mm->members);
	mailhdr_list_release(&mm->encrypted);
	mailhdr_list_release(&mm->broken);
	mailhdr_list_release(&mm->from_more);
	mailhdr_list_release(&mm->reply_more);
	free(mm->buf);
	free(mm);
}

struct slice
mimemsg_keep(struct mimemsg *mm, const char *p, size_t n)
{
	if (n == 0)
		return SLICE_NONE;
	return slice_make(g_string_chunk_insert_len(mm->text, p, (gssize)n),
	    n);
}

GMimeHeader *
mimemsg_header(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);

	return hl ? g_mime_header_list_get_header(hl, name) : NULL;
}

static const char *
raw_value(GMimeHeader *h)
{
	const char *v = h ? g_mime_header_get_raw_value(h) : NULL;

	return v ? v : "";
}

/*
 * A header value ready for decoding: unfolded and trimmed, and made
 * UTF-8 when it was written in a charset it does not declare (8-bit
 * bytes that are not UTF-8: GMime's fallback charsets; ISO-2022-JP
 * escapes: iconv through rfc2047_to_utf8). NUL-terminated; the caller
 * frees it with g_free.
 */
static char *
prepare(struct mimemsg *mm, const char *raw)
{
	size_t i, n = 0, len = strlen(raw);
	char *s = g_malloc(len + 1), *conv;
	int high = 0, esc = 0;
	long r;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '\r' || c == '\n')
			continue;
		if (c == '\t')
			c = ' ';
		if (c == ' ' && n == 0)
			continue;
		high |= c >= 0x80;
		esc |= c == 0x1b;
		s[n++] = (char)c;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	if (high && !g_utf8_validate(s, (gssize)n, NULL)) {
		mm->warn |= 1U << W_CHARSET;
		conv = g_mime_utils_decode_8bit(mm->opts, s, n);
		if (conv != NULL) {
			g_free(s);
			return conv;
		}
	} else if (esc && !high && (r = rfc2047_to_utf8(mm->buf, TEXT_MAX - 1,
	    SLICE_LIT("ISO-2022-JP"), slice_make(s, n))) >= 0) {
		g_free(s);
		return g_strndup(mm->buf, (gsize)r);
	}
	return s;
}

/* Unstructured text (Subject) decoded to UTF-8. */
static struct slice
decode_text(struct mimemsg *mm, GMimeHeader *h)
{
	char *s;
	size_t n;

	if (h == NULL)
		return SLICE_NONE;
	s = prepare(mm, raw_value(h));
	n = rfc2047_decode(mm->buf, TEXT_MAX, slice_cstr(s), 0);
	g_free(s);
	return mimemsg_keep(mm, mm->buf, n);
}

size_t
mimemsg_decode_param(struct mimemsg *mm, GMimeHeader *h, const char *pname,
    struct slice out[2], int *cut_bits)
{
	static const int forms[2] = { 0, RFC2047_PLAIN };
	char *s;
	long r;
	size_t n = 0;
	int cut, i;

	if (h == NULL)
		return 0;
	s = prepare(mm, raw_value(h));
	for (i = 0; i < 2; i++) {
		r = rfc2047_param(slice_cstr(s), pname, forms[i], mm->buf,
		    TEXT_MAX, &cut);
		if (cut)
			mm->warn |= 1U << W_LONG_NAME;
		*cut_bits |= cut;
		if (r >= 0)
			out[n++] = mimemsg_keep(mm, mm->buf, (size_t)r);
	}
	g_free(s);
	return n;
}

/*
 * Walks the mailboxes of list (the members of groups too): with first,
 * the first one's address goes to *first (left empty until then), and
 * every other one to l; without l, the walk stops at the first.
 */
static void
mailboxes(struct mimemsg *mm, InternetAddressList *list,
    struct mailhdr_list *l, int depth, struct slice *first)
{
	int i, n = list ? internet_address_list_length(list) : 0;

	for (i = 0; i < n && (l != NULL || first->n == 0); i++) {
		InternetAddress *a = internet_address_list_get_address(list,
		    i);

		if (INTERNET_ADDRESS_IS_GROUP(a) && depth < 4) {
			mailboxes(mm, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(a)), l, depth + 1, first);
		} else if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			const char *addr = internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(a));

			if (addr == NULL || *addr == '\0')
				continue;
			if (first != NULL && first->n == 0)
				*first = mimemsg_keep(mm, addr, strlen(addr));
			else
				(void)mailhdr_list_add(l, slice_cstr(addr));
		}
	}
}

/*
 * The mailboxes of header h: with take_first, the first one's address is
 * returned and the others go to l (when not NULL); without, all go to l.
 */
static struct slice
addresses(struct mimemsg *mm, GMimeHeader *h, struct mailhdr_list *l,
    int take_first)
{
	InternetAddressList *list;
	struct slice first = SLICE_NONE;
	char *s;

	if (h == NULL)
		return SLICE_NONE;
	s = prepare(mm, raw_value(h));
	list = internet_address_list_parse(mm->opts, s);
	g_free(s);
	if (list == NULL)
		return SLICE_NONE;
	mailboxes(mm, list, l, 0, take_first ? &first : NULL);
	g_object_unref(list);
	return first;
}

/* The From header: address and display name. */
static void
from_header(struct mimemsg *mm, GMimeHeader *h, struct event *ev)
{
	char addr[1024];
	struct rfc2047_mailbox mb = { addr, sizeof addr, 0, mm->buf, TEXT_MAX,
	    0 };
	char *s;

	if (h == NULL)
		return;
	/*
	 * A From may name several authors (RFC 5322): a mail client shows
	 * them all, so a spoofed one may hide behind an honest first.
	 */
	ev->f[EV_HDR_FROM] = addresses(mm, h, &mm->from_more, 1);
	s = prepare(mm, raw_value(h));
	rfc2047_mailbox(slice_cstr(s), 0, &mb);
	g_free(s);
	ev->f[EV_HDR_FROM_NAME] = mimemsg_keep(mm, mb.name, mb.name_n);
	/* GMime found no address (a broken value): take what was there. */
	if (ev->f[EV_HDR_FROM].n == 0)
		ev->f[EV_HDR_FROM] = mimemsg_keep(mm, mb.addr, mb.addr_n);
}

/*
 * The first Message-ID without its angle brackets (GMime's own message
 * id is the last one of several). A value GMime cannot read is kept as
 * written, trimmed.
 */
static struct slice
message_id(struct mimemsg *mm, GMimeHeader *h)
{
	char *s, *id;
	struct slice r;

	if (h == NULL)
		return SLICE_NONE;
	s = prepare(mm, raw_value(h));
	if ((id = g_mime_utils_decode_message_id(s)) != NULL && *id != '\0')
		r = mimemsg_keep(mm, id, strlen(id));
	else
		r = mimemsg_keep(mm, s, strlen(s));
	g_free(id);
	g_free(s);
	return r;
}

/* Milliseconds of a date header text, or -1 when it cannot be read. */
static int
decode_date(struct slice text, int64_t *ms)
{
	char *s = g_strndup(text.p, text.n);
	GDateTime *dt = g_mime_utils_header_decode_date(s);

	g_free(s);
	if (dt == NULL)
		return -1;
	*ms = g_date_time_to_unix(dt) * 1000 +
	    g_date_time_get_microsecond(dt) / 1000;
	g_date_time_unref(dt);
	return 0;
}

/* Whether a hop's address is outside the organisation's networks. */
static int
is_external(const struct ipaddr *ip)
{
	switch (geo_classify(ip)) {
	case GEO_PRIVATE:
	case GEO_SHARED:
	case GEO_LOOPBACK:
	case GEO_LINK_LOCAL:
	case GEO_MULTICAST:
	case GEO_RESERVED:
		return 0;
	default:
		return 1;
	}
}

/*
 * The Received chain from the top (newest): the receiving host of the
 * topmost, the newest date, the first external sending address.
 */
static void
received_chain(struct mimemsg *mm, GMimeObject *obj, struct event *ev,
    int64_t *rcvd_ms, int *has_rcvd)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int i, n = hl ? g_mime_header_list_get_count(hl) : 0, top = 1;
	struct mailhdr_received r;

	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = h ? g_mime_header_get_name(h) : NULL;

		if (name == NULL || g_ascii_strcasecmp(name, "Received") != 0)
			continue;
		mailhdr_received(slice_cstr(raw_value(h)), &r);
		if (top) {
			ev->f[EV_DEVICE] = mimemsg_keep(mm, r.by.p, r.by.n);
			top = 0;
		}
		if (!*has_rcvd && r.date.n && decode_date(r.date, rcvd_ms) == 0)
			*has_rcvd = 1;
		if (ev->f[EV_SRC_IP].n == 0 && r.has_ip &&
		    is_external(&r.ip)) {
			char text[IPADDR_TEXT_MAX];

			event_set_checked(ev, EV_SRC_IP, mimemsg_keep(mm, text,
			    ip_format(text, &r.ip)));
		}
	}
}

/* Puts list l into extra under key when it holds anything. */
static void
extra_list(struct event *ev, const char *key, const struct mailhdr_list *l)
{
	if (l->n > 0)
		event_add_extra_checked(ev, key, slice_make(l->p, l->n));
}

/* The time: Date, else Received, else the mbox line, else the mtime. */
static void
set_time(struct event *ev, GMimeMessage *m, const struct mimemsg_env *env,
    int64_t rcvd_ms, int has_rcvd)
{
	GDateTime *dt = g_mime_message_get_date(m);
	const char *from = NULL;

	ev->has_ts = 1;
	if (dt != NULL && mimemsg_header(GMIME_OBJECT(m), "Date") != NULL) {
		ev->ts_ms = g_date_time_to_unix(dt) * 1000 +
		    g_date_time_get_microsecond(dt) / 1000;
	} else if (has_rcvd) {
		ev->ts_ms = rcvd_ms;
		from = "received";
	} else if (env->has_from_ms) {
		ev->ts_ms = env->from_ms;
		from = "mbox";
	} else if (env->has_mtime) {
		ev->ts_ms = env->mtime_ms;
		from = "mtime";
	} else {
		ev->has_ts = 0;
	}
	if (from != NULL)
		event_add_extra_checked(ev, "ts_from", slice_cstr(from));
}

/*
 * Whether names of attachments or archive members were left out (csm's
 * caps, or the message cut): the checks did not see them, and say so.
 */
static int
attach_was_cut(const struct mimemsg *mm)
{
	return mm->attach_cut || mm->attach.cut || mm->types.cut ||
	    mm->members.cut || (mm->warn & (1U << W_SIZE));
}

/* Fills ev from the parsed message m. */
static void
fill(struct mimemsg *mm, GMimeMessage *m, const struct mimemsg_env *env,
    struct event *ev)
{
	GMimeObject *obj = GMIME_OBJECT(m);
	GMimeHeader *h;
	struct slice a;
	int64_t rcvd_ms = 0;
	int has_rcvd = 0, i;
	static const char *const methods[] = { "spf", "dkim", "dmarc", NULL };

	event_set_checked(ev, EV_LOG, SLICE_LIT("mail"));
	event_set_checked(ev, EV_FORMAT, slice_cstr(mm->fmtname));
	received_chain(mm, obj, ev, &rcvd_ms, &has_rcvd);
	if ((h = mimemsg_header(obj, "Return-Path")) != NULL) {
		char *s = prepare(mm, raw_value(h));
		struct slice rp = mailhdr_return_path(slice_cstr(s));

		ev->f[EV_MAIL_FROM] = mimemsg_keep(mm, rp.p, rp.n);
		g_free(s);
	}
	if (ev->f[EV_MAIL_FROM].n == 0 && env->sender.n)
		ev->f[EV_MAIL_FROM] = env->sender;
	from_header(mm, mimemsg_header(obj, "From"), ev);
	(void)addresses(mm, mimemsg_header(obj, "To"), &mm->rcpt, 0);
	(void)addresses(mm, mimemsg_header(obj, "Cc"), &mm->rcpt, 0);
	if (mm->rcpt.n)
		event_set_checked(ev, EV_RCPT, slice_make(mm->rcpt.p,
		    mm->rcpt.n));
	ev->f[EV_SUBJECT] = decode_text(mm, mimemsg_header(obj, "Subject"));
	ev->f[EV_MSG_ID] = message_id(mm, mimemsg_header(obj, "Message-ID"));
	mimemsg_walk(mm, g_mime_message_get_mime_part(m), 0);
	if (mm->attach.count > 0)
		event_set_checked(ev, EV_ATTACH, slice_make(mm->attach.p,
		    mm->attach.n));
	set_time(ev, m, env, rcvd_ms, has_rcvd);

	a = addresses(mm, mimemsg_header(obj, "Sender"), NULL, 1);
	if (a.n > 0)
		event_add_extra(ev, "sender", a);
	/* Replies go to every Reply-To address: the others are kept too. */
	a = addresses(mm, mimemsg_header(obj, "Reply-To"), &mm->reply_more, 1);
	if (a.n > 0)
		event_add_extra(ev, "reply_to", a);
	extra_list(ev, "reply_to_more", &mm->reply_more);
	if ((h = mimemsg_header(obj, "Authentication-Results")) != NULL)
		for (i = 0; methods[i]; i++) {
			const char *w = mailhdr_auth_verdict(slice_cstr(
			    raw_value(h)), methods[i]);

			if (w != NULL)
				event_add_extra_checked(ev, methods[i],
				    slice_cstr(w));
		}
	extra_list(ev, "from_more", &mm->from_more);
	extra_list(ev, "attach_type", &mm->types);
	if (attach_was_cut(mm))
		event_add_extra_checked(ev, "attach_cut", SLICE_LIT("1"));
	extra_list(ev, "archive_member", &mm->members);
	extra_list(ev, "archive_encrypted", &mm->encrypted);
	extra_list(ev, "archive_error", &mm->broken);
}

/* The mime_warning words of mm->warn joined with ',', into out. */
static size_t
warn_text(unsigned warn, char *out, size_t cap)
{
	size_t n = 0, k;
	int i;

	for (i = 0; i < W_NWORDS; i++) {
		if (!(warn & (1U << i)))
			continue;
		k = strlen(warn_words[i]);
		if (n + k + 1 >= cap)
			break;
		if (n)
			out[n++] = ',';
		memcpy(out + n, warn_words[i], k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

static void
reset(struct mimemsg *mm)
{
	mm->warn = 0;
	mm->attach_cut = 0;
	g_string_chunk_clear(mm->text);
	mailhdr_list_clear(&mm->rcpt);
	mailhdr_list_clear(&mm->attach);
	mailhdr_list_clear(&mm->types);
	mailhdr_list_clear(&mm->members);
	mailhdr_list_clear(&mm->encrypted);
	mailhdr_list_clear(&mm->broken);
	mailhdr_list_clear(&mm->from_more);
	mailhdr_list_clear(&mm->reply_more);
}

enum line_result
mimemsg_emit(struct mimemsg *mm, struct slice msg,
    const struct mimemsg_env *env, struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	const char *origin = ev->origin_file;
	const char *what = env->what ? env->what : "";
	const char *sep = env->what ? ": " : "";
	GByteArray *arr;
	GMimeStream *st;
	GMimeParser *parser;
	GMimeMessage *m;
	GMimeHeaderList *hl;
	char words[256];
	size_t nw;

	reset(mm);
	if (msg.n == 0)
		return fmt_reject(ctx, "%s%sempty message", what, sep);
	/*
	 * GMime reads the caller's bytes in place: the array only lends them
	 * to the stream, which does not own it, and is taken apart again
	 * below without freeing them.
	 */
	arr = g_byte_array_new_take((guint8 *)(uintptr_t)msg.p, msg.n);
	st = g_mime_stream_mem_new_with_byte_array(arr);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(st), FALSE);
	parser = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	m = g_mime_parser_construct_message(parser, mm->opts);
	g_object_unref(parser);
	hl = m ? g_mime_object_get_header_list(GMIME_OBJECT(m)) : NULL;
	if (hl == NULL || g_mime_header_list_get_count(hl) == 0) {
		if (m)
			g_object_unref(m);
		g_object_unref(st);
		(void)g_byte_array_free(arr, FALSE);
		return fmt_reject(ctx, "%s%snot a mail message: no header "
		    "fields", what, sep);
	}
	event_clear(ev);
	ev->origin_file = origin;
	ev->origin_line = env->line;
	if (env->cut)
		mm->warn |= 1U << W_SIZE;
	fill(mm, m, env, ev);
	/* Words: static ASCII, no escaping needed. */
	if ((nw = warn_text(mm->warn, words, sizeof words)) > 0)
		event_add_extra_checked(ev, "mime_warning", slice_make(words,
		    nw));
	ctx->emit(ctx, ev);
	if (nw > 0)
		fmt_warn(ctx, env->recno ? env->recno : env->line,
		    "%s%sbroken MIME (%s): the event "
		    "holds what could be read", what, sep, words);
	if (attach_was_cut(mm))
		fmt_warn(ctx, env->recno ? env->recno : env->line,
		    "%s%smore attachment or archive member names than are "
		    "kept: the rest left out (attach_cut)", what, sep);
	g_object_unref(m);
	g_object_unref(st);
	(void)g_byte_array_free(arr, FALSE);
	reset(mm);
	return LINE_USED;
}
