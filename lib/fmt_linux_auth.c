/*
 * fmt_linux_auth.c: the authentication messages of a Linux auth.log
 * (Debian, Ubuntu) or secure (RHEL) inside any syslog envelope
 * (lib/envelope.h; the host is the device). sshd logins accepted and
 * failed ("Accepted publickey for deploy from 10.1.20.35 port 51514
 * ssh2: ED25519 SHA256:...", "Failed password for invalid user admin from
 * ..."), "Invalid user" probes, sudo's command lines ("deploy : TTY=pts/0 ;
 * PWD=/home/deploy ; USER=root ; COMMAND=...", with a leading reason such
 * as "3 incorrect password attempts" when it refused), PAM authentication
 * failures of sudo and su, and su's own lines in their GNU, util-linux and
 * BSD wordings plus its pam_unix session line. Each becomes one auth
 * event whose event_id names the kind of line (sshd-accepted, sshd-failed,
 * sshd-invalid-user, sudo, sudo-auth-failure, su, su-auth-failure,
 * su-session); every other message of the file is skipped. rsyslog's
 * "message repeated N times: [ ... ]" is read as the message it repeats.
 * The year of RFC 3164 stamps is the only state carried between lines.
 */
#include <stdint.h>
#include <string.h>
#include "envelope.h"
#include "fmt.h"
#include "ipaddr.h"
#include "num.h"
#include "sudoline.h"

/* What a message is, before it is filled into an event. */
enum auth_kind {
	AK_NONE,		/* not ours: skipped */
	AK_SSHD_ACCEPTED,
	AK_SSHD_FAILED,
	AK_SSHD_INVALID,
	AK_SUDO,
	AK_PAM_FAILURE,		/* sudo or su, told by the PAM service */
	AK_SU,
	AK_SU_SESSION
};

/* The event_id each kind is written with. */
static const char *const kind_id[] = {
	"", "sshd-accepted", "sshd-failed", "sshd-invalid-user", "sudo",
	"", "su", "su-session"
};

/* Offset of the first occurrence of lit in s, or -1. */
static long
find_first(struct slice s, const char *lit)
{
	const char *q = memmem(s.p, s.n, lit, strlen(lit));

	return q ? (long)(q - s.p) : -1;
}

/*
 * The message without rsyslog's repetition wrapper; *times gets N of
 * "message repeated N times: [ MSG]" (the bracket text keeps its
 * leading space), else stays empty.
 */
static struct slice
unwrap_repeated(struct slice msg, struct slice *times)
{
	struct slice rest = msg, n;
	uint64_t v;

	*times = SLICE_NONE;
	if (!slice_has_prefix(rest, "message repeated "))
		return msg;
	rest = slice_from(rest, strlen("message repeated "));
	n = slice_next_token(&rest);
	if (num_parse_u64(n, UINT32_MAX, &v) != 0 ||
	    !slice_has_prefix(rest, "times: [") || rest.n < 9 ||
	    rest.p[rest.n - 1] != ']')
		return msg;
	*times = n;
	return slice_trim(slice_make(rest.p + 8, rest.n - 9));
}

/* Whether the tag is sshd's (OpenSSH 9.8 logs as sshd-session). */
static int
is_sshd(struct slice tag)
{
	return slice_eq(tag, "sshd") || slice_eq(tag, "sshd-session");
}

/*
 * The PAM service of "MODULE(SERVICE:auth): authentication failure;" when
 * it is one of sudo's or su's, else an empty slice.
 */
static struct slice
pam_failure_service(struct slice msg)
{
	long open = slice_find(msg, '('), colon;
	struct slice svc;

	if (open < 1 || !slice_has_prefix(msg, "pam_"))
		return SLICE_NONE;
	svc = slice_from(msg, (size_t)open + 1);
	colon = slice_find(svc, ':');
	if (colon < 0 || !slice_has_prefix(slice_from(svc, (size_t)colon),
	    ":auth): authentication failure;"))
		return SLICE_NONE;
	svc.n = (size_t)colon;
	if (slice_eq(svc, "sudo") || slice_eq(svc, "sudo-i") ||
	    slice_eq(svc, "su") || slice_eq(svc, "su-l"))
		return svc;
	return SLICE_NONE;
}

