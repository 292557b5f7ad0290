/*
 * fmt_winevt_json.c: Windows event log records as JSON lines, in the
 * shapes the common agents write: Winlogbeat and Elastic Agent (ECS:
 * "@timestamp", "winlog": {"event_id", "channel", "computer_name",
 * "provider_name", "record_id", "keywords", "event_data": {...},
 * "user_data": {...}}, nested or with dotted keys, bare or as an
 * Elasticsearch hit's "_source"), NXLog's im_msvistalog with to_json()
 * (flat: "EventID", "EventTime" in the agent's local time, "Hostname",
 * "SourceName", "EventType" and the EventData fields beside them) and
 * Wazuh's eventchannel records ("win": {"system": {"eventID", ...},
 * "eventdata": {"targetUserName", ...}}, names in camelCase). Each line is
 * parsed on its own with jansson; the record it holds goes through the
 * mapping every Windows event source shares (lib/winevt.c), so a record
 * gives the same event as its XML would. Lines holding other JSON are
 * skipped. Strings are taken by length: a \u0000 stays in, to be escaped
 * on output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "diag.h"
#include "num.h"
#include "timeconv.h"
#include "winevt.h"

#define WJ_TEXT_MAX 8192	/* numbers written as text, per record */

struct wj {
	struct winevt_rec rec;
	size_t used;
	char text[WJ_TEXT_MAX];
};

static void *
wj_open(struct parse_ctx *ctx)
{
	struct wj *s = calloc(1, sizeof *s);

	if (s == NULL) {
		fmt_reject(ctx, "winevt-json: out of memory");
		return NULL;
	}
	s->rec.format = "winevt-json";
	return s;
}

static void
wj_close(void *state)
{
	free(state);
}

/*
 * A scalar as text: strings as they are, integers in decimal, booleans
 * as true/false. Empty (p NULL) for anything else or when out of room.
 */
static struct slice
scalar(struct wj *s, json_t *j)
{
	char t[24];
	size_t n;

	if (json_is_string(j))
		return slice_make(json_string_value(j), json_string_length(j));
	if (json_is_integer(j)) {
		json_int_t v = json_integer_value(j);

		n = 0;
		if (v < 0)
			t[n++] = '-';
		n += num_format_u64(t + n, v < 0 ? 0 - (uint64_t)v :
		    (uint64_t)v);
	} else if (json_is_true(j)) {
		memcpy(t, "true", n = 4);
	} else if (json_is_false(j)) {
		memcpy(t, "false", n = 5);
	} else {
		return SLICE_NONE;
	}
	if (n > WJ_TEXT_MAX - s->used)
		return SLICE_NONE;
	memcpy(s->text + s->used, t, n);
	s->used += n;
	return slice_make(s->text + s->used - n, n);
}

/*
 * o[a][b] or, for dotted exports, o["a.b"]; NULL when neither is there.
 */
static json_t *
path2(json_t *o, const char *a, const char *b)
{
	json_t *j = json_object_get(o, a);
	char dotted[64];

	if (json_is_object(j) && (j = json_object_get(j, b)) != NULL)
		return j;
	snprintf(dotted, sizeof dotted, "%s.%s", a, b);
	return json_object_get(o, dotted);
}

/* Adds every scalar member of object o as a field. */
static void
add_fields(struct wj *s, json_t *o)
{
	const char *key;
	json_t *v;

	if (!json_is_object(o))
		return;
	json_object_foreach(o, key, v) {
		struct slice val = scalar(s, v);

		if (val.p != NULL)
			(void)winevt_rec_add(&s->rec, slice_cstr(key), val);
		else if (json_is_object(v))
			add_fields(s, v);	/* user_data's inner element */
	}
}

/* The audit outcome from ECS keywords ["Audit Success"] or event.outcome. */
static int
ecs_audit(json_t *o)
{
	json_t *kw = path2(o, "winlog", "keywords"), *e;
	size_t i;

	json_array_foreach(kw, i, e) {
		const char *k = json_string_value(e);

		if (k && strcmp(k, "Audit Success") == 0)
			return 1;
		if (k && strcmp(k, "Audit Failure") == 0)
			return -1;
	}
	e = path2(o, "event", "outcome");
	if (json_is_string(e))
		return strcmp(json_string_value(e), "success") == 0 ? 1 :
		    strcmp(json_string_value(e), "failure") == 0 ? -1 : 0;
	return 0;
}

