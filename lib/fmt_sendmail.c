/*
 * fmt_sendmail.c: Sendmail in syslog (sendmail, sm-mta, sm-msp-queue and
 * the other sm- process titles), one event per message joined by host and
 * queue ID in the table of messages in flight (mailq.h). A message's
 * "from=" line, logged once it is received, gives the envelope sender,
 * size, nrcpts, msgid, protocol and client (relay=); its "to=" lines give
 * the recipients (several in one line, comma-separated) and each one's
 * stat= and dsn=; "ruleset=check_rcpt" rejections and "<addr>... User
 * unknown" lines mark refused recipients, check_mail and milter rejections
 * refuse the message, and "AUTH=server" lines name the SASL login.
 * Sendmail logs no line when a message leaves the queue: a message is
 * written once as many recipients as nrcpts said have a final status
 * (sent, or a permanent failure), at once when nrcpts is 0 (nothing was
 * accepted), and otherwise as mailq.h says (idle, table full, end of
 * input). Rejections without a queue ID (check_relay) are events of their
 * own. Sendmail logs no header From, Subject or attachment names.
 * Addresses are the sender's text: one in <...> is read whole, quoted
 * local part and all (mailq_addr_end); msgid= ends where the fields
 * Sendmail writes after it start (on_from: when that is unsure), and an
 * AUTH line's authid= where its other keys do (auth_read).
 */
#include <stdlib.h>
#include <string.h>
#include "envelope.h"
#include "fmt.h"
#include "ipaddr.h"
#include "mailq.h"
#include "num.h"

/* Priorities of the sources of the envelope sender. */
enum { FROM_CHECK = 1, FROM_LINE = 3 };

/* A line's "key=value, key=value" list, read one pair at a time. */
struct sm_kv {
	struct slice key, val;
	int unclosed;	/* an address or quoted word ran to the end */
};

/*
 * The keys Sendmail writes after msgid= in a from= line, in its order
 * (tls_verify= and auth= with _FFR_LOG_MORE1); relay= always ends it.
 */
static const char *const from_tail[] = {
	"bodytype", "proto", "daemon", "tls_verify", "auth", "relay"
};
#define FROM_TAIL (sizeof from_tail / sizeof from_tail[0])

/* The keys of an AUTH=server line besides authid=, each written once. */
static const char *const auth_keys[] = { "relay=", "mech=", "bits=" };
#define AUTH_KEYS (sizeof auth_keys / sizeof auth_keys[0])

static int
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Whether s.p[i..] is ", key=". */
static int
at_next_key(struct slice s, size_t i)
{
	size_t j;

	if (i + 2 >= s.n || s.p[i] != ',' || s.p[i + 1] != ' ')
		return 0;
	for (j = i + 2; j < s.n && is_key_char(s.p[j]); j++)
		;
	return j > i + 2 && j < s.n && s.p[j] == '=';
}

/*
 * The length of msgid='s value in v, the rest of a from= line from that
 * value on: v less the fields Sendmail writes after it, read from the
 * right. The message ID is the sender's text, '<', '>' and quotes
 * included, so a ", relay=" or ", nrcpts=" in it must not be taken for a
 * field: only the keys that follow it, each once and in Sendmail's order,
 * are.
 */
static size_t
msgid_len(struct slice v)
{
	size_t end = v.n, i, kn;
	int rank = (int)FROM_TAIL, k;

	for (i = v.n; i-- > 0;) {
		if (v.p[i] != ',' || i + 1 >= end || v.p[i + 1] != ' ')
			continue;
		for (k = rank - 1; k >= 0; k--) {
			kn = strlen(from_tail[k]);
			if (end - i - 2 > kn && memcmp(v.p + i + 2,
			    from_tail[k], kn) == 0 && v.p[i + 2 + kn] == '=')
				break;
		}
		if (k < 0)
			break;
		rank = k;
		end = i;
	}
	return end;
}

/*
 * The end of the address or quoted word opening at s.p[i]: the offset of
 * its last byte, or -1 when it is not closed.
 */