/* Whether msg looks like sudo's "USER : [REASON ; ]TTY=... ; ..." line. */
static int
is_sudo_command(struct slice msg)
{
	long sep = find_first(msg, " : ");

	return sep > 0 && slice_find(slice_make(msg.p, (size_t)sep), ' ') < 0 &&
	    (find_first(msg, "COMMAND=") >= 0 || find_first(msg, "TTY=") >= 0);
}

/* The kind of the message msg of program tag (trimmed, unwrapped). */
static enum auth_kind
classify(struct slice tag, struct slice msg)
{
	if (is_sshd(tag)) {
		if (slice_has_prefix(msg, "Accepted "))
			return AK_SSHD_ACCEPTED;
		if (slice_has_prefix(msg, "Failed "))
			return AK_SSHD_FAILED;
		if (slice_has_prefix(msg, "Invalid user "))
			return AK_SSHD_INVALID;
		return AK_NONE;
	}
	if (slice_eq(tag, "sudo")) {
		if (pam_failure_service(msg).n)
			return AK_PAM_FAILURE;
		return is_sudo_command(msg) ? AK_SUDO : AK_NONE;
	}
	if (slice_eq(tag, "su") || slice_eq(tag, "su-l")) {
		if (pam_failure_service(msg).n)
			return AK_PAM_FAILURE;
		if (slice_has_prefix(msg, "pam_unix(su:session): session opened"
		    " for user ") || slice_has_prefix(msg,
		    "pam_unix(su-l:session): session opened for user "))
			return AK_SU_SESSION;
		if (slice_has_prefix(msg, "Successful su for ") ||
		    slice_has_prefix(msg, "FAILED su for ") ||
		    slice_has_prefix(msg, "(to ") ||
		    slice_has_prefix(msg, "FAILED SU (to ") ||
		    slice_has_prefix(msg, "BAD SU ") ||
		    slice_has_prefix(msg, "failed: ") ||
		    find_first(msg, " to ") > 0)
			return AK_SU;
	}
	return AK_NONE;
}

/*
 * Sets src_ip (or, for a host name sshd looked up with UseDNS, extra
 * rhost) from addr. Returns -1 for text that is neither.
 */
