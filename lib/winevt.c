/*
 * winevt.c: Windows event records to auth events. The first half maps a
 * collected record (struct winevt_rec) to the event columns: the account
 * an event is about, who acted, the source address and port, the logon
 * type, a success or failure outcome, and the raw EventData fields the
 * auth checks read, in extra under their Windows names. The second half
 * collects records from event XML with expat, a real XML parser: the
 * stream is wrapped in a root element of our own, so that any number of
 * <Event> elements, bare or inside <Events>, parse as one document, line
 * by line as they arrive. All text comes from the log: values are kept
 * by length and escaped on output, names are matched, never trusted.
 */
#include <stdlib.h>
#include <string.h>
#include <expat.h>
#include "diag.h"
#include "ipaddr.h"
#include "num.h"
#include "timeconv.h"
#include "winevt.h"

void
winevt_rec_clear(struct winevt_rec *r)
{
	const char *format = r->format;

	memset(r, 0, sizeof *r);
	r->format = format;
}

int
winevt_rec_add(struct winevt_rec *r, struct slice name, struct slice val)
{
	if (r->ndata >= WINEVT_MAX_DATA)
		return -1;
	r->name[r->ndata] = name;
	r->val[r->ndata] = val;
	r->ndata++;
	return 0;
}

int
winevt_find(const struct winevt_rec *r, const char *name)
{
	int i;

	for (i = 0; i < r->ndata; i++)
		if (slice_eq_nocase(r->name[i], name))
			return i;
	return -1;
}

struct slice
winevt_get(const struct winevt_rec *r, const char *name)
{
	int i = winevt_find(r, name);

	return i >= 0 ? r->val[i] : SLICE_NONE;
}