static long
word_end(struct slice s, size_t i)
{
	long q;

	if (s.p[i] == '<')
		return mailq_addr_end(s, i);
	q = mailq_quoted_end(s, i);
	return q < 0 ? -1 : q - 1;
}

/*
 * Takes the next pair off *s. A value runs to the next ", key=" outside
 * <...> addresses and quoted words ("|/prog" recipients), each read whole
 * (a quoted local part may hold ">, relay="); msgid= ends where the
 * fields after it start (msgid_len); stat= and reject= run to the end
 * (their text is free). A word without '=' (Sendmail's "discard") is a
 * key with an empty value. Returns 0, or -1 at the end.
 */
static int
sm_next(struct slice *s, struct sm_kv *kv)
{
	size_t i, eq;
	long e;

	*s = slice_trim(*s);
	if (s->n == 0)
		return -1;
	for (eq = 0; eq < s->n && is_key_char(s->p[eq]); eq++)
		;
	kv->key = slice_make(s->p, eq);
	kv->unclosed = 0;
	if (eq == s->n || s->p[eq] != '=') {
		long c = slice_find(*s, ',');

		kv->key = c < 0 ? *s : slice_make(s->p, (size_t)c);
		kv->val = slice_from(*s, s->n);
		*s = slice_from(*s, c < 0 ? s->n : (size_t)c + 1);
		return 0;
	}
	if (slice_eq(kv->key, "stat") || slice_eq(kv->key, "reject")) {
		kv->val = slice_from(*s, eq + 1);
		*s = slice_from(*s, s->n);
		return 0;
	}
	if (slice_eq(kv->key, "msgid")) {
		kv->val = slice_from(*s, eq + 1);
		kv->val.n = msgid_len(kv->val);
		*s = slice_from(*s, eq + 1 + kv->val.n + 1);
		return 0;
	}
	for (i = eq + 1; i < s->n; i++) {
		/* A quote opens a word only where one starts. */
		if (s->p[i] == '<' || (s->p[i] == '"' &&
		    (i == eq + 1 || s->p[i - 1] == ','))) {
			if ((e = word_end(*s, i)) < 0) {
				kv->unclosed = 1;
				i = s->n;
				break;
			}
			i = (size_t)e;
		} else if (at_next_key(*s, i)) {
			break;
		}
	}
	kv->val = slice_make(s->p + eq + 1, i - eq - 1);
	*s = slice_from(*s, i + 1);
	return 0;
}

/* An address as logged: "<a@b>" without its angle brackets, or a@b. */
static struct slice
unangle(struct slice s)
{
	s = slice_trim(s);
	if (s.n >= 2 && s.p[0] == '<' && s.p[s.n - 1] == '>')
		return slice_make(s.p + 1, s.n - 2);
	return s;
}

/*
 * Takes the next recipient off a to= list "<a>,<b>" or "alice,bob": up to
 * a ',' outside addresses and quoted words (sm_check saw them closed).
 */
static struct slice
next_rcpt(struct slice *to)
{
	struct slice one;
	size_t i;
	long e;

	for (i = 0; i < to->n && to->p[i] != ','; i++)
		if ((to->p[i] == '<' || (to->p[i] == '"' && i == 0)) &&
		    (e = word_end(*to, i)) >= 0)
			i = (size_t)e;
	one = slice_make(to->p, i);
	*to = slice_from(*to, i + 1);
	return one;
}

/*
 * A relay "host [addr]", "[addr]", "host. [IPv6:addr] (may be forged)"
 * or "user@localhost": the name (without a trailing dot) and the address
 * inside the brackets, or an empty addr.
 */
static void
split_relay(struct slice s, struct slice *name, struct slice *addr)
{
	long open = slice_find(s, '['), close;

	*addr = SLICE_NONE;
	*name = slice_trim(s);
	if (open < 0 || (close = slice_find(slice_from(s, (size_t)open),
	    ']')) < 0)
		return;
	*addr = slice_make(s.p + open + 1, (size_t)close - 1);
	if (slice_has_prefix(*addr, "IPv6:") || slice_has_prefix(*addr,
	    "ipv6:"))
		*addr = slice_from(*addr, 5);
	*name = slice_trim(slice_make(s.p, (size_t)open));
	if (name->n && name->p[name->n - 1] == '.')
		name->n--;
}

