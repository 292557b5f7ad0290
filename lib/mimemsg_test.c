/*
 * mimemsg_test.c: messages made into events as csm-events(5) writes
 * them: addresses, Japanese display names, subjects and file names in the
 * charsets they come in (declared or not), the time and its fallbacks,
 * the first external hop, Authentication-Results, attachments with ZIP
 * members (uuencoded with the trailing spaces relays strip), broken MIME
 * reported in mime_warning and through fmt_warn, and what is rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "mimemsg.h"
#include "outbuf.h"
#include "test.h"
#include "timeconv.h"

static struct outbuf out;
static struct time_cache tc;
static int events;
static char rec[65536];			/* the last record, one line */
static char *cols[EV_NCOLS];
static char warned[512];		/* the last fmt_warn message */
static uint64_t warned_line;

static void
emit(struct parse_ctx *ctx, struct event *ev)
{
	size_t n;
	int i;
	char *p;

	(void)ctx;
	out.len = 0;
	event_write(&out, ev, &tc);
	n = out.len < sizeof rec ? out.len : sizeof rec - 1;
	memcpy(rec, out.buf, n);
	rec[n] = '\0';
	if (n && rec[n - 1] == '\n')
		rec[n - 1] = '\0';
	for (i = 0, p = rec; i < EV_NCOLS; i++) {
		cols[i] = p;
		if ((p = strchr(p, '\t')) == NULL)
			break;
		*p++ = '\0';
	}
	events++;
}

static void
warn(struct parse_ctx *ctx, uint64_t line, const char *msg)
{
	(void)ctx;
	snprintf(warned, sizeof warned, "%s", msg);
	warned_line = line;
}

static struct mimemsg *mm;
static struct event ev;
static struct parse_ctx ctx;
static struct parse_opts opts;

/* Parses text with env (or none); returns the result. */
static enum line_result
parse_env(const char *text, const struct mimemsg_env *env)
{
	struct mimemsg_env none;

	memset(&none, 0, sizeof none);
	none.line = 1;
	events = 0;
	warned[0] = '\0';
	memset(cols, 0, sizeof cols);
	event_clear(&ev);
	ev.origin_file = "t.eml";
	ctx.reason[0] = '\0';
	return mimemsg_emit(mm, slice_cstr(text), env ? env : &none, &ctx);
}

static enum line_result
parse(const char *text)
{
	return parse_env(text, NULL);
}

/* Whether column c of the last record is want. */
static int
is(enum ev_col c, const char *want)
{
	if (cols[c] != NULL && strcmp(cols[c], want) == 0)
		return 1;
	printf("# column %s: got '%s', want '%s'\n", event_columns[c],
	    cols[c] ? cols[c] : "(none)", want);
	return 0;
}

/* Whether extra of the last record holds the pair kv. */
static int
has_extra(const char *kv)
{
	const char *e = cols[EV_EXTRA], *p;
	size_t n = strlen(kv);

	for (p = e; p != NULL && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 :
	    NULL)
		if (strncmp(p, kv, n) == 0 && (p[n] == ';' || p[n] == '\0'))
			return 1;
	printf("# extra '%s' lacks '%s'\n", e ? e : "(none)", kv);
	return 0;
}

