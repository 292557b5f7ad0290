/*
 * fmt_postfix.c: Postfix in syslog, one event per message. A message's
 * lines carry its queue ID (short upper-case hex, or a long queue ID) and
 * come from several programs: smtpd (client=, SASL login), pickup (uid=,
 * local submission), cleanup (message-id=, and the header_checks and
 * mime_header_checks lines "warning: header From: ... from host[ip];
 * from=<> to=<> proto= helo=<>" through which sites log the header From,
 * Subject and attachment names), qmgr (envelope from=, size=, nrcpt=,
 * removed) and the delivery agents (to=, relay=, status=). They are joined
 * in a table of messages in flight (mailq.h) and a message becomes one
 * event at qmgr's "removed". Check and action lines that refuse a message
 * (reject, discard, milter-reject at end of data or on a header) make it
 * a deny; one refused at RCPT only marks that recipient. Refusals before
 * a queue file exists (NOQUEUE) are events of their own. Postfix cuts a
 * logged header at 200 bytes and writes a folded line break as '?';
 * encoded-words are decoded to UTF-8 (rfc2047.h). Lines of other programs
 * and Postfix lines that name no message are skipped. An address is the
 * sender's text: one in <...> is read whole, quoted local part and all
 * (mailq_addr_end), and the fields after it must have the shape Postfix
 * gives them; one logged unquoted that spells them makes the line read
 * two ways, and none of it is taken (count_ends). The trailer of
 * check and header lines, after the client's HELO, reply words and header
 * value, is found by pftrail.h: a line it reads two ways gives none of
 * its fields and makes the event ambiguous.
 */
#include <string.h>
#include "envelope.h"
#include "fmt.h"
#include "mailq.h"
#include "num.h"
#include "pftrail.h"
#include "rfc2047.h"

#define PF_VAL 1024		/* one decoded header value */
#define PF_DIGITS "0123456789"

/* Priorities of the sources of the envelope sender. */
enum { FROM_CHECK = 1, FROM_PICKUP = 2, FROM_QMGR = 3 };

/* The line being read: where its message is found once it is checked. */
struct pf_line {
	struct mailq_input *st;
	struct parse_ctx *ctx;
	struct slice dev, qid;
	int start;
};

/*
 * Whether w is a queue ID: short (five hex digits of microseconds, then
 * the inode in hex) or long (time in Postfix's 52-letter alphabet, which
 * has no vowels, at least ten of them, 'z', then the inode).
 */
