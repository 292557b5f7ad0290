/*
 * pftrail_test.c: Postfix's trailer read against the client's text: a
 * plain refusal, postscreen's commas and a reply with its own ';' read
 * one way; a HELO, a reply quoting it, or an address spelling a second
 * trailer leave the line ambiguous with nothing taken from it; a header
 * value or HELO spelling " from ORIGIN; trailer" does the same, as does
 * an address logged unquoted that spells the fields after it. smtpd's
 * HELO ends at its first '>'; one smtpd did not write, holding ">: "
 * before the site's text, leaves only the HELO and text unsure.
 */
#include "pftrail.h"
#include "test.h"

static struct pftrail_check c;
static struct pftrail_header h;

static int
check(const char *s)
{
	return pftrail_check(slice_cstr(s), &c);
}

static int
header(const char *s)
{
	return pftrail_header(slice_cstr(s), &h);
}

/* Whether nothing was taken from the trailer. */
static int
empty(const struct pftrail *t)
{
	return t->from.p == NULL && t->to.n == 0 && t->proto.n == 0 &&
	    t->helo.n == 0 && t->text.n == 0;
}

int
main(void)
{
	TEST_OK(check("RCPT from a.example[192.0.2.1]:25: 554 5.7.1 <r@x>: "
	    "Relay access denied; from=<s@x> to=<r@x> proto=ESMTP "
	    "helo=<a.example>") == 0 && !c.ambiguous &&
	    slice_eq(c.reply, "554 5.7.1 <r@x>: Relay access denied") &&
	    slice_eq(c.t.from, "s@x") && slice_eq(c.t.to, "r@x") &&
	    slice_eq(c.t.proto, "ESMTP") && slice_eq(c.t.helo, "a.example") &&
	    slice_eq(c.port, "25"), "plain refusal: one reading");
	TEST_OK(check("RCPT from [192.0.2.2]:5678: 550 5.5.1 Protocol error; "
	    "from=<s@x>, to=<r@x>, proto=ESMTP, helo=<h>") == 0 &&
	    !c.ambiguous && slice_eq(c.t.to, "r@x") &&
	    slice_eq(c.t.helo, "h"), "postscreen's commas");
	TEST_OK(check("RCPT from a[192.0.2.3]: 554 5.7.1 Service unavailable; "
	    "blocked using zen; https://x; from=<s@x> to=<r@x> "
	    "proto=ESMTP helo=<a>") == 0 && !c.ambiguous &&
	    slice_eq(c.reply, "554 5.7.1 Service unavailable; blocked using "
	    "zen; https://x") && slice_eq(c.t.from, "s@x"),
	    "a reply with its own ';'");
	TEST_OK(check("HELO from a[192.0.2.4]: 501 5.5.2 <x> proto=ESMTPSA "
	    "helo=<y>: Helo command rejected: Invalid name; proto=SMTP "
	    "helo=<x> proto=ESMTPSA helo=<y>") == 0 && !c.ambiguous &&
	    slice_eq(c.t.proto, "SMTP") &&
	    slice_eq(c.t.helo, "x> proto=ESMTPSA helo=<y"),
	    "'> proto=X helo=<' inside the HELO stays in it");
	TEST_OK(check("RCPT from a[192.0.2.5]: 554 5.7.1 <r@x>: Relay access "
	    "denied; from=<s@x> to=<r@x> proto=ESMTP helo=<h; from=<ceo@y> "
	    "to=<z@y> proto=ESMTPSA helo=<g>") == 0 && c.ambiguous &&
	    empty(&c.t) && slice_eq(c.reply, "554 5.7.1 <r@x>: Relay access "
	    "denied") && slice_has_prefix(c.unparsed, "from=<s@x> "),
	    "a HELO spelling a trailer: ambiguous, nothing taken");
	TEST_OK(check("RCPT from a[192.0.2.6]: 501 5.5.2 <x>; from=<ceo@y> "
	    "to=<z@y> proto=ESMTPSA helo=<g>: Helo command rejected: "
	    "Invalid name; from=<s@x> to=<r@x> proto=ESMTP helo=<x>; "
	    "from=<ceo@y> to=<z@y> proto=ESMTPSA helo=<g>") == 0 &&
	    c.ambiguous && empty(&c.t) && slice_eq(c.reply, "501 5.5.2 <x>"),
	    "the reply quoting that HELO: ambiguous, not forged");
	TEST_OK(check("RCPT from a[192.0.2.7]: 554 5.7.1 <\"r; from=<ceo@y> "
	    "proto=ESMTPSA helo=<h>\"@x>: Relay access denied; from=<s@x> "
	    "to=<\"r; from=<ceo@y> proto=ESMTPSA helo=<h>\"@x> proto=ESMTP "
	    "helo=<a>") == 0 && c.ambiguous && empty(&c.t),
	    "a quoted recipient spelling a trailer: ambiguous");
	TEST_OK(check("RCPT from a[192.0.2.8]: 554 5.7.1 no; from=<\"s "
	    "to=<z@y>\"@x> to=<r@x> proto=ESMTP helo=<a>") == 0 &&
	    !c.ambiguous && slice_eq(c.t.from, "\"s to=<z@y>\"@x") &&
	    slice_eq(c.t.to, "r@x"), "a quoted sender read whole");
	TEST_OK(check("RCPT from a[192.0.2.9]: 554 5.7.1 no; from=<\"s@x> "
	    "to=<r@x> proto=ESMTP helo=<a; from=<ceo@y> proto=ESMTPSA "
	    "helo=<g>") == 0 && c.ambiguous && empty(&c.t),
	    "the first place does not read, a later one does: ambiguous");
	TEST_OK(check("RCPT from a[192.0.2.11]: 554 5.7.1 <r@x>: Relay access "
	    "denied; from=<a> to=<ceo@y> proto=ESMTPSA helo=<h@e> to=<r@x> "
	    "proto=ESMTP helo=<g>") == 0 && c.ambiguous && empty(&c.t) &&
	    slice_eq(c.reply, "554 5.7.1 <r@x>: Relay access denied") &&
	    slice_has_prefix(c.unparsed, "from=<a> to=<ceo@y> "),
	    "an unquoted sender spelling to=, proto=, helo=: ambiguous");
	TEST_OK(check("RCPT from a[192.0.2.12]: 554 5.7.1 no; from=<s@x> "
	    "to=<r@x> proto=ESMTP helo=<g> proto=ESMTPSA helo=<h>") == 0 &&
	    c.ambiguous && empty(&c.t),
	    "a recipient spelling proto= and helo=: ambiguous");
	TEST_OK(check("RCPT from a[192.0.2.13]: 554 5.7.1 no; from=<a> "
	    "to=<b> to=<r@x> proto=ESMTP helo=<g>") == 0 && c.ambiguous &&
	    empty(&c.t), "two places the sender may end: ambiguous");
	TEST_OK(check("RCPT from a[192.0.2.14]: 554 5.7.1 no; from=<s@x> "
	    "proto=ESMTP helo=<g>x>") == 0 && c.ambiguous && empty(&c.t),
	    "a '>' in smtpd's HELO that does not end it: ambiguous");
	TEST_OK(check("RCPT from a[192.0.2.15]: 554 5.7.1 no; from=<> "
	    "to=<r@x> proto=ESMTP helo=<g?h>") == 0 && !c.ambiguous &&
	    c.t.from.p && c.t.from.n == 0 && slice_eq(c.t.to, "r@x") &&
	    slice_eq(c.t.helo, "g?h"), "the null sender: one reading");
	TEST_OK(check("RCPT from a[192.0.2.16]: 554 5.7.1 no; from=<Print "
	    "Shop> to=<r@x> proto=ESMTP helo=<g>") == 0 && !c.ambiguous &&
	    slice_eq(c.t.from, "Print Shop"),
	    "an unquoted sender with a space: one reading");
	TEST_OK(check("MAIL from a[192.0.2.17]: 553 5.7.1 no; from=<s@x> "
	    "proto=ESMTP helo=<g>") == 0 && !c.ambiguous &&
	    slice_eq(c.t.from, "s@x"), "a MAIL refusal: no to=, one reading");
	TEST_OK(check("MAIL from a[192.0.2.18]: 553 5.7.1 no; from=<s@x> "
	    "to=<ceo@y> proto=ESMTP helo=<g>") == 0 && c.ambiguous &&
	    empty(&c.t), "a to= in a MAIL refusal is the sender's: ambiguous");
	TEST_OK(check("RCPT from a[192.0.2.10]: 554 5.7.1 no trailer") == 0 &&
	    !c.ambiguous && slice_eq(c.reply, "554 5.7.1 no trailer") &&
	    empty(&c.t), "no trailer: all is the reply");
	TEST_OK(check("RCPT from nowhere: 554 no; from=<s@x>") == -1,
	    "no client: not a check line");

	TEST_OK(header("Subject: hi from a[192.0.2.1]; from=<s@x> to=<r@x> "
	    "proto=ESMTP helo=<a>: CSM") == 0 && !h.ambiguous &&
	    slice_eq(h.value, "Subject: hi") &&
	    slice_eq(h.origin, "a[192.0.2.1]") && slice_eq(h.t.helo, "a") &&
	    slice_eq(h.t.text, "CSM") && !h.t.helo_unsure,
	    "header line: one reading");
	TEST_OK(header("Subject: hi from local; from=<root@h>") == 0 &&
	    !h.ambiguous && slice_eq(h.origin, "local") &&
	    slice_eq(h.t.from, "root@h"), "header line from local");
	TEST_OK(header("Subject: hi from a[192.0.2.1]; from=<s@x> "
	    "proto=ESMTP helo=<a from g[192.0.2.9]; from=<ceo@y> "
	    "proto=ESMTPSA helo=<g>: CSM") == 0 && h.ambiguous &&
	    h.value.n == 0 && h.origin.n == 0 && empty(&h.t) &&
	    slice_has_prefix(h.unparsed, "Subject: hi from "),
	    "a HELO spelling ' from ORIGIN; trailer': ambiguous");
	TEST_OK(header("Subject: x from g[192.0.2.9]; from=<ceo@y>: z from "
	    "a[192.0.2.1]; from=<s@x> proto=ESMTP helo=<a>: CSM") == 0 &&
	    h.ambiguous && empty(&h.t), "a header value spelling one");
	TEST_OK(header("Subject: hi from a[192.0.2.1]; from=<s@x> "
	    "proto=ESMTP helo=<a>: b>: CSM") == 0 && !h.ambiguous &&
	    !h.t.helo_unsure && slice_eq(h.t.helo, "a") &&
	    slice_eq(h.t.text, "b>: CSM"),
	    "smtpd's HELO ends at its first '>', whatever the text holds");
	TEST_OK(header("Subject: hi from a[192.0.2.1]; from=<s@x> "
	    "proto=ESMTP helo=<a@b>: c>: CSM") == 0 && !h.ambiguous &&
	    h.t.helo_unsure && h.t.helo.n == 0 && h.t.text.n == 0 &&
	    slice_eq(h.t.proto, "ESMTP") && slice_eq(h.value, "Subject: hi") &&
	    slice_eq(h.unparsed, "a@b>: c>: CSM"),
	    "a HELO smtpd did not write, holding '>: ': HELO and text unsure");
	TEST_OK(header("Subject: hi from a[192.0.2.1]; from=<a> to=<ceo@y> "
	    "proto=ESMTPSA helo=<h@e> to=<r@x> proto=ESMTP helo=<g>: CSM") ==
	    0 && h.ambiguous && empty(&h.t) && h.value.n == 0,
	    "header line: an unquoted sender spelling to=, proto=, helo=");
	TEST_OK(header("Subject: greetings from Tokyo; see you") == -1,
	    "no trailer after ' from X;'");
	return test_done();
}
