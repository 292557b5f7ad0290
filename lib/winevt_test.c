/*
 * winevt_test.c: the Windows event mapping and XML reader: Keywords audit
 * bits, field lookup ignoring case, the account and outcome rules, and
 * events fed to the reader whole or line by line (tags spanning lines)
 * giving the same records.
 */
#include <stdarg.h>
#include <stdlib.h>
#include "event.h"
#include "test.h"
#include "winevt.h"

/* Whether slice s holds the C string want. */
#define TEST_SLICE(s, want, what) TEST_BYTES((s).p, (s).n, want, what)

/* The value of extra key, or an empty slice. */
static struct slice
extra(const struct event *ev, const char *key)
{
	int i;

	for (i = 0; i < ev->nextra; i++)
		if (slice_eq(ev->extra_key[i], key))
			return ev->extra_val[i];
	return SLICE_NONE;
}

static void
test_keywords(void)
{
	TEST_OK(winevt_keywords_audit(SLICE_LIT("0x8020000000000000")) == 1,
	    "keywords: audit success");
	TEST_OK(winevt_keywords_audit(SLICE_LIT("0x8010000000000000")) == -1,
	    "keywords: audit failure");
	TEST_OK(winevt_keywords_audit(SLICE_LIT("0x8000000000000000")) == 0,
	    "keywords: classic, neither");
	TEST_OK(winevt_keywords_audit(SLICE_LIT("0x80200000000000000")) == 0,
	    "keywords: too long");
	TEST_OK(winevt_keywords_audit(SLICE_LIT("8020000000000000")) == 0,
	    "keywords: no 0x");
	TEST_OK(winevt_keywords_audit(SLICE_LIT("0x80g0")) == 0,
	    "keywords: not hex");
}

/* A record with the given fields (name, value, ..., NULL). */
static void
make(struct winevt_rec *r, const char *id, ...)
{
	va_list ap;
	const char *n;

	r->format = "test";
	winevt_rec_clear(r);
	r->event_id = slice_cstr(id);
	r->time = SLICE_LIT("2026-11-25T00:00:00.5Z");
	va_start(ap, id);
	while ((n = va_arg(ap, const char *)) != NULL)
		(void)winevt_rec_add(r, slice_cstr(n),
		    slice_cstr(va_arg(ap, const char *)));
	va_end(ap);
}

static enum line_result
fill(struct winevt_rec *r, struct parse_ctx *ctx)
{
	event_clear(ctx->ev);
	return winevt_fill(r, ctx);
}

static void
test_fill(struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	struct winevt_rec r;

	make(&r, "4624", "targetUserName", "adm", "IpAddress",
	    "::ffff:10.1.20.35", "IpPort", "0", "LogonType", "10",
	    "SubjectUserName", "-", NULL);
	TEST_OK(fill(&r, ctx) == LINE_USED, "4624 fills");
	TEST_SLICE(ev->f[EV_ACCOUNT], "adm", "lookup ignores case");
	TEST_SLICE(ev->f[EV_SRC_IP], "10.1.20.35", "mapped IPv4 made plain");
	TEST_OK(ev->f[EV_SRC_PORT].n == 0, "port 0 left out");
	TEST_OK(ev->f[EV_USER].n == 0, "subject '-' left out");
	TEST_SLICE(ev->f[EV_LOGON_TYPE], "10", "logon type");
	TEST_SLICE(ev->f[EV_OUTCOME], "success", "4624 succeeds");
	TEST_OK(ev->has_ts && ev->ts_ms == 1795564800500LL, "time");

	make(&r, "4769", "TargetUserName", "u", "Status", "0x1b", NULL);
	r.audit = 1;
	TEST_OK(fill(&r, ctx) == LINE_USED, "4769 fills");
	TEST_SLICE(ev->f[EV_OUTCOME], "failure",
	    "Status over Keywords for 4769");
	TEST_SLICE(extra(ev, "Status"), "0x1b", "Status in extra");

	make(&r, "4732", "MemberName", "-", "MemberSid", "S-1-5-21-1-2-3-1001",
	    "TargetUserName", "Administrators", "TargetSid", "S-1-5-32-544",
	    "SubjectUserName", "alice", NULL);
	TEST_OK(fill(&r, ctx) == LINE_USED, "4732 fills");
	TEST_SLICE(ev->f[EV_ACCOUNT], "S-1-5-21-1-2-3-1001",
	    "member is the account");
	TEST_SLICE(ev->f[EV_USER], "alice", "subject is the user");
	TEST_SLICE(extra(ev, "TargetUserName"), "Administrators",
	    "group name in extra");
	TEST_OK(extra(ev, "MemberSid").n == 0, "account not repeated");

	make(&r, "1102", "SubjectUserName", "adm", NULL);
	TEST_OK(fill(&r, ctx) == LINE_USED && slice_eq(ev->f[EV_ACCOUNT],
	    "adm") && ev->f[EV_USER].n == 0, "no target: subject is account");
	TEST_OK(ev->f[EV_OUTCOME].n == 0, "no keywords, no outcome");

	make(&r, "4625", "IpAddress", "not-an-ip", NULL);
	TEST_OK(fill(&r, ctx) == LINE_USED && ev->f[EV_SRC_IP].n == 0,
	    "bad address: no src_ip");
	TEST_SLICE(extra(ev, "IpAddress"), "not-an-ip", "bad address kept");

	make(&r, "65536", NULL);
	TEST_OK(fill(&r, ctx) == LINE_REJECTED, "EventID over 65535");
	make(&r, "", NULL);
	TEST_OK(fill(&r, ctx) == LINE_REJECTED, "no EventID");
	make(&r, "4624", NULL);
	r.time = SLICE_LIT("2026-02-30T00:00:00Z");
	TEST_OK(fill(&r, ctx) == LINE_REJECTED, "bad time");
	make(&r, "4624", NULL);
	r.time = SLICE_LIT("1601-01-01T00:00:00.000000000Z");
	TEST_OK(fill(&r, ctx) == LINE_USED && !ev->has_ts,
	    "FILETIME 0 is no time");
}