/* Sets the client of m from a relay= value. */
static void
set_relay_client(struct mailq_msg *m, struct slice relay)
{
	struct slice name, addr;

	split_relay(relay, &name, &addr);
	if (addr.n && m->len[MQ_IP] == 0)
		mailq_set_client(m, name, addr, SLICE_NONE);
}

/* A recipient's status from stat= and dsn=; *final when it is settled. */
static enum mailq_status
sm_status(struct slice stat, struct slice dsn, int *final)
{
	*final = 1;
	if (slice_has_prefix(stat, "Sent"))
		return MQ_ST_SENT;
	if (dsn.n && dsn.p[0] == '5')
		return MQ_ST_BOUNCED;
	*final = 0;
	if ((dsn.n && dsn.p[0] == '4') || slice_has_prefix(stat, "Deferred") ||
	    slice_has_prefix(stat, "queued"))
		return MQ_ST_DEFERRED;
	return MQ_ST_OTHER;
}

/* Writes m when as many recipients as nrcpts have a final status. */
static void
check_done(struct mailq *q, struct parse_ctx *ctx, struct mailq_msg *m)
{
	uint64_t want;
	int i, n = 0;

	if (m->len[MQ_NRCPT] == 0 || num_parse_u64(mailq_text(m, MQ_NRCPT),
	    UINT32_MAX, &want) != 0)
		return;
	for (i = 0; i < m->nitem; i++)
		n += m->item[i].kind == MQ_RCPT &&
		    (m->item[i].status == MQ_ST_SENT ||
		    m->item[i].status == MQ_ST_BOUNCED);
	if ((uint64_t)n >= want)
		mailq_emit(q, ctx, m, 0);
}

/* Marks a refused recipient. */
static void
reject_rcpt(struct mailq_msg *m, struct slice to)
{
	struct mailq_item *it = mailq_add_item(m, MQ_RCPT, to);

	if (it && it->status == MQ_ST_NONE)
		it->status = MQ_ST_REJECT;
}

/* The auth_keys entry s starts with, or -1. */
static int
auth_key(struct slice s)
{
	size_t k;

	for (k = 0; k < AUTH_KEYS; k++)
		if (slice_has_prefix(s, auth_keys[k]))
			return (int)k;
	return -1;
}

/* The offset of the last ", " in s.p[from..to), or -1. */
static long
last_sep(struct slice s, size_t from, size_t to)
{
	for (; to >= from + 2; to--)
		if (s.p[to - 2] == ',' && s.p[to - 1] == ' ')
			return (long)to - 2;
	return -1;
}

/*
 * "relay=H [A], authid=U, mech=M, bits=N", the rest of an AUTH=server
 * line. The login U is the client's text and may hold ", mech=X" or
 * ", relay=...", so it is what lies between authid= and the other keys,
 * each written once and none holding ", ": those before authid= read
 * from the left, those after it from the right, in whatever order
 * Sendmail writes them. Returns -1 unless each key is there once.
 */
static int
auth_read(struct slice s, struct slice *relay, struct slice *authid,
    struct slice *mech)
{
	struct slice val[AUTH_KEYS] = { SLICE_NONE, SLICE_NONE, SLICE_NONE };
	struct slice part;
	size_t i = 0, end = s.n, k, kn;
	long c;
	int key;

	while (!slice_has_prefix(part = slice_from(s, i), "authid=")) {
		c = slice_find(part, ',');
		if ((key = auth_key(part)) < 0 || val[key].p != NULL ||
		    c < 0 || (size_t)c + 1 >= part.n || part.p[c + 1] != ' ')
			return -1;
		kn = strlen(auth_keys[key]);
		val[key] = slice_make(part.p + kn, (size_t)c - kn);
		i += (size_t)c + 2;
	}
	i += 7;
	while ((c = last_sep(s, i, end)) >= 0) {
		part = slice_make(s.p + c + 2, end - (size_t)c - 2);
		if ((key = auth_key(part)) < 0 || val[key].p != NULL)
			break;
		val[key] = slice_from(part, strlen(auth_keys[key]));
		end = (size_t)c;
	}
	for (k = 0; k < AUTH_KEYS; k++)
		if (val[k].p == NULL)
			return -1;
	*relay = val[0];
	*mech = val[1];
	*authid = slice_make(s.p + i, end - i);
	return 0;
}