static int
set_remote(struct event *ev, struct slice addr)
{
	size_t i;
	int letters = 0;

	if (fmt_set_addr(ev, EV_SRC_IP, addr) == 0)
		return 0;
	if (addr.n == 0 || addr.n > 253)
		return -1;
	for (i = 0; i < addr.n; i++) {
		char c = addr.p[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letters++;
		else if (!((c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_'))
			return -1;
	}
	if (letters == 0)
		return -1;	/* digits and dots: a broken IPv4 address */
	event_add_extra_checked(ev, "rhost", addr);
	return 0;
}

/*
 * sshd's "... for USER from ADDR[ port N][ PROTO[: INFO]]" (USER empty
 * for "Invalid user"): rest is the text after the method and "for ".
 * The user name is whatever the client sent and may itself hold " from
 * 10.0.0.1 port 22": sshd appends the true address last, so the last
 * " from " is the one that counts.
 */
static enum line_result
sshd_from(struct parse_ctx *ctx, struct slice rest)
{
	struct event *ev = ctx->ev;
	struct slice user, tail, addr, word;
	long at = slice_find_last(rest, " from ");
	uint64_t port;
	char q[200];

	if (at < 0)
		return fmt_reject(ctx, "linux-auth: sshd: no ' from ' in '%s'",
		    diag_quote(q, sizeof q, rest));
	user = slice_make(rest.p, (size_t)at);
	tail = slice_from(rest, (size_t)at + 6);
	addr = slice_next_token(&tail);
	if (set_remote(ev, addr) != 0)
		return fmt_reject(ctx, "linux-auth: sshd: bad address '%s'",
		    diag_quote(q, sizeof q, addr));
	if (slice_has_prefix(tail, "port ")) {
		tail = slice_from(tail, 5);
		word = slice_next_token(&tail);
		if (num_parse_u64(word, 65535, &port) != 0)
			return fmt_reject(ctx, "linux-auth: sshd: bad port "
			    "'%s'", diag_quote(q, sizeof q, word));
		event_set_checked(ev, EV_SRC_PORT, word);
	}
	ev->f[EV_ACCOUNT] = user;
	/* "ssh2: ED25519 SHA256:..." names the key of a publickey login. */
	word = slice_next_token(&tail);
	if (tail.n && slice_eq(word, "ssh2:"))
		event_add_extra(ev, "key", tail);
	return LINE_USED;
}

/* sshd's Accepted, Failed and Invalid user lines. */
static enum line_result
sshd_fill(struct parse_ctx *ctx, enum auth_kind k, struct slice msg)
{
	struct event *ev = ctx->ev;
	struct slice rest, method;

	if (k == AK_SSHD_INVALID) {
		/* "Invalid user NAME from ADDR[ port N]" */
		rest = slice_from(msg, strlen("Invalid user "));
		event_set_checked(ev, EV_OUTCOME, SLICE_LIT("failure"));
		return sshd_from(ctx, rest);
	}
	/* "Accepted METHOD for [invalid user ]NAME from ..." */
	rest = slice_from(msg, k == AK_SSHD_ACCEPTED ? 9 : 7);
	method = slice_next_token(&rest);
	if (method.n == 0 || !slice_has_prefix(rest, "for "))
		return fmt_reject(ctx, "linux-auth: sshd: no 'for USER' after "
		    "the method");
	rest = slice_from(rest, 4);
	event_add_extra(ev, "method", method);
	if (k == AK_SSHD_FAILED && slice_has_prefix(rest, "invalid user ")) {
		rest = slice_from(rest, strlen("invalid user "));
		event_add_extra_checked(ev, "invalid_user", SLICE_LIT("1"));
	}
	event_set_checked(ev, EV_OUTCOME, k == AK_SSHD_ACCEPTED ?
	    SLICE_LIT("success") : SLICE_LIT("failure"));
	return sshd_from(ctx, rest);
}

/*
 * sudo's "USER : [REASON ; ]TTY=T ; PWD=P ; USER=U ; ... ; COMMAND=C".
 * The directory and the command are the user's text and sudo escapes no
 * " ; " in them, so the keys are read by sudoline.h: a key the line gives
 * two readings of (a directory named "x ; USER=root ; COMMAND=/bin/true")
 * is left empty, never taken from the forged part, and the event says
 * ambiguous=1 with the text from that key on as logged; so does a
 * warning on stderr.
 */
static enum line_result
sudo_fill(struct parse_ctx *ctx, struct slice msg)
{
	struct event *ev = ctx->ev;
	struct sudoline sl;
	long sep = find_first(msg, " : ");

	ev->f[EV_USER] = slice_make(msg.p, (size_t)sep);
	sudoline_read(slice_from(msg, (size_t)sep + 3), &sl);
	ev->f[EV_ACCOUNT] = sl.val[SUDO_USER];
	/* A line that states a reason is one where sudo said no. */
	event_set_checked(ev, EV_OUTCOME, sl.reason.n ?
	    SLICE_LIT("failure") : SLICE_LIT("success"));
	if (sl.reason.n)
		event_add_extra(ev, "reason", sl.reason);
	if (sl.val[SUDO_TTY].n)
		event_add_extra(ev, "tty", sl.val[SUDO_TTY]);
	if (sl.val[SUDO_PWD].n)
		event_add_extra(ev, "pwd", sl.val[SUDO_PWD]);
	if (sl.val[SUDO_GROUP].n)
		event_add_extra(ev, "group", sl.val[SUDO_GROUP]);
	if (sl.val[SUDO_COMMAND].n)
		event_add_extra(ev, "command", sl.val[SUDO_COMMAND]);
	if (sl.readings != 1) {
		event_add_extra_checked(ev, "ambiguous", SLICE_LIT("1"));
		if (sl.from.n)
			event_add_extra(ev, "unparsed", sl.from);
		fmt_warn(ctx, ev->origin_line, "sudo: a key repeated in the "
		    "user's text (directory, ENV, command) makes the line "
		    "read two ways: what they disagree on left empty, "
		    "ambiguous=1");
	}
	return LINE_USED;
}

/*
 * "MODULE(SERVICE:auth): authentication failure; logname=L uid=N euid=N
 * tty=T ruser=R rhost=H  user=U": the password of U was tried by R (or
 * L) and failed.
 */
static enum line_result
pam_failure_fill(struct parse_ctx *ctx, struct slice msg)
{
	struct event *ev = ctx->ev;
	struct slice svc = pam_failure_service(msg), rest, w, logname;
	struct slice tty = SLICE_NONE, rhost = SLICE_NONE;
	long semi = slice_find(msg, ';');

	logname = SLICE_NONE;
	event_set_checked(ev, EV_EVENT_ID, slice_has_prefix(svc, "sudo") ?
	    SLICE_LIT("sudo-auth-failure") : SLICE_LIT("su-auth-failure"));
	rest = slice_from(msg, (size_t)semi + 1);
	while ((w = slice_next_word(&rest)).n) {
		if (slice_has_prefix(w, "user="))
			ev->f[EV_ACCOUNT] = slice_from(w, 5);
		else if (slice_has_prefix(w, "ruser="))
			ev->f[EV_USER] = slice_from(w, 6);
		else if (slice_has_prefix(w, "logname="))
			logname = slice_from(w, 8);
		else if (slice_has_prefix(w, "tty="))
			tty = slice_from(w, 4);
		else if (slice_has_prefix(w, "rhost="))
			rhost = slice_from(w, 6);
	}
	if (ev->f[EV_USER].n == 0)
		ev->f[EV_USER] = logname;
	if (rhost.n && fmt_set_addr(ev, EV_SRC_IP, rhost) != 0)
		event_add_extra(ev, "rhost", rhost);
	event_set_checked(ev, EV_OUTCOME, SLICE_LIT("failure"));
	event_add_extra(ev, "service", svc);
	if (tty.n)
		event_add_extra(ev, "tty", tty);
	return LINE_USED;
}

/* The name of "NAME(uid=N)" or "NAME"; empty for "(uid=N)". */
static struct slice
strip_uid(struct slice w)
{
	long open = slice_find(w, '(');

	return open < 0 ? w : slice_make(w.p, (size_t)open);
}

/*
 * su in its wordings: GNU "Successful su for TO by FROM" and "FAILED su
 * for TO by FROM", util-linux "(to TO) FROM on TTY" and "FAILED SU (to TO)
 * FROM on TTY", BSD "FROM to TO on TTY" and "BAD SU FROM to TO on TTY",
 * old "failed: TTY changing from FROM to TO".
 */
static enum line_result
su_fill(struct parse_ctx *ctx, struct slice msg)
{
	struct event *ev = ctx->ev;
	struct slice rest = msg, from = SLICE_NONE, to = SLICE_NONE;
	struct slice tty = SLICE_NONE;
	int ok = 1;
	long at;

	if (slice_has_prefix(rest, "Successful su for ") ||
	    slice_has_prefix(rest, "FAILED su for ")) {
		ok = rest.p[0] == 'S';
		rest = slice_from(rest, ok ? 18 : 14);
		to = slice_next_token(&rest);
		if (!slice_has_prefix(rest, "by "))
			return LINE_SKIPPED;
		from = slice_from(rest, 3);
	} else if (slice_has_prefix(rest, "(to ") ||
	    slice_has_prefix(rest, "FAILED SU (to ")) {
		ok = rest.p[0] == '(';
		rest = slice_from(rest, ok ? 4 : 14);
		if ((at = slice_find(rest, ')')) < 0)
			return LINE_SKIPPED;
		to = slice_make(rest.p, (size_t)at);
		rest = slice_from(rest, (size_t)at + 1);
		from = slice_next_word(&rest);
		if (slice_has_prefix(rest, " on "))
			tty = slice_from(rest, 4);
	} else if (slice_has_prefix(rest, "failed: ")) {
		ok = 0;
		rest = slice_from(rest, 8);
		tty = slice_next_token(&rest);
		if (!slice_has_prefix(rest, "changing from "))
			return LINE_SKIPPED;
		rest = slice_from(rest, 14);
		from = slice_next_token(&rest);
		if (!slice_has_prefix(rest, "to "))
			return LINE_SKIPPED;
		to = slice_from(rest, 3);
	} else {
		if (slice_has_prefix(rest, "BAD SU ")) {
			ok = 0;
			rest = slice_from(rest, 7);
		}
		from = slice_next_token(&rest);
		if (!slice_has_prefix(rest, "to "))
			return LINE_SKIPPED;
		rest = slice_from(rest, 3);
		to = slice_next_token(&rest);
		if (!slice_has_prefix(rest, "on "))
			return LINE_SKIPPED;
		tty = slice_from(rest, 3);
	}
	if (from.n == 0 || to.n == 0)
		return LINE_SKIPPED;
	ev->f[EV_USER] = from;
	ev->f[EV_ACCOUNT] = to;
	event_set_checked(ev, EV_OUTCOME, ok ? SLICE_LIT("success") :
	    SLICE_LIT("failure"));
	if (tty.n)
		event_add_extra(ev, "tty", tty);
	return LINE_USED;
}

/*
 * "pam_unix(su:session): session opened for user TO[(uid=N)] by
 * [FROM](uid=N)": a su that went through. Old su leaves FROM out.
 */
static enum line_result
su_session_fill(struct parse_ctx *ctx, struct slice msg)
{
	struct event *ev = ctx->ev;
	struct slice rest = slice_from(msg, (size_t)find_first(msg,
	    " for user ") + 10);
	struct slice to = strip_uid(slice_next_token(&rest));

	ev->f[EV_ACCOUNT] = to;
	if (slice_has_prefix(rest, "by "))
		ev->f[EV_USER] = strip_uid(slice_from(rest, 3));
	event_set_checked(ev, EV_OUTCOME, SLICE_LIT("success"));
	return LINE_USED;
}

static enum line_result
auth_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct envelope_year *ey = state;
	struct event *ev = ctx->ev;
	struct envelope env;
	struct slice msg, times;
	enum auth_kind k;
	enum line_result r;
	char q[200];

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	if (envelope_parse(line, ey, &env) != 0)
		return fmt_reject(ctx, "linux-auth: %s '%s'", env.err,
		    diag_quote(q, sizeof q, line));
	msg = unwrap_repeated(slice_trim(env.msg), &times);
	if ((k = classify(env.tag, msg)) == AK_NONE)
		return LINE_SKIPPED;	/* another message of the log */
	switch (k) {
	case AK_SUDO:
		r = sudo_fill(ctx, msg);
		break;
	case AK_PAM_FAILURE:
		r = pam_failure_fill(ctx, msg);
		break;
	case AK_SU:
		r = su_fill(ctx, msg);
		break;
	case AK_SU_SESSION:
		r = su_session_fill(ctx, msg);
		break;
	default:
		r = sshd_fill(ctx, k, msg);
		break;
	}
	if (r != LINE_USED)
		return r;
	ev->ts_ms = env.ts_ms;
	ev->has_ts = env.has_ts;
	if (env.host.n)
		ev->f[EV_DEVICE] = env.host;
	event_set_checked(ev, EV_LOG, SLICE_LIT("auth"));
	event_set_checked(ev, EV_FORMAT, SLICE_LIT("linux-auth"));
	if (k != AK_PAM_FAILURE)
		event_set_checked(ev, EV_EVENT_ID, slice_cstr(kind_id[k]));
	if (times.n)
		event_add_extra_checked(ev, "repeated", times);
	return fmt_emit(ctx);
}

/* Whether line is a syslog line holding one of the messages read here. */
static int
is_auth_line(struct slice line)
{
	struct envelope_year ey;
	struct envelope env;
	struct slice times;

	envelope_year_init(&ey, 2000, 0);
	if (envelope_parse(line, &ey, &env) != 0)
		return 0;
	return classify(env.tag, unwrap_repeated(slice_trim(env.msg),
	    &times)) != AK_NONE;
}

static int
auth_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_auth_line);
}

const struct fmt fmt_linux_auth = {
	.name = "linux-auth",
	.log = "auth",
	.summary = "Linux auth.log / secure: sshd logins, sudo and su",
	.sniff = auth_sniff,
	.line = auth_line,
	ENVELOPE_YEAR_STATE,
};