static int
is_qid(struct slice w)
{
	static const char safe[] = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
	    "bcdfghjklmnpqrstvwxyz";
	size_t i, hex = 0, lg = 0, z = 0;

	if (w.n < 6 || w.n > 32)
		return 0;
	for (i = 0; i < w.n; i++) {
		char c = w.p[i];

		hex += (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
		lg += c != '\0' && strchr(safe, c) != NULL;
		if (c == 'z' && i >= 10)
			z = i;
	}
	return hex == w.n || (lg == w.n && z != 0);
}

/* Whether the action word of a check or header line refuses the mail. */
static int
is_deny(struct slice action)
{
	return slice_eq(action, "reject") || slice_eq(action, "discard") ||
	    slice_eq(action, "milter-reject") ||
	    slice_eq(action, "milter-discard") ||
	    slice_eq(action, "proxy-reject");
}

/*
 * The message the line is about, found or opened only once the line has
 * been read without fault; NULL (with the line rejected) when memory runs
 * out.
 */
static struct mailq_msg *
get_msg(struct pf_line *pl)
{
	struct mailq_msg *m = mailq_get(pl->st->q, pl->ctx, pl->dev, pl->qid,
	    pl->start);

	if (m == NULL)
		fmt_reject(pl->ctx, "out of memory");
	return m;
}

/* Takes the trailer's sender, HELO and protocol (when not known yet). */
static void
take_trail(struct mailq_msg *m, const struct pftrail *t)
{
	mailq_set_from(m, t->from, FROM_CHECK);
	if (m->len[MQ_HELO] == 0)
		mailq_set_text(m, MQ_HELO, t->helo);
	if (m->len[MQ_PROTO] == 0)
		mailq_set_text(m, MQ_PROTO, t->proto);
}

/*
 * Warns of a line whose client's text spells a second trailer (all), or
 * whose HELO holds ">: " before the site's text and is not smtpd's.
 */
static void
warn_ambiguous(struct parse_ctx *ctx, int all)
{
	if (all)
		fmt_warn(ctx, ctx->ev->origin_line, "postfix: the client's "
		    "text (HELO, address, reply, header) spells a second "
		    "trailer: from, to, proto and helo left empty, "
		    "ambiguous=1");
	else
		fmt_warn(ctx, ctx->ev->origin_line, "postfix: the HELO holds "
		    "'>: ' after a byte smtpd would have replaced: it and the "
		    "text after it left empty, ambiguous=1");
}

/* A recipient refused: listed with status reject, unless it has one. */
static void
reject_rcpt(struct mailq_msg *m, struct slice to)
{
	struct mailq_item *it = mailq_add_item(m, MQ_RCPT, to);

	if (it && it->status == MQ_ST_NONE)
		it->status = MQ_ST_REJECT;
}

/* "NOQUEUE: ACTION: STAGE from ...": a refusal is an event of its own. */
static enum line_result
on_noqueue(struct parse_ctx *ctx, const struct envelope *env,
    struct slice rest)
{
	struct event *ev = ctx->ev;
	struct slice action = slice_next_token(&rest);
	struct pftrail_check c;
	char q[200];

	if (action.n < 2 || action.p[action.n - 1] != ':')
		return LINE_SKIPPED;
	action.n--;
	if (!is_deny(action))
		return LINE_SKIPPED;	/* warn, filter, hold: not final */
	if (pftrail_check(rest, &c) != 0)
		return fmt_reject(ctx, "postfix: bad NOQUEUE line '%s'",
		    diag_quote(q, sizeof q, rest));
	event_set_checked(ev, EV_LOG, SLICE_LIT("mail"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("postfix"));
	ev->f[EV_DEVICE] = env->host;
	fmt_set_addr(ev, EV_SRC_IP, c.addr);
	event_set_checked(ev, EV_SRC_PORT, c.port);
	ev->f[EV_MAIL_FROM] = c.t.from.p && c.t.from.n == 0 ?
	    SLICE_LIT("<>") : c.t.from;
	ev->f[EV_RCPT] = c.t.to;
	event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	if (c.name.n && !slice_eq(c.name, "unknown"))
		event_add_extra(ev, "client", c.name);
	if (c.t.helo.n)
		event_add_extra(ev, "helo", c.t.helo);
	if (c.t.proto.n)
		event_add_extra(ev, "proto", c.t.proto);
	event_add_extra(ev, "stage", c.stage);
	if (c.t.to.n)
		event_add_extra_checked(ev, "status", SLICE_LIT("reject"));
	if (!slice_eq(action, "reject"))
		event_add_extra(ev, "pf_action", action);
	event_add_extra(ev, "reject", c.reply);
	if (c.ambiguous) {
		event_add_extra_checked(ev, "ambiguous", SLICE_LIT("1"));
		event_add_extra(ev, "unparsed", c.unparsed);
		warn_ambiguous(ctx, 1);
	}
	return fmt_emit(ctx);
}

/*
 * "ACTION: STAGE from CLIENT: REPLY; ..." for a message. Actions that do
 * not refuse (warning, hold, filter) come in other shapes too: those are
 * skipped.
 */
static enum line_result
on_check(struct pf_line *pl, struct slice action, struct slice rest)
{
	struct mailq_msg *m;
	struct pftrail_check c;
	char q[200];

	if (pftrail_check(rest, &c) != 0) {
		if (!is_deny(action))
			return LINE_SKIPPED;
		return fmt_reject(pl->ctx, "postfix: bad reject line '%s'",
		    diag_quote(q, sizeof q, rest));
	}
	if ((m = get_msg(pl)) == NULL)
		return LINE_REJECTED;
	if (m->len[MQ_IP] == 0)
		mailq_set_client(m, c.name, c.addr, c.port);
	take_trail(m, &c.t);
	if (c.ambiguous) {
		mailq_set_ambiguous(m, c.unparsed);
		warn_ambiguous(pl->ctx, 1);
	}
	if (!is_deny(action))
		return LINE_USED;
	/*
	 * Refused at RCPT, only that recipient is: the message goes on, also
	 * when which recipient it was is not known.
	 */
	if (!slice_eq(c.stage, "RCPT") || (c.t.to.n == 0 && !c.ambiguous))
		m->deny = 1;
	reject_rcpt(m, c.t.to);
	mailq_set_text(m, MQ_REJECT, c.reply);
	return LINE_USED;
}

/*
 * Records a header that header_checks logged. Returns rfc2047_param's
 * RFC2047_CUT_* bits for an attachment's name that was not kept whole.
 */
static int
take_header(struct mailq_msg *m, struct slice name, struct slice value)
{
	char a[PF_VAL], nm[PF_VAL];
	struct rfc2047_mailbox mb = { a, sizeof a, 0, nm, sizeof nm, 0 };
	long n;
	int cut = 0;

	if (slice_eq_nocase(name, "From") && m->len[MQ_HDR_FROM] == 0 &&
	    m->len[MQ_NAME] == 0) {
		rfc2047_mailbox(value, RFC2047_FOLDED, &mb);
		mailq_set_text(m, MQ_HDR_FROM, slice_make(a, mb.addr_n));
		mailq_set_text(m, MQ_NAME, slice_make(nm, mb.name_n));
	} else if (slice_eq_nocase(name, "Reply-To")) {
		rfc2047_mailbox(value, RFC2047_FOLDED, &mb);
		mailq_set_text(m, MQ_REPLY_TO, slice_make(a, mb.addr_n));
	} else if (slice_eq_nocase(name, "Subject") &&
	    m->len[MQ_SUBJECT] == 0) {
		mailq_set_text(m, MQ_SUBJECT, slice_make(nm, rfc2047_decode(nm,
		    sizeof nm, value, RFC2047_FOLDED)));
	} else if (slice_eq_nocase(name, "Content-Type") ||
	    slice_eq_nocase(name, "Content-Disposition")) {
		const char *p = slice_eq_nocase(name, "Content-Type") ?
		    "name" : "filename";
		char plain[PF_VAL];
		int pcut = 0;
		long pn;

		n = rfc2047_param(value, p, RFC2047_FOLDED, nm, sizeof nm,
		    &cut);
		if (n > 0)
			mailq_add_item(m, MQ_ATTACH, slice_make(nm, (size_t)n));
		/* A program without RFC 2231 shows the plain name. */
		pn = rfc2047_param(value, p, RFC2047_FOLDED | RFC2047_PLAIN,
		    plain, sizeof plain, &pcut);
		if (pn > 0 && (pn != n || memcmp(plain, nm, (size_t)pn) != 0))
			mailq_add_item(m, MQ_ATTACH, slice_make(plain,
			    (size_t)pn));
	}
	return cut;
}

/*
 * "ACTION: header NAME: VALUE from ORIGIN; trailer[: TEXT]" (or "body
 * TEXT from ..."). The value is the sender's and the HELO the client's:
 * where either spells a second " from ORIGIN; trailer" (pftrail.h), the
 * line adds to the message only that it was refused, if it was.
 */
static enum line_result
on_header(struct pf_line *pl, struct slice action, struct slice rest)
{
	struct slice cls = slice_next_token(&rest), name = SLICE_NONE, value;
	struct slice cn, ca, cp;
	struct parse_ctx *ctx = pl->ctx;
	struct pftrail_header h;
	struct mailq_msg *m;
	size_t end;
	long colon;
	int cut;
	char q[200];

	if (pftrail_header(rest, &h) != 0)
		return fmt_reject(ctx, "postfix: no ' from ' after the %.*s '%s'",
		    (int)cls.n, cls.p, diag_quote(q, sizeof q, rest));
	value = h.value;
	if (slice_eq(cls, "header") && !h.ambiguous) {
		if ((colon = slice_find(value, ':')) <= 0 ||
		    slice_find(slice_make(value.p, (size_t)colon), ' ') >= 0)
			return fmt_reject(ctx, "postfix: no header name in '%s'",
			    diag_quote(q, sizeof q, value));
		name = slice_make(value.p, (size_t)colon);
		value = slice_trim(slice_from(value, (size_t)colon + 1));
	}
	if ((m = get_msg(pl)) == NULL)
		return LINE_REJECTED;
	if (h.ambiguous || h.t.helo_unsure) {
		mailq_set_ambiguous(m, h.unparsed);
		warn_ambiguous(ctx, h.ambiguous);
	}
	if (m->len[MQ_IP] == 0 && pftrail_client(h.origin, &cn, &ca, &cp,
	    &end) == 0 && end == h.origin.n)
		mailq_set_client(m, cn, ca, cp);
	take_trail(m, &h.t);
	if (name.n && (cut = take_header(m, name, value)) != 0)
		fmt_warn(ctx, ctx->ev->origin_line, "postfix: attachment name "
		    "%s", cut & RFC2047_CUT_PARTS ? "in more than 64 "
		    "continuations: those past them left out" : "too long: "
		    "its middle left out, its end kept");
	if (is_deny(action)) {
		m->deny = 1;
		reject_rcpt(m, h.t.to);
		mailq_set_text(m, MQ_REJECT, h.t.text);
	}
	return LINE_USED;
}

/* "client=NAME[ADDR][:PORT][, sasl_method=M, sasl_username=U, ...]" */
static enum line_result
on_client(struct pf_line *pl, struct slice rest)
{
	struct slice name, addr, port, kv;
	struct mailq_msg *m;
	size_t end;
	char q[200];

	if (pftrail_client(rest, &name, &addr, &port, &end) != 0)
		return fmt_reject(pl->ctx, "postfix: bad client '%s'",
		    diag_quote(q, sizeof q, rest));
	if ((m = get_msg(pl)) == NULL)
		return LINE_REJECTED;
	mailq_set_client(m, name, addr, port);
	rest = slice_from(rest, end);
	while (slice_has_prefix(rest, ", ")) {
		long c;

		rest = slice_from(rest, 2);
		c = slice_find(rest, ',');
		kv = c < 0 ? rest : slice_make(rest.p, (size_t)c);
		rest = slice_from(rest, kv.n);
		if (slice_has_prefix(kv, "sasl_username="))
			mailq_set_text(m, MQ_USER, slice_from(kv, 14));
		else if (slice_has_prefix(kv, "sasl_method="))
			mailq_set_text(m, MQ_METHOD, slice_from(kv, 12));
	}
	return LINE_USED;
}

/*
 * The fields after the address of a qmgr or delivery line, as Postfix
 * writes them (qmgr_message.c, qmgr_active.c, log_adhoc.c). Postfix
 * before 3.5, and later ones with info_log_address_format = internal,
 * log a quoted local part without its quotes, so the address may spell
 * them: '>', then ", size=1" or ", status=sent (250 ok)". All but a
 * delivery's status text have a fixed shape, so the line is checked
 * against it from every '>' where the address might end (count_ends):
 * it is certain only where one place reads and that is where the address
 * ends at first sight (addr_end); else the address, or the status text,
 * says something of the line that Postfix may not have.
 */
struct pf_tail {
	struct slice relay, status, size, nrcpt;
	int expired;
};

typedef int (*tail_fn)(struct slice s, struct pf_tail *t);

/*
 * Takes ", KEY=VALUE" off the front of *s when VALUE, up to the next ','
 * or the end, is one or more bytes of set (NULL: any but ' ', '<', '>'
 * and '"', a relay's). Returns 1 when taken, 0 with *s as it was.
 */
static int
take_fixed(struct slice *s, const char *key, const char *set,
    struct slice *val)
{
	size_t k = strlen(key), i;
	int bad;

	if (s->n < k + 4 || s->p[0] != ',' || s->p[1] != ' ' ||
	    memcmp(s->p + 2, key, k) != 0 || s->p[k + 2] != '=')
		return 0;
	for (i = k + 3; i < s->n && s->p[i] != ','; i++) {
		bad = set ? s->p[i] == '\0' || strchr(set, s->p[i]) == NULL :
		    memchr(" <>\"", s->p[i], 4) != NULL;
		if (bad)
			return 0;
	}
	if (i == k + 3)
		return 0;
	*val = slice_make(s->p + k + 3, i - k - 3);
	*s = slice_from(*s, i);
	return 1;
}

/*
 * A delivery's ", relay=R[, conn_use=N], delay=D[, delays=A/B/C/D][,
 * dsn=X.Y.Z], status=WORD (TEXT": the status text is the remote
 * server's and runs to the end (a syslog daemon may have cut it).
 */
static int
deliv_tail(struct slice s, struct pf_tail *t)
{
	struct slice v;
	size_t i;

	memset(t, 0, sizeof *t);
	if (!take_fixed(&s, "relay", NULL, &t->relay))
		return 0;
	(void)take_fixed(&s, "conn_use", PF_DIGITS, &v);
	if (!take_fixed(&s, "delay", PF_DIGITS ".e+-", &v))
		return 0;
	(void)take_fixed(&s, "delays", PF_DIGITS ".e+-/", &v);
	(void)take_fixed(&s, "dsn", PF_DIGITS ".", &v);
	if (!slice_has_prefix(s, ", status="))
		return 0;
	s = slice_from(s, 9);
	/* "sent", ..., also "SOFTBOUNCE", "undeliverable-but-not-cached". */
	for (i = 0; i < s.n && ((s.p[i] >= 'a' && s.p[i] <= 'z') ||
	    (s.p[i] >= 'A' && s.p[i] <= 'Z') || s.p[i] == '-'); i++)
		;
	t->status = slice_make(s.p, i);
	return i > 0 && slice_has_prefix(slice_from(s, i), " (");
}

/*
 * qmgr's ", size=N, nrcpt=N (queue active)" or ", status=expired,
 * returned to sender", which ends the line: no text of the sender's
 * follows it.
 */
static int
qmgr_tail(struct slice s, struct pf_tail *t)
{
	uint64_t v;
	size_t i;

	memset(t, 0, sizeof *t);
	if (slice_eq(s, ", status=expired, returned to sender"))
		return t->expired = 1;
	if (!take_fixed(&s, "size", PF_DIGITS, &t->size) ||
	    !slice_has_prefix(s, ", nrcpt="))
		return 0;
	s = slice_from(s, 8);
	for (i = 0; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
		;
	t->nrcpt = slice_make(s.p, i);
	return num_parse_u64(t->size, UINT64_MAX, &v) == 0 &&
	    num_parse_u64(t->nrcpt, UINT64_MAX, &v) == 0 &&
	    slice_eq(slice_from(s, i), " (queue active)");
}

/*
 * Where the last address of s (which opens with '<') may end: each '>'
 * after which tail reads the rest of the line. Returns how many (2 for
 * two or more), with the first's offset in *at and its fields in *t.
 */
static int
count_ends(struct slice s, tail_fn tail, struct pf_tail *t, long *at)
{
	struct pf_tail r;
	const char *p;
	size_t i = 1;
	int n = 0;

	*at = -1;
	while (n < 2 && i < s.n && (p = memchr(s.p + i, '>', s.n - i))) {
		i = (size_t)(p - s.p);
		if (tail(slice_from(s, i + 1), &r) && n++ == 0) {
			*t = r;
			*at = (long)i;
		}
		i++;
	}
	return n;
}

/*
 * The end of the address opening at s.p[i] ('<') as it reads at first
 * sight: the first '>' outside a quoted local part (mailq_addr_end) that
 * ", " or the end of s follows. Returns its offset, or -1.
 */
static long
addr_end(struct slice s, size_t i)
{
	long e = (long)i;

	while ((e = mailq_addr_end(s, (size_t)e)) >= 0 &&
	    (size_t)e + 1 < s.n && !slice_has_prefix(slice_from(s,
	    (size_t)e + 1), ", "))
		;
	return e;
}

/* qmgr: "from=<S>, size=N, nrcpt=N (queue active)", or expired. */
static enum line_result
on_qmgr_from(struct pf_line *pl, struct slice rest)
{
	struct slice s = slice_from(rest, 5);
	struct pf_tail t;
	struct mailq_msg *m;
	long e, at;
	char q[200];

	if (!slice_has_prefix(s, "<") || (e = addr_end(s, 0)) < 0)
		return fmt_reject(pl->ctx, "postfix: unclosed from=<'%s'",
		    diag_quote(q, sizeof q, rest));
	/* The shape ends the line: one place at most reads. */
	if (count_ends(s, qmgr_tail, &t, &at) == 0)
		return fmt_reject(pl->ctx, "postfix: bad size or nrcpt '%s'",
		    diag_quote(q, sizeof q, slice_from(s, (size_t)e + 1)));
	if ((m = get_msg(pl)) == NULL)
		return LINE_REJECTED;
	/*
	 * The shape holds no '>' and ends the line, so it is Postfix's own
	 * wherever the address ends: size and nrcpt are certain either way.
	 */
	if (at != e) {
		/* "ceo@corp.example>, size=1"@evil.example */
		mailq_unset_from(m, FROM_QMGR);
		mailq_set_ambiguous(m, rest);
		fmt_warn(pl->ctx, pl->ctx->ev->origin_line, "postfix: the "
		    "sender's address spells the fields after it (an address "
		    "logged unquoted): sender left empty, ambiguous=1");
	} else {
		mailq_set_from(m, slice_make(s.p + 1, (size_t)e - 1),
		    FROM_QMGR);
	}
	mailq_set_text(m, MQ_SIZE, t.size);
	mailq_set_text(m, MQ_NRCPT, t.nrcpt);
	if (t.expired)
		m->expired = 1;
	mailq_set_queued(pl->st->q, m);
	return LINE_USED;
}

/* A delivery agent: "to=<R>, [orig_to=<O>, ]relay=X, ..., status=W (...)" */
static enum line_result
on_delivery(struct pf_line *pl, struct slice rest)
{
	struct slice s = slice_from(rest, 3);
	struct mailq_item *it;
	struct mailq_msg *m;
	struct pf_tail t;
	long e, end, at;
	char q[200];
	int n;

	if (!slice_has_prefix(s, "<") || (e = addr_end(s, 0)) < 0)
		return fmt_reject(pl->ctx, "postfix: unclosed to=<'%s'",
		    diag_quote(q, sizeof q, rest));
	end = e;
	if (slice_has_prefix(slice_from(s, (size_t)e + 1), ", orig_to=<") &&
	    (end = addr_end(s, (size_t)e + 11)) < 0)
		return fmt_reject(pl->ctx, "postfix: unclosed orig_to=<'%s'",
		    diag_quote(q, sizeof q, slice_from(s, (size_t)e + 1)));
	/*
	 * The status text is the remote server's: it may spell a second
	 * "R>, relay=..., status=sent (" as well as the address can.
	 */
	if ((n = count_ends(s, deliv_tail, &t, &at)) == 0)
		return fmt_reject(pl->ctx, "postfix: bad delivery fields '%s'",
		    diag_quote(q, sizeof q, slice_from(s, (size_t)e + 1)));
	if ((m = get_msg(pl)) == NULL)
		return LINE_REJECTED;
	if (n > 1 || at != end) {
		mailq_set_ambiguous(m, rest);
		fmt_warn(pl->ctx, pl->ctx->ev->origin_line, "postfix: the "
		    "delivery reads two ways (a recipient logged unquoted, or "
		    "the reply, spells its fields): the recipient, relay and "
		    "status left out, ambiguous=1");
		return LINE_USED;
	}
	if ((it = mailq_add_item(m, MQ_RCPT, slice_make(s.p + 1,
	    (size_t)e - 1))) != NULL)
		it->status = (uint8_t)mailq_status_of(t.status);
	if (!slice_eq(t.relay, "none"))
		mailq_add_item(m, MQ_RELAY, t.relay);
	return LINE_USED;
}

/*
 * Takes off rest the " orig_id=ID" pickup adds after the sender of mail
 * requeued with postsuper -r, when there is one.
 */
static void
cut_orig_id(struct slice *rest)
{
	size_t i = rest->n;

	while (i > 0 && rest->p[i - 1] != ' ')
		i--;
	if (i > 0 && slice_has_prefix(slice_from(*rest, i), "orig_id=") &&
	    is_qid(slice_from(*rest, i + 8)))
		rest->n = i - 1;
}

/*
 * "uid=N from=<S>" of pickup (mail submitted on the host), and
 * " orig_id=ID" after it for requeued mail: the sender runs to the end of
 * the line or to that, whatever it holds.
 */
static enum line_result
on_pickup(struct pf_line *pl, struct slice rest)
{
	struct slice uid = slice_next_word(&rest);
	struct mailq_msg *m;
	char q[200];

	rest = slice_trim(rest);
	cut_orig_id(&rest);
	if (!slice_has_prefix(rest, "from=<") || rest.p[rest.n - 1] != '>')
		return fmt_reject(pl->ctx, "postfix: bad pickup line '%s'",
		    diag_quote(q, sizeof q, rest));
	if ((m = get_msg(pl)) == NULL)
		return LINE_REJECTED;
	mailq_set_text(m, MQ_UID, slice_from(uid, 4));
	mailq_set_from(m, slice_make(rest.p + 6, rest.n - 7), FROM_PICKUP);
	return LINE_USED;
}

/* The new queue ID of a bounce: "sender non-delivery notification: ID". */
static struct slice
ndr_of(struct slice rest)
{
	static const char lit[] = "sender non-delivery notification: ";

	if (!slice_has_prefix(rest, lit))
		return SLICE_NONE;
	return slice_trim(slice_from(rest, sizeof lit - 1));
}

/* The word before ": " that starts rest, as an action, or empty. */
static struct slice
action_word(struct slice rest)
{
	size_t i;

	for (i = 0; i < rest.n && ((rest.p[i] >= 'a' && rest.p[i] <= 'z') ||
	    rest.p[i] == '-' || rest.p[i] == '_'); i++)
		;
	if (i == 0 || i + 1 >= rest.n || rest.p[i] != ':' ||
	    rest.p[i + 1] != ' ')
		return SLICE_NONE;
	return slice_make(rest.p, i);
}

static enum line_result
pf_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct mailq_input *st = state;
	struct slice rest, qid, action, ndr = SLICE_NONE;
	struct envelope env;
	struct mailq_msg *m;
	struct pf_line pl;
	long colon;
	char q[200];

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (envelope_parse(line, &st->ey, &env) != 0)
		return fmt_reject(ctx, "postfix: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	/* postfix/smtpd, postfix-out/qmgr, postfix/submission/smtpd */
	if (!slice_has_prefix(env.tag, "postfix") ||
	    slice_find(env.tag, '/') < 0)
		return LINE_SKIPPED;
	if (env.host.n > 255)
		return fmt_reject(ctx, "postfix: host name too long '%s'",
		    diag_quote(q, sizeof q, env.host));
	ctx->ev->ts_ms = env.ts_ms;
	ctx->ev->has_ts = env.has_ts;
	if (env.has_ts)
		mailq_expire(st->q, ctx, env.ts_ms);
	rest = env.msg;
	if ((colon = slice_find(rest, ':')) <= 0 || (size_t)colon + 1 >=
	    rest.n || rest.p[colon + 1] != ' ')
		return LINE_SKIPPED;
	qid = slice_make(rest.p, (size_t)colon);
	rest = slice_trim(slice_from(rest, (size_t)colon + 2));
	if (slice_eq(qid, "NOQUEUE"))
		return on_noqueue(ctx, &env, rest);
	if (!is_qid(qid))
		return LINE_SKIPPED;	/* warning:, statistics:, ... */
	pl.st = st;
	pl.ctx = ctx;
	pl.dev = env.host;
	pl.qid = qid;
	pl.start = slice_has_prefix(rest, "client=") ||
	    slice_has_prefix(rest, "uid=");
	if (slice_has_prefix(rest, "client="))
		return on_client(&pl, slice_from(rest, 7));
	if (pl.start)
		return on_pickup(&pl, rest);
	if (slice_has_prefix(rest, "from="))
		return on_qmgr_from(&pl, rest);
	if (slice_has_prefix(rest, "to="))
		return on_delivery(&pl, rest);
	if (slice_eq(rest, "removed")) {
		if ((m = mailq_find(st->q, env.host, qid)) == NULL)
			return LINE_SKIPPED;	/* it came before the log */
		mailq_emit(st->q, ctx, m, 0);
		return LINE_USED;
	}
	if (slice_has_prefix(rest, "message-id=") ||
	    (ndr = ndr_of(rest)).n) {
		if ((m = get_msg(&pl)) == NULL)
			return LINE_REJECTED;
		if (ndr.n)
			mailq_set_text(m, MQ_NDR, ndr);
		else
			mailq_set_text(m, MQ_MSGID, slice_from(rest, 11));
		return LINE_USED;
	}
	if ((action = action_word(rest)).n == 0)
		return LINE_SKIPPED;	/* host said, lost connection, TLS */
	rest = slice_from(rest, action.n + 2);
	if (slice_has_prefix(rest, "header ") || slice_has_prefix(rest, "body "))
		return on_header(&pl, action, rest);
	return on_check(&pl, action, rest);
}

/* A line of a Postfix program, in a syslog envelope. */
static int
is_postfix_line(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;

	envelope_year_init(&ey, 2000, 0);	/* only the shape counts */
	return envelope_parse(line, &ey, &env) == 0 &&
	    slice_has_prefix(env.tag, "postfix") &&
	    slice_find(env.tag, '/') >= 0;
}

static int
pf_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_postfix_line);
}

static void *
pf_open(struct parse_ctx *ctx)
{
	return mailq_input_open(ctx, "postfix");
}

const struct fmt fmt_postfix = {
	.name = "postfix",
	.log = "mail",
	.summary = "Postfix syslog lines, one event per message",
	.sniff = pf_sniff,
	.open = pf_open,
	.line = pf_line,
	.finish = mailq_input_finish,
	.close = mailq_input_close,
};
