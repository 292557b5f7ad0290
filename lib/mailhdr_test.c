/*
 * mailhdr_test.c: Received headers as Postfix, Sendmail, Exim, qmail,
 * Exchange and Gmail write them (and as forgers write the lower hops),
 * Authentication-Results verdicts, Return-Path, mbox "From " lines and
 * the escaped lists.
 */
#include <stdio.h>
#include <string.h>
#include "esc.h"
#include "mailhdr.h"
#include "test.h"
#include "timeconv.h"

/* Checks the connecting address (or none) and the by host of v. */
static void
rcvd(const char *v, const char *ip, const char *by, const char *what)
{
	struct mailhdr_received r;
	char text[IPADDR_TEXT_MAX];
	size_t n = 0;

	mailhdr_received(slice_cstr(v), &r);
	if (r.has_ip)
		n = ip_format(text, &r.ip);
	TEST_OK(ip == NULL ? !r.has_ip : r.has_ip && n == strlen(ip) &&
	    memcmp(text, ip, n) == 0, what);
	TEST_OK(slice_eq(r.by, by), what);
	if (!slice_eq(r.by, by) || (ip == NULL) != !r.has_ip)
		printf("# got ip '%.*s' by '%.*s'\n", (int)n, text,
		    (int)r.by.n, r.by.p);
}

static void
received(void)
{
	struct mailhdr_received r;

	rcvd("from mail.example.net (mail.example.net [203.0.113.45])\n"
	    "\tby mx1.example.jp (Postfix) with ESMTPS id 3CD34\n"
	    "\tfor <a@example.jp>; Tue, 25 Nov 2025 10:00:03 +0900",
	    "203.0.113.45", "mx1.example.jp",
	    "Postfix: address in the comment");
	rcvd("from [1.2.3.4] (unknown [203.0.113.9]) by mx.example.jp "
	    "(Postfix) with ESMTP id 1; Mon, 1 Dec 2025 00:00:00 +0000",
	    "203.0.113.9", "mx.example.jp",
	    "Postfix: a forged HELO literal loses to the connection");
	rcvd("from EX01.corp.local (10.0.0.5) by EX02.corp.local (10.0.0.6) "
	    "with Microsoft SMTP Server id 15.1.2; Mon, 1 Dec 2025",
	    "10.0.0.5", "EX02.corp.local",
	    "Exchange: bare address in parentheses");
	rcvd("from DM3NAM03FT035.eop-NAM03.prod.protection.outlook.com\n"
	    " (2a01:111:f400:7e49::205) by "
	    "CY4PR0601CA0051.outlook.office365.com\n (2603:10b6:910:89::28) "
	    "with Microsoft SMTP Server; Mon, 1 Oct "
	    "2018 09:49:21 +0000", "2a01:111:f400:7e49::205",
	    "CY4PR0601CA0051.outlook.office365.com",
	    "Exchange Online: IPv6, the by part's address not taken");
	rcvd("from unknown (HELO 203.0.113.1) (198.51.100.23)\n  by "
	    "mx.example.net with SMTP; 28 Nov 2025 12:00:00 -0000",
	    "198.51.100.23", "mx.example.net", "qmail: HELO value skipped");
	rcvd("from unknown (HELO ) (185.137.84.106)\n  by smtp.example.net "
	    "with SMTP; 24 May 2016 12:30:11 -0000", "185.137.84.106",
	    "smtp.example.net", "qmail: an empty HELO ends with its comment");
	rcvd("from mail.example.com ([198.51.100.8]:41234 helo=[10.9.9.9])\n"
	    "\tby mx.example.org with esmtps (Exim 4.96)\n\tid 1a; Mon, 1 Dec "
	    "2025 00:00:00 +0000", "198.51.100.8", "mx.example.org",
	    "Exim: address with a port, helo= skipped");
	rcvd("from [192.0.2.7] (helo=pc01) by mx.example.org with esmtpa; "
	    "Mon, 1 Dec 2025 00:00:00 +0000", "192.0.2.7", "mx.example.org",
	    "Exim: an address literal for the host");
	rcvd("from mx.example.org ([IPv6:2001:db8::1]) by mx2.example.org; "
	    "Mon, 1 Dec 2025", "2001:db8::1", "mx2.example.org",
	    "Sendmail: IPv6 literal");
	rcvd("(qmail 11769 invoked from network); 22 Aug 2016 14:23:01 -0000",
	    NULL, "", "qmail: no from part; 'from' in a comment ignored");
	rcvd("by 2002:a05:6a10:b096:b0:51c:3972:fc1f with SMTP id a;\n Thu, "
	    "23 Nov 2023 06:20:14 -0800 (PST)", NULL,
	    "2002:a05:6a10:b096:b0:51c:3972:fc1f", "Gmail: by only");
	rcvd("from [129.212.207.5] (account x@example.it HELO a.example.it)\n"
	    "\tby  (Postfix)\n\twith esmtpa; Tue, 24 May 2016 13:09:41 +0100",
	    "129.212.207.5", "", "by with no host: nothing taken");
	rcvd("from mail.example.com (mail.example.com [not an address) by x",
	    NULL, "x", "an unclosed bracket");
	rcvd("from host (([(( by", NULL, "", "unbalanced comments");
	rcvd("", NULL, "", "empty");

	mailhdr_received(slice_cstr("from a (b [192.0.2.1]) by c; Tue, 25 "
	    "Nov 2025 10:00:03 +0900  \n"), &r);
	TEST_OK(slice_eq(r.date, "Tue, 25 Nov 2025 10:00:03 +0900") &&
	    r.has_from, "date after the last ';', trimmed");
	mailhdr_received(slice_cstr("from a by b with c"), &r);
	TEST_OK(r.date.n == 0 && r.has_from && !r.has_ip, "no date");
}