/* Winlogbeat / Elastic Agent. */
static void
load_ecs(struct wj *s, json_t *o)
{
	struct winevt_rec *r = &s->rec;
	const char *key;
	json_t *v;

	r->event_id = scalar(s, path2(o, "winlog", "event_id"));
	if (r->event_id.p == NULL)
		r->event_id = scalar(s, path2(o, "event", "code"));
	r->time = scalar(s, json_object_get(o, "@timestamp"));
	r->computer = scalar(s, path2(o, "winlog", "computer_name"));
	if (r->computer.p == NULL)
		r->computer = scalar(s, path2(o, "host", "name"));
	r->channel = scalar(s, path2(o, "winlog", "channel"));
	r->provider = scalar(s, path2(o, "winlog", "provider_name"));
	r->record_id = scalar(s, path2(o, "winlog", "record_id"));
	r->audit = ecs_audit(o);
	add_fields(s, path2(o, "winlog", "event_data"));
	add_fields(s, path2(o, "winlog", "user_data"));
	/* Dotted exports: "winlog.event_data.TargetUserName": "...". */
	json_object_foreach(o, key, v) {
		static const char *const pre[] = { "winlog.event_data.",
		    "winlog.user_data." };
		size_t i;

		for (i = 0; i < 2; i++)
			if (strncmp(key, pre[i], strlen(pre[i])) == 0) {
				struct slice val = scalar(s, v);

				if (val.p != NULL)
					(void)winevt_rec_add(r, slice_cstr(key +
					    strlen(pre[i])), val);
			}
	}
}

/* Wazuh: {"win": {"system": {...}, "eventdata": {...}}}. */
static void
load_wazuh(struct wj *s, json_t *win)
{
	struct winevt_rec *r = &s->rec;
	json_t *sys = json_object_get(win, "system");
	struct slice sev;

	r->event_id = scalar(s, json_object_get(sys, "eventID"));
	r->time = scalar(s, json_object_get(sys, "systemTime"));
	r->computer = scalar(s, json_object_get(sys, "computer"));
	r->channel = scalar(s, json_object_get(sys, "channel"));
	r->provider = scalar(s, json_object_get(sys, "providerName"));
	r->record_id = scalar(s, json_object_get(sys, "eventRecordID"));
	r->audit = winevt_keywords_audit(scalar(s, json_object_get(sys,
	    "keywords")));
	sev = scalar(s, json_object_get(sys, "severityValue"));
	if (r->audit == 0)
		r->audit = slice_eq(sev, "AUDIT_SUCCESS") ? 1 :
		    slice_eq(sev, "AUDIT_FAILURE") ? -1 : 0;
	add_fields(s, json_object_get(win, "eventdata"));
}

/*
 * NXLog's EventTime: "2026-11-25 17:06:35" in the agent's local time
 * (--tz), or RFC 3339 with its zone when the agent was told to write so.
 */
static void
nxlog_time(struct winevt_rec *r, struct slice t)
{
	int zoned = t.n > 19 && (t.p[t.n - 1] == 'Z' || (t.n >= 25 &&
	    (t.p[t.n - 6] == '+' || t.p[t.n - 6] == '-') &&
	    t.p[t.n - 3] == ':'));
	int64_t ms;

	if (!zoned && time_parse_rfc3339(t, &ms) == 0) {
		r->ts_ms = time_local_to_utc(ms / 1000) * 1000 + ms % 1000;
		r->has_ts = ms >= 0;
		return;
	}
	r->time = t;	/* checked, with its zone, by winevt_fill */
}

/*
 * NXLog's own keys: its flat records put them beside the EventData
 * fields, and some (AccountName, Channel) would pass for one.
 */
static int
nxlog_own(const char *key)
{
	static const char *const own[] = { "EventTime", "EventReceivedTime",
	    "Hostname", "Keywords", "EventType", "SeverityValue", "Severity",
	    "EventID", "SourceName", "ProviderGuid", "Version", "Task",
	    "OpcodeValue", "Opcode", "RecordNumber", "ActivityID",
	    "RelatedActivityID", "ProcessID", "ThreadID", "Channel", "Domain",
	    "AccountName", "UserID", "AccountType", "Category", "Message",
	    "SourceModuleName", "SourceModuleType" };
	size_t i;

	for (i = 0; i < sizeof own / sizeof own[0]; i++)
		if (strcmp(key, own[i]) == 0)
			return 1;
	return 0;
}