/*
 * Checks a from= or to= line before it touches a message. Returns NULL,
 * or what is wrong with it.
 */
static const char *
sm_check(struct slice rest)
{
	struct slice name, addr;
	struct sm_kv kv;
	uint64_t v;

	while (sm_next(&rest, &kv) == 0) {
		if ((slice_eq(kv.key, "from") || slice_eq(kv.key, "to")) &&
		    (kv.unclosed || (kv.val.n && kv.val.p[0] == '<' &&
		    kv.val.p[kv.val.n - 1] != '>')))
			return "unclosed address";
		if ((slice_eq(kv.key, "size") || slice_eq(kv.key, "nrcpts")) &&
		    num_parse_u64(kv.val, UINT64_MAX, &v) != 0)
			return "bad number";
		if (slice_eq(kv.key, "relay")) {
			split_relay(kv.val, &name, &addr);
			if (addr.n && !ip_valid(addr))
				return "bad relay address";
		}
	}
	return NULL;
}

/*
 * "from=<S>, size=N, class=N, nrcpts=N, msgid=<M>, ..., relay=H [A]".
 * The msgid is the sender's text; the keys after it are read from the
 * right (sm_next), so a msgid spelling ", proto=X" before Sendmail's own
 * proto= stays in the msgid. On mail submitted on the host (relay
 * "user@localhost") Sendmail writes a proto= only when the submitter
 * asks (-bs, or any word with -p), so a single proto= there is taken as
 * it reads: whichever way it is read, it is the submitter's own text.
 */
static enum line_result
on_from(struct mailq_input *st, struct parse_ctx *ctx, struct mailq_msg *m,
    struct slice rest)
{
	struct slice msgid = SLICE_NONE, proto = SLICE_NONE;
	struct slice relay = SLICE_NONE;
	struct sm_kv kv;
	uint64_t nrcpts = 1;

	while (sm_next(&rest, &kv) == 0) {
		if (slice_eq(kv.key, "from"))
			mailq_set_from(m, unangle(kv.val), FROM_LINE);
		else if (slice_eq(kv.key, "size"))
			mailq_set_text(m, MQ_SIZE, kv.val);
		else if (slice_eq(kv.key, "nrcpts")) {
			mailq_set_text(m, MQ_NRCPT, kv.val);
			if (num_parse_u64(kv.val, UINT32_MAX, &nrcpts) != 0)
				nrcpts = 1;
		} else if (slice_eq(kv.key, "msgid"))
			msgid = kv.val;
		else if (slice_eq(kv.key, "proto"))
			proto = kv.val;
		else if (slice_eq(kv.key, "relay"))
			relay = kv.val;
	}
	mailq_set_text(m, MQ_MSGID, msgid);
	mailq_set_text(m, MQ_PROTO, proto);
	set_relay_client(m, relay);
	if (nrcpts == 0 || m->deny) {
		/* Nothing was accepted, or a milter refused it: done. */
		m->deny = 1;
		mailq_emit(st->q, ctx, m, 0);
		return LINE_USED;
	}
	mailq_set_queued(st->q, m);
	check_done(st->q, ctx, m);
	return LINE_USED;
}

/* "to=<R1>,<R2>, delay=..., mailer=M, relay=H [A], dsn=D, stat=S" */
static enum line_result
on_to(struct mailq_input *st, struct parse_ctx *ctx, struct mailq_msg *m,
    struct slice rest)
{
	struct slice to = SLICE_NONE, stat = SLICE_NONE, dsn = SLICE_NONE;
	struct slice relay = SLICE_NONE;
	enum mailq_status status;
	struct sm_kv kv;
	int final;