/* What the reader saw, for comparing whole and piecewise feeds. */
struct seen {
	int n;
	char text[4][512];
	struct parse_ctx *ctx;
};

static enum line_result
on_record(void *arg, const struct winevt_rec *r, uint64_t line)
{
	struct seen *s = arg;
	struct event *ev = s->ctx->ev;
	enum line_result res;

	event_clear(ev);
	if ((res = winevt_fill(r, s->ctx)) != LINE_USED || s->n >= 4)
		return res;
	snprintf(s->text[s->n++], sizeof s->text[0],
	    "%llu %.*s %.*s %.*s %.*s %.*s", (unsigned long long)line,
	    (int)ev->f[EV_EVENT_ID].n, ev->f[EV_EVENT_ID].p,
	    (int)ev->f[EV_ACCOUNT].n, ev->f[EV_ACCOUNT].p,
	    (int)ev->f[EV_DEVICE].n, ev->f[EV_DEVICE].p,
	    (int)extra(ev, "ProcessName").n, extra(ev, "ProcessName").p,
	    (int)ev->f[EV_OUTCOME].n, ev->f[EV_OUTCOME].p);
	return LINE_USED;
}

/* Event XML with LFs only where XML allows white space: between tags, and
 * between a tag's name and its attributes. */
static const char doc[] =
    "<Events>\n<Event xmlns='http://schemas.microsoft.com/win/2004/08/"
    "events/event'>\n<System><EventID Qualifiers='0'>4625</EventID>\n"
    "<Keywords>0x8010000000000000</Keywords><Computer>WS&#49;</Computer>"
    "\n<TimeCreated\nSystemTime='2026-11-25T00:00:00Z'/></System><EventData>"
    "\n<Data Name='TargetUserName'>b&amp;b</Data><Data\nName='ProcessName'>"
    "<![CDATA[C:\\a<b>]]></Data></EventData>\n</Event>\n"
    "<e:Event xmlns:e='x'><e:System><e:EventID>1102</e:EventID>"
    "</e:System><e:UserData><L><SubjectUserName>adm</SubjectUserName>"
    "</L></e:UserData></e:Event></Events>";

/* Feeds doc whole as one line, or cut at its LFs into lines. */
static int
feed(struct winevt_xml *x, int cut)
{
	struct winevt_feed res;
	const char *p = doc, *end = doc + sizeof doc - 1;
	uint64_t line = 1;
	int errors = 0;

	winevt_xml_restart(x, SLICE_NONE);
	while (p < end) {
		const char *nl = cut ? memchr(p, '\n', (size_t)(end - p)) :
		    NULL;
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		winevt_xml_set_line(x, line++);
		winevt_xml_feed_line(x, slice_make(p, len), &res);
		errors += res.xml_error;
		p += len + (nl != NULL);
	}
	winevt_xml_end(x, &res);
	return errors + res.xml_error;
}

static void
test_reader(struct parse_ctx *ctx)
{
	struct seen whole, lines;
	struct winevt_xml *x;

	memset(&whole, 0, sizeof whole);
	whole.ctx = ctx;
	x = winevt_xml_new("test", on_record, &whole);
	TEST_OK(x != NULL && feed(x, 0) == 0 && whole.n == 2,
	    "whole: two events, no error");
	TEST_OK(strcmp(whole.text[0], "1 4625 b&b WS1 C:\\a<b> failure") == 0,
	    "entities, CDATA, keywords");
	TEST_OK(strcmp(whole.text[1], "1 1102 adm   ") == 0,
	    "prefixed names, UserData field");
	winevt_xml_free(x);

	memset(&lines, 0, sizeof lines);
	lines.ctx = ctx;
	x = winevt_xml_new("test", on_record, &lines);
	TEST_OK(x != NULL && feed(x, 1) == 0 && lines.n == 2,
	    "line by line: two events, no error");
	TEST_OK(strcmp(lines.text[0], "2 4625 b&b WS1 C:\\a<b> failure") == 0,
	    "same first event, from line 2");
	TEST_OK(strcmp(lines.text[1], "10 1102 adm   ") == 0,
	    "same second event, from line 10");
	winevt_xml_free(x);
}

int
main(void)
{
	struct event *ev = malloc(sizeof *ev);
	struct parse_ctx ctx;

	if (ev == NULL)
		return 1;
	memset(&ctx, 0, sizeof ctx);
	ctx.ev = ev;
	test_keywords();
	test_fill(&ctx);
	test_reader(&ctx);
	free(ev);
	return test_done();
}