static void
headers(void)
{
	TEST_OK(parse(
	    "Return-Path: <bounce@example.net>\n"
	    "Received: from mx.example.jp (mx.example.jp [10.0.0.2]) by "
	    "mbox.example.jp; Tue, 25 Nov 2025 10:00:05 +0900\n"
	    "Received: from gw (gw [127.0.0.1]) by mx.example.jp; Tue, 25 Nov "
	    "2025 10:00:04 +0900\n"
	    "Received: from ll (ll [fe80::1]) by gw; Tue, 25 Nov 2025 "
	    "10:00:03 +0900\n"
	    "Received: from cgn (cgn [100.64.1.1]) by gw; Tue, 25 Nov 2025 "
	    "10:00:03 +0900\n"
	    "Received: from out.example.net (out.example.net [2001:db8::25])"
	    " by ll; Tue, 25 Nov 2025 01:00:02 +0000\n"
	    "Received: from pc (pc [198.51.100.9]) by out.example.net; Tue, "
	    "25 Nov 2025 01:00:01 +0000\n"
	    "Authentication-Results: mx.example.jp; spf=pass "
	    "smtp.mailfrom=example.net; dkim=fail; dmarc=none\n"
	    "Authentication-Results: forged.example; spf=fail\n"
	    "From: \"Sales; Team\" <sales@example.net>\n"
	    "Sender: agent@example.net\n"
	    "Reply-To: Other <other@example.org>, second@example.org\n"
	    "To: a@example.jp, Team: b@example.jp, c@example.jp;\n"
	    "Cc: \"Doe, J\" <d@example.jp>\n"
	    "Subject: hello\n"
	    "Date: Tue, 25 Nov 2025 10:00:00 +0900\n"
	    "Message-ID: <id.1@example.net>\n"
	    "\n"
	    "body\n") == LINE_USED && events == 1, "plain message");
	TEST_OK(is(EV_TS, "2025-11-25T01:00:00.000Z"), "ts from Date");
	TEST_OK(is(EV_LOG, "mail") && is(EV_FORMAT, "eml"), "log and format");
	TEST_OK(is(EV_DEVICE, "mbox.example.jp"), "device: topmost by");
	TEST_OK(is(EV_SRC_IP, "2001:db8::25"), "first external hop: private, "
	    "loopback, link-local and shared addresses passed over");
	TEST_OK(is(EV_MAIL_FROM, "bounce@example.net"), "mail_from");
	TEST_OK(is(EV_HDR_FROM, "sales@example.net") &&
	    is(EV_HDR_FROM_NAME, "Sales; Team"), "From");
	TEST_OK(is(EV_RCPT, "a@example.jp,b@example.jp,c@example.jp,"
	    "d@example.jp"), "To and Cc, group members too");
	TEST_OK(is(EV_SUBJECT, "hello") && is(EV_MSG_ID, "id.1@example.net"),
	    "subject, msg_id without brackets");
	TEST_OK(is(EV_ATTACH, ""), "no attachment");
	TEST_OK(is(EV_EXTRA, "sender=agent@example.net;"
	    "reply_to=other@example.org;reply_to_more=second@example.org;"
	    "spf=pass;dkim=fail;dmarc=none"), "extra: first Reply-To, the "
	    "others in reply_to_more, the topmost Authentication-Results");
	TEST_OK(is(EV_ORIGIN, "t.eml:1") && warned[0] == '\0',
	    "origin; no warning");
}

static void
times(void)
{
	struct mimemsg_env env;

	memset(&env, 0, sizeof env);
	env.line = 7;
	env.has_from_ms = 1;
	env.from_ms = 1000;
	env.has_mtime = 1;
	env.mtime_ms = 2000;
	(void)parse_env("Received: (qmail 1 invoked from network); 22 Aug 2016"
	    " 14:23:01 -0000\nReceived: from a (a [192.0.2.1]) by b; 1 Jan 2016"
	    " 00:00:00 +0000\nDate: not a date\nSubject: x\n\n", &env);
	TEST_OK(is(EV_TS, "2016-08-22T14:23:01.000Z") &&
	    has_extra("ts_from=received"), "an unreadable Date: the newest "
	    "Received");
	TEST_OK(is(EV_ORIGIN, "t.eml:7"), "origin line from env");
	(void)parse_env("Subject: x\nReceived: by b\n\n", &env);
	TEST_OK(is(EV_TS, "1970-01-01T00:00:01.000Z") &&
	    has_extra("ts_from=mbox"), "the mbox From line");
	env.has_from_ms = 0;
	(void)parse_env("Subject: x\n\n", &env);
	TEST_OK(is(EV_TS, "1970-01-01T00:00:02.000Z") &&
	    has_extra("ts_from=mtime"), "the file's mtime");
	(void)parse("Subject: x\n\n");
	TEST_OK(is(EV_TS, "") && is(EV_EXTRA, ""), "no time at all");
	env.sender = slice_cstr("MAILER-DAEMON");
	(void)parse_env("Subject: x\n\n", &env);
	TEST_OK(is(EV_MAIL_FROM, "MAILER-DAEMON"), "mail_from from the mbox "
	    "line when there is no Return-Path");
	(void)parse_env("Return-Path: <>\nSubject: x\n\n", &env);
	TEST_OK(is(EV_MAIL_FROM, "<>"), "null sender");
}