	while (sm_next(&rest, &kv) == 0) {
		if (slice_eq(kv.key, "to"))
			to = kv.val;
		else if (slice_eq(kv.key, "stat"))
			stat = kv.val;
		else if (slice_eq(kv.key, "dsn"))
			dsn = kv.val;
		else if (slice_eq(kv.key, "relay"))
			relay = kv.val;
	}
	status = sm_status(stat, dsn, &final);
	while (to.n) {
		struct slice one = next_rcpt(&to);
		struct mailq_item *it = mailq_add_item(m, MQ_RCPT,
		    unangle(one));

		if (it)
			it->status = (uint8_t)status;
	}
	if (relay.n)
		mailq_add_item(m, MQ_RELAY, slice_trim(relay));
	check_done(st->q, ctx, m);
	return LINE_USED;
}

/* "ruleset=check_X, arg1=A, [arg2=IP, ]relay=H [A], reject=TEXT" */
static void
on_ruleset(struct mailq_msg *m, struct slice rest)
{
	struct slice ruleset = SLICE_NONE, arg1 = SLICE_NONE, why;
	struct sm_kv kv;
	int deny = 0;

	while (sm_next(&rest, &kv) == 0) {
		if (slice_eq(kv.key, "ruleset"))
			ruleset = kv.val;
		else if (slice_eq(kv.key, "arg1"))
			arg1 = kv.val;
		else if (slice_eq(kv.key, "relay"))
			set_relay_client(m, kv.val);
		else if (slice_eq(kv.key, "reject") ||
		    slice_eq(kv.key, "discard")) {
			deny = 1;
			why = kv.val;
			mailq_set_text(m, MQ_REJECT, why.n ? why : kv.key);
		}
	}
	if (!deny)
		return;
	if (slice_eq(ruleset, "check_rcpt")) {
		reject_rcpt(m, unangle(arg1));
		return;
	}
	if (slice_eq(ruleset, "check_mail"))
		mailq_set_from(m, unangle(arg1), FROM_CHECK);
	m->deny = 1;
}

/*
 * A refusal without a queue ID ("ruleset=check_relay, arg1=H, arg2=A,
 * relay=H [A], reject=421 ..."): an event of its own; other lines are
 * skipped.
 */
static enum line_result
on_noqueue(struct parse_ctx *ctx, const struct envelope *env,
    struct slice rest)
{
	struct event *ev = ctx->ev;
	struct slice name, addr;
	struct sm_kv kv;
	int deny = 0;