/* NXLog: system fields and EventData side by side at the top. */
static void
load_nxlog(struct wj *s, json_t *o)
{
	struct winevt_rec *r = &s->rec;
	struct slice type;
	const char *key;
	json_t *kw, *v;

	r->event_id = scalar(s, json_object_get(o, "EventID"));
	nxlog_time(r, scalar(s, json_object_get(o, "EventTime")));
	r->computer = scalar(s, json_object_get(o, "Hostname"));
	r->channel = scalar(s, json_object_get(o, "Channel"));
	r->provider = scalar(s, json_object_get(o, "SourceName"));
	r->record_id = scalar(s, json_object_get(o, "RecordNumber"));
	type = scalar(s, json_object_get(o, "EventType"));
	r->audit = slice_eq(type, "AUDIT_SUCCESS") ? 1 :
	    slice_eq(type, "AUDIT_FAILURE") ? -1 : 0;
	kw = json_object_get(o, "Keywords");
	if (r->audit == 0 && json_is_integer(kw)) {
		uint64_t k = (uint64_t)json_integer_value(kw);

		r->audit = k & UINT64_C(0x0010000000000000) ? -1 :
		    k & UINT64_C(0x0020000000000000) ? 1 : 0;
	}
	json_object_foreach(o, key, v) {
		struct slice val;

		if (!nxlog_own(key) && (val = scalar(s, v)).p != NULL)
			(void)winevt_rec_add(r, slice_cstr(key), val);
	}
}

static enum line_result
wj_line(void *state, struct slice line, struct parse_ctx *ctx)
{
	struct wj *s = state;
	enum line_result res = LINE_USED;
	json_error_t err;
	json_t *o, *src, *j;
	char q[200];

	if (slice_trim(line).n == 0)
		return LINE_SKIPPED;
	o = json_loadb(line.p, line.n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &err);
	if (o == NULL)
		return fmt_reject(ctx, "winevt-json: bad JSON at column %d: %s",
		    err.column, diag_escape(q, sizeof q, slice_cstr(err.text)));
	winevt_rec_clear(&s->rec);
	s->used = 0;
	/* An Elasticsearch hit holds the document in _source. */
	src = json_object_get(o, "_source");
	if (!json_is_object(src))
		src = o;
	if (!json_is_object(o)) {
		res = fmt_reject(ctx, "winevt-json: not a JSON object");
	} else if ((j = json_object_get(src, "win")) != NULL &&
	    json_is_object(json_object_get(j, "system"))) {
		load_wazuh(s, j);
	} else if (json_object_get(src, "winlog") != NULL ||
	    json_object_get(src, "winlog.event_id") != NULL) {
		if ((j = json_object_get(src, "winlog")) != NULL &&
		    !json_is_object(j))
			res = fmt_reject(ctx, "winevt-json: 'winlog' is not an "
			    "object");
		else
			load_ecs(s, src);
	} else if (json_object_get(src, "EventID") != NULL) {
		load_nxlog(s, src);
	} else {
		res = LINE_SKIPPED;	/* JSON, but no Windows event */
	}
	if (res == LINE_USED && (res = winevt_fill(&s->rec, ctx)) ==
	    LINE_USED)
		res = fmt_emit(ctx);
	/* The event is written by now: its slices into o may go. */
	json_decref(o);
	return res;
}

/* Whether line is a JSON object of one of the agents read here. */
static int
is_record(struct slice line)
{
	line = slice_trim(line);
	if (line.n == 0 || line.p[0] != '{')
		return 0;
	return memmem(line.p, line.n, "\"winlog", 7) != NULL ||
	    (memmem(line.p, line.n, "\"win\"", 5) != NULL &&
	    memmem(line.p, line.n, "\"eventID\"", 9) != NULL) ||
	    (memmem(line.p, line.n, "\"EventID\"", 9) != NULL &&
	    (memmem(line.p, line.n, "\"EventTime\"", 11) != NULL ||
	    memmem(line.p, line.n, "\"SourceName\"", 12) != NULL));
}

static int
wj_sniff(const struct slice *lines, int n)
{
	return fmt_sniff_mixed(lines, n, is_record);
}

const struct fmt fmt_winevt_json = {
	.name = "winevt-json",
	.log = "auth",
	.summary = "Windows events as JSON lines (Winlogbeat, NXLog, Wazuh)",
	.sniff = wj_sniff,
	.open = wj_open,
	.line = wj_line,
	.line_local = 1,
	.close = wj_close,
};
