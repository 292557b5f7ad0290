/*
 * fmt_eml_test.c: the eml and mbox formats driven line by line as
 * csm-parse drives them: where an mbox splits (and where a "From " line
 * is body text), the origin line of each message, a message that cannot
 * be read rejected on the line where that shows, an eml opening with a
 * "From " line, a message cut at MIMEMSG_MAX, and the sniffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "fmt.h"
#include "mimemsg.h"
#include "test.h"
#include "timeconv.h"

#define MAXEV 8

static int nev;
static uint64_t ev_line[MAXEV];
static char ev_subject[MAXEV][64];
static char ev_from[MAXEV][64];
static int ev_cut[MAXEV];

static void
emit(struct parse_ctx *ctx, struct event *ev)
{
	int i;

	(void)ctx;
	if (nev >= MAXEV)
		return;
	ev_line[nev] = ev->origin_line;
	snprintf(ev_subject[nev], sizeof ev_subject[nev], "%.*s",
	    (int)ev->f[EV_SUBJECT].n, ev->f[EV_SUBJECT].p);
	snprintf(ev_from[nev], sizeof ev_from[nev], "%.*s",
	    (int)ev->f[EV_MAIL_FROM].n, ev->f[EV_MAIL_FROM].p);
	ev_cut[nev] = 0;
	for (i = 0; i < ev->nextra; i++)
		if (slice_eq(ev->extra_val[i], "size"))
			ev_cut[nev] = 1;
	nev++;
}

static struct event ev;
static char reasons[1024];

/*
 * Feeds text line by line to format name, as parse_lines does; the
 * rejections' "line: reason" go to reasons. Returns the lines used.
 */
static int
feed(const char *name, const char *text)
{
	const struct fmt *f = fmt_lookup(name);
	struct parse_opts opts;
	struct parse_ctx ctx;
	const char *p = text, *nl;
	uint64_t line = 0;
	void *state;
	int used = 0;
	size_t rn = 0;

	memset(&opts, 0, sizeof opts);
	memset(&ctx, 0, sizeof ctx);
	ctx.opts = &opts;
	ctx.ev = &ev;
	ctx.emit = emit;
	nev = 0;
	reasons[0] = '\0';
	if (f == NULL || (state = f->open(&ctx)) == NULL)
		return -1;
	while (*p) {
		enum line_result r;

		nl = strchr(p, '\n');
		event_clear(&ev);
		ev.origin_file = "t";
		ev.origin_line = ++line;
		r = f->line(state, slice_make(p, nl ? (size_t)(nl - p) :
		    strlen(p)), &ctx);
		if (r == LINE_USED)
			used++;
		else if (r == LINE_REJECTED)
			rn += (size_t)snprintf(reasons + rn,
			    sizeof reasons - rn, "%llu: %s|",
			    (unsigned long long)line, ctx.reason);
		p = nl ? nl + 1 : p + strlen(p);
	}
	f->finish(state, &ctx);
	if (ctx.reason[0] != '\0')
		snprintf(reasons + rn, sizeof reasons - rn, "end: %s|",
		    ctx.reason);
	f->close(state);
	return used;
}

static void
mbox(void)
{
	TEST_OK(feed("mbox",
	    "From a@example.com Mon Nov 24 09:15:00 2025\n"	/* 1 */
	    "Subject: one\n"
	    "\n"
	    "From here on, body text: no date in it.\n"
	    "body\n"						/* 5 */
	    "From b@example.com Mon Nov 24 09:30:00 2025\n"
	    ">From the archive\n"
	    "\n"
	    "From b@example.com Mon Nov 24 10:00:00 2025\n"	/* 9 */
	    "Subject: two\n"
	    "\n"
	    "body\n"
	    "\n"
	    "From c@example.com Mon Nov 24 11:00:00 2025\n"	/* 14 */
	    "Subject: three\n") == 15 && nev == 3, "three messages");
	TEST_OK(ev_line[0] == 1 && ev_line[1] == 9 && ev_line[2] == 14,
	    "origin: each message's From line; From lines with no date or "
	    "no empty line before are body text");
	TEST_OK(strcmp(ev_subject[0], "one") == 0 && strcmp(ev_subject[1],
	    "two") == 0 && strcmp(ev_subject[2], "three") == 0, "split right");
	TEST_OK(strcmp(ev_from[1], "b@example.com") == 0, "envelope sender");

	TEST_OK(feed("mbox", "Subject: no From line\n\nbody\n") == 3 &&
	    nev == 1 && ev_line[0] == 1, "no From line first: one message");
	TEST_OK(feed("mbox",
	    "From a@example.com Mon Nov 24 09:15:00 2025\n"
	    "\n"
	    "no header at all\n"
	    "\n"
	    "From b@example.com Mon Nov 24 10:00:00 2025\n"
	    "Subject: fine\n") == 5 && nev == 1 &&
	    strcmp(reasons, "5: message 1: not a mail message: no header "
	    "fields|") == 0, "a message without headers: rejected where the "
	    "next begins, the next read");
	TEST_OK(feed("mbox",
	    "From a@example.com Mon Nov 24 09:15:00 2025\n"
	    "\n"
	    "no header\n") == 3 && nev == 0 &&
	    strcmp(reasons, "end: message 1: not a mail message: no header "
	    "fields|") == 0, "the last one: rejected at the end");
	TEST_OK(feed("mbox", "") == 0 && nev == 0 && reasons[0] == '\0',
	    "empty input");
}