	if (!slice_has_prefix(rest, "ruleset="))
		return LINE_SKIPPED;
	event_set_checked(ev, EV_LOG, SLICE_LIT("mail"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("sendmail"));
	ev->f[EV_DEVICE] = env->host;
	while (sm_next(&rest, &kv) == 0) {
		if (slice_eq(kv.key, "relay")) {
			split_relay(kv.val, &name, &addr);
			if (addr.n && fmt_set_addr(ev, EV_SRC_IP, addr) == 0 &&
			    name.n)
				event_add_extra(ev, "client", name);
		} else if (slice_eq(kv.key, "ruleset") ||
		    slice_eq(kv.key, "arg1")) {
			event_add_extra(ev, slice_eq(kv.key, "arg1") ? "arg1" :
			    "ruleset", kv.val);
		} else if (slice_eq(kv.key, "reject") ||
		    slice_eq(kv.key, "discard")) {
			event_add_extra(ev, "reject", kv.val.n ? kv.val :
			    kv.key);
			deny = 1;
		}
	}
	if (!deny)
		return LINE_SKIPPED;
	event_set_checked(ev, EV_ACTION, SLICE_LIT("deny"));
	return fmt_emit(ctx);
}

/*
 * Whether w is a queue ID: 8 to 20 letters and digits with a digit in
 * them (8.12 and later write 14, more with long process IDs).
 */
static int
is_qid(struct slice w)
{
	size_t i, digits = 0;

	if (w.n < 8 || w.n > 20)
		return 0;
	for (i = 0; i < w.n; i++) {
		if (!((w.p[i] >= 'a' && w.p[i] <= 'z') ||
		    (w.p[i] >= 'A' && w.p[i] <= 'Z') ||
		    (w.p[i] >= '0' && w.p[i] <= '9')))
			return 0;
		digits += w.p[i] >= '0' && w.p[i] <= '9';
	}
	return digits > 0;
}

/* "NEWQID: DSN: text": the queue ID of the bounce a message caused. */
static struct slice
ndr_of(struct slice rest)
{
	long colon = slice_find(rest, ':');
	struct slice id;

	if (colon <= 0)
		return SLICE_NONE;
	id = slice_make(rest.p, (size_t)colon);
	if (!is_qid(id) || !slice_has_prefix(slice_from(rest, (size_t)colon),
	    ": DSN: "))
		return SLICE_NONE;
	return id;
}

/*
 * "Milter: data, reject=TEXT" or "Milter: to=<R>, reject=TEXT" (or
 * from=<S>): the recipient (NULL unless to=) and the text. Addresses are
 * skipped whole, as their text may hold "to=<" or "reject=". Returns -1
 * when there is no reject=.
 */
static int
milter_reject(struct slice rest, struct slice *to, struct slice *why)
{
	size_t i;
	long e;

	*to = SLICE_NONE;
	for (i = 0; i < rest.n; i++) {
		if (rest.p[i] == '<') {
			if ((e = mailq_addr_end(rest, i)) < 0)
				return -1;
			if (i >= 4 && memcmp(rest.p + i - 4, " to=", 4) == 0)
				*to = slice_make(rest.p + i + 1,
				    (size_t)e - i - 1);
			i = (size_t)e;
		} else if (rest.p[i] == ' ' && slice_has_prefix(slice_from(rest,
		    i + 1), "reject=")) {
			*why = slice_from(rest, i + 8);
			return 0;
		}
	}
	return -1;
}

/*
 * "<R>... User unknown": the recipient, read whole (its quoted local part
 * may hold ">... "), and the text. Returns -1 when rest is not one.
 */
static int
unknown_rcpt(struct slice rest, struct slice *to, struct slice *why)
{
	long e;

	if (rest.n == 0 || rest.p[0] != '<' ||
	    (e = mailq_addr_end(rest, 0)) < 0 ||
	    !slice_has_prefix(slice_from(rest, (size_t)e + 1), "... "))
		return -1;
	*to = slice_make(rest.p + 1, (size_t)e - 1);
	*why = slice_from(rest, (size_t)e + 5);
	return 0;
}

/* Whether tag names a Sendmail process. */
static int
is_sm_tag(struct slice tag)
{
	return slice_eq(tag, "sendmail") || slice_has_prefix(tag, "sm-");
}

/*
 * The envelope of a line; syslog-ng's "<facility.priority>" written after
 * the time (as the host) is stepped over: the host and tag follow it.
 */
static int
sm_envelope(struct slice line, struct envelope_year *ey,
    struct envelope *env)
{
	struct slice rest, host, w;
	long open;

