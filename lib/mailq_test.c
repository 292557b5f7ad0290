/*
 * mailq_test.c: the table of messages in flight: items joined once each,
 * text past a message's room dropped and flagged, the null sender, the
 * sender's priorities, a message whose recipients were all refused, idle
 * and end-of-input writing, and find; the address scanners, on quoted
 * local parts that hold '>', ',' and text shaped like later fields.
 */
#include <stdlib.h>
#include "mailq.h"
#include "num.h"
#include "test.h"

static int nemit;
static char last[8192];

/* Keeps a readable copy of the event's columns and extra. */
static void
capture(struct parse_ctx *ctx, struct event *ev)
{
	size_t n = 0;
	int i;

	(void)ctx;
	nemit++;
	for (i = 1; i < EV_NCOLS; i++) {
		size_t k = ev->f[i].n;

		if (k == 0 || n + k + 2 >= sizeof last)
			continue;
		memcpy(last + n, ev->f[i].p, k);
		n += k;
		last[n++] = '|';
	}
	for (i = 0; i < ev->nextra && n + 64 < sizeof last; i++) {
		size_t kn = ev->extra_key[i].n, vn = ev->extra_val[i].n;

		if (n + kn + vn + 3 >= sizeof last)
			break;
		memcpy(last + n, ev->extra_key[i].p, kn);
		n += kn;
		last[n++] = '=';
		memcpy(last + n, ev->extra_val[i].p, vn);
		n += vn;
		last[n++] = ';';
	}
	last[n] = '\0';
}

static int
has(const char *s)
{
	return strstr(last, s) != NULL;
}

int
main(void)
{
	static struct event ev;
	struct parse_opts opts = { NULL, 2026, 0 };
	struct parse_ctx ctx = { .opts = &opts, .ev = &ev, .emit = capture };
	struct mailq *q = mailq_new("postfix");
	struct mailq_msg *m;
	char big[MAILQ_TEXT];
	struct slice s;
	int i;

	TEST_OK(q != NULL, "new table");
	ev.has_ts = 1;
	ev.ts_ms = 1000;
	m = mailq_get(q, &ctx, SLICE_LIT("mx1"), SLICE_LIT("AAAAAA1"), 1);
	TEST_OK(m != NULL && mailq_find(q, SLICE_LIT("mx1"),
	    SLICE_LIT("AAAAAA1")) == m, "found by host and queue ID");
	TEST_OK(mailq_find(q, SLICE_LIT("mx2"), SLICE_LIT("AAAAAA1")) == NULL,
	    "another host's queue ID is another message");
	mailq_add_item(m, MQ_RCPT, SLICE_LIT("a@x"))->status = MQ_ST_SENT;
	mailq_add_item(m, MQ_RCPT, SLICE_LIT("b@x"));
	TEST_OK(mailq_add_item(m, MQ_RCPT, SLICE_LIT("a@x"))->status ==
	    MQ_ST_SENT && m->nitem == 2, "a recipient is listed once");
	mailq_set_from(m, SLICE_LIT("check@x"), 1);
	mailq_set_from(m, slice_make("", 0), 3);
	mailq_set_from(m, SLICE_LIT("low@x"), 2);
	mailq_set_from(m, SLICE_NONE, 3);
	memset(big, 'x', sizeof big);
	mailq_set_text(m, MQ_SUBJECT, slice_make(big, sizeof big));
	mailq_set_queued(q, m);
	mailq_emit(q, &ctx, m, 0);
	TEST_OK(nemit == 1 && has("|<>|") && !has("check@x") &&
	    !has("low@x"), "the null sender from the best source wins");
	TEST_OK(has("a@x,b@x|") && has("status=sent,;"),
	    "recipients and their statuses in one order");
	TEST_OK(has("truncated=1") && !has("xxxx") && has("allow"),
	    "text past the room is dropped and flagged");
	TEST_OK(mailq_find(q, SLICE_LIT("mx1"), SLICE_LIT("AAAAAA1")) == NULL,
	    "a written message is forgotten");

	m = mailq_get(q, &ctx, SLICE_LIT("mx1"), SLICE_LIT("BBBBBB2"), 1);
	mailq_add_item(m, MQ_RCPT, SLICE_LIT("c@x"))->status = MQ_ST_REJECT;
	mailq_add_item(m, MQ_ATTACH, SLICE_LIT("a.exe"));
	ev.ts_ms = 1000 + MAILQ_IDLE_MS;
	mailq_expire(q, &ctx, ev.ts_ms);
	TEST_OK(nemit == 1, "not idle yet");
	mailq_expire(q, &ctx, ev.ts_ms + 1);
	TEST_OK(nemit == 2 && has("deny") && has("a.exe|") &&
	    !has("unfinished"), "all recipients refused: a deny, when idle");

	m = mailq_get(q, &ctx, SLICE_LIT("mx1"), SLICE_LIT("CCCCCC3"), 1);
	mailq_set_queued(q, m);
	mailq_expire(q, &ctx, ev.ts_ms + 10 * MAILQ_IDLE_MS);
	TEST_OK(nemit == 2, "a queued message is not written when idle");
	m = mailq_get(q, &ctx, SLICE_LIT("mx1"), SLICE_LIT("CCCCCC3"), 1);
	TEST_OK(nemit == 3 && has("unfinished=1") && m != NULL &&
	    !m->queued, "a reused queue ID writes the old message");
	for (i = 0; i < MAILQ_ITEMS + 1; i++) {
		char r[16];
		size_t n = num_format_u64(r, (uint64_t)i);

		mailq_add_item(m, MQ_RCPT, slice_make(r, n));
	}
	TEST_OK(m->nitem == MAILQ_ITEMS && m->lost, "items past the room");
	mailq_finish(q, &ctx);
	TEST_OK(nemit == 4 && has("truncated=1") && has("unfinished=1"),
	    "the rest at the end");
	TEST_OK(mailq_status_of(SLICE_LIT("Deferred")) == MQ_ST_DEFERRED &&
	    mailq_status_of(SLICE_LIT("weird")) == MQ_ST_OTHER,
	    "status words");
	s = SLICE_LIT("<a@x>, size=1");
	TEST_OK(mailq_addr_end(s, 0) == 4, "a plain address ends at '>'");
	s = SLICE_LIT("<\"x>, relay=[10.0.0.1], \"@evil>, size=1");
	TEST_OK(mailq_addr_end(s, 0) == 30,
	    "a '>' and fields inside a quoted local part are text");
	s = SLICE_LIT("<\"a\\\">, stat=Sent\"@x>, stat=Deferred");
	TEST_OK(mailq_addr_end(s, 0) == 20,
	    "an escaped quote does not end the quoted string");
	s = SLICE_LIT("<\"a\\\\\">x");
	TEST_OK(mailq_addr_end(s, 0) == 6, "an escaped backslash is one byte");
	s = SLICE_LIT("<\"x>, relay=[10.0.0.1]");
	TEST_OK(mailq_addr_end(s, 0) == -1, "an unclosed quote: no end");
	TEST_OK(mailq_addr_end(SLICE_LIT("<a@x"), 0) == -1 &&
	    mailq_addr_end(SLICE_LIT("<\"a\\"), 0) == -1,
	    "an unclosed address, a backslash at the end");
	s = SLICE_LIT("to=\"|/bin/x a,b\", x");
	TEST_OK(mailq_quoted_end(s, 3) == 16 &&
	    mailq_quoted_end(SLICE_LIT("\"ab"), 0) == -1,
	    "a quoted word's end, or none");
	mailq_free(q);
	return test_done();
}