static void
japanese(void)
{
	/* ISO-2022-JP words, one character split over two (①㈱ are NEC). */
	(void)parse("From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= "
	    "=?ISO-2022-JP?B?GyRCLSEtahsoQg==?= <y@example.jp>\n"
	    "Subject: =?shift_jis?B?kL+LgY+R?= =?Shift_JIS?B?h0A=?=\n\n");
	TEST_OK(is(EV_HDR_FROM_NAME, "山田①㈱"), "ISO-2022-JP with NEC "
	    "characters");
	TEST_OK(is(EV_SUBJECT, "請求書①"), "Shift_JIS read as CP932");
	TEST_OK(warned[0] == '\0', "declared charsets: no warning");
	(void)parse("From: \x8e\x52\x93\x63 <y@example.jp>\n"
	    "Subject: \x90\xbf\x8b\x81\x8f\x91\n\n");
	TEST_OK(is(EV_HDR_FROM_NAME, "山田") && is(EV_SUBJECT, "請求書"),
	    "undeclared Shift_JIS");
	TEST_OK(has_extra("mime_warning=charset") &&
	    strstr(warned, "broken MIME (charset)") != NULL,
	    "undeclared charset reported");
	(void)parse("From: \xa4\xb3\xa4\xf3 <y@example.jp>\n\n");
	TEST_OK(is(EV_HDR_FROM_NAME, "こん"), "undeclared EUC-JP (not read as "
	    "half-width katakana)");
	(void)parse("Subject: \x1b$B@A5a=q\x1b(B =?UTF-8?B?8J+Ukg==?=\n\n");
	TEST_OK(is(EV_SUBJECT, "請求書 🔒"), "undeclared ISO-2022-JP escapes, "
	    "then an encoded-word");
	(void)parse("Subject: \xff\xfe\n\n");
	TEST_OK(is(EV_SUBJECT, "ÿþ"), "unreadable bytes: ISO-8859-1 at last");
	(void)parse("Subject: =?x-unknown?B?YWJj?=\n\n");
	TEST_OK(is(EV_SUBJECT, "=?x-unknown?B?YWJj?="), "unknown charset: "
	    "kept as written");
}

static const char zip_head[] =
	"From: a@example.com\nMIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
	"Content-Type: text/plain\n\ntext\n--b\n";

static void
attachments(void)
{
	char msg[4096];

	(void)parse("From: a@example.com\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
	    "--b\nContent-Type: text/plain\n\ntext\n"
	    "--b\nContent-Type: image/png; name=\"logo.png\"\n"
	    "Content-Disposition: inline\n\nx\n"
	    "--b\nContent-Type: application/octet-stream\n"
	    "Content-Disposition: attachment\n\nx\n"
	    "--b\nContent-Type: application/pdf\nContent-Disposition: "
	    "attachment;\n filename*0*=UTF-8''%E8%AB%8B%E6%B1;\n"
	    " filename*1*=%82%E6%9B%B8.pdf;\n filename*2=\" (1), final\"\n\nx\n"
	    "--b\nContent-Type: message/rfc822\n\n"
	    "Subject: inner\nContent-Type: multipart/mixed; boundary=\"c\"\n\n"
	    "--c\nContent-Type: text/x-sh; name=\"=?UTF-8?B?cnVuLnNo?=\"\n\n"
	    "x\n--c--\n"
	    "--b--\n");
	TEST_OK(is(EV_ATTACH, "logo.png,,請求書.pdf (1)\\x2c final,run.sh"),
	    "named parts and disposition attachment in MIME order, an "
	    "RFC 2231 name split in a character, a forwarded message's own");
	TEST_OK(has_extra("attach_type=image/png,application/octet-stream,"
	    "application/pdf,text/x-sh"), "types in the same order");

	/* A ZIP holding invoice.pdf.exe, stored, uuencoded. */
	snprintf(msg, sizeof msg, "%s%s", zip_head,
	    "Content-Type: application/zip; name=\"invoice.zip\"\n"
	    "Content-Transfer-Encoding: x-uuencode\n\n"
	    "begin 644 invoice.zip\n"
	    "M4$L#!!0```````!@>5M=F[\"/`@````(````/````:6YV;VEC92YP9&8N97AE\n"
	    "M35I02P$\"%``4````````8'E;79NPCP(````\"````#P``````````````````\n"
	    "H````:6YV;VEC92YP9&8N97AE4$L%!@`````!``$`/0```\"\\`````````\n"
	    "`\n"
	    "end\n--b--\n");
	(void)parse(msg);
	TEST_OK(has_extra("archive_member=invoice.zip/invoice.pdf.exe"),
	    "uuencoded ZIP listed");
	/* The same with its trailing spaces stripped, as relays do. */
	snprintf(msg, sizeof msg, "%s%s", zip_head,
	    "Content-Type: application/octet-stream; name=\"a.ZIP\"\n"
	    "Content-Transfer-Encoding: uuencode\n\n"
	    "begin 644 a.zip\n"
	    "M4$L#!!0       !@>5M=F[\"/ @    (    /    :6YV;VEC92YP9&8N97AE\n"
	    "M35I02P$\"%  4        8'E;79NPCP(    \"    #P\n"
	    "H    :6YV;VEC92YP9&8N97AE4$L%!@     !  $ /0   \"\\\n"
	    "end\n--b--\n");
	(void)parse(msg);
	TEST_OK(has_extra("archive_member=a.ZIP/invoice.pdf.exe") &&
	    warned[0] == '\0', "lines that lost their trailing spaces "
	    "padded back");
	snprintf(msg, sizeof msg, "%s%s", zip_head,
	    "Content-Type: application/zip; name=\"x.zip\"\n"
	    "Content-Transfer-Encoding: base64\n\nbm90IGEgemlw\n--b--\n");
	(void)parse(msg);
	TEST_OK(has_extra("archive_error=x.zip") && is(EV_ATTACH, "x.zip"),
	    "not an archive");
	snprintf(msg, sizeof msg, "%s%s", zip_head,
	    "Content-Type: application/zip; name=\"u.zip\"\n"
	    "Content-Transfer-Encoding: x-uuencode\n\nno begin line\n--b--\n");
	(void)parse(msg);
	TEST_OK(has_extra("archive_error=u.zip") &&
	    has_extra("mime_warning=uuencode"), "uuencode without begin");
}