	if (envelope_parse(line, ey, env) != 0)
		return -1;
	if (env->tag.n || env->host.n < 3 || env->host.p[0] != '<' ||
	    env->host.p[env->host.n - 1] != '>')
		return 0;
	rest = env->msg;
	host = slice_next_word(&rest);
	rest = slice_trim(rest);
	w = slice_next_word(&rest);
	if (w.n < 2 || w.p[w.n - 1] != ':')
		return 0;
	w.n--;
	env->host = host;
	env->pid = SLICE_NONE;
	if ((open = slice_find(w, '[')) > 0 && w.p[w.n - 1] == ']') {
		env->pid = slice_make(w.p + open + 1, w.n - (size_t)open - 2);
		w.n = (size_t)open;
	}
	env->tag = w;
	env->msg = slice_trim(rest);
	return 0;
}

static enum line_result
sm_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct mailq_input *st = state;
	struct envelope env;
	struct slice rest, qid, ndr, to, text, relay, authid, mech;
	struct mailq_msg *m;
	long colon;
	int milter, unknown, auth;
	char q[200];

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (sm_envelope(line, &st->ey, &env) != 0)
		return fmt_reject(ctx, "sendmail: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	if (!is_sm_tag(env.tag))
		return LINE_SKIPPED;
	if (env.host.n > 255)
		return fmt_reject(ctx, "sendmail: host name too long '%s'",
		    diag_quote(q, sizeof q, env.host));
	ctx->ev->ts_ms = env.ts_ms;
	ctx->ev->has_ts = env.has_ts;
	if (env.has_ts)
		mailq_expire(st->q, ctx, env.ts_ms);
	rest = env.msg;
	colon = slice_find(rest, ':');
	qid = colon > 0 ? slice_make(rest.p, (size_t)colon) : SLICE_NONE;
	if (colon <= 0 || (size_t)colon + 1 >= rest.n ||
	    rest.p[colon + 1] != ' ' || !is_qid(qid))
		return on_noqueue(ctx, &env, rest);
	rest = slice_trim(slice_from(rest, (size_t)colon + 2));
	if (slice_has_prefix(rest, "from=") || slice_has_prefix(rest, "to=")) {
		const char *why = sm_check(rest);

		if (why != NULL)
			return fmt_reject(ctx, "sendmail: %s in '%s'", why,
			    diag_quote(q, sizeof q, rest));
		if ((m = mailq_get(st->q, ctx, env.host, qid, 0)) == NULL)
			return fmt_reject(ctx, "out of memory");
		if (rest.p[0] == 'f')
			return on_from(st, ctx, m, rest);
		return on_to(st, ctx, m, rest);
	}
	ndr = ndr_of(rest);
	milter = slice_has_prefix(rest, "Milter") &&
	    milter_reject(rest, &to, &text) == 0;
	unknown = unknown_rcpt(rest, &to, &text) == 0;
	auth = slice_has_prefix(rest, "AUTH=server, ");
	if (!slice_has_prefix(rest, "ruleset=") && !auth && !milter &&
	    !unknown && ndr.n == 0)
		return LINE_SKIPPED;	/* EXPN, STARTTLS, lost input */
	if (auth && auth_read(slice_from(rest, 13), &relay, &authid,
	    &mech) != 0)
		return fmt_reject(ctx, "sendmail: not relay=, authid=, mech= "
		    "and bits= once each in '%s'", diag_quote(q, sizeof q,
		    rest));
	if ((m = mailq_get(st->q, ctx, env.host, qid, 0)) == NULL)
		return fmt_reject(ctx, "out of memory");
	if (slice_has_prefix(rest, "ruleset=")) {
		on_ruleset(m, rest);
	} else if (auth) {
		mailq_set_text(m, MQ_USER, authid);
		mailq_set_text(m, MQ_METHOD, mech);
		set_relay_client(m, relay);
	} else if (milter) {
		if (to.p != NULL)
			reject_rcpt(m, to);
		else
			m->deny = 1;
		mailq_set_text(m, MQ_REJECT, text);
		if (m->deny && m->queued)
			mailq_emit(st->q, ctx, m, 0);	/* from= came first */
	} else if (unknown) {
		reject_rcpt(m, to);
		mailq_set_text(m, MQ_REJECT, text);
	} else {
		mailq_set_text(m, MQ_NDR, ndr);
	}
	return LINE_USED;
}

/* A line of a Sendmail process, in a syslog envelope. */
static int
is_sendmail_line(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;

	envelope_year_init(&ey, 2000, 0);	/* only the shape counts */
	return sm_envelope(line, &ey, &env) == 0 && is_sm_tag(env.tag);
}

static int
sm_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_sendmail_line);
}

static void *
sm_open(struct parse_ctx *ctx)
{
	return mailq_input_open(ctx, "sendmail");
}

const struct fmt fmt_sendmail = {
	.name = "sendmail",
	.log = "mail",
	.summary = "Sendmail syslog lines, one event per message",
	.sniff = sm_sniff,
	.open = sm_open,
	.line = sm_line,
	.finish = mailq_input_finish,
	.close = mailq_input_close,
};