static void
eml(void)
{
	TEST_OK(feed("eml",
	    "From - Mon Nov 24 09:15:00 2025\n"
	    "Subject: saved by Thunderbird\n"
	    "\n"
	    "From me, a line of body.\n"
	    "\n"
	    "From x@example.com Mon Nov 24 09:15:00 2025\n"
	    "more body\n") == 7 && nev == 1, "eml: one message whatever "
	    "comes");
	TEST_OK(strcmp(ev_subject[0], "saved by Thunderbird") == 0 &&
	    ev_from[0][0] == '\0', "a leading From line read as the "
	    "envelope; '-' is no sender");
}

static void
cut(void)
{
	size_t big = 1024 * 1024, i;
	char *text = malloc(70 * (big + 1) + 64);
	char *p = text;

	memcpy(p, "Subject: big\n\n", 14);
	p += 14;
	for (i = 0; i < 70; i++) {
		memset(p, 'A', big);
		p[big] = '\n';
		p += big + 1;
	}
	*p = '\0';
	TEST_OK(feed("eml", text) == 72 && nev == 1 && ev_cut[0],
	    "a message past MIMEMSG_MAX: cut, said in mime_warning");
	free(text);
}

static int
sniff(const char *name, const char *text)
{
	const struct fmt *f = fmt_lookup(name);
	struct slice lines[50];
	const char *p = text, *nl;
	int n = 0;

	while (*p && n < 50) {
		nl = strchr(p, '\n');
		lines[n++] = slice_make(p, nl ? (size_t)(nl - p) : strlen(p));
		p = nl ? nl + 1 : p + strlen(p);
	}
	return f->sniff(lines, n);
}

static void
sniffers(void)
{
	const char *msg = "Received: from a by b; Mon, 24 Nov 2025\n"
	    " 09:15:00 +0000\nFrom: a@example.com\nX-Custom: 1\n\nbody\n";
	char mbox_text[256];

	TEST_OK(sniff("eml", msg) == 90, "eml: a header block");
	TEST_OK(sniff("eml", "Subject: x\nNot a field\nFrom: a\nTo: b\n\n") ==
	    70, "eml: a broken line among three mail headers");
	TEST_OK(sniff("eml", "Subject: x\nNot a field\nFrom: a\n\n") == 0,
	    "eml: a broken line and two mail headers");
	TEST_OK(sniff("eml", "From: a\nNot a field\n\n") == 0,
	    "eml: too little");
	TEST_OK(sniff("eml", "X-Custom: 1\nFrom: a\nTo: b\n\n") == 0,
	    "eml: another field first needs three mail headers");
	TEST_OK(sniff("mbox", "From - Mon Nov 24 09:15:00 2025\n"
	    "X-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n"
	    "Return-Path: <a@b>\nFrom: a@b\nTo: c@d\n\nbody\n") == 95,
	    "mbox: Thunderbird's saved message");
	TEST_OK(sniff("eml", "#Software: Microsoft Exchange Server\n"
	    "#Version: 15.0.0.0\n#Log-type: Message Tracking Log\n"
	    "#Date: 2025-11-25T00:00:00.000Z\n#Fields: date-time,client-ip\n")
	    == 0, "eml: not an Exchange tracking log header");
	TEST_OK(sniff("eml", "Nov 25 10:00:00 host postfix/cleanup[1]: "
	    "ABC: message-id=<a@b>\n") == 0, "eml: not a syslog line");
	TEST_OK(sniff("eml", "Date: 2025-11-25\nTime: 10:00\n") == 0,
	    "eml: one mail header name is not enough");
	snprintf(mbox_text, sizeof mbox_text, "From a@example.com Mon Nov 24 "
	    "09:15:00 2025\n%s", msg);
	TEST_OK(sniff("mbox", mbox_text) == 95 && sniff("eml", mbox_text) ==
	    0, "mbox: From line and a header block");
	TEST_OK(sniff("mbox", "From a@example.com Mon Nov 24 09:15:00 2025\n"
	    "just text\n") == 0, "mbox: no header block");
	TEST_OK(sniff("mbox", "From someone in the text\nFrom: a\nTo: b\n") ==
	    0, "mbox: a From line needs its date");
}

int
main(void)
{
	time_zone_set("UTC");
	mbox();
	eml();
	cut();
	sniffers();
	return test_done();
}