static void
broken(void)
{
	struct mimemsg_env env;
	char *big;
	size_t i;

	memset(&env, 0, sizeof env);
	env.line = 120;
	env.what = "message 3";
	TEST_OK(parse_env("From: a@example.com\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed\n\n--x\n\nhi\n", &env) == LINE_USED,
	    "multipart without boundary: an event");
	TEST_OK(has_extra("mime_warning=boundary") && warned_line == 120 &&
	    strcmp(warned, "message 3: broken MIME (boundary): the event "
	    "holds what could be read") == 0, "warned with what and line");
	env.recno = 4;
	(void)parse_env("From: a@example.com\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: application/pdf; name=a.pdf\n"
	    "Content-Transfer-Encoding: base64\n\nJVBE*Ri0=x\n--b--\n", &env);
	TEST_OK(has_extra("mime_warning=base64") && warned_line == 4,
	    "bad base64; the record number when there is one");
	(void)parse("From: a@example.com\nFrom: ceo@example.com\n"
	    "Subject: one\nSubject: two\nMessage-ID: <a@b>\n"
	    "Message-ID: <c@d>\n\n");
	TEST_OK(is(EV_HDR_FROM, "a@example.com") && is(EV_SUBJECT, "one") &&
	    is(EV_MSG_ID, "a@b") && has_extra("mime_warning=duplicate_header"),
	    "headers given twice: the first of each, warned");
	(void)parse("From: a@example.com\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	    "Content-Type: text/plain\n\nno end\n");
	TEST_OK(has_extra("mime_warning=truncated"), "no closing boundary");
	/* A header of a megabyte: decoded texts are bounded. */
	big = malloc(1 << 20);
	memcpy(big, "Subject: ", 9);
	for (i = 9; i < (1 << 20) - 3; i++)
		big[i] = "=?UTF-8?B?5ZCN?= "[i % 17];
	memcpy(big + i, "\n\n", 3);
	TEST_OK(parse(big) == LINE_USED && strlen(cols[EV_SUBJECT]) > 100 &&
	    strlen(cols[EV_SUBJECT]) <= 16384, "huge header cut");
	free(big);
	memset(&env, 0, sizeof env);
	env.cut = 1;
	(void)parse_env("Subject: x\n\nbody", &env);
	TEST_OK(has_extra("mime_warning=size"), "message cut at MIMEMSG_MAX");

	TEST_OK(parse("no header here\n") == LINE_REJECTED && events == 0 &&
	    strcmp(ctx.reason, "not a mail message: no header fields") == 0,
	    "no header field: rejected");
	env.what = "message 2";
	TEST_OK(parse_env("", &env) == LINE_REJECTED &&
	    strcmp(ctx.reason, "message 2: empty message") == 0, "empty");
}

int
main(void)
{
	outbuf_init_mem(&out);
	time_cache_init(&tc);
	time_zone_set("UTC");
	memset(&ctx, 0, sizeof ctx);
	ctx.opts = &opts;
	ctx.ev = &ev;
	ctx.emit = emit;
	ctx.warn = warn;
	if ((mm = mimemsg_new("eml")) == NULL)
		return 1;
	headers();
	times();
	japanese();
	attachments();
	broken();
	mimemsg_free(mm);
	outbuf_release(&out);
	return test_done();
}
