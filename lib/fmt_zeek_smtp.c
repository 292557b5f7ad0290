/*
 * fmt_zeek_smtp.c: Zeek (Bro) smtp.log, one record per SMTP transaction
 * (one message) that Zeek saw on the wire: the zeek-smtp format (the
 * ASCII/TSV writer's form, columns taken by name from each header block's
 * #fields through zeek.c) and the smtp mapping that zeek-json uses for
 * smtp records too. The envelope comes from the MAIL FROM and RCPT TO
 * commands (mailfrom, the rcptto set); the header From, Subject and
 * Message-ID are the header values as sent, so the From is split into
 * address and display name and encoded-words are decoded to UTF-8
 * (rfc2047.h). Attachments are not in smtp.log (its fuids point into
 * files.log) and go to extra as they are. Only plaintext SMTP is visible:
 * after STARTTLS (tls=T) the envelope and headers are empty. Zeek sees
 * traffic, not a policy: action stays empty and the server's last reply
 * goes to extra.
 */
#include "fmt.h"
#include "num.h"
#include "rfc2047.h"
#include "zeek_view.h"

#define ZS_VAL 1024		/* one decoded header value */

enum zs_col {
	ZS_UID = ZEEK_VIEW_UID, ZS_TRANS_DEPTH = ZEEK_VIEW_NID, ZS_HELO,
	ZS_MAILFROM, ZS_RCPTTO, ZS_FROM, ZS_REPLY_TO, ZS_MSG_ID, ZS_SUBJECT,
	ZS_X_ORIG_IP, ZS_LAST_REPLY, ZS_PATH, ZS_USER_AGENT, ZS_TLS,
	ZS_FUIDS, ZS_IS_WEBMAIL, ZS_NCOLS
};

static const char *const zs_names[ZS_NCOLS] = {
	ZEEK_VIEW_ID_NAMES, "trans_depth", "helo", "mailfrom", "rcptto",
	"from", "reply_to", "msg_id", "subject", "x_originating_ip",
	"last_reply", "path", "user_agent", "tls", "fuids", "is_webmail"
};

/* Without #path, these columns mark the log. */
static const char *const zs_sniff_cols[] = {
	"id.orig_h", "mailfrom", "rcptto", NULL
};

static enum line_result zeek_smtp_map(const struct zeek_view_rec *r,
    struct parse_ctx *ctx);

const struct zeek_view_spec fmt_zeek_smtp_spec = {
	.fmt = "zeek-smtp",
	.kind = "smtp",
	.key = "mailfrom",
	.key_always = 0,
	.not_kind = "not an smtp log",
	.names = zs_names,
	.ncols = ZS_NCOLS,
	.sniff_cols = zs_sniff_cols,
	.map = zeek_smtp_map,
};

static int
zeek_smtp_sniff(const struct slice *lines, int n)
{
	return zeek_view_sniff(&fmt_zeek_smtp_spec, lines, n);
}

static void *
zeek_smtp_open(struct parse_ctx *ctx)
{
	return zeek_view_open(&fmt_zeek_smtp_spec, ctx);
}

/* An address as sent: "<a@b>" loses its angle brackets. */
static struct slice
unangle(struct slice s)
{
	if (s.n >= 2 && s.p[0] == '<' && s.p[s.n - 1] == '>')
		return slice_make(s.p + 1, s.n - 2);
	return s;
}

static enum line_result
zeek_smtp_map(const struct zeek_view_rec *r, struct parse_ctx *ctx)
{
	static const struct {
		enum zs_col c;
		const char *key;
	} extras[] = {
		{ ZS_UID, "uid" }, { ZS_TRANS_DEPTH, "trans_depth" },
		{ ZS_HELO, "helo" }, { ZS_X_ORIG_IP, "x_originating_ip" },
		{ ZS_LAST_REPLY, "last_reply" }, { ZS_USER_AGENT, "user_agent" },
		{ ZS_TLS, "tls" }, { ZS_IS_WEBMAIL, "is_webmail" }
	};
	char a[ZS_VAL], nm[ZS_VAL];
	struct rfc2047_mailbox mb = { a, sizeof a, 0, nm, sizeof nm, 0 };
	struct event *ev = ctx->ev;
	struct slice v;
	uint64_t depth;
	size_t i;

	if (zeek_view_has(r, ZS_TRANS_DEPTH) &&
	    num_parse_u64(r->val[ZS_TRANS_DEPTH], UINT32_MAX, &depth) != 0)
		return zeek_view_bad(r, ctx, ZS_TRANS_DEPTH);
	ev->f[EV_LOG] = SLICE_LIT("mail");
	ev->f[EV_PROTO] = SLICE_LIT("tcp");
	if (r->kind[ZS_MAILFROM] == ZEEK_EMPTY)
		ev->f[EV_MAIL_FROM] = SLICE_LIT("<>");	/* the null sender */
	else
		ev->f[EV_MAIL_FROM] = unangle(zeek_view_str(r, ZS_MAILFROM,
		    ev));
	zeek_view_set_col(r, ev, ZS_RCPTTO, EV_RCPT);
	if ((v = zeek_view_str(r, ZS_FROM, ev)).n) {
		rfc2047_mailbox(v, 0, &mb);
		ev->f[EV_HDR_FROM] = event_keep(ev, a, mb.addr_n);
		ev->f[EV_HDR_FROM_NAME] = event_keep(ev, nm, mb.name_n);
	}
	if ((v = zeek_view_str(r, ZS_SUBJECT, ev)).n)
		ev->f[EV_SUBJECT] = event_keep(ev, nm, rfc2047_decode(nm,
		    sizeof nm, v, 0));
	ev->f[EV_MSG_ID] = zeek_view_str(r, ZS_MSG_ID, ev);
	for (i = 0; i < sizeof extras / sizeof extras[0]; i++)
		zeek_view_extra(r, ev, extras[i].c, extras[i].key);
	if ((v = zeek_view_str(r, ZS_REPLY_TO, ev)).n) {
		rfc2047_mailbox(v, 0, &mb);
		if (mb.addr_n)
			event_add_extra(ev, "reply_to", event_keep(ev, a,
			    mb.addr_n));
	}
	zeek_view_set_extra(r, ev, ZS_PATH, "path");
	zeek_view_set_extra(r, ev, ZS_FUIDS, "fuids");
	return fmt_emit(ctx);
}

const struct fmt fmt_zeek_smtp = {
	.name = "zeek-smtp",
	.log = "mail",
	.summary = "Zeek/Bro smtp.log (TSV with #fields header)",
	.sniff = zeek_smtp_sniff,
	.open = zeek_smtp_open,
	.line = zeek_view_line,
	.close = zeek_view_close,
};