static void
verdict(const char *v, const char *m, const char *want, const char *what)
{
	const char *got = mailhdr_auth_verdict(slice_cstr(v), m);

	TEST_OK(want == NULL ? got == NULL : got != NULL &&
	    strcmp(got, want) == 0, what);
}

static void
auth_results(void)
{
	const char *ar = "mx.google.com;\n       dkim=pass header.i=@example."
	    "com header.s=s1 header.b=abc;\n       spf=softfail (google.com: "
	    "domain of x does not designate 1.2.3.4; dkim=fail) smtp.mailfrom"
	    "=x@example.com;\n       dmarc=FAIL (p=REJECT sp=REJECT dis=NONE)"
	    " header.from=example.com";

	verdict(ar, "spf", "softfail", "spf");
	verdict(ar, "dkim", "pass", "dkim: the first result, not one in a "
	    "comment");
	verdict(ar, "dmarc", "fail", "dmarc, upper case");
	verdict("mx; dkim=pass; dkim=fail", "dkim", "pass", "first of two");
	verdict("mx; spf = temperror smtp.mailfrom=x", "spf", "temperror",
	    "spaces around '='");
	verdict("mx; spf=hardfail", "spf", NULL, "a word not in the list");
	verdict("mx; none", "spf", NULL, "no result at all");
	verdict("mx; arc=pass; xspf=pass", "spf", NULL, "a longer method "
	    "name is not spf");
	verdict("mx; dmarc=bestguesspass", "dmarc", NULL, "Microsoft's "
	    "bestguesspass is not a verdict word");
	verdict("mx; spf=", "spf", NULL, "cut after '='");
	verdict("mx; (spf=pass", "spf", NULL, "inside an unclosed comment");
	verdict("mx; spf=pass smtp.mailfrom=\"a dmarc=pass\"@evil.example; "
	    "dmarc=fail header.from=x", "dmarc", "fail",
	    "a method in a quoted local part is the sender's text");
	verdict("mx; spf=pass smtp.mailfrom=\"a(b\"@evil.example; dkim=none; "
	    "dmarc=fail", "dmarc", "fail", "a '(' in a quoted string opens no "
	    "comment");
	verdict("mx; spf=pass smtp.mailfrom=\"a\\\" dmarc=pass\"@x; "
	    "dmarc=fail", "dmarc", "fail", "an escaped quote inside one");
}