int
winevt_keywords_audit(struct slice hex)
{
	uint64_t v = 0;
	size_t i;

	if (hex.n < 3 || hex.n > 18 || hex.p[0] != '0' ||
	    (hex.p[1] != 'x' && hex.p[1] != 'X'))
		return 0;
	for (i = 2; i < hex.n; i++) {
		char c = hex.p[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return 0;
		v = v << 4 | (uint64_t)d;
	}
	/* The standard keywords Audit Failure (bit 52), Audit Success (53). */
	if (v & UINT64_C(0x0010000000000000))
		return -1;
	if (v & UINT64_C(0x0020000000000000))
		return 1;
	return 0;
}

/* A field's value, or empty when absent or "-" (Windows' "none"). */
static struct slice
get_set(const struct winevt_rec *r, const char *name)
{
	struct slice v = winevt_get(r, name);

	return slice_eq(v, "-") ? SLICE_NONE : v;
}

/*
 * Group membership changes: TargetUserName is the group there, and the
 * account the event is about is the member.
 */
static int
is_member_event(uint64_t id)
{
	switch (id) {
	case 4728: case 4729: case 4732: case 4733: case 4746: case 4747:
	case 4751: case 4752: case 4756: case 4757: case 4761: case 4762:
		return 1;
	}
	return 0;
}

/* The outcome: from the event's meaning where it has one, else Keywords. */
static struct slice
outcome_of(const struct winevt_rec *r, uint64_t id)
{
	struct slice status = get_set(r, "Status");

	switch (id) {
	case 4624:	/* logon */
	case 4648:	/* logon with explicit credentials */
	case 4672:	/* special privileges assigned to a new logon */
		return SLICE_LIT("success");
	case 4625:	/* logon failed */
	case 4771:	/* Kerberos pre-authentication failed */
		return SLICE_LIT("failure");
	case 4768:	/* Kerberos TGT, 4769 service ticket, 4776 NTLM: */
	case 4769:	/* a Status of 0 means granted */
	case 4776:
		if (status.n)
			return slice_eq(status, "0x0") || slice_eq(status,
			    "0x00000000") || slice_eq(status, "0") ?
			    SLICE_LIT("success") : SLICE_LIT("failure");
		break;
	}
	if (r->audit > 0)
		return SLICE_LIT("success");
	if (r->audit < 0)
		return SLICE_LIT("failure");
	return SLICE_NONE;
}

/*
 * Sets src_ip from IpAddress: IPv4-mapped IPv6 ("::ffff:10.1.20.35", as
 * Kerberos events write it) becomes plain IPv4. Returns 0, or -1 when the
 * value is no address.
 */
static int
set_ip(struct event *ev, struct slice v)
{
	char text[IPADDR_TEXT_MAX];
	struct ipaddr ip;

	if (ip_parse(v, &ip) != 0)
		return -1;
	event_set_checked(ev, EV_SRC_IP, event_keep(ev, text,
	    ip_format(text, &ip)));
	return 0;
}

/*
 * The raw fields the auth checks read, in extra under their Windows
 * names, most wanted first (extra holds EVENT_MAX_EXTRA pairs).
 */
static const char *const extra_fields[] = {
	"TargetUserName", "TargetDomainName", "TargetUserSid", "TargetSid",
	"TargetLogonId", "OldTargetUserName", "NewTargetUserName",
	"SubjectUserName", "SubjectDomainName", "SubjectUserSid",
	"SubjectLogonId", "MemberName", "MemberSid", "Status", "SubStatus",
	"FailureReason", "LogonProcessName", "AuthenticationPackageName",
	"WorkstationName", "Workstation", "IpAddress", "ServiceName",
	"TicketEncryptionType", "TicketOptions", "PreAuthType",
	"PrivilegeList", "ElevatedToken", "TargetServerName", "ProcessName",
	"ImagePath", "ServiceFileName", "ServiceType", "StartType",
	"AccountName", "TaskName",
	"SamAccountName", "UserAccountControl", "OldUacValue", "NewUacValue",
	"AuditPolicyChanges", "SubcategoryGuid", "Channel", "BackupPath",
	"NewProcessName", "CommandLine"
};

enum line_result
winevt_fill(const struct winevt_rec *r, struct parse_ctx *ctx)
{
	struct event *ev = ctx->ev;
	struct slice account, subject, v, used_account = SLICE_NONE;
	uint64_t id, n;
	char q[200];
	size_t i;

	if (r->truncated)
		return fmt_reject(ctx, "%s: record over %d KiB of text",
		    r->format, WINEVT_TEXT_MAX / 1024);
	if (r->event_id.n == 0)
		return fmt_reject(ctx, "%s: no EventID", r->format);
	if (num_parse_u64(r->event_id, 65535, &id) != 0)
		return fmt_reject(ctx, "%s: bad EventID '%s'", r->format,
		    diag_quote(q, sizeof q, r->event_id));
	if (slice_has_prefix(r->time, "1601-01-01T00:00:00")) {
		ev->has_ts = 0;	/* FILETIME 0: no time, not a bad one */
	} else if (r->time.n) {
		int64_t ms;

		if (time_parse_rfc3339(r->time, &ms) != 0)
			return fmt_reject(ctx, "%s: bad time '%s'", r->format,
			    diag_quote(q, sizeof q, r->time));
		ev->ts_ms = ms;
		ev->has_ts = 1;
	} else {
		ev->ts_ms = r->ts_ms;
		ev->has_ts = r->has_ts;
	}
	event_set_checked(ev, EV_LOG, SLICE_LIT("auth"));
	event_set_checked(ev, EV_FORMAT, slice_cstr(r->format));
	event_set_checked(ev, EV_EVENT_ID, r->event_id);
	if (r->computer.n)
		ev->f[EV_DEVICE] = r->computer;

	/* Who the event is about, and who acted. */
	subject = get_set(r, "SubjectUserName");
	if (is_member_event(id)) {
		account = get_set(r, "MemberName");
		if (account.n == 0)
			account = get_set(r, "MemberSid");
	} else {
		account = get_set(r, "TargetUserName");
	}
	if (account.n) {
		ev->f[EV_ACCOUNT] = used_account = account;
		if (subject.n)
			ev->f[EV_USER] = subject;
	} else if (subject.n) {
		ev->f[EV_ACCOUNT] = used_account = subject;
		subject = SLICE_NONE;
	}

	if ((v = get_set(r, "IpAddress")).n)
		(void)set_ip(ev, v);	/* else it stays in extra */
	if ((v = get_set(r, "IpPort")).n &&
	    num_parse_u64(v, 65535, &n) == 0 && n > 0)
		event_set_checked(ev, EV_SRC_PORT, v);
	if ((v = get_set(r, "LogonType")).n &&
	    num_parse_u64(v, 99, &n) == 0)
		event_set_checked(ev, EV_LOGON_TYPE, v);
	v = outcome_of(r, id);
	if (v.n)
		event_set_checked(ev, EV_OUTCOME, v);

	/* <System> fields in lower case, EventData ones as Windows has them. */
	if (r->channel.n)
		event_add_extra(ev, "channel", r->channel);
	if (r->provider.n)
		event_add_extra(ev, "provider", r->provider);
	if (r->record_id.n && num_parse_u64(r->record_id, UINT64_MAX, &n) == 0)
		event_add_extra_checked(ev, "record_id", r->record_id);
	for (i = 0; i < sizeof extra_fields / sizeof extra_fields[0]; i++) {
		const char *name = extra_fields[i];

		v = get_set(r, name);
		if (v.n == 0 || (v.p == used_account.p && v.n ==
		    used_account.n) || (v.p == subject.p && v.n == subject.n &&
		    ev->f[EV_USER].n))
			continue;	/* already in a column */
		if (strcmp(name, "IpAddress") == 0 && ev->f[EV_SRC_IP].n)
			continue;
		event_add_extra(ev, name, v);
	}
	return LINE_USED;
}

/* The event XML reader. */

#define WX_ROOT "csm-stream"		/* our root around the stream */

enum wx_section { WX_NONE, WX_SYSTEM, WX_EVENTDATA, WX_USERDATA, WX_OTHER };

struct winevt_xml {
	XML_Parser p;
	struct winevt_rec rec;
	winevt_record_fn fn;
	void *arg;
	uint64_t line;		/* line the bytes being fed come from */
	uint64_t rec_line;	/* line the open Event began on */
	int depth;		/* open elements, our root being 1 */
	int ev_depth;		/* depth of the open Event, 0 outside */
	enum wx_section sec;	/* child of Event we are in */
	int stray_depth;	/* depth of an element outside any Event */
	struct slice keywords;	/* of the open Event */
	struct slice *cap;	/* where the text being read goes */
	int cap_depth;
	size_t cap_start;
	int too_big;		/* the record's text did not fit */
	struct winevt_feed *res;	/* of the feed in progress */
	uint64_t fed;		/* bytes given to expat since restart */
	size_t used;
	char text[WINEVT_TEXT_MAX];
};

/* Copies n bytes into the record's text; empty when it is full. */
static struct slice
wx_keep(struct winevt_xml *x, const char *p, size_t n)
{
	struct slice s;

	if (n > WINEVT_TEXT_MAX - x->used) {
		x->too_big = 1;
		return SLICE_NONE;
	}
	memcpy(x->text + x->used, p, n);
	s = slice_make(x->text + x->used, n);
	x->used += n;
	return s;
}

/* The local part of an element name ("e:Event" -> "Event"). */
static const char *
local_name(const XML_Char *name)
{
	const char *colon = strrchr(name, ':');

	return colon ? colon + 1 : name;
}

/* The value of attribute name, or NULL. */
static const char *
attr(const XML_Char **atts, const char *name)
{
	int i;

	for (i = 0; atts[i] && atts[i + 1]; i += 2)
		if (strcmp(local_name(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

/* Starts reading the text of the element just opened into *dst. */
static void
capture(struct winevt_xml *x, struct slice *dst)
{
	x->cap = dst;
	x->cap_depth = x->depth;
	x->cap_start = x->used;
	*dst = SLICE_NONE;
}

/* Keeps attribute name of atts as *dst, when there. */
static void
keep_attr(struct winevt_xml *x, const XML_Char **atts, const char *name,
    struct slice *dst)
{
	const char *v = attr(atts, name);

	if (v)
		*dst = wx_keep(x, v, strlen(v));
}

/* A field of EventData or UserData: its value is the element's text. */
static void
start_field(struct winevt_xml *x, struct slice name)
{
	struct winevt_rec *r = &x->rec;

	if (winevt_rec_add(r, name, SLICE_NONE) == 0)
		capture(x, &r->val[r->ndata - 1]);
}

/* A child of <System>. */
static void
start_system(struct winevt_xml *x, const char *name, const XML_Char **atts)
{
	struct winevt_rec *r = &x->rec;

	if (strcmp(name, "EventID") == 0)
		capture(x, &r->event_id);
	else if (strcmp(name, "TimeCreated") == 0)
		keep_attr(x, atts, "SystemTime", &r->time);
	else if (strcmp(name, "Provider") == 0)
		keep_attr(x, atts, "Name", &r->provider);
	else if (strcmp(name, "Channel") == 0)
		capture(x, &r->channel);
	else if (strcmp(name, "Computer") == 0)
		capture(x, &r->computer);
	else if (strcmp(name, "EventRecordID") == 0)
		capture(x, &r->record_id);
	else if (strcmp(name, "Keywords") == 0)
		capture(x, &x->keywords);
}

static void XMLCALL
wx_start(void *arg, const XML_Char *el, const XML_Char **atts)
{
	struct winevt_xml *x = arg;
	const char *name = local_name(el);
	int d = ++x->depth;

	if (x->ev_depth == 0) {
		if (x->stray_depth || d == 1)
			return;	/* our root, or inside a stray element */
		if (strcmp(name, "Event") == 0) {
			winevt_rec_clear(&x->rec);
			x->keywords = SLICE_NONE;
			x->used = 0;
			x->too_big = 0;
			x->cap = NULL;
			x->ev_depth = d;
			x->sec = WX_NONE;
			x->rec_line = x->line;
			x->res->in_event = 1;
		} else if (strcmp(name, "Events") != 0) {
			x->stray_depth = d;
			if (x->res->stray++ == 0)
				diag_escape(x->res->stray_name,
				    sizeof x->res->stray_name,
				    slice_cstr(name));
		}
		return;
	}
	if (d == x->ev_depth + 1) {
		x->sec = strcmp(name, "System") == 0 ? WX_SYSTEM :
		    strcmp(name, "EventData") == 0 ? WX_EVENTDATA :
		    strcmp(name, "UserData") == 0 ? WX_USERDATA : WX_OTHER;
		return;
	}
	if (x->cap)
		return;	/* an element inside a value: its text joins */
	if (x->sec == WX_SYSTEM && d == x->ev_depth + 2) {
		start_system(x, name, atts);
	} else if (x->sec == WX_EVENTDATA && d == x->ev_depth + 2 &&
	    strcmp(name, "Data") == 0) {
		const char *n = attr(atts, "Name");

		start_field(x, n ? wx_keep(x, n, strlen(n)) : SLICE_NONE);
	} else if (x->sec == WX_USERDATA && d == x->ev_depth + 3) {
		/* <UserData><LogFileCleared><SubjectUserName>... */
		start_field(x, wx_keep(x, name, strlen(name)));
	}
}

/* The complete Event: hands it on. */
static void
end_event(struct winevt_xml *x)
{
	struct winevt_rec *r = &x->rec;

	r->audit = winevt_keywords_audit(slice_trim(x->keywords));
	r->truncated = x->too_big;
	r->event_id = slice_trim(r->event_id);
	r->time = slice_trim(r->time);
	r->record_id = slice_trim(r->record_id);
	x->res->records++;
	if (x->fn(x->arg, r, x->rec_line) != LINE_USED)
		x->res->rejected++;
}

static void XMLCALL
wx_end(void *arg, const XML_Char *el)
{
	struct winevt_xml *x = arg;
	int d = x->depth--;

	(void)el;
	if (x->stray_depth == d) {
		x->stray_depth = 0;
		return;
	}
	if (x->cap && d == x->cap_depth) {
		*x->cap = slice_make(x->text + x->cap_start,
		    x->used - x->cap_start);
		x->cap = NULL;
	}
	if (d == x->ev_depth) {
		x->ev_depth = 0;
		end_event(x);
	} else if (d == x->ev_depth + 1) {
		x->sec = WX_NONE;
	}
}

static void XMLCALL
wx_text(void *arg, const XML_Char *s, int len)
{
	struct winevt_xml *x = arg;

	if (x->cap && len > 0)
		(void)wx_keep(x, s, (size_t)len);
}

struct winevt_xml *
winevt_xml_new(const char *format, winevt_record_fn fn, void *arg)
{
	struct winevt_xml *x = calloc(1, sizeof *x);

	if (x == NULL)
		return NULL;
	/*
	 * The encoding is fixed: a declaration inside the log saying
	 * otherwise is not believed (a line reader has cut UTF-16 apart
	 * anyway).
	 */
	if ((x->p = XML_ParserCreate("UTF-8")) == NULL) {
		free(x);
		return NULL;
	}
	x->rec.format = format;
	x->fn = fn;
	x->arg = arg;
	winevt_xml_restart(x, SLICE_NONE);
	return x;
}

void
winevt_xml_free(struct winevt_xml *x)
{
	if (x == NULL)
		return;
	XML_ParserFree(x->p);
	free(x);
}

void
winevt_xml_set_line(struct winevt_xml *x, uint64_t line)
{
	x->line = line;
}

int
winevt_xml_pending(const struct winevt_xml *x, uint64_t *start_line)
{
	*start_line = x->rec_line;
	return x->ev_depth != 0;
}

/*
 * Runs expat over n bytes at p and, with lf, an LF after them, noting
 * what it found in *res.
 */
static void
wx_parse(struct winevt_xml *x, const char *p, size_t n, int lf, int final,
    struct winevt_feed *res)
{
	char *buf;

	x->res = res;
	if (x->ev_depth)
		res->in_event = 1;
	if (n >= INT32_MAX ||
	    (buf = XML_GetBuffer(x->p, (int)n + 1)) == NULL) {
		res->xml_error = 1;
		res->error = "out of memory";
		return;
	}
	memcpy(buf, p, n);
	if (lf)
		buf[n++] = '\n';
	if (XML_ParseBuffer(x->p, (int)n, final) != XML_STATUS_OK) {
		XML_Index at = XML_GetCurrentByteIndex(x->p);

		res->xml_error = 1;
		res->error = XML_ErrorString(XML_GetErrorCode(x->p));
		/* Where in these bytes (an LF we added counts as the end). */
		res->error_offset = at < 0 || (uint64_t)at < x->fed ? 0 :
		    (uint64_t)at - x->fed;
		if (res->error_offset > n - (lf != 0))
			res->error_offset = n - (lf != 0);
	}
	x->fed += n;
	x->res = NULL;
}

void
winevt_xml_restart(struct winevt_xml *x, struct slice decl)
{
	struct winevt_feed ignored;

	XML_ParserReset(x->p, "UTF-8");
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, wx_start, wx_end);
	XML_SetCharacterDataHandler(x->p, wx_text);
	x->depth = x->ev_depth = x->stray_depth = 0;
	x->fed = 0;
	x->sec = WX_NONE;
	x->cap = NULL;
	memset(&ignored, 0, sizeof ignored);
	/*
	 * Our root goes first (after the declaration, which must open a
	 * document): every Event then is a child of one document, and no
	 * DOCTYPE, so no entity declaration, can come after it.
	 */
	if (decl.n)
		wx_parse(x, decl.p, decl.n, 0, 0, &ignored);
	wx_parse(x, "<" WX_ROOT ">", strlen(WX_ROOT) + 2, 1, 0, &ignored);
}

void
winevt_xml_feed_line(struct winevt_xml *x, struct slice line,
    struct winevt_feed *res)
{
	memset(res, 0, sizeof *res);
	wx_parse(x, line.p, line.n, 1, 0, res);
}

void
winevt_xml_end(struct winevt_xml *x, struct winevt_feed *res)
{
	static const char end[] = "</" WX_ROOT ">";

	memset(res, 0, sizeof *res);
	wx_parse(x, end, sizeof end - 1, 0, 1, res);
}