static void
return_path(void)
{
	TEST_OK(slice_eq(mailhdr_return_path(slice_cstr(" <a@example.com>")),
	    "a@example.com"), "angle brackets");
	TEST_OK(slice_eq(mailhdr_return_path(slice_cstr("<>")), "<>"),
	    "null sender");
	TEST_OK(slice_eq(mailhdr_return_path(slice_cstr(" < >\n")), "<>"),
	    "null sender with space");
	TEST_OK(slice_eq(mailhdr_return_path(slice_cstr("a@example.com ")),
	    "a@example.com"), "bare");
	TEST_OK(slice_eq(mailhdr_return_path(slice_cstr("<a@example.com")),
	    "a@example.com"), "unclosed");
	TEST_OK(mailhdr_return_path(slice_cstr("  ")).n == 0, "empty");
}

static void
mbox_from(void)
{
	struct slice s;
	int64_t ms = 0, want;

	time_zone_set("UTC");
	want = time_utc_seconds(2011, 7, 8, 12, 8, 34) * 1000;
	TEST_OK(mailhdr_mbox_from(slice_cstr("From MAILER-DAEMON Fri Jul  8 "
	    "12:08:34 2011"), &s, &ms) == 0 && slice_eq(s, "MAILER-DAEMON") &&
	    ms == want, "asctime date");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From a@b Fri Jul 8 21:08:34 "
	    "+0900 2011"), &s, &ms) == 0 && ms == want, "numeric zone");
	time_zone_set("Asia/Tokyo");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From a@b Fri Jul  8 21:08:34 "
	    "2011"), &s, &ms) == 0 && ms == want, "local time of --tz");
	time_zone_set("UTC");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From a@b Jul  8 12:08 2011"),
	    &s, &ms) == 0 && ms == want - 34000, "no weekday, no seconds");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From - Fri Jul  8 12:08:34 "
	    "2011"), &s, &ms) == 0 && slice_eq(s, "-"), "Thunderbird's '-'");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From someone"), &s, &ms) == 1 &&
	    slice_eq(s, "someone"), "no date");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From a@b Fri Feb 30 12:00:00 "
	    "2011"), &s, &ms) == 1, "no such day");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From here on the line is text"),
	    &s, &ms) == 1, "body text is no date");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From: a@b"), &s, &ms) == -1,
	    "a From: header is no From line");
	TEST_OK(mailhdr_mbox_from(slice_cstr("From "), &s, &ms) == -1,
	    "no sender");
}

static void
lists(void)
{
	struct mailhdr_list l;
	char big[4096];

	mailhdr_list_init(&l, ESC_TSV);
	TEST_OK(mailhdr_list_add(&l, slice_cstr("a.zip")) == 0 &&
	    mailhdr_list_add(&l, slice_cstr("Q4, final.zip")) == 0 &&
	    mailhdr_list_add(&l, SLICE_NONE) == 0 &&
	    mailhdr_list_add(&l, slice_cstr("tab\there\\")) == 0, "adds");
	TEST_BYTES(l.p, l.n, "a.zip,Q4\\x2c final.zip,,tab\\there\\\\",
	    "commas inside items as \\x2c, escapes kept");
	TEST_OK(l.count == 4, "count");
	mailhdr_list_clear(&l);
	TEST_OK(l.n == 0 && l.count == 0, "clear");
	mailhdr_list_release(&l);

	mailhdr_list_init(&l, ESC_EXTRA);
	(void)mailhdr_list_add(&l, slice_cstr("a;b,c\xff"));
	TEST_BYTES(l.p, l.n, "a\\x3bb\\x2cc\\xff", "extra: ';' escaped too, "
	    "bad UTF-8 as \\xHH");
	memset(big, ',', sizeof big);
	while (mailhdr_list_add(&l, slice_make(big, sizeof big)) == 0)
		continue;
	TEST_OK(l.cut && l.n <= MAILHDR_LIST_MAX, "bounded");
	TEST_OK(l.n > 1 && l.p[l.n - 1] == 'c', "whole items only");
	mailhdr_list_release(&l);
}

int
main(void)
{
	received();
	auth_results();
	return_path();
	mbox_from();
	lists();
	return test_done();
}
